//! The citizens' feedback page, server-rendered (works without JavaScript; Ukrainian by default, English with
//! `?lang=en`): `/q/<code>` from a QR poster (channel QR) and `/feedback/<venue>` from the map (channel
//! WEB_MAP). GET shows the form with its signed token and sets the device cookie; POST keeps the response (see
//! `feedback::submit`) and answers with a page in words. `/q/pow.js` is the optional proof-of-work script.
//! Staff download posters and codes at `/venues/{id}/poster.svg` and `/venues/{id}/qr.png`.

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use maud::{html, Markup};
use serde::Deserialize;

use crate::domain::feedback::{Channel, Form as FeedbackForm, DIMENSIONS, LEVELS};
use crate::domain::ValidationError;
use crate::error::AppError;
use crate::feedback::{FeedbackVenue, LinkState, PosterFormat, ServiceRecord, Submission, Submitted};

use super::client::ClientAddr;
use super::files::{format_of, Download};
use super::public::{public_page, Lang};
use super::{cookie, AppState};

/// The pages' CSP: this origin only; the one script is /q/pow.js; inline styles for the page's own <style>.
const FEEDBACK_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const DEVICE_COOKIE: &str = "fw_device";

#[derive(Deserialize, Default)]
pub(super) struct LangQuery {
    lang: Option<String>,
}

/// The posted form (every field optional: the rules say what is missing).
#[derive(Deserialize, Default)]
pub(super) struct Posted {
    lang: Option<String>,
    token: Option<String>,
    service: Option<String>,
    premises: Option<String>,
    staff: Option<String>,
    waiting: Option<String>,
    result: Option<String>,
    recommend: Option<String>,
    comment: Option<String>,
    contact_name: Option<String>,
    contact_phone: Option<String>,
    contact_email: Option<String>,
    callback: Option<String>,
    /// The honeypot.
    website: Option<String>,
    pow: Option<String>,
}

impl Posted {
    fn form(&self) -> FeedbackForm {
        FeedbackForm {
            service: self.service.clone(),
            ratings: [
                self.premises.clone(),
                self.staff.clone(),
                self.waiting.clone(),
                self.result.clone(),
            ],
            recommend: self.recommend.clone(),
            comment: self.comment.clone(),
            contact_name: self.contact_name.clone(),
            contact_phone: self.contact_phone.clone(),
            contact_email: self.contact_email.clone(),
            callback_consent: self.callback.as_deref() == Some("yes"),
        }
    }
}

pub(super) fn dimension_title(lang: Lang, i: usize) -> &'static str {
    match i {
        0 => lang.t(
            "Приміщення: зручність, чистота, доступність",
            "Premises: comfort, cleanliness, accessibility",
        ),
        1 => lang.t(
            "Працівники: ввічливість і компетентність",
            "Staff: courtesy and competence",
        ),
        2 => lang.t("Очікування: час у черзі", "Waiting: time in the queue"),
        _ => lang.t("Результат: чи отримали ви послугу", "Result: did you get the service"),
    }
}

fn shell(lang: Lang, title: &str, body: Markup) -> Markup {
    public_page(lang, title, "", None, body)
}

