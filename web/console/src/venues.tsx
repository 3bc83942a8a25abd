// Venues for coordinators: the list with its filters beside a map of the same venues, and the import of a venue
// file (CSV or GeoJSON) with its column mapping: a dry run shows each bad row (row, column, why) as a table, the
// import then writes the whole file or nothing.
import { useEffect, useMemo, useState } from "preact/hooks";
import { failureText, gql, gqlUpload } from "../../common/api";
import { Field } from "../../common/field";
import { MapView } from "../../common/map";
import { ImportVenuesDocument, StaffClientsDocument, VenueListDocument } from "./gql/operations";
import type { ImportVenuesMutation, StaffClientsQuery, VenueListQuery } from "./gql/operations";
import { download } from "./download";
import { FilterForm, useFilters } from "./filters";
import { t, type Lang } from "./i18n";
import { MoreButton, usePages } from "./paging";

type Venue = VenueListQuery["venues"]["edges"][number]["node"];
type Report = ImportVenuesMutation["importVenues"];
type Client = StaffClientsQuery["clients"]["edges"][number]["node"];

const MAPPED = ["externalCode", "name", "type", "address", "oblast", "hromada", "city", "lat", "lon"] as const;

/** Venues a page of the list shows. */
const PAGE = 50;

export function Venues({ lang }: { lang: Lang }) {
  const s = t(lang);
  const [clients, setClients] = useState<Client[]>([]);
  const { filters, applied, set, apply } = useFilters({ clientId: "", oblast: "", type: "", search: "", active: "true" });
  const [error, setError] = useState<string | null>(null);
  // A national client has thousands of venues: a page at a time, the next behind "show more".
  const pages = usePages<Venue>(
    async (after) =>
      (
        await gql(VenueListDocument, {
          clientId: applied.clientId || null,
          oblast: applied.oblast.trim() || null,
          type: applied.type.trim() || null,
          search: applied.search.trim() || null,
          active: applied.active === "" ? null : applied.active === "true",
          first: PAGE,
          after,
        })
      ).venues,
    [applied],
  );
  const { rows: venues, total } = pages;
  useEffect(() => {
    gql(StaffClientsDocument, {})
      .then((d) => setClients(d.clients.edges.map((e) => e.node)))
      .catch(() => setClients([]));
  }, []);
  const points = useMemo(
    () => (venues ?? []).map((v) => ({ id: v.id, lat: v.location.lat, lon: v.location.lon, label: v.name })),
    [venues],
  );
  const clientSelect = (id: string, value: string, onChange: (e: Event) => void, any: boolean) => (
    <select id={id} value={value} onChange={onChange}>
      {any && <option value="">{s.anyClient}</option>}
      {clients.map((c) => (
        <option key={c.id} value={c.id}>
          {c.name}
        </option>
      ))}
    </select>
  );
  return (
    <>
      <h1>{s.venues}</h1>
      <FilterForm label={s.filters} button={s.apply} apply={apply}>
        <div>
          <label for="v-client">{s.client}</label>
          {clientSelect("v-client", filters.clientId, set("clientId"), true)}
        </div>
        <div>
          <label for="v-oblast">{s.oblast}</label>
          <input id="v-oblast" value={filters.oblast} onInput={set("oblast")} />
        </div>
        <div>
          <label for="v-type">{s.venueType}</label>
          <input id="v-type" value={filters.type} onInput={set("type")} />
        </div>
        <div>
          <label for="v-search">{s.search}</label>
          <input id="v-search" type="search" value={filters.search} onInput={set("search")} />
        </div>
        <div>
          <label for="v-active">{s.activeFilter}</label>
          <select id="v-active" value={filters.active} onChange={set("active")}>
            <option value="true">{s.activeOnly}</option>
            <option value="false">{s.inactiveOnly}</option>
            <option value="">{s.allVenues}</option>
          </select>
        </div>
      </FilterForm>
      {(error ?? pages.error) && (
        <p role="alert" class="error">
          {error ?? pages.error}
        </p>
      )}
      {venues && <p role="status">{s.venueCount(total)}</p>}
      {applied.clientId && (
        <p class="row">
          {(["svg", "pdf"] as const).map((format) => (
            <button
              key={format}
              type="button"
              class="secondary"
              onClick={() => {
                const oblast = applied.oblast.trim();
                const path = `/clients/${applied.clientId}/posters.zip?format=${format}${oblast ? `&oblast=${encodeURIComponent(oblast)}` : ""}`;
                download(path, `posters-${format}.zip`).catch((err) => setError(failureText(err)));
              }}
            >
              {applied.oblast.trim() ? s.allPostersOblast(applied.oblast.trim()) : s.allPosters} (ZIP, {format.toUpperCase()})
            </button>
          ))}
        </p>
      )}
      <div class="columns">
        <div class="table-wrap" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{s.code}</th>
                <th scope="col">{s.venue}</th>
                <th scope="col">{s.venueType}</th>
                <th scope="col">{s.address}</th>
                <th scope="col">{s.oblast}</th>
                <th scope="col">{s.geofenceM}</th>
              </tr>
            </thead>
            <tbody>
              {(venues ?? []).map((v) => (
                <tr key={v.id}>
                  <td>{v.externalCode}</td>
                  <td>
                    <a href={`#/venue/${v.id}`}>{v.name}</a>
                  </td>
                  <td>{v.type}</td>
                  <td>
                    {v.address}, {v.city}
                  </td>
                  <td>{v.oblast}</td>
                  <td>{v.geofenceM}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <MoreButton pages={pages} label={s.moreRows} />
        </div>
        <MapView
          labels={{ zoomIn: s.zoomIn, zoomOut: s.zoomOut, home: s.geofence }}
          unavailable={s.mapUnavailable}
          label={s.venueMap(points.length)}
          points={points}
          home={null}
        />
      </div>
      <VenueImport lang={lang} clients={clients} clientSelect={clientSelect} onApplied={pages.reload} />
    </>
  );
}

function VenueImport(props: {
  lang: Lang;
  clients: Client[];
  clientSelect: (id: string, value: string, onChange: (e: Event) => void, any: boolean) => preact.JSX.Element;
  onApplied: () => Promise<void>;
}) {
  const s = t(props.lang);
  const [clientId, setClientId] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [defaultType, setDefaultType] = useState("CNAP");
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const client = clientId || props.clients[0]?.id || "";
  async function send(dryRun: boolean) {
    setError(null);
    if (!file) {
      setError(`${s.venueFile}: ${s.errorRequired}`);
      return;
    }
    const given = Object.fromEntries(Object.entries(mapping).filter(([, column]) => column.trim()));
    try {
      const data = await gqlUpload(
        ImportVenuesDocument,
        {
          clientId: client,
          format: /\.(geo)?json$/i.test(file.name) ? "GEOJSON" : "CSV",
          mapping: Object.keys(given).length ? given : null,
          defaultType: defaultType.trim() || null,
          dryRun,
        },
        "file",
        file,
        file.name,
      );
      setReport(data.importVenues);
      if (data.importVenues.applied) await props.onApplied();
    } catch (err) {
      setError(failureText(err));
    }
  }
  return (
    <section aria-labelledby="import">
      <h2 id="import">{s.importVenues}</h2>
      <p class="hint">{s.importHint}</p>
      <label for="i-client">{s.client}</label>
      {props.clientSelect("i-client", client, (e) => setClientId((e.target as HTMLSelectElement).value), false)}
      <label for="i-file">{s.venueFile}</label>
      <input
        id="i-file"
        type="file"
        accept=".csv,.json,.geojson,text/csv,application/geo+json"
        onChange={(e) => {
          setFile((e.target as HTMLInputElement).files?.[0] ?? null);
          setReport(null);
        }}
      />
      <fieldset>
        <legend>{s.columnMapping}</legend>
        <p class="hint">{s.columnMappingHint}</p>
        <div class="filters">
          {MAPPED.map((field) => (
            <div key={field}>
              <Field
                id={`map-${field}`}
                label={s.columnFor(field)}
                value={mapping[field] ?? ""}
                onInput={(v) => setMapping({ ...mapping, [field]: v })}
              />
            </div>
          ))}
          <div>
            <Field id="default-type" label={s.defaultType} value={defaultType} onInput={setDefaultType} />
          </div>
        </div>
      </fieldset>
      <div class="row">
        <button type="button" class="secondary" disabled={!client} onClick={() => void send(true)}>
          {s.dryRun}
        </button>
        <button type="button" disabled={!client} onClick={() => void send(false)}>
          {s.applyImport}
        </button>
      </div>
      <div aria-live="polite">
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        {report && (
          <p role="status">
            {report.applied
              ? s.importApplied(report.rowsRead, report.created, report.updated, report.unchanged)
              : report.errors.length
                ? s.importRefused(report.rowsRead, report.errors.length)
                : s.importWouldDo(report.rowsRead, report.created, report.updated, report.unchanged)}
          </p>
        )}
      </div>
      {report && report.errors.length > 0 && (
        <div class="table-wrap" tabIndex={0}>
          <table>
            <caption>{s.rowErrors}</caption>
            <thead>
              <tr>
                <th scope="col">{s.row}</th>
                <th scope="col">{s.column}</th>
                <th scope="col">{s.why}</th>
              </tr>
            </thead>
            <tbody>
              {report.errors.map((e) => (
                <tr key={`${e.row}-${e.column}-${e.message}`}>
                  <td>{e.row}</td>
                  <td>{e.column ?? ""}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
