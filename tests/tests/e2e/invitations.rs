//! Invitations after a service, end to end with the service's clock under the test's control (never a sleep to
//! let time pass): a center's system reports a service with the citizen's phone → the invitation waits for its
//! delay and the center's quiet hours → the outbox hands it to a TurboSMS stand-in (a real HTTP server speaking
//! its shapes) → delivery reports, repeated and out of order, move it on and never back → the citizen opens the
//! link and answers once (a second form of the same link is refused) → counted once in the index as a VIBER
//! response. The opt-out link, the provider's stop list and a rejected number stop messages for good; 429 with
//! Retry-After, 5xx, time-outs and an answer lost after the provider accepted are retried with the same
//! idempotency key and give exactly one message.

use std::time::{Duration, Instant};

use chrono::TimeZone as _;
use chrono_tz::Europe::Kyiv;
use fieldwork::config::Settings;
use fieldwork::domain::Role;
use fieldwork_e2e::turbosms::{Misbehave, TurboSmsStandIn, TOKEN};
use fieldwork_e2e::{ClientSetup, Options, TestApp};
use serde_json::{json, Value};

struct World {
    app: TestApp,
    provider: TurboSmsStandIn,
    key: String,
    #[allow(dead_code)]
    setup: ClientSetup,
}

/// A server whose outbox talks to a fresh TurboSMS stand-in, a Lviv center, and a key for its system; the clock
/// set to a winter morning in Kyiv.
async fn world(morning: (u32, u32)) -> World {
    world_with(morning, |_| {}).await
}

/// The same, with more settings of the test's own.
async fn world_with(morning: (u32, u32), more: impl FnOnce(&mut Settings) + Send + 'static) -> World {
    let provider = TurboSmsStandIn::start().await;
    let url = provider.url.clone();
    let (app, key, setup) = center_with_key(morning, move |s| {
        s.invitations.provider = "turbosms".into();
        s.invitations.turbosms.base_url = url;
        s.invitations.turbosms.token = Some(TOKEN.to_string().into());
        more(s);
    })
    .await;
    World {
        app,
        provider,
        key,
        setup,
    }
}

/// A server with the provider the test sets up (and a quick outbox), a Lviv center, and a key for its system.
pub(crate) async fn center_with_key(
    morning: (u32, u32),
    provider: impl FnOnce(&mut Settings) + Send + 'static,
) -> (TestApp, String, ClientSetup) {
    let app = TestApp::spawn_with(Options {
        tweak: Box::new(move |s| {
            s.invitations.poll_interval_ms = 50;
            s.invitations.status_poll_ms = 0;
            s.invitations.retry_base_ms = 2_000;
            s.invitations.retry_max_ms = 60_000;
            s.invitations.request_timeout_ms = 700;
            s.public_url = Some("https://cnap.example.ua".into());
            provider(s);
        }),
        ..Options::default()
    })
    .await;
    app.clock.set(kyiv(8, morning.0, morning.1));
    let admin = app.staff(Role::Admin).await.token;
    let setup = app.client_with_checklist(&admin, "ЦНАП України").await;
    let body = app
        .gql(
            Some(&setup.token),
            "mutation($c: ID!) { createVenue(input: { clientId: $c, externalCode: \"LV-1\", name: \"ЦНАП Личаків\", \
             type: \"CNAP\", oblast: \"Львівська\", location: { lat: 49.8397, lon: 24.0297 }, geofenceM: 150 }) { id } }",
            json!({ "c": setup.client }),
        )
        .await;
    assert!(body["data"]["createVenue"]["id"].is_string(), "{body}");
    let issued = app
        .gql(
            Some(&admin),
            "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }",
            json!({ "i": { "name": "Черга", "scopes": ["events:write"], "clientId": setup.client } }),
        )
        .await;
    let key = issued["data"]["createApiKey"]["secret"]
        .as_str()
        .unwrap_or_else(|| panic!("{issued}"))
        .to_string();
    (app, key, setup)
}

