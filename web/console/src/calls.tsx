// The operator's screen for phone interviews (#/calls, role OPERATOR), keyboard-first: N takes the next case (the
// service hands each case to one operator), D shows the number as a `tel:` link (the reveal is audited; dialling
// stays behind `Dialer`, so a softphone can replace the link), the script asks the feedback form's questions,
// answers are saved as they are typed (and kept in this tab until the service took them, so a crash or a closed
// tab loses nothing), and an outcome must be recorded (Ctrl+Enter) before the next case. An appointment is the
// respondent's own local date and time. Every refusal is shown in words beside what it concerns; what was typed
// stays.
import { useEffect, useRef, useState } from "preact/hooks";
import { GraphQLFailure, failureText, gql } from "../../common/api";
import {
  CatiOpenStudiesDocument,
  HoldCatiCaseDocument,
  MyCatiCaseDocument,
  NextCatiCaseDocument,
  RecordCatiOutcomeDocument,
  RevealCatiPhoneDocument,
  SaveCatiAnswersDocument,
} from "./gql/operations";
import type { CatiAnswersInput, CatiCaseFieldsFragment, CatiOpenStudiesQuery, CatiOutcome } from "./gql/operations";
import { dateTime, t, type Lang } from "./i18n";
import { telLink, type Dialer } from "./dialer";

type Case = CatiCaseFieldsFragment;
type Study = CatiOpenStudiesQuery["catiOpenStudies"][number];
type Answers = Required<{ [K in keyof CatiAnswersInput]: string }>;

const EMPTY: Answers = { service: "", premises: "", staff: "", waiting: "", result: "", recommend: "", comment: "" };
export const OUTCOMES: CatiOutcome[] = [
  "COMPLETE",
  "PARTIAL",
  "APPOINTMENT",
  "NO_ANSWER",
  "BUSY",
  "ANSWERING_MACHINE",
  "SOFT_REFUSAL",
  "HARD_REFUSAL",
  "BREAK_OFF",
  "WRONG_NUMBER",
  "DISCONNECTED",
  "NOT_ELIGIBLE",
  "QUOTA_FILLED",
];
const DIMENSIONS = ["premises", "staff", "waiting", "result"] as const;
const HEARTBEAT_MS = 60_000;
const SAVE_AFTER_MS = 600;

function answersOf(c: Case): Answers {
  const a = c.answers;
  return {
    service: a.service ?? "",
    premises: a.premises ?? "",
    staff: a.staff ?? "",
    waiting: a.waiting ?? "",
    result: a.result ?? "",
    recommend: a.recommend ?? "",
    comment: a.comment ?? "",
  };
}

function input(a: Answers): CatiAnswersInput {
  const value = (v: string) => (v.trim() === "" ? null : v);
  return {
    service: value(a.service),
    premises: value(a.premises),
    staff: value(a.staff),
    waiting: value(a.waiting),
    result: value(a.result),
    recommend: value(a.recommend),
    comment: value(a.comment),
  };
}

/** Answers typed but not yet taken by the service, kept in this tab (by call). */
const pendingKey = (callId: string) => `fieldwork.cati.answers.${callId}`;

