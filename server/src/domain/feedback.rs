//! Citizens' feedback: the ministry's four dimensions on its four-level scale, the loyalty question (0–10), the
//! channel a response came through, masking of personal data in comments before anything is shown, and the risk
//! score that keeps suspicious responses out of the index. Pure: the `feedback` use cases bring the facts.

use std::sync::LazyLock;

use regex::Regex;

use super::{BoundedText, ValidationError};

/// Where a response came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// The QR code on a poster in the center.
    Qr,
    /// The public map portal.
    WebMap,
    Sms,
    Viber,
    /// An operator's phone interview.
    Phone,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Qr => "QR",
            Channel::WebMap => "WEB_MAP",
            Channel::Sms => "SMS",
            Channel::Viber => "VIBER",
            Channel::Phone => "PHONE",
        }
    }

    pub fn parse(text: &str) -> Result<Self, super::UnknownValue> {
        Ok(match text {
            "QR" => Channel::Qr,
            "WEB_MAP" => Channel::WebMap,
            "SMS" => Channel::Sms,
            "VIBER" => Channel::Viber,
            "PHONE" => Channel::Phone,
            other => return Err(super::UnknownValue::new("channel", other)),
        })
    }
}

/// The dimensions the ministry asks about, in the order the form asks them.
pub const DIMENSIONS: [&str; 4] = ["premises", "staff", "waiting", "result"];

/// The ministry's four levels, best first: чудово, добре, прийнятно, жахливо (stored as 4..1).
pub const LEVELS: [(u8, &str, &str); 4] = [
    (4, "чудово", "excellent"),
    (3, "добре", "good"),
    (2, "прийнятно", "acceptable"),
    (1, "жахливо", "terrible"),
];

/// One response as the citizen gave it, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub service_code: Option<String>,
    /// premises, staff, waiting, result: 1–4 each, or not answered.
    pub ratings: [Option<u8>; 4],
    /// "How likely are you to recommend this center?" 0–10.
    pub recommend: Option<u8>,
    pub comment: Option<String>,
    pub contact: Option<Contact>,
}

/// Contact details given for a call-back, only with explicit consent.
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// The raw form fields.
#[derive(Debug, Clone, Default)]
pub struct Form {
    pub service: Option<String>,
    pub ratings: [Option<String>; 4],
    pub recommend: Option<String>,
    pub comment: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub callback_consent: bool,
}

const COMMENT_MAX: usize = 2_000;
/// The longest call-back name, in characters.
const NAME_MAX: usize = 100;

