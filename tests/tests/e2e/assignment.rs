//! The job board and assignment: eligible tasks nearest first, atomic claims (50 at once, one winner),
//! releases, coordinator assignment with overrides, conflicts of interest, and lapsed holds returning to the board.

use std::time::Duration;

use fieldwork_e2e::{error_code, Options, TestApp};
use fieldwork_mobile_api::{
    available_tasks, declare_conflict, my_conflicts, release_task, AvailableTasks, DeclareConflict, MyConflicts,
    ReleaseTask,
};
use serde_json::{json, Value};

/// Rynok Square, Lviv: the main ЦНАП office is ~10 m away.
pub(crate) const RYNOK: (f64, f64) = (49.84195, 24.03160);

pub(crate) struct Board {
    pub(crate) coordinator: String,
    pub(crate) wave: String,
    /// Task ids by venue external code.
    pub(crate) tasks: std::collections::HashMap<String, String>,
}

/// Seven Lviv offices, one visit each, in a launched wave running from today for a month.
pub(crate) async fn board(app: &TestApp) -> Board {
    let wave = app.with_launched_wave().await;
    Board {
        tasks: wave.tasks_by_venue(),
        coordinator: wave.coordinator,
        wave: wave.wave,
    }
}

const MAIN_OFFICE: &str = "ЦНАП м. Львова (головний офіс)";
const VYHOVSKOHO: &str = "ТП ЦНАП вул. І. Виговського, 32";

async fn job_board(
    phone: &fieldwork_mobile_api::Client,
) -> Vec<available_tasks::AvailableTasksAvailableTasksEdgesNode> {
    phone
        .execute::<AvailableTasks>(available_tasks::Variables {
            near: None,
            radius_km: None,
            first: Some(50),
            after: None,
        })
        .await
        .unwrap()
        .available_tasks
        .edges
        .into_iter()
        .map(|e| e.node)
        .collect()
}

