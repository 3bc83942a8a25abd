//! Shopper sign-up, profile edits, and activation/suspension by coordinators.

use super::records::search_text;
use super::{Accounts, ShopperRecord};
use crate::audit::audit;
use crate::auth::Actor;
use crate::db::{new_id, violates};
use crate::domain::{
    BoundedText, Coordinates, Email, FieldErrors, Iban, Language, Password, Phone, Role, TaxId, TravelRadiusKm,
    UserStatus, ValidationError,
};
use crate::error::{AppError, AppResult};
use crate::idempotency::{check_idempotency_key, fingerprint, remember, replayed};
use crate::mail::{outbox, templates};

/// What a shopper sends to sign up (raw, as received).
#[derive(Debug, Clone)]
pub struct SignUp {
    pub email: String,
    pub password: String,
    pub full_name: String,
    pub phone: String,
    pub language: Language,
    pub home_lat: f64,
    pub home_lon: f64,
    pub travel_radius_km: f64,
    pub iban: String,
    pub account_holder: String,
    pub tax_id: String,
    pub accept_code_of_conduct: bool,
    pub conflict_declaration: Option<String>,
    pub idempotency_key: Option<String>,
}

/// A sign-up that passed every rule.
struct ValidSignUp {
    email: Email,
    password: Password,
    full_name: BoundedText,
    phone: Phone,
    home: Coordinates,
    radius: TravelRadiusKm,
    iban: Iban,
    account_holder: BoundedText,
    tax_id: TaxId,
    conflict_declaration: BoundedText,
}

pub const MAX_NAME: usize = 200;
pub const MAX_DECLARATION: usize = 4_000;

fn optional_text(field: &str, value: Option<&str>, max: usize) -> Result<BoundedText, ValidationError> {
    BoundedText::parse(field, value.unwrap_or_default(), 0, max)
}

impl SignUp {
    fn validate(&self) -> AppResult<ValidSignUp> {
        let mut errors = FieldErrors::default();
        let email = errors.check(Email::parse("email", &self.email));
        let password = errors.check(Password::parse("password", &self.password, Some(&self.email)));
        let full_name = errors.check(BoundedText::line("fullName", &self.full_name, 2, MAX_NAME));
        let phone = errors.check(Phone::parse("phone", &self.phone));
        let home = errors.check(Coordinates::parse("homeLocation", self.home_lat, self.home_lon));
        let radius = errors.check(TravelRadiusKm::parse("travelRadiusKm", self.travel_radius_km));
        let iban = errors.check(Iban::parse("iban", &self.iban));
        let account_holder = errors.check(BoundedText::line("accountHolder", &self.account_holder, 2, MAX_NAME));
        let tax_id = errors.check(TaxId::parse("taxId", &self.tax_id));
        let conflict_declaration = errors.check(optional_text(
            "conflictDeclaration",
            self.conflict_declaration.as_deref(),
            MAX_DECLARATION,
        ));
        if !self.accept_code_of_conduct {
            errors.push(ValidationError::new(
                "acceptCodeOfConduct",
                crate::msg!("code-of-conduct-needed"),
            ));
        }
        check_idempotency_key(self.idempotency_key.as_deref())?;
        errors.finish().map_err(AppError::from_validation_errors)?;
        // Every field parsed, so every Option is Some.
        match (
            email,
            password,
            full_name,
            phone,
            home,
            radius,
            iban,
            account_holder,
            tax_id,
            conflict_declaration,
        ) {
            (
                Some(email),
                Some(password),
                Some(full_name),
                Some(phone),
                Some(home),
                Some(radius),
                Some(iban),
                Some(account_holder),
                Some(tax_id),
                Some(conflict_declaration),
            ) => Ok(ValidSignUp {
                email,
                password,
                full_name,
                phone,
                home,
                radius,
                iban,
                account_holder,
                tax_id,
                conflict_declaration,
            }),
            _ => Err(AppError::Internal(anyhow::anyhow!("sign-up validation lost a field"))),
        }
    }

    fn fingerprint(&self) -> String {
        fingerprint(&[
            &self.email.trim().to_lowercase(),
            &self.full_name,
            &self.phone,
            self.language.as_str(),
            &self.home_lat.to_string(),
            &self.home_lon.to_string(),
            &self.travel_radius_km.to_string(),
            &self.iban,
            &self.account_holder,
            &self.tax_id,
            self.conflict_declaration.as_deref().unwrap_or_default(),
        ])
    }
}

/// Changes a shopper makes to their own profile; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ProfileChanges {
    pub full_name: Option<String>,
    pub phone: Option<String>,
    pub language: Option<Language>,
    pub home: Option<(f64, f64)>,
    pub travel_radius_km: Option<f64>,
    pub iban: Option<String>,
    pub account_holder: Option<String>,
    pub conflict_declaration: Option<String>,
}

