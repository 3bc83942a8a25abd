// The public map portal in a real Chromium against the real service: every center on the map (nearby ones in
// one numbered circle when zoomed out), search, "near me", a center picked on the map leads to its page and
// its feedback form, and after the response the map and the page show the center's new count and its index;
// without JavaScript the oblast → hromada → center lists and the search do the same; a comment appears on the
// center's page only after moderation, with the phone number in it masked; staff read the same index in the
// console's index room. axe-core scans each page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { axe, signInToConsole, startService } from "./harness.mjs";

let svc;
let coordinator;
const venues = {};

before(async () => {
  svc = await startService({
    env: {
      FIELDWORK_FEEDBACK__MIN_FILL_SECONDS: "1",
      // Recomputed every second, and published from the first response, so one test response shows.
      FIELDWORK_INDEX__REFRESH_SECS: "1",
      FIELDWORK_INDEX__METHOD__MIN_RESPONSES: "1",
      FIELDWORK_INDEX__METHOD__HEADLINE_MIN_N: "1",
    },
  });
  coordinator = await svc.login("coordinator@example.org");
  const client = (await svc.gql('mutation { createClient(name: "Мінцифри", kind: PUBLIC_BODY) { id } }', {}, coordinator)).createClient.id;
  const make = async (code, name, oblast, hromada, address, lat, lon) =>
    (
      await svc.gql(
        `mutation($c: ID!, $code: String!, $name: String!, $o: String!, $h: String!, $a: String!, $lat: Float!, $lon: Float!) {
          createVenue(input: { clientId: $c, externalCode: $code, name: $name, type: "CNAP", oblast: $o, hromada: $h, address: $a,
            location: { lat: $lat, lon: $lon }, sizeClass: "LARGE",
            openingHours: [{ weekday: MON, opens: "08:00", closes: "17:00" }] }) { id } }`,
        { c: client, code, name, o: oblast, h: hromada, a: address, lat, lon },
        coordinator,
      )
    ).createVenue.id;
  venues.sykhiv = await make("L1", "ЦНАП Сихівського району", "Львівська", "Львівська", "просп. Червоної Калини, 60", 49.8019, 24.0501);
  venues.shevchenko = await make("L2", "ЦНАП Шевченківського району", "Львівська", "Львівська", "вул. Липинського, 11", 49.805, 24.0545);
  venues.kyiv = await make("K1", "ЦНАП Деснянського району", "Київська", "Київська", "просп. Маяковського, 29", 50.512, 30.601);
  // A shop of a company: measured for its owner only, never on the public map.
  const shop = (await svc.gql('mutation { createClient(name: "Мережа АТБ", kind: RETAIL_CHAIN) { id } }', {}, coordinator)).createClient.id;
  await svc.gql(
    'mutation($c: ID!) { createVenue(input: { clientId: $c, externalCode: "S1", name: "Магазин біля ринку", type: "SHOP", location: { lat: 49.84, lon: 24.03 } }) { id } }',
    { c: shop },
    coordinator,
  );
});

after(async () => {
  await svc?.stop();
});

async function rate(page, comment) {
  await page
    .getByRole("group", { name: /Приміщення/ })
    .getByLabel("чудово")
    .check();
  await page
    .getByRole("group", { name: /Працівники/ })
    .getByLabel("чудово")
    .check();
  await page
    .getByRole("group", { name: /Очікування/ })
    .getByLabel("добре")
    .check();
  await page
    .getByRole("group", { name: /Результат/ })
    .getByLabel("чудово")
    .check();
  await page
    .getByRole("group", { name: /порекомендуєте/ })
    .getByLabel("10", { exact: true })
    .check();
  if (comment) await page.getByLabel("Що варто покращити? (необов'язково)").fill(comment);
  await svc.advanceClock(2_000); // the visitor takes two seconds
  await page.getByRole("button", { name: "Надіслати відгук" }).click();
  await page.getByRole("heading", { name: "Дякуємо за відгук!" }).waitFor();
}

function listItem(page, name) {
  return page.locator("#portal-list li").filter({ hasText: name });
}