#[tokio::test]
async fn a_shopper_sees_eligible_tasks_nearest_first_claims_and_releases() {
    let app = TestApp::spawn().await;
    let b = board(&app).await;
    let (phone, shopper_id) = app
        .quick_shopper("olena@example.com", RYNOK.0, RYNOK.1, 25.0, true)
        .await;

    let tasks = job_board(&phone).await;
    assert_eq!(tasks.len(), 7);
    assert_eq!(tasks[0].venue_name, "Центр надання адміністративних послуг м. Львова");
    assert!(tasks[0].distance_m < 20.0);
    assert!(
        tasks.windows(2).all(|w| w[0].distance_m <= w[1].distance_m),
        "nearest first"
    );
    assert_eq!((tasks[0].fee_kopiykas, tasks[0].bonus_kopiykas), (40000, 0));
    assert!(tasks[0].scenario_summary.starts_with("Запитайте"));

    // An unverified shopper is told why there is no work.
    let (unverified, _) = app
        .quick_shopper("new@example.com", RYNOK.0, RYNOK.1, 25.0, false)
        .await;
    let err = unverified
        .execute::<AvailableTasks>(available_tasks::Variables {
            near: None,
            radius_km: None,
            first: None,
            after: None,
        })
        .await
        .unwrap_err();
    assert_eq!((err.code(), err.rule()), (Some("CONFLICT"), Some("EMAIL_NOT_VERIFIED")));

    // A declared employer hides its venue and refuses its claim.
    phone
        .execute::<DeclareConflict>(declare_conflict::Variables {
            venue_id: None,
            client_id: None,
            employer: Some("Виговського".into()),
        })
        .await
        .unwrap();
    assert_eq!(job_board(&phone).await.len(), 6);
    let err = phone.claim_task(&b.tasks[VYHOVSKOHO]).await.unwrap_err();
    assert_eq!(err.rule(), Some("CONFLICT_OF_INTEREST"), "{err:?}");

    // Claim, retry the claim, see it held; it leaves the board.
    let claimed = phone.claim_task(&b.tasks[MAIN_OFFICE]).await.unwrap();
    assert_eq!(claimed.state, fieldwork_mobile_api::claim_task::TaskState::CLAIMED);
    assert!(claimed.deadline_at.is_some());
    let again = phone.claim_task(&b.tasks[MAIN_OFFICE]).await.unwrap();
    assert_eq!(again.id, claimed.id);
    assert_eq!(job_board(&phone).await.len(), 5);
    // Another shopper cannot take it.
    let (other, _) = app
        .quick_shopper("other@example.com", RYNOK.0, RYNOK.1, 25.0, true)
        .await;
    let err = other.claim_task(&b.tasks[MAIN_OFFICE]).await.unwrap_err();
    assert_eq!(err.code(), Some("CONFLICT"));
    assert_eq!(err.message_code(), Some("task-taken"));
    // In Ukrainian, the service's default.
    assert!(err.to_string().contains("Уже зайнято"), "{err}");
    // The wave allows two tasks per shopper.
    let third_venue = b
        .tasks
        .iter()
        .find(|(code, _)| code.as_str() != MAIN_OFFICE && code.as_str() != VYHOVSKOHO)
        .unwrap()
        .1
        .clone();
    phone.claim_task(&third_venue).await.unwrap();
    let fourth = b
        .tasks
        .values()
        .find(|id| **id != third_venue && **id != b.tasks[MAIN_OFFICE] && **id != b.tasks[VYHOVSKOHO])
        .unwrap();
    assert_eq!(
        phone.claim_task(fourth).await.unwrap_err().rule(),
        Some("WAVE_TASK_LIMIT")
    );

    // Release with a reason: back on the board, and the history says who and why.
    let released = phone
        .execute::<ReleaseTask>(release_task::Variables {
            task_id: claimed.id.clone(),
            reason: "захворіла".into(),
        })
        .await
        .unwrap()
        .release_task;
    assert_eq!(released.state, release_task::TaskState::OPEN);
    let body = app
        .gql(
            Some(&b.coordinator),
            "query($t: ID!) { taskHistory(taskId: $t) { action shopperId reason late } }",
            json!({ "t": claimed.id }),
        )
        .await;
    assert_eq!(
        body["data"]["taskHistory"],
        json!([
            { "action": "CLAIM", "shopperId": shopper_id, "reason": null, "late": false },
            { "action": "RELEASE", "shopperId": shopper_id, "reason": "захворіла", "late": false }
        ])
    );

    // A paused wave's tasks cannot be claimed.
    app.gql(
        Some(&b.coordinator),
        "mutation($id: ID!) { pauseWave(id: $id) { status } }",
        json!({ "id": b.wave }),
    )
    .await;
    let err = other.claim_task(&b.tasks[MAIN_OFFICE]).await.unwrap_err();
    assert!(err.to_string().contains("paused"), "{err:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_shoppers_claim_one_task_at_once_and_exactly_one_wins() {
    let app = TestApp::spawn_with(Options {
        tweak: Box::new(|s| s.database_max_connections = 20),
        ..Options::default()
    })
    .await;
    let b = board(&app).await;
    let mut phones = Vec::new();
    for i in 0..50 {
        let (lat, lon) = (RYNOK.0 + f64::from(i) * 0.0005, RYNOK.1);
        phones.push(
            app.quick_shopper(&format!("racer{i}@example.com"), lat, lon, 25.0, true)
                .await,
        );
    }
    let task = b.tasks[MAIN_OFFICE].clone();
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(phones.len()));
    let claims: Vec<_> = phones
        .into_iter()
        .map(|(phone, id)| {
            let (task, start) = (task.clone(), start.clone());
            tokio::spawn(async move {
                start.wait().await;
                (id, phone.claim_task(&task).await)
            })
        })
        .collect();
    let mut winners = Vec::new();
    for claim in claims {
        let (id, result) = claim.await.unwrap();
        match result {
            Ok(_) => winners.push(id),
            Err(err) => {
                assert_eq!(err.code(), Some("CONFLICT"), "{err:?}");
                assert_eq!(err.message_code(), Some("task-taken"), "{err:?}");
            }
        }
    }
    assert_eq!(winners.len(), 1, "exactly one claim wins");
    let (state, holder): (String, Option<String>) = sqlx::query_as("SELECT state, shopper_id FROM tasks WHERE id = $1")
        .bind(&task)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(
        (state.as_str(), holder.as_deref()),
        ("CLAIMED", Some(winners[0].as_str()))
    );
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM task_events WHERE task_id = $1")
        .bind(&task)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(events, 1);
}

