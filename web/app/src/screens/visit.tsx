// The visit, on the phone: check-in with the device position (and what the wave does with a poor one), the
// checklist from its definition, photos through the app's camera (or the gallery where the wave allows it), the
// receipt, check-out, a review and the submission. Everything is kept on the phone first and goes through the
// outbox, so the network may come and go at any step. A returned visit opens here too, with the reviewer's
// comments beside the questions, to be fixed and sent again.
import { useEffect, useRef, useState } from "preact/hooks";
import { Camera, checkPicked, type Picture } from "../camera";
import {
  hiddenAnswers,
  isNa,
  isVisible,
  label,
  missing,
  NA,
  progress,
  type Answers,
  type Definition,
  type Question,
} from "../../../common/checklist";
import { deviceId, distanceM, position, type Fix } from "../geo";
import type { MyVisitsQuery } from "../gql/operations";
import { kopiykasOf } from "../../../common/format";
import { money, t, type Lang } from "../i18n";
import {
  dismissNote,
  enqueue,
  enqueueAnswers,
  isWaiting,
  localVisit,
  prepareCamera,
  saveVisit,
  syncVisit,
  takeToken,
  updateVisit,
  type LocalPhoto,
  type LocalVisit,
  type QueuedOperation,
  type VisitNote,
} from "../queue";
import { render } from "../../../common/messages";
import { go, Screen } from "../ui";
import type { MyTask } from "./tasks";

export type ServerVisit = MyVisitsQuery["myVisits"]["edges"][number]["node"];
/** A photo the server holds, as the screen shows it (a returned visit's copy has no thumbnail link). */
type ServerPhotoView = { id: string; questionCode: string | null; kind: string; receiptKopiykas: number | null; thumbnailUrl?: string };

/** What the visit screen needs, from a task (a new or ongoing visit) or from a returned visit. */
export interface VisitContext {
  taskId: string;
  venueName: string;
  venue?: { lat: number; lon: number; geofenceM: number };
  definition: Definition;
  liveCaptureQuestions: string[];
  maxAccuracyM?: number;
  failedCheckinBlocks?: boolean;
  minMinutes?: number;
  /** A returned visit: the server's copy (answers, photos, the reviewer's comments). */
  returned?: ServerVisit;
}

export function contextOfTask(task: MyTask): VisitContext {
  const rules = task.brief.visitRules;
  return {
    taskId: task.id,
    venueName: task.venue.name,
    venue: { ...task.venue.location, geofenceM: task.venue.geofenceM },
    definition: task.brief.checklist.definition as Definition,
    liveCaptureQuestions: rules.liveCaptureQuestions,
    maxAccuracyM: rules.maxAccuracyM,
    failedCheckinBlocks: rules.failedCheckinBlocks,
    minMinutes: rules.minMinutes,
  };
}

export function contextOfReturned(visit: ServerVisit): VisitContext {
  return {
    taskId: visit.taskId,
    venueName: visit.venueName,
    definition: visit.brief.checklist.definition as Definition,
    liveCaptureQuestions: visit.brief.visitRules.liveCaptureQuestions,
    returned: visit,
  };
}

