// The payments team's room: batches of a period (created by one person, approved by another: the service
// enforces it and the refusal is shown in words), the skipped shoppers with their reasons, each batch's lines,
// the bank files (CSV, pain.001 v09 and v03; fetched with the session's token, then saved), the bank's status
// file imported with its result, and the ledger check.
import { useEffect, useState } from "preact/hooks";
import { gql, gqlUpload } from "../../common/api";
import {
  ApprovePayoutBatchDocument,
  CancelPayoutBatchDocument,
  CreatePayoutBatchDocument,
  ImportPayoutStatusDocument,
  PayoutBatchesDocument,
  PayoutLinesDocument,
  SettlePayoutLineDocument,
} from "./gql/operations";
import type { CreatePayoutBatchMutation, PayoutBatchesQuery, PayoutLinesQuery } from "./gql/operations";
import { dateTime, kyivDay, money, t, type Lang } from "./i18n";
import { download } from "./download";
import { LedgerTotals, ShopperMoney } from "./ledger";
import { useOutcome, type Act } from "./outcome";
import { Field } from "../../common/field";
import { MoreButton, usePages } from "./paging";

type Batch = PayoutBatchesQuery["payoutBatches"]["edges"][number]["node"];
type Line = NonNullable<PayoutLinesQuery["payoutBatch"]>["lines"]["edges"][number]["node"];

/** The first and last day of last month in Kyiv (where the ledger dates its entries), as the default period. */
function lastMonth(): [string, string] {
  const [year, month] = kyivDay().split("-").map(Number);
  const first = new Date(Date.UTC(year, month - 2, 1));
  const last = new Date(Date.UTC(year, month - 1, 0));
  return [first.toISOString().slice(0, 10), last.toISOString().slice(0, 10)];
}

