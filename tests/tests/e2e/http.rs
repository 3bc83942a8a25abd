//! The HTTP edge: health, GraphiQL, malformed requests, limits, request ids, hidden internal errors.

use fieldwork_e2e::{error_code, sign_up_json, TestApp};
use serde_json::json;

#[tokio::test]
async fn health_readiness_and_graphiql() {
    // A web build as `npm run build` lays it out (the real one is driven in Chromium by web/tests/graphiql.test.mjs).
    let web = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(web.path().join("graphiql/assets")).unwrap();
    std::fs::write(
        web.path().join("graphiql/index.html"),
        "<!doctype html><title>Fieldwork GraphQL</title><div id=\"graphiql\"></div><script type=\"module\" src=\"/graphiql/assets/index-abc123.js\"></script>",
    )
    .unwrap();
    std::fs::write(
        web.path().join("graphiql/assets/index-abc123.js"),
        "console.log('graphiql')",
    )
    .unwrap();
    let web_dir = web.path().to_path_buf();
    let app = TestApp::spawn_with(fieldwork_e2e::Options {
        tweak: Box::new(move |s| s.http.web_dir = web_dir.clone()),
        ..Default::default()
    })
    .await;
    let http = reqwest::Client::new();
    let health = http.get(format!("{}/healthz", app.base_url)).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let ready = http.get(format!("{}/readyz", app.base_url)).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    assert!(ready.headers().contains_key("x-request-id"));
    let graphiql = http.get(format!("{}/graphql", app.base_url)).send().await.unwrap();
    assert_eq!(graphiql.status(), 200);
    let csp = graphiql.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.starts_with("default-src 'self'; script-src 'self';"), "{csp}");
    assert!(!csp.contains("http"), "no other host: {csp}");
    assert_eq!(graphiql.headers()["cache-control"], "no-cache");
    assert!(graphiql
        .text()
        .await
        .unwrap()
        .contains("/graphiql/assets/index-abc123.js"));
    let asset = http
        .get(format!("{}/graphiql/assets/index-abc123.js", app.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(asset.status(), 200);
    assert!(asset.headers()["cache-control"].to_str().unwrap().contains("immutable"));
    app.stop().await;
}

#[tokio::test]
async fn malformed_requests_get_a_clean_400() {
    let app = TestApp::spawn().await;
    let http = reqwest::Client::new();
    let url = format!("{}/graphql", app.base_url);

    let response = http
        .post(&url)
        .header("content-type", "application/json")
        .body("{\"query\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(error_code(&body), Some("BAD_REQUEST"));

    let (status, body) = app.post(None, "{ me { id ", json!({})).await;
    assert_eq!(status, 400);
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");

    let (status, body) = app.post(None, "{ noSuchField }", json!({})).await;
    assert_eq!(status, 400);
    assert!(body["errors"][0]["message"].as_str().unwrap().contains("noSuchField"));

    // Too deep (only a pure introspection query, as GraphiQL and code generators send it, is exempt).
    let deep = "{ me { id } __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } } } }";
    let (status, body) = app.post(None, deep, json!({})).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["errors"][0]["extensions"]["messageCode"], "request-too-deep",
        "{body}"
    );
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("завелику вкладеність"),
        "{body}"
    );

    // Too large.
    let huge = "x".repeat(app.settings.limits.max_body_bytes + 1);
    let response = http
        .post(&url)
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);

    // The server is still serving.
    let (status, _) = app.post(None, "{ __typename }", json!({})).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_request_id_is_kept_or_made_and_returned() {
    let app = TestApp::spawn().await;
    let response = reqwest::Client::new()
        .get(format!("{}/healthz", app.base_url))
        .header("x-request-id", "trace-me-42")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "trace-me-42");
}

#[tokio::test]
async fn internal_errors_are_logged_not_shown_and_leave_nothing_half_written() {
    let app = TestApp::spawn().await;
    // Break the database under the running server: the audit insert at the end of sign-up will fail.
    sqlx::query("DROP TABLE audit_log")
        .execute(app.db.pool())
        .await
        .unwrap();
    let body = app
        .gql(
            None,
            "mutation($input: SignUpInput!) { signUp(input: $input) { user { id } } }",
            json!({ "input": sign_up_json("broken@example.com") }),
        )
        .await;
    assert_eq!(error_code(&body), Some("INTERNAL"), "{body}");
    let message = body["errors"][0]["message"].as_str().unwrap();
    let request_id = body["errors"][0]["extensions"]["requestId"].as_str().unwrap();
    assert_eq!(
        message,
        format!("Сталася внутрішня помилка (номер запиту {request_id})."),
        "{body}"
    );
    assert_eq!(
        body["errors"][0]["extensions"]["messageCode"], "internal-error",
        "{body}"
    );
    assert!(
        !body.to_string().contains("audit_log"),
        "the cause must not leak: {body}"
    );
    assert!(body["errors"][0]["extensions"]["requestId"].is_string());
    // The whole sign-up was rolled back: no user, no profile, no queued mail.
    assert_eq!(app.count("users").await, 0);
    assert_eq!(app.count("shopper_profiles").await, 0);
    assert_eq!(app.count("outbox_emails").await, 0);
}

#[tokio::test]
async fn without_a_web_build_the_app_path_says_how_to_make_one() {
    let app = TestApp::spawn_with(fieldwork_e2e::Options {
        tweak: Box::new(|s| s.http.web_dir = "/nonexistent/web/dist".into()),
        ..Default::default()
    })
    .await;
    for path in [
        "/app",
        "/app/",
        "/app/tasks/1",
        "/console",
        "/console/",
        "/console/visit/1",
    ] {
        let response = reqwest::get(format!("{}{path}", app.base_url)).await.unwrap();
        assert_eq!(response.status(), 404, "{path}");
        let text = response.text().await.unwrap();
        assert!(text.contains("npm ci &amp;&amp; npm run build"), "{path}: {text}");
    }
    // The API explorer says the same, and that the API itself works.
    let explorer = reqwest::get(format!("{}/graphql", app.base_url)).await.unwrap();
    assert_eq!(explorer.status(), 404);
    let text = explorer.text().await.unwrap();
    assert!(
        text.contains("GraphiQL is not built") && text.contains("POST /graphql"),
        "{text}"
    );
    app.stop().await;
}
