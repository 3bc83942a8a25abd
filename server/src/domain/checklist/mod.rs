//! Checklists: the questionnaire a shopper fills at a venue, its validation on publish, conditional visibility,
//! answer checking and the visit score. Pure: no I/O.
//!
//! # Scoring
//!
//! Each question has a `weight` (≥ 0); each answer earns a fraction `s` from 0 to 1:
//! yes/no → `yesScore`/`noScore` (default 1 and 0); scale `min..max` → `(v − min)/(max − min)`;
//! single choice → the option's `score`; multiple choice → the sum of the chosen options' scores, at most 1;
//! number and duration → the first band whose `upTo` is ≥ the value (no bands: not scored). Text, timestamp and
//! photo questions carry no weight.
//!
//! The visit score is `100 · Σ(w·s) / Σ(w)` over the questions that are visible, scored and answered with
//! something other than "not applicable" (N/A answers leave the denominator). No such question → no score.
//!
//! Worked example: Q1 yes/no, weight 2, answered yes (s = 1); Q2 scale 1–5, weight 1, answered 4
//! (s = 0.75); Q3 single choice, weight 1, answered N/A. Score = 100 · (2·1 + 1·0.75) / (2 + 1) = 91.67.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::ValidationError;

mod answers;
mod publish_rules;

use answers::check_answer;
pub use answers::parse_answers;
use publish_rules::*;

/// A label in Ukrainian (required) and English (optional).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    pub uk: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

/// The whole questionnaire of one checklist version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistDefinition {
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub code: String,
    pub title: Label,
    pub questions: Vec<Question>,
}

/// (Unknown keys in a question are ignored: serde cannot deny them beside the flattened type settings.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Question {
    /// Unique in the checklist; answers and conditions refer to it.
    pub code: String,
    pub title: Label,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guidance: Option<Label>,
    #[serde(flatten)]
    pub kind: QuestionKind,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub weight: f64,
    /// Shown only when this holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible_if: Option<Condition>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ChoiceOption {
    pub code: String,
    pub label: Label,
    /// Fraction 0–1 earned by choosing it.
    #[serde(default)]
    pub score: f64,
}

/// A band of a number/duration question: values up to `upTo` earn `score`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Band {
    pub up_to: f64,
    pub score: f64,
}

/// The type of a question, with its own settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "SCREAMING_SNAKE_CASE", rename_all_fields = "camelCase")]
pub enum QuestionKind {
    YesNo {
        #[serde(default = "one")]
        yes_score: f64,
        #[serde(default)]
        no_score: f64,
    },
    Scale {
        min: i64,
        max: i64,
    },
    SingleChoice {
        options: Vec<ChoiceOption>,
    },
    MultipleChoice {
        options: Vec<ChoiceOption>,
    },
    Number {
        #[serde(default)]
        min: Option<f64>,
        #[serde(default)]
        max: Option<f64>,
        #[serde(default)]
        unit: Option<String>,
        #[serde(default)]
        bands: Vec<Band>,
    },
    /// Minutes (e.g. waiting in the queue).
    Duration {
        #[serde(default)]
        max_minutes: Option<f64>,
        #[serde(default)]
        bands: Vec<Band>,
    },
    Text {
        #[serde(default = "default_text_len")]
        max_length: usize,
    },
    Timestamp,
    /// Required photo evidence: at least `minCount` photos, captioned for the shopper.
    Photo {
        #[serde(default = "one_count")]
        min_count: u32,
        caption: Label,
    },
}

fn one() -> f64 {
    1.0
}
fn one_count() -> u32 {
    1
}
fn default_text_len() -> usize {
    2_000
}

