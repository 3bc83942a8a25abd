// Waves in the staff console, in a real Chromium against the real service: a coordinator creates a wave from a
// published questionnaire, launches it (its tasks are created), previews the optimizer's plan (each shopper's
// load, tasks no one can take and why) and commits it, pauses, resumes, extends and closes the wave with a
// reason. axe-core scans each state.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { axe, launchedWave, signInToConsole, startService, verifiedShopper } from "./harness.mjs";

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
  // One shopper at home in Lviv, 25 km radius: Uzhhorod is beyond anyone's reach.
  await verifiedShopper(svc, { email: "olena@example.com" });
});

after(async () => {
  await svc?.stop();
});

test("a coordinator builds a questionnaire: a duplicate code refused at publishing, a condition previewed, the score", async () => {
  const context = await svc.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "uk-UA" });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on("pageerror", (e) => console.log(`[page error] ${e.message}`));
  await signInToConsole(page, svc.base, "coordinator@example.org", "checklists");
  await page.getByRole("heading", { name: "Анкети", level: 1 }).waitFor();
  await page.getByLabel("Назва анкети").fill("Супермаркет");
  await page.getByRole("button", { name: "Створити анкету" }).click();
  await page.getByRole("heading", { name: "Анкета, версія 1 (чернетка)" }).waitFor();

  // Q2: one option of two; Q3: text shown only when Q2 is REFUSED, first given Q1's code by mistake.
  await page.getByRole("button", { name: "Додати питання" }).click();
  await page.locator("#q-0-1-code").fill("Q2");
  await page.locator("#q-0-1-title").fill("Результат звернення");
  await page.locator("#q-0-1-type").selectOption("SINGLE_CHOICE");
  await page.locator("#q-0-1-options").fill("DONE | Послугу надано | 1\nREFUSED | Відмовлено | 0");
  await page.locator("#q-0-1-options").blur();
  await page.getByRole("button", { name: "Додати питання" }).click();
  await page.locator("#q-0-2-code").fill("Q1");
  await page.locator("#q-0-2-title").fill("Причина відмови");
  await page.locator("#q-0-2-type").selectOption("TEXT");
  await page.locator("#q-0-2-if").selectOption("Q2");
  await page.locator("#q-0-2-if-value").fill("REFUSED");
  // A draft saves as it is; publishing checks it, and the service's words name the duplicate.
  await page.getByRole("button", { name: "Зберегти чернетку" }).click();
  await page.getByRole("status").filter({ hasText: "Чернетку збережено." }).waitFor();
  await page.getByRole("button", { name: "Опублікувати" }).click();
  const refusal = await page.getByRole("alert").textContent();
  assert.match(refusal, /код запитання Q1 повторюється/, refusal);
  await page.getByRole("heading", { name: "Анкета, версія 1 (чернетка)" }).waitFor();
  await axe(page);
  await page.locator("#q-0-2-code").fill("Q3");
  await page.getByRole("button", { name: "Зберегти чернетку" }).click();
  await page.getByRole("status").filter({ hasText: "Чернетку збережено." }).waitFor();

  // The preview: Q3 appears only once Q2 is "refused"; the service scores the answers.
  const preview = page.locator("section").filter({ has: page.getByRole("heading", { name: "Попередній перегляд" }) });
  assert.equal(await preview.getByText("Причина відмови").count(), 0);
  await preview.getByRole("group", { name: "Нове питання" }).getByLabel("Так").check();
  await preview.getByLabel("Відмовлено").check();
  await preview.getByText("Причина відмови").waitFor();
  await preview.getByRole("button", { name: "Порахувати бал" }).click();
  await page.getByRole("status").filter({ hasText: "Бал за цими відповідями: 50.0" }).waitFor();
  await axe(page);

  await page.getByRole("button", { name: "Опублікувати" }).click();
  await page.getByRole("heading", { name: "Анкета, версія 1 (опубліковано)" }).waitFor();
  await page.getByRole("button", { name: "Нова чернетка з цієї версії" }).waitFor();
  // A new wave can use it.
  await page.goto(`${svc.base}/console/#/waves`);
  await page.getByLabel("Анкета (опублікована версія)").selectOption({ label: "Супермаркет v1" });
  await context.close();
});

test("a coordinator creates, launches, auto-assigns, pauses, extends and closes a wave", async () => {
  const context = await svc.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "uk-UA" });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on("pageerror", (e) => console.log(`[page error] ${e.message}`));
  await signInToConsole(page, svc.base, "coordinator@example.org", "waves");
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
  await page
    .getByRole("status")
    .filter({ hasText: `Хвилю подовжено до ${later}.` })
    .waitFor();
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