/// 2026-12-`day` at `h:m` in Kyiv (and Lviv), as ms.
pub(crate) fn kyiv(day: u32, h: u32, m: u32) -> i64 {
    Kyiv.with_ymd_and_hms(2026, 12, day, h, m, 0)
        .unwrap()
        .timestamp_millis()
}

/// Reports one service with a phone; returns the event's id.
async fn report(w: &World, external_id: &str, phone: &str, completed_at: i64, messenger: &str) -> String {
    report_to(&w.app, &w.key, external_id, phone, completed_at, messenger).await
}

pub(crate) async fn report_to(
    app: &TestApp,
    key: &str,
    external_id: &str,
    phone: &str,
    completed_at: i64,
    messenger: &str,
) -> String {
    let body = json!({ "events": [{
        "externalId": external_id, "center": "LV-1", "service": "RESIDENCE",
        "completedAt": chrono::DateTime::from_timestamp_millis(completed_at).unwrap().to_rfc3339(),
        "phone": phone, "messenger": messenger, "consent": true,
    }]});
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/service-events", app.base_url))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap();
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["results"][0]["status"], "ACCEPTED", "{answer}");
    answer["results"][0]["eventId"].as_str().unwrap().to_string()
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Row {
    pub status: String,
    pub reason: Option<String>,
    pub due_at: Option<i64>,
    pub channel: Option<String>,
    pub token: Option<String>,
}

/// The invitation of an event, once it was decided (polling, with a deadline).
pub(crate) async fn invitation(app: &TestApp, event_id: &str) -> Row {
    invitation_where(app, event_id, |_| true).await
}

