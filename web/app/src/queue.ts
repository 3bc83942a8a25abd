// The durable outbox of the app: every operation goes here first (IndexedDB, so it survives closing the app and
// rebooting the phone) with its own idempotency or client id, photos included as blobs, and is sent in order when
// the network is there. The server's idempotency makes a resend safe, so an item is removed only once the server
// has answered it. A visit started offline is known by its task until the check-in is answered: items of that
// visit carry the task id and get the visit id when they are sent.
import { openDB, type IDBPDatabase } from "idb";
import { gql, gqlUpload, GraphQLFailure, type Document } from "../../common/api";
import type { CheckInMutation } from "./gql/operations";
import { documents, type OperationName } from "./operations";
import type { Message } from "../../common/messages";
import { afterRefusal, converged, placeOf, type LocalVisit, type VisitNote } from "./converge";
import { rememberPhotoTypes } from "./phototypes";

export interface QueuedOperation {
  id?: number;
  operation: OperationName;
  variables: Record<string, unknown>;
  /**
   * The task of a visit's item: the visit id goes into `variables.visitId` when it is sent (a visit started
   * offline has none until its check-in is answered).
   */
  taskId?: string;
  /** The photo of an upload. */
  file?: Blob;
  createdAt: number;
  /**
   * The server refused it (its words, for the shopper); kept so it can be shown, never resent. Only items that
   * belong to no visit are kept this way: a visit's refused item leaves the outbox and becomes a note beside its
   * question (`VisitNote`), and the visit converges to the server's copy.
   */
  refused?: string;
  /** The refusal as the catalogue's code and parameters, so it is shown in the language chosen later too. */
  refusedMessage?: Message;
}

export type { LocalPhoto, LocalVisit, VisitNote } from "./converge";

let database: Promise<IDBPDatabase> | null = null;

function db(): Promise<IDBPDatabase> {
  database ??= openDB("fieldwork", 2, {
    upgrade(d, oldVersion) {
      if (oldVersion < 1) d.createObjectStore("outbox", { keyPath: "id", autoIncrement: true });
      if (oldVersion < 2) d.createObjectStore("visits", { keyPath: "taskId" });
    },
  });
  return database;
}

export async function enqueue(item: Omit<QueuedOperation, "createdAt">): Promise<void> {
  await (await db()).add("outbox", { ...item, createdAt: Date.now() } satisfies QueuedOperation);
}

/**
 * Saves answers: merged into the last waiting save of the same visit when that one is not being sent, so a
 * long offline visit leaves one save, not one per tap.
 */
export async function enqueueAnswers(taskId: string, answers: Record<string, unknown>): Promise<void> {
  const d = await db();
  const tx = d.transaction("outbox", "readwrite");
  const cursor = await tx.store.openCursor(null, "prev");
  const last = cursor?.value as QueuedOperation | undefined;
  if (last && !last.refused && last.id !== sending && last.operation === "saveVisitAnswers" && last.taskId === taskId) {
    const merged = { ...(last.variables.answers as Record<string, unknown>), ...answers };
    await tx.store.put({ ...last, variables: { ...last.variables, answers: merged } });
  } else {
    await tx.store.add({ operation: "saveVisitAnswers", variables: { answers }, taskId, createdAt: Date.now() } satisfies QueuedOperation);
  }
  await tx.done;
}

export async function pending(): Promise<QueuedOperation[]> {
  return (await (await db()).getAll("outbox")) as QueuedOperation[];
}

export async function forget(id: number): Promise<void> {
  await (await db()).delete("outbox", id);
}

export async function localVisit(taskId: string): Promise<LocalVisit | undefined> {
  return (await (await db()).get("visits", taskId)) as LocalVisit | undefined;
}

export async function localVisits(): Promise<LocalVisit[]> {
  return (await (await db()).getAll("visits")) as LocalVisit[];
}

/** Changes a local visit in one transaction (read, change, write). */
export async function updateVisit(taskId: string, change: (v: LocalVisit) => LocalVisit): Promise<LocalVisit | undefined> {
  const d = await db();
  const tx = d.transaction("visits", "readwrite");
  const current = (await tx.store.get(taskId)) as LocalVisit | undefined;
  if (!current) return undefined;
  const next = change(current);
  await tx.store.put(next);
  await tx.done;
  return next;
}

