//! Results of a wave for its client: what each question's answers add up to over many visits, and one visit's
//! answers as the cells of an export row (one column per question, like ODK Central's exports). Pure: the
//! `results` use cases read the visits and hand their answers here.

use std::collections::BTreeMap;

use super::checklist::{fraction, AnswerValue, Answers, ChecklistDefinition, QuestionKind};

/// One question's answers over many visits.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QuestionTally {
    pub code: String,
    /// Visits where the question was shown.
    pub shown: u64,
    /// Answered with anything but N/A.
    pub answered: u64,
    pub not_applicable: u64,
    /// Sum of the fractions earned (scored questions) and how many answers earned one.
    pub earned: f64,
    pub scored: u64,
    /// Yes/no questions: how many said yes.
    pub yes: u64,
    /// Choice questions: how often each option was chosen (every option of the question, zero included).
    pub options: BTreeMap<String, u64>,
    /// Numeric answers (scale, number, duration): their sum, for the mean.
    pub sum: f64,
    pub numbers: u64,
}

impl QuestionTally {
    /// The mean fraction earned, 0–100 like visit scores, or `None` when nothing scored was answered.
    pub fn mean_score(&self) -> Option<f64> {
        (self.scored > 0).then(|| round2(100.0 * self.earned / self.scored as f64))
    }

    /// The share of yes answers 0–100, for yes/no questions.
    pub fn yes_share(&self) -> Option<f64> {
        (self.answered > 0).then(|| round2(100.0 * self.yes as f64 / self.answered as f64))
    }

    /// The mean of numeric answers.
    pub fn mean_value(&self) -> Option<f64> {
        (self.numbers > 0).then(|| round2(self.sum / self.numbers as f64))
    }
}

/// Every question's tally, in questionnaire order.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultsTally {
    pub visits: u64,
    pub questions: Vec<QuestionTally>,
}

