//! API keys: how machine clients (service accounts) authenticate. An admin makes a key with its scopes and reach
//! (one client, optionally one oblast) and an expiry; the secret (`fwk_…`, 256 random bits) is shown once and only
//! its SHA-256 is kept. A key can be rotated (a new secret; the old one keeps working for a grace period) and
//! revoked; every change is audited, and its last use is recorded (at most once a minute). The rules are
//! `domain::api_key`; the requests a key may make check its scopes (`KeyActor::require`).

use sqlx::FromRow;

use crate::audit::audit;
use crate::auth::{token, Actor, Permission};
use crate::db::{new_id, Arg, Db, Listing, Page, Paging, Tx};
use crate::domain::api_key::{self, KeyStatus, Reach, Scope, Scopes};
use crate::domain::text::BoundedText;
use crate::domain::FieldErrors;
use crate::error::{AppError, AppResult};

/// The secret's prefix: recognisable in configuration files and secret scanners.
pub const SECRET_PREFIX: &str = "fwk_";

/// Characters of the secret kept in the clear to recognise a key in lists ("fwk_Ab3dE9xQ…").
const SHOWN_PREFIX_CHARS: usize = 12;

/// The key service.
#[derive(Clone)]
pub struct ApiKeys {
    db: Db,
}

/// A key as stored (never its secret).
#[derive(Debug, Clone, FromRow)]
pub struct ApiKeyRecord {
    pub id: String,
    pub name: String,
    pub prefix: String,
    pub scopes: String,
    pub client_id: Option<String>,
    pub client_name: Option<String>,
    pub oblast: Option<String>,
    pub created_by: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub rotated_from: Option<String>,
}

impl ApiKeyRecord {
    pub fn status(&self, now_ms: i64) -> KeyStatus {
        api_key::status(self.revoked_at, self.expires_at, now_ms)
    }

    pub fn scope_list(&self) -> AppResult<Vec<&'static str>> {
        Ok(Scopes::parse_stored(&self.scopes)?.iter().map(Scope::as_str).collect())
    }
}

const SELECT: &str = "k.id, k.name, k.prefix, k.scopes, k.client_id, c.name AS client_name, k.oblast, k.created_by, \
                      k.created_at, k.expires_at, k.last_used_at, k.revoked_at, k.rotated_from";
const FROM: &str = "api_keys k LEFT JOIN clients c ON c.id = k.client_id";

/// A new key and its secret, which is never shown again.
#[derive(Debug, Clone)]
pub struct IssuedKey {
    pub key: ApiKeyRecord,
    pub secret: String,
}

/// What an admin asks for.
#[derive(Debug, Clone, Default)]
pub struct NewKey {
    pub name: String,
    pub scopes: Vec<String>,
    pub client_id: Option<String>,
    pub oblast: Option<String>,
    /// None: the key does not expire.
    pub expires_in_days: Option<i64>,
}

/// The machine client behind a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyActor {
    pub key_id: String,
    pub name: String,
    pub scopes: Scopes,
    pub reach: Reach,
}

impl KeyActor {
    /// `FORBIDDEN` unless the key carries the scope.
    pub fn require(&self, scope: Scope) -> AppResult<()> {
        if self.scopes.contains(scope) {
            Ok(())
        } else {
            Err(AppError::Forbidden(crate::msg!(
                "api-key-scope-missing",
                scope = scope.as_str()
            )))
        }
    }
}

impl ApiKeys {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// The service's clock, for a key's status now.
    pub fn now_ms(&self) -> i64 {
        self.db.now_ms()
    }

    fn admin(actor: &Actor) -> AppResult<()> {
        if actor.can(Permission::ManageApiKeys) {
            Ok(())
        } else {
            Err(AppError::forbidden())
        }
    }

