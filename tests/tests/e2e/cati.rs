//! Phone interviews end to end, with the service's clock under the test's control: centers report services with
//! phones → a study draws its sample with a recorded seed (and an imported list) → operators take cases one each
//! (twenty at once get twenty different cases), see the number only for their own case (audited), save answers
//! as they type, and record outcomes → the call discipline decides the next try (no answer: three hours; an
//! appointment first at its time) → a completed interview counts in its quota and in the quality index as the
//! `PHONE` channel → the supervisor's board shows the counts and the AAPOR rates; a case left by a closed screen
//! returns after its lease with its answers kept.

use std::collections::HashSet;

use fieldwork::domain::Role;
use fieldwork_e2e::{error_code, error_field, Staff, TestApp};
use serde_json::{json, Value};

use crate::invitations::kyiv;

pub(crate) struct Study {
    pub app: TestApp,
    pub admin: Staff,
    pub study: String,
}

/// A client with a center in Lviv (`LV-1`) and one in Kyiv (`KV-1`), `per_center` services with phones and
/// consent at each on 7 December (and one without consent), and a study of December by oblast drawing `sample`
/// cases per oblast, `target` completes each; not drawn yet. The clock: Tuesday 8 December, 10:00 in Kyiv.
pub(crate) async fn study(per_center: usize, sample: i64, target: i64) -> Study {
    let app = TestApp::spawn().await;
    app.clock.set(kyiv(8, 10, 0));
    let admin = app.staff(Role::Admin).await;
    let setup = app.client_with_checklist(&admin.token, "ЦНАП телефон").await;
    for (code, name, oblast, lat, lon) in [
        ("LV-1", "ЦНАП Личаків", "Львівська", 49.8397, 24.0297),
        ("KV-1", "ЦНАП Поділ", "Київська", 50.4650, 30.5190),
    ] {
        let body = app
            .gql(
                Some(&admin.token),
                "mutation($c: ID!, $code: String!, $n: String!, $o: String!, $lat: Float!, $lon: Float!) { \
                 createVenue(input: { clientId: $c, externalCode: $code, name: $n, type: \"CNAP\", oblast: $o, \
                 location: { lat: $lat, lon: $lon }, geofenceM: 150 }) { id } }",
                json!({ "c": setup.client, "code": code, "n": name, "o": oblast, "lat": lat, "lon": lon }),
            )
            .await;
        assert!(body["data"]["createVenue"]["id"].is_string(), "{body}");
    }
    let completed = chrono::DateTime::from_timestamp_millis(kyiv(7, 11, 0))
        .unwrap()
        .to_rfc3339();
    let mut events = Vec::new();
    for (operator, center) in [("50", "LV-1"), ("67", "KV-1")] {
        for i in 0..per_center {
            events.push(
                json!({ "externalId": format!("{center}-{i}"), "center": center, "service": "PASSPORT",
                "completedAt": completed, "phone": format!("+380{operator}000{:04}", 1000 + i), "consent": true }),
            );
        }
    }
    events.push(
        json!({ "externalId": "NO-CONSENT", "center": "LV-1", "service": "PASSPORT",
        "completedAt": completed, "phone": "+380509999999", "consent": false }),
    );
    for chunk in events.chunks(500) {
        let body = app
            .gql(
                Some(&admin.token),
                "mutation($c: ID, $e: [ServiceEventInput!]!) { reportServiceEvents(clientId: $c, events: $e) { accepted } }",
                json!({ "c": setup.client, "e": chunk }),
            )
            .await;
        assert_eq!(body["data"]["reportServiceEvents"]["accepted"], chunk.len(), "{body}");
    }
    let body = app
        .gql(
            Some(&admin.token),
            "mutation($c: ID!, $s: Int!, $t: Int!) { createCatiStudy(input: { clientId: $c, name: \"Грудень\", \
             from: \"2026-12-01\", to: \"2026-12-31\", strata: OBLAST, samplePerStratum: $s, targetPerStratum: $t }) \
             { id status rules { maxAttempts weekdayEnd } } }",
            json!({ "c": setup.client, "s": sample, "t": target }),
        )
        .await;
    let created = &body["data"]["createCatiStudy"];
    assert_eq!(created["status"], "DRAFT", "{body}");
    assert_eq!(created["rules"], json!({ "maxAttempts": 6, "weekdayEnd": "20:30" }));
    Study {
        study: created["id"].as_str().unwrap().to_string(),
        app,
        admin,
    }
}

