// Citizens' feedback for coordinators: the moderation queue (#/feedback) with each response's ratings, its
// comment as written beside the masked text that would be shown, the call-back contacts given with consent, and
// its risk with the reasons; publish or reject; a response held out of the index (a burst of new devices) counted
// after all when a moderator judges it genuine, or a counted one left out. And a venue's QR code (on the venue page): its link, the poster
// and the code to download, and a new code when a poster was stolen.
import { useEffect, useState } from "preact/hooks";
import { failureText, gql } from "../../common/api";
import {
  CountFeedbackDocument,
  FeedbackBurstsDocument,
  FeedbackCodeDocument,
  FeedbackResponsesDocument,
  ModerateFeedbackDocument,
  RotateFeedbackCodeDocument,
} from "./gql/operations";
import type { FeedbackBurstsQuery, FeedbackCodeQuery, FeedbackResponsesQuery, Moderation } from "./gql/operations";
import { download } from "./download";
import { dateTime, dateTimeRange, t, type Lang } from "./i18n";
import { useOutcome } from "./outcome";
import { MoreButton, usePages } from "./paging";

type Response = FeedbackResponsesQuery["feedbackResponses"]["edges"][number]["node"];
type Burst = FeedbackBurstsQuery["feedbackBursts"][number];
type Code = FeedbackCodeQuery["feedbackCode"];