/// The form, with the values and errors of a previous try.
#[allow(clippy::too_many_arguments)]
fn form_page(
    lang: Lang,
    action: &str,
    venue: &FeedbackVenue,
    services: &[ServiceRecord],
    token: &str,
    pow_challenge: &str,
    previous: Option<&Posted>,
    errors: &[ValidationError],
    notice: Option<&str>,
    opt_out: Option<&str>,
) -> Markup {
    let prev = |f: fn(&Posted) -> &Option<String>| previous.and_then(|p| f(p).clone()).unwrap_or_default();
    let error_for = |field: &str| {
        errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| crate::i18n::render(lang.into(), &e.message))
    };
    let other_lang = if lang == Lang::Uk { "en" } else { "uk" };
    let title = lang.t("Як вас обслужили?", "How were you served?");
    shell(
        lang,
        &format!("{title} · {}", venue.name),
        html! {
            p.lang { a href={ (action) "?lang=" (other_lang) } lang=(other_lang) { (if lang == Lang::Uk { "English" } else { "Українська" }) } }
            h1 { (title) }
            p { strong { (venue.name) } br; (venue.address) }
            p.hint { (lang.t("Анонімно. Займе хвилину. Усі питання необов'язкові, але оцініть хоча б щось одне.",
                            "Anonymous, about a minute. Every question is optional, but rate at least one thing.")) }
            @if let Some(notice) = notice { p role="status" { (notice) } }
            @if !errors.is_empty() {
                div.errors role="alert" tabindex="-1" id="errors" {
                    p.error { (lang.t("Виправте, будь ласка:", "Please fix:")) }
                    ul { @for e in errors { li { a href={ "#" (e.field) } { (field_name(lang, &e.field)) ": " (crate::i18n::render(lang.into(), &e.message)) } } } }
                }
            }
            form method="post" action=(action) novalidate {
                input type="hidden" name="lang" value=(lang.code());
                input type="hidden" name="token" value=(token);
                input type="hidden" name="pow" id="pow" value="" data-challenge=(pow_challenge);
                @if !services.is_empty() {
                    label.block for="service" { (lang.t("Яку послугу ви отримували?", "Which service did you come for?")) }
                    select id="service" name="service" {
                        option value="" { (lang.t("— не скажу / не знаю —", "— rather not say —")) }
                        @for s in services {
                            option value=(s.code) selected[prev(|p| &p.service) == s.code] { (if lang == Lang::Uk { &s.name_uk } else { &s.name_en }) }
                        }
                    }
                }
                @for (i, dim) in DIMENSIONS.iter().enumerate() {
                    @let chosen = previous.and_then(|p| [&p.premises, &p.staff, &p.waiting, &p.result][i].clone()).unwrap_or_default();
                    @let err = error_for(dim);
                    fieldset.levels id=(dim) aria-describedby=[err.as_ref().map(|_| format!("{dim}-error"))] {
                        legend { (dimension_title(lang, i)) }
                        @if let Some(err) = &err { p.error id={ (dim) "-error" } { (err) } }
                        @for (value, uk, en) in LEVELS {
                            label {
                                input type="radio" name=(dim) value=(value) checked[chosen == value.to_string()];
                                (if lang == Lang::Uk { uk } else { en })
                            }
                        }
                    }
                }
                @let recommend = prev(|p| &p.recommend);
                @let err = error_for("recommend");
                fieldset.nps id="recommend" aria-describedby=[err.as_ref().map(|_| "recommend-error")] {
                    legend { (lang.t("Наскільки ймовірно, що ви порекомендуєте цей центр знайомим? (0 — зовсім ні, 10 — точно так)",
                                     "How likely are you to recommend this center to a friend? (0 — not at all, 10 — certainly)")) }
                    @if let Some(err) = &err { p.error id="recommend-error" { (err) } }
                    @for n in 0..=10u8 {
                        label { input type="radio" name="recommend" value=(n) checked[recommend == n.to_string()]; (n) }
                    }
                }
                label.block for="comment" { (lang.t("Що варто покращити? (необов'язково)", "What should be improved? (optional)")) }
                p.hint id="comment-hint" { (lang.t("Не пишіть тут телефонів, імен чи номерів документів: ми приховаємо їх, перш ніж щось показати.",
                                                   "Please leave out phone numbers, names and document numbers: we hide them before anything is shown.")) }
                @let err = error_for("comment");
                textarea id="comment" name="comment" maxlength="2000" aria-describedby={ "comment-hint" @if err.is_some() { " comment-error" } } { (prev(|p| &p.comment)) }
                @if let Some(err) = &err { p.error id="comment-error" { (err) } }
                fieldset {
                    legend { (lang.t("Зворотний зв'язок (необов'язково)", "A call-back (optional)")) }
                    label {
                        input type="checkbox" name="callback" value="yes" checked[previous.is_some_and(|p| p.callback.as_deref() == Some("yes"))];
                        " " (lang.t("Я погоджуюся, щоб зі мною зв'язалися щодо цього відгуку, і надаю для цього свої контакти.",
                                    "I agree to be contacted about this feedback and give my contact details for that."))
                    }
                    @for (field, uk, en, kind, auto) in [("contact_name", "Ім'я", "Name", "text", "name"), ("contact_phone", "Телефон", "Phone", "tel", "tel"), ("contact_email", "Електронна пошта", "E-mail", "email", "email")] {
                        @let key = match field { "contact_name" => "contactName", "contact_phone" => "contactPhone", _ => "contactEmail" };
                        @let err = error_for(key);
                        label.block for=(key) { (if lang == Lang::Uk { uk } else { en }) }
                        input type=(kind) id=(key) name=(field) autocomplete=(auto) aria-invalid=[err.as_ref().map(|_| "true")]
                            aria-describedby=[err.as_ref().map(|_| format!("{key}-error"))]
                            value=(previous.and_then(|p| match field { "contact_name" => p.contact_name.clone(), "contact_phone" => p.contact_phone.clone(), _ => p.contact_email.clone() }).unwrap_or_default());
                        @if let Some(err) = &err { p.error id={ (key) "-error" } { (err) } }
                    }
                }
                div.trap aria-hidden="true" {
                    label for="website" { "Не заповнюйте це поле / Leave this empty" }
                    input type="text" id="website" name="website" tabindex="-1" autocomplete="off";
                }
                button type="submit" { (lang.t("Надіслати відгук", "Send feedback")) }
            }
            @if let Some(stop) = opt_out {
                p.hint { a href=(stop) { (lang.t("Не надсилайте мені більше таких повідомлень", "Send me no more of these messages")) } }
            }
            script src="/q/pow.js" defer {}
        },
    )
}

