// The job board (open tasks nearest first, as a list or on a map with the home radius), "my tasks" (offers to
// accept or decline, tasks held with their deadlines) and the task page (fee, bonus, window, deadline, rules;
// release; start the visit). A conflict of interest with a venue or its whole client can be declared from the
// board and the task page.
import { useMemo, useState } from "preact/hooks";
import { useLastSeen } from "../cache";
import { BOARD_VARIABLES } from "../board";
import type { AvailableTasksQuery, MeQuery, MyTasksQuery } from "../gql/operations";
import { dateTime, money, t, type Lang } from "../i18n";
import { MapView, type Home } from "../../../common/map";
import { documents } from "../operations";
import { enqueue, type QueuedOperation } from "../queue";
import { Field, go, mapText, Screen } from "../ui";

export type MyTask = MyTasksQuery["myTasks"]["edges"][number]["node"];
type OpenTask = AvailableTasksQuery["availableTasks"]["edges"][number]["node"];
type Me = MeQuery["me"];

/** Tasks the shopper works on now (offered, held, or visited and not yet submitted). */
const ACTIVE = ["OFFERED", "CLAIMED", "ASSIGNED", "VISITED"];

export function Board({ lang, me, outbox, kick }: { lang: Lang; me: Me | null; outbox: QueuedOperation[]; kick: () => void }) {
  const s = t(lang);
  const [tasks] = useLastSeen(
    "board",
    documents.availableTasks,
    BOARD_VARIABLES,
    (data: AvailableTasksQuery) => data.availableTasks.edges.map((e) => e.node),
    // Asked again when something was sent, and when something was refused (a task lost to another shopper
    // leaves the board at once).
    `${outbox.length}/${outbox.filter((q) => q.refused).length}`,
  );
  const [view, setView] = useState<"list" | "map">("list");
  const [selected, setSelected] = useState<string | null>(null);
  const pending = outbox.filter((q) => !q.refused);
  // Tasks whose venue or client the shopper just declared a conflict with leave the board at once.
  const hidden = (task: OpenTask) =>
    pending.some(
      (q) => q.operation === "declareConflict" && (q.variables.venueId === task.venueId || q.variables.clientId === task.clientId),
    );
  const shown = (tasks ?? []).filter((task) => !hidden(task));
  const points = useMemo(
    () => shown.map((task) => ({ id: task.taskId, lat: task.venueLocation.lat, lon: task.venueLocation.lon, label: task.venueName })),
    [tasks, pending.length],
  );
  const shopper = me?.shopper;
  const home: Home | null = shopper
    ? { lat: shopper.homeLocation.lat, lon: shopper.homeLocation.lon, radiusKm: shopper.travelRadiusKm }
    : null;
  const waiting = pending.filter((q) => q.operation === "claimTask").map((q) => String(q.variables.taskId));
  const card = (task: OpenTask) => (
    <TaskCard key={task.taskId} lang={lang} task={task} waiting={waiting.includes(task.taskId)} kick={kick} />
  );
  const chosen = shown.find((task) => task.taskId === selected);
  return (
    <Screen title={s.board}>
      <div class="row" role="group" aria-label={s.boardView}>
        <button type="button" class="secondary" aria-pressed={view === "list"} onClick={() => setView("list")}>
          {s.asList}
        </button>
        <button type="button" class="secondary" aria-pressed={view === "map"} onClick={() => setView("map")}>
          {s.onMap}
        </button>
      </div>
      {tasks && shown.length === 0 && <p>{s.noTasks}</p>}
      {tasks === null && <p>{s.loading}</p>}
      {view === "map" ? (
        <>
          <MapView
            {...mapText(lang)}
            labels={{ ...mapText(lang).labels, cluster: s.cluster }}
            label={s.boardMap(shown.length)}
            points={points}
            home={home}
            selected={selected}
            onSelect={setSelected}
          />
          <p class="hint">{s.mapHint}</p>
          <ul class="cards" aria-live="polite">
            {chosen && card(chosen)}
          </ul>
        </>
      ) : (
        <ul class="cards">{shown.map(card)}</ul>
      )}
    </Screen>
  );
}

