//! Single-use, expiring links sent by email: address verification and password reset.

use super::Accounts;
use crate::audit::audit;
use crate::auth::token;
use crate::db::{new_id, Tx};
use crate::domain::{Email, Language, Password, Role, UserStatus};
use crate::error::{AppError, AppResult};
use crate::mail::{outbox, templates};

/// What following a verification link did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verified {
    /// The address is now verified.
    Now { email: String },
    /// It was verified before (the link had been used, e.g. by a mail scanner or a second click).
    Already { email: String },
}

/// Minimum time between two emails of the same kind to one user.
const EMAIL_TOKEN_COOLDOWN_MS: i64 = 60_000;

impl Accounts {
    /// Stores the digest of a new link secret and returns the secret.
    pub(crate) async fn create_email_token(
        &self,
        tx: &mut Tx,
        user_id: &str,
        purpose: &str,
        ttl_ms: i64,
    ) -> Result<String, sqlx::Error> {
        let secret = token::generate("fwe_");
        let now = self.db.now_ms();
        sqlx::query(
            "INSERT INTO email_tokens (id, user_id, purpose, token_hash, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(new_id())
        .bind(user_id)
        .bind(purpose)
        .bind(token::digest(&secret))
        .bind(now)
        .bind(now + ttl_ms)
        .execute(&mut **tx)
        .await?;
        Ok(secret)
    }

    /// Refuses a second email of the same kind within a minute.
    pub(crate) async fn throttle_email_tokens(&self, tx: &mut Tx, user_id: &str, purpose: &str) -> AppResult<()> {
        let last: Option<i64> =
            sqlx::query_scalar("SELECT MAX(created_at) FROM email_tokens WHERE user_id = $1 AND purpose = $2")
                .bind(user_id)
                .bind(purpose)
                .fetch_one(&mut **tx)
                .await?;
        if let Some(last) = last {
            let wait = last + EMAIL_TOKEN_COOLDOWN_MS - self.db.now_ms();
            if wait > 0 {
                return Err(AppError::rate_limited(
                    crate::msg!("email-sent-recently"),
                    (wait as u64).div_ceil(1000),
                ));
            }
        }
        Ok(())
    }

    /// Finds a usable link: right purpose, not expired. Used links are reported as such.
    async fn find_email_token(
        &self,
        tx: &mut Tx,
        secret: &str,
        purpose: &str,
    ) -> AppResult<(String, String, Option<i64>)> {
        let row: Option<(String, String, i64, Option<i64>)> = sqlx::query_as(
            "SELECT id, user_id, expires_at, used_at FROM email_tokens WHERE token_hash = $1 AND purpose = $2",
        )
        .bind(token::digest(secret.trim()))
        .bind(purpose)
        .fetch_optional(&mut **tx)
        .await?;
        let Some((id, user_id, expires_at, used_at)) = row else {
            return Err(AppError::bad_input("token", crate::msg!("link-invalid")));
        };
        if used_at.is_none() && expires_at <= self.db.now_ms() {
            return Err(AppError::bad_input("token", crate::msg!("link-expired")));
        }
        Ok((id, user_id, used_at))
    }

    /// Follows a verification link. Using it again reports "already verified" and changes nothing.
    pub async fn verify_email(&self, secret: &str) -> AppResult<Verified> {
        let mut tx = self.db.begin_write().await?;
        let (token_id, user_id, used_at) = self.find_email_token(&mut tx, secret, "VERIFY_EMAIL").await?;
        let user = self.user(&user_id).await?;
        if used_at.is_some() || user.email_verified_at.is_some() {
            return Ok(Verified::Already { email: user.email });
        }
        let now = self.db.now_ms();
        sqlx::query("UPDATE email_tokens SET used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(&token_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE users SET email_verified_at = $1, updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(&user_id)
            .execute(&mut *tx)
            .await?;
        audit(&mut tx, Some(&user_id), "user.verify_email", Some(&user_id), None).await?;
        tx.commit().await?;
        tracing::info!(%user_id, "email verified");
        Ok(Verified::Now { email: user.email })
    }

    /// Sends a reset link if the address belongs to an active account. Always answers the same way, so it does
    /// not reveal which addresses have accounts.
    pub async fn request_password_reset(&self, email: &str) -> AppResult<()> {
        let email = Email::parse("email", email)?;
        let user: Option<(String, String, String)> =
            sqlx::query_as("SELECT id, role, status FROM users WHERE email = $1")
                .bind(email.as_str())
                .fetch_optional(self.db.pool())
                .await?;
        let Some((user_id, role, status)) = user else {
            return Ok(());
        };
        if UserStatus::parse(&status)? == UserStatus::Suspended {
            return Ok(());
        }
        let language = if role == Role::Shopper.as_str() {
            self.shopper(&user_id).await.map(|s| s.language).unwrap_or(Language::Uk)
        } else {
            Language::En
        };
        let mut tx = self.db.begin_write().await?;
        if self
            .throttle_email_tokens(&mut tx, &user_id, "RESET_PASSWORD")
            .await
            .is_err()
        {
            return Ok(()); // silently: the previous link is still on its way
        }
        let minutes = self.settings.auth.reset_ttl_minutes;
        let secret = self
            .create_email_token(&mut tx, &user_id, "RESET_PASSWORD", minutes as i64 * 60_000)
            .await?;
        let link = format!("{}/reset-password?token={secret}", self.settings.public_url());
        let mail = templates::reset_password(language, &link, minutes);
        outbox::enqueue(&mut tx, "reset_password", email.as_str(), &mail.subject, &mail.body).await?;
        audit(
            &mut tx,
            Some(&user_id),
            "user.request_password_reset",
            Some(&user_id),
            None,
        )
        .await?;
        tx.commit().await?;
        self.wake_mailer();
        Ok(())
    }

    /// Sets a new password from a reset (or invitation) link: the link is used up, every session is revoked, and
    /// the address counts as verified (the link proved it).
    pub async fn reset_password(&self, secret: &str, new_password: &str) -> AppResult<()> {
        let mut tx = self.db.begin_write().await?;
        let (token_id, user_id, used_at) = self.find_email_token(&mut tx, secret, "RESET_PASSWORD").await?;
        if used_at.is_some() {
            return Err(AppError::bad_input("token", crate::msg!("link-used")));
        }
        let user = self.user(&user_id).await?;
        let password = Password::parse("newPassword", new_password, Some(&user.email))?;
        drop(tx); // hash outside the write lock
        let hash = self.hasher.hash(password.expose().to_string()).await?;
        let now = self.db.now_ms();
        let mut tx = self.db.begin_write().await?;
        let claimed = sqlx::query("UPDATE email_tokens SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
            .bind(now)
            .bind(&token_id)
            .execute(&mut *tx)
            .await?;
        if claimed.rows_affected() != 1 {
            return Err(AppError::bad_input("token", crate::msg!("link-used")));
        }
        sqlx::query(
            "UPDATE users SET password_hash = $1, email_verified_at = COALESCE(email_verified_at, $2), updated_at = $2 \
             WHERE id = $3",
        )
        .bind(&hash)
        .bind(now)
        .bind(&user_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
            .bind(now)
            .bind(&user_id)
            .execute(&mut *tx)
            .await?;
        audit(&mut tx, Some(&user_id), "user.reset_password", Some(&user_id), None).await?;
        tx.commit().await?;
        Ok(())
    }
}
