//! What a checklist must satisfy to be published: codes, labels, fractions, question kinds, bands, the
//! values conditions compare with, and no cycles among conditions.

use std::collections::{HashMap, HashSet};

use super::{Band, ChecklistDefinition, Condition, Label, QuestionKind};
use crate::domain::Msg;
use crate::msg;

pub(super) fn check_code(code: &str) -> Result<(), Msg> {
    let ok = (1..=40).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_alphabetic())
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(msg!("checklist-code"))
    }
}

pub(super) fn check_label(label: &Label) -> Result<(), Msg> {
    if label.uk.trim().is_empty() {
        return Err(msg!("checklist-label-uk"));
    }
    if label.uk.chars().count() > 1_000 || label.en.as_ref().is_some_and(|e| e.chars().count() > 1_000) {
        return Err(msg!("text-too-long", max = 1000));
    }
    Ok(())
}

pub(super) fn check_fraction(value: f64) -> bool {
    value.is_finite() && (0.0..=1.0).contains(&value)
}

/// Checks a question's settings; errors are (sub-path, message).
pub(super) fn check_kind(kind: &QuestionKind) -> Result<(), (String, Msg)> {
    match kind {
        QuestionKind::YesNo { yes_score, no_score } => {
            if !check_fraction(*yes_score) || !check_fraction(*no_score) {
                return Err((".yesScore".into(), msg!("checklist-fraction")));
            }
        }
        QuestionKind::Scale { min, max } => {
            if min >= max || max - min > 100 {
                return Err((".max".into(), msg!("checklist-scale")));
            }
        }
        QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options } => {
            if options.len() < 2 {
                return Err((".options".into(), msg!("checklist-two-options")));
            }
            let mut seen = HashSet::new();
            for (i, o) in options.iter().enumerate() {
                check_code(&o.code).map_err(|m| (format!(".options[{i}].code"), m))?;
                if !seen.insert(&o.code) {
                    return Err((
                        format!(".options[{i}].code"),
                        msg!("checklist-duplicate-option", code = &o.code),
                    ));
                }
                check_label(&o.label).map_err(|m| (format!(".options[{i}].label"), m))?;
                if !check_fraction(o.score) {
                    return Err((format!(".options[{i}].score"), msg!("checklist-fraction")));
                }
            }
        }
        QuestionKind::Number { min, max, bands, .. } => {
            if let (Some(min), Some(max)) = (min, max) {
                if min >= max {
                    return Err((".max".into(), msg!("checklist-max-above-min")));
                }
            }
            check_bands(bands)?;
        }
        QuestionKind::Duration { bands, .. } => check_bands(bands)?,
        QuestionKind::Text { max_length } => {
            if !(1..=10_000).contains(max_length) {
                return Err((".maxLength".into(), msg!("whole-number-range", min = 1, max = 10_000)));
            }
        }
        QuestionKind::Timestamp => {}
        QuestionKind::Photo { min_count, caption } => {
            if !(1..=20).contains(min_count) {
                return Err((".minCount".into(), msg!("whole-number-range", min = 1, max = 20)));
            }
            check_label(caption).map_err(|m| (".caption".into(), m))?;
        }
    }
    Ok(())
}

pub(super) fn check_bands(bands: &[Band]) -> Result<(), (String, Msg)> {
    for (i, pair) in bands.windows(2).enumerate() {
        if pair[1].up_to <= pair[0].up_to {
            return Err((format!(".bands[{}].upTo", i + 1), msg!("checklist-bands-rise")));
        }
    }
    for (i, band) in bands.iter().enumerate() {
        if !check_fraction(band.score) {
            return Err((format!(".bands[{i}].score"), msg!("checklist-fraction")));
        }
    }
    Ok(())
}

/// `Equals` values must fit the referenced question (an existing option code, a boolean for yes/no, a number).
pub(super) fn check_condition_values(condition: &Condition, def: &ChecklistDefinition) -> Result<(), Msg> {
    match condition {
        Condition::Equals { question, value } => {
            let Some(q) = def.question(question) else {
                return Err(msg!("checklist-unknown-question", question = question));
            };
            let fits = match (&q.kind, value) {
                (QuestionKind::YesNo { .. }, serde_json::Value::Bool(_)) => true,
                (
                    QuestionKind::Scale { .. } | QuestionKind::Number { .. } | QuestionKind::Duration { .. },
                    serde_json::Value::Number(_),
                ) => true,
                (kind, serde_json::Value::String(code)) if kind.options().is_some() => {
                    kind.options().is_some_and(|os| os.iter().any(|o| &o.code == code))
                }
                (QuestionKind::Text { .. }, serde_json::Value::String(_)) => true,
                _ => false,
            };
            if fits {
                Ok(())
            } else {
                Err(msg!(
                    "checklist-value-not-answer",
                    value = value.to_string(),
                    question = question
                ))
            }
        }
        Condition::Answered { .. } => Ok(()),
        Condition::All(list) | Condition::Any(list) => list.iter().try_for_each(|c| check_condition_values(c, def)),
        Condition::Not(inner) => check_condition_values(inner, def),
    }
}

/// A cycle in "question → questions its visibility depends on", if any.
pub(super) fn find_cycle<'a>(edges: &HashMap<&'a str, Vec<&'a str>>) -> Option<Vec<&'a str>> {
    fn visit<'a>(
        node: &'a str,
        edges: &HashMap<&'a str, Vec<&'a str>>,
        state: &mut HashMap<&'a str, u8>,
        stack: &mut Vec<&'a str>,
    ) -> Option<Vec<&'a str>> {
        match state.get(node) {
            Some(2) => return None,
            Some(1) => {
                let start = stack.iter().position(|n| *n == node).unwrap_or(0);
                let mut cycle = stack[start..].to_vec();
                cycle.push(node);
                return Some(cycle);
            }
            _ => {}
        }
        state.insert(node, 1);
        stack.push(node);
        for next in edges.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, state, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        state.insert(node, 2);
        None
    }
    let mut state = HashMap::new();
    let mut nodes: Vec<&&str> = edges.keys().collect();
    nodes.sort();
    for node in nodes {
        if let Some(cycle) = visit(node, edges, &mut state, &mut Vec::new()) {
            return Some(cycle);
        }
    }
    None
}