    /// Makes a key (audited); the secret is in the answer only.
    pub async fn create(&self, actor: &Actor, input: NewKey) -> AppResult<IssuedKey> {
        Self::admin(actor)?;
        let now = self.db.now_ms();
        let mut errors = FieldErrors::default();
        let name = errors.check(BoundedText::line("name", &input.name, 1, 100));
        let scopes = errors.check(Scopes::parse("scopes", &input.scopes));
        let oblast = match input.oblast.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
            Some(o) => errors
                .check(BoundedText::line("oblast", o, 1, 64))
                .map(BoundedText::into_inner),
            None => None,
        };
        let client_id = input.client_id.filter(|c| !c.trim().is_empty());
        let needs_client = oblast.is_some() || scopes.as_ref().is_some_and(|s| s.iter().any(Scope::needs_client));
        if needs_client && client_id.is_none() {
            errors.push(crate::domain::ValidationError::new(
                "clientId",
                crate::msg!("api-key-needs-client"),
            ));
        }
        let expires_at = errors.check(api_key::expiry("expiresInDays", input.expires_in_days, now));
        errors.finish().map_err(AppError::from_validation_errors)?;
        let (name, scopes, expires_at) = (
            name.expect("checked"),
            scopes.expect("checked"),
            expires_at.expect("checked"),
        );
        let mut tx = self.db.begin_write().await?;
        if let Some(client) = &client_id {
            let known: Option<String> = sqlx::query_scalar("SELECT id FROM clients WHERE id = $1")
                .bind(client)
                .fetch_optional(&mut *tx)
                .await?;
            if known.is_none() {
                return Err(AppError::NotFound("client"));
            }
            // An oblast is one the client has centers in, spelt as in its venue list (a typo would make a key
            // that refuses every event).
            if let Some(oblast) = &oblast {
                let used: Option<i64> =
                    sqlx::query_scalar("SELECT 1 FROM venues WHERE client_id = $1 AND oblast = $2 LIMIT 1")
                        .bind(client)
                        .bind(oblast)
                        .fetch_optional(&mut *tx)
                        .await?;
                if used.is_none() {
                    return Err(AppError::bad_input("oblast", crate::msg!("api-key-oblast-unknown")));
                }
            }
        }
        let secret = token::generate(SECRET_PREFIX);
        let id = new_id();
        insert(
            &mut tx,
            &id,
            name.as_str(),
            &secret,
            &scopes,
            client_id.as_deref(),
            oblast.as_deref(),
            &actor.user_id,
            expires_at,
            None,
        )
        .await?;
        let detail = serde_json::json!({
            "name": name.as_str(), "scopes": scopes.stored(), "clientId": client_id, "oblast": oblast,
            "expiresAt": expires_at,
        });
        audit(
            &mut tx,
            Some(&actor.user_id),
            "api_key.create",
            Some(&id),
            Some(&detail.to_string()),
        )
        .await?;
        let key = load(&mut tx, &id).await?;
        tx.commit().await?;
        Ok(IssuedKey { key, secret })
    }

    /// A new secret for a live key, with the same name, scopes and reach; the old secret keeps working for
    /// `grace_hours` (0: stops at once). A key is rotated once: its successor is rotated next time.
    pub async fn rotate(&self, actor: &Actor, id: &str, grace_hours: i64) -> AppResult<IssuedKey> {
        Self::admin(actor)?;
        let now = self.db.now_ms();
        let mut tx = self.db.begin_write().await?;
        let old = load(&mut tx, id).await?;
        if old.status(now) != KeyStatus::Active {
            return Err(AppError::conflict(crate::msg!("api-key-not-active")));
        }
        let successor: Option<String> = sqlx::query_scalar("SELECT id FROM api_keys WHERE rotated_from = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        if successor.is_some() {
            return Err(AppError::conflict(crate::msg!("api-key-already-rotated")));
        }
        let ends = api_key::rotation_end("graceHours", grace_hours, old.expires_at, now).map_err(AppError::from)?;
        let scopes = Scopes::parse_stored(&old.scopes)?;
        let secret = token::generate(SECRET_PREFIX);
        let new_key = new_id();
        // The new key lives as long as the old one was meant to (from now).
        let lifetime = old.expires_at.map(|e| now + (e - old.created_at).max(86_400_000));
        insert(
            &mut tx,
            &new_key,
            &old.name,
            &secret,
            &scopes,
            old.client_id.as_deref(),
            old.oblast.as_deref(),
            &actor.user_id,
            lifetime,
            Some(id),
        )
        .await?;
        sqlx::query("UPDATE api_keys SET expires_at = $1 WHERE id = $2")
            .bind(ends)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let detail = serde_json::json!({ "newKey": new_key, "oldKeyEndsAt": ends });
        audit(
            &mut tx,
            Some(&actor.user_id),
            "api_key.rotate",
            Some(id),
            Some(&detail.to_string()),
        )
        .await?;
        let key = load(&mut tx, &new_key).await?;
        tx.commit().await?;
        Ok(IssuedKey { key, secret })
    }

    /// Revokes a key at once (audited). Revoking a revoked key changes nothing.
    pub async fn revoke(&self, actor: &Actor, id: &str) -> AppResult<ApiKeyRecord> {
        Self::admin(actor)?;
        let mut tx = self.db.begin_write().await?;
        let now = tx.now_ms();
        load(&mut tx, id).await?;
        let done =
            sqlx::query("UPDATE api_keys SET revoked_at = $1, revoked_by = $2 WHERE id = $3 AND revoked_at IS NULL")
                .bind(now)
                .bind(&actor.user_id)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() > 0 {
            audit(&mut tx, Some(&actor.user_id), "api_key.revoke", Some(id), None).await?;
        }
        let key = load(&mut tx, id).await?;
        tx.commit().await?;
        Ok(key)
    }

    /// Keys, newest first; revoked and expired ones only when asked.
    pub async fn list(
        &self,
        actor: &Actor,
        include_inactive: bool,
        limit: usize,
        after: Option<String>,
    ) -> AppResult<Page<ApiKeyRecord>> {
        Self::admin(actor)?;
        let now = self.db.now_ms();
        self.db
            .page::<ApiKeyRecord, ApiKeyRecord>(
                Listing {
                    select: SELECT,
                    from: FROM,
                    filter: "$1 = 1 OR (k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > $2))",
                    args: vec![Arg::from(i64::from(include_inactive)), Arg::from(now)],
                },
                Paging::After {
                    column: "k.id",
                    after: Arg::from(after),
                    descending: true,
                },
                limit,
            )
            .await
    }

    /// The key behind a secret, if it is alive; records its use (at most once a minute).
    pub async fn authenticate(&self, secret: &str) -> AppResult<Option<KeyActor>> {
        #[derive(FromRow)]
        struct Row {
            id: String,
            name: String,
            scopes: String,
            client_id: Option<String>,
            oblast: Option<String>,
            expires_at: Option<i64>,
            revoked_at: Option<i64>,
            last_used_at: Option<i64>,
        }
        let row: Option<Row> = sqlx::query_as(
            "SELECT id, name, scopes, client_id, oblast, expires_at, revoked_at, last_used_at FROM api_keys \
             WHERE secret_hash = $1",
        )
        .bind(token::digest(secret))
        .fetch_optional(self.db.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let now = self.db.now_ms();
        if api_key::status(row.revoked_at, row.expires_at, now) != KeyStatus::Active {
            return Ok(None);
        }
        if api_key::should_touch(row.last_used_at, now) {
            sqlx::query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2")
                .bind(now)
                .bind(&row.id)
                .execute(self.db.pool())
                .await?;
        }
        Ok(Some(KeyActor {
            key_id: row.id,
            name: row.name,
            scopes: Scopes::parse_stored(&row.scopes)?,
            reach: Reach {
                client_id: row.client_id,
                oblast: row.oblast,
            },
        }))
    }
}

#[allow(clippy::too_many_arguments)]
async fn insert(
    tx: &mut Tx,
    id: &str,
    name: &str,
    secret: &str,
    scopes: &Scopes,
    client_id: Option<&str>,
    oblast: Option<&str>,
    created_by: &str,
    expires_at: Option<i64>,
    rotated_from: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO api_keys (id, name, prefix, secret_hash, scopes, client_id, oblast, created_by, created_at, \
         expires_at, rotated_from) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(id)
    .bind(name)
    .bind(secret.chars().take(SHOWN_PREFIX_CHARS).collect::<String>())
    .bind(token::digest(secret))
    .bind(scopes.stored())
    .bind(client_id)
    .bind(oblast)
    .bind(created_by)
    .bind(tx.now_ms())
    .bind(expires_at)
    .bind(rotated_from)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn load(tx: &mut Tx, id: &str) -> AppResult<ApiKeyRecord> {
    sqlx::query_as(&format!("SELECT {SELECT} FROM {FROM} WHERE k.id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound("api-key"))
}
