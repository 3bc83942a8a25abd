//! Counts every GraphQL request for `/metrics`: per operation name (the one the client sent, or the name of the
//! document's only operation; `anonymous` otherwise), its latency, and its errors by `extensions.code`.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextPrepareRequest, NextRequest,
};
use async_graphql::parser::types::{DocumentOperations, ExecutableDocument};
use async_graphql::{Request, Response, ServerResult, Value, Variables};

use crate::metrics::Metrics;

pub struct Observe {
    metrics: Metrics,
}

impl Observe {
    pub fn new(metrics: Metrics) -> Self {
        Self { metrics }
    }
}

impl ExtensionFactory for Observe {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(PerRequest {
            metrics: self.metrics.clone(),
            operation: Mutex::new(None),
        })
    }
}

struct PerRequest {
    metrics: Metrics,
    operation: Mutex<Option<String>>,
}

impl PerRequest {
    fn set_operation(&self, name: Option<String>) {
        if let Some(name) = name {
            *self.operation.lock().unwrap_or_else(|e| e.into_inner()) = Some(name);
        }
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for PerRequest {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let started = Instant::now();
        let response = next.run(ctx).await;
        let operation = self.operation.lock().unwrap_or_else(|e| e.into_inner()).clone();
        self.metrics.graphql_request(
            operation.as_deref(),
            started.elapsed().as_secs_f64(),
            response.errors.iter().map(|e| {
                match e.extensions.as_ref().and_then(|x| x.get("code")) {
                    Some(Value::String(code)) => code.as_str(),
                    // Errors of the GraphQL layer itself (syntax, validation) are bad input (see `http`).
                    _ => "BAD_USER_INPUT",
                }
            }),
        );
        response
    }

    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        self.set_operation(request.operation_name.clone());
        next.run(ctx, request).await
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let doc = next.run(ctx, query, variables).await?;
        let known = self.operation.lock().unwrap_or_else(|e| e.into_inner()).is_some();
        if !known {
            if let DocumentOperations::Multiple(operations) = &doc.operations {
                if operations.len() == 1 {
                    self.set_operation(operations.keys().next().map(|name| name.to_string()));
                }
            }
        }
        Ok(doc)
    }
}
