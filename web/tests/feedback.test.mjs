// The citizens' feedback page in a real Chromium against the real service: the venue's QR code (the PNG staff
// print, decoded here with jsQR) leads to the form; it is sent with JavaScript (the proof of work solved) and
// without it, each counted once; the same device is refused a second response by its cooldown, and a bot that
// fills the honeypot is refused; on a 360 px phone, in Ukrainian and English. axe-core scans each page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { readFileSync } from "node:fs";
import { axe, signInToConsole, startService } from "./harness.mjs";

let svc;
let coordinator;
let venue;
let link;

before(async () => {
  // A second between showing and sending is believable here (the default is 5 s).
  svc = await startService({ env: { FIELDWORK_FEEDBACK__MIN_FILL_SECONDS: "1" } });
  coordinator = await svc.login("coordinator@example.org");
  const client = (await svc.gql('mutation { createClient(name: "Львівська міська рада", kind: PUBLIC_BODY) { id } }', {}, coordinator))
    .createClient.id;
  venue = (
    await svc.gql(
      'mutation($c: ID!) { createVenue(input: { clientId: $c, externalCode: "L1", name: "ЦНАП м. Львова", type: "CNAP", address: "вул. Сихівська, 8", location: { lat: 49.84195, lon: 24.0316 } }) { id } }',
      { c: client },
      coordinator,
    )
  ).createVenue.id;
  const code = (await svc.gql("query($v: ID!) { feedbackCode(venueId: $v) { link qrPngPath } }", { v: venue }, coordinator)).feedbackCode;
  // The printed code, decoded as a phone's camera would.
  const png = Buffer.from(
    await (await fetch(`${svc.base}${code.qrPngPath}`, { headers: { authorization: `Bearer ${coordinator}` } })).arrayBuffer(),
  );
  const image = PNG.sync.read(png);
  const decoded = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
  assert.ok(decoded, "the QR code decodes");
  assert.equal(decoded.data, code.link);
  link = decoded.data;
});

after(async () => {
  await svc?.stop();
});

async function fill(page) {
  await page
    .getByRole("group", { name: /Приміщення/ })
    .getByLabel("чудово")
    .check();
  await page
    .getByRole("group", { name: /Працівники/ })
    .getByLabel("добре")
    .check();
  await page
    .getByRole("group", { name: /Очікування/ })
    .getByLabel("жахливо")
    .check();
  await page
    .getByRole("group", { name: /Результат/ })
    .getByLabel("чудово")
    .check();
  await page
    .getByRole("group", { name: /порекомендуєте/ })
    .getByLabel("8", { exact: true })
    .check();
  await page.getByLabel("Яку послугу ви отримували?").selectOption({ label: "Реєстрація місця проживання" });
  await page.getByLabel("Що варто покращити? (необов'язково)").fill("Довга черга до вікна 3, а електронна черга не працювала.");
}

async function counted() {
  const body = await svc.gql(
    "query($v: ID!) { feedbackResponses(venueId: $v) { totalCount edges { node { riskScore riskReasons counted channel } } } }",
    { v: venue },
    coordinator,
  );
  return body.feedbackResponses;
}

