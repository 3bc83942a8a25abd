/**
 * The service's message catalogue (`messages/uk.ftl`, `messages/en.ftl`, the same files the server renders
 * from), for the words a face shows on its own: a refusal the phone stored while offline, shown again after the
 * language was switched, and the faces' own failures (no network, a server fault). Rendered with @fluent/bundle
 * (plural forms included).
 */
import { FluentBundle, FluentResource, type FluentVariable } from "@fluent/bundle";
import uk from "../../messages/uk.ftl?raw";
import en from "../../messages/en.ftl?raw";
import type { Lang } from "./language";

/** A message of the catalogue: its code and parameters (a parameter may itself be a message). */
export interface Message {
  code: string;
  params?: Record<string, unknown>;
}

const bundles = new Map<Lang, FluentBundle>();

function bundle(lang: Lang): FluentBundle {
  let found = bundles.get(lang);
  if (!found) {
    found = new FluentBundle(lang, { useIsolating: false });
    found.addResource(new FluentResource(lang === "uk" ? uk : en));
    bundles.set(lang, found);
  }
  return found;
}

/** Does the catalogue have this code? */
export function hasMessage(code: string): boolean {
  return bundle("uk").hasMessage(code);
}

/** A message in one language; `null` when the catalogue does not know the code (show the server's words then). */
export function render(lang: Lang, message: Message): string | null {
  const b = bundle(lang);
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
