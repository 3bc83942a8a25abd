// Checklists for coordinators: every checklist with its versions, a new checklist, and the form-based editor of
// a draft (sections and questions of every type of docs/CHECKLISTS.md, a condition on an earlier answer) beside
// a live preview that shows and hides questions as the shopper's app will, with the score the service computes
// for the sample answers. Saving is checked by the service (its words name the field); publishing freezes it.
import { useEffect, useState } from "preact/hooks";
import { failureText, gql } from "../../common/api";
import { Field } from "../../common/field";
import { isVisible, label, questions, type Definition, type Question, type Section } from "../../common/checklist";
import {
  ChecklistListDocument,
  ChecklistVersionForEditDocument,
  CreateChecklistDocument,
  CreateChecklistDraftDocument,
  PreviewChecklistScoreDocument,
  PublishChecklistVersionDocument,
  StaffClientsDocument,
  UpdateChecklistDraftDocument,
} from "./gql/operations";
import type { ChecklistListQuery, ChecklistVersionForEditQuery, StaffClientsQuery } from "./gql/operations";
import { t, type Lang } from "./i18n";
import { useOutcome } from "./outcome";

const TYPES: Question["type"][] = [
  "YES_NO",
  "SCALE",
  "SINGLE_CHOICE",
  "MULTIPLE_CHOICE",
  "NUMBER",
  "DURATION",
  "TEXT",
  "TIMESTAMP",
  "PHOTO",
];
const STARTER: Definition = {
  sections: [
    {
      code: "VISIT",
      title: { uk: "Візит" },
      questions: [{ code: "Q1", title: { uk: "Нове питання" }, type: "YES_NO", weight: 1 } as Question],
    },
  ],
};

