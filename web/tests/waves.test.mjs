// Waves in the staff console, in a real Chromium against the real service: a coordinator creates a wave from a
// published questionnaire, launches it (its tasks are created), previews the optimizer's plan (each shopper's
// load, tasks no one can take and why) and commits it, pauses, resumes, extends and closes the wave with a
// reason. axe-core scans each state.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { axe, launchedWave, PASSWORD, startService, verifiedShopper } from "./harness.mjs";

let svc;

before(async () => {
  svc = await startService();
  const coordinator = await svc.login("coordinator@example.org");
  await launchedWave(svc, coordinator, {
    venues: [
      ["W1", "ЦНАП м. Львова", 49.84195, 24.0316],
      ["W2", "ТП ЦНАП Виговського", 49.8316, 23.9755],
      ["W3", "ЦНАП м. Ужгорода", 48.6208, 22.2879],
    ],
    definition: { sections: [{ code: "S", title: { uk: "Візит" }, questions: [{ code: "Q1", title: { uk: "Чи є вивіска?" }, type: "YES_NO", weight: 1, required: true }] }] },
  });
  // One shopper at home in Lviv, 25 km radius: Uzhhorod is beyond anyone's reach.
  await verifiedShopper(svc, { email: "olena@example.com" });
});

after(async () => {
  await svc?.stop();
});

test("a coordinator creates, launches, auto-assigns, pauses, extends and closes a wave", async () => {
  const context = await svc.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "uk-UA" });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on("pageerror", (e) => console.log(`[page error] ${e.message}`));
  await page.goto(`${svc.base}/console/#/waves`);
  await page.getByLabel("Електронна пошта").fill("coordinator@example.org");
  await page.getByLabel("Пароль").fill(PASSWORD);
  await page.getByRole("button", { name: "Увійти" }).click();
  await page.getByRole("heading", { name: "Хвилі", level: 1 }).waitFor();
  await page.getByRole("cell", { name: "Грудень" }).waitFor();
  await axe(page);

  await page.getByLabel("Назва хвилі").fill("Січень");
  await page.getByLabel("Винагорода, грн").fill("450");
  await page.getByLabel("Сценарій для покупця").fill("Запитайте про оформлення ID-картки.");
  await page.getByRole("button", { name: "Створити хвилю" }).click();
  await page.getByRole("status").filter({ hasText: "Хвилю «Січень» створено як чернетку." }).waitFor();
  const row = page.getByRole("row").filter({ has: page.getByRole("cell", { name: "Січень" }) });
  await row.getByRole("cell", { name: "чернетка" }).waitFor();
  await row.getByRole("button", { name: "Керувати" }).click();
  await page.getByRole("button", { name: "Запустити" }).click();
  await page.getByRole("status").filter({ hasText: "Хвилю запущено: створено завдань 3." }).waitFor();
  await row.getByRole("cell", { name: "запущено" }).waitFor();

  // The optimizer's plan: Lviv's two tasks to the shopper, Uzhhorod's with its reason; then committed.
  await page.getByRole("button", { name: "Показати план" }).click();
  await page.getByRole("status").filter({ hasText: "План: 2 призначень" }).waitFor();
  await page.getByRole("table", { name: "Навантаження покупців" }).getByRole("cell", { name: "2", exact: true }).waitFor();
  const unassignable = page.getByRole("table", { name: "Завдання без виконавця" });
  await unassignable.getByRole("cell", { name: "ЦНАП м. Ужгорода" }).waitFor();
  await axe(page);
  await page.getByRole("button", { name: "Призначити за планом" }).click();
  await page.getByRole("status").filter({ hasText: "Призначено: 2." }).waitFor();
  const shopper = await svc.login("olena@example.com");
  const mine = await svc.gql("{ myTasks { edges { node { state venue { name } } } } }", {}, shopper);
  assert.deepEqual(mine.myTasks.edges.map((e) => e.node.state).sort(), ["ASSIGNED", "ASSIGNED"]);

  // Pause, resume, extend, close (a reason is needed, said in words).
  await page.getByRole("button", { name: "Призупинити хвилю" }).click();
  await row.getByRole("cell", { name: "призупинено" }).waitFor();
  await page.getByRole("button", { name: "Відновити хвилю" }).click();
  await row.getByRole("cell", { name: "запущено" }).waitFor();
  const later = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Kyiv" }).format(new Date(Date.now() + 45 * 86_400_000));
  await page.getByLabel("Подовжити до").fill(later);
  await page.getByRole("button", { name: "Подовжити", exact: true }).click();
  await page.getByRole("status").filter({ hasText: `Хвилю подовжено до ${later}.` }).waitFor();
  await row.getByRole("cell", { name: new RegExp(`– ${later}`) }).waitFor();
  await page.getByRole("button", { name: "Закрити хвилю" }).click();
  await page.getByRole("alert").waitFor();
  await page.getByLabel("Причина закриття").fill("Бюджет вичерпано");
  await page.getByRole("button", { name: "Закрити хвилю" }).click();
  await page.getByRole("status").filter({ hasText: "Хвилю закрито" }).waitFor();
  await row.getByRole("cell", { name: /закрито/ }).waitFor();
  await axe(page);
  await context.close();
});
