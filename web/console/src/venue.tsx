// One venue's page (#/venue/<id>): where it is, its geofence drawn on the map (the circle check-ins are judged
// against), its opening hours as a table, and the form that edits them. Opening hours are typed one interval per
// line ("MON 09:00-13:00"), as a coordinator copies them from the center's sign; the service checks every field
// and names the bad one.
import { useEffect, useState } from "preact/hooks";
import { failureText, gql, GraphQLFailure } from "../../common/api";
import { Field } from "../../common/field";
import { MapView } from "../../common/map";
import { UpdateVenueDocument, VenuePageDocument } from "./gql/operations";
import type { OpeningHoursInput, VenuePageQuery, Weekday } from "./gql/operations";
import { VenueCode } from "./feedback";
import { t, type Lang } from "./i18n";

type Venue = VenuePageQuery["venue"];
const WEEKDAYS: Weekday[] = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"];

/** "MON 09:00-13:00" per line → intervals; a line that is not one is named by its number. */
export function parseHours(text: string): OpeningHoursInput[] | { line: number } {
  const out: OpeningHoursInput[] = [];
  const lines = text.split("\n").map((l) => l.trim());
  for (const [i, line] of lines.entries()) {
    if (!line) continue;
    const m = line.match(/^([A-Za-z]{3})\s+(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})$/);
    const day = m?.[1].toUpperCase() as Weekday | undefined;
    if (!m || !day || !WEEKDAYS.includes(day)) return { line: i + 1 };
    out.push({ weekday: day, opens: m[2].padStart(5, "0"), closes: m[3].padStart(5, "0") });
  }
  return out;
}

const hoursText = (v: Venue) => v.openingHours.map((h) => `${h.weekday} ${h.opens}-${h.closes}`).join("\n");

