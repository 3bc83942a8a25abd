// The map behind MapView, loaded only when a map is shown (Leaflet and its styles are a separate chunk, so the
// app shell stays small). Points are vector circles (no marker images); without tiles the map is a plain
// background with the points on it.
import * as L from "leaflet";
import "leaflet/dist/leaflet.css";
// Clustering extends the global Leaflet object (leaflet.markercluster is a classic plugin).
import "leaflet.markercluster";
import "leaflet.markercluster/dist/MarkerCluster.css";
import { leafletRasterLayer, PMTiles } from "pmtiles";
import type { MapConfig } from "./config";

export interface MapPoint {
  id: string;
  lat: number;
  lon: number;
  label: string;
  /**
   * The point's fill (e.g. a score's colour); red when not given. Colour is never the only carrier: the
   * label and the list beside the map say the same.
   */
  color?: string;
}

export interface Home {
  lat: number;
  lon: number;
  radiusKm: number;
}

export interface MapLabels {
  zoomIn: string;
  zoomOut: string;
  home: string;
  /** A cluster's name (its button zooms in to its points); given only by maps that cluster. */
  cluster?: (count: number) => string;
}

/** Points closer than this on the screen join into one cluster (maps that cluster). */
const CLUSTER_RADIUS_PX = 40;

/** A cluster's icon: its count, and its name for screen readers, as DOM text (never HTML). */
function clusterIcon(count: number, name: string): L.DivIcon {
  const html = document.createElement("span");
  const shown = document.createElement("span");
  shown.textContent = String(count);
  shown.setAttribute("aria-hidden", "true");
  const spoken = document.createElement("span");
  spoken.className = "visually-hidden";
  spoken.textContent = name;
  html.append(shown, spoken);
  return L.divIcon({ html, className: "map-cluster", iconSize: L.point(36, 36) });
}

export interface Drawn {
  draw(points: MapPoint[], home: Home | null, selected: string | null, fit: boolean): void;
  destroy(): void;
}

/**
 * The deployment's base tiles under a map: a self-hosted PMTiles archive, an XYZ template, or none (a plain
 * background: the points still show and no other host is asked).
 */
export function addBaseLayer(map: L.Map, config: MapConfig): void {
  map.attributionControl.setPrefix(false);
  if (config.pmtilesUrl) {
    // A self-hosted archive: tiles are read by byte ranges from one file on this service. Past the archive's
    // deepest zoom its tiles are scaled up.
    const archive = new PMTiles(config.pmtilesUrl);
    void archive.getHeader().then((h) => {
      leafletRasterLayer(archive, { attribution: config.attribution, maxZoom: config.maxZoom, maxNativeZoom: h.maxZoom }).addTo(map);
    });
  } else if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: config.maxZoom }).addTo(map);
  }
}

/**
 * Text for a tooltip or popup as a DOM text node: Leaflet reads a string as HTML, and names come from people
 * (venue imports, shoppers' sign-ups), so a name is never given to Leaflet as a string.
 */
export function textContent(text: string): HTMLElement {
  const span = document.createElement("span");
  span.textContent = text;
  return span;
}

/** Leaflet's zoom and fade animations, off for people who asked their system for reduced motion. */
export function motion(): L.MapOptions {
  const calm = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? false;
  return { zoomAnimation: !calm, fadeAnimation: !calm, markerZoomAnimation: !calm };
}

export function createMap(
  element: HTMLElement,
  config: MapConfig,
  labels: MapLabels,
  onSelect: (id: string) => void,
  onPick: ((lat: number, lon: number) => void) | null,
): Drawn {
  const map = L.map(element, { zoomControl: false, attributionControl: true, maxZoom: config.maxZoom, ...motion() });
  L.control.zoom({ zoomInTitle: labels.zoomIn, zoomOutTitle: labels.zoomOut }).addTo(map);
  addBaseLayer(map, config);
  map.setView([49.0, 31.0], 6); // Ukraine, until there is something to show
  if (onPick) map.on("click", (e: L.LeafletMouseEvent) => onPick(e.latlng.lat, e.latlng.lng));
  const layer = L.layerGroup().addTo(map);
  // Venues a few hundred metres apart would sit on one another at a city's zoom: the maps that name clusters
  // gather them, and a cluster zooms in to its points when tapped.
  const clusterName = labels.cluster;
  const global = (window as unknown as { L: typeof L }).L;
  const points = clusterName
    ? global
        .markerClusterGroup({
          maxClusterRadius: CLUSTER_RADIUS_PX,
          showCoverageOnHover: false,
          iconCreateFunction: (c) => clusterIcon(c.getChildCount(), clusterName(c.getChildCount())),
          // Clusters change at once, never mid-animation (two of one cluster on screen for a moment).
          animate: false,
        })
        .addTo(map)
    : layer;
  let drawnKey = "";
  return {
    draw(shown, home, selected, fit) {
      layer.clearLayers();
      // A cluster group redrawn with the same points would flicker its clusters (and briefly show two of each):
      // it is redrawn only when its points or the choice change.
      const key = JSON.stringify([shown, selected]);
      const same = points !== layer && key === drawnKey;
      drawnKey = key;
      if (points !== layer && !same) points.clearLayers();
      const bounds = L.latLngBounds([]);
      if (home) {
        const circle = L.circle([home.lat, home.lon], {
          radius: home.radiusKm * 1000,
          color: "#1d4ed8",
          weight: 1,
          fillOpacity: 0.06,
          interactive: false,
        }).addTo(layer);
        L.circleMarker([home.lat, home.lon], { radius: 6, color: "#1d4ed8", fillColor: "#ffffff", fillOpacity: 1, weight: 3 })
          .bindTooltip(textContent(labels.home))
          .addTo(layer);
        if (home.radiusKm > 0) bounds.extend(circle.getBounds());
        bounds.extend([home.lat, home.lon]);
      }
      for (const p of shown) {
        bounds.extend([p.lat, p.lon]);
        if (same) continue;
        const chosen = p.id === selected;
        L.circleMarker([p.lat, p.lon], {
          radius: chosen ? 11 : 8,
          color: chosen ? "#7c2d12" : p.color ? "#1f2937" : "#b91c1c",
          fillColor: chosen ? "#f97316" : (p.color ?? "#ef4444"),
          fillOpacity: 0.9,
          weight: 2,
          className: `map-point map-point-${p.id}`,
        })
          .bindTooltip(textContent(p.label))
          .on("click", () => onSelect(p.id))
          .addTo(points);
      }
      // The first view is set at once, not zoomed into: the map opens where its points are, and a tap never
      // lands on a point that is still moving.
      if (fit && bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16], maxZoom: 15, animate: false });
    },
    destroy() {
      map.remove();
    },
  };
}