fn field_name(lang: Lang, field: &str) -> &'static str {
    match field {
        "premises" => dimension_title(lang, 0),
        "staff" => dimension_title(lang, 1),
        "waiting" => dimension_title(lang, 2),
        "result" => dimension_title(lang, 3),
        "recommend" => lang.t("Рекомендація", "Recommendation"),
        "comment" => lang.t("Коментар", "Comment"),
        "service" => lang.t("Послуга", "Service"),
        "contactName" => lang.t("Ім'я", "Name"),
        "contactPhone" => lang.t("Телефон", "Phone"),
        "contactEmail" => lang.t("Електронна пошта", "E-mail"),
        _ => lang.t("Поле", "Field"),
    }
}

fn message_page(lang: Lang, status: StatusCode, title: &str, text: &str, back: Option<&str>) -> Response {
    let page = shell(
        lang,
        title,
        html! {
            h1 { (title) }
            p role="status" { (text) }
            @if let Some(back) = back { p { a href=(back) { (lang.t("До карти центрів", "To the map of centers")) } } }
        },
    );
    with_csp(status, page, None)
}

fn with_csp(status: StatusCode, page: Markup, set_cookie: Option<String>) -> Response {
    let mut response = (status, Html(page.into_string())).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(FEEDBACK_CSP));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(cookie) = set_cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        headers.insert(header::SET_COOKIE, cookie);
    }
    response
}

fn not_found(lang: Lang) -> Response {
    message_page(
        lang,
        StatusCode::NOT_FOUND,
        lang.t("Код не дійсний", "This code is not valid"),
        lang.t(
            "Цей QR-код або посилання не дійсні (можливо, плакат замінили). Знайдіть центр на карті, щоб залишити відгук.",
            "This QR code or link is not valid (the poster may have been replaced). Find the center on the map to leave feedback.",
        ),
        Some("/map/"),
    )
}

/// Was the form posted by a page of this service? Browsers say where a POST comes from: `Sec-Fetch-Site`
/// (anything but `same-origin`, or `none` for a typed-in request, is another site) or else `Origin` (it must
/// name this host, as the request's `Host` or the configured public URL does). A client that sends neither
/// (not a browser) is not a cross-site request.
fn same_origin(state: &AppState, headers: &HeaderMap) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(site) = text("sec-fetch-site") {
        return site.eq_ignore_ascii_case("same-origin") || site.eq_ignore_ascii_case("none");
    }
    let Some(origin) = text("origin") else {
        return true;
    };
    let Some(origin_host) = url::Url::parse(origin).ok().and_then(|u| {
        u.host_str()
            .map(|h| (h.to_ascii_lowercase(), u.port_or_known_default()))
    }) else {
        return false; // "null" and anything unreadable
    };
    let host_header = text("host").and_then(|h| url::Url::parse(&format!("http://{h}")).ok());
    let public = url::Url::parse(&state.settings.public_url()).ok();
    let matches = |u: &url::Url| {
        u.host_str().map(str::to_ascii_lowercase).as_deref() == Some(origin_host.0.as_str())
            && (u.port_or_known_default() == origin_host.1 || u.port().is_none())
    };
    host_header.as_ref().is_some_and(matches) || public.as_ref().is_some_and(matches)
}

/// Is this request a link-preview fetcher or another robot (by its User-Agent), not a person's browser? Messengers
/// fetch a link as soon as the message arrives to show its preview (Telegram, WhatsApp, Facebook's, Slack's,
/// Skype's…); browsers inside messengers (Viber's, Telegram's) identify as browsers and count.
fn is_link_preview(headers: &HeaderMap) -> bool {
    let Some(agent) = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let agent = agent.to_ascii_lowercase();
    [
        "bot",
        "crawler",
        "spider",
        "facebookexternalhit",
        "whatsapp/",
        "skypeuripreview",
        "preview",
        "embedly",
        "curl/",
        "wget/",
    ]
    .iter()
    .any(|token| agent.contains(token))
}

