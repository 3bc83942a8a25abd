// The public map portal's enhancement of the server-rendered /map/ page: the map of every center (clustered
// when zoomed out, coloured by its index), search as you type, a filter by oblast and by "has an index", and
// "near me" (the browser's location, asked only on that button, never sent anywhere). A list of the matching
// centers always accompanies the map, and the page's own list of oblasts stays below for everyone.
import type { MapConfig } from "../../common/config";
import { colour, type Center } from "./shared";

type Lang = "uk" | "en";

const TEXT = {
  uk: {
    heading: "Знайти центр на карті",
    search: "Назва, адреса, громада або область",
    oblast: "Область",
    allOblasts: "Усі області",
    withIndex: "Лише центри з індексом",
    nearMe: "Поруч зі мною",
    locating: "Визначаємо ваше місце…",
    noLocation: "Не вдалося визначити ваше місце. Оберіть область або скористайтеся пошуком.",
    shown: (n: number, all: number) => `Показано ${n} з ${all} центрів`,
    more: (n: number) => `І ще ${n}; уточніть пошук, щоб побачити їх.`,
    index: "Індекс",
    noIndex: "Індексу ще немає",
    responses: "відгуків",
    km: "км",
    mapLabel: "Карта центрів (список нижче містить ті самі центри)",
    legend: "Колір точки: зелений — індекс 80 і вище, жовтий — 60–79, червоний — нижче 60, сірий — індексу ще немає.",
    zoomIn: "Наблизити",
    zoomOut: "Віддалити",
    cluster: (n: number) => `${n} центрів тут; наблизити`,
    open: "Сторінка центру",
    failed: "Карту не вдалося завантажити; скористайтеся списком областей нижче.",
  },
  en: {
    heading: "Find a center on the map",
    search: "Name, address, hromada or oblast",
    oblast: "Oblast",
    allOblasts: "All oblasts",
    withIndex: "Only centers with an index",
    nearMe: "Near me",
    locating: "Finding where you are…",
    noLocation: "Your location is not available. Pick an oblast or search instead.",
    shown: (n: number, all: number) => `Showing ${n} of ${all} centers`,
    more: (n: number) => `And ${n} more; narrow the search to see them.`,
    index: "Index",
    noIndex: "No index yet",
    responses: "responses",
    km: "km",
    mapLabel: "Map of centers (the list below has the same centers)",
    legend: "Point colour: green — index 80 or more, yellow — 60–79, red — below 60, grey — no index yet.",
    zoomIn: "Zoom in",
    zoomOut: "Zoom out",
    cluster: (n: number) => `${n} centers here; zoom in`,
    open: "The center's page",
    failed: "The map could not be loaded; use the list of oblasts below.",
  },
};

const LIST_LIMIT = 50;

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

