// Assignment by hand, inside a running wave's panel: the wave's tasks (coloured by how far they got, so with
// "any state" the map is the wave's progress) and the active
// shoppers' homes on one map with both lists beside it; pick a task (on the map or in its list), pick a shopper
// (nearest first, with the distance and whether it is within their travel radius), then assign, offer (accept
// within hours) or take back, each with its reason. When a rule forbids it the service says which, in words;
// an override reason (10+ characters) assigns anyway and is recorded.
import { useEffect, useState } from "preact/hooks";
import { failureText, gql } from "../../common/api";
import { Field } from "../../common/field";
import { distanceM } from "../../common/geo";
import { MapView, type MapPoint } from "../../common/map";
import {
  AssignTaskDocument,
  AssignableShoppersDocument,
  OfferTaskDocument,
  UnassignTaskDocument,
  WaveTasksDocument,
} from "./gql/operations";
import type { AssignableShoppersQuery, TaskState, WaveTasksQuery } from "./gql/operations";
import { t, type Lang } from "./i18n";
import { useOutcome } from "./outcome";

type Task = WaveTasksQuery["wave"]["tasks"]["edges"][number]["node"];
type Shopper = AssignableShoppersQuery["shoppers"]["edges"][number]["node"];

const HELD: TaskState[] = ["OFFERED", "CLAIMED", "ASSIGNED"];
const DONE: TaskState[] = ["VISITED", "SUBMITTED", "APPROVED"];
const SHOPPER_COLOR = "#1d4ed8";
/** Tasks are coloured by how far they got, so the map with "any state" is the wave's progress on a map. */
const STAGES: [string, (state: TaskState) => boolean, string][] = [
  ["stageOpen", (st) => st === "OPEN", "#c2410c"],
  ["stageHeld", (st) => HELD.includes(st), "#7c3aed"],
  ["stageDone", (st) => DONE.includes(st), "#047857"],
  ["stageClosed", (st) => st === "REJECTED" || st === "CANCELLED", "#6b7280"],
];
const stageColor = (state: TaskState) => STAGES.find(([, test]) => test(state))?.[2] ?? "#6b7280";

