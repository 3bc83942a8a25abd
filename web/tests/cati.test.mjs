// Phone interviews in a real Chromium at 1280 px against the real service, its clock moved, never waited for. A
// coordinator creates a study in #/call-center (a refused value is named at its field and what was typed stays),
// draws its sample with a seed; an operator works three cases in #/calls with the keyboard: a completed
// interview (the number shown as a tel: link, answers saved as typed and back after a reload), a no answer, and
// an appointment (one in the past refused in words beside its field, then one at 15:00 their time); the next
// case waits for an outcome. The supervisor's board then shows the counts and the rates changed. axe-core scans
// both screens.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { axe, launchedWave, signInToConsole, startService } from "./harness.mjs";

/** 2026-12-08 10:00 in Kyiv (a Tuesday). */
const MORNING = Date.UTC(2026, 11, 8, 8, 0, 0);

let svc;
let client;

async function setClock(atMs) {
  const response = await fetch(`${svc.base}/testing/clock`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ atMs }),
  });
  assert.equal(response.status, 200);
}

before(async () => {
  svc = await startService();
  svc.createStaff("operator@example.org", "OPERATOR");
  const coordinator = await svc.login("coordinator@example.org");
  ({ client } = await launchedWave(svc, coordinator, {
    clientName: "ЦНАП телефонні опитування",
    venues: [["LV-1", "ЦНАП м. Львова", 49.84195, 24.0316]],
    definition: {
      sections: [
        {
          code: "S",
          title: { uk: "Візит", en: "Visit" },
          questions: [{ code: "Q1", title: { uk: "Чи є вивіска?", en: "Sign?" }, type: "YES_NO", weight: 1 }],
        },
      ],
    },
  }));
  await setClock(MORNING);
  const completed = new Date(MORNING - 20 * 3_600_000).toISOString();
  const events = ["0501110001", "0501110002", "0501110003", "0501110004"].map((phone, i) => ({
    externalId: `C-${i}`,
    center: "LV-1",
    service: "PASSPORT",
    completedAt: completed,
    phone,
    consent: true,
  }));
  await svc.gql(
    "mutation($c: ID, $e: [ServiceEventInput!]!) { reportServiceEvents(clientId: $c, events: $e) { accepted } }",
    { c: client, e: events },
    coordinator,
  );
});

after(async () => {
  await svc?.stop();
});

