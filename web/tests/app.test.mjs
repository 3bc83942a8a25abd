// The shoppers' app in a real Chromium (Debian's, no download) against the real service binary: sign in, the job
// board, a claim made offline that survives a reload and is sent once when the network is back, sign-up with the
// server's field errors, accessibility (axe-core) at 360 px and 1280 px, Ukrainian first and English.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { axe, launchedWave, PASSWORD, signUpInApp, startService, verifiedShopper } from "./harness.mjs";

let svc;
let base;
let gql;
let login;

before(async () => {
  svc = await startService();
  ({ base, gql, login } = svc);
  // A launched wave with two Lviv offices, and a verified shopper nearby.
  const coordinator = await login("coordinator@example.org");
  await launchedWave(svc, coordinator, {
    venues: [
      ["L1", "ЦНАП м. Львова", 49.84195, 24.0316],
      ["L2", "ТП ЦНАП Виговського", 49.8316, 23.9755],
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
  // The verification mail arrives at the SMTP server: its link is followed.
  await verifiedShopper(svc, { email: "olena@example.com" });
});

after(async () => {
  await svc?.stop();
});

test("the app is served with the right caching and security headers", async () => {
  const shell = await fetch(`${base}/app/`);
  assert.equal(shell.status, 200);
  assert.equal(shell.headers.get("cache-control"), "no-cache");
  assert.match(shell.headers.get("content-security-policy"), /default-src 'self'/);
  const html = await shell.text();
  const asset = html.match(/\/app\/assets\/[^"]+\.js/)[0];
  const script = await fetch(`${base}${asset}`);
  assert.equal(script.status, 200);
  assert.match(script.headers.get("cache-control"), /immutable/);
  const deep = await fetch(`${base}/app/tasks/123`);
  assert.equal(deep.status, 200, "navigation inside the app gets the shell");
  // Text goes compressed: the build's Brotli and gzip copies for files, the service's own for dynamic answers.
  for (const [encoding, expected] of [
    ["br", "br"],
    ["gzip", "gzip"],
    ["identity", null],
  ]) {
    const packed = await fetch(`${base}${asset}`, { headers: { "accept-encoding": encoding } });
    assert.equal(packed.headers.get("content-encoding"), expected, encoding);
    assert.match(packed.headers.get("vary") ?? "", /accept-encoding/i);
    assert.match(await packed.text(), /\S/);
  }
  const schema = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", "accept-encoding": "br, gzip" },
    body: JSON.stringify({ query: "{ __schema { types { name description } } }" }),
  });
  assert.equal(schema.headers.get("content-encoding"), "br");
  assert.ok((await schema.json()).data.__schema.types.length > 50);
});

test("a shopper signs in, claims offline, reloads, and the claim is sent once when back online", async () => {
  const context = await svc.browser.newContext({ viewport: { width: 360, height: 740 }, locale: "uk-UA" });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on("pageerror", (e) => console.log(`[page error] ${e.message}`));
  await page.goto(`${base}/app/`);
  await page.getByRole("heading", { name: "Вхід" }).waitFor();
  await axe(page);
  // Field errors in words, next to the fields.
  await page.getByRole("button", { name: "Увійти" }).click();
  await page.getByText("Заповніть це поле").first().waitFor();
  await page.getByLabel("Електронна пошта").fill("olena@example.com");
  await page.getByLabel("Пароль").fill("wrong password here");
  await page.getByRole("button", { name: "Увійти" }).click();
  // The service's refusal in the reader's language (the app asks for it), never English on a Ukrainian screen.
  await page.getByRole("alert").filter({ hasText: "Неправильна адреса електронної пошти або пароль." }).waitFor();
  await page.getByLabel("Пароль").fill(PASSWORD);
  await page.getByRole("button", { name: "Увійти" }).click();
  await page.getByRole("heading", { name: "Доступні завдання" }).waitFor();
  await page.getByRole("heading", { name: "ЦНАП м. Львова" }).waitFor();
  await axe(page);
  // Wait for the service worker to control the page, so the shell opens offline.
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 20_000 });

  await context.setOffline(true);
  const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "ЦНАП м. Львова" }) });
  await card.getByRole("button", { name: "Взяти завдання" }).click();
  await card.getByText("Чекає на мережу").waitFor();
  await page.getByText("Очікують надсилання: 1").waitFor();
  // The app closed and opened again, still offline: the shell, the board and the queued claim are all there.
  await page.reload();
  await page.getByRole("heading", { name: "Доступні завдання" }).waitFor();
  await card.getByText("Чекає на мережу").waitFor();

  await context.setOffline(false);
  await page.getByText("Очікують надсилання").waitFor({ state: "detached" });
  const shopper = await login("olena@example.com");
  const mine = await gql("{ myTasks { edges { node { state venue { name } } } } }", {}, shopper);
  assert.deepEqual(
    mine.myTasks.edges.map((e) => [e.node.state, e.node.venue.name]),
    [["CLAIMED", "ЦНАП м. Львова"]],
  );

  // English, and a wide screen.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByLabel("Мова").selectOption("en");
  await page.getByRole("heading", { name: "Available tasks" }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
  await axe(page);
  await context.close();
});

