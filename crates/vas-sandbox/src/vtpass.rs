//! VTpass: `https://sandbox.vtpass.com/api/` on loopback.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, Request, State as AxState};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use base64::Engine;
use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::json::num;
use crate::server::{Action, Shared, endpoint, json as answer, json_text, lock, with_action};
use crate::{SandboxConfig, Vendor, credentials};

const SPECTRANET_VARIATIONS: &str =
    include_str!("../../../fixtures/vtpass/spectranet-service-variations.response.json");
const ETISALAT_DATA_VARIATIONS: &str =
    include_str!("../../../fixtures/vtpass/etisalat-data-service-variations.response.json");

/// The documented Spectranet scenario numbers and the general sandbox success number.
pub(crate) const SUCCESS_PHONE: &str = "08011111111";
pub(crate) const SPECTRANET_SUCCESS: &str = "1212121212";
pub(crate) const PENDING: &str = "201000000000";
pub(crate) const UNEXPECTED: &str = "500000000000";
pub(crate) const NO_RESPONSE: &str = "400000000000";
pub(crate) const TIMEOUT: &str = "300000000000";
/// Documented merchant-verify numbers.
pub(crate) const SMARTCARD: &str = "1212121212";
pub(crate) const PREPAID_METER: &str = "1111111111111";
pub(crate) const POSTPAID_METER: &str = "1010101010101";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Priced by variation code (data bundles, TV bouquets).
    Variation,
    /// Priced by the `amount` sent (airtime, electricity).
    Amount,
}

struct Service {
    id: &'static str,
    name: &'static str,
    category: &'static str,
    kind: Kind,
    /// The documented variations response, served verbatim.
    variations: Option<&'static str>,
    min: i64,
    max: i64,
    /// Commission in percent.
    commission_pct: i64,
}

const SERVICES: &[Service] = &[
    Service {
        id: "spectranet",
        name: "Spectranet",
        category: "data",
        kind: Kind::Variation,
        variations: Some(SPECTRANET_VARIATIONS),
        min: 0,
        max: 1_000_000,
        commission_pct: 4,
    },
    Service {
        id: "etisalat-data",
        name: "9mobile Data",
        category: "data",
        kind: Kind::Variation,
        variations: Some(ETISALAT_DATA_VARIATIONS),
        min: 0,
        max: 1_000_000,
        commission_pct: 4,
    },
    Service {
        id: "mtn",
        name: "MTN Airtime VTU",
        category: "airtime",
        kind: Kind::Amount,
        variations: None,
        min: 50,
        max: 50_000,
        commission_pct: 3,
    },
    Service {
        id: "etisalat",
        name: "9mobile Airtime VTU",
        category: "airtime",
        kind: Kind::Amount,
        variations: None,
        min: 50,
        max: 50_000,
        commission_pct: 4,
    },
    Service {
        id: "ikeja-electric",
        name: "Ikeja Electric Payment - IKEDC",
        category: "electricity-bill",
        kind: Kind::Amount,
        variations: None,
        min: 500,
        max: 500_000,
        commission_pct: 1,
    },
    Service {
        id: "dstv",
        name: "DSTV Subscription",
        category: "tv-subscription",
        kind: Kind::Amount,
        variations: None,
        min: 1_000,
        max: 200_000,
        commission_pct: 1,
    },
];

fn service(id: &str) -> Option<&'static Service> {
    SERVICES.iter().find(|s| s.id == id)
}

