// Integrations in the console, in a real Chromium against the real service: an admin makes an API key for a
// center's system (a refused form keeps what was typed and says why), sees its secret once, the system reports
// services with it over HTTP, the key's last use shows, a rotation shows the new secret, a revocation stops the
// key; a coordinator uploads a CSV of services, sees each refused row with its reason in Ukrainian, and the list
// of events with masked phones only. axe-core scans every screen.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { axe, launchedWave, signInToConsole, startService } from "./harness.mjs";

let svc;
let client;

before(async () => {
  svc = await startService();
  svc.createStaff("admin@example.org", "ADMIN");
  const coordinator = await svc.login("coordinator@example.org");
  ({ client } = await launchedWave(svc, coordinator, {
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
});

after(async () => {
  await svc?.stop();
});

async function report(secret, events) {
  const response = await fetch(`${svc.base}/api/v1/service-events`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
    body: JSON.stringify({ events }),
  });
  return { status: response.status, body: await response.json() };
}

test("an admin makes, rotates and revokes an API key; the center's system reports with it", async () => {
  const context = await svc.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  try {
    await signInToConsole(page, svc.base, "admin@example.org", "keys");
    await page.getByRole("heading", { name: "Ключі API", level: 1 }).waitFor();
    await page.getByRole("status").filter({ hasText: "Ключів: 0" }).waitFor();

    // Refused by the service: the reason in words, what was typed kept.
    await page.getByLabel("Клієнт").selectOption(client);
    await page.getByRole("button", { name: "Створити ключ" }).click();
    await page.getByRole("alert").filter({ hasText: "Назва: не може бути порожнім" }).waitFor();
    assert.equal(await page.getByLabel("Клієнт").inputValue(), client);

    await page.getByLabel("Призначення ключа").fill("Черга ЦНАП Львова");
    await page.getByRole("button", { name: "Створити ключ" }).click();
    const secret = (await page.getByTestId("secret").textContent()).trim();
    assert.match(secret, /^fwk_[A-Za-z0-9_-]{43}$/);
    await axe(page);

    const now = new Date(Date.now() - 60_000).toISOString();
    const sent = await report(secret, [
      { externalId: "E-1", center: "LV-1", service: "PASSPORT", completedAt: now, phone: "0501234567", consent: true },
    ]);
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.equal(sent.body.accepted, 1);

    await page.getByRole("button", { name: "Я зберіг секрет" }).click();
    assert.equal(await page.getByTestId("secret").count(), 0, "the secret is shown once");
    await page.reload();
    const row = page.getByRole("row").filter({ hasText: "Черга ЦНАП Львова" });
    await row.waitFor();
    assert.ok(!(await row.textContent()).includes("ще ні"), "the last use shows");
    assert.ok((await row.textContent()).includes(secret.slice(0, 12)));

    // Rotation: a new secret, shown once; the old one still works for its grace period.
    await page.getByLabel("Старий діє ще, годин").fill("0");
    await page.getByRole("button", { name: "Замінити секрет ключа «Черга ЦНАП Львова»" }).click();
    const rotated = (await page.getByTestId("secret").textContent()).trim();
    assert.notEqual(rotated, secret);
    assert.equal((await report(secret, [{ externalId: "E-2", center: "LV-1", service: "PASSPORT", completedAt: now }])).status, 401);
    assert.equal((await report(rotated, [{ externalId: "E-3", center: "LV-1", service: "PASSPORT", completedAt: now }])).status, 200);

    await page.getByRole("button", { name: "Відкликати ключ «Черга ЦНАП Львова»" }).click();
    await page.getByRole("status").filter({ hasText: "Ключ «Черга ЦНАП Львова» відкликано." }).waitFor();
    assert.equal((await report(rotated, [{ externalId: "E-4", center: "LV-1", service: "PASSPORT", completedAt: now }])).status, 401);
    await page.getByLabel("Показати відкликані й прострочені").check();
    await page.getByRole("cell", { name: "відкликано" }).first().waitFor();
    await axe(page);
  } finally {
    await context.close();
  }
});

test("a coordinator uploads a CSV of services and sees each refused row; phones show masked", async () => {
  const context = await svc.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  try {
    await signInToConsole(page, svc.base, "coordinator@example.org", "events");
    await page.getByRole("heading", { name: "Надані послуги", level: 1 }).waitFor();
    await page.getByLabel("Клієнт").selectOption(client);
    const at = new Date(Date.now() - 3_600_000).toISOString();
    const file = join(svc.dataDir, "events.csv");
    writeFileSync(
      file,
      [
        "external_id;center;service;completed_at;phone;messenger;consent",
        `C-1;LV-1;PASSPORT;${at};067 123 45 67;viber;так`,
        `C-2;NOPE;PASSPORT;${at};;;`,
        `C-3;LV-1;PASSPORT;${at};044 123 45 67;;так`,
      ].join("\n"),
    );
    await page.getByLabel("Файл CSV з подіями").setInputFiles(file);
    await page.getByRole("button", { name: "Завантажити" }).click();
    await page.getByRole("status").filter({ hasText: "Прийнято: 1, уже були: 0, відхилено: 2." }).waitFor();
    const refused = page.getByRole("table").filter({ hasText: "Відхилені рядки" });
    await refused.getByRole("cell", { name: "Центр: центру з таким кодом у цього клієнта немає" }).waitFor();
    await refused.getByRole("cell", { name: /Телефон: на цей номер не можна надіслати/ }).waitFor();
    assert.deepEqual(await refused.locator("tbody tr td:first-child").allTextContents(), ["3", "4"], "rows as a spreadsheet numbers them");
    await page.getByRole("cell", { name: "+380 67 *** ** 67 · VIBER" }).waitFor();
    const text = await page.locator("main").textContent();
    assert.ok(!text.includes("1234567"), "no full phone number on the page");
    await axe(page);
  } finally {
    await context.close();
  }
});
