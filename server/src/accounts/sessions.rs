//! Login, logout, password changes, and turning a bearer token into an [`Actor`].
//!
//! Tokens are opaque random strings; the server stores their SHA-256 with an expiry, so any application server
//! can check them and revoking one is a single UPDATE. Failed logins are counted per account and per client
//! address in the database (shared by every server behind the load balancer); past the limit, attempts are
//! refused with `RATE_LIMITED` until the window has passed.

use super::{audit, Accounts, UserRecord};
use crate::auth::{password, token, Actor};
use crate::db::{new_id, now_ms};
use crate::domain::{Password, Role, UserStatus};
use crate::error::{AppError, AppResult};

/// Where a request came from.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub ip: String,
    pub user_agent: Option<String>,
}

/// A successful login.
#[derive(Debug, Clone)]
pub struct LoginResult {
    pub token: String,
    pub expires_at: i64,
    pub user: UserRecord,
}

impl Accounts {
    pub async fn login(&self, email: &str, password_text: &str, client: &ClientInfo) -> AppResult<LoginResult> {
        let email = email.trim().to_lowercase();
        if email.is_empty() || email.len() > 254 {
            return Err(AppError::bad_input(
                "email",
                "enter the email address you signed up with",
            ));
        }
        if password_text.is_empty() || password_text.chars().count() > Password::MAX {
            return Err(AppError::Unauthenticated("wrong email or password".into()));
        }
        self.check_login_throttle(&email, &client.ip).await?;

        let row: Option<(String, String)> = sqlx::query_as("SELECT id, password_hash FROM users WHERE email = $1")
            .bind(&email)
            .fetch_optional(self.db.pool())
            .await?;
        let (user_id, stored) = match row {
            Some((id, hash)) => (Some(id), Some(hash)),
            None => (None, None),
        };
        let ok = password::verify(password_text.to_string(), stored).await?;
        let Some(user_id) = user_id.filter(|_| ok) else {
            sqlx::query("INSERT INTO login_failures (id, email, ip, at) VALUES ($1, $2, $3, $4)")
                .bind(new_id())
                .bind(&email)
                .bind(&client.ip)
                .bind(now_ms())
                .execute(self.db.pool())
                .await?;
            return Err(AppError::Unauthenticated("wrong email or password".into()));
        };
        let user = self.user(&user_id).await?;
        if user.status == UserStatus::Suspended {
            return Err(AppError::Forbidden(
                "this account is suspended; please contact your coordinator".into(),
            ));
        }
        let secret = token::generate("fws_");
        let now = now_ms();
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
        // A success clears the account's failure count (not the address's).
        sqlx::query("DELETE FROM login_failures WHERE email = $1")
            .bind(&email)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(LoginResult {
            token: secret,
            expires_at,
            user,
        })
    }

    async fn check_login_throttle(&self, email: &str, ip: &str) -> AppResult<()> {
        let auth = &self.settings.auth;
        let window_ms = auth.failure_window_minutes as i64 * 60_000;
        let since = now_ms() - window_ms;
        for (column, value, limit) in [
            ("email", email, auth.max_failures_per_account),
            ("ip", ip, auth.max_failures_per_ip),
        ] {
            let (count, oldest): (i64, Option<i64>) = sqlx::query_as(&format!(
                "SELECT COUNT(*), MIN(at) FROM login_failures WHERE {column} = $1 AND at > $2"
            ))
            .bind(value)
            .bind(since)
            .fetch_one(self.db.pool())
            .await?;
            if count >= i64::from(limit) {
                let retry_after_ms = oldest.unwrap_or(since) + window_ms - now_ms();
                let retry_after_secs = (retry_after_ms.max(1000) as u64).div_ceil(1000);
                return Err(AppError::RateLimited {
                    message: format!(
                        "too many failed logins {}; try again in {} minutes or reset your password",
                        if column == "email" {
                            "for this account"
                        } else {
                            "from your network"
                        },
                        retry_after_secs.div_ceil(60)
                    ),
                    retry_after_secs,
                });
            }
        }
        Ok(())
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
        .bind(now_ms())
        .fetch_optional(self.db.pool())
        .await?;
        Ok(row.map(|r| Actor {
            user_id: r.user_id,
            role: Role::parse("role", &r.role).unwrap_or(Role::Shopper),
            session_id: r.session_id,
            email_verified: r.email_verified_at.is_some(),
            client_id: r.client_id,
        }))
    }

    /// Revokes the current session.
    pub async fn logout(&self, actor: &Actor) -> AppResult<()> {
        sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now_ms())
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
        .bind(now_ms())
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
        if !password::verify(current.to_string(), Some(stored)).await? {
            return Err(AppError::bad_input("currentPassword", "is not your current password"));
        }
        let new = Password::parse("newPassword", new, Some(&email))?;
        let hash = password::hash(new.expose().to_string()).await?;
        let mut tx = self.db.begin_write().await?;
        sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(&hash)
            .bind(now_ms())
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