impl QuestionKind {
    /// The `type` the definition names it by (`YES_NO`, `SCALE`, …).
    pub fn type_name(&self) -> &'static str {
        match self {
            QuestionKind::YesNo { .. } => "YES_NO",
            QuestionKind::Scale { .. } => "SCALE",
            QuestionKind::SingleChoice { .. } => "SINGLE_CHOICE",
            QuestionKind::MultipleChoice { .. } => "MULTIPLE_CHOICE",
            QuestionKind::Number { .. } => "NUMBER",
            QuestionKind::Duration { .. } => "DURATION",
            QuestionKind::Text { .. } => "TEXT",
            QuestionKind::Timestamp => "TIMESTAMP",
            QuestionKind::Photo { .. } => "PHOTO",
        }
    }

    fn scored(&self) -> bool {
        match self {
            QuestionKind::YesNo { .. }
            | QuestionKind::Scale { .. }
            | QuestionKind::SingleChoice { .. }
            | QuestionKind::MultipleChoice { .. } => true,
            QuestionKind::Number { bands, .. } | QuestionKind::Duration { bands, .. } => !bands.is_empty(),
            QuestionKind::Text { .. } | QuestionKind::Timestamp | QuestionKind::Photo { .. } => false,
        }
    }

    fn options(&self) -> Option<&[ChoiceOption]> {
        match self {
            QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options } => Some(options),
            _ => None,
        }
    }
}

/// When a question is shown. Nest `all`/`any`/`not` for compound rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum Condition {
    /// The question's answer equals the value (`true`/`false`, a number, or an option code; for a multiple
    /// choice, the option is among those chosen).
    Equals {
        question: String,
        value: serde_json::Value,
    },
    /// The question was answered with anything but N/A.
    Answered {
        question: String,
    },
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
}

impl Condition {
    fn questions<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Condition::Equals { question, .. } | Condition::Answered { question } => out.push(question),
            Condition::All(list) | Condition::Any(list) => list.iter().for_each(|c| c.questions(out)),
            Condition::Not(inner) => inner.questions(out),
        }
    }

    fn holds(&self, answers: &Answers) -> bool {
        match self {
            Condition::Answered { question } => answers.get(question).is_some_and(|a| *a != AnswerValue::NotApplicable),
            Condition::Equals { question, value } => match (answers.get(question), value) {
                (Some(AnswerValue::Bool(b)), serde_json::Value::Bool(v)) => b == v,
                (Some(AnswerValue::Number(n)), serde_json::Value::Number(v)) => v.as_f64() == Some(*n),
                (Some(AnswerValue::Choice(c)), serde_json::Value::String(v)) => c == v,
                (Some(AnswerValue::Choices(cs)), serde_json::Value::String(v)) => cs.contains(v),
                (Some(AnswerValue::Text(t)), serde_json::Value::String(v)) => t == v,
                _ => false,
            },
            Condition::All(list) => list.iter().all(|c| c.holds(answers)),
            Condition::Any(list) => list.iter().any(|c| c.holds(answers)),
            Condition::Not(inner) => !inner.holds(answers),
        }
    }
}

/// One answer. JSON: `true`/`false`, a number, an option code, a list of option codes, text, an RFC 3339 time,
/// a photo count, or `{"na": true}` for "not applicable".
#[derive(Debug, Clone, PartialEq)]
pub enum AnswerValue {
    Bool(bool),
    Number(f64),
    Choice(String),
    Choices(Vec<String>),
    Text(String),
    Timestamp(String),
    Photos(u32),
    NotApplicable,
}

/// Answers by question code.
pub type Answers = HashMap<String, AnswerValue>;

/// Reads a definition from JSON; a shape error names the path of the faulty element.
pub fn parse_definition(json: &serde_json::Value) -> Result<ChecklistDefinition, ValidationError> {
    serde_path_to_error::deserialize(json.clone()).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." {
            "definition".to_string()
        } else {
            format!("definition.{path}")
        };
        ValidationError::new(
            field,
            crate::msg!("definition-shape", detail = e.into_inner().to_string()),
        )
    })
}

impl ChecklistDefinition {
    /// Every question in order with its path, e.g. `sections[1].questions[0]`.
    pub fn questions(&self) -> impl Iterator<Item = (String, &Question)> {
        self.sections.iter().enumerate().flat_map(|(s, section)| {
            section
                .questions
                .iter()
                .enumerate()
                .map(move |(q, question)| (format!("sections[{s}].questions[{q}]"), question))
        })
    }

