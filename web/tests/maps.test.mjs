// The maps of the shoppers' app in a real Chromium against the real service: the job board on a map (a point per
// venue, the home radius) beside its list, a point opening its task, conflicts of interest declared from the
// board and from a held task (which goes back to the board), and the home area picked by tapping the profile's
// map. Once with a tile server (a local HTTP server standing in for OpenStreetMap's: its tiles load under the
// page's CSP), once without tiles (points on a plain background, no request to any other host).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { axe, launchedWave, repo, signInInApp, startService, verifiedShopper } from "./harness.mjs";

const VENUES = [
  ["M1", "ЦНАП м. Львова", 49.84195, 24.0316],
  ["M2", "ТП ЦНАП Виговського", 49.8316, 23.9755],
  ["M3", "ТП ЦНАП Сихів", 49.7966, 24.0546],
];
const DEFINITION = {
  sections: [
    {
      code: "S",
      title: { uk: "Візит" },
      questions: [{ code: "Q1", title: { uk: "Чи є вивіска?" }, type: "YES_NO", weight: 1, required: true }],
    },
  ],
};

let tiles;
let svc;

/** A tile server: every /tiles/{z}/{x}/{y}.png is a real PNG (the app's icon); requests are counted. */
async function tileServer() {
  const png = readFileSync(join(repo, "web", "app", "public", "icon-192.png"));
  const served = { requests: 0 };
  const server = createServer((req, res) => {
    served.requests += 1;
    if (!/^\/tiles\/\d+\/\d+\/\d+\.png$/.test(req.url)) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": "image/png" }).end(png);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  served.origin = `http://127.0.0.1:${server.address().port}`;
  served.close = () => new Promise((r) => server.close(r));
  return served;
}

/** A wave over the three venues and a verified shopper in Lviv; the shopper's token. */
async function setUp(service) {
  const coordinator = await service.login("coordinator@example.org");
  const ids = await launchedWave(service, coordinator, { venues: VENUES, definition: DEFINITION });
  await verifiedShopper(service, { email: "olena@example.com" });
  return { ...ids, shopper: await service.login("olena@example.com") };
}

/** Records what the page asks of hosts other than the service (and the tile server), and CSP complaints. */
function watch(page, allowed) {
  const foreign = [];
  const csp = [];
  page.on("request", (r) => {
    const origin = new URL(r.url()).origin;
    if (origin.startsWith("http") && !allowed.includes(origin)) foreign.push(r.url());
  });
  page.on("console", (m) => {
    if (/Content.Security.Policy/i.test(m.text())) csp.push(m.text());
  });
  page.on("pageerror", (e) => console.log(`[page error] ${e.message}`));
  return { foreign, csp };
}

/** Venues a few kilometres apart cluster at the home radius's zoom: each cluster is tapped open (it zooms in). */
async function openClusters(page) {
  await page.locator(".map-cluster, [class*=map-point-]").first().waitFor();
  while ((await page.locator(".map-cluster").count()) > 0) {
    const before = await page.locator("[class*=map-point-]").count();
    await page.locator(".map-cluster").first().click();
    await page.waitForFunction((n) => document.querySelectorAll("[class*=map-point-]").length > n, before);
  }
}

const boardTasks = async (service, shopper) =>
  (
    await service.gql("{ availableTasks(first: 50) { edges { node { taskId venueId venueName } } } }", {}, shopper)
  ).availableTasks.edges.map((e) => e.node);

before(async () => {
  tiles = await tileServer();
  svc = await startService({
    env: {
      FIELDWORK_HTTP__MAP_TILE_URL: `${tiles.origin}/tiles/{z}/{x}/{y}.png`,
      FIELDWORK_HTTP__MAP_ATTRIBUTION: "Test tiles",
    },
  });
});

after(async () => {
  await svc?.stop();
  await tiles?.close();
});

test("the job board on a map with tiles: points, home radius, a point opens its task, conflicts leave the board", async () => {
  const { shopper } = await setUp(svc);
  const config = await (await fetch(`${svc.base}/app/config.json`)).json();
  assert.equal(config.map.tileUrl, `${tiles.origin}/tiles/{z}/{x}/{y}.png`);
  const shell = await fetch(`${svc.base}/app/`);
  assert.match(shell.headers.get("content-security-policy"), new RegExp(`img-src 'self' data: blob: ${tiles.origin};`));

  const context = await svc.browser.newContext({ viewport: { width: 360, height: 740 }, locale: "uk-UA" });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const seen = watch(page, [svc.base, tiles.origin]);
  await signInInApp(page, svc.base, "olena@example.com");
  const tasks = await boardTasks(svc, shopper);
  assert.equal(tasks.length, 3);

  await page.getByRole("button", { name: "На мапі" }).click();
  const map = page.getByRole("region", { name: /Мапа завдань: 3 на мапі/ });
  await map.waitFor();
  await openClusters(page);
  for (const task of tasks) await page.locator(`.map-point-${task.taskId}`).waitFor();
  // The home area: its circle and its point, besides the three venues.
  assert.equal(await page.locator(".leaflet-overlay-pane path").count(), 5);
  await page.locator(".leaflet-tile-loaded").first().waitFor();
  assert.ok(tiles.requests > 0, "tiles were asked for");
  assert.ok(await page.getByTitle("Наблизити").isVisible());
  await page.getByText("Test tiles").waitFor();
  await axe(page);

  // A point opens its task's card under the map; the conflict is declared from there.
  const sykhiv = tasks.find((t) => t.venueName === "ТП ЦНАП Сихів");
  await page.locator(`.map-point-${sykhiv.taskId}`).click();
  const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "ТП ЦНАП Сихів" }) });
  await card.waitFor();
  await card.getByRole("button", { name: "Не можу оцінювати цей заклад (конфлікт інтересів)" }).click();
  await card.getByRole("button", { name: "Саме цей заклад" }).click();
  await page.locator(`.map-point-${sykhiv.taskId}`).waitFor({ state: "detached" });
  await page.getByText("Очікують надсилання").waitFor({ state: "detached" });
  const declared = (await svc.gql("{ myConflicts { venueId name } }", {}, shopper)).myConflicts;
  assert.deepEqual(declared, [{ venueId: sykhiv.venueId, name: "ТП ЦНАП Сихів" }]);
  await page.getByRole("button", { name: "Списком" }).click();
  await page.getByRole("heading", { name: "ЦНАП м. Львова" }).waitFor();
  assert.equal(await page.getByRole("heading", { name: "ТП ЦНАП Сихів" }).count(), 0);

  // A held task with a conflict: declared, and the task goes back to the board.
  const main = tasks.find((t) => t.venueName === "ЦНАП м. Львова");
  await svc.gql("mutation($t: ID!) { claimTask(taskId: $t) { id } }", { t: main.taskId }, shopper);
  await page.goto(`${svc.base}/app/#/task/${main.taskId}`);
  await page.getByRole("heading", { name: "ЦНАП м. Львова" }).waitFor();
  await page.getByRole("button", { name: "Не можу оцінювати цей заклад (конфлікт інтересів)" }).click();
  await page.getByRole("button", { name: "Саме цей заклад" }).click();
  await page.getByRole("heading", { name: "Мої завдання" }).waitFor();
  await page.getByText("Очікують надсилання").waitFor({ state: "detached" });
  const state = await svc.gql("{ myTasks { edges { node { id state } } } }", {}, shopper);
  assert.deepEqual(state.myTasks.edges, [], "the task was given up");
  const again = await boardTasks(svc, shopper);
  assert.deepEqual(
    again.map((t) => t.venueName),
    ["ТП ЦНАП Виговського"],
    "both declared venues are off the board",
  );
  assert.equal((await svc.gql("{ myConflicts { id } }", {}, shopper)).myConflicts.length, 2);

  // The home area on the profile's map: a tap moves home, the form follows, saving stores it.
  await page.goto(`${svc.base}/app/#/profile`);
  const homeMap = page.getByRole("region", { name: "Мапа домашнього району" });
  await homeMap.waitFor();
  await page.getByText("заклад: ТП ЦНАП Сихів").waitFor();
  const lat = page.getByLabel("Домашня адреса: широта", { exact: true });
  assert.equal(await lat.inputValue(), "49.84");
  const box = await homeMap.boundingBox();
  await homeMap.click({ position: { x: box.width * 0.25, y: box.height * 0.25 } });
  await page.waitForFunction(() => document.querySelector("#profile-homeLat")?.value !== "49.84");
  const picked = Number(await lat.inputValue());
  assert.ok(picked > 49.84, `north-west of home: ${picked}`);
  await axe(page);
  await page.getByRole("button", { name: "Зберегти" }).click();
  await page.getByText("Збережено.").waitFor();
  const me = await svc.gql("{ me { shopper { homeLocation { lat } } } }", {}, shopper);
  assert.equal(me.me.shopper.homeLocation.lat, picked);

  assert.deepEqual(seen.csp, [], "no CSP violations");
  assert.deepEqual(seen.foreign, [], "no request to any other host");
  await context.close();
});

