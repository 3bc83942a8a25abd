// The staff console's review room in a real Chromium against the real service: a coordinator signs in, filters
// the queue, opens a visit made by a shopper (answers, positions on the map and in the table, flags), moves
// through the queue with the keyboard, returns the visit with a comment on a question, sees the resubmission and
// approves it — while a second coordinator who decided first is shown in words; a shopper is refused. axe-core
// scans every screen.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { axe, launchedWave, repo, signInToConsole, startService, submittedVisit, verifiedShopper } from "./harness.mjs";

const VENUES = [
  ["R1", "ЦНАП м. Львова", 49.84195, 24.0316],
  ["R2", "ТП ЦНАП Виговського", 49.8316, 23.9755],
];
const DEFINITION = {
  sections: [
    {
      code: "S",
      title: { uk: "Візит", en: "Visit" },
      questions: [
        { code: "Q1", title: { uk: "Чи є вивіска?", en: "Is there a sign?" }, type: "YES_NO", weight: 1, required: true },
        {
          code: "Q2",
          title: { uk: "Фото вивіски", en: "Photo of the sign" },
          type: "PHOTO",
          minCount: 1,
          caption: { uk: "вивіска", en: "sign" },
        },
      ],
    },
  ],
};

let svc;
let shopper;
let visits;

before(async () => {
  svc = await startService();
  const coordinator = await svc.login("coordinator@example.org");
  await launchedWave(svc, coordinator, { venues: VENUES, definition: DEFINITION });
  await verifiedShopper(svc, { email: "olena@example.com" });
  shopper = await svc.login("olena@example.com");
  const board = await svc.gql(
    "{ availableTasks(first: 10) { edges { node { taskId venueName venueLocation { lat lon } } } } }",
    {},
    shopper,
  );
  visits = {};
  for (const { node } of board.availableTasks.edges) {
    // Each visit carries a real phone photo (its EXIF place is far from Lviv, so the visit is flagged too).
    const photos = [["Q2", join(repo, "tests", "fixtures", "photos", "Nexus_4.jpg")]];
    visits[node.venueName] = await submittedVisit(svc, shopper, {
      task: node.taskId,
      ...node.venueLocation,
      answers: { Q1: false },
      photos,
    });
  }
  svc.createStaff("second@example.org", "COORDINATOR");
});

after(async () => {
  await svc?.stop();
});

const signIn = (page, email) => signInToConsole(page, svc.base, email);

