/**
 * The job board's own questions (its open tasks and the shopper's home), asked while the app's script is still
 * on its way: this small module runs as soon as it arrives (an `async` script of its own, vite.config.ts), so on
 * a slow line the answers come back about when the app is ready to show them, instead of one round trip after.
 * The app takes each answer once (`takeEarly`, board.ts); if the app started first, nothing is asked here; and
 * on anything unexpected the app simply asks again itself. Measured in
 * docs/benchmarks.md ("first load on a slow phone").
 */
import { AvailableTasksDocument, MeDocument } from "./gql/operations";
import { askEarly, BOARD_VARIABLES } from "./board";

function ask(key: string, query: string, variables: Record<string, unknown>, bearer: string): void {
  const lang = localStorage.getItem("fieldwork.lang") === "en" ? "en" : "uk";
  askEarly(key, () =>
    fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${bearer}`, "accept-language": lang },
      body: JSON.stringify({ query, variables }),
    })
      .then((r) => (r.ok ? r.json() : null))
      .then((reply: { data?: unknown; errors?: unknown[] } | null) => (reply?.data && !reply.errors ? reply.data : null))
      .catch(() => null),
  );
}

const bearer = localStorage.getItem("fieldwork.token");
if (bearer && !location.hash.replace(/^#\/?/, "")) {
  ask("board", AvailableTasksDocument.toString(), BOARD_VARIABLES, bearer);
  ask("me", MeDocument.toString(), {}, bearer);
}
