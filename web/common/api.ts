// GraphQL over HTTP to the service that serves the page (same origin), with the login token. The shoppers' app
// keeps its token in localStorage (a phone stays signed in); the staff console in sessionStorage.
import type { DocumentTypeDecoration } from "@graphql-typed-document-node/core";
import type { Lang } from "./language";
import { render, type Message } from "./messages";

export interface ApiError {
  /** In the reader's language (the service renders it in the language this page asks for). */
  message: string;
  code?: string;
  field?: string;
  /** The catalogue's code and parameters (`messages/*.ftl`), to render the words again in another language. */
  messageCode?: string;
  params?: Record<string, unknown>;
}

export class GraphQLFailure extends Error {
  constructor(
    public readonly errors: ApiError[],
    /** Not an answer about the request itself (no network, a server fault, rate limit, signed out): try later. */
    public readonly network = false,
  ) {
    super(errors.map((e) => e.message).join("; "));
  }
}

let language: Lang = "uk";

/** The language this page reads in: the service answers in it (`Accept-Language`). */
export function setLanguage(lang: Lang): void {
  language = lang;
}

/** The page's own failure (no network, a server fault) in the reader's language. */
function own(message: Message): ApiError {
  // Before the catalogue has arrived (it loads beside the first screen), plain words in the reader's language.
  const fallback = language === "uk" ? "Сервер зараз недоступний." : "The service cannot be reached now.";
  return { message: render(language, message) ?? fallback, messageCode: message.code, params: message.params };
}

let store: () => Storage = () => localStorage;
let key = "fieldwork.token";

/** Where this page keeps its token (call once at start; the default is the app's localStorage key). */
export function keepTokenIn(storage: () => Storage, name: string): void {
  store = storage;
  key = name;
}

export function token(): string | null {
  return store().getItem(key);
}

export function setToken(value: string | null): void {
  if (value) store().setItem(key, value);
  else store().removeItem(key);
}

/** An operation's document as codegen writes it (`LoginDocument`): its text, typed with its result and variables. */
export type Document<R, V> = DocumentTypeDecoration<R, V> & { toString(): string };

/**
 * Sends an operation: its result type comes from the document, and its variables are checked against it (an
 * operation without variables takes `{}`).
 */
export async function gql<R, V>(document: Document<R, V>, variables: V): Promise<R> {
  return send<R>({ "content-type": "application/json" }, JSON.stringify({ query: document.toString(), variables }));
}

/** A request with one file (the GraphQL multipart request spec): the file goes in the variable `fileVariable`. */
export async function gqlUpload<R, V>(
  document: Document<R, V>,
  variables: Omit<V, "file">,
  fileVariable: string,
  file: Blob,
  fileName: string,
): Promise<R> {
  const form = new FormData();
  form.append("operations", JSON.stringify({ query: document.toString(), variables: { ...variables, [fileVariable]: null } }));
  form.append("map", JSON.stringify({ "0": [`variables.${fileVariable}`] }));
  form.append("0", file, fileName);
  return send<R>({}, form);
}

async function send<T>(headers: Record<string, string>, body: BodyInit): Promise<T> {
  const bearer = token();
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  headers["accept-language"] = language;
  let response: Response;
  try {
    response = await fetch("/graphql", { method: "POST", headers, body });
  } catch {
    throw new GraphQLFailure([own({ code: "network-offline" })], true);
  }
  type Words = { message: string; messageCode?: string; params?: Record<string, unknown> };
  const reply = (await response.json().catch(() => ({}))) as {
    data?: T;
    errors?: {
      message: string;
      extensions?: {
        code?: string;
        field?: string;
        messageCode?: string;
        params?: Record<string, unknown>;
        fieldErrors?: ({ field: string } & Words)[];
      };
    }[];
  };
  // Over the rate limit or a server fault: not the request's fault, so it is tried again later.
  const transient = response.status === 429 || response.status >= 500;
  if (reply.errors?.length) {
    // A form with several bad fields comes back as one error listing them all (`fieldErrors`).
    throw new GraphQLFailure(
      reply.errors.flatMap((e) =>
        e.extensions?.fieldErrors?.length
          ? e.extensions.fieldErrors.map((f) => ({
              message: f.message,
              code: e.extensions?.code,
              field: f.field,
              messageCode: f.messageCode,
              params: f.params,
            }))
          : [
              {
                message: e.message,
                code: e.extensions?.code,
                field: e.extensions?.field,
                messageCode: e.extensions?.messageCode,
                params: e.extensions?.params,
              },
            ],
      ),
      transient || reply.errors.some((e) => ["RATE_LIMITED", "INTERNAL", "UNAUTHENTICATED"].includes(e.extensions?.code ?? "")),
    );
  }
  if (!reply.data) throw new GraphQLFailure([own({ code: "http-failure", params: { status: response.status } })], transient);
  return reply.data;
}

/** An error as a person reads it: the service's own words for a GraphQL failure. */
export function failureText(err: unknown): string {
  return err instanceof GraphQLFailure ? err.errors.map((e) => e.message).join("; ") : err instanceof Error ? err.message : String(err);
}