export function VenuePage({ lang, id }: { lang: Lang; id: string }) {
  const s = t(lang);
  const [venue, setVenue] = useState<Venue | null>(null);
  const [form, setForm] = useState<Record<string, string>>({});
  const [active, setActive] = useState(true);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);
  async function load() {
    try {
      const v = (await gql(VenuePageDocument, { id })).venue;
      setVenue(v);
      setActive(v.active);
      setForm({
        name: v.name,
        address: v.address,
        oblast: v.oblast,
        raion: v.raion,
        hromada: v.hromada,
        city: v.city,
        lat: String(v.location.lat),
        lon: String(v.location.lon),
        geofenceM: String(v.geofenceM),
        sizeClass: v.sizeClass ?? "",
        hours: hoursText(v),
      });
    } catch (err) {
      setErrors({ form: failureText(err) });
    }
  }
  useEffect(() => {
    void load();
  }, [id]);
  const set = (key: string) => (value: string) => setForm({ ...form, [key]: value });
  async function save(e: Event) {
    e.preventDefault();
    setNotice(null);
    const local: Record<string, string> = {};
    const hours = parseHours(form.hours ?? "");
    if (!Array.isArray(hours)) local.hours = s.hoursLineBad(hours.line);
    const lat = Number(form.lat);
    const lon = Number(form.lon);
    if (!form.lat?.trim() || !Number.isFinite(lat)) local.lat = s.errorNumber;
    if (!form.lon?.trim() || !Number.isFinite(lon)) local.lon = s.errorNumber;
    if (!form.name?.trim()) local.name = s.errorRequired;
    setErrors(local);
    if (Object.keys(local).length || !Array.isArray(hours)) return;
    try {
      await gql(UpdateVenueDocument, {
        id,
        input: {
          name: form.name,
          address: form.address,
          oblast: form.oblast,
          raion: form.raion,
          hromada: form.hromada,
          city: form.city,
          location: { lat, lon },
          geofenceM: Number(form.geofenceM),
          sizeClass: form.sizeClass ?? "",
          openingHours: hours,
          active,
        },
      });
      setNotice(s.venueSaved);
      await load();
    } catch (err) {
      // The service names the field: shown beside it, and in the summary.
      const byField: Record<string, string> = { form: failureText(err) };
      if (err instanceof GraphQLFailure)
        for (const e of err.errors) {
          const key = (e.field ?? "")
            .replace(/^input\./, "")
            .replace(/^location\./, "")
            .replace(/^openingHours.*/, "hours");
          if (key) byField[key] = e.message;
        }
      setErrors(byField);
    }
  }
  if (!venue)
    return errors.form ? (
      <p role="alert" class="error">
        {errors.form}
      </p>
    ) : (
      <p>{s.loading}</p>
    );
  return (
    <>
      <p>
        <a href="#/venues">{s.backToVenues}</a>
      </p>
      <h1>{venue.name}</h1>
      <p>
        {venue.client.name} · {venue.externalCode} · {venue.type} · {venue.active ? s.activeYes : s.activeNo} · {s.timeZone}:{" "}
        {venue.timeZone}
      </p>
      <div class="columns">
        <section aria-labelledby="venue-place">
          <h2 id="venue-place">{s.geofence}</h2>
          <MapView
            labels={{ zoomIn: s.zoomIn, zoomOut: s.zoomOut, home: s.geofenceOf(venue.geofenceM) }}
            unavailable={s.mapUnavailable}
            label={s.geofenceMap(venue.name, venue.geofenceM)}
            points={[]}
            home={{ lat: venue.location.lat, lon: venue.location.lon, radiusKm: venue.geofenceM / 1000 }}
          />
          <p>
            {venue.address}; {venue.location.lat.toFixed(5)}, {venue.location.lon.toFixed(5)}; {s.geofenceOf(venue.geofenceM)}
          </p>
        </section>
        <section aria-labelledby="venue-hours">
          <h2 id="venue-hours">{s.openingHours}</h2>
          {venue.openingHours.length === 0 ? (
            <p>{s.noHours}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{s.weekday}</th>
                  <th scope="col">{s.opens}</th>
                  <th scope="col">{s.closes}</th>
                </tr>
              </thead>
              <tbody>
                {venue.openingHours.map((h) => (
                  <tr key={`${h.weekday}${h.opens}`}>
                    <td>{s.weekdays[h.weekday]}</td>
                    <td>{h.opens}</td>
                    <td>{h.closes}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
      <VenueCode lang={lang} venueId={venue.id} />
      <form onSubmit={save} noValidate aria-labelledby="venue-edit">
        <h2 id="venue-edit">{s.editVenue}</h2>
        <div aria-live="polite">
          {errors.form && (
            <p role="alert" class="error">
              {errors.form}
            </p>
          )}
          {notice && <p role="status">{notice}</p>}
        </div>
        <div class="filters">
          <Field id="venue-name" label={s.venueName} value={form.name ?? ""} error={errors.name} onInput={set("name")} />
          <Field id="venue-address" label={s.address} value={form.address ?? ""} error={errors.address} onInput={set("address")} />
          <Field id="venue-oblast" label={s.oblast} value={form.oblast ?? ""} error={errors.oblast} onInput={set("oblast")} />
          <Field id="venue-raion" label={s.raion} value={form.raion ?? ""} error={errors.raion} onInput={set("raion")} />
          <Field id="venue-hromada" label={s.hromada} value={form.hromada ?? ""} error={errors.hromada} onInput={set("hromada")} />
          <Field id="venue-city" label={s.city} value={form.city ?? ""} error={errors.city} onInput={set("city")} />
          <Field id="venue-lat" label={s.latitude} value={form.lat ?? ""} error={errors.lat} onInput={set("lat")} />
          <Field id="venue-lon" label={s.longitude} value={form.lon ?? ""} error={errors.lon} onInput={set("lon")} />
          <Field
            id="venue-geofence"
            label={s.geofenceM}
            type="number"
            value={form.geofenceM ?? ""}
            error={errors.geofenceM}
            onInput={set("geofenceM")}
          />
          <div>
            <label for="venue-size">{s.sizeClass}</label>
            <select id="venue-size" value={form.sizeClass ?? ""} onChange={(e) => set("sizeClass")((e.target as HTMLSelectElement).value)}>
              <option value="">{s.sizeUnknown}</option>
              <option value="SMALL">{s.sizeSmall}</option>
              <option value="MEDIUM">{s.sizeMedium}</option>
              <option value="LARGE">{s.sizeLarge}</option>
            </select>
            {errors.sizeClass && <p class="error">{errors.sizeClass}</p>}
          </div>
        </div>
        <label for="venue-hours-text">{s.openingHours}</label>
        <p id="venue-hours-hint" class="hint">
          {s.hoursHint}
        </p>
        <textarea
          id="venue-hours-text"
          rows={7}
          aria-describedby={errors.hours ? "venue-hours-hint venue-hours-error" : "venue-hours-hint"}
          aria-invalid={errors.hours ? "true" : undefined}
          value={form.hours ?? ""}
          onInput={(e) => set("hours")((e.target as HTMLTextAreaElement).value)}
        />
        {errors.hours && (
          <p id="venue-hours-error" class="error">
            {errors.hours}
          </p>
        )}
        <p class="check">
          <input id="venue-active" type="checkbox" checked={active} onChange={(e) => setActive((e.target as HTMLInputElement).checked)} />
          <label for="venue-active">{s.venueActive}</label>
        </p>
        <button type="submit">{s.saveVenue}</button>
      </form>
    </>
  );
}
