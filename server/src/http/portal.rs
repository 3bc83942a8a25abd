//! The public map portal, server-rendered so it works without JavaScript (Ukrainian by default,
//! English with `?lang=en`): `/map/` (the map, which the portal script draws where JavaScript runs, and the
//! oblasts), `/map/oblast/{oblast}` (its hromadas and their centers), `/map/search?q=`, `/map/centers/{id}` (a
//! center's index, its parts, its trend, its published comments and the "leave feedback" button), the map's data
//! `/map/centers.json`, and the open data `/open-data/quality-index.{csv,json}` (CC BY 4.0, docs/INDEX.md).
//! Only the centers of public bodies are shown.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use maud::{html, Markup};
use serde::Deserialize;

use crate::domain::quality_index::{CenterIndex, Part};
use crate::error::AppError;
use crate::quality::PublicCenter;

use super::feedback::dimension_title;
use super::public::{public_page, Lang};
use super::{http_status, json_error, reader_language, request_id, AppState};

/// Where the portal script is (`npm run build` writes it; without a build the pages work as lists).
const PORTAL_SCRIPT: &str = "/portal/assets/portal.js";
/// The open data's licence.
pub const LICENCE: &str = "CC BY 4.0";
pub const LICENCE_URL: &str = "https://creativecommons.org/licenses/by/4.0/";

/// This origin, plus the tiles' host when one is configured; inline styles for the page's own <style>.
fn portal_csp(state: &AppState) -> String {
    let tiles = state
        .settings
        .http
        .map_tile_source()
        .ok()
        .flatten()
        .map(|s| format!(" {s}"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:{tiles}; \
         connect-src 'self'; worker-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )
}

#[derive(Deserialize, Default)]
pub(super) struct PortalQuery {
    lang: Option<String>,
    period: Option<String>,
    q: Option<String>,
}

impl PortalQuery {
    fn lang(&self) -> Lang {
        Lang::from(self.lang.as_deref())
    }

    /// The period asked for (checked), or the current quarter.
    fn period(&self, state: &AppState) -> Result<String, AppError> {
        match self.period.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => {
                crate::quality::check_period(p)?;
                Ok(p.to_string())
            }
            None => Ok(state.quality.current_quarter()),
        }
    }

    /// `?lang=en&period=…` to carry along in links.
    fn carry(&self, period: &str) -> String {
        let mut out = vec![];
        if self.lang() == Lang::En {
            out.push("lang=en".to_string());
        }
        if self.period.is_some() {
            out.push(format!("period={}", enc(period)));
        }
        if out.is_empty() {
            String::new()
        } else {
            format!("?{}", out.join("&"))
        }
    }
}

/// The portal pages' own styles. With scripting on, the map's place is held before the script fills it, and the
/// map and its status line have their height from the start, so nothing the visitor is reading jumps down.
const PORTAL_STYLE: &str = "main{max-width:60rem}nav.crumbs{font-size:.95rem;margin:.5rem 0}\
table{border-collapse:collapse;width:100%;background:#fff}th,td{border-bottom:1px solid #e5e7eb;padding:.45rem;text-align:left;\
vertical-align:top;overflow-wrap:break-word}th{font-weight:600}ul.centers{list-style:none;padding:0}ul.centers li{background:#fff;border:1px solid #e5e7eb;\
border-radius:8px;margin:.4rem 0;padding:.6rem .75rem}.index{font-weight:700}.muted{color:#4b5563}.big{font-size:2rem;font-weight:700}\
.button{display:inline-block;font-weight:600;background:#1d4ed8;color:#fff;border-radius:8px;padding:.8rem 1.4rem;\
text-decoration:none;min-height:44px;box-sizing:border-box}#portal-map{height:420px;border-radius:8px;margin:1rem 0}\
@media (scripting:enabled){#portal-map-app:empty{min-height:38rem}}#portal-status{min-height:1.5em}.bar{background:#1d4ed8;height:.8rem;border-radius:3px}.swatch{display:inline-block;width:.9rem;\
height:.9rem;border-radius:50%;vertical-align:middle;margin-right:.3rem;border:1px solid #374151}form.search{display:flex;gap:.5rem;\
flex-wrap:wrap;align-items:end}form.search label{flex:1 1 14rem}form.search button{margin:0}blockquote{margin:.5rem 0;padding:.5rem .75rem;\
background:#fff;border-left:4px solid #9ca3af}.portal-tools{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}\
.portal-tools>div{flex:1 1 12rem}.portal-tools label{display:block;font-weight:600}.portal-tools input[type=checkbox]\
{width:1.3rem;height:1.3rem;vertical-align:middle}.portal-tools div:has(input[type=checkbox]) label{display:inline}\
.portal-tools button{margin:0}input[type=search]{width:100%;box-sizing:border-box;font:inherit;padding:.6rem;\
border:1px solid #6b7280;border-radius:6px;background:#fff}";

