// An iPhone's HEIC photo, in a real Chromium at 360 px, against the service built with libheif (`--features heic`,
// the production build; scripts/test.sh builds it as fieldwork-heic where libheif is installed). Chromium cannot
// draw HEIC, but this service reads it: the app sends the file as it is, so its EXIF (where and when it was taken)
// goes with it, and shows a placeholder until the service's own copy exists. (Against a service without libheif
// the same file is refused on the phone with the camera setting to change: visit.test.mjs.)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { axe, heicBinary, launchedWave, repo, signInInApp, startService, verifiedShopper } from "./harness.mjs";

const HEIC = join(repo, "tests", "fixtures", "photos", "IMG_5195.HEIC");
const VENUE = ["H1", "ЦНАП Ринок", 49.8419, 24.0316];
const DEFINITION = {
  sections: [
    {
      code: "S",
      title: { uk: "Візит", en: "Visit" },
      questions: [
        { code: "Q1", title: { uk: "Чи є вивіска?", en: "Is there a sign?" }, type: "YES_NO", weight: 1, required: true },
        {
          code: "P1",
          title: { uk: "Фото зали", en: "Photo of the hall" },
          type: "PHOTO",
          required: true,
          minCount: 1,
          caption: { uk: "зала", en: "the hall" },
        },
      ],
    },
  ],
};
const built = existsSync(heicBinary);

let svc;
let coordinator;
let token;

before(async () => {
  if (!built) return;
  svc = await startService({ binary: heicBinary });
  coordinator = await svc.login("coordinator@example.org");
  await launchedWave(svc, coordinator, { venues: [VENUE], definition: DEFINITION, visitRules: { minMinutes: 0 } });
  await verifiedShopper(svc, { email: "iphone@example.com", taxId: "3000000008" });
  token = await svc.login("iphone@example.com");
});

after(async () => {
  await svc?.stop();
});

test(
  "an iPhone's HEIC picked from the gallery goes to a service that reads it as it is, with its EXIF",
  { skip: !built && `no ${heicBinary} (libheif is not installed)` },
  async () => {
    const board = await svc.gql("{ availableTasks(first: 5) { edges { node { taskId } } } }", {}, token);
    const task = board.availableTasks.edges[0].node.taskId;
    await svc.gql("mutation($t: ID!) { claimTask(taskId: $t) { id } }", { t: task }, token);
    const types = await svc.gql("{ photoTypes }", {}, token);
    assert.ok(types.photoTypes.includes("image/heic"), "this build reads HEIC");

    const context = await svc.browser.newContext({
      viewport: { width: 360, height: 740 },
      locale: "uk-UA",
      geolocation: { latitude: VENUE[2] + 0.0001, longitude: VENUE[3], accuracy: 10 },
      permissions: ["geolocation"],
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await signInInApp(page, svc.base, "iphone@example.com");
    await page.evaluate((t) => (location.hash = `#/visit/${t}`), task);
    await page.getByRole("button", { name: "Визначити місцезнаходження" }).click();
    await page.getByText(/Ви за \d+ м від закладу/).waitFor();
    await page.getByRole("button", { name: "Відмітитися" }).click();
    await page.getByText("Відмітку прибуття прийнято.").waitFor();

    await page.locator("#q-P1-gallery").setInputFiles(HEIC);
    await page.getByTestId("photo-count-P1").getByText("Фото: 1 ").waitFor();
    assert.equal(await page.getByTestId("visit-note").count(), 0, "no refusal");
    await page.getByTestId("pending").waitFor({ state: "detached", timeout: 30_000 });
    await axe(page);

    const mine = (await svc.gql("query($t: ID!) { myVisit(taskId: $t) { id } }", { t: task }, token)).myVisit;
    const read = "query($id: ID!) { visit(id: $id) { photos { width height exif { position { lat lon } model } } } }";
    const { photos } = (await svc.gql(read, { id: mine.id }, coordinator)).visit;
    assert.equal(photos.length, 1);
    assert.equal(photos[0].exif.model, "iPhone 11 Pro Max", "the EXIF came with the file");
    assert.equal(photos[0].exif.position.lat, 39.051344);
    assert.ok(photos[0].height > photos[0].width, "upright");
    assert.deepEqual(errors, []);
    await context.close();
  },
);
