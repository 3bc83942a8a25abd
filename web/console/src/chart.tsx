// A chart of scores, drawn by Chart.js (loaded on first use). The canvas is an image with a summary for screen
// readers; the table under every chart holds the same numbers, so nothing is only in the picture.
import { useEffect, useRef, useState } from "preact/hooks";
import type { Series } from "./charts";

export function ScoreChart({
  kind,
  labels,
  series,
  summary,
  unavailable,
}: {
  kind: "bar" | "line";
  labels: string[];
  series: Series[];
  summary: string;
  unavailable: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let remove: (() => void) | null = null;
    let live = true;
    import("./charts")
      .then((m) => {
        if (live && canvas.current) remove = m.drawChart(canvas.current, kind, labels, series);
      })
      .catch(() => setFailed(true));
    return () => {
      live = false;
      remove?.();
    };
  }, [kind, JSON.stringify(labels), JSON.stringify(series)]);
  if (failed) return <p class="hint">{unavailable}</p>;
  return (
    <div class="chart">
      <canvas ref={canvas} role="img" aria-label={summary} />
    </div>
  );
}