const ASSIGN: &str = "mutation($t: ID!, $s: ID!, $r: String!, $o: String) { assignTask(taskId: $t, shopperId: $s, reason: $r, overrideReason: $o) { state shopperId } }";

#[tokio::test]
async fn the_board_places_each_venue_and_conflicts_are_declared_once_by_name() {
    let app = TestApp::spawn().await;
    board(&app).await;
    let (phone, _) = app
        .quick_shopper("maria@example.com", RYNOK.0, RYNOK.1, 25.0, true)
        .await;
    let tasks = job_board(&phone).await;
    // Each task carries where its venue is (for the app's map) and whose it is.
    let first = &tasks[0];
    let d = fieldwork::domain::distance_m(RYNOK.0, RYNOK.1, first.venue_location.lat, first.venue_location.lon);
    assert!((d - first.distance_m).abs() < 1.0, "{d} vs {}", first.distance_m);
    assert!(!first.client_name.is_empty());

    // The phone resends (or the shopper taps twice) while the first declaration is still being made: one
    // declaration, the same answer to both.
    let declare = |venue: Option<String>, client: Option<String>| {
        phone.execute::<DeclareConflict>(declare_conflict::Variables {
            venue_id: venue,
            client_id: client,
            employer: None,
        })
    };
    let (a, b) = tokio::join!(
        declare(Some(first.venue_id.clone()), None),
        declare(Some(first.venue_id.clone()), None)
    );
    let (a, b) = (a.unwrap().declare_conflict, b.unwrap().declare_conflict);
    assert_eq!(a.id, b.id);
    assert_eq!(a.name.as_deref(), Some(first.venue_name.as_str()));
    assert_eq!(
        job_board(&phone).await.len(),
        tasks.len() - 1,
        "the venue leaves the board"
    );

    let client = declare(None, Some(first.client_id.clone()))
        .await
        .unwrap()
        .declare_conflict;
    assert_eq!(client.name.as_deref(), Some(first.client_name.as_str()));
    let again = declare(None, Some(first.client_id.clone()))
        .await
        .unwrap()
        .declare_conflict;
    assert_eq!(again.id, client.id);
    assert!(
        job_board(&phone).await.is_empty(),
        "all the client's venues leave the board"
    );

    let mine = phone
        .execute::<MyConflicts>(my_conflicts::Variables)
        .await
        .unwrap()
        .my_conflicts;
    assert_eq!(mine.len(), 2, "{mine:?}");
    assert_eq!(mine[0].venue_id.as_deref(), Some(first.venue_id.as_str()));
    assert_eq!(mine[1].client_id.as_deref(), Some(first.client_id.as_str()));
    app.stop().await;
}