test("a coordinator reviews in the console: queue, visit with its map, keyboard, return, resubmission, approval", async () => {
  const context = await svc.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "uk-UA" });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on("pageerror", (e) => console.log(`[page error] ${e.message}`));
  await page.goto(`${svc.base}/console/`);
  await page.getByRole("heading", { name: "Вхід для персоналу" }).waitFor();
  await axe(page);
  await page.getByRole("button", { name: "Увійти" }).click();
  await page.getByText("Заповніть це поле").first().waitFor();
  await signIn(page, "coordinator@example.org");

  // The queue: both visits, oldest submission first; filters by wave and flag.
  await page.getByRole("heading", { name: "Перевірка візитів" }).waitFor();
  await page.getByRole("status").filter({ hasText: "Візитів: 2" }).waitFor();
  await axe(page);
  await page.getByLabel("Позначка").selectOption("IMPOSSIBLE_TRAVEL");
  await page.getByRole("button", { name: "Показати" }).click();
  await page.getByText("Немає візитів для перевірки.").waitFor();
  await page.getByLabel("Позначка").selectOption("");
  await page.getByLabel("Хвиля").selectOption({ label: "Грудень" });
  await page.getByRole("button", { name: "Показати" }).click();
  await page.getByRole("status").filter({ hasText: "Візитів: 2" }).waitFor();
  const names = await page.locator("tbody tr td:first-child a").allTextContents();
  assert.equal(names.length, 2);

  // One visit: answers, flags, the map with the geofence and the positions, the same positions as a table.
  await page.getByRole("link", { name: names[0] }).click();
  await page.getByRole("heading", { name: names[0], level: 1 }).waitFor();
  const answers = page.locator("section").filter({ has: page.getByRole("heading", { name: "Відповіді" }) });
  await answers.getByRole("cell", { name: "Ні" }).waitFor();
  await page.getByRole("region", { name: /Мапа візиту/ }).waitFor();
  await page.locator(".map-point-checkin-1").waitFor();
  await page.locator(".map-point-checkout").waitFor();
  // The photo: its thumbnail, its place verdict, and the display copy zoomed in a dialog; the original is a link.
  await page.getByRole("button", { name: /Збільшити фото: 1\./ }).click();
  const zoom = page.getByRole("dialog");
  await zoom.locator("img").evaluate((img) => (img.complete ? null : new Promise((r) => (img.onload = r))));
  assert.ok(await zoom.locator("img").evaluate((img) => img.naturalWidth > 0));
  await zoom.getByRole("button", { name: "Наблизити" }).click();
  await zoom.getByText("150%").waitFor();
  await page.keyboard.press("Escape");
  await page.getByRole("link", { name: "Оригінал" }).first().waitFor();
  await page.getByRole("cell", { name: "Check-in 1 (прийнято)" }).waitFor();
  // The shopper by name, leading to their profile (never a raw id).
  const shopperLink = page.getByRole("link", { name: "Олена Петренко" });
  assert.match(await shopperLink.getAttribute("href"), /^#\/shopper\/[\w-]+$/);
  await axe(page);

  // The keyboard: j to the next visit, k back.
  await page.locator("body").press("j");
  await page.getByRole("heading", { name: names[1], level: 1 }).waitFor();
  await page.locator("body").press("k");
  await page.getByRole("heading", { name: names[0], level: 1 }).waitFor();
  await page.locator("body").press("a");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Схвалити");

  // A return needs its reason (said in words), then goes with a comment on the question.
  await page.getByRole("button", { name: "Повернути на виправлення" }).click();
  await page.getByRole("alert").filter({ hasText: "Що виправити" }).waitFor();
  await page.getByLabel("Коментар для покупця: Q1").fill("На фасаді є вивіска — перевірте ще раз");
  await page.getByLabel("Що виправити").fill("Відповідь на Q1 суперечить фото");
  await page.getByRole("button", { name: "Повернути на виправлення" }).click();
  await page.getByRole("status").filter({ hasText: "Рішення збережено: повернуто." }).waitFor();
  const id = visits[names[0]];
  const returned = await svc.gql(
    "query($id: ID!) { visit(id: $id) { state history { action reason comments { questionCode comment } } } }",
    { id },
    shopper,
  );
  assert.equal(returned.visit.state, "RETURNED");
  assert.deepEqual(returned.visit.history.at(-1), {
    action: "RETURN",
    reason: "Відповідь на Q1 суперечить фото",
    comments: [{ questionCode: "Q1", comment: "На фасаді є вивіска — перевірте ще раз" }],
  });

  // The shopper fixes and resubmits; the coordinator sees it and approves.
  await svc.gql("mutation($v: ID!, $a: JSON!) { saveVisitAnswers(visitId: $v, answers: $a) { id } }", { v: id, a: { Q1: true } }, shopper);
  await svc.gql("mutation($v: ID!) { submitVisit(visitId: $v) { state } }", { v: id }, shopper);
  await page.reload();
  await answers.getByRole("cell", { name: "Так" }).waitFor();
  await page.getByRole("button", { name: "Схвалити" }).click();
  await page.getByRole("status").filter({ hasText: "Рішення збережено: схвалено." }).waitFor();

  // Two coordinators on one visit: the second decided first; this one is told so in words.
  const other = visits[names[1]];
  await page.goto(`${svc.base}/console/#/visit/${other}`);
  await page.getByRole("heading", { name: names[1], level: 1 }).waitFor();
  const second = await svc.login("second@example.org");
  await svc.gql("mutation($v: ID!) { reviewVisit(visitId: $v, decision: APPROVE) { state } }", { v: other }, second);
  await page.getByLabel("Причина відхилення").fill("Фото не з цього закладу");
  await page.getByRole("button", { name: "Відхилити" }).click();
  const conflict = await page.getByRole("alert").textContent();
  assert.match(conflict, /інший координатор ухвалив рішення раніше.*Візит уже схвалено/, conflict);
  await page.locator("dd").filter({ hasText: "схвалено" }).waitFor();
  assert.equal((await svc.gql("query($id: ID!) { visit(id: $id) { state } }", { id: other }, second)).visit.state, "APPROVED");
  await axe(page);

  // English.
  await page.getByLabel("Мова").selectOption("en");
  await page.getByRole("button", { name: "Approve" }).waitFor();
  await context.close();
});