test("sign-up shows the server's field errors next to each field, then asks to check the mail", async () => {
  const context = await svc.browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${base}/app/`);
  await page.getByRole("button", { name: "Вперше тут? Зареєструватися" }).click();
  await page.getByRole("heading", { name: "Реєстрація" }).waitFor();
  await axe(page);
  const fill = async (label, value) => page.getByLabel(label, { exact: true }).fill(value);
  await signUpInApp(page, {
    email: "taras@example.com",
    fullName: "Тарас Коваль",
    phone: "0501234567",
    iban: "UA213223130000026007233566002",
    taxId: "3000000008",
  });
  // The server names each bad field; the app shows each message beside its field (and the РНОКПП is taken).
  await page.locator("#phone-error").waitFor();
  assert.equal(await page.locator("#phone-error").textContent(), "має бути в міжнародному форматі, наприклад +380501234567");
  await page.locator("#iban-error").waitFor();
  assert.match(await page.locator("#iban-error").textContent(), /IBAN/);
  assert.equal(await page.getByLabel("IBAN для виплат", { exact: true }).getAttribute("aria-invalid"), "true");
  await axe(page);
  await fill("Телефон (+380…)", "+380671234567");
  await fill("IBAN для виплат", "UA213223130000026007233566001");
  await page.getByRole("button", { name: "Зареєструватися" }).click();
  await page.locator("#taxId-error").waitFor();
  await fill("РНОКПП (ІПН)", "1000000000");
  await page.getByRole("button", { name: "Зареєструватися" }).click();
  const outcome = await Promise.race([
    page
      .getByRole("status")
      .waitFor()
      .then(() => "sent"),
    page
      .locator("#taxId-error")
      .waitFor()
      .then(() => "tax"),
  ]);
  assert.equal(outcome, "sent", "a valid, unused РНОКПП signs up");
  assert.match(await page.getByRole("status").textContent(), /taras@example.com/);
  await context.close();
});

test("a claim refused while the phone was offline is told in the reader's language, and again after switching", async () => {
  await verifiedShopper(svc, { email: "petro@example.com", fullName: "Петро Шевчук", taxId: "3000000020" });
  const context = await svc.browser.newContext({ viewport: { width: 360, height: 740 }, locale: "uk-UA" });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${base}/app/`);
  await page.getByLabel("Електронна пошта").fill("olena@example.com");
  await page.getByLabel("Пароль").fill(PASSWORD);
  await page.getByRole("button", { name: "Увійти" }).click();
  const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "ТП ЦНАП Виговського" }) });
  await card.waitFor();
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 20_000 });
  await context.setOffline(true);
  await card.getByRole("button", { name: "Взяти завдання" }).click();
  await page.getByText("Очікують надсилання: 1").waitFor();
  // Someone else takes the task while this phone is offline.
  const petro = await login("petro@example.com");
  const board = await gql("{ availableTasks(first: 10) { edges { node { taskId venueName } } } }", {}, petro);
  const task = board.availableTasks.edges.find((e) => e.node.venueName === "ТП ЦНАП Виговського").node.taskId;
  await gql("mutation($t: ID!) { claimTask(taskId: $t) { id } }", { t: task }, petro);
  await context.setOffline(false);
  const refusal = page.getByRole("alert").filter({ hasText: "Сервер не прийняв" });
  await refusal.getByText("Уже зайнято: це завдання тримає інший таємний покупець.").waitFor();
  await axe(page);
  // The stored refusal follows the language the shopper picks afterwards.
  await page.getByLabel("Мова").selectOption("en");
  await page.getByRole("alert").getByText("Already taken: another shopper holds this task.").waitFor();
  await context.close();
});

test("a signed-in shopper's board questions leave before the app's script has run, and are asked once", async () => {
  const token = await login("olena@example.com");
  const context = await svc.browser.newContext({ viewport: { width: 360, height: 740 }, locale: "uk-UA" });
  await context.addInitScript((t) => localStorage.setItem("fieldwork.token", t), token);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const asked = [];
  page.on("request", (r) => {
    const name = r.postData()?.match(/query (\w+)/)?.[1] ?? r.url().split("/").pop();
    asked.push(name);
  });
  await page.goto(`${base}/app/`);
  // The board has answered: its tasks, or (once the tests above took both) that there is none.
  await page
    .getByText("Поблизу немає відкритих завдань.")
    .or(page.getByRole("heading", { name: "ЦНАП м. Львова" }))
    .first()
    .waitFor();
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 20_000 });
  const count = (name) => asked.filter((a) => a === name).length;
  assert.equal(count("AvailableTasks"), 1, asked.join(", "));
  assert.equal(count("Me"), 1, asked.join(", "));
  const main = asked.findIndex((a) => /^index-.*\.js$/.test(a));
  assert.ok(asked.indexOf("AvailableTasks") >= 0 && main >= 0, asked.join(", "));
  // The other screens' lists follow the board's own answer.
  await page.getByRole("link", { name: "Мої завдання" }).click();
  await page.getByRole("heading", { name: "Мої завдання" }).waitFor();
  assert.ok(count("MyTasks") >= 1);
  await context.close();
});
