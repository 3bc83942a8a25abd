//! Evidence you can trust (issue 12): copies of photos are found whatever their timing and whatever was done to
//! them (crops, re-compression), and only identical files are called duplicates.

use fieldwork::domain::Role;
use fieldwork_e2e::{fixture, TestApp};
use fieldwork_mobile_api::{upload_visit_photo, Client};
use serde_json::json;

use super::visits::{checked_in_visit, shopper_with_task, CHECK_OUT_AT, VENUE};

/// A venue (where the Nokia photo was taken) with `n` visits to make, one per shopper.
async fn venue_with_tasks(app: &TestApp, n: i64) -> (String, Vec<String>) {
    let coordinator = app.staff(Role::Coordinator).await.token;
    let setup = app.client_with_checklist(&coordinator, "ЦНАП мережа").await;
    app.venue_at(&setup, "HEL-1", "Service point Helsinki", VENUE).await;
    let wave = app
        .wave(&setup)
        .set("visitsPerVenue", n)
        .set("maxTasksPerShopper", 1)
        .launch()
        .await;
    (coordinator, wave.task_ids())
}

async fn upload_bytes(phone: &Client, visit: &str, client_id: &str, name: &str, bytes: Vec<u8>) -> String {
    fieldwork_e2e::send_photo(phone, visit, client_id, bytes, fieldwork_e2e::PhotoSend::Gallery)
        .await
        .unwrap_or_else(|e| panic!("upload {name}: {e:?}"))
        .id
}

async fn answer_and_submit(phone: &Client, visit: &str) -> Vec<String> {
    fieldwork_e2e::answer_and_submit_at(phone, visit, VENUE, 6.0, CHECK_OUT_AT)
        .await
        .flags
        .iter()
        .map(|f| format!("{:?}", f.code))
        .collect()
}