#[tokio::test]
async fn coordinators_assign_by_hand_with_the_same_rules_unless_they_override() {
    let app = TestApp::spawn().await;
    let b = board(&app).await;
    let token = Some(b.coordinator.as_str());
    let task = &b.tasks[MAIN_OFFICE];
    let (_, unverified) = app
        .quick_shopper("unverified@example.com", RYNOK.0, RYNOK.1, 25.0, false)
        .await;
    let (far_phone, far) = app.quick_shopper("far@example.com", 50.45, 30.52, 10.0, true).await; // Kyiv

    let body = app
        .gql(
            token,
            ASSIGN,
            json!({ "t": task, "s": unverified, "r": "досвідчений покупець" }),
        )
        .await;
    assert_eq!(
        (error_code(&body), body["errors"][0]["extensions"]["rule"].as_str()),
        (Some("CONFLICT"), Some("EMAIL_NOT_VERIFIED")),
        "{body}"
    );
    // A short override reason is not enough.
    let body = app
        .gql(
            token,
            ASSIGN,
            json!({ "t": task, "s": unverified, "r": "досвідчений покупець", "o": "так" }),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["field"], "overrideReason");
    let body = app
        .gql(
            token,
            ASSIGN,
            json!({ "t": task, "s": unverified, "r": "досвідчений покупець", "o": "підтвердив пошту телефоном" }),
        )
        .await;
    assert_eq!(
        body["data"]["assignTask"],
        json!({ "state": "ASSIGNED", "shopperId": unverified }),
        "{body}"
    );

    // Reassigning to someone else records both sides.
    let body = app
        .gql(
            token,
            ASSIGN,
            json!({ "t": task, "s": far, "r": "ближче до дому", "o": "живе у Львові тимчасово" }),
        )
        .await;
    assert_eq!(body["data"]["assignTask"]["shopperId"], far.as_str(), "{body}");
    let body = app
        .gql(
            token,
            "query($t: ID!) { taskHistory(taskId: $t) { action shopperId overriddenRule } }",
            json!({ "t": task }),
        )
        .await;
    assert_eq!(
        body["data"]["taskHistory"],
        json!([
            { "action": "ASSIGN", "shopperId": unverified, "overriddenRule": "EMAIL_NOT_VERIFIED" },
            { "action": "UNASSIGN", "shopperId": unverified, "overriddenRule": null },
            { "action": "ASSIGN", "shopperId": far, "overriddenRule": "OUTSIDE_TRAVEL_RADIUS" }
        ])
    );
    // The shopper sees the assignment among their tasks; a client viewer would not see who holds it.
    let mine = far_phone
        .execute::<fieldwork_mobile_api::MyTasks>(fieldwork_mobile_api::my_tasks::Variables {
            state: None,
            first: None,
            after: None,
        })
        .await
        .unwrap();
    assert_eq!(mine.my_tasks.total_count, 1);

    let body = app
        .gql(
            token,
            "mutation($t: ID!) { unassignTask(taskId: $t, reason: \"змінились плани\") { state } }",
            json!({ "t": task }),
        )
        .await;
    assert_eq!(body["data"]["unassignTask"]["state"], "OPEN");
    let body = app
        .gql(
            token,
            "mutation($t: ID!) { unassignTask(taskId: $t, reason: \"ще раз\") { state } }",
            json!({ "t": task }),
        )
        .await;
    assert_eq!(error_code(&body), Some("CONFLICT"));
}

#[tokio::test]
async fn a_lapsed_claim_returns_to_the_board_and_the_shopper_is_told() {
    let app = TestApp::spawn_with(Options {
        tweak: Box::new(|s| s.assignment.expiry_interval_secs = 1),
        ..Options::default()
    })
    .await;
    let b = board(&app).await;
    let (phone, shopper_id) = app
        .quick_shopper("late@example.com", RYNOK.0, RYNOK.1, 25.0, true)
        .await;
    let task = &b.tasks[MAIN_OFFICE];
    phone.claim_task(task).await.unwrap();
    // The claim window passes.
    sqlx::query("UPDATE tasks SET deadline_at = $1 WHERE id = $2")
        .bind(app.db.now_ms() - 1000)
        .bind(task)
        .execute(app.db.pool())
        .await
        .unwrap();
    let mails = app
        .mailbox
        .wait_for_count("late@example.com", 2, Duration::from_secs(10))
        .await;
    let mail = mails
        .iter()
        .find(|m| m.subject == "Завдання повернуто на дошку")
        .expect("an expiry notice");
    assert!(
        mail.body.contains("Центр надання адміністративних послуг м. Львова"),
        "{}",
        mail.body
    );
    let state: String = sqlx::query_scalar("SELECT state FROM tasks WHERE id = $1")
        .bind(task)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(state, "OPEN");
    // Coordinators see it in the shopper's reliability.
    let body = app
        .gql(
            Some(&b.coordinator),
            "query($id: ID!) { shopper(id: $id) { reliability { tasksTaken expired score } } }",
            json!({ "id": shopper_id }),
        )
        .await;
    assert_eq!(
        body["data"]["shopper"]["reliability"],
        json!({ "tasksTaken": 1, "expired": 1, "score": 0.0 }),
        "{body}"
    );
    let _: Value = body;
}