function TaskCard({ lang, task, waiting, kick }: { lang: Lang; task: OpenTask; waiting: boolean; kick: () => void }) {
  const s = t(lang);
  async function claim() {
    await enqueue({ operation: "claimTask", variables: { taskId: task.taskId } });
    kick();
  }
  return (
    <li id={`task-${task.taskId}`}>
      <h2>{task.venueName}</h2>
      <p>
        {task.venueAddress} · {(task.distanceM / 1000).toFixed(1)} {s.km}
      </p>
      <p>
        {s.fee}: {money(task.feeKopiykas, lang)}
        {task.bonusKopiykas > 0 && ` + ${s.bonus} ${money(task.bonusKopiykas, lang)}`}
      </p>
      <p>
        {s.deadline}: {dateTime(task.deadlineAt, lang)}
      </p>
      {task.scenarioSummary && <p class="hint">{task.scenarioSummary}</p>}
      {waiting ? (
        <p role="status">{s.queued}</p>
      ) : (
        <button type="button" onClick={() => void claim()}>
          {s.claim}
        </button>
      )}
      <ConflictChoice lang={lang} venueId={task.venueId} client={{ id: task.clientId, name: task.clientName }} kick={kick} />
    </li>
  );
}

/**
 * "I must not evaluate this": the venue alone, or every venue of its client. Goes through the outbox (the
 * server keeps one declaration however often it is sent); `then` runs after it is queued.
 */
export function ConflictChoice(props: {
  lang: Lang;
  venueId: string;
  client?: { id: string; name: string };
  kick: () => void;
  then?: () => Promise<void>;
}) {
  const s = t(props.lang);
  const [open, setOpen] = useState(false);
  async function declare(variables: Record<string, unknown>) {
    await enqueue({ operation: "declareConflict", variables });
    await props.then?.();
    props.kick();
  }
  if (!open)
    return (
      <button type="button" class="link" aria-expanded="false" onClick={() => setOpen(true)}>
        {s.conflictQuestion}
      </button>
    );
  return (
    <div class="row" role="group" aria-label={s.conflictQuestion}>
      <button type="button" class="secondary" onClick={() => void declare({ venueId: props.venueId })}>
        {s.conflictVenue}
      </button>
      {props.client && (
        <button type="button" class="secondary" onClick={() => void declare({ clientId: props.client?.id })}>
          {s.conflictClient(props.client.name)}
        </button>
      )}
      <button type="button" class="link" onClick={() => setOpen(false)}>
        {s.cancel}
      </button>
    </div>
  );
}

export function useMyTasks(fresh: string, later = false): MyTask[] | null {
  const pick = (data: MyTasksQuery) => data.myTasks.edges.map((e) => e.node);
  return useLastSeen("myTasks", documents.myTasks, { first: 30 }, pick, fresh, later)[0];
}

export function MyTasks({ lang, tasks, kick }: { lang: Lang; tasks: MyTask[] | null; kick: () => void }) {
  const s = t(lang);
  const active = (tasks ?? []).filter((x) => ACTIVE.includes(x.state));
  const offers = active.filter((x) => x.state === "OFFERED");
  const held = active.filter((x) => x.state !== "OFFERED");
  return (
    <Screen title={s.myTasks}>
      {tasks === null && <p>{s.loading}</p>}
      {offers.length > 0 && <h2>{s.offers}</h2>}
      <ul class="cards">
        {offers.map((task) => (
          <Offer key={task.id} lang={lang} task={task} kick={kick} />
        ))}
      </ul>
      {tasks && held.length === 0 && <p>{s.noMyTasks}</p>}
      <ul class="cards">
        {held.map((task) => (
          <li key={task.id}>
            <h2>{task.venue.name}</h2>
            <p>{task.venue.address}</p>
            <p>
              {s.state}: {s.taskStates[task.state] ?? task.state}
            </p>
            {task.deadlineAt && (
              <p>
                {s.deadline}: {dateTime(task.deadlineAt, lang)}
              </p>
            )}
            <a class="button" href={`#/task/${task.id}`}>
              {s.openTask}
            </a>
          </li>
        ))}
      </ul>
    </Screen>
  );
}

/** A reason (required) and the button that sends it: declining an offer, giving a task up. */
function ReasonForm(props: {
  lang: Lang;
  id: string;
  label: string;
  action: string;
  secondary?: boolean;
  onSend: (reason: string) => Promise<void>;
}) {
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | undefined>();
  return (
    <>
      <Field id={props.id} label={props.label} value={reason} error={error} onInput={setReason} />
      <button
        type="button"
        class={props.secondary ? "secondary" : undefined}
        onClick={async () => {
          if (!reason.trim()) {
            setError(t(props.lang).errorRequired);
            return;
          }
          await props.onSend(reason);
        }}
      >
        {props.action}
      </button>
    </>
  );
}

