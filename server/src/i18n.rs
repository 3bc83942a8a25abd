//! The one message catalogue, rendered: `messages/uk.ftl` and `messages/en.ftl` (Fluent, with plural forms),
//! compiled into the binary. Every [`Msg`] the service shows a person — refusals, field errors, flags, risk
//! reasons, shopper signals, mails — is rendered here in the reader's language; the web faces read the same
//! files (`web/common/messages.ts`). A unit test fails when a code has no text in either language or a text
//! names a parameter its code does not carry.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::domain::{Arg, Language, Msg};

/// The Ukrainian catalogue's source.
pub const UK: &str = include_str!("../../messages/uk.ftl");
/// The English catalogue's source.
pub const EN: &str = include_str!("../../messages/en.ftl");

struct Catalogue {
    uk: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| Catalogue {
    uk: bundle("uk", UK),
    en: bundle("en", EN),
});

fn bundle(lang: &str, source: &str) -> FluentBundle<FluentResource> {
    // A catalogue that does not parse fails the unit tests (and the binary's start, `check`), never a request.
    let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(resource, errors)| {
        tracing::error!(lang, ?errors, "the message catalogue has syntax errors");
        resource
    });
    let mut bundle = FluentBundle::new_concurrent(vec![lang.parse().expect("a language tag")]);
    // Plain text: no Unicode isolation marks around parameters (the pages are all left-to-right).
    bundle.set_use_isolating(false);
    if let Err(errors) = bundle.add_resource(resource) {
        tracing::error!(lang, ?errors, "the message catalogue repeats an identifier");
    }
    bundle
}

fn of(lang: Language) -> &'static FluentBundle<FluentResource> {
    match lang {
        Language::Uk => &CATALOGUE.uk,
        Language::En => &CATALOGUE.en,
    }
}

/// Checks that both catalogues parse and hold no duplicate (run at start, so a broken build never serves).
pub fn check() -> Result<(), String> {
    for (lang, source) in [("uk", UK), ("en", EN)] {
        FluentResource::try_new(source.to_owned()).map_err(|(_, e)| format!("messages/{lang}.ftl: {e:?}"))?;
    }
    Ok(())
}

/// A message in one language. A code without text is logged and shown as the code itself (the catalogue's
/// test keeps that from happening).
pub fn render(lang: Language, msg: &Msg) -> String {
    let bundle = of(lang);
    let Some(pattern) = bundle.get_message(&msg.code).and_then(|m| m.value()) else {
        tracing::warn!(code = %msg.code, lang = lang.code(), "a message without text in the catalogue");
        return msg.code.to_string();
    };
    let mut args = FluentArgs::new();
    for (name, value) in &msg.args {
        match value {
            Arg::Number(n) => args.set(name.as_str(), FluentValue::from(*n)),
            Arg::Text(t) => args.set(name.as_str(), FluentValue::from(t.as_str())),
            Arg::Message(inner) => args.set(name.as_str(), FluentValue::from(render(lang, inner))),
        }
    }
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
    if !errors.is_empty() {
        tracing::warn!(code = %msg.code, lang = lang.code(), ?errors, "a message rendered with errors");
    }
    text.into_owned()
}

/// A field's error as one sentence: the field's name in words (`field-<name>` in the catalogue, else the API's
/// own name, e.g. `answers.Q1`), then why.
pub fn render_field_error(lang: Language, field: &str, msg: &Msg) -> String {
    format!("{}: {}", field_label(lang, field), render(lang, msg))
}

/// A field's name in words, or the field path as the API names it.
pub fn field_label(lang: Language, field: &str) -> String {
    let id = format!("field-{}", field.replace(['.', '[', ']'], "-"));
    let bundle = of(lang);
    match bundle.get_message(&id).and_then(|m| m.value()) {
        Some(pattern) => bundle.format_pattern(pattern, None, &mut Vec::new()).into_owned(),
        None => field.to_owned(),
    }
}