test("a study is drawn, an operator works three cases by keyboard, and the supervisor sees it", async () => {
  const boss = await svc.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "uk-UA" });
  const supervisor = await boss.newPage();
  await signInToConsole(supervisor, svc.base, "coordinator@example.org", "call-center");
  await supervisor.getByRole("heading", { name: "Кол-центр" }).waitFor();
  await supervisor.getByLabel("Клієнт").selectOption({ label: "ЦНАП телефонні опитування" });
  await supervisor.getByLabel("Квоти за").selectOption("CENTER");
  await supervisor.getByLabel("Перший день послуг").fill("2026-12-01");
  await supervisor.getByLabel("Останній день послуг").fill("2026-12-31");
  await supervisor.getByLabel("Вибірка на страту").fill("10");
  await supervisor.getByLabel("Потрібно інтерв'ю на страту").fill("5");
  // No name: refused at its field, in Ukrainian; the other values stay as typed.
  await supervisor.getByRole("button", { name: "Створити дослідження" }).click();
  await supervisor.locator("#cati-name-error").waitFor();
  assert.match(await supervisor.locator("#cati-name-error").innerText(), /символ|порожн/);
  assert.equal(await supervisor.getByLabel("Вибірка на страту").inputValue(), "10");
  await supervisor.getByLabel("Назва").fill("Грудень, Львів");
  await supervisor.getByRole("button", { name: "Створити дослідження" }).click();
  await supervisor.getByText("Дослідження створено").waitFor();
  await supervisor.getByLabel("Зерно вибірки").fill("web-seed");
  await supervisor.getByRole("button", { name: "Витягти вибірку" }).click();
  await supervisor.getByText("У вибірці 4 з 4 придатних; зерно «web-seed».").waitFor();
  await supervisor.getByRole("table", { name: "Показники відгуку (AAPOR)" }).waitFor();
  await axe(supervisor);

  const desk = await svc.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "uk-UA" });
  const operator = await desk.newPage();
  await signInToConsole(operator, svc.base, "operator@example.org", "calls");
  await operator.getByRole("heading", { name: "Дзвінки" }).waitFor();
  await operator.getByRole("combobox", { name: "Дослідження" }).waitFor();
  await operator.locator("#cati-study option", { hasText: "Грудень, Львів" }).waitFor({ state: "attached" });
  await axe(operator);
  const heading = operator.getByRole("heading", { name: "ЦНАП м. Львова" });
  const radio = (group, name) => operator.getByRole("group", { name: group }).getByRole("radio", { name, exact: true });
  const outcome = (name) => operator.getByRole("group", { name: "Результат", exact: true }).getByRole("radio", { name, exact: true });
  const keyed = async (locator, key = "Space") => {
    await locator.focus();
    await operator.keyboard.press(key);
  };

  // Case 1: N takes it; D shows the number as a tel: link; answers by keyboard, saved as typed.
  await operator.locator("body").press("n");
  await heading.waitFor();
  await operator.keyboard.press("d");
  const dial = operator.locator("#cati-dial");
  await dial.waitFor();
  assert.match(await dial.getAttribute("href"), /^tel:\+38050111000\d$/);
  await axe(operator);
  await keyed(radio("Приміщення: зручність, чистота, доступність", "чудово"));
  await keyed(radio("Працівники: ввічливість і компетентність", "добре"));
  await keyed(radio(/порекомендуєте/, "9"));
  await operator.getByLabel("Що варто покращити?").focus();
  await operator.keyboard.type("Довга черга зранку");
  await operator.getByText(/Відповіді збережено/).waitFor();
  // A closed tab loses nothing: after a reload the same case comes back with what was typed.
  await operator.reload();
  await heading.waitFor();
  assert.equal(await operator.getByLabel("Що варто покращити?").inputValue(), "Довга черга зранку");
  assert.equal(await radio("Приміщення: зручність, чистота, доступність", "чудово").isChecked(), true);
  // The next case waits for an outcome.
  await operator.locator("body").press("n");
  await operator.getByText("Спершу запишіть результат цього дзвінка.").waitFor();
  await keyed(outcome("Інтерв'ю завершено"));
  await operator.keyboard.press("Control+Enter");
  await operator.getByText("Записано: Інтерв'ю завершено.").waitFor();

  // Case 2: no answer.
  await operator.keyboard.press("n");
  await operator.getByRole("table", { name: "Попередні дзвінки" }).getByText("триває").waitFor();
  await keyed(outcome("Не відповідає"));
  await operator.keyboard.press("Control+Enter");
  await operator.getByText("Записано: Не відповідає.").waitFor();

  // Case 3: an appointment. One in the past is refused at its field; the note typed stays; 15:00 is taken.
  await operator.keyboard.press("n");
  await operator.getByRole("table", { name: "Попередні дзвінки" }).getByText("триває").waitFor();
  await keyed(outcome("Домовилися про інший час"));
  await operator.getByLabel("Нотатка").focus();
  await operator.keyboard.type("Просила після обіду");
  const when = operator.getByLabel(/Дата й час домовленості/);
  await when.fill("2026-12-08T09:00");
  await operator.keyboard.press("Control+Enter");
  await operator.locator("#cati-appointmentAt-error").waitFor();
  assert.match(await operator.locator("#cati-appointmentAt-error").innerText(), /минув/);
  assert.equal(await operator.getByLabel("Нотатка").inputValue(), "Просила після обіду");
  await axe(operator);
  await when.fill("2026-12-08T15:00");
  await operator.keyboard.press("Control+Enter");
  await operator.getByText("Записано: Домовилися про інший час.").waitFor();
  assert.match(await operator.locator(".facts").innerText(), /2026-12-08 15:00/);

  // The supervisor's board: three calls, one interview, the rates over four cases.
  await supervisor.getByRole("button", { name: "Оновити" }).click();
  const operators = supervisor.getByRole("table", { name: "Робота операторів" });
  await operators.getByText("operator@example.org").waitFor();
  const workRow = operators.getByRole("row", { name: /operator@example.org/ });
  assert.deepEqual((await workRow.locator("td").allInnerTexts()).slice(1, 3), ["3", "1"]);
  const rates = supervisor.getByRole("table", { name: "Показники відгуку (AAPOR)" });
  const study = rates.getByRole("row", { name: /дослідження/ });
  const cells = await study.locator("td").allInnerTexts();
  // level, cases, I, P, R, NC, UH, NE, RR1, COOP1, REF1, CON1
  assert.deepEqual(cells.slice(1, 8), ["4", "1", "0", "0", "1", "2", "0"]);
  assert.match(cells[8], /^25\s?%$/);
  assert.match(cells[9], /^100\s?%$/);
  const outcomes = supervisor.getByRole("table", { name: "Результати дзвінків" });
  await outcomes.getByRole("row", { name: /Інтерв'ю завершено 1.1 I 1/ }).waitFor();
  await axe(supervisor);
  await boss.close();
  await desk.close();
});
