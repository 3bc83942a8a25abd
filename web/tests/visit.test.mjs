// The visit when the server says no, in a real Chromium at 360 px against the real service: files the phone
// refuses before they are sent (a text file, an iPhone's HEIC), a photo and a submission the server refuses (the
// visit opens for editing again and is sent once), a visit continued in a fresh browser profile, a double tap on
// the check-in, a task lost to another shopper leaving the board, nearby venues clustered on the board map, and a
// warning for work left unsent for hours. The app's record converges to the server's
// copy every time (web/app/src/converge.ts).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { axe, launchedWave, repo, signInInApp, startService, verifiedShopper } from "./harness.mjs";

const photo = (name) => join(repo, "tests", "fixtures", "photos", name);
/** 101 KB: the server takes it. */
const SMALL = photo("Samsung_GT-I9000_Galaxy_S.jpg");
/** 2.3 MB: a browser decodes it, this server (photos of at most 1 MB) refuses it. */
const LARGE = photo("Apple_iPhone_5.jpg");

const VENUES = [
  ["R1", "ЦНАП Ринок", 49.8419, 24.0316],
  ["R2", "ЦНАП Шевченка", 49.8449, 24.0316],
  ["R3", "ЦНАП Франка", 49.8389, 24.0316],
  ["R4", "ЦНАП Личаків", 49.8479, 24.0316],
  ["R5", "ЦНАП Замарстинів", 49.8509, 24.0316],
];
const DEFINITION = {
  sections: [
    {
      code: "S",
      title: { uk: "Візит", en: "Visit" },
      questions: [
        { code: "Q1", title: { uk: "Чи є вивіска?", en: "Is there a sign?" }, type: "YES_NO", weight: 1, required: true },
        {
          code: "P2",
          title: { uk: "Фото вивіски", en: "Photo of the sign" },
          type: "PHOTO",
          required: true,
          minCount: 1,
          caption: { uk: "вивіска", en: "the sign" },
        },
      ],
    },
  ],
};
const VISIT = `query($id: ID!) { visit(id: $id) { state checkInAttempts { id } photos { id } history { action } answers } }`;

let svc;
let coordinator;
const tokens = {};

before(async () => {
  svc = await startService({ env: { FIELDWORK_PHOTOS__MAX_BYTES: String(1024 * 1024) } });
  coordinator = await svc.login("coordinator@example.org");
  await launchedWave(svc, coordinator, { venues: VENUES, definition: DEFINITION, visitRules: { minMinutes: 0 } });
  const shoppers = [
    ["s1@example.com", "3000000008"],
    ["s2@example.com", "3000000014"],
    ["s3@example.com", "3000000020"],
    ["s4@example.com", "3000000037"],
    ["s5@example.com", "3000000043"],
  ];
  for (const [email, taxId] of shoppers) {
    await verifiedShopper(svc, { email, taxId, fullName: `Покупець ${taxId.slice(-2)}` });
    tokens[email] = await svc.login(email);
  }
});

after(async () => {
  await svc?.stop();
});

/** The task at a venue, claimed by the shopper through the API. */
async function claimed(email, venueName) {
  const board = await svc.gql("{ availableTasks(first: 20) { edges { node { taskId venueName } } } }", {}, tokens[email]);
  const task = board.availableTasks.edges.find((e) => e.node.venueName === venueName).node.taskId;
  await svc.gql("mutation($t: ID!) { claimTask(taskId: $t) { id } }", { t: task }, tokens[email]);
  return task;
}

