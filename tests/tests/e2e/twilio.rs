//! Invitations through Twilio, the international provider whose delivery reports are pushed and signed: the
//! stand-in (`fieldwork_e2e::twilio`) speaks its request, error and report shapes. The service's public URL is
//! `https://cnap.example.ua` (behind a proxy, as in production); the stand-in posts the reports to the test
//! server but signs the URL as given, as Twilio would.

use std::time::{Duration, Instant};

use fieldwork_e2e::twilio::{Misbehave, TwilioStandIn, ACCOUNT_SID, AUTH_TOKEN};
use fieldwork_e2e::TestApp;

use crate::invitations::{center_with_key, invitation, invitation_where, kyiv, link_path, report_to};

async fn twilio_world(morning: (u32, u32)) -> (TestApp, String, TwilioStandIn) {
    twilio_world_with(morning, |_| {}).await
}

async fn twilio_world_with(
    morning: (u32, u32),
    more: impl FnOnce(&mut fieldwork::config::Settings) + Send + 'static,
) -> (TestApp, String, TwilioStandIn) {
    let twilio = TwilioStandIn::start().await;
    let url = twilio.url.clone();
    let (app, key, _) = center_with_key(morning, move |s| {
        s.invitations.provider = "twilio".into();
        s.invitations.twilio.base_url = url;
        s.invitations.twilio.account_sid = ACCOUNT_SID.into();
        s.invitations.twilio.auth_token = Some(AUTH_TOKEN.to_string().into());
        s.invitations.twilio.from = "CNAP".into();
        s.invitations.twilio.safety_poll_ms = 10 * 60_000;
        more(s);
    })
    .await;
    twilio.deliver_reports_to(&app.base_url);
    (app, key, twilio)
}

