// The payments room of the staff console in a real Chromium against the real service: one payments user makes a
// period's batch and finds its approval off with the reason beside it, a second approves it, the CSV and both pain.001 files
// download (the XML validates against the ISO 20022 schemas with xmllint), the bank's status file is imported
// with its result, and the ledger check is shown. axe-core scans each state.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { axe, repo, signInToConsole, startService, verifiedShopper } from "./harness.mjs";

let svc;
let saved;

before(async () => {
  svc = await startService({ env: { FIELDWORK_PAYOUTS__DEBTOR_IBAN: "UA213223130000026007233566001" } });
  svc.createStaff("maker@example.org", "PAYMENTS");
  svc.createStaff("checker@example.org", "PAYMENTS");
  await verifiedShopper(svc, { email: "olena@example.com" });
  const shopper = (await svc.gql("{ me { id } }", {}, await svc.login("olena@example.com"))).me.id;
  const maker = await svc.login("maker@example.org");
  await svc.gql(
    'mutation($s: ID!) { adjustBalance(shopperId: $s, amountKopiykas: 50000, reason: "Візити листопада", idempotencyKey: "nov") { id } }',
    { s: shopper },
    maker,
  );
  saved = mkdtempSync(join(tmpdir(), "fieldwork-downloads-"));
});

after(async () => {
  await svc?.stop();
  if (saved) rmSync(saved, { recursive: true, force: true });
});

async function signIn(page, email) {
  await signInToConsole(page, svc.base, email);
  await page.getByRole("heading", { name: "Виплати", level: 1 }).waitFor();
}

async function downloaded(page, button) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: button }).click()]);
  const path = join(saved, file.suggestedFilename());
  await file.saveAs(path);
  return path;
}

test("a batch is made by one person, approved by another, exported, and settled from the bank's file", async () => {
  const context = await svc.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "uk-UA" });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on("pageerror", (e) => console.log(`[page error] ${e.message}`));
  await signIn(page, "maker@example.org");
  await page.getByText("Пакетів ще немає.").waitFor();
  await axe(page);
  // Periods are days in Kyiv (ledger entries are dated there).
  const kyiv = (ms) => new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Kyiv" }).format(new Date(ms));
  const today = kyiv(Date.now());
  const from = kyiv(Date.now() - 30 * 86_400_000);
  await page.getByLabel("Період з").fill(from);
  await page.getByLabel("Період по").fill(today);
  await page.getByRole("button", { name: "Сформувати пакет" }).click();
  await page.getByRole("status").filter({ hasText: "Пакет сформовано: 1 рядків" }).waitFor();
  await page.getByRole("cell", { name: "чернетка (чекає затвердження)" }).waitFor();
  // The maker may not approve (four eyes): the button says why it is off (the service refuses it too).
  const approve = page.getByRole("button", { name: "Затвердити" });
  assert.ok(await approve.isDisabled());
  await page.getByText("Ви створили цей пакет, тому затвердити його має інша людина.").waitFor();
  assert.equal(
    await approve.evaluate((b) => document.getElementById(b.getAttribute("aria-describedby")).textContent),
    "Ви створили цей пакет, тому затвердити його має інша людина.",
  );
  await page.getByRole("cell", { name: "чернетка (чекає затвердження)" }).waitFor();
  await axe(page);
  await page.getByRole("button", { name: "Вийти" }).click();

  await signIn(page, "checker@example.org");
  await page.getByRole("button", { name: "Затвердити" }).click();
  await page.getByRole("status").filter({ hasText: "Пакет затверджено" }).waitFor();
  await page.getByRole("cell", { name: "затверджено", exact: true }).waitFor();

  // The bank files: the CSV names the shopper's account; both XML versions validate against their schemas.
  const csv = readFileSync(await downloaded(page, "Завантажити CSV"), "utf8");
  assert.match(csv, /UA213223130000026007233566001/);
  for (const [button, xsd] of [
    ["Завантажити pain.001.001.09", "pain.001.001.09.xsd"],
    ["Завантажити pain.001.001.03", "pain.001.001.03.xsd"],
  ]) {
    const xml = await downloaded(page, button);
    const check = spawnSync("xmllint", ["--noout", "--schema", join(repo, "tests", "fixtures", "iso20022", "xsd", xsd), xml]);
    assert.equal(check.status, 0, `${xsd}: ${check.stderr}`);
  }

  // The lines, then the bank's status file: the line is paid.
  await page.getByRole("button", { name: "Рядки пакета" }).click();
  await page.getByRole("cell", { name: "Олена Петренко" }).waitFor();
  await axe(page);
  const checker = await svc.login("checker@example.org");
  const batches = await svc.gql(
    "{ payoutBatches(first: 1) { edges { node { lines(first: 5) { edges { node { endToEndId } } } } } } }",
    {},
    checker,
  );
  const reference = batches.payoutBatches.edges[0].node.lines.edges[0].node.endToEndId;
  await page.getByLabel("Файл статусів від банку (CSV)").setInputFiles({
    name: "status.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`end_to_end_id,status,reason\n${reference},PAID,\n`),
  });
  await page.getByRole("status").filter({ hasText: "Статуси імпортовано: сплачено 1, відхилено 0." }).waitFor();
  await page.getByRole("cell", { name: "сплачено", exact: true }).waitFor();
  await page.getByText("Облік зведено").waitFor();
  await axe(page);

  // Ledger totals for this year: the adjustment and the payout, one transaction each.
  const year = new Date().getFullYear();
  await page.getByLabel("Підсумки з").fill(`${year}-01-01`);
  await page.getByLabel("Підсумки по").fill(today);
  await page.getByRole("button", { name: "Показати підсумки" }).click();
  const totals = page.getByRole("table", { name: `Підсумки з ${year}-01-01 по ${today}` });
  await totals.getByRole("cell", { name: "коригування" }).waitFor();
  await totals.getByRole("cell", { name: "виплати" }).waitFor();
  // Olena's money: nothing left to pay, the history, and this year's statement with its CSV.
  await page.getByLabel("Покупець (ім'я, пошта, телефон)").fill("olena");
  await page.getByRole("button", { name: "Знайти" }).click();
  await page.getByRole("button", { name: "Олена Петренко (olena@example.com)" }).click();
  await page.getByRole("heading", { name: "Олена Петренко", level: 3 }).waitFor();
  await page.getByRole("table", { name: "Історія обліку (2)" }).waitFor();
  await page
    .getByRole("table", { name: `Довідка про доходи за ${year} рік` })
    .getByRole("cell", { name: /500,00/ })
    .first()
    .waitFor();
  const statement = await downloaded(page, `Завантажити довідку за ${year} (CSV)`);
  assert.match(readFileSync(statement, "utf8"), /500/);
  await axe(page);
  await context.close();
});