export function CallsRoom({ lang, dialer = telLink }: { lang: Lang; dialer?: Dialer }) {
  const s = t(lang).cati;
  const levels = t(lang).levels;
  const [studies, setStudies] = useState<Study[] | null>(null);
  const [studyId, setStudyId] = useState("");
  const [current, setCurrent] = useState<Case | null>(null);
  const [answers, setAnswers] = useState<Answers>(EMPTY);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [phone, setPhone] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<CatiOutcome | "">("");
  const [appointment, setAppointment] = useState("");
  const [note, setNote] = useState("");
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [recorded, setRecorded] = useState<Case | null>(null);
  const [busy, setBusy] = useState(false);
  const saveTimer = useRef<number | undefined>(undefined);
  const nextButton = useRef<HTMLButtonElement>(null);
  const caseHeading = useRef<HTMLHeadingElement>(null);

  /** A case on the screen: the service's answers, or this tab's newer ones it has not taken yet. */
  function show(c: Case | null) {
    setCurrent(c);
    setPhone(null);
    setOutcome("");
    setAppointment("");
    setNote("");
    setFieldErrors({});
    setSavedAt(c?.answersSavedAt ?? null);
    if (!c) {
      setAnswers(EMPTY);
      return;
    }
    const pending = sessionStorage.getItem(pendingKey(c.callId));
    const kept = pending ? (JSON.parse(pending) as Answers) : null;
    setAnswers(kept ?? answersOf(c));
    if (kept) void save(c.callId, kept);
    setTimeout(() => caseHeading.current?.focus(), 0);
  }

  useEffect(() => {
    gql(CatiOpenStudiesDocument, {})
      .then((d) => {
        setStudies(d.catiOpenStudies);
        if (d.catiOpenStudies.length > 0) setStudyId((id) => id || d.catiOpenStudies[0].id);
      })
      .catch((err) => setError(failureText(err)));
    // After a reload or a crash, the case this operator holds comes back with its answers.
    gql(MyCatiCaseDocument, {})
      .then((d) => {
        if (d.myCatiCase) {
          setStudyId(d.myCatiCase.studyId);
          show(d.myCatiCase);
        }
      })
      .catch((err) => setError(failureText(err)));
  }, []);

  /** The case went to someone else (this screen was silent past its lease): say so, and let go of it. */
  function lost(err: unknown): boolean {
    if (err instanceof GraphQLFailure && err.errors.some((e) => e.messageCode === "cati-case-taken")) {
      if (current) sessionStorage.removeItem(pendingKey(current.callId));
      setError(failureText(err));
      show(null);
      return true;
    }
    return false;
  }

  // The heartbeat keeps the case on this screen while the operator talks.
  useEffect(() => {
    if (!current || recorded) return;
    const beat = setInterval(() => {
      gql(HoldCatiCaseDocument, { callId: current.callId }).catch((err) => lost(err));
    }, HEARTBEAT_MS);
    return () => clearInterval(beat);
  }, [current?.callId, recorded]);

  async function save(callId: string, typed: Answers) {
    try {
      const at = await gql(SaveCatiAnswersDocument, { callId, answers: input(typed) });
      sessionStorage.removeItem(pendingKey(callId));
      setSavedAt(at.saveCatiAnswers);
      setFieldErrors({});
    } catch (err) {
      if (lost(err)) return;
      if (err instanceof GraphQLFailure && err.errors.some((e) => e.field)) {
        setFieldErrors(Object.fromEntries(err.errors.filter((e) => e.field).map((e) => [e.field!, e.message])));
      }
      // Kept in this tab; sent again with the next keystroke or the outcome.
    }
  }

  function type(field: keyof Answers, value: string) {
    if (!current) return;
    const typed = { ...answers, [field]: value };
    setAnswers(typed);
    sessionStorage.setItem(pendingKey(current.callId), JSON.stringify(typed));
    clearTimeout(saveTimer.current);
    const callId = current.callId;
    saveTimer.current = window.setTimeout(() => void save(callId, typed), SAVE_AFTER_MS);
  }

  async function next() {
    if (!studyId || busy) return;
    if (current && !recorded) {
      setError(s.outcomeFirst);
      return;
    }
    setBusy(true);
    setError(null);
    setNotice(null);
    setRecorded(null);
    try {
      const d = await gql(NextCatiCaseDocument, { studyId });
      show(d.nextCatiCase);
      if (!d.nextCatiCase) setNotice(s.noneNow);
    } catch (err) {
      setError(failureText(err));
    } finally {
      setBusy(false);
    }
  }

  async function reveal() {
    if (!current || recorded) return;
    setError(null);
    try {
      const d = await gql(RevealCatiPhoneDocument, { callId: current.callId });
      setPhone(d.revealCatiPhone);
      dialer.dial(d.revealCatiPhone);
    } catch (err) {
      if (!lost(err)) setError(failureText(err));
    }
  }

  async function record(e?: Event) {
    e?.preventDefault();
    if (!current || recorded || busy) return;
    setError(null);
    setNotice(null);
    if (!outcome) {
      setFieldErrors({ outcome: s.chooseOutcome });
      document.getElementById("cati-outcome-COMPLETE")?.focus();
      return;
    }
    setBusy(true);
    clearTimeout(saveTimer.current);
    try {
      const d = await gql(RecordCatiOutcomeDocument, {
        callId: current.callId,
        outcome,
        appointmentAt: outcome === "APPOINTMENT" ? appointment || null : null,
        answers: input(answers),
        note: note.trim() || null,
      });
      sessionStorage.removeItem(pendingKey(current.callId));
      setRecorded(d.recordCatiOutcome);
      setFieldErrors({});
      setNotice(s.recorded(s.outcomes[outcome] ?? outcome));
      setTimeout(() => nextButton.current?.focus(), 0);
    } catch (err) {
      if (lost(err)) return;
      if (err instanceof GraphQLFailure && err.errors.some((x) => x.field)) {
        setFieldErrors(Object.fromEntries(err.errors.filter((x) => x.field).map((x) => [x.field!, x.message])));
        setError(s.fixMarked);
      } else {
        setError(failureText(err));
      }
    } finally {
      setBusy(false);
    }
  }

  // Keys: N next case, D number (outside text fields), Ctrl+Enter records. The listener is added once and calls
  // the moves of the latest render (an effect would add it only after the screen is painted, so a key pressed
  // right after a choice would reach the moves that do not know it yet).
  const moves = useRef({ next, reveal, record });
  moves.current = { next, reveal, record };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey && e.key === "Enter") {
        e.preventDefault();
        void moves.current.record();
        return;
      }
      const target = e.target as HTMLElement;
      if (e.ctrlKey || e.altKey || e.metaKey || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) return;
      if (e.key === "n" || e.key === "т") void moves.current.next();
      if (e.key === "d" || e.key === "в") void moves.current.reveal();
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, []);

  const err = (field: string) =>
    fieldErrors[field] ? (
      <p id={`cati-${field}-error`} class="error">
        {fieldErrors[field]}
      </p>
    ) : null;
  const described = (field: string) => (fieldErrors[field] ? `cati-${field}-error` : undefined);
  const shown = recorded ?? current;
  const done = recorded !== null;

  return (
    <>
      <h1>{s.callsTitle}</h1>
      <p>{s.callsIntro}</p>
      <div class="filters">
        <div>
          <label for="cati-study">{s.study}</label>
          <select
            id="cati-study"
            value={studyId}
            disabled={current !== null && !done}
            onChange={(e) => setStudyId((e.target as HTMLSelectElement).value)}
          >
            {studies?.length === 0 && <option value="">{s.noOpenStudies}</option>}
            {studies?.map((st) => (
              <option key={st.id} value={st.id}>
                {st.name}
              </option>
            ))}
          </select>
        </div>
        <button type="button" ref={nextButton} onClick={() => void next()} disabled={!studyId || busy} aria-keyshortcuts="N">
          {s.nextCase} <kbd>N</kbd>
        </button>
      </div>
      <div aria-live="polite">
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        {notice && <p role="status">{notice}</p>}
      </div>
      {shown && (
        <div class="columns cati">
          <section aria-labelledby="cati-case-title">
            <h2 id="cati-case-title" tabIndex={-1} ref={caseHeading} class="long-text">
              {shown.centerName}
            </h2>
            <dl class="facts">
              <dt>{s.address}</dt>
              <dd class="long-text">{shown.centerAddress}</dd>
              <dt>{s.oblast}</dt>
              <dd>{shown.oblast}</dd>
              {shown.respondentName && (
                <>
                  <dt>{s.respondent}</dt>
                  <dd class="long-text">{shown.respondentName}</dd>
                </>
              )}
              <dt>{s.theirTime}</dt>
              <dd>
                {shown.localTime} ({shown.timeZone})
              </dd>
              <dt>{s.attempts}</dt>
              <dd>{shown.attempts}</dd>
              {shown.appointmentLocal && (
                <>
                  <dt>{s.appointment}</dt>
                  <dd>{shown.appointmentLocal}</dd>
                </>
              )}
              <dt>{s.phone}</dt>
              <dd>
                {phone ? (
                  <a href={dialer.href(phone)} id="cati-dial">
                    {phone}
                  </a>
                ) : (
                  <>
                    {shown.phoneMasked ?? s.phoneErased}{" "}
                    {!done && (
                      <button type="button" class="secondary" onClick={() => void reveal()} aria-keyshortcuts="D">
                        {s.showNumber} <kbd>D</kbd>
                      </button>
                    )}
                  </>
                )}
              </dd>
            </dl>
            <div class="table-wrap" tabIndex={0}>
              <table>
                <caption>{s.history}</caption>
                <thead>
                  <tr>
                    <th scope="col">№</th>
                    <th scope="col">{s.started}</th>
                    <th scope="col">{s.outcome}</th>
                    <th scope="col">{s.note}</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.history.map((h) => (
                    <tr key={h.id}>
                      <td>{h.number}</td>
                      <td>{dateTime(h.startedAt, lang)}</td>
                      <td>
                        {h.outcome ? `${s.outcomes[h.outcome] ?? h.outcome} (${h.aaporCode})` : h.abandoned ? s.abandoned : s.underWay}
                        {h.appointmentAt && ` · ${dateTime(h.appointmentAt, lang)}`}
                      </td>
                      <td class="long-text">{h.note}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <form aria-labelledby="cati-script-title" onSubmit={(e) => void record(e)} noValidate>
            <h2 id="cati-script-title">{s.script}</h2>
            <p class="hint">{s.scriptIntro}</p>
            <fieldset disabled={done}>
              <legend>{s.questions}</legend>
              <label for="cati-service">{s.serviceQuestion}</label>
              <select
                id="cati-service"
                value={answers.service}
                aria-describedby={described("service")}
                onChange={(e) => type("service", (e.target as HTMLSelectElement).value)}
              >
                <option value="">{s.notSaid}</option>
                {shown.services.map((sv) => (
                  <option key={sv.code} value={sv.code}>
                    {lang === "uk" ? sv.nameUk : sv.nameEn}
                  </option>
                ))}
              </select>
              {err("service")}
              {DIMENSIONS.map((d, i) => (
                <fieldset key={d} class="levels" aria-describedby={described(d)}>
                  <legend>{s.dimensionQuestions[i]}</legend>
                  {[4, 3, 2, 1].map((v) => (
                    <label key={v}>
                      <input
                        type="radio"
                        name={`cati-${d}`}
                        value={String(v)}
                        checked={answers[d] === String(v)}
                        onChange={() => type(d, String(v))}
                      />
                      {levels[v]}
                    </label>
                  ))}
                  {err(d)}
                </fieldset>
              ))}
              <fieldset class="nps" aria-describedby={described("recommend")}>
                <legend>{s.recommendQuestion}</legend>
                {Array.from({ length: 11 }, (_, n) => (
                  <label key={n}>
                    <input
                      type="radio"
                      name="cati-recommend"
                      value={String(n)}
                      checked={answers.recommend === String(n)}
                      onChange={() => type("recommend", String(n))}
                    />
                    {n}
                  </label>
                ))}
                {err("recommend")}
              </fieldset>
              <label for="cati-comment">{s.commentQuestion}</label>
              <textarea
                id="cati-comment"
                maxLength={2000}
                value={answers.comment}
                aria-describedby={described("comment")}
                onInput={(e) => type("comment", (e.target as HTMLTextAreaElement).value)}
              />
              {err("comment")}
              <p class="hint" aria-live="polite">
                {savedAt ? s.savedAt(dateTime(savedAt, lang)) : s.notSavedYet}
              </p>
            </fieldset>
            <fieldset disabled={done} aria-describedby={described("outcome")}>
              <legend>{s.outcome}</legend>
              {err("outcome")}
              <div class="outcomes">
                {OUTCOMES.map((o) => (
                  <label key={o}>
                    <input
                      type="radio"
                      id={`cati-outcome-${o}`}
                      name="cati-outcome"
                      value={o}
                      checked={outcome === o}
                      onChange={() => setOutcome(o)}
                    />
                    {s.outcomes[o]}
                  </label>
                ))}
              </div>
            </fieldset>
            {outcome === "APPOINTMENT" && !done && (
              <>
                <label for="cati-appointment">{s.appointmentAt(shown.timeZone)}</label>
                <input
                  id="cati-appointment"
                  type="datetime-local"
                  value={appointment}
                  aria-invalid={!!fieldErrors.appointmentAt}
                  aria-describedby={described("appointmentAt")}
                  onInput={(e) => setAppointment((e.target as HTMLInputElement).value)}
                />
                {err("appointmentAt")}
              </>
            )}
            <label for="cati-note">{s.note}</label>
            <textarea
              id="cati-note"
              maxLength={1000}
              value={note}
              disabled={done}
              aria-describedby={described("note")}
              onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)}
            />
            {err("note")}
            <button type="submit" disabled={done || busy} aria-keyshortcuts="Control+Enter">
              {s.recordOutcome} <kbd>Ctrl+Enter</kbd>
            </button>
          </form>
        </div>
      )}
    </>
  );
}