test("a coordinator assigns by hand on the map: a rule refuses in words, an override assigns, take back, offer", async () => {
  const context = await svc.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "uk-UA" });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await signInToConsole(page, svc.base, "coordinator@example.org", "waves");
  const row = page.getByRole("row").filter({ has: page.getByRole("cell", { name: "Грудень" }) });
  await row.getByRole("button", { name: "Керувати" }).click();
  const hand = page.locator('section[aria-labelledby="by-hand"]');
  await hand.getByRole("status").filter({ hasText: "Завдань: 3" }).waitFor();
  // Three open tasks and the one shopper's home on the map, in two colours; the lists say the same.
  await page.getByRole("region", { name: "Мапа завдань і домівок покупців" }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll(".leaflet-overlay-pane path").length === 4);
  const fills = await page.locator(".leaflet-overlay-pane path").evaluateAll((paths) => paths.map((p) => p.getAttribute("fill")).sort());
  assert.deepEqual(fills, ["#1d4ed8", "#c2410c", "#c2410c", "#c2410c"]);
  await axe(page);

  // Uzhhorod is beyond the shopper's radius (the list says so); the service refuses and names the rule.
  await hand.getByRole("button", { name: "Обрати: ЦНАП м. Ужгорода, візит 1" }).click();
  const option = await hand.getByLabel("Таємний покупець", { exact: true }).locator("option").nth(1).textContent();
  assert.match(option, /Олена Петренко · olena@example.com · 18\d\.\d км \(далі за його радіус\)/, option);
  await hand.getByLabel("Таємний покупець", { exact: true }).selectOption({ index: 1 });
  await hand.getByRole("button", { name: "Призначити", exact: true }).click();
  await hand.getByRole("alert").filter({ hasText: "Причина (для історії завдання): Заповніть це поле" }).waitFor();
  await hand.getByLabel("Причина (для історії завдання)").fill("Терміновий візит за скаргою");
  await hand.getByRole("button", { name: "Призначити", exact: true }).click();
  const refusal = await hand.getByRole("alert").textContent();
  assert.match(refusal, /далі за ваш радіус поїздок/, refusal);
  await axe(page);
  // With an override reason it is assigned, and the task's history records the overridden rule.
  await hand.getByLabel("Причина винятку з правил (необов'язково)").fill("Покупець сам погодився поїхати");
  await hand.getByRole("button", { name: "Призначити", exact: true }).click();
  await hand.getByRole("status").filter({ hasText: "Призначено: Олена Петренко." }).waitFor();
  await hand.getByRole("status").filter({ hasText: "Завдань: 2" }).waitFor();
  const shopper = await svc.login("olena@example.com");
  const mine = await svc.gql("{ myTasks { edges { node { id state venue { name } } } } }", {}, shopper);
  const uzhhorod = mine.myTasks.edges.find((e) => e.node.venue.name === "ЦНАП м. Ужгорода").node;
  assert.equal(uzhhorod.state, "ASSIGNED");
  const coordinator = await svc.login("coordinator@example.org");
  const history = await svc.gql("query($t: ID!) { taskHistory(taskId: $t) { action reason } }", { t: uzhhorod.id }, coordinator);
  assert.match(JSON.stringify(history.taskHistory), /override: Покупець сам погодився поїхати/);

  // Held tasks: take it back (it returns to the board); then a Lviv task is offered for 12 hours to a second
  // shopper (Olena already holds a task at both Lviv venues, from the auto-assigned wave).
  await verifiedShopper(svc, { email: "taras@example.com", fullName: "Тарас Коваль", taxId: "3000000014" });
  await hand.getByLabel("Стан").selectOption("ASSIGNED");
  await hand.getByRole("button", { name: "Обрати: ЦНАП м. Ужгорода, візит 1" }).click();
  await hand.getByLabel("Причина (для історії завдання)").fill("Покупець захворів");
  await hand.getByRole("button", { name: "Забрати завдання" }).click();
  await hand.getByRole("status").filter({ hasText: "Завдання повернуто на дошку." }).waitFor();
  await hand.getByLabel("Стан").selectOption("OPEN");
  await hand.getByRole("button", { name: "Обрати: ЦНАП м. Львова, візит 1" }).click();
  const tarasId = await hand
    .getByLabel("Таємний покупець", { exact: true })
    .locator("option", { hasText: "Тарас Коваль" })
    .getAttribute("value");
  await hand.getByLabel("Таємний покупець", { exact: true }).selectOption(tarasId);
  await hand.getByLabel("Причина (для історії завдання)").fill("Досвідчений покупець поруч");
  await hand.getByLabel("Прийняти пропозицію протягом, год").fill("12");
  await hand.getByRole("button", { name: "Запропонувати" }).click();
  await hand.getByRole("status").filter({ hasText: "Запропоновано: Тарас Коваль (відповісти протягом 12 год)." }).waitFor();
  const taras = await svc.login("taras@example.com");
  const offered = await svc.gql("{ myTasks(state: OFFERED) { edges { node { venue { name } } } } }", {}, taras);
  assert.deepEqual(
    offered.myTasks.edges.map((e) => e.node.venue.name),
    ["ЦНАП м. Львова"],
  );
  await axe(page);
  await context.close();
});

