// The review room: the queue with its filters, and one visit with everything a reviewer judges it by (answers
// and score against its questionnaire, photos with their evidence, a map of the geofence with the check-in,
// check-out and photo positions beside a table of the same, flags, the shopper's signals, history), then
// approve, reject with a reason, or return with per-question comments. j/k move through the queue.
import { useEffect, useRef, useState } from "preact/hooks";
import { failureText, gql, GraphQLFailure } from "../../common/api";
import { distanceM } from "../../common/geo";
import { MapView, type MapPoint } from "../../common/map";
import { isNa, label, questions, type Definition } from "../../common/checklist";
import { ReviewQueueDocument, ReviewVisitDocument, ReviewWavesDocument, VisitForReviewDocument } from "./gql/operations";
import type { FlagCode, ReviewQueueQuery, ReviewWavesQuery, VisitForReviewQuery, VisitState } from "./gql/operations";
import { FilterForm, useFilters } from "./filters";
import { dateTime, money, t, type Lang, type Strings } from "./i18n";
import { ZoomablePhoto } from "./photos";
import { MoreButton, usePages } from "./paging";
import { render } from "../../common/messages";

type Row = ReviewQueueQuery["reviewQueue"]["edges"][number]["node"];
type Visit = VisitForReviewQuery["visit"];

const FLAGS: FlagCode[] = [
  "OUTSIDE_GEOFENCE",
  "LOW_GPS_ACCURACY",
  "MOCK_LOCATION",
  "OUTSIDE_VISITING_WINDOW",
  "DEVICE_TIME_GAP",
  "PHOTO_GPS_MISSING",
  "PHOTO_GPS_OUTSIDE",
  "PHOTO_TIME_MISSING",
  "PHOTO_TIME_OUTSIDE",
  "DUPLICATE_PHOTO",
  "NEAR_DUPLICATE_PHOTO",
  "TOO_SHORT",
  "TOO_LONG",
  "IMPOSSIBLE_TRAVEL",
  "LATE_SUBMISSION",
  "CONFLICT_OF_INTEREST",
  "COOL_OFF_BREACHED",
  "CAPTURE_MISMATCH",
  "CAPTURE_BEFORE_TOKEN",
];
/** A flag's name in the reader's language (the catalogue's `flag-name`). */
function flagName(lang: Lang, code: FlagCode): string {
  return render(lang, { code: "flag-name", params: { code } }) ?? code;
}

const STATES: VisitState[] = ["SUBMITTED", "RETURNED", "APPROVED", "REJECTED", "IN_PROGRESS"];
/** The queue last shown, so a visit page can go to the next and previous one. */
const QUEUE_KEY = "fieldwork.console.queue";
/** Visits a page of the queue shows. */
const PAGE = 50;