/// The reader's language from an `Accept-Language` header: the first of Ukrainian and English it prefers, by
/// quality; Ukrainian when it names neither (or is missing).
pub fn negotiate(accept_language: Option<&str>) -> Language {
    accept_language
        .map(accept_language::parse)
        .unwrap_or_default()
        .iter()
        .find_map(
            |tag| match tag.split(['-', '_']).next().map(str::to_ascii_lowercase).as_deref() {
                Some("uk") => Some(Language::Uk),
                Some("en") => Some(Language::En),
                _ => None,
            },
        )
        .unwrap_or(Language::Uk)
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use fluent_syntax::ast;

    use super::*;
    use crate::msg;

    /// Every message of one catalogue with the variables its text (all its variants) refers to.
    fn variables(source: &str) -> BTreeMap<String, BTreeSet<String>> {
        fn walk_pattern(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
            for element in &p.elements {
                if let ast::PatternElement::Placeable { expression } = element {
                    walk_expression(expression, out);
                }
            }
        }
        fn walk_inline(e: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
            match e {
                ast::InlineExpression::VariableReference { id } => {
                    out.insert(id.name.to_owned());
                }
                ast::InlineExpression::FunctionReference { arguments, .. } => {
                    for a in &arguments.positional {
                        walk_inline(a, out);
                    }
                }
                ast::InlineExpression::Placeable { expression } => walk_expression(expression, out),
                _ => {}
            }
        }
        fn walk_expression(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
            match e {
                ast::Expression::Select { selector, variants } => {
                    walk_inline(selector, out);
                    for v in variants {
                        walk_pattern(&v.value, out);
                    }
                }
                ast::Expression::Inline(inline) => walk_inline(inline, out),
            }
        }
        let resource = fluent_syntax::parser::parse(source).expect("the catalogue parses");
        let mut all = BTreeMap::new();
        for entry in resource.body {
            if let ast::Entry::Message(m) = entry {
                let mut vars = BTreeSet::new();
                if let Some(value) = &m.value {
                    walk_pattern(value, &mut vars);
                }
                assert!(all.insert(m.id.name.to_owned(), vars).is_none(), "{} twice", m.id.name);
            }
        }
        all
    }

    /// Every code the Rust source constructs with `msg!` (a literal code, then `name = value` pairs), with the
    /// parameters it passes.
    fn codes_in_source() -> BTreeMap<String, BTreeSet<String>> {
        let mut found: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for (code, names) in macro_calls(&text) {
                        found.entry(code).or_default().extend(names);
                    }
                }
            }
        }
        found
    }

    /// The `msg!` calls of one file: each call's code and the names of its parameters (top-level `name =`).
    fn macro_calls(text: &str) -> Vec<(String, Vec<String>)> {
        let mut calls = Vec::new();
        let mut rest = text;
        while let Some(at) = rest.find("msg!(\"") {
            rest = &rest[at + 6..];
            let Some(end_code) = rest.find('"') else { break };
            let code = &rest[..end_code];
            // The arguments up to the call's own closing parenthesis.
            let mut depth = 1;
            let mut in_string = false;
            let mut end = rest.len();
            let mut prev = ' ';
            for (i, ch) in rest.char_indices().skip(end_code + 1) {
                match ch {
                    '"' if prev != '\\' => in_string = !in_string,
                    '(' | '[' | '{' if !in_string => depth += 1,
                    ')' | ']' | '}' if !in_string => {
                        depth -= 1;
                        if depth == 0 {
                            end = i;
                            break;
                        }
                    }
                    _ => {}
                }
                prev = ch;
            }
            let args = &rest[end_code + 1..end];
            let mut names = Vec::new();
            let (mut depth, mut in_string, mut start) = (0, false, 0);
            let bytes: Vec<char> = args.chars().collect();
            let mut parts = Vec::new();
            for (i, &ch) in bytes.iter().enumerate() {
                match ch {
                    '"' if i == 0 || bytes[i - 1] != '\\' => in_string = !in_string,
                    '(' | '[' | '{' if !in_string => depth += 1,
                    ')' | ']' | '}' if !in_string => depth -= 1,
                    ',' if !in_string && depth == 0 => {
                        parts.push(bytes[start..i].iter().collect::<String>());
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            parts.push(bytes[start..].iter().collect::<String>());
            for part in parts {
                if let Some((name, _)) = part.split_once('=') {
                    let name = name.trim();
                    if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                        names.push(name.to_owned());
                    }
                }
            }
            calls.push((code.to_owned(), names));
            rest = &rest[end..];
        }
        calls
    }

    #[test]
    fn both_catalogues_hold_the_same_messages_with_the_same_parameters() {
        check().unwrap();
        let uk = variables(UK);
        let en = variables(EN);
        let only_uk: Vec<_> = uk.keys().filter(|k| !en.contains_key(*k)).collect();
        let only_en: Vec<_> = en.keys().filter(|k| !uk.contains_key(*k)).collect();
        assert!(
            only_uk.is_empty() && only_en.is_empty(),
            "uk only: {only_uk:?}; en only: {only_en:?}"
        );
        for (id, vars) in &uk {
            assert_eq!(vars, &en[id], "{id}: the languages name different parameters");
        }
    }

    #[test]
    fn every_code_in_the_source_has_text_and_every_parameter_it_names_is_passed() {
        let catalogue = variables(UK);
        let source = codes_in_source();
        assert!(source.len() > 50, "the scan found the codes: {}", source.len());
        let mut problems = Vec::new();
        for (code, passed) in &source {
            match catalogue.get(code) {
                None => problems.push(format!("{code}: no text in messages/*.ftl")),
                Some(named) => {
                    for var in named.difference(passed) {
                        problems.push(format!("{code}: the text names ${var}, which the code does not pass"));
                    }
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn plural_forms_follow_each_language() {
        let m = |n: i64| msg!("text-too-long", max = n);
        assert_eq!(render(Language::Uk, &m(1)), "має бути не довшим за 1 символ");
        assert_eq!(render(Language::Uk, &m(3)), "має бути не довшим за 3 символи");
        assert_eq!(render(Language::Uk, &m(200)), "має бути не довшим за 200 символів");
        assert_eq!(render(Language::En, &m(1)), "must be at most 1 character");
        assert_eq!(render(Language::En, &m(200)), "must be at most 200 characters");
    }

    #[test]
    fn the_readers_language_is_negotiated() {
        assert_eq!(negotiate(None), Language::Uk);
        assert_eq!(negotiate(Some("en-GB,en;q=0.9")), Language::En);
        assert_eq!(negotiate(Some("de-DE, en;q=0.5, uk;q=0.8")), Language::Uk);
        assert_eq!(negotiate(Some("fr")), Language::Uk);
        assert_eq!(negotiate(Some("garbage;;;q=x")), Language::Uk);
    }
}