/// The variations of a service, read from its documented example (`variations` or
/// `varations`).
fn variation(service: &Service, code: &str) -> Option<(String, Decimal)> {
    let doc: Value = serde_json::from_str(service.variations?).ok()?;
    let content = doc.get("content")?;
    let list = content.get("variations").or_else(|| content.get("varations"))?.as_array()?;
    list.iter().find(|v| v.get("variation_code").and_then(Value::as_str) == Some(code)).and_then(
        |v| {
            let name = v.get("name")?.as_str()?.to_string();
            let amount = match v.get("variation_amount")? {
                Value::String(s) => crate::json::parse_decimal(s)?,
                Value::Number(n) => crate::json::parse_decimal(&n.to_string())?,
                _ => return None,
            };
            Some((name, amount))
        },
    )
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Decided {
    Delivered,
    Failed,
    Pending,
}

struct Txn {
    request_id: String,
    product_name: &'static str,
    category: &'static str,
    unique_element: String,
    phone: String,
    unit_price: Decimal,
    quantity: i64,
    amount: Decimal,
    commission: Decimal,
    transaction_id: String,
    date: String,
    with_card: bool,
    is_token: bool,
    decided: Decided,
    settle_at: Option<Instant>,
}

impl Txn {
    fn status(&self, now: Instant) -> Decided {
        match (self.decided, self.settle_at) {
            (Decided::Pending, Some(at)) if now >= at => Decided::Delivered,
            (d, _) => d,
        }
    }
}

pub(crate) struct State {
    txns: HashMap<String, Txn>,
    balance: Decimal,
    seq: u64,
}

impl State {
    pub(crate) fn new(config: &SandboxConfig) -> State {
        State { txns: HashMap::new(), balance: config.vtpass_balance, seq: 0 }
    }
}

pub(crate) fn router(shared: &Arc<Shared>) -> Router {
    let v = Vendor::Vtpass;
    let fallback_shared = shared.clone();
    let api = Router::new()
        .route(
            "/service-categories",
            endpoint(shared, v, "service-categories", get(service_categories)),
        )
        .route("/services", endpoint(shared, v, "services", get(services)))
        .route("/service-variations", endpoint(shared, v, "service-variations", get(variations)))
        .route("/merchant-verify", endpoint(shared, v, "merchant-verify", post(merchant_verify)))
        .route("/pay", endpoint(shared, v, "pay", post(pay)))
        .route("/requery", endpoint(shared, v, "requery", post(requery)))
        .route("/balance", endpoint(shared, v, "balance", get(balance)));
    Router::new()
        .nest("/api", api)
        .fallback(move |req: Request| crate::server::unmatched(fallback_shared, v, req))
        .with_state(shared.clone())
}

fn authorized(headers: &HeaderMap, method: &Method) -> bool {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(auth) = header("authorization")
        && let Some(encoded) = auth.strip_prefix("Basic ").or_else(|| auth.strip_prefix("basic "))
    {
        let expected = format!("{}:{}", credentials::VTPASS_EMAIL, credentials::VTPASS_PASSWORD);
        return base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .is_ok_and(|d| d == expected.as_bytes());
    }
    if header("api-key") != Some(credentials::VTPASS_API_KEY) {
        return false;
    }
    if method == Method::GET {
        header("public-key") == Some(credentials::VTPASS_PUBLIC_KEY)
    } else {
        header("secret-key") == Some(credentials::VTPASS_SECRET_KEY)
    }
}

fn unauthorized() -> Response {
    answer(
        StatusCode::UNAUTHORIZED,
        &json!({"code": "087", "response_description": "INVALID CREDENTIALS"}),
    )
}

fn code(code: &str, description: &str) -> Response {
    answer(StatusCode::OK, &json!({"code": code, "response_description": description}))
}

/// Reads a POST body as JSON or, when so declared, as a form.
pub(crate) fn body_fields(headers: &HeaderMap, body: &[u8]) -> Option<Map<String, Value>> {
    let form = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.contains("x-www-form-urlencoded"));
    if form {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).ok()?;
        Some(pairs.into_iter().map(|(k, v)| (k, Value::String(v))).collect())
    } else {
        crate::json::parse_object(body)
    }
}

async fn service_categories(headers: HeaderMap) -> Response {
    if !authorized(&headers, &Method::GET) {
        return unauthorized();
    }
    let mut seen = Vec::new();
    for s in SERVICES {
        if !seen.contains(&s.category) {
            seen.push(s.category);
        }
    }
    let content: Vec<Value> =
        seen.iter().map(|c| json!({"identifier": c, "name": category_name(c)})).collect();
    answer(StatusCode::OK, &json!({"response_description": "000", "content": content}))
}