/// The attempt of an event's invitation: (id, state, provider's message id).
async fn attempt(app: &TestApp, event_id: &str) -> (String, String, Option<String>) {
    sqlx::query_as(
        "SELECT a.id, a.state, a.provider_message_id FROM invitation_attempts a \
         JOIN invitations i ON i.id = a.invitation_id WHERE i.event_id = $1 ORDER BY a.number DESC",
    )
    .bind(event_id)
    .fetch_one(app.db.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn twilio_sends_the_sms_and_only_its_signed_reports_move_the_invitation_forward() {
    let (app, key, twilio) = twilio_world((12, 0)).await;
    let event = report_to(&app, &key, "T-1", "+380501234567", kyiv(8, 11, 40), "VIBER").await;
    assert_eq!(invitation(&app, &event).await.due_at, Some(kyiv(8, 12, 10)));
    app.clock.set(kyiv(8, 12, 11));
    let message = twilio.wait_for(1).await.remove(0);
    let (attempt_id, _, _) = attempt(&app, &event).await;
    assert_eq!(message.to, "+380501234567", "E.164 with its plus");
    assert_eq!(message.from.as_deref(), Some("CNAP"));
    assert_eq!(message.validity_period.as_deref(), Some("14400"));
    assert_eq!(
        message.status_callback.as_deref(),
        Some(format!("https://cnap.example.ua/hooks/twilio/status?attempt={attempt_id}").as_str())
    );
    assert!(
        message.body.starts_with("Оцініть послугу: https://cnap.example.ua/i/"),
        "{}",
        message.body
    );
    let row = invitation_where(&app, &event, |r| r.status == "QUEUED").await;
    assert_eq!(row.channel.as_deref(), Some("SMS"), "Twilio carries SMS only");
    assert_eq!(attempt(&app, &event).await.2.as_deref(), Some(message.sid.as_str()));

    // A report not signed by Twilio is refused and moves nothing.
    assert_eq!(twilio.forged_report(&message.sid, "delivered").await, 403);
    let unsigned = reqwest::Client::new()
        .post(format!("{}/hooks/twilio/status?attempt={attempt_id}", app.base_url))
        .form(&[("MessageSid", message.sid.as_str()), ("MessageStatus", "delivered")])
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status().as_u16(), 403);
    assert_eq!(invitation(&app, &event).await.status, "QUEUED");

    // Signed reports move it on; a repeated one and one that arrives late change nothing.
    assert_eq!(twilio.report(&message.sid, "sent", None).await, 204);
    assert_eq!(invitation(&app, &event).await.status, "SENT");
    assert_eq!(twilio.report(&message.sid, "delivered", None).await, 204);
    assert_eq!(twilio.report(&message.sid, "delivered", None).await, 204);
    assert_eq!(twilio.report(&message.sid, "sent", None).await, 204);
    assert_eq!(twilio.report(&message.sid, "queued", None).await, 204);
    let row = invitation(&app, &event).await;
    assert_eq!(
        (row.status.as_str(), row.channel.as_deref()),
        ("DELIVERED", Some("SMS"))
    );
    let delivered_at: Option<i64> = sqlx::query_scalar("SELECT delivered_at FROM invitations WHERE event_id = $1")
        .bind(&event)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert!(delivered_at.is_some());

    // The link in the SMS opens the form.
    let (status, page) = crate::invitations::get(&app, &link_path(&message.body)).await;
    assert_eq!(status, 200, "{page}");

    // Undelivered (Twilio's 30003, unreachable): failed with our reason.
    let other = report_to(&app, &key, "T-2", "+380501234568", kyiv(8, 12, 0), "SMS").await;
    app.clock.set(kyiv(8, 12, 31));
    let second = twilio.wait_for(2).await.remove(1);
    invitation_where(&app, &other, |r| r.status == "QUEUED").await;
    assert_eq!(twilio.report(&second.sid, "undelivered", Some(30003)).await, 204);
    let row = invitation(&app, &other).await;
    assert_eq!(
        (row.status.as_str(), row.reason.as_deref()),
        ("FAILED", Some("UNDELIVERED"))
    );
    assert_eq!(twilio.report(&second.sid, "sent", None).await, 204);
    assert_eq!(
        invitation(&app, &other).await.status,
        "FAILED",
        "a late report never moves it back"
    );
    app.stop().await;
}

#[tokio::test]
async fn twilio_without_an_idempotency_key_still_sends_once_and_a_lost_report_is_asked_for() {
    let (app, key, twilio) = twilio_world((12, 0)).await;
    // Too fast (429, Retry-After 60 s), then the message is taken but the answer never comes back in time.
    twilio.script([
        Misbehave::RateLimited(60),
        Misbehave::TakenThenSlow(Duration::from_millis(1_500)),
    ]);
    let event = report_to(&app, &key, "U-1", "+380501234567", kyiv(8, 11, 40), "SMS").await;
    app.clock.set(kyiv(8, 12, 11));
    let deadline = Instant::now() + Duration::from_secs(20);
    while twilio.create_requests() < 1 {
        assert!(Instant::now() < deadline, "no first try");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    // Not before Retry-After.
    app.clock.set(kyiv(8, 12, 11) + 30_000);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(twilio.create_requests(), 1);
    app.clock.set(kyiv(8, 12, 13));
    let message = twilio.wait_for(1).await.remove(0);
    // The second try timed out after Twilio took the message; the third one asks Twilio's list first and
    // adopts the message instead of sending another.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, state, _) = attempt(&app, &event).await;
        if state == "PENDING" && twilio.create_requests() == 2 {
            let next: i64 = sqlx::query_scalar(
                "SELECT a.next_attempt_at FROM invitation_attempts a JOIN invitations i ON i.id = a.invitation_id \
                 WHERE i.event_id = $1 AND a.locked_until IS NULL",
            )
            .bind(&event)
            .fetch_optional(app.db.pool())
            .await
            .unwrap()
            .unwrap_or(i64::MAX);
            if next < i64::MAX {
                app.clock.set(next + 1);
            }
        }
        if state == "ACCEPTED" {
            break;
        }
        assert!(Instant::now() < deadline, "the attempt stayed {state}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (_, _, sid) = attempt(&app, &event).await;
    assert_eq!(
        sid.as_deref(),
        Some(message.sid.as_str()),
        "the message Twilio took is adopted"
    );
    assert_eq!(twilio.messages().len(), 1, "one message");
    assert_eq!(twilio.create_requests(), 2, "no third create request");
    assert!(twilio.list_requests() >= 1);
    invitation_where(&app, &event, |r| r.status == "QUEUED").await;

    // Its report is lost: after the safety interval the service asks for the message itself.
    twilio.set_status(&message.sid, "delivered");
    let fetched = twilio.fetch_requests();
    app.clock.set(kyiv(8, 12, 20));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        twilio.fetch_requests(),
        fetched,
        "reports are pushed: no asking at once"
    );
    app.clock.set(kyiv(8, 12, 40));
    invitation_where(&app, &event, |r| r.status == "DELIVERED").await;
    app.stop().await;
}

#[tokio::test]
async fn a_twilio_report_on_a_message_whose_answer_was_lost_records_it_and_nothing_is_sent_again() {
    let (app, key, twilio) = twilio_world((12, 0)).await;
    // Twilio takes the message and its answer is held past our time-out: what a server killed between
    // Twilio's answer and its own record leaves. The report arrives meanwhile.
    twilio.script([Misbehave::TakenThenSlow(Duration::from_millis(2_500))]);
    let event = report_to(&app, &key, "L-1", "+380501234567", kyiv(8, 11, 40), "SMS").await;
    app.clock.set(kyiv(8, 12, 11));
    let message = twilio.wait_for(1).await.remove(0);
    assert_eq!(attempt(&app, &event).await.1, "PENDING");
    assert_eq!(twilio.report(&message.sid, "delivered", None).await, 204);
    let (_, state, sid) = attempt(&app, &event).await;
    assert_eq!(
        (state.as_str(), sid.as_deref()),
        ("ACCEPTED", Some(message.sid.as_str()))
    );
    invitation_where(&app, &event, |r| r.status == "DELIVERED").await;
    // The try's time-out schedules nothing after that, however far the clock goes.
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    app.clock.set(kyiv(8, 14, 0));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(twilio.create_requests(), 1);
    assert_eq!(invitation(&app, &event).await.status, "DELIVERED");

    // A recipient who unsubscribed from the sender (Twilio 21610): opted out, never asked again.
    twilio.unsubscribe("+380501234599");
    let refused = report_to(&app, &key, "L-2", "+380501234599", kyiv(8, 13, 50), "SMS").await;
    app.clock.set(kyiv(8, 14, 21));
    let row = invitation_where(&app, &refused, |r| r.status != "PLANNED").await;
    assert_eq!(
        (row.status.as_str(), row.reason.as_deref()),
        ("OPTED_OUT", Some("STOP_LISTED"))
    );
    assert_eq!(app.count("phone_opt_outs").await, 1);
    app.stop().await;
}

#[tokio::test]
async fn a_message_given_up_on_that_twilio_reports_delivered_is_counted_as_sent() {
    // One try only: Twilio takes the message but its answer never comes in time, so the outbox gives up.
    let (app, key, twilio) = twilio_world_with((12, 0), |s| s.invitations.max_tries = 1).await;
    twilio.script([Misbehave::TakenThenSlow(Duration::from_millis(1_500))]);
    let event = report_to(&app, &key, "G-1", "+380501234567", kyiv(8, 11, 40), "SMS").await;
    app.clock.set(kyiv(8, 12, 11));
    let message = twilio.wait_for(1).await.remove(0);
    let row = invitation_where(&app, &event, |r| r.status == "FAILED").await;
    assert_eq!(row.reason.as_deref(), Some("PROVIDER_UNAVAILABLE"));
    assert_eq!(attempt(&app, &event).await.1, "GAVE_UP");
    // Twilio's signed report says it went: the service agrees.
    assert_eq!(twilio.report(&message.sid, "delivered", None).await, 204);
    let row = invitation(&app, &event).await;
    assert_eq!((row.status.as_str(), row.reason), ("DELIVERED", None));
    let (_, state, sid) = attempt(&app, &event).await;
    assert_eq!(
        (state.as_str(), sid.as_deref()),
        ("ACCEPTED", Some(message.sid.as_str()))
    );
    assert_eq!(twilio.create_requests(), 1);
    app.stop().await;
}
