// The questionnaire as the app renders it: the definition of docs/CHECKLISTS.md, and visibility and "required"
// judged exactly as the server judges them (server/src/domain/checklist: a question is hidden when its condition
// fails or when a question its condition depends on is hidden; hidden questions take no answer and are not
// required; any question may be answered N/A).
import type { Lang } from "./language";

export type Label = { uk: string; en?: string };
export type Condition =
  | { equals: { question: string; value: unknown } }
  | { answered: { question: string } }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export interface Option {
  code: string;
  label: Label;
}

export interface Question {
  code: string;
  title: Label;
  type: "YES_NO" | "SCALE" | "SINGLE_CHOICE" | "MULTIPLE_CHOICE" | "NUMBER" | "DURATION" | "TEXT" | "TIMESTAMP" | "PHOTO";
  required?: boolean;
  guidance?: Label;
  visibleIf?: Condition;
  min?: number;
  max?: number;
  unit?: string;
  maxMinutes?: number;
  maxLength?: number;
  minCount?: number;
  caption?: Label;
  options?: Option[];
}

export interface Section {
  code: string;
  title: Label;
  questions: Question[];
}

export interface Definition {
  sections: Section[];
}

export type Answers = Record<string, unknown>;

export const NA = { na: true } as const;

export function isNa(answer: unknown): boolean {
  return typeof answer === "object" && answer !== null && (answer as { na?: unknown }).na === true;
}

export function label(l: Label | undefined, lang: Lang): string {
  if (!l) return "";
  return (lang === "en" && l.en) || l.uk;
}

export function questions(def: Definition): Question[] {
  return def.sections.flatMap((s) => s.questions);
}

function find(def: Definition, code: string): Question | undefined {
  return questions(def).find((q) => q.code === code);
}

function refs(c: Condition, out: string[]): string[] {
  if ("equals" in c) out.push(c.equals.question);
  else if ("answered" in c) out.push(c.answered.question);
  else if ("all" in c) c.all.forEach((x) => refs(x, out));
  else if ("any" in c) c.any.forEach((x) => refs(x, out));
  else refs(c.not, out);
  return out;
}

function holds(c: Condition, answers: Answers): boolean {
  if ("answered" in c) {
    const a = answers[c.answered.question];
    return a !== undefined && !isNa(a);
  }
  if ("equals" in c) {
    const a = answers[c.equals.question];
    const v = c.equals.value;
    if (Array.isArray(a)) return typeof v === "string" && a.includes(v);
    if (a === undefined || isNa(a)) return false;
    return typeof a === typeof v && a === v;
  }
  if ("all" in c) return c.all.every((x) => holds(x, answers));
  if ("any" in c) return c.any.some((x) => holds(x, answers));
  return !holds(c.not, answers);
}

export function isVisible(def: Definition, code: string, answers: Answers, depth = 0): boolean {
  if (depth > 64) return false;
  const q = find(def, code);
  if (!q) return false;
  if (!q.visibleIf) return true;
  return refs(q.visibleIf, []).every((r) => isVisible(def, r, answers, depth + 1)) && holds(q.visibleIf, answers);
}

/**
 * Answers that an answer change has hidden: the server refuses answers to hidden questions, so they are removed
 * (sent as `null`) with the change.
 */
export function hiddenAnswers(def: Definition, answers: Answers): string[] {
  return Object.keys(answers).filter((code) => !isVisible(def, code, answers));
}

/** Visible required questions still without an answer (photo questions count their photos). */
export function missing(def: Definition, answers: Answers, photoCount: (code: string) => number): Question[] {
  return questions(def).filter((q) => {
    if (!q.required || !isVisible(def, q.code, answers)) return false;
    if (isNa(answers[q.code])) return false;
    if (q.type === "PHOTO") return photoCount(q.code) < Math.max(1, q.minCount ?? 1);
    const a = answers[q.code];
    return a === undefined || a === "" || (Array.isArray(a) && a.length === 0);
  });
}

/** How far the checklist is: answered visible questions of all visible ones. */
export function progress(def: Definition, answers: Answers, photoCount: (code: string) => number): [number, number] {
  const shown = questions(def).filter((q) => isVisible(def, q.code, answers));
  const done = shown.filter((q) => (q.type === "PHOTO" ? photoCount(q.code) > 0 || isNa(answers[q.code]) : answers[q.code] !== undefined));
  return [done.length, shown.length];
}
