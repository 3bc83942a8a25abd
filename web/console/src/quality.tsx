// The quality index room (#/index), for staff and client viewers (their own client: the service decides): a
// client's centers for a month or a quarter, best first, with the headline and its interval, the place within
// the stratum (oblast × size class), each part with the count behind it, and the open data of the period as
// CSV. The method is docs/INDEX.md; the public map shows the same numbers.
import { useEffect, useState } from "preact/hooks";
import { failureText, gql } from "../../common/api";
import { QualityIndexDocument, StaffClientsDocument } from "./gql/operations";
import type { QualityIndexQuery } from "./gql/operations";
import { download } from "./download";
import { t, type Lang } from "./i18n";

type Row = QualityIndexQuery["qualityIndex"]["edges"][number]["node"];
const PAGE = 100;

function currentQuarter(): string {
  const now = new Date(new Date().toLocaleString("en-US", { timeZone: "Europe/Kyiv" }));
  return `${now.getFullYear()}-Q${Math.floor(now.getMonth() / 3) + 1}`;
}

/** `moderates`: the staff who may read raw responses also get the period's responses as CSV or XLSX. */
export function QualityRoom({ lang, moderates }: { lang: Lang; moderates: boolean }) {
  const s = t(lang);
  const [clients, setClients] = useState<{ id: string; name: string }[] | null>(null);
  const [client, setClient] = useState("");
  const [period, setPeriod] = useState(currentQuarter());
  const [periods, setPeriods] = useState<string[]>([]);
  const [oblast, setOblast] = useState("");
  const [rows, setRows] = useState<Row[] | null>(null);
  const [total, setTotal] = useState(0);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    gql(StaffClientsDocument, {})
      .then((d) => {
        const list = d.clients.edges.map((e) => e.node);
        setClients(list);
        if (list.length > 0) setClient(list[0].id);
      })
      .catch((err) => setError(failureText(err)));
  }, []);
  async function load(after: string | null) {
    if (!client) return;
    try {
      const d = await gql(QualityIndexDocument, { clientId: client, period, oblast: oblast.trim() || null, first: PAGE, after });
      const page = d.qualityIndex.edges.map((e) => e.node);
      setRows(after ? [...(rows ?? []), ...page] : page);
      setTotal(d.qualityIndex.totalCount);
      setNext(d.qualityIndex.pageInfo.hasNextPage ? (d.qualityIndex.pageInfo.endCursor ?? null) : null);
      setPeriods(d.qualityPeriods);
      setError(null);
    } catch (err) {
      setError(failureText(err));
    }
  }
  useEffect(() => {
    void load(null);
  }, [client, period]);
  const part = (p: Row["ratings"]) => (p.estimate ? `${p.estimate.value.toFixed(1)} (n = ${p.n})` : `${s.tooFew} (n = ${p.n})`);
  const choices = [...new Set([currentQuarter(), ...periods])].sort().reverse();
  return (
    <>
      <h1>{s.qualityTitle}</h1>
      <p class="hint">{s.qualityHint}</p>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          void load(null);
        }}
      >
        <div>
          <label for="qi-client">{s.client}</label>
          <select id="qi-client" value={client} onChange={(e) => setClient((e.target as HTMLSelectElement).value)}>
            {(clients ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="qi-period">{s.period}</label>
          <select id="qi-period" value={period} onChange={(e) => setPeriod((e.target as HTMLSelectElement).value)}>
            {choices.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="qi-oblast">{s.oblast}</label>
          <input id="qi-oblast" value={oblast} onInput={(e) => setOblast((e.target as HTMLInputElement).value)} />
        </div>
        <div>
          <button type="submit">{s.show}</button>
        </div>
      </form>
      <p>
        <a href={`/open-data/quality-index.csv?period=${encodeURIComponent(period)}`}>{s.openDataCsv}</a>
        {" · "}
        <a href={`/open-data/quality-index.json?period=${encodeURIComponent(period)}`}>{s.openDataJson}</a>
      </p>
      {moderates && client && (
        <p class="row">
          {(["csv", "xlsx"] as const).map((format) => (
            <button
              key={format}
              type="button"
              class="secondary"
              onClick={() =>
                download(
                  `/clients/${encodeURIComponent(client)}/feedback?period=${encodeURIComponent(period)}&format=${format}`,
                  `feedback-${period}.${format}`,
                ).catch((err) => setError(failureText(err)))
              }
            >
              {s.responsesExport(format.toUpperCase())}
            </button>
          ))}
        </p>
      )}
      {rows === null && !error && <p>{s.loading}</p>}
      {rows && (
        <>
          <p role="status">{s.shownOf(rows.length, total)}</p>
          <div class="table-wrap">
            <table>
              <caption>{s.qualityCaption(period)}</caption>
              <thead>
                <tr>
                  <th scope="col">{s.rank}</th>
                  <th scope="col">{s.venue}</th>
                  <th scope="col">{s.oblast}</th>
                  <th scope="col">{s.qualityHeadline}</th>
                  <th scope="col">{s.qualityRatings}</th>
                  <th scope="col">{s.qualityLoyalty}</th>
                  <th scope="col">{s.qualityMystery}</th>
                  <th scope="col">{s.qualityResponses}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.venueId}>
                    <td>{r.rank ? `${r.rank} / ${r.rankOf}` : "—"}</td>
                    <th scope="row">
                      <a href={`/map/centers/${encodeURIComponent(r.venueId)}?period=${encodeURIComponent(period)}`}>{r.name}</a>
                    </th>
                    <td>
                      {r.oblast}
                      {r.sizeClass ? ` · ${r.sizeClass}` : ""}
                    </td>
                    <td>
                      {r.headline
                        ? `${r.headline.value.toFixed(1)} (${r.headline.low.toFixed(1)}–${r.headline.high.toFixed(1)})`
                        : s.tooFew}
                    </td>
                    <td>{part(r.ratings)}</td>
                    <td>{part(r.loyalty)}</td>
                    <td>{part(r.mystery)}</td>
                    <td>{r.responses}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {next && (
            <button type="button" onClick={() => void load(next)}>
              {s.more}
            </button>
          )}
        </>
      )}
    </>
  );
}
