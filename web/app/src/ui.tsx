// Small pieces every screen uses: the language switch, a labelled field with its error, navigation, and the
// outbox status line.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { t, type Lang } from "./i18n";
export { Field } from "../../common/field";
import { LanguageSwitch as SharedLanguageSwitch } from "../../common/language";
import type { QueuedOperation } from "./queue";
import { render } from "../../common/messages";

export function LanguageSwitch({ lang, setLang }: { lang: Lang; setLang: (l: Lang) => void }) {
  return <SharedLanguageSwitch label={t(lang).language} lang={lang} storageKey="fieldwork.lang" setLang={setLang} />;
}

export function go(path: string): void {
  location.hash = `#/${path}`;
}

export function Nav({ lang, current }: { lang: Lang; current: string }) {
  const s = t(lang);
  const items: [string, string][] = [
    ["", s.board],
    ["tasks", s.myTasks],
    ["visits", s.myVisits],
    ["money", s.money],
    ["profile", s.profile],
  ];
  return (
    <nav aria-label={s.menu}>
      <ul>
        {items.map(([path, name]) => (
          <li key={path}>
            <a href={`#/${path}`} aria-current={current === path ? "page" : undefined}>
              {name}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Unsent work older than this is worth a warning. */
const STALE_HOURS = 3;

/** Offline notice, what waits to be sent, and what the server refused (in its words, for the shopper to act on). */
export function OutboxStatus(props: { lang: Lang; online: boolean; items: QueuedOperation[]; onDismiss: (id: number) => void }) {
  const s = t(props.lang);
  const waiting = props.items.filter((i) => !i.refused);
  const refused = props.items.filter((i) => i.refused);
  // A browser may evict the storage of a web app that is not installed: say so when work has waited for long.
  const oldest = Math.min(...waiting.map((i) => i.createdAt));
  const stale = waiting.length > 0 && Date.now() - oldest > STALE_HOURS * 3600_000;
  return (
    <div aria-live="polite">
      {!props.online && <p class="notice">{s.offline}</p>}
      {stale && (
        <p class="notice" data-testid="stale">
          {s.storageOld(STALE_HOURS)}
        </p>
      )}
      {waiting.length > 0 && (
        <p class="notice" data-testid="pending">
          {s.pending(waiting.length)}
        </p>
      )}
      {refused.map((i) => (
        <div class="refused" role="alert" key={i.id}>
          <p>
            {s.refused(s.operationNames[i.operation] ?? i.operation)}:{" "}
            {(i.refusedMessage && render(props.lang, i.refusedMessage)) ?? i.refused}
          </p>
          <button type="button" class="secondary" onClick={() => props.onDismiss(i.id!)}>
            {s.dismiss}
          </button>
        </div>
      ))}
    </div>
  );
}

export function Screen({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <section>
      <h1 tabIndex={-1}>{title}</h1>
      {children}
    </section>
  );
}

interface InstallPromptEvent extends Event {
  prompt: () => Promise<void>;
}

/**
 * "Install the app": shown when the browser offers installation (Chromium's `beforeinstallprompt`); other
 * browsers install from their own menu (the manifest and service worker make the app installable).
 */
export function InstallButton({ lang }: { lang: Lang }) {
  const [offer, setOffer] = useState<InstallPromptEvent | null>(null);
  useEffect(() => {
    const offered = (e: Event) => {
      e.preventDefault();
      setOffer(e as InstallPromptEvent);
    };
    const installed = () => setOffer(null);
    window.addEventListener("beforeinstallprompt", offered);
    window.addEventListener("appinstalled", installed);
    return () => {
      window.removeEventListener("beforeinstallprompt", offered);
      window.removeEventListener("appinstalled", installed);
    };
  }, []);
  if (!offer) return null;
  return (
    <button
      type="button"
      class="secondary"
      onClick={async () => {
        await offer.prompt();
        setOffer(null);
      }}
    >
      {t(lang).install}
    </button>
  );
}

/** What the maps of the app say (zoom buttons, the home area, a map that cannot be shown), in the chosen language. */
export function mapText(lang: Lang) {
  const s = t(lang);
  return { labels: { zoomIn: s.zoomIn, zoomOut: s.zoomOut, home: s.homeArea }, unavailable: s.mapUnavailable };
}
