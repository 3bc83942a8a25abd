// Money, times and days as people read them, in the page's language; days are Kyiv's (where waves, ledger
// periods and visits are dated).
import type { Lang } from "./language";

/** Kopiykas as hryvnias, e.g. 40000 → "400,00 ₴". */
export function money(kopiykas: number, lang: Lang): string {
  return new Intl.NumberFormat(lang === "uk" ? "uk-UA" : "en-GB", { style: "currency", currency: "UAH" }).format(kopiykas / 100);
}

/** A time in the device's own time zone. */
export function dateTime(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === "uk" ? "uk-UA" : "en-GB", { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}

/** A stretch of time in the device's own time zone, the shared date said once ("2 груд. 2026 р., 08:00–08:10"). */
export function dateTimeRange(fromIso: string, toIso: string, lang: Lang): string {
  const format = new Intl.DateTimeFormat(lang === "uk" ? "uk-UA" : "en-GB", { dateStyle: "medium", timeStyle: "short" });
  return format.formatRange(new Date(fromIso), new Date(toIso));
}

/** The day in Kyiv `days` from now, `YYYY-MM-DD`. */
export function kyivDay(days = 0): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Kyiv" }).format(new Date(Date.now() + days * 86_400_000));
}

/** Hryvnias as typed ("450", "12,50") in kopiykas, rounded; NaN when it is not a number. */
export function kopiykasOf(uah: string): number {
  return Math.round(Number(uah.replace(",", ".")) * 100);
}
