// Integrations: the API keys of centers' systems (#/keys, admins: make one with its scopes, client, oblast and
// expiry, see its secret once, rotate with a grace period, revoke), and the completed services those systems
// report (#/events, coordinators: the client's events with masked phones, and a CSV upload for centers without
// an integration, each refused row named with its field and reason in the reader's language).
import { useEffect, useState } from "preact/hooks";
import { failureText, gql, gqlUpload } from "../../common/api";
import { Field } from "../../common/field";
import {
  ApiKeysDocument,
  CreateApiKeyDocument,
  ImportServiceEventsDocument,
  RevokeApiKeyDocument,
  RotateApiKeyDocument,
  ServiceEventsDocument,
} from "./gql/operations";
import type { ApiKeysQuery, ImportServiceEventsMutation, ServiceEventsQuery } from "./gql/operations";
import { ClientSelect, useClients } from "./clients";
import { dateTime, t, type Lang } from "./i18n";
import { useOutcome } from "./outcome";
import { MoreButton, usePages } from "./paging";

type Key = ApiKeysQuery["apiKeys"]["edges"][number]["node"];
type Event = ServiceEventsQuery["serviceEvents"]["edges"][number]["node"];
type Batch = ImportServiceEventsMutation["importServiceEvents"];

/** A secret shown once, with a button to put it away. */
function Secret({ lang, name, secret, onDone }: { lang: Lang; name: string; secret: string; onDone: () => void }) {
  const s = t(lang);
  return (
    <section class="secret" aria-labelledby="secret-title">
      <h2 id="secret-title">{s.keySecretTitle(name)}</h2>
      <p>{s.keySecretHint}</p>
      <p>
        <code data-testid="secret">{secret}</code>
      </p>
      <button type="button" onClick={onDone}>
        {s.hideSecret}
      </button>
    </section>
  );
}

