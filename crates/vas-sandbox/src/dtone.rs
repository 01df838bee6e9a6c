//! DT One Goods & Services: `https://gs-api.dtone.com/v1.1` on loopback.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Request, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Map, Value, json};
use sha2::Sha256;

use crate::json::{parse_object, text};
use crate::scenario::{self, Scenario};
use crate::server::{Action, Shared, endpoint, json as answer, json_text, lock, with_action};
use crate::{Vendor, credentials};

const OPERATOR_PRODUCTS: &str =
    include_str!("../../../fixtures/dtone/operator-products.response.json");
const COUNTRY_PRODUCTS: &str =
    include_str!("../../../fixtures/dtone/country-products.response.json");
const SERVICE_PRODUCTS: &str =
    include_str!("../../../fixtures/dtone/service-products.response.json");
const SUGGESTED_VALUES: &str =
    include_str!("../../../fixtures/dtone/variable-value-recharge-suggested-values.response.json");
const ACCOUNT_VERIFIED: &str =
    include_str!("../../../fixtures/dtone/account-number-status-verified.response.json");
const ACCOUNT_NOT_AVAILABLE: &str =
    include_str!("../../../fixtures/dtone/account-number-status-not-available.response.json");

/// The six product groups, which are also the transaction types.
const TYPES: [&str; 6] = [
    "fixed_value_vouchers",
    "fixed_value_recharges",
    "fixed_value_payments",
    "variable_value_vouchers",
    "variable_value_recharges",
    "variable_value_payments",
];

/// The product on which account verification is available (the others answer 1000304).
const VERIFIABLE_PRODUCT: u64 = 64;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Decided {
    Successful,
    Failed,
    Pending,
}

struct Txn {
    body: Map<String, Value>,
    kind: String,
    decided: Decided,
    settle_at: Option<Instant>,
}

impl Txn {
    fn view(&self, now: Instant) -> Value {
        let status = match (self.decided, self.settle_at) {
            (Decided::Pending, Some(at)) if now >= at => Decided::Successful,
            (d, _) => d,
        };
        let (code, message) = match status {
            Decided::Successful => ("0", "Transaction successful"),
            Decided::Pending => ("1", "Transaction pending"),
            Decided::Failed => ("1000214", "Transaction rejected"),
        };
        let mut body = self.body.clone();
        body.insert("status".into(), code.into());
        body.insert("status_message".into(), message.into());
        Value::Object(body)
    }
}

#[derive(Default)]
pub(crate) struct State {
    nonces: HashSet<String>,
    by_external: HashMap<String, u64>,
    txns: HashMap<u64, Txn>,
    seq: u64,
}

pub(crate) fn router(shared: &Arc<Shared>) -> Router {
    let v = Vendor::Dtone;
    let s = shared;
    let fallback_shared = shared.clone();
    let api = Router::new()
        .route("/ping", endpoint(s, v, "ping", get(ping)))
        .route("/services", endpoint(s, v, "services", get(services)))
        .route("/countries", endpoint(s, v, "countries", get(countries)))
        .route("/operators", endpoint(s, v, "operators", get(operators)))
        .route(
            "/countries/{id}/services",
            endpoint(s, v, "country-services", get(country_services)),
        )
        .route(
            "/operators/{id}/products",
            endpoint(s, v, "operator-products", get(operator_products)),
        )
        .route(
            "/countries/{id}/products",
            endpoint(s, v, "country-products", get(country_products)),
        )
        .route("/services/{id}/products", endpoint(s, v, "service-products", get(service_products)))
        .route(
            "/product/variable_value_recharges/{id}/suggested_values",
            endpoint(s, v, "suggested-values", get(suggested_values)),
        )
        .route(
            "/products/{id}/account_number/{account}/status",
            endpoint(s, v, "account-status", get(account_status)),
        )
        .route("/transactions/{kind}", endpoint(s, v, "transactions", post(transaction)))
        .route("/transactions/{kind}/{id}", endpoint(s, v, "transaction-status", get(status)));
    Router::new()
        .nest("/v1.1", api)
        .fallback(move |req: Request| crate::server::unmatched(fallback_shared, v, req))
        .with_state(shared.clone())
}

fn errors(http: StatusCode, code: u64, message: &str) -> Response {
    answer(http, &json!({"errors": [{"code": code, "message": message}]}))
}

/// The documented scheme: `X-TransferTo-hmac` = base64(HMAC-SHA256(secret, api key + nonce)),
/// with a numeric nonce never seen before.
fn check_auth(shared: &Shared, headers: &HeaderMap) -> Result<(), Box<Response>> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("");
    let (key, nonce, given) =
        (header("x-transferto-apikey"), header("x-transferto-nonce"), header("x-transferto-hmac"));
    let unauthorized = |why: &str| Box::new(errors(StatusCode::UNAUTHORIZED, 1000401, why));
    if key != credentials::DTONE_API_KEY {
        return Err(unauthorized("Unauthorized: unknown API key"));
    }
    if nonce.is_empty() || !nonce.bytes().all(|b| b.is_ascii_digit()) {
        return Err(unauthorized("Unauthorized: the nonce must be numeric"));
    }
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(credentials::DTONE_API_SECRET.as_bytes())
    else {
        return Err(unauthorized("Unauthorized"));
    };
    mac.update(key.as_bytes());
    mac.update(nonce.as_bytes());
    let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    if given.trim() != expected {
        return Err(unauthorized("Unauthorized: invalid HMAC"));
    }
    if !lock(&shared.dtone).nonces.insert(nonce.to_string()) {
        return Err(unauthorized("Unauthorized: nonce already used"));
    }
    Ok(())
}

