// The results room, for client viewers (their own client's waves; the service decides) and staff: a wave's
// approved visits summed up per oblast (chart and table), over waves (chart and table), per venue (a map
// coloured by score beside the table), per question, and the visits one by one with their answers and display
// photos; the visit-level file as CSV or XLSX. Every chart and the map have a table with the same numbers.
import { useEffect, useState } from "preact/hooks";
import { failureText, gql } from "../../common/api";
import { MapView, type MapPoint } from "../../common/map";
import { label, questions, type Definition } from "../../common/checklist";
import { ResultWavesDocument, ScoreTrendDocument, VisitForClientDocument, WaveResultsDocument } from "./gql/operations";
import type { ResultWavesQuery, ScoreTrendQuery, VisitForClientQuery, WaveResultsQuery } from "./gql/operations";
import { ScoreChart } from "./chart";
import { download } from "./download";
import { dateTime, t, type Lang, type Strings } from "./i18n";
import { ZoomablePhoto } from "./photos";
import { answerText } from "./review";

type Results = WaveResultsQuery["waveResults"];
type VisitRow = Results["approvedVisits"]["edges"][number]["node"];
type Question = Results["questions"][number];

/** Score bands for the map and the legend (colour-blind-safe blue → orange, with the number always beside it). */
const BANDS: [number, string][] = [
  [85, "#1d4ed8"],
  [70, "#60a5fa"],
  [50, "#fdba74"],
  [0, "#c2410c"],
];
const NO_SCORE = "#9ca3af";

function scoreColor(score: number | null | undefined): string {
  if (score === null || score === undefined) return NO_SCORE;
  return BANDS.find(([from]) => score >= from)?.[1] ?? NO_SCORE;
}

function score(v: number | null | undefined, s: Strings): string {
  return v === null || v === undefined ? s.noAnswer : v.toFixed(1);
}

export function Results({ lang, waveId }: { lang: Lang; waveId?: string }) {
  const s = t(lang);
  const [waves, setWaves] = useState<ResultWavesQuery["waves"]["edges"][number]["node"][] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    gql(ResultWavesDocument, {})
      .then((d) => setWaves(d.waves.edges.map((e) => e.node)))
      .catch((err) => setError(failureText(err)));
  }, []);
  return (
    <>
      <h1>{s.results}</h1>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {waves === null && !error && <p>{s.loading}</p>}
      {waves && (
        <p>
          <label for="result-wave">{s.wave}</label>
          <select
            id="result-wave"
            value={waveId ?? ""}
            onChange={(e) => (location.hash = `#/results/${(e.target as HTMLSelectElement).value}`)}
          >
            <option value="">{s.chooseWave}</option>
            {waves.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name} · {w.client.name} ({w.startsOn} – {w.endsOn})
              </option>
            ))}
          </select>
        </p>
      )}
      {waveId && <WaveResultsView key={waveId} lang={lang} waveId={waveId} />}
    </>
  );
}