export function ApiKeysRoom({ lang }: { lang: Lang }) {
  const s = t(lang);
  const clients = useClients();
  const [inactive, setInactive] = useState(false);
  const [name, setName] = useState("");
  const [clientId, setClientId] = useState("");
  const [oblast, setOblast] = useState("");
  const [days, setDays] = useState("365");
  const [grace, setGrace] = useState<Record<string, string>>({});
  const [shown, setShown] = useState<{ name: string; secret: string } | null>(null);
  const pages = usePages<Key>(
    async (after) => (await gql(ApiKeysDocument, { includeInactive: inactive, first: 50, after })).apiKeys,
    [inactive],
  );
  const { act, outcome } = useOutcome(pages.reload);
  const now = Date.now();
  return (
    <>
      <h1>{s.keysTitle}</h1>
      <p>{s.keysIntro}</p>
      {outcome}
      {shown && <Secret lang={lang} name={shown.name} secret={shown.secret} onDone={() => setShown(null)} />}
      <form
        aria-labelledby="new-key"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            const trimmed = days.trim();
            const done = await gql(CreateApiKeyDocument, {
              input: {
                name,
                scopes: ["events:write"],
                clientId: clientId || null,
                oblast: oblast.trim() || null,
                expiresInDays: trimmed ? Number(trimmed) : null,
              },
            });
            setShown({ name: done.createApiKey.key.name, secret: done.createApiKey.secret });
            setName("");
            return s.keySecretTitle(done.createApiKey.key.name);
          });
        }}
      >
        <h2 id="new-key">{s.newKey}</h2>
        <div class="filters">
          <Field id="key-name" label={s.keyName} value={name} onInput={setName} />
          <ClientSelect id="key-client" label={s.client} none={s.chooseClient} clients={clients} value={clientId} onChange={setClientId} />
          <Field id="key-oblast" label={s.keyOblast} value={oblast} onInput={setOblast} />
          <Field id="key-days" label={s.keyExpiry} type="number" value={days} onInput={setDays} />
        </div>
        <p>
          {s.keyScopes}: {s.scopeNames["events:write"]}
        </p>
        <button type="submit">{s.createKey}</button>
      </form>
      <h2>{s.keysTitle}</h2>
      <label class="check">
        <input type="checkbox" checked={inactive} onChange={(e) => setInactive((e.target as HTMLInputElement).checked)} /> {s.showInactive}
      </label>
      <p role="status">{s.keysCount(pages.total)}</p>
      {pages.rows && (
        <div class="table-wrap" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{s.keyName}</th>
                <th scope="col">{s.keyPrefix}</th>
                <th scope="col">{s.keyReach}</th>
                <th scope="col">{s.keyScopes}</th>
                <th scope="col">{s.lastUsed}</th>
                <th scope="col">{s.expires}</th>
                <th scope="col">{s.state}</th>
                <th scope="col">{s.actionsTitle}</th>
              </tr>
            </thead>
            <tbody>
              {pages.rows.map((k) => (
                <tr key={k.id}>
                  <td>{k.name}</td>
                  <td>
                    <code>{k.prefix}…</code>
                  </td>
                  <td>{[k.clientName ?? s.allClients, k.oblast].filter(Boolean).join(" · ")}</td>
                  <td>{k.scopes.join(", ")}</td>
                  <td>{k.lastUsedAt ? dateTime(k.lastUsedAt, lang) : s.never}</td>
                  <td>
                    {k.expiresAt ? dateTime(k.expiresAt, lang) : s.noExpiry}
                    {k.expiresAt && k.status === "ACTIVE" && Date.parse(k.expiresAt) - now < 7 * 86_400_000 && " ⚠"}
                  </td>
                  <td>{s.keyStatuses[k.status] ?? k.status}</td>
                  <td>
                    {k.status === "ACTIVE" && (
                      <>
                        <label class="visually-hidden" for={`grace-${k.id}`}>
                          {s.graceHours}
                        </label>
                        <input
                          id={`grace-${k.id}`}
                          type="number"
                          min={0}
                          max={168}
                          size={4}
                          value={grace[k.id] ?? "24"}
                          title={s.graceHours}
                          onInput={(e) => setGrace({ ...grace, [k.id]: (e.target as HTMLInputElement).value })}
                        />
                        <button
                          type="button"
                          class="secondary"
                          aria-label={s.rotateKey(k.name)}
                          onClick={() =>
                            void act(async () => {
                              const done = await gql(RotateApiKeyDocument, { id: k.id, graceHours: Number(grace[k.id] ?? "24") });
                              setShown({ name: done.rotateApiKey.key.name, secret: done.rotateApiKey.secret });
                              return s.keySecretTitle(done.rotateApiKey.key.name);
                            })
                          }
                        >
                          {s.rotate}
                        </button>{" "}
                        <button
                          type="button"
                          class="secondary"
                          aria-label={s.revokeKey(k.name)}
                          onClick={() =>
                            void act(async () => {
                              await gql(RevokeApiKeyDocument, { id: k.id });
                              return s.keyRevoked(k.name);
                            })
                          }
                        >
                          {s.revoke}
                        </button>
                      </>
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

export function ServiceEventsRoom({ lang }: { lang: Lang }) {
  const s = t(lang);
  const clients = useClients();
  const [clientId, setClientId] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [batch, setBatch] = useState<Batch | null>(null);
  const [error, setError] = useState<string | null>(null);
  const pages = usePages<Event>(
    async (after) =>
      clientId
        ? (await gql(ServiceEventsDocument, { clientId, first: 50, after })).serviceEvents
        : { totalCount: 0, pageInfo: { hasNextPage: false }, edges: [] },
    [clientId],
  );
  useEffect(() => {
    if (!clientId && clients.length === 1) setClientId(clients[0].id);
  }, [clients]);
  async function upload(e: SubmitEvent) {
    e.preventDefault();
    setError(null);
    setBatch(null);
    if (!clientId) return setError(`${s.client}: ${s.chooseClient}`);
    if (!file) return setError(`${s.eventsFile}: ${s.chooseFile}`);
    try {
      const data = await gqlUpload(ImportServiceEventsDocument, { clientId }, "file", file, file.name);
      setBatch(data.importServiceEvents);
      await pages.reload();
    } catch (err) {
      setError(failureText(err));
    }
  }
  const refused = batch?.results.filter((r) => r.status === "REFUSED") ?? [];
  return (
    <>
      <h1>{s.eventsTitle}</h1>
      <p>{s.eventsIntro}</p>
      <div class="filters">
        <ClientSelect id="events-client" label={s.client} none={s.chooseClient} clients={clients} value={clientId} onChange={setClientId} />
      </div>
      <form onSubmit={(e) => void upload(e as SubmitEvent)} aria-labelledby="events-upload">
        <h2 id="events-upload">{s.eventsUploadTitle}</h2>
        <label for="events-file">{s.eventsFile}</label>
        <input
          id="events-file"
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)}
        />
        <button type="submit">{s.uploadEvents}</button>
      </form>
      <div aria-live="polite">
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        {batch && <p role="status">{s.eventsUploaded(batch.accepted, batch.duplicates, batch.refused)}</p>}
      </div>
      {refused.length > 0 && (
        <div class="table-wrap" tabIndex={0}>
          <table>
            <caption>{s.eventsRefusedTitle}</caption>
            <thead>
              <tr>
                <th scope="col">{s.row}</th>
                <th scope="col">{s.externalId}</th>
                <th scope="col">{s.why}</th>
              </tr>
            </thead>
            <tbody>
              {refused.map((r) => (
                <tr key={r.index}>
                  <td>{r.index}</td>
                  <td>{r.externalId ?? ""}</td>
                  <td>{r.errors.map((e) => e.message).join("; ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {clientId && (
        <>
          <p role="status">{s.eventsCount(pages.total)}</p>
          {pages.error && (
            <p role="alert" class="error">
              {pages.error}
            </p>
          )}
          {pages.rows && pages.rows.length > 0 && (
            <div class="table-wrap" tabIndex={0}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{s.completedAt}</th>
                    <th scope="col">{s.center}</th>
                    <th scope="col">{s.service}</th>
                    <th scope="col">{s.externalId}</th>
                    <th scope="col">{s.phone}</th>
                    <th scope="col">{s.channelSource}</th>
                  </tr>
                </thead>
                <tbody>
                  {pages.rows.map((ev) => (
                    <tr key={ev.id}>
                      <td>{dateTime(ev.completedAt, lang)}</td>
                      <td>{ev.centerName}</td>
                      <td>{ev.service}</td>
                      <td>{ev.externalId}</td>
                      <td>{ev.phoneMasked ? `${ev.phoneMasked}${ev.messenger ? ` · ${ev.messenger}` : ""}` : s.noPhone}</td>
                      <td>{ev.source}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <MoreButton pages={pages} label={s.moreRows} />
        </>
      )}
    </>
  );
}