/// The device cookie to set, if the browser has none of ours.
fn device_cookie(state: &AppState, headers: &HeaderMap) -> Option<String> {
    let known = cookie(headers, DEVICE_COOKIE)
        .and_then(|v| state.feedback.device(v))
        .is_some();
    (!known).then(|| {
        let secure = state.settings.public_url().starts_with("https://");
        format!(
            "{DEVICE_COOKIE}={}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax{}",
            state.feedback.new_device_cookie(),
            if secure { "; Secure" } else { "" }
        )
    })
}

async fn show(state: &AppState, headers: &HeaderMap, lang: Lang, opened: &Opened) -> Response {
    let Opened {
        venue,
        action,
        code_token,
        invitation,
        ..
    } = opened;
    let services = match state.feedback.services(&venue.venue_type).await {
        Ok(s) => s,
        Err(err) => return internal(err, lang),
    };
    let mut preset = None;
    if let Some(invited) = invitation {
        match invited.state {
            LinkState::Answered => return answered(lang),
            LinkState::Expired => return expired(lang),
            LinkState::Open => {}
        }
        // A messenger fetching the link for its preview is not the citizen opening it.
        if !is_link_preview(headers) {
            if let Err(err) = state.feedback.invitation_opened(&invited.id).await {
                return internal(err, lang);
            }
        }
        // The center's system said which service it was.
        preset = Some(Posted {
            service: Some(invited.service_code.clone()),
            ..Posted::default()
        });
    }
    let token = state.feedback.form_token(
        &venue.id,
        code_token.as_deref(),
        invitation.as_ref().map(|i| i.id.as_str()),
    );
    let challenge = state.feedback.pow_challenge(&token);
    let stop = invitation.as_ref().map(|_| format!("{action}/stop"));
    let page = form_page(
        lang,
        action,
        venue,
        &services,
        &token,
        &challenge,
        preset.as_ref(),
        &[],
        None,
        stop.as_deref(),
    );
    with_csp(StatusCode::OK, page, device_cookie(state, headers))
}

fn answered(lang: Lang) -> Response {
    message_page(
        lang,
        StatusCode::CONFLICT,
        lang.t("Відгук уже надіслано", "Feedback already sent"),
        lang.t(
            "За цим посиланням відгук уже залишили. Дякуємо! Кожне запрошення приймає одну відповідь.",
            "Feedback was already given through this link. Thank you! Each invitation takes one answer.",
        ),
        Some("/map/"),
    )
}

fn expired(lang: Lang) -> Response {
    message_page(
        lang,
        StatusCode::GONE,
        lang.t("Посилання застаріло", "This link has expired"),
        lang.t(
            "Строк дії цього запрошення минув. Ви можете залишити відгук про центр через карту.",
            "This invitation has expired. You can still give feedback about the center through the map.",
        ),
        Some("/map/"),
    )
}

fn internal(err: AppError, lang: Lang) -> Response {
    tracing::error!(error = ?err, "feedback page failed");
    message_page(
        lang,
        StatusCode::INTERNAL_SERVER_ERROR,
        lang.t("Сталася помилка", "Something went wrong"),
        lang.t(
            "Спробуйте, будь ласка, ще раз за хвилину.",
            "Please try again in a minute.",
        ),
        None,
    )
}

/// Where a form was opened: a poster's QR code, a venue picked on the map, or an invitation's link.
enum Entry {
    Qr(String),
    Map(String),
    Invite(String),
}

/// The invitation a form was opened through.
struct OpenedInvitation {
    id: String,
    service_code: String,
    state: LinkState,
}

/// A form's venue, the path it posts to, its channel and the QR token or invitation it came through.
struct Opened {
    venue: FeedbackVenue,
    action: String,
    channel: Channel,
    code_token: Option<String>,
    invitation: Option<OpenedInvitation>,
}

