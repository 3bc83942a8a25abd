// The data last seen, kept on the phone so every screen opens offline with what it showed last.
import { useEffect, useRef, useState } from "preact/hooks";
import { gql, type Document } from "../../common/api";
import { takeEarly, startApp } from "./board";
import { afterFirstScreen, firstScreenShown } from "./boot";

// From here on the app asks for itself: a late early.ts no longer asks the board's questions too.
startApp();

export function recall<T>(key: string): T | null {
  const raw = localStorage.getItem(`fieldwork.cache.${key}`);
  return raw ? (JSON.parse(raw) as T) : null;
}

export function remember<T>(key: string, value: T): T {
  localStorage.setItem(`fieldwork.cache.${key}`, JSON.stringify(value));
  return value;
}

export function forgetAll(): void {
  for (const key of Object.keys(localStorage)) if (key.startsWith("fieldwork.cache.")) localStorage.removeItem(key);
}

/**
 * A query's answer as last seen: the copy kept under `key` at once, then the server's, asked again whenever
 * `fresh` changes (and by the returned `reload`); offline, the copy stays.
 */
export function useLastSeen<Q, V, T>(
  key: string,
  document: Document<Q, V>,
  variables: V,
  pick: (data: Q) => T,
  fresh?: unknown,
  /** Ask only once the first screen has its data (a list another screen reads). */
  later = false,
): [T | null, () => Promise<void>] {
  const [value, setValue] = useState<T | null>(() => recall<T>(key));
  const latest = useRef(0);
  async function reload() {
    // Only the answer to the latest ask is shown: an older answer arriving late (asked before a task was taken
    // by someone else) must not put what it saw back on the screen.
    const ask = ++latest.current;
    try {
      // The board's first answer may already be on its way (early.ts); an unusable one is asked again.
      const early = (await takeEarly(key)) as Q | null | undefined;
      const data = pick(early ?? (await gql(document, variables)));
      if (ask === latest.current) setValue(remember(key, data));
    } catch {
      /* offline: the copy last seen */
    } finally {
      if (!later) firstScreenShown();
    }
  }
  useEffect(() => {
    if (later) afterFirstScreen(() => void reload());
    else void reload();
  }, [fresh]);
  return [value, reload];
}
