// Benchmark: the shoppers' app's first load on a slow phone, in Debian's Chromium against the local service: a
// signed-in shopper opens /app/ on a throttled profile (150 ms round trips, 1.6 Mbit/s down, 750 kbit/s up, the
// CPU slowed 4×, as Lighthouse's slow 4G) and the time is taken from the start of navigation to the job board
// showing its tasks (the first card's heading: the board is usable). Cold: a fresh profile (nothing cached, no
// service worker); warm: the same phone again (the service worker serves the shell). Five runs each, the median
// and the worst. Prints a Markdown table for docs/benchmarks.md. Not a test: `node bench/first_load.mjs` in web/
// (after `npm run build` and `cargo build`).
import { launchedWave, startService, verifiedShopper } from "../tests/harness.mjs";

const RUNS = 5;
const PROFILE = { latency: 150, downloadThroughput: (1.6e6 / 8) | 0, uploadThroughput: (750e3 / 8) | 0 };

const svc = await startService();
try {
  const coordinator = await svc.login("coordinator@example.org");
  await launchedWave(svc, coordinator, {
    venues: [
      ["L1", "ЦНАП м. Львова", 49.84195, 24.0316],
      ["L2", "ЦНАП Франківського району", 49.8261, 23.9988],
    ],
    definition: {
      sections: [{ code: "S", title: { uk: "Візит" }, questions: [{ code: "Q1", title: { uk: "Вивіска?" }, type: "YES_NO", weight: 1 }] }],
    },
  });
  await verifiedShopper(svc, { email: "olena@example.com" });
  const token = await svc.login("olena@example.com");

  /** One load of the board on a throttled page; milliseconds from navigation to the first task on screen. */
  async function load(page) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, ...PROFILE });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    const started = Date.now();
    await page.goto(`${svc.base}/app/`, { waitUntil: "commit" });
    await page.getByRole("heading", { name: "ЦНАП м. Львова" }).waitFor({ timeout: 30_000 });
    const ms = Date.now() - started;
    await cdp.detach();
    return ms;
  }

  const cold = [];
  const warm = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await svc.browser.newContext({ viewport: { width: 360, height: 740 }, locale: "uk-UA" });
    await context.addInitScript((t) => localStorage.setItem("fieldwork.token", t), token);
    const page = await context.newPage();
    cold.push(await load(page));
    // The service worker takes over, then the same phone opens the app again.
    await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 30_000 });
    const again = await context.newPage();
    warm.push(await load(again));
    await context.close();
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const row = (name, xs) => `| ${name} | ${median(xs)} ms | ${Math.max(...xs)} ms | ${xs.join(", ")} |`;
  console.log("| load | median | worst | runs (ms) |");
  console.log("|---|---|---|---|");
  console.log(row("cold (fresh profile)", cold));
  console.log(row("warm (service worker)", warm));
} finally {
  await svc.stop();
}
