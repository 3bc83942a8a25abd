// The call center for supervisors (#/call-center, coordinators): a client's phone interview studies (a new
// study, an imported list, the draw with its seed, closing), and for one study the live view, refreshed every 15
// seconds: who is on which case and for how long, completes per operator and hour, outcomes by AAPOR code, quota
// progress, appointments due, and the response, cooperation, refusal and contact rates per study, oblast and
// center with the counts behind them (docs/PHONE.md); every call as CSV or XLSX; which operators convert
// refusals.
import { useEffect, useState } from "preact/hooks";
import { GraphQLFailure, failureText, gql, gqlUpload } from "../../common/api";
import { Field } from "../../common/field";
import {
  CatiBoardDocument,
  CatiOperatorsDocument,
  CatiStudiesDocument,
  CloseCatiStudyDocument,
  CreateCatiStudyDocument,
  DrawCatiSampleDocument,
  ImportCatiContactsDocument,
  SetOperatorConvertsRefusalsDocument,
} from "./gql/operations";
import type { CatiBoardQuery, CatiOperatorsQuery, CatiStrata, CatiStudiesQuery, ImportCatiContactsMutation } from "./gql/operations";
import { ClientSelect, useClients } from "./clients";
import { download } from "./download";
import { dateTime, kyivDay, t, type Lang } from "./i18n";
import { useOutcome } from "./outcome";

type Study = CatiStudiesQuery["catiStudies"][number];
type Board = CatiBoardQuery["catiBoard"];
type Operator = CatiOperatorsQuery["catiOperators"][number];
const REFRESH_MS = 15_000;

function rate(value: number | null, lang: Lang): string {
  if (value === null) return "—";
  return new Intl.NumberFormat(lang === "uk" ? "uk-UA" : "en-GB", { style: "percent", maximumFractionDigits: 1 }).format(value);
}

function minutes(seconds: number): string {
  const m = Math.floor(seconds / 60);
  return `${m}:${String(seconds % 60).padStart(2, "0")}`;
}