export function FeedbackRoom({ lang }: { lang: Lang }) {
  const s = t(lang);
  const [moderation, setModeration] = useState<Moderation | "">("PENDING");
  const [suspicious, setSuspicious] = useState<"" | "true" | "false">("");
  // One center's responses only (picked from a burst), or every center's.
  const [center, setCenter] = useState<{ id: string; name: string } | null>(null);
  const [bursts, setBursts] = useState<Burst[] | null>(null);
  const pages = usePages<Response>(
    async (after) =>
      (
        await gql(FeedbackResponsesDocument, {
          venueId: center?.id ?? null,
          moderation: moderation || null,
          suspicious: suspicious === "" ? null : suspicious === "true",
          first: 50,
          after,
        })
      ).feedbackResponses,
    [moderation, suspicious, center?.id],
  );
  const { rows, total } = pages;
  async function load() {
    await pages.reload();
    setBursts((await gql(FeedbackBurstsDocument, {})).feedbackBursts);
  }
  const { act, outcome, setError } = useOutcome(load);
  useEffect(() => {
    gql(FeedbackBurstsDocument, {})
      .then((d) => setBursts(d.feedbackBursts))
      .catch((err) => setError(failureText(err)));
  }, []);
  const level = (v: number | null | undefined) => (v ? s.levels[v] : s.noAnswer);
  return (
    <>
      <h1>{s.feedbackTitle}</h1>
      {outcome}
      <section aria-labelledby="fb-bursts">
        <h2 id="fb-bursts">{s.burstsTitle}</h2>
        {bursts === null ? (
          <p>{s.loading}</p>
        ) : bursts.length === 0 ? (
          <p>{s.noBursts}</p>
        ) : (
          <ul>
            {bursts.map((b) => (
              <li key={`${b.venueId}-${b.from}`}>
                <strong>{b.venueName}</strong>:{" "}
                {s.burstLine(b.responses, dateTimeRange(b.from, b.to, lang), b.usualPer10Minutes, b.suspicious)}{" "}
                <button
                  type="button"
                  class="link"
                  onClick={() => {
                    setCenter({ id: b.venueId, name: b.venueName });
                    setModeration("");
                  }}
                >
                  {s.burstResponses(b.venueName)}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      {center && (
        <p class="row">
          {s.onlyCenter(center.name)}
          <button type="button" class="secondary" onClick={() => setCenter(null)}>
            {s.everyCenter}
          </button>
        </p>
      )}
      <div class="filters">
        <div>
          <label for="fb-moderation">{s.moderationState}</label>
          <select
            id="fb-moderation"
            value={moderation}
            onChange={(e) => setModeration((e.target as HTMLSelectElement).value as Moderation | "")}
          >
            <option value="">{s.anyState}</option>
            {(["PENDING", "PUBLISHED", "REJECTED", "NONE"] as Moderation[]).map((m) => (
              <option key={m} value={m}>
                {s.moderationStates[m]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="fb-suspicious">{s.riskFilter}</label>
          <select
            id="fb-suspicious"
            value={suspicious}
            onChange={(e) => setSuspicious((e.target as HTMLSelectElement).value as "" | "true" | "false")}
          >
            <option value="">{s.anyState}</option>
            <option value="false">{s.countedOnly}</option>
            <option value="true">{s.suspiciousOnly}</option>
          </select>
        </div>
      </div>
      <p role="status">{s.responsesCount(total)}</p>
      {rows?.map((r) => (
        <article key={r.id} class="response" aria-labelledby={`r-${r.id}`}>
          <h2 id={`r-${r.id}`}>
            {r.venueName} · {dateTime(r.createdAt, lang)} · {s.channels[r.channel] ?? r.channel}
          </h2>
          <p>
            {s.dimensions.map((d, i) => `${d}: ${level([r.premises, r.staff, r.waiting, r.result][i])}`).join("; ")}; {s.recommendShort}:{" "}
            {r.recommend ?? s.noAnswer}
          </p>
          {r.comment && (
            <dl>
              <dt>{s.commentAsWritten}</dt>
              <dd>{r.comment}</dd>
              <dt>{s.commentMasked}</dt>
              <dd>{r.commentMasked}</dd>
            </dl>
          )}
          {r.contactName && (
            <p>
              {s.callBack}: {r.contactName} {r.contactPhone ?? ""} {r.contactEmail ?? ""}
            </p>
          )}
          <p class={r.counted ? "hint" : "sev-WARNING"}>
            {s.risk(r.riskScore, r.counted)}
            {r.riskReasons.length > 0 && `: ${r.riskReasons.join("; ")}`}
          </p>
          <p>
            <button
              type="button"
              class="secondary"
              onClick={() =>
                void act(async () => {
                  await gql(CountFeedbackDocument, { id: r.id, counted: !r.counted });
                  return r.counted ? s.heldResponse : s.countedResponse;
                })
              }
            >
              {r.counted ? s.holdResponse(r.venueName) : s.countResponse(r.venueName)}
            </button>
          </p>
          <p>
            {s.moderationState}: {s.moderationStates[r.moderation]}
          </p>
          {r.moderation === "PENDING" && (
            <div class="row">
              <button
                type="button"
                onClick={() =>
                  void act(async () => {
                    await gql(ModerateFeedbackDocument, { id: r.id, publish: true });
                    return s.publishedComment;
                  })
                }
              >
                {s.publishComment(r.venueName)}
              </button>
              <button
                type="button"
                class="secondary"
                onClick={() =>
                  void act(async () => {
                    await gql(ModerateFeedbackDocument, { id: r.id, publish: false });
                    return s.rejectedComment;
                  })
                }
              >
                {s.rejectComment(r.venueName)}
              </button>
            </div>
          )}
        </article>
      ))}
      <MoreButton pages={pages} label={s.moreRows} />
    </>
  );
}

/** The venue page's QR section. */
export function VenueCode({ lang, venueId }: { lang: Lang; venueId: string }) {
  const s = t(lang);
  const [code, setCode] = useState<Code | null>(null);
  async function load() {
    setCode((await gql(FeedbackCodeDocument, { venueId })).feedbackCode);
  }
  const { act, outcome, setError } = useOutcome(load);
  useEffect(() => {
    load().catch((err) => setError(failureText(err)));
  }, [venueId]);
  return (
    <section aria-labelledby="venue-code">
      <h2 id="venue-code">{s.qrTitle}</h2>
      {outcome}
      {code && (
        <>
          <p>
            {s.qrLink}: <a href={code.link}>{code.link}</a> <span class="hint">({s.since(dateTime(code.createdAt, lang))})</span>
          </p>
          <div class="row">
            <button
              type="button"
              onClick={() => void act(async () => (await download(code.posterPath, "poster.svg"), s.downloaded(s.posterFile)))}
            >
              {s.downloadPoster}
            </button>
            <button
              type="button"
              class="secondary"
              onClick={() => void act(async () => (await download(code.posterPdfPath, "poster.pdf"), s.downloaded("PDF")))}
            >
              {s.downloadPosterPdf}
            </button>
            <button
              type="button"
              class="secondary"
              onClick={() => void act(async () => (await download(code.qrPngPath, "qr.png"), s.downloaded("PNG")))}
            >
              {s.downloadQr}
            </button>
            <button
              type="button"
              class="secondary"
              onClick={() =>
                void act(async () => {
                  await gql(RotateFeedbackCodeDocument, { venueId });
                  return s.rotated;
                })
              }
            >
              {s.rotateCode}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
