/**
 * What waits until the first screen has its data: the service worker's install (it fetches the whole app for
 * offline use, some 400 KB, which on a slow line would compete with the first screen's own requests), the lists
 * other screens read, and the message catalogue. Measured in docs/benchmarks.md ("first load on a slow phone").
 */
import { registerSW } from "virtual:pwa-register";

let shown = false;
const waiting: (() => void)[] = [];

/** Runs `then` once the first screen has shown its data (at once if it has). */
export function afterFirstScreen(then: () => void): void {
  if (shown) then();
  else waiting.push(then);
}

/** The first screen has its data (or gave up asking): what waited goes now. */
export function firstScreenShown(): void {
  if (shown) return;
  shown = true;
  for (const then of waiting.splice(0)) then();
}

// A screen that asks nothing (signed out) lets them go soon anyway.
setTimeout(firstScreenShown, 2500);
afterFirstScreen(() => void registerSW({ immediate: true }));
