// A shopper's whole journey in a real Chromium against the real service: sign-up → the confirmation mail from the
// SMTP server → sign-in → claim → check-in with an emulated position → a checklist with a conditional question →
// a photo through the app's live camera (Chromium's fake camera playing a real photo) → the network off mid-visit,
// the app closed and opened again, check-out and submission offline → the network back → exactly one check-in,
// one set of answers, one photo and one submission on the server → the coordinator returns it with a comment →
// the shopper fixes and resubmits → approval → the earnings on the money screen. Every screen is scanned with
// axe-core; the phone is 360 px wide, and the last screens are seen at 1280 px in English.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { axe, launchedWave, PASSWORD, signUpInApp, startService } from "./harness.mjs";

const VENUE = { lat: 49.84195, lon: 24.0316 };
const DEFINITION = {
  sections: [
    {
      code: "ARRIVAL",
      title: { uk: "Прибуття", en: "Arrival" },
      questions: [
        { code: "Q_SIGN", title: { uk: "Чи є вивіска ЦНАП?", en: "Is there a sign?" }, type: "YES_NO", weight: 2, required: true },
        {
          code: "Q_SERVICE",
          title: { uk: "Результат звернення", en: "Outcome" },
          type: "SINGLE_CHOICE",
          weight: 1,
          required: true,
          options: [
            { code: "DONE", label: { uk: "Послугу надано", en: "Served" }, score: 1 },
            { code: "REFUSED", label: { uk: "Відмовлено", en: "Refused" }, score: 0 },
          ],
        },
        {
          code: "Q_REASON",
          title: { uk: "Причина відмови", en: "Why refused" },
          type: "TEXT",
          required: true,
          visibleIf: { equals: { question: "Q_SERVICE", value: "REFUSED" } },
        },
        {
          code: "Q_WAIT",
          title: { uk: "Скільки чекали в черзі?", en: "How long did you wait?" },
          type: "DURATION",
          maxMinutes: 240,
          weight: 1,
          bands: [{ upTo: 10, score: 1 }],
        },
        {
          code: "Q_BOARD",
          title: { uk: "Фото табло черги", en: "Photo of the queue display" },
          type: "PHOTO",
          required: true,
          minCount: 1,
          caption: { uk: "табло черги", en: "queue display" },
        },
      ],
    },
  ],
};

let svc;
let coordinator;

before(async () => {
  svc = await startService();
  coordinator = await svc.login("coordinator@example.org");
  await launchedWave(svc, coordinator, {
    venues: [["L1", "ЦНАП м. Львова", VENUE.lat, VENUE.lon]],
    definition: DEFINITION,
    visitRules: { liveCaptureQuestions: ["Q_BOARD"], minMinutes: 0 },
  });
});

after(async () => {
  await svc?.stop();
});

const VISIT_QUERY = `query($id: ID!) { visit(id: $id) { state answers checkInAttempts { id } photos { source questionCode capture { accuracyM } }
  history { action } } }`;

