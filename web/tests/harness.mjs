// What every browser test needs: the real service binary on a fresh database (SQLite by default; PostgreSQL
// when TEST_DATABASE_URL names one: a database of its own is made and dropped), a real SMTP server receiving the
// service's mail, Debian's Chromium, GraphQL from the outside, and the axe-core scan.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { chromium } from "playwright-core";
import { SMTPServer } from "smtp-server";

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, "../..");
const target = process.env.CARGO_TARGET_DIR ?? join(repo, "target");
const defaultBinary = process.env.FIELDWORK_BIN ?? join(target, "debug", "fieldwork");
/** The service built with libheif (`--features heic`), which reads HEIC photos; scripts/test.sh builds it where
 * libheif is installed. */
export const heicBinary = process.env.FIELDWORK_HEIC_BIN ?? join(target, "debug", "fieldwork-heic");
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const PASSWORD = "correct horse battery";
export const fixture = (name) => join(here, "fixtures", name);

/** The text of a mail (base64 or quoted-printable body). */
export function mailText(raw) {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join("\n\n");
  if (/content-transfer-encoding:\s*base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
    return body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
  }
  return body;
}

/** An SMTP server on a free port that keeps every message it receives: { to, text }. */
async function smtpSink() {
  const mails = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      let raw = "";
      stream.on("data", (chunk) => (raw += chunk.toString("utf8")));
      stream.on("end", () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), text: mailText(raw) });
        callback();
      });
    },
  });
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  return { mails, port: server.server.address().port, close: () => new Promise((done) => server.close(done)) };
}

