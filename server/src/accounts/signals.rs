//! Signals that one person may hold several accounts: the same payout account (IBAN), the same phone number, or
//! the same phone (the app's device id at check-in) on other shopper accounts. Shown to coordinators on the
//! shopper and on their visits; never to shoppers, and never an automatic refusal (families share a phone).

use super::Accounts;
use crate::domain::{ShopperSignal, SignalCode};
use crate::error::AppResult;

impl Accounts {
    /// The other accounts this shopper shares a payout account, phone number or device with.
    pub async fn signals(&self, shopper_id: &str) -> AppResult<Vec<ShopperSignal>> {
        let mut conn = self.db.pool().acquire().await?;
        let mut out = Vec::new();
        for (code, sql) in [
            (
                SignalCode::SharedPayoutAccount,
                "SELECT o.user_id FROM shopper_profiles me JOIN shopper_profiles o ON o.iban = me.iban \
                 WHERE me.user_id = $1 AND o.user_id <> $1 ORDER BY o.user_id LIMIT 50",
            ),
            (
                SignalCode::SharedPhone,
                "SELECT o.user_id FROM shopper_profiles me JOIN shopper_profiles o ON o.phone = me.phone \
                 WHERE me.user_id = $1 AND o.user_id <> $1 ORDER BY o.user_id LIMIT 50",
            ),
            (
                SignalCode::SharedDevice,
                "SELECT DISTINCT o.shopper_id FROM checkin_attempts me JOIN checkin_attempts o \
                 ON o.device_id = me.device_id WHERE me.shopper_id = $1 AND me.device_id IS NOT NULL \
                 AND o.shopper_id <> $1 ORDER BY o.shopper_id LIMIT 50",
            ),
        ] {
            let others: Vec<String> = sqlx::query_scalar(sql).bind(shopper_id).fetch_all(&mut *conn).await?;
            if let Some(signal) = ShopperSignal::new(code, others) {
                out.push(signal);
            }
        }
        Ok(out)
    }
}
