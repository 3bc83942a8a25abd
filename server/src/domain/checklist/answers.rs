//! Answers: each checked against its question's kind, and the stored JSON read back.

use std::collections::HashSet;

use super::super::ValidationError;
use super::{AnswerValue, Answers, QuestionKind};
use crate::domain::Msg;
use crate::msg;

/// Checks one answer against its question's type and range.
pub(super) fn check_answer(kind: &QuestionKind, answer: &AnswerValue) -> Result<(), Msg> {
    match (kind, answer) {
        (_, AnswerValue::NotApplicable) => Ok(()),
        (QuestionKind::YesNo { .. }, AnswerValue::Bool(_)) => Ok(()),
        (QuestionKind::Scale { min, max }, AnswerValue::Number(v)) => {
            if v.fract() == 0.0 && (*min as f64..=*max as f64).contains(v) {
                Ok(())
            } else {
                Err(msg!("whole-number-range", min = *min, max = *max))
            }
        }
        (QuestionKind::SingleChoice { options }, AnswerValue::Choice(c)) => options
            .iter()
            .any(|o| &o.code == c)
            .then_some(())
            .ok_or_else(|| msg!("answer-not-an-option", option = c)),
        (QuestionKind::MultipleChoice { options }, AnswerValue::Choices(cs)) => {
            match cs.iter().find(|c| !options.iter().any(|o| &&o.code == c)) {
                Some(c) => Err(msg!("answer-not-an-option", option = c.as_str())),
                None if cs.iter().collect::<HashSet<_>>().len() != cs.len() => Err(msg!("answer-option-twice")),
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
                Err(msg!(
                    "number-range",
                    min = min.map_or("−∞".into(), |m| m.to_string()),
                    max = max.map_or("∞".into(), |m| m.to_string())
                ))
            } else {
                Ok(())
            }
        }
        (QuestionKind::Duration { max_minutes, .. }, AnswerValue::Number(v)) => {
            if *v < 0.0 || max_minutes.is_some_and(|m| *v > m) {
                Err(msg!("answer-duration"))
            } else {
                Ok(())
            }
        }
        (QuestionKind::Text { max_length }, AnswerValue::Text(t) | AnswerValue::Choice(t)) => {
            if t.chars().count() > *max_length {
                Err(msg!("text-too-long", max = *max_length))
            } else {
                Ok(())
            }
        }
        (QuestionKind::Timestamp, AnswerValue::Timestamp(_)) => Ok(()),
        (QuestionKind::Timestamp, AnswerValue::Choice(t) | AnswerValue::Text(t)) => {
            chrono::DateTime::parse_from_rfc3339(t)
                .map(|_| ())
                .map_err(|_| msg!("answer-timestamp"))
        }
        (QuestionKind::Photo { min_count, .. }, AnswerValue::Photos(n)) => {
            if n >= min_count {
                Ok(())
            } else {
                Err(msg!("answer-photos", min = *min_count))
            }
        }
        _ => Err(msg!("answer-wrong-type")),
    }
}

/// Reads answers from JSON (`{"Q1": true, "Q2": 4, "Q3": "OPT_A", "Q4": ["A", "B"], "Q5": {"na": true}}`).
pub fn parse_answers(json: &serde_json::Value) -> Result<Answers, ValidationError> {
    let object = json
        .as_object()
        .ok_or_else(|| ValidationError::new("answers", msg!("answers-object")))?;
    let mut answers = Answers::new();
    for (code, value) in object {
        let field = format!("answers.{code}");
        let answer = match value {
            serde_json::Value::Bool(b) => AnswerValue::Bool(*b),
            serde_json::Value::Number(n) => AnswerValue::Number(
                n.as_f64()
                    .ok_or_else(|| ValidationError::new(&field, msg!("not-a-number")))?,
            ),
            serde_json::Value::String(s) => AnswerValue::Choice(s.clone()),
            serde_json::Value::Array(items) => AnswerValue::Choices(
                items
                    .iter()
                    .map(|i| {
                        i.as_str()
                            .map(str::to_string)
                            .ok_or_else(|| ValidationError::new(&field, msg!("answer-list-codes")))
                    })
                    .collect::<Result<_, _>>()?,
            ),
            serde_json::Value::Object(o) if o.get("na") == Some(&serde_json::Value::Bool(true)) => {
                AnswerValue::NotApplicable
            }
            serde_json::Value::Object(o) if o.get("photos").and_then(|p| p.as_u64()).is_some() => {
                AnswerValue::Photos(o["photos"].as_u64().unwrap_or(0).min(u64::from(u32::MAX)) as u32)
            }
            _ => return Err(ValidationError::new(&field, msg!("answer-shape"))),
        };
        answers.insert(code.clone(), answer);
    }
    Ok(answers)
}