fn blank(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// Checks a submitted form; every bad field is named. At least one rating or the loyalty answer is needed.
pub fn check_form(form: &Form) -> Result<Response, Vec<ValidationError>> {
    let mut errors = Vec::new();
    let mut ratings = [None; 4];
    for (i, raw) in form.ratings.iter().enumerate() {
        if let Some(text) = blank(raw) {
            match text.parse::<u8>() {
                Ok(v @ 1..=4) => ratings[i] = Some(v),
                _ => errors.push(ValidationError::new(DIMENSIONS[i], crate::msg!("feedback-level"))),
            }
        }
    }
    let recommend = match blank(&form.recommend) {
        None => None,
        Some(text) => match text.parse::<u8>() {
            Ok(v @ 0..=10) => Some(v),
            _ => {
                errors.push(ValidationError::new(
                    "recommend",
                    crate::msg!("whole-number-range", min = 0, max = 10),
                ));
                None
            }
        },
    };
    // Free text and names follow the one rule for typed text (`domain::text`): NFC, bounded, no control or
    // bidirectional characters, and in a name nothing invisible either.
    let comment = blank(&form.comment).and_then(|c| match BoundedText::parse("comment", c, 1, COMMENT_MAX) {
        Ok(c) => Some(c.into_inner()),
        Err(e) => {
            errors.push(e);
            None
        }
    });
    let service_code = blank(&form.service).map(str::to_string);
    if service_code.as_ref().is_some_and(|s| s.len() > 40) {
        errors.push(ValidationError::new("service", crate::msg!("feedback-unknown-service")));
    }
    let contact = if form.callback_consent {
        let name = blank(&form.contact_name).and_then(|n| match BoundedText::line("contactName", n, 1, NAME_MAX) {
            Ok(n) => Some(n.into_inner()),
            Err(e) => {
                errors.push(e);
                None
            }
        });
        let phone_text = blank(&form.contact_phone);
        let email_text = blank(&form.contact_email);
        if blank(&form.contact_name).is_none() {
            errors.push(ValidationError::new(
                "contactName",
                crate::msg!("feedback-callback-name"),
            ));
        }
        if phone_text.is_none() && email_text.is_none() {
            errors.push(ValidationError::new(
                "contactPhone",
                crate::msg!("feedback-callback-contact"),
            ));
        }
        let phone = phone_text.and_then(|p| match super::Phone::parse("contactPhone", p) {
            Ok(p) => Some(p.as_str().to_string()),
            Err(_) => {
                errors.push(ValidationError::new("contactPhone", crate::msg!("phone-invalid")));
                None
            }
        });
        let email = email_text.and_then(|e| match super::Email::parse("contactEmail", e) {
            Ok(e) => Some(e.as_str().to_string()),
            Err(_) => {
                errors.push(ValidationError::new("contactEmail", crate::msg!("email-invalid")));
                None
            }
        });
        name.map(|name| Contact { name, phone, email })
    } else {
        None
    };
    if ratings.iter().all(Option::is_none) && recommend.is_none() && errors.is_empty() {
        errors.push(ValidationError::new(
            "premises",
            crate::msg!("feedback-nothing-answered"),
        ));
    }
    if errors.is_empty() {
        Ok(Response {
            service_code,
            ratings,
            recommend,
            comment,
            contact,
        })
    } else {
        Err(errors)
    }
}

static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}").expect("valid pattern"));
/// Ukrainian and international phone numbers: +380 50 123 45 67, 050-123-45-67, (050) 1234567, 0501234567.
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\+?\s?380[\s.-]?\(?\d{2}\)?[\s.-]?\d{3}[\s.-]?\d{2}[\s.-]?\d{2}\b",
        r"|\(?0\d{2}\)?[\s.-]?\d{3}[\s.-]?\d{2}[\s.-]?\d{2}\b",
        r"|\+\d{1,3}(?:[\s.-]?\d){6,12}\b"
    ))
    .expect("valid pattern")
});
/// A name introduced in the text: "мене звати Олена Петренко", "моє ім'я …", "my name is …" (up to three words).
static NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(мене звати|моє ім['’ʼ]я|моє прізвище|my name is|меня зовут)\s+(\p{Lu}[\p{L}'’ʼ-]*(?:\s+\p{Lu}[\p{L}'’ʼ-]*){0,2})")
        .expect("valid pattern")
});
/// Document numbers: a passport booklet (two Cyrillic capitals and six digits), and runs of 8–14 digits (ID
/// cards, РНОКПП, bank cards, IBAN bodies).
static DOCUMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b[А-ЯІЇЄҐ]{2}\s?\d{6}\b|\bUA\d{27}\b|\b\d(?:[\s-]?\d){7,18}\b").expect("valid pattern")
});

/// What was masked in a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Masked {
    Email,
    Phone,
    Name,
    Document,
}

/// The comment with personal data replaced (`[e-mail]`, `[телефон]`, `[ім'я]`, `[номер документа]`), and what
/// was found. Nothing a citizen writes is shown publicly unless it has gone through this.
pub fn mask_personal_data(text: &str) -> (String, Vec<Masked>) {
    let mut found = Vec::new();
    let mut out = EMAIL
        .replace_all(text, |_: &regex::Captures| {
            found.push(Masked::Email);
            "[e-mail]"
        })
        .into_owned();
    out = NAME
        .replace_all(&out, |c: &regex::Captures| {
            found.push(Masked::Name);
            format!("{} [ім'я]", &c[1])
        })
        .into_owned();
    out = PHONE
        .replace_all(&out, |_: &regex::Captures| {
            found.push(Masked::Phone);
            "[телефон]"
        })
        .into_owned();
    out = DOCUMENT
        .replace_all(&out, |_: &regex::Captures| {
            found.push(Masked::Document);
            "[номер документа]"
        })
        .into_owned();
    found.sort();
    found.dedup();
    (out, found)
}

