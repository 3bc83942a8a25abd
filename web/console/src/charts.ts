// Chart.js, loaded only when a results page draws a chart (a separate chunk). Only the parts the console uses
// are registered: bars and lines on category and linear axes, with tooltips and legends.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);

export interface Series {
  label: string;
  values: (number | null)[];
  color: string;
}

/** Draws a chart of scores 0–100 on the canvas; returns the function that removes it. */
export function drawChart(canvas: HTMLCanvasElement, kind: "bar" | "line", labels: string[], series: Series[]): () => void {
  const chart = new Chart(canvas, {
    type: kind,
    data: {
      labels,
      datasets: series.map((s) => ({
        label: s.label,
        data: s.values,
        backgroundColor: s.color,
        borderColor: s.color,
        spanGaps: true,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { min: 0, max: 100 } },
      plugins: { legend: { display: series.length > 1 } },
    },
  });
  return () => chart.destroy();
}
