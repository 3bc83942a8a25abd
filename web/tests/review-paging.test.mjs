// The review queue pages: 52 submitted visits, the first 50 shown with how many there are, "show more" brings the
// last two, and every visit is reachable. In a real Chromium against the real service at 1280 px.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { axe, launchedWave, signInToConsole, startService, submittedVisit, verifiedShopper } from "./harness.mjs";

const COUNT = 52;
let svc;

before(async () => {
  svc = await startService();
  const coordinator = await svc.login("coordinator@example.org");
  const venues = Array.from({ length: COUNT }, (_, i) => [`P${i + 1}`, `ЦНАП №${i + 1}`, 49.8 + i * 0.002, 24.0]);
  await launchedWave(svc, coordinator, {
    venues,
    definition: {
      sections: [
        {
          code: "S",
          title: { uk: "Візит" },
          questions: [{ code: "Q1", title: { uk: "Чи є вивіска?" }, type: "YES_NO", weight: 1, required: true }],
        },
      ],
    },
    visitRules: { minMinutes: 0 },
    wave: { maxTasksPerShopper: COUNT },
  });
  await verifiedShopper(svc, { email: "busy@example.com" });
  const shopper = await svc.login("busy@example.com");
  const board = await svc.gql("{ availableTasks(first: 100) { edges { node { taskId venueLocation { lat lon } } } } }", {}, shopper);
  assert.equal(board.availableTasks.edges.length, COUNT);
  for (const { node } of board.availableTasks.edges) {
    await submittedVisit(svc, shopper, {
      task: node.taskId,
      lat: node.venueLocation.lat,
      lon: node.venueLocation.lon,
      answers: { Q1: true },
    });
  }
});

after(async () => {
  await svc?.stop();
});

test("the review queue shows 50 visits of 52, and the rest on asking", async () => {
  const context = await svc.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "uk-UA" });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await signInToConsole(page, svc.base, "coordinator@example.org");
  await page.getByRole("heading", { name: "Перевірка візитів" }).waitFor();
  await page
    .getByRole("status")
    .filter({ hasText: `Візитів: ${COUNT}` })
    .waitFor();
  const rows = page.locator("tbody tr");
  assert.equal(await rows.count(), 50);
  const more = page.getByRole("button", { name: `Показати ще (показано 50 з ${COUNT})` });
  await axe(page);
  await more.click();
  await page.waitForFunction((n) => document.querySelectorAll("tbody tr").length === n, COUNT);
  await more.waitFor({ state: "detached" });
  const names = await page.locator("tbody tr td:first-child a").allTextContents();
  assert.equal(new Set(names).size, COUNT, "every visit once");
  await context.close();
});