pub(crate) async fn draw(s: &Study, seed: &str) -> Value {
    let body = s
        .app
        .gql(
            Some(&s.admin.token),
            "mutation($s: ID!, $seed: String) { drawCatiSample(studyId: $s, seed: $seed) { \
             study { status seed eligible drawn } strata { stratum eligible drawn } } }",
            json!({ "s": s.study, "seed": seed }),
        )
        .await;
    assert!(body["data"]["drawCatiSample"].is_object(), "{body}");
    body["data"]["drawCatiSample"].clone()
}

const CASE: &str = "id callId centerName oblast phoneMasked timeZone localTime attempts lastOutcome open \
                    appointmentAt appointmentLocal answers { premises staff recommend comment } leaseUntil \
                    history { number outcome aaporCode abandoned }";

pub(crate) async fn next(app: &TestApp, token: &str, study: &str) -> Value {
    let body = app
        .gql(
            Some(token),
            &format!("mutation($s: ID!) {{ nextCatiCase(studyId: $s) {{ {CASE} }} }}"),
            json!({ "s": study }),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["nextCatiCase"].clone()
}

async fn record(app: &TestApp, token: &str, call: &Value, outcome: &str, extra: Value) -> Value {
    let mut variables = json!({ "c": call, "o": outcome });
    for (k, v) in extra.as_object().unwrap() {
        variables[k] = v.clone();
    }
    app.gql(
        Some(token),
        &format!(
            "mutation($c: ID!, $o: CatiOutcome!, $at: String, $a: CatiAnswersInput, $n: String) {{ \
             recordCatiOutcome(callId: $c, outcome: $o, appointmentAt: $at, answers: $a, note: $n) {{ {CASE} }} }}"
        ),
        variables,
    )
    .await
}

async fn board(s: &Study) -> Value {
    let body = s
        .app
        .gql(
            Some(&s.admin.token),
            "query($s: ID!) { catiBoard(studyId: $s) { inSample open neverCalled \
             live { operator centerName seconds lapsed } \
             operators { operator calls completes completesLastHour } \
             outcomes { outcome aaporCode category calls } \
             quotas { stratum sample target completes } \
             appointmentsDue { centerName at } \
             rates { level key label cases i p r nc uh ne rr1 coop1 ref1 con1 } } }",
            json!({ "s": s.study }),
        )
        .await;
    assert!(body["data"]["catiBoard"].is_object(), "{body}");
    body["data"]["catiBoard"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_study_is_drawn_called_by_the_rules_and_counted() {
    let s = study(6, 4, 1).await;
    let app = &s.app;

    // An imported list before the draw: a good row, a number also reported by a center (one case at the draw),
    // an unknown center, the list's own repeat.
    let csv =
        "center;phone;name\nLV-1;067 111 22 33;Олена\nLV-1;+380500001000;\nXX-9;067 111 22 44;\nLV-1;0671112233;\n";
    let (_, body) = app
        .upload(
            Some(&s.admin.token),
            "mutation($s: ID!, $file: Upload!) { importCatiContacts(studyId: $s, file: $file) { added repeated \
             refused { row field messageCode } } }",
            json!({ "s": s.study }),
            "file",
            "list.csv",
            csv.as_bytes().to_vec(),
        )
        .await;
    let imported = &body["data"]["importCatiContacts"];
    assert_eq!(imported["added"], 2, "{body}");
    assert_eq!(imported["repeated"], 1, "{body}");
    assert_eq!(imported["refused"][0]["row"], 4, "{body}");
    assert_eq!(imported["refused"][0]["field"], "center");

    // The draw: 7 eligible in Lviv (6 events with consent + the list), 6 in Kyiv; 4 drawn from each.
    let drawn = draw(&s, "грудень-2026").await;
    assert_eq!(drawn["study"]["status"], "OPEN");
    assert_eq!(drawn["study"]["seed"], "грудень-2026");
    assert_eq!(drawn["study"]["eligible"], 13);
    assert_eq!(drawn["study"]["drawn"], 8);
    assert_eq!(
        drawn["strata"],
        json!([{ "stratum": "Київська", "eligible": 6, "drawn": 4 }, { "stratum": "Львівська", "eligible": 7, "drawn": 4 }])
    );
    // Drawn once: a second draw is refused with the rule's code.
    let again = app
        .gql(
            Some(&s.admin.token),
            "mutation($s: ID!) { drawCatiSample(studyId: $s) { study { id } } }",
            json!({ "s": s.study }),
        )
        .await;
    assert_eq!(again["errors"][0]["extensions"]["rule"], "STUDY_DRAWN", "{again}");

    let operator = app.staff(Role::Operator).await;
    let open = app
        .gql(
            Some(&operator.token),
            "query { catiOpenStudies { id name } }",
            json!({}),
        )
        .await;
    assert_eq!(open["data"]["catiOpenStudies"][0]["id"], s.study.as_str(), "{open}");

    // First case: asking twice gives the same case (pressing twice, or a retry).
    let first = next(app, &operator.token, &s.study).await;
    assert_eq!(first["attempts"], 0);
    assert!(first["phoneMasked"].as_str().unwrap().contains('*'), "{first}");
    assert_eq!(
        first["localTime"], "2026-12-08 10:00",
        "the respondent's own time: {first}"
    );
    let same = next(app, &operator.token, &s.study).await;
    assert_eq!(same["callId"], first["callId"]);

    // The number, for this operator's case only, every reveal audited.
    let reveal = "mutation($c: ID!) { revealCatiPhone(callId: $c) }";
    let phone = app
        .gql(Some(&operator.token), reveal, json!({ "c": first["callId"] }))
        .await;
    let number = phone["data"]["revealCatiPhone"]
        .as_str()
        .unwrap_or_else(|| panic!("{phone}"));
    assert!(number.starts_with("+380") && number.len() == 13, "{number}");
    let other = app.staff(Role::Operator).await;
    let refused = app
        .gql(Some(&other.token), reveal, json!({ "c": first["callId"] }))
        .await;
    assert_eq!(error_code(&refused), Some("NOT_FOUND"), "{refused}");
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'cati.phone.reveal'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(audited, 1);

    // Answers saved as typed; a complete without any rating is refused, naming the field; then completed.
    let saved = app
        .gql(
            Some(&operator.token),
            "mutation($c: ID!, $a: CatiAnswersInput!) { saveCatiAnswers(callId: $c, answers: $a) }",
            json!({ "c": first["callId"], "a": { "comment": "Черга була довга" } }),
        )
        .await;
    assert!(saved["data"]["saveCatiAnswers"].is_string(), "{saved}");
    let mine = app
        .gql(
            Some(&operator.token),
            &format!("query {{ myCatiCase {{ {CASE} }} }}"),
            json!({}),
        )
        .await;
    assert_eq!(mine["data"]["myCatiCase"]["answers"]["comment"], "Черга була довга");
    let empty = record(app, &operator.token, &first["callId"], "COMPLETE", json!({})).await;
    assert_eq!(error_code(&empty), Some("BAD_USER_INPUT"), "{empty}");
    assert_eq!(error_field(&empty), Some("premises"), "{empty}");
    let answers = json!({ "premises": "4", "staff": "3", "waiting": "2", "result": "4", "recommend": "9",
                          "comment": "Черга була довга" });
    let done = record(
        app,
        &operator.token,
        &first["callId"],
        "COMPLETE",
        json!({ "a": answers }),
    )
    .await;
    let done = &done["data"]["recordCatiOutcome"];
    assert_eq!(done["open"], false, "{done}");
    assert_eq!(done["history"][0]["aaporCode"], "1.1");
    // The same outcome again is the same record; another one is refused.
    let repeat = record(
        app,
        &operator.token,
        &first["callId"],
        "COMPLETE",
        json!({ "a": answers }),
    )
    .await;
    assert_eq!(repeat["data"]["recordCatiOutcome"]["id"], first["id"], "{repeat}");
    let changed = record(app, &operator.token, &first["callId"], "NO_ANSWER", json!({})).await;
    assert_eq!(error_code(&changed), Some("CONFLICT"), "{changed}");
    // One PHONE response, counted in the index's tallies.
    let phone_responses: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM feedback_responses WHERE channel = 'PHONE' AND counted = 1 AND recommend = 9",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(phone_responses, 1);
    let tallied: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(responses), 0) AS BIGINT) FROM index_tallies WHERE channel = 'PHONE'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(tallied, 2, "the month's and the quarter's tallies");

    // Second case: no answer → not offered again for three hours.
    let second = next(app, &operator.token, &s.study).await;
    assert_ne!(second["id"], first["id"]);
    let missed = record(app, &operator.token, &second["callId"], "NO_ANSWER", json!({})).await;
    assert_eq!(missed["data"]["recordCatiOutcome"]["open"], true, "{missed}");

    // Third case: an appointment. One in the past and one at night are refused, naming the field.
    let third = next(app, &operator.token, &s.study).await;
    for (at, why) in [("2026-12-08T09:00", "past"), ("2026-12-08T22:00", "outside the hours")] {
        let refused = record(
            app,
            &operator.token,
            &third["callId"],
            "APPOINTMENT",
            json!({ "at": at }),
        )
        .await;
        assert_eq!(error_field(&refused), Some("appointmentAt"), "{why}: {refused}");
    }
    let agreed = record(
        app,
        &operator.token,
        &third["callId"],
        "APPOINTMENT",
        json!({ "at": "2026-12-08T15:00", "n": "Просила після обіду" }),
    )
    .await;
    assert_eq!(
        agreed["data"]["recordCatiOutcome"]["appointmentLocal"], "2026-12-08 15:00",
        "{agreed}"
    );

    // The quota of the first case's oblast is filled (target 1): its other cases are not offered any more.
    let first_oblast = first["oblast"].as_str().unwrap().to_string();
    let mut offered = Vec::new();
    loop {
        let case = next(app, &operator.token, &s.study).await;
        if case.is_null() {
            break;
        }
        assert_ne!(
            case["oblast"],
            first_oblast.as_str(),
            "a filled quota's case was offered"
        );
        offered.push(case["id"].as_str().unwrap().to_string());
        let busy = record(app, &operator.token, &case["callId"], "BUSY", json!({})).await;
        assert!(busy["errors"].is_null(), "{busy}");
    }
    // Everyone left in the other oblast was tried once (the two above were in it or in the first one's).
    assert!(!offered.is_empty());

    // 14:56: the appointment (due from 14:55) comes first, before the busy cases due since 10:15.
    app.clock.set(kyiv(8, 14, 56));
    let due = next(app, &operator.token, &s.study).await;
    assert_eq!(due["id"], third["id"], "the appointment first: {due}");
    assert!(record(app, &operator.token, &due["callId"], "HARD_REFUSAL", json!({})).await["errors"].is_null());
    // 13:00 would not have offered the no-answer case (10:00 + 3 h = 13:00 exactly is its first moment); at
    // 14:56 it is due again along with the busy ones.
    let mut seen = HashSet::new();
    loop {
        let case = next(app, &operator.token, &s.study).await;
        if case.is_null() {
            break;
        }
        assert!(seen.insert(case["id"].as_str().unwrap().to_string()), "offered twice");
        assert!(record(app, &operator.token, &case["callId"], "WRONG_NUMBER", json!({})).await["errors"].is_null());
    }
    assert!(
        seen.contains(second["id"].as_str().unwrap()),
        "the no-answer case is due after three hours"
    );

    // The board: counts and rates by the AAPOR formulas.
    let b = board(&s).await;
    assert_eq!(b["inSample"], 8);
    let study_rates = &b["rates"][0];
    assert_eq!(study_rates["level"], "STUDY");
    let (i, r, ne, uh) = (
        study_rates["i"].as_i64().unwrap(),
        study_rates["r"].as_i64().unwrap(),
        study_rates["ne"].as_i64().unwrap(),
        study_rates["uh"].as_i64().unwrap(),
    );
    assert_eq!((i, r), (1, 1), "{study_rates}");
    // The first oblast's cases never called are 4.80 (its quota filled first): out of every rate.
    let eligible = 8 - ne;
    let rr1 = study_rates["rr1"].as_f64().unwrap();
    assert!((rr1 - 1.0 / eligible as f64).abs() < 1e-9, "{study_rates}");
    assert!((study_rates["coop1"].as_f64().unwrap() - 0.5).abs() < 1e-9);
    assert_eq!(study_rates["cases"], 8);
    assert_eq!(uh, 0, "every case ended or was tried: {study_rates}");
    assert_eq!(b["rates"][1]["level"], "OBLAST");
    let quotas = b["quotas"].as_array().unwrap();
    assert!(
        quotas
            .iter()
            .any(|q| q["stratum"] == first_oblast.as_str() && q["completes"] == 1),
        "{quotas:?}"
    );
    let outcomes = b["outcomes"].as_array().unwrap();
    assert!(outcomes
        .iter()
        .any(|o| o["outcome"] == "COMPLETE" && o["calls"] == 1 && o["category"] == "I"));
    assert_eq!(b["operators"][0]["completes"], 1);

    // Every call as CSV: a header and one row per call.
    let csv = String::from_utf8(
        app.download(&s.admin.token, &format!("/cati/studies/{}/calls?format=csv", s.study))
            .await,
    )
    .unwrap();
    let calls: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cati_calls WHERE study_id = $1")
        .bind(&s.study)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(csv.lines().count() as i64, calls + 1, "{csv}");
    assert!(csv.lines().next().unwrap().contains("aapor_code"));
    assert!(!csv.contains(number), "no whole number in the export");
    let xlsx = app
        .download(&s.admin.token, &format!("/cati/studies/{}/calls?format=xlsx", s.study))
        .await;
    assert_eq!(&xlsx[..2], b"PK");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_operators_asking_at_once_get_twenty_different_cases() {
    let s = study(15, 15, 15).await;
    draw(&s, "race").await;
    let mut operators = Vec::new();
    for _ in 0..20 {
        operators.push(s.app.staff(Role::Operator).await);
    }
    let app = &s.app;
    let asks = operators.iter().map(|o| next(app, &o.token, &s.study));
    let handed: Vec<Value> = futures::future::join_all(asks).await;
    let ids: HashSet<&str> = handed
        .iter()
        .map(|c| c["id"].as_str().unwrap_or_else(|| panic!("a case each: {handed:?}")))
        .collect();
    assert_eq!(ids.len(), 20, "twenty operators, twenty different cases");
    // And each asking again at once keeps their own.
    let again: Vec<Value> = futures::future::join_all(operators.iter().map(|o| next(app, &o.token, &s.study))).await;
    for (a, b) in handed.iter().zip(&again) {
        assert_eq!(a["callId"], b["callId"]);
    }
    let leased: i64 =
        sqlx::query_scalar("SELECT COUNT(DISTINCT leased_by) FROM cati_cases WHERE leased_by IS NOT NULL")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(leased, 20);
    let b = board(&s).await;
    assert_eq!(b["live"].as_array().unwrap().len(), 20);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_left_by_a_closed_screen_returns_after_its_lease_with_its_answers() {
    let s = study(1, 1, 1).await;
    draw(&s, "lease").await;
    let app = &s.app;
    let (a, b) = (app.staff(Role::Operator).await, app.staff(Role::Operator).await);
    let taken = next(app, &a.token, &s.study).await;
    let save = "mutation($c: ID!, $a: CatiAnswersInput!) { saveCatiAnswers(callId: $c, answers: $a) }";
    let saved = app
        .gql(
            Some(&a.token),
            save,
            json!({ "c": taken["callId"], "a": { "premises": "3", "staff": "4" } }),
        )
        .await;
    assert!(saved["errors"].is_null(), "{saved}");
    // The other operator gets the other case (one per oblast), and then nothing while the screen holds this one.
    let other = next(app, &b.token, &s.study).await;
    assert_ne!(other["id"], taken["id"]);
    assert!(record(app, &b.token, &other["callId"], "NOT_ELIGIBLE", json!({})).await["errors"].is_null());
    assert!(next(app, &b.token, &s.study).await.is_null());
    // The screen is closed; five minutes later (the lease) plus one, the case returns to the queue.
    app.clock.advance(std::time::Duration::from_secs(6 * 60));
    let board_now = board(&s).await;
    assert_eq!(board_now["live"][0]["lapsed"], true);
    let back = next(app, &b.token, &s.study).await;
    assert_eq!(back["id"], taken["id"]);
    assert_eq!(back["answers"]["premises"], "3", "the answers stay with the case");
    assert_eq!(back["history"][0]["abandoned"], true);
    assert_eq!(back["attempts"], 0, "an abandoned call is not an attempt");
    // The first operator's late save is refused in words; nothing of theirs overwrites the case.
    let late = app
        .gql(
            Some(&a.token),
            save,
            json!({ "c": taken["callId"], "a": { "premises": "1" } }),
        )
        .await;
    assert_eq!(error_code(&late), Some("CONFLICT"), "{late}");
    assert_eq!(late["errors"][0]["extensions"]["messageCode"], "cati-case-taken");
    assert!(app.gql(Some(&a.token), "query { myCatiCase { id } }", json!({})).await["data"]["myCatiCase"].is_null());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn soft_refusals_wait_a_week_for_a_refusal_converter() {
    let s = study(1, 1, 1).await;
    draw(&s, "soft").await;
    let app = &s.app;
    let plain = app.staff(Role::Operator).await;
    let converter = app.staff(Role::Operator).await;
    let set = app
        .gql(
            Some(&s.admin.token),
            "mutation($u: ID!) { setOperatorConvertsRefusals(userId: $u, converts: true) }",
            json!({ "u": converter.id }),
        )
        .await;
    assert_eq!(set["data"]["setOperatorConvertsRefusals"], true, "{set}");
    // Lviv's case first (the sample of one per oblast: two cases), then refuse "not today" on both.
    for _ in 0..2 {
        let case = next(app, &plain.token, &s.study).await;
        let refused = record(app, &plain.token, &case["callId"], "SOFT_REFUSAL", json!({})).await;
        assert!(refused["errors"].is_null(), "{refused} {case}");
    }
    app.clock.set(kyiv(15, 10, 1));
    assert!(
        next(app, &plain.token, &s.study).await.is_null(),
        "not to an operator who does not convert"
    );
    let case = next(app, &converter.token, &s.study).await;
    assert_eq!(case["lastOutcome"], "SOFT_REFUSAL", "{case}");
    assert_eq!(case["attempts"], 1);
}
