// Invitations by SMS and Viber, in a real Chromium against the real service whose outbox talks to a TurboSMS
// stand-in (a real HTTP server here, speaking its request and answer shapes); the service's clock is moved,
// never waited for. A center's system reports two services; at the due time the messages leave; a citizen opens
// the link on a phone with JavaScript and answers (the service already chosen), a second citizen without
// JavaScript answers too, and a tab of the same link opened before is refused in words; the opt-out link asks
// before it stops messages. (axe-core needs JavaScript, so it scans the pages in the context that has it.) A coordinator reads the funnel in #/invitations and sets the policy: a value the
// service refuses is named at its field and what was typed stays. axe-core scans every page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { randomUUID } from "node:crypto";
import { axe, launchedWave, signInToConsole, startService } from "./harness.mjs";

const TOKEN = "turbosms-web-token";
/** 2026-12-08 10:00 in Kyiv. */
const MORNING = Date.UTC(2026, 11, 8, 8, 0, 0);

let svc;
let client;
let secret;
const taken = [];
const reports = new Map();
let turbo;

/** The stand-in: message/send.json takes a message per recipient, message/status.json answers each one's status. */
function standIn() {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const json = (value) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(value));
      };
      if (req.headers.authorization !== `Bearer ${TOKEN}`)
        return json({ response_code: 103, response_status: "REQUIRED_TOKEN", response_result: null });
      const request = JSON.parse(body || "{}");
      if (req.url === "/message/send.json") {
        const results = request.recipients.map((phone) => {
          const messageId = randomUUID();
          taken.push({ messageId, phone, text: request.sms.text, viber: request.viber ?? null });
          reports.set(messageId, "Delivered");
          return { phone, response_code: 0, message_id: messageId, response_status: "OK" };
        });
        return json({ response_code: 800, response_status: "SUCCESS_MESSAGE_ACCEPTED", response_result: results });
      }
      if (req.url === "/message/status.json") {
        const results = request.messages.map((id) => ({
          message_id: id,
          response_code: 0,
          response_status: "OK",
          status: reports.get(id) ?? "Queued",
          type: "viber",
        }));
        return json({ response_code: 0, response_status: "OK", response_result: results });
      }
      res.writeHead(404);
      res.end();
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

async function setClock(atMs) {
  const response = await fetch(`${svc.base}/testing/clock`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ atMs }),
  });
  assert.equal(response.status, 200);
}

async function messages(n) {
  for (let i = 0; i < 400 && taken.length < n; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(taken.length, n, "messages taken by the provider");
  return taken;
}

before(async () => {
  turbo = await standIn();
  svc = await startService({
    env: {
      FIELDWORK_INVITATIONS__PROVIDER: "turbosms",
      FIELDWORK_INVITATIONS__TURBOSMS__BASE_URL: `http://127.0.0.1:${turbo.address().port}`,
      FIELDWORK_INVITATIONS__TURBOSMS__TOKEN: TOKEN,
      FIELDWORK_INVITATIONS__POLL_INTERVAL_MS: "100",
      FIELDWORK_INVITATIONS__STATUS_POLL_MS: "0",
    },
  });
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
  const admin = await svc.login("admin@example.org");
  secret = (
    await svc.gql(
      "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }",
      { i: { name: "Черга", scopes: ["events:write"], clientId: client } },
      admin,
    )
  ).createApiKey.secret;
  await setClock(MORNING);
  const completed = new Date(MORNING - 10 * 60_000).toISOString();
  const response = await fetch(`${svc.base}/api/v1/service-events`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
    body: JSON.stringify({
      events: [
        {
          externalId: "W-1",
          center: "LV-1",
          service: "RESIDENCE",
          completedAt: completed,
          phone: "0501234567",
          messenger: "VIBER",
          consent: true,
        },
        { externalId: "W-2", center: "LV-1", service: "PASSPORT", completedAt: completed, phone: "0671234567", consent: true },
        { externalId: "W-3", center: "LV-1", service: "PASSPORT", completedAt: completed, phone: "0931234567", consent: true },
        { externalId: "W-4", center: "LV-1", service: "PASSPORT", completedAt: completed },
      ],
    }),
  });
  assert.equal(response.status, 200);
  // Due half an hour after the service: 10:20.
  await setClock(MORNING + 21 * 60_000);
  await messages(3);
});

after(async () => {
  await svc?.stop();
  turbo?.close();
});

/** The link in a message, on this test's server. */
function linkOf(message) {
  const m = message.text.match(/https?:\/\/\S+\/i\/\S+/);
  assert.ok(m, message.text);
  return m[0];
}

async function fill(page) {
  await page
    .getByRole("group", { name: /Працівники/ })
    .getByLabel("добре")
    .check();
  await page
    .getByRole("group", { name: /порекомендуєте/ })
    .getByLabel("9", { exact: true })
    .check();
}