fn category_name(identifier: &str) -> &'static str {
    match identifier {
        "airtime" => "Airtime Recharge",
        "data" => "Data Services",
        "tv-subscription" => "TV Subscription",
        "electricity-bill" => "Electricity Bill",
        _ => "Other Services",
    }
}

async fn services(headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    if !authorized(&headers, &Method::GET) {
        return unauthorized();
    }
    let identifier = q.get("identifier").map(String::as_str).unwrap_or("");
    let content: Vec<Value> = SERVICES
        .iter()
        .filter(|s| s.category == identifier)
        .map(|s| {
            json!({
                "serviceID": s.id,
                "name": s.name,
                "minimium_amount": s.min.to_string(),
                "maximum_amount": s.max,
                "convinience_fee": "0 %",
                "product_type": if s.kind == Kind::Variation { "fix" } else { "flexible" },
                "image": format!("https://sandbox.vtpass.com/resources/products/200X200/{}.jpg", s.id),
            })
        })
        .collect();
    answer(StatusCode::OK, &json!({"response_description": "000", "content": content}))
}

async fn variations(headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    if !authorized(&headers, &Method::GET) {
        return unauthorized();
    }
    let id = q.get("serviceID").map(String::as_str).unwrap_or("");
    match service(id).and_then(|s| s.variations) {
        Some(doc) => json_text(StatusCode::OK, doc.to_string()),
        None => code("012", "PRODUCT DOES NOT EXIST"),
    }
}

async fn merchant_verify(headers: HeaderMap, body: Bytes) -> Response {
    if !authorized(&headers, &Method::POST) {
        return unauthorized();
    }
    let Some(fields) = body_fields(&headers, &body) else {
        return code("011", "INVALID ARGUMENTS");
    };
    let text = |k: &str| crate::json::text(&fields, k).unwrap_or_default();
    let (billers_code, service_id, kind) = (text("billersCode"), text("serviceID"), text("type"));
    if billers_code.is_empty() || service_id.is_empty() {
        return code("011", "INVALID ARGUMENTS");
    }
    let content = match service_id.as_str() {
        "dstv" | "gotv" | "startimes" => {
            if billers_code == SMARTCARD {
                json!({
                    "Customer_Name": "TEST SANDBOX CUSTOMER",
                    "Status": "ACTIVE",
                    "Due_Date": "2030-12-31T00:00:00",
                    "Customer_Number": 275953782,
                    "Customer_Type": "DSTV",
                    "Current_Bouquet": "DStv Compact",
                    "Renewal_Amount": 19000,
                    "WrongBillersCode": false
                })
            } else {
                json!({"error": "This smartcard number is not valid. Please check and try again", "WrongBillersCode": true})
            }
        }
        s if s.ends_with("-electric") => {
            let expected = match kind.to_ascii_lowercase().as_str() {
                "prepaid" => Some(PREPAID_METER),
                "postpaid" => Some(POSTPAID_METER),
                _ => None,
            };
            match expected {
                Some(meter) if meter == billers_code => json!({
                    "Customer_Name": "TEST SANDBOX METER",
                    "Address": "1 Sandbox Close, Ikeja, Lagos",
                    "Meter_Number": billers_code,
                    "Customer_Account_Type": kind.to_ascii_uppercase(),
                    "Meter_Type": kind.to_ascii_uppercase(),
                    "Customer_District": "Ikeja",
                    "Min_Purchase_Amount": 500,
                    "WrongBillersCode": false
                }),
                None => return code("011", "INVALID ARGUMENTS"),
                Some(_) => json!({
                    "error": format!("This meter is not correct or is not a valid {} meter. Please check and try again", kind.to_ascii_lowercase()),
                    "WrongBillersCode": true
                }),
            }
        }
        _ => return code("012", "PRODUCT DOES NOT EXIST"),
    };
    answer(StatusCode::OK, &json!({"code": "000", "content": content}))
}

async fn balance(AxState(shared): AxState<Arc<Shared>>, headers: HeaderMap) -> Response {
    if !authorized(&headers, &Method::GET) {
        return unauthorized();
    }
    let balance = lock(&shared.vtpass).balance;
    answer(StatusCode::OK, &json!({"code": 1, "contents": {"balance": num(balance)}}))
}

