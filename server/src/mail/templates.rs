//! The text of every email, from the message catalogue (`messages/*.ftl`, `mail-*`) in the reader's
//! language. Staff accounts (who have no language setting) get both languages in one mail.

use crate::domain::{Language, Msg};
use crate::i18n::render;
use crate::msg;

pub struct Rendered {
    pub subject: String,
    pub body: String,
}

fn mail(language: Language, subject: Msg, body: Msg) -> Rendered {
    Rendered {
        subject: render(language, &subject),
        body: render(language, &body),
    }
}

pub fn verify_email(language: Language, name: &str, link: &str, hours: u64) -> Rendered {
    mail(
        language,
        msg!("mail-verify-subject"),
        msg!("mail-verify-body", name = name, link = link, hours = hours),
    )
}

pub fn reset_password(language: Language, link: &str, minutes: u64) -> Rendered {
    mail(
        language,
        msg!("mail-reset-subject"),
        msg!("mail-reset-body", link = link, minutes = minutes),
    )
}

/// In Ukrainian, then English: the account has no language yet.
pub fn staff_invitation(role: &str, link: &str, hours: u64) -> Rendered {
    let both = |m: Msg| format!("{}\n\n{}", render(Language::Uk, &m), render(Language::En, &m));
    Rendered {
        subject: format!(
            "{} / {}",
            render(Language::Uk, &msg!("mail-invitation-subject")),
            render(Language::En, &msg!("mail-invitation-subject"))
        ),
        body: both(msg!("mail-invitation-body", role = role, link = link, hours = hours)),
    }
}

pub fn claim_expired(language: Language, venue: &str, wave: &str) -> Rendered {
    mail(
        language,
        msg!("mail-claim-expired-subject"),
        msg!("mail-claim-expired-body", venue = venue, wave = wave),
    )
}

pub fn payout_failed(language: Language, amount: &str, currency: &str, reason: &str) -> Rendered {
    mail(
        language,
        msg!("mail-payout-failed-subject"),
        msg!(
            "mail-payout-failed-body",
            amount = amount,
            currency = currency,
            reason = reason
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mails_speak_the_readers_language_with_every_value_in_place() {
        let uk = verify_email(Language::Uk, "Олена", "https://x.example/v?t=1", 48);
        assert_eq!(uk.subject, "Підтвердіть свою електронну адресу");
        assert!(
            uk.body.starts_with("Вітаємо, Олена!") && uk.body.contains("https://x.example/v?t=1\n"),
            "{}",
            uk.body
        );
        assert!(uk.body.contains("48 год"), "{}", uk.body);
        let en = reset_password(Language::En, "https://x.example/r?t=2", 60);
        assert!(en.body.contains("expires in 60 minutes"), "{}", en.body);
        let both = staff_invitation("COORDINATOR", "https://x.example/i", 72);
        assert!(
            both.body.contains("Для вас створено") && both.body.contains("An account (COORDINATOR)"),
            "{}",
            both.body
        );
        let failed = payout_failed(Language::Uk, "654.50", "UAH", "account closed");
        assert!(
            failed.body.contains("654.50 UAH") && failed.body.contains("account closed"),
            "{}",
            failed.body
        );
    }
}