/// The venue behind an entry, or `None` for a code or venue that is not valid.
async fn open(state: &AppState, entry: Entry) -> crate::error::AppResult<Option<Opened>> {
    Ok(match entry {
        Entry::Qr(code) => state.feedback.resolve(&code).await?.map(|(token, venue)| Opened {
            venue,
            action: format!("/q/{code}"),
            channel: Channel::Qr,
            code_token: Some(token),
            invitation: None,
        }),
        Entry::Map(venue_id) => state.feedback.public_venue(&venue_id).await?.map(|venue| Opened {
            venue,
            action: format!("/feedback/{venue_id}"),
            channel: Channel::WebMap,
            code_token: None,
            invitation: None,
        }),
        Entry::Invite(code) => state.feedback.resolve_invitation(&code).await?.map(|invited| Opened {
            venue: invited.venue,
            action: format!("/i/{code}"),
            channel: invited.channel,
            code_token: None,
            invitation: Some(OpenedInvitation {
                id: invited.invitation_id,
                service_code: invited.service_code,
                state: invited.state,
            }),
        }),
    })
}

async fn form_for(state: &AppState, headers: &HeaderMap, lang: Lang, entry: Entry) -> Response {
    match open(state, entry).await {
        Ok(Some(opened)) => show(state, headers, lang, &opened).await,
        Ok(None) => not_found(lang),
        Err(err) => internal(err, lang),
    }
}

async fn submit_for(
    state: &AppState,
    headers: &HeaderMap,
    client: ClientAddr,
    posted: Posted,
    entry: Entry,
) -> Response {
    let lang = Lang::from(posted.lang.as_deref());
    match open(state, entry).await {
        Ok(Some(opened)) => receive(state, headers, client, posted, opened).await,
        Ok(None) => not_found(lang),
        Err(err) => internal(err, lang),
    }
}

fn lang_of(query: &Result<Query<LangQuery>, axum::extract::rejection::QueryRejection>) -> Lang {
    Lang::from(query.as_ref().ok().and_then(|q| q.lang.as_deref()))
}

pub(super) async fn qr_form(
    State(state): State<AppState>,
    axum::extract::Path(code): axum::extract::Path<String>,
    headers: HeaderMap,
    query: Result<Query<LangQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    form_for(&state, &headers, lang_of(&query), Entry::Qr(code)).await
}

pub(super) async fn map_form(
    State(state): State<AppState>,
    axum::extract::Path(venue_id): axum::extract::Path<String>,
    headers: HeaderMap,
    query: Result<Query<LangQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    form_for(&state, &headers, lang_of(&query), Entry::Map(venue_id)).await
}

pub(super) async fn invite_form(
    State(state): State<AppState>,
    axum::extract::Path(code): axum::extract::Path<String>,
    headers: HeaderMap,
    query: Result<Query<LangQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    form_for(&state, &headers, lang_of(&query), Entry::Invite(code)).await
}

pub(super) async fn invite_submit(
    State(state): State<AppState>,
    axum::extract::Path(code): axum::extract::Path<String>,
    axum::Extension(client): axum::Extension<ClientAddr>,
    headers: HeaderMap,
    form: Result<Form<Posted>, axum::extract::rejection::FormRejection>,
) -> Response {
    let posted = form.map(|Form(f)| f).unwrap_or_default();
    submit_for(&state, &headers, client, posted, Entry::Invite(code)).await
}

/// `GET /i/<code>/stop`: asks (a link preview must not opt anybody out); `POST` puts the phone on the
/// opt-out list.
pub(super) async fn invite_stop(
    State(state): State<AppState>,
    axum::extract::Path(code): axum::extract::Path<String>,
    query: Result<Query<LangQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let lang = lang_of(&query);
    match state.feedback.resolve_invitation(&code).await {
        Ok(Some(_)) => {
            let title = lang.t("Більше не надсилати повідомлень?", "No more messages?");
            let page = shell(
                lang,
                title,
                html! {
                    h1 { (title) }
                    p { (lang.t("Ми більше не надсилатимемо на ваш номер запрошень оцінити обслуговування, від жодного центру.",
                                "We will send your number no more invitations to rate a service, from any center.")) }
                    form method="post" action={ "/i/" (code) "/stop" } {
                        input type="hidden" name="lang" value=(lang.code());
                        button type="submit" { (lang.t("Так, не надсилати", "Yes, send no more")) }
                    }
                    p { a href={ "/i/" (code) "?lang=" (lang.code()) } { (lang.t("Повернутися до відгуку", "Back to the feedback form")) } }
                },
            );
            with_csp(StatusCode::OK, page, None)
        }
        Ok(None) => not_found(lang),
        Err(err) => internal(err, lang),
    }
}