test("a coordinator imports venues: a dry run shows the bad row, the fixed file is imported and mapped", async () => {
  const context = await svc.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "uk-UA" });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await signIn(page, "coordinator@example.org");
  await page.getByRole("link", { name: "Заклади" }).click();
  await page.getByRole("heading", { name: "Заклади", level: 1 }).waitFor();
  await page.getByRole("status").filter({ hasText: "Закладів: 2" }).waitFor();
  await axe(page);

  // The seven Lviv offices as published, one of them with a broken latitude.
  const good = readFileSync(join(repo, "tests", "fixtures", "centers", "lviv_cnap_offices.csv"), "utf8");
  const lines = good.split("\n");
  lines[2] = lines[2].replace(/,49\.\d+,/, ",північ,");
  const bad = lines.join("\n");
  assert.notEqual(bad, good);
  await page.getByLabel("Стовпець для «externalCode»").fill("short_name");
  await page.getByLabel("Стовпець для «name»").fill("title_as_published");
  await page.getByLabel("Файл закладів").setInputFiles({ name: "lviv.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
  await page.getByRole("button", { name: "Перевірити без запису" }).click();
  await page.getByRole("status").filter({ hasText: "У файлі помилки (1)" }).waitFor();
  const errorRow = page.getByRole("table", { name: "Помилки за рядками" }).locator("tbody tr");
  assert.equal(await errorRow.count(), 1);
  assert.equal(await errorRow.locator("td").first().textContent(), "3");
  assert.match(await errorRow.locator("td").nth(1).textContent(), /lat/);
  await axe(page);
  // Importing the bad file writes nothing.
  await page.getByRole("button", { name: "Імпортувати" }).click();
  await page.getByRole("status").filter({ hasText: "У файлі помилки (1)" }).waitFor();
  await page.getByRole("status").filter({ hasText: "Закладів: 2" }).waitFor();

  // The fixed file: the dry run says what would happen, the import does it, the list and the map show it.
  await page.getByLabel("Файл закладів").setInputFiles({ name: "lviv.csv", mimeType: "text/csv", buffer: Buffer.from(good) });
  await page.getByRole("button", { name: "Перевірити без запису" }).click();
  await page.getByRole("status").filter({ hasText: "буде створено 7" }).waitFor();
  await page.getByRole("button", { name: "Імпортувати" }).click();
  await page.getByRole("status").filter({ hasText: "Імпортовано: рядків 7; створено 7" }).waitFor();
  await page.getByRole("status").filter({ hasText: "Закладів: 9" }).waitFor();
  await page.getByRole("region", { name: /Мапа закладів: 9 на мапі/ }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll(".leaflet-overlay-pane path").length === 9);
  await page.getByRole("cell", { name: "Центр надання адміністративних послуг м. Львова", exact: true }).waitFor();
  // Filters: a search narrows the table and the map together.
  await page.getByLabel("Пошук (назва, адреса, код)").fill("Виговського");
  await page.getByRole("button", { name: "Показати" }).click();
  await page
    .getByRole("status")
    .filter({ hasText: /Закладів: [12]$/ })
    .waitFor();
  await axe(page);
  // One client's posters as one ZIP (an SVG per center and an index).
  await page.getByRole("form", { name: "Фільтри" }).getByLabel("Клієнт").selectOption({ index: 1 });
  await page.getByRole("button", { name: "Показати" }).click();
  const [zip] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Завантажити всі QR-плакати клієнта (ZIP, SVG)" }).click(),
  ]);
  const archive = readFileSync(await zip.path());
  assert.equal(archive.subarray(0, 2).toString(), "PK");
  assert.ok(archive.includes(Buffer.from("index.csv")));

  // A venue's page: its geofence on the map, its hours; a bad hours line is named, the fixed form is saved.
  await page.getByRole("link", { name: "ТП ЦНАП Виговського" }).click();
  await page.getByRole("heading", { name: "ТП ЦНАП Виговського", level: 1 }).waitFor();
  await page.getByRole("region", { name: /Мапа: ТП ЦНАП Виговського, геозона 150 м/ }).waitFor();
  await page.getByText("Години роботи не вказано.").waitFor();
  await axe(page);
  await page.getByLabel("Геозона, м").fill("80");
  await page.getByRole("textbox", { name: "Години роботи" }).fill("MON 09:00-13:00\nMON 14:00-18:00\nсубота зранку");
  await page.getByRole("button", { name: "Зберегти заклад" }).click();
  await page.getByText("Рядок 3: потрібно, наприклад, MON 09:00-13:00").waitFor();
  await page.getByRole("textbox", { name: "Години роботи" }).fill("MON 09:00-13:00\nMON 14:00-18:00\nSAT 9:00-14:00");
  await page.getByLabel("Широта").fill("149.8");
  await page.getByRole("button", { name: "Зберегти заклад" }).click();
  // The service names the bad latitude; fixed, everything is saved.
  const refused = await page.getByRole("alert").first().textContent();
  assert.match(refused, /Широта: має бути числом від -90 до 90/, refused);
  await page.getByLabel("Широта").fill("49.8316");
  await page.getByRole("button", { name: "Зберегти заклад" }).click();
  await page.getByRole("status").filter({ hasText: "Заклад збережено." }).waitFor();
  await page.getByRole("cell", { name: "субота" }).waitFor();
  await page.getByRole("region", { name: /геозона 80 м/ }).waitFor();
  const coordinator = await svc.login("coordinator@example.org");
  const saved = await svc.gql(
    '{ venues(search: "Виговського", first: 5) { edges { node { geofenceM openingHours { weekday opens closes } } } } }',
    {},
    coordinator,
  );
  const venue = saved.venues.edges.find((e) => e.node.geofenceM === 80).node;
  assert.deepEqual(venue.openingHours, [
    { weekday: "MON", opens: "09:00", closes: "13:00" },
    { weekday: "MON", opens: "14:00", closes: "18:00" },
    { weekday: "SAT", opens: "09:00", closes: "14:00" },
  ]);
  await axe(page);
  await context.close();
});

