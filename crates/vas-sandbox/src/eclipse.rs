//! Ukheshe Eclipse: `https://eclipse-java-sandbox.ukheshe.rocks` on loopback.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, Request, State as AxState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Map, Value, json};
use sha2::Sha256;

use crate::json::{parse_decimal, parse_object, raw, text};
use crate::scenario::{self, Scenario};
use crate::server::{Action, Shared, endpoint, json as answer, json_text, lock, with_action};
use crate::{Vendor, credentials};

const FRONTIER: &str = include_str!("../../../fixtures/eclipse/frontierweb-catalog.response.json");
const DTB_UG_LOCAL: &str =
    include_str!("../../../fixtures/eclipse/dtb-ug-local-catalog.response.json");
const DTB_UG_NWSC: &str =
    include_str!("../../../fixtures/eclipse/dtb-ug-nwsc-catalog.response.json");
const DTB_UG_UMEME: &str =
    include_str!("../../../fixtures/eclipse/dtb-ug-umeme-catalog.response.json");
const DTB_UG_URA: &str =
    include_str!("../../../fixtures/eclipse/dtb-ug-ura-tax-catalog.response.json");
const DTB_KE_TAX: &str = include_str!("../../../fixtures/eclipse/dtb-ke-tax-catalog.response.json");

/// The documented catalog queries and their documented answers.
const CATALOGS: &[(&str, &str)] = &[
    ("20", FRONTIER),
    ("21_LOCAL-CATALOG", DTB_UG_LOCAL),
    ("21_NWSC_21117391_Kampala", DTB_UG_NWSC),
    ("21_UMEME_200166426", DTB_UG_UMEME),
    ("21_ETAX_2240000621955", DTB_UG_URA),
    ("19_ETAX_10202300000582380", DTB_KE_TAX),
];

/// The Scan to Pay / ACS partners the documented MSISDN lookup knows (South Africa), with
/// products named in the use-case pages.
fn mobile_catalog() -> Value {
    let products = |partner: u64, list: &[(&str, &str, &str)]| -> Vec<Value> {
        list.iter()
            .map(|(kind, id, name)| {
                json!({
                    "partnerId": partner,
                    "productTypeName": kind,
                    "productId": id,
                    "productName": name,
                    "pinnedProduct": false,
                    "additionalFields": [
                        {"id": "msisdn", "title": "Phone number", "type": "NUMERIC", "regex": "^[0-9]{8,16}$"}
                    ]
                })
            })
            .collect()
    };
    json!([
        {
            "partnerId": 4,
            "partnerName": "MTN",
            "providerId": 1,
            "products": products(4, &[
                ("SMS", "M502", "SMS30"),
                ("DATA", "M511", "DATA350MB"),
                ("DATA", "M512", "DATA500MB"),
                ("DATA", "M513", "DATA1GB"),
                ("AIRTIME", "11", "MTN R10 Recharge"),
                ("AIRTIME", "M500", "MTN Pinless "),
            ]),
        },
        {
            "partnerId": 5,
            "partnerName": "Vodacom",
            "providerId": 1,
            "products": products(5, &[
                ("SMS", "VS02", "SMS20"),
                ("DATA", "VD11", "DATA75MB"),
                ("DATA", "VD50", "DATA2.5GB"),
                ("AIRTIME", "01", "100 Minutes"),
            ]),
        }
    ])
}

/// A callback the sandbox made (or skipped) for an Eclipse payment.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallbackRecord {
    /// The payment's id.
    pub payment_id: u64,
    /// The payment's `externalUniqueId`.
    pub external_unique_id: String,
    /// Where it was sent.
    pub url: String,
    /// The payment status it reported (`SUCCESSFUL` or `ERROR`).
    pub status: String,
    /// The exact body POSTed.
    pub body: String,
    /// The `Eclipse-Signature` header sent.
    pub signature: String,
    /// The HTTP status the receiver answered, or why nothing was received: `Err("skipped: not
    /// a loopback URL")` when the URL was not on loopback and
    /// [`crate::SandboxConfig::callbacks_to_any_host`] is off.
    pub outcome: Result<u16, String>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Decided {
    Successful,
    Error,
}

