// The API explorer at GET /graphql, in Chromium with every other host blocked (as on a network without internet
// access): the page renders from the service's own build under its strict CSP, runs `{ __typename }`, runs a
// query with a bearer token from the headers tab, opens the docs panel (read through introspection) and the
// explorer plugin, and asks nothing of any other host.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startService } from "./harness.mjs";

let svc;

before(async () => {
  svc = await startService();
});

after(async () => {
  await svc?.stop();
});

/** Sets the CodeMirror editor under `selector` (GraphiQL's query editor, or its open headers tab). */
async function setEditor(page, selector, text) {
  await page.locator(`${selector} .CodeMirror`).first().waitFor();
  await page.evaluate(([sel, value]) => document.querySelector(`${sel} .CodeMirror`).CodeMirror.setValue(value), [selector, text]);
}

const result = (page) =>
  page
    .locator(".result-window .CodeMirror")
    .first()
    .evaluate((e) => e.CodeMirror.getValue());

test("GraphiQL works with all external network blocked, under its CSP, with a token and the docs", async () => {
  const page0 = await fetch(`${svc.base}/graphql`);
  const csp = page0.headers.get("content-security-policy");
  assert.match(csp, /^default-src 'self'; script-src 'self';/);
  assert.doesNotMatch(csp, /https?:|unpkg|cdn/);

  const context = await svc.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const foreign = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (new URL(url).origin !== svc.base) {
      foreign.push(url);
      return route.abort();
    }
    return route.continue();
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" || /Content.Security.Policy/i.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  await page.goto(`${svc.base}/graphql`);
  await page.locator(".graphiql-container").waitFor();

  // The default query is `{ __typename }`.
  await setEditor(page, ".graphiql-query-editor", "{ __typename }");
  await page.locator(".graphiql-execute-button").click();
  await page.waitForFunction(() => document.querySelector(".result-window .CodeMirror")?.CodeMirror.getValue().includes('"Query"'));

  // A query with a token from the headers tab.
  const token = await svc.login("coordinator@example.org");
  await page.getByRole("button", { name: "Headers" }).click();
  await setEditor(page, ".graphiql-editor-tool .graphiql-editor:not(.hidden)", JSON.stringify({ Authorization: `Bearer ${token}` }));
  await setEditor(page, ".graphiql-query-editor", "{ me { email role } }");
  await page.locator(".graphiql-execute-button").click();
  await page.waitForFunction(() =>
    document.querySelector(".result-window .CodeMirror")?.CodeMirror.getValue().includes("coordinator@example.org"),
  );
  const body = JSON.parse(await result(page));
  assert.deepEqual(body.data.me, { email: "coordinator@example.org", role: "COORDINATOR" });

  // The docs panel, from the schema read by introspection.
  await page.getByRole("button", { name: /Show Documentation Explorer/ }).click();
  await page.locator(".graphiql-doc-explorer").getByText("Root Types").waitFor();
  await page.locator(".graphiql-doc-explorer").getByRole("link", { name: "Query" }).first().click();
  await page.locator(".graphiql-doc-explorer").getByText("availableTasks").first().waitFor();
  // The explorer plugin lists the root fields too.
  await page.getByRole("button", { name: /Show GraphiQL Explorer/ }).click();
  await page.locator(".graphiql-explorer-root, .docExplorerWrap").first().waitFor();

  assert.deepEqual(foreign, [], "no request left for another host");
  assert.deepEqual(problems, []);
  await context.close();
});
