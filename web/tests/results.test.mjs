// The results room in a real Chromium against the real service: a client's analyst (CLIENT_VIEWER) signs in,
// sees the wave's results in charts, on a map coloured by score and in tables, opens a visit with its photo
// (zoomed, no original), downloads the XLSX and the CSV, and is refused another client's wave; a coordinator
// reads every client's results. axe-core scans every screen.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { axe, launchedWave, repo, signInToConsole, startService, submittedVisit, verifiedShopper } from "./harness.mjs";

const DEFINITION = {
  sections: [
    {
      code: "S",
      title: { uk: "Візит", en: "Visit" },
      questions: [
        { code: "SIGN", title: { uk: "Чи є вивіска?", en: "Is there a sign?" }, type: "YES_NO", weight: 2, required: true },
        { code: "POLITE", title: { uk: "Ввічливість", en: "Politeness" }, type: "SCALE", min: 1, max: 5, weight: 1 },
        {
          code: "BOARD",
          title: { uk: "Фото табло", en: "Queue display" },
          type: "PHOTO",
          minCount: 1,
          caption: { uk: "табло", en: "display" },
        },
      ],
    },
  ],
};
const VENUES = [
  ["R1", "ЦНАП м. Львова", 49.84195, 24.0316],
  ["R2", "ТП ЦНАП Виговського", 49.8316, 23.9755],
];
const PHOTO = join(repo, "tests", "fixtures", "photos", "Nexus_4.jpg");

let svc;
let own;
let other;

before(async () => {
  svc = await startService();
  const coordinator = await svc.login("coordinator@example.org");
  own = await launchedWave(svc, coordinator, { venues: VENUES, definition: DEFINITION });
  other = await launchedWave(svc, coordinator, {
    venues: [["K1", "ЦНАП Києва", 50.45, 30.52]],
    definition: DEFINITION,
    clientName: "Київська міська рада",
    name: "Київ, грудень",
  });
  await verifiedShopper(svc, { email: "olena@example.com" });
  const shopper = await svc.login("olena@example.com");
  const board = await svc.gql(
    "{ availableTasks(first: 10) { edges { node { taskId venueName venueLocation { lat lon } } } } }",
    {},
    shopper,
  );
  const answers = { "ЦНАП м. Львова": { SIGN: true, POLITE: 5 }, "ТП ЦНАП Виговського": { SIGN: false, POLITE: 3 } };
  for (const { node } of board.availableTasks.edges.filter((e) => answers[e.node.venueName])) {
    const photos = node.venueName === "ЦНАП м. Львова" ? [["BOARD", PHOTO]] : [];
    const visit = await submittedVisit(svc, shopper, {
      task: node.taskId,
      ...node.venueLocation,
      answers: answers[node.venueName],
      photos,
    });
    await svc.gql("mutation($v: ID!) { reviewVisit(visitId: $v, decision: APPROVE) { state } }", { v: visit }, coordinator);
  }
  svc.createStaff("analyst@lviv.example.org", "CLIENT_VIEWER", own.client);
});

after(async () => {
  await svc?.stop();
});

