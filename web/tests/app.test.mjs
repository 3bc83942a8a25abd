// The shoppers' app in a real Chromium (Debian's, no download) against the real service binary on SQLite:
// sign in, the job board, a claim made offline that survives a reload and is sent once when the network is back,
// accessibility (axe-core) at 360 px and 1280 px, Ukrainian first and English.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import AxeBuilder from "@axe-core/playwright";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const target = process.env.CARGO_TARGET_DIR ?? join(repo, "target");
const binary = process.env.FIELDWORK_BIN ?? join(target, "debug", "fieldwork");
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const PASSWORD = "correct horse battery";

let server;
let base;
let dataDir;
let browser;

function env() {
  return {
    ...process.env,
    DATABASE_URL: `sqlite://${join(dataDir, "app.db")}?mode=rwc`,
    FIELDWORK_DATA_DIR: dataDir,
    FIELDWORK_HTTP__WEB_DIR: join(repo, "web", "dist"),
    RUST_LOG: "info",
  };
}

/// The text of a mail as written to an .eml file (base64 or quoted-printable body).
function mailText(eml) {
  const [head, ...rest] = eml.split(/\r?\n\r?\n/);
  const body = rest.join("\n\n");
  if (/content-transfer-encoding:\s*base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
    return body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
  }
  return body;
}

async function gql(query, variables = {}, token) {
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${base}/graphql`, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function login(email) {
  return (await gql("mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }", { e: email, p: PASSWORD })).login.token;
}

before(async () => {
  assert.ok(existsSync(binary), `build the service first (cargo build): ${binary}`);
  assert.ok(existsSync(join(repo, "web", "dist", "app", "index.html")), "build the app first (npm run build)");
  dataDir = mkdtempSync(join(tmpdir(), "fieldwork-web-"));
  const made = spawnSync(binary, ["create-user", "--email", "coordinator@example.org", "--role", "COORDINATOR", "--password-stdin"], {
    env: env(),
    input: `${PASSWORD}\n`,
  });
  assert.equal(made.status, 0, made.stderr.toString());
  server = spawn(binary, ["serve", "--listen", "127.0.0.1:0"], { env: env(), stdio: ["ignore", "pipe", "pipe"] });
  base = await new Promise((resolveBase, reject) => {
    let log = "";
    const seen = (chunk) => {
      log += chunk.toString();
      const m = log.match(/listening on http:\/\/([0-9.:]+)\/graphql/);
      if (m) resolveBase(`http://${m[1]}`);
    };
    server.stdout.on("data", seen);
    server.stderr.on("data", seen);
    server.on("exit", (code) => reject(new Error(`the service stopped (${code}): ${log}`)));
    setTimeout(() => reject(new Error(`the service did not start: ${log}`)), 60_000).unref();
  });

  // A launched wave with two Lviv offices, and a verified shopper nearby.
  const coordinator = await login("coordinator@example.org");
  const client = (await gql('mutation { createClient(name: "Львівська міська рада", kind: PUBLIC_BODY) { id } }', {}, coordinator)).createClient.id;
  for (const [code, name, lat, lon] of [["L1", "ЦНАП м. Львова", 49.84195, 24.0316], ["L2", "ТП ЦНАП Виговського", 49.8316, 23.9755]]) {
    await gql(
      "mutation($c: ID!, $code: String!, $n: String!, $lat: Float!, $lon: Float!) { createVenue(input: { clientId: $c, externalCode: $code, name: $n, type: \"CNAP\", address: \"Львів\", location: { lat: $lat, lon: $lon } }) { id } }",
      { c: client, code, n: name, lat, lon },
      coordinator,
    );
  }
  const definition = { sections: [{ code: "S", title: { uk: "Візит" }, questions: [{ code: "Q1", title: { uk: "Чи є вивіска?" }, type: "YES_NO", weight: 1, required: true }] }] };
  const version = (await gql("mutation($c: ID!, $d: JSON!) { createChecklist(clientId: $c, name: \"ЦНАП\", definition: $d) { versions { id } } }", { c: client, d: definition }, coordinator)).createChecklist.versions[0].id;
  await gql("mutation($v: ID!) { publishChecklistVersion(versionId: $v) { id } }", { v: version }, coordinator);
  const today = new Date().toISOString().slice(0, 10);
  const end = new Date(Date.now() + 20 * 86400000).toISOString().slice(0, 10);
  const wave = (await gql("mutation($c: ID!, $i: WaveInput!) { createWave(clientId: $c, input: $i) { id } }", { c: client, i: { name: "Грудень", checklistVersionId: version, startsOn: today, endsOn: end, selection: { mode: "ALL" }, feeKopiykas: 40000 } }, coordinator)).createWave.id;
  await gql("mutation($id: ID!) { launchWave(id: $id) { tasksCreated } }", { id: wave }, coordinator);
  await gql("mutation($i: SignUpInput!) { signUp(input: $i) { user { id } } }", {
    i: {
      email: "olena@example.com", password: PASSWORD, fullName: "Олена Петренко", phone: "+380501234567", language: "UK",
      homeLocation: { lat: 49.84, lon: 24.03 }, travelRadiusKm: 25, iban: "UA213223130000026007233566001",
      accountHolder: "Олена Петренко", taxId: "3000000008", acceptCodeOfConduct: true,
    },
  });
  // The verification mail is written as an .eml file (no SMTP configured): follow its link.
  let link;
  for (let i = 0; i < 100 && !link; i++) {
    const dir = join(dataDir, "mail");
    for (const file of existsSync(dir) ? readdirSync(dir) : []) {
      const m = mailText(readFileSync(join(dir, file), "utf8")).match(/verify-email\?token=([A-Za-z0-9_-]+)/);
      if (m) link = m[1];
    }
    if (!link) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(link, "a verification mail");
  await gql("mutation($t: String!) { verifyEmail(token: $t) { email } }", { t: link });
  browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
});