function WaveResultsView({ lang, waveId }: { lang: Lang; waveId: string }) {
  const s = t(lang);
  const [results, setResults] = useState<Results | null>(null);
  const [trend, setTrend] = useState<ScoreTrendQuery["scoreTrend"] | null>(null);
  const [visits, setVisits] = useState<VisitRow[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [venueTrend, setVenueTrend] = useState<ScoreTrendQuery["scoreTrend"] | null>(null);
  // A venue picked on the map or in the table: its own score over the client's waves.
  useEffect(() => {
    setVenueTrend(null);
    if (!selected || !results) return;
    gql(ScoreTrendDocument, { clientId: results.wave.client.id, venueId: selected })
      .then((d) => setVenueTrend(d.scoreTrend))
      .catch((err) => setError(failureText(err)));
  }, [selected]);
  useEffect(() => {
    gql(WaveResultsDocument, { waveId })
      .then(async (d) => {
        setResults(d.waveResults);
        setVisits(d.waveResults.approvedVisits.edges.map((e) => e.node));
        const trendData = await gql(ScoreTrendDocument, { clientId: d.waveResults.wave.client.id });
        setTrend(trendData.scoreTrend);
      })
      .catch((err) => setError(failureText(err)));
  }, [waveId]);
  async function more() {
    if (!results) return;
    try {
      const d = await gql(WaveResultsDocument, { waveId, after: results.approvedVisits.pageInfo.endCursor });
      setResults({ ...results, approvedVisits: d.waveResults.approvedVisits });
      setVisits([...visits, ...d.waveResults.approvedVisits.edges.map((e) => e.node)]);
    } catch (err) {
      setError(failureText(err));
    }
  }
  async function save(format: "csv" | "xlsx") {
    if (!results) return;
    setError(null);
    setNotice(null);
    try {
      await download(`${results.exportPath}?format=${format}`, `results-${results.wave.name}.${format}`);
      setNotice(s.downloaded(format.toUpperCase()));
    } catch (err) {
      setError(failureText(err));
    }
  }
  if (!results)
    return error ? (
      <p role="alert" class="error">
        {error}
      </p>
    ) : (
      <p>{s.loading}</p>
    );
  const points: MapPoint[] = results.byVenue.map((v) => ({
    id: v.venueId,
    lat: v.location.lat,
    lon: v.location.lon,
    label: `${v.name}: ${score(v.meanScore, s)}`,
    color: scoreColor(v.meanScore),
  }));
  return (
    <>
      <h2>{results.wave.name}</h2>
      <p>{s.resultsSummary(results.wave.client.name, results.visits, score(results.meanScore, s))}</p>
      <div aria-live="polite">
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        {notice && <p role="status">{notice}</p>}
      </div>
      <p class="row">
        <button type="button" onClick={() => void save("xlsx")}>
          {s.download("XLSX")}
        </button>
        <button type="button" class="secondary" onClick={() => void save("csv")}>
          {s.download("CSV")}
        </button>
      </p>
      {results.visits === 0 ? (
        <p class="notice">{s.noApprovedVisits}</p>
      ) : (
        <>
          <section aria-labelledby="by-region">
            <h3 id="by-region">{s.byRegion}</h3>
            <ScoreChart
              kind="bar"
              labels={results.byRegion.map((r) => r.oblast)}
              series={[{ label: s.meanScore, values: results.byRegion.map((r) => r.meanScore ?? null), color: "#1d4ed8" }]}
              summary={s.chartSummary(s.byRegion, results.byRegion.map((r) => `${r.oblast} ${score(r.meanScore, s)}`).join(", "))}
              unavailable={s.chartUnavailable}
            />
            <div class="table-wrap" tabIndex={0}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{s.oblast}</th>
                    <th scope="col">{s.venues}</th>
                    <th scope="col">{s.approvedVisits}</th>
                    <th scope="col">{s.meanScore}</th>
                  </tr>
                </thead>
                <tbody>
                  {results.byRegion.map((r) => (
                    <tr key={r.oblast}>
                      <td>{r.oblast}</td>
                      <td>{r.venues}</td>
                      <td>{r.visits}</td>
                      <td>{score(r.meanScore, s)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          {trend && <Trend lang={lang} trend={trend} />}
          <section aria-labelledby="by-venue">
            <h3 id="by-venue">{s.byVenue}</h3>
            <div class="columns">
              <div>
                <MapView
                  labels={{ zoomIn: s.zoomIn, zoomOut: s.zoomOut, home: s.venue }}
                  unavailable={s.mapUnavailable}
                  label={s.scoreMap}
                  points={points}
                  home={null}
                  selected={selected}
                  onSelect={setSelected}
                />
                <ul class="score-legend" aria-label={s.legend}>
                  {BANDS.map(([from, color], i) => (
                    <li key={from}>
                      <span style={{ background: color }} />
                      {i === 0 ? `≥ ${from}` : `${from}–${BANDS[i - 1][0]}`}
                    </li>
                  ))}
                  <li>
                    <span style={{ background: NO_SCORE }} />
                    {s.noScore}
                  </li>
                </ul>
              </div>
              <div class="table-wrap" tabIndex={0}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{s.venue}</th>
                      <th scope="col">{s.oblast}</th>
                      <th scope="col">{s.approvedVisits}</th>
                      <th scope="col">{s.meanScore}</th>
                      <th scope="col">{s.range}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {results.byVenue.map((v) => (
                      <tr
                        key={v.venueId}
                        aria-current={selected === v.venueId ? "true" : undefined}
                        class={selected === v.venueId ? "selected" : undefined}
                      >
                        <td>
                          <button type="button" class="link" onClick={() => setSelected(v.venueId)}>
                            {v.name}
                          </button>{" "}
                          <span class="hint">
                            ({v.externalCode}, {v.city})
                          </span>
                        </td>
                        <td>{v.oblast}</td>
                        <td>{v.visits}</td>
                        <td>{score(v.meanScore, s)}</td>
                        <td>
                          {score(v.minScore, s)} – {score(v.maxScore, s)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          </section>
          {selected && venueTrend && (
            <VenueTrend lang={lang} name={results.byVenue.find((v) => v.venueId === selected)?.name ?? ""} trend={venueTrend} />
          )}
          <Questions lang={lang} questions={results.questions} />
          <section aria-labelledby="visits">
            <h3 id="visits">{s.visitsTitle(results.approvedVisits.totalCount)}</h3>
            <div class="table-wrap" tabIndex={0}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{s.venue}</th>
                    <th scope="col">{s.checkedIn}</th>
                    <th scope="col">{s.approvedAt}</th>
                    <th scope="col">{s.score}</th>
                    <th scope="col">{s.open}</th>
                  </tr>
                </thead>
                <tbody>
                  {visits.map((v) => (
                    <tr key={v.id}>
                      <td>{v.venueName}</td>
                      <td>{dateTime(v.checkedInAt, lang)}</td>
                      <td>{v.decidedAt ? dateTime(v.decidedAt, lang) : s.noAnswer}</td>
                      <td>{score(v.score, s)}</td>
                      <td>
                        <a href={`#/result/${v.id}`}>{s.openVisit(v.venueName)}</a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {results.approvedVisits.pageInfo.hasNextPage && (
              <button type="button" class="secondary" onClick={() => void more()}>
                {s.more}
              </button>
            )}
          </section>
        </>
      )}
    </>
  );
}

/** How many waves of a trend have a score: a line needs two. */
function scored(trend: ScoreTrendQuery["scoreTrend"]): number {
  return trend.filter((p) => p.meanScore != null).length;
}

function Trend({ lang, trend }: { lang: Lang; trend: ScoreTrendQuery["scoreTrend"] }) {
  const s = t(lang);
  const oblasts = [...new Set(trend.flatMap((p) => p.regions.map((r) => r.oblast)))].sort();
  const palette = ["#1d4ed8", "#c2410c", "#047857", "#7c3aed", "#be185d", "#0e7490"];
  const perOblast = oblasts.slice(0, palette.length - 1).map((o, i) => ({
    label: o,
    values: trend.map((p) => p.regions.find((r) => r.oblast === o)?.meanScore ?? null),
    color: palette[i + 1],
  }));
  return (
    <section aria-labelledby="trend">
      <h3 id="trend">{s.overWaves}</h3>
      {scored(trend) < 2 ? (
        <p class="hint">{s.trendNeedsTwo(scored(trend))}</p>
      ) : (
        <ScoreChart
          kind="line"
          labels={trend.map((p) => p.waveName)}
          series={[{ label: s.overall, values: trend.map((p) => p.meanScore ?? null), color: palette[0] }, ...perOblast]}
          summary={s.chartSummary(s.overWaves, trend.map((p) => `${p.waveName} ${score(p.meanScore, s)}`).join(", "))}
          unavailable={s.chartUnavailable}
        />
      )}
      <div class="table-wrap" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">{s.wave}</th>
              <th scope="col">{s.startsOn}</th>
              <th scope="col">{s.approvedVisits}</th>
              <th scope="col">{s.overall}</th>
              {oblasts.map((o) => (
                <th scope="col" key={o}>
                  {o}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {trend.map((p) => (
              <tr key={p.waveId}>
                <td>
                  <a href={`#/results/${p.waveId}`}>{p.waveName}</a>
                </td>
                <td>{p.startsOn}</td>
                <td>{p.visits}</td>
                <td>{score(p.meanScore, s)}</td>
                {oblasts.map((o) => (
                  <td key={o}>{score(p.regions.find((r) => r.oblast === o)?.meanScore, s)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** One venue's score over the client's waves (chart and table). */
function VenueTrend({ lang, name, trend }: { lang: Lang; name: string; trend: ScoreTrendQuery["scoreTrend"] }) {
  const s = t(lang);
  return (
    <section aria-labelledby="venue-trend">
      <h3 id="venue-trend">{s.venueOverWaves(name)}</h3>
      {scored(trend) < 2 ? (
        <p class="hint">{s.trendNeedsTwo(scored(trend))}</p>
      ) : (
        <ScoreChart
          kind="line"
          labels={trend.map((p) => p.waveName)}
          series={[{ label: name, values: trend.map((p) => p.meanScore ?? null), color: "#1d4ed8" }]}
          summary={s.chartSummary(s.venueOverWaves(name), trend.map((p) => `${p.waveName} ${score(p.meanScore, s)}`).join(", "))}
          unavailable={s.chartUnavailable}
        />
      )}
      <div class="table-wrap" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">{s.wave}</th>
              <th scope="col">{s.approvedVisits}</th>
              <th scope="col">{s.meanScore}</th>
            </tr>
          </thead>
          <tbody>
            {trend.map((p) => (
              <tr key={p.waveId}>
                <td>{p.waveName}</td>
                <td>{p.visits}</td>
                <td>{score(p.meanScore, s)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function questionResult(q: Question, s: Strings, lang: Lang): preact.ComponentChildren {
  const bar = (value: number) => <span class="bar" style={{ width: `${Math.max(2, value * 0.8)}px` }} aria-hidden="true" />;
  if (q.type === "YES_NO" && q.yesShare !== null && q.yesShare !== undefined)
    return (
      <>
        {bar(q.yesShare)}
        {s.yesShare(q.yesShare.toFixed(1))}
      </>
    );
  if (q.options.length)
    return (
      <ul class="plain">
        {q.options.map((o) => (
          <li key={o.code}>
            {(lang === "en" && o.labelEn) || o.label}: {o.count}
          </li>
        ))}
      </ul>
    );
  if (q.meanValue !== null && q.meanValue !== undefined) return s.meanValue(q.meanValue.toFixed(2));
  return s.noAnswer;
}

function Questions({ lang, questions: list }: { lang: Lang; questions: Question[] }) {
  const s = t(lang);
  return (
    <section aria-labelledby="by-question">
      <h3 id="by-question">{s.byQuestion}</h3>
      <div class="table-wrap" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">{s.question}</th>
              <th scope="col">{s.shownAnswered}</th>
              <th scope="col">{s.na}</th>
              <th scope="col">{s.meanScore}</th>
              <th scope="col">{s.answers}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((q) => (
              <tr key={q.code}>
                <td>
                  {(lang === "en" && q.titleEn) || q.title} <span class="hint">({q.code})</span>
                </td>
                <td>
                  {q.answered} / {q.shown}
                </td>
                <td>{q.notApplicable}</td>
                <td>{score(q.meanScore, s)}</td>
                <td>{questionResult(q, s, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** One approved visit as the client reads it: answers and display photos (no shopper, no originals). */
export function ResultVisit({ lang, id }: { lang: Lang; id: string }) {
  const s = t(lang);
  const [visit, setVisit] = useState<VisitForClientQuery["visit"] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    gql(VisitForClientDocument, { id })
      .then((d) => setVisit(d.visit))
      .catch((err) => setError(failureText(err)));
  }, [id]);
  if (!visit)
    return error ? (
      <p role="alert" class="error">
        {error}
      </p>
    ) : (
      <p>{s.loading}</p>
    );
  const def = (visit.brief.checklist.definition ?? { sections: [] }) as Definition;
  const answers = (visit.answers ?? {}) as Record<string, unknown>;
  return (
    <>
      <p>
        <a href={`#/results/${visit.waveId}`}>{s.backToResults}</a>
      </p>
      <h1>
        {visit.venueName} · {visit.waveName}
      </h1>
      <p>
        {s.checkedIn}: {dateTime(visit.checkedInAt, lang)} · {s.score}: {score(visit.score, s)}
        {visit.durationMinutes !== null && visit.durationMinutes !== undefined && ` · ${s.duration}: ${Math.round(visit.durationMinutes)}`}
      </p>
      <h2>{s.answers}</h2>
      <div class="table-wrap" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">{s.question}</th>
              <th scope="col">{s.answer}</th>
            </tr>
          </thead>
          <tbody>
            {questions(def).map((q) => (
              <tr key={q.code}>
                <td>{label(q.title, lang)}</td>
                <td>{answerText(answers[q.code], s, def, q.code, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{s.photos}</h2>
      {visit.photos.length === 0 && <p>{s.noPhotos}</p>}
      <ul class="gallery">
        {visit.photos.map((p, i) => {
          const what = p.questionCode ? s.photoOf(p.questionCode) : s.photos;
          return (
            <li key={p.id}>
              <ZoomablePhoto thumbnailUrl={p.thumbnailUrl} displayUrl={p.displayUrl} alt={`${i + 1}. ${what}`} labels={s} />
              <p>
                {i + 1}. {what}
              </p>
            </li>
          );
        })}
      </ul>
    </>
  );
}
