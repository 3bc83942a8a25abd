//! Per-request memo of records many list items share: a page of 30 tasks in 2 waves reads each wave and each
//! questionnaire once, not 30 times (async-graphql resolves the items concurrently, so the first resolver of
//! a key loads it and the others wait for that load). Kept for one request only, so it can never serve stale
//! data or another user's: every load still goes through the service's own permission check.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

use crate::checklists::VersionRecord;
use crate::error::AppError;
use crate::waves::WaveRecord;

/// Records loaded once per key.
pub struct Memo<T> {
    cells: Mutex<HashMap<String, Arc<OnceCell<T>>>>,
}

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Self {
            cells: Mutex::new(HashMap::new()),
        }
    }
}

impl<T: Clone> Memo<T> {
    /// The record for `key`, loaded by `load` the first time it is asked for (an error is not kept: the next
    /// resolver tries again and gets its own error).
    pub async fn get<F, Fut>(&self, key: &str, load: F) -> Result<T, AppError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, AppError>>,
    {
        let cell = {
            let mut cells = self.cells.lock().unwrap_or_else(|e| e.into_inner());
            cells.entry(key.to_string()).or_default().clone()
        };
        cell.get_or_try_init(load).await.cloned()
    }
}

/// The memos of one GraphQL request.
#[derive(Default)]
pub struct RequestMemo {
    pub waves: Memo<WaveRecord>,
    pub checklist_versions: Memo<VersionRecord>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn concurrent_askers_share_one_load_and_errors_are_not_kept() {
        let memo: Memo<u32> = Memo::default();
        let loads = AtomicUsize::new(0);
        let load = || async {
            loads.fetch_add(1, Ordering::SeqCst);
            tokio::task::yield_now().await;
            Ok(7)
        };
        let (a, b, c) = tokio::join!(memo.get("w", load), memo.get("w", load), memo.get("w", load));
        assert_eq!((a.unwrap(), b.unwrap(), c.unwrap()), (7, 7, 7));
        assert_eq!(loads.load(Ordering::SeqCst), 1);
        assert_eq!(memo.get("other", load).await.unwrap(), 7);
        assert_eq!(loads.load(Ordering::SeqCst), 2);

        let failed = memo
            .get("bad", || async { Err::<u32, _>(AppError::NotFound("wave")) })
            .await;
        assert!(failed.is_err());
        assert_eq!(memo.get("bad", || async { Ok(1) }).await.unwrap(), 1);
    }
}
