//! Staff accounts (created by an admin or by `fieldwork create-user`) and account status changes.

use super::records::search_text;
use super::{Accounts, UserRecord};
use crate::audit::audit;
use crate::auth::{token, Actor};
use crate::db::{new_id, violates};
use crate::domain::{BoundedText, Email, Password, Role, UserStatus};
use crate::error::{AppError, AppResult};
use crate::mail::{outbox, templates};

/// How long a staff invitation link stays valid.
const INVITATION_TTL_HOURS: u64 = 72;

impl Accounts {
    /// Creates a staff account with a known password and a verified address (the CLI's `create-user`, used for
    /// the first admin). Shoppers sign up themselves.
    pub async fn create_user_with_password(
        &self,
        email: &str,
        role: Role,
        password_text: &str,
        client_id: Option<&str>,
    ) -> AppResult<UserRecord> {
        if role == Role::Shopper {
            return Err(AppError::bad_input("role", crate::msg!("staff-role-not-shopper")));
        }
        let email = Email::parse("email", email)?;
        let password = Password::parse("password", password_text, Some(email.as_str()))?;
        self.check_client_link(role, client_id).await?;
        let hash = self.hasher.hash(password.expose().to_string()).await?;
        let id = self.insert_staff(&email, role, &hash, true, None, client_id).await?;
        self.user(&id).await
    }

    /// An admin creates a staff account; the new user gets an email link to choose a password.
    pub async fn invite_staff(
        &self,
        actor: &Actor,
        email: &str,
        role: Role,
        client_id: Option<&str>,
    ) -> AppResult<UserRecord> {
        if role == Role::Shopper {
            return Err(AppError::bad_input("role", crate::msg!("staff-role-not-shopper")));
        }
        let email = Email::parse("email", email)?;
        self.check_client_link(role, client_id).await?;
        // Nobody knows this password: the invitee sets one through the link.
        let unusable = self.hasher.hash(token::generate("unusable_")).await?;
        let id = self
            .insert_staff(&email, role, &unusable, false, Some(&actor.user_id), client_id)
            .await?;
        self.user(&id).await
    }

    async fn insert_staff(
        &self,
        email: &Email,
        role: Role,
        hash: &str,
        verified: bool,
        invited_by: Option<&str>,
        client_id: Option<&str>,
    ) -> AppResult<String> {
        let id = new_id();
        let now = self.db.now_ms();
        let mut tx = self.db.begin_write().await?;
        let inserted = sqlx::query(
            "INSERT INTO users (id, email, password_hash, role, status, search_text, email_verified_at, created_by, \
             created_at, updated_at, client_id) VALUES ($1, $2, $3, $4, 'ACTIVE', $5, $6, $7, $8, $8, $9)",
        )
        .bind(&id)
        .bind(email.as_str())
        .bind(hash)
        .bind(role.as_str())
        .bind(search_text(&[email.as_str()]))
        .bind(verified.then_some(now))
        .bind(invited_by)
        .bind(now)
        .bind(client_id)
        .execute(&mut *tx)
        .await;
        if let Err(err) = inserted {
            if violates(&err, "users_email_key", "users.email") {
                return Err(AppError::conflict_on("email", crate::msg!("email-taken")));
            }
            return Err(err.into());
        }
        if let Some(inviter) = invited_by {
            let secret = self
                .create_email_token(&mut tx, &id, "RESET_PASSWORD", INVITATION_TTL_HOURS as i64 * 3_600_000)
                .await?;
            let link = format!("{}/reset-password?token={secret}", self.settings.public_url());
            let mail = templates::staff_invitation(role.as_str(), &link, INVITATION_TTL_HOURS);
            outbox::enqueue(&mut tx, "staff_invitation", email.as_str(), &mail.subject, &mail.body).await?;
            audit(&mut tx, Some(inviter), "user.invite", Some(&id), Some(role.as_str())).await?;
        } else {
            audit(&mut tx, None, "user.create", Some(&id), Some(role.as_str())).await?;
        }
        tx.commit().await?;
        self.wake_mailer();
        Ok(id)
    }

    /// Client viewers belong to exactly one existing client; other roles to none.
    async fn check_client_link(&self, role: Role, client_id: Option<&str>) -> AppResult<()> {
        match (role, client_id) {
            (Role::ClientViewer, None) => Err(AppError::bad_input("clientId", crate::msg!("viewer-needs-client"))),
            (Role::ClientViewer, Some(id)) => {
                let found: Option<String> = sqlx::query_scalar("SELECT id FROM clients WHERE id = $1")
                    .bind(id)
                    .fetch_optional(self.db.pool())
                    .await?;
                found
                    .map(|_| ())
                    .ok_or_else(|| AppError::bad_input("clientId", crate::msg!("no-such-client")))
            }
            (_, Some(_)) => Err(AppError::bad_input("clientId", crate::msg!("only-viewers-have-client"))),
            (_, None) => Ok(()),
        }
    }

    /// An admin activates or suspends any account but their own.
    pub async fn set_user_status(
        &self,
        actor: &Actor,
        user_id: &str,
        status: UserStatus,
        reason: Option<&str>,
    ) -> AppResult<UserRecord> {
        let user = self.user(user_id).await?;
        self.set_status(actor, &user, status, reason).await?;
        self.user(user_id).await
    }

    pub(crate) async fn set_status(
        &self,
        actor: &Actor,
        user: &UserRecord,
        status: UserStatus,
        reason: Option<&str>,
    ) -> AppResult<()> {
        if user.id == actor.user_id {
            return Err(AppError::conflict(crate::msg!("own-status")));
        }
        let reason = match (status, reason) {
            (UserStatus::Suspended, None) => {
                return Err(AppError::bad_input("reason", crate::msg!("suspend-reason-needed")));
            }
            (_, Some(text)) => Some(BoundedText::parse("reason", text, 3, 1_000)?.into_inner()),
            (_, None) => None,
        };
        let now = self.db.now_ms();
        let mut tx = self.db.begin_write().await?;
        sqlx::query("UPDATE users SET status = $1, status_reason = $2, updated_at = $3 WHERE id = $4")
            .bind(status.as_str())
            .bind(reason.as_deref())
            .bind(now)
            .bind(&user.id)
            .execute(&mut *tx)
            .await?;
        if status == UserStatus::Suspended {
            sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
                .bind(now)
                .bind(&user.id)
                .execute(&mut *tx)
                .await?;
        }
        let action = match status {
            UserStatus::Active => "user.activate",
            UserStatus::Suspended => "user.suspend",
        };
        audit(&mut tx, Some(&actor.user_id), action, Some(&user.id), reason.as_deref()).await?;
        tx.commit().await?;
        tracing::info!(actor = %actor.user_id, user_id = %user.id, action, "account status changed");
        Ok(())
    }
}
