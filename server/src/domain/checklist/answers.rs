//! Answers: each checked against its question's kind, and the stored JSON read back.

use std::collections::HashSet;

use super::super::ValidationError;
use super::{AnswerValue, Answers, QuestionKind};

/// Checks one answer against its question's type and range.
pub(super) fn check_answer(kind: &QuestionKind, answer: &AnswerValue) -> Result<(), String> {
    match (kind, answer) {
        (_, AnswerValue::NotApplicable) => Ok(()),
        (QuestionKind::YesNo { .. }, AnswerValue::Bool(_)) => Ok(()),
        (QuestionKind::Scale { min, max }, AnswerValue::Number(v)) => {
            if v.fract() == 0.0 && (*min as f64..=*max as f64).contains(v) {
                Ok(())
            } else {
                Err(format!("must be a whole number from {min} to {max}"))
            }
        }
        (QuestionKind::SingleChoice { options }, AnswerValue::Choice(c)) => options
            .iter()
            .any(|o| &o.code == c)
            .then_some(())
            .ok_or_else(|| format!("{c} is not one of the options")),
        (QuestionKind::MultipleChoice { options }, AnswerValue::Choices(cs)) => {
            match cs.iter().find(|c| !options.iter().any(|o| &&o.code == c)) {
                Some(c) => Err(format!("{c} is not one of the options")),
                None if cs.iter().collect::<HashSet<_>>().len() != cs.len() => Err("an option is chosen twice".into()),
                None => Ok(()),
            }
        }
        (QuestionKind::MultipleChoice { options }, AnswerValue::Choice(c)) => check_answer(
            &QuestionKind::MultipleChoice {
                options: options.clone(),
            },
            &AnswerValue::Choices(vec![c.clone()]),
        ),
        (QuestionKind::Number { min, max, .. }, AnswerValue::Number(v)) => {
            if min.is_some_and(|m| *v < m) || max.is_some_and(|m| *v > m) {
                Err(format!(
                    "must be from {} to {}",
                    min.map_or("−∞".into(), |m| m.to_string()),
                    max.map_or("∞".into(), |m| m.to_string())
                ))
            } else {
                Ok(())
            }
        }
        (QuestionKind::Duration { max_minutes, .. }, AnswerValue::Number(v)) => {
            if *v < 0.0 || max_minutes.is_some_and(|m| *v > m) {
                Err("must be minutes from 0 up to the question's maximum".into())
            } else {
                Ok(())
            }
        }
        (QuestionKind::Text { max_length }, AnswerValue::Text(t) | AnswerValue::Choice(t)) => {
            if t.chars().count() > *max_length {
                Err(format!("must be at most {max_length} characters"))
            } else {
                Ok(())
            }
        }
        (QuestionKind::Timestamp, AnswerValue::Timestamp(_)) => Ok(()),
        (QuestionKind::Timestamp, AnswerValue::Choice(t) | AnswerValue::Text(t)) => {
            chrono::DateTime::parse_from_rfc3339(t)
                .map(|_| ())
                .map_err(|_| "must be a time such as 2026-12-01T10:15:00+02:00".into())
        }
        (QuestionKind::Photo { min_count, .. }, AnswerValue::Photos(n)) => {
            if n >= min_count {
                Ok(())
            } else {
                Err(format!("needs at least {min_count} photo(s)"))
            }
        }
        _ => Err("has the wrong type for this question".into()),
    }
}

/// Reads answers from JSON (`{"Q1": true, "Q2": 4, "Q3": "OPT_A", "Q4": ["A", "B"], "Q5": {"na": true}}`).
pub fn parse_answers(json: &serde_json::Value) -> Result<Answers, ValidationError> {
    let object = json
        .as_object()
        .ok_or_else(|| ValidationError::new("answers", "must be an object of question code → answer"))?;
    let mut answers = Answers::new();
    for (code, value) in object {
        let field = format!("answers.{code}");
        let answer = match value {
            serde_json::Value::Bool(b) => AnswerValue::Bool(*b),
            serde_json::Value::Number(n) => AnswerValue::Number(
                n.as_f64()
                    .ok_or_else(|| ValidationError::new(&field, "is not a number"))?,
            ),
            serde_json::Value::String(s) => AnswerValue::Choice(s.clone()),
            serde_json::Value::Array(items) => AnswerValue::Choices(
                items
                    .iter()
                    .map(|i| {
                        i.as_str()
                            .map(str::to_string)
                            .ok_or_else(|| ValidationError::new(&field, "lists hold option codes"))
                    })
                    .collect::<Result<_, _>>()?,
            ),
            serde_json::Value::Object(o) if o.get("na") == Some(&serde_json::Value::Bool(true)) => {
                AnswerValue::NotApplicable
            }
            serde_json::Value::Object(o) if o.get("photos").and_then(|p| p.as_u64()).is_some() => {
                AnswerValue::Photos(o["photos"].as_u64().unwrap_or(0).min(u64::from(u32::MAX)) as u32)
            }
            _ => {
                return Err(ValidationError::new(
                    &field,
                    "is not an answer (true/false, number, code, list, text or {\"na\": true})",
                ))
            }
        };
        answers.insert(code.clone(), answer);
    }
    Ok(answers)
}
