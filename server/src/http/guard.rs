//! One rule for the text of every URL, before any route sees it: the rule `domain::text` applies to what
//! people type. A path that decodes to a control character (NUL included) or a bidirectional formatting
//! character, that is not UTF-8, or that has a segment longer than a file name may be (255 bytes), names
//! nothing here: 404. A query parameter with such characters is bad input: 400, naming the parameter. So no
//! route, database or file system is ever asked about such text, on either database.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;

use crate::domain::text::{forbidden_control, is_bidi_control};

/// The longest path segment, in bytes once decoded (a file name's limit on common file systems).
pub const MAX_SEGMENT_BYTES: usize = 255;

fn bad_char(c: char) -> bool {
    forbidden_control(c) || c == '\t' || c == '\n' || c == '\r' || is_bidi_control(c)
}

/// Why a path names nothing, if it does not.
fn path_refusal(path: &str) -> Option<&'static str> {
    for segment in path.split('/') {
        let Ok(decoded) = percent_decode_str(segment).decode_utf8() else {
            return Some("not UTF-8");
        };
        if decoded.len() > MAX_SEGMENT_BYTES {
            return Some("a segment is too long");
        }
        if decoded.chars().any(bad_char) {
            return Some("a control or formatting character");
        }
    }
    None
}

/// The first query parameter whose name or value is not clean text, with why.
fn query_refusal(query: &str) -> Option<(String, crate::domain::Msg)> {
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |t: &str| {
            percent_decode_str(&t.replace('+', " "))
                .decode_utf8()
                .map(|c| c.into_owned())
        };
        let (Ok(name), Ok(value)) = (decode(name), decode(value)) else {
            let shown = decode(name).unwrap_or_else(|_| "?".into());
            return Some((shown, crate::msg!("query-not-utf8")));
        };
        if name.chars().chain(value.chars()).any(bad_char) {
            let shown: String = name.chars().filter(|c| !bad_char(*c)).take(40).collect();
            return Some((shown, crate::msg!("query-hidden-characters")));
        }
    }
    None
}

/// Middleware: refuses unclean paths (404) and query parameters (400) before routing.
pub async fn clean_urls(request: Request, next: Next) -> Response {
    let uri = request.uri();
    if let Some(why) = path_refusal(uri.path()) {
        tracing::debug!(why, "a path that names nothing");
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    if let Some((name, why)) = uri.query().and_then(query_refusal) {
        let request_id = super::request_id(request.headers());
        let lang = super::reader_language(request.headers());
        return super::json_error(crate::error::AppError::bad_input(name, why), &request_id, lang);
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_with_hidden_characters_or_huge_segments_name_nothing() {
        assert_eq!(path_refusal("/feedback/0190a3c1-7e1a-7000-8000-000000000000"), None);
        assert_eq!(
            path_refusal("/map/oblast/%D0%9B%D1%8C%D0%B2%D1%96%D0%B2%D1%81%D1%8C%D0%BA%D0%B0"),
            None
        );
        assert!(path_refusal("/feedback/%00").is_some());
        assert!(path_refusal("/map/centers/a%0Ab").is_some());
        assert!(path_refusal("/map/oblast/%E2%80%AE").is_some()); // U+202E
        assert!(path_refusal("/map/oblast/%FF").is_some());
        assert!(path_refusal(&format!("/app/{}", "a".repeat(256))).is_some());
        assert_eq!(path_refusal(&format!("/app/{}", "a".repeat(255))), None);
    }

    #[test]
    fn query_parameters_are_named() {
        assert_eq!(query_refusal("lang=en&q=%D0%9B%D1%8C%D0%B2%D1%96%D0%B2+2"), None);
        assert_eq!(query_refusal("oblast=%00").map(|r| r.0), Some("oblast".into()));
        assert_eq!(query_refusal("q=a%E2%80%AEb").map(|r| r.0), Some("q".into()));
        assert!(query_refusal("period=%C3%28").is_some());
    }
}