function postgresDatabase() {
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin || !admin.startsWith("postgres")) return null;
  const name = `fw_web_${Math.random().toString(36).slice(2, 10)}`;
  const made = spawnSync("psql", [admin, "-v", "ON_ERROR_STOP=1", "-qc", `CREATE DATABASE ${name}`]);
  assert.equal(made.status, 0, made.stderr.toString());
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => spawnSync("psql", [admin, "-qc", `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]),
  };
}

/**
 * Starts the service (and its SMTP sink) with a coordinator account, and extra `FIELDWORK_*` settings from
 * `env` (another build of the service with `binary`); `stop()` undoes it all.
 */
export async function startService({ env: extra = {}, binary = defaultBinary } = {}) {
  assert.ok(existsSync(binary), `build the service first (cargo build): ${binary}`);
  assert.ok(existsSync(join(repo, "web", "dist", "app", "index.html")), "build the app first (npm run build)");
  const dataDir = mkdtempSync(join(tmpdir(), "fieldwork-web-"));
  const smtp = await smtpSink();
  const pg = postgresDatabase();
  const env = {
    ...process.env,
    DATABASE_URL: pg ? pg.url : `sqlite://${join(dataDir, "app.db")}?mode=rwc`,
    FIELDWORK_DATA_DIR: dataDir,
    FIELDWORK_HTTP__WEB_DIR: join(repo, "web", "dist"),
    FIELDWORK_SMTP__HOST: "127.0.0.1",
    FIELDWORK_SMTP__PORT: String(smtp.port),
    FIELDWORK_SMTP__TLS: "none",
    FIELDWORK_MAIL__POLL_INTERVAL_MS: "200",
    // Tests move the service's clock (POST /testing/clock) instead of waiting for time to pass.
    FIELDWORK_TESTING__CLOCK_CONTROL: "true",
    RUST_LOG: "info",
    ...extra,
  };
  /** A staff account made with the service's own command line (a CLIENT_VIEWER with the client's id). */
  const createStaff = (email, role, client) => {
    const args = ["create-user", "--email", email, "--role", role, "--password-stdin", ...(client ? ["--client", client] : [])];
    const made = spawnSync(binary, args, { env, input: `${PASSWORD}\n` });
    assert.equal(made.status, 0, made.stderr.toString());
  };
  createStaff("coordinator@example.org", "COORDINATOR");
  const server = spawn(binary, ["serve", "--listen", "127.0.0.1:0"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const base = await new Promise((resolveBase, reject) => {
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

  async function gql(query, variables = {}, token) {
    const headers = { "content-type": "application/json" };
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${base}/graphql`, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
    const body = await response.json();
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  }
  /** Moves the service's clock forward (e.g. a visitor takes two seconds to answer the form). */
  async function advanceClock(ms) {
    const response = await fetch(`${base}/testing/clock`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ advanceMs: ms }),
    });
    assert.equal(response.status, 200);
  }
  async function login(email) {
    return (await gql("mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }", { e: email, p: PASSWORD })).login
      .token;
  }
  /** The first mail to `address` whose text matches `pattern`; the match. */
  async function mailMatching(address, pattern) {
    for (let i = 0; i < 300; i++) {
      for (const mail of smtp.mails) {
        const m = mail.to.includes(address) && mail.text.match(pattern);
        if (m) return m;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no mail to ${address} matching ${pattern}; received: ${JSON.stringify(smtp.mails.map((m) => m.to))}`);
  }
  const browser = await chromium
    .launch({
      executablePath: chromiumPath,
      args: [
        "--no-sandbox",
        // The camera is Chromium's fake device playing a real photo (web/tests/fixtures/camera.mjpeg).
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        `--use-file-for-fake-video-capture=${fixture("camera.mjpeg")}`,
      ],
    })
    .catch((e) => {
      server.kill("SIGTERM");
      throw e;
    });
  return {
    base,
    dataDir,
    advanceClock,
    gql,
    login,
    mailMatching,
    createStaff,
    browser,
    /** What the service has logged so far (for a failing test's message). */
    log: () => log,
    async stop() {
      await browser.close();
      server.kill("SIGTERM");
      await new Promise((r) => (server.exitCode !== null ? r() : server.on("exit", r)));
      await smtp.close();
      pg?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function axe(page) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
    [],
  );
}

/** Fills the app's sign-up form (in Ukrainian), home in Lviv, accepts the code of conduct and sends it. */
export async function signUpInApp(page, { email, fullName, phone, iban, taxId }) {
  const fill = async (label, value) => page.getByLabel(label, { exact: true }).fill(value);
  await fill("Електронна пошта", email);
  await fill("Пароль", PASSWORD);
  await fill("Ім'я та прізвище", fullName);
  await fill("Телефон (+380…)", phone);
  await fill("Домашня адреса: широта", "49.84");
  await fill("Домашня адреса: довгота", "24.03");
  await fill("IBAN для виплат", iban);
  await fill("Власник рахунку", fullName);
  await fill("РНОКПП (ІПН)", taxId);
  await page.getByLabel("Я приймаю кодекс поведінки таємного покупця").check();
  await page.getByRole("button", { name: "Зареєструватися" }).click();
}

/** A client, its checklist (published) and a launched wave over the given venues (`wave`: more of its input); returns the ids. */
export async function launchedWave(
  svc,
  coordinator,
  { venues, definition, visitRules = {}, fee = 40000, clientName = "Львівська міська рада", name = "Грудень", wave: more = {} },
) {
  const { gql } = svc;
  const client = (await gql("mutation($n: String!) { createClient(name: $n, kind: PUBLIC_BODY) { id } }", { n: clientName }, coordinator))
    .createClient.id;
  for (const [code, name, lat, lon] of venues) {
    await gql(
      'mutation($c: ID!, $code: String!, $n: String!, $lat: Float!, $lon: Float!) { createVenue(input: { clientId: $c, externalCode: $code, name: $n, type: "CNAP", address: "Львів", location: { lat: $lat, lon: $lon } }) { id } }',
      { c: client, code, n: name, lat, lon },
      coordinator,
    );
  }
  const version = (
    await gql(
      'mutation($c: ID!, $d: JSON!) { createChecklist(clientId: $c, name: "ЦНАП", definition: $d) { versions { id } } }',
      { c: client, d: definition },
      coordinator,
    )
  ).createChecklist.versions[0].id;
  await gql("mutation($v: ID!) { publishChecklistVersion(versionId: $v) { id } }", { v: version }, coordinator);
  const today = new Date().toISOString().slice(0, 10);
  const end = new Date(Date.now() + 20 * 86400000).toISOString().slice(0, 10);
  const wave = (
    await gql(
      "mutation($c: ID!, $i: WaveInput!) { createWave(clientId: $c, input: $i) { id } }",
      {
        c: client,
        i: {
          name,
          checklistVersionId: version,
          startsOn: today,
          endsOn: end,
          selection: { mode: "ALL" },
          feeKopiykas: fee,
          scenario: "Запитайте про оформлення паспорта. Не розкривайте, що ви таємний покупець.",
          visitRules,
          ...more,
        },
      },
      coordinator,
    )
  ).createWave.id;
  await gql("mutation($id: ID!) { launchWave(id: $id) { tasksCreated } }", { id: wave }, coordinator);
  return { client, version, wave };
}

/**
 * A shopper signed up through the API (home on Rynok Square, Lviv) whose e-mail is confirmed by the link in the
 * mail the SMTP sink received.
 */
export async function verifiedShopper(svc, { email, fullName = "Олена Петренко", taxId = "3000000008" }) {
  await svc.gql("mutation($i: SignUpInput!) { signUp(input: $i) { user { id } } }", {
    i: {
      email,
      password: PASSWORD,
      fullName,
      phone: "+380501234567",
      language: "UK",
      homeLocation: { lat: 49.84, lon: 24.03 },
      travelRadiusKm: 25,
      iban: "UA213223130000026007233566001",
      accountHolder: fullName,
      taxId,
      acceptCodeOfConduct: true,
    },
  });
  const [, token] = await svc.mailMatching(email, /verify-email\?token=([A-Za-z0-9_-]+)/);
  await svc.gql("mutation($t: String!) { verifyEmail(token: $t) { email } }", { t: token });
}

/** Signs in through the app's form (Ukrainian) and waits for the job board. */
export async function signInInApp(page, base, email) {
  await page.goto(`${base}/app/`);
  await page.getByLabel("Електронна пошта").fill(email);
  await page.getByLabel("Пароль").fill(PASSWORD);
  await page.getByRole("button", { name: "Увійти" }).click();
  await page.getByRole("heading", { name: "Доступні завдання" }).waitFor();
}

/** Signs a staff member in to the console (Ukrainian form) at `#/<route>`. */
export async function signInToConsole(page, base, email, route = "") {
  await page.goto(`${base}/console/#/${route}`);
  await page.getByLabel("Електронна пошта").fill(email);
  await page.getByLabel("Пароль").fill(PASSWORD);
  await page.getByRole("button", { name: "Увійти" }).click();
}

/**
 * A shopper's whole visit over the API: claim, check in at the venue 20 minutes ago, answer, upload `photos`
 * (`[questionCode, fixture path]`), check out, submit. Returns the visit id.
 */
export async function submittedVisit(svc, shopper, { task, lat, lon, answers, photos = [] }) {
  const { gql } = svc;
  await gql("mutation($t: ID!) { claimTask(taskId: $t) { id } }", { t: task }, shopper);
  const start = new Date(Date.now() - 20 * 60_000).toISOString();
  const checkIn = await gql(
    "mutation($i: CheckInInput!) { checkIn(input: $i) { accepted visit { id } } }",
    { i: { taskId: task, clientId: `ci-${task}`, lat, lon, accuracyM: 12, deviceTime: start } },
    shopper,
  );
  assert.ok(checkIn.checkIn.accepted);
  const id = checkIn.checkIn.visit.id;
  for (const [i, [questionCode, file]] of photos.entries()) {
    // The GraphQL multipart request: operations, the map of files to variables, then the file.
    const form = new FormData();
    form.append(
      "operations",
      JSON.stringify({
        query:
          "mutation($v: ID!, $c: String!, $q: String, $f: Upload!) { uploadVisitPhoto(visitId: $v, clientId: $c, questionCode: $q, file: $f) { id } }",
        variables: { v: id, c: `photo-${task}-${i}`, q: questionCode, f: null },
      }),
    );
    form.append("map", JSON.stringify({ 0: ["variables.f"] }));
    form.append("0", new Blob([readFileSync(file)], { type: "image/jpeg" }), "photo.jpg");
    const response = await fetch(`${svc.base}/graphql`, { method: "POST", headers: { authorization: `Bearer ${shopper}` }, body: form });
    const body = await response.json();
    assert.ok(!body.errors, JSON.stringify(body.errors));
  }
  await gql("mutation($v: ID!, $a: JSON!) { saveVisitAnswers(visitId: $v, answers: $a) { id } }", { v: id, a: answers }, shopper);
  await gql(
    "mutation($v: ID!, $i: CheckOutInput!) { checkOut(visitId: $v, input: $i) { id } }",
    { v: id, i: { lat, lon, accuracyM: 15, deviceTime: new Date().toISOString() } },
    shopper,
  );
  await gql("mutation($v: ID!) { submitVisit(visitId: $v) { state } }", { v: id }, shopper);
  return id;
}