test("a coordinator picks a wave's venues on the map, sets bonus steps and visit rules, and launches it", async () => {
  const context = await svc.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "uk-UA" });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await signInToConsole(page, svc.base, "coordinator@example.org", "waves");
  await page.getByRole("heading", { name: "Нова хвиля" }).waitFor();
  await page.getByLabel("Назва хвилі").fill("Лютий, вибрані");
  await page.getByLabel("Обрані на мапі").check();
  // One venue picked on the map, one in the list beside it.
  await page.getByRole("region", { name: /Мапа для вибору закладів: обрано 0 з 3/ }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll(".leaflet-overlay-pane path").length === 3);
  const venues = await svc.gql("{ venues(first: 10) { edges { node { id name } } } }", {}, await svc.login("coordinator@example.org"));
  const uzhhorod = venues.venues.edges.find((e) => e.node.name === "ЦНАП м. Ужгорода").node.id;
  await page.locator(`.map-point-${uzhhorod}`).click();
  await page.getByRole("region", { name: /обрано 1 з 3/ }).waitFor();
  assert.ok(await page.getByLabel("ЦНАП м. Ужгорода").isChecked());
  await page.getByLabel("ЦНАП м. Львова").check();
  await page.getByRole("group", { name: "Заклади (обрано 2)" }).waitFor();
  await axe(page);
  // Bonus steps: a bad line is named; fixed, the wave is created with them and the visit rules.
  await page.getByLabel("Кроки надбавки").fill("3 50\nп'ять днів");
  await page.getByLabel("Надбавка щонайбільше, грн").fill("150");
  await page.getByLabel("Не починати візит, якщо check-in не пройшов перевірку").check();
  await page.getByLabel("Найгірша точність GPS, м").fill("60");
  await page.getByRole("button", { name: "Створити хвилю" }).click();
  await page.getByRole("alert").filter({ hasText: "Надбавки, рядок 2" }).waitFor();
  await page.getByLabel("Кроки надбавки").fill("3 50\n5 100");
  await page.getByRole("button", { name: "Створити хвилю" }).click();
  await page.getByRole("status").filter({ hasText: "Хвилю «Лютий, вибрані» створено як чернетку." }).waitFor();
  const row = page.getByRole("row").filter({ has: page.getByRole("cell", { name: "Лютий, вибрані" }) });
  await row.getByRole("button", { name: "Керувати" }).click();
  await page.getByRole("button", { name: "Запустити" }).click();
  await page.getByRole("status").filter({ hasText: "Хвилю запущено: створено завдань 2." }).waitFor();
  const coordinator = await svc.login("coordinator@example.org");
  const waves = await svc.gql(
    "{ waves(first: 10) { edges { node { name selection { mode venueIds } bonusSteps { afterDays bonusKopiykas } bonusCapKopiykas visitRules { failedCheckinBlocks maxAccuracyM } } } } }",
    {},
    coordinator,
  );
  const wave = waves.waves.edges.map((e) => e.node).find((w) => w.name === "Лютий, вибрані");
  assert.equal(wave.selection.mode, "LIST");
  assert.equal(wave.selection.venueIds.length, 2);
  assert.ok(wave.selection.venueIds.includes(uzhhorod));
  assert.deepEqual(wave.bonusSteps, [
    { afterDays: 3, bonusKopiykas: 5000 },
    { afterDays: 5, bonusKopiykas: 10000 },
  ]);
  assert.equal(wave.bonusCapKopiykas, 15000);
  assert.deepEqual(wave.visitRules, { failedCheckinBlocks: true, maxAccuracyM: 60 });
  await context.close();
});