fn page(state: &AppState, lang: Lang, title: &str, with_script: bool, body: Markup) -> Response {
    let markup = public_page(lang, title, PORTAL_STYLE, with_script.then_some(PORTAL_SCRIPT), body);
    let mut response = (StatusCode::OK, Html(markup.into_string())).into_response();
    if let Ok(csp) = HeaderValue::from_str(&portal_csp(state)) {
        response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

fn lang_switch(lang: Lang, path: &str) -> Markup {
    html! {
        p.lang {
            @if lang == Lang::En { a href=(path) lang="uk" { "Українською" } }
            @else { a href=(format!("{path}?lang=en")) lang="en" { "English" } }
        }
    }
}

/// The colour band of an index (the same as the map's points); words always say the same.
fn band(headline: Option<f64>) -> (&'static str, &'static str, &'static str) {
    match headline {
        Some(v) if v >= 80.0 => ("#15803d", "високий", "high"),
        Some(v) if v >= 60.0 => ("#ca8a04", "середній", "medium"),
        Some(_) => ("#b91c1c", "низький", "low"),
        None => ("#9ca3af", "ще немає", "not yet"),
    }
}

fn number(x: f64) -> String {
    format!("{x:.0}")
}

/// "Індекс 71 (64–79)" or "ще мало відгуків".
fn headline_text(lang: Lang, c: &PublicCenter) -> String {
    match c.detail.as_ref().and_then(|d| d.headline) {
        Some((value, low, high)) => format!(
            "{} {} ({}–{})",
            lang.t("Індекс", "Index"),
            number(value),
            number(low),
            number(high)
        ),
        None => lang.t("Індексу ще немає", "No index yet").to_string(),
    }
}

fn center_item(lang: Lang, c: &PublicCenter, carry: &str) -> Markup {
    let (colour, uk, en) = band(c.headline);
    html! {
        li {
            a href=(format!("/map/centers/{}{carry}", c.venue_id)) { strong { (c.name) } }
            br;
            span.muted { (c.address) }
            br;
            span.swatch style=(format!("background:{colour}")) aria-hidden="true" {}
            @match c.headline {
                Some(v) => { span.index { (lang.t("Індекс", "Index")) " " (number(v)) } " (" (lang.t(uk, en)) ")" }
                None => { span { (lang.t("Індексу ще немає", "No index yet")) } }
            }
            " · "
            span.count { (c.responses) " " (lang.t("відгуків", "responses")) }
        }
    }
}

/// `/map/`: the map (drawn by the portal script), search, the oblasts, and the open data.
async fn home(state: &AppState, q: &PortalQuery) -> Result<Response, AppError> {
    let lang = q.lang();
    let period = q.period(state)?;
    let carry = q.carry(&period);
    let oblasts = state.quality.public_oblasts().await?;
    let config = super::web::client_config(&state.settings.http);
    let total: i64 = oblasts.iter().map(|(_, n)| n).sum();
    let title = lang.t(
        "Карта центрів надання адміністративних послуг",
        "Map of administrative service centers",
    );
    let body = html! {
        (lang_switch(lang, "/map/"))
        h1 { (title) }
        p { (lang.t(
            "Оберіть центр, щоб побачити, як він обслуговує людей, і залишити свій відгук. Індекс поєднує оцінки відвідувачів і перевірки таємних покупців (0–100).",
            "Pick a center to see how well it serves people and to leave your feedback. The index joins visitors' ratings and mystery shoppers' checks (0–100)."
        )) }
        p.muted { (lang.t("Період", "Period")) ": " (period) " · " (total) " " (lang.t("центрів", "centers")) }
        form.search method="get" action="/map/search" role="search" {
            @if lang == Lang::En { input type="hidden" name="lang" value="en"; }
            label { (lang.t("Пошук за назвою, адресою, громадою або областю", "Search by name, address, hromada or oblast"))
                input type="text" name="q" autocomplete="off"; }
            button type="submit" { (lang.t("Знайти", "Search")) }
        }
        // The portal script fills this (map, filters, "near me", a list); without JavaScript it stays empty and
        // hidden, and the list of oblasts below is the way in.
        div id="portal-map-app" data-config=(config.to_string()) data-lang=(lang.code()) data-period=(period) {}
        h2 { (lang.t("Центри за областями", "Centers by oblast")) }
        ul.centers {
            @for (oblast, n) in &oblasts {
                li { a href=(format!("/map/oblast/{}{carry}", oblast_segment(oblast))) { (oblast_label(lang, oblast)) } " — " (n) " " (lang.t("центрів", "centers")) }
            }
        }
        h2 { (lang.t("Відкриті дані", "Open data")) }
        p {
            (lang.t("Індекс кожного центру з кількістю відгуків: ", "Every center's index with its counts: "))
            a href=(format!("/open-data/quality-index.csv?period={period}")) { "CSV" } ", "
            a href=(format!("/open-data/quality-index.json?period={period}")) { "JSON" }
            " (" a href=(LICENCE_URL) { (LICENCE) } ")."
        }
    };
    Ok(page(state, lang, title, true, body))
}

/// `/map/oblast/{oblast}`: its hromadas, each with its centers.
async fn oblast_page(state: &AppState, oblast: &str, q: &PortalQuery) -> Result<Response, AppError> {
    let lang = q.lang();
    let period = q.period(state)?;
    let carry = q.carry(&period);
    let centers = state.quality.public_centers_of(&period, oblast).await?;
    if centers.is_empty() {
        return Err(AppError::NotFound("oblast"));
    }
    let mut hromadas: Vec<(&str, Vec<&PublicCenter>)> = Vec::new();
    for c in &centers {
        match hromadas.last_mut() {
            Some((h, list)) if *h == c.hromada => list.push(c),
            _ => hromadas.push((&c.hromada, vec![c])),
        }
    }
    let here = format!("/map/oblast/{}", oblast_segment(oblast));
    let title = oblast_label(lang, oblast);
    let body = html! {
        (lang_switch(lang, &here))
        nav.crumbs aria-label=(lang.t("Де ви", "You are here")) { a href=(format!("/map/{carry}")) { (lang.t("Карта центрів", "Map of centers")) } " › " (title) }
        h1 { (title) }
        p.muted { (lang.t("Період", "Period")) ": " (period) }
        @for (hromada, list) in &hromadas {
            h2 { @if hromada.is_empty() { (lang.t("Громада не вказана", "Hromada not given")) } @else { (hromada) } }
            ul.centers { @for c in list { (center_item(lang, c, &carry)) } }
        }
    };
    Ok(page(state, lang, title, false, body))
}

/// `/map/search?q=`: centers whose name, address, city, hromada or oblast has the words.
async fn search(state: &AppState, q: &PortalQuery) -> Result<Response, AppError> {
    let lang = q.lang();
    let period = q.period(state)?;
    let carry = q.carry(&period);
    let text = q.q.as_deref().unwrap_or("").trim().to_lowercase();
    if text.chars().count() > 100 {
        return Err(AppError::bad_input("q", crate::msg!("text-too-long-100")));
    }
    let words: Vec<String> = text
        .split_whitespace()
        .map(crate::domain::normalize_apostrophes)
        .collect();
    let found: Vec<PublicCenter> = if words.is_empty() {
        Vec::new()
    } else {
        state
            .quality
            .public_centers(&period, false)
            .await?
            .into_iter()
            .filter(|c| {
                let hay = crate::domain::normalize_apostrophes(
                    &format!("{} {} {} {} {}", c.name, c.address, c.city, c.hromada, c.oblast).to_lowercase(),
                );
                words.iter().all(|w| hay.contains(w.as_str()))
            })
            .take(100)
            .collect()
    };
    let title = lang.t("Пошук центру", "Find a center");
    let body = html! {
        nav.crumbs aria-label=(lang.t("Де ви", "You are here")) { a href=(format!("/map/{carry}")) { (lang.t("Карта центрів", "Map of centers")) } " › " (title) }
        h1 { (title) }
        form.search method="get" action="/map/search" role="search" {
            @if lang == Lang::En { input type="hidden" name="lang" value="en"; }
            label { (lang.t("Назва, адреса, громада або область", "Name, address, hromada or oblast"))
                input type="text" name="q" value=(q.q.as_deref().unwrap_or("")) autocomplete="off"; }
            button type="submit" { (lang.t("Знайти", "Search")) }
        }
        @if !words.is_empty() {
            p role="status" { (lang.t("Знайдено", "Found")) ": " (found.len()) }
            ul.centers { @for c in &found { (center_item(lang, c, &carry)) } }
        }
    };
    Ok(page(state, lang, title, false, body))
}

fn part_row(lang: Lang, name: &str, part: Option<&Part>, unit_n: (&'static str, &'static str), signed: bool) -> Markup {
    let n = part.map_or(0, |p| p.n);
    html! {
        tr {
            th scope="row" { (name) }
            @match part.and_then(|p| p.estimate.as_ref()) {
                Some(e) => {
                    td { span.index { @if signed && e.value > 0.0 { "+" } (number(e.value)) } " (" (number(e.low)) "–" (number(e.high)) ")" }
                }
                None => { td { (lang.t("ще мало даних", "too few yet")) } }
            }
            td { (n) " " (lang.t(unit_n.0, unit_n.1)) }
        }
    }
}

/// `/map/centers/{id}`: a center's page.
async fn center_page(state: &AppState, id: &str, q: &PortalQuery) -> Result<Response, AppError> {
    let lang = q.lang();
    let period = q.period(state)?;
    let carry = q.carry(&period);
    let Some(center) = state.quality.public_center(&period, id).await? else {
        return Err(AppError::NotFound("center"));
    };
    let history = state.quality.history(id).await?;
    let comments = state.quality.published_comments(id, 10).await?;
    let hours = crate::domain::OpeningHours::from_json(&center.opening_hours);
    let detail: Option<&CenterIndex> = center.detail.as_ref();
    let feedback_link = format!(
        "/feedback/{}{}",
        center.venue_id,
        if lang == Lang::En { "?lang=en" } else { "" }
    );
    let size = |s: &str| match s {
        "SMALL" => lang.t("малих", "small"),
        "MEDIUM" => lang.t("середніх", "medium-sized"),
        "LARGE" => lang.t("великих", "large"),
        _ => lang.t("усіх", "all"),
    };
    let max_history = history
        .iter()
        .filter_map(|h| h.headline)
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let here = format!("/map/centers/{}", center.venue_id);
    let body = html! {
        (lang_switch(lang, &here))
        nav.crumbs aria-label=(lang.t("Де ви", "You are here")) {
            a href=(format!("/map/{carry}")) { (lang.t("Карта центрів", "Map of centers")) } " › "
            a href=(format!("/map/oblast/{}{carry}", oblast_segment(&center.oblast))) { (oblast_label(lang, &center.oblast)) } " › "
            (center.name)
        }
        h1 { (center.name) }
        p { (center.address) @if !center.hromada.is_empty() { br; span.muted { (center.hromada) } } }
        h2 { (lang.t("Години роботи", "Opening hours")) }
        @if hours.intervals().is_empty() {
            p.muted { (lang.t("Не вказано", "Not given")) }
        } @else {
            ul { @for i in hours.intervals() {
                li { (weekday(lang, i.weekday)) ": " (crate::domain::format_hhmm(i.opens)) "–" (crate::domain::format_hhmm(i.closes)) }
            } }
        }
        p { a.button href=(feedback_link) { (lang.t("Залишити відгук", "Leave feedback")) } }
        h2 { (lang.t("Якість обслуговування", "Quality of service")) ", " (period) }
        p.big { (headline_text(lang, &center)) }
        @if let Some((rank, of)) = center.rank {
            p { (lang.t("Місце", "Place")) " " (rank) " " (lang.t("з", "of")) " " (of) " "
                (lang.t("серед", "among")) " " (size(center.size_class.as_deref().unwrap_or(""))) " "
                (lang.t("центрів області", "centers of the oblast")) }
        }
        p.muted { (lang.t(
            "У дужках — межі, у яких індекс лежить з імовірністю 95 %. Поки відгуків мало, оцінку зважено до середньої для подібних центрів області.",
            "In brackets: the range the index lies in with 95 % probability. While responses are few, the figure leans toward the mean of similar centers of the oblast."
        )) }
        table {
            caption.muted { (lang.t("Складові індексу", "Parts of the index")) }
            thead { tr {
                th scope="col" { (lang.t("Складова", "Part")) }
                th scope="col" { (lang.t("Значення (межі 95 %)", "Value (95 % range)")) }
                th scope="col" { (lang.t("На основі", "Based on")) }
            } }
            tbody {
                (part_row(lang, lang.t("Оцінки відвідувачів (частка «чудово» і «добре»)", "Visitors' ratings (share of excellent and good)"), detail.map(|d| &d.ratings), ("відгуків", "responses"), false))
                (part_row(lang, lang.t("Готовність рекомендувати (−100…100)", "Would recommend (−100…100)"), detail.map(|d| &d.loyalty), ("відгуків", "responses"), true))
                (part_row(lang, lang.t("Перевірки таємних покупців", "Mystery shoppers' checks"), detail.map(|d| &d.mystery), ("візитів", "visits"), false))
            }
        }
        @let dims: Vec<_> = detail.map(|d| d.breakdowns.iter().filter(|b| b.channel == "ALL").collect()).unwrap_or_default();
        @if !dims.is_empty() {
            h3 { (lang.t("За складовими обслуговування", "By aspect of service")) }
            table {
                thead { tr {
                    th scope="col" { (lang.t("Що оцінювали", "Aspect")) }
                    th scope="col" { (lang.t("«Чудово» і «добре»", "Excellent and good")) }
                    th scope="col" { (lang.t("Відповідей", "Answers")) }
                } }
                tbody { @for b in &dims {
                    tr {
                        th scope="row" { (dimension_title(lang, crate::domain::feedback::DIMENSIONS.iter().position(|d| *d == b.measure).unwrap_or(3))) }
                        td { (number(b.value)) " % (" (number(b.low)) "–" (number(b.high)) ")" }
                        td { (b.n) }
                    }
                } }
            }
        }
        h2 { (lang.t("Динаміка за місяцями", "Month by month")) }
        @if history.is_empty() {
            p.muted { (lang.t("Ще немає даних.", "No data yet.")) }
        } @else {
            table {
                thead { tr {
                    th scope="col" { (lang.t("Місяць", "Month")) }
                    th scope="col" { (lang.t("Індекс", "Index")) }
                    th scope="col" { (lang.t("Відгуків", "Responses")) }
                    th scope="col" { (lang.t("Візитів", "Visits")) }
                } }
                tbody { @for h in &history {
                    tr {
                        th scope="row" { (h.period) }
                        td {
                            @match h.headline {
                                Some(v) => { (number(v)) div.bar style=(format!("width:{:.0}%", 100.0 * v / max_history)) aria-hidden="true" {} }
                                None => { "—" }
                            }
                        }
                        td { (h.responses) }
                        td { (h.visits) }
                    }
                } }
            }
        }
        h2 { (lang.t("Відгуки відвідувачів", "What visitors wrote")) }
        @if comments.is_empty() {
            p.muted { (lang.t("Опублікованих відгуків ще немає.", "No published comments yet.")) }
        } @else {
            @for c in &comments {
                figure {
                    blockquote { (c.comment_masked) }
                    figcaption.muted { (crate::time::kyiv_time(c.created_at).format("%d.%m.%Y")) }
                }
            }
            p.muted { (lang.t(
                "Відгуки публікуються після перевірки модератором; особисті дані в них приховано.",
                "Comments are published after a moderator's check; personal data in them is hidden."
            )) }
        }
    };
    Ok(page(state, lang, &center.name, false, body))
}

fn weekday(lang: Lang, day: crate::domain::Weekday) -> &'static str {
    use crate::domain::Weekday::*;
    match day {
        Mon => lang.t("Понеділок", "Monday"),
        Tue => lang.t("Вівторок", "Tuesday"),
        Wed => lang.t("Середа", "Wednesday"),
        Thu => lang.t("Четвер", "Thursday"),
        Fri => lang.t("П’ятниця", "Friday"),
        Sat => lang.t("Субота", "Saturday"),
        Sun => lang.t("Неділя", "Sunday"),
    }
}

/// `/map/centers.json`: every public center with its headline and counts, for the map.
async fn centers_json(state: &AppState, q: &PortalQuery) -> Result<Response, AppError> {
    let period = q.period(state)?;
    let centers = state.quality.public_centers(&period, false).await?;
    let items: Vec<serde_json::Value> = centers
        .iter()
        .map(|c| {
            serde_json::json!({
                "id": c.venue_id,
                "name": c.name,
                "address": c.address,
                "oblast": c.oblast,
                "hromada": c.hromada,
                "city": c.city,
                "lat": c.lat,
                "lon": c.lon,
                "index": c.headline,
                "responses": c.responses,
                "visits": c.visits,
            })
        })
        .collect();
    let body = serde_json::json!({ "period": period, "centers": items });
    Ok(([(header::CACHE_CONTROL, "no-cache")], Json(body)).into_response())
}

/// The open data's columns, in order (docs/INDEX.md describes each).
const OPEN_COLUMNS: [&str; 27] = [
    "period",
    "venue_id",
    "code",
    "name",
    "oblast",
    "hromada",
    "address",
    "lat",
    "lon",
    "size_class",
    "responses",
    "visits",
    "index",
    "index_low",
    "index_high",
    "rank",
    "rank_of",
    "ratings",
    "ratings_low",
    "ratings_high",
    "ratings_n",
    "loyalty",
    "loyalty_low",
    "loyalty_high",
    "loyalty_n",
    "mystery",
    "mystery_n",
];

fn open_row(period: &str, c: &PublicCenter) -> Vec<serde_json::Value> {
    use serde_json::Value;
    let d = c.detail.as_ref();
    let est = |p: Option<&Part>| p.and_then(|p| p.estimate.clone());
    let (ratings, loyalty, mystery) = (
        est(d.map(|d| &d.ratings)),
        est(d.map(|d| &d.loyalty)),
        est(d.map(|d| &d.mystery)),
    );
    let head = d.and_then(|d| d.headline);
    let num = |x: Option<f64>| x.map_or(Value::Null, Value::from);
    vec![
        period.into(),
        c.venue_id.clone().into(),
        c.external_code.clone().into(),
        c.name.clone().into(),
        c.oblast.clone().into(),
        c.hromada.clone().into(),
        c.address.clone().into(),
        c.lat.into(),
        c.lon.into(),
        c.size_class.clone().map_or(Value::Null, Value::from),
        c.responses.into(),
        c.visits.into(),
        num(head.map(|h| h.0)),
        num(head.map(|h| h.1)),
        num(head.map(|h| h.2)),
        c.rank.map_or(Value::Null, |r| r.0.into()),
        c.rank.map_or(Value::Null, |r| r.1.into()),
        num(ratings.as_ref().map(|e| e.value)),
        num(ratings.as_ref().map(|e| e.low)),
        num(ratings.as_ref().map(|e| e.high)),
        d.map_or(0, |d| d.ratings.n).into(),
        num(loyalty.as_ref().map(|e| e.value)),
        num(loyalty.as_ref().map(|e| e.low)),
        num(loyalty.as_ref().map(|e| e.high)),
        d.map_or(0, |d| d.loyalty.n).into(),
        num(mystery.as_ref().map(|e| e.value)),
        d.map_or(0, |d| d.mystery.n).into(),
    ]
}

/// `/open-data/quality-index.{csv,json}?period=`: every public center's index and counts.
async fn open_file(state: &AppState, file: &str, q: &PortalQuery) -> Result<Response, AppError> {
    let period = q.period(state)?;
    let centers = state.quality.public_centers(&period, true).await?;
    match file {
        "quality-index.json" => {
            let rows: Vec<serde_json::Map<String, serde_json::Value>> = centers
                .iter()
                .map(|c| {
                    OPEN_COLUMNS
                        .iter()
                        .map(|k| k.to_string())
                        .zip(open_row(&period, c))
                        .collect()
                })
                .collect();
            let body = serde_json::json!({
                "period": period,
                "licence": LICENCE,
                "licenceUrl": LICENCE_URL,
                "schema": "docs/INDEX.md#open-data",
                "centers": rows,
            });
            Ok(([(header::CACHE_CONTROL, "public, max-age=300")], Json(body)).into_response())
        }
        "quality-index.csv" => {
            let mut out = csv::Writer::from_writer(Vec::new());
            let fail = |e: csv::Error| AppError::Internal(e.into());
            out.write_record(OPEN_COLUMNS).map_err(fail)?;
            for c in &centers {
                let cells: Vec<String> = open_row(&period, c)
                    .into_iter()
                    .map(|v| match v {
                        serde_json::Value::Null => String::new(),
                        serde_json::Value::String(s) => crate::domain::text::csv_cell(&s).into_owned(),
                        other => other.to_string(),
                    })
                    .collect();
                out.write_record(&cells).map_err(fail)?;
            }
            let bytes = out
                .into_inner()
                .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
            Ok((
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"quality-index-{period}.csv\""),
                    ),
                    (header::CACHE_CONTROL, "public, max-age=300".to_string()),
                ],
                bytes,
            )
                .into_response())
        }
        _ => Err(AppError::NotFound("file")),
    }
}