test("the map shows every center; one picked on the map takes feedback, and its new count and index show", async () => {
  const context = await svc.browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: "uk-UA",
    permissions: ["geolocation"],
    geolocation: { latitude: 50.5, longitude: 30.6 }, // in Kyiv's Desnianskyi district
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  // Everything the page moves under the reader while the script fills in the map (cumulative layout shift).
  await page.addInitScript(() => {
    window.layoutShift = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.layoutShift += e.value;
    }).observe({ type: "layout-shift", buffered: true });
  });
  await page.goto(`${svc.base}/map/`);
  await page.getByRole("heading", { name: "Карта центрів надання адміністративних послуг" }).waitFor();
  await page.getByRole("status").getByText("Показано 3 з 3 центрів").waitFor();
  assert.equal(await page.locator("#portal-list li").count(), 3, "the shop is not on the public map");
  await page.locator("#portal-map.leaflet-container").waitFor();
  const shift = await page.evaluate(() => window.layoutShift);
  assert.ok(shift < 0.05, `the map's place is held while it loads (layout shift ${shift})`);
  assert.equal(await listItem(page, "Сихівського").getByText("Індексу ще немає").count(), 1);
  // Zoomed out to Lviv and Kyiv together, the two Lviv centers 500 m apart are one circle of 2.
  const cluster = page.locator(".portal-cluster", { hasText: "2" });
  await cluster.waitFor();
  await axe(page);
  await cluster.click();
  const point = page.locator(`.portal-point-${venues.sykhiv}`);
  await point.waitFor();
  await point.click({ force: true });
  await page.locator(".leaflet-popup").getByRole("link", { name: "ЦНАП Сихівського району" }).click();

  // The center's page: its address, hours, no index yet, and the form.
  await page.getByRole("heading", { name: "ЦНАП Сихівського району", level: 1 }).waitFor();
  await page.getByText("Понеділок: 08:00–17:00").waitFor();
  await page.getByText("Індексу ще немає").waitFor();
  await axe(page);
  await page.getByRole("link", { name: "Залишити відгук" }).click();
  await page.getByRole("heading", { name: "Як вас обслужили?" }).waitFor();
  await page.waitForFunction(() => document.getElementById("pow").value !== "", null, { timeout: 30_000 });
  await rate(page);
  const responses = await svc.gql(
    "query($v: ID!) { feedbackResponses(venueId: $v) { totalCount edges { node { channel counted } } } }",
    { v: venues.sykhiv },
    coordinator,
  );
  assert.deepEqual(
    responses.feedbackResponses.edges.map((e) => e.node),
    [{ channel: "WEB_MAP", counted: true }],
  );

  // The map shows the new count and an index (the service recomputes on its own within a second or two).
  await page.goto(`${svc.base}/map/`);
  for (let i = 0; i < 30 && (await listItem(page, "Сихівського").getByText("1 відгуків").count()) === 0; i++) {
    await page.waitForTimeout(500);
    await page.reload();
    await page.locator("#portal-list li").first().waitFor();
  }
  const item = listItem(page, "Сихівського");
  await item.getByText("1 відгуків").waitFor();
  await item.getByText(/Індекс \d+/).waitFor();

  // Search as you type, and "near me" puts Kyiv's center first with its distance.
  await page.getByLabel("Назва, адреса, громада або область").fill("липинського");
  await page.getByRole("status").getByText("Показано 1 з 3 центрів").waitFor();
  await page.getByLabel("Назва, адреса, громада або область").fill("");
  await page.getByRole("button", { name: "Поруч зі мною" }).click();
  await page
    .locator("#portal-list li")
    .first()
    .getByText(/ЦНАП Деснянського району/)
    .waitFor();
  await page
    .locator("#portal-list li")
    .first()
    .getByText(/\d+\.\d км/)
    .waitFor();
  await page.getByLabel("Область", { exact: true }).selectOption("Львівська");
  await page.getByRole("status").getByText("Показано 2 з 3 центрів").waitFor();

  // The center's page shows the same.
  await page.goto(`${svc.base}/map/centers/${venues.sykhiv}`);
  await page.getByText(/^Індекс \d+ \(\d+–\d+\)$/).waitFor();
  await page
    .getByRole("row", { name: /Оцінки відвідувачів/ })
    .getByText("1 відгуків")
    .waitFor();
  await page.getByText("Місце 1 з 1 серед великих центрів області").waitFor();
  await axe(page);
  assert.deepEqual(errors, []);
  await context.close();
});