/// `YYYYMMDDHHmm` (a real date and time) followed by letters and digits, 12+ characters.
pub(crate) fn valid_request_id(id: &str) -> bool {
    let Some(head) = id.get(..12) else { return false };
    head.bytes().all(|b| b.is_ascii_digit())
        && chrono::NaiveDateTime::parse_from_str(head, "%Y%m%d%H%M").is_ok()
        && id.bytes().skip(12).all(|b| b.is_ascii_alphanumeric())
}

fn lagos_now() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(1)).format("%Y-%m-%d %H:%M:%S%.6f").to_string()
}

async fn pay(AxState(shared): AxState<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    if !authorized(&headers, &Method::POST) {
        return unauthorized();
    }
    let Some(fields) = body_fields(&headers, &body) else {
        return code("011", "INVALID ARGUMENTS");
    };
    let text = |k: &str| crate::json::text(&fields, k).unwrap_or_default();
    let request_id = text("request_id");
    if request_id.is_empty() {
        return code("011", "INVALID ARGUMENTS: request_id is required");
    }
    if !valid_request_id(&request_id) {
        return code("085", "IMPROPER REQUEST ID: it must start with YYYYMMDDHHmm (Africa/Lagos)");
    }
    let Some(service) = service(&text("serviceID")) else {
        return code("012", "PRODUCT DOES NOT EXIST");
    };
    let billers_code = text("billersCode");
    let phone = text("phone");
    if phone.is_empty() || (service.kind == Kind::Variation && billers_code.is_empty()) {
        return code("011", "INVALID ARGUMENTS");
    }
    let quantity = match fields.get("quantity") {
        None | Some(Value::Null) => 1,
        Some(_) => match text("quantity").parse::<i64>() {
            Ok(q) if (1..=10).contains(&q) => q,
            _ => return code("031", "QUANTITY OUT OF RANGE"),
        },
    };
    let (_variation_name, unit_price) = match service.kind {
        Kind::Variation => match variation(service, &text("variation_code")) {
            Some((name, price)) => (name, price),
            None => return code("010", "VARIATION CODE DOES NOT EXIST"),
        },
        Kind::Amount => match crate::json::decimal(&fields, "amount") {
            Some(a) if a < Decimal::from(service.min) => {
                return code("013", "BELOW MINIMUM AMOUNT ALLOWED");
            }
            Some(a) if a > Decimal::from(service.max) => {
                return code("017", "ABOVE MAXIMUM AMOUNT ALLOWED");
            }
            Some(a) => (service.name.to_string(), a),
            None => return code("011", "INVALID ARGUMENTS: amount is required"),
        },
    };
    let amount = unit_price * Decimal::from(quantity);
    let commission =
        (amount * Decimal::from(service.commission_pct) / Decimal::from(100)).round_dp(2);
    let unique_element = if billers_code.is_empty() { phone.clone() } else { billers_code };
    let trigger = unique_element.as_str();
    let (decided, action) = match trigger {
        SUCCESS_PHONE | SPECTRANET_SUCCESS | PREPAID_METER | POSTPAID_METER => {
            (Decided::Delivered, None)
        }
        PENDING => (Decided::Pending, None),
        UNEXPECTED => (Decided::Delivered, Some("unexpected")),
        NO_RESPONSE => (Decided::Delivered, Some("drop")),
        TIMEOUT => (Decided::Delivered, Some("timeout")),
        _ if phone == SUCCESS_PHONE => (Decided::Delivered, None),
        _ => (Decided::Failed, None),
    };
    let now = Instant::now();
    let response = {
        let mut state = lock(&shared.vtpass);
        if state.txns.contains_key(&request_id) {
            return code("014", "REQUEST ID ALREADY EXIST");
        }
        let cost = amount - commission;
        if decided != Decided::Failed && state.balance < cost {
            return code("018", "LOW WALLET BALANCE");
        }
        if decided != Decided::Failed {
            state.balance -= cost;
        }
        state.seq += 1;
        let txn = Txn {
            request_id: request_id.clone(),
            product_name: service.name,
            category: service.category,
            unique_element: unique_element.clone(),
            phone,
            unit_price,
            quantity,
            amount,
            commission,
            transaction_id: format!("{}{:08}", chrono::Utc::now().timestamp_millis(), state.seq),
            date: lagos_now(),
            with_card: service.id == "spectranet",
            is_token: service.category == "electricity-bill",
            decided,
            settle_at: (decided == Decided::Pending).then(|| now + shared.config.settle_after),
        };
        let body = txn_response(&txn, txn.status(now));
        state.txns.insert(request_id.clone(), txn);
        body
    };
    match action {
        None => answer(StatusCode::OK, &response),
        Some("unexpected") => answer(
            StatusCode::OK,
            &json!({"code": "999", "response_description": "UNEXPECTED RESPONSE FROM PROVIDER", "requestId": request_id, "content": {"errors": []}}),
        ),
        Some("drop") => with_action(answer(StatusCode::OK, &response), Action::Drop),
        Some(_) => with_action(
            answer(StatusCode::OK, &response),
            Action::Delay(shared.config.timeout_delay),
        ),
    }
}