impl ResultsTally {
    pub fn new(definition: &ChecklistDefinition) -> Self {
        let questions = definition
            .questions()
            .map(|(_, q)| QuestionTally {
                code: q.code.clone(),
                options: match &q.kind {
                    QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options } => {
                        options.iter().map(|o| (o.code.clone(), 0)).collect()
                    }
                    _ => BTreeMap::new(),
                },
                ..QuestionTally::default()
            })
            .collect();
        Self { visits: 0, questions }
    }

    /// Counts one visit's answers. Questions the visit did not see (hidden by a condition) count nowhere.
    pub fn add(&mut self, definition: &ChecklistDefinition, answers: &Answers) {
        self.visits += 1;
        for (tally, (_, question)) in self.questions.iter_mut().zip(definition.questions()) {
            if !definition.is_visible(&tally.code, answers) {
                continue;
            }
            tally.shown += 1;
            let Some(answer) = answers.get(&tally.code) else {
                continue;
            };
            if *answer == AnswerValue::NotApplicable {
                tally.not_applicable += 1;
                continue;
            }
            tally.answered += 1;
            if question.weight > 0.0 || scored_without_weight(&question.kind) {
                if let Some(f) = fraction(&question.kind, answer) {
                    tally.earned += f;
                    tally.scored += 1;
                }
            }
            match answer {
                AnswerValue::Bool(true) => tally.yes += 1,
                AnswerValue::Number(n) => {
                    tally.sum += n;
                    tally.numbers += 1;
                }
                AnswerValue::Choice(c) => {
                    if let Some(count) = tally.options.get_mut(c) {
                        *count += 1;
                    }
                }
                AnswerValue::Choices(cs) => {
                    for c in cs {
                        if let Some(count) = tally.options.get_mut(c) {
                            *count += 1;
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// Questions without weight still show how they went (a yes/no with scores, a banded number), they just do
/// not count toward the visit's score.
fn scored_without_weight(kind: &QuestionKind) -> bool {
    !matches!(
        kind,
        QuestionKind::Text { .. } | QuestionKind::Timestamp | QuestionKind::Photo { .. }
    )
}

/// One cell of an export row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Number(f64),
    Text(String),
}

/// The text written for "not applicable".
pub const NOT_APPLICABLE: &str = "N/A";

/// A visit's answer to one question as an export cell: yes/no as 1/0, numbers as numbers, option codes as
/// text (several joined with a space, as ODK does), N/A as `N/A`, photos as their count; no answer (or a
/// hidden question) is empty.
pub fn answer_cell(answer: Option<&AnswerValue>) -> Cell {
    match answer {
        None => Cell::Empty,
        Some(AnswerValue::Bool(b)) => Cell::Number(if *b { 1.0 } else { 0.0 }),
        Some(AnswerValue::Number(n)) => Cell::Number(*n),
        Some(AnswerValue::Photos(n)) => Cell::Number(f64::from(*n)),
        Some(AnswerValue::Choice(t) | AnswerValue::Text(t) | AnswerValue::Timestamp(t)) => Cell::Text(t.clone()),
        Some(AnswerValue::Choices(cs)) => Cell::Text(cs.join(" ")),
        Some(AnswerValue::NotApplicable) => Cell::Text(NOT_APPLICABLE.into()),
    }
}

/// The question columns of an export, in questionnaire order.
pub fn question_columns(definition: &ChecklistDefinition) -> Vec<String> {
    definition.questions().map(|(_, q)| q.code.clone()).collect()
}

/// Makes a text cell safe to open in a spreadsheet: a leading `=`, `+`, `-`, `@`, tab or carriage return would
/// make Excel or LibreOffice run it as a formula (CSV injection, OWASP), so such text gets a leading `'`.
pub fn spreadsheet_safe(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::checklist::{parse_answers, parse_definition};
    use serde_json::json;

    fn definition() -> ChecklistDefinition {
        parse_definition(&json!({ "sections": [{ "code": "S", "title": { "uk": "Візит" }, "questions": [
            { "code": "SIGN", "title": { "uk": "Вивіска" }, "type": "YES_NO", "weight": 2 },
            { "code": "POLITE", "title": { "uk": "Ввічливість" }, "type": "SCALE", "min": 1, "max": 5, "weight": 1 },
            { "code": "RESULT", "title": { "uk": "Результат" }, "type": "SINGLE_CHOICE", "weight": 1, "options": [
                { "code": "DONE", "label": { "uk": "Надано" }, "score": 1 },
                { "code": "REFUSED", "label": { "uk": "Відмовлено" }, "score": 0 } ] },
            { "code": "WHY", "title": { "uk": "Чому" }, "type": "TEXT",
              "visibleIf": { "equals": { "question": "RESULT", "value": "REFUSED" } } },
            { "code": "WAIT", "title": { "uk": "Чекали" }, "type": "DURATION", "weight": 1,
              "bands": [ { "upTo": 10, "score": 1 }, { "upTo": 20, "score": 0.5 } ] }
        ]}]}))
        .unwrap()
    }

    /// Three visits counted by hand: SIGN yes, no, N/A → 1 yes of 2 answered, mean 50; POLITE 5, 3, 4 → mean
    /// value 4, fractions 1, .5, .75 → 75; RESULT DONE, REFUSED, DONE; WHY shown once; WAIT 5, 15, 30 → 1, .5, 0.
    #[test]
    fn a_wave_of_three_visits_adds_up_by_hand() {
        let def = definition();
        let mut tally = ResultsTally::new(&def);
        for answers in [
            json!({ "SIGN": true, "POLITE": 5, "RESULT": "DONE", "WAIT": 5 }),
            json!({ "SIGN": false, "POLITE": 3, "RESULT": "REFUSED", "WHY": "немає бланків", "WAIT": 15 }),
            json!({ "SIGN": { "na": true }, "POLITE": 4, "RESULT": "DONE", "WAIT": 30 }),
        ] {
            tally.add(&def, &parse_answers(&answers).unwrap());
        }
        assert_eq!(tally.visits, 3);
        let q = |code: &str| tally.questions.iter().find(|q| q.code == code).unwrap().clone();
        let sign = q("SIGN");
        assert_eq!((sign.shown, sign.answered, sign.not_applicable, sign.yes), (3, 2, 1, 1));
        assert_eq!(sign.mean_score(), Some(50.0));
        assert_eq!(sign.yes_share(), Some(50.0));
        let polite = q("POLITE");
        assert_eq!(polite.mean_value(), Some(4.0));
        assert_eq!(polite.mean_score(), Some(75.0));
        let result = q("RESULT");
        assert_eq!(result.options.get("DONE"), Some(&2));
        assert_eq!(result.options.get("REFUSED"), Some(&1));
        assert_eq!(result.mean_score(), Some(66.67));
        let why = q("WHY");
        assert_eq!((why.shown, why.answered), (1, 1));
        assert_eq!(why.mean_score(), None);
        assert_eq!(q("WAIT").mean_score(), Some(50.0));
        assert_eq!(q("WAIT").mean_value(), Some(16.67));
    }

    #[test]
    fn answers_become_cells_like_odk_exports() {
        assert_eq!(answer_cell(None), Cell::Empty);
        assert_eq!(answer_cell(Some(&AnswerValue::Bool(true))), Cell::Number(1.0));
        assert_eq!(
            answer_cell(Some(&AnswerValue::Choices(vec!["A".into(), "B".into()]))),
            Cell::Text("A B".into())
        );
        assert_eq!(answer_cell(Some(&AnswerValue::NotApplicable)), Cell::Text("N/A".into()));
        assert_eq!(answer_cell(Some(&AnswerValue::Photos(2))), Cell::Number(2.0));
        assert_eq!(
            question_columns(&definition()),
            ["SIGN", "POLITE", "RESULT", "WHY", "WAIT"]
        );
    }

    #[test]
    fn formulas_are_defused() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("-1"), "'-1");
        assert_eq!(spreadsheet_safe("Черга 5 хв"), "Черга 5 хв");
    }
}