pub(super) async fn invite_stop_confirm(
    State(state): State<AppState>,
    axum::extract::Path(code): axum::extract::Path<String>,
    headers: HeaderMap,
    form: Result<Form<Posted>, axum::extract::rejection::FormRejection>,
) -> Response {
    let lang = Lang::from(form.ok().and_then(|Form(f)| f.lang).as_deref());
    if !same_origin(&state, &headers) {
        return message_page(
            lang,
            StatusCode::FORBIDDEN,
            lang.t("Нічого не змінено", "Nothing was changed"),
            lang.t(
                "Запит надійшов з іншого сайту. Відкрийте посилання з повідомлення ще раз.",
                "The request came from another site. Open the link from the message again.",
            ),
            None,
        );
    }
    let invited = match state.feedback.resolve_invitation(&code).await {
        Ok(Some(invited)) => invited,
        Ok(None) => return not_found(lang),
        Err(err) => return internal(err, lang),
    };
    match state.invitations.opt_out(&invited.invitation_id).await {
        Ok(()) => message_page(
            lang,
            StatusCode::OK,
            lang.t("Готово", "Done"),
            lang.t(
                "Ми більше не надсилатимемо вам запрошень оцінити обслуговування.",
                "We will send you no more invitations to rate a service.",
            ),
            Some("/map/"),
        ),
        Err(err) => internal(err, lang),
    }
}

pub(super) async fn qr_submit(
    State(state): State<AppState>,
    axum::extract::Path(code): axum::extract::Path<String>,
    axum::Extension(client): axum::Extension<ClientAddr>,
    headers: HeaderMap,
    form: Result<Form<Posted>, axum::extract::rejection::FormRejection>,
) -> Response {
    let posted = form.map(|Form(f)| f).unwrap_or_default();
    submit_for(&state, &headers, client, posted, Entry::Qr(code)).await
}

pub(super) async fn map_submit(
    State(state): State<AppState>,
    axum::extract::Path(venue_id): axum::extract::Path<String>,
    axum::Extension(client): axum::Extension<ClientAddr>,
    headers: HeaderMap,
    form: Result<Form<Posted>, axum::extract::rejection::FormRejection>,
) -> Response {
    let posted = form.map(|Form(f)| f).unwrap_or_default();
    submit_for(&state, &headers, client, posted, Entry::Map(venue_id)).await
}

