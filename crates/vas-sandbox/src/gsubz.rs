//! GSUBZ: `https://gsubz.com/api/` on loopback.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, Request, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{MethodRouter, get, post};
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::json::{num, parse_decimal, text};
use crate::scenario::{self, Scenario};
use crate::server::{Action, Shared, endpoint, json as answer, json_text, lock, with_action};
use crate::vtpass::body_fields;
use crate::{SandboxConfig, Vendor, credentials};

const CATEGORY: &str = include_str!("../../../fixtures/gsubz/category.response.json");
const SERVICE_MTN: &str = include_str!("../../../fixtures/gsubz/service.response.json");
const FIELDS_MTN: &str = include_str!("../../../fixtures/gsubz/fields.response.json");
const PLANS_MTN_CG: &str = include_str!("../../../fixtures/gsubz/plans.response.json");
const VARIATION_GOTV: &str = include_str!("../../../fixtures/gsubz/variation.response.json");

/// The services the sandbox sells: the documented ones.
struct Service {
    id: &'static str,
    name: &'static str,
    /// The documented plans response (fixed-price services).
    plans: Option<&'static str>,
}

const SERVICES: &[Service] = &[
    Service { id: "mtn", name: "MTN Airtime VTU", plans: None },
    Service {
        id: "mtn_cg",
        name: "MTN-Coperate-Gifting-Data(*460*260#)",
        plans: Some(PLANS_MTN_CG),
    },
    Service { id: "gotv", name: "Gotv Payment", plans: Some(VARIATION_GOTV) },
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Decided {
    Successful,
    Failed,
    Pending,
}

struct Txn {
    body: Map<String, Value>,
    decided: Decided,
    /// Why it failed (`description`).
    reason: &'static str,
    settle_at: Option<Instant>,
}

impl Txn {
    fn status(&self, now: Instant) -> Decided {
        match (self.decided, self.settle_at) {
            (Decided::Pending, Some(at)) if now >= at => Decided::Successful,
            (d, _) => d,
        }
    }

    fn response(&self, now: Instant) -> Value {
        let status = self.status(now);
        let (code, status_text, description, content_code) = match status {
            Decided::Successful => (200, "TRANSACTION_SUCCESSFUL", "TRANSACTION_SUCCESSFUL", "000"),
            Decided::Pending => (200, "TRANSACTION_PENDING", "TRANSACTION_PENDING", "099"),
            Decided::Failed => (402, "TRANSACTION_FAILED", self.reason, "016"),
        };
        let mut content = self.body.clone();
        content.insert("status".into(), status_text.into());
        content.insert("code".into(), content_code.into());
        content.insert("description".into(), description.into());
        json!({
            "code": code,
            "status": status_text,
            "description": description,
            "content": content,
            "gateway": {"referrer": "", "host": "127.0.0.1", "ip": "127.0.0.1"}
        })
    }
}

pub(crate) struct State {
    /// Real payments (`pay`, `verify`).
    live: HashMap<String, Txn>,
    /// Test payments (`testpay`, `testverfy`): never debit the balance.
    test: HashMap<String, Txn>,
    balance: Decimal,
    seq: u64,
}

impl State {
    pub(crate) fn new(config: &SandboxConfig) -> State {
        State { live: HashMap::new(), test: HashMap::new(), balance: config.gsubz_balance, seq: 0 }
    }
}

pub(crate) fn router(shared: &Arc<Shared>) -> Router {
    let v = Vendor::Gsubz;
    let fallback_shared = shared.clone();
    let mut api = Router::new();
    let routes: Vec<(&str, &'static str, MethodRouter<Arc<Shared>>)> = vec![
        ("category", "category", get(category)),
        ("service", "service", get(service_details)),
        ("fields", "fields", get(fields)),
        ("plans", "plans", get(plans)),
        ("variation", "variation", get(variation)),
        ("pay", "pay", post(pay).get(not_post)),
        ("testpay", "testpay", post(testpay).get(not_post)),
        ("verify", "verify", post(verify).get(not_post)),
        ("testverfy", "testverfy", post(testverfy).get(not_post)),
        ("balance", "balance", post(balance).get(not_post)),
    ];
    for (path, name, route) in routes {
        let route = endpoint(shared, v, name, route);
        api = api.route(&format!("/{path}"), route.clone()).route(&format!("/{path}/"), route);
    }
    Router::new()
        .nest("/api", api)
        .fallback(move |req: Request| crate::server::unmatched(fallback_shared, v, req))
        .with_state(shared.clone())
}

fn error(http: StatusCode, code: u16, status: &str, description: &str) -> Response {
    answer(http, &json!({"code": code, "status": status, "description": description}))
}

fn not_found() -> Response {
    error(StatusCode::OK, 404, "CONTENT_NOT_FOUND", "CONTENT_NOT_FOUND")
}

async fn not_post() -> Response {
    error(
        StatusCode::METHOD_NOT_ALLOWED,
        405,
        "REQUEST_METHOD_NOT_IN_POST",
        "REQUEST_METHOD_NOT_IN_POST",
    )
}

async fn category() -> Response {
    json_text(StatusCode::OK, CATEGORY.to_string())
}

async fn service_details(Query(q): Query<HashMap<String, String>>) -> Response {
    match q.get("service").map(String::as_str) {
        Some("mtn") => json_text(StatusCode::OK, SERVICE_MTN.to_string()),
        _ => not_found(),
    }
}

async fn fields(Query(q): Query<HashMap<String, String>>) -> Response {
    match q.get("service").map(String::as_str) {
        Some("mtn") => json_text(StatusCode::OK, FIELDS_MTN.to_string()),
        _ => not_found(),
    }
}

async fn plans(Query(q): Query<HashMap<String, String>>) -> Response {
    let id = q.get("service").map(String::as_str).unwrap_or("");
    match SERVICES.iter().find(|s| s.id == id).and_then(|s| s.plans) {
        Some(doc) => json_text(StatusCode::OK, doc.to_string()),
        None => not_found(),
    }
}

async fn variation(Query(q): Query<HashMap<String, String>>) -> Response {
    let id = q.get("service").map(String::as_str).unwrap_or("");
    let value = q.get("value").map(String::as_str).unwrap_or("");
    let Some(doc) = SERVICES.iter().find(|s| s.id == id).and_then(|s| s.plans) else {
        return not_found();
    };
    let Ok(Value::Object(mut doc)) = serde_json::from_str::<Value>(doc) else {
        return not_found();
    };
    let plans: Vec<Value> = doc
        .get("plans")
        .and_then(Value::as_array)
        .map(|p| {
            p.iter()
                .filter(|p| p.get("value").and_then(Value::as_str) == Some(value))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    if plans.is_empty() {
        return not_found();
    }
    doc.insert("plans".into(), Value::Array(plans));
    answer(StatusCode::OK, &Value::Object(doc))
}

fn authorized(headers: &HeaderMap, fields: Option<&Map<String, Value>>) -> bool {
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim);
    let form_key = fields.and_then(|f| text(f, "api"));
    bearer == Some(credentials::GSUBZ_API_KEY)
        || form_key.as_deref() == Some(credentials::GSUBZ_API_KEY)
}

fn unauthorized() -> Response {
    error(StatusCode::UNAUTHORIZED, 401, "AUTHORIZATION_FAILED", "AUTHORIZATION_FAILED")
}

async fn pay(AxState(shared): AxState<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    purchase(&shared, &headers, &body, false)
}

async fn testpay(
    AxState(shared): AxState<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    purchase(&shared, &headers, &body, true)
}

/// The price of a plan in a documented plans response.
fn plan_price(doc: &str, plan: &str) -> Option<Decimal> {
    let doc: Value = serde_json::from_str(doc).ok()?;
    let p = doc
        .get("plans")?
        .as_array()?
        .iter()
        .find(|p| p.get("value").and_then(Value::as_str) == Some(plan))?;
    match p.get("price")? {
        Value::String(s) => parse_decimal(s),
        Value::Number(n) => parse_decimal(&n.to_string()),
        _ => None,
    }
}

fn plan_field(doc: &str) -> Option<String> {
    let doc: Value = serde_json::from_str(doc).ok()?;
    Some(doc.get("PlanName")?.as_str()?.to_string())
}

fn purchase(shared: &Shared, headers: &HeaderMap, body: &[u8], test: bool) -> Response {
    let fields = body_fields(headers, body);
    if !authorized(headers, fields.as_ref()) {
        return unauthorized();
    }
    let Some(fields) = fields else {
        return error(StatusCode::OK, 206, "INVALID_CONTENT", "INVALID_CONTENT");
    };
    let get = |k: &str| text(&fields, k).map(|s| s.trim().to_string()).unwrap_or_default();
    let (request_id, service_id, phone) = (get("requestID"), get("serviceID"), get("phone"));
    if request_id.is_empty() || service_id.is_empty() || phone.is_empty() {
        return error(
            StatusCode::OK,
            204,
            "REQUIRED_CONTENT_NOT_SENT",
            "REQUIRED_CONTENT_NOT_SENT",
        );
    }
    let Some(service) = SERVICES.iter().find(|s| s.id == service_id) else {
        return error(StatusCode::OK, 206, "INVALID_CONTENT", "INVALID_SERVICE_ID");
    };
    let customer_id = get("customerID");
    let (amount, plan, product_type) = match service.plans {
        Some(doc) => {
            let named = plan_field(doc).map(|f| get(&f)).unwrap_or_default();
            let plan = [get("plan"), get("variation_code"), named]
                .into_iter()
                .find(|p| !p.is_empty())
                .unwrap_or_default();
            match plan_price(doc, &plan) {
                Some(price) => (price, plan, "fix"),
                None => return error(StatusCode::OK, 401, "INVALID_PLAN", "INVALID_PLAN"),
            }
        }
        None => match parse_decimal(&get("amount")) {
            Some(a) if a > Decimal::ZERO => (a, String::new(), "flexible"),
            _ => return error(StatusCode::OK, 206, "INVALID_CONTENT", "INVALID_AMOUNT"),
        },
    };
    let scenario = match scenario::for_number(&phone) {
        Scenario::Success if !customer_id.is_empty() => scenario::for_number(&customer_id),
        s => s,
    };
    let now = Instant::now();
    let mut state = lock(&shared.gsubz);
    let state = &mut *state;
    let ledger = if test { &mut state.test } else { &mut state.live };
    if let Some(original) = ledger.get(&request_id) {
        // Not allowed (406), with the original purchase's result; nothing is charged again.
        let mut body = original.response(now);
        body["code"] = json!(406);
        return answer(StatusCode::NOT_ACCEPTABLE, &body);
    }
    let (mut decided, mut reason) = match scenario {
        Scenario::Failed => (Decided::Failed, "TRANSACTION_FAILED"),
        Scenario::Pending => (Decided::Pending, ""),
        _ => (Decided::Successful, ""),
    };
    let balance = state.balance;
    if decided != Decided::Failed && !test && balance < amount {
        decided = Decided::Failed;
        reason = "INSUFFICIENT_BALANCE";
    }
    if decided != Decided::Failed && !test {
        state.balance -= amount;
    }
    state.seq += 1;
    let body: Map<String, Value> = json!({
        "transactionID": format!("{}{:05}", chrono::Utc::now().timestamp_millis(), state.seq),
        "requestID": request_id,
        "amount": num(amount),
        "phone": phone,
        "serviceID": service.id,
        "email": get("email"),
        "customerID": customer_id,
        "plan": plan,
        "image": format!("gsubz.com/uploads/{}.jpg", service.id),
        "convinience_fee": 0,
        "productType": product_type,
        "serviceName": service.name,
        "date": (chrono::Utc::now() + chrono::Duration::hours(1)).format("%Y-%m-%dT%H:%M:%S+01:00").to_string(),
    })
    .as_object()
    .cloned()
    .unwrap_or_default();
    let txn = Txn {
        body,
        decided,
        reason,
        settle_at: (decided == Decided::Pending).then(|| now + shared.config.settle_after),
    };
    let response = answer(StatusCode::OK, &txn.response(now));
    ledger_of(state, test).insert(request_id, txn);
    match scenario {
        Scenario::Drop => with_action(response, Action::Drop),
        Scenario::BadGateway => with_action(response, Action::BadGateway),
        Scenario::Timeout => with_action(response, Action::Delay(shared.config.timeout_delay)),
        _ => response,
    }
}

fn ledger_of(state: &mut State, test: bool) -> &mut HashMap<String, Txn> {
    if test { &mut state.test } else { &mut state.live }
}

async fn verify(
    AxState(shared): AxState<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    lookup(&shared, &headers, &body, false)
}

async fn testverfy(
    AxState(shared): AxState<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    lookup(&shared, &headers, &body, true)
}

fn lookup(shared: &Shared, headers: &HeaderMap, body: &[u8], test: bool) -> Response {
    let fields = body_fields(headers, body);
    if !authorized(headers, fields.as_ref()) {
        return unauthorized();
    }
    let request_id = fields.as_ref().and_then(|f| text(f, "requestID")).unwrap_or_default();
    if request_id.trim().is_empty() {
        return error(
            StatusCode::OK,
            204,
            "REQUIRED_CONTENT_NOT_SENT",
            "REQUIRED_CONTENT_NOT_SENT",
        );
    }
    let mut state = lock(&shared.gsubz);
    match ledger_of(&mut state, test).get(request_id.trim()) {
        Some(txn) => answer(StatusCode::OK, &txn.response(Instant::now())),
        None => error(StatusCode::OK, 404, "CONTENT_NOT_FOUND", "TRANSACTION_NOT_FOUND"),
    }
}

async fn balance(
    AxState(shared): AxState<Arc<Shared>>,
    headers: HeaderMap,
    request: Request,
) -> Response {
    let slash = request.uri().path().ends_with('/');
    let body = axum::body::to_bytes(request.into_body(), 1 << 20).await.unwrap_or_default();
    let fields = body_fields(&headers, &body);
    if !authorized(&headers, fields.as_ref()) {
        return unauthorized();
    }
    let balance = lock(&shared.gsubz).balance.normalize().to_string();
    if slash {
        // The current API (`/api/balance/`).
        answer(StatusCode::OK, &json!({"balance": balance}))
    } else {
        // The documented older shape (`/api/balance`).
        answer(
            StatusCode::OK,
            &json!({"response_description": "000", "content": {"balance": balance}}),
        )
    }
}
