// Benchmark (not a test): Lighthouse's mobile profile against the shoppers' app served by a local service.
// Lighthouse 11 is the last release with the PWA "installable" audits and runs on Node 20; it is fetched by npx
// when this runs, so the project's dependencies stay small. Usage: `node scripts/lighthouse.mjs` after
// `npm run build` and `cargo build --release -p fieldwork-server` (FIELDWORK_BIN=…/release/fieldwork).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startService } from "../tests/harness.mjs";

const svc = await startService();
try {
  const out = join(mkdtempSync(join(tmpdir(), "lighthouse-")), "report.json");
  const run = spawnSync(
    "npx",
    [
      "-y",
      "lighthouse@11.7.1",
      `${svc.base}/app/`,
      `--chrome-path=${process.env.CHROMIUM ?? "/usr/bin/chromium"}`,
      "--chrome-flags=--headless=new --no-sandbox",
      "--only-categories=performance,pwa",
      "--output=json",
      `--output-path=${out}`,
      "--quiet",
    ],
    { stdio: "inherit", env: { ...process.env, CHROME_PATH: process.env.CHROMIUM ?? "/usr/bin/chromium" } },
  );
  if (run.status !== 0) throw new Error(`lighthouse failed (${run.status})`);
  const report = JSON.parse(readFileSync(out, "utf8"));
  const audit = (id) => report.audits[id];
  console.log(`performance: ${Math.round(report.categories.performance.score * 100)}`);
  for (const id of ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index", "interactive"]) {
    console.log(`${id}: ${audit(id).displayValue}`);
  }
  console.log(`pwa: ${Math.round(report.categories.pwa.score * 100)}`);
  for (const id of ["installable-manifest", "service-worker", "splash-screen", "themed-omnibox", "maskable-icon", "viewport"]) {
    const a = audit(id);
    if (a) console.log(`${id}: ${a.score === 1 ? "pass" : `FAIL ${a.explanation ?? ""}`}`);
  }
} finally {
  await svc.stop();
}
