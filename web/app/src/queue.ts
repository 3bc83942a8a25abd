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
  /** The server refused it (its words, for the shopper); kept so it can be shown, never resent. */
  refused?: string;
  /** The refusal as the catalogue's code and parameters, so it is shown in the language chosen later too. */
  refusedMessage?: Message;
}

/** A photo the shopper took, as the visit screen shows it. */
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
  answers: Record<string, unknown>;
  photos: LocalPhoto[];
  /** Capture tokens from the server not yet spent on a photo. */
  tokens: string[];
  checkedOutAt?: string;
  submittedAt?: string;
  /** A returned visit being fixed (it keeps its check-in and check-out). */
  returned?: boolean;
  /** The time of the return this fix answers. */
  returnedAt?: string;
}

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
          await (
            await db()
          ).put("outbox", {
            ...item,
            refused: e.message,
            refusedMessage: first?.messageCode ? { code: first.messageCode, params: first.params } : undefined,
          });
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
    const v = await localVisit(item.taskId);
    if (!v?.visitId) {
      const refusedMessage = { code: "checkin-not-accepted" };
      await (await db()).put("outbox", { ...item, refused: refusedMessage.code, refusedMessage });
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