export function Queue({ lang }: { lang: Lang }) {
  const s = t(lang);
  const { filters, applied, set, apply } = useFilters({ waveId: "", oblast: "", flag: "", minAgeHours: "", state: "SUBMITTED" });
  const [waves, setWaves] = useState<ReviewWavesQuery["waves"]["edges"][number]["node"][]>([]);
  useEffect(() => {
    gql(ReviewWavesDocument, {})
      .then((d) => setWaves(d.waves.edges.map((e) => e.node)))
      .catch(() => setWaves([]));
  }, []);
  const pages = usePages<Row>(
    async (after) =>
      (
        await gql(ReviewQueueDocument, {
          waveId: applied.waveId || null,
          oblast: applied.oblast.trim() || null,
          flag: (applied.flag || null) as FlagCode | null,
          minAgeHours: applied.minAgeHours ? Number(applied.minAgeHours) : null,
          state: applied.state as VisitState,
          first: PAGE,
          after,
        })
      ).reviewQueue,
    [applied],
  );
  const { rows, total, error } = pages;
  useEffect(() => {
    if (rows) sessionStorage.setItem(QUEUE_KEY, JSON.stringify(rows.map((r) => r.id)));
  }, [rows]);
  return (
    <>
      <h1>{s.review}</h1>
      <FilterForm label={s.filters} button={s.apply} apply={apply}>
        <div>
          <label for="f-wave">{s.wave}</label>
          <select id="f-wave" value={filters.waveId} onChange={set("waveId")}>
            <option value="">{s.anyWave}</option>
            {waves.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="f-oblast">{s.oblast}</label>
          <input id="f-oblast" value={filters.oblast} onInput={set("oblast")} />
        </div>
        <div>
          <label for="f-flag">{s.flag}</label>
          <select id="f-flag" value={filters.flag} onChange={set("flag")}>
            <option value="">{s.anyFlag}</option>
            {FLAGS.map((f) => (
              <option key={f} value={f}>
                {flagName(lang, f)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="f-age">{s.minAge}</label>
          <input id="f-age" inputMode="numeric" value={filters.minAgeHours} onInput={set("minAgeHours")} />
        </div>
        <div>
          <label for="f-state">{s.state}</label>
          <select id="f-state" value={filters.state} onChange={set("state")}>
            {STATES.map((st) => (
              <option key={st} value={st}>
                {s.visitStates[st] ?? st}
              </option>
            ))}
          </select>
        </div>
      </FilterForm>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {rows === null && !error && <p>{s.loading}</p>}
      {rows && <p role="status">{s.queueCount(total)}</p>}
      {rows && rows.length === 0 && <p>{s.emptyQueue}</p>}
      {rows && rows.length > 0 && (
        <div class="table-wrap" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{s.venue}</th>
                <th scope="col">{s.wave}</th>
                <th scope="col">{s.submitted}</th>
                <th scope="col">{s.score}</th>
                <th scope="col">{s.flags}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    <a href={`#/visit/${r.id}`}>{r.venueName}</a>
                  </td>
                  <td>{r.waveName}</td>
                  <td>{r.submittedAt ? dateTime(r.submittedAt, lang) : ""}</td>
                  <td>{r.score === null ? "" : r.score.toFixed(1)}</td>
                  <td>
                    {r.flags.map((f) => (
                      <span key={f.code} class={`sev-${f.severity}`}>
                        {flagName(lang, f.code)}{" "}
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <MoreButton pages={pages} label={s.moreRows} />
    </>
  );
}

interface Position extends MapPoint {
  accuracyM: number | null;
  at: string | null;
}

function positions(visit: Visit, s: Strings): Position[] {
  const out: Position[] = [];
  visit.checkInAttempts.forEach((a, i) =>
    out.push({
      id: `checkin-${i + 1}`,
      label: s.checkInPoint(i + 1, a.verdict?.passed ?? false),
      ...a.position,
      accuracyM: a.accuracyM,
      at: a.deviceTime,
    }),
  );
  if (visit.checkOut)
    out.push({
      id: "checkout",
      label: s.checkOutPoint,
      ...visit.checkOut.position,
      accuracyM: visit.checkOut.accuracyM,
      at: visit.checkOut.deviceTime,
    });
  visit.photos.forEach((p, i) => {
    if (p.capture)
      out.push({
        id: `capture-${i + 1}`,
        label: s.capturePoint(i + 1),
        ...p.capture.position,
        accuracyM: p.capture.accuracyM,
        at: p.capture.takenAt,
      });
    if (p.exif?.position)
      out.push({ id: `exif-${i + 1}`, label: s.exifPoint(i + 1), ...p.exif.position, accuracyM: null, at: p.exif.takenAt });
  });
  return out;
}

/** An answer in words, against the visit's own questionnaire (the results room shows answers the same way). */
export function answerText(answer: unknown, s: Strings, def: Definition, code: string, lang: Lang): string {
  if (answer === undefined || answer === null) return s.noAnswer;
  if (isNa(answer)) return s.na;
  if (answer === true) return s.yes;
  if (answer === false) return s.no;
  const q = questions(def).find((x) => x.code === code);
  const option = (c: unknown) => label(q?.options?.find((o) => o.code === c)?.label, lang) || String(c);
  if (Array.isArray(answer)) return answer.map(option).join(", ");
  if (typeof answer === "object" && "photos" in (answer as object))
    return `${(answer as { photos: number }).photos} ${s.photos.toLowerCase()}`;
  if (q?.options) return option(answer);
  return String(answer);
}

export function VisitReview({ lang, id }: { lang: Lang; id: string }) {
  const s = t(lang);
  const [visit, setVisit] = useState<Visit | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [comments, setComments] = useState<Record<string, string>>({});
  const [rejectReason, setRejectReason] = useState("");
  const [returnReason, setReturnReason] = useState("");
  const [outcome, setOutcome] = useState<string | null>(null);
  const approveRef = useRef<HTMLButtonElement>(null);
  async function load() {
    try {
      setVisit((await gql(VisitForReviewDocument, { id })).visit);
    } catch (err) {
      setError(failureText(err));
    }
  }
  useEffect(() => {
    void load();
  }, [id]);
  const queue: string[] = JSON.parse(sessionStorage.getItem(QUEUE_KEY) ?? "[]");
  const at = queue.indexOf(id);
  const next = at >= 0 ? queue[at + 1] : undefined;
  const previous = at > 0 ? queue[at - 1] : undefined;
  useEffect(() => {
    function key(e: KeyboardEvent) {
      const target = e.target as HTMLElement;
      if (e.ctrlKey || e.metaKey || e.altKey || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) return;
      if (e.key === "j" && next) location.hash = `#/visit/${next}`;
      else if (e.key === "k" && previous) location.hash = `#/visit/${previous}`;
      else if (e.key === "a") approveRef.current?.focus();
      else if (e.key === "r") document.getElementById("reject-reason")?.focus();
      else if (e.key === "t") document.getElementById("return-reason")?.focus();
      else return;
      e.preventDefault();
    }
    addEventListener("keydown", key);
    return () => removeEventListener("keydown", key);
  }, [next, previous]);
  async function decide(decision: "APPROVE" | "REJECT" | "RETURN") {
    setError(null);
    const reason = decision === "REJECT" ? rejectReason : decision === "RETURN" ? returnReason : null;
    if (decision !== "APPROVE" && !reason?.trim()) {
      setError(`${decision === "REJECT" ? s.rejectReason : s.returnReason}: ${s.errorRequired}`);
      return;
    }
    const list = Object.entries(comments)
      .filter(([, c]) => c.trim())
      .map(([questionCode, comment]) => ({ questionCode, comment }));
    try {
      const done = await gql(ReviewVisitDocument, {
        visitId: id,
        decision,
        reason,
        comments: decision === "RETURN" ? list : null,
      });
      setOutcome(s.decided(s.visitStates[done.reviewVisit.state] ?? done.reviewVisit.state));
      await load();
    } catch (err) {
      // Another reviewer decided first (or the visit changed): said so, with the service's words, and the visit
      // as it is now. Anything else (a missing reason…): the service's words.
      const conflict = err instanceof GraphQLFailure && err.errors.some((e) => e.code === "CONFLICT");
      setError(conflict ? `${s.decidedElsewhere} (${failureText(err)})` : failureText(err));
      if (conflict) await load();
    }
  }
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
  const places = positions(visit, s);
  const venue = visit.venueLocation;
  return (
    <>
      <p class="row">
        <a href="#/review">{s.backToQueue}</a>
        {previous && <a href={`#/visit/${previous}`}>{s.previous}</a>}
        {next && <a href={`#/visit/${next}`}>{s.next}</a>}
      </p>
      <h1>{visit.venueName}</h1>
      <p class="hint">{s.shortcuts}</p>
      <dl>
        <dt>{s.wave}</dt>
        <dd>{visit.waveName}</dd>
        <dt>{s.state}</dt>
        <dd>{s.visitStates[visit.state] ?? visit.state}</dd>
        <dt>{s.shopper}</dt>
        <dd>{visit.shopperId && <a href={`#/shopper/${visit.shopperId}`}>{visit.shopperName || s.noAnswer}</a>}</dd>
        <dt>{s.checkedIn}</dt>
        <dd>{dateTime(visit.checkedInAt, lang)}</dd>
        <dt>{s.duration}</dt>
        <dd>{visit.durationMinutes?.toFixed(0) ?? s.noAnswer}</dd>
        <dt>{s.score}</dt>
        <dd>{visit.score?.toFixed(1) ?? s.noAnswer}</dd>
      </dl>
      <h2>{s.flags}</h2>
      <ul>
        {visit.flags.map((f) => (
          <li key={f.code + f.message}>
            <span class={`sev-${f.severity}`}>{s.severities[f.severity] ?? f.severity}</span> {flagName(lang, f.code)}: {f.message}
            {f.otherVisitId && (
              <>
                {" "}
                (<a href={`#/visit/${f.otherVisitId}`}>{s.otherVisit}</a>)
              </>
            )}
          </li>
        ))}
      </ul>
      {visit.shopperSignals.length > 0 && (
        <>
          <h2>{s.signals}</h2>
          <ul>
            {visit.shopperSignals.map((x) => (
              <li key={x.code + x.message}>{x.message}</li>
            ))}
          </ul>
        </>
      )}
      <div class="columns">
        <section>
          <h2>{s.answers}</h2>
          <div class="table-wrap" tabIndex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{s.question}</th>
                  <th scope="col">{s.answer}</th>
                  <th scope="col">{s.comment}</th>
                </tr>
              </thead>
              <tbody>
                {questions(def).map((q) => (
                  <tr key={q.code}>
                    <td>
                      {label(q.title, lang)} <span class="hint">({q.code})</span>
                    </td>
                    <td>{answerText(answers[q.code], s, def, q.code, lang)}</td>
                    <td>
                      <label class="visually-hidden" for={`comment-${q.code}`}>
                        {s.comment}: {q.code}
                      </label>
                      <input
                        id={`comment-${q.code}`}
                        value={comments[q.code] ?? ""}
                        onInput={(e) => setComments({ ...comments, [q.code]: (e.target as HTMLInputElement).value })}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        <section>
          <h2>{s.positions}</h2>
          <MapView
            labels={{ zoomIn: s.zoomIn, zoomOut: s.zoomOut, home: s.geofence }}
            unavailable={s.mapUnavailable}
            label={s.mapLabel}
            points={places}
            home={{ lat: venue.lat, lon: venue.lon, radiusKm: visit.geofenceM / 1000 }}
          />
          <div class="table-wrap" tabIndex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{s.what}</th>
                  <th scope="col">{s.distance}</th>
                  <th scope="col">{s.accuracy}</th>
                  <th scope="col">{s.time}</th>
                </tr>
              </thead>
              <tbody>
                {places.map((p) => (
                  <tr key={p.id}>
                    <td>{p.label}</td>
                    <td>{Math.round(distanceM(venue, p))}</td>
                    <td>{p.accuracyM === null ? s.noAnswer : Math.round(p.accuracyM)}</td>
                    <td>{p.at ? dateTime(p.at, lang) : s.noAnswer}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      </div>
      <h2>{s.photos}</h2>
      <ul class="gallery">
        {visit.photos.map((p, i) => {
          const what = p.questionCode ? s.photoOf(p.questionCode) : s.receipt(money(p.receiptKopiykas ?? 0, lang));
          return (
            <li key={p.id}>
              <ZoomablePhoto thumbnailUrl={p.thumbnailUrl} displayUrl={p.displayUrl} alt={`${i + 1}. ${what}`} labels={s} />
              <p>
                {i + 1}. {what} · {p.source === "LIVE_CAMERA" ? s.liveCamera : s.gallery}
              </p>
              <p class="hint">
                {s.place}: {s.verdicts[p.gpsVerdict] ?? p.gpsVerdict}
                {p.gpsNote ? ` (${p.gpsNote})` : ""}; {s.time}: {s.verdicts[p.timeVerdict] ?? p.timeVerdict} ({p.timeNote})
              </p>
              {p.originalUrl && (
                <a href={p.originalUrl} target="_blank" rel="noopener">
                  {s.original}
                </a>
              )}
            </li>
          );
        })}
      </ul>
      <h2>{s.history}</h2>
      <ul>
        {visit.history.map((h) => (
          <li key={h.at + h.action}>
            {dateTime(h.at, lang)}: {s.actions[h.action] ?? h.action}
            {h.reason ? ` — ${h.reason}` : ""}
            {h.comments.map((c) => ` [${c.questionCode}: ${c.comment}]`).join("")}
          </li>
        ))}
      </ul>
      <section class="decision" aria-labelledby="decide">
        <h2 id="decide">{s.decide}</h2>
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        {outcome && <p role="status">{outcome}</p>}
        <button type="button" ref={approveRef} onClick={() => void decide("APPROVE")}>
          {s.approve}
        </button>
        <label for="reject-reason">{s.rejectReason}</label>
        <textarea id="reject-reason" value={rejectReason} onInput={(e) => setRejectReason((e.target as HTMLTextAreaElement).value)} />
        <button type="button" class="secondary" onClick={() => void decide("REJECT")}>
          {s.reject}
        </button>
        <label for="return-reason">{s.returnReason}</label>
        <textarea id="return-reason" value={returnReason} onInput={(e) => setReturnReason((e.target as HTMLTextAreaElement).value)} />
        <button type="button" class="secondary" onClick={() => void decide("RETURN")}>
          {s.returnVisit}
        </button>
      </section>
    </>
  );
}