test("a shopper's whole journey, with the network lost mid-visit", async () => {
  const { base, gql } = svc;
  const context = await svc.browser.newContext({
    viewport: { width: 360, height: 740 },
    locale: "uk-UA",
    geolocation: { latitude: VENUE.lat + 0.0002, longitude: VENUE.lon, accuracy: 12 },
    permissions: ["geolocation", "camera"],
  });
  let page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const errors = [];
  const watch = (p) => p.on("pageerror", (e) => errors.push(e.message));
  watch(page);

  // Sign-up, the mail from the SMTP server, its link, sign-in.
  await page.goto(`${base}/app/`);
  await page.getByRole("button", { name: "Вперше тут? Зареєструватися" }).click();
  await signUpInApp(page, {
    email: "iryna@example.com",
    fullName: "Ірина Мельник",
    phone: "+380671112233",
    iban: "UA213223130000026007233566001",
    taxId: "3000000008",
  });
  await page.getByText("Ми надіслали лист на iryna@example.com").waitFor();
  const [link] = await svc.mailMatching("iryna@example.com", /http:\/\/[^\s]+\/verify-email\?token=[A-Za-z0-9_-]+/);
  const verified = await fetch(link.replace(/^http:\/\/[^/]+/, base));
  assert.equal(verified.status, 200);
  await page.getByRole("button", { name: "Вхід" }).click();
  const fill = async (label, value) => page.getByLabel(label, { exact: true }).fill(value);
  await fill("Електронна пошта", "iryna@example.com");
  await fill("Пароль", PASSWORD);
  await page.getByRole("button", { name: "Увійти" }).click();

  // The board, a claim, my tasks, the task page.
  await page.getByRole("heading", { name: "Доступні завдання" }).waitFor();
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 20_000 });
  const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "ЦНАП м. Львова" }) });
  await card.getByRole("button", { name: "Взяти завдання" }).click();
  await page.getByTestId("pending").waitFor({ state: "detached" });
  await page.getByRole("link", { name: "Мої завдання" }).click();
  await page.getByRole("heading", { name: "Мої завдання" }).waitFor();
  await axe(page);
  await page.getByRole("link", { name: "Відкрити завдання" }).click();
  await page.getByRole("heading", { name: "ЦНАП м. Львова" }).waitFor();
  await page.getByText("Запитайте про оформлення паспорта").waitFor();
  await axe(page);
  const taskId = page.url().split("/").pop();

  // Check-in with the emulated position.
  await page.getByRole("button", { name: "Почати візит" }).click();
  await page.getByRole("button", { name: "Визначити місцезнаходження" }).click();
  await page.getByText(/Ви за \d+ м від закладу/).waitFor();
  await axe(page);
  await page.getByRole("button", { name: "Відмітитися" }).click();
  await page.getByText("Відмітку прибуття прийнято.").waitFor();
  await page.getByTestId("pending").waitFor({ state: "detached" });

  // The network goes; the visit goes on.
  await context.setOffline(true);
  const group = (name) => page.getByRole("group", { name });
  await group("Чи є вивіска ЦНАП? (обов'язково)").getByLabel("Так").check();
  await group("Результат звернення (обов'язково)").getByLabel("Відмовлено").check();
  // The conditional question appears, is answered, and goes again (its answer with it) when the outcome changes.
  await page.getByLabel("Причина відмови (обов'язково)").fill("Немає бланків");
  await page.getByLabel("Причина відмови (обов'язково)").blur();
  await group("Результат звернення (обов'язково)").getByLabel("Послугу надано").check();
  await page.getByLabel("Причина відмови (обов'язково)").waitFor({ state: "detached" });
  await page.getByLabel("Скільки чекали в черзі? (хвилин)").fill("7");
  // The screen re-renders while the shopper types (here: the phone thinks the network is back, tries the outbox
  // and fails): what was typed stays.
  const offline = page.getByText("Немає з'єднання: дії збережено й буде надіслано, щойно мережа повернеться.");
  await offline.waitFor();
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await offline.waitFor({ state: "detached" }); // re-rendered as online, while the send attempt fails
  assert.equal(await page.getByLabel("Скільки чекали в черзі? (хвилин)").inputValue(), "7");
  await page.getByLabel("Скільки чекали в черзі? (хвилин)").blur();
  await axe(page);
  // The live camera: Chromium's fake device shows the real photo; the shutter takes it.
  await page.getByRole("button", { name: "Зробити фото" }).click();
  const camera = page.getByRole("dialog", { name: "Камера" });
  await camera.waitFor();
  await page
    .locator("video")
    .evaluate((v) => (v.readyState >= 2 ? null : new Promise((r) => v.addEventListener("playing", r, { once: true }))));
  await axe(page);
  await camera.getByRole("button", { name: "Зняти" }).click();
  await camera.waitFor({ state: "detached" });
  await page.getByTestId("photo-count-Q_BOARD").getByText("Фото: 1").waitFor();
  assert.equal(await page.getByRole("img", { name: "Фото 1: Фото табло черги" }).count(), 1);
  await page.getByText(/Очікують надсилання: \d+/).waitFor();

  // The app is closed and opened again, still offline: answers and photo are still there.
  await page.close();
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
  watch(page);
  await page.goto(`${base}/app/#/visit/${taskId}`);
  await page.getByRole("heading", { name: "ЦНАП м. Львова" }).waitFor();
  assert.equal(await group("Чи є вивіска ЦНАП? (обов'язково)").getByLabel("Так").isChecked(), true);
  assert.equal(await page.getByLabel("Скільки чекали в черзі? (хвилин)").inputValue(), "7");
  await page.getByTestId("photo-count-Q_BOARD").getByText("Фото: 1").waitFor();
  await page.getByRole("button", { name: "Відмітити вихід" }).click();
  await page.getByText("Усе заповнено.").waitFor();
  await page.getByRole("button", { name: "Надіслати візит" }).click();
  await page.getByText(/Візит надіслано на перевірку/).waitFor();
  await axe(page);

  // The network is back: everything goes, once.
  await context.setOffline(false);
  await page.getByTestId("pending").waitFor({ state: "detached", timeout: 60_000 });
  assert.deepEqual(await page.getByRole("alert").allTextContents(), [], "nothing was refused");
  const shopper = await svc.login("iryna@example.com");
  const mine = await gql("{ myVisits { totalCount edges { node { id } } } }", {}, shopper);
  assert.equal(mine.myVisits.totalCount, 1, "one visit");
  const visitId = mine.myVisits.edges[0].node.id;
  let visit = (await gql(VISIT_QUERY, { id: visitId }, coordinator)).visit;
  assert.equal(visit.state, "SUBMITTED");
  assert.equal(visit.checkInAttempts.length, 1, "one check-in");
  assert.deepEqual(
    Object.fromEntries(Object.entries(visit.answers).sort()),
    { Q_BOARD: { photos: 1 }, Q_SERVICE: "DONE", Q_SIGN: true, Q_WAIT: 7 },
    "one set of answers, without the hidden one",
  );
  assert.equal(visit.photos.length, 1, "one photo");
  assert.equal(visit.photos[0].source, "LIVE_CAMERA");
  assert.equal(visit.photos[0].questionCode, "Q_BOARD");
  assert.ok(visit.photos[0].capture, "taken with a capture token, position and time");
  assert.deepEqual(
    visit.history.map((h) => h.action),
    ["SUBMIT"],
    "one submission",
  );

  // The coordinator returns it with a comment on one question.
  await gql(
    'mutation($v: ID!) { reviewVisit(visitId: $v, decision: RETURN, reason: "Перевірте вивіску", comments: [{ questionCode: "Q_SIGN", comment: "На фото вивіски не видно" }]) { state } }',
    { v: visitId },
    coordinator,
  );
  await page.getByRole("link", { name: "Мої візити" }).click();
  const item = page.getByTestId(`visit-${visitId}`);
  await item.getByText("повернуто на виправлення").waitFor();
  await axe(page);
  await item.getByRole("link", { name: "Виправити візит" }).click();
  await page.getByText("Коментар перевіряльника: На фото вивіски не видно").waitFor();
  await axe(page);
  await group("Чи є вивіска ЦНАП? (обов'язково)").getByLabel("Ні").check();
  await page.getByRole("button", { name: "Надіслати виправлений візит" }).click();
  await page.getByText(/Візит надіслано на перевірку/).waitFor();
  await page.getByTestId("pending").waitFor({ state: "detached" });
  visit = (await gql(VISIT_QUERY, { id: visitId }, coordinator)).visit;
  assert.equal(visit.state, "SUBMITTED");
  assert.equal(visit.answers.Q_SIGN, false);
  assert.equal(visit.photos.length, 1);
  assert.deepEqual(
    visit.history.map((h) => h.action),
    ["SUBMIT", "RETURN", "SUBMIT"],
  );

  // Approval, and the earnings on the money screen (in English, on a wide screen).
  await gql("mutation($v: ID!) { reviewVisit(visitId: $v, decision: APPROVE) { state } }", { v: visitId }, coordinator);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByLabel("Мова").selectOption("en");
  await page.getByRole("link", { name: "Money" }).click();
  await page
    .getByTestId("balance")
    .getByText(/400\.00/)
    .waitFor();
  await page.getByText("Visit approved").waitFor();
  await axe(page);
  await page.getByRole("link", { name: "My visits" }).click();
  await page.getByTestId(`visit-${visitId}`).getByText("approved").waitFor();
  await page.getByRole("link", { name: "Profile" }).click();
  await page.getByLabel("Full name").waitFor();
  await axe(page);
  assert.deepEqual(errors, [], "no script errors");
  await context.close();
});