test("without tiles the board's map shows its points on a plain background and asks no other host", async () => {
  const bare = await startService();
  try {
    const { shopper } = await setUp(bare);
    assert.equal((await (await fetch(`${bare.base}/app/config.json`)).json()).map.tileUrl, null);
    const context = await bare.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "en-GB" });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const seen = watch(page, [bare.base]);
    await signInInApp(page, bare.base, "olena@example.com");
    await page.getByLabel("Мова").selectOption("en");
    await page.getByRole("button", { name: "On a map" }).click();
    await page.getByRole("region", { name: /Map of tasks: 3 on the map/ }).waitFor();
    await openClusters(page);
    for (const task of await boardTasks(bare, shopper)) await page.locator(`.map-point-${task.taskId}`).waitFor();
    assert.equal(await page.locator(".leaflet-tile").count(), 0);
    assert.ok(await page.getByTitle("Zoom in").isVisible());
    await axe(page);
    assert.deepEqual(seen.csp, []);
    assert.deepEqual(seen.foreign, []);
    await context.close();
  } finally {
    await bare.stop();
  }
});

test("with a self-hosted PMTiles archive the maps load their tiles by byte ranges from the service and nothing else", async () => {
  const archive = join(repo, "tests", "fixtures", "tiles", "plain.pmtiles");
  const hosted = await startService({ env: { FIELDWORK_HTTP__MAP_PMTILES: archive, FIELDWORK_HTTP__MAP_ATTRIBUTION: "Own tiles" } });
  try {
    await setUp(hosted);
    const config = (await (await fetch(`${hosted.base}/app/config.json`)).json()).map;
    assert.equal(config.pmtilesUrl, "/tiles/map.pmtiles");
    assert.equal(config.tileUrl, null);
    // The archive is served in byte ranges, as PMTiles readers ask for it.
    const part = await fetch(`${hosted.base}/tiles/map.pmtiles`, { headers: { range: "bytes=0-6" } });
    assert.equal(part.status, 206);
    assert.equal(await part.text(), "PMTiles");
    const context = await hosted.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "uk-UA" });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const seen = watch(page, [hosted.base]);
    const ranges = [];
    page.on("request", (r) => r.url().endsWith("/tiles/map.pmtiles") && ranges.push(r.headers().range));
    await signInInApp(page, hosted.base, "olena@example.com");
    await page.getByRole("button", { name: "На мапі" }).click();
    await page.getByRole("region", { name: /Мапа завдань: 3 на мапі/ }).waitFor();
    // Tiles drawn from the archive (blob: images made by the PMTiles reader), past its deepest zoom scaled up.
    await page.waitForFunction(() =>
      [...document.querySelectorAll(".leaflet-tile-pane img")].some(
        (i) => i.src.startsWith("blob:") && i.complete && i.naturalWidth === 256,
      ),
    );
    assert.ok(ranges.length > 0 && ranges.every((r) => /^bytes=\d+-\d+$/.test(r)), JSON.stringify(ranges));
    await page.getByText("Own tiles").waitFor();
    assert.deepEqual(seen.csp, [], "no CSP violations");
    assert.deepEqual(seen.foreign, [], "no other host");
    // The public map portal draws the same tiles: its CSP allows the blob: images the reader makes.
    const portal = await context.newPage();
    portal.setDefaultTimeout(15_000);
    const seenOnPortal = watch(portal, [hosted.base]);
    await portal.goto(`${hosted.base}/map/`);
    await portal.locator("#portal-map.leaflet-container").waitFor();
    await portal.waitForFunction(() =>
      [...document.querySelectorAll(".leaflet-tile-pane img")].some(
        (i) => i.src.startsWith("blob:") && i.complete && i.naturalWidth === 256,
      ),
    );
    assert.deepEqual(seenOnPortal.csp, [], "no CSP violations on the portal");
    assert.deepEqual(seenOnPortal.foreign, [], "no other host from the portal");
    await context.close();
  } finally {
    await hosted.stop();
  }
});
