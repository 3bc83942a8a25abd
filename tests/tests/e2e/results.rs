//! Results for clients: a wave's approved visits per venue, oblast and question, scores over waves, the visits
//! one by one without the shopper, and the visit-level CSV and XLSX downloads; another client's viewer is
//! refused, and a shopper reads no results.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use fieldwork::domain::Role;
use fieldwork_e2e::{error_code, TestApp};
use fieldwork_mobile_api::{save_visit_answers, SaveVisitAnswers};
use serde_json::{json, Value};

use crate::visits::{check_out_and_submit, checked_in_visit, field, shopper_with_task};

const RESULTS: &str = "query($w: ID!) { waveResults(waveId: $w) { visits meanScore exportPath \
    byVenue { externalCode name visits meanScore location { lat lon } } \
    byRegion { oblast venues visits meanScore } \
    questions { code type title shown answered notApplicable meanScore yesShare meanValue options { code count } } \
    approvedVisits(first: 10) { totalCount edges { node { id score shopperId photos { originalUrl } } } } } }";

/// Two approved visits of one venue: (yes, 5, DONE) scores 100; (no, 3, REFUSED with a reason that looks like a
/// spreadsheet formula) scores 12.5. A third visit stays submitted and counts nowhere.
pub(crate) async fn approved_wave(app: &TestApp) -> (crate::visits::Field, String) {
    let f = field(app, json!({})).await;
    let coordinator = Some(f.coordinator.as_str());
    let answers = [
        json!({ "Q1": true, "Q2": 5, "Q3": "DONE" }),
        json!({ "Q1": false, "Q2": 3, "Q3": "REFUSED", "Q4": "=HYPERLINK(\"http://x\") немає бланків" }),
    ];
    let mut visits = Vec::new();
    for (i, (task, answers)) in f.tasks.iter().zip(answers).enumerate() {
        let phone = shopper_with_task(app, &format!("results{i}@example.com"), task).await;
        let visit = checked_in_visit(&phone, task).await;
        phone
            .execute::<SaveVisitAnswers>(save_visit_answers::Variables {
                visit_id: visit.clone(),
                answers,
            })
            .await
            .unwrap();
        check_out_and_submit(&phone, &visit).await;
        let body = app
            .gql(
                coordinator,
                "mutation($v: ID!) { reviewVisit(visitId: $v, decision: APPROVE) { state } }",
                json!({ "v": visit }),
            )
            .await;
        assert_eq!(body["data"]["reviewVisit"]["state"], "APPROVED", "{body}");
        visits.push(visit);
    }
    let wave: String = sqlx::query_scalar("SELECT wave_id FROM tasks WHERE id = $1")
        .bind(&f.tasks[0])
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    (f, wave)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_reads_its_wave_results_and_downloads_them() {
    let app = TestApp::spawn().await;
    let (f, wave) = approved_wave(&app).await;
    let viewer = app.client_viewer(&f.client).await.token;

    let body = app.gql(Some(&viewer), RESULTS, json!({ "w": wave })).await;
    let results = &body["data"]["waveResults"];
    assert_eq!(results["visits"], 2, "{body}");
    // Visit scores: 100 · (2·1 + 1·1 + 1·1)/4 = 100 and 100 · (2·0 + 1·0.5 + 1·0)/4 = 12.5.
    assert_eq!(results["meanScore"], 56.25, "{body}");
    assert_eq!(results["byVenue"][0]["externalCode"], "HEL-1");
    assert_eq!(results["byVenue"][0]["visits"], 2);
    assert_eq!(results["byVenue"][0]["meanScore"], 56.25);
    assert_eq!(results["byRegion"].as_array().unwrap().len(), 1);
    assert_eq!(results["byRegion"][0]["venues"], 1);
    let question = |code: &str| -> Value {
        results["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["code"] == code)
            .cloned()
            .unwrap()
    };
    assert_eq!(question("Q1")["yesShare"], 50.0, "{body}");
    assert_eq!(question("Q1")["meanScore"], 50.0);
    assert_eq!(question("Q2")["meanValue"], 4.0);
    assert_eq!(question("Q2")["meanScore"], 75.0);
    assert_eq!(
        question("Q3")["options"],
        json!([{ "code": "DONE", "count": 1 }, { "code": "REFUSED", "count": 1 }])
    );
    assert_eq!(
        (question("Q4")["shown"].clone(), question("Q4")["answered"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(question("Q5")["type"], "PHOTO");
    assert_eq!(question("Q5")["meanScore"], Value::Null);
    // The visits themselves, without the shopper or the originals.
    let visits = &results["approvedVisits"];
    assert_eq!(visits["totalCount"], 2);
    for edge in visits["edges"].as_array().unwrap() {
        assert_eq!(edge["node"]["shopperId"], Value::Null);
    }

    // Scores over waves: one wave so far.
    let body = app
        .gql(
            Some(&viewer),
            "query($c: ID!) { scoreTrend(clientId: $c) { waveId visits meanScore regions { oblast visits meanScore } } }",
            json!({ "c": f.client }),
        )
        .await;
    assert_eq!(body["data"]["scoreTrend"][0]["waveId"], wave.as_str(), "{body}");
    assert_eq!(body["data"]["scoreTrend"][0]["meanScore"], 56.25);

    // CSV: a byte-order mark, one row per visit, one column per question, formulas defused.
    let http = reqwest::Client::new();
    let path = results["exportPath"].as_str().unwrap();
    let response = http
        .get(format!("{}{path}?format=csv", app.base_url))
        .bearer_auth(&viewer)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let disposition = response.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(
        disposition.starts_with("attachment; filename=\"results-"),
        "{disposition}"
    );
    // «Хвиля з фото», percent-encoded for `filename*`.
    assert!(
        disposition.contains("filename*=UTF-8''results%2D%D0%A5%D0%B2"),
        "{disposition}"
    );
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()));
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(&header[..3], ["visit_id", "wave", "venue_code"]);
    assert_eq!(&header[header.len() - 5..], ["Q1", "Q2", "Q3", "Q4", "Q5"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    let refused = rows.iter().find(|r| &r[header.len() - 3] == "REFUSED").unwrap();
    assert_eq!(&refused[header.len() - 5], "0");
    assert_eq!(&refused[header.len() - 2], "'=HYPERLINK(\"http://x\") немає бланків");
    assert_eq!(&refused[12], "12.5");
    assert!(refused[9].ends_with("+03:00"), "Helsinki summer time: {}", &refused[9]);

    // XLSX: the same rows in a `visits` sheet, the questions named in a `questions` sheet.
    let response = http
        .get(format!("{}{path}?format=xlsx", app.base_url))
        .bearer_auth(&viewer)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = response.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["visits", "questions"]);
    let sheet = book.worksheet_range("visits").unwrap();
    assert_eq!(sheet.height(), 3);
    assert_eq!(sheet.get((0, 0)), Some(&Data::String("visit_id".into())));
    let scores: Vec<f64> = (1..3)
        .map(|r| match sheet.get((r, 12)) {
            Some(Data::Float(f)) => *f,
            other => panic!("score cell {other:?}"),
        })
        .collect();
    assert!(scores.contains(&100.0) && scores.contains(&12.5), "{scores:?}");
    let questions = book.worksheet_range("questions").unwrap();
    assert_eq!(questions.get((1, 2)), Some(&Data::String("Чи є вивіска ЦНАП?".into())));

    // A format nobody offers is named.
    let response = http
        .get(format!("{}{path}?format=pdf", app.base_url))
        .bearer_auth(&viewer)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["field"], "format", "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_clients_viewer_and_shoppers_read_no_results() {
    let app = TestApp::spawn().await;
    let (f, wave) = approved_wave(&app).await;
    let coordinator = app.staff(Role::Coordinator).await.token;
    let other = app.client_with_checklist(&coordinator, "Інший клієнт").await;
    let outsider = app.client_viewer(&other.client).await.token;

    let body = app.gql(Some(&outsider), RESULTS, json!({ "w": wave })).await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    let body = app
        .gql(
            Some(&outsider),
            "query($c: ID!) { scoreTrend(clientId: $c) { waveId } }",
            json!({ "c": f.client }),
        )
        .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    let http = reqwest::Client::new();
    let url = format!("{}/waves/{wave}/results?format=xlsx", app.base_url);
    let response = http.get(&url).bearer_auth(&outsider).send().await.unwrap();
    assert_eq!(response.status(), 404);
    let response = http.get(&url).send().await.unwrap();
    assert_eq!(response.status(), 401);
    let (shopper, _) = app.quick_shopper("nosy@example.com", 60.17, 24.94, 30.0, true).await;
    let response = http
        .get(&url)
        .bearer_auth(shopper.token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    // Staff read every client's results.
    let body = app.gql(Some(&coordinator), RESULTS, json!({ "w": wave })).await;
    assert_eq!(body["data"]["waveResults"]["visits"], 2, "{body}");

    // A shopper's page lists their visits for reviewers; the payments team reads the shopper but not the visits.
    let shopper: String = sqlx::query_scalar("SELECT shopper_id FROM visits ORDER BY id LIMIT 1")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let visits = "query($s: ID!) { shopper(id: $s) { visits { totalCount edges { node { state waveName } } } } }";
    let body = app.gql(Some(&coordinator), visits, json!({ "s": shopper })).await;
    assert_eq!(body["data"]["shopper"]["visits"]["totalCount"], 1, "{body}");
    assert_eq!(
        body["data"]["shopper"]["visits"]["edges"][0]["node"]["state"],
        "APPROVED"
    );
    let payments = app.staff(Role::Payments).await.token;
    let body = app.gql(Some(&payments), visits, json!({ "s": shopper })).await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
}
