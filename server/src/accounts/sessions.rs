//! Login, logout, password changes, and turning a bearer token into an [`Actor`].
//!
//! Tokens are opaque random strings; the server stores their SHA-256 with an expiry, so any application server
//! can check them and revoking one is a single UPDATE.
//!
//! Throttling (OWASP's authentication cheat sheet: delays, not lockouts a stranger can trigger): every attempt
//! is written to the database and committed *before* the password is checked, then counted, so parallel
//! attempts cannot slip past the count. Per account *and* client address, the first
//! `auth.max_failures_per_account` failures in the window are free; after that each further attempt must wait
//! `login_delay_base_secs`, doubling with every failure, up to the window. Someone guessing from one address
//! thus slows only that address; the owner logging in from their own phone is not affected. Beyond that, one
//! address may fail `max_failures_per_ip` times in the window (one address trying many accounts), and one account
//! `max_failures_per_account_all_addresses` times from all addresses together (a distributed attack). A success
//! clears the pair's attempts.
//!
//! Device cookies (OWASP's "slow down online guessing attacks with device cookies"): a successful login gives the
//! browser a signed cookie naming the account (`fw_login`, HttpOnly). A later attempt that brings it for that
//! account is counted per device instead of per address, and the all-addresses limit does not apply to it: a
//! stranger guessing from many addresses cannot lock the owner's own browser out, and guesses from the owner's
//! network do not slow the owner down either.

use super::{Accounts, UserRecord};
use crate::audit::audit;
use crate::auth::{token, Actor};
use crate::db::new_id;
use crate::domain::{Password, Role, UserStatus};
use crate::error::{AppError, AppResult};

/// Where a request came from.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub ip: String,
    pub user_agent: Option<String>,
    /// The browser's login device cookie (`fw_login`), if it sent one.
    pub login_device: Option<String>,
}

/// The cookie naming a browser that logged in.
pub const LOGIN_DEVICE_COOKIE: &str = "fw_login";

/// A successful login.
#[derive(Debug, Clone)]
pub struct LoginResult {
    pub token: String,
    pub expires_at: i64,
    pub user: UserRecord,
    /// A device cookie value for the browser, when it brought none for this account.
    pub device_cookie: Option<String>,
}