after(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function axe(page) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(serious.map((v) => `${v.id}: ${v.help}`), []);
}

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
});

test("a shopper signs in, claims offline, reloads, and the claim is sent once when back online", async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: "uk-UA" });
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
  await page.getByRole("alert").waitFor();
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
  assert.deepEqual(mine.myTasks.edges.map((e) => [e.node.state, e.node.venue.name]), [["CLAIMED", "ЦНАП м. Львова"]]);

  // English, and a wide screen.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByLabel("Мова").selectOption("en");
  await page.getByRole("heading", { name: "Available tasks" }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
  await axe(page);
  await context.close();
});

test("sign-up shows the server's field errors next to each field, then asks to check the mail", async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${base}/app/`);
  await page.getByRole("button", { name: "Вперше тут? Зареєструватися" }).click();
  await page.getByRole("heading", { name: "Реєстрація" }).waitFor();
  await axe(page);
  const fill = async (label, value) => page.getByLabel(label, { exact: true }).fill(value);
  await fill("Електронна пошта", "taras@example.com");
  await fill("Пароль", PASSWORD);
  await fill("Ім'я та прізвище", "Тарас Коваль");
  await fill("Телефон (+380…)", "0501234567");
  await fill("Домашня адреса: широта", "49.84");
  await fill("Домашня адреса: довгота", "24.03");
  await fill("IBAN для виплат", "UA213223130000026007233566002");
  await fill("Власник рахунку", "Тарас Коваль");
  await fill("РНОКПП (ІПН)", "3000000008");
  await page.getByLabel("Я приймаю кодекс поведінки таємного покупця").check();
  await page.getByRole("button", { name: "Зареєструватися" }).click();
  // The server names each bad field; the app shows each message beside its field (and the РНОКПП is taken).
  await page.locator("#phone-error").waitFor();
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
    page.getByRole("status").waitFor().then(() => "sent"),
    page.locator("#taxId-error").waitFor().then(() => "tax"),
  ]);
  assert.equal(outcome, "sent", "a valid, unused РНОКПП signs up");
  assert.match(await page.getByRole("status").textContent(), /taras@example.com/);
  await context.close();
});
