//! The text of every email, in Ukrainian and English. Staff accounts (who have no language setting) get both.

use crate::domain::Language;

pub struct Rendered {
    pub subject: String,
    pub body: String,
}

pub fn verify_email(language: Language, name: &str, link: &str, hours: u64) -> Rendered {
    match language {
        Language::Uk => Rendered {
            subject: "Підтвердіть свою електронну адресу".into(),
            body: format!(
                "Вітаємо, {name}!\n\nДякуємо за реєстрацію таємним покупцем. Щоб підтвердити адресу, відкрийте посилання:\n\n\
                 {link}\n\nПосилання діє {hours} год і спрацьовує один раз. Якщо ви не реєструвалися, просто ігноруйте цей лист.\n"
            ),
        },
        Language::En => Rendered {
            subject: "Confirm your email address".into(),
            body: format!(
                "Hello {name},\n\nThank you for signing up as a mystery shopper. To confirm your address, open this link:\n\n\
                 {link}\n\nThe link works once and expires in {hours} hours. If you did not sign up, ignore this message.\n"
            ),
        },
    }
}

pub fn reset_password(language: Language, link: &str, minutes: u64) -> Rendered {
    match language {
        Language::Uk => Rendered {
            subject: "Зміна пароля".into(),
            body: format!(
                "Хтось (сподіваємося, ви) попросив змінити пароль. Щоб задати новий пароль, відкрийте посилання:\n\n\
                 {link}\n\nПосилання діє {minutes} хв і спрацьовує один раз. Якщо це були не ви, ігноруйте цей лист: \
                 пароль не зміниться.\n"
            ),
        },
        Language::En => Rendered {
            subject: "Reset your password".into(),
            body: format!(
                "Someone (hopefully you) asked to reset your password. To choose a new one, open this link:\n\n\
                 {link}\n\nThe link works once and expires in {minutes} minutes. If it was not you, ignore this \
                 message: your password stays as it is.\n"
            ),
        },
    }
}

pub fn staff_invitation(role: &str, link: &str, hours: u64) -> Rendered {
    Rendered {
        subject: "Запрошення до Fieldwork / Your Fieldwork account".into(),
        body: format!(
            "Для вас створено обліковий запис ({role}). Задайте пароль за посиланням (діє {hours} год):\n\
             An account ({role}) was created for you. Choose your password here (valid for {hours} hours):\n\n{link}\n"
        ),
    }
}

pub fn claim_expired(language: Language, venue: &str, wave: &str) -> Rendered {
    match language {
        Language::Uk => Rendered {
            subject: "Завдання повернуто на дошку".into(),
            body: format!(
                "Час на візит до «{venue}» (хвиля «{wave}») минув, тож завдання знову доступне іншим таємним \
                 покупцям. Якщо ви ще хочете його виконати, візьміть його знову, поки воно вільне.\n"
            ),
        },
        Language::En => Rendered {
            subject: "A task returned to the job board".into(),
            body: format!(
                "The time for your visit to “{venue}” (wave “{wave}”) ran out, so the task is open to other shoppers \
                 again. If you still want it, claim it again while it is free.\n"
            ),
        },
    }
}

pub fn payout_failed(language: Language, amount: &str, currency: &str, reason: &str) -> Rendered {
    match language {
        Language::Uk => Rendered {
            subject: "Виплату не здійснено".into(),
            body: format!(
                "Банк не зарахував вашу виплату {amount} {currency}. Причина: {reason}.\n\n\
                 Гроші повернулися на ваш баланс і будуть у наступній виплаті. Перевірте, будь ласка, IBAN і \
                 ім'я власника рахунку у своєму профілі.\n"
            ),
        },
        Language::En => Rendered {
            subject: "A payout did not go through".into(),
            body: format!(
                "The bank did not credit your payout of {amount} {currency}. Reason: {reason}.\n\n\
                 The money is back on your balance and will be in the next payout. Please check the IBAN and \
                 account holder in your profile.\n"
            ),
        },
    }
}