/// Centers imported without an oblast are listed together under this path segment (no oblast is named "-").
const NO_OBLAST: &str = "-";

/// An oblast as a path segment of `/map/oblast/…`.
fn oblast_segment(oblast: &str) -> String {
    if oblast.is_empty() {
        NO_OBLAST.to_owned()
    } else {
        enc(oblast)
    }
}

/// An oblast as shown: its name, or that none was given.
fn oblast_label(lang: Lang, oblast: &str) -> &str {
    if oblast.is_empty() {
        lang.t("Область не вказана", "Oblast not given")
    } else {
        oblast
    }
}

fn enc(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

type PortalParams = Result<Query<PortalQuery>, axum::extract::rejection::QueryRejection>;

fn params(query: PortalParams) -> PortalQuery {
    query.map(|Query(q)| q).unwrap_or_default()
}

/// A page's failure as a page: not found (404), a bad parameter (400, naming it), or an internal error (logged,
/// 500 with the request id only).
fn failed(state: &AppState, lang: Lang, headers: &HeaderMap, err: AppError) -> Response {
    let request_id = request_id(headers);
    let status = http_status(&err);
    let (title, text) = match &err {
        AppError::NotFound(_) => (
            lang.t("Не знайдено", "Not found"),
            lang.t(
                "Такого центру чи області немає на карті.",
                "There is no such center or oblast on the map.",
            )
            .to_string(),
        ),
        AppError::Internal(cause) => {
            tracing::error!(error = ?cause, request_id, "internal error");
            (
                lang.t("Помилка", "Error"),
                format!(
                    "{} ({request_id})",
                    lang.t(
                        "Щось пішло не так; спробуйте пізніше",
                        "Something went wrong; try again later"
                    )
                ),
            )
        }
        other => (lang.t("Неправильний запит", "Bad request"), other.render(lang.into())),
    };
    let body = html! {
        h1 { (title) }
        p { (text) }
        p { a href="/map/" { (lang.t("До карти центрів", "To the map of centers")) } }
    };
    let mut response = page(state, lang, title, false, body);
    *response.status_mut() = status;
    response
}

pub(super) async fn map_home(State(state): State<AppState>, headers: HeaderMap, query: PortalParams) -> Response {
    let q = params(query);
    home(&state, &q)
        .await
        .unwrap_or_else(|e| failed(&state, q.lang(), &headers, e))
}

pub(super) async fn map_oblast(
    State(state): State<AppState>,
    Path(oblast): Path<String>,
    headers: HeaderMap,
    query: PortalParams,
) -> Response {
    let q = params(query);
    let oblast = if oblast == NO_OBLAST { "" } else { oblast.as_str() };
    oblast_page(&state, oblast, &q)
        .await
        .unwrap_or_else(|e| failed(&state, q.lang(), &headers, e))
}

pub(super) async fn map_search(State(state): State<AppState>, headers: HeaderMap, query: PortalParams) -> Response {
    let q = params(query);
    search(&state, &q)
        .await
        .unwrap_or_else(|e| failed(&state, q.lang(), &headers, e))
}

pub(super) async fn map_center(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    query: PortalParams,
) -> Response {
    let q = params(query);
    center_page(&state, &id, &q)
        .await
        .unwrap_or_else(|e| failed(&state, q.lang(), &headers, e))
}

pub(super) async fn map_centers_json(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: PortalParams,
) -> Response {
    centers_json(&state, &params(query))
        .await
        .unwrap_or_else(|e| json_error(e, &request_id(&headers), reader_language(&headers)))
}

pub(super) async fn open_data(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
    query: PortalParams,
) -> Response {
    open_file(&state, &file, &params(query))
        .await
        .unwrap_or_else(|e| json_error(e, &request_id(&headers), reader_language(&headers)))
}