impl Accounts {
    /// Registers a shopper, queues the verification email, all in one transaction. With an idempotency key, a
    /// repeated request returns the shopper the first one created.
    pub async fn sign_up(&self, input: SignUp) -> AppResult<ShopperRecord> {
        self.sign_up_inner(input, None).await
    }

    /// `sign_up` for a request from the outside: at most `auth.max_signups_per_ip_per_hour` new accounts per
    /// client address (a replay of an earlier sign-up by its idempotency key is not counted).
    pub async fn sign_up_from(&self, input: SignUp, client: &super::ClientInfo) -> AppResult<ShopperRecord> {
        self.sign_up_inner(input, Some(client)).await
    }

    async fn sign_up_inner(&self, input: SignUp, client: Option<&super::ClientInfo>) -> AppResult<ShopperRecord> {
        let valid = input.validate()?;
        let request_hash = input.fingerprint();
        let key = input.idempotency_key.as_deref();
        if let Some(existing) = replayed(&self.db, "signUp", key, &request_hash).await? {
            return self.shopper(&existing).await;
        }
        if let Some(client) = client {
            crate::throttle::admit(
                &self.db,
                "signup.ip",
                &client.ip,
                self.settings.auth.max_signups_per_ip_per_hour,
                3_600_000,
                "sign-ups",
            )
            .await?;
        }
        let password_hash = self.hasher.hash(valid.password.expose().to_string()).await?;

        let now = self.db.now_ms();
        let id = new_id();
        let mut tx = self.db.begin_write().await?;
        let inserted = sqlx::query(
            "INSERT INTO users (id, email, password_hash, role, status, search_text, created_at, updated_at) \
             VALUES ($1, $2, $3, 'SHOPPER', 'ACTIVE', $4, $5, $5)",
        )
        .bind(&id)
        .bind(valid.email.as_str())
        .bind(&password_hash)
        .bind(search_text(&[
            valid.email.as_str(),
            valid.full_name.as_str(),
            valid.phone.as_str(),
        ]))
        .bind(now)
        .execute(&mut *tx)
        .await;
        if let Err(err) = inserted {
            drop(tx);
            if violates(&err, "users_email_key", "users.email") {
                // A concurrent retry with the same key may have won the race: answer as it did.
                if let Some(existing) = replayed(&self.db, "signUp", key, &request_hash).await? {
                    return self.shopper(&existing).await;
                }
                return Err(AppError::conflict_on("email", crate::msg!("email-taken")));
            }
            return Err(err.into());
        }
        let profile = sqlx::query(
            "INSERT INTO shopper_profiles (user_id, full_name, phone, language, home_lat, home_lon, travel_radius_km, \
             iban, account_holder, tax_id, code_of_conduct_version, code_of_conduct_accepted_at, conflict_declaration, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $12)",
        )
        .bind(&id)
        .bind(valid.full_name.as_str())
        .bind(valid.phone.as_str())
        .bind(input.language.as_str())
        .bind(valid.home.lat())
        .bind(valid.home.lon())
        .bind(valid.radius.km())
        .bind(valid.iban.as_str())
        .bind(valid.account_holder.as_str())
        .bind(valid.tax_id.as_str())
        .bind(&self.settings.auth.code_of_conduct_version)
        .bind(now)
        .bind(valid.conflict_declaration.as_str())
        .execute(&mut *tx)
        .await;
        if let Err(err) = profile {
            drop(tx);
            if violates(&err, "shopper_profiles_tax_id_key", "shopper_profiles.tax_id") {
                // One person, one account; which account holds it is not said.
                return Err(AppError::conflict_on("taxId", crate::msg!("tax-id-taken")));
            }
            return Err(err.into());
        }
        self.queue_verification(
            &mut tx,
            &id,
            valid.email.as_str(),
            valid.full_name.as_str(),
            input.language,
        )
        .await?;
        remember(&mut tx, "signUp", key, &request_hash, &id).await?;
        audit(&mut tx, Some(&id), "shopper.sign_up", Some(&id), None).await?;
        tx.commit().await?;
        self.wake_mailer();
        tracing::info!(user_id = %id, "shopper signed up");
        self.shopper(&id).await
    }

    /// Sends a new verification link to a logged-in user whose email is not yet verified (at most one a minute).
    pub async fn resend_verification(&self, actor: &Actor) -> AppResult<()> {
        let shopper = match actor.role {
            Role::Shopper => self.shopper(&actor.user_id).await?,
            _ => return Err(AppError::conflict(crate::msg!("staff-verified-on-creation"))),
        };
        if shopper.user.email_verified_at.is_some() {
            return Err(AppError::conflict(crate::msg!("email-already-verified")));
        }
        let mut tx = self.db.begin_write().await?;
        self.throttle_email_tokens(&mut tx, &actor.user_id, "VERIFY_EMAIL")
            .await?;
        self.queue_verification(
            &mut tx,
            &actor.user_id,
            &shopper.user.email,
            &shopper.full_name,
            shopper.language,
        )
        .await?;
        tx.commit().await?;
        self.wake_mailer();
        Ok(())
    }

