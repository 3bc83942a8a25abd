// The faces' side of the one message catalogue (messages/*.ftl, read by web/common/messages.ts): every code the
// web sources render themselves has text in both languages, and a stored refusal renders in whichever language
// the reader picks later. No service or browser needed. (The server's side is server/src/i18n.rs's tests.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { FluentBundle, FluentResource } from "@fluent/bundle";
import { repo } from "./harness.mjs";

function bundle(lang) {
  const b = new FluentBundle(lang, { useIsolating: false });
  const errors = b.addResource(new FluentResource(readFileSync(join(repo, "messages", `${lang}.ftl`), "utf8")));
  assert.deepEqual(errors, [], `messages/${lang}.ftl`);
  return b;
}

function* sources(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === "node_modules" || name === "gql" || name === "dist") continue;
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (/\.(ts|tsx)$/.test(name)) yield path;
  }
}

test("every code the faces render has text in Ukrainian and English", () => {
  const uk = bundle("uk");
  const en = bundle("en");
  const used = new Set();
  for (const dir of ["common", "app/src", "console/src", "portal/src"]) {
    for (const file of sources(join(repo, "web", dir))) {
      for (const m of readFileSync(file, "utf8").matchAll(/\bcode: "([a-z][a-z0-9-]+)"/g)) used.add(m[1]);
    }
  }
  assert.ok(used.has("network-offline") && used.has("flag-name"), [...used].join(", "));
  for (const code of used) {
    assert.ok(uk.hasMessage(code), `${code}: no Ukrainian text`);
    assert.ok(en.hasMessage(code), `${code}: no English text`);
  }
});

test("a stored refusal renders in the language chosen later, plural forms included", () => {
  const uk = bundle("uk");
  const en = bundle("en");
  const say = (b, code, args) => b.formatPattern(b.getMessage(code).value, args, []);
  assert.equal(say(uk, "photo-too-many", { max: 30 }), "До візиту можна додати щонайбільше 30 фото.");
  assert.equal(say(en, "photo-too-many", { max: 30 }), "A visit carries at most 30 photos.");
  assert.equal(say(uk, "text-too-long", { max: 2 }), "має бути не довшим за 2 символи");
  assert.equal(say(uk, "text-too-long", { max: 5 }), "має бути не довшим за 5 символів");
  assert.equal(say(uk, "flag-name", { code: "NEAR_DUPLICATE_PHOTO" }), "майже однакове фото");
});