test("without JavaScript: oblasts, hromadas and centers as lists, search, English, on a phone", async () => {
  const context = await svc.browser.newContext({ viewport: { width: 360, height: 780 }, locale: "uk-UA", javaScriptEnabled: false });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${svc.base}/map/`);
  await page.getByRole("link", { name: "Львівська" }).click();
  await page.getByRole("heading", { name: "Львівська", level: 1 }).waitFor();
  await page.getByRole("link", { name: "ЦНАП Шевченківського району" }).click();
  await page.getByRole("heading", { name: "ЦНАП Шевченківського району", level: 1 }).waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  await page.goto(`${svc.base}/map/`);
  await page.getByLabel("Пошук за назвою, адресою, громадою або областю").fill("деснянського");
  await page.getByRole("button", { name: "Знайти" }).click();
  await page.getByText("Знайдено: 1").waitFor();
  await page.getByRole("link", { name: "ЦНАП Деснянського району" }).click();
  await page.getByRole("link", { name: "English" }).click();
  await page.getByRole("link", { name: "Leave feedback" }).waitFor();
  await page.getByRole("heading", { name: "Month by month" }).waitFor();
  await context.close();
});

test("a comment shows on the center's page only after moderation, with its phone number masked", async () => {
  const context = await svc.browser.newContext({ viewport: { width: 360, height: 780 }, locale: "uk-UA", javaScriptEnabled: false });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${svc.base}/map/centers/${venues.kyiv}`);
  await page.getByRole("link", { name: "Залишити відгук" }).click();
  await rate(page, "Все швидко. Мене звати Олена, мій номер 050 111 22 33.");
  await page.goto(`${svc.base}/map/centers/${venues.kyiv}`);
  await page.getByText("Опублікованих відгуків ще немає.").waitFor();
  const pending = await svc.gql(
    "query($v: ID!) { feedbackResponses(venueId: $v, moderation: PENDING) { edges { node { id commentMasked } } } }",
    { v: venues.kyiv },
    coordinator,
  );
  const node = pending.feedbackResponses.edges[0].node;
  assert.equal(node.commentMasked, "Все швидко. Мене звати [ім'я], мій номер [телефон].");
  await svc.gql("mutation($id: ID!) { moderateFeedback(id: $id, publish: true) { moderation } }", { id: node.id }, coordinator);
  await page.reload();
  await page.getByText("Все швидко. Мене звати [ім'я], мій номер [телефон].").waitFor();
  assert.equal(await page.getByText("050 111").count(), 0);
  assert.equal(await page.getByText("Олена").count(), 0);
  await context.close();

  // With JavaScript on, the same page passes axe with its comment.
  const scan = await svc.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "uk-UA" });
  const scanned = await scan.newPage();
  await scanned.goto(`${svc.base}/map/centers/${venues.kyiv}`);
  await scanned.getByText(/\[телефон\]/).waitFor();
  await axe(scanned);
  await scan.close();
});

test("staff read the index table in the console, with the open data of the period", async () => {
  const context = await svc.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "uk-UA" });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await signInToConsole(page, svc.base, "coordinator@example.org", "index");
  await page.getByRole("heading", { name: "Індекс якості" }).waitFor();
  await page.getByLabel("Клієнт").selectOption({ label: "Мінцифри" });
  await page.getByRole("status").getByText("Показано 3 з 3 центрів").waitFor();
  // Best first: the two centers with responses have a headline and a place; the third has too few data.
  const first = page.getByRole("row").nth(1);
  await first.getByText("1 / 1").waitFor();
  await page
    .getByRole("row", { name: /Шевченківського/ })
    .getByText("замало даних")
    .first()
    .waitFor();
  await axe(page);
  const csv = await (
    await fetch(`${svc.base}${await page.getByRole("link", { name: "Відкриті дані періоду (CSV)" }).getAttribute("href")}`)
  ).text();
  assert.match(csv.split("\n")[0], /^period,venue_id,code,name,oblast,hromada,address,lat,lon,size_class,responses,visits,index/);
  assert.equal(csv.trim().split("\n").length, 4, "a header and the three public centers");
  // The period's responses themselves, raw comments included, for staff who moderate.
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Відгуки громадян за період (CSV)" }).click(),
  ]);
  const responses = readFileSync(await file.path(), "utf8")
    .replace(/^\uFEFF/, "")
    .trim()
    .split("\n");
  assert.match(responses[0], /^id,created_at,venue_id,venue_name,channel/);
  assert.equal(responses.length, 3, "a header and the two responses of the tests above");
  assert.ok(
    responses.some((line) => line.includes("050 111 22 33")),
    "the raw comment, for staff",
  );
  await context.close();
});
