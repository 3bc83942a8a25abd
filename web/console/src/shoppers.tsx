// Shoppers for coordinators: the list with search and status, and one shopper's page (details, how reliably
// they keep tasks, accounts that share their payout account or phone, declared conflicts), where they are
// suspended with a reason (and signed out everywhere) or reactivated.
import { useEffect, useState } from "preact/hooks";
import { failureText, gql } from "../../common/api";
import { Field } from "../../common/field";
import { SetShopperStatusDocument, ShopperListDocument, ShopperProfileDocument } from "./gql/operations";
import type { ShopperListQuery, ShopperProfileQuery, UserStatus } from "./gql/operations";
import { FilterForm, useFilters } from "./filters";
import { dateTime, t, type Lang } from "./i18n";
import { useOutcome } from "./outcome";
import { MoreButton, usePages } from "./paging";

type Row = ShopperListQuery["shoppers"]["edges"][number]["node"];
type Profile = ShopperProfileQuery["shopper"];
/** Shoppers a page of the list shows. */
const PAGE = 50;

export function Shoppers({ lang }: { lang: Lang }) {
  const s = t(lang);
  const { filters, applied, set, apply } = useFilters({ search: "", status: "" });
  const pages = usePages<Row>(
    async (after) =>
      (
        await gql(ShopperListDocument, {
          search: applied.search.trim() || null,
          status: (applied.status || null) as UserStatus | null,
          first: PAGE,
          after,
        })
      ).shoppers,
    [applied],
  );
  const { rows, total, error } = pages;
  return (
    <>
      <h1>{s.shoppers}</h1>
      <FilterForm label={s.filters} button={s.apply} apply={apply}>
        <div>
          <label for="s-search">{s.shopperSearch}</label>
          <input id="s-search" type="search" value={filters.search} onInput={set("search")} />
        </div>
        <div>
          <label for="s-status">{s.state}</label>
          <select id="s-status" value={filters.status} onChange={set("status")}>
            <option value="">{s.allVenues}</option>
            <option value="ACTIVE">{s.userStates.ACTIVE}</option>
            <option value="SUSPENDED">{s.userStates.SUSPENDED}</option>
          </select>
        </div>
      </FilterForm>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {rows && <p role="status">{s.shopperCount(total)}</p>}
      {rows && rows.length > 0 && (
        <div class="table-wrap" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{s.fullName}</th>
                <th scope="col">{s.email}</th>
                <th scope="col">{s.state}</th>
                <th scope="col">{s.reliability}</th>
                <th scope="col">{s.signals}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    <a href={`#/shopper/${r.id}`}>{r.fullName}</a>
                  </td>
                  <td>
                    {r.email}
                    {!r.emailVerified && <span class="hint"> ({s.unverified})</span>}
                  </td>
                  <td>{s.userStates[r.status] ?? r.status}</td>
                  <td>{r.reliability.score === null ? s.noAnswer : `${r.reliability.score.toFixed(0)} (${r.reliability.tasksTaken})`}</td>
                  <td class={r.signals.length ? "sev-WARNING" : undefined}>{r.signals.length || ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <MoreButton pages={pages} label={s.moreRows} />
    </>
  );
}

export function ShopperPage({ lang, id }: { lang: Lang; id: string }) {
  const s = t(lang);
  const [shopper, setShopper] = useState<Profile | null>(null);
  const [reason, setReason] = useState("");
  async function load() {
    setShopper((await gql(ShopperProfileDocument, { id })).shopper);
  }
  const { act, outcome, error, setError } = useOutcome(load);
  useEffect(() => {
    void load().catch((err) => setError(failureText(err)));
  }, [id]);
  const setStatus = (status: "ACTIVE" | "SUSPENDED") =>
    act(async () => {
      await gql(SetShopperStatusDocument, { shopperId: id, status, reason: reason.trim() || null });
      setReason("");
      return status === "SUSPENDED" ? s.suspended : s.reactivated;
    });
  if (!shopper) return error ? outcome : <p>{s.loading}</p>;
  const r = shopper.reliability;
  return (
    <>
      <p>
        <a href="#/shoppers">{s.backToShoppers}</a>
      </p>
      <h1>{shopper.fullName}</h1>
      <dl>
        <dt>{s.email}</dt>
        <dd>
          {shopper.email} {shopper.emailVerified ? "" : `(${s.unverified})`}
        </dd>
        <dt>{s.phoneNumber}</dt>
        <dd>{shopper.phone}</dd>
        <dt>{s.state}</dt>
        <dd>
          {s.userStates[shopper.status] ?? shopper.status}
          {shopper.statusReason && ` — ${shopper.statusReason}`}
        </dd>
        <dt>{s.homeArea}</dt>
        <dd>
          {shopper.homeLocation.lat.toFixed(4)}, {shopper.homeLocation.lon.toFixed(4)} · {shopper.travelRadiusKm} km
        </dd>
        <dt>{s.reliability}</dt>
        <dd>{s.reliabilityText(r.score, r.tasksTaken, r.lateReleases, r.expired)}</dd>
        <dt>{s.registered}</dt>
        <dd>{dateTime(shopper.createdAt, lang)}</dd>
      </dl>
      <h2>{s.signals}</h2>
      {shopper.signals.length === 0 ? (
        <p>{s.noSignals}</p>
      ) : (
        <ul>
          {shopper.signals.map((x) => (
            <li key={x.code}>
              <span class="sev-WARNING">{x.message}</span>{" "}
              {x.otherShopperIds.map((other, i) => (
                <a key={other} href={`#/shopper/${other}`}>
                  {s.otherAccount(i + 1)}{" "}
                </a>
              ))}
            </li>
          ))}
        </ul>
      )}
      <h2>{s.conflicts}</h2>
      {shopper.conflicts.length === 0 && !shopper.conflictDeclaration ? (
        <p>{s.noConflictsDeclared}</p>
      ) : (
        <ul>
          {shopper.conflicts.map((c) => (
            <li key={c.id}>
              {c.employer ?? c.name} ({dateTime(c.createdAt, lang)})
            </li>
          ))}
          {shopper.conflictDeclaration && <li>{shopper.conflictDeclaration}</li>}
        </ul>
      )}
      <h2>{s.shopperVisits(shopper.visits.totalCount)}</h2>
      {shopper.visits.totalCount === 0 ? (
        <p>{s.noVisitsYet}</p>
      ) : (
        <div class="table-wrap" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{s.venue}</th>
                <th scope="col">{s.wave}</th>
                <th scope="col">{s.checkedIn}</th>
                <th scope="col">{s.state}</th>
                <th scope="col">{s.score}</th>
              </tr>
            </thead>
            <tbody>
              {shopper.visits.edges.map(({ node: v }) => (
                <tr key={v.id}>
                  <td>
                    <a href={`#/visit/${v.id}`}>{v.venueName}</a>
                  </td>
                  <td>{v.waveName}</td>
                  <td>{dateTime(v.checkedInAt, lang)}</td>
                  <td>{s.visitStates[v.state] ?? v.state}</td>
                  <td>{v.score === null || v.score === undefined ? s.noAnswer : v.score.toFixed(1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section aria-labelledby="status-title">
        <h2 id="status-title">{s.accountStatus}</h2>
        {outcome}
        <Field id="status-reason" label={s.statusReason} value={reason} onInput={setReason} />
        {shopper.status === "ACTIVE" ? (
          <button type="button" onClick={() => void setStatus("SUSPENDED")}>
            {s.suspend}
          </button>
        ) : (
          <button type="button" onClick={() => void setStatus("ACTIVE")}>
            {s.reactivate}
          </button>
        )}
      </section>
    </>
  );
}