async fn requery(
    AxState(shared): AxState<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !authorized(&headers, &Method::POST) {
        return unauthorized();
    }
    let Some(fields) = body_fields(&headers, &body) else {
        return code("011", "INVALID ARGUMENTS");
    };
    let request_id = crate::json::text(&fields, "request_id").unwrap_or_default();
    let state = lock(&shared.vtpass);
    match state.txns.get(&request_id) {
        Some(txn) => answer(StatusCode::OK, &txn_response(txn, txn.status(Instant::now()))),
        None => code("015", "INVALID REQUEST ID"),
    }
}

fn txn_response(txn: &Txn, status: Decided) -> Value {
    let (code, description, status_text) = match status {
        Decided::Delivered => ("000", "TRANSACTION SUCCESSFUL", "delivered"),
        Decided::Pending => ("099", "TRANSACTION IS PROCESSING", "pending"),
        Decided::Failed => ("016", "TRANSACTION FAILED", "failed"),
    };
    let delivered = status == Decided::Delivered;
    let digits: String = txn.transaction_id.chars().rev().take(8).collect();
    let pin = format!("0{}", &digits[..digits.len().min(7)]);
    let serial = txn.transaction_id.chars().skip(4).take(8).collect::<String>();
    let purchased_code = if !delivered {
        String::new()
    } else if txn.with_card {
        format!("PIN: {pin}, S/N:{serial}")
    } else if txn.is_token {
        format!(
            "Token : 4567 8901 2345 {}",
            &txn.transaction_id[txn.transaction_id.len().saturating_sub(8)..]
        )
    } else {
        String::new()
    };
    let mut body = json!({
        "code": code,
        "content": {
            "transactions": {
                "status": status_text,
                "product_name": txn.product_name,
                "unique_element": txn.unique_element,
                "unit_price": num(txn.unit_price),
                "quantity": txn.quantity,
                "service_verification": null,
                "channel": "api",
                "commission": num(txn.commission),
                "total_amount": num(txn.amount - txn.commission),
                "discount": null,
                "type": category_name(txn.category),
                "email": credentials::VTPASS_EMAIL,
                "phone": txn.phone,
                "name": null,
                "convinience_fee": 0,
                "amount": num(txn.amount),
                "platform": "api",
                "method": "api",
                "transactionId": txn.transaction_id,
            }
        },
        "response_description": description,
        "requestId": txn.request_id,
        "amount": format!("{:.2}", txn.amount),
        "transaction_date": {
            "date": txn.date,
            "timezone_type": 3,
            "timezone": "Africa/Lagos"
        },
        "purchased_code": purchased_code,
    });
    if txn.with_card
        && delivered
        && let Some(map) = body.as_object_mut()
    {
        map.insert(
                "cards".into(),
                json!([{"serialNumber": serial, "pin": pin, "expiresOn": "2040-10-12", "value": num(txn.unit_price)}]),
            );
    }
    body
}
