/**
 * The server's copy of a visit is the truth; the phone's record converges to it. `converged` is the whole rule,
 * pure so that it is tested on its own (web/tests/converge.test.mjs): the server's check-in, answers, photos,
 * check-out and state, with what still waits in the phone's outbox laid over them (the shopper's latest intent,
 * not yet sent). What the server refused is no longer waiting, so it is gone from the record and its counts, and
 * only the note saying why stays until the shopper acts on it.
 */
import type { Message } from "../../common/messages";
import type { CheckInMutation, MyVisitQuery } from "./gql/operations";

export type ServerVisit = NonNullable<MyVisitQuery["myVisit"]>;
export type ServerPhoto = ServerVisit["photos"][number];

/** Why something the shopper did was refused, shown beside its question (or the receipt, the check-in, the end). */
export interface VisitNote {
  /** The outbox item's client id (a photo's) or a fresh one, so a note can be dismissed on its own. */
  id: string;
  /** Where it belongs: a question's code, `receipt`, `checkIn`, `checkOut` or `submit`. */
  place: string;
  /** What was refused: an outbox operation, or `pick` (the phone's own check of a file from the gallery). */
  operation: string;
  /** The catalogue's code and parameters, rendered in the language chosen when it is shown. */
  message?: Message;
  /** The server's words when it sent no code (an older server), or the phone's own words. */
  text: string;
}

/** A photo the shopper took, as the visit screen shows it, until the server holds it. */
export interface LocalPhoto {
  clientId: string;
  questionCode: string | null;
  receiptKopiykas?: number;
  /** A small JPEG data URL for the screen. */
  thumbnail: string;
}

/** The app's own record of a visit, kept on the phone, by task. */
export interface LocalVisit {
  taskId: string;
  visitId?: string;
  venueName: string;
  checkInClientId: string;
  checkedInAt: string;
  /** The server's word on the check-in, once it answered. */
  checkIn?: CheckInMutation["checkIn"];
  /** The check-in was refused outright (not judged: e.g. the task is no longer the shopper's). */
  checkInRefused?: VisitNote;
  answers: Record<string, unknown>;
  /** Photos taken on this phone and not yet held by the server. */
  photos: LocalPhoto[];
  /** The photos the server holds (taken on this phone or another). */
  serverPhotos?: ServerPhoto[];
  /** Capture tokens from the server not yet spent on a photo. */
  tokens: string[];
  checkedOutAt?: string;
  submittedAt?: string;
  /** The server's state of the visit, when last heard. */
  state?: ServerVisit["state"];
  /** A returned visit being fixed (it keeps its check-in and check-out). */
  returned?: boolean;
  /** The time of the return this fix answers. */
  returnedAt?: string;
  /** Refusals the shopper has not acted on yet. */
  notes?: VisitNote[];
}

/** What still waits in the outbox for this visit, as the merge needs it. */
export interface Waiting {
  operation: string;
  variables: Record<string, unknown>;
}

/** A shopper's state for "the server has it submitted" (nothing to change unless it is returned). */
const SUBMITTED = new Set(["SUBMITTED", "APPROVED", "REJECTED"]);

/**
 * The phone's record after hearing the server. `null`: there is no visit to show (the check-in screen opens).
 * `server` is `null` when the task has no visit of this shopper on the server.
 */
export function converged(
  local: LocalVisit | undefined,
  server: ServerVisit | null,
  waiting: Waiting[],
  venueName: string,
): LocalVisit | null {
  const has = (operation: string) => waiting.some((w) => w.operation === operation);
  if (!server) {
    if (!local) return null;
    // Not sent yet, or refused with its reason to show: the check-in screen (or the visit started offline) stays.
    if (has("checkIn") || local.checkInRefused || (local.checkIn && !local.checkIn.accepted)) return { ...local, visitId: undefined };
    return null;
  }
  const answers: Record<string, unknown> = { ...((server.answers ?? {}) as Record<string, unknown>) };
  for (const w of waiting) {
    if (w.operation !== "saveVisitAnswers") continue;
    for (const [code, value] of Object.entries((w.variables.answers ?? {}) as Record<string, unknown>)) {
      if (value === null || value === undefined) delete answers[code];
      else answers[code] = value;
    }
  }
  const held = new Set(server.photos.map((p) => p.clientId).filter(Boolean));
  const uploading = new Set(waiting.filter((w) => w.operation === "uploadVisitPhoto").map((w) => String(w.variables.clientId)));
  const photos = (local?.photos ?? []).filter((p) => uploading.has(p.clientId) && !held.has(p.clientId));
  const lastReturn = [...server.history].reverse().find((h) => h.action === "RETURN");
  const returned = server.state === "RETURNED";
  const submittedOnServer = SUBMITTED.has(server.state);
  const submittedAt = submittedOnServer
    ? (server.submittedAt ?? local?.submittedAt ?? new Date().toISOString())
    : has("submitVisit")
      ? (local?.submittedAt ?? new Date().toISOString())
      : undefined;
  const checkedOutAt = server.checkOut?.deviceTime ?? (has("checkOut") ? local?.checkedOutAt : undefined);
  const sameVisit = local?.visitId === server.id;
  return {
    taskId: server.taskId,
    visitId: server.id,
    venueName: server.venueName || local?.venueName || venueName,
    checkInClientId: local?.checkInClientId ?? "",
    checkedInAt: server.checkedInAt,
    checkIn: server.startedBy
      ? { accepted: true, attempt: server.startedBy, visit: { id: server.id, state: server.state } }
      : local?.checkIn,
    answers,
    photos,
    serverPhotos: server.photos,
    tokens: sameVisit ? (local?.tokens ?? []) : [],
    checkedOutAt,
    submittedAt,
    state: server.state,
    returned,
    returnedAt: lastReturn?.at,
    notes: local?.notes ?? [],
  };
}

/** Where a refusal belongs, from the item it answered and the field the server named (`answers.P2`). */
export function placeOf(operation: string, variables: Record<string, unknown>, field?: string): string {
  if (field?.startsWith("answers.")) return field.slice("answers.".length).split(/[.[]/)[0];
  switch (operation) {
    case "uploadVisitPhoto":
      return variables.questionCode ? String(variables.questionCode) : "receipt";
    case "saveVisitAnswers": {
      const codes = Object.keys((variables.answers ?? {}) as Record<string, unknown>);
      return codes.length === 1 ? codes[0] : "submit";
    }
    case "checkIn":
      return "checkIn";
    case "checkOut":
      return "checkOut";
    default:
      return "submit";
  }
}

/**
 * The record after a refusal of one of its items: a refused photo leaves the counts, a refused check-out or
 * submission is undone (the visit is open for editing again), and the note says why.
 */
export function afterRefusal(v: LocalVisit, operation: string, variables: Record<string, unknown>, note: VisitNote): LocalVisit {
  const notes = [...(v.notes ?? []).filter((n) => n.id !== note.id), note];
  switch (operation) {
    case "uploadVisitPhoto":
      return { ...v, notes, photos: v.photos.filter((p) => p.clientId !== variables.clientId) };
    case "checkOut":
      return { ...v, notes, checkedOutAt: undefined, submittedAt: undefined };
    case "submitVisit":
      return { ...v, notes, submittedAt: undefined };
    case "checkIn":
      return { ...v, checkInRefused: note };
    default:
      return { ...v, notes };
  }
}