/// The invitation once `ready` holds for it.
pub(crate) async fn invitation_where(app: &TestApp, event_id: &str, mut ready: impl FnMut(&Row) -> bool) -> Row {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let row: Option<Row> =
            sqlx::query_as("SELECT status, reason, due_at, channel, token FROM invitations WHERE event_id = $1")
                .bind(event_id)
                .fetch_optional(app.db.pool())
                .await
                .unwrap();
        if let Some(row) = row {
            if ready(&row) {
                return row;
            }
            assert!(Instant::now() < deadline, "the invitation stayed {row:?}");
        } else {
            assert!(Instant::now() < deadline, "the event was never decided");
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// The link in a message: `https://cnap.example.ua/i/<code>` → the path on the test server.
pub(crate) fn link_path(text: &str) -> String {
    let at = text.find("https://cnap.example.ua/i/").expect("a link in the text");
    text[at + "https://cnap.example.ua".len()..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

pub(crate) async fn get(app: &TestApp, path: &str) -> (u16, String) {
    let response = reqwest::get(format!("{}{path}", app.base_url)).await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

pub(crate) async fn post_form(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let response = reqwest::Client::new()
        .post(format!("{}{path}", app.base_url))
        .form(fields)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn a_service_reported_at_dawn_is_invited_at_nine_delivered_answered_once_and_counted() {
    let w = world((7, 30)).await;
    let app = &w.app;
    let event = report(&w, "E-1", "050 123 45 67", kyiv(8, 7, 20), "VIBER").await;

    // Half an hour after the service is 07:50, before the center's window: it waits for 09:00 local.
    let planned = invitation(app, &event).await;
    assert_eq!(planned.status, "PLANNED");
    assert_eq!(planned.due_at, Some(kyiv(8, 9, 0)));
    assert!(w.provider.taken().is_empty(), "nothing leaves in quiet hours");

    app.clock.set(kyiv(8, 9, 0) + 5_000);
    let taken = w.provider.wait_for(1).await;
    let message = &taken[0];
    assert_eq!(
        message.phone, "380501234567",
        "E.164 without the plus, as TurboSMS takes it"
    );
    assert_eq!(
        message.viber_text.as_deref(),
        message.sms_text.as_deref(),
        "Viber first, the SMS as fallback"
    );
    assert_eq!(message.viber_ttl, Some(3_600));
    assert!(message.sequence_id.is_some(), "the attempt's id is the idempotency key");
    assert!(
        message.text().chars().count() <= 70,
        "one Cyrillic segment: {:?} ({} characters)",
        message.text(),
        message.text().chars().count()
    );
    assert!(
        message.text().starts_with("Оцініть послугу: https://"),
        "{}",
        message.text()
    );
    let queued = invitation_where(app, &event, |r| r.status == "QUEUED").await;
    let segments: i64 = sqlx::query_scalar("SELECT segments FROM invitations WHERE event_id = $1")
        .bind(&event)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(segments, 1);

    // Reports: delivered by Viber (twice), then a late "sent", then read: seen in that order, never back.
    w.provider.report(
        &message.message_id,
        &[
            ("Delivered", "viber"),
            ("Delivered", "viber"),
            ("Sent", "viber"),
            ("Read", "viber"),
        ],
    );
    let mut seen = vec![queued.status.clone()];
    let read = invitation_where(app, &event, |r| {
        if seen.last() != Some(&r.status) {
            seen.push(r.status.clone());
        }
        r.status == "READ"
    })
    .await;
    assert!(
        seen.iter()
            .all(|s| ["QUEUED", "DELIVERED", "READ"].contains(&s.as_str())),
        "{seen:?}"
    );
    assert_eq!(read.channel.as_deref(), Some("VIBER"));
    assert!(w.provider.status_requests() >= 4, "asked until it was read");

    // A messenger's link preview fetches the link as the message arrives: not counted as opened.
    let path = link_path(message.text());
    for agent in [
        "TelegramBot (like TwitterBot)",
        "WhatsApp/2.23.20.0 A",
        "facebookexternalhit/1.1",
    ] {
        let preview = reqwest::Client::new()
            .get(format!("{}{path}", app.base_url))
            .header("user-agent", agent)
            .send()
            .await
            .unwrap();
        assert_eq!(preview.status().as_u16(), 200);
    }
    let opened: Option<i64> = sqlx::query_scalar("SELECT opened_at FROM invitations WHERE event_id = $1")
        .bind(&event)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(opened, None, "previews are not the citizen");

    // The link opens the form with the center and the service known; two tabs of it get two forms.
    assert_eq!(
        Some(path.trim_start_matches("/i/").split('.').next().unwrap()),
        queued.token.as_deref()
    );
    let (status, page) = get(app, &path).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("ЦНАП Личаків"));
    assert!(
        page.contains("<option value=\"RESIDENCE\" selected>"),
        "the service is chosen already"
    );
    assert!(page.contains(&format!("{path}/stop")), "the opt-out link");
    let first = fieldwork_e2e::form_token(&page);
    let (_, second_tab) = get(app, &path).await;
    let second = fieldwork_e2e::form_token(&second_tab);
    let opened: Option<i64> = sqlx::query_scalar("SELECT opened_at FROM invitations WHERE event_id = $1")
        .bind(&event)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert!(opened.is_some());

    let answer = |token: &str| {
        vec![
            ("token", token.to_string()),
            ("service", "RESIDENCE".to_string()),
            ("staff", "4".to_string()),
            ("waiting", "2".to_string()),
            ("recommend", "9".to_string()),
        ]
    };
    // The citizen takes a minute to fill it in (a form sent within seconds of opening is a script's).
    app.clock.advance(Duration::from_secs(60));
    let fields = answer(&first);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, page) = post_form(app, &path, &fields).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Дякуємо за відгук"));
    // The same form again is the same answer; the other tab's form is refused: one answer per invitation.
    let (status, page) = post_form(app, &path, &fields).await;
    assert_eq!(status, 200);
    assert!(page.contains("Дякуємо за відгук"));
    let other = answer(&second);
    let other: Vec<(&str, &str)> = other.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, page) = post_form(app, &path, &other).await;
    assert_eq!(status, 409, "{page}");
    assert!(page.contains("Відгук уже надіслано"));
    let (status, _) = get(app, &path).await;
    assert_eq!(status, 409, "the link is answered");

    let kept: Vec<(String, Option<String>, i64)> =
        sqlx::query_as("SELECT channel, service_code, counted FROM feedback_responses")
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    assert_eq!(kept, vec![("VIBER".to_string(), Some("RESIDENCE".to_string()), 1)]);
    // (one row per period the index keeps: the month, the quarter…)
    let counted: Vec<(String, i64)> = sqlx::query_as("SELECT DISTINCT channel, rated FROM index_tallies")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    assert_eq!(
        counted,
        vec![("VIBER".to_string(), 1)],
        "counted once, as its own channel"
    );
    assert_eq!(w.provider.taken().len(), 1, "one message in all");

    // A week later the link has lapsed (another event's link, never answered).
    app.clock.set(kyiv(8, 10, 1));
    let event = report(&w, "E-2", "+380671112233", kyiv(8, 10, 0), "SMS").await;
    app.clock.set(kyiv(8, 10, 31));
    let taken = w.provider.wait_for(2).await;
    assert_eq!(taken[1].viber_text, None, "SMS only, as the citizen prefers");
    invitation_where(app, &event, |r| r.status == "QUEUED").await;
    app.clock.set(kyiv(16, 10, 0));
    let (status, page) = get(app, &link_path(taken[1].text())).await;
    assert_eq!(status, 410, "{page}");
    let (status, _) = get(app, "/i/aaaaaaaaaa.bbbbbbbb").await;
    assert_eq!(status, 404, "a forged link");

    // What staff see: the funnel of the month, and a policy refused at its field.
    let coordinator = app.staff(Role::Coordinator).await.token;
    let body = app
        .gql(
            Some(&coordinator),
            "query($c: ID!) { invitationFunnel(clientId: $c, from: \"2026-12-01\", to: \"2026-12-31\") { reported \
             withPhone invited sent delivered read opened answered responseRate segments provider { name waiting } } }",
            json!({ "c": w.setup.client }),
        )
        .await;
    let funnel = &body["data"]["invitationFunnel"];
    assert_eq!(
        funnel,
        &json!({ "reported": 2, "withPhone": 2, "invited": 2, "sent": 2, "delivered": 1, "read": 1, "opened": 1,
                 "answered": 1, "responseRate": 0.5, "segments": 2, "provider": { "name": "turbosms", "waiting": 0 } }),
        "{body}"
    );
    let refused = app
        .gql(
            Some(&coordinator),
            "mutation($c: ID!) { setInvitationPolicy(clientId: $c, input: { share: 1.5, cooldownDays: 30, \
             delayMinutes: 30, windowStart: \"09:00\", windowEnd: \"20:00\", maxWaitHours: 24 }) { share } }",
            json!({ "c": w.setup.client }),
        )
        .await;
    assert_eq!(fieldwork_e2e::error_field(&refused), Some("share"), "{refused}");
    w.app.stop().await;
}

#[tokio::test]
async fn an_opted_out_phone_a_stop_listed_and_a_rejected_number_are_never_messaged_again() {
    let w = world((10, 0)).await;
    let app = &w.app;
    w.provider.stop_list("380672223344");
    w.provider.reject("380933334455");
    let first = report(&w, "O-1", "0501234567", kyiv(8, 9, 50), "VIBER").await;
    let stop_listed = report(&w, "O-2", "0672223344", kyiv(8, 9, 50), "VIBER").await;
    let rejected = report(&w, "O-3", "0933334455", kyiv(8, 9, 50), "VIBER").await;
    app.clock.set(kyiv(8, 10, 21));
    let taken = w.provider.wait_for(1).await;
    let stopped = invitation_where(app, &stop_listed, |r| r.status != "PLANNED").await;
    assert_eq!(
        (stopped.status.as_str(), stopped.reason.as_deref()),
        ("OPTED_OUT", Some("STOP_LISTED"))
    );
    let failed = invitation_where(app, &rejected, |r| r.status != "PLANNED").await;
    assert_eq!(
        (failed.status.as_str(), failed.reason.as_deref()),
        ("FAILED", Some("REJECTED_NUMBER"))
    );
    invitation_where(app, &first, |r| r.status == "QUEUED").await;

    // The citizen follows the link to stop messages: a GET only asks (link previews open links), POST stops.
    let stop = format!("{}/stop", link_path(taken[0].text()));
    let (status, page) = get(app, &stop).await;
    assert_eq!(status, 200);
    assert!(page.contains("Так, не надсилати"));
    assert_eq!(
        app.count("phone_opt_outs").await,
        1,
        "only the stop-listed number so far"
    );
    let (status, page) = post_form(app, &stop, &[("lang", "uk")]).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("більше не надсилатимемо"));
    assert_eq!(app.count("phone_opt_outs").await, 2);

    // Six weeks on (past the cooldown), both phones come again: neither is messaged.
    app.clock.set(kyiv(8, 10, 0) + 42 * 86_400_000);
    let now = app.clock.now_ms();
    let again = report(&w, "O-4", "+380501234567", now - 600_000, "VIBER").await;
    let again_stop_listed = report(&w, "O-5", "+380672223344", now - 600_000, "SMS").await;
    for event in [&again, &again_stop_listed] {
        let row = invitation(app, event).await;
        assert_eq!(
            (row.status.as_str(), row.reason.as_deref()),
            ("SKIPPED", Some("OPTED_OUT"))
        );
    }
    // The third number was only unreachable: it is asked again (and refused again by the provider).
    let third = report(&w, "O-6", "+380933334455", now - 600_000, "VIBER").await;
    app.clock.set(now + 40 * 60_000);
    let row = invitation_where(app, &third, |r| r.status != "PLANNED").await;
    assert_eq!(row.reason.as_deref(), Some("REJECTED_NUMBER"));
    assert_eq!(w.provider.taken().len(), 1, "one message in all");
    w.app.stop().await;
}

#[tokio::test]
async fn a_provider_that_limits_fails_and_stalls_gets_the_message_once() {
    let w = world((12, 0)).await;
    let app = &w.app;
    w.provider.script([
        Misbehave::RateLimited(120),
        Misbehave::ServerError(502),
        Misbehave::Slow(Duration::from_millis(1_500)),
        Misbehave::TakenThenSlow(Duration::from_millis(1_500)),
    ]);
    let event = report(&w, "R-1", "+380501234567", kyiv(8, 11, 40), "VIBER").await;
    // (state, tries, next attempt, last error, whether a server holds it now)
    let attempt = |app: &TestApp| {
        let pool = app.db.pool().clone();
        async move {
            let (state, tries, next, error, locked) =
                sqlx::query_as::<_, (String, i64, i64, Option<String>, Option<i64>)>(
                    "SELECT state, tries, next_attempt_at, last_error, locked_until FROM invitation_attempts",
                )
                .fetch_one(&pool)
                .await
                .unwrap();
            (state, tries, next, error, locked.is_some())
        }
    };
    assert_eq!(invitation(app, &event).await.due_at, Some(kyiv(8, 12, 10)));
    // 12:10 is due: 429 with Retry-After 120 s; the next try waits at least that long.
    let due = kyiv(8, 12, 10);
    app.clock.set(due + 1_000);
    let deadline = Instant::now() + Duration::from_secs(20);
    let (state, _, next, error, _) = loop {
        let a = attempt(app).await;
        if a.1 == 1 && !a.4 {
            break a;
        }
        assert!(Instant::now() < deadline, "no first try: {a:?}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    };
    assert_eq!((state.as_str(), error.as_deref()), ("PENDING", Some("HTTP 429")));
    assert!(next >= due + 1_000 + 120_000, "not before Retry-After");
    assert_eq!(w.provider.send_requests(), 1);

    // Then 502, a time-out, and an answer lost after the provider took the message: retried each time with the
    // same idempotency key, so the provider keeps one message.
    for expected in [2, 3, 4, 5] {
        let (_, _, next, _, _) = attempt(app).await;
        app.clock.set(next + 1);
        let deadline = Instant::now() + Duration::from_secs(20);
        while w.provider.send_requests() < expected {
            assert!(Instant::now() < deadline, "try {expected} never came");
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let (_, tries, _, _, held) = attempt(app).await;
            if tries == expected as i64 && !held {
                break;
            }
            assert!(Instant::now() < deadline, "try {expected} never settled");
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
    let (state, tries, _, _, _) = attempt(app).await;
    assert_eq!((state.as_str(), tries), ("ACCEPTED", 5));
    let taken = w.provider.taken();
    assert_eq!(taken.len(), 1, "one message, though the provider was asked five times");
    invitation_where(app, &event, |r| r.status == "QUEUED").await;
    w.app.stop().await;
}

#[tokio::test]
async fn two_servers_on_one_database_send_each_invitation_once() {
    let w = world((12, 0)).await;
    let app = &w.app;
    let mut settings = app.settings.clone();
    settings.listen = "127.0.0.1:0".parse().unwrap();
    let second = fieldwork::startup::Application::build(settings)
        .await
        .expect("a second server");
    let second_clock = second.clock();
    second_clock.set(app.clock.now_ms());
    let cancel = tokio_util::sync::CancellationToken::new();
    let running = tokio::spawn(second.run_until(cancel.clone().cancelled_owned()));

    let completed = chrono::DateTime::from_timestamp_millis(kyiv(8, 11, 50))
        .unwrap()
        .to_rfc3339();
    let events: Vec<Value> = (0..40)
        .map(|i| {
            json!({ "externalId": format!("M-{i}"), "center": "LV-1", "service": "PASSPORT", "completedAt": completed,
                    "phone": format!("+38050000{:04}", 1000 + i), "consent": true })
        })
        .collect();
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/service-events", app.base_url))
        .bearer_auth(&w.key)
        .json(&json!({ "events": events }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let deadline = Instant::now() + Duration::from_secs(20);
    while app.count("invitation_attempts").await < 40 {
        assert!(Instant::now() < deadline, "not all planned");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(
        app.count("invitations").await,
        40,
        "each event decided once by two planners"
    );

    // Both servers' clocks reach 12:20 together; both outboxes go for the same forty attempts.
    let due = kyiv(8, 12, 20) + 1_000;
    app.clock.set(due);
    second_clock.set(due);
    w.provider.wait_for(40).await;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let queued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM invitations WHERE status = 'QUEUED'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        if queued == 40 {
            break;
        }
        assert!(Instant::now() < deadline, "{queued} of 40 recorded");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let taken = w.provider.taken();
    let keys: std::collections::HashSet<_> = taken.iter().map(|t| t.sequence_id.clone()).collect();
    assert_eq!((taken.len(), keys.len()), (40, 40));
    assert_eq!(w.provider.send_requests(), 40, "each attempt was claimed by one server");
    cancel.cancel();
    running.await.unwrap().unwrap();
    w.app.stop().await;
}

#[tokio::test]
async fn viber_sent_alone_is_followed_by_the_sms_with_the_same_link_when_it_does_not_deliver() {
    // Viber alone (a provider or an account without hybrid sending): the outbox sends the SMS itself.
    let w = world_with((12, 0), |s| s.invitations.turbosms.hybrid = false).await;
    let app = &w.app;
    let expired = report(&w, "F-1", "+380501234567", kyiv(8, 11, 40), "VIBER").await;
    let silent = report(&w, "F-2", "+380501234568", kyiv(8, 11, 41), "VIBER").await;
    app.clock.set(kyiv(8, 12, 12));
    let taken = w.provider.wait_for(2).await;
    for message in &taken {
        assert_eq!(message.sms_text, None, "Viber alone: no SMS part in the request");
        assert_eq!(message.viber_ttl, Some(3_600));
    }
    invitation_where(app, &expired, |r| {
        r.status == "QUEUED" && r.channel.as_deref() == Some("VIBER")
    })
    .await;
    let first = taken.iter().find(|t| t.phone == "380501234567").unwrap().clone();
    let second = taken.iter().find(|t| t.phone == "380501234568").unwrap().clone();

    // The first one's Viber expires (the provider says so): the SMS follows at once, with the same link and a
    // key of its own.
    w.provider.report(&first.message_id, &[("Expired", "viber")]);
    w.provider.report(&second.message_id, &[("Sent", "viber")]);
    let taken = w.provider.wait_for(3).await;
    let sms = &taken[2];
    assert_eq!(sms.phone, "380501234567");
    assert_eq!(sms.viber_text, None, "the fallback is an SMS");
    assert_eq!(sms.sms_text.as_deref(), Some(first.text()), "the same link");
    assert_ne!(sms.sequence_id, first.sequence_id, "an attempt of its own");
    let row = invitation_where(app, &expired, |r| r.channel.as_deref() == Some("SMS")).await;
    assert_eq!(row.status, "QUEUED", "still on its way, not failed");
    w.provider.report(&sms.message_id, &[("Delivered", "sms")]);
    app.clock.set(kyiv(8, 12, 20));
    let row = invitation_where(app, &expired, |r| r.status == "DELIVERED").await;
    assert_eq!(row.channel.as_deref(), Some("SMS"));

    // The second one is only ever "sent" on Viber: when its time to live (and a grace for a late report) has
    // passed, the SMS follows too; once.
    app.clock.set(kyiv(8, 13, 10));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(w.provider.taken().len(), 3, "not before the time to live has passed");
    app.clock.set(kyiv(8, 13, 20));
    let taken = w.provider.wait_for(4).await;
    assert_eq!(taken[3].phone, "380501234568");
    assert_eq!(taken[3].sms_text.as_deref(), Some(second.text()));
    invitation_where(app, &silent, |r| r.channel.as_deref() == Some("SMS")).await;
    app.clock.set(kyiv(8, 15, 0));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(w.provider.taken().len(), 4, "one fallback per invitation");
    let attempts: Vec<(i64, Option<String>, String)> = sqlx::query_as(
        "SELECT a.number, a.channel, a.state FROM invitation_attempts a JOIN invitations i ON i.id = a.invitation_id \
         WHERE i.event_id = $1 ORDER BY a.number",
    )
    .bind(&silent)
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(
        attempts,
        vec![
            (1, Some("VIBER".to_string()), "ACCEPTED".to_string()),
            (2, Some("SMS".to_string()), "ACCEPTED".to_string())
        ]
    );
    w.app.stop().await;
}

#[tokio::test]
async fn a_viber_fallback_due_in_quiet_hours_waits_for_the_morning() {
    let w = world_with((18, 35), |s| s.invitations.turbosms.hybrid = false).await;
    let app = &w.app;
    let event = report(&w, "Q-1", "+380501234567", kyiv(8, 18, 30), "VIBER").await;
    app.clock.set(kyiv(8, 19, 1));
    let taken = w.provider.wait_for(1).await;
    // Undelivered, heard after the window closed: the SMS is planned for the morning.
    app.clock.set(kyiv(8, 20, 30));
    w.provider.report(&taken[0].message_id, &[("Undelivered", "viber")]);
    let deadline = Instant::now() + Duration::from_secs(20);
    let next: i64 = loop {
        let next: Option<i64> = sqlx::query_scalar(
            "SELECT a.next_attempt_at FROM invitation_attempts a JOIN invitations i ON i.id = a.invitation_id \
             WHERE i.event_id = $1 AND a.number = 2",
        )
        .bind(&event)
        .fetch_optional(app.db.pool())
        .await
        .unwrap();
        if let Some(next) = next {
            break next;
        }
        assert!(Instant::now() < deadline, "no fallback planned");
        tokio::time::sleep(Duration::from_millis(25)).await;
    };
    assert_eq!(next, kyiv(9, 9, 0), "the SMS waits for 09:00 in Lviv");
    assert_eq!(w.provider.taken().len(), 1);
    app.clock.set(kyiv(9, 9, 1));
    let taken = w.provider.wait_for(2).await;
    assert_eq!(taken[1].sms_text.as_deref(), Some(taken[0].text()));
    w.app.stop().await;
}