test("a client's analyst reads the wave's results, opens a visit, downloads them, and is refused another client's", async () => {
  const context = await svc.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "uk-UA", acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await signInToConsole(page, svc.base, "analyst@lviv.example.org");

  // A client viewer lands in the results room; only their client's wave is offered.
  await page.getByRole("heading", { name: "Результати", level: 1 }).waitFor();
  // The waves arrive after the heading.
  await page.getByLabel("Хвиля").locator("option").nth(1).waitFor({ state: "attached" });
  const offered = await page.getByLabel("Хвиля").locator("option").allTextContents();
  assert.deepEqual(offered.slice(1), ["Грудень · Львівська міська рада (" + offered[1].split("(")[1]]);
  assert.equal(offered.length, 2);
  await page.getByLabel("Хвиля").selectOption({ index: 1 });
  // SIGN yes (2·1) + POLITE 5 (1·1) → 100; SIGN no (0) + POLITE 3 (1·0.5) → 16.67; mean 58.33.
  await page.getByText("Львівська міська рада: схвалених візитів 2, середній бал 58.3.").waitFor();
  await axe(page);

  // Charts: by oblast (bars) drawn on its canvas with its table; over waves, one wave makes no line, and the
  // page says why instead of an empty chart (its table is there).
  const charts = page.locator(".chart canvas");
  await charts.first().waitFor();
  const overWaves = page.locator("section").filter({ has: page.getByRole("heading", { name: "Бал за хвилями" }) });
  await overWaves.getByText("Лінія з’явиться, коли будуть щонайменше дві хвилі з оціненими візитами; поки що є одна").waitFor();
  await overWaves.getByRole("cell", { name: "58.3" }).first().waitFor();
  assert.equal(await charts.count(), 1);
  const painted = await charts.evaluateAll((canvases) =>
    canvases.map((c) => {
      const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      return n;
    }),
  );
  assert.ok(
    painted.every((n) => n > 500),
    `charts are drawn: ${painted}`,
  );
  assert.match(await charts.first().getAttribute("aria-label"), /За областями.*58\.3/);
  const byOblast = page.locator("section").filter({ has: page.getByRole("heading", { name: "За областями" }) });
  await byOblast.getByRole("cell", { name: "58.3" }).waitFor();

  // The map: one point per venue, coloured by its score; the table beside it says the same.
  await page.getByRole("region", { name: "Карта закладів, колір — середній бал" }).waitFor();
  // Leaflet loads on demand, after the region is there.
  await page.waitForFunction(() => document.querySelectorAll(".leaflet-overlay-pane path").length === 2);
  const fills = await page.locator(".leaflet-overlay-pane path").evaluateAll((paths) => paths.map((p) => p.getAttribute("fill")).sort());
  assert.deepEqual(fills, ["#1d4ed8", "#c2410c"]);
  const byVenue = page.locator("section").filter({ has: page.getByRole("heading", { name: "За закладами" }) });
  await byVenue.getByRole("cell", { name: "100.0", exact: true }).first().waitFor();
  // A venue picked in the table: its own score over the waves, charted and in a table.
  await byVenue.getByRole("button", { name: "ТП ЦНАП Виговського" }).click();
  const venueTrend = page
    .locator("section")
    .filter({ has: page.getByRole("heading", { name: "Бал закладу за хвилями: ТП ЦНАП Виговського" }) });
  await venueTrend.getByRole("cell", { name: "16.7" }).waitFor();
  await venueTrend.getByText("Лінія з’явиться").waitFor();
  // Questions: the yes share and the mean of the scale.
  const byQuestion = page.locator("section").filter({ has: page.getByRole("heading", { name: "За питаннями" }) });
  await byQuestion.getByText("«Так»: 50.0%").waitFor();
  await byQuestion.getByText("Середнє: 4.00").waitFor();

  // The XLSX and the CSV download (fetched with the session's token).
  const [xlsx] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Завантажити XLSX" }).click()]);
  assert.match(xlsx.suggestedFilename(), /\.xlsx$/);
  const book = readFileSync(await xlsx.path());
  assert.equal(book.subarray(0, 2).toString(), "PK", "an XLSX is a ZIP");
  assert.ok(book.includes(Buffer.from("xl/worksheets/sheet1.xml")));
  await page.getByRole("status").filter({ hasText: "XLSX" }).waitFor();
  const [csv] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Завантажити CSV" }).click()]);
  const text = readFileSync(await csv.path(), "utf8").replace(/^\uFEFF/, "");
  const [header, ...rows] = text.trim().split(/\r?\n/);
  assert.match(header, /^visit_id,wave,venue_code,.*,score,SIGN,POLITE,BOARD$/);
  assert.equal(rows.length, 2);

  // A visit: answers and the display photo, zoomed in a dialog; no original for a client.
  await page.getByRole("link", { name: "Відкрити візит: ЦНАП м. Львова" }).click();
  await page.getByRole("heading", { name: "ЦНАП м. Львова · Грудень" }).waitFor();
  await page.getByRole("cell", { name: "Так", exact: true }).waitFor();
  await axe(page);
  await page.getByRole("button", { name: /Збільшити фото/ }).click();
  const dialog = page.getByRole("dialog");
  await dialog.waitFor();
  await dialog.locator("img").evaluate((img) => (img.complete ? null : new Promise((r) => (img.onload = r))));
  assert.ok(await dialog.locator("img").evaluate((img) => img.naturalWidth > 0), "the display copy loads");
  await dialog.getByRole("button", { name: "Наблизити" }).click();
  await dialog.getByText("150%").waitFor();
  await axe(page);
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
  assert.equal(await page.getByRole("link", { name: "Оригінал" }).count(), 0);

  // Another client's wave, asked for by its address: refused in words.
  await page.goto(`${svc.base}/console/#/results/${other.wave}`);
  await page.getByRole("alert").waitFor();
  assert.match(await page.getByRole("alert").textContent(), /not found|не знайдено/i);

  // English.
  await page.goto(`${svc.base}/console/#/results/${own.wave}`);
  await page.getByLabel("Мова").selectOption("en");
  await page.getByRole("heading", { name: "By question" }).waitFor();
  await page.getByText("“Yes”: 50.0%").waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("a coordinator reads every client's results; on a 360 px phone the tables scroll and nothing overflows", async () => {
  const context = await svc.browser.newContext({ viewport: { width: 360, height: 780 }, locale: "uk-UA" });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await signInToConsole(page, svc.base, "coordinator@example.org", `results/${other.wave}`);
  await page.getByRole("heading", { name: "Київ, грудень" }).waitFor();
  await page.getByText("У цій хвилі ще немає схвалених візитів.").waitFor();
  await page.getByLabel("Хвиля").locator("option").nth(2).waitFor({ state: "attached" });
  assert.equal(await page.getByLabel("Хвиля").locator("option").count(), 3);
  await page.getByLabel("Хвиля").selectOption({ label: (await page.getByLabel("Хвиля").locator("option").nth(1).textContent()).trim() });
  await page.getByText("схвалених візитів 2").waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  await axe(page);
  await context.close();
});

test("an admin invites a client viewer; the mailed link sets the password; the viewer reads only results", async () => {
  svc.createStaff("admin@example.org", "ADMIN");
  const context = await svc.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "uk-UA" });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await signInToConsole(page, svc.base, "admin@example.org", "staff");
  await page.getByRole("heading", { name: "Персонал", level: 1 }).waitFor();
  await page
    .getByRole("status")
    .filter({ hasText: /Облікових записів: \d+/ })
    .waitFor();
  await axe(page);
  // A client viewer needs a client (said before asking the service); then the invitation goes out.
  await page.getByLabel("Електронна пошта").fill("board@lviv.example.org");
  await page.getByLabel("Роль").first().selectOption("CLIENT_VIEWER");
  await page.getByRole("button", { name: "Запросити", exact: true }).click();
  await page.getByRole("alert").filter({ hasText: "Оберіть клієнта" }).waitFor();
  await page.getByLabel("Клієнт").selectOption({ label: "Львівська міська рада" });
  await page.getByRole("button", { name: "Запросити", exact: true }).click();
  await page.getByRole("status").filter({ hasText: "Запрошення надіслано на board@lviv.example.org." }).waitFor();
  await page.getByRole("cell", { name: "board@lviv.example.org", exact: true }).waitFor();
  await axe(page);

  // The invited person follows the mailed link, chooses a password, and signs in: results only.
  const [link] = await svc.mailMatching("board@lviv.example.org", /https?:\/\/\S+reset-password\?token=[A-Za-z0-9_-]+/);
  const invited = await context.newPage();
  await invited.goto(link.replace(/^https?:\/\/[^/]+/, svc.base));
  await invited.getByLabel("Новий пароль / New password").fill("a long new password 2026");
  await invited.getByRole("button", { name: "Зберегти / Save" }).click();
  await invited.waitForLoadState();
  const viewer = await svc.gql('mutation { login(email: "board@lviv.example.org", password: "a long new password 2026") { token } }');
  assert.ok(viewer.login.token);
  await context.close();
  const fresh = await svc.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "uk-UA" });
  const viewerPage = await fresh.newPage();
  viewerPage.setDefaultTimeout(15_000);
  await viewerPage.goto(`${svc.base}/console/#/staff`);
  await viewerPage.getByLabel("Електронна пошта").fill("board@lviv.example.org");
  await viewerPage.getByLabel("Пароль").fill("a long new password 2026");
  await viewerPage.getByRole("button", { name: "Увійти" }).click();
  // Asked for the staff room, a client viewer gets results; the menu has only what clients read.
  await viewerPage.getByRole("heading", { name: "Результати", level: 1 }).waitFor();
  const menu = await viewerPage.getByRole("navigation", { name: "Розділи" }).getByRole("link").allTextContents();
  assert.deepEqual(menu, ["Результати", "Індекс якості"]);
  // The index room: their own client only, and no raw responses to download.
  await viewerPage.getByRole("link", { name: "Індекс якості" }).click();
  await viewerPage.getByRole("heading", { name: "Індекс якості", level: 1 }).waitFor();
  await viewerPage
    .getByRole("status")
    .getByText(/Показано \d+ з \d+ центрів/)
    .waitFor();
  assert.equal(await viewerPage.getByLabel("Клієнт").locator("option").count(), 1);
  assert.equal(await viewerPage.getByRole("button", { name: /Відгуки громадян/ }).count(), 0);
  await fresh.close();

  // The admin suspends the account with a reason, then reactivates it.
  const again = await svc.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "uk-UA" });
  const adminPage = await again.newPage();
  adminPage.setDefaultTimeout(15_000);
  await signInToConsole(adminPage, svc.base, "admin@example.org", "staff");
  await adminPage.getByLabel("Причина призупинення: board@lviv.example.org").fill("Договір з клієнтом завершено");
  await adminPage.getByRole("button", { name: "Призупинити board@lviv.example.org" }).click();
  await adminPage.getByRole("status").filter({ hasText: "board@lviv.example.org: обліковий запис призупинено." }).waitFor();
  await adminPage.getByRole("cell", { name: /призупинений — Договір з клієнтом завершено/ }).waitFor();
  await adminPage.getByRole("button", { name: "Відновити board@lviv.example.org" }).click();
  await adminPage.getByRole("status").filter({ hasText: "знову активний" }).waitFor();
  await again.close();
});