async fn receive(
    state: &AppState,
    headers: &HeaderMap,
    client: ClientAddr,
    posted: Posted,
    opened: Opened,
) -> Response {
    let Opened {
        venue,
        action,
        channel,
        code_token,
        invitation,
    } = opened;
    let action = action.as_str();
    let lang = Lang::from(posted.lang.as_deref());
    // An answered link is refused by the submission itself (a resend of the form that answered it is thanked).
    if invitation.as_ref().is_some_and(|i| i.state == LinkState::Expired) {
        return expired(lang);
    }
    let invitation_id = invitation.map(|i| i.id);
    let entry = (action, &venue, code_token.as_deref(), invitation_id.as_deref());
    if !same_origin(state, headers) {
        // A page elsewhere posted this form through its visitor's browser: nothing is kept, and the visitor
        // gets the form here, with what they chose, to send themselves if they mean it.
        return retry(
            state,
            headers,
            &posted,
            entry,
            &[],
            Some(lang.t(
                "Форму надіслано з іншого сайту, тому відгук не збережено. Перевірте відповіді й надішліть їх тут.",
                "The form was sent from another site, so nothing was saved. Check your answers and send them here.",
            )),
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    let address = client.0.to_string();
    let submission = Submission {
        venue: venue.clone(),
        channel,
        code_token: code_token.clone(),
        invitation_id: invitation_id.clone(),
        form: posted.form(),
        form_token: posted.token.clone().unwrap_or_default(),
        honeypot: posted.website.clone(),
        device_cookie: cookie(headers, DEVICE_COOKIE).map(str::to_string),
        address,
        proof_of_work: posted.pow.clone().filter(|p| !p.is_empty()),
    };
    match state.feedback.submit(submission).await {
        Ok(Submitted::Saved { .. } | Submitted::Again { .. }) => message_page(
            lang,
            StatusCode::OK,
            lang.t("Дякуємо за відгук!", "Thank you for your feedback!"),
            lang.t(
                "Ваш відгук збережено. Він допоможе покращити роботу центру.",
                "Your feedback is saved. It helps the center serve people better.",
            ),
            Some("/map/"),
        ),
        Ok(Submitted::Cooldown) => message_page(
            lang,
            StatusCode::CONFLICT,
            lang.t("Відгук уже є", "Feedback already given"),
            lang.t(
                "З цього пристрою вже надіслали відгук про цей центр за останню добу. Дякуємо!",
                "Feedback about this center was already sent from this device in the last day. Thank you!",
            ),
            Some("/map/"),
        ),
        Ok(Submitted::DeviceLimit) => message_page(
            lang,
            StatusCode::TOO_MANY_REQUESTS,
            lang.t("Забагато відгуків", "Too many responses"),
            lang.t(
                "З цього пристрою сьогодні вже надіслано багато відгуків про різні центри. Спробуйте завтра.",
                "This device has already sent feedback about many centers today. Please try tomorrow.",
            ),
            Some("/map/"),
        ),
        Ok(Submitted::Bot) => message_page(
            lang,
            StatusCode::BAD_REQUEST,
            lang.t("Відгук не прийнято", "Feedback not accepted"),
            lang.t(
                "Форму заповнено автоматично, тому відгук не прийнято.",
                "The form was filled in automatically, so it was not accepted.",
            ),
            None,
        ),
        Ok(Submitted::Stale) => {
            retry(
                state,
                headers,
                &posted,
                entry,
                &[],
                Some(lang.t(
                    "Форма застаріла. Ваші відповіді збережено тут, перевірте їх і надішліть ще раз.",
                    "The form had expired. Your answers are kept here; check them and send again.",
                )),
                StatusCode::OK,
            )
            .await
        }
        Ok(Submitted::Invalid(errors)) => {
            retry(
                state,
                headers,
                &posted,
                entry,
                &errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Ok(Submitted::Answered) => answered(lang),
        Err(AppError::RateLimited { .. }) => message_page(
            lang,
            StatusCode::TOO_MANY_REQUESTS,
            lang.t("Забагато відгуків", "Too many responses"),
            lang.t(
                "З цієї мережі надіслано забагато відгуків за годину. Спробуйте пізніше.",
                "Too many responses came from this network in the last hour. Please try later.",
            ),
            None,
        ),
        Err(err) => internal(err, lang),
    }
}

/// The form again, with the visitor's answers and what to fix (or why it is shown again), and a fresh token
/// for the same entry (action, venue, QR token).
async fn retry(
    state: &AppState,
    headers: &HeaderMap,
    posted: &Posted,
    (action, venue, code_token, invitation_id): (&str, &FeedbackVenue, Option<&str>, Option<&str>),
    errors: &[ValidationError],
    notice: Option<&str>,
    status: StatusCode,
) -> Response {
    let lang = Lang::from(posted.lang.as_deref());
    let services = state.feedback.services(&venue.venue_type).await.unwrap_or_default();
    let token = state.feedback.form_token(&venue.id, code_token, invitation_id);
    let challenge = state.feedback.pow_challenge(&token);
    let page = form_page(
        lang,
        action,
        venue,
        &services,
        &token,
        &challenge,
        Some(posted),
        errors,
        notice,
        invitation_id.map(|_| format!("{action}/stop")).as_deref(),
    );
    with_csp(status, page, device_cookie(state, headers))
}

/// The proof-of-work script: finds a nonce for the form's challenge while the visitor fills it in.
pub(super) async fn pow_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        POW_JS,
    )
        .into_response()
}

const POW_JS: &str = r#"// Proof of work for the feedback form: SHA-256(challenge + ":" + nonce) must start with 16 zero bits.
// The same file runs twice: on the page it hands the challenge to a Web Worker (itself), so the search never
// blocks the visitor's taps and scrolling; in the worker it searches and posts the nonce back. A browser without
// workers searches on the page in small slices that yield between them.
(function () {
  function search(challenge, done) {
    var encoder = new TextEncoder();
    var nonce = 0;
    function step() {
      var batch = [];
      for (var i = 0; i < 128; i++, nonce++) batch.push(nonce);
      Promise.all(batch.map(function (n) {
        return crypto.subtle.digest("SHA-256", encoder.encode(challenge + ":" + n)).then(function (d) {
          var b = new Uint8Array(d);
          return b[0] === 0 && b[1] === 0 ? n : -1;
        });
      })).then(function (found) {
        var hit = found.filter(function (n) { return n >= 0; })[0];
        if (hit !== undefined) done(hit);
        else setTimeout(step, 0);
      });
    }
    step();
  }
  if (typeof document === "undefined") {
    self.onmessage = function (e) {
      search(String(e.data), function (nonce) { self.postMessage(nonce); });
    };
    return;
  }
  var field = document.getElementById("pow");
  if (!field || !window.crypto || !crypto.subtle || !window.TextEncoder) return;
  var challenge = field.getAttribute("data-challenge");
  var found = function (nonce) { field.value = String(nonce); };
  var script = document.currentScript;
  if (window.Worker && script) {
    try {
      var worker = new Worker(script.src);
      worker.onmessage = function (e) { found(e.data); worker.terminate(); };
      worker.onerror = function () { worker.terminate(); search(challenge, found); };
      worker.postMessage(challenge);
      return;
    } catch (err) {
      // A worker refused (e.g. by a policy): search on the page instead.
    }
  }
  search(challenge, found);
})();
"#;

/// A venue's poster (A4 SVG) or QR code (PNG): staff who manage venues, with the session token.
pub(super) async fn poster(
    State(state): State<AppState>,
    axum::extract::Path(file): axum::extract::Path<(String, String)>,
    download: Download<super::files::NoQuery>,
) -> Response {
    let (venue_id, name) = file;
    let code = match state.feedback.live_code(&download.actor, &venue_id).await {
        Ok(code) => code,
        Err(err) => return download.error(err),
    };
    let link = state.feedback.link(&code.token);
    let poster = match name.as_str() {
        "poster.svg" => Some(PosterFormat::Svg),
        "poster.pdf" => Some(PosterFormat::Pdf),
        _ => None,
    };
    let made = match poster {
        Some(format) => match state.feedback.venue(&venue_id).await {
            Ok(Some(v)) => {
                // Drawing (and for a PDF, subsetting fonts) is CPU work: off the async threads.
                match tokio::task::spawn_blocking(move || format.poster(&v.name, &v.address, &link)).await {
                    Ok(made) => made.map(|b| (format.content_type(), b)),
                    Err(e) => Err(AppError::Internal(e.into())),
                }
            }
            Ok(None) => Err(AppError::conflict(crate::msg!("venue-not-in-use"))),
            Err(e) => Err(e),
        },
        None => match name.as_str() {
            "qr.svg" => crate::feedback::qr_svg(&link).map(|s| ("image/svg+xml", s.into_bytes())),
            "qr.png" => crate::feedback::qr_png(&link, 10).map(|b| ("image/png", b)),
            _ => Err(AppError::NotFound("file")),
        },
    };
    match made {
        Ok((content_type, bytes)) => (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, "no-store"),
            ],
            bytes,
        )
            .into_response(),
        Err(err) => download.error(err),
    }
}