/// What is known about how a response arrived.
#[derive(Debug, Clone, Default)]
pub struct Signals {
    /// Seconds between the form being shown and sent (None: unknown, e.g. a form token that did not verify).
    pub fill_seconds: Option<i64>,
    /// Responses from the same address to any center in the last hour (this one not counted).
    pub same_address_last_hour: i64,
    /// Responses to this center in the last 10 minutes (this one not counted).
    pub center_last_10_minutes: i64,
    /// The center's usual responses per 10 minutes (its mean over the last 30 days).
    pub center_usual_per_10_minutes: f64,
    /// The browser brought no device cookie of ours, or one made less than [`NEW_DEVICE_HOURS`] ago: normal for
    /// a citizen scanning a poster, but what a flood of made-up visitors looks like too.
    pub new_device: bool,
    /// The browser solved the proof-of-work challenge (JavaScript on). `None`: JavaScript was off.
    pub proof_of_work: Option<bool>,
    /// Shortest believable time to fill in the form, seconds (`feedback.min_fill_seconds`).
    pub min_fill_seconds: i64,
    /// The form came through an invitation's link (one answer per service a center reported): a burst of
    /// answers after the morning's messages go out is expected, so bursts and new devices say nothing here.
    pub invited: bool,
}

/// A response's risk: 0–100 and the reasons (messages of the catalogue, rendered for staff).
#[derive(Debug, Clone, PartialEq)]
pub struct Risk {
    pub score: u8,
    pub reasons: Vec<super::Msg>,
}

/// Responses at or above this are kept but left out of the index, and shown to staff as suspicious.
pub const SUSPICIOUS: u8 = 50;

/// Shortest believable time to fill in the form by default, seconds.
pub const MIN_FILL_SECONDS: i64 = 5;

/// Scores a response. No single soft signal makes a real person's response suspicious; two do.
pub fn risk(response: &Response, signals: &Signals) -> Risk {
    let mut score: u32 = 0;
    let mut reasons = Vec::new();
    match signals.fill_seconds {
        Some(s) if s < signals.min_fill_seconds => {
            score += 60;
            reasons.push(crate::msg!(
                "risk-fast-fill",
                seconds = s,
                min = signals.min_fill_seconds
            ));
        }
        None => {
            score += 30;
            reasons.push(crate::msg!("risk-token-missing"));
        }
        _ => {}
    }
    if signals.proof_of_work == Some(false) {
        score += 30;
        reasons.push(crate::msg!("risk-proof-of-work"));
    }
    if signals.same_address_last_hour >= 3 {
        score += 30;
        reasons.push(crate::msg!(
            "risk-same-address",
            others = signals.same_address_last_hour
        ));
    }
    if !signals.invited && in_burst(signals) {
        score += 25;
        reasons.push(crate::msg!(
            "risk-burst",
            responses = signals.center_last_10_minutes,
            usual = (signals.center_usual_per_10_minutes * 10.0).round() / 10.0,
        ));
        if signals.new_device {
            score += 30;
            reasons.push(crate::msg!("risk-new-device-in-burst"));
        }
    }
    if response
        .comment
        .as_deref()
        .is_some_and(|c| c.contains("http://") || c.contains("https://") || c.contains("www."))
    {
        score += 20;
        reasons.push(crate::msg!("risk-link"));
    }
    Risk {
        score: score.min(100) as u8,
        reasons,
    }
}

/// A device is new for this long after its cookie was made (hours).
pub const NEW_DEVICE_HOURS: i64 = 24;

/// Is the center in a burst as this response arrives (the responses of the last 10 minutes before it reach
/// [`burst_floor`])? In a burst, responses from new devices are held out of the index, and so are the counted
/// new-device responses of the 10 minutes before: a burst is judged as a whole, so the first few of a flood do
/// not count either (see `feedback::submit`).
pub fn in_burst(signals: &Signals) -> bool {
    signals.center_last_10_minutes as f64 >= burst_floor(signals.center_usual_per_10_minutes)
}

/// The reason recorded on a counted response that a burst, starting within 10 minutes after it, took out of
/// the index.
pub fn held_by_later_burst() -> super::Msg {
    crate::msg!("risk-held-by-later-burst")
}

/// Where a comment stands with moderation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moderation {
    /// No comment.
    None,
    /// Waiting for a moderator.
    Pending,
    /// Its masked text may be shown.
    Published,
    Rejected,
}

impl Moderation {
    pub fn as_str(self) -> &'static str {
        match self {
            Moderation::None => "NONE",
            Moderation::Pending => "PENDING",
            Moderation::Published => "PUBLISHED",
            Moderation::Rejected => "REJECTED",
        }
    }
}

/// What becomes of a response.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseDecision {
    pub risk: Risk,
    /// It goes into the index (not suspicious).
    pub counted: bool,
    pub moderation: Moderation,
    /// A burst: the center's counted new-device responses of the last 10 minutes are held too.
    pub holds_burst: bool,
    /// The comment with personal data masked, and what was masked.
    pub masked: Option<(String, Vec<Masked>)>,
}

