/**
 * The job board's first questions, shared by `early.ts` (an entry of its own that asks them while the app's script
 * still loads) and the app (which takes the answers). Both import this one module, so its state is one: whichever
 * runs first decides, and the questions are asked once either way.
 */

/** The board's variables: the same in its early ask and its own, or the early answer would not fit. */
export const BOARD_VARIABLES = { first: 50 };

const asked = new Map<string, Promise<unknown>>();
let appStarted = false;

/** early.ts asks `key` with `answer()`, unless the app has already started (it then asks itself, once). */
export function askEarly(key: string, answer: () => Promise<unknown>): void {
  if (!appStarted) asked.set(key, answer());
}

/** The app has started: from now on it asks for itself. */
export function startApp(): void {
  appStarted = true;
}

/** The early answer to a question (its data, or `null`: ask yourself); `undefined`: it was not asked early. */
export function takeEarly(key: string): Promise<unknown> | undefined {
  const answer = asked.get(key);
  asked.delete(key);
  return answer;
}