test("a coordinator finds a shopper, sees the shared payout account, suspends with a reason and reactivates", async () => {
  // A second shopper paid to the same account as Olena (verifiedShopper gives both the same IBAN).
  await verifiedShopper(svc, { email: "taras@example.com", fullName: "Тарас Коваль", taxId: "3000000014" });
  const context = await svc.browser.newContext({ viewport: { width: 360, height: 740 }, locale: "uk-UA" });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await signIn(page, "coordinator@example.org");
  await page.getByRole("link", { name: "Таємні покупці" }).click();
  await page.getByRole("status").filter({ hasText: "Покупців: 2" }).waitFor();
  await page.getByLabel("Пошук (ім'я, пошта, телефон)").fill("taras");
  await page.getByRole("button", { name: "Показати" }).click();
  await page.getByRole("status").filter({ hasText: "Покупців: 1" }).waitFor();
  await axe(page);
  await page.getByRole("link", { name: "Тарас Коваль" }).click();
  await page.getByRole("heading", { name: "Тарас Коваль", level: 1 }).waitFor();
  // The shared payout account (and phone), each with a link to the other account.
  await page.getByRole("link", { name: "обліковий запис 1" }).first().waitFor();
  await axe(page);

  // Suspension needs a reason (said in words); with one, the shopper's sessions end.
  const taras = await svc.login("taras@example.com");
  await page.getByRole("button", { name: "Призупинити" }).click();
  await page.getByRole("alert").waitFor();
  await page.getByLabel("Причина (обов'язкова для призупинення)").fill("Один рахунок на два облікові записи");
  await page.getByRole("button", { name: "Призупинити" }).click();
  await page.getByRole("status").filter({ hasText: "Обліковий запис призупинено" }).waitFor();
  await page.getByText("призупинений — Один рахунок на два облікові записи").waitFor();
  await assert.rejects(svc.gql("{ me { id } }", {}, taras), /UNAUTHENTICATED/);
  await page.getByRole("button", { name: "Відновити" }).click();
  await page.getByRole("status").filter({ hasText: "Обліковий запис відновлено." }).waitFor();
  // The other account's page is one click away.
  await page.getByRole("link", { name: "обліковий запис 1" }).first().click();
  await page.getByRole("heading", { name: "Олена Петренко", level: 1 }).waitFor();
  // Her visits, each a link to its review page.
  await page.getByRole("heading", { name: "Візити (2)" }).waitFor();
  await page.getByRole("link", { name: "ТП ЦНАП Виговського" }).click();
  await page.getByRole("heading", { name: "ТП ЦНАП Виговського", level: 1 }).waitFor();
  await page.goBack();
  await page.getByRole("heading", { name: "Олена Петренко", level: 1 }).waitFor();
  await axe(page);
  await context.close();
});

test("the console is for staff: a shopper who signs in is told their role does not allow it", async () => {
  const context = await svc.browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await signIn(page, "olena@example.com");
  await page.getByText("Ваша роль їх не дозволяє").waitFor();
  await axe(page);
  // The token is kept for this tab only.
  assert.equal(await page.evaluate(() => localStorage.getItem("fieldwork.console.token")), null);
  assert.ok(await page.evaluate(() => sessionStorage.getItem("fieldwork.console.token")));
  await context.close();
});