export function VisitScreen({ lang, ctx, outbox, kick }: { lang: Lang; ctx: VisitContext; outbox: QueuedOperation[]; kick: () => void }) {
  const s = t(lang);
  const [visit, setVisit] = useState<LocalVisit | null | undefined>(undefined);
  const [camera, setCamera] = useState<{ questionCode: string | null; receiptKopiykas?: number } | null>(null);
  const loaded = useRef(false);
  // Opening the visit: the phone's record at once, then the server's copy (the truth, see converge.ts), so a
  // visit refused, changed, or started on another phone shows as the server holds it. Offline, the phone's
  // record stands (or the returned visit's copy it was opened from).
  useEffect(() => {
    let live = true;
    loaded.current = false;
    void (async () => {
      let v = await localVisit(ctx.taskId);
      if (live && v) setVisit(v);
      try {
        v = (await syncVisit(ctx.taskId, ctx.venueName)) ?? undefined;
      } catch {
        if (ctx.returned) v = await fromReturned(ctx.returned, v);
      }
      if (!live) return;
      loaded.current = true;
      setVisit(v ?? null);
      if (v?.visitId) await prepareCamera(ctx.taskId);
    })();
    return () => {
      live = false;
    };
  }, [ctx.taskId]);
  // Whenever the outbox moves (an item sent or refused), the record as the outbox left it.
  useEffect(() => {
    if (loaded.current) void localVisit(ctx.taskId).then((v) => setVisit(v ?? null));
  }, [outbox]);
  if (visit === undefined) return <Screen title={ctx.venueName}>{<p>{s.loading}</p>}</Screen>;
  if (visit === null || (!visit.visitId && (visit.checkInRefused || (visit.checkIn && !visit.checkIn.accepted)))) {
    return (
      <CheckIn lang={lang} ctx={ctx} refused={visit?.checkIn ?? undefined} refusal={visit?.checkInRefused} kick={kick} onDone={setVisit} />
    );
  }
  const def = ctx.definition;
  const serverPhotos = visit.serverPhotos ?? ctx.returned?.photos ?? [];
  const notesAt = (place: string) => (visit.notes ?? []).filter((n) => n.place === place);
  const dismiss = (id: string) => void dismissNote(ctx.taskId, id).then((v) => v && setVisit(v));
  const photoCount = (code: string) =>
    serverPhotos.filter((p) => p.questionCode === code).length + visit.photos.filter((p) => p.questionCode === code).length;
  async function answer(code: string, value: unknown) {
    // Computed on the stored record (not this render's copy), so quick answers in a row all count.
    const delta: Answers = {};
    let notes: VisitNote[] = [];
    const next = await updateVisit(ctx.taskId, (v) => {
      const answers: Answers = { ...v.answers };
      if (value === undefined) delete answers[code];
      else answers[code] = value;
      delta[code] = value ?? null;
      notes = (v.notes ?? []).filter((n) => n.place !== code);
      // Answers an earlier answer now hides go too (the server refuses answers to hidden questions).
      for (const hidden of hiddenAnswers(def, answers)) {
        delete answers[hidden];
        delta[hidden] = null;
      }
      return { ...v, answers, notes };
    });
    if (!next) return;
    setVisit(next);
    await enqueueAnswers(ctx.taskId, delta);
    kick();
  }
  /** A file from the gallery the phone's own check refused: said beside its question, nothing is queued. */
  async function notAdded(place: string, message: VisitNote["message"]) {
    const note: VisitNote = { id: crypto.randomUUID(), place, operation: "pick", message, text: message?.code ?? "" };
    const next = await updateVisit(ctx.taskId, (v) => ({ ...v, notes: [...(v.notes ?? []).filter((n) => n.place !== place), note] }));
    if (next) setVisit(next);
  }
  /** A photo from the app's camera comes with its `fix` (a LIVE_CAMERA photo); one from the gallery without. */
  async function addPhoto(picture: Picture, fix: Fix | null, questionCode: string | null, receiptKopiykas?: number) {
    const clientId = crypto.randomUUID();
    const photo: LocalPhoto = { clientId, questionCode, receiptKopiykas, thumbnail: picture.thumbnail };
    const variables: Record<string, unknown> = { clientId, questionCode, source: fix ? "LIVE_CAMERA" : "GALLERY" };
    if (receiptKopiykas !== undefined) variables.receiptKopiykas = receiptKopiykas;
    if (fix) {
      // A token the phone holds now (asked for at check-in); without one, the outbox gets it before sending.
      const token = await takeToken(ctx.taskId);
      variables.capture = { token, lat: fix.lat, lon: fix.lon, accuracyM: fix.accuracyM, deviceTime: fix.at };
    }
    await enqueue({ operation: "uploadVisitPhoto", variables, taskId: ctx.taskId, file: picture.blob });
    const place = questionCode ?? "receipt";
    const next = await updateVisit(ctx.taskId, (v) => ({
      ...v,
      photos: [...v.photos, photo],
      notes: (v.notes ?? []).filter((n) => n.place !== place),
    }));
    if (next) setVisit(next);
    kick();
  }
  const [done, total] = progress(def, visit.answers, photoCount);
  const lastReturn = [...(ctx.returned?.history ?? [])].reverse().find((h) => h.action === "RETURN");
  const comments = new Map((lastReturn?.comments ?? []).map((c) => [c.questionCode, c.comment]));
  return (
    <Screen title={ctx.venueName}>
      {camera && (
        <Camera
          lang={lang}
          onClose={() => setCamera(null)}
          onShot={async (shot) => {
            await addPhoto(shot, shot.fix, camera.questionCode, camera.receiptKopiykas);
            setCamera(null);
          }}
        />
      )}
      {visit.returned ? (
        <div class="notice">
          <p>{s.returnedNotice}</p>
          {lastReturn?.reason && (
            <p>
              {s.reviewerSays}: {lastReturn.reason}
            </p>
          )}
        </div>
      ) : (
        <CheckInSummary lang={lang} visit={visit} />
      )}
      <p>
        <label for="progress">{s.progress(done, total)}</label>
        <progress id="progress" max={total} value={done} />
      </p>
      {def.sections.map((section) => (
        <fieldset key={section.code} class="section">
          <legend>{label(section.title, lang)}</legend>
          {section.questions
            .filter((q) => isVisible(def, q.code, visit.answers))
            .map((q) => (
              <QuestionView
                key={q.code}
                lang={lang}
                q={q}
                value={visit.answers[q.code]}
                comment={comments.get(q.code)}
                photos={visit.photos.filter((p) => p.questionCode === q.code)}
                serverPhotos={serverPhotos.filter((p) => p.questionCode === q.code)}
                notes={notesAt(q.code)}
                onDismiss={dismiss}
                galleryAllowed={!ctx.liveCaptureQuestions.includes(q.code)}
                disabled={!!visit.submittedAt}
                onAnswer={(v) => void answer(q.code, v)}
                onCamera={() => setCamera({ questionCode: q.code })}
                onGallery={(picture) => void addPhoto(picture, null, q.code)}
                onNotAdded={(message) => void notAdded(q.code, message)}
              />
            ))}
        </fieldset>
      ))}
      <Receipt
        lang={lang}
        photos={visit.photos.filter((p) => p.receiptKopiykas !== undefined)}
        serverPhotos={serverPhotos.filter((p) => p.kind === "RECEIPT")}
        notes={notesAt("receipt")}
        onDismiss={dismiss}
        onNotAdded={(message) => void notAdded("receipt", message)}
        disabled={!!visit.submittedAt}
        onCamera={(amount) => setCamera({ questionCode: null, receiptKopiykas: amount })}
        onGallery={(picture, amount) => void addPhoto(picture, null, null, amount)}
      />
      <Finish
        lang={lang}
        ctx={ctx}
        visit={visit}
        missingQuestions={missing(def, visit.answers, photoCount)}
        notes={[...notesAt("checkOut"), ...notesAt("submit")]}
        onDismiss={dismiss}
        setVisit={setVisit}
        kick={kick}
      />
    </Screen>
  );
}