struct Payment {
    id: u64,
    body: Map<String, Value>,
    external_id: String,
    decided: Decided,
    /// How long after it has an amount it settles.
    settle_delay: Duration,
    settle_at: Option<Instant>,
    callback_url: Option<String>,
    callback_scheduled: bool,
}

impl Payment {
    fn status(&self, now: Instant) -> &'static str {
        match self.settle_at {
            Some(at) if now >= at => match self.decided {
                Decided::Successful => "SUCCESSFUL",
                Decided::Error => "ERROR",
            },
            _ => "PENDING",
        }
    }

    fn view(&self, now: Instant) -> Value {
        let status = self.status(now);
        let mut body = self.body.clone();
        body.insert("status".into(), status.into());
        match status {
            "ERROR" => {
                body.insert(
                    "errorDescription".into(),
                    "VAS001: the VAS provider declined the payment".into(),
                );
            }
            "SUCCESSFUL" => {
                body.insert("gatewayTransactionId".into(), format!("sbx-{:012}", self.id).into());
            }
            _ => {}
        }
        Value::Object(body)
    }
}

#[derive(Default)]
pub(crate) struct State {
    /// Issued JWTs and when each expires.
    tokens: HashMap<String, Instant>,
    payments: HashMap<u64, Payment>,
    by_external: HashMap<String, u64>,
    seq: u64,
    pub(crate) callbacks: Vec<CallbackRecord>,
}

pub(crate) fn expire_all(shared: &Shared) {
    let now = Instant::now();
    for expiry in lock(&shared.eclipse).tokens.values_mut() {
        *expiry = now;
    }
}

pub(crate) fn router(shared: &Arc<Shared>) -> Router {
    let v = Vendor::Eclipse;
    let s = shared;
    let fallback_shared = shared.clone();
    let api = Router::new()
        .route("/authentication/login", endpoint(s, v, "login", post(login)))
        .route("/authentication/renew", endpoint(s, v, "renew", post(renew)))
        .route("/tenants/{tenant}/vas/catalogs", endpoint(s, v, "catalogs", get(catalogs)))
        .route("/tenants/{tenant}/vas/{msisdn}", endpoint(s, v, "msisdn", get(msisdn)))
        .route(
            "/tenants/{tenant}/customers/{customer}/payments",
            endpoint(s, v, "initiate-payment", post(initiate)),
        )
        .route("/tenants/{tenant}/payments", endpoint(s, v, "list-payments", get(list_payments)))
        .route(
            "/tenants/{tenant}/payments/{id}",
            endpoint(s, v, "get-payment", get(get_payment)).merge(endpoint(
                s,
                v,
                "update-payment",
                axum::routing::put(update_payment),
            )),
        );
    Router::new()
        .nest("/eclipse-conductor/rest/v1", api)
        .fallback(move |req: Request| crate::server::unmatched(fallback_shared, v, req))
        .with_state(shared.clone())
}

/// The documented error body: a JSON array of `{type, severity, description, code, traceId,
/// spanId}`.
fn error(http: StatusCode, code: &str, description: &str) -> Response {
    let trace = format!("{:016x}", chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0));
    answer(
        http,
        &json!([{
            "type": "BUSINESS",
            "severity": "LOW",
            "description": description,
            "code": code,
            "traceId": trace,
            "spanId": &trace[..8.min(trace.len())],
        }]),
    )
}

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(message);
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

/// The `Eclipse-Signature` header value for a callback body sent at `t_ms`.
pub(crate) fn signature(key: &str, t_ms: i64, body: &str) -> String {
    let mac = hmac_sha256(key.as_bytes(), format!("{t_ms}.{body}").as_bytes());
    format!("t={t_ms},v1={}", base64::engine::general_purpose::STANDARD.encode(mac))
}

