//! Answers, saved progressively and merged by question code, checked against the checklist.

use crate::auth::Actor;
use crate::domain::checklist::{parse_answers, QuestionKind};
use crate::error::{AppError, AppResult};

use super::{lock_visit, VisitRecord, Visits};

impl Visits {
    /// Merges answers into the draft (`null` removes one) and checks them against the checklist version: types,
    /// ranges, no answers to hidden questions. Photo questions are answered by uploading photos.
    pub async fn save_answers(
        &self,
        actor: &Actor,
        visit_id: &str,
        answers: serde_json::Value,
    ) -> AppResult<VisitRecord> {
        let object = answers
            .as_object()
            .ok_or_else(|| AppError::bad_input("answers", crate::msg!("answers-object")))?;
        let mut tx = self.db.begin_write().await?;
        lock_visit(&mut tx, visit_id).await?;
        let visit = self.own(&mut tx, actor, visit_id).await?;
        if !visit.editable() {
            return Err(AppError::conflict(crate::msg!(
                "answers-visit-not-editable",
                state = visit.state.as_str()
            )));
        }
        let definition = self.definition(&mut tx, &visit.checklist_version_id).await?;
        let mut merged = visit.answers().as_object().cloned().unwrap_or_default();
        for (code, value) in object {
            if value.is_null() {
                merged.remove(code);
                continue;
            }
            if let Some(q) = definition.question(code) {
                if matches!(q.kind, QuestionKind::Photo { .. })
                    && value.get("na") != Some(&serde_json::Value::Bool(true))
                {
                    return Err(AppError::bad_input(
                        format!("answers.{code}"),
                        crate::msg!("answer-photo-question"),
                    ));
                }
            }
            merged.insert(code.clone(), value.clone());
        }
        let merged = serde_json::Value::Object(merged);
        let parsed = parse_answers(&merged)?;
        definition.check_answers(&parsed, false)?;
        sqlx::query("UPDATE visits SET answers = $1, updated_at = $2 WHERE id = $3")
            .bind(merged.to_string())
            .bind(self.db.now_ms())
            .bind(visit_id)
            .execute(&mut *tx)
            .await?;
        let visit = self.load(&mut tx, visit_id).await?;
        tx.commit().await?;
        Ok(visit)
    }
}
