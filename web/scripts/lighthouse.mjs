// Benchmark (not a test): Lighthouse's mobile profile against pages served by a local service.
// Lighthouse 11 is the last release with the PWA "installable" audits and runs on Node 20; it is fetched by npx
// when this runs, so the project's dependencies stay small. Usage, after `npm run build` and
// `cargo build --release -p fieldwork-server` (FIELDWORK_BIN=…/release/fieldwork):
//   node scripts/lighthouse.mjs           the shoppers' app (performance and PWA)
//   node scripts/lighthouse.mjs public    the citizens' pages: the map portal, a center's page and the feedback
//                                         form (performance, accessibility, best practices)
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startService } from "../tests/harness.mjs";

const chromium = process.env.CHROMIUM ?? "/usr/bin/chromium";
const METRICS = [
  "first-contentful-paint",
  "largest-contentful-paint",
  "total-blocking-time",
  "cumulative-layout-shift",
  "speed-index",
  "interactive",
];

function lighthouse(url, categories) {
  const out = join(mkdtempSync(join(tmpdir(), "lighthouse-")), "report.json");
  const run = spawnSync(
    "npx",
    [
      "-y",
      "lighthouse@11.7.1",
      url,
      `--chrome-path=${chromium}`,
      "--chrome-flags=--headless=new --no-sandbox",
      `--only-categories=${categories.join(",")}`,
      "--output=json",
      `--output-path=${out}`,
      "--quiet",
    ],
    { stdio: "inherit", env: { ...process.env, CHROME_PATH: chromium } },
  );
  if (run.status !== 0) throw new Error(`lighthouse failed (${run.status})`);
  return JSON.parse(readFileSync(out, "utf8"));
}

function print(title, report) {
  console.log(`\n${title}`);
  for (const [id, category] of Object.entries(report.categories)) console.log(`${id}: ${Math.round(category.score * 100)}`);
  for (const id of METRICS) console.log(`${id}: ${report.audits[id].displayValue}`);
  for (const audit of Object.values(report.audits)) {
    if (audit.score !== null && audit.score < 1 && audit.scoreDisplayMode === "binary")
      console.log(`  not passed: ${audit.id} ${audit.title}`);
  }
}

const svc = await startService();
try {
  if (process.argv[2] === "public") {
    // One public body's center with a live QR code: the pages a citizen opens.
    const coordinator = await svc.login("coordinator@example.org");
    const client = (await svc.gql('mutation { createClient(name: "Львівська міська рада", kind: PUBLIC_BODY) { id } }', {}, coordinator))
      .createClient.id;
    const venue = (
      await svc.gql(
        'mutation($c: ID!) { createVenue(input: { clientId: $c, externalCode: "L1", name: "ЦНАП м. Львова", type: "CNAP", address: "вул. Сихівська, 8", city: "Львів", oblast: "Львівська", location: { lat: 49.84195, lon: 24.0316 } }) { id } }',
        { c: client },
        coordinator,
      )
    ).createVenue.id;
    const link = (await svc.gql("query($v: ID!) { feedbackCode(venueId: $v) { link } }", { v: venue }, coordinator)).feedbackCode.link;
    const categories = ["performance", "accessibility", "best-practices"];
    print("the map portal /map/", lighthouse(`${svc.base}/map/`, categories));
    print("a center's page", lighthouse(`${svc.base}/map/centers/${venue}`, categories));
    print("the feedback form (QR link)", lighthouse(link, categories));
  } else {
    const report = lighthouse(`${svc.base}/app/`, ["performance", "pwa"]);
    print("the shoppers' app /app/", report);
    for (const id of ["installable-manifest", "service-worker", "splash-screen", "themed-omnibox", "maskable-icon", "viewport"]) {
      const a = report.audits[id];
      if (a) console.log(`${id}: ${a.score === 1 ? "pass" : `FAIL ${a.explanation ?? ""}`}`);
    }
  }
} finally {
  await svc.stop();
}