export async function saveVisit(v: LocalVisit): Promise<void> {
  await (await db()).put("visits", v);
}

/** Takes one unspent capture token of the visit, if the phone has one. */
export async function takeToken(taskId: string): Promise<string | undefined> {
  let token: string | undefined;
  await updateVisit(taskId, (v) => {
    token = v.tokens[0];
    return { ...v, tokens: v.tokens.slice(1) };
  });
  return token;
}

const TOKENS_PER_VISIT = 20;

const fetching = new Map<string, Promise<void>>();

/** Asks for capture tokens; a second ask while the first is under way waits for it instead of asking again. */
function fetchTokens(taskId: string, visitId: string): Promise<void> {
  let request = fetching.get(taskId);
  if (!request) {
    request = (async () => {
      const data = await gql(documents.requestCaptureTokens, { visitId, count: TOKENS_PER_VISIT });
      await updateVisit(taskId, (v) => ({ ...v, tokens: [...v.tokens, ...data.requestCaptureTokens.map((t) => t.token)] }));
    })().finally(() => fetching.delete(taskId));
    fetching.set(taskId, request);
  }
  return request;
}

/** Asks for capture tokens for a visit the server knows, while online (the camera spends them offline). */
export async function prepareCamera(taskId: string): Promise<void> {
  const v = await localVisit(taskId);
  if (v?.visitId && v.tokens.length < 3) await fetchTokens(taskId, v.visitId).catch(() => undefined);
}

let draining = false;
let sending: number | undefined;

/**
 * Sends what waits, oldest first, until nothing is left; stops at the first failure that is not the request's
 * fault (no network, the server unwell, signed out) to try again later. A refusal is kept with the server's
 * words. Each item is read afresh just before it goes, so what was added or merged meanwhile goes too.
 */
export async function drain(onChange: () => void): Promise<void> {
  if (draining) return;
  draining = true;
  try {
    let last = 0;
    for (let item = await nextAfter(last); item; item = await nextAfter(last)) {
      last = item.id!;
      sending = item.id;
      try {
        const variables = await resolve(item);
        if (!variables) continue;
        const result = item.file
          ? await gqlUpload(anyDocument(item.operation), variables, "file", item.file, `${variables.clientId}.jpg`)
          : await gql(anyDocument(item.operation), variables);
        await after(item, result);
        await (await db()).delete("outbox", item.id!);
      } catch (e) {
        if (e instanceof GraphQLFailure && !e.network) {
          const first = e.errors[0];
          const message = first?.messageCode ? { code: first.messageCode, params: first.params } : undefined;
          if (item.taskId) {
            await refuseVisitItem(item, { message, text: e.message, field: first?.field });
          } else {
            await (await db()).put("outbox", { ...item, refused: e.message, refusedMessage: message });
          }
        } else {
          break;
        }
      } finally {
        sending = undefined;
        onChange();
      }
    }
  } finally {
    draining = false;
    onChange();
  }
}

/** The oldest item after `id` that the server has not refused, as it is stored now. */
async function nextAfter(id: number): Promise<QueuedOperation | undefined> {
  const tx = (await db()).transaction("outbox");
  for (let c = await tx.store.openCursor(IDBKeyRange.lowerBound(id, true)); c; c = await c.continue()) {
    const item = c.value as QueuedOperation;
    if (!item.refused) return item;
  }
  return undefined;
}

/**
 * The variables as they go: the visit id from the phone's record of the visit (known once the check-in was
 * answered), and a capture token for a live photo taken before the phone had one. `undefined`: the item cannot
 * go (refused and kept).
 */