function Offer({ lang, task, kick }: { lang: Lang; task: MyTask; kick: () => void }) {
  const s = t(lang);
  const [declining, setDeclining] = useState(false);
  return (
    <li>
      <h2>{task.venue.name}</h2>
      <p>{task.venue.address}</p>
      <p>
        {s.fee}: {money(task.feeKopiykas + task.bonusKopiykas, lang)}
      </p>
      {task.deadlineAt && (
        <p>
          {s.answerBy}: {dateTime(task.deadlineAt, lang)}
        </p>
      )}
      {declining ? (
        <ReasonForm
          lang={lang}
          id={`decline-${task.id}`}
          label={s.declineReason}
          action={s.decline}
          onSend={async (reason) => {
            await enqueue({ operation: "declineOffer", variables: { taskId: task.id, reason } });
            kick();
          }}
        />
      ) : (
        <div class="row">
          <button
            type="button"
            onClick={async () => {
              await enqueue({ operation: "acceptOffer", variables: { taskId: task.id } });
              kick();
            }}
          >
            {s.accept}
          </button>
          <button type="button" class="secondary" onClick={() => setDeclining(true)}>
            {s.decline}
          </button>
        </div>
      )}
    </li>
  );
}

export function TaskPage({ lang, task, kick }: { lang: Lang; task: MyTask | undefined; kick: () => void }) {
  const s = t(lang);
  const [releasing, setReleasing] = useState(false);
  if (!task) return <Screen title={s.task}>{<p>{s.taskGone}</p>}</Screen>;
  const brief = task.brief;
  const rules = brief.visitRules;
  return (
    <Screen title={task.venue.name}>
      <p>{task.venue.address}</p>
      <dl>
        <dt>{s.wave}</dt>
        <dd>{brief.waveName}</dd>
        <dt>{s.fee}</dt>
        <dd>
          {money(task.feeKopiykas, lang)}
          {task.bonusKopiykas > 0 && ` + ${s.bonus} ${money(task.bonusKopiykas, lang)}`}
        </dd>
        <dt>{s.period}</dt>
        <dd>
          {brief.startsOn} – {brief.endsOn}
        </dd>
        <dt>{s.visitingHours}</dt>
        <dd>
          {brief.visitingWindows.length === 0
            ? s.venueHours
            : brief.visitingWindows.map((w) => `${s.weekdays[w.weekday] ?? w.weekday} ${w.opens}–${w.closes}`).join(", ")}
        </dd>
        {task.deadlineAt && (
          <>
            <dt>{s.deadline}</dt>
            <dd>{dateTime(task.deadlineAt, lang)}</dd>
          </>
        )}
        <dt>{s.receiptCap}</dt>
        <dd>{money(brief.reimbursementCapKopiykas, lang)}</dd>
        <dt>{s.rules}</dt>
        <dd>{s.rulesText(task.venue.geofenceM, rules.maxAccuracyM, rules.minMinutes, rules.maxMinutes, rules.failedCheckinBlocks)}</dd>
      </dl>
      <h2>{s.scenario}</h2>
      <p class="scenario">{brief.scenario}</p>
      <button type="button" onClick={() => go(`visit/${task.id}`)}>
        {task.state === "VISITED" ? s.continueVisit : s.startVisit}
      </button>
      {task.state !== "VISITED" &&
        (releasing ? (
          <ReasonForm
            lang={lang}
            id="release-reason"
            label={s.releaseReason}
            action={s.release}
            secondary
            onSend={async (reason) => {
              await enqueue({ operation: "releaseTask", variables: { taskId: task.id, reason } });
              kick();
              go("tasks");
            }}
          />
        ) : (
          <button type="button" class="secondary" onClick={() => setReleasing(true)}>
            {s.release}
          </button>
        ))}
      {task.state !== "VISITED" && (
        <ConflictChoice
          lang={lang}
          venueId={task.venue.id}
          kick={kick}
          then={async () => {
            // A task the shopper must not do goes back to the board.
            await enqueue({ operation: "releaseTask", variables: { taskId: task.id, reason: s.conflictReleaseReason } });
            go("tasks");
          }}
        />
      )}
    </Screen>
  );
}
