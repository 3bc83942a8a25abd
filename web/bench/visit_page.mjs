// Benchmark: how long the console's visit page takes to show a visit with 10 real phone photos, in Debian's
// Chromium against the local service (release or debug binary, as the harness finds it): from the start of a
// full page load to the answers, the map's points and all ten thumbnails loaded (a window 3,000 px tall, so the
// lazily loaded thumbnails are all in view). Prints a Markdown table for
// docs/benchmarks.md. Not a test: `node bench/visit_page.mjs` in web/ (after `npm run build` and `cargo build`).
import { join } from "node:path";
import { launchedWave, repo, signInToConsole, startService, submittedVisit, verifiedShopper } from "../tests/harness.mjs";

const PHOTOS = [
  "Apple_iPhone_5.jpg",
  "HMD_Nokia_8.3_5G.jpg",
  "Nexus_4.jpg",
  "iphone_hdr_NO.jpg",
  "Nikon_D5000.jpg",
  "DSCN0010.jpg",
  "Samsung_GT-I9000_Galaxy_S.jpg",
  "no_exif.jpg",
  "Canon_40D.jpg",
  "Apple_iPhone_5.jpg",
];
const svc = await startService();
try {
  const coordinator = await svc.login("coordinator@example.org");
  await launchedWave(svc, coordinator, {
    venues: [["B1", "ЦНАП м. Львова", 49.84195, 24.0316]],
    definition: {
      sections: [
        {
          code: "S",
          title: { uk: "Візит" },
          questions: [
            { code: "Q1", title: { uk: "Чи є вивіска?" }, type: "YES_NO", weight: 1, required: true },
            { code: "Q2", title: { uk: "Фото" }, type: "PHOTO", minCount: 1, caption: { uk: "фото" } },
          ],
        },
      ],
    },
  });
  await verifiedShopper(svc, { email: "olena@example.com" });
  const shopper = await svc.login("olena@example.com");
  const board = await svc.gql("{ availableTasks(first: 1) { edges { node { taskId venueLocation { lat lon } } } } }", {}, shopper);
  const { taskId, venueLocation } = board.availableTasks.edges[0].node;
  const started = Date.now();
  const visit = await submittedVisit(svc, shopper, {
    task: taskId,
    ...venueLocation,
    answers: { Q1: true },
    photos: PHOTOS.map((f) => ["Q2", join(repo, "tests", "fixtures", "photos", f)]),
  });
  const uploads = Date.now() - started;
  const page = await (await svc.browser.newContext({ viewport: { width: 1280, height: 3000 } })).newPage();
  await signInToConsole(page, svc.base, "coordinator@example.org", `visit/${visit}`);
  await page.locator(".gallery .photo-button img").nth(9).waitFor({ state: "attached" });
  const times = [];
  for (let run = 0; run < 7; run++) {
    await page.goto(`${svc.base}/console/?run=${run}#/visit/${visit}`);
    const ms = await page.evaluate(async () => {
      const ready = () => {
        const imgs = [...document.querySelectorAll(".gallery .photo-button img")];
        return (
          imgs.length === 10 &&
          imgs.every((i) => i.complete && i.naturalWidth > 0) &&
          document.querySelector("h1") !== null &&
          document.querySelectorAll(".leaflet-overlay-pane path").length > 0
        );
      };
      while (!ready()) await new Promise((r) => setTimeout(r, 10));
      return performance.now();
    });
    times.push(ms);
  }
  times.sort((a, b) => a - b);
  console.log(`10 photos uploaded and processed in ${(uploads / 1000).toFixed(1)} s\n`);
  console.log("| page | runs | median ms | max ms |");
  console.log("|---|---|---|---|");
  console.log(
    `| visit with 10 photos (full load → answers, map, 10 thumbnails) | ${times.length} | ${times[3].toFixed(0)} | ${times.at(-1).toFixed(0)} |`,
  );
} finally {
  await svc.stop();
}
