// The shopper's visits (state, score, the reviewer's decisions; a returned visit opens to be fixed) and money
// (balance, pending, available; every movement linked to its visit; payout lines and their state; the yearly
// statement as CSV).
import { useState } from "preact/hooks";
import { gql } from "../../../common/api";
import { useLastSeen } from "../cache";
import type { MyEarningsQuery, MyVisitsQuery } from "../gql/operations";
import { dateTime, money, t, type Lang } from "../i18n";
import { documents } from "../operations";
import { Screen } from "../ui";
import type { ServerVisit } from "./visit";

export function useMyVisits(fresh: string, later = false): ServerVisit[] | null {
  return useLastSeen(
    "myVisits",
    documents.myVisits,
    { first: 20 },
    (data: MyVisitsQuery) => data.myVisits.edges.map((e) => e.node),
    fresh,
    later,
  )[0];
}

export function MyVisits({ lang, visits }: { lang: Lang; visits: ServerVisit[] | null }) {
  const s = t(lang);
  return (
    <Screen title={s.myVisits}>
      {visits === null && <p>{s.loading}</p>}
      {visits && visits.length === 0 && <p>{s.noVisits}</p>}
      <ul class="cards">
        {(visits ?? []).map((v) => {
          const lastDecision = [...v.history].reverse().find((h) => h.action !== "SUBMIT");
          return (
            <li key={v.id} data-testid={`visit-${v.id}`}>
              <h2>{v.venueName}</h2>
              <p>
                {v.waveName} · {dateTime(v.checkedInAt, lang)}
              </p>
              <p>
                {s.state}: <strong>{s.visitStates[v.state] ?? v.state}</strong>
                {v.score !== null && ` · ${s.score}: ${v.score}`}
              </p>
              {lastDecision?.reason && (
                <p>
                  {s.reviewerSays}: {lastDecision.reason}
                </p>
              )}
              {v.state === "RETURNED" && (
                <a class="button" href={`#/fix/${v.id}`}>
                  {s.fixVisit}
                </a>
              )}
            </li>
          );
        })}
      </ul>
    </Screen>
  );
}

export function Money({ lang, fresh }: { lang: Lang; fresh: string }) {
  const s = t(lang);
  const [earnings] = useLastSeen("earnings", documents.myEarnings, { first: 20 }, (data: MyEarningsQuery) => data.myEarnings, fresh);
  const [year, setYear] = useState(new Date().getFullYear());
  const [statementError, setStatementError] = useState(false);
  async function download() {
    setStatementError(false);
    try {
      const data = await gql(documents.myYearlyStatement, { year });
      const url = URL.createObjectURL(new Blob([data.myYearlyStatement.csv], { type: "text/csv" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = `statement-${year}.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch {
      setStatementError(true);
    }
  }
  if (!earnings) return <Screen title={s.money}>{<p>{s.loading}</p>}</Screen>;
  return (
    <Screen title={s.money}>
      <dl class="totals">
        <dt>{s.balance}</dt>
        <dd data-testid="balance">{money(earnings.balanceKopiykas, lang)}</dd>
        <dt>{s.pendingMoney}</dt>
        <dd>{money(earnings.pendingKopiykas, lang)}</dd>
        <dt>{s.available}</dt>
        <dd>{money(earnings.availableKopiykas, lang)}</dd>
      </dl>
      <h2>{s.history}</h2>
      {earnings.history.edges.length === 0 && <p>{s.noHistory}</p>}
      <table>
        <caption class="visually-hidden">{s.history}</caption>
        <thead>
          <tr>
            <th scope="col">{s.when}</th>
            <th scope="col">{s.what}</th>
            <th scope="col">{s.amount}</th>
          </tr>
        </thead>
        <tbody>
          {earnings.history.edges.map(({ node }) => (
            <tr key={node.id}>
              <td>{dateTime(node.createdAt, lang)}</td>
              <td>
                {s.ledgerKinds[node.kind] ?? node.kind}
                {node.memo && ` — ${node.memo}`}
                {node.visitId && (
                  <>
                    {" "}
                    (<a href="#/visits">{s.visit}</a>)
                  </>
                )}
              </td>
              <td>{money(node.amountKopiykas, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{s.payouts}</h2>
      {earnings.payoutLines.edges.length === 0 && <p>{s.noPayouts}</p>}
      <ul class="cards">
        {earnings.payoutLines.edges.map(({ node }) => (
          <li key={node.id}>
            <p>
              {s.net}: <strong>{money(node.netKopiykas, lang)}</strong> ({s.gross} {money(node.grossKopiykas, lang)}, {s.incomeTax}{" "}
              {money(node.incomeTaxKopiykas, lang)}, {s.militaryLevy} {money(node.militaryLevyKopiykas, lang)})
            </p>
            <p>
              {s.state}: {s.payoutStates[node.state] ?? node.state}
              {node.settledAt && ` · ${dateTime(node.settledAt, lang)}`}
              {node.failureReason && ` · ${node.failureReason}`}
            </p>
          </li>
        ))}
      </ul>
      <h2>{s.statement}</h2>
      <label for="statement-year">{s.year}</label>
      <input
        id="statement-year"
        type="number"
        inputMode="numeric"
        value={String(year)}
        onInput={(e) => setYear(Number((e.target as HTMLInputElement).value))}
      />
      <button type="button" onClick={() => void download()}>
        {s.downloadStatement}
      </button>
      {statementError && (
        <p role="alert" class="error">
          {s.errorGeneric}
        </p>
      )}
    </Screen>
  );
}