/** `userId`: who is signed in (the creator of a batch may not approve it; the service refuses it too). */
export function Payments({ lang, userId }: { lang: Lang; userId: string }) {
  const s = t(lang);
  const [check, setCheck] = useState<PayoutBatchesQuery["ledgerCheck"] | null>(null);
  const [period, setPeriod] = useState(lastMonth);
  const [skipped, setSkipped] = useState<CreatePayoutBatchMutation["createPayoutBatch"]["skipped"]>([]);
  const [open, setOpen] = useState<string | null>(null);
  // Batches newest first, 50 a page ("show more" for older ones); the ledger check comes with each page.
  const pages = usePages<Batch>(async (after) => {
    const got = await gql(PayoutBatchesDocument, { first: 50, after });
    setCheck(got.ledgerCheck);
    return got.payoutBatches;
  }, []);
  const load = pages.reload;
  const { act, outcome, setError } = useOutcome(load);
  useEffect(() => {
    if (pages.error) setError(pages.error);
  }, [pages.error]);
  async function create(e: Event) {
    e.preventDefault();
    await act(async () => {
      const made = await gql(CreatePayoutBatchDocument, {
        periodFrom: period[0],
        periodTo: period[1],
        idempotencyKey: crypto.randomUUID(),
      });
      setSkipped(made.createPayoutBatch.skipped);
      return s.batchCreated(made.createPayoutBatch.batch.lineCount, money(made.createPayoutBatch.batch.netKopiykas, lang));
    });
  }
  const batches = pages.rows ?? [];
  return (
    <>
      <h1>{s.payments}</h1>
      {outcome}
      <form class="filters" onSubmit={create} aria-labelledby="new-batch">
        <h2 id="new-batch">{s.newBatch}</h2>
        <div>
          <Field id="period-from" label={s.periodFrom} value={period[0]} type="date" onInput={(v) => setPeriod([v, period[1]])} />
        </div>
        <div>
          <Field id="period-to" label={s.periodTo} value={period[1]} type="date" onInput={(v) => setPeriod([period[0], v])} />
        </div>
        <div>
          <button type="submit">{s.createBatch}</button>
        </div>
      </form>
      {skipped.length > 0 && (
        <>
          <h2>{s.skipped}</h2>
          <ul>
            {skipped.map((x) => (
              <li key={x.shopperId}>
                <a href={`#/shopper/${x.shopperId}`}>{x.shopperName}</a>: {money(x.availableKopiykas, lang)} — {x.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>{s.batches}</h2>
      {pages.rows === null && <p>{s.loading}</p>}
      {pages.rows && batches.length === 0 && <p>{s.noBatches}</p>}
      {batches.length > 0 && (
        <div class="table-wrap" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{s.period}</th>
                <th scope="col">{s.state}</th>
                <th scope="col">{s.lines}</th>
                <th scope="col">{s.gross}</th>
                <th scope="col">{s.withheld}</th>
                <th scope="col">{s.net}</th>
                <th scope="col">{s.actionsTitle}</th>
              </tr>
            </thead>
            <tbody>
              {batches.map((b) => (
                <BatchRow
                  key={b.id}
                  lang={lang}
                  batch={b}
                  open={open === b.id}
                  onOpen={() => setOpen(open === b.id ? null : b.id)}
                  act={act}
                  mine={b.createdBy === userId}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <MoreButton pages={pages} label={s.moreRows} />
      {open && <Lines lang={lang} id={open} act={act} />}
      <LedgerTotals lang={lang} act={act} period={period} />
      <ShopperMoney lang={lang} act={act} />
      {check && (
        <>
          <h2>{s.ledger}</h2>
          <p role="status" class={check.ok ? undefined : "error"}>
            {check.ok ? s.ledgerOk(check.accounts, check.transactions) : s.ledgerBroken}
          </p>
        </>
      )}
    </>
  );
}

/** `mine`: the signed-in person created this batch, so another must approve it (four eyes). */
function BatchRow(props: { lang: Lang; batch: Batch; open: boolean; onOpen: () => void; act: Act; mine: boolean }) {
  const { lang, batch: b, act } = props;
  const s = t(lang);
  const [reason, setReason] = useState("");
  const name = `payouts-${b.periodFrom}-${b.periodTo}`;
  return (
    <tr>
      <td>
        {b.periodFrom} – {b.periodTo}
        <br />
        <span class="hint">{dateTime(b.createdAt, lang)}</span>
      </td>
      <td>
        {s.batchStates[b.state] ?? b.state}
        {b.cancelReason && <span class="hint"> ({b.cancelReason})</span>}
      </td>
      <td>{b.lineCount}</td>
      <td>{money(b.grossKopiykas, lang)}</td>
      <td>{money(b.withheldKopiykas, lang)}</td>
      <td>{money(b.netKopiykas, lang)}</td>
      <td>
        <div class="row">
          <button type="button" class="secondary" aria-expanded={props.open} onClick={props.onOpen}>
            {s.showLines}
          </button>
          {b.state === "DRAFT" && (
            <>
              <button
                type="button"
                disabled={props.mine}
                aria-describedby={props.mine ? `four-eyes-${b.id}` : undefined}
                onClick={() =>
                  void act(async () => {
                    await gql(ApprovePayoutBatchDocument, { id: b.id });
                    return s.approvedBatch;
                  })
                }
              >
                {s.approveBatch}
              </button>
              {props.mine && (
                <span class="hint" id={`four-eyes-${b.id}`}>
                  {s.fourEyes}
                </span>
              )}
            </>
          )}
          {b.state === "APPROVED" &&
            (
              [
                [b.csv, "csv", "CSV"],
                [b.pain09, "xml", "pain.001.001.09"],
                [b.pain03, "xml", "pain.001.001.03"],
              ] as const
            ).map(([path, ext, what]) => (
              <button
                key={what}
                type="button"
                class="secondary"
                onClick={() =>
                  void act(async () => {
                    await download(path, `${name}-${what}.${ext}`);
                    return s.downloaded(what);
                  })
                }
              >
                {s.download(what)}
              </button>
            ))}
        </div>
        {b.state === "DRAFT" && (
          <div>
            <Field id={`cancel-${b.id}`} label={s.cancelReason} value={reason} onInput={setReason} />
            <button
              type="button"
              class="secondary"
              onClick={() =>
                void act(async () => {
                  await gql(CancelPayoutBatchDocument, { id: b.id, reason });
                  return s.cancelledBatch;
                })
              }
            >
              {s.cancelBatch}
            </button>
          </div>
        )}
      </td>
    </tr>
  );
}

function Lines({ lang, id, act }: { lang: Lang; id: string; act: Act }) {
  const s = t(lang);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  /** Settles a line by hand (the bank's answer came another way than its status file), then shows it again. */
  const settle = (l: Line, outcome: "PAID" | "FAILED") =>
    act(async () => {
      await gql(SettlePayoutLineDocument, { lineId: l.id, outcome, reason: outcome === "FAILED" ? (reasons[l.id] ?? "") : null });
      await load();
      return s.settledLine(l.seq);
    });
  const pages = usePages<Line>(
    async (after) => {
      const batch = (await gql(PayoutLinesDocument, { id, first: 100, after })).payoutBatch;
      return batch?.lines ?? { totalCount: 0, pageInfo: { hasNextPage: false }, edges: [] };
    },
    [id],
  );
  const lines = pages.rows;
  const load = pages.reload;
  return (
    <section aria-labelledby="lines">
      <h2 id="lines">{s.lines}</h2>
      {lines === null && <p>{s.loading}</p>}
      {lines && (
        <div class="table-wrap" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{s.accountHolder}</th>
                <th scope="col">IBAN</th>
                <th scope="col">{s.gross}</th>
                <th scope="col">{s.withheld}</th>
                <th scope="col">{s.net}</th>
                <th scope="col">{s.state}</th>
                <th scope="col">{s.reference}</th>
                <th scope="col">{s.actionsTitle}</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((l) => (
                <tr key={l.id}>
                  <td>{l.seq}</td>
                  <td>{l.accountHolder}</td>
                  <td>{l.iban}</td>
                  <td>{money(l.grossKopiykas, lang)}</td>
                  <td>{money(l.incomeTaxKopiykas + l.militaryLevyKopiykas, lang)}</td>
                  <td>{money(l.netKopiykas, lang)}</td>
                  <td>
                    {s.lineStates[l.state] ?? l.state}
                    {l.failureReason && ` — ${l.failureReason}`}
                  </td>
                  <td>{l.endToEndId}</td>
                  <td>
                    {l.state === "SENT" && (
                      <>
                        <button type="button" class="secondary" onClick={() => void settle(l, "PAID")}>
                          {s.settlePaid(l.seq)}
                        </button>
                        <label class="visually-hidden" for={`fail-${l.id}`}>
                          {s.failReasonFor(l.seq)}
                        </label>
                        <input
                          id={`fail-${l.id}`}
                          placeholder={s.suspendReason}
                          value={reasons[l.id] ?? ""}
                          onInput={(e) => setReasons({ ...reasons, [l.id]: (e.target as HTMLInputElement).value })}
                        />
                        <button type="button" class="secondary" onClick={() => void settle(l, "FAILED")}>
                          {s.settleFailed(l.seq)}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <MoreButton pages={pages} label={s.moreRows} />
      <label for="status-file">{s.statusFile}</label>
      <p class="hint">{s.statusFileHint}</p>
      <input
        id="status-file"
        type="file"
        accept=".csv,text/csv"
        onChange={(e) => {
          const input = e.target as HTMLInputElement;
          const file = input.files?.[0];
          if (!file) return;
          void act(async () => {
            const done = await gqlUpload(ImportPayoutStatusDocument, { batchId: id }, "file", file, file.name);
            input.value = "";
            await load();
            return s.imported(done.importPayoutStatus.paid, done.importPayoutStatus.failed);
          });
        }}
      />
    </section>
  );
}
