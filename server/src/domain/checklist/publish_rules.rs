//! What a checklist must satisfy to be published: codes, labels, fractions, question kinds, bands, the
//! values conditions compare with, and no cycles among conditions.

use std::collections::{HashMap, HashSet};

use super::{Band, ChecklistDefinition, Condition, Label, QuestionKind};

pub(super) fn check_code(code: &str) -> Result<(), String> {
    let ok = (1..=40).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_alphabetic())
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ok {
        Ok(())
    } else {
        Err("must be 1–40 letters, digits or _, starting with a letter".into())
    }
}

pub(super) fn check_label(label: &Label) -> Result<(), String> {
    if label.uk.trim().is_empty() {
        return Err("needs a Ukrainian text (uk)".into());
    }
    if label.uk.chars().count() > 1_000 || label.en.as_ref().is_some_and(|e| e.chars().count() > 1_000) {
        return Err("must be at most 1000 characters".into());
    }
    Ok(())
}

pub(super) fn check_fraction(value: f64) -> bool {
    value.is_finite() && (0.0..=1.0).contains(&value)
}

/// Checks a question's settings; errors are (sub-path, message).
pub(super) fn check_kind(kind: &QuestionKind) -> Result<(), (String, String)> {
    match kind {
        QuestionKind::YesNo { yes_score, no_score } => {
            if !check_fraction(*yes_score) || !check_fraction(*no_score) {
                return Err((".yesScore".into(), "scores are fractions from 0 to 1".into()));
            }
        }
        QuestionKind::Scale { min, max } => {
            if min >= max || max - min > 100 {
                return Err((
                    ".max".into(),
                    "a scale needs min < max (at most 100 steps), e.g. 1–5 or 1–10".into(),
                ));
            }
        }
        QuestionKind::SingleChoice { options } | QuestionKind::MultipleChoice { options } => {
            if options.len() < 2 {
                return Err((".options".into(), "a choice needs at least two options".into()));
            }
            let mut seen = HashSet::new();
            for (i, o) in options.iter().enumerate() {
                check_code(&o.code).map_err(|m| (format!(".options[{i}].code"), m))?;
                if !seen.insert(&o.code) {
                    return Err((
                        format!(".options[{i}].code"),
                        format!("duplicate option code {}", o.code),
                    ));
                }
                check_label(&o.label).map_err(|m| (format!(".options[{i}].label"), m))?;
                if !check_fraction(o.score) {
                    return Err((
                        format!(".options[{i}].score"),
                        "scores are fractions from 0 to 1".into(),
                    ));
                }
            }
        }
        QuestionKind::Number { min, max, bands, .. } => {
            if let (Some(min), Some(max)) = (min, max) {
                if min >= max {
                    return Err((".max".into(), "must be more than min".into()));
                }
            }
            check_bands(bands)?;
        }
        QuestionKind::Duration { bands, .. } => check_bands(bands)?,
        QuestionKind::Text { max_length } => {
            if !(1..=10_000).contains(max_length) {
                return Err((".maxLength".into(), "must be 1 to 10000".into()));
            }
        }
        QuestionKind::Timestamp => {}
        QuestionKind::Photo { min_count, caption } => {
            if !(1..=20).contains(min_count) {
                return Err((".minCount".into(), "must be 1 to 20".into()));
            }
            check_label(caption).map_err(|m| (".caption".into(), m))?;
        }
    }
    Ok(())
}

pub(super) fn check_bands(bands: &[Band]) -> Result<(), (String, String)> {
    for (i, pair) in bands.windows(2).enumerate() {
        if pair[1].up_to <= pair[0].up_to {
            return Err((format!(".bands[{}].upTo", i + 1), "bands must rise".into()));
        }
    }
    for (i, band) in bands.iter().enumerate() {
        if !check_fraction(band.score) {
            return Err((format!(".bands[{i}].score"), "scores are fractions from 0 to 1".into()));
        }
    }
    Ok(())
}

/// `Equals` values must fit the referenced question (an existing option code, a boolean for yes/no, a number).
pub(super) fn check_condition_values(condition: &Condition, def: &ChecklistDefinition) -> Result<(), String> {
    match condition {
        Condition::Equals { question, value } => {
            let Some(q) = def.question(question) else {
                return Err(format!("refers to unknown question {question}"));
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
                Err(format!("the value {value} cannot be an answer to {question}"))
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
