// The payments room's ledger views: totals between two days (by kind, optionally by wave), and one shopper's
// money (found by name or e-mail): balance, what is pending and available, the ledger history, and the year's
// statement by month with its CSV (what the shopper's own app offers them, for the tax declaration).
import { useState } from "preact/hooks";
import { gql } from "../../common/api";
import { Field } from "../../common/field";
import { LedgerTotalsDocument, ShopperListDocument, ShopperMoneyDocument } from "./gql/operations";
import type { LedgerTotalsQuery, ShopperListQuery, ShopperMoneyQuery } from "./gql/operations";
import { dateTime, money, t, type Lang } from "./i18n";
import { saveBlob } from "./download";
import type { Act } from "./outcome";

export function LedgerTotals({ lang, act, period }: { lang: Lang; act: Act; period: [string, string] }) {
  const s = t(lang);
  const [from, setFrom] = useState(period[0]);
  const [to, setTo] = useState(period[1]);
  const [byWave, setByWave] = useState(false);
  const [rows, setRows] = useState<LedgerTotalsQuery["ledgerTotals"] | null>(null);
  return (
    <section aria-labelledby="totals">
      <h2 id="totals">{s.ledgerTotals}</h2>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            const got = (await gql(LedgerTotalsDocument, { from, to, byWave })).ledgerTotals;
            setRows(got);
            return s.totalsShown(got.length);
          });
        }}
      >
        <Field id="totals-from" label={s.totalsFrom} type="date" value={from} onInput={setFrom} />
        <Field id="totals-to" label={s.totalsTo} type="date" value={to} onInput={setTo} />
        <p class="check">
          <input id="totals-by-wave" type="checkbox" checked={byWave} onChange={(e) => setByWave((e.target as HTMLInputElement).checked)} />
          <label for="totals-by-wave">{s.byWave}</label>
        </p>
        <div>
          <button type="submit">{s.showTotals}</button>
        </div>
      </form>
      {rows && (
        <div class="table-wrap" tabIndex={0}>
          <table>
            <caption>{s.totalsCaption(from, to)}</caption>
            <thead>
              <tr>
                <th scope="col">{s.kind}</th>
                {byWave && <th scope="col">{s.wave}</th>}
                <th scope="col">{s.transactions}</th>
                <th scope="col">{s.amount}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.kind}-${r.waveId ?? ""}`}>
                  <td>{s.ledgerKinds[r.kind] ?? r.kind}</td>
                  {byWave && <td>{r.waveId ?? s.noAnswer}</td>}
                  <td>{r.transactions}</td>
                  <td>{money(r.amountKopiykas, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function ShopperMoney({ lang, act }: { lang: Lang; act: Act }) {
  const s = t(lang);
  const [search, setSearch] = useState("");
  const [found, setFound] = useState<ShopperListQuery["shoppers"]["edges"][number]["node"][] | null>(null);
  const [year, setYear] = useState(String(new Date().getFullYear()));
  const [money_, setMoney] = useState<ShopperMoneyQuery | null>(null);
  const open = (id: string) =>
    act(async () => {
      const got = await gql(ShopperMoneyDocument, { id, year: Number(year) });
      setMoney(got);
      return s.moneyOf(got.shopper.fullName);
    });
  const saveStatement = (data: ShopperMoneyQuery) =>
    saveBlob(
      new Blob([data.yearlyStatement.csv], { type: "text/csv;charset=utf-8" }),
      `statement-${data.yearlyStatement.year}-${data.shopper.email}.csv`,
    );
  const e = money_?.shopperEarnings;
  return (
    <section aria-labelledby="shopper-money">
      <h2 id="shopper-money">{s.shopperMoney}</h2>
      <form
        class="filters"
        onSubmit={(ev) => {
          ev.preventDefault();
          void act(async () => {
            const got = (await gql(ShopperListDocument, { search: search.trim() || null, first: 20 })).shoppers;
            setFound(got.edges.map((x) => x.node));
            return s.shopperCount(got.totalCount);
          });
        }}
      >
        <Field id="money-search" label={s.findShopper} value={search} onInput={setSearch} />
        <Field id="money-year" label={s.statementYear} inputMode="numeric" value={year} onInput={setYear} />
        <div>
          <button type="submit">{s.find}</button>
        </div>
      </form>
      {found && (
        <ul>
          {found.map((x) => (
            <li key={x.id}>
              <button type="button" class="link" onClick={() => void open(x.id)}>
                {s.openMoney(x.fullName, x.email)}
              </button>
            </li>
          ))}
        </ul>
      )}
      {money_ && e && (
        <>
          <h3>{money_.shopper.fullName}</h3>
          <dl>
            <dt>{s.balance}</dt>
            <dd>{money(e.balanceKopiykas, lang)}</dd>
            <dt>{s.pending}</dt>
            <dd>{money(e.pendingKopiykas, lang)}</dd>
            <dt>{s.available}</dt>
            <dd>{money(e.availableKopiykas, lang)}</dd>
          </dl>
          <div class="table-wrap" tabIndex={0}>
            <table>
              <caption>{s.ledgerHistory(e.history.totalCount)}</caption>
              <thead>
                <tr>
                  <th scope="col">{s.when}</th>
                  <th scope="col">{s.kind}</th>
                  <th scope="col">{s.memo}</th>
                  <th scope="col">{s.amount}</th>
                </tr>
              </thead>
              <tbody>
                {e.history.edges.map(({ node: h }) => (
                  <tr key={h.id}>
                    <td>{dateTime(h.createdAt, lang)}</td>
                    <td>{s.ledgerKinds[h.kind] ?? h.kind}</td>
                    <td>{h.memo}</td>
                    <td>{money(h.amountKopiykas, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class="table-wrap" tabIndex={0}>
            <table>
              <caption>{s.statementCaption(money_.yearlyStatement.year)}</caption>
              <thead>
                <tr>
                  <th scope="col">{s.month}</th>
                  <th scope="col">{s.gross}</th>
                  <th scope="col">{s.incomeTax}</th>
                  <th scope="col">{s.militaryLevy}</th>
                  <th scope="col">{s.net}</th>
                </tr>
              </thead>
              <tbody>
                {money_.yearlyStatement.months.map((m) => (
                  <tr key={m.month}>
                    <td>{m.month}</td>
                    <td>{money(m.grossKopiykas, lang)}</td>
                    <td>{money(m.incomeTaxKopiykas, lang)}</td>
                    <td>{money(m.militaryLevyKopiykas, lang)}</td>
                    <td>{money(m.netKopiykas, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <button type="button" class="secondary" onClick={() => saveStatement(money_)}>
            {s.downloadStatement(money_.yearlyStatement.year)}
          </button>
        </>
      )}
    </section>
  );
}