/// A crop of `share` of each side around the centre, re-compressed as JPEG at `quality`.
fn cropped(bytes: &[u8], share: f32, quality: u8) -> Vec<u8> {
    let picture = image::load_from_memory(bytes).unwrap().to_rgb8();
    let (w, h) = picture.dimensions();
    let (cw, ch) = ((w as f32 * share) as u32, (h as f32 * share) as u32);
    let crop = image::imageops::crop_imm(&picture, (w - cw) / 2, (h - ch) / 2, cw, ch).to_image();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(&crop)
        .unwrap();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_new_photo_sent_by_two_shoppers_at_once_is_caught() {
    let app = TestApp::spawn().await;
    let photos = [
        "DSCN0010.jpg",
        "Nikon_D5000.jpg",
        "Samsung_GT-I9000_Galaxy_S.jpg",
        "no_exif.jpg",
        "Canon_40D.jpg",
    ];
    let (_, tasks) = venue_with_tasks(&app, 2 * photos.len() as i64).await;
    for (i, name) in photos.iter().enumerate() {
        let (ta, tb) = (&tasks[2 * i], &tasks[2 * i + 1]);
        let a = shopper_with_task(&app, &format!("pair{i}-a@example.com"), ta).await;
        let b = shopper_with_task(&app, &format!("pair{i}-b@example.com"), tb).await;
        let (va, vb) = (checked_in_visit(&a, ta).await, checked_in_visit(&b, tb).await);
        let bytes = fixture(&format!("photos/{name}"));
        let (ida, idb) = (format!("photo-{i}-a"), format!("photo-{i}-b"));
        let (pa, pb) = tokio::join!(
            upload_bytes(&a, &va, &ida, name, bytes.clone()),
            upload_bytes(&b, &vb, &idb, name, bytes)
        );
        // The search and the insert are one serialised step: whichever came second found the first.
        let marked: Vec<Option<String>> = sqlx::query_scalar("SELECT duplicate_of FROM photos WHERE id IN ($1, $2)")
            .bind(&pa)
            .bind(&pb)
            .fetch_all(app.db.pool())
            .await
            .unwrap();
        assert_eq!(marked.iter().flatten().count(), 1, "{name}: {marked:?}");
        // At submission both are searched again, so both visits carry the flag.
        for (phone, visit) in [(&a, &va), (&b, &vb)] {
            let flags = answer_and_submit(phone, visit).await;
            assert!(flags.contains(&"DUPLICATE_PHOTO".to_string()), "{name}: {flags:?}");
        }
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crops_and_recompressed_copies_are_near_duplicates_and_other_photos_are_not() {
    let app = TestApp::spawn().await;
    let (coordinator, tasks) = venue_with_tasks(&app, 4).await;
    let original = fixture("photos/Nikon_D5000.jpg");
    let copies = [
        ("crop.jpg", cropped(&original, 0.9, 70), Some("NEAR_DUPLICATE_PHOTO")),
        (
            "recompressed.jpg",
            cropped(&original, 1.0, 60),
            Some("NEAR_DUPLICATE_PHOTO"),
        ),
        ("other.jpg", fixture("photos/DSCN0010.jpg"), None),
    ];
    let first = shopper_with_task(&app, "original@example.com", &tasks[0]).await;
    let first_visit = checked_in_visit(&first, &tasks[0]).await;
    upload_bytes(&first, &first_visit, "original-1", "Nikon_D5000.jpg", original.clone()).await;
    answer_and_submit(&first, &first_visit).await;
    let mut earlier = vec![first_visit.clone()];
    for (i, (name, bytes, expected)) in copies.into_iter().enumerate() {
        let task = &tasks[i + 1];
        let phone = shopper_with_task(&app, &format!("copy{i}@example.com"), task).await;
        let visit = checked_in_visit(&phone, task).await;
        upload_bytes(&phone, &visit, &format!("copy-photo-{i}"), name, bytes).await;
        let flags = answer_and_submit(&phone, &visit).await;
        // Only the very same file is a DUPLICATE; a re-made copy is a NEAR_DUPLICATE, with the other visit.
        assert!(!flags.contains(&"DUPLICATE_PHOTO".to_string()), "{name}: {flags:?}");
        match expected {
            Some(code) => {
                assert!(flags.contains(&code.to_string()), "{name}: {flags:?}");
                let body = app
                    .gql(
                        Some(&coordinator),
                        "query($id: ID!) { visit(id: $id) { flags { code message otherVisitId } } }",
                        json!({ "id": visit }),
                    )
                    .await;
                let flag = body["data"]["visit"]["flags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|f| f["code"] == code)
                    .cloned()
                    .unwrap();
                // The nearest earlier copy: the original or another copy of it.
                let other = flag["otherVisitId"].as_str().unwrap().to_string();
                assert!(earlier.contains(&other), "{body}");
                assert!(flag["message"].as_str().unwrap().contains("з 64"), "{body}");
            }
            None => assert!(!flags.iter().any(|f| f.contains("DUPLICATE")), "{name}: {flags:?}"),
        }
        earlier.push(visit);
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_person_one_account_and_shared_details_are_shown_to_coordinators() {
    use fieldwork_mobile_api::{check_in, CheckIn};
    let app = TestApp::spawn().await;
    let (coordinator, tasks) = venue_with_tasks(&app, 2).await;

    // The same РНОКПП again is refused, naming the field but not the account that holds it.
    app.phone()
        .sign_up(fieldwork_e2e::sign_up_input("holder@example.com"))
        .await
        .unwrap();
    let mut second = fieldwork_e2e::sign_up_input("another@example.com");
    second.tax_id = fieldwork_e2e::tax_id_for("holder@example.com");
    let users = app.count("users").await;
    let err = app.phone().sign_up(second).await.unwrap_err();
    assert_eq!((err.code(), err.field()), (Some("CONFLICT"), Some("taxId")), "{err:?}");
    assert!(!format!("{err:?}").contains("holder@"), "{err:?}");
    assert_eq!(app.count("users").await, users, "nothing written");

    // Two accounts checking in from one phone, paid to one IBAN (the harness gives every shopper the same).
    let a = shopper_with_task(&app, "device-a@example.com", &tasks[0]).await;
    let b = shopper_with_task(&app, "device-b@example.com", &tasks[1]).await;
    let mut visits = Vec::new();
    for (phone, task) in [(&a, &tasks[0]), (&b, &tasks[1])] {
        let mut input = super::visits::check_in_input(task, &format!("ci-{task}"), 10.0, 8.0);
        input.device_id = Some("device-7f3a9c1e".into());
        let done = phone.execute::<CheckIn>(check_in::Variables { input }).await.unwrap();
        visits.push(done.check_in.visit.unwrap().id);
    }
    let body = app
        .gql(
            Some(&coordinator),
            "query($id: ID!) { visit(id: $id) { shopperId shopperSignals { code message otherShopperIds } } }",
            json!({ "id": visits[0] }),
        )
        .await;
    let signals = body["data"]["visit"]["shopperSignals"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"));
    let codes: Vec<&str> = signals.iter().map(|s| s["code"].as_str().unwrap()).collect();
    assert!(
        codes.contains(&"SHARED_DEVICE") && codes.contains(&"SHARED_PAYOUT_ACCOUNT"),
        "{body}"
    );
    let b_id = sqlx::query_scalar::<_, String>("SELECT id FROM users WHERE email = 'device-b@example.com'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let device = signals.iter().find(|s| s["code"] == "SHARED_DEVICE").unwrap();
    assert_eq!(device["otherShopperIds"], json!([b_id]), "{body}");
    assert!(
        device["message"].as_str().unwrap().contains("З цього ж телефону"),
        "{body}"
    );
    // The shopper sees no signals on their own visit.
    let body = app
        .gql(
            a.token(),
            "query($id: ID!) { visit(id: $id) { shopperSignals { code } } }",
            json!({ "id": visits[0] }),
        )
        .await;
    assert_eq!(body["data"]["visit"]["shopperSignals"], json!([]), "{body}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conflict_declared_after_assignment_and_a_cool_off_overridden_are_flagged() {
    use fieldwork_mobile_api::{declare_conflict, DeclareConflict};
    let app = TestApp::spawn().await;
    let coordinator = app.staff(Role::Coordinator).await.token;
    let setup = app.client_with_checklist(&coordinator, "ЦНАП мережа").await;
    let venue = app.venue_at(&setup, "HEL-1", "Service point Helsinki", VENUE).await;
    let wave = app
        .wave(&setup)
        .set("visitsPerVenue", 2)
        .set("maxTasksPerShopper", 2)
        .set("cooloffDays", 30)
        .launch()
        .await;
    let tasks = wave.task_ids();
    let phone = shopper_with_task(&app, "conflicted@example.com", &tasks[0]).await;
    // Declared after the task was taken: nothing stops the visit, but it is flagged from the check-in on.
    phone
        .execute::<DeclareConflict>(declare_conflict::Variables {
            venue_id: Some(venue.clone()),
            client_id: None,
            employer: None,
        })
        .await
        .unwrap();
    let visit = checked_in_visit(&phone, &tasks[0]).await;
    let flags_now = |visit: String| {
        let app = &app;
        let coordinator = coordinator.clone();
        async move {
            let body = app
                .gql(
                    Some(&coordinator),
                    "query($id: ID!) { visit(id: $id) { flags { code severity message } } }",
                    json!({ "id": visit }),
                )
                .await;
            body["data"]["visit"]["flags"]
                .as_array()
                .cloned()
                .unwrap_or_else(|| panic!("{body}"))
        }
    };
    let before = flags_now(visit.clone()).await;
    assert!(
        before
            .iter()
            .any(|f| f["code"] == "CONFLICT_OF_INTEREST" && f["severity"] == "CRITICAL"),
        "{before:?}"
    );
    upload_bytes(
        &phone,
        &visit,
        "conflict-photo-1",
        "DSCN0010.jpg",
        fixture("photos/DSCN0010.jpg"),
    )
    .await;
    let flags = answer_and_submit(&phone, &visit).await;
    assert!(flags.contains(&"CONFLICT_OF_INTEREST".to_string()), "{flags:?}");
    let after = flags_now(visit.clone()).await;
    let conflict = after.iter().find(|f| f["code"] == "CONFLICT_OF_INTEREST").unwrap();
    assert!(
        conflict["message"]
            .as_str()
            .unwrap()
            .contains("заявив про конфлікт інтересів із цим закладом 20"),
        "{after:?}"
    );

    // The second visit of the same venue, given by a coordinator over the rules: flagged at submission.
    let shopper_id: String = sqlx::query_scalar("SELECT id FROM users WHERE email = 'conflicted@example.com'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let body = app
        .gql(
            Some(&coordinator),
            "mutation($t: ID!, $s: ID!) { assignTask(taskId: $t, shopperId: $s, reason: \"нікого більше\", \
             overrideReason: \"no other shopper in the area\") { state } }",
            json!({ "t": tasks[1], "s": shopper_id }),
        )
        .await;
    assert_eq!(body["data"]["assignTask"]["state"], "ASSIGNED", "{body}");
    let second = checked_in_visit(&phone, &tasks[1]).await;
    upload_bytes(
        &phone,
        &second,
        "cooloff-photo-1",
        "no_exif.jpg",
        fixture("photos/no_exif.jpg"),
    )
    .await;
    let flags = answer_and_submit(&phone, &second).await;
    assert!(flags.contains(&"COOL_OFF_BREACHED".to_string()), "{flags:?}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_venue_abroad_reads_photo_times_in_its_own_zone() {
    use fieldwork_mobile_api::{check_in, CheckIn};
    const DUBLIN: (f64, f64) = (53.3498, -6.2603);
    let app = TestApp::spawn().await;
    let coordinator = app.staff(Role::Coordinator).await.token;
    let setup = app.client_with_checklist(&coordinator, "Restaurant chain").await;
    let venue = app.venue_at(&setup, "DUB-1", "Temple Bar", DUBLIN).await;
    let zone_of = |id: String| {
        let (app, token) = (&app, coordinator.clone());
        async move {
            let body = app
                .gql(
                    Some(&token),
                    "query($id: ID!) { venue(id: $id) { timeZone } }",
                    json!({ "id": id }),
                )
                .await;
            body["data"]["venue"]["timeZone"]
                .as_str()
                .unwrap_or_else(|| panic!("{body}"))
                .to_string()
        }
    };
    assert_eq!(
        zone_of(venue.clone()).await,
        "Europe/Dublin",
        "derived from the coordinates"
    );
    // A zone set by hand is checked against the IANA database.
    let body = app
        .gql(
            Some(&coordinator),
            "mutation($id: ID!) { updateVenue(id: $id, input: { timeZone: \"Europe/Atlantis\" }) { id } }",
            json!({ "id": venue }),
        )
        .await;
    assert_eq!(fieldwork_e2e::error_field(&body), Some("timeZone"), "{body}");
    // Where the map has no zone (at sea), the client's default applies; a client's zone is checked too.
    let body = app
        .gql(
            Some(&coordinator),
            "mutation { createClient(name: \"Ferries\", kind: OTHER, timeZone: \"Europe/Dublin\") { id timeZone } }",
            json!({}),
        )
        .await;
    assert_eq!(body["data"]["createClient"]["timeZone"], "Europe/Dublin", "{body}");
    let ferries = fieldwork_e2e::ClientSetup {
        token: coordinator.clone(),
        client: body["data"]["createClient"]["id"].as_str().unwrap().to_string(),
        version: String::new(),
    };
    let at_sea = app.venue_at(&ferries, "SEA-1", "Weather buoy", (50.5, -12.0)).await;
    assert_eq!(zone_of(at_sea).await, "Europe/Dublin");
    let body = app
        .gql(
            Some(&coordinator),
            "mutation { createClient(name: \"Nowhere\", kind: OTHER, timeZone: \"Mars/Olympus\") { id } }",
            json!({}),
        )
        .await;
    assert_eq!(fieldwork_e2e::error_field(&body), Some("timeZone"), "{body}");
    let wave = app.wave(&setup).launch().await;
    let task = &wave.task_ids()[0];
    let (phone, _) = app
        .quick_shopper("dublin@example.com", DUBLIN.0, DUBLIN.1, 20.0, true)
        .await;
    phone.claim_task(task).await.unwrap();
    let done = phone
        .execute::<CheckIn>(check_in::Variables {
            input: check_in::CheckInInput {
                task_id: task.clone(),
                client_id: "checkin-dublin-1".into(),
                lat: DUBLIN.0,
                lon: DUBLIN.1,
                accuracy_m: 8.0,
                device_time: "2026-07-15T09:55:00Z".into(),
                mock_location: false,
                device_id: None,
            },
        })
        .await
        .unwrap();
    let visit = done.check_in.visit.unwrap().id;
    // A Nokia photo at 11:00 on the camera's clock, with no offset and no GPS time: 10:00 UTC in Dublin (read in
    // Kyiv time it would be 08:00 UTC, two hours before the check-in).
    let bytes = fixture("photos/made/nokia_dublin.jpg");
    let photo = phone
        .upload_visit_photo(
            upload_visit_photo::Variables {
                visit_id: visit.clone(),
                client_id: "photo-dublin-1".into(),
                question_code: Some("Q5".into()),
                receipt_kopiykas: None,
                file: None,
                source: None,
                capture: None,
            },
            "nokia_dublin.jpg",
            bytes,
        )
        .await
        .unwrap();
    assert_eq!(format!("{:?}", photo.time_verdict), "PASS", "{photo:?}");
    assert_eq!(format!("{:?}", photo.gps_verdict), "PASS", "{photo:?}");
    let submitted = fieldwork_e2e::answer_and_submit_at(&phone, &visit, DUBLIN, 6.0, "2026-07-15T10:20:00Z").await;
    let codes: Vec<String> = submitted.flags.iter().map(|f| format!("{:?}", f.code)).collect();
    assert!(!codes.iter().any(|c| c.starts_with("PHOTO_")), "{codes:?}");
    app.stop().await;
}

/// Uploads `bytes` as a live-camera photo with a capture at `at` (RFC 3339) and `pos`.
async fn live_upload(
    phone: &Client,
    visit: &str,
    client_id: &str,
    token: &str,
    pos: (f64, f64),
    at: &str,
    bytes: Vec<u8>,
) -> Result<upload_visit_photo::UploadVisitPhotoUploadVisitPhoto, fieldwork_mobile_api::ClientError> {
    let how = fieldwork_e2e::PhotoSend::Live {
        token,
        at: pos,
        time: at,
    };
    fieldwork_e2e::send_photo(phone, visit, client_id, bytes, how).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_capture_proves_place_and_time_without_exif_and_catches_a_swapped_file() {
    let app = TestApp::spawn().await;
    let coordinator = app.staff(Role::Coordinator).await.token;
    let setup = app.client_with_checklist(&coordinator, "ЦНАП мережа").await;
    app.venue_at(&setup, "HEL-1", "Service point Helsinki", VENUE).await;
    // A live capture is required for the queue-display photo; a wave naming a non-photo question is refused.
    let (_, refused) = app
        .wave(&setup)
        .set("visitRules", json!({ "liveCaptureQuestions": ["Q1"] }))
        .create_checked()
        .await;
    assert_eq!(refused.as_deref(), Some("visitRules.liveCaptureQuestions[0]"));
    let wave = app
        .wave(&setup)
        .set("visitsPerVenue", 2)
        .set("visitRules", json!({ "liveCaptureQuestions": ["Q5"] }))
        .launch()
        .await;
    let tasks = wave.task_ids();
    let phone = shopper_with_task(&app, "live@example.com", &tasks[0]).await;
    let visit = checked_in_visit(&phone, &tasks[0]).await;
    // A gallery photo for Q5 is refused, naming the field.
    let err = phone
        .upload_visit_photo(
            upload_visit_photo::Variables {
                visit_id: visit.clone(),
                client_id: "gallery-photo-1".into(),
                question_code: Some("Q5".into()),
                receipt_kopiykas: None,
                file: None,
                source: None,
                capture: None,
            },
            "no_exif.jpg",
            fixture("photos/no_exif.jpg"),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.field()),
        (Some("BAD_USER_INPUT"), Some("source")),
        "{err:?}"
    );

    let tokens = phone.request_capture_tokens(&visit, 3).await.unwrap();
    assert_eq!(tokens.len(), 3);
    // The check-in was at 11:05 (device time) in the harness; the app's camera takes a photo whose file has no
    // EXIF at all (as browsers send it): the capture fix proves place and time.
    let photo = live_upload(
        &phone,
        &visit,
        "live-photo-1",
        &tokens[0].token,
        VENUE,
        "2022-08-14T11:10:00Z",
        fixture("photos/no_exif.jpg"),
    )
    .await
    .unwrap();
    assert_eq!(format!("{:?}", photo.source), "LIVE_CAMERA");
    assert_eq!(
        (format!("{:?}", photo.gps_verdict), format!("{:?}", photo.time_verdict)),
        ("PASS".into(), "PASS".into()),
        "{photo:?}"
    );
    // A token is spent once: another photo with it is refused (a resend of the same photo is not).
    let again = live_upload(
        &phone,
        &visit,
        "live-photo-1",
        &tokens[0].token,
        VENUE,
        "2022-08-14T11:10:00Z",
        fixture("photos/no_exif.jpg"),
    )
    .await
    .unwrap();
    assert_eq!(again.id, photo.id, "a resend returns the stored photo");
    let err = live_upload(
        &phone,
        &visit,
        "live-photo-2",
        &tokens[0].token,
        VENUE,
        "2022-08-14T11:11:00Z",
        fixture("photos/Canon_40D.jpg"),
    )
    .await
    .unwrap_err();
    assert_eq!(err.field(), Some("capture.token"), "{err:?}");
    let err = live_upload(
        &phone,
        &visit,
        "live-photo-3",
        "fwc_forged",
        VENUE,
        "2022-08-14T11:11:00Z",
        fixture("photos/Canon_40D.jpg"),
    )
    .await
    .unwrap_err();
    assert_eq!(err.field(), Some("capture.token"), "{err:?}");
    // A file swapped in for the capture: its own EXIF says Tuscany, 2008, while the phone was at the venue.
    live_upload(
        &phone,
        &visit,
        "live-photo-4",
        &tokens[1].token,
        VENUE,
        "2022-08-14T11:12:00Z",
        fixture("photos/DSCN0010.jpg"),
    )
    .await
    .unwrap();
    let flags = answer_and_submit(&phone, &visit).await;
    assert!(flags.contains(&"CAPTURE_MISMATCH".to_string()), "{flags:?}");
    // The harness's phone clock says 2022, long before the server issued the tokens: by that clock the pictures
    // are older than their tokens, and the reviewer is told the token proves nothing for them.
    assert!(flags.contains(&"CAPTURE_BEFORE_TOKEN".to_string()), "{flags:?}");
    // The EXIF-less live photo raised no "missing" flags; the swapped one did not pass on its capture alone.
    assert!(
        !flags
            .iter()
            .any(|f| f == "PHOTO_GPS_MISSING" || f == "PHOTO_TIME_MISSING"),
        "{flags:?}"
    );
    app.stop().await;
}