/** A phone at the venue, signed in as the shopper. */
async function phone(email, [, , lat, lon]) {
  const context = await svc.browser.newContext({
    viewport: { width: 360, height: 740 },
    locale: "uk-UA",
    geolocation: { latitude: lat + 0.0001, longitude: lon, accuracy: 10 },
    permissions: ["geolocation"],
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await signInInApp(page, svc.base, email);
  return { context, page, errors };
}

async function openVisit(page, task) {
  await page.evaluate((t) => (location.hash = `#/visit/${t}`), task);
}

async function checkIn(page, { double = false } = {}) {
  await page.getByRole("button", { name: "Визначити місцезнаходження" }).click();
  await page.getByText(/Ви за \d+ м від закладу/).waitFor();
  const button = page.getByRole("button", { name: "Відмітитися" });
  if (double) await button.dblclick();
  else await button.click();
  await page.getByText("Відмітку прибуття прийнято.").waitFor();
}

const sent = (page) => page.getByTestId("pending").waitFor({ state: "detached", timeout: 30_000 });
const gallery = (page) => page.locator("#q-P2-gallery");
const count = (page, n) => page.getByTestId("photo-count-P2").getByText(`Фото: ${n} `).waitFor();

async function myVisit(email, task) {
  return (await svc.gql("query($t: ID!) { myVisit(taskId: $t) { id } }", { t: task }, tokens[email])).myVisit;
}

test("venues a few hundred metres apart gather into one cluster on the board map, which opens to its points", async () => {
  const { context, page, errors } = await phone("s5@example.com", VENUES[0]);
  await page.getByRole("button", { name: "На мапі" }).click();
  await page.getByRole("region", { name: /Мапа завдань: 5 на мапі/ }).waitFor();
  // The map opens on the home radius (25 km): the five centres, 330 m apart, are one button.
  const cluster = page.getByRole("button", { name: "Завдань поруч: 5. Наблизити" });
  await cluster.waitFor();
  assert.equal(await page.locator("[class*=map-point-]").count(), 0, "no point drawn on another");
  await axe(page);
  await cluster.click();
  const board = await svc.gql("{ availableTasks(first: 20) { edges { node { taskId } } } }", {}, tokens["s5@example.com"]);
  for (const { node } of board.availableTasks.edges) await page.locator(`.map-point-${node.taskId}`).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("a text file and an iPhone's HEIC are refused on the phone in Ukrainian; the question stays open; a good photo goes", async () => {
  const task = await claimed("s1@example.com", "ЦНАП Ринок");
  const { context, page, errors } = await phone("s1@example.com", VENUES[0]);
  await openVisit(page, task);
  await checkIn(page);
  await page.getByRole("group", { name: "Чи є вивіска? (обов'язково)" }).getByLabel("Так").check();

  await gallery(page).setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("not a photo at all") });
  const note = page.getByTestId("visit-note");
  await note.getByText("Фото не додано: не є зображенням JPEG, PNG чи WebP").waitFor();
  await count(page, 0);
  await gallery(page).setInputFiles(photo("IMG_5195.HEIC"));
  await note.getByText(/Фото не додано: це фото HEIC\/HEIF.*«Найсумісніший»/).waitFor();
  await count(page, 0);
  await axe(page);
  await sent(page);
  const before = (await svc.gql(VISIT, { id: (await myVisit("s1@example.com", task)).id }, coordinator)).visit;
  assert.equal(before.photos.length, 0, "nothing refused was sent");

  await gallery(page).setInputFiles(SMALL);
  await count(page, 1);
  assert.equal(await note.count(), 0, "the note goes once the question is answered");
  await page.getByRole("button", { name: "Відмітити вихід" }).click();
  await page.getByText("Усе заповнено.").waitFor();
  await page.getByRole("button", { name: "Надіслати візит" }).click();
  await page.getByText(/Візит надіслано на перевірку/).waitFor();
  await sent(page);
  const visit = (await svc.gql(VISIT, { id: (await myVisit("s1@example.com", task)).id }, coordinator)).visit;
  assert.equal(visit.state, "SUBMITTED");
  assert.equal(visit.photos.length, 1);
  assert.deepEqual(
    visit.history.map((h) => h.action),
    ["SUBMIT"],
  );
  assert.deepEqual(errors, []);
  await context.close();
});

test("a photo and a submission the server refuses: the visit opens for editing again, says why, and is sent once", async () => {
  const task = await claimed("s2@example.com", "ЦНАП Шевченка");
  const { context, page, errors } = await phone("s2@example.com", VENUES[1]);
  await openVisit(page, task);
  await checkIn(page);
  await sent(page);
  // Offline, the whole visit is done and sent; the photo is one this server will not take.
  await context.setOffline(true);
  await page.getByRole("group", { name: "Чи є вивіска? (обов'язково)" }).getByLabel("Так").check();
  await gallery(page).setInputFiles(LARGE);
  await count(page, 1);
  await page.getByRole("button", { name: "Відмітити вихід" }).click();
  await page.getByText("Усе заповнено.").waitFor();
  await page.getByRole("button", { name: "Надіслати візит" }).click();
  await page.getByText(/Візит надіслано на перевірку/).waitFor();

  // Back online: the photo is refused, so is the submission; the app believes nothing the server does not hold.
  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  const notes = page.getByTestId("visit-note");
  await notes.getByText(/Не прийнято \(фото\): має 2[.,]\d МБ; приймаємо фото до 1 МБ/).waitFor();
  await notes.getByText(/Не прийнято \(надсилання візиту\): потрібне фото/).waitFor();
  await count(page, 0);
  await page.getByText("Ще бракує відповідей на:").waitFor();
  assert.equal(await gallery(page).isDisabled(), false, "the question can be answered again");
  assert.equal(await page.getByText(/Візит надіслано на перевірку/).count(), 0);
  await sent(page);
  await axe(page);
  const id = (await myVisit("s2@example.com", task)).id;
  assert.equal((await svc.gql(VISIT, { id }, coordinator)).visit.state, "IN_PROGRESS");

  await gallery(page).setInputFiles(SMALL);
  await count(page, 1);
  await page.getByRole("button", { name: "Надіслати візит" }).click();
  await page.getByText(/Візит надіслано на перевірку/).waitFor();
  await sent(page);
  const visit = (await svc.gql(VISIT, { id }, coordinator)).visit;
  assert.equal(visit.state, "SUBMITTED");
  assert.equal(visit.photos.length, 1);
  assert.deepEqual(
    visit.history.map((h) => h.action),
    ["SUBMIT"],
    "submitted once",
  );
  assert.deepEqual(errors, []);
  await context.close();
});

test("a double tap checks in once; the same shopper continues the visit in a fresh browser profile", async () => {
  const task = await claimed("s3@example.com", "ЦНАП Франка");
  const first = await phone("s3@example.com", VENUES[2]);
  await openVisit(first.page, task);
  await checkIn(first.page, { double: true });
  await first.page.getByRole("group", { name: "Чи є вивіска? (обов'язково)" }).getByLabel("Так").check();
  await gallery(first.page).setInputFiles(SMALL);
  await count(first.page, 1);
  await sent(first.page);
  assert.deepEqual(await first.page.getByRole("alert").allTextContents(), [], "nothing refused, nothing left on screen");
  const id = (await myVisit("s3@example.com", task)).id;
  assert.equal((await svc.gql(VISIT, { id }, coordinator)).visit.checkInAttempts.length, 1, "one check-in");
  await first.context.close();

  // A new phone: offline it knows nothing of the visit and checks in again; online, the server's visit wins.
  const second = await phone("s3@example.com", VENUES[2]);
  await second.page.getByRole("link", { name: "Мої завдання" }).click();
  await second.page.getByRole("heading", { name: "Мої завдання" }).waitFor();
  // The new phone has its task list (a phone that never saw the task cannot open it offline), not the visit.
  await second.page.getByRole("heading", { name: "ЦНАП Франка" }).waitFor();
  await second.context.setOffline(true);
  await openVisit(second.page, task);
  await second.page.getByRole("button", { name: "Визначити місцезнаходження" }).click();
  await second.page.getByRole("button", { name: "Відмітитися" }).click();
  await second.page.getByText("Відмітку прибуття збережено й буде надіслано, щойно з'явиться мережа.").waitFor();
  await second.context.setOffline(false);
  await second.page.evaluate(() => window.dispatchEvent(new Event("online")));
  await second.page.getByText("Відмітку прибуття прийнято.").waitFor();
  const group = second.page.getByRole("group", { name: "Чи є вивіска? (обов'язково)" });
  await group.getByLabel("Так").waitFor();
  await second.page.waitForFunction(() => document.querySelector("input[type=radio]:checked") !== null);
  assert.equal(await group.getByLabel("Так").isChecked(), true, "the answer made on the first phone");
  await count(second.page, 1);
  await second.page.getByRole("img", { name: "Фото 1 (на сервері): Фото вивіски" }).waitFor();
  await sent(second.page);
  assert.deepEqual(await second.page.getByRole("alert").allTextContents(), [], "the refused second check-in is not left as an alert");
  await axe(second.page);
  await second.page.getByRole("button", { name: "Відмітити вихід" }).click();
  await second.page.getByText("Усе заповнено.").waitFor();
  await second.page.getByRole("button", { name: "Надіслати візит" }).click();
  await second.page.getByText(/Візит надіслано на перевірку/).waitFor();
  await sent(second.page);
  const visit = (await svc.gql(VISIT, { id }, coordinator)).visit;
  assert.equal(visit.state, "SUBMITTED");
  assert.equal(visit.photos.length, 1);
  assert.equal(visit.answers.Q1, true);
  assert.deepEqual(second.errors, []);
  await second.context.close();
});

test("a task taken by another shopper first leaves the loser's board, with the reason in Ukrainian", async () => {
  const { context, page, errors } = await phone("s4@example.com", VENUES[3]);
  const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "ЦНАП Личаків" }) });
  await card.waitFor();
  await claimed("s5@example.com", "ЦНАП Личаків");
  await card.getByRole("button", { name: "Взяти завдання" }).click();
  await page
    .getByRole("alert")
    .getByText(/Сервер не прийняв: взяти завдання/)
    .waitFor();
  await card.waitFor({ state: "detached" });
  await axe(page);
  assert.deepEqual(errors, []);
  await context.close();
});

test("work left unsent for over three hours is warned about (the phone's clock moved, not waited for)", async () => {
  const { context, page, errors } = await phone("s1@example.com", VENUES[4]);
  await page.clock.install();
  await page.reload();
  const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "ЦНАП Замарстинів" }) });
  await card.waitFor();
  await context.setOffline(true);
  await card.getByRole("button", { name: "Взяти завдання" }).click();
  await page.getByTestId("pending").waitFor();
  assert.equal(await page.getByTestId("stale").count(), 0);
  await page.clock.fastForward("03:00:30");
  await page
    .getByTestId("stale")
    .getByText(/понад 3 год/)
    .waitFor();
  await axe(page);
  await context.setOffline(false);
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await page.getByTestId("pending").waitFor({ state: "detached", timeout: 30_000 });
  await page.getByTestId("stale").waitFor({ state: "detached" });
  assert.deepEqual(errors, []);
  await context.close();
});
