// GraphQL over HTTP to the service that serves the app (same origin), with the login token.
export interface ApiError {
  message: string;
  code?: string;
  field?: string;
}

export class GraphQLFailure extends Error {
  constructor(
    public readonly errors: ApiError[],
    public readonly network = false,
  ) {
    super(errors.map((e) => e.message).join("; "));
  }
}

export function token(): string | null {
  return localStorage.getItem("fieldwork.token");
}

export function setToken(value: string | null): void {
  if (value) localStorage.setItem("fieldwork.token", value);
  else localStorage.removeItem("fieldwork.token");
}

export async function gql<T>(document: string, variables: Record<string, unknown> = {}): Promise<T> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  const bearer = token();
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  let response: Response;
  try {
    response = await fetch("/graphql", { method: "POST", headers, body: JSON.stringify({ query: document, variables }) });
  } catch {
    throw new GraphQLFailure([{ message: "offline" }], true);
  }
  const body = (await response.json().catch(() => ({}))) as {
    data?: T;
    errors?: {
      message: string;
      extensions?: { code?: string; field?: string; fieldErrors?: { field: string; message: string }[] };
    }[];
  };
  if (body.errors?.length) {
    // A form with several bad fields comes back as one error listing them all (`fieldErrors`).
    throw new GraphQLFailure(
      body.errors.flatMap((e) =>
        e.extensions?.fieldErrors?.length
          ? e.extensions.fieldErrors.map((f) => ({ message: f.message, code: e.extensions?.code, field: f.field }))
          : [{ message: e.message, code: e.extensions?.code, field: e.extensions?.field }],
      ),
    );
  }
  if (!body.data) throw new GraphQLFailure([{ message: `HTTP ${response.status}` }], response.status >= 500);
  return body.data;
}