function fold(text: string): string {
  return text.toLowerCase().replace(/['ʼ‘`]/g, "’");
}

function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 12742 * Math.asin(Math.sqrt(h));
}

async function start(root: HTMLElement): Promise<void> {
  const lang: Lang = root.dataset.lang === "en" ? "en" : "uk";
  const t = TEXT[lang];
  const period = root.dataset.period ?? "";
  const config = (JSON.parse(root.dataset.config ?? "{}") as { map?: MapConfig }).map ?? {
    tileUrl: null,
    attribution: "",
    maxZoom: 19,
  };
  const centerLink = (id: string) => `/map/centers/${encodeURIComponent(id)}${lang === "en" ? "?lang=en" : ""}`;

  const search = element("input", { type: "search", id: "portal-search", autocomplete: "off" });
  const oblast = element("select", { id: "portal-oblast" }, element("option", { value: "" }, t.allOblasts));
  const withIndex = element("input", { type: "checkbox", id: "portal-with-index" });
  const nearMe = element("button", { type: "button", id: "portal-near-me" }, t.nearMe);
  const status = element("p", { id: "portal-status" });
  status.setAttribute("role", "status");
  const mapBox = element("div", { id: "portal-map" });
  mapBox.setAttribute("role", "region");
  mapBox.setAttribute("aria-label", t.mapLabel);
  const list = element("ul", { className: "centers", id: "portal-list" });
  const more = element("p", { className: "muted" });
  root.replaceChildren(
    element("h2", {}, t.heading),
    element(
      "form",
      { className: "portal-tools", onsubmit: (e: Event) => e.preventDefault() },
      element("div", {}, element("label", { htmlFor: "portal-search" }, t.search), search),
      element("div", {}, element("label", { htmlFor: "portal-oblast" }, t.oblast), oblast),
      element("div", {}, withIndex, " ", element("label", { htmlFor: "portal-with-index" }, t.withIndex)),
      nearMe,
    ),
    status,
    mapBox,
    element("p", { className: "muted" }, t.legend),
    list,
    more,
  );

  let centers: Center[] = [];
  try {
    const response = await fetch(`/map/centers.json?period=${encodeURIComponent(period)}`, {
      headers: { Accept: "application/json" },
    });
    if (!response.ok) throw new Error(String(response.status));
    centers = ((await response.json()) as { centers: Center[] }).centers;
  } catch {
    status.textContent = t.failed;
    mapBox.remove();
    return;
  }
  for (const name of [...new Set(centers.map((c) => c.oblast))].filter(Boolean).sort()) {
    oblast.append(element("option", { value: name }, name));
  }

  let here: { lat: number; lon: number } | null = null;
  const { createClusterMap } = await import("./map");
  const map = createClusterMap(mapBox, config, t, centerLink);

  const render = (fit: boolean) => {
    const words = fold(search.value).split(/\s+/).filter(Boolean);
    let shown = centers.filter((c) => {
      if (oblast.value && c.oblast !== oblast.value) return false;
      if (withIndex.checked && c.index === null) return false;
      const hay = fold(`${c.name} ${c.address} ${c.city} ${c.hromada} ${c.oblast}`);
      return words.every((w) => hay.includes(w));
    });
    if (here) {
      const from = here;
      shown = shown
        .map((c) => ({ c, d: distanceKm(from, c) }))
        .sort((a, b) => a.d - b.d)
        .map((x) => x.c);
    }
    status.textContent = t.shown(shown.length, centers.length);
    list.replaceChildren(
      ...shown.slice(0, LIST_LIMIT).map((c) => {
        const swatch = element("span", { className: "swatch" });
        swatch.style.background = colour(c.index);
        swatch.setAttribute("aria-hidden", "true");
        const distance = here ? ` · ${distanceKm(here, c).toFixed(1)} ${t.km}` : "";
        return element(
          "li",
          {},
          element("a", { href: centerLink(c.id) }, element("strong", {}, c.name)),
          element("br"),
          element("span", { className: "muted" }, c.address),
          element("br"),
          swatch,
          c.index === null ? t.noIndex : element("span", { className: "index" }, `${t.index} ${Math.round(c.index)}`),
          ` · ${c.responses} ${t.responses}${distance}`,
        );
      }),
    );
    more.textContent = shown.length > LIST_LIMIT ? t.more(shown.length - LIST_LIMIT) : "";
    map.show(shown, here, fit);
  };

  search.addEventListener("input", () => render(true));
  oblast.addEventListener("change", () => render(true));
  withIndex.addEventListener("change", () => render(true));
  nearMe.addEventListener("click", () => {
    if (!("geolocation" in navigator)) {
      status.textContent = t.noLocation;
      return;
    }
    status.textContent = t.locating;
    navigator.geolocation.getCurrentPosition(
      (p) => {
        here = { lat: p.coords.latitude, lon: p.coords.longitude };
        render(false);
        map.focus(here);
      },
      () => {
        status.textContent = t.noLocation;
      },
      { enableHighAccuracy: false, timeout: 15_000, maximumAge: 600_000 },
    );
  });
  render(true);
}

const root = document.getElementById("portal-map-app");
if (root) void start(root);
