// A new wave: the client and its published questionnaire, dates, money, and which venues. The venues are every
// one of the client's, one oblast's, or picked by hand, on the map or in the list beside it (the accessible
// alternative). Also the bonus steps (extra pay for a task still open after N days, typed one step per line),
// the visit rules (what counts as a good check-in and visit) and the claim limits. The service checks every field
// and names the bad one; the wave starts as a draft.
import { useEffect, useState } from "preact/hooks";
import { gql } from "../../common/api";
import { Field } from "../../common/field";
import { kopiykasOf } from "../../common/format";
import { MapView, type MapPoint } from "../../common/map";
import { CreateWaveDocument, VenueListDocument, WaveFormDataDocument } from "./gql/operations";
import type { BonusStepInput, VenueListQuery, WaveFormDataQuery } from "./gql/operations";
import { kyivDay, money, t, type Lang } from "./i18n";
import type { Act } from "./outcome";

type Venue = VenueListQuery["venues"]["edges"][number]["node"];
type Mode = "ALL" | "FILTER" | "LIST";

/** "3 50" per line (after 3 days, 50 UAH more) → steps; a bad line is named by its number. */
export function parseBonusSteps(text: string): BonusStepInput[] | { line: number } {
  const steps: BonusStepInput[] = [];
  for (const [i, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (!line) continue;
    const m = line.match(/^(\d+)\s+(\d+(?:[.,]\d{1,2})?)$/);
    if (!m) return { line: i + 1 };
    steps.push({ afterDays: Number(m[1]), bonusKopiykas: kopiykasOf(m[2]) });
  }
  return steps;
}

export function NewWave({ lang, act }: { lang: Lang; act: Act }) {
  const s = t(lang);
  // undefined while loading, null when loading failed.
  const [data, setData] = useState<WaveFormDataQuery | null | undefined>(undefined);
  const [form, setForm] = useState({
    clientId: "",
    versionId: "",
    name: "",
    startsOn: kyivDay(),
    endsOn: kyivDay(30),
    fee: "400",
    cap: "0",
    visits: "1",
    scenario: "",
    oblast: "",
    maxTasks: "5",
    claimHours: "72",
    cooloff: "90",
    bonus: "",
    bonusCap: "0",
    maxAccuracy: "100",
    minMinutes: "5",
    maxMinutes: "240",
    submitHours: "48",
  });
  const [mode, setMode] = useState<Mode>("ALL");
  const [blocks, setBlocks] = useState(false);
  const [venues, setVenues] = useState<Venue[]>([]);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  useEffect(() => {
    gql(WaveFormDataDocument, {})
      .then(setData)
      .catch(() => setData(null));
  }, []);
  const clients = data?.clients.edges.map((e) => e.node) ?? [];
  const clientId = form.clientId || clients[0]?.id || "";
  useEffect(() => {
    if (mode !== "LIST" || !clientId) return;
    // Every active venue of the client (a national client has thousands), a page after another.
    let stale = false;
    (async () => {
      const all: Venue[] = [];
      let after: string | null = null;
      do {
        const page: VenueListQuery["venues"] = (await gql(VenueListDocument, { clientId, active: true, first: 50, after })).venues;
        all.push(...page.edges.map((e) => e.node));
        after = page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null;
      } while (after && !stale);
      if (!stale) setVenues(all);
    })().catch(() => !stale && setVenues([]));
    return () => {
      stale = true;
    };
  }, [mode, clientId]);
  const versions = (data?.checklists.edges.map((e) => e.node) ?? [])
    .filter((c) => c.client.id === clientId)
    .flatMap((c) => c.versions.filter((v) => v.status === "PUBLISHED").map((v) => ({ id: v.id, label: `${c.name} v${v.version}` })));
  const versionId = form.versionId || versions[0]?.id || "";
  const set = (key: keyof typeof form) => (v: string) => setForm({ ...form, [key]: v });
  const choose = (key: keyof typeof form) => (e: Event) => setForm({ ...form, [key]: (e.target as HTMLSelectElement).value });
  const toggle = (id: string) => {
    const next = new Set(picked);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setPicked(next);
  };
  const points: MapPoint[] = venues.map((v) => ({
    id: v.id,
    lat: v.location.lat,
    lon: v.location.lon,
    label: `${v.name}${picked.has(v.id) ? ` (${s.picked})` : ""}`,
    color: picked.has(v.id) ? "#1d4ed8" : "#9ca3af",
  }));
  async function submit(e: Event) {
    e.preventDefault();
    await act(async () => {
      const bonusSteps = parseBonusSteps(form.bonus);
      if ("line" in bonusSteps) throw new Error(s.bonusLineBad(bonusSteps.line));
      if (mode === "FILTER" && !form.oblast.trim()) throw new Error(`${s.onlyOblast}: ${s.errorRequired}`);
      if (mode === "LIST" && picked.size === 0) throw new Error(s.pickSomeVenues);
      const selection =
        mode === "FILTER"
          ? { mode, oblast: form.oblast.trim() }
          : mode === "LIST"
            ? { mode, venueIds: [...picked] }
            : { mode: "ALL" as const };
      await gql(CreateWaveDocument, {
        clientId,
        input: {
          name: form.name,
          checklistVersionId: versionId,
          startsOn: form.startsOn,
          endsOn: form.endsOn,
          selection,
          visitsPerVenue: Number(form.visits),
          feeKopiykas: kopiykasOf(form.fee),
          reimbursementCapKopiykas: kopiykasOf(form.cap),
          scenario: form.scenario,
          maxTasksPerShopper: Number(form.maxTasks),
          claimWindowHours: Number(form.claimHours),
          cooloffDays: Number(form.cooloff),
          bonusSteps,
          bonusCapKopiykas: kopiykasOf(form.bonusCap),
          visitRules: {
            failedCheckinBlocks: blocks,
            maxAccuracyM: Number(form.maxAccuracy),
            minMinutes: Number(form.minMinutes),
            maxMinutes: Number(form.maxMinutes),
            submitWithinHours: Number(form.submitHours),
          },
        },
      });
      return s.waveCreated(form.name);
    });
  }
  return (
    <form onSubmit={submit} aria-labelledby="new-wave" noValidate>
      <h2 id="new-wave">{s.newWave}</h2>
      <div class="filters">
        <div>
          <label for="w-client">{s.client}</label>
          <select id="w-client" value={clientId} onChange={choose("clientId")}>
            {clients.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="w-version">{s.checklistVersion}</label>
          <select id="w-version" value={versionId} onChange={choose("versionId")}>
            {versions.map((v) => (
              <option key={v.id} value={v.id}>
                {v.label}
              </option>
            ))}
          </select>
        </div>
        <Field id="w-name" label={s.waveName} value={form.name} onInput={set("name")} />
        <Field id="w-starts" label={s.startsOn} type="date" value={form.startsOn} onInput={set("startsOn")} />
        <Field id="w-ends" label={s.endsOn} type="date" value={form.endsOn} onInput={set("endsOn")} />
        <Field id="w-fee" label={s.feeUah} inputMode="decimal" value={form.fee} onInput={set("fee")} />
        <Field id="w-cap" label={s.reimbursementCap} inputMode="decimal" value={form.cap} onInput={set("cap")} />
        <Field id="w-visits" label={s.visitsPerVenue} inputMode="numeric" value={form.visits} onInput={set("visits")} />
        <Field id="w-max-tasks" label={s.maxTasksPerShopper} inputMode="numeric" value={form.maxTasks} onInput={set("maxTasks")} />
        <Field id="w-claim-hours" label={s.claimWindowHours} inputMode="numeric" value={form.claimHours} onInput={set("claimHours")} />
        <Field
          id="w-cooloff"
          label={s.cooloffDays}
          hint={s.cooloffHint}
          inputMode="numeric"
          value={form.cooloff}
          onInput={set("cooloff")}
        />
      </div>
      <fieldset>
        <legend>{s.whichVenues}</legend>
        {(["ALL", "FILTER", "LIST"] as Mode[]).map((m) => (
          <p key={m}>
            <input type="radio" id={`w-mode-${m}`} name="w-mode" checked={mode === m} onChange={() => setMode(m)} />
            <label for={`w-mode-${m}`}>{s.selectionModes[m]}</label>
          </p>
        ))}
        {mode === "FILTER" && <Field id="w-oblast" label={s.onlyOblast} value={form.oblast} onInput={set("oblast")} />}
        {mode === "LIST" && (
          <div class="columns">
            <MapView
              labels={{ zoomIn: s.zoomIn, zoomOut: s.zoomOut, home: s.venue }}
              unavailable={s.mapUnavailable}
              label={s.pickMap(picked.size, venues.length)}
              points={points}
              home={null}
              onSelect={toggle}
            />
            <fieldset>
              <legend>{s.pickedVenues(picked.size)}</legend>
              {venues.map((v) => (
                <p key={v.id} class="check">
                  <input type="checkbox" id={`w-venue-${v.id}`} checked={picked.has(v.id)} onChange={() => toggle(v.id)} />
                  <label for={`w-venue-${v.id}`}>
                    {v.name} <span class="hint">({v.city || v.oblast})</span>
                  </label>
                </p>
              ))}
            </fieldset>
          </div>
        )}
      </fieldset>
      <label for="w-scenario">{s.scenarioText}</label>
      <textarea id="w-scenario" value={form.scenario} onInput={(e) => set("scenario")((e.target as HTMLTextAreaElement).value)} />
      <p class="hint">{s.feeHint(money(kopiykasOf(form.fee) || 0, lang))}</p>
      <fieldset>
        <legend>{s.bonusTitle}</legend>
        <label for="w-bonus">{s.bonusSteps}</label>
        <p id="w-bonus-hint" class="hint">
          {s.bonusHint}
        </p>
        <textarea
          id="w-bonus"
          aria-describedby="w-bonus-hint"
          value={form.bonus}
          onInput={(e) => set("bonus")((e.target as HTMLTextAreaElement).value)}
        />
        <Field id="w-bonus-cap" label={s.bonusCap} inputMode="decimal" value={form.bonusCap} onInput={set("bonusCap")} />
      </fieldset>
      <fieldset>
        <legend>{s.visitRulesTitle}</legend>
        <p class="check">
          <input type="checkbox" id="w-blocks" checked={blocks} onChange={(e) => setBlocks((e.target as HTMLInputElement).checked)} />
          <label for="w-blocks">{s.failedCheckinBlocks}</label>
        </p>
        <div class="filters">
          <Field id="w-accuracy" label={s.maxAccuracyM} inputMode="numeric" value={form.maxAccuracy} onInput={set("maxAccuracy")} />
          <Field id="w-min-minutes" label={s.visitMinMinutes} inputMode="numeric" value={form.minMinutes} onInput={set("minMinutes")} />
          <Field id="w-max-minutes" label={s.visitMaxMinutes} inputMode="numeric" value={form.maxMinutes} onInput={set("maxMinutes")} />
          <Field
            id="w-submit-hours"
            label={s.submitWithinHours}
            inputMode="numeric"
            value={form.submitHours}
            onInput={set("submitHours")}
          />
        </div>
      </fieldset>
      {/* Waits for the clients and questionnaires, so a quick click never sends an empty choice. */}
      <button type="submit" disabled={data === undefined}>
        {s.createWave}
      </button>
    </form>
  );
}