impl Accounts {
    pub async fn login(&self, email: &str, password_text: &str, client: &ClientInfo) -> AppResult<LoginResult> {
        let email = email.trim().to_lowercase();
        if email.is_empty() || email.len() > 254 {
            return Err(AppError::bad_input("email", crate::msg!("login-email-needed")));
        }
        if password_text.is_empty() || password_text.chars().count() > Password::MAX {
            return Err(AppError::Unauthenticated(crate::msg!("login-wrong")));
        }
        let device = client
            .login_device
            .as_deref()
            .and_then(|cookie| self.login_device(cookie, &email));
        // The throttling subject: the known device, or else the address.
        let subject = match &device {
            Some(id) => format!("device:{id}"),
            None => client.ip.clone(),
        };
        let attempt = self.begin_login_attempt(&email, &subject, device.is_some()).await?;
        let checked = async {
            let row: Option<(String, String)> = sqlx::query_as("SELECT id, password_hash FROM users WHERE email = $1")
                .bind(&email)
                .fetch_optional(self.db.pool())
                .await?;
            let (user_id, stored) = match row {
                Some((id, hash)) => (Some(id), Some(hash)),
                None => (None, None),
            };
            let ok = self.hasher.verify(password_text.to_string(), stored).await?;
            AppResult::Ok(user_id.filter(|_| ok))
        }
        .await;
        let user_id = match checked {
            Ok(Some(user_id)) => user_id,
            // The attempt's row stays: it is the failure on record.
            Ok(None) => {
                sqlx::query("UPDATE login_failures SET pending = 0 WHERE id = $1")
                    .bind(&attempt)
                    .execute(self.db.pool())
                    .await?;
                return Err(AppError::Unauthenticated(crate::msg!("login-wrong")));
            }
            // The password was not checked (busy, or the database failed): the attempt does not count.
            Err(err) => {
                self.forget_login_attempt(&attempt).await;
                return Err(err);
            }
        };
        let user = self.user(&user_id).await?;
        if user.status == UserStatus::Suspended {
            return Err(AppError::Forbidden(crate::msg!("account-suspended")));
        }
        let secret = token::generate("fws_");
        let now = self.db.now_ms();
        let expires_at = now + self.settings.auth.session_ttl_hours as i64 * 3_600_000;
        let mut tx = self.db.begin_write().await?;
        sqlx::query(
            "INSERT INTO sessions (id, user_id, token_hash, created_at, expires_at, ip, user_agent) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(new_id())
        .bind(&user_id)
        .bind(token::digest(&secret))
        .bind(now)
        .bind(expires_at)
        .bind(&client.ip)
        .bind(
            client
                .user_agent
                .as_deref()
                .map(|ua| ua.chars().take(300).collect::<String>()),
        )
        .execute(&mut *tx)
        .await?;
        // A success clears this account's attempts from this address or device (not those from elsewhere).
        sqlx::query("DELETE FROM login_failures WHERE email = $1 AND ip = $2")
            .bind(&email)
            .bind(&subject)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(LoginResult {
            token: secret,
            expires_at,
            user,
            device_cookie: device.is_none().then(|| self.new_login_device(&email)),
        })
    }

    fn device_mac(&self, email: &str, id: &str) -> hmac::Hmac<sha2::Sha256> {
        use hmac::Mac as _;
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&self.device_key).expect("HMAC takes any key length");
        mac.update(b"login-device\n");
        mac.update(email.as_bytes());
        mac.update(b"\n");
        mac.update(id.as_bytes());
        mac
    }

    /// A device cookie value for a browser that just logged in to this account: `<id>.<signature>`.
    fn new_login_device(&self, email: &str) -> String {
        use hmac::Mac as _;
        let id = hex::encode(rand::random::<[u8; 12]>());
        let signature = self.device_mac(email, &id).finalize().into_bytes();
        format!("{id}.{}", hex::encode(&signature[..16]))
    }

    /// The device id in a cookie value, if the cookie was made for this account.
    fn login_device(&self, cookie: &str, email: &str) -> Option<String> {
        use hmac::Mac as _;
        let (id, signature) = cookie.trim().split_once('.')?;
        let signature = hex::decode(signature).ok().filter(|s| s.len() == 16)?;
        if id.len() != 24 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.device_mac(email, id)
            .verify_truncated_left(&signature)
            .ok()
            .map(|_| id.to_string())
    }