export function HandAssignment({ lang, waveId }: { lang: Lang; waveId: string }) {
  const s = t(lang);
  const [state, setState] = useState<TaskState | "">("OPEN");
  const [tasks, setTasks] = useState<Task[] | null>(null);
  const [total, setTotal] = useState(0);
  const [shoppers, setShoppers] = useState<Shopper[]>([]);
  const [taskId, setTaskId] = useState<string | null>(null);
  const [shopperId, setShopperId] = useState("");
  const [reason, setReason] = useState("");
  const [override, setOverride] = useState("");
  const [hours, setHours] = useState("24");
  async function load() {
    try {
      const [t, sh] = await Promise.all([
        gql(WaveTasksDocument, { id: waveId, state: state || null }),
        gql(AssignableShoppersDocument, {}),
      ]);
      setTasks(t.wave.tasks.edges.map((e) => e.node));
      setTotal(t.wave.tasks.totalCount);
      setShoppers(sh.shoppers.edges.map((e) => e.node));
    } catch (err) {
      setError(failureText(err));
    }
  }
  const { act, outcome, setError } = useOutcome(load);
  useEffect(() => {
    void load();
  }, [waveId, state]);
  const task = tasks?.find((x) => x.id === taskId) ?? null;
  const nearest = task
    ? shoppers.map((sh) => ({ sh, km: distanceM(task.venue.location, sh.homeLocation) / 1000 })).sort((a, b) => a.km - b.km)
    : shoppers.map((sh) => ({ sh, km: null as number | null }));
  const points: MapPoint[] = [
    ...(tasks ?? []).map((x) => ({
      id: `task-${x.id}`,
      lat: x.venue.location.lat,
      lon: x.venue.location.lon,
      label: `${x.venue.name} (${s.taskStates[x.state] ?? x.state})`,
      color: stageColor(x.state),
    })),
    ...shoppers.map((sh) => ({
      id: `shopper-${sh.id}`,
      lat: sh.homeLocation.lat,
      lon: sh.homeLocation.lon,
      label: `${sh.fullName} (${s.homeOf})`,
      color: SHOPPER_COLOR,
    })),
  ];
  function pick(id: string) {
    if (id.startsWith("task-")) setTaskId(id.slice(5));
    else if (id.startsWith("shopper-")) setShopperId(id.slice(8));
  }
  /** The form's own check before asking the service: a shopper (to assign or offer) and a reason. */
  const check = (needsShopper: boolean) => {
    if (needsShopper && !shopperId) throw new Error(`${s.shopper}: ${s.chooseShopper}`);
    if (!reason.trim()) throw new Error(`${s.assignReason}: ${s.errorRequired}`);
  };
  return (
    <section aria-labelledby="by-hand">
      <h3 id="by-hand">{s.byHand}</h3>
      {outcome}
      <p>
        <label for="task-state">{s.state}</label>
        <select id="task-state" value={state} onChange={(e) => setState((e.target as HTMLSelectElement).value as TaskState | "")}>
          <option value="">{s.anyState}</option>
          {(["OPEN", ...HELD, "VISITED", "SUBMITTED"] as TaskState[]).map((st) => (
            <option key={st} value={st}>
              {s.taskStates[st] ?? st}
            </option>
          ))}
        </select>
      </p>
      <p role="status">{s.tasksShown(tasks?.length ?? 0, total)}</p>
      <div class="columns">
        <div>
          <MapView
            labels={{ zoomIn: s.zoomIn, zoomOut: s.zoomOut, home: s.homeOf }}
            unavailable={s.mapUnavailable}
            label={s.assignmentMap}
            points={points}
            home={null}
            selected={taskId ? `task-${taskId}` : null}
            onSelect={pick}
          />
          <ul class="score-legend" aria-label={s.legendTitle}>
            {STAGES.map(([key, , color]) => (
              <li key={key}>
                <span style={{ background: color }} />
                {s.stages[key]}
              </li>
            ))}
            <li>
              <span style={{ background: SHOPPER_COLOR }} />
              {s.shoppersHomes}
            </li>
          </ul>
        </div>
        <div class="table-wrap" tabIndex={0}>
          <table>
            <caption>{s.tasks}</caption>
            <thead>
              <tr>
                <th scope="col">{s.venue}</th>
                <th scope="col">{s.state}</th>
                <th scope="col">{s.choose}</th>
              </tr>
            </thead>
            <tbody>
              {(tasks ?? []).map((x) => (
                <tr key={x.id} class={x.id === taskId ? "selected" : undefined}>
                  <td>
                    {x.venue.name}{" "}
                    <span class="hint">
                      ({x.venue.city}, {s.visitNo(x.visitNumber)})
                    </span>
                  </td>
                  <td>{s.taskStates[x.state] ?? x.state}</td>
                  <td>
                    <button type="button" class="secondary" aria-pressed={x.id === taskId} onClick={() => setTaskId(x.id)}>
                      {s.chooseTask(x.venue.name, x.visitNumber)}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      {task && (
        <form onSubmit={(e) => e.preventDefault()} aria-labelledby="assign-title">
          <h4 id="assign-title">{s.assignTitle(task.venue.name, task.visitNumber)}</h4>
          <label for="assign-shopper">{s.shopper}</label>
          <select id="assign-shopper" value={shopperId} onChange={(e) => setShopperId((e.target as HTMLSelectElement).value)}>
            <option value="">{s.chooseShopper}</option>
            {nearest.map(({ sh, km }) => (
              <option key={sh.id} value={sh.id}>
                {sh.fullName} · {sh.email}
                {km !== null && ` · ${km.toFixed(1)} ${s.km}${km > sh.travelRadiusKm ? ` (${s.beyondRadius})` : ""}`}
              </option>
            ))}
          </select>
          <Field id="assign-reason" label={s.assignReason} value={reason} onInput={setReason} />
          <Field id="assign-override" label={s.overrideReason} hint={s.overrideHint} value={override} onInput={setOverride} />
          <Field id="offer-hours" label={s.acceptWithin} type="number" value={hours} onInput={setHours} />
          <div class="row">
            <button
              type="button"
              onClick={() =>
                void act(async () => {
                  check(true);
                  await gql(AssignTaskDocument, { taskId: task.id, shopperId, reason, overrideReason: override.trim() || null });
                  return s.assignedTo(shoppers.find((x) => x.id === shopperId)?.fullName ?? shopperId);
                })
              }
            >
              {s.assign}
            </button>
            <button
              type="button"
              class="secondary"
              onClick={() =>
                void act(async () => {
                  check(true);
                  await gql(OfferTaskDocument, { taskId: task.id, shopperId, reason, acceptWithinHours: Number(hours) });
                  return s.offeredTo(shoppers.find((x) => x.id === shopperId)?.fullName ?? shopperId, hours);
                })
              }
            >
              {s.offer}
            </button>
            {HELD.includes(task.state) && (
              <button
                type="button"
                class="secondary"
                onClick={() =>
                  void act(async () => {
                    check(false);
                    await gql(UnassignTaskDocument, { taskId: task.id, reason });
                    return s.unassigned;
                  })
                }
              >
                {s.unassign}
              </button>
            )}
          </div>
        </form>
      )}
    </section>
  );
}
