// The durable outbox of the app: every operation goes here first (IndexedDB, so it survives closing the app and
// rebooting the phone) with its own key, and is sent in order when the network is there. The server's
// idempotency makes a resend safe, so an item is removed only once the server has answered it.
import { openDB, type IDBPDatabase } from "idb";
import { gql, GraphQLFailure } from "./api";
import { documents, type OperationName } from "./operations";

export interface QueuedOperation {
  id?: number;
  operation: OperationName;
  variables: Record<string, unknown>;
  createdAt: number;
  /// The server refused it (words for the shopper); kept so it can be shown, never resent.
  refused?: string;
}

let database: Promise<IDBPDatabase> | null = null;

function db(): Promise<IDBPDatabase> {
  database ??= openDB("fieldwork", 1, {
    upgrade(d) {
      d.createObjectStore("outbox", { keyPath: "id", autoIncrement: true });
    },
  });
  return database;
}

export async function enqueue(operation: OperationName, variables: Record<string, unknown>): Promise<void> {
  await (await db()).add("outbox", { operation, variables, createdAt: Date.now() } satisfies QueuedOperation);
}

export async function pending(): Promise<QueuedOperation[]> {
  return (await (await db()).getAll("outbox")) as QueuedOperation[];
}

let draining = false;

/// Sends what waits, oldest first; stops at the first network failure (to try again later).
export async function drain(onChange: () => void): Promise<void> {
  if (draining) return;
  draining = true;
  try {
    for (const item of await pending()) {
      if (item.refused) continue;
      try {
        await gql(documents[item.operation], item.variables);
        await (await db()).delete("outbox", item.id!);
      } catch (e) {
        if (e instanceof GraphQLFailure && !e.network) {
          await (await db()).put("outbox", { ...item, refused: e.message });
        } else {
          break;
        }
      }
      onChange();
    }
  } finally {
    draining = false;
    onChange();
  }
}
