//! Visits end to end with real phone photos: check-in against the geofence (blocked and flagged), progressive
//! answers, photo evidence with EXIF verdicts, signed photo links, check-out, submission with flags, duplicate
//! photos across shoppers, review (return, resubmit, approve once) and who sees what.

use fieldwork::domain::Role;
use fieldwork_e2e::{error_code, error_field, fixture, TestApp};
use fieldwork_mobile_api::{
    check_in, my_visit, my_visits, save_visit_answers, submit_visit, upload_visit_photo, CheckIn, Client, MyVisit,
    MyVisits, SaveVisitAnswers, SubmitVisit,
};
use serde_json::{json, Value};

/// Where HMD_Nokia_8.3_5G.jpg was taken (its EXIF GPS, tests/fixtures/SOURCES.md): the venue sits ~10 m away.
pub(crate) const VENUE: (f64, f64) = (60.1467, 24.9068);
/// The photo's own time is 2022-08-14 11:12:31 UTC; the visit is sent later, with its device times.
const CHECK_IN_AT: &str = "2022-08-14T11:05:00Z";
pub(crate) const CHECK_OUT_AT: &str = "2022-08-14T11:30:00Z";

pub(crate) struct Field {
    pub(crate) coordinator: String,
    pub(crate) client: String,
    /// The wave's two tasks (two visits of one venue).
    pub(crate) tasks: Vec<String>,
}

/// A client with the ЦНАП checklist, one venue in Helsinki, and a launched wave with two visits of it.
pub(crate) async fn field(app: &TestApp, visit_rules: Value) -> Field {
    let coordinator = app.staff(Role::Coordinator).await.token;
    let setup = app.client_with_checklist(&coordinator, "ЦНАП мережа").await;
    app.venue_at(&setup, "HEL-1", "Service point Helsinki", VENUE).await;
    let wave = app
        .wave(&setup)
        .set("name", "Хвиля з фото")
        .set("visitsPerVenue", 2)
        .set("reimbursementCapKopiykas", 10000)
        .set("maxTasksPerShopper", 1)
        .set("visitRules", visit_rules)
        .launch()
        .await;
    assert_eq!(wave.tasks.len(), 2);
    Field {
        tasks: wave.task_ids(),
        coordinator,
        client: setup.client,
    }
}

/// A verified shopper living near the venue who has claimed `task`.
pub(crate) async fn shopper_with_task(app: &TestApp, email: &str, task: &str) -> Client {
    let (phone, _) = app.quick_shopper(email, 60.17, 24.94, 30.0, true).await;
    phone.claim_task(task).await.expect("claim");
    phone
}

pub(crate) fn check_in_input(task: &str, client_id: &str, metres_north: f64, accuracy: f64) -> check_in::CheckInInput {
    check_in::CheckInInput {
        task_id: task.into(),
        client_id: client_id.into(),
        lat: VENUE.0 + metres_north / 111_195.0,
        lon: VENUE.1,
        accuracy_m: accuracy,
        device_time: CHECK_IN_AT.into(),
        mock_location: false,
        device_id: None,
    }
}

pub(crate) async fn upload(
    phone: &Client,
    visit: &str,
    client_id: &str,
    question: Option<&str>,
    receipt: Option<i64>,
    file: &str,
) -> Result<upload_visit_photo::UploadVisitPhotoUploadVisitPhoto, fieldwork_mobile_api::ClientError> {
    phone
        .upload_visit_photo(
            upload_visit_photo::Variables {
                visit_id: visit.into(),
                client_id: client_id.into(),
                question_code: question.map(str::to_string),
                receipt_kopiykas: receipt,
                file: None,
                source: None,
                capture: None,
            },
            file,
            fixture(&format!("photos/{file}")),
        )
        .await
}

pub(crate) async fn checked_in_visit(phone: &Client, task: &str) -> String {
    let done = phone
        .execute::<CheckIn>(check_in::Variables {
            input: check_in_input(task, &format!("ci-{task}"), 10.0, 8.0),
        })
        .await
        .unwrap();
    assert!(done.check_in.accepted, "{done:?}");
    done.check_in.visit.unwrap().id
}

