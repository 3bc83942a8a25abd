//! Request-level limits, one async-graphql extension so that every operation passes the same gate:
//!
//! - **text hygiene**: no string in the variables or in the document's literals may carry NUL or another
//!   control character (tab, newline and carriage return excepted); the error names the field;
//! - **repeats**: one mutation field may appear at most `max_mutation_repeats` times in a request (aliases), a
//!   password-hashing or mail-sending one (`PASSWORD_MUTATIONS`) at most once; a request selects at most
//!   `max_root_fields` root fields;
//! - **depth**: checked here rather than by the schema builder so that the standard introspection query (which
//!   GraphiQL and code generators send, and which nests about 13 deep) is exempt; complexity is still checked
//!   for every request by the schema itself;
//! - **fan-out**: at most `max_parallel_fields` root fields of one request run at once, so one request cannot
//!   take the whole connection pool from everyone else.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextResolve, NextValidation, ResolveInfo,
};
use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection, SelectionSet};
use async_graphql::{ServerError, ServerResult, ValidationResult, Value, Variables};
use tokio::sync::Semaphore;

use crate::config::LimitSettings;
use crate::domain::text::forbidden_control;

/// Mutations that hash a password or send mail: once per request.
const PASSWORD_MUTATIONS: &[&str] = &[
    "signUp",
    "login",
    "changePassword",
    "resetPassword",
    "requestPasswordReset",
    "inviteStaff",
];

/// Root fields answered from the schema alone (no database).
const INTROSPECTION_FIELDS: &[&str] = &["__schema", "__type", "__typename"];

/// The factory (one per schema); `create` makes the per-request state.
pub struct RequestLimits {
    limits: Arc<LimitSettings>,
}

impl RequestLimits {
    pub fn new(limits: &LimitSettings) -> Self {
        Self {
            limits: Arc::new(limits.clone()),
        }
    }
}

impl ExtensionFactory for RequestLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(PerRequest {
            limits: self.limits.clone(),
            introspection_only: AtomicBool::new(false),
            fan_out: Semaphore::new(self.limits.max_parallel_fields.max(1)),
        })
    }
}

struct PerRequest {
    limits: Arc<LimitSettings>,
    introspection_only: AtomicBool,
    fan_out: Semaphore,
}

/// A refusal of the request as a whole, in the reader's language, with its message code.
fn bad_input(message: crate::domain::Msg, field: Option<&str>) -> ServerError {
    let lang = super::reader_language();
    let text = match field {
        Some(field) => crate::i18n::render_field_error(lang, field, &message),
        None => crate::i18n::render(lang, &message),
    };
    let mut err = ServerError::new(text, None);
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", "BAD_USER_INPUT");
    if let Some(field) = field {
        extensions.set("field", field);
    }
    extensions.set("messageCode", message.code.as_ref());
    extensions.set("params", crate::error::params(&message));
    err.extensions = Some(extensions);
    err
}

/// The first string inside `value` that holds a forbidden character, as (the innermost field name, the
/// character).
fn find_control(name: &str, value: &Value) -> Option<(String, char)> {
    match value {
        Value::String(s) => s.chars().find(|&c| forbidden_control(c)).map(|c| (name.to_string(), c)),
        Value::List(items) => items.iter().find_map(|v| find_control(name, v)),
        Value::Object(map) => map.iter().find_map(|(k, v)| find_control(k.as_str(), v)),
        _ => None,
    }
}

fn control_error((field, c): (String, char)) -> ServerError {
    bad_input(
        crate::msg!("text-control-characters", char = format!("U+{:04X}", c as u32)),
        Some(&field),
    )
}

