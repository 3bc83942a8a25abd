// The portal's map, loaded only when shown (Leaflet, its styles and Supercluster are this chunk): every center
// as a point coloured by its index; nearby points join into one numbered circle when zoomed out (clicking it
// zooms in); a point's popup links to the center's page. Base tiles as the deployment configured them.
import * as L from "leaflet";
import "leaflet/dist/leaflet.css";
import Supercluster, { type ClusterProperties } from "supercluster";
import type { MapConfig } from "../../common/config";
import { addBaseLayer, motion, textContent } from "../../common/leaflet-map";
import { colour, type Center, type MapLabels } from "./shared";

export interface ClusterMap {
  show(centers: Center[], here: { lat: number; lon: number } | null, fit: boolean): void;
  focus(here: { lat: number; lon: number }): void;
}

type Props = { center: Center };

export function createClusterMap(element: HTMLElement, config: MapConfig, t: MapLabels, link: (id: string) => string): ClusterMap {
  const map = L.map(element, { zoomControl: false, attributionControl: true, maxZoom: config.maxZoom, ...motion() });
  L.control.zoom({ zoomInTitle: t.zoomIn, zoomOutTitle: t.zoomOut }).addTo(map);
  addBaseLayer(map, config);
  map.setView([49.0, 31.0], 6); // Ukraine
  const layer = L.layerGroup().addTo(map);
  const newIndex = () => new Supercluster<Props, Record<string, never>>({ radius: 48, maxZoom: 14 });
  let index = newIndex();
  let here: { lat: number; lon: number } | null = null;

  const popup = (c: Center): HTMLElement => {
    const box = document.createElement("div");
    const a = document.createElement("a");
    a.href = link(c.id);
    a.textContent = c.name;
    const line = document.createElement("p");
    line.textContent = `${c.index === null ? t.noIndex : `${t.index} ${Math.round(c.index)}`} · ${c.responses} ${t.responses}`;
    box.append(a, line);
    return box;
  };

  const draw = () => {
    layer.clearLayers();
    const b = map.getBounds();
    const clusters = index.getClusters([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], Math.round(map.getZoom()));
    for (const feature of clusters) {
      const [lon, lat] = feature.geometry.coordinates;
      const p = feature.properties as Partial<ClusterProperties> & Partial<Props>;
      if (p.cluster) {
        const count = p.point_count ?? 0;
        const size = count < 10 ? 30 : count < 100 ? 38 : 46;
        L.marker([lat, lon], {
          title: t.cluster(count),
          alt: t.cluster(count),
          keyboard: true,
          icon: L.divIcon({
            className: "portal-cluster",
            html: `<span style="display:flex;align-items:center;justify-content:center;width:${size}px;height:${size}px;border-radius:50%;background:#1e3a8a;color:#fff;font-weight:700;border:2px solid #fff">${count}</span>`,
            iconSize: [size, size],
          }),
        })
          .on("click", () => {
            const zoom = Math.min(index.getClusterExpansionZoom(p.cluster_id ?? 0), config.maxZoom);
            map.setView([lat, lon], zoom);
          })
          .addTo(layer);
      } else if (p.center) {
        const c = p.center;
        L.circleMarker([lat, lon], {
          radius: 9,
          color: "#1f2937",
          weight: 2,
          fillColor: colour(c.index),
          fillOpacity: 0.95,
          className: `portal-point portal-point-${c.id}`,
        })
          .bindTooltip(textContent(c.name))
          .bindPopup(popup(c))
          .addTo(layer);
      }
    }
    if (here) {
      L.circleMarker([here.lat, here.lon], { radius: 6, color: "#1d4ed8", fillColor: "#ffffff", fillOpacity: 1, weight: 3 }).addTo(layer);
    }
  };
  map.on("moveend", draw);

  return {
    show(centers, at, fit) {
      here = at;
      index = newIndex();
      index.load(
        centers.map((c) => ({
          type: "Feature" as const,
          geometry: { type: "Point" as const, coordinates: [c.lon, c.lat] },
          properties: { center: c },
        })),
      );
      if (fit && centers.length > 0) {
        const bounds = L.latLngBounds(centers.map((c) => [c.lat, c.lon] as [number, number]));
        map.fitBounds(bounds, { padding: [24, 24], maxZoom: 13 });
      }
      draw();
    },
    focus(at) {
      here = at;
      map.setView([at.lat, at.lon], 11);
      draw();
    },
  };
}