/// Decides a checked response (pure): its risk, whether it counts, where its comment stands (a client that
/// does not moderate each comment has the masked text of a response that is not suspicious published at once; a
/// suspicious one still waits), and whether a burst begins.
pub fn decide_response(response: &Response, signals: &Signals, client_moderates: bool) -> ResponseDecision {
    let risk = risk(response, signals);
    let counted = risk.score < SUSPICIOUS;
    let moderation = match (&response.comment, !client_moderates && counted) {
        (None, _) => Moderation::None,
        (Some(_), true) => Moderation::Published,
        (Some(_), false) => Moderation::Pending,
    };
    ResponseDecision {
        counted,
        moderation,
        holds_burst: !signals.invited && in_burst(signals),
        masked: response.comment.as_deref().map(mask_personal_data),
        risk,
    }
}

/// How many responses to one center in 10 minutes make a burst: five times its usual rate, and at least 5.
pub fn burst_floor(usual_per_10_minutes: f64) -> f64 {
    (usual_per_10_minutes * 5.0).max(5.0)
}

/// Length of the buckets responses are counted in for bursts, ms; a burst window is two of them (10 minutes).
pub const BURST_BUCKET_MS: i64 = 300_000;

/// One stretch of time in which a center got a burst of responses.
#[derive(Debug, Clone, PartialEq)]
pub struct Burst {
    /// First and last 5-minute bucket of the stretch (`time / BURST_BUCKET_MS`).
    pub first_bucket: i64,
    pub last_bucket: i64,
    /// Responses in the stretch.
    pub responses: i64,
}

