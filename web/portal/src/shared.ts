// What the portal's page script and its map chunk share: a center as /map/centers.json gives it, and the
// colour band of an index (the same bands as the server-rendered lists).

export interface Center {
  id: string;
  name: string;
  address: string;
  oblast: string;
  hromada: string;
  city: string;
  lat: number;
  lon: number;
  index: number | null;
  responses: number;
  visits: number;
}

/** The words the map needs. */
export interface MapLabels {
  zoomIn: string;
  zoomOut: string;
  cluster: (n: number) => string;
  index: string;
  noIndex: string;
  responses: string;
}

export function colour(index: number | null): string {
  if (index === null) return "#9ca3af";
  if (index >= 80) return "#15803d";
  if (index >= 60) return "#ca8a04";
  return "#b91c1c";
}
