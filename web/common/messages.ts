/**
 * The service's message catalogue (`messages/uk.ftl`, `messages/en.ftl`, the same files the server renders
 * from), for the words a face shows on its own: a refusal the phone stored while offline, shown again after the
 * language was switched, and the faces' own failures (no network, a server fault). Rendered with @fluent/bundle
 * (plural forms included).
 */
import { useEffect, useState } from "preact/hooks";
import type { FluentBundle, FluentVariable } from "@fluent/bundle";
import type { Lang } from "./language";

/** A message of the catalogue: its code and parameters (a parameter may itself be a message). */
export interface Message {
  code: string;
  params?: Record<string, unknown>;
}

// Each language's catalogue (and Fluent itself) is a chunk of its own, fetched when a face starts and never on
// the first screen's critical path: the shell stays small on a slow phone. Until it has arrived, `render`
// answers `null` and the caller shows the server's own words, which are in the reader's language already.
const bundles = new Map<Lang, FluentBundle>();
const loading = new Map<Lang, Promise<void>>();
const arrived = new Set<() => void>();

/** Fetches a language's catalogue (once); the faces call it at start and when the language changes. */
export function loadMessages(lang: Lang): Promise<void> {
  let load = loading.get(lang);
  if (!load) {
    load = (async () => {
      const [fluent, source] = await Promise.all([
        import("@fluent/bundle"),
        lang === "uk" ? import("../../messages/uk.ftl?raw") : import("../../messages/en.ftl?raw"),
      ]);
      const b = new fluent.FluentBundle(lang, { useIsolating: false });
      b.addResource(new fluent.FluentResource(source.default));
      bundles.set(lang, b);
      for (const then of arrived) then();
    })();
    // A failed fetch (offline before the service worker had it) is tried again on the next call.
    load.catch(() => loading.delete(lang));
    loading.set(lang, load);
  }
  return load;
}

/**
 * Loads the language's catalogue (when `when` lets it: the app waits for its first screen's data) and renders the
 * caller again when it arrives (the faces' roots use it).
 */
export function useMessages(lang: Lang, when: (go: () => void) => void = (go) => go()): void {
  const [, arrivedOnce] = useState(0);
  useEffect(() => {
    const then = () => arrivedOnce((n) => n + 1);
    arrived.add(then);
    when(() => void loadMessages(lang).catch(() => undefined));
    return () => void arrived.delete(then);
  }, [lang]);
}

/** A message in one language; `null` when the catalogue does not know the code (show the server's words then). */
export function render(lang: Lang, message: Message): string | null {
  const b = bundles.get(lang);
  if (!b) {
    void loadMessages(lang).catch(() => undefined);
    return null;
  }
  const found = b.getMessage(message.code);
  if (!found?.value) return null;
  const args: Record<string, FluentVariable> = {};
  for (const [name, value] of Object.entries(message.params ?? {})) {
    if (typeof value === "number" || typeof value === "string") args[name] = value;
    else if (value && typeof value === "object" && "code" in value) {
      const nested = value as { code: string; params?: Record<string, unknown> };
      args[name] = render(lang, nested) ?? nested.code;
    }
  }
  return b.formatPattern(found.value, args, []);
}