async function resolve(item: QueuedOperation): Promise<Record<string, unknown> | undefined> {
  const variables = { ...item.variables };
  if (item.taskId && item.operation !== "checkIn") {
    let v = await localVisit(item.taskId);
    // The check-in may have been made on another phone, or answered while this one lost the answer: ask.
    if (!v?.visitId) v = (await syncVisit(item.taskId)) ?? undefined;
    if (!v?.visitId) {
      // The server was just asked (above) and holds no visit: nothing more to converge to.
      await refuseVisitItem(item, { message: { code: "checkin-not-accepted" }, text: "checkin-not-accepted" }, false);
      return undefined;
    }
    variables.visitId = v.visitId;
  }
  const capture = variables.capture as { token?: string } | undefined;
  if (item.taskId && capture && !capture.token) {
    let token = await takeToken(item.taskId);
    if (!token) {
      await fetchTokens(item.taskId, String(variables.visitId));
      token = await takeToken(item.taskId);
    }
    variables.capture = { ...capture, token };
    // Keep the token with the item, so a resend after a lost answer uses the same one.
    await (await db()).put("outbox", { ...item, variables: { ...item.variables, capture: variables.capture } });
  }
  return variables;
}

/** What an answer teaches the phone: the visit id of a check-in, and capture tokens for its camera. */
async function after(item: QueuedOperation, result: unknown): Promise<void> {
  if (item.operation === "checkIn" && item.taskId) {
    const answer = (result as CheckInMutation).checkIn;
    const visitId = answer.visit?.id;
    await updateVisit(item.taskId, (v) => ({ ...v, checkIn: answer, visitId: visitId ?? v.visitId }));
    if (visitId) await fetchTokens(item.taskId, visitId).catch(() => undefined);
  }
}

/** The document of an operation the outbox holds by name: its variables were typed when it was queued. */
function anyDocument(operation: OperationName): Document<unknown, Record<string, unknown>> {
  return documents[operation] as unknown as Document<unknown, Record<string, unknown>>;
}

/**
 * A visit's item the server refused: it leaves the outbox, the phone's record drops what it claimed (a photo
 * from the counts, a check-out or submission undone) with a note saying why beside its question, and the record
 * then converges to the server's copy, so the app never believes what the server does not hold.
 */
async function refuseVisitItem(
  item: QueuedOperation,
  why: { message?: Message; text: string; field?: string },
  sync = true,
): Promise<void> {
  const taskId = item.taskId!;
  const note: VisitNote = {
    id: String(item.variables.clientId ?? crypto.randomUUID()),
    place: placeOf(item.operation, item.variables, why.field),
    operation: item.operation,
    message: why.message,
    text: why.text,
  };
  await updateVisit(taskId, (v) => afterRefusal(v, item.operation, item.variables, note));
  await (await db()).delete("outbox", item.id!);
  if (sync) await syncVisit(taskId).catch(() => undefined);
}

/** What waits in the outbox for a task's visit (not refused). */
async function waitingFor(taskId: string): Promise<QueuedOperation[]> {
  return (await pending()).filter((i) => i.taskId === taskId && !i.refused);
}

/** Does an operation of this task's visit wait in the outbox (a second tap then adds nothing)? */
export async function isWaiting(taskId: string, operation: OperationName): Promise<boolean> {
  return (await waitingFor(taskId)).some((i) => i.operation === operation);
}

/**
 * Fetches the visit as the server holds it and makes the phone's record agree (see `converged`). Throws when
 * the server cannot be asked (offline): the phone's record is kept as it is then. Returns the record, or `null`
 * when there is no visit to show.
 */
export async function syncVisit(taskId: string, venueName = ""): Promise<LocalVisit | null> {
  const before = await waitingFor(taskId);
  const data = await gql(documents.myVisit, { taskId });
  rememberPhotoTypes(data.photoTypes);
  const byId = new Map<number, QueuedOperation>();
  for (const i of [...before, ...(await waitingFor(taskId))]) byId.set(i.id!, i);
  const waiting = [...byId.values()].sort((a, b) => a.id! - b.id!);
  const d = await db();
  const tx = d.transaction("visits", "readwrite");
  const current = (await tx.store.get(taskId)) as LocalVisit | undefined;
  const next = converged(current, data.myVisit ?? null, waiting, venueName || current?.venueName || "");
  if (next) await tx.store.put(next);
  else if (current) await tx.store.delete(taskId);
  await tx.done;
  return next;
}

/** Takes a note away once the shopper has read it (or acted on its question). */
export async function dismissNote(taskId: string, noteId: string): Promise<LocalVisit | undefined> {
  return updateVisit(taskId, (v) => ({ ...v, notes: (v.notes ?? []).filter((n) => n.id !== noteId) }));
}