test("citizens answer an invitation once, with and without JavaScript; the opt-out link asks first", async () => {
  // The outbox sends several at once: the messages are told apart by their numbers.
  const to = (phone) => taken.find((m) => m.phone === phone);
  const [first, second, third] = [to("380501234567"), to("380671234567"), to("380931234567")];
  assert.ok(first.text.length <= 70, `one SMS segment: ${first.text}`);
  assert.ok(first.viber, "Viber first, SMS as the fallback");

  // A phone with JavaScript: the center and the service are known already.
  const phone = await svc.browser.newContext({ viewport: { width: 360, height: 780 }, locale: "uk-UA" });
  const page = await phone.newPage();
  page.setDefaultTimeout(15_000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && !m.text().includes("status of 409") && errors.push(m.text()));
  await page.goto(linkOf(first));
  await page.getByRole("heading", { name: "Як вас обслужили?" }).waitFor();
  await page.getByText("ЦНАП м. Львова").waitFor();
  assert.equal(await page.getByLabel("Яку послугу ви отримували?").inputValue(), "RESIDENCE");
  await axe(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  await fill(page);
  await svc.advanceClock(30_000);
  await page.getByRole("button", { name: "Надіслати відгук" }).click();
  await page.getByRole("heading", { name: "Дякуємо за відгук!" }).waitFor();
  await page.goto(linkOf(first));
  await page.getByRole("heading", { name: "Відгук уже надіслано" }).waitFor();
  await axe(page);
  assert.deepEqual(errors, []);

  // A phone without JavaScript; a second tab of the same link was opened before the first was sent.
  const plain = await svc.browser.newContext({ viewport: { width: 360, height: 780 }, locale: "uk-UA", javaScriptEnabled: false });
  const tab1 = await plain.newPage();
  const tab2 = await plain.newPage();
  await tab1.goto(linkOf(second));
  await tab2.goto(linkOf(second));
  await fill(tab1);
  await fill(tab2);
  await svc.advanceClock(30_000);
  await tab1.getByRole("button", { name: "Надіслати відгук" }).click();
  await tab1.getByRole("heading", { name: "Дякуємо за відгук!" }).waitFor();
  await tab2.getByRole("button", { name: "Надіслати відгук" }).click();
  await tab2.getByRole("heading", { name: "Відгук уже надіслано" }).waitFor();
  await tab2.getByText("Кожне запрошення приймає одну відповідь.").waitFor();

  // The opt-out link asks first (a link preview must not stop anything), then stops messages.
  const stop = await phone.newPage();
  await stop.goto(linkOf(third));
  await stop.getByRole("link", { name: "Не надсилайте мені більше таких повідомлень" }).click();
  await stop.getByRole("heading", { name: "Більше не надсилати повідомлень?" }).waitFor();
  await axe(stop);
  await stop.getByRole("button", { name: "Так, не надсилати" }).click();
  await stop.getByRole("heading", { name: "Готово" }).waitFor();
  await phone.close();
  await plain.close();
});

test("a coordinator reads the funnel and sets the policy; a refused value is named at its field", async () => {
  const context = await svc.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await signInToConsole(page, svc.base, "coordinator@example.org", "invitations");
  await page.getByRole("heading", { name: "SMS і Viber", level: 1 }).waitFor();
  await page.getByLabel("Клієнт").selectOption(client);
  await page.getByLabel("Від", { exact: true }).fill("2026-12-01");
  await page.getByLabel("До", { exact: true }).fill("2026-12-31");
  await page.getByRole("button", { name: "Показати" }).click();
  const funnel = page.getByRole("table", { name: "Від послуги до відповіді" });
  const row = (name) => funnel.getByRole("row", { name: new RegExp(`^${name}`) });
  await row("Послуг повідомлено 4").waitFor();
  await row("З телефоном і згодою 3").waitFor();
  await row("Надіслано 3").waitFor();
  await row("Відповіли 2").waitFor();
  await page.getByRole("table", { name: "Чому не запросили" }).getByText("Поки нічого.").waitFor();
  await page.getByText("Номерів, що відмовилися від повідомлень: 1").waitFor();
  await page.getByText("turbosms").waitFor();
  await axe(page);

  // A share the service refuses: named at its field, in Ukrainian; what was typed stays.
  await page.getByLabel("Частка запрошених (0–1)").fill("1,5");
  await page.getByLabel("Денний бюджет, повідомлень").fill("500");
  await page.getByRole("button", { name: "Зберегти правила" }).click();
  await page.getByText("частка — число від 0 до 1").waitFor();
  assert.equal(await page.getByLabel("Частка запрошених (0–1)").getAttribute("aria-invalid"), "true");
  assert.equal(await page.getByLabel("Денний бюджет, повідомлень").inputValue(), "500");
  await axe(page);
  await page.getByLabel("Частка запрошених (0–1)").fill("0,5");
  await page.getByRole("button", { name: "Зберегти правила" }).click();
  await page.getByRole("status").filter({ hasText: "Правила збережено." }).waitFor();
  const policy = (
    await svc.gql(
      "query($c: ID!) { invitationPolicy(clientId: $c) { share dailyBudget } }",
      { c: client },
      await svc.login("coordinator@example.org"),
    )
  ).invitationPolicy;
  assert.deepEqual(policy, { share: 0.5, dailyBudget: 500 });
  assert.deepEqual(errors, []);
  await context.close();
});