    /// Records an attempt (committed), then decides whether it may go on to the password check; a refused
    /// attempt is removed again, so waiting it out is enough. `ip` is the throttling subject: the client's
    /// address, or `device:<id>` for a browser with a device cookie of this account (`known_device`), which the
    /// all-addresses limit does not hold back.
    async fn begin_login_attempt(&self, email: &str, ip: &str, known_device: bool) -> AppResult<String> {
        let auth = &self.settings.auth;
        let now = self.db.now_ms();
        let window_ms = auth.failure_window_minutes as i64 * 60_000;
        let since = now - window_ms;
        let id = new_id();
        sqlx::query("INSERT INTO login_failures (id, email, ip, at, pending) VALUES ($1, $2, $3, $4, 1)")
            .bind(&id)
            .bind(email)
            .bind(ip)
            .bind(now)
            .execute(self.db.pool())
            .await?;
        let (pair, latest_other): (i64, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*), MAX(CASE WHEN id <> $3 THEN at END) FROM login_failures \
             WHERE email = $1 AND ip = $2 AND at > $4",
        )
        .bind(email)
        .bind(ip)
        .bind(&id)
        .bind(since)
        .fetch_one(self.db.pool())
        .await?;
        let from_ip: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM login_failures WHERE ip = $1 AND at > $2 AND (pending = 0 OR id = $3)",
        )
        .bind(ip)
        .bind(since)
        .bind(&id)
        .fetch_one(self.db.pool())
        .await?;
        let for_account: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE email = $1 AND at > $2")
            .bind(email)
            .bind(since)
            .fetch_one(self.db.pool())
            .await?;
        let refusal = login_refusal(
            LoginCounts {
                earlier_from_pair: pair - 1,
                latest_other_at: latest_other,
                from_ip,
                // The owner's own browser is not held back by strangers' guesses from elsewhere.
                for_account: if known_device { 0 } else { for_account },
            },
            auth,
            now,
        );
        if let Some(err) = refusal {
            self.forget_login_attempt(&id).await;
            return Err(err);
        }
        Ok(id)
    }

    async fn forget_login_attempt(&self, id: &str) {
        let removed = sqlx::query("DELETE FROM login_failures WHERE id = $1")
            .bind(id)
            .execute(self.db.pool())
            .await;
        if let Err(err) = removed {
            tracing::warn!(error = ?err, "removing a login attempt failed");
        }
    }

    /// The actor behind a bearer token, if the token is valid, unexpired, unrevoked and its user active.
    pub async fn authenticate(&self, secret: &str) -> AppResult<Option<Actor>> {
        #[derive(sqlx::FromRow)]
        struct SessionRow {
            session_id: String,
            user_id: String,
            role: String,
            email_verified_at: Option<i64>,
            client_id: Option<String>,
        }
        let row: Option<SessionRow> = sqlx::query_as(
            "SELECT s.id AS session_id, u.id AS user_id, u.role, u.email_verified_at, u.client_id FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND u.status = 'ACTIVE'",
        )
        .bind(token::digest(secret))
        .bind(self.db.now_ms())
        .fetch_optional(self.db.pool())
        .await?;
        let Some(r) = row else { return Ok(None) };
        let role = Role::parse_stored(&r.role)?;
        Ok(Some(Actor {
            user_id: r.user_id,
            role,
            session_id: r.session_id,
            email_verified: r.email_verified_at.is_some(),
            client_id: r.client_id,
        }))
    }

    /// Revokes the current session.
    pub async fn logout(&self, actor: &Actor) -> AppResult<()> {
        sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(self.db.now_ms())
            .bind(&actor.session_id)
            .execute(self.db.pool())
            .await?;
        Ok(())
    }

    /// Revokes every session of the user (this one included); returns how many were live.
    pub async fn logout_everywhere(&self, actor: &Actor) -> AppResult<u64> {
        Ok(self.revoke_sessions(&actor.user_id, None).await?)
    }

    pub(crate) async fn revoke_sessions(&self, user_id: &str, except: Option<&str>) -> Result<u64, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL AND ($3 IS NULL OR id <> $3)",
        )
        .bind(self.db.now_ms())
        .bind(user_id)
        .bind(except)
        .execute(self.db.pool())
        .await?;
        Ok(done.rows_affected())
    }

    /// Changes the password after checking the current one; other sessions are revoked, this one stays.
    pub async fn change_password(&self, actor: &Actor, current: &str, new: &str) -> AppResult<()> {
        let (email, stored): (String, String) = sqlx::query_as("SELECT email, password_hash FROM users WHERE id = $1")
            .bind(&actor.user_id)
            .fetch_one(self.db.pool())
            .await?;
        if !self.hasher.verify(current.to_string(), Some(stored)).await? {
            return Err(AppError::bad_input(
                "currentPassword",
                crate::msg!("current-password-wrong"),
            ));
        }
        let new = Password::parse("newPassword", new, Some(&email))?;
        let hash = self.hasher.hash(new.expose().to_string()).await?;
        let mut tx = self.db.begin_write().await?;
        sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(&hash)
            .bind(self.db.now_ms())
            .bind(&actor.user_id)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            Some(&actor.user_id),
            "user.change_password",
            Some(&actor.user_id),
            None,
        )
        .await?;
        tx.commit().await?;
        self.revoke_sessions(&actor.user_id, Some(&actor.session_id)).await?;
        Ok(())
    }
}

