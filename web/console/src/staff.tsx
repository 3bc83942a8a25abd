// Staff accounts, for admins (#/staff): every account with its role and status, searchable; an invitation (the
// service mails the person a link to choose a password; a client viewer is tied to one client); suspension with
// a reason and reactivation. The service refuses anyone else, and an admin suspending themselves.
import { useState } from "preact/hooks";
import { gql } from "../../common/api";
import { Field } from "../../common/field";
import { InviteStaffDocument, SetUserStatusDocument, StaffUsersDocument } from "./gql/operations";
import { ClientSelect, useClients } from "./clients";
import type { Role, StaffUsersQuery } from "./gql/operations";
import { FilterForm, useFilters } from "./filters";
import { dateTime, t, type Lang } from "./i18n";
import { useOutcome } from "./outcome";
import { MoreButton, usePages } from "./paging";

type User = StaffUsersQuery["users"]["edges"][number]["node"];
const STAFF_ROLES: Role[] = ["COORDINATOR", "PAYMENTS", "CLIENT_VIEWER", "OPERATOR", "ADMIN"];

export function Staff({ lang }: { lang: Lang }) {
  const s = t(lang);
  const { filters, applied, set, apply } = useFilters({ search: "", role: "" });
  const clients = useClients();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("COORDINATOR");
  const [clientId, setClientId] = useState("");
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const pages = usePages<User>(
    async (after) =>
      (
        await gql(StaffUsersDocument, {
          search: applied.search.trim() || null,
          role: (applied.role || null) as Role | null,
          first: 50,
          after,
        })
      ).users,
    [applied],
  );
  const { rows: users, total } = pages;
  const { act, outcome } = useOutcome(pages.reload);
  return (
    <>
      <h1>{s.staff}</h1>
      {outcome}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            if (!email.trim()) throw new Error(`${s.email}: ${s.errorRequired}`);
            if (role === "CLIENT_VIEWER" && !clientId) throw new Error(`${s.client}: ${s.chooseClient}`);
            const done = await gql(InviteStaffDocument, {
              email: email.trim(),
              role,
              clientId: role === "CLIENT_VIEWER" ? clientId : null,
            });
            setEmail("");
            return s.invited((done as { inviteStaff: { email: string } }).inviteStaff.email);
          });
        }}
        aria-labelledby="invite"
      >
        <h2 id="invite">{s.inviteTitle}</h2>
        <div class="filters">
          <Field id="invite-email" label={s.email} type="email" value={email} onInput={setEmail} />
          <div>
            <label for="invite-role">{s.role}</label>
            <select id="invite-role" value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value as Role)}>
              {STAFF_ROLES.map((r) => (
                <option key={r} value={r}>
                  {s.roles[r] ?? r}
                </option>
              ))}
            </select>
          </div>
          {role === "CLIENT_VIEWER" && (
            <ClientSelect
              id="invite-client"
              label={s.client}
              none={s.chooseClient}
              clients={clients}
              value={clientId}
              onChange={setClientId}
            />
          )}
        </div>
        <button type="submit">{s.invite}</button>
      </form>
      <h2>{s.accounts}</h2>
      <FilterForm label={s.filters} button={s.apply} apply={apply}>
        <div>
          <label for="staff-search">{s.searchEmail}</label>
          <input id="staff-search" value={filters.search} onInput={set("search")} />
        </div>
        <div>
          <label for="staff-role">{s.role}</label>
          <select id="staff-role" value={filters.role} onChange={set("role")}>
            <option value="">{s.anyRole}</option>
            {[...STAFF_ROLES, "SHOPPER" as Role].map((r) => (
              <option key={r} value={r}>
                {s.roles[r] ?? r}
              </option>
            ))}
          </select>
        </div>
      </FilterForm>
      <p role="status">{s.accountsCount(total)}</p>
      {users && (
        <div class="table-wrap" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{s.email}</th>
                <th scope="col">{s.role}</th>
                <th scope="col">{s.state}</th>
                <th scope="col">{s.created}</th>
                <th scope="col">{s.actionsTitle}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id}>
                  <td>{u.email}</td>
                  <td>{s.roles[u.role] ?? u.role}</td>
                  <td>
                    {s.userStates[u.status] ?? u.status}
                    {!u.emailVerified && <span class="hint"> ({s.notYetSignedUp})</span>}
                    {u.statusReason && <span class="hint"> — {u.statusReason}</span>}
                  </td>
                  <td>{dateTime(u.createdAt, lang)}</td>
                  <td>
                    {u.status === "ACTIVE" ? (
                      <>
                        <label class="visually-hidden" for={`reason-${u.id}`}>
                          {s.suspendReasonFor(u.email)}
                        </label>
                        <input
                          id={`reason-${u.id}`}
                          placeholder={s.suspendReason}
                          value={reasons[u.id] ?? ""}
                          onInput={(e) => setReasons({ ...reasons, [u.id]: (e.target as HTMLInputElement).value })}
                        />
                        <button
                          type="button"
                          class="secondary"
                          onClick={() =>
                            void act(async () => {
                              await gql(SetUserStatusDocument, { userId: u.id, status: "SUSPENDED", reason: reasons[u.id] ?? "" });
                              return s.suspendedUser(u.email);
                            })
                          }
                        >
                          {s.suspendUser(u.email)}
                        </button>
                      </>
                    ) : (
                      <button
                        type="button"
                        class="secondary"
                        onClick={() =>
                          void act(async () => {
                            await gql(SetUserStatusDocument, { userId: u.id, status: "ACTIVE", reason: null });
                            return s.reactivatedUser(u.email);
                          })
                        }
                      >
                        {s.reactivateUser(u.email)}
                      </button>
                    )}
                  </td>
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