/// Calls `f` on every field of a selection set, following fragment spreads (once each) and inline fragments;
/// with `deep`, also on the fields of their selection sets, all the way down.
fn each_field<'a>(
    doc: &'a ExecutableDocument,
    set: &'a SelectionSet,
    deep: bool,
    seen: &mut HashSet<&'a str>,
    f: &mut dyn FnMut(&'a async_graphql::parser::types::Field),
) {
    for item in &set.items {
        let inner = match &item.node {
            Selection::Field(field) => {
                f(&field.node);
                if !deep {
                    continue;
                }
                &field.node.selection_set.node
            }
            Selection::InlineFragment(fragment) => &fragment.node.selection_set.node,
            Selection::FragmentSpread(spread) => {
                let name = spread.node.fragment_name.node.as_str();
                match doc.fragments.get(name) {
                    Some(fragment) if seen.insert(name) => &fragment.node.selection_set.node,
                    _ => continue,
                }
            }
        };
        each_field(doc, inner, deep, seen, f);
    }
}

impl PerRequest {
    fn check_document(&self, doc: &ExecutableDocument) -> ServerResult<()> {
        // Literal strings anywhere the operations reach (fragments once each; an unused fragment fails
        // validation anyway). Variables inside literals are checked with the variables.
        let mut found = None;
        let mut check_field = |field: &async_graphql::parser::types::Field| {
            if found.is_none() {
                found = field.arguments.iter().find_map(|(name, value)| {
                    let literal = value
                        .node
                        .clone()
                        .into_const_with(|_| Ok::<_, std::convert::Infallible>(Value::Null))
                        .unwrap_or_else(|never| match never {});
                    find_control(name.node.as_str(), &literal)
                });
            }
        };
        let mut seen = HashSet::new();
        for (_, op) in doc.operations.iter() {
            each_field(doc, &op.node.selection_set.node, true, &mut seen, &mut check_field);
        }
        if let Some(found) = found {
            return Err(control_error(found));
        }

        let mut introspection_only = true;
        for (_, op) in doc.operations.iter() {
            let mut roots: Vec<&str> = Vec::new();
            each_field(
                doc,
                &op.node.selection_set.node,
                false,
                &mut HashSet::new(),
                &mut |field| roots.push(field.name.node.as_str()),
            );
            introspection_only &= roots.iter().all(|name| INTROSPECTION_FIELDS.contains(name));
            if op.node.ty == OperationType::Mutation {
                let mut counts: HashMap<&str, usize> = HashMap::new();
                for name in &roots {
                    *counts.entry(name).or_default() += 1;
                }
                for (name, count) in counts {
                    let limit = if PASSWORD_MUTATIONS.contains(&name) {
                        1
                    } else {
                        self.limits.max_mutation_repeats
                    };
                    if count > limit {
                        return Err(bad_input(
                            crate::msg!("request-repeats", limit = limit, count = count),
                            Some(name),
                        ));
                    }
                }
            }
            if roots.len() > self.limits.max_root_fields {
                return Err(bad_input(
                    crate::msg!(
                        "request-root-fields",
                        max = self.limits.max_root_fields,
                        count = roots.len()
                    ),
                    None,
                ));
            }
        }
        self.introspection_only.store(introspection_only, Ordering::Relaxed);
        Ok(())
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for PerRequest {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        if let Some(found) = variables
            .iter()
            .find_map(|(name, value)| find_control(name.as_str(), value))
        {
            return Err(control_error(found));
        }
        let doc = next.run(ctx, query, variables).await?;
        self.check_document(&doc)?;
        Ok(doc)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        if result.depth > self.limits.max_query_depth && !self.introspection_only.load(Ordering::Relaxed) {
            return Err(vec![bad_input(
                crate::msg!(
                    "request-too-deep",
                    depth = result.depth,
                    max = self.limits.max_query_depth
                ),
                None,
            )]);
        }
        Ok(result)
    }

    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        if info.path_node.parent.is_some() || info.is_for_introspection {
            return next.run(ctx, info).await;
        }
        // The semaphore lives as long as the request and is never closed.
        let _permit = self.fan_out.acquire().await.ok();
        next.run(ctx, info).await
    }
}