/**
 * A returned visit opened offline: the copy it was opened from (the list of my visits), unless this phone
 * already works on that very return.
 */
async function fromReturned(r: ServerVisit, v: LocalVisit | undefined): Promise<LocalVisit> {
  const returnedAt = [...r.history].reverse().find((h) => h.action === "RETURN")?.at;
  if (v && v.visitId === r.id && v.returnedAt === returnedAt) return v;
  const fresh: LocalVisit = {
    taskId: r.taskId,
    visitId: r.id,
    venueName: r.venueName,
    checkInClientId: "",
    checkedInAt: r.checkedInAt,
    answers: (r.answers ?? {}) as Answers,
    photos: [],
    tokens: v?.visitId === r.id ? v.tokens : [],
    checkedOutAt: r.checkedInAt,
    returned: true,
    returnedAt,
  };
  await saveVisit(fresh);
  return fresh;
}

/** A note's words in the reader's language (the server's own words until the catalogue has arrived). */
function noteText(lang: Lang, note: VisitNote): string {
  return (note.message && render(lang, note.message)) ?? note.text;
}

/** Why something was refused, where it happened, with a button to put the note away. */
function Notes({ lang, notes, onDismiss }: { lang: Lang; notes: VisitNote[]; onDismiss: (id: string) => void }) {
  const s = t(lang);
  if (!notes.length) return null;
  return (
    <>
      {notes.map((n) => (
        <div class="error-box" role="alert" key={n.id} data-testid="visit-note">
          <p>
            {n.operation === "pick" ? s.notAdded : s.refusedHere(s.operationNames[n.operation] ?? n.operation)}: {noteText(lang, n)}
          </p>
          <button type="button" class="secondary" onClick={() => onDismiss(n.id)}>
            {s.understood}
          </button>
        </div>
      ))}
    </>
  );
}

