// A map with its list beside it: the screens that show places (the job board, the home area, a visit under
// review) render a MapView and keep their list, which is the accessible and no-map alternative. Leaflet loads only with the first map.
import { useEffect, useRef, useState } from "preact/hooks";
import { clientConfig } from "./config";
import type { Drawn, Home, MapLabels, MapPoint } from "./leaflet-map";

export type { Home, MapLabels, MapPoint };

export function MapView(props: {
  labels: MapLabels;
  /** Said when the map cannot be shown (its list stays). */
  unavailable: string;
  label: string;
  points: MapPoint[];
  home: Home | null;
  selected?: string | null;
  onSelect?: (id: string) => void;
  onPick?: (lat: number, lon: number) => void;
}) {
  const element = useRef<HTMLDivElement>(null);
  const drawn = useRef<Drawn | null>(null);
  const fitted = useRef(false);
  const [failed, setFailed] = useState(false);
  // Handlers read through refs: the map is made once, the screen's callbacks change on every render.
  const handlers = useRef(props);
  handlers.current = props;
  useEffect(() => {
    let live = true;
    Promise.all([import("./leaflet-map"), clientConfig()])
      .then(([m, config]) => {
        if (!live || !element.current) return;
        drawn.current = m.createMap(
          element.current,
          config.map,
          props.labels,
          (id) => handlers.current.onSelect?.(id),
          props.onPick ? (lat, lon) => handlers.current.onPick?.(lat, lon) : null,
        );
        draw();
      })
      .catch(() => setFailed(true));
    return () => {
      live = false;
      drawn.current?.destroy();
      drawn.current = null;
    };
  }, []);
  function draw() {
    const p = handlers.current;
    if (!drawn.current) return;
    const fit = !fitted.current && (p.points.length > 0 || p.home !== null);
    drawn.current.draw(p.points, p.home, p.selected ?? null, fit);
    if (fit) fitted.current = true;
  }
  // Redrawn when what is shown changes, not whenever the screen re-renders with an equal list: a redraw
  // replaces every point, and a tap landing between its press and release would be lost.
  const shown = JSON.stringify(props.points);
  useEffect(draw, [shown, props.home?.lat, props.home?.lon, props.home?.radiusKm, props.selected]);
  if (failed) return <p class="hint">{props.unavailable}</p>;
  return <div ref={element} class="map" role="region" aria-label={props.label} />;
}
