//! Results for clients and analysts: a wave's approved visits summed up per venue, per oblast and per question,
//! scores over waves, and the visit-level export (CSV, XLSX) streamed for waves of any size. Only approved
//! visits count; a client viewer reads only their own client's waves (another client's wave is `NOT_FOUND`),
//! and nothing here names a shopper.

mod export;
mod summary;
mod trend;

pub use export::{ExportFormat, ExportRow};
pub use summary::{RegionResult, VenueResult, WaveResults};
pub use trend::{TrendPoint, TrendRegion};

use crate::auth::Actor;
use crate::checklists::Checklists;
use crate::db::Db;
use crate::domain::checklist::{parse_definition, ChecklistDefinition};
use crate::error::{AppError, AppResult};
use crate::waves::{WaveRecord, Waves};

/// The results service.
#[derive(Clone)]
pub struct Results {
    db: Db,
    waves: Waves,
    checklists: Checklists,
}

impl Results {
    pub fn new(db: Db) -> Self {
        Self {
            waves: Waves::new(db.clone()),
            checklists: Checklists::new(db.clone()),
            db,
        }
    }

    /// The wave (in the actor's scope) and its questionnaire.
    async fn wave_and_definition(&self, actor: &Actor, wave_id: &str) -> AppResult<(WaveRecord, ChecklistDefinition)> {
        let wave = self.waves.wave(actor, wave_id).await?;
        let version = self.checklists.version(actor, &wave.checklist_version_id).await?;
        let definition = parse_definition(&version.definition)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("stored checklist {}: {e}", version.id)))?;
        Ok((wave, definition))
    }
}
