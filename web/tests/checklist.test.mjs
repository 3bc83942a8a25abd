// The app judges conditional visibility exactly as the server does: the same truth table
// (tests/fixtures/checklists/visibility.json) is checked here against web/common/checklist.ts and in the
// server's unit tests against server/src/domain/checklist. The TypeScript is compiled with Vite's own esbuild.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { transformWithEsbuild } from "vite";
import { repo } from "./harness.mjs";

async function checklistModule() {
  const file = join(repo, "web", "common", "checklist.ts");
  const { code } = await transformWithEsbuild(readFileSync(file, "utf8"), file, { loader: "ts", format: "esm" });
  return import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
}

test("conditional visibility follows the truth table the server is checked against", async () => {
  const { isVisible, questions, hiddenAnswers } = await checklistModule();
  const table = JSON.parse(readFileSync(join(repo, "tests", "fixtures", "checklists", "visibility.json"), "utf8"));
  for (const { answers, visible } of table.cases) {
    const shown = questions(table.definition)
      .map((q) => q.code)
      .filter((code) => isVisible(table.definition, code, answers));
    assert.deepEqual(shown, visible, `answers ${JSON.stringify(answers)}`);
    // Answers to hidden questions are the ones the app removes before sending.
    assert.deepEqual(
      hiddenAnswers(table.definition, answers),
      Object.keys(answers).filter((code) => !visible.includes(code)),
    );
  }
});

test("required questions still missing: hidden ones and N/A never count, photo questions count their photos", async () => {
  const { missing } = await checklistModule();
  const def = {
    sections: [
      {
        code: "S",
        title: { uk: "S" },
        questions: [
          { code: "A", title: { uk: "A" }, type: "YES_NO", required: true },
          { code: "B", title: { uk: "B" }, type: "TEXT", required: true, visibleIf: { equals: { question: "A", value: true } } },
          { code: "P", title: { uk: "P" }, type: "PHOTO", required: true, minCount: 2 },
          { code: "M", title: { uk: "M" }, type: "MULTIPLE_CHOICE", required: true, options: [{ code: "X", label: { uk: "X" } }] },
        ],
      },
    ],
  };
  const codes = (answers, photos = 0) => missing(def, answers, () => photos).map((q) => q.code);
  assert.deepEqual(codes({}), ["A", "P", "M"]);
  assert.deepEqual(codes({ A: true, M: [] }), ["B", "P", "M"]);
  assert.deepEqual(codes({ A: true, B: "", M: ["X"] }, 1), ["B", "P"]);
  assert.deepEqual(codes({ A: false, M: ["X"] }, 2), []);
  assert.deepEqual(codes({ A: { na: true }, P: { na: true }, M: { na: true } }), []);
});
