//! The OpenAPI 3.1 document: generated from the handlers' annotations, then completed with
//! the problem responses every operation can give, so that the document tells the truth about
//! errors without each handler listing them.

use std::sync::OnceLock;

use serde_json::{json, Map, Value};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{
    actions, catalogs, certbodies, context, controls, coverage, gap, impacts, incidents, journey,
    ledger, maturity, monitoring, notifications, risks, scope, search, security, session, soa,
    systems, users,
};

#[derive(OpenApi)]
#[openapi(
    info(title = "aims API", description = "AI management system (ISO/IEC 42001) JSON API. Errors are RFC 9457 problem details."),
    servers((url = "/api/v1")),
    paths(
        super::health, session::login, session::logout, session::me,
        users::list_users, users::add_user, users::update_user, users::disable_user,
        security::events, security::locks, security::unlock, security::change_password, users::list_tokens, users::create_token, users::revoke_token,
        systems::list, systems::export, systems::add, systems::show, systems::update, systems::retire,
        context::list_issues, context::add_issue, context::show_issue, context::update_issue, context::archive_issue,
        context::list_parties, context::add_party, context::show_party, context::update_party, context::archive_party,
        controls::list, controls::add, controls::show, controls::update, controls::link,
        catalogs::list, catalogs::show, catalogs::item, catalogs::import, catalogs::crosswalk,
        scope::status, scope::history, scope::propose, scope::show, scope::approve, scope::diff,
        soa::show, soa::set, soa::export, soa::history, soa::snapshot, soa::approve,
        maturity::list, maturity::assess, maturity::model, maturity::compare, maturity::show,
        gap::list,
        coverage::coverage, coverage::list, coverage::show, coverage::import,
        ledger::events, ledger::verify, ledger::checkpoint,
        actions::list, actions::add, actions::show, actions::update, actions::roadmap,
        certbodies::list, certbodies::add, certbodies::show, certbodies::update,
        journey::journey, journey::list, journey::add,
        risks::list, risks::add, risks::show, risks::update, risks::assess, risks::treat, risks::accept, risks::review,
        risks::export, risks::views, risks::heatmap,
        risks::method_show, risks::method_set, risks::method_init, risks::method_history, risks::method_version,
        impacts::list, impacts::add, impacts::show, impacts::update, impacts::sign,
        monitoring::overview, monitoring::view, monitoring::set_plan, monitoring::runs, monitoring::upload,
        monitoring::push, monitoring::run, monitoring::alerts, monitoring::ack,
        incidents::list, incidents::add, incidents::show, incidents::update, incidents::transition, incidents::note,
        incidents::rca, incidents::link,
        incidents::nc_list, incidents::nc_add, incidents::nc_show, incidents::nc_update, incidents::nc_action,
        incidents::nc_verify, incidents::nc_close,
        notifications::list, notifications::dashboard,
        search::search,
    ),
    components(schemas(crate::error::Problem, crate::error::ProblemField)),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = doc.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
            );
        }
    }
}

/// The OpenAPI 3.1 document of the API, built once.
pub fn openapi_document() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| {
        let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
        complete_problems(&mut doc);
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    })
}

const PROBLEM_REF: &str = "#/components/schemas/Problem";
const PROBLEM_TYPE: &str = "application/problem+json";
const METHODS: [&str; 5] = ["get", "put", "post", "patch", "delete"];

/// The errors an operation can answer, by what it takes: every operation behind a login can be
/// unauthenticated, forbidden, name a record that does not exist or carry an invalid parameter;
/// a body can be malformed, too large or of the wrong type; a write can conflict.
fn expected_problems(method: &str, path: &str, op: &Value) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    let secured = op.get("security").is_some();
    let has_body = op.get("requestBody").is_some();
    if secured {
        out.push((
            "401",
            "Not signed in, or the token is invalid, expired or revoked.",
        ));
        out.push(("403", "The caller's role does not permit the operation."));
        out.push((
            "404",
            "A record named in the path or the query does not exist.",
        ));
        out.push((
            "422",
            "A parameter or field is invalid; `errors` names each one.",
        ));
    }
    if has_body {
        out.push(("400", "The body is not well-formed."));
        out.push(("413", "The body is larger than the server accepts."));
        out.push((
            "415",
            "The body's content type is not the one the operation takes.",
        ));
        out.push((
            "422",
            "A parameter or field is invalid; `errors` names each one.",
        ));
    }
    if secured && method != "get" {
        out.push((
            "409",
            "The change conflicts with the record's current state.",
        ));
    }
    if path == "/auth/login" {
        out.push((
            "401",
            "Unknown user, wrong password or a disabled or locked account.",
        ));
        out.push((
            "429",
            "Too many sign-in attempts; retry after the time given.",
        ));
    }
    out
}

