// What this deployment configured for the web apps (`config.json` beside each app, from the service's settings): the map's
// base tiles. Kept on the phone, so maps offline look as they did last.

export interface MapConfig {
  /** An XYZ template, or null: points on a plain background, nothing asked of another host. */
  tileUrl: string | null;
  /** A PMTiles archive of raster tiles on this service (`http.map_pmtiles`), or null. */
  pmtilesUrl?: string | null;
  attribution: string;
  maxZoom: number;
}

interface ClientConfig {
  map: MapConfig;
}

const KEPT = "fieldwork.cache.config";
const NO_TILES: ClientConfig = { map: { tileUrl: null, attribution: "", maxZoom: 19 } };
let loading: Promise<ClientConfig> | null = null;

export function clientConfig(): Promise<ClientConfig> {
  loading ??= fetch(`${import.meta.env.BASE_URL}config.json`, { headers: { Accept: "application/json" } })
    .then((r) => (r.ok ? (r.json() as Promise<ClientConfig>) : Promise.reject(new Error(String(r.status)))))
    .then((c) => {
      localStorage.setItem(KEPT, JSON.stringify(c));
      return c;
    })
    .catch(() => JSON.parse(localStorage.getItem(KEPT) ?? "null") ?? NO_TILES);
  return loading;
}
