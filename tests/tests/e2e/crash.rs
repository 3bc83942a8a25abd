//! `kill -9` of a server process in the middle of sending invitations: the `fieldwork` binary runs in a process
//! of its own on the test's database, its outbox talking to a slow provider stand-in; it is killed while
//! messages are taken and not yet recorded, and started again. No invitation is lost and none is sent twice:
//! with TurboSMS because the attempt's key makes the provider run a request once, with Twilio (no such key)
//! because the try after the crash finds the message in Twilio's list.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fieldwork_e2e::turbosms::{TurboSmsStandIn, TOKEN};
use fieldwork_e2e::twilio::{TwilioStandIn, ACCOUNT_SID, AUTH_TOKEN};
use fieldwork_e2e::{fieldwork_binary, TestApp};
use serde_json::{json, Value};

use crate::invitations::{center_with_key, kyiv};

const EVENTS: usize = 24;

/// `fieldwork serve` on the test's database and data folder, with `provider` settings as environment
/// variables; returns the process and its base URL.
fn serve(app: &TestApp, provider: &[(&str, String)]) -> (Child, String) {
    let mut command = Command::new(fieldwork_binary());
    command
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("DATABASE_URL", app.settings.database_url())
        .env("FIELDWORK_DATA_DIR", &app.settings.data_dir)
        .env("FIELDWORK_PUBLIC_URL", "https://cnap.example.ua")
        .env("FIELDWORK_TESTING__CLOCK_CONTROL", "true")
        .env("FIELDWORK_INVITATIONS__POLL_INTERVAL_MS", "50")
        .env("FIELDWORK_INVITATIONS__STATUS_POLL_MS", "600000")
        .env("FIELDWORK_INVITATIONS__LEASE_MS", "4000")
        .env("FIELDWORK_INVITATIONS__REQUEST_TIMEOUT_MS", "10000")
        .env("FIELDWORK_INVITATIONS__SEND_CONCURRENCY", "4")
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (name, value) in provider {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("the fieldwork binary starts");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let address = loop {
        let line = lines.next().expect("the server logs its address").unwrap();
        if let Some(rest) = line.split("listening on http://").nth(1) {
            break rest.split('/').next().unwrap().trim().to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (child, format!("http://{address}"))
}

async fn set_clock(base: &str, at_ms: i64) {
    let answer: Value = reqwest::Client::new()
        .post(format!("{base}/testing/clock"))
        .json(&json!({ "atMs": at_ms }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(answer["nowMs"].as_i64().unwrap() >= at_ms);
}

/// Reports `EVENTS` services completed at 11:40 (due at 12:10) and waits until each is planned.
async fn report_many(app: &TestApp, key: &str) {
    let completed = chrono::DateTime::from_timestamp_millis(kyiv(8, 11, 40))
        .unwrap()
        .to_rfc3339();
    let events: Vec<Value> = (0..EVENTS)
        .map(|i| {
            json!({ "externalId": format!("K-{i}"), "center": "LV-1", "service": "PASSPORT", "completedAt": completed,
                    "phone": format!("+38050000{:04}", 2000 + i), "messenger": "SMS", "consent": true })
        })
        .collect();
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/service-events", app.base_url))
        .bearer_auth(key)
        .json(&json!({ "events": events }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let deadline = Instant::now() + Duration::from_secs(20);
    while app.count("invitation_attempts").await < EVENTS as i64 {
        assert!(Instant::now() < deadline, "not all planned");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

async fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < deadline, "{what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until every invitation is on its way (moving the restarted server's clock past the dead one's
/// leases), then checks each was recorded once.
async fn all_queued(app: &TestApp, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(40);
    let mut at = kyiv(8, 12, 11);
    loop {
        let queued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM invitations WHERE status = 'QUEUED'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        if queued == EVENTS as i64 {
            break;
        }
        assert!(Instant::now() < deadline, "{queued} of {EVENTS} on their way");
        // Leases of the killed server lapse and retries come due as the clock goes on.
        at += 5_000;
        set_clock(base, at).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let accepted: i64 = sqlx::query_scalar(
        "SELECT COUNT(DISTINCT provider_message_id) FROM invitation_attempts WHERE state = 'ACCEPTED'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(accepted, EVENTS as i64);
}

#[tokio::test]
async fn a_server_killed_while_sending_through_turbosms_loses_nothing_and_sends_nothing_twice() {
    let (app, key, _) = center_with_key((12, 0), |_| {}).await;
    let turbo = TurboSmsStandIn::start().await;
    turbo.answer_after(Duration::from_millis(600));
    report_many(&app, &key).await;
    let provider = [
        ("FIELDWORK_INVITATIONS__PROVIDER", "turbosms".to_string()),
        ("FIELDWORK_INVITATIONS__TURBOSMS__BASE_URL", turbo.url.clone()),
        ("FIELDWORK_INVITATIONS__TURBOSMS__TOKEN", TOKEN.to_string()),
    ];
    let (mut server, base) = serve(&app, &provider);
    set_clock(&base, kyiv(8, 12, 11)).await;
    wait_until("some messages taken", || turbo.taken().len() >= 6).await;
    server.kill().expect("kill -9");
    server.wait().unwrap();
    let taken_at_kill = turbo.taken().len();
    assert!(taken_at_kill < EVENTS, "killed in the middle");

    let (mut server, base) = serve(&app, &provider);
    all_queued(&app, &base).await;
    let taken = turbo.taken();
    let phones: std::collections::HashSet<_> = taken.iter().map(|t| t.phone.clone()).collect();
    assert_eq!(
        (taken.len(), phones.len()),
        (EVENTS, EVENTS),
        "one message per invitation"
    );
    assert!(
        turbo.send_requests() > EVENTS,
        "the killed server's requests were repeated with their keys"
    );
    server.kill().unwrap();
    server.wait().unwrap();
    app.stop().await;
}

#[tokio::test]
async fn a_server_killed_while_sending_through_twilio_loses_nothing_and_sends_nothing_twice() {
    let (app, key, _) = center_with_key((12, 0), |_| {}).await;
    let twilio = TwilioStandIn::start().await;
    twilio.answer_after(Duration::from_millis(600));
    report_many(&app, &key).await;
    let provider = [
        ("FIELDWORK_INVITATIONS__PROVIDER", "twilio".to_string()),
        ("FIELDWORK_INVITATIONS__TWILIO__BASE_URL", twilio.url.clone()),
        ("FIELDWORK_INVITATIONS__TWILIO__ACCOUNT_SID", ACCOUNT_SID.to_string()),
        ("FIELDWORK_INVITATIONS__TWILIO__AUTH_TOKEN", AUTH_TOKEN.to_string()),
        ("FIELDWORK_INVITATIONS__TWILIO__FROM", "CNAP".to_string()),
    ];
    let (mut server, base) = serve(&app, &provider);
    set_clock(&base, kyiv(8, 12, 11)).await;
    wait_until("some messages taken", || twilio.messages().len() >= 6).await;
    server.kill().expect("kill -9");
    server.wait().unwrap();
    assert!(twilio.messages().len() < EVENTS, "killed in the middle");

    let (mut server, base) = serve(&app, &provider);
    all_queued(&app, &base).await;
    let messages = twilio.messages();
    let phones: std::collections::HashSet<_> = messages.iter().map(|m| m.to.clone()).collect();
    assert_eq!(
        (messages.len(), phones.len()),
        (EVENTS, EVENTS),
        "one message per invitation"
    );
    assert!(
        twilio.list_requests() > 0,
        "the tries after the crash asked Twilio's list first"
    );
    server.kill().unwrap();
    server.wait().unwrap();
    app.stop().await;
}

async fn gql_at(base: &str, token: &str, query: &str, variables: Value) -> Value {
    reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// `kill -9` in the middle of a phone interview, while the operator's screen is saving answers as they are typed:
/// after the restart the case is still theirs with its call under way (the attempt kept) and the last answers
/// the server took, whole; the interview is then completed.
#[tokio::test]
async fn a_server_killed_mid_interview_keeps_the_call_and_the_answers_typed() {
    let s = crate::cati::study(2, 2, 2).await;
    crate::cati::draw(&s, "crash").await;
    let operator = s.app.staff(fieldwork::domain::Role::Operator).await;
    let (mut server, base) = serve(&s.app, &[]);
    set_clock(&base, kyiv(8, 10, 5)).await;
    let taken = gql_at(
        &base,
        &operator.token,
        "mutation($s: ID!) { nextCatiCase(studyId: $s) { id callId } }",
        json!({ "s": s.study }),
    )
    .await;
    let call = taken["data"]["nextCatiCase"]["callId"]
        .as_str()
        .unwrap_or_else(|| panic!("{taken}"))
        .to_string();
    let save = "mutation($c: ID!, $a: CatiAnswersInput!) { saveCatiAnswers(callId: $c, answers: $a) }";
    let first = gql_at(
        &base,
        &operator.token,
        save,
        json!({ "c": call, "a": { "premises": "2", "comment": "перше" } }),
    )
    .await;
    assert!(first["data"]["saveCatiAnswers"].is_string(), "{first}");
    // Keystrokes keep coming while the process dies.
    let typing = {
        let (base, token, call) = (base.clone(), operator.token.clone(), call.clone());
        tokio::spawn(async move {
            for i in 0..200 {
                let answers = json!({ "premises": "3", "staff": "4", "comment": format!("друге {i}") });
                let sent = reqwest::Client::new()
                    .post(format!("{base}/graphql"))
                    .bearer_auth(&token)
                    .json(&json!({ "query": save, "variables": { "c": call, "a": answers } }))
                    .send()
                    .await;
                if sent.is_err() {
                    break;
                }
            }
        })
    };
    // Killed once the typing has reached the database, while more of it is on its way.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let answers: Option<String> = sqlx::query_scalar("SELECT answers FROM cati_cases WHERE call_id = $1")
            .bind(&call)
            .fetch_one(s.app.db.pool())
            .await
            .unwrap();
        if answers.is_some_and(|a| a.contains("друге")) {
            break;
        }
        assert!(Instant::now() < deadline, "the typing never reached the database");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.kill().expect("kill -9");
    server.wait().unwrap();
    typing.await.unwrap();

    let (mut server, base) = serve(&s.app, &[]);
    set_clock(&base, kyiv(8, 10, 6)).await;
    let mine = gql_at(
        &base,
        &operator.token,
        "query { myCatiCase { callId attempts answers { premises staff comment } history { outcome } } }",
        json!({}),
    )
    .await;
    let case = &mine["data"]["myCatiCase"];
    assert_eq!(
        case["callId"],
        call.as_str(),
        "the case is still on the operator's screen: {mine}"
    );
    assert_eq!(
        case["history"].as_array().unwrap().len(),
        1,
        "the call under way is kept"
    );
    assert!(case["history"][0]["outcome"].is_null());
    let answers = &case["answers"];
    let whole = (answers["premises"] == "2" && answers["comment"] == "перше")
        || (answers["premises"] == "3"
            && answers["staff"] == "4"
            && answers["comment"].as_str().is_some_and(|c| c.starts_with("друге")));
    assert!(whole, "the answers of one save, whole: {answers}");
    let done = gql_at(
        &base,
        &operator.token,
        "mutation($c: ID!) { recordCatiOutcome(callId: $c, outcome: COMPLETE) { open attempts } }",
        json!({ "c": call }),
    )
    .await;
    assert_eq!(done["data"]["recordCatiOutcome"]["attempts"], 1, "{done}");
    server.kill().unwrap();
    server.wait().unwrap();
    s.app.stop().await;
}