pub(crate) async fn check_out_and_submit(phone: &Client, visit: &str) -> submit_visit::SubmitVisitSubmitVisit {
    fieldwork_e2e::check_out_and_submit_at(phone, visit, VENUE, 6.0, CHECK_OUT_AT).await
}

fn codes(flags: &[submit_visit::SubmitVisitSubmitVisitFlags]) -> Vec<String> {
    flags.iter().map(|f| format!("{:?}", f.code)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visit_goes_from_check_in_to_approval_with_its_evidence() {
    let app = TestApp::spawn().await;
    let f = field(&app, json!({ "failedCheckinBlocks": true })).await;
    let coordinator = Some(f.coordinator.as_str());
    let task = &f.tasks[0];
    let phone = shopper_with_task(&app, "visitor@example.com", task).await;

    // 2 km away: refused (the wave blocks failed check-ins), recorded, with the reason in words.
    let far = phone
        .execute::<CheckIn>(check_in::Variables {
            input: check_in_input(task, "checkin-far-1", 2_000.0, 10.0),
        })
        .await
        .unwrap()
        .check_in;
    assert!(!far.accepted && far.visit.is_none());
    let verdict = far.attempt.verdict.unwrap();
    assert!(!verdict.inside_geofence && !verdict.passed);
    assert!(
        verdict.reasons[0].contains("за 2000 м від закладу"),
        "{:?}",
        verdict.reasons
    );

    // At the door, with a usable fix: the visit starts. Sending it again returns the same attempt.
    let near = check_in::Variables {
        input: check_in_input(task, "checkin-near-1", 20.0, 12.0),
    };
    let first = phone.execute::<CheckIn>(near.clone()).await.unwrap().check_in;
    assert!(first.accepted, "{first:?}");
    let again = phone.execute::<CheckIn>(near).await.unwrap().check_in;
    assert_eq!(again.attempt.id, first.attempt.id);
    assert_eq!(app.count("checkin_attempts").await, 2);
    assert_eq!(app.count("visits").await, 1);
    let visit = first.visit.unwrap().id;

    // Answers are saved as a draft and checked as they arrive.
    let save = |answers: Value| {
        phone.execute::<SaveVisitAnswers>(save_visit_answers::Variables {
            visit_id: visit.clone(),
            answers,
        })
    };
    let saved = save(json!({ "Q1": true, "Q2": 4 })).await.unwrap();
    assert_eq!(saved.save_visit_answers.answers, json!({ "Q1": true, "Q2": 4 }));
    for (answers, field) in [
        (json!({ "Q2": 9 }), "answers.Q2"),
        (json!({ "Q4": "Немає бланків" }), "answers.Q4"), // hidden unless Q3 = REFUSED
        (json!({ "Q5": { "photos": 1 } }), "answers.Q5"),
        (json!({ "Q1": "yes" }), "answers.Q1"),
    ] {
        let err = save(answers).await.unwrap_err();
        assert_eq!(err.code(), Some("BAD_USER_INPUT"));
        assert_eq!(err.field(), Some(field));
    }
    save(json!({ "Q3": "DONE" })).await.unwrap();

    // Submitting before checking out, or without the required photo, is refused.
    let early = phone
        .execute::<SubmitVisit>(submit_visit::Variables {
            visit_id: visit.clone(),
        })
        .await
        .unwrap_err();
    assert_eq!(early.code(), Some("CONFLICT"));

    // The queue-display photo: EXIF place and time agree with the visit. A retry stores nothing new.
    let photo = upload(
        &phone,
        &visit,
        "photo-q5-0001",
        Some("Q5"),
        None,
        "HMD_Nokia_8.3_5G.jpg",
    )
    .await
    .unwrap();
    assert_eq!(format!("{:?}", photo.gps_verdict), "PASS", "{photo:?}");
    assert_eq!(format!("{:?}", photo.time_verdict), "PASS", "{photo:?}");
    assert_eq!((photo.width, photo.height), (4608, 1976));
    assert!(photo.sha256.as_deref().unwrap().starts_with("9be023624ccd5846"));
    let retried = upload(
        &phone,
        &visit,
        "photo-q5-0001",
        Some("Q5"),
        None,
        "HMD_Nokia_8.3_5G.jpg",
    )
    .await
    .unwrap();
    assert_eq!(retried.id, photo.id);
    // The receipt: a camera photo with no GPS.
    let receipt = upload(&phone, &visit, "photo-receipt-1", None, Some(12_000), "Canon_40D.jpg")
        .await
        .unwrap();
    assert_eq!(format!("{:?}", receipt.gps_verdict), "NO_DATA");
    assert_eq!(app.count("photos").await, 2);

    // Signed links serve the display copy (upright, scaled, without EXIF); a forged one does not.
    let display = reqwest::get(&photo.display_url).await.unwrap();
    assert_eq!(display.status(), 200);
    assert_eq!(display.headers()["content-type"], "image/jpeg");
    let bytes = display.bytes().await.unwrap();
    let picture = image::load_from_memory(&bytes).unwrap();
    assert_eq!((picture.width(), picture.height()), (1600, 686));
    assert!(!fieldwork::domain::photo::read_exif(&bytes, fieldwork::domain::stored_zone(None).unwrap()).present);
    let forged = photo.display_url.replace("sig=", "sig=00");
    assert_eq!(reqwest::get(&forged).await.unwrap().status(), 403);
    let thumb = reqwest::get(&photo.thumbnail_url).await.unwrap().bytes().await.unwrap();
    assert_eq!(image::load_from_memory(&thumb).unwrap().width(), 512);

    // Check out, submit: score, flags (the visit was sent years after it happened; the receipt has no GPS).
    let submitted = check_out_and_submit(&phone, &visit).await;
    assert_eq!(format!("{:?}", submitted.state), "SUBMITTED");
    assert_eq!(submitted.score, Some(100.0 * (2.0 + 0.75 + 1.0) / 4.0));
    // The photo question is answered by its photos (a required one could not be submitted otherwise).
    let body = app
        .gql(
            coordinator,
            "query($id: ID!) { visit(id: $id) { answers } }",
            json!({ "id": visit }),
        )
        .await;
    assert_eq!(body["data"]["visit"]["answers"]["Q5"], json!({ "photos": 1 }), "{body}");
    let flags = codes(&submitted.flags);
    assert!(flags.contains(&"DEVICE_TIME_GAP".to_string()), "{flags:?}");
    assert!(flags.contains(&"PHOTO_GPS_MISSING".to_string()), "{flags:?}");
    assert!(!flags.contains(&"OUTSIDE_GEOFENCE".to_string()), "{flags:?}");
    let resubmitted = phone
        .execute::<SubmitVisit>(submit_visit::Variables {
            visit_id: visit.clone(),
        })
        .await
        .unwrap()
        .submit_visit;
    assert_eq!(resubmitted.submitted_at, submitted.submitted_at);

    // Client viewers see nothing until approval; other shoppers never.
    let viewer = app.client_viewer(&f.client).await.token;
    let read = "query($id: ID!) { visit(id: $id) { id shopperId photos { exif { make } originalUrl displayUrl } } }";
    let body = app.gql(Some(&viewer), read, json!({ "id": visit })).await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    let (stranger, _) = app
        .quick_shopper("stranger@example.com", 60.17, 24.94, 30.0, true)
        .await;
    let body = app.gql(stranger.token(), read, json!({ "id": visit })).await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");

    // The coordinator finds it in the queue (by flag), sees the originals, and returns it with a comment.
    let body = app
        .gql(
            coordinator,
            "query { reviewQueue(flag: DEVICE_TIME_GAP) { totalCount edges { node { id venueName \
             flags { code severity message } photos { originalUrl exif { position { lat lon } takenAt model } } \
             checkInAttempts { verdict { passed } } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(body["data"]["reviewQueue"]["totalCount"], 1, "{body}");
    let node = &body["data"]["reviewQueue"]["edges"][0]["node"];
    assert_eq!(node["checkInAttempts"].as_array().unwrap().len(), 2);
    let original = node["photos"][0]["originalUrl"].as_str().unwrap();
    let original_bytes = reqwest::get(original).await.unwrap().bytes().await.unwrap();
    assert_eq!(original_bytes.len(), 2_190_194);
    assert_eq!(node["photos"][0]["exif"]["position"]["lat"], 60.146706);
    assert_eq!(node["photos"][0]["exif"]["takenAt"], "2022-08-14T11:12:31+00:00");
    let review = "mutation($v: ID!, $d: Decision!, $r: String, $c: [ReviewCommentInput!]) { \
                  reviewVisit(visitId: $v, decision: $d, reason: $r, comments: $c) { state } }";
    let body = app.gql(coordinator, review, json!({ "v": visit, "d": "REJECT" })).await;
    assert_eq!(error_field(&body), Some("reason"), "{body}");
    let body = app
        .gql(
            coordinator,
            review,
            json!({ "v": visit, "d": "RETURN", "c": [{ "questionCode": "Q2", "comment": "Оцініть ще раз" }] }),
        )
        .await;
    assert_eq!(body["data"]["reviewVisit"]["state"], "RETURNED", "{body}");

    // The shopper sees the comment, corrects, resubmits; the coordinator approves, once.
    let mine = phone
        .execute::<MyVisits>(my_visits::Variables {
            first: None,
            after: None,
        })
        .await
        .unwrap()
        .my_visits;
    let history = &mine.edges[0].node.history;
    assert_eq!(history.last().unwrap().comments[0].comment, "Оцініть ще раз");
    save(json!({ "Q2": 5 })).await.unwrap();
    let resubmitted = phone
        .execute::<SubmitVisit>(submit_visit::Variables {
            visit_id: visit.clone(),
        })
        .await
        .unwrap()
        .submit_visit;
    assert_eq!(resubmitted.score, Some(100.0));
    for _ in 0..2 {
        let body = app
            .gql(coordinator, review, json!({ "v": visit, "d": "APPROVE" }))
            .await;
        assert_eq!(body["data"]["reviewVisit"]["state"], "APPROVED", "{body}");
    }
    let approvals: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM visit_events WHERE action = 'APPROVE'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(approvals, 1, "approval is recorded once for the ledger");
    // The ledger posted it once: the fee, and the receipt (120 UAH) up to the wave's cap (100 UAH).
    let body = app
        .gql(
            phone.token(),
            "query { myEarnings { balanceKopiykas availableKopiykas history { totalCount edges { node { kind amountKopiykas visitId } } } } }",
            json!({}),
        )
        .await;
    let earnings = &body["data"]["myEarnings"];
    assert_eq!(earnings["balanceKopiykas"], 50_000, "{body}");
    assert_eq!(earnings["availableKopiykas"], 50_000);
    assert_eq!(earnings["history"]["totalCount"], 1);
    assert_eq!(earnings["history"]["edges"][0]["node"]["kind"], "VISIT_APPROVAL");
    assert_eq!(earnings["history"]["edges"][0]["node"]["visitId"], visit.as_str());
    let body = app
        .gql(
            coordinator,
            review,
            json!({ "v": visit, "d": "REJECT", "r": "changed my mind" }),
        )
        .await;
    assert_eq!(error_code(&body), Some("CONFLICT"), "{body}");

    // Approved: the client viewer sees the display copy, but not who, nor EXIF, nor the original.
    let body = app.gql(Some(&viewer), read, json!({ "id": visit })).await;
    let seen = &body["data"]["visit"];
    assert_eq!(seen["shopperId"], Value::Null, "{body}");
    assert_eq!(seen["photos"][0]["exif"], Value::Null);
    assert_eq!(seen["photos"][0]["originalUrl"], Value::Null);
    assert!(seen["photos"][0]["displayUrl"].as_str().unwrap().contains("/media/"));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_check_in_only_flags_when_the_wave_says_so_and_duplicates_are_caught_across_shoppers() {
    let app = TestApp::spawn().await;
    let f = field(&app, json!({})).await;
    let first = shopper_with_task(&app, "first@example.com", &f.tasks[0]).await;
    let second = shopper_with_task(&app, "second@example.com", &f.tasks[1]).await;

    let visit_a = checked_in_visit(&first, &f.tasks[0]).await;
    upload(
        &first,
        &visit_a,
        "dup-photo-a1",
        Some("Q5"),
        None,
        "HMD_Nokia_8.3_5G.jpg",
    )
    .await
    .unwrap();
    first
        .execute::<SaveVisitAnswers>(save_visit_answers::Variables {
            visit_id: visit_a.clone(),
            answers: json!({ "Q1": true }),
        })
        .await
        .unwrap();
    check_out_and_submit(&first, &visit_a).await;

    // The second shopper checks in 600 m away with a reported mock location: flagged, not blocked.
    let mut input = check_in_input(&f.tasks[1], "checkin-mock-1", 600.0, 20.0);
    input.mock_location = true;
    let outcome = second
        .execute::<CheckIn>(check_in::Variables { input })
        .await
        .unwrap()
        .check_in;
    assert!(outcome.accepted, "the wave only flags failed check-ins");
    let visit_b = outcome.visit.unwrap().id;
    // ...and sends the first shopper's photo as their own.
    upload(
        &second,
        &visit_b,
        "dup-photo-b1",
        Some("Q5"),
        None,
        "HMD_Nokia_8.3_5G.jpg",
    )
    .await
    .unwrap();
    second
        .execute::<SaveVisitAnswers>(save_visit_answers::Variables {
            visit_id: visit_b.clone(),
            answers: json!({ "Q1": false }),
        })
        .await
        .unwrap();
    let submitted = check_out_and_submit(&second, &visit_b).await;
    let flags = codes(&submitted.flags);
    for code in ["OUTSIDE_GEOFENCE", "MOCK_LOCATION", "DUPLICATE_PHOTO"] {
        assert!(flags.contains(&code.to_string()), "{code} missing: {flags:?}");
    }
    assert_eq!(format!("{:?}", submitted.flags[0].severity), "CRITICAL");
    let body = app
        .gql(
            Some(&f.coordinator),
            "query($id: ID!) { visit(id: $id) { flags { code otherVisitId } } }",
            json!({ "id": visit_b }),
        )
        .await;
    let flags = body["data"]["visit"]["flags"].as_array().unwrap();
    let duplicate = flags.iter().find(|f| f["code"] == "DUPLICATE_PHOTO").unwrap();
    assert_eq!(duplicate["otherVisitId"], visit_a.as_str());
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_photos_and_bad_positions_are_refused_and_nothing_is_stored() {
    let app = TestApp::spawn_with(fieldwork_e2e::Options {
        tweak: Box::new(|s| s.photos.max_bytes = 2_500_000),
        ..Default::default()
    })
    .await;
    let f = field(&app, json!({})).await;
    let phone = shopper_with_task(&app, "careful@example.com", &f.tasks[0]).await;

    // Positions and times out of range.
    let mut input = check_in_input(&f.tasks[0], "checkin-bad-1", 0.0, 5.0);
    input.lat = 91.0;
    let err = phone
        .execute::<CheckIn>(check_in::Variables { input })
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("position.lat"));
    let mut input = check_in_input(&f.tasks[0], "checkin-bad-2", 0.0, 5.0);
    input.device_time = "1970-01-02T00:00:00Z".into();
    let err = phone
        .execute::<CheckIn>(check_in::Variables { input })
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("deviceTime"));
    let mut input = check_in_input(&f.tasks[0], "x", 0.0, 5.0);
    input.accuracy_m = -1.0;
    let err = phone
        .execute::<CheckIn>(check_in::Variables { input })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("BAD_USER_INPUT"));
    assert_eq!(app.count("checkin_attempts").await, 0);

    let visit = checked_in_visit(&phone, &f.tasks[0]).await;
    let nexus = fixture("photos/Nexus_4.jpg");
    #[allow(unused_mut)]
    let mut cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.jpg", Vec::new(), "порожній"),
        (
            "notes.jpg",
            b"just some text, not a photo".to_vec(),
            "не є зображенням JPEG",
        ),
        (
            "cut.jpg",
            fixture("photos/HMD_Nokia_8.3_5G.jpg")[..500_000].to_vec(),
            "неповний",
        ),
        ("bomb.png", fieldwork_e2e::png_claiming(30_000, 30_000), "30000 × 30000"),
        ("big.jpg", nexus, "до 2 МБ"),
    ];
    // A server without libheif says which camera setting to change (with it, see `an_iphones_heic_…`).
    #[cfg(not(feature = "heic"))]
    cases.push(("IMG_5195.HEIC", fixture("photos/IMG_5195.HEIC"), "HEIC"));
    let query = "mutation($v: ID!, $file: Upload!) { uploadVisitPhoto(visitId: $v, clientId: \"bad-file-0001\", \
                 questionCode: \"Q5\", file: $file) { id } }";
    for (name, bytes, why) in cases {
        let (_, body) = app
            .upload(phone.token(), query, json!({ "v": visit }), "file", name, bytes)
            .await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{name}: {body}");
        assert_eq!(error_field(&body), Some("file"), "{name}: {body}");
        assert!(
            body["errors"][0]["message"].as_str().unwrap().contains(why),
            "{name}: {body}"
        );
    }
    // Wrong question, someone else's visit.
    let err = upload(&phone, &visit, "bad-question-1", Some("Q1"), None, "Canon_40D.jpg")
        .await
        .unwrap_err();
    assert_eq!(err.field(), Some("questionCode"));
    let (other, _) = app.quick_shopper("other@example.com", 60.17, 24.94, 30.0, true).await;
    let err = upload(&other, &visit, "not-mine-0001", Some("Q5"), None, "Canon_40D.jpg")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("NOT_FOUND"));
    let err = other
        .execute::<SubmitVisit>(submit_visit::Variables {
            visit_id: visit.clone(),
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("NOT_FOUND"));

    assert_eq!(app.count("photos").await, 0);
    let stored = walk(&app.settings.data_dir.join("photos"));
    assert_eq!(stored, 0, "no file was stored");
    // The server keeps serving.
    let ok = upload(
        &phone,
        &visit,
        "good-photo-001",
        Some("Q5"),
        None,
        "Samsung_GT-I9000_Galaxy_S.jpg",
    )
    .await
    .unwrap();
    assert_eq!((ok.width, ok.height), (480, 640));
    assert_eq!(format!("{:?}", ok.gps_verdict), "NO_DATA");
    assert!(ok.gps_note.unwrap().contains("не мала сигналу"));
    app.stop().await;
}

/// An iPhone's HEIC, picked from the gallery, on a server built with libheif: kept as it is, shown upright from
/// its display copy, its EXIF read from the container (the iPhone was in Missouri, so the place check fails).
#[cfg(feature = "heic")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_iphones_heic_is_read_by_a_server_built_with_libheif() {
    let app = TestApp::spawn().await;
    let f = field(&app, json!({})).await;
    let phone = shopper_with_task(&app, "iphone@example.com", &f.tasks[0]).await;
    let visit = checked_in_visit(&phone, &f.tasks[0]).await;
    let types = app.gql(phone.token(), "query { photoTypes }", json!({})).await;
    assert!(
        types["data"]["photoTypes"]
            .as_array()
            .unwrap()
            .contains(&json!("image/heic")),
        "{types}"
    );
    let photo = upload(&phone, &visit, "heic-0001", Some("Q5"), None, "IMG_5195.HEIC")
        .await
        .unwrap();
    assert!(photo.height > photo.width, "upright: {}x{}", photo.width, photo.height);
    assert_eq!(format!("{:?}", photo.gps_verdict), "FAIL", "{photo:?}");
    let display = reqwest::get(&photo.display_url).await.unwrap().bytes().await.unwrap();
    let picture = image::load_from_memory(&display).unwrap();
    assert!(picture.height() > picture.width());
    let read = "query($id: ID!) { visit(id: $id) { photos { exif { position { lat lon } model } originalUrl } } }";
    let seen = app.gql(Some(&f.coordinator), read, json!({ "id": visit })).await;
    let exif = &seen["data"]["visit"]["photos"][0]["exif"];
    assert_eq!(exif["position"]["lat"], 39.051344, "{seen}");
    assert_eq!(exif["model"], "iPhone 11 Pro Max");
    let original_url = seen["data"]["visit"]["photos"][0]["originalUrl"].as_str().unwrap();
    let original = reqwest::get(original_url).await.unwrap();
    assert_eq!(original.headers()["content-type"], "image/heic");
    assert_eq!(
        original.bytes().await.unwrap().to_vec(),
        fixture("photos/IMG_5195.HEIC"),
        "kept as it is"
    );
    app.stop().await;
}