test("the questionnaire editor covers every setting: yes/no scores, bands, caption, guidance, a nested condition, order", async () => {
  const context = await svc.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "uk-UA" });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await signInToConsole(page, svc.base, "coordinator@example.org", "checklists");
  await page.getByLabel("Назва анкети").fill("Ресторан");
  await page.getByRole("button", { name: "Створити анкету" }).click();
  await page.getByRole("heading", { name: "Анкета, версія 1 (чернетка)" }).waitFor();
  // Q1 yes/no with its own scores and guidance.
  await page.locator("#q-0-0-yes").fill("1");
  await page.locator("#q-0-0-no").fill("0.25");
  await page.locator("#q-0-0-guidance").fill("Подивіться на вхід");
  // Q2 waiting time with bands; Q3 a photo with its caption; Q4 text with a compound condition; Q5 removed.
  for (let i = 0; i < 4; i++) await page.getByRole("button", { name: "Додати питання" }).click();
  await page.locator("#q-0-1-code").fill("WAIT");
  await page.locator("#q-0-1-title").fill("Скільки чекали на офіціанта?");
  await page.locator("#q-0-1-type").selectOption("DURATION");
  await page.locator("#q-0-1-bands").fill("10 | 1\n20 | 0.5");
  await page.locator("#q-0-1-bands").blur();
  await page.locator("#q-0-2-code").fill("PHOTO");
  await page.locator("#q-0-2-title").fill("Фото меню");
  await page.locator("#q-0-2-type").selectOption("PHOTO");
  await page.locator("#q-0-2-caption").fill("меню на столі");
  await page.locator("#q-0-3-code").fill("WHY");
  await page.locator("#q-0-3-title").fill("Що було не так?");
  await page.locator("#q-0-3-type").selectOption("TEXT");
  await page
    .locator("#q-0-3-if-json")
    .fill('{"all": [{"answered": {"question": "WAIT"}}, {"not": {"equals": {"question": "Q1", "value": true}}}]');
  await page.locator("#q-0-3-if-json").blur();
  await page.getByText("Умова: це не JSON-об'єкт; виправте або очистьте поле.").waitFor();
  await page
    .locator("#q-0-3-if-json")
    .fill('{"all": [{"answered": {"question": "WAIT"}}, {"not": {"equals": {"question": "Q1", "value": true}}}]}');
  await page.locator("#q-0-3-if-json").blur();
  await page.getByRole("button", { name: "Q5: видалити" }).click();
  // WHY moves above PHOTO.
  await page.getByRole("button", { name: "WHY: вгору" }).click();
  assert.equal(await page.locator("#q-0-2-code").inputValue(), "WHY");
  await axe(page);
  // The preview follows the compound condition: nothing is answered yet, so WHY is hidden.
  const preview = page.locator("section").filter({ has: page.getByRole("heading", { name: "Попередній перегляд" }) });
  assert.equal(await preview.getByText("Що було не так?").count(), 0);
  await page.getByRole("button", { name: "Зберегти чернетку" }).click();
  await page.getByRole("status").filter({ hasText: "Чернетку збережено." }).waitFor();
  await page.getByRole("button", { name: "Опублікувати" }).click();
  await page.getByRole("heading", { name: "Анкета, версія 1 (опубліковано)" }).waitFor();
  const coordinator = await svc.login("coordinator@example.org");
  const lists = await svc.gql("{ checklists(first: 20) { edges { node { name versions { definition } } } } }", {}, coordinator);
  const def = lists.checklists.edges.find((e) => e.node.name === "Ресторан").node.versions[0].definition;
  const qs = def.sections[0].questions;
  assert.deepEqual(
    qs.map((q) => q.code),
    ["Q1", "WAIT", "WHY", "PHOTO"],
  );
  assert.equal(qs[0].noScore, 0.25);
  assert.deepEqual(qs[0].guidance, { uk: "Подивіться на вхід" });
  assert.deepEqual(qs[1].bands, [
    { upTo: 10, score: 1 },
    { upTo: 20, score: 0.5 },
  ]);
  assert.deepEqual(qs[2].visibleIf, { all: [{ answered: { question: "WAIT" } }, { not: { equals: { question: "Q1", value: true } } }] });
  assert.deepEqual(qs[3].caption, { uk: "меню на столі" });
  await context.close();
});