fn issue_token(shared: &Shared) -> Value {
    let ttl = shared.config.eclipse_token_ttl;
    let now = chrono::Utc::now();
    let iat = now.timestamp();
    let expires_ms =
        now.timestamp_millis() + i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX / 2);
    let exp = expires_ms.div_euclid(1000);
    let mut state = lock(&shared.eclipse);
    state.seq += 1;
    let jti = state.seq;
    let header = b64url(br#"{"alg":"HS256","typ":"JWT"}"#);
    let claims = json!({
        "sub": credentials::ECLIPSE_IDENTITY,
        "uid": credentials::ECLIPSE_CUSTOMER_ID,
        "tenantId": credentials::ECLIPSE_TENANT_ID,
        "roles": ["CUSTOMER"],
        "iat": iat,
        "exp": exp,
        "jti": format!("sbx-{jti}"),
    });
    let payload = b64url(claims.to_string().as_bytes());
    let signing_input = format!("{header}.{payload}");
    let sig = b64url(&hmac_sha256(b"sandbox-eclipse-jwt-signing", signing_input.as_bytes()));
    let jwt = format!("{signing_input}.{sig}");
    state.tokens.insert(jwt.clone(), Instant::now() + ttl);
    json!({
        "headerName": "Authorization",
        "headerValue": format!("Bearer {jwt}"),
        "sessionId": format!("sbx-session-{jti}"),
        "roles": ["CUSTOMER"],
        "csrfHeaderName": "X-CSRF-TOKEN",
        "csrfToken": format!("sbx-csrf-{jti}"),
        "expiresEpochSecs": exp,
    })
}

async fn login(AxState(shared): AxState<Arc<Shared>>, body: Bytes) -> Response {
    let Some(req) = parse_object(&body) else {
        return error(StatusCode::BAD_REQUEST, "VAL001", "Invalid request body");
    };
    let identity = text(&req, "identity").unwrap_or_default();
    let password = text(&req, "password").unwrap_or_default();
    if identity != credentials::ECLIPSE_IDENTITY || password != credentials::ECLIPSE_PASSWORD {
        return error(StatusCode::UNAUTHORIZED, "USR002", "Invalid credentials");
    }
    answer(StatusCode::OK, &issue_token(&shared))
}

fn token_valid(shared: &Shared, jwt: &str) -> bool {
    lock(&shared.eclipse).tokens.get(jwt).is_some_and(|exp| Instant::now() < *exp)
}

async fn renew(AxState(shared): AxState<Arc<Shared>>, body: Bytes) -> Response {
    let jwt = parse_object(&body).and_then(|r| text(&r, "jwt")).unwrap_or_default();
    let jwt = jwt.strip_prefix("Bearer ").unwrap_or(&jwt).to_string();
    if !token_valid(&shared, &jwt) {
        return error(StatusCode::UNAUTHORIZED, "USR002", "The JWT is invalid or has expired");
    }
    answer(StatusCode::OK, &issue_token(&shared))
}

fn check_auth(shared: &Shared, headers: &HeaderMap) -> Result<(), Box<Response>> {
    let jwt = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if token_valid(shared, jwt.trim()) {
        Ok(())
    } else {
        Err(Box::new(error(
            StatusCode::UNAUTHORIZED,
            "USR002",
            "The JWT is invalid or has expired",
        )))
    }
}

macro_rules! authed {
    ($shared:expr, $headers:expr) => {
        if let Err(response) = check_auth(&$shared, &$headers) {
            return *response;
        }
    };
}

async fn catalogs(
    AxState(shared): AxState<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    authed!(shared, headers);
    let query = query.unwrap_or_default();
    // `?catalogQuery=X`, or the bare `?X` some pages show.
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&query).unwrap_or_default();
    let catalog_query = pairs
        .iter()
        .find(|(k, _)| k == "catalogQuery")
        .map(|(_, v)| v.clone())
        .or_else(|| pairs.first().filter(|(_, v)| v.is_empty()).map(|(k, _)| k.clone()))
        .unwrap_or_default();
    if catalog_query.is_empty() {
        let mut all = match mobile_catalog() {
            Value::Array(a) => a,
            _ => Vec::new(),
        };
        for doc in [FRONTIER, DTB_UG_LOCAL] {
            if let Ok(Value::Array(list)) = serde_json::from_str::<Value>(doc) {
                all.extend(list);
            }
        }
        return answer(StatusCode::OK, &Value::Array(all));
    }
    match CATALOGS.iter().find(|(q, _)| *q == catalog_query) {
        Some((_, doc)) => json_text(StatusCode::OK, doc.to_string()),
        None => answer(StatusCode::OK, &json!([])),
    }
}