export function Checklists({ lang }: { lang: Lang }) {
  const s = t(lang);
  const [list, setList] = useState<ChecklistListQuery["checklists"]["edges"][number]["node"][] | null>(null);
  // null while loading: the create button waits for the client list, so a quick click never sends an empty client.
  const [clients, setClients] = useState<StaffClientsQuery["clients"]["edges"][number]["node"][] | null>(null);
  const [clientId, setClientId] = useState("");
  const [name, setName] = useState("");
  async function load() {
    setList((await gql(ChecklistListDocument, {})).checklists.edges.map((e) => e.node));
  }
  const { act, outcome } = useOutcome(load);
  useEffect(() => {
    void load().catch(() => setList([]));
    gql(StaffClientsDocument, {})
      .then((d) => setClients(d.clients.edges.map((e) => e.node)))
      .catch(() => setClients([]));
  }, []);
  const client = clientId || clients?.[0]?.id || "";
  return (
    <>
      <h1>{s.checklists}</h1>
      {outcome}
      {list === null && <p>{s.loading}</p>}
      <ul class="cards">
        {(list ?? []).map((c) => (
          <li key={c.id}>
            <h2>
              {c.name} <span class="hint">({c.client.name})</span>
            </h2>
            <ul>
              {c.versions.map((v) => (
                <li key={v.id}>
                  <a href={`#/checklist/${v.id}`}>{s.versionLine(v.version, s.versionStates[v.status] ?? v.status, v.questionCount)}</a>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      <form
        aria-labelledby="new-checklist"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            const made = await gql(CreateChecklistDocument, { clientId: client, name, definition: STARTER });
            location.hash = `#/checklist/${made.createChecklist.versions[0].id}`;
            return s.checklistCreated(name);
          });
        }}
      >
        <h2 id="new-checklist">{s.newChecklist}</h2>
        <label for="c-client">{s.client}</label>
        <select id="c-client" value={client} onChange={(e) => setClientId((e.target as HTMLSelectElement).value)}>
          {(clients ?? []).map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        <Field id="c-name" label={s.checklistName} value={name} onInput={setName} />
        <button type="submit" disabled={clients === null}>
          {s.createChecklist}
        </button>
      </form>
    </>
  );
}

type Version = ChecklistVersionForEditQuery["checklistVersion"];

export function ChecklistEditor({ lang, id }: { lang: Lang; id: string }) {
  const s = t(lang);
  const [version, setVersion] = useState<Version | null>(null);
  const [def, setDef] = useState<Definition | null>(null);
  const [answers, setAnswers] = useState<Record<string, unknown>>({});
  const [score, setScore] = useState<string | null>(null);
  async function load() {
    const v = (await gql(ChecklistVersionForEditDocument, { id })).checklistVersion;
    setVersion(v);
    setDef((current) => current ?? (v.definition as Definition));
  }
  const { act, outcome, setError } = useOutcome(load);
  useEffect(() => {
    void load().catch((err) => setError(failureText(err)));
  }, [id]);
  if (!version || !def) return outcome;
  const draft = version.status === "DRAFT";
  const change = (next: Definition) => {
    setDef(next);
    setScore(null);
  };
  const setQuestion = (si: number, qi: number, q: Question) =>
    change({
      sections: def.sections.map((sec, i) => (i === si ? { ...sec, questions: sec.questions.map((x, j) => (j === qi ? q : x)) } : sec)),
    });
  const all = questions(def);
  return (
    <>
      <p>
        <a href="#/checklists">{s.backToChecklists}</a>
      </p>
      <h1>{s.editorTitle(version.version, s.versionStates[version.status] ?? version.status)}</h1>
      {outcome}
      <div class="columns">
        <section aria-labelledby="editor">
          <h2 id="editor">{s.questionsTitle}</h2>
          {def.sections.map((sec, si) => (
            <fieldset key={si}>
              <legend>{s.sectionLegend(si + 1)}</legend>
              <Field
                id={`sec-${si}-code`}
                label={s.code}
                value={sec.code}
                onInput={(v) => change({ sections: def.sections.map((x, i) => (i === si ? { ...x, code: v } : x)) })}
              />
              <Field
                id={`sec-${si}-title`}
                label={s.titleUk}
                value={sec.title.uk}
                onInput={(v) => change({ sections: def.sections.map((x, i) => (i === si ? { ...x, title: { ...x.title, uk: v } } : x)) })}
              />
              {sec.questions.map((q, qi) => (
                <div key={qi}>
                  <QuestionForm
                    lang={lang}
                    prefix={`q-${si}-${qi}`}
                    q={q}
                    earlier={all.filter((x) => x.code !== q.code)}
                    onChange={(next) => setQuestion(si, qi, next)}
                  />
                  {draft && (
                    <div class="row">
                      <button type="button" class="secondary" disabled={qi === 0} onClick={() => change(moved(def, si, qi, -1))}>
                        {s.moveUp(q.code)}
                      </button>
                      <button
                        type="button"
                        class="secondary"
                        disabled={qi === sec.questions.length - 1}
                        onClick={() => change(moved(def, si, qi, 1))}
                      >
                        {s.moveDown(q.code)}
                      </button>
                      <button type="button" class="secondary" onClick={() => change(removed(def, si, qi))}>
                        {s.removeQuestion(q.code)}
                      </button>
                    </div>
                  )}
                </div>
              ))}
              {draft && (
                <button
                  type="button"
                  class="secondary"
                  onClick={() => change({ sections: def.sections.map((x, i) => (i === si ? addQuestion(x, all.length + 1) : x)) })}
                >
                  {s.addQuestion}
                </button>
              )}
            </fieldset>
          ))}
          {draft ? (
            <div class="row">
              <button
                type="button"
                class="secondary"
                onClick={() =>
                  change({ sections: [...def.sections, { code: `S${def.sections.length + 1}`, title: { uk: "" }, questions: [] }] })
                }
              >
                {s.addSection}
              </button>
              <button
                type="button"
                onClick={() =>
                  void act(async () => (await gql(UpdateChecklistDraftDocument, { versionId: id, definition: def }), s.savedDraft))
                }
              >
                {s.saveDraft}
              </button>
              <button
                type="button"
                class="secondary"
                onClick={() =>
                  void act(async () => {
                    await gql(UpdateChecklistDraftDocument, { versionId: id, definition: def });
                    await gql(PublishChecklistVersionDocument, { versionId: id });
                    return s.published;
                  })
                }
              >
                {s.publish}
              </button>
            </div>
          ) : (
            <button
              type="button"
              onClick={() =>
                void act(async () => {
                  const made = await gql(CreateChecklistDraftDocument, { checklistId: version.checklistId });
                  location.hash = `#/checklist/${made.createChecklistDraft.id}`;
                  return s.draftMade;
                })
              }
            >
              {s.newDraft}
            </button>
          )}
        </section>
        <section aria-labelledby="preview">
          <h2 id="preview">{s.preview}</h2>
          <p class="hint">{s.previewHint}</p>
          {all
            .filter((q) => isVisible(def, q.code, answers))
            .map((q) => (
              <PreviewQuestion
                key={q.code}
                lang={lang}
                q={q}
                value={answers[q.code]}
                onAnswer={(v) => setAnswers({ ...answers, [q.code]: v })}
              />
            ))}
          <button
            type="button"
            class="secondary"
            onClick={() =>
              void act(async () => {
                // Answers the preview hides are left out, as the app leaves them out.
                const shown = Object.fromEntries(
                  Object.entries(answers).filter(([code, v]) => v !== undefined && isVisible(def, code, answers)),
                );
                const got = await gql(PreviewChecklistScoreDocument, { versionId: id, answers: shown });
                const text = got.previewChecklistScore.score === null ? s.noScore : got.previewChecklistScore.score.toFixed(1);
                setScore(text);
                return s.scoreIs(text);
              })
            }
          >
            {s.scorePreview}
          </button>
          {score && <p>{s.scoreIs(score)}</p>}
        </section>
      </div>
    </>
  );
}

/** The question moved one place up (-1) or down (+1) in its section. */
function moved(def: Definition, si: number, qi: number, by: -1 | 1): Definition {
  return {
    sections: def.sections.map((sec, i) => {
      if (i !== si) return sec;
      const list = [...sec.questions];
      [list[qi], list[qi + by]] = [list[qi + by], list[qi]];
      return { ...sec, questions: list };
    }),
  };
}

/** The question gone (a condition that still names it is then refused at publishing, with its path). */
function removed(def: Definition, si: number, qi: number): Definition {
  return { sections: def.sections.map((sec, i) => (i === si ? { ...sec, questions: sec.questions.filter((_, j) => j !== qi) } : sec)) };
}

function addQuestion(section: Section, n: number): Section {
  return { ...section, questions: [...section.questions, { code: `Q${n}`, title: { uk: "" }, type: "YES_NO", weight: 1 } as Question] };
}

/**
 * A question given another type: the settings the new type has no use for go (a text question carrying a weight,
 * say, would be refused at publishing).
 */
function retyped(q: Question, type: Question["type"]): Question {
  const next = { ...q, type } as Question & { weight?: number };
  if (["TEXT", "TIMESTAMP", "PHOTO"].includes(type)) delete next.weight;
  else if (next.weight === undefined) next.weight = 1;
  if (type !== "SINGLE_CHOICE" && type !== "MULTIPLE_CHOICE") delete next.options;
  if (type !== "SCALE" && type !== "NUMBER") {
    delete next.min;
    delete next.max;
  }
  if (type !== "DURATION") delete next.maxMinutes;
  if (type !== "PHOTO") {
    delete next.minCount;
    delete next.caption;
  } else if (!next.caption) next.caption = { uk: "" };
  if (type !== "YES_NO") {
    delete (next as Editable).yesScore;
    delete (next as Editable).noScore;
  }
  if (type !== "NUMBER" && type !== "DURATION") delete (next as Editable).bands;
  return next;
}

/** The settings the app's question type does not carry (they only matter to the score). */
type Editable = Question & { weight?: number; yesScore?: number; noScore?: number; bands?: { upTo: number; score: number }[] };

/**
 * One question's settings. Options are one per line, `CODE | label | score`; bands `up to | score`; a condition
 * beyond "equals" (answered, all, any, not, nested) is written as JSON (docs/CHECKLISTS.md).
 */
function QuestionForm(props: { lang: Lang; prefix: string; q: Question; earlier: Question[]; onChange: (q: Question) => void }) {
  const s = t(props.lang);
  const { q, prefix, onChange } = props;
  const set = (patch: Partial<Question>) => onChange({ ...q, ...patch });
  const num = (v: string) => (v.trim() === "" ? undefined : Number(v));
  const optionsText = (q.options ?? []).map((o) => `${o.code} | ${o.label.uk} | ${(o as { score?: number }).score ?? ""}`).join("\n");
  const condition = q.visibleIf && "equals" in q.visibleIf ? q.visibleIf.equals : null;
  const e = q as Editable;
  const bandsText = (e.bands ?? []).map((b) => `${b.upTo} | ${b.score}`).join("\n");
  const [conditionText, setConditionText] = useState(q.visibleIf ? JSON.stringify(q.visibleIf) : "");
  const [conditionError, setConditionError] = useState<string | null>(null);
  useEffect(() => setConditionText(q.visibleIf ? JSON.stringify(q.visibleIf) : ""), [JSON.stringify(q.visibleIf)]);
  const labelPatch = (key: "guidance" | "caption", lang: "uk" | "en", v: string) => {
    const current = q[key] ?? { uk: "" };
    const next = { ...current, [lang]: v || (lang === "en" ? undefined : "") };
    set({ [key]: key === "guidance" && !next.uk && !next.en ? undefined : next } as Partial<Question>);
  };
  return (
    <fieldset class="question-form">
      <legend>{q.code || s.newQuestion}</legend>
      <Field id={`${prefix}-code`} label={s.code} value={q.code} onInput={(v) => set({ code: v })} />
      <Field id={`${prefix}-title`} label={s.titleUk} value={q.title.uk} onInput={(v) => set({ title: { ...q.title, uk: v } })} />
      <Field
        id={`${prefix}-title-en`}
        label={s.titleEn}
        value={q.title.en ?? ""}
        onInput={(v) => set({ title: { ...q.title, en: v || undefined } })}
      />
      <label for={`${prefix}-type`}>{s.questionType}</label>
      <select
        id={`${prefix}-type`}
        value={q.type}
        onChange={(e) => onChange(retyped(q, (e.target as HTMLSelectElement).value as Question["type"]))}
      >
        {TYPES.map((type) => (
          <option key={type} value={type}>
            {s.questionTypes[type] ?? type}
          </option>
        ))}
      </select>
      <label class="check">
        <input type="checkbox" checked={!!q.required} onChange={(e) => set({ required: (e.target as HTMLInputElement).checked })} />{" "}
        {s.requiredQuestion}
      </label>
      {!["TEXT", "TIMESTAMP", "PHOTO"].includes(q.type) && (
        <Field
          id={`${prefix}-weight`}
          label={s.weight}
          inputMode="decimal"
          value={String((q as { weight?: number }).weight ?? "")}
          onInput={(v) => onChange({ ...q, weight: num(v) } as Question)}
        />
      )}
      {["SCALE", "NUMBER"].includes(q.type) && (
        <>
          <Field
            id={`${prefix}-min`}
            label={s.min}
            inputMode="decimal"
            value={q.min === undefined ? "" : String(q.min)}
            onInput={(v) => set({ min: num(v) })}
          />
          <Field
            id={`${prefix}-max`}
            label={s.max}
            inputMode="decimal"
            value={q.max === undefined ? "" : String(q.max)}
            onInput={(v) => set({ max: num(v) })}
          />
        </>
      )}
      {q.type === "DURATION" && (
        <Field
          id={`${prefix}-maxmin`}
          label={s.maxMinutes}
          inputMode="numeric"
          value={q.maxMinutes === undefined ? "" : String(q.maxMinutes)}
          onInput={(v) => set({ maxMinutes: num(v) })}
        />
      )}
      {q.type === "PHOTO" && (
        <>
          <Field
            id={`${prefix}-mincount`}
            label={s.minCount}
            inputMode="numeric"
            value={q.minCount === undefined ? "" : String(q.minCount)}
            onInput={(v) => set({ minCount: num(v) })}
          />
          <Field id={`${prefix}-caption`} label={s.captionUk} value={q.caption?.uk ?? ""} onInput={(v) => labelPatch("caption", "uk", v)} />
          <Field
            id={`${prefix}-caption-en`}
            label={s.captionEn}
            value={q.caption?.en ?? ""}
            onInput={(v) => labelPatch("caption", "en", v)}
          />
        </>
      )}
      {q.type === "YES_NO" && (
        <>
          <Field
            id={`${prefix}-yes`}
            label={s.yesScore}
            hint={s.fractionHint}
            inputMode="decimal"
            value={e.yesScore === undefined ? "" : String(e.yesScore)}
            onInput={(v) => onChange({ ...e, yesScore: num(v) } as Question)}
          />
          <Field
            id={`${prefix}-no`}
            label={s.noAnswerScore}
            inputMode="decimal"
            value={e.noScore === undefined ? "" : String(e.noScore)}
            onInput={(v) => onChange({ ...e, noScore: num(v) } as Question)}
          />
        </>
      )}
      {(q.type === "NUMBER" || q.type === "DURATION") && (
        <>
          <label for={`${prefix}-bands`}>{s.bandsLabel}</label>
          <p class="hint" id={`${prefix}-bands-hint`}>
            {s.bandsHint}
          </p>
          <textarea
            id={`${prefix}-bands`}
            aria-describedby={`${prefix}-bands-hint`}
            value={bandsText}
            onChange={(ev) => {
              const bands = (ev.target as HTMLTextAreaElement).value
                .split("\n")
                .filter((line) => line.trim())
                .map((line) => {
                  const [upTo, score] = line.split("|").map((x) => Number(x.trim().replace(",", ".")));
                  return { upTo, score };
                });
              onChange({ ...e, bands: bands.length ? bands : undefined } as Question);
            }}
          />
        </>
      )}
      <Field id={`${prefix}-guidance`} label={s.guidanceUk} value={q.guidance?.uk ?? ""} onInput={(v) => labelPatch("guidance", "uk", v)} />
      <Field
        id={`${prefix}-guidance-en`}
        label={s.guidanceEn}
        value={q.guidance?.en ?? ""}
        onInput={(v) => labelPatch("guidance", "en", v)}
      />
      {(q.type === "SINGLE_CHOICE" || q.type === "MULTIPLE_CHOICE") && (
        <>
          <label for={`${prefix}-options`}>{s.optionsLabel}</label>
          <p class="hint" id={`${prefix}-options-hint`}>
            {s.optionsHint}
          </p>
          <textarea
            id={`${prefix}-options`}
            aria-describedby={`${prefix}-options-hint`}
            value={optionsText}
            onChange={(e) =>
              set({
                options: (e.target as HTMLTextAreaElement).value
                  .split("\n")
                  .filter((line) => line.trim())
                  .map((line) => {
                    const [code, text, score] = line.split("|").map((x) => x.trim());
                    return { code, label: { uk: text ?? code }, ...(score ? { score: Number(score) } : {}) };
                  }),
              })
            }
          />
        </>
      )}
      <label for={`${prefix}-if`}>{s.visibleIf}</label>
      <select
        id={`${prefix}-if`}
        value={condition?.question ?? ""}
        onChange={(e) => {
          const question = (e.target as HTMLSelectElement).value;
          set({ visibleIf: question ? { equals: { question, value: condition?.value ?? true } } : undefined });
        }}
      >
        <option value="">{s.always}</option>
        {props.earlier.map((x) => (
          <option key={x.code} value={x.code}>
            {x.code}
          </option>
        ))}
      </select>
      {condition && (
        <Field
          id={`${prefix}-if-value`}
          label={s.visibleIfValue}
          hint={s.visibleIfHint}
          value={typeof condition.value === "string" ? condition.value : JSON.stringify(condition.value)}
          onInput={(v) => {
            let value: unknown = v;
            if (v === "true" || v === "false" || /^-?\d+(\.\d+)?$/.test(v)) value = JSON.parse(v);
            set({ visibleIf: { equals: { question: condition.question, value } } });
          }}
        />
      )}
      <label for={`${prefix}-if-json`}>{s.conditionJson}</label>
      <p class="hint" id={`${prefix}-if-json-hint`}>
        {s.conditionJsonHint}
      </p>
      <textarea
        id={`${prefix}-if-json`}
        aria-describedby={conditionError ? `${prefix}-if-json-hint ${prefix}-if-json-error` : `${prefix}-if-json-hint`}
        aria-invalid={conditionError ? "true" : undefined}
        value={conditionText}
        onInput={(ev) => setConditionText((ev.target as HTMLTextAreaElement).value)}
        onBlur={() => {
          const text = conditionText.trim();
          if (!text) {
            setConditionError(null);
            set({ visibleIf: undefined });
            return;
          }
          try {
            const parsed = JSON.parse(text) as Question["visibleIf"];
            if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
            setConditionError(null);
            set({ visibleIf: parsed });
          } catch {
            setConditionError(s.conditionJsonBad);
          }
        }}
      />
      {conditionError && (
        <p id={`${prefix}-if-json-error`} class="error">
          {conditionError}
        </p>
      )}
    </fieldset>
  );
}

/** A question as the preview asks it (enough to drive conditions and the score; the app renders the real thing). */
function PreviewQuestion(props: { lang: Lang; q: Question; value: unknown; onAnswer: (v: unknown) => void }) {
  const s = t(props.lang);
  const { q, value, onAnswer } = props;
  const id = `preview-${q.code}`;
  const title = label(q.title, props.lang) || q.code;
  if (q.type === "YES_NO" || q.type === "SINGLE_CHOICE") {
    const choices: [string, unknown][] =
      q.type === "YES_NO"
        ? [
            [s.yes, true],
            [s.no, false],
          ]
        : (q.options ?? []).map((o) => [label(o.label, props.lang), o.code]);
    return (
      <fieldset class="choices">
        <legend>{title}</legend>
        {choices.map(([text, v], i) => (
          <label class="check" key={i}>
            <input type="radio" name={id} checked={value === v} onChange={() => onAnswer(v)} /> {text}
          </label>
        ))}
      </fieldset>
    );
  }
  if (q.type === "SCALE" || q.type === "NUMBER" || q.type === "DURATION")
    return (
      <Field
        id={id}
        label={title}
        inputMode="decimal"
        value={typeof value === "number" ? String(value) : ""}
        onInput={(v) => onAnswer(v.trim() === "" ? undefined : Number(v))}
      />
    );
  return <p>{title}</p>;
}