    async fn queue_verification(
        &self,
        tx: &mut crate::db::Tx,
        user_id: &str,
        email: &str,
        name: &str,
        language: Language,
    ) -> AppResult<()> {
        let hours = self.settings.auth.verification_ttl_hours;
        let secret = self
            .create_email_token(tx, user_id, "VERIFY_EMAIL", hours as i64 * 3_600_000)
            .await?;
        let link = format!("{}/verify-email?token={secret}", self.settings.public_url());
        let mail = templates::verify_email(language, name, &link, hours);
        outbox::enqueue(tx, "verify_email", email, &mail.subject, &mail.body).await?;
        Ok(())
    }

    /// A shopper edits their own profile.
    pub async fn update_profile(&self, actor: &Actor, changes: ProfileChanges) -> AppResult<ShopperRecord> {
        let current = self.shopper(&actor.user_id).await?;
        let mut errors = FieldErrors::default();
        let full_name = changes
            .full_name
            .as_deref()
            .and_then(|v| errors.check(BoundedText::line("fullName", v, 2, MAX_NAME)))
            .map(BoundedText::into_inner);
        let phone = changes
            .phone
            .as_deref()
            .and_then(|v| errors.check(Phone::parse("phone", v)))
            .map(|p| p.as_str().to_string());
        let home = changes
            .home
            .and_then(|(lat, lon)| errors.check(Coordinates::parse("homeLocation", lat, lon)));
        let radius = changes
            .travel_radius_km
            .and_then(|km| errors.check(TravelRadiusKm::parse("travelRadiusKm", km)));
        let iban = changes
            .iban
            .as_deref()
            .and_then(|v| errors.check(Iban::parse("iban", v)))
            .map(|i| i.as_str().to_string());
        let account_holder = changes
            .account_holder
            .as_deref()
            .and_then(|v| errors.check(BoundedText::line("accountHolder", v, 2, MAX_NAME)))
            .map(BoundedText::into_inner);
        let declaration = changes
            .conflict_declaration
            .as_deref()
            .and_then(|v| errors.check(optional_text("conflictDeclaration", Some(v), MAX_DECLARATION)))
            .map(BoundedText::into_inner);
        errors.finish().map_err(AppError::from_validation_errors)?;

        let full_name = full_name.unwrap_or(current.full_name);
        let phone = phone.unwrap_or(current.phone);
        let now = self.db.now_ms();
        let mut tx = self.db.begin_write().await?;
        sqlx::query(
            "UPDATE shopper_profiles SET full_name = $1, phone = $2, language = $3, home_lat = $4, home_lon = $5, \
             travel_radius_km = $6, iban = $7, account_holder = $8, conflict_declaration = $9, updated_at = $10 \
             WHERE user_id = $11",
        )
        .bind(&full_name)
        .bind(&phone)
        .bind(changes.language.unwrap_or(current.language).as_str())
        .bind(home.map_or(current.home_lat, |h| h.lat()))
        .bind(home.map_or(current.home_lon, |h| h.lon()))
        .bind(radius.map_or(current.travel_radius_km, |r| r.km()))
        .bind(iban.as_deref().unwrap_or(&current.iban))
        .bind(account_holder.as_deref().unwrap_or(&current.account_holder))
        .bind(declaration.as_deref().unwrap_or(&current.conflict_declaration))
        .bind(now)
        .bind(&actor.user_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE users SET search_text = $1, updated_at = $2 WHERE id = $3")
            .bind(search_text(&[&current.user.email, &full_name, &phone]))
            .bind(now)
            .bind(&actor.user_id)
            .execute(&mut *tx)
            .await?;
        let changed_bank = iban.is_some() || account_holder.is_some();
        audit(
            &mut tx,
            Some(&actor.user_id),
            "shopper.update_profile",
            Some(&actor.user_id),
            changed_bank.then_some("payout details changed"),
        )
        .await?;
        tx.commit().await?;
        self.shopper(&actor.user_id).await
    }

    /// A coordinator activates or suspends a shopper. Suspension revokes every login token at once.
    pub async fn set_shopper_status(
        &self,
        actor: &Actor,
        shopper_id: &str,
        status: UserStatus,
        reason: Option<&str>,
    ) -> AppResult<ShopperRecord> {
        let shopper = self.shopper(shopper_id).await?;
        self.set_status(actor, &shopper.user, status, reason).await?;
        self.shopper(shopper_id).await
    }
}