#[derive(Deserialize, Default)]
pub(super) struct ResponsesQuery {
    format: Option<String>,
    period: Option<String>,
}

/// A client's responses in one period (`?period=2026-Q4`, default: the current quarter) as `?format=csv`
/// (default) or `xlsx`: staff who moderate, with the session token. Streamed; every export is audited.
pub(super) async fn responses_export(
    State(state): State<AppState>,
    axum::extract::Path(client_id): axum::extract::Path<String>,
    download: Download<ResponsesQuery>,
) -> Response {
    let format = match format_of::<crate::tabular::ExportFormat>(download.query.format.as_deref()) {
        Ok(format) => format,
        Err(err) => return download.error(err),
    };
    let period = download
        .query
        .period
        .clone()
        .unwrap_or_else(|| state.quality.current_quarter());
    let export = match state
        .feedback
        .start_export(&download.actor, &client_id, &period, format)
        .await
    {
        Ok(export) => export.in_language(download.lang),
        Err(err) => return download.error(err),
    };
    let file_name = export.file_name(format);
    match state.feedback.export(export, format).await {
        Ok(bytes) => super::files::attachment(format.content_type(), &file_name, axum::body::Body::from_stream(bytes)),
        Err(err) => download.error(err),
    }
}

#[derive(Deserialize, Default)]
pub(super) struct PostersQuery {
    oblast: Option<String>,
    /// `svg` (default) or `pdf`.
    format: Option<String>,
}

/// Every poster of a client (`?oblast=` for one oblast's) as one ZIP, streamed: staff who manage venues, with the
/// session token.
pub(super) async fn posters_zip(
    State(state): State<AppState>,
    axum::extract::Path(client_id): axum::extract::Path<String>,
    download: Download<PostersQuery>,
) -> Response {
    let format = match format_of::<PosterFormat>(download.query.format.as_deref()) {
        Ok(format) => format,
        Err(err) => return download.error(err),
    };
    match state
        .feedback
        .posters_zip(&download.actor, &client_id, download.query.oblast.as_deref(), format)
        .await
    {
        Ok(stream) => (
            [
                (header::CONTENT_TYPE, "application/zip"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"posters.zip\""),
                (header::CACHE_CONTROL, "no-store"),
            ],
            axum::body::Body::from_stream(stream),
        )
            .into_response(),
        Err(err) => download.error(err),
    }
}