test("a visitor scans the poster, answers with JavaScript on a phone, and cannot answer twice", async () => {
  const context = await svc.browser.newContext({ viewport: { width: 360, height: 780 }, locale: "uk-UA" });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // The cooldown page answers 409, which the browser logs; anything else is a fault.
  page.on("console", (m) => m.type() === "error" && !m.text().includes("status of 409") && errors.push(m.text()));
  // The proof of work runs in a Web Worker, so the visitor's taps never wait for it.
  const workers = [];
  page.on("worker", (w) => workers.push(new URL(w.url()).pathname));
  await page.goto(link);
  await page.getByRole("heading", { name: "Як вас обслужили?" }).waitFor();
  await page.getByText("ЦНАП м. Львова").waitFor();
  await axe(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  await fill(page);
  // The proof of work runs while the visitor answers.
  await page.waitForFunction(() => document.getElementById("pow").value !== "", null, { timeout: 30_000 });
  assert.deepEqual(workers, ["/q/pow.js"]);
  await svc.advanceClock(2_000); // the visitor takes two seconds
  await page.getByRole("button", { name: "Надіслати відгук" }).click();
  await page.getByRole("heading", { name: "Дякуємо за відгук!" }).waitFor();
  await axe(page);
  const after = await counted();
  assert.equal(after.totalCount, 1);
  assert.deepEqual(after.edges[0].node, { riskScore: 0, riskReasons: [], counted: true, channel: "QR" });

  // The same phone again: refused by its cooldown, in words.
  await page.goto(link);
  await page
    .getByRole("group", { name: /Приміщення/ })
    .getByLabel("жахливо")
    .check();
  await page.getByRole("button", { name: "Надіслати відгук" }).click();
  await page.getByRole("heading", { name: "Відгук уже є" }).waitFor();
  assert.equal((await counted()).totalCount, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test("without JavaScript the form works the same; a missing answer is named; English", async () => {
  const context = await svc.browser.newContext({ viewport: { width: 360, height: 780 }, locale: "uk-UA", javaScriptEnabled: false });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(link);
  await page.getByRole("link", { name: "English" }).click();
  await page.getByRole("heading", { name: "How were you served?" }).waitFor();
  // Nothing rated: the page says what to do, in a summary that links to the field. (axe-core runs in the page,
  // so the scans are in the tests with JavaScript on; the HTML is the same.)
  await page.getByRole("button", { name: "Send feedback" }).click();
  await page
    .getByRole("alert")
    .getByText(/rate at least one thing/)
    .waitFor();
  await page
    .getByRole("group", { name: /Waiting/ })
    .getByLabel("acceptable")
    .check();
  await page
    .getByRole("group", { name: /recommend/ })
    .getByLabel("6", { exact: true })
    .check();
  await svc.advanceClock(2_000); // the visitor takes two seconds
  await page.getByRole("button", { name: "Send feedback" }).click();
  await page.getByRole("heading", { name: "Thank you for your feedback!" }).waitFor();
  const after = await counted();
  assert.equal(after.totalCount, 2);
  // Without JavaScript there is no proof of work, and that alone is not held against anyone.
  assert.ok(after.edges.every((e) => e.node.counted));
  await context.close();
});

test("a bot that fills the hidden field is refused and nothing is kept; a forged code is refused", async () => {
  const context = await svc.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(link);
  // The page with its error summary (nothing rated), scanned.
  await page.getByRole("button", { name: "Надіслати відгук" }).click();
  await page
    .getByRole("alert")
    .getByText(/оцініть хоча б щось/)
    .waitFor();
  await axe(page);
  await page
    .getByRole("group", { name: /Приміщення/ })
    .getByLabel("чудово")
    .check();
  await page.locator("#website").fill("http://cheap-pills.example", { force: true });
  await page.getByRole("button", { name: "Надіслати відгук" }).click();
  await page.getByRole("heading", { name: "Відгук не прийнято" }).waitFor();
  assert.equal((await counted()).totalCount, 2);
  // A forged code is refused with a way on.
  const forged = link.replace(/\/q\/([a-z0-9]+)\.(.)/, (m, token, c) => `/q/${token}.${c === "a" ? "b" : "a"}`);
  assert.notEqual(forged, link);
  await page.goto(forged);
  await page.getByRole("heading", { name: "Код не дійсний" }).waitFor();
  await axe(page);
  await context.close();
});

test("a coordinator moderates in the console: the raw and masked comment, publish; the venue's QR code is replaced", async () => {
  const context = await svc.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "uk-UA", acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await signInToConsole(page, svc.base, "coordinator@example.org", "feedback");
  await page.getByRole("heading", { name: "Відгуки громадян", level: 1 }).waitFor();
  await page.getByRole("status").filter({ hasText: "Відгуків: 1" }).waitFor();
  await page.getByText("Довга черга до вікна 3, а електронна черга не працювала.").first().waitFor();
  await axe(page);
  await page.getByRole("button", { name: "Опублікувати (ЦНАП м. Львова)" }).click();
  await page.getByRole("status").filter({ hasText: "Коментар опубліковано." }).waitFor();
  await page.getByRole("status").filter({ hasText: "Відгуків: 0" }).waitFor();
  await page.getByLabel("Модерація").selectOption("PUBLISHED");
  await page.getByText("Модерація: опубліковано").waitFor();

  // The venue's page: the link, the poster to print, and a new code when the old poster was stolen.
  await page.goto(`${svc.base}/console/#/venue/${venue}`);
  await page.getByRole("heading", { name: "QR-код для відгуків" }).waitFor();
  await page.getByRole("link", { name: link }).waitFor();
  const [poster] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Завантажити плакат A4 (SVG)" }).click(),
  ]);
  const svg = readFileSync(await poster.path(), "utf8");
  assert.ok(svg.includes("ЦНАП м. Львова") && svg.includes(link));
  const [printable] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Плакат A4 (PDF)" }).click()]);
  const pdf = readFileSync(await printable.path());
  assert.equal(pdf.subarray(0, 5).toString(), "%PDF-");
  assert.ok(pdf.includes(Buffer.from("DejaVuSans")), "the PDF carries its fonts");
  await axe(page);
  await page.getByRole("button", { name: "Замінити код (старий плакат перестане діяти)" }).click();
  await page.getByRole("status").filter({ hasText: "Код замінено" }).waitFor();
  assert.equal((await fetch(link)).status, 404);
  // The room shows the new code once it has read it again (the status may come first).
  await page.getByRole("link", { name: link }).waitFor({ state: "detached" });
  const fresh = await page.getByRole("link", { name: /\/q\// }).textContent();
  assert.notEqual(fresh, link);
  assert.equal((await fetch(fresh)).status, 200);
  await context.close();
});

test("a coordinator edits the service catalogue: a bad order is named, a new service reaches the form, then leaves it", async () => {
  const context = await svc.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "uk-UA" });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const formServices = async () => {
    const html = await (await fetch(`${svc.base}/feedback/${venue}`)).text();
    return { pension: html.includes("Пенсійні питання"), residence: html.includes("Реєстрація місця проживання") };
  };
  await signInToConsole(page, svc.base, "coordinator@example.org", "services");
  await page.getByRole("heading", { name: "Каталог послуг", level: 1 }).waitFor();
  const table = page.getByRole("table", { name: "Послуги: ЦНАП" });
  await table.getByRole("row", { name: /RESIDENCE/ }).waitFor();
  await axe(page);
  await page.getByLabel("Код").fill("pension");
  await page.getByLabel("Назва українською").fill("Пенсійні питання");
  await page.getByLabel("Назва англійською").fill("Pensions");
  await page.getByLabel("Порядок").fill("-2");
  await page.getByRole("button", { name: "Додати послугу" }).click();
  await page.getByRole("alert").filter({ hasText: "Порядок: має бути від 0 до 9999" }).waitFor();
  assert.equal((await formServices()).pension, false, "nothing is saved from a refused form");
  assert.equal(await page.getByLabel("Назва українською").inputValue(), "Пенсійні питання", "the refused form keeps what was typed");
  await page.getByLabel("Порядок").fill("");
  await page.getByRole("button", { name: "Додати послугу" }).click();
  await page.getByRole("status").filter({ hasText: "Послугу «Пенсійні питання» додано." }).waitFor();
  const row = table.getByRole("row", { name: /PENSION/ });
  await row.getByRole("cell", { name: "Pensions" }).waitFor();
  assert.deepEqual(await formServices(), { pension: true, residence: true });
  // Renamed and moved first; then taken off the form (it stays in the catalogue).
  await row.getByRole("button", { name: "Змінити PENSION" }).click();
  await page.getByRole("heading", { name: "Зміна послуги PENSION" }).waitFor();
  await page.getByLabel("Назва англійською").fill("Pensions and benefits");
  await page.getByLabel("Порядок").fill("0");
  await page.getByRole("button", { name: "Зберегти послугу" }).click();
  await page.getByRole("status").filter({ hasText: "Послугу «Пенсійні питання» збережено." }).waitFor();
  await table.getByRole("cell", { name: "Pensions and benefits" }).waitFor();
  assert.match(await table.locator("tbody tr").first().textContent(), /PENSION/);
  await table.getByRole("button", { name: "Прибрати RESIDENCE з форми" }).click();
  await page.getByRole("status").filter({ hasText: "«Реєстрація місця проживання» прибрано з форми." }).waitFor();
  await table.getByRole("button", { name: "Повернути RESIDENCE на форму" }).waitFor();
  assert.deepEqual(await formServices(), { pension: true, residence: false });
  await axe(page);
  await table.getByRole("button", { name: "Повернути RESIDENCE на форму" }).click();
  await table.getByRole("button", { name: "Прибрати RESIDENCE з форми" }).waitFor();
  assert.deepEqual(await formServices(), { pension: true, residence: true });
  // A restaurant has no catalogue yet: said in words.
  await page.getByLabel("Тип закладу").selectOption("RESTAURANT");
  await page.getByText("Для цього типу закладу послуг ще немає").waitFor();
  await context.close();
});

test("a burst against one center shows to staff, who open that center's responses", async () => {
  // Six visitors within seconds, from one address, each on a new device.
  const forms = [];
  for (let i = 0; i < 6; i++) {
    const response = await fetch(`${svc.base}/feedback/${venue}`);
    const html = await response.text();
    forms.push({ token: html.match(/name="token" value="([^"]+)"/)[1], cookie: response.headers.get("set-cookie").split(";")[0] });
  }
  await svc.advanceClock(2_000);
  for (const { token, cookie } of forms) {
    const sent = await fetch(`${svc.base}/feedback/${venue}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: new URLSearchParams({ token, premises: "1", recommend: "0" }),
    });
    assert.equal(sent.status, 200);
  }
  const context = await svc.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "uk-UA" });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await signInToConsole(page, svc.base, "coordinator@example.org", "feedback");
  const bursts = page.locator("section").filter({ has: page.getByRole("heading", { name: "Сплески відгуків за тиждень" }) });
  const line = bursts.getByRole("listitem").filter({ hasText: "ЦНАП м. Львова" });
  await line.waitFor();
  const [, count] = (await line.textContent()).match(/(\d+) відгуків/);
  assert.ok(Number(count) >= 6, await line.textContent());
  await axe(page);
  await line.getByRole("button", { name: "Відгуки центру «ЦНАП м. Львова»" }).click();
  await page.getByText("Показано лише відгуки центру «ЦНАП м. Львова».").waitFor();
  assert.equal(await page.getByLabel("Модерація").inputValue(), "");
  const all = (await counted()).totalCount;
  await page
    .getByRole("status")
    .filter({ hasText: `Відгуків: ${all}` })
    .waitFor();
  // The burst of new devices is held out of the index, its first responses included; a moderator who judges
  // one genuine counts it after all (and the button then offers to leave it out again).
  const heldBefore = (await counted()).edges.filter((e) => !e.node.counted).length;
  assert.ok(heldBefore >= 6, `the burst is held: ${heldBefore}`);
  await page.getByLabel("Ризик").selectOption("true");
  await page
    .getByRole("status")
    .filter({ hasText: `Відгуків: ${heldBefore}` })
    .waitFor();
  await page.getByRole("button", { name: "Врахувати в індексі: відгук справжній (ЦНАП м. Львова)" }).first().click();
  await page.getByRole("status").filter({ hasText: "Відгук враховано в індексі." }).waitFor();
  await page
    .getByRole("status")
    .filter({ hasText: `Відгуків: ${heldBefore - 1}` })
    .waitFor();
  assert.equal((await counted()).edges.filter((e) => !e.node.counted).length, heldBefore - 1);
  await axe(page);
  await page.getByLabel("Ризик").selectOption("");
  await page.getByRole("button", { name: "Показати всі центри" }).click();
  await page.getByText("Показано лише відгуки центру").waitFor({ state: "detached" });
  await context.close();
});
