// The rule by which the app's record of a visit converges to the server's copy (web/app/src/converge.ts): what the
// server holds, with what still waits in the outbox laid over it, and nothing the server refused. The TypeScript is
// compiled with Vite's own esbuild.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { transformWithEsbuild } from "vite";
import { repo } from "./harness.mjs";

async function convergeModule() {
  const file = join(repo, "web", "app", "src", "converge.ts");
  const { code } = await transformWithEsbuild(readFileSync(file, "utf8"), file, { loader: "ts", format: "esm" });
  return import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
}

const attempt = { id: "a1", deviceTime: "2026-12-07T09:00:00Z", serverTime: "2026-12-07T09:00:01Z", verdict: null };

function server(overrides = {}) {
  return {
    id: "v1",
    state: "IN_PROGRESS",
    taskId: "t1",
    venueName: "ЦНАП",
    checkedInAt: "2026-12-07T09:00:00Z",
    submittedAt: null,
    answers: { Q1: true },
    startedBy: attempt,
    checkOut: null,
    photos: [],
    history: [],
    ...overrides,
  };
}

function local(overrides = {}) {
  return {
    taskId: "t1",
    venueName: "ЦНАП",
    checkInClientId: "c1",
    checkedInAt: "2026-12-07T09:00:00Z",
    answers: {},
    photos: [],
    tokens: [],
    ...overrides,
  };
}

const photo = (clientId, questionCode = "P2") => ({ clientId, questionCode, thumbnail: "data:," });

test("a visit only the server knows (another phone, cleared data) is taken whole from the server", async () => {
  const { converged } = await convergeModule();
  const photos = [
    { id: "p1", clientId: "x", questionCode: "P2", kind: "QUESTION", receiptKopiykas: null, source: "GALLERY", thumbnailUrl: "/m" },
  ];
  const v = converged(undefined, server({ photos }), [], "ЦНАП");
  assert.equal(v.visitId, "v1");
  assert.equal(v.checkIn.accepted, true);
  assert.deepEqual(v.answers, { Q1: true });
  assert.deepEqual(v.serverPhotos, photos);
  assert.equal(v.submittedAt, undefined);
  assert.equal(v.checkedOutAt, undefined);
});

test("what still waits in the outbox lies over the server's copy; a refused photo is gone from the counts", async () => {
  const { converged } = await convergeModule();
  const waiting = [
    { operation: "saveVisitAnswers", variables: { answers: { Q1: false, Q3: null, Q4: 7 } } },
    { operation: "uploadVisitPhoto", variables: { clientId: "waits" } },
  ];
  const v = converged(
    local({ visitId: "v1", photos: [photo("waits"), photo("refused")], tokens: ["k"] }),
    server({ answers: { Q1: true, Q3: "x" } }),
    waiting,
    "",
  );
  assert.deepEqual(v.answers, { Q1: false, Q4: 7 });
  assert.deepEqual(
    v.photos.map((p) => p.clientId),
    ["waits"],
    "the refused photo (no longer waiting, not on the server) leaves",
  );
  assert.deepEqual(v.tokens, ["k"], "the same visit keeps its capture tokens");
});

test("a photo the server holds is counted once, from the server", async () => {
  const { converged } = await convergeModule();
  const held = {
    id: "p1",
    clientId: "mine",
    questionCode: "P2",
    kind: "QUESTION",
    receiptKopiykas: null,
    source: "GALLERY",
    thumbnailUrl: "/m",
  };
  const v = converged(
    local({ visitId: "v1", photos: [photo("mine")] }),
    server({ photos: [held] }),
    [{ operation: "uploadVisitPhoto", variables: { clientId: "mine" } }],
    "",
  );
  assert.equal(v.photos.length, 0);
  assert.equal(v.serverPhotos.length, 1);
});

test("a submission the server did not take reopens the visit; one it holds, or one still waiting, stays sent", async () => {
  const { converged } = await convergeModule();
  const sent = local({ visitId: "v1", submittedAt: "2026-12-07T10:00:00Z", checkedOutAt: "2026-12-07T09:50:00Z" });
  const reopened = converged(sent, server({ checkOut: { deviceTime: "2026-12-07T09:50:00Z" } }), [], "");
  assert.equal(reopened.submittedAt, undefined, "refused: open for editing again");
  assert.equal(reopened.checkedOutAt, "2026-12-07T09:50:00Z");
  assert.equal(converged(sent, server(), [{ operation: "submitVisit", variables: {} }], "").submittedAt, sent.submittedAt);
  assert.ok(converged(sent, server({ state: "SUBMITTED", submittedAt: "2026-12-07T10:00:02Z" }), [], "").submittedAt);
  const returned = converged(
    sent,
    server({
      state: "RETURNED",
      submittedAt: "2026-12-07T10:00:02Z",
      history: [{ action: "RETURN", reason: "r", comments: [], at: "2026-12-07T11:00:00Z" }],
    }),
    [],
    "",
  );
  assert.equal(returned.returned, true);
  assert.equal(returned.submittedAt, undefined);
  assert.equal(returned.returnedAt, "2026-12-07T11:00:00Z");
});

test("without a visit on the server, a check-in still waiting or refused with its reason stays; anything else goes", async () => {
  const { converged } = await convergeModule();
  const mine = local();
  assert.ok(converged(mine, null, [{ operation: "checkIn", variables: {} }], ""));
  assert.ok(converged({ ...mine, checkInRefused: { id: "n", place: "checkIn", operation: "checkIn", text: "no" } }, null, [], ""));
  assert.equal(converged(mine, null, [], ""), null);
  assert.equal(converged(undefined, null, [], ""), null);
});

test("a refusal is noted where it belongs and undoes what it claimed", async () => {
  const { afterRefusal, placeOf } = await convergeModule();
  assert.equal(placeOf("submitVisit", {}, "answers.P2"), "P2");
  assert.equal(placeOf("uploadVisitPhoto", { questionCode: "P2" }, "file"), "P2");
  assert.equal(placeOf("uploadVisitPhoto", { questionCode: null, receiptKopiykas: 100 }), "receipt");
  assert.equal(placeOf("saveVisitAnswers", { answers: { Q4: 9999 } }), "Q4");
  assert.equal(placeOf("checkOut", {}), "checkOut");
  const note = { id: "p", place: "P2", operation: "uploadVisitPhoto", text: "too big" };
  const v = afterRefusal(local({ photos: [photo("p"), photo("q")] }), "uploadVisitPhoto", { clientId: "p" }, note);
  assert.deepEqual(
    v.photos.map((p) => p.clientId),
    ["q"],
  );
  assert.deepEqual(v.notes, [note]);
  const submitted = local({ submittedAt: "x", checkedOutAt: "y" });
  assert.equal(afterRefusal(submitted, "submitVisit", {}, note).submittedAt, undefined);
  assert.equal(afterRefusal(submitted, "checkOut", {}, note).checkedOutAt, undefined);
});