export function CallCenterRoom({ lang }: { lang: Lang }) {
  const s = t(lang).cati;
  const common = t(lang);
  const clients = useClients();
  const [clientId, setClientId] = useState("");
  const [studies, setStudies] = useState<Study[]>([]);
  const [studyId, setStudyId] = useState("");
  const [board, setBoard] = useState<Board | null>(null);
  const [operators, setOperators] = useState<Operator[]>([]);
  const [imported, setImported] = useState<ImportCatiContactsMutation["importCatiContacts"] | null>(null);
  const [seed, setSeed] = useState("");
  const [form, setForm] = useState({
    name: "",
    from: kyivDay(-30),
    to: kyivDay(0),
    sample: "100",
    target: "50",
    strata: "OBLAST" as CatiStrata,
  });
  const [formErrors, setFormErrors] = useState<Record<string, string>>({});

  async function loadStudies() {
    if (!clientId) return setStudies([]);
    const d = await gql(CatiStudiesDocument, { clientId });
    setStudies(d.catiStudies);
  }
  async function loadBoard() {
    if (!studyId) return setBoard(null);
    const d = await gql(CatiBoardDocument, { studyId });
    setBoard(d.catiBoard);
  }
  async function reload() {
    await Promise.all([loadStudies(), loadBoard(), gql(CatiOperatorsDocument, {}).then((d) => setOperators(d.catiOperators))]);
  }
  const { act, outcome, setError } = useOutcome(reload);

  useEffect(() => {
    if (!clientId && clients.length === 1) setClientId(clients[0].id);
  }, [clients]);
  useEffect(() => {
    setStudyId("");
    reload().catch((err) => setError(failureText(err)));
  }, [clientId]);
  useEffect(() => {
    setImported(null);
    loadBoard().catch((err) => setError(failureText(err)));
    if (!studyId) return;
    const every = setInterval(() => void loadBoard().catch(() => {}), REFRESH_MS);
    return () => clearInterval(every);
  }, [studyId]);

  async function create(e: Event) {
    e.preventDefault();
    setFormErrors({});
    await act(async () => {
      try {
        const d = await gql(CreateCatiStudyDocument, {
          input: {
            clientId,
            name: form.name,
            from: form.from,
            to: form.to,
            strata: form.strata,
            samplePerStratum: Number.parseInt(form.sample, 10) || 0,
            targetPerStratum: Number.parseInt(form.target, 10) || 0,
          },
        });
        setStudyId(d.createCatiStudy.id);
        setForm({ ...form, name: "" });
        return s.studyCreated;
      } catch (err) {
        if (err instanceof GraphQLFailure && err.errors.some((x) => x.field)) {
          setFormErrors(Object.fromEntries(err.errors.filter((x) => x.field).map((x) => [x.field!.replace(/^input\./, ""), x.message])));
        }
        throw err;
      }
    });
  }

  const study = studies.find((x) => x.id === studyId) ?? null;

  return (
    <>
      <h1>{s.centerTitle}</h1>
      <p>{s.centerIntro}</p>
      <div class="filters">
        <ClientSelect
          id="cati-client"
          label={common.client}
          none={common.chooseClient}
          clients={clients}
          value={clientId}
          onChange={setClientId}
        />
      </div>
      {outcome}
      {clientId && (
        <>
          <div class="table-wrap" tabIndex={0}>
            <table>
              <caption>{s.studies}</caption>
              <thead>
                <tr>
                  <th scope="col">{s.studyName}</th>
                  <th scope="col">{s.period}</th>
                  <th scope="col">{s.status}</th>
                  <th scope="col">{s.eligible}</th>
                  <th scope="col">{s.drawn}</th>
                  <th scope="col">{s.seed}</th>
                </tr>
              </thead>
              <tbody>
                {studies.length === 0 && (
                  <tr>
                    <td colSpan={6}>{s.noStudies}</td>
                  </tr>
                )}
                {studies.map((st) => (
                  <tr key={st.id} class={st.id === studyId ? "selected" : undefined}>
                    <th scope="row" class="long-text">
                      <button type="button" class="link" aria-pressed={st.id === studyId} onClick={() => setStudyId(st.id)}>
                        {st.name}
                      </button>
                    </th>
                    <td>
                      {st.from} – {st.to}
                    </td>
                    <td>{s.statuses[st.status] ?? st.status}</td>
                    <td>{st.eligible ?? "—"}</td>
                    <td>{st.drawn ?? "—"}</td>
                    <td class="long-text">{st.seed ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <form aria-labelledby="cati-new-title" onSubmit={(e) => void create(e)} noValidate>
            <h2 id="cati-new-title">{s.newStudy}</h2>
            <div class="filters">
              <Field
                id="cati-name"
                label={s.studyName}
                value={form.name}
                error={formErrors.name}
                onInput={(v) => setForm({ ...form, name: v })}
              />
              <Field
                id="cati-from"
                label={s.from}
                type="date"
                value={form.from}
                error={formErrors.from}
                onInput={(v) => setForm({ ...form, from: v })}
              />
              <Field
                id="cati-to"
                label={s.to}
                type="date"
                value={form.to}
                error={formErrors.to}
                onInput={(v) => setForm({ ...form, to: v })}
              />
              <div>
                <label for="cati-strata">{s.strata}</label>
                <select
                  id="cati-strata"
                  value={form.strata}
                  onChange={(e) => setForm({ ...form, strata: (e.target as HTMLSelectElement).value as CatiStrata })}
                >
                  {(["OBLAST", "CENTER", "SERVICE"] as CatiStrata[]).map((x) => (
                    <option key={x} value={x}>
                      {s.strataNames[x]}
                    </option>
                  ))}
                </select>
              </div>
              <Field
                id="cati-sample"
                label={s.samplePerStratum}
                inputMode="numeric"
                value={form.sample}
                error={formErrors.samplePerStratum}
                onInput={(v) => setForm({ ...form, sample: v })}
              />
              <Field
                id="cati-target"
                label={s.targetPerStratum}
                inputMode="numeric"
                value={form.target}
                error={formErrors.targetPerStratum}
                onInput={(v) => setForm({ ...form, target: v })}
              />
            </div>
            <button type="submit">{s.createStudy}</button>
          </form>
        </>
      )}
      {study && study.status === "DRAFT" && (
        <section aria-labelledby="cati-sample-title">
          <h2 id="cati-sample-title" class="long-text">
            {s.sampleOf(study.name)}
          </h2>
          <p>{s.sampleIntro}</p>
          <label for="cati-list">{s.importList}</label>
          <input
            id="cati-list"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              const input = e.target as HTMLInputElement;
              const file = input.files?.[0];
              if (!file) return;
              void act(async () => {
                const d = await gqlUpload(ImportCatiContactsDocument, { studyId }, "file", file, file.name);
                setImported(d.importCatiContacts);
                input.value = "";
                return s.imported(d.importCatiContacts.added, d.importCatiContacts.repeated, d.importCatiContacts.refused.length);
              });
            }}
          />
          {imported && imported.refused.length > 0 && (
            <div class="table-wrap" tabIndex={0}>
              <table>
                <caption>{s.refusedRows}</caption>
                <thead>
                  <tr>
                    <th scope="col">{s.row}</th>
                    <th scope="col">{s.field}</th>
                    <th scope="col">{s.why}</th>
                  </tr>
                </thead>
                <tbody>
                  {imported.refused.map((r, i) => (
                    <tr key={i}>
                      <td>{r.row}</td>
                      <td>{r.field}</td>
                      <td class="long-text">{r.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div class="filters">
            <Field id="cati-seed" label={s.seed} hint={s.seedHint} value={seed} onInput={setSeed} />
            <button
              type="button"
              onClick={() =>
                void act(async () => {
                  const d = await gql(DrawCatiSampleDocument, { studyId, seed: seed.trim() || null });
                  return s.drawnNote(
                    d.drawCatiSample.study.drawn ?? 0,
                    d.drawCatiSample.study.eligible ?? 0,
                    d.drawCatiSample.study.seed ?? "",
                  );
                })
              }
            >
              {s.draw}
            </button>
          </div>
        </section>
      )}
      {board && (
        <BoardView
          board={board}
          lang={lang}
          studyId={studyId}
          onRefresh={() => void loadBoard().catch((err) => setError(failureText(err)))}
          onClose={() => void act(async () => (await gql(CloseCatiStudyDocument, { studyId }), s.closed))}
        />
      )}
      {clientId && (
        <section aria-labelledby="cati-operators-title">
          <h2 id="cati-operators-title">{s.operatorsTitle}</h2>
          <p>{s.convertersIntro}</p>
          <ul class="plain">
            {operators.length === 0 && <li>{s.noOperators}</li>}
            {operators.map((o) => (
              <li key={o.id}>
                <label>
                  <input
                    type="checkbox"
                    checked={o.convertsRefusals}
                    onChange={(e) =>
                      void act(async () => {
                        const converts = (e.target as HTMLInputElement).checked;
                        await gql(SetOperatorConvertsRefusalsDocument, { userId: o.id, converts });
                        return converts ? s.nowConverts(o.email) : s.noLongerConverts(o.email);
                      })
                    }
                  />
                  <span class="long-text">{o.email}</span> — {s.convertsRefusals}
                </label>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

function BoardView(props: { board: Board; lang: Lang; studyId: string; onRefresh: () => void; onClose: () => void }) {
  const { board, lang, studyId, onRefresh, onClose } = props;
  const s = t(lang).cati;
  const [error, setError] = useState<string | null>(null);
  const save = (format: "csv" | "xlsx") =>
    download(`/cati/studies/${studyId}/calls?format=${format}`, `calls-${studyId}.${format}`).catch((err) => setError(failureText(err)));
  return (
    <section aria-labelledby="cati-board-title">
      <h2 id="cati-board-title" class="long-text">
        {board.study.name}
      </h2>
      <p role="status">
        {s.boardAt(dateTime(board.at, lang))} · {s.inSample}: {board.inSample} · {s.stillOpen}: {board.open} · {s.neverCalled}:{" "}
        {board.neverCalled}
      </p>
      <div class="filters">
        <button type="button" onClick={onRefresh}>
          {s.refresh}
        </button>
        <button type="button" class="secondary" onClick={() => void save("csv")}>
          {s.exportCsv}
        </button>
        <button type="button" class="secondary" onClick={() => void save("xlsx")}>
          {s.exportXlsx}
        </button>
        {board.study.status === "OPEN" && (
          <button type="button" class="secondary" onClick={onClose}>
            {s.close}
          </button>
        )}
      </div>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <Table caption={s.live} head={[s.operator, s.center, s.phone, s.onCase]} empty={s.nobodyCalling}>
        {board.live.map((l) => (
          <tr key={l.caseId}>
            <td class="long-text">{l.operator}</td>
            <td class="long-text">{l.centerName}</td>
            <td>{l.phoneMasked ?? "—"}</td>
            <td>
              {minutes(l.seconds)}
              {l.lapsed && ` · ${s.lapsed}`}
            </td>
          </tr>
        ))}
      </Table>
      <Table caption={s.operatorsWork} head={[s.operator, s.calls, s.completes, s.lastHour, s.perHour]} empty={s.noCallsYet}>
        {board.operators.map((o) => (
          <tr key={o.operatorId}>
            <td class="long-text">{o.operator}</td>
            <td>{o.calls}</td>
            <td>{o.completes}</td>
            <td>{o.completesLastHour}</td>
            <td>{o.completesPerHour.toLocaleString(lang === "uk" ? "uk-UA" : "en-GB")}</td>
          </tr>
        ))}
      </Table>
      <Table caption={s.outcomesTitle} head={[s.outcome, s.aaporCode, s.category, s.calls]} empty={s.noCallsYet}>
        {board.outcomes.map((o) => (
          <tr key={o.outcome}>
            <td>{s.outcomes[o.outcome] ?? o.outcome}</td>
            <td>{o.aaporCode}</td>
            <td>{o.category}</td>
            <td>{o.calls}</td>
          </tr>
        ))}
      </Table>
      <Table caption={s.quotasTitle} head={[s.stratum, s.completes, s.target, s.sample]} empty={s.noneYet}>
        {board.quotas.map((q) => (
          <tr key={q.stratum}>
            <td class="long-text">{q.label}</td>
            <td>
              <progress max={Math.max(q.target, 1)} value={Math.min(q.completes, q.target)} aria-label={s.quotaOf(q.label)} /> {q.completes}
            </td>
            <td>{q.target}</td>
            <td>{q.sample}</td>
          </tr>
        ))}
      </Table>
      <Table caption={s.appointmentsDue} head={[s.center, s.appointment, s.phone]} empty={s.noneYet}>
        {board.appointmentsDue.map((a) => (
          <tr key={a.caseId}>
            <td class="long-text">{a.centerName}</td>
            <td>{dateTime(a.at, lang)}</td>
            <td>{a.phoneMasked ?? "—"}</td>
          </tr>
        ))}
      </Table>
      <p>{s.ratesIntro}</p>
      <Table
        caption={s.ratesTitle}
        head={[s.level, s.group, s.cases, "I", "P", "R", "NC", "UH", "NE", "RR1", "COOP1", "REF1", "CON1"]}
        empty={s.noneYet}
      >
        {board.rates.map((r) => (
          <tr key={`${r.level}-${r.key}`}>
            <td>{s.rateLevels[r.level] ?? r.level}</td>
            <th scope="row" class="long-text">
              {r.label}
            </th>
            <td>{r.cases}</td>
            <td>{r.i}</td>
            <td>{r.p}</td>
            <td>{r.r}</td>
            <td>{r.nc}</td>
            <td>{r.uh + r.uo}</td>
            <td>{r.ne}</td>
            <td>{rate(r.rr1, lang)}</td>
            <td>{rate(r.coop1, lang)}</td>
            <td>{rate(r.ref1, lang)}</td>
            <td>{rate(r.con1, lang)}</td>
          </tr>
        ))}
      </Table>
    </section>
  );
}

function Table(props: { caption: string; head: string[]; empty: string; children: preact.ComponentChildren[] }) {
  return (
    <div class="table-wrap" tabIndex={0}>
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            {props.head.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.children.length === 0 && (
            <tr>
              <td colSpan={props.head.length}>{props.empty}</td>
            </tr>
          )}
          {props.children}
        </tbody>
      </table>
    </div>
  );
}