/// Files under a folder.
fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| if e.path().is_dir() { walk(&e.path()) } else { 1 })
                .sum()
        })
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn any_phone_reads_the_visit_of_a_task_as_the_server_holds_it() {
    let app = TestApp::spawn().await;
    let f = field(&app, json!({})).await;
    let task = &f.tasks[0];
    let phone = shopper_with_task(&app, "anywhere@example.com", task).await;
    assert!(
        of_task(&phone, task).await.unwrap().my_visit.is_none(),
        "no visit before the check-in"
    );

    let visit = checked_in_visit(&phone, task).await;
    phone
        .execute::<SaveVisitAnswers>(save_visit_answers::Variables {
            visit_id: visit.clone(),
            answers: json!({ "Q1": true }),
        })
        .await
        .unwrap();
    upload(
        &phone,
        &visit,
        "phone-photo-1",
        Some("Q5"),
        None,
        "HMD_Nokia_8.3_5G.jpg",
    )
    .await
    .unwrap();

    // Another phone of the same shopper (a fresh sign-in) reads the visit whole: its check-in, answers, photos
    // (by the id the first phone gave them), and state.
    let mut other = app.phone();
    other
        .login("anywhere@example.com", fieldwork_e2e::PASSWORD)
        .await
        .expect("sign-in on the other phone");
    let held = of_task(&other, task).await.unwrap().my_visit.expect("the visit");
    assert_eq!(held.id, visit);
    assert_eq!(format!("{:?}", held.state), "IN_PROGRESS");
    assert_eq!(held.answers, json!({ "Q1": true }));
    assert!(held.started_by.expect("its check-in").verdict.unwrap().passed);
    assert!(held.check_out.is_none() && held.submitted_at.is_none());
    let photos: Vec<_> = held
        .photos
        .iter()
        .map(|p| (p.client_id.as_deref(), p.question_code.as_deref()))
        .collect();
    assert_eq!(photos, [(Some("phone-photo-1"), Some("Q5"))]);

    // A second check-in from that phone is refused with a code the app acts on (it converges to the visit above);
    // nothing new is stored.
    let again = other
        .execute::<CheckIn>(check_in::Variables {
            input: check_in_input(task, "second-phone-checkin", 10.0, 8.0),
        })
        .await
        .unwrap_err();
    assert_eq!(again.message_code(), Some("checkin-already-visited"));
    assert_eq!(app.count("visits").await, 1);

    // Someone else's task reads as no visit at all.
    let stranger = shopper_with_task(&app, "stranger@example.com", &f.tasks[1]).await;
    assert!(of_task(&stranger, task).await.unwrap().my_visit.is_none());
}

async fn of_task(phone: &Client, task: &str) -> Result<my_visit::ResponseData, fieldwork_mobile_api::ClientError> {
    phone
        .execute::<MyVisit>(my_visit::Variables {
            task_id: task.to_string(),
        })
        .await
}
