//! The shopper app's contract: every operation the app sends lives as a `.graphql` document in `operations/`,
//! and this crate turns each into typed Rust (with `graphql_client`, checked against `../schema.graphql` at
//! compile time) plus a small async [`Client`] that executes them over HTTP. End-to-end tests and load tools
//! use it as "a phone".

use graphql_client::{GraphQLQuery, Response};
use serde::Serialize;

/// Custom scalars as they travel: RFC 3339 strings.
pub type DateTime = String;
/// Any JSON value (checklist answers).
#[allow(clippy::upper_case_acronyms)]
pub type JSON = serde_json::Value;
/// A file variable: `null` in the operations part of a multipart request; the file travels beside it
/// (see [`Client::upload_visit_photo`]).
pub type Upload = Option<()>;

#[rustfmt::skip]
macro_rules! operation {
    ($name:ident, $file:literal) => {
        #[derive(GraphQLQuery)]
        #[graphql(
            schema_path = "../schema.graphql",
            query_path = $file,
            response_derives = "Debug, Clone, PartialEq",
            variables_derives = "Debug, Clone"
        )]
        pub struct $name;
    };
}

operation!(SignUp, "operations/sign_up.graphql");
operation!(VerifyEmail, "operations/verify_email.graphql");
operation!(ResendVerificationEmail, "operations/resend_verification_email.graphql");
operation!(Login, "operations/login.graphql");
operation!(Logout, "operations/logout.graphql");
operation!(LogoutEverywhere, "operations/logout_everywhere.graphql");
operation!(Me, "operations/me.graphql");
operation!(UpdateMyProfile, "operations/update_my_profile.graphql");
operation!(RequestPasswordReset, "operations/request_password_reset.graphql");
operation!(ResetPassword, "operations/reset_password.graphql");
operation!(ChangePassword, "operations/change_password.graphql");
operation!(AvailableTasks, "operations/available_tasks.graphql");
operation!(ClaimTask, "operations/claim_task.graphql");
operation!(ReleaseTask, "operations/release_task.graphql");
operation!(MyTasks, "operations/my_tasks.graphql");
operation!(DeclareConflict, "operations/declare_conflict.graphql");
operation!(MyConflicts, "operations/my_conflicts.graphql");
operation!(AcceptOffer, "operations/accept_offer.graphql");
operation!(DeclineOffer, "operations/decline_offer.graphql");
operation!(CheckIn, "operations/check_in.graphql");
operation!(SaveVisitAnswers, "operations/save_visit_answers.graphql");
operation!(UploadVisitPhoto, "operations/upload_visit_photo.graphql");
operation!(RequestCaptureTokens, "operations/request_capture_tokens.graphql");
operation!(CheckOut, "operations/check_out.graphql");
operation!(SubmitVisit, "operations/submit_visit.graphql");
operation!(MyVisits, "operations/my_visits.graphql");
operation!(MyVisit, "operations/my_visit.graphql");
operation!(MyEarnings, "operations/my_earnings.graphql");
operation!(MyYearlyStatement, "operations/my_yearly_statement.graphql");

