// Waves for coordinators: each wave with its progress (by task state and by oblast) and its life (launch,
// pause, resume, extend, close with a reason); the optimizer's plan for the open tasks (proposals with their
// distances, each shopper's load, the tasks no one can take and why) previewed, then committed; and a new wave.
import { useEffect, useState } from "preact/hooks";
import { failureText, gql } from "../../common/api";
import { Field } from "../../common/field";
import {
  AutoAssignDocument,
  CloseWaveDocument,
  ExtendWaveDocument,
  LaunchWaveDocument,
  PauseWaveDocument,
  ResumeWaveDocument,
  WaveListDocument,
} from "./gql/operations";
import type { AutoAssignMutation, WaveListQuery } from "./gql/operations";
import { t, type Lang } from "./i18n";
import { HandAssignment } from "./assignment";
import { NewWave } from "./wave_form";
import { useOutcome, type Act } from "./outcome";

type Wave = WaveListQuery["waves"]["edges"][number]["node"];
type Plan = AutoAssignMutation["autoAssignWave"];

export function Waves({ lang }: { lang: Lang }) {
  const s = t(lang);
  const [waves, setWaves] = useState<Wave[] | null>(null);
  const [page, setPage] = useState<WaveListQuery["waves"] | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  /** The first page again (after every action), or the next one appended. */
  async function load(more = false) {
    try {
      const got = (await gql(WaveListDocument, { after: more ? page?.pageInfo.endCursor : null })).waves;
      setPage(got);
      setWaves([...(more ? (waves ?? []) : []), ...got.edges.map((e) => e.node)]);
    } catch (err) {
      setError(failureText(err));
    }
  }
  useEffect(() => {
    void load();
  }, []);
  const { act, outcome, setError } = useOutcome(() => load());
  const chosen = waves?.find((w) => w.id === open);
  return (
    <>
      <h1>{s.waves}</h1>
      {outcome}
      {waves === null && <p>{s.loading}</p>}
      {waves && (
        <div class="table-wrap" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{s.wave}</th>
                <th scope="col">{s.client}</th>
                <th scope="col">{s.state}</th>
                <th scope="col">{s.period}</th>
                <th scope="col">{s.progress}</th>
                <th scope="col">{s.actionsTitle}</th>
              </tr>
            </thead>
            <tbody>
              {waves.map((w) => (
                <tr key={w.id}>
                  <td>{w.name}</td>
                  <td>{w.client.name}</td>
                  <td>
                    {s.waveStates[w.status] ?? w.status}
                    {w.closeReason && <span class="hint"> ({w.closeReason})</span>}
                  </td>
                  <td>
                    {w.startsOn} – {w.endsOn}
                  </td>
                  <td>
                    {s.progressText(
                      w.progress.total,
                      w.progress.byState.map((b) => `${s.taskStates[b.state] ?? b.state} ${b.count}`).join(", "),
                    )}
                  </td>
                  <td>
                    <button
                      type="button"
                      class="secondary"
                      aria-expanded={open === w.id}
                      onClick={() => setOpen(open === w.id ? null : w.id)}
                    >
                      {s.manageWave}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page?.pageInfo.hasNextPage && (
        <button type="button" class="secondary" onClick={() => void load(true)}>
          {s.moreWaves(waves?.length ?? 0, page.totalCount)}
        </button>
      )}
      {chosen && <WavePanel key={chosen.id} lang={lang} wave={chosen} act={act} />}
      <NewWave lang={lang} act={act} />
    </>
  );
}

function WavePanel({ lang, wave, act }: { lang: Lang; wave: Wave; act: Act }) {
  const s = t(lang);
  const [endsOn, setEndsOn] = useState(wave.endsOn);
  const [reason, setReason] = useState("");
  const [plan, setPlan] = useState<Plan | null>(null);
  const running = wave.status === "LAUNCHED" || wave.status === "PAUSED";
  const loads = new Map<string, { tasks: number; metres: number }>();
  for (const p of plan?.proposals ?? []) {
    const l = loads.get(p.shopperId) ?? { tasks: 0, metres: 0 };
    loads.set(p.shopperId, { tasks: l.tasks + 1, metres: l.metres + p.distanceM });
  }
  return (
    <section aria-labelledby="wave-panel">
      <h2 id="wave-panel">{wave.name}</h2>
      <div class="row">
        {wave.status === "DRAFT" && (
          <button
            type="button"
            onClick={() => void act(async () => s.launched((await gql(LaunchWaveDocument, { id: wave.id })).launchWave.tasksCreated))}
          >
            {s.launch}
          </button>
        )}
        {wave.status === "LAUNCHED" && (
          <button
            type="button"
            class="secondary"
            onClick={() => void act(async () => (await gql(PauseWaveDocument, { id: wave.id }), s.paused))}
          >
            {s.pause}
          </button>
        )}
        {wave.status === "PAUSED" && (
          <button
            type="button"
            class="secondary"
            onClick={() => void act(async () => (await gql(ResumeWaveDocument, { id: wave.id }), s.resumed))}
          >
            {s.resume}
          </button>
        )}
      </div>
      {running && (
        <>
          <Field id="extend-to" label={s.extendTo} type="date" value={endsOn} onInput={setEndsOn} />
          <button
            type="button"
            class="secondary"
            onClick={() => void act(async () => (await gql(ExtendWaveDocument, { id: wave.id, endsOn }), s.extended(endsOn)))}
          >
            {s.extend}
          </button>
          <Field id="close-reason" label={s.closeReason} value={reason} onInput={setReason} />
          <button
            type="button"
            class="secondary"
            onClick={() => void act(async () => (await gql(CloseWaveDocument, { id: wave.id, reason }), s.closed))}
          >
            {s.closeWave}
          </button>
        </>
      )}
      {wave.progress.byRegion.length > 0 && (
        <div class="table-wrap" tabIndex={0}>
          <table>
            <caption>{s.byRegion}</caption>
            <thead>
              <tr>
                <th scope="col">{s.oblast}</th>
                <th scope="col">{s.tasks}</th>
                <th scope="col">{s.byStateTitle}</th>
              </tr>
            </thead>
            <tbody>
              {wave.progress.byRegion.map((r) => (
                <tr key={r.oblast}>
                  <td>{r.oblast || s.noAnswer}</td>
                  <td>{r.total}</td>
                  <td>{r.byState.map((b) => `${s.taskStates[b.state] ?? b.state} ${b.count}`).join(", ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {running && <HandAssignment lang={lang} waveId={wave.id} />}
      {wave.status === "LAUNCHED" && (
        <>
          <h3>{s.autoAssign}</h3>
          <button
            type="button"
            class="secondary"
            onClick={() =>
              void act(async () => {
                const got = (await gql(AutoAssignDocument, { waveId: wave.id, commit: false })).autoAssignWave;
                setPlan(got);
                return s.planned(got.proposals.length, got.totalKm, got.unassignable.length);
              })
            }
          >
            {s.previewPlan}
          </button>
          {plan && plan.proposals.length > 0 && (
            <button
              type="button"
              onClick={() =>
                void act(async () => {
                  const done = (await gql(AutoAssignDocument, { waveId: wave.id, commit: true })).autoAssignWave;
                  setPlan(null);
                  return s.committed(done.committed, done.notCommitted.length);
                })
              }
            >
              {s.commitPlan}
            </button>
          )}
          {plan && (
            <div class="table-wrap" tabIndex={0}>
              <table>
                <caption>{s.shopperLoad}</caption>
                <thead>
                  <tr>
                    <th scope="col">{s.shopper}</th>
                    <th scope="col">{s.tasks}</th>
                    <th scope="col">{s.km}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...loads].map(([shopper, l]) => (
                    <tr key={shopper}>
                      <td>
                        <a href={`#/shopper/${shopper}`}>{shopper}</a>
                      </td>
                      <td>{l.tasks}</td>
                      <td>{(l.metres / 1000).toFixed(1)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {plan.unassignable.length > 0 && (
                <table>
                  <caption>{s.unassignable}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{s.venue}</th>
                      <th scope="col">{s.why}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {plan.unassignable.map((u) => (
                      <tr key={u.taskId}>
                        <td>{u.venueName}</td>
                        <td>{u.reason}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          )}
        </>
      )}
    </section>
  );
}
