// The phone's position, and distances on the globe (for the screen only: the server judges the check-in).

export interface Fix {
  lat: number;
  lon: number;
  accuracyM: number;
  /** The device's clock at the fix, RFC 3339. */
  at: string;
}

export function position(): Promise<Fix> {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) {
      reject(new Error("no geolocation"));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) =>
        resolve({
          lat: p.coords.latitude,
          lon: p.coords.longitude,
          accuracyM: p.coords.accuracy,
          at: new Date(p.timestamp || Date.now()).toISOString(),
        }),
      (e) => reject(new Error(e.message)),
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 10000 },
    );
  });
}

/** Great-circle distance in metres. */
export { distanceM } from "../../common/geo";

/**
 * The app's own random id of this phone, kept in its storage (the server shows coordinators one phone used by
 * several accounts).
 */
export function deviceId(): string {
  let id = localStorage.getItem("fieldwork.device");
  if (!id) {
    id = crypto.randomUUID();
    localStorage.setItem("fieldwork.device", id);
  }
  return id;
}