    pub fn question(&self, code: &str) -> Option<&Question> {
        self.questions().map(|(_, q)| q).find(|q| q.code == code)
    }

    /// The rules a version must meet to be published. Errors carry the path of the faulty element.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let err =
            |path: String, message: crate::domain::Msg| ValidationError::new(format!("definition.{path}"), message);
        if self.sections.is_empty() {
            return Err(err("sections".into(), crate::msg!("checklist-no-sections")));
        }
        let mut section_codes = HashSet::new();
        for (i, section) in self.sections.iter().enumerate() {
            check_code(&section.code).map_err(|m| err(format!("sections[{i}].code"), m))?;
            if !section_codes.insert(section.code.as_str()) {
                return Err(err(
                    format!("sections[{i}].code"),
                    crate::msg!("checklist-duplicate-section", code = &section.code),
                ));
            }
            check_label(&section.title).map_err(|m| err(format!("sections[{i}].title"), m))?;
            if section.questions.is_empty() {
                return Err(err(
                    format!("sections[{i}].questions"),
                    crate::msg!("checklist-empty-section"),
                ));
            }
        }
        let mut codes: HashMap<&str, usize> = HashMap::new();
        let all: Vec<(String, &Question)> = self.questions().collect();
        for (index, (path, q)) in all.iter().enumerate() {
            check_code(&q.code).map_err(|m| err(format!("{path}.code"), m))?;
            if codes.insert(&q.code, index).is_some() {
                return Err(err(
                    format!("{path}.code"),
                    crate::msg!("checklist-duplicate-question", code = &q.code),
                ));
            }
            check_label(&q.title).map_err(|m| err(format!("{path}.title"), m))?;
            if !q.weight.is_finite() || q.weight < 0.0 {
                return Err(err(format!("{path}.weight"), crate::msg!("checklist-weight")));
            }
            if q.weight > 0.0 && !q.kind.scored() {
                return Err(err(format!("{path}.weight"), crate::msg!("checklist-weight-unscored")));
            }
            check_kind(&q.kind).map_err(|(sub, m)| err(format!("{path}{sub}"), m))?;
        }
        // Conditions: known questions, sensible values, no cycles.
        let mut edges: HashMap<&str, Vec<&str>> = HashMap::new();
        for (path, q) in &all {
            if let Some(condition) = &q.visible_if {
                let mut refs = Vec::new();
                condition.questions(&mut refs);
                for r in &refs {
                    let Some(target) = self.question(r) else {
                        return Err(err(
                            format!("{path}.visibleIf"),
                            crate::msg!("checklist-unknown-question", question = *r),
                        ));
                    };
                    if *r == q.code {
                        return Err(err(
                            format!("{path}.visibleIf"),
                            crate::msg!("checklist-self-dependent"),
                        ));
                    }
                    check_condition_values(condition, self).map_err(|m| err(format!("{path}.visibleIf"), m))?;
                    let _ = target;
                }
                edges.insert(&q.code, refs);
            }
        }
        if let Some(cycle) = find_cycle(&edges) {
            let (path, _) = all
                .iter()
                .find(|(_, q)| q.code == cycle[0])
                .expect("cycle members exist");
            return Err(err(
                format!("{path}.visibleIf"),
                crate::msg!("checklist-cycle", cycle = cycle.join(" → ")),
            ));
        }
        if all.iter().all(|(_, q)| q.weight == 0.0) {
            return Err(err("sections".into(), crate::msg!("checklist-no-weight")));
        }
        Ok(())
    }

    /// Is the question shown, given the answers so far? A question is hidden when its condition fails or when
    /// a question its condition depends on is itself hidden.
    pub fn is_visible(&self, code: &str, answers: &Answers) -> bool {
        self.visible_depth(code, answers, 0)
    }

    fn visible_depth(&self, code: &str, answers: &Answers, depth: usize) -> bool {
        if depth > 64 {
            return false;
        }
        let Some(q) = self.question(code) else { return false };
        match &q.visible_if {
            None => true,
            Some(condition) => {
                let mut refs = Vec::new();
                condition.questions(&mut refs);
                refs.iter().all(|r| self.visible_depth(r, answers, depth + 1)) && condition.holds(answers)
            }
        }
    }

    /// Checks answers against the version: known questions, types and ranges, no answers to hidden questions,
    /// and (when `complete`) every visible required question answered. Paths are `answers.<code>`.
    pub fn check_answers(&self, answers: &Answers, complete: bool) -> Result<(), ValidationError> {
        for (code, value) in answers {
            let field = format!("answers.{code}");
            let q = self
                .question(code)
                .ok_or_else(|| ValidationError::new(&field, crate::msg!("question-unknown")))?;
            if !self.is_visible(code, answers) {
                return Err(ValidationError::new(&field, crate::msg!("answer-hidden")));
            }
            check_answer(&q.kind, value).map_err(|m| ValidationError::new(&field, m))?;
        }
        if complete {
            for (_, q) in self.questions() {
                if q.required && self.is_visible(&q.code, answers) && !answers.contains_key(&q.code) {
                    return Err(ValidationError::new(
                        format!("answers.{}", q.code),
                        crate::msg!("answer-required"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Photo questions are answered by their photos: each visible photo question not marked N/A gets its photo
    /// count (`counts`, by question code) as its answer; a required one without photos is named
    /// (`answers.<code>`). Returns the answers to store for them (`{"photos": n}` by code).
    pub fn answer_photo_questions(
        &self,
        answers: &mut Answers,
        counts: &HashMap<String, u32>,
    ) -> Result<serde_json::Map<String, serde_json::Value>, ValidationError> {
        let mut stored = serde_json::Map::new();
        for (_, q) in self.questions() {
            let code = q.code.clone();
            if !matches!(q.kind, QuestionKind::Photo { .. })
                || answers.get(&code) == Some(&AnswerValue::NotApplicable)
                || !self.is_visible(&code, answers)
            {
                continue;
            }
            match counts.get(&code) {
                Some(&n) => {
                    stored.insert(code.clone(), serde_json::json!({ "photos": n }));
                    answers.insert(code, AnswerValue::Photos(n));
                }
                None if q.required => {
                    return Err(ValidationError::new(
                        format!("answers.{code}"),
                        crate::msg!("answer-photo-needed"),
                    ))
                }
                None => {}
            }
        }
        Ok(stored)
    }

    /// The visit score 0–100 (see the module docs), or `None` when nothing scored was answered.
    pub fn score(&self, answers: &Answers) -> Option<f64> {
        let (mut earned, mut possible) = (0.0, 0.0);
        for (_, q) in self.questions() {
            if q.weight == 0.0 || !self.is_visible(&q.code, answers) {
                continue;
            }
            let Some(fraction) = answers.get(&q.code).and_then(|a| fraction(&q.kind, a)) else {
                continue;
            };
            earned += q.weight * fraction;
            possible += q.weight;
        }
        (possible > 0.0).then(|| (100.0 * earned / possible * 100.0).round() / 100.0)
    }
}

/// The fraction an answer earns; `None` for N/A, unanswerable or unscored.
pub fn fraction(kind: &QuestionKind, answer: &AnswerValue) -> Option<f64> {
    match (kind, answer) {
        (_, AnswerValue::NotApplicable) => None,
        (QuestionKind::YesNo { yes_score, no_score }, AnswerValue::Bool(b)) => {
            Some(if *b { *yes_score } else { *no_score })
        }
        (QuestionKind::Scale { min, max }, AnswerValue::Number(v)) => Some((v - *min as f64) / (*max - *min) as f64),
        (QuestionKind::SingleChoice { options }, AnswerValue::Choice(c)) => {
            options.iter().find(|o| &o.code == c).map(|o| o.score)
        }
        (QuestionKind::MultipleChoice { options }, AnswerValue::Choices(cs)) => Some(
            options
                .iter()
                .filter(|o| cs.contains(&o.code))
                .map(|o| o.score)
                .sum::<f64>()
                .min(1.0),
        ),
        (QuestionKind::Number { bands, .. } | QuestionKind::Duration { bands, .. }, AnswerValue::Number(v))
            if !bands.is_empty() =>
        {
            Some(bands.iter().find(|b| *v <= b.up_to).map_or(0.0, |b| b.score))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A message as an English reader sees it.
    fn en(m: &crate::domain::Msg) -> String {
        crate::i18n::render(crate::domain::Language::En, m)
    }
    use serde_json::json;

    /// The truth table the shoppers' app is checked against too (web/tests/checklist.test.mjs).
    #[test]
    fn visibility_follows_the_shared_truth_table() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/checklists/visibility.json"
        );
        let table: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let def = parse_definition(&table["definition"]).unwrap();
        def.validate().unwrap();
        for case in table["cases"].as_array().unwrap() {
            let answers = parse_answers(&case["answers"]).unwrap();
            let shown: Vec<String> = def
                .questions()
                .map(|(_, q)| q.code.clone())
                .filter(|code| def.is_visible(code, &answers))
                .collect();
            let expected: Vec<String> = serde_json::from_value(case["visible"].clone()).unwrap();
            assert_eq!(shown, expected, "answers {}", case["answers"]);
        }
    }

    fn cnap_checklist() -> serde_json::Value {
        json!({ "sections": [
            { "code": "ARRIVAL", "title": { "uk": "Прибуття", "en": "Arrival" }, "questions": [
                { "code": "Q_SIGN", "title": { "uk": "Чи є вивіска?" }, "type": "YES_NO", "required": true, "weight": 2 },
                { "code": "Q_COURTESY", "title": { "uk": "Ввічливість" }, "type": "SCALE", "min": 1, "max": 5, "weight": 1, "required": true },
                { "code": "Q_QUEUE", "title": { "uk": "Як довго чекали?" }, "type": "DURATION", "maxMinutes": 240,
                  "bands": [{ "upTo": 10, "score": 1 }, { "upTo": 20, "score": 0.5 }], "weight": 1 },
                { "code": "Q_QUEUE_PHOTO", "title": { "uk": "Фото табло черги" }, "type": "PHOTO", "minCount": 1,
                  "caption": { "uk": "табло черги", "en": "queue display" },
                  "visibleIf": { "answered": { "question": "Q_QUEUE" } } },
                { "code": "Q_SERVICE", "title": { "uk": "Послуга" }, "type": "SINGLE_CHOICE", "weight": 1, "options": [
                    { "code": "DONE", "label": { "uk": "Надано" }, "score": 1 },
                    { "code": "REFUSED", "label": { "uk": "Відмовлено" }, "score": 0 } ] },
                { "code": "Q_REFUSAL_REASON", "title": { "uk": "Причина відмови" }, "type": "TEXT", "required": true,
                  "visibleIf": { "equals": { "question": "Q_SERVICE", "value": "REFUSED" } } }
            ]}
        ]})
    }

    fn answers(json: serde_json::Value) -> Answers {
        parse_answers(&json).unwrap()
    }

    #[test]
    fn photo_questions_are_answered_by_their_photos() {
        let mut def_json = cnap_checklist();
        def_json["sections"][0]["questions"][3]["required"] = json!(true);
        let def = parse_definition(&def_json).unwrap();
        let counts = |n: u32| HashMap::from([("Q_QUEUE_PHOTO".to_string(), n)]);
        // Visible (the queue was answered) and required: its photos answer it, and none is named.
        let mut a = answers(json!({ "Q_QUEUE": 12 }));
        let stored = def.answer_photo_questions(&mut a, &counts(2)).unwrap();
        assert_eq!(stored["Q_QUEUE_PHOTO"], json!({ "photos": 2 }));
        assert_eq!(a["Q_QUEUE_PHOTO"], AnswerValue::Photos(2));
        let err = def
            .answer_photo_questions(&mut answers(json!({ "Q_QUEUE": 12 })), &HashMap::new())
            .unwrap_err();
        assert_eq!(err.field, "answers.Q_QUEUE_PHOTO");
        // Hidden, or marked not applicable: nothing is asked of it.
        let hidden = def
            .answer_photo_questions(&mut answers(json!({})), &HashMap::new())
            .unwrap();
        assert!(hidden.is_empty());
        let mut na = answers(json!({ "Q_QUEUE": 12, "Q_QUEUE_PHOTO": { "na": true } }));
        assert!(def.answer_photo_questions(&mut na, &counts(1)).unwrap().is_empty());
    }

    #[test]
    fn a_realistic_checklist_validates() {
        let def = parse_definition(&cnap_checklist()).unwrap();
        def.validate().unwrap();
        assert_eq!(def.questions().count(), 6);
    }

    #[test]
    fn the_worked_example_from_the_docs() {
        let def = parse_definition(
            &json!({ "sections": [{ "code": "S", "title": { "uk": "С" }, "questions": [
                { "code": "Q1", "title": { "uk": "1" }, "type": "YES_NO", "weight": 2 },
                { "code": "Q2", "title": { "uk": "2" }, "type": "SCALE", "min": 1, "max": 5, "weight": 1 },
                { "code": "Q3", "title": { "uk": "3" }, "type": "SINGLE_CHOICE", "weight": 1, "options": [
                    { "code": "A", "label": { "uk": "а" }, "score": 1 }, { "code": "B", "label": { "uk": "б" } } ] }
            ]}]}),
        )
        .unwrap();
        let score = def.score(&answers(json!({ "Q1": true, "Q2": 4, "Q3": { "na": true } })));
        assert_eq!(score, Some(91.67));
        assert_eq!(def.score(&answers(json!({ "Q3": { "na": true } }))), None);
        assert_eq!(
            def.score(&answers(json!({ "Q1": false, "Q2": 1, "Q3": "B" }))),
            Some(0.0)
        );
        assert_eq!(
            def.score(&answers(json!({ "Q1": true, "Q2": 5, "Q3": "A" }))),
            Some(100.0)
        );
    }

    #[test]
    fn hidden_questions_neither_count_nor_accept_answers() {
        let def = parse_definition(&cnap_checklist()).unwrap();
        let done = answers(json!({ "Q_SIGN": true, "Q_COURTESY": 5, "Q_SERVICE": "DONE" }));
        assert!(!def.is_visible("Q_REFUSAL_REASON", &done));
        def.check_answers(&done, true).unwrap();
        let mut with_reason = done.clone();
        with_reason.insert("Q_REFUSAL_REASON".into(), AnswerValue::Choice("грубо".into()));
        let err = def.check_answers(&with_reason, false).unwrap_err();
        assert_eq!(err.field, "answers.Q_REFUSAL_REASON");
        assert!(en(&err.message).contains("hidden"));

        // Refused: the reason becomes visible and required.
        let refused = answers(json!({ "Q_SIGN": true, "Q_COURTESY": 2, "Q_SERVICE": "REFUSED" }));
        let err = def.check_answers(&refused, true).unwrap_err();
        assert_eq!(
            (err.field.as_str(), err.message.code.as_ref()),
            ("answers.Q_REFUSAL_REASON", "answer-required")
        );
        // Queue bands: 15 minutes earns half.
        let queue = answers(json!({ "Q_SIGN": true, "Q_COURTESY": 5, "Q_QUEUE": 15, "Q_SERVICE": "DONE" }));
        // (2·1 + 1·1 + 1·0.5 + 1·1) / 5 = 90
        assert_eq!(def.score(&queue), Some(90.0));
    }

    #[test]
    fn answers_are_type_and_range_checked() {
        let def = parse_definition(&cnap_checklist()).unwrap();
        for (bad, field) in [
            (json!({ "Q_COURTESY": 6 }), "answers.Q_COURTESY"),
            (json!({ "Q_COURTESY": 2.5 }), "answers.Q_COURTESY"),
            (json!({ "Q_SIGN": "yes" }), "answers.Q_SIGN"),
            (json!({ "Q_SERVICE": "MAYBE" }), "answers.Q_SERVICE"),
            (json!({ "Q_QUEUE": -1 }), "answers.Q_QUEUE"),
            (json!({ "NOPE": 1 }), "answers.NOPE"),
        ] {
            assert_eq!(
                def.check_answers(&answers(bad.clone()), false).unwrap_err().field,
                field,
                "{bad}"
            );
        }
        assert!(parse_answers(&json!([1])).is_err());
        assert!(parse_answers(&json!({ "Q": { "x": 1 } })).is_err());
    }

    #[test]
    fn publishing_rules_name_the_faulty_element() {
        let with = |mutate: &dyn Fn(&mut serde_json::Value)| {
            let mut doc = cnap_checklist();
            mutate(&mut doc);
            parse_definition(&doc).and_then(|d| d.validate()).unwrap_err()
        };
        let e = with(&|d| d["sections"][0]["questions"][1]["code"] = json!("Q_SIGN"));
        assert_eq!(e.field, "definition.sections[0].questions[1].code");
        assert!(en(&e.message).contains("duplicate"));
        let e = with(&|d| {
            d["sections"][0]["questions"][5]["visibleIf"] = json!({ "equals": { "question": "Q_GHOST", "value": 1 } })
        });
        assert_eq!(e.field, "definition.sections[0].questions[5].visibleIf");
        assert!(en(&e.message).contains("unknown question Q_GHOST"));
        let e = with(&|d| {
            d["sections"][0]["questions"][2]["visibleIf"] = json!({ "answered": { "question": "Q_QUEUE_PHOTO" } });
        });
        assert!(en(&e.message).contains("cycle"), "{e}");
        let e = with(&|d| {
            for q in d["sections"][0]["questions"].as_array_mut().unwrap() {
                q["weight"] = json!(0);
            }
        });
        assert_eq!(e.field, "definition.sections");
        assert!(en(&e.message).contains("no score is possible"));
        let e = with(&|d| d["sections"][0]["questions"][5]["weight"] = json!(1));
        assert_eq!(e.field, "definition.sections[0].questions[5].weight");
        let e = with(&|d| d["sections"][0]["questions"][4]["options"][1]["score"] = json!(1.5));
        assert_eq!(e.field, "definition.sections[0].questions[4].options[1].score");
        let e = with(&|d| d["sections"][0]["questions"][1]["max"] = json!(1));
        assert_eq!(e.field, "definition.sections[0].questions[1].max");
        let e = with(&|d| {
            d["sections"][0]["questions"][5]["visibleIf"] =
                json!({ "equals": { "question": "Q_SERVICE", "value": "LATER" } })
        });
        assert!(en(&e.message).contains("cannot be an answer"));
        // Shape errors carry the path too.
        let e = with(&|d| d["sections"][0]["questions"][0]["type"] = json!("ESSAY"));
        assert!(e.field.starts_with("definition.sections[0].questions[0]"), "{e:?}");
        // Nested conditions work.
        let mut doc = cnap_checklist();
        doc["sections"][0]["questions"][5]["visibleIf"] = json!({ "all": [
            { "equals": { "question": "Q_SERVICE", "value": "REFUSED" } },
            { "not": { "equals": { "question": "Q_SIGN", "value": false } } } ] });
        let def = parse_definition(&doc).unwrap();
        def.validate().unwrap();
        assert!(def.is_visible(
            "Q_REFUSAL_REASON",
            &answers(json!({ "Q_SERVICE": "REFUSED", "Q_SIGN": true }))
        ));
        assert!(!def.is_visible(
            "Q_REFUSAL_REASON",
            &answers(json!({ "Q_SERVICE": "REFUSED", "Q_SIGN": false }))
        ));
    }
}
