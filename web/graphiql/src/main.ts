// The API explorer the service serves at GET /graphql: GraphiQL with the explorer plugin, built here and served
// as the service's own hashed assets, so it works offline and under a CSP that names no other host. Queries go
// to this service's /graphql; the headers tab carries `{"Authorization": "Bearer …"}`; the docs panel reads the
// schema through the standard introspection query.
import { createElement, StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { GraphiQL } from "graphiql";
import { explorerPlugin } from "@graphiql/plugin-explorer";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import "graphiql/graphiql.css";
import "@graphiql/plugin-explorer/dist/style.css";
import "./page.css";

const DEFAULT_QUERY = `# Fieldwork's GraphQL API. Sign in with the login mutation, then put the token in the
# Headers tab below as {"Authorization": "Bearer <token>"}. The Docs panel lists every type.
{
  __typename
}
`;

const fetcher = createGraphiQLFetcher({ url: new URL("/graphql", window.location.href).toString() });
const explorer = explorerPlugin();
const root = document.getElementById("graphiql");
if (root) {
  createRoot(root).render(
    createElement(
      StrictMode,
      null,
      createElement(GraphiQL, {
        fetcher,
        plugins: [explorer],
        defaultQuery: DEFAULT_QUERY,
        isHeadersEditorEnabled: true,
        shouldPersistHeaders: false,
      }),
    ),
  );
}