/// Problem responses say `application/problem+json`, and every operation lists the problems it
/// can answer.
fn complete_problems(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        for method in METHODS {
            let Some(op) = item.get_mut(method) else {
                continue;
            };
            for parameter in op
                .get_mut("parameters")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                add_example(path, parameter);
            }
            let expected = expected_problems(method, path, op);
            let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                continue;
            };
            for response in responses.values_mut() {
                retype_problem(response);
            }
            for (status, description) in expected {
                responses
                    .entry(status)
                    .or_insert_with(|| problem_response(description));
            }
        }
    }
}

/// A path parameter without an example gets one in the shape its records take (`SYS-1`), so
/// that readers and API fuzzers know what a key looks like.
fn add_example(path: &str, parameter: &mut Value) {
    if parameter.get("in").and_then(Value::as_str) != Some("path")
        || parameter.get("example").is_some()
    {
        return;
    }
    let name = parameter
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let example = match name {
        "key" => key_example(path),
        "version" => "1",
        "control_id" => "A.6.2.4",
        "username" => "admin",
        "framework" => "ISO27001",
        "id" => "ISO42001",
        "item" => "A.6.2.4",
        _ => return,
    };
    if let Some(p) = parameter.as_object_mut() {
        p.insert("example".to_owned(), json!(example));
    }
}

/// The first key of the kind of record a path names.
fn key_example(path: &str) -> &'static str {
    match path.split('/').nth(1).unwrap_or_default() {
        "actions" => "ACT-1",
        "certification-bodies" => "CB-1",
        "context" => "CTX-1",
        "controls" => "CTL-1",
        "impacts" => "AIA-1",
        "incidents" => "INC-1",
        "monitoring" if path.contains("/alerts/") => "ALR-1",
        "monitoring" => "RUN-1",
        "nonconformities" => "NC-1",
        "parties" => "IP-1",
        "risks" => "RSK-1",
        "tokens" => "TOK-1",
        _ => "SYS-1",
    }
}

/// A response declared with the `Problem` schema as JSON becomes `application/problem+json`.
fn retype_problem(response: &mut Value) {
    let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) else {
        return;
    };
    let is_problem = content
        .get("application/json")
        .and_then(|c| c.pointer("/schema/$ref"))
        .and_then(Value::as_str)
        == Some(PROBLEM_REF);
    if is_problem {
        if let Some(body) = content.remove("application/json") {
            content.insert(PROBLEM_TYPE.to_owned(), body);
        }
    }
}

fn problem_response(description: &str) -> Value {
    let mut content = Map::new();
    content.insert(
        PROBLEM_TYPE.to_owned(),
        json!({ "schema": { "$ref": PROBLEM_REF } }),
    );
    json!({ "description": description, "content": content })
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::{openapi_document, METHODS, PROBLEM_TYPE};

    fn operations() -> Vec<(String, String, Value)> {
        let doc: Value = serde_json::from_str(openapi_document()).unwrap_or_default();
        let mut out = Vec::new();
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            for method in METHODS {
                if let Some(op) = item.get(method) {
                    out.push((method.to_owned(), path.clone(), op.clone()));
                }
            }
        }
        out
    }

    #[test]
    fn every_operation_documents_its_problems_as_problem_json() {
        let ops = operations();
        assert!(ops.len() > 100, "{} operations", ops.len());
        for (method, path, op) in ops {
            let responses = &op["responses"];
            for (status, response) in responses.as_object().into_iter().flatten() {
                let json_ref = response.pointer("/content/application~1json/schema/$ref");
                assert_ne!(
                    json_ref.and_then(Value::as_str),
                    Some(super::PROBLEM_REF),
                    "{method} {path} {status}: a problem typed as application/json"
                );
            }
            let mut expected = Vec::new();
            if op.get("security").is_some() {
                expected.extend(["401", "403", "404", "422"]);
            }
            if op.get("requestBody").is_some() {
                expected.extend(["400", "413", "415", "422"]);
            }
            for status in expected {
                let content = &responses[status]["content"];
                assert!(
                    content.get(PROBLEM_TYPE).is_some(),
                    "{method} {path} does not document {status} as problem JSON: {content}"
                );
            }
        }
    }

    #[test]
    fn login_documents_throttling_and_health_only_its_outage() {
        let ops = operations();
        let find = |m: &str, p: &str| {
            ops.iter()
                .find(|(method, path, _)| method == m && path == p)
                .map(|(_, _, op)| op["responses"].clone())
                .unwrap_or_default()
        };
        let login = find("post", "/auth/login");
        assert!(login.get("429").is_some() && login.get("401").is_some());
        let health = find("get", "/health");
        let mut statuses: Vec<&String> = health
            .as_object()
            .into_iter()
            .flatten()
            .map(|(s, _)| s)
            .collect();
        statuses.sort();
        assert_eq!(statuses, ["200", "503"]);
    }
}