async fn msisdn(
    AxState(shared): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path((_tenant, msisdn)): Path<(String, String)>,
) -> Response {
    authed!(shared, headers);
    let digits: String = msisdn.chars().filter(char::is_ascii_digit).collect();
    let national = digits.strip_prefix("27").or_else(|| digits.strip_prefix('0')).unwrap_or("");
    let partner = match national.get(..2) {
        Some("83" | "73" | "78" | "63" | "81") => Some((4, "MTN")),
        Some("82" | "72" | "76" | "79" | "60") => Some((5, "Vodacom")),
        _ => None,
    };
    match partner {
        Some((id, name)) if national.len() == 9 => answer(
            StatusCode::OK,
            &json!({"msisdn": msisdn, "partnerId": id, "partnerName": name, "providerId": 1}),
        ),
        _ => error(
            StatusCode::NOT_FOUND,
            "VAS002",
            "No supported network for this MSISDN (currently only MTN and Vodacom)",
        ),
    }
}

/// The number that decides a payment's scenario: a phone or account field, else the
/// reference at the end of `paymentData`.
fn scenario_of(req: &Map<String, Value>) -> Scenario {
    let mut candidates: Vec<String> = Vec::new();
    if let Some(fields) = req.get("additionalFields").and_then(Value::as_array) {
        for f in fields {
            let id = f.get("id").and_then(Value::as_str).unwrap_or("");
            if matches!(id, "msisdn" | "destinationPhone" | "accountNumber" | "phone")
                && let Some(v) = f.get("value").and_then(Value::as_str)
            {
                candidates.push(v.to_string());
            }
        }
    }
    if let Some(p) = text(req, "phone") {
        candidates.push(p);
    }
    if let Some(data) = text(req, "paymentData")
        && let Some(last) = data.rsplit('_').next()
    {
        candidates.push(last.to_string());
    }
    candidates
        .iter()
        .map(|c| scenario::for_number(c))
        .find(|s| *s != Scenario::Success)
        .unwrap_or(Scenario::Success)
}

/// An amount as Eclipse writes it: `29182.000000000`.
fn eclipse_amount(v: &Value) -> Option<Value> {
    let t = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => return None,
    };
    let mut d = parse_decimal(&t)?;
    d.rescale(9);
    Some(raw(d.to_string()))
}

