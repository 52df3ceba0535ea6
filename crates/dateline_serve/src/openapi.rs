//! `/openapi.json`: the API described in OpenAPI 3.1 (the prose is docs/API.md).

use serde_json::{Value, json};

fn query(name: &str, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": description, "schema": schema })
}

fn filters() -> Vec<Value> {
    let text = json!({ "type": "string" });
    vec![
        query("actor", "Source or target actor code starts with it (USA, USAGOV).", text.clone()),
        query("source", "Source actor code starts with it.", text.clone()),
        query("target", "Target actor code starts with it.", text.clone()),
        query(
            "country",
            "Source, target or place country (ISO 3166 alpha-3).",
            json!({ "type": "string", "pattern": "^[A-Za-z]{3}$" }),
        ),
        query("code", "CAMEO code starts with it.", json!({ "type": "string", "pattern": "^[0-9]{1,4}$" })),
        query("root", "CAMEO root, 01 to 20.", json!({ "type": "string", "pattern": "^[0-9]{1,2}$" })),
        query("quad", "Quad class.", json!({ "type": "integer", "minimum": 1, "maximum": 4 })),
        query("plover", "PLOVER event type.", text.clone()),
        query("since", "First event date, inclusive.", json!({ "type": "string", "format": "date" })),
        query("until", "Last event date, inclusive.", json!({ "type": "string", "format": "date" })),
        query("place", "Place name contains it.", text.clone()),
        query("q", "Full-text query (FTS5) over the reporting articles.", text),
    ]
}

fn page(default_limit: i64) -> Vec<Value> {
    vec![
        query(
            "limit",
            "Page size.",
            json!({ "type": "integer", "minimum": 1, "maximum": 1000, "default": default_limit }),
        ),
        query("offset", "Rows to skip.", json!({ "type": "integer", "minimum": 0, "default": 0 })),
    ]
}

fn ok(description: &str, schema: Value) -> Value {
    json!({
        "200": { "description": description, "content": { "application/json": { "schema": schema } } },
        "400": { "description": "A malformed parameter, named in the error.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
        "503": { "description": "The query ran over the time limit." }
    })
}

fn get(summary: &str, parameters: Vec<Value>, responses: Value) -> Value {
    json!({ "get": { "summary": summary, "parameters": parameters, "responses": responses } })
}

fn id_parameter(what: &str) -> Value {
    json!({ "name": "id", "in": "path", "required": true, "description": format!("The {what}'s id."), "schema": { "type": "integer" } })
}

/// The document.
pub(crate) fn document() -> Value {
    let object = json!({ "type": "object" });
    let events_parameters: Vec<Value> = filters()
        .into_iter()
        .chain(page(100))
        .chain([query(
            "sort",
            "Order.",
            json!({ "type": "string", "enum": ["date", "-date", "mentions", "-mentions", "goldstein", "-goldstein"], "default": "-date" }),
        )])
        .collect();
    let mut search_parameters = vec![
        json!({ "name": "q", "in": "query", "required": true, "description": "FTS5 query.", "schema": { "type": "string" } }),
    ];
    search_parameters.extend(page(20));
    let mut network_parameters = filters();
    network_parameters.push(query(
        "limit",
        "Most edges, heaviest first.",
        json!({ "type": "integer", "minimum": 1, "maximum": 1000, "default": 200 }),
    ));
    let mut article_list_parameters = vec![query("q", "FTS5 query.", json!({ "type": "string" }))];
    article_list_parameters.extend(page(50));
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "dateline",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Read-only access to a dateline database: events merged across articles, their mentions and evidence, articles with every layer, full-text search, and the aggregates of the dashboard."
        },
        "paths": {
            "/api/stats": get("What the database holds.", vec![], ok("Counts.", json!({ "$ref": "#/components/schemas/Stats" }))),
            "/api/events": get("Events matching the filters, one page.", events_parameters, ok("A page of events.", json!({ "$ref": "#/components/schemas/EventPage" }))),
            "/api/events/{id}": get("One event with its mentions.", vec![id_parameter("event")], ok("The event.", object.clone())),
            "/api/articles": get("Articles, newest first.", article_list_parameters, ok("A page of articles.", object.clone())),
            "/api/articles/{id}": get("One article with every layer (the JSON of `dateline annotate`), its database id, event_ids and duplicate_of.", vec![id_parameter("article")], ok("The article.", object.clone())),
            "/api/search": get("Full-text search over the articles.", search_parameters, ok("Hits with escaped snippets, matches in <mark>.", object.clone())),
            "/api/timeline": get("Events per date and quad class.", filters(), ok("The series.", object.clone())),
            "/api/map": get("Event places with counts and mean Goldstein.", filters(), ok("The places.", object.clone())),
            "/api/network": get("Directed actor dyads with counts and mean Goldstein.", network_parameters, ok("Nodes and edges.", object))
        },
        "components": {
            "schemas": {
                "Error": { "type": "object", "required": ["error"], "properties": { "error": { "type": "string" } } },
                "Stats": {
                    "type": "object",
                    "required": ["articles", "events"],
                    "properties": {
                        "articles": { "type": "integer" }, "events": { "type": "integer" }, "mentions": { "type": "integer" },
                        "sources": { "type": "integer" }, "duplicates": { "type": "integer" }, "failures": { "type": "integer" },
                        "first_date": { "type": ["string", "null"] }, "last_date": { "type": ["string", "null"] },
                        "schema_version": { "type": "integer" }, "pipeline_version": { "type": ["string", "null"] }
                    }
                },
                "Event": {
                    "type": "object",
                    "required": ["id", "cameo", "root", "quad", "goldstein", "num_mentions", "num_sources", "num_articles"],
                    "properties": {
                        "id": { "type": "integer" }, "date": { "type": ["string", "null"] }, "date_text": { "type": ["string", "null"] },
                        "source": { "type": ["string", "null"] }, "source_name": { "type": ["string", "null"] },
                        "target": { "type": ["string", "null"] }, "target_name": { "type": ["string", "null"] },
                        "cameo": { "type": "string" }, "root": { "type": "string" }, "quad": { "type": "integer" },
                        "goldstein": { "type": "number" }, "plover": { "type": ["string", "null"] }, "event_name": { "type": ["string", "null"] },
                        "place": { "type": ["object", "null"] },
                        "num_mentions": { "type": "integer" }, "num_sources": { "type": "integer" }, "num_articles": { "type": "integer" },
                        "first_article": { "type": ["integer", "null"] }
                    }
                },
                "EventPage": {
                    "type": "object",
                    "required": ["total", "limit", "offset", "events"],
                    "properties": {
                        "total": { "type": "integer" }, "limit": { "type": "integer" }, "offset": { "type": "integer" },
                        "events": { "type": "array", "items": { "$ref": "#/components/schemas/Event" } }
                    }
                }
            }
        }
    })
}