/// The documents in `operations/`, by file name (a test checks each against the schema).
pub const DOCUMENTS: &[(&str, &str)] = &[
    ("sign_up.graphql", include_str!("../operations/sign_up.graphql")),
    (
        "verify_email.graphql",
        include_str!("../operations/verify_email.graphql"),
    ),
    (
        "resend_verification_email.graphql",
        include_str!("../operations/resend_verification_email.graphql"),
    ),
    ("login.graphql", include_str!("../operations/login.graphql")),
    ("logout.graphql", include_str!("../operations/logout.graphql")),
    (
        "logout_everywhere.graphql",
        include_str!("../operations/logout_everywhere.graphql"),
    ),
    ("me.graphql", include_str!("../operations/me.graphql")),
    (
        "update_my_profile.graphql",
        include_str!("../operations/update_my_profile.graphql"),
    ),
    (
        "request_password_reset.graphql",
        include_str!("../operations/request_password_reset.graphql"),
    ),
    (
        "reset_password.graphql",
        include_str!("../operations/reset_password.graphql"),
    ),
    (
        "change_password.graphql",
        include_str!("../operations/change_password.graphql"),
    ),
    (
        "available_tasks.graphql",
        include_str!("../operations/available_tasks.graphql"),
    ),
    ("claim_task.graphql", include_str!("../operations/claim_task.graphql")),
    (
        "release_task.graphql",
        include_str!("../operations/release_task.graphql"),
    ),
    ("my_tasks.graphql", include_str!("../operations/my_tasks.graphql")),
    (
        "declare_conflict.graphql",
        include_str!("../operations/declare_conflict.graphql"),
    ),
    (
        "my_conflicts.graphql",
        include_str!("../operations/my_conflicts.graphql"),
    ),
    (
        "accept_offer.graphql",
        include_str!("../operations/accept_offer.graphql"),
    ),
    (
        "decline_offer.graphql",
        include_str!("../operations/decline_offer.graphql"),
    ),
    ("check_in.graphql", include_str!("../operations/check_in.graphql")),
    (
        "save_visit_answers.graphql",
        include_str!("../operations/save_visit_answers.graphql"),
    ),
    (
        "upload_visit_photo.graphql",
        include_str!("../operations/upload_visit_photo.graphql"),
    ),
    (
        "request_capture_tokens.graphql",
        include_str!("../operations/request_capture_tokens.graphql"),
    ),
    ("check_out.graphql", include_str!("../operations/check_out.graphql")),
    (
        "submit_visit.graphql",
        include_str!("../operations/submit_visit.graphql"),
    ),
    ("my_visits.graphql", include_str!("../operations/my_visits.graphql")),
    ("my_visit.graphql", include_str!("../operations/my_visit.graphql")),
    ("my_earnings.graphql", include_str!("../operations/my_earnings.graphql")),
    (
        "my_yearly_statement.graphql",
        include_str!("../operations/my_yearly_statement.graphql"),
    ),
];

/// One error as the server reported it.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub message: String,
    /// `extensions.code`: BAD_USER_INPUT, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT, RATE_LIMITED, INTERNAL.
    pub code: Option<String>,
    /// `extensions.field` for bad input.
    pub field: Option<String>,
    /// `extensions.rule` when a business rule (e.g. eligibility) refused.
    pub rule: Option<String>,
    /// `extensions.messageCode`: the message catalogue's code (the words are `message`, in the language the
    /// client asked for).
    pub message_code: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("network: {0}")]
    Http(#[from] reqwest::Error),
    #[error("HTTP {status}: {body}")]
    Status { status: u16, body: String },
    #[error("server refused: {0:?}")]
    Api(Vec<ApiError>),
    #[error("the response had neither data nor errors")]
    Empty,
}

impl ClientError {
    /// The first error's code, if the server answered with GraphQL errors.
    pub fn code(&self) -> Option<&str> {
        match self {
            ClientError::Api(errors) => errors.first().and_then(|e| e.code.as_deref()),
            _ => None,
        }
    }

    pub fn rule(&self) -> Option<&str> {
        match self {
            ClientError::Api(errors) => errors.first().and_then(|e| e.rule.as_deref()),
            _ => None,
        }
    }

    pub fn field(&self) -> Option<&str> {
        match self {
            ClientError::Api(errors) => errors.first().and_then(|e| e.field.as_deref()),
            _ => None,
        }
    }

    /// The first error's message code (`messages/*.ftl`).
    pub fn message_code(&self) -> Option<&str> {
        match self {
            ClientError::Api(errors) => errors.first().and_then(|e| e.message_code.as_deref()),
            _ => None,
        }
    }
}

/// A phone talking to the service.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    endpoint: String,
    token: Option<String>,
    /// Sent as `Accept-Language` (`uk`, `en`): the language of the server's messages. None: the server's
    /// default (Ukrainian).
    language: Option<String>,
}

impl Client {
    /// `base_url` like `http://127.0.0.1:8080`.
    pub fn new(base_url: &str) -> Self {
        Self {
            http: reqwest::Client::builder()
                .user_agent("fieldwork-mobile-api/0.1")
                .build()
                .unwrap_or_default(),
            endpoint: format!("{}/graphql", base_url.trim_end_matches('/')),
            token: None,
            language: None,
        }
    }

    /// The language the server should answer in (`uk`, `en`).
    pub fn set_language(&mut self, language: Option<&str>) {
        self.language = language.map(str::to_string);
    }

    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    pub fn set_token(&mut self, token: Option<String>) {
        self.token = token;
    }

    /// Executes any operation of this crate.
    pub async fn execute<Q: GraphQLQuery>(&self, variables: Q::Variables) -> Result<Q::ResponseData, ClientError>
    where
        Q::Variables: Serialize,
    {
        let body = Q::build_query(variables);
        let mut request = self.http.post(&self.endpoint).json(&body);
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        if let Some(language) = &self.language {
            request = request.header(reqwest::header::ACCEPT_LANGUAGE, language);
        }
        let response = request.send().await?;
        self.parse(response).await
    }

