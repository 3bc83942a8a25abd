// Text that people typed stays text on every map, in a real Chromium against the real service: centers whose
// names carry markup (an <img onerror>, an <svg onload>, a <script>, a javascript: link) and a shopper who signed
// up with markup in their name are shown in the public map's tooltips and popups, the console's venue map and
// the hand-assignment map as the characters they are, and no element of theirs lands in any page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchedWave, signInToConsole, startService, verifiedShopper } from "./harness.mjs";

const HOSTILE = [
  ["H1", `V1 "><img src=x onerror="window.__pwned='img'">`, 49.84195, 24.0316],
  ["H2", `<svg onload="window.__pwned='svg'"></svg>ЦНАП Виговського`, 49.8316, 23.9755],
  ["H3", `<script>window.__pwned='script'</script><a href="javascript:window.__pwned='link'">ЦНАП Сихів</a>`, 49.7966, 24.0546],
];
const SHOPPER = `Олена <img src=y onerror="window.__pwned='shopper'">`;

let svc;
let venues;

before(async () => {
  svc = await startService();
  const coordinator = await svc.login("coordinator@example.org");
  const { client } = await launchedWave(svc, coordinator, {
    venues: HOSTILE,
    definition: {
      sections: [
        { code: "S", title: { uk: "Візит" }, questions: [{ code: "Q1", title: { uk: "Чи є вивіска?" }, type: "YES_NO", weight: 1 }] },
      ],
    },
  });
  const listed = await svc.gql(
    "query($c: ID!) { venues(clientId: $c, first: 10) { edges { node { id name } } } }",
    { c: client },
    coordinator,
  );
  venues = listed.venues.edges.map((e) => e.node);
  assert.equal(venues.length, 3);
  await verifiedShopper(svc, { email: "olena@example.com", fullName: SHOPPER });
});

after(async () => {
  await svc?.stop();
});

/** Nothing that a name carried became an element, and nothing of it ran. */
async function assertNothingInjected(page) {
  const found = await page.evaluate(() => ({
    ran: window.__pwned ?? null,
    elements: [
      ...document.querySelectorAll(
        'img[src="x"], img[src="y"], svg[onload], [onerror], [onload], a[href^="javascript:"], body script:not([src])',
      ),
    ].map((e) => e.outerHTML),
  }));
  assert.deepEqual(found, { ran: null, elements: [] });
}

/**
 * Hovers a map point and waits for a tooltip that reads `text` exactly (as text: markup in it would have
 * become elements, and the text would differ).
 */
async function hoverShows(page, selector, text) {
  await page.locator(selector).hover({ force: true });
  await page.waitForFunction((t) => [...document.querySelectorAll(".leaflet-tooltip")].some((e) => e.textContent === t), text);
}

test("the public map shows hostile center names as text in its tooltips, popups and list", async () => {
  const context = await svc.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "uk-UA" });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${svc.base}/map/`);
  await page.getByRole("status").getByText("Показано 3 з 3 центрів").waitFor();
  await page.locator("#portal-map.leaflet-container").waitFor();
  for (const venue of venues) {
    const point = `.portal-point-${venue.id}`;
    await page.locator(point).waitFor();
    await hoverShows(page, point, venue.name);
    await page.locator(point).click({ force: true });
    await page.locator(".leaflet-popup a", { hasText: venue.name.slice(-10) }).waitFor();
    assert.ok(await page.evaluate((t) => [...document.querySelectorAll(".leaflet-popup a")].some((a) => a.textContent === t), venue.name));
    assert.equal(await page.locator("#portal-list").getByText(venue.name, { exact: true }).count(), 1);
    await assertNothingInjected(page);
  }
  // The server-rendered center page and the feedback form too.
  await page.goto(`${svc.base}/map/centers/${venues[0].id}`);
  await page.getByRole("heading", { name: venues[0].name, level: 1 }).waitFor();
  await assertNothingInjected(page);
  await page.goto(`${svc.base}/feedback/${venues[2].id}`);
  await page.getByText(venues[2].name, { exact: true }).waitFor();
  await assertNothingInjected(page);
  await context.close();
});

test("the console's venue map and the hand-assignment map show hostile venue and shopper names as text", async () => {
  const context = await svc.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "uk-UA" });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await signInToConsole(page, svc.base, "coordinator@example.org", "venues");
  await page.getByRole("region", { name: /Мапа закладів: 3 на мапі/ }).waitFor();
  for (const venue of venues) {
    const point = `.map-point-${venue.id}`;
    await page.locator(point).waitFor();
    await hoverShows(page, point, venue.name);
    await assertNothingInjected(page);
  }

  await page.goto(`${svc.base}/console/#/waves`);
  const row = page.getByRole("row").filter({ has: page.getByRole("cell", { name: "Грудень" }) });
  await row.getByRole("button", { name: "Керувати" }).click();
  await page.getByRole("region", { name: "Мапа завдань і домівок покупців" }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll(".leaflet-overlay-pane path").length === 4);
  await hoverShows(page, '[class*="map-point-shopper-"]', `${SHOPPER} (дім покупця)`);
  const tasks = await svc.gql(
    "{ waves(first: 5) { edges { node { tasks(first: 10) { edges { node { id venue { name } } } } } } } }",
    {},
    await svc.login("coordinator@example.org"),
  );
  for (const { node } of tasks.waves.edges[0].node.tasks.edges) {
    await hoverShows(page, `.map-point-task-${node.id}`, `${node.venue.name} (відкрито)`);
  }
  // The shopper's name in the list and the picker is text as well.
  assert.ok((await page.getByText(SHOPPER, { exact: false }).count()) > 0);
  await assertNothingInjected(page);
  await context.close();
});

test("URLs that name nothing are 404 on every face, also where files are served from disk", async () => {
  const long = "a".repeat(300);
  for (const path of [
    `/app/${long}`,
    `/console/${long}`,
    `/app/assets/${long}.js`,
    `/graphiql/assets/${long}.css`,
    `/map/centers/${long}`,
    "/app/%00",
    "/console/a%0Ab",
  ]) {
    const response = await fetch(`${svc.base}${path}`);
    assert.equal(response.status, 404, path);
  }
  // A query parameter with a NUL is bad input, named.
  const response = await fetch(`${svc.base}/map/search?q=%00`);
  assert.equal(response.status, 400);
  assert.equal((await response.json()).errors[0].extensions.field, "q");
});