macro_rules! authed {
    ($shared:expr, $headers:expr) => {
        if let Err(response) = check_auth(&$shared, &$headers) {
            return *response;
        }
    };
}

async fn ping(AxState(shared): AxState<Arc<Shared>>, headers: HeaderMap) -> Response {
    authed!(shared, headers);
    answer(StatusCode::OK, &json!({"status": "up"}))
}

/// Every documented product (from the operator list, which holds them all).
fn products() -> Vec<(String, Value)> {
    let Ok(Value::Object(doc)) = serde_json::from_str::<Value>(OPERATOR_PRODUCTS) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for kind in TYPES {
        if let Some(list) = doc.get(kind).and_then(Value::as_array) {
            out.extend(list.iter().map(|p| (kind.to_string(), p.clone())));
        }
    }
    out
}

fn distinct(keys: &[&str]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for (_, p) in products() {
        let item: Map<String, Value> =
            keys.iter().filter_map(|k| p.get(*k).map(|v| (k.to_string(), v.clone()))).collect();
        let item = Value::Object(item);
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

async fn services(AxState(shared): AxState<Arc<Shared>>, headers: HeaderMap) -> Response {
    authed!(shared, headers);
    answer(StatusCode::OK, &json!({"services": distinct(&["service_id", "service"])}))
}

async fn countries(AxState(shared): AxState<Arc<Shared>>, headers: HeaderMap) -> Response {
    authed!(shared, headers);
    answer(StatusCode::OK, &json!({"countries": distinct(&["country_id", "country"])}))
}

async fn operators(AxState(shared): AxState<Arc<Shared>>, headers: HeaderMap) -> Response {
    authed!(shared, headers);
    let list = distinct(&["operator_id", "operator", "country_id", "country"]);
    answer(StatusCode::OK, &json!({"operators": list}))
}

fn id_matches(p: &Value, key: &str, id: &str) -> bool {
    p.get(key).map(|v| v.to_string()) == Some(id.to_string())
}

async fn country_services(
    AxState(shared): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    authed!(shared, headers);
    let Some((_, product)) = products().into_iter().find(|(_, p)| id_matches(p, "country_id", &id))
    else {
        return errors(StatusCode::NOT_FOUND, 1000404, "Country not found");
    };
    let services = distinct(&["service_id", "service"]);
    answer(
        StatusCode::OK,
        &json!({"country_id": product["country_id"], "country": product["country"], "services": services}),
    )
}

async fn operator_products(
    AxState(shared): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    authed!(shared, headers);
    products_doc(&id, "operator_id", OPERATOR_PRODUCTS, "Operator not found")
}

async fn country_products(
    AxState(shared): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    authed!(shared, headers);
    products_doc(&id, "country_id", COUNTRY_PRODUCTS, "Country not found")
}

async fn service_products(
    AxState(shared): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    authed!(shared, headers);
    products_doc(&id, "service_id", SERVICE_PRODUCTS, "Service not found")
}

/// Serves a documented product list verbatim when `id` is the one it documents.
fn products_doc(id: &str, key: &str, doc: &'static str, missing: &str) -> Response {
    if products().iter().any(|(_, p)| id_matches(p, key, id)) {
        json_text(StatusCode::OK, doc.to_string())
    } else {
        errors(StatusCode::NOT_FOUND, 1000404, missing)
    }
}

async fn suggested_values(
    AxState(shared): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path(_id): Path<String>,
) -> Response {
    authed!(shared, headers);
    json_text(StatusCode::OK, SUGGESTED_VALUES.to_string())
}

async fn account_status(
    AxState(shared): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path((id, account)): Path<(String, String)>,
) -> Response {
    authed!(shared, headers);
    if !products().iter().any(|(_, p)| id_matches(p, "product_id", &id)) {
        return errors(StatusCode::NOT_FOUND, 1000301, "Product not available");
    }
    if id != VERIFIABLE_PRODUCT.to_string() {
        return json_text(StatusCode::BAD_REQUEST, ACCOUNT_NOT_AVAILABLE.to_string());
    }
    if scenario::for_number(&account) == Scenario::Failed {
        answer(StatusCode::OK, &json!({"verified": 0}))
    } else {
        json_text(StatusCode::OK, ACCOUNT_VERIFIED.to_string())
    }
}

fn invalid(parameter: &str) -> Response {
    errors(StatusCode::BAD_REQUEST, 1000999, &format!("Invalid parameter: {parameter}"))
}

async fn transaction(
    AxState(shared): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path(kind): Path<String>,
    body: Bytes,
) -> Response {
    authed!(shared, headers);
    if !TYPES.contains(&kind.as_str()) {
        return errors(StatusCode::NOT_FOUND, 1000404, "Not found");
    }
    let Some(req) = parse_object(&body) else {
        return errors(
            StatusCode::BAD_REQUEST,
            1000999,
            "Invalid parameter: body is not a JSON object",
        );
    };
    let account = text(&req, "account_number").unwrap_or_default();
    if account.trim().is_empty() {
        return invalid("account_number");
    }
    let external_id = text(&req, "external_id").unwrap_or_default();
    if external_id.trim().is_empty() {
        return invalid("external_id");
    }
    let Some(product_id) = text(&req, "product_id").and_then(|p| p.parse::<u64>().ok()) else {
        return invalid("product_id");
    };
    let simulation = match req.get("simulation") {
        None | Some(Value::Null) => 1,
        Some(_) => match text(&req, "simulation").as_deref() {
            Some("0") => 0,
            Some("1") => 1,
            _ => return invalid("simulation"),
        },
    };
    let Some((product_kind, product)) =
        products().into_iter().find(|(_, p)| id_matches(p, "product_id", &product_id.to_string()))
    else {
        return errors(StatusCode::BAD_REQUEST, 1000301, "Product not available");
    };
    if product_kind != kind {
        return errors(StatusCode::BAD_REQUEST, 1000303, "Product type incorrect");
    }
    let scenario = scenario::for_number(&account);
    let now = Instant::now();
    let mut state = lock(&shared.dtone);
    if state.by_external.contains_key(&external_id) {
        return errors(StatusCode::BAD_REQUEST, 1000990, "External ID already used");
    }
    state.seq += 1;
    let transaction_id = 3_000_000 + state.seq;
    let mut body = Map::new();
    body.insert("transaction_id".into(), transaction_id.into());
    body.insert("simulation".into(), simulation.into());
    body.insert("status".into(), "0".into());
    body.insert("status_message".into(), "Transaction successful".into());
    body.insert("date".into(), chrono::Utc::now().format("%Y-%m-%d %H:%M:%S").to_string().into());
    body.insert("account_number".into(), account.clone().into());
    body.insert("external_id".into(), external_id.clone().into());
    body.insert("operator_reference".into(), format!("SBX{transaction_id}").into());
    body.insert("product_id".into(), product_id.into());
    let copy = [
        ("product", "product_name"),
        ("product_desc", "product_short_desc"),
        ("product_value", "product_value"),
        ("product_currency", "product_currency"),
        ("local_value", "local_value"),
        ("local_currency", "local_currency"),
        ("operator_id", "operator_id"),
        ("operator", "operator"),
        ("country_id", "country_id"),
        ("country", "country"),
        ("account_currency", "account_currency"),
        ("wholesale_price", "wholesale_price"),
        ("retail_price", "retail_price"),
        ("fee", "fee"),
    ];
    for (to, from) in copy {
        if let Some(v) = product.get(from) {
            body.insert(to.into(), v.clone());
        }
    }
    for key in [
        "sender_sms_notification",
        "sender_sms_text",
        "recipient_sms_notification",
        "recipient_sms_text",
        "sender",
        "recipient",
    ] {
        if let Some(v) = req.get(key) {
            body.insert(key.into(), v.clone());
        }
    }
    if kind.ends_with("_vouchers") {
        body.insert("pin_code".into(), format!("{:012}", transaction_id * 7919).into());
    }
    let decided = match scenario {
        Scenario::Failed => Decided::Failed,
        Scenario::Pending => Decided::Pending,
        _ => Decided::Successful,
    };
    let txn = Txn {
        body,
        kind: kind.clone(),
        decided,
        settle_at: (decided == Decided::Pending).then(|| now + shared.config.settle_after),
    };
    let view = txn.view(now);
    state.by_external.insert(external_id, transaction_id);
    state.txns.insert(transaction_id, txn);
    drop(state);
    let response = match decided {
        Decided::Failed => errors(StatusCode::BAD_REQUEST, 1000214, "Transaction rejected"),
        _ => answer(StatusCode::CREATED, &view),
    };
    match scenario {
        Scenario::Drop => with_action(response, Action::Drop),
        Scenario::BadGateway => with_action(response, Action::BadGateway),
        Scenario::Timeout => with_action(response, Action::Delay(shared.config.timeout_delay)),
        _ => response,
    }
}

async fn status(
    AxState(shared): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path((kind, id)): Path<(String, String)>,
) -> Response {
    authed!(shared, headers);
    let state = lock(&shared.dtone);
    let transaction_id = match id.strip_prefix("ext-") {
        Some(external) => state.by_external.get(external).copied(),
        None => id.parse::<u64>().ok(),
    };
    match transaction_id.and_then(|t| state.txns.get(&t)) {
        Some(txn) if txn.kind == kind => answer(StatusCode::OK, &txn.view(Instant::now())),
        _ => errors(StatusCode::NOT_FOUND, 1000404, "Transaction not found"),
    }
}
