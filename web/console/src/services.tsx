// The service catalogue (#/services): per venue type, the services the public feedback form asks about, in its
// order. Coordinators add a service, rename it in both languages, move it, or take it off the form; a service is
// never deleted, since past responses name it.
import { useEffect, useState } from "preact/hooks";
import { failureText, gql } from "../../common/api";
import { Field } from "../../common/field";
import { SaveServiceDocument, ServiceCatalogueDocument } from "./gql/operations";
import type { ServiceCatalogueQuery } from "./gql/operations";
import { t, type Lang } from "./i18n";
import { useOutcome } from "./outcome";

type Service = ServiceCatalogueQuery["serviceCatalogue"][number];

/** The venue types the platform knows; the catalogue of any of them can be edited. */
const VENUE_TYPES = ["CNAP", "CNAP_BRANCH", "RESTAURANT", "SUPERMARKET", "SHOP"];

const EMPTY = { code: "", nameUk: "", nameEn: "", position: "", active: true };

export function ServiceCatalogueRoom({ lang }: { lang: Lang }) {
  const s = t(lang);
  const [venueType, setVenueType] = useState("CNAP");
  const [rows, setRows] = useState<Service[] | null>(null);
  // The form: a new service, or the one being changed (its code is then fixed).
  const [form, setForm] = useState(EMPTY);
  const [editing, setEditing] = useState<string | null>(null);
  async function load() {
    setRows((await gql(ServiceCatalogueDocument, { venueType })).serviceCatalogue);
  }
  const { act, outcome, setError } = useOutcome(load);
  useEffect(() => {
    setRows(null);
    setEditing(null);
    setForm(EMPTY);
    load().catch((err) => setError(failureText(err)));
  }, [venueType]);
  const nextPosition = (rows ?? []).reduce((max, r) => Math.max(max, r.position), 0) + 1;
  // `after` runs only once the service took the change (a refused form keeps what was typed).
  const save = (
    service: { code: string; nameUk: string; nameEn: string; position: number; active: boolean },
    done: string,
    after?: () => void,
  ) =>
    act(async () => {
      await gql(SaveServiceDocument, { input: { venueType, ...service } });
      after?.();
      return done;
    });
  const set = (key: "code" | "nameUk" | "nameEn" | "position") => (v: string) => setForm({ ...form, [key]: v });
  return (
    <>
      <h1>{s.servicesTitle}</h1>
      <p class="hint">{s.servicesIntro}</p>
      {outcome}
      <div class="filters">
        <div>
          <label for="svc-type">{s.venueTypeLabel}</label>
          <select id="svc-type" value={venueType} onChange={(e) => setVenueType((e.target as HTMLSelectElement).value)}>
            {VENUE_TYPES.map((v) => (
              <option key={v} value={v}>
                {s.venueTypes[v] ?? v}
              </option>
            ))}
          </select>
        </div>
      </div>
      {rows === null ? (
        <p>{s.loading}</p>
      ) : rows.length === 0 ? (
        <p>{s.noServices}</p>
      ) : (
        <div class="table-wrap" tabIndex={0}>
          <table>
            <caption>{s.servicesOf(s.venueTypes[venueType] ?? venueType)}</caption>
            <thead>
              <tr>
                <th scope="col">{s.servicePosition}</th>
                <th scope="col">{s.serviceCode}</th>
                <th scope="col">{s.serviceNameUk}</th>
                <th scope="col">{s.serviceNameEn}</th>
                <th scope="col">{s.serviceOnForm}</th>
                <th scope="col">{s.serviceActions}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.code}>
                  <td>{r.position}</td>
                  <th scope="row">{r.code}</th>
                  <td>{r.nameUk}</td>
                  <td>{r.nameEn}</td>
                  <td>{r.active ? s.yes : s.no}</td>
                  <td>
                    <div class="row">
                      <button
                        type="button"
                        class="secondary"
                        onClick={() => {
                          setEditing(r.code);
                          setForm({ code: r.code, nameUk: r.nameUk, nameEn: r.nameEn, position: String(r.position), active: r.active });
                          document.getElementById("svc-name-uk")?.focus();
                        }}
                      >
                        {s.changeService(r.code)}
                      </button>
                      <button
                        type="button"
                        class="secondary"
                        onClick={() =>
                          void save({ ...r, active: !r.active }, r.active ? s.serviceHidden(r.nameUk) : s.serviceShown(r.nameUk))
                        }
                      >
                        {r.active ? s.hideService(r.code) : s.showService(r.code)}
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form
        aria-labelledby="svc-form"
        onSubmit={(e) => {
          e.preventDefault();
          const position = form.position.trim() === "" ? nextPosition : Number(form.position);
          void save(
            {
              code: form.code,
              nameUk: form.nameUk,
              nameEn: form.nameEn,
              position: Number.isInteger(position) ? position : -1,
              active: form.active,
            },
            editing ? s.serviceSaved(form.nameUk) : s.serviceAdded(form.nameUk),
            () => {
              setEditing(null);
              setForm(EMPTY);
            },
          );
        }}
      >
        <h2 id="svc-form">{editing ? s.changingService(editing) : s.newService}</h2>
        {editing ? null : <Field id="svc-code" label={s.serviceCode} hint={s.serviceCodeHint} value={form.code} onInput={set("code")} />}
        <Field id="svc-name-uk" label={s.serviceNameUk} value={form.nameUk} onInput={set("nameUk")} />
        <Field id="svc-name-en" label={s.serviceNameEn} value={form.nameEn} onInput={set("nameEn")} />
        <Field
          id="svc-position"
          label={s.servicePosition}
          hint={s.servicePositionHint(nextPosition)}
          inputMode="numeric"
          value={form.position}
          onInput={set("position")}
        />
        <p class="check">
          <input
            id="svc-active"
            type="checkbox"
            checked={form.active}
            onChange={(e) => setForm({ ...form, active: (e.target as HTMLInputElement).checked })}
          />
          <label for="svc-active">{s.serviceOnForm}</label>
        </p>
        <div class="row">
          <button type="submit" disabled={rows === null}>
            {editing ? s.saveService : s.addService}
          </button>
          {editing && (
            <button
              type="button"
              class="secondary"
              onClick={() => {
                setEditing(null);
                setForm(EMPTY);
              }}
            >
              {s.cancelChange}
            </button>
          )}
        </div>
      </form>
    </>
  );
}