/// What the throttle knows about an attempt (the attempt itself excluded, except in `from_ip`/`for_account`).
#[derive(Debug, Clone, Copy)]
struct LoginCounts {
    /// Attempts of this account from this address in the window, before or beside this one.
    earlier_from_pair: i64,
    /// When the latest of them was made.
    latest_other_at: Option<i64>,
    /// Settled failures from this address in the window, and this attempt.
    from_ip: i64,
    /// Attempts on this account from every address in the window, this one included.
    for_account: i64,
}

/// The delay rule (pure): `None` lets the attempt go on to the password check.
fn login_refusal(c: LoginCounts, auth: &crate::config::AuthSettings, now: i64) -> Option<AppError> {
    let window_ms = auth.failure_window_minutes as i64 * 60_000;
    let refuse = |from: &str, retry_after_ms: i64| {
        let retry_after_secs = (retry_after_ms.max(1_000) as u64).div_ceil(1_000);
        Some(AppError::rate_limited(
            crate::msg!("login-too-many", from = from, seconds = retry_after_secs),
            retry_after_secs,
        ))
    };
    if c.from_ip > i64::from(auth.max_failures_per_ip) {
        return refuse("network", window_ms);
    }
    if c.for_account > i64::from(auth.max_failures_per_account_all_addresses) {
        return refuse("account", window_ms);
    }
    let excess = c.earlier_from_pair - i64::from(auth.max_failures_per_account);
    if excess < 0 {
        return None;
    }
    let delay_ms = (auth.login_delay_base_secs as i64 * 1_000)
        .saturating_mul(1_i64 << excess.min(30))
        .min(window_ms);
    let ready_at = c.latest_other_at.unwrap_or(now) + delay_ms;
    (now < ready_at).then(|| refuse("account", ready_at - now)).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(earlier: i64, latest_ago_ms: i64) -> LoginCounts {
        LoginCounts {
            earlier_from_pair: earlier,
            latest_other_at: Some(1_000_000 - latest_ago_ms),
            from_ip: earlier + 1,
            for_account: earlier + 1,
        }
    }

    #[test]
    fn the_first_failures_are_free_then_delays_double() {
        let auth = crate::config::AuthSettings::default();
        let now = 1_000_000;
        for earlier in 0..5 {
            assert!(login_refusal(counts(earlier, 0), &auth, now).is_none());
        }
        // The sixth attempt must wait the base delay after the fifth; the seventh twice that, and so on.
        let base = auth.login_delay_base_secs as i64 * 1_000;
        for (earlier, wait) in [(5, base), (6, 2 * base), (7, 4 * base)] {
            let Some(AppError::RateLimited { retry_after_secs, .. }) = login_refusal(counts(earlier, 0), &auth, now)
            else {
                panic!("attempt {} right away must wait", earlier + 1)
            };
            assert_eq!(retry_after_secs as i64, wait / 1_000);
            assert!(login_refusal(counts(earlier, wait), &auth, now).is_none());
        }
        // The delay never exceeds the window.
        let Some(AppError::RateLimited { retry_after_secs, .. }) = login_refusal(counts(40, 0), &auth, now) else {
            panic!()
        };
        assert_eq!(retry_after_secs, auth.failure_window_minutes * 60);
    }

    #[test]
    fn an_address_and_an_account_have_overall_limits() {
        let auth = crate::config::AuthSettings::default();
        let mut c = counts(0, 0);
        c.from_ip = i64::from(auth.max_failures_per_ip) + 1;
        assert!(login_refusal(c, &auth, 1_000_000).is_some());
        let mut c = counts(0, 0);
        c.for_account = i64::from(auth.max_failures_per_account_all_addresses) + 1;
        assert!(login_refusal(c, &auth, 1_000_000).is_some());
    }
}