    /// Reads a GraphQL response: the data, or the errors with their codes.
    async fn parse<T: serde::de::DeserializeOwned>(&self, response: reqwest::Response) -> Result<T, ClientError> {
        let status = response.status();
        let text = response.text().await?;
        let parsed: Response<T> = match serde_json::from_str(&text) {
            Ok(parsed) => parsed,
            Err(_) => {
                return Err(ClientError::Status {
                    status: status.as_u16(),
                    body: text,
                })
            }
        };
        if let Some(errors) = parsed.errors.filter(|e| !e.is_empty()) {
            return Err(ClientError::Api(
                errors
                    .into_iter()
                    .map(|e| {
                        let ext = e.extensions.unwrap_or_default();
                        let text = |key: &str| ext.get(key).and_then(|v| v.as_str()).map(str::to_string);
                        ApiError {
                            message: e.message,
                            code: text("code"),
                            field: text("field"),
                            rule: text("rule"),
                            message_code: text("messageCode"),
                        }
                    })
                    .collect(),
            ));
        }
        parsed.data.ok_or(ClientError::Empty)
    }

    /// Logs in and keeps the token for the following calls.
    pub async fn login(&mut self, email: &str, password: &str) -> Result<login::LoginLogin, ClientError> {
        let data = self
            .execute::<Login>(login::Variables {
                email: email.into(),
                password: password.into(),
            })
            .await?;
        self.token = Some(data.login.token.clone());
        Ok(data.login)
    }

    pub async fn sign_up(&self, input: sign_up::SignUpInput) -> Result<sign_up::SignUpSignUpUser, ClientError> {
        Ok(self.execute::<SignUp>(sign_up::Variables { input }).await?.sign_up.user)
    }

    pub async fn verify_email(&self, token: &str) -> Result<verify_email::VerifyEmailVerifyEmail, ClientError> {
        Ok(self
            .execute::<VerifyEmail>(verify_email::Variables { token: token.into() })
            .await?
            .verify_email)
    }

    pub async fn me(&self) -> Result<me::MeMe, ClientError> {
        Ok(self.execute::<Me>(me::Variables).await?.me)
    }

    /// Claims a task from the job board.
    pub async fn claim_task(&self, task_id: &str) -> Result<claim_task::ClaimTaskClaimTask, ClientError> {
        Ok(self
            .execute::<ClaimTask>(claim_task::Variables {
                task_id: task_id.into(),
            })
            .await?
            .claim_task)
    }

    /// Uploads a photo as a GraphQL multipart request (the file travels as part `0`, mapped to `variables.file`).
    /// Single-use capture tokens for photos the app's camera takes during a visit.
    pub async fn request_capture_tokens(
        &self,
        visit_id: &str,
        count: i64,
    ) -> Result<Vec<request_capture_tokens::RequestCaptureTokensRequestCaptureTokens>, ClientError> {
        Ok(self
            .execute::<RequestCaptureTokens>(request_capture_tokens::Variables {
                visit_id: visit_id.into(),
                count: Some(count),
            })
            .await?
            .request_capture_tokens)
    }

    pub async fn upload_visit_photo(
        &self,
        variables: upload_visit_photo::Variables,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Result<upload_visit_photo::UploadVisitPhotoUploadVisitPhoto, ClientError> {
        let operations =
            serde_json::to_string(&UploadVisitPhoto::build_query(variables)).map_err(|e| ClientError::Status {
                status: 0,
                body: e.to_string(),
            })?;
        let form = reqwest::multipart::Form::new()
            .text("operations", operations)
            .text("map", r#"{"0": ["variables.file"]}"#)
            .part(
                "0",
                reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string()),
            );
        let mut request = self.http.post(&self.endpoint).multipart(form);
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        if let Some(language) = &self.language {
            request = request.header(reqwest::header::ACCEPT_LANGUAGE, language);
        }
        let response = request.send().await?;
        let data: upload_visit_photo::ResponseData = self.parse(response).await?;
        Ok(data.upload_visit_photo)
    }

    pub async fn logout(&mut self) -> Result<bool, ClientError> {
        let done = self.execute::<Logout>(logout::Variables).await?.logout;
        self.token = None;
        Ok(done)
    }
}