async fn initiate(
    AxState(shared): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path((_tenant, customer)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    authed!(shared, headers);
    let Some(req) = parse_object(&body) else {
        return error(StatusCode::BAD_REQUEST, "VAL001", "Invalid request body");
    };
    let external_id = text(&req, "externalUniqueId").unwrap_or_default();
    if external_id.trim().is_empty() {
        return error(StatusCode::BAD_REQUEST, "VAL002", "externalUniqueId is required");
    }
    let payment_data = text(&req, "paymentData").unwrap_or_default();
    if payment_data.split('_').count() < 2 {
        return error(
            StatusCode::BAD_REQUEST,
            "VAL003",
            "paymentData must be {partnerId}_{productId}",
        );
    }
    let amount = match req.get("amount") {
        None | Some(Value::Null) => None,
        Some(v) => match eclipse_amount(v) {
            Some(a) => Some(a),
            None => return error(StatusCode::BAD_REQUEST, "VAL004", "amount is not a number"),
        },
    };
    let scenario = scenario_of(&req);
    let now = Instant::now();
    let settle = shared.config.settle_after;
    let mut state = lock(&shared.eclipse);
    if state.by_external.contains_key(&external_id) {
        return error(
            StatusCode::CONFLICT,
            "PAY001",
            "A payment with this externalUniqueId already exists",
        );
    }
    state.seq += 1;
    let id = 170_000 + state.seq;
    let mut body = Map::new();
    body.insert("paymentId".into(), id.into());
    body.insert("externalUniqueId".into(), external_id.clone().into());
    body.insert("status".into(), "PENDING".into());
    if let Some(a) = &amount {
        body.insert("amount".into(), a.clone());
    }
    for key in ["description", "currency", "callbackUrl", "landingUrl", "phone", "type"] {
        if let Some(v) = req.get(key) {
            body.insert(key.into(), v.clone());
        }
    }
    body.insert(
        "additionalFields".into(),
        req.get("additionalFields").cloned().unwrap_or_else(|| json!([])),
    );
    body.insert("acceptedCardSchemes".into(), json!([]));
    body.insert("acceptedPaymentMechanisms".into(), json!([]));
    body.insert("paymentType".into(), "EFT".into());
    body.insert(
        "created".into(),
        chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string().into(),
    );
    body.insert("extraInfo".into(), "{}".into());
    body.insert("paymentInstrumentInfo".into(), json!({}));
    body.insert("fee".into(), raw("0E-9"));
    let reference = payment_data.split('_').next_back().unwrap_or("").to_string();
    body.insert("paymentReference".into(), reference.into());
    body.insert("paymentData".into(), payment_data.into());
    if let Some(w) = req.get("walletId") {
        body.insert("walletId".into(), w.clone());
    }
    body.insert(
        "customerId".into(),
        customer.parse::<u64>().map(Value::from).unwrap_or_else(|_| customer.clone().into()),
    );
    let settle_delay = if scenario == Scenario::Pending { settle * 5 } else { settle };
    let mut payment = Payment {
        id,
        body,
        external_id: external_id.clone(),
        decided: if scenario == Scenario::Failed { Decided::Error } else { Decided::Successful },
        settle_delay,
        settle_at: amount.is_some().then(|| now + settle_delay),
        callback_url: text(&req, "callbackUrl").filter(|u| !u.is_empty()),
        callback_scheduled: false,
    };
    let view = payment.view(now);
    let schedule = payment.settle_at.is_some() && payment.callback_url.is_some();
    payment.callback_scheduled = schedule;
    state.by_external.insert(external_id, id);
    state.payments.insert(id, payment);
    drop(state);
    if schedule {
        schedule_callback(&shared, id);
    }
    let response = answer(StatusCode::OK, &view);
    match scenario {
        Scenario::Drop => with_action(response, Action::Drop),
        Scenario::BadGateway => with_action(response, Action::BadGateway),
        Scenario::Timeout => with_action(response, Action::Delay(shared.config.timeout_delay)),
        _ => response,
    }
}

async fn update_payment(
    AxState(shared): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path((_tenant, id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    authed!(shared, headers);
    let Some(req) = parse_object(&body) else {
        return error(StatusCode::BAD_REQUEST, "VAL001", "Invalid request body");
    };
    let now = Instant::now();
    let mut state = lock(&shared.eclipse);
    let Some(payment) = id.parse::<u64>().ok().and_then(|id| state.payments.get_mut(&id)) else {
        return error(StatusCode::NOT_FOUND, "PAY404", "Payment not found");
    };
    if payment.status(now) != "PENDING" {
        return error(StatusCode::CONFLICT, "PAY002", "The payment is already final");
    }
    if let Some(v) = req.get("amount").filter(|v| !v.is_null()) {
        match eclipse_amount(v) {
            Some(a) => {
                payment.body.insert("amount".into(), a);
            }
            None => return error(StatusCode::BAD_REQUEST, "VAL004", "amount is not a number"),
        }
    }
    for key in ["walletId", "landingUrl", "description"] {
        if let Some(v) = req.get(key) {
            payment.body.insert(key.into(), v.clone());
        }
    }
    if payment.settle_at.is_none() && payment.body.contains_key("amount") {
        payment.settle_at = Some(now + payment.settle_delay);
    }
    let schedule = payment.settle_at.is_some()
        && payment.callback_url.is_some()
        && !payment.callback_scheduled;
    payment.callback_scheduled |= schedule;
    let (view, pid) = (payment.view(now), payment.id);
    drop(state);
    if schedule {
        schedule_callback(&shared, pid);
    }
    answer(StatusCode::OK, &view)
}

async fn get_payment(
    AxState(shared): AxState<Arc<Shared>>,
    headers: HeaderMap,
    Path((_tenant, id)): Path<(String, String)>,
) -> Response {
    authed!(shared, headers);
    let state = lock(&shared.eclipse);
    match id.parse::<u64>().ok().and_then(|id| state.payments.get(&id)) {
        Some(p) => answer(StatusCode::OK, &p.view(Instant::now())),
        None => error(StatusCode::NOT_FOUND, "PAY404", "Payment not found"),
    }
}

async fn list_payments(
    AxState(shared): AxState<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    authed!(shared, headers);
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(&query.unwrap_or_default()).unwrap_or_default();
    let wanted = pairs.iter().find(|(k, _)| k == "externalUniqueId").map(|(_, v)| v.as_str());
    let state = lock(&shared.eclipse);
    let now = Instant::now();
    let mut list: Vec<&Payment> = match wanted {
        Some(ext) => {
            state.by_external.get(ext).and_then(|id| state.payments.get(id)).into_iter().collect()
        }
        None => state.payments.values().collect(),
    };
    list.sort_by_key(|p| p.id);
    let list: Vec<Value> = list.iter().map(|p| p.view(now)).collect();
    answer(StatusCode::OK, &Value::Array(list))
}

fn loopback(url: &str) -> bool {
    let rest = url.strip_prefix("http://").or_else(|| url.strip_prefix("https://")).unwrap_or("");
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.split(':').next().unwrap_or(""),
    };
    matches!(host, "127.0.0.1" | "localhost" | "::1")
}

/// POSTs the final payment to its `callbackUrl` once it settles.
fn schedule_callback(shared: &Arc<Shared>, id: u64) {
    let shared = shared.clone();
    tokio::spawn(async move {
        let settle_at = lock(&shared.eclipse).payments.get(&id).and_then(|p| p.settle_at);
        let Some(at) = settle_at else { return };
        let mut stopped = shared.stopped.clone();
        tokio::select! {
            _ = tokio::time::sleep_until(tokio::time::Instant::from_std(at)) => {}
            _ = stopped.wait_for(|s| *s) => return,
        }
        let (url, ext, view) = {
            let state = lock(&shared.eclipse);
            let Some(p) = state.payments.get(&id) else { return };
            let Some(url) = p.callback_url.clone() else { return };
            (url, p.external_id.clone(), p.view(Instant::now()))
        };
        let status = view.get("status").and_then(Value::as_str).unwrap_or("").to_string();
        let body = crate::json::to_string(&view);
        let t = chrono::Utc::now().timestamp_millis();
        let sig = signature(&shared.config.eclipse_webhook_key, t, &body);
        let outcome = if !shared.config.callbacks_to_any_host && !loopback(&url) {
            Err("skipped: not a loopback URL".to_string())
        } else {
            shared
                .http
                .post(&url)
                .header("content-type", "application/json")
                .header("Eclipse-Signature", &sig)
                .body(body.clone())
                .send()
                .await
                .map(|r| r.status().as_u16())
                .map_err(|e| e.to_string())
        };
        lock(&shared.eclipse).callbacks.push(CallbackRecord {
            payment_id: id,
            external_unique_id: ext,
            url,
            status,
            body,
            signature: sig,
            outcome,
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_has_the_documented_form() {
        let sig = signature("HelloWorld", 1625602409535, "{}");
        assert!(sig.starts_with("t=1625602409535,v1="), "{sig}");
        // Recompute independently.
        let mac = hmac_sha256(b"HelloWorld", b"1625602409535.{}");
        let expected = base64::engine::general_purpose::STANDARD.encode(mac);
        assert_eq!(sig, format!("t=1625602409535,v1={expected}"));
    }

    #[test]
    fn loopback_urls() {
        assert!(loopback("http://127.0.0.1:8080/cb"));
        assert!(loopback("http://localhost/cb"));
        assert!(loopback("http://[::1]:9/x"));
        assert!(!loopback("http://www.callback.com"));
        assert!(!loopback("http://127.0.0.1.example.com/"));
    }
}
