// Long user-written text and long lists, in a real Chromium against the real service: a center whose name is
// 200 characters (150 of them one unbroken run, as a careless import writes) and a 2,000-character comment
// without a space never make a page wider than the screen, on a 360 px phone (the citizens' pages, the portal,
// the shoppers' app) or the staff's 1280 px desktop (the console); and a list longer than a page (55 responses)
// shows its first 50 and the rest behind "show more", without repeating or losing one. axe-core scans each page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { axe, launchedWave, signInInApp, signInToConsole, startService, verifiedShopper } from "./harness.mjs";

let svc;
let venue;
const LONG_NAME =
  `ЦНАП ${"Адміністративнийцентрнаданняпослуг".repeat(5).slice(0, 150)} Личаківського району міста Львова, вул. Пекарська`.slice(0, 200);
const LONG_COMMENT = "Ж".repeat(2000);
const RESPONSES = 55;

before(async () => {
  svc = await startService({ env: { FIELDWORK_FEEDBACK__MIN_FILL_SECONDS: "1" } });
  const coordinator = await svc.login("coordinator@example.org");
  const { client } = await launchedWave(svc, coordinator, {
    venues: [["L1", LONG_NAME, 49.84195, 24.0316]],
    definition: {
      sections: [
        {
          code: "S",
          title: { uk: "Візит" },
          questions: [{ code: "Q1", title: { uk: "Чи є вивіска?" }, type: "YES_NO", weight: 1, required: true }],
        },
      ],
    },
  });
  const venues = await svc.gql("query($c: ID!) { venues(clientId: $c) { edges { node { id name } } } }", { c: client }, coordinator);
  venue = venues.venues.edges[0].node.id;
  assert.equal(venues.venues.edges[0].node.name.length, 200);
  await verifiedShopper(svc, { email: "olena@example.com" });
  // 55 visitors, each on a device of their own; every one leaves a comment, the last (the newest) a 2,000-character one.
  // One network may send 20 an hour: the clock moves an hour between each 20.
  for (let first = 0; first < RESPONSES; first += 20) {
    const forms = [];
    for (let i = first; i < Math.min(first + 20, RESPONSES); i++) {
      const response = await fetch(`${svc.base}/feedback/${venue}`);
      const html = await response.text();
      forms.push({ i, token: html.match(/name="token" value="([^"]+)"/)[1], cookie: response.headers.get("set-cookie").split(";")[0] });
    }
    await svc.advanceClock(2_000);
    for (const { i, token, cookie } of forms) {
      const sent = await fetch(`${svc.base}/feedback/${venue}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie },
        body: new URLSearchParams({
          token,
          premises: "4",
          recommend: "9",
          comment: i === RESPONSES - 1 ? LONG_COMMENT : `Відгук номер ${i + 1}`,
        }),
      });
      assert.equal(sent.status, 200, `response ${i + 1}`);
    }
    await svc.advanceClock(3_600_000);
  }
});

after(async () => {
  await svc?.stop();
});

/** How many pixels the page is wider than its window (0 when it fits). */
async function overflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

test("a 200-character name and a 2,000-character comment fit a 360 px phone and a 1280 px desktop", async () => {
  const phone = await svc.browser.newContext({ viewport: { width: 360, height: 740 }, locale: "uk-UA" });
  const page = await phone.newPage();
  page.setDefaultTimeout(15_000);
  // The citizens' form and the portal's center page.
  for (const path of [`/feedback/${venue}`, `/map/centers/${venue}`]) {
    await page.goto(`${svc.base}${path}`);
    await page.getByText(LONG_NAME.slice(0, 40)).first().waitFor();
    assert.ok((await overflow(page)) <= 0, `${path} is ${await overflow(page)} px wider than the phone`);
    await axe(page);
  }
  // A center imported without an oblast is still one click from the map's list of oblasts.
  await page.getByRole("link", { name: "Область не вказана" }).click();
  await page.getByRole("heading", { name: "Область не вказана", level: 1 }).waitFor();
  await page.getByRole("link", { name: new RegExp(LONG_NAME.slice(0, 30)) }).waitFor();
  assert.ok((await overflow(page)) <= 0, `the oblast page is ${await overflow(page)} px wider than the phone`);
  await axe(page);
  // The shoppers' app: the task card names the center.
  await signInInApp(page, svc.base, "olena@example.com");
  await page.getByRole("heading", { name: LONG_NAME }).waitFor();
  assert.ok((await overflow(page)) <= 0, `the app is ${await overflow(page)} px wider than the phone`);
  await phone.close();

  const desk = await svc.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "uk-UA" });
  const console_ = await desk.newPage();
  console_.setDefaultTimeout(15_000);
  await signInToConsole(console_, svc.base, "coordinator@example.org", "feedback");
  await console_.getByText(LONG_COMMENT.slice(0, 100)).first().waitFor();
  assert.ok((await overflow(console_)) <= 0, `the console is ${await overflow(console_)} px wider than the desktop`);
  // The comment wraps inside its card: its box is no wider than the card it is in.
  const { comment, card } = await console_.evaluate(
    (start) => {
      const dd = [...document.querySelectorAll("dd")].find((d) => d.textContent.startsWith(start));
      return { comment: dd.getBoundingClientRect().width, card: dd.closest("article").getBoundingClientRect().width };
    },
    LONG_COMMENT.slice(0, 10),
  );
  assert.ok(comment <= card, `the comment (${comment} px) is wider than its card (${card} px)`);
  // The rooms that show the center's name: the venue list and its page.
  for (const route of ["venues", `venue/${venue}`]) {
    await console_.goto(`${svc.base}/console/#/${route}`);
    await console_.getByText(LONG_NAME.slice(0, 40)).first().waitFor();
    assert.ok((await overflow(console_)) <= 0, `#/${route} is ${await overflow(console_)} px wider than the desktop`);
    await axe(console_);
  }
  await axe(console_);
  await desk.close();
});

test("55 responses show 50 at first and the other 5 behind “show more”", async () => {
  const context = await svc.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "uk-UA" });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await signInToConsole(page, svc.base, "coordinator@example.org", "feedback");
  await page
    .getByRole("status")
    .filter({ hasText: `Відгуків: ${RESPONSES}` })
    .waitFor();
  const cards = page.locator("article.response");
  await page.getByRole("button", { name: `Показати ще (показано 50 з ${RESPONSES})` }).waitFor();
  assert.equal(await cards.count(), 50);
  await page.getByRole("button", { name: `Показати ще (показано 50 з ${RESPONSES})` }).click();
  await page.getByRole("button", { name: /Показати ще/ }).waitFor({ state: "detached" });
  assert.equal(await cards.count(), RESPONSES);
  // Every response once: the headings name the response's time, which the numbered comments tell apart.
  const comments = await page.locator("article.response dd").allTextContents();
  const numbered = new Set(comments.filter((c) => c.startsWith("Відгук номер")));
  assert.equal(numbered.size, RESPONSES - 1);
  // A filter starts again from the first page.
  await page.getByLabel("Модерація").selectOption("PUBLISHED");
  await page.getByRole("status").filter({ hasText: "Відгуків: 0" }).waitFor();
  assert.equal(await cards.count(), 0);
  await page.getByLabel("Модерація").selectOption("");
  await page.getByRole("button", { name: `Показати ще (показано 50 з ${RESPONSES})` }).waitFor();
  await axe(page);
  await context.close();
});