/// A center's bursts: every 10-minute window (two adjacent 5-minute buckets, stepping by 5 minutes) holding at
/// least [`burst_floor`] responses; overlapping or touching windows join into one stretch. `buckets` are
/// (bucket, responses), ascending, empty buckets left out.
pub fn bursts(buckets: &[(i64, i64)], usual_per_10_minutes: f64) -> Vec<Burst> {
    let floor = burst_floor(usual_per_10_minutes);
    let count = |b: i64| -> i64 {
        buckets
            .binary_search_by_key(&b, |&(bucket, _)| bucket)
            .map_or(0, |i| buckets[i].1)
    };
    let mut found: Vec<Burst> = Vec::new();
    // Each window starts at a bucket or at the one before a bucket.
    let mut starts: Vec<i64> = buckets.iter().flat_map(|&(b, _)| [b - 1, b]).collect();
    starts.sort_unstable();
    starts.dedup();
    for start in starts {
        if ((count(start) + count(start + 1)) as f64) < floor {
            continue;
        }
        let (first, last) = (start, start + 1);
        match found.last_mut() {
            Some(open) if first <= open.last_bucket + 1 => open.last_bucket = last,
            _ => found.push(Burst {
                first_bucket: first,
                last_bucket: last,
                responses: 0,
            }),
        }
    }
    for burst in &mut found {
        // Trim empty edge buckets, then count what is inside.
        while count(burst.first_bucket) == 0 && burst.first_bucket < burst.last_bucket {
            burst.first_bucket += 1;
        }
        while count(burst.last_bucket) == 0 && burst.last_bucket > burst.first_bucket {
            burst.last_bucket -= 1;
        }
        burst.responses = (burst.first_bucket..=burst.last_bucket).map(count).sum();
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_join_touching_windows_and_ignore_the_usual_pace() {
        // Quiet: 2 or 3 responses per 10 minutes is no burst.
        assert_eq!(bursts(&[(10, 2), (11, 2), (12, 1), (13, 2)], 0.1), vec![]);
        // 5 in one bucket is a burst; so are 3 + 2 split over a bucket boundary.
        assert_eq!(
            bursts(&[(10, 5)], 0.1),
            vec![Burst {
                first_bucket: 10,
                last_bucket: 10,
                responses: 5
            }]
        );
        assert_eq!(
            bursts(&[(20, 3), (21, 2)], 0.0),
            vec![Burst {
                first_bucket: 20,
                last_bucket: 21,
                responses: 5
            }]
        );
        // Touching hot windows make one stretch; a later one is separate.
        assert_eq!(
            bursts(&[(30, 4), (31, 4), (32, 4), (34, 1), (40, 6)], 0.2),
            vec![
                Burst {
                    first_bucket: 30,
                    last_bucket: 32,
                    responses: 12
                },
                Burst {
                    first_bucket: 40,
                    last_bucket: 40,
                    responses: 6
                },
            ]
        );
        // A busy center's usual pace raises the floor: 8 in 10 minutes is its normal.
        assert_eq!(bursts(&[(50, 4), (51, 4)], 2.0), vec![]);
        assert_eq!(bursts(&[(50, 6), (51, 5)], 2.0).len(), 1);
    }

    fn form() -> Form {
        Form {
            ratings: [Some("4".into()), Some("3".into()), None, Some("1".into())],
            recommend: Some("9".into()),
            ..Form::default()
        }
    }

    #[test]
    fn a_form_is_checked_field_by_field() {
        let ok = check_form(&form()).unwrap();
        assert_eq!(ok.ratings, [Some(4), Some(3), None, Some(1)]);
        assert_eq!(ok.recommend, Some(9));
        let mut bad = form();
        bad.ratings[2] = Some("5".into());
        bad.recommend = Some("11".into());
        let errors = check_form(&bad).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["waiting", "recommend"]);
        let empty = check_form(&Form::default()).unwrap_err();
        assert_eq!(empty[0].field, "premises");
        // Consent without a way to call back is named; contact details without consent are dropped.
        let mut consent = form();
        consent.callback_consent = true;
        consent.contact_name = Some("Олена".into());
        let errors = check_form(&consent).unwrap_err();
        assert_eq!(errors[0].field, "contactPhone");
        let mut no_consent = form();
        no_consent.contact_name = Some("Олена".into());
        no_consent.contact_phone = Some("+380501234567".into());
        assert_eq!(check_form(&no_consent).unwrap().contact, None);
    }

    #[test]
    fn typed_text_follows_the_one_rule_for_text() {
        let with = |f: &dyn Fn(&mut Form)| {
            let mut x = form();
            x.callback_consent = true;
            x.contact_name = Some("Олена".into());
            x.contact_phone = Some("+380 50 123 45 67".into());
            f(&mut x);
            check_form(&x)
        };
        let ok = with(&|_| {}).unwrap();
        assert_eq!(ok.contact.unwrap().phone.as_deref(), Some("+380501234567"));
        for (field, change) in [
            (
                "contactName",
                Box::new(|x: &mut Form| x.contact_name = Some("Оле\u{0}на".into())) as Box<dyn Fn(&mut Form)>,
            ),
            (
                "contactName",
                Box::new(|x: &mut Form| x.contact_name = Some("\u{200B}\u{200B}".into())),
            ),
            (
                "contactName",
                Box::new(|x: &mut Form| x.contact_name = Some("Олена\u{202E}анеЛО".into())),
            ),
            (
                "contactName",
                Box::new(|x: &mut Form| x.contact_name = Some("я".repeat(100_000))),
            ),
            (
                "comment",
                Box::new(|x: &mut Form| x.comment = Some("добре\u{202E}ане".into())),
            ),
            ("comment", Box::new(|x: &mut Form| x.comment = Some("a\u{0}b".into()))),
            ("comment", Box::new(|x: &mut Form| x.comment = Some("я".repeat(2_001)))),
            ("service", Box::new(|x: &mut Form| x.service = Some("S".repeat(41)))),
        ] {
            let errors = with(&*change).unwrap_err();
            assert!(errors.iter().any(|e| e.field == field), "{field}: {errors:?}");
        }
        // Comments are kept in NFC, and their length counts characters.
        let nfc = with(&|x| x.comment = Some("Андрі\u{0438}\u{0306}".into())).unwrap();
        assert_eq!(nfc.comment.as_deref(), Some("Андрій"));
        assert!(with(&|x| x.comment = Some("я".repeat(2_000))).is_ok());
    }

    #[test]
    fn personal_data_is_masked() {
        let (text, found) = mask_personal_data(
            "Мене звати Олена Петренко, телефон +380 50 123 45 67, пишіть на olena.p@ukr.net. \
             Паспорт КВ 123456, ІПН 3000000008. Черга 40 хв, 2 вікна з 6.",
        );
        assert_eq!(
            text,
            "Мене звати [ім'я], телефон [телефон], пишіть на [e-mail]. \
             Паспорт [номер документа], ІПН [номер документа]. Черга 40 хв, 2 вікна з 6."
        );
        assert_eq!(found, [Masked::Email, Masked::Phone, Masked::Name, Masked::Document]);
        let (text, found) = mask_personal_data("Дзвоніть 050-123-45-67 або (067) 1234567");
        assert_eq!(text, "Дзвоніть [телефон] або [телефон]");
        assert_eq!(found, [Masked::Phone]);
        // Ordinary numbers stay: times, counts, years, room numbers.
        let plain = "О 9:30 у 2026 році чекав 25 хвилин біля кабінету 104.";
        assert_eq!(mask_personal_data(plain), (plain.to_string(), vec![]));
    }

    #[test]
    fn risk_needs_two_soft_signals_to_be_suspicious() {
        let ok = check_form(&form()).unwrap();
        let human = Signals {
            fill_seconds: Some(40),
            center_usual_per_10_minutes: 0.2,
            min_fill_seconds: MIN_FILL_SECONDS,
            invited: false,
            ..Signals::default()
        };
        assert_eq!(risk(&ok, &human).score, 0);
        let fast = Signals {
            fill_seconds: Some(2),
            ..human.clone()
        };
        let r = risk(&ok, &fast);
        assert!(r.score >= SUSPICIOUS, "{r:?}");
        assert_eq!(r.reasons[0], crate::msg!("risk-fast-fill", seconds = 2, min = 5));
        let shared_wifi = Signals {
            same_address_last_hour: 4,
            ..human.clone()
        };
        assert!(risk(&ok, &shared_wifi).score < SUSPICIOUS);
        let burst_from_one_place = Signals {
            same_address_last_hour: 4,
            center_last_10_minutes: 12,
            ..human
        };
        let r = risk(&ok, &burst_from_one_place);
        assert!(r.score >= SUSPICIOUS, "{r:?}");
        assert_eq!(r.reasons.len(), 2);
    }

    #[test]
    fn a_response_s_comment_waits_for_a_moderator_unless_the_client_trusts_unsuspicious_ones() {
        let mut with_comment = form();
        with_comment.comment = Some("Мене звати Олена Петренко, черга 40 хвилин".into());
        let r = check_form(&with_comment).unwrap();
        let calm = Signals {
            fill_seconds: Some(40),
            min_fill_seconds: MIN_FILL_SECONDS,
            invited: false,
            ..Signals::default()
        };
        let moderated = decide_response(&r, &calm, true);
        assert!(moderated.counted && !moderated.holds_burst);
        assert_eq!(moderated.moderation, Moderation::Pending);
        assert_eq!(
            moderated.masked.as_ref().unwrap().0,
            "Мене звати [ім'я], черга 40 хвилин"
        );
        assert_eq!(decide_response(&r, &calm, false).moderation, Moderation::Published);
        let fast = Signals {
            fill_seconds: Some(1),
            ..calm.clone()
        };
        let suspicious = decide_response(&r, &fast, false);
        assert!(!suspicious.counted);
        assert_eq!(
            suspicious.moderation,
            Moderation::Pending,
            "a suspicious comment still waits"
        );
        let no_comment = check_form(&form()).unwrap();
        assert_eq!(decide_response(&no_comment, &calm, false).moderation, Moderation::None);
    }

    #[test]
    fn a_burst_of_new_devices_is_held_but_known_devices_still_count() {
        let ok = check_form(&form()).unwrap();
        let quiet = Signals {
            fill_seconds: Some(40),
            center_usual_per_10_minutes: 0.1,
            min_fill_seconds: MIN_FILL_SECONDS,
            invited: false,
            new_device: true,
            ..Signals::default()
        };
        // A citizen who just scanned the poster, on an ordinary day: not suspicious at all.
        assert_eq!(risk(&ok, &quiet).score, 0);
        let flood = Signals {
            center_last_10_minutes: 5,
            ..quiet.clone()
        };
        assert!(in_burst(&flood));
        let r = risk(&ok, &flood);
        assert!(r.score >= SUSPICIOUS, "{r:?}");
        assert_eq!(r.reasons[1], crate::msg!("risk-new-device-in-burst"));
        // A device that has been around for days is not held by the burst alone.
        let known = Signals {
            new_device: false,
            ..flood.clone()
        };
        assert!(risk(&ok, &known).score < SUSPICIOUS);
        // Answers to the morning's invitations come in a burst too: each is one reported service, so it counts.
        let invited = Signals {
            invited: true,
            ..flood.clone()
        };
        let decided = decide_response(&ok, &invited, false);
        assert!(decided.counted && !decided.holds_burst, "{decided:?}");
        // A busy center's usual pace raises the floor.
        let busy = Signals {
            center_usual_per_10_minutes: 2.0,
            ..flood
        };
        assert!(!in_burst(&busy));
    }
}