#[tokio::test]
async fn the_optimizer_spreads_a_wave_previews_then_commits() {
    let app = TestApp::spawn().await;
    let b = board(&app).await;
    let token = Some(b.coordinator.as_str());
    // Three shoppers in Lviv (two tasks each in this wave: six of the seven tasks), one in Kyiv (out of reach).
    let mut lviv = Vec::new();
    for i in 0..3 {
        lviv.push(
            app.quick_shopper(
                &format!("lviv{i}@example.com"),
                RYNOK.0 + 0.01 * f64::from(i),
                RYNOK.1,
                25.0,
                true,
            )
            .await
            .1,
        );
    }
    let (_, kyiv) = app.quick_shopper("kyiv@example.com", 50.45, 30.52, 25.0, true).await;
    let auto = "mutation($w: ID!, $c: Boolean!) { autoAssignWave(waveId: $w, commit: $c) { committed totalKm \
        proposals { taskId shopperId distanceM } unassignable { taskId reason } } }";
    let preview = app.gql(token, auto, json!({ "w": b.wave, "c": false })).await;
    let plan = &preview["data"]["autoAssignWave"];
    let proposals = plan["proposals"].as_array().unwrap_or_else(|| panic!("{preview}"));
    assert_eq!(proposals.len(), 6, "{preview}");
    assert_eq!(plan["unassignable"].as_array().unwrap().len(), 1);
    assert!(plan["unassignable"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("at capacity"));
    assert!(proposals.iter().all(|p| p["shopperId"] != kyiv.as_str()));
    for shopper in &lviv {
        assert_eq!(
            proposals.iter().filter(|p| p["shopperId"] == shopper.as_str()).count(),
            2,
            "fair and within the wave limit"
        );
    }
    assert_eq!(plan["committed"], 0);
    assert_eq!(app.count("task_events").await, 0, "a preview changes nothing");

    let done = app.gql(token, auto, json!({ "w": b.wave, "c": true })).await;
    assert_eq!(done["data"]["autoAssignWave"]["committed"], 6, "{done}");
    let assigned: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tasks WHERE state = 'ASSIGNED'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(assigned, 6);
    let again = app.gql(token, auto, json!({ "w": b.wave, "c": false })).await;
    assert_eq!(again["data"]["autoAssignWave"]["proposals"], json!([]));
}

#[tokio::test]
async fn offers_are_accepted_declined_or_left_to_lapse() {
    let app = TestApp::spawn_with(Options {
        tweak: Box::new(|s| s.assignment.expiry_interval_secs = 1),
        ..Options::default()
    })
    .await;
    let b = board(&app).await;
    let token = Some(b.coordinator.as_str());
    let task = &b.tasks[MAIN_OFFICE];
    let (phone, shopper) = app
        .quick_shopper("offered@example.com", RYNOK.0, RYNOK.1, 25.0, true)
        .await;
    let offer = "mutation($t: ID!, $s: ID!) { offerTask(taskId: $t, shopperId: $s, reason: \"найближча\", acceptWithinHours: 12) { state deadlineAt } }";

    let body = app.gql(token, offer, json!({ "t": task, "s": shopper })).await;
    assert_eq!(body["data"]["offerTask"]["state"], "OFFERED", "{body}");
    let offered = phone
        .execute::<fieldwork_mobile_api::MyTasks>(fieldwork_mobile_api::my_tasks::Variables {
            state: Some(fieldwork_mobile_api::my_tasks::TaskState::OFFERED),
            first: None,
            after: None,
        })
        .await
        .unwrap();
    assert_eq!(offered.my_tasks.total_count, 1);

    // Declined: back on the board.
    let declined = phone
        .execute::<fieldwork_mobile_api::DeclineOffer>(fieldwork_mobile_api::decline_offer::Variables {
            task_id: task.clone(),
            reason: "не встигну".into(),
        })
        .await
        .unwrap();
    assert_eq!(
        declined.decline_offer.state,
        fieldwork_mobile_api::decline_offer::TaskState::OPEN
    );

    // Offered again and accepted (twice: a retry): assigned to the shopper.
    app.gql(token, offer, json!({ "t": task, "s": shopper })).await;
    for _ in 0..2 {
        let accepted = phone
            .execute::<fieldwork_mobile_api::AcceptOffer>(fieldwork_mobile_api::accept_offer::Variables {
                task_id: task.clone(),
            })
            .await
            .unwrap();
        assert_eq!(
            accepted.accept_offer.state,
            fieldwork_mobile_api::accept_offer::TaskState::ASSIGNED
        );
    }

    // An offer nobody answers frees the task, without counting against the shopper.
    let other_task = &b.tasks[VYHOVSKOHO];
    app.gql(token, offer, json!({ "t": other_task, "s": shopper })).await;
    sqlx::query("UPDATE tasks SET deadline_at = $1 WHERE id = $2")
        .bind(app.db.now_ms() - 1000)
        .bind(other_task)
        .execute(app.db.pool())
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let state: String = sqlx::query_scalar("SELECT state FROM tasks WHERE id = $1")
            .bind(other_task)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        if state == "OPEN" {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the lapsed offer was not freed");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let err = phone
        .execute::<fieldwork_mobile_api::AcceptOffer>(fieldwork_mobile_api::accept_offer::Variables {
            task_id: other_task.clone(),
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("CONFLICT"));
    let body = app
        .gql(
            token,
            "query($t: ID!) { taskHistory(taskId: $t) { action } }",
            json!({ "t": other_task }),
        )
        .await;
    assert_eq!(
        body["data"]["taskHistory"],
        json!([{ "action": "OFFER" }, { "action": "OFFER_EXPIRED" }])
    );
    let body = app
        .gql(
            token,
            "query($id: ID!) { shopper(id: $id) { reliability { tasksTaken expired score } } }",
            json!({ "id": shopper }),
        )
        .await;
    assert_eq!(
        body["data"]["shopper"]["reliability"],
        json!({ "tasksTaken": 1, "expired": 0, "score": 100.0 }),
        "{body}"
    );
}

#[tokio::test]
async fn tasks_still_open_after_some_days_earn_the_wave_bonus() {
    let app = TestApp::spawn_with(Options {
        tweak: Box::new(|s| s.assignment.expiry_interval_secs = 1),
        ..Options::default()
    })
    .await;
    let b = board(&app).await;
    let (phone, _) = app
        .quick_shopper("bonus@example.com", RYNOK.0, RYNOK.1, 25.0, true)
        .await;
    // Claimed before the bonus applies: the shopper keeps the fee they claimed at.
    let claimed = phone.claim_task(&b.tasks[MAIN_OFFICE]).await.unwrap();
    assert_eq!(claimed.bonus_kopiykas, 0);
    // The wave launched eight days ago, with steps of 50 UAH after 3 days and 120 UAH after 7, capped at 100 UAH.
    sqlx::query(
        "UPDATE waves SET bonus_steps = '[{\"afterDays\":3,\"bonusKopiykas\":5000},{\"afterDays\":7,\"bonusKopiykas\":12000}]', \
         bonus_cap_kopiykas = 10000, launched_at = $1 WHERE id = $2",
    )
    .bind(app.db.now_ms() - 8 * 86_400_000)
    .bind(&b.wave)
    .execute(app.db.pool())
    .await
    .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let tasks = job_board(&phone).await;
        if !tasks.is_empty() && tasks.iter().all(|t| t.bonus_kopiykas == 10000) {
            assert_eq!(tasks.len(), 6);
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "bonuses were not applied: {tasks:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let held: i64 = sqlx::query_scalar("SELECT bonus_kopiykas FROM tasks WHERE id = $1")
        .bind(&b.tasks[MAIN_OFFICE])
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(held, 0, "a held task keeps the fee it was taken at");
}