function CheckIn(props: {
  lang: Lang;
  ctx: VisitContext;
  refused?: LocalVisit["checkIn"];
  /** The check-in was refused outright (not judged). */
  refusal?: VisitNote;
  kick: () => void;
  onDone: (v: LocalVisit) => void;
}) {
  const { lang, ctx } = props;
  const s = t(lang);
  const [fix, setFix] = useState<Fix | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const distance = fix && ctx.venue ? distanceM(fix, ctx.venue) : null;
  const tooFar = distance !== null && ctx.venue ? distance > ctx.venue.geofenceM : false;
  const tooVague = fix && ctx.maxAccuracyM ? fix.accuracyM > ctx.maxAccuracyM : false;
  async function locate() {
    setBusy(true);
    setError(null);
    try {
      setFix(await position());
    } catch {
      setError(s.positionNeeded);
    } finally {
      setBusy(false);
    }
  }
  async function checkIn() {
    // One check-in per tap: a second tap while the first is being queued, or one already waiting, adds nothing.
    if (!fix || busy) return;
    setBusy(true);
    if (await isWaiting(ctx.taskId, "checkIn")) {
      const v = await localVisit(ctx.taskId);
      if (v) props.onDone(v);
      return;
    }
    const clientId = crypto.randomUUID();
    const v: LocalVisit = {
      taskId: ctx.taskId,
      venueName: ctx.venueName,
      checkInClientId: clientId,
      checkedInAt: new Date().toISOString(),
      answers: {},
      photos: [],
      tokens: [],
    };
    await saveVisit(v);
    await enqueue({
      operation: "checkIn",
      taskId: ctx.taskId,
      variables: {
        input: {
          taskId: ctx.taskId,
          clientId,
          lat: fix.lat,
          lon: fix.lon,
          accuracyM: fix.accuracyM,
          deviceTime: v.checkedInAt,
          deviceId: deviceId(),
        },
      },
    });
    props.onDone(v);
    props.kick();
  }
  return (
    <Screen title={ctx.venueName}>
      <h2>{s.checkInTitle}</h2>
      {props.refusal && (
        <div role="alert" class="error-box">
          <p>
            {s.checkInRefused} {noteText(lang, props.refusal)}
          </p>
        </div>
      )}
      {props.refused && !props.refusal && (
        <div role="alert" class="error-box">
          <p>{s.checkInRefused}</p>
          <ul>
            {(props.refused.attempt.verdict?.reasons ?? []).map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </div>
      )}
      <p>{s.checkInHelp}</p>
      <button type="button" class="secondary" disabled={busy} onClick={() => void locate()}>
        {s.locate}
      </button>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {fix && (
        <div aria-live="polite">
          <p>
            {distance !== null && s.distance(Math.round(distance), ctx.venue!.geofenceM)} {s.accuracy(Math.round(fix.accuracyM))}
          </p>
          {(tooFar || tooVague) && (
            <p class="notice">
              {tooFar && s.tooFar} {tooVague && s.tooVague(ctx.maxAccuracyM!)} {ctx.failedCheckinBlocks ? s.waveBlocks : s.waveFlags}
            </p>
          )}
          <button type="button" disabled={busy} onClick={() => void checkIn()}>
            {s.checkIn}
          </button>
        </div>
      )}
    </Screen>
  );
}

function CheckInSummary({ lang, visit }: { lang: Lang; visit: LocalVisit }) {
  const s = t(lang);
  const answer = visit.checkIn;
  if (!answer) return <p class="notice">{s.checkInPending}</p>;
  const v = answer.attempt.verdict;
  if (!v)
    return (
      <p class="ok" role="status">
        {s.checkedIn}
      </p>
    );
  return (
    <p class={v.passed ? "ok" : "notice"} role="status">
      {v.passed ? s.checkedIn : s.checkedInFlagged(v.reasons.join("; "))}
    </p>
  );
}

function QuestionView(props: {
  lang: Lang;
  q: Question;
  value: unknown;
  comment?: string;
  photos: LocalPhoto[];
  serverPhotos: ServerPhotoView[];
  notes: VisitNote[];
  onDismiss: (id: string) => void;
  galleryAllowed: boolean;
  disabled: boolean;
  onAnswer: (value: unknown) => void;
  onCamera: () => void;
  onGallery: (picture: Picture) => void;
  onNotAdded: (message: VisitNote["message"]) => void;
}) {
  const { lang, q } = props;
  const s = t(lang);
  const id = `q-${q.code}`;
  const na = isNa(props.value);
  const title = (
    <>
      {label(q.title, lang)}
      {q.required && <span class="required"> ({s.required})</span>}
    </>
  );
  return (
    <div class="question" id={`question-${q.code}`}>
      {props.comment && (
        <p class="comment" id={`${id}-comment`}>
          {s.reviewerComment}: {props.comment}
        </p>
      )}
      {q.guidance && (
        <p class="hint" id={`${id}-hint`}>
          {label(q.guidance, lang)}
        </p>
      )}
      {!na && <Input {...props} id={id} title={title} />}
      <Notes lang={lang} notes={props.notes} onDismiss={props.onDismiss} />
      {na && <p class="label">{title}</p>}
      {!q.required && (
        <label class="check">
          <input
            type="checkbox"
            checked={na}
            disabled={props.disabled}
            onChange={(e) => props.onAnswer((e.target as HTMLInputElement).checked ? NA : undefined)}
          />{" "}
          {s.notApplicable}
        </label>
      )}
    </div>
  );
}

/**
 * What a typed field shows: the text being typed until it is committed (on change), then the stored answer. A
 * re-render meanwhile (the outbox status changes every few seconds) must not put the stored value back over what
 * the shopper is typing, or it would be lost.
 */
function useDraft(stored: string): [string, (text: string) => void] {
  const [draft, setDraft] = useState<string | null>(null);
  useEffect(() => setDraft(null), [stored]);
  return [draft ?? stored, setDraft];
}

function Input(props: Parameters<typeof QuestionView>[0] & { id: string; title: preact.ComponentChildren }) {
  const { lang, q, id, value, disabled, onAnswer } = props;
  const s = t(lang);
  const [typed, setTyped] = useDraft(
    q.type === "TIMESTAMP"
      ? typeof value === "string"
        ? toLocalInput(value)
        : ""
      : typeof value === "number" || typeof value === "string"
        ? String(value)
        : "",
  );
  const typing = (e: Event) => setTyped((e.target as HTMLInputElement | HTMLTextAreaElement).value);
  const described = [props.comment ? `${id}-comment` : "", q.guidance ? `${id}-hint` : ""].filter(Boolean).join(" ") || undefined;
  const radios = (choices: [string, unknown][]) => (
    <fieldset class="choices" aria-describedby={described}>
      <legend>{props.title}</legend>
      {choices.map(([text, v], i) => (
        <label class="check" key={i}>
          <input type="radio" name={id} checked={value === v} disabled={disabled} onChange={() => onAnswer(v)} /> {text}
        </label>
      ))}
    </fieldset>
  );
  switch (q.type) {
    case "YES_NO":
      return radios([
        [s.yes, true],
        [s.no, false],
      ]);
    case "SCALE": {
      const min = q.min ?? 1;
      const max = q.max ?? 5;
      return radios(Array.from({ length: max - min + 1 }, (_, i) => [String(min + i), min + i]));
    }
    case "SINGLE_CHOICE":
      return radios((q.options ?? []).map((o) => [label(o.label, lang), o.code]));
    case "MULTIPLE_CHOICE": {
      const chosen = Array.isArray(value) ? (value as string[]) : [];
      return (
        <fieldset class="choices" aria-describedby={described}>
          <legend>{props.title}</legend>
          {(q.options ?? []).map((o) => (
            <label class="check" key={o.code}>
              <input
                type="checkbox"
                checked={chosen.includes(o.code)}
                disabled={disabled}
                onChange={(e) => {
                  const on = (e.target as HTMLInputElement).checked;
                  const next = on ? [...chosen, o.code] : chosen.filter((c) => c !== o.code);
                  onAnswer(next.length ? next : undefined);
                }}
              />{" "}
              {label(o.label, lang)}
            </label>
          ))}
        </fieldset>
      );
    }
    case "NUMBER":
    case "DURATION":
      return (
        <>
          <label for={id}>
            {props.title}
            {q.type === "DURATION" ? ` (${s.minutes})` : q.unit ? ` (${q.unit})` : ""}
          </label>
          <input
            id={id}
            type="number"
            inputMode="decimal"
            min={q.min ?? 0}
            max={q.type === "DURATION" ? q.maxMinutes : q.max}
            value={typed}
            disabled={disabled}
            aria-describedby={described}
            onInput={typing}
            onChange={(e) => {
              const raw = (e.target as HTMLInputElement).value;
              onAnswer(raw === "" ? undefined : Number(raw));
            }}
          />
        </>
      );
    case "TEXT":
      return (
        <>
          <label for={id}>{props.title}</label>
          <textarea
            id={id}
            maxLength={q.maxLength ?? 2000}
            value={typed}
            disabled={disabled}
            aria-describedby={described}
            onInput={typing}
            onChange={(e) => {
              const text = (e.target as HTMLTextAreaElement).value;
              onAnswer(text.trim() ? text : undefined);
            }}
          />
        </>
      );
    case "TIMESTAMP":
      return (
        <>
          <label for={id}>{props.title}</label>
          <input
            id={id}
            type="datetime-local"
            value={typed}
            disabled={disabled}
            aria-describedby={described}
            onInput={typing}
            onChange={(e) => {
              const raw = (e.target as HTMLInputElement).value;
              onAnswer(raw ? new Date(raw).toISOString() : undefined);
            }}
          />
        </>
      );
    case "PHOTO":
      return <PhotoInput {...props} described={described} />;
  }
}

function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function PhotoInput(props: Parameters<typeof Input>[0] & { described?: string }) {
  const { lang, q, id } = props;
  const s = t(lang);
  const count = props.photos.length + props.serverPhotos.length;
  return (
    <div role="group" aria-labelledby={`${id}-label`} aria-describedby={props.described}>
      <p class="label" id={`${id}-label`}>
        {props.title}
        {q.caption && ` — ${label(q.caption, lang)}`}
      </p>
      <p data-testid={`photo-count-${q.code}`}>{s.photoCount(count, Math.max(1, q.minCount ?? 1))}</p>
      <div class="thumbs">
        {props.serverPhotos.map((p, i) =>
          p.thumbnailUrl ? <img key={p.id} src={p.thumbnailUrl} alt={s.serverPhotoAlt(i + 1, label(q.title, lang))} width={96} /> : null,
        )}
        {props.photos.map((p, i) => (
          <img key={p.clientId} src={p.thumbnail} alt={s.photoAlt(i + 1 + props.serverPhotos.length, label(q.title, lang))} width={96} />
        ))}
      </div>
      <div class="row">
        <button type="button" disabled={props.disabled} onClick={props.onCamera}>
          {s.takePhoto}
        </button>
        {props.galleryAllowed ? (
          <GalleryPick id={`${id}-gallery`} lang={lang} disabled={props.disabled} onPick={props.onGallery} onNotAdded={props.onNotAdded} />
        ) : (
          <p class="hint">{s.liveOnly}</p>
        )}
      </div>
    </div>
  );
}

function GalleryPick(props: {
  id: string;
  lang: Lang;
  disabled: boolean;
  onPick: (picture: Picture) => void;
  onNotAdded: (message: VisitNote["message"]) => void;
}) {
  const { id, lang, disabled, onPick } = props;
  const s = t(lang);
  return (
    <>
      <label for={id} class="button secondary">
        {s.fromGallery}
      </label>
      <input
        id={id}
        class="visually-hidden"
        type="file"
        accept="image/jpeg,image/png,image/heic,image/webp"
        disabled={disabled}
        onChange={async (e) => {
          const input = e.target as HTMLInputElement;
          const file = input.files?.[0];
          input.value = "";
          if (!file) return;
          // Checked here first (type, size, can it be decoded), so a file the server would refuse is never
          // counted or queued. A gallery photo's place and time are the file's own (EXIF), judged by the server.
          const checked = await checkPicked(file);
          if ("refused" in checked) props.onNotAdded(checked.refused);
          else onPick(checked);
        }}
      />
    </>
  );
}

function Receipt(props: {
  lang: Lang;
  photos: LocalPhoto[];
  serverPhotos: ServerPhotoView[];
  notes: VisitNote[];
  onDismiss: (id: string) => void;
  onNotAdded: (message: VisitNote["message"]) => void;
  disabled: boolean;
  onCamera: (amount: number) => void;
  onGallery: (picture: Picture, amount: number) => void;
}) {
  const s = t(props.lang);
  const [amount, setAmount] = useState("");
  const [error, setError] = useState<string | null>(null);
  const kopiykas = () => {
    const n = kopiykasOf(amount);
    if (!amount.trim() || !Number.isFinite(n) || n < 0) {
      setError(s.amountNeeded);
      return null;
    }
    setError(null);
    return n;
  };
  return (
    <fieldset class="section">
      <legend>{s.receipt}</legend>
      {props.serverPhotos.map((p) =>
        p.thumbnailUrl ? (
          <p key={p.id}>
            <img src={p.thumbnailUrl} alt={s.receiptAlt(money(p.receiptKopiykas ?? 0, props.lang))} width={96} />{" "}
            {money(p.receiptKopiykas ?? 0, props.lang)}
          </p>
        ) : null,
      )}
      {props.photos.map((p) => (
        <p key={p.clientId}>
          <img src={p.thumbnail} alt={s.receiptAlt(money(p.receiptKopiykas ?? 0, props.lang))} width={96} />{" "}
          {money(p.receiptKopiykas ?? 0, props.lang)}
        </p>
      ))}
      <label for="receipt-amount">{s.receiptAmount}</label>
      <input
        id="receipt-amount"
        inputMode="decimal"
        value={amount}
        disabled={props.disabled}
        aria-invalid={!!error}
        aria-describedby={error ? "receipt-error" : undefined}
        onInput={(e) => setAmount((e.target as HTMLInputElement).value)}
      />
      {error && (
        <p id="receipt-error" class="error">
          {error}
        </p>
      )}
      <div class="row">
        <button
          type="button"
          class="secondary"
          disabled={props.disabled}
          onClick={() => {
            const n = kopiykas();
            if (n !== null) props.onCamera(n);
          }}
        >
          {s.photographReceipt}
        </button>
        <GalleryPick
          id="receipt-gallery"
          lang={props.lang}
          disabled={props.disabled}
          onNotAdded={props.onNotAdded}
          onPick={(picture) => {
            const n = kopiykas();
            if (n !== null) {
              props.onGallery(picture, n);
              setAmount("");
            }
          }}
        />
      </div>
      <Notes lang={props.lang} notes={props.notes} onDismiss={props.onDismiss} />
    </fieldset>
  );
}

function Finish(props: {
  lang: Lang;
  ctx: VisitContext;
  visit: LocalVisit;
  missingQuestions: Question[];
  notes: VisitNote[];
  onDismiss: (id: string) => void;
  setVisit: (v: LocalVisit) => void;
  kick: () => void;
}) {
  const { lang, ctx, visit } = props;
  const s = t(lang);
  const [error, setError] = useState<string | null>(null);
  const [confirmEarly, setConfirmEarly] = useState(false);
  const [busy, setBusy] = useState(false);
  // A refusal reopens the visit: the button works again.
  useEffect(() => setBusy(false), [visit.submittedAt, visit.checkedOutAt]);
  if (visit.submittedAt) {
    return (
      <div class="ok" role="status">
        <p>{s.submitted}</p>
        <button type="button" onClick={() => go("visits")}>
          {s.myVisits}
        </button>
      </div>
    );
  }
  async function checkOut() {
    const minutes = (Date.now() - Date.parse(visit.checkedInAt)) / 60000;
    if (ctx.minMinutes && minutes < ctx.minMinutes && !confirmEarly) {
      setConfirmEarly(true);
      return;
    }
    // One check-out per tap: a second tap while the position is being read, or one already waiting, adds nothing.
    if (busy) return;
    setBusy(true);
    const fix = await position().catch(() => null);
    if (!fix) {
      setError(s.positionNeeded);
      setBusy(false);
      return;
    }
    if (await isWaiting(ctx.taskId, "checkOut")) return;
    const deviceTime = new Date().toISOString();
    await enqueue({
      operation: "checkOut",
      taskId: ctx.taskId,
      variables: { input: { lat: fix.lat, lon: fix.lon, accuracyM: fix.accuracyM, deviceTime } },
    });
    const next = await updateVisit(ctx.taskId, (v) => ({ ...v, checkedOutAt: deviceTime }));
    if (next) props.setVisit(next);
    props.kick();
  }
  async function submit() {
    if (props.missingQuestions.length || busy) return;
    setBusy(true);
    // A second tap, or a submission already waiting, adds nothing.
    if (await isWaiting(ctx.taskId, "submitVisit")) return;
    await enqueue({ operation: "submitVisit", taskId: ctx.taskId, variables: {} });
    const next = await updateVisit(ctx.taskId, (v) => ({ ...v, submittedAt: new Date().toISOString() }));
    if (next) props.setVisit(next);
    props.kick();
  }
  if (!visit.checkedOutAt) {
    return (
      <div class="finish">
        <h2>{s.leaving}</h2>
        <Notes lang={lang} notes={props.notes} onDismiss={props.onDismiss} />
        {confirmEarly && <p class="notice">{s.tooShort(ctx.minMinutes!)}</p>}
        <button type="button" disabled={busy} onClick={() => void checkOut()}>
          {confirmEarly ? s.checkOutAnyway : s.checkOut}
        </button>
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
      </div>
    );
  }
  return (
    <div class="finish">
      <h2>{s.review}</h2>
      <Notes lang={lang} notes={props.notes} onDismiss={props.onDismiss} />
      {props.missingQuestions.length > 0 ? (
        <>
          <p>{s.stillMissing}</p>
          <ul>
            {props.missingQuestions.map((q) => (
              <li key={q.code}>
                <a
                  href={`#question-${q.code}`}
                  onClick={(e) => {
                    e.preventDefault();
                    document.getElementById(`question-${q.code}`)?.scrollIntoView();
                  }}
                >
                  {label(q.title, lang)}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>{s.readyToSubmit}</p>
      )}
      <button type="button" disabled={props.missingQuestions.length > 0 || busy} onClick={() => void submit()}>
        {visit.returned ? s.resubmit : s.submit}
      </button>
    </div>
  );
}
