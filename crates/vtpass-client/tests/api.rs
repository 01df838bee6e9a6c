//! The client against a local mock of the VTpass API (httpmock on 127.0.0.1; no internet).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use httpmock::prelude::*;
use rust_decimal_macros::dec;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use vas_common::Outcome;
use vtpass_client::{
    Client, ConfirmOptions, Detail, Error, NoAnswer, PayRequest, RequestId, ServiceId,
    classify_pay_result,
};

const EMAIL: &str = "sandbox@example.com";
const PASSWORD: &str = "pw-HUNTER2-do-not-print";
const API_KEY: &str = "ak-0123456789-do-not-print";
const PUBLIC_KEY: &str = "PK_public-do-not-print";
const SECRET_KEY: &str = "SK_secret-do-not-print";
const PIN: &str = "08999186";

/// The Spectranet sandbox phone numbers, as documented.
const SUCCESS: &str = "1212121212";
const PENDING: &str = "201000000000";
const UNEXPECTED: &str = "500000000000";
const NO_RESPONSE: &str = "400000000000";
const TIMEOUT: &str = "300000000000";
const FAILED: &str = "08022222222";

/// The request id of [`spectranet`]'s payments.
const REQUEST_ID: &str = "202204041008ksemeoqykrmt";

/// A fixture; a `requestId` in it names [`REQUEST_ID`], as VTpass echoes the payment's id.
fn fixture(name: &str) -> Value {
    let mut v = vas_common::testing::load("vtpass", name);
    if let Some(id) = v.get_mut("requestId") {
        *id = REQUEST_ID.into();
    }
    v
}

fn delivered() -> Value {
    fixture("spectranet-requery.response.json")
}

fn pending_body() -> Value {
    let mut v = fixture("spectranet-pay.response.json");
    v["code"] = "099".into();
    v["response_description"] = "TRANSACTION PROCESSING - PENDING".into();
    v["content"]["transactions"]["status"] = "pending".into();
    v["purchased_code"] = "".into();
    v.as_object_mut().unwrap().remove("cards");
    v
}

fn failed_body() -> Value {
    let mut v = fixture("spectranet-pay.response.json");
    v["code"] = "016".into();
    v["response_description"] = "TRANSACTION FAILED".into();
    v["content"]["transactions"]["status"] = "failed".into();
    v["purchased_code"] = "".into();
    v.as_object_mut().unwrap().remove("cards");
    v
}

fn client_for(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .basic_auth(EMAIL, PASSWORD)
        .timeout(Duration::from_millis(400))
        .connect_timeout(Duration::from_millis(400))
        .read_retries(0)
        .build()
        .unwrap()
}

fn client(server: &MockServer) -> Client {
    client_for(&server.url("/api/"))
}

fn fast() -> ConfirmOptions {
    ConfirmOptions {
        backoff: vas_common::Backoff::new(Duration::from_millis(10))
            .max_delay(Duration::from_millis(20))
            .no_jitter(),
        deadline: Duration::from_secs(3),
    }
}

fn spectranet(phone: &str) -> PayRequest {
    PayRequest::builder(ServiceId::SPECTRANET)
        .request_id(RequestId::parse("202204041008ksemeoqykrmt").unwrap())
        .billers_code(phone)
        .variation_code("vt-1000")
        .amount(dec!(1000))
        .quantity(1)
        .phone(phone)
        .build()
        .unwrap()
}

/// Mocks the sandbox's `pay` for one scenario phone number.
async fn pay_mock<'a>(
    server: &'a MockServer,
    phone: &str,
    status: u16,
    body: &str,
    delay: Duration,
) -> httpmock::Mock<'a> {
    let phone = phone.to_owned();
    let body = body.to_owned();
    server
        .mock_async(move |when, then| {
            when.method(POST)
                .path("/api/pay")
                .json_body_includes(json!({ "phone": phone }).to_string());
            then.status(status).header("content-type", "application/json").body(body).delay(delay);
        })
        .await
}

async fn requery_mock<'a>(server: &'a MockServer, body: Value) -> httpmock::Mock<'a> {
    server
        .mock_async(move |when, then| {
            when.method(POST)
                .path("/api/requery")
                .json_body(json!({"request_id": "202204041008ksemeoqykrmt"}));
            then.status(200).json_body(body);
        })
        .await
}

// ---------------------------------------------------------------------------------------------
// The six sandbox scenarios of the Spectranet page.

#[tokio::test]
async fn scenario_success_is_delivered_without_requery() {
    let server = MockServer::start_async().await;
    let pay = pay_mock(&server, SUCCESS, 200, &delivered().to_string(), Duration::ZERO).await;
    let requery = requery_mock(&server, delivered()).await;
    let c = client(&server);

    let r = c.pay(&spectranet(SUCCESS)).await;
    let class = classify_pay_result(&r);
    assert_eq!(class.outcome, Outcome::Delivered);
    assert_eq!(class.detail, Detail::Delivered);

    let done = c.purchase_and_confirm(&spectranet(SUCCESS), &fast()).await.unwrap();
    assert_eq!(done.outcome, Outcome::Delivered);
    assert_eq!(done.requeries, 0);
    assert_eq!(pay.calls_async().await, 2);
    assert_eq!(requery.calls_async().await, 0);
}

#[tokio::test]
async fn scenario_failed_is_failed_without_requery() {
    let server = MockServer::start_async().await;
    let pay = pay_mock(&server, FAILED, 200, &failed_body().to_string(), Duration::ZERO).await;
    let requery = requery_mock(&server, delivered()).await;
    let c = client(&server);

    let class = classify_pay_result(&c.pay(&spectranet(FAILED)).await);
    assert_eq!(class.outcome, Outcome::Failed);
    assert_eq!(class.detail, Detail::Failed);

    let done = c.purchase_and_confirm(&spectranet(FAILED), &fast()).await.unwrap();
    assert_eq!(done.outcome, Outcome::Failed);
    assert_eq!(pay.calls_async().await, 2);
    assert_eq!(requery.calls_async().await, 0);
}

#[tokio::test]
async fn scenario_pending_pays_once_then_requeries() {
    let server = MockServer::start_async().await;
    let pay = pay_mock(&server, PENDING, 200, &pending_body().to_string(), Duration::ZERO).await;
    let c = client(&server);

    let class = classify_pay_result(&c.pay(&spectranet(PENDING)).await);
    assert_eq!(class.outcome, Outcome::Pending);
    assert_eq!(class.detail, Detail::Processing);
    pay.delete_async().await;

    let pay = pay_mock(&server, PENDING, 200, &pending_body().to_string(), Duration::ZERO).await;
    let requery = requery_mock(&server, delivered()).await;
    let done = c.purchase_and_confirm(&spectranet(PENDING), &fast()).await.unwrap();
    assert_eq!(done.outcome, Outcome::Delivered);
    assert_eq!(done.request_id.as_str(), "202204041008ksemeoqykrmt");
    assert_eq!(pay.calls_async().await, 1, "exactly one payment");
    assert_eq!(requery.calls_async().await, 1);
    assert_eq!(done.requeries, 1);
}

#[tokio::test]
async fn scenario_unexpected_response_is_unknown_then_requeried() {
    for body in [
        // A code the documentation does not list.
        r#"{"code":"0X7","response_description":"SOMETHING UNEXPECTED"}"#,
        // Not a VTpass answer at all.
        "<html><body>502 Bad Gateway</body></html>",
        // Truncated JSON.
        r#"{"code":"000","content":{"transactions":{"status":"deliv"#,
    ] {
        let server = MockServer::start_async().await;
        let pay = pay_mock(&server, UNEXPECTED, 200, body, Duration::ZERO).await;
        let c = client(&server);
        let r = c.pay(&spectranet(UNEXPECTED)).await;
        let class = classify_pay_result(&r);
        assert_eq!(class.outcome, Outcome::Unknown, "{body}");
        if let Err(e) = &r {
            assert!(matches!(e, Error::Decode { .. }), "{e:?}");
            assert_eq!(e.raw_body().unwrap().as_str(), body, "the raw body is kept");
        }
        pay.delete_async().await;

        let pay = pay_mock(&server, UNEXPECTED, 200, body, Duration::ZERO).await;
        let requery = requery_mock(&server, delivered()).await;
        let done = c.purchase_and_confirm(&spectranet(UNEXPECTED), &fast()).await.unwrap();
        assert_eq!(done.outcome, Outcome::Delivered, "{body}");
        assert_eq!(pay.calls_async().await, 1, "exactly one payment");
        assert_eq!(requery.calls_async().await, 1);
    }
}

#[tokio::test]
async fn scenario_timeout_is_unknown_then_requeried() {
    let server = MockServer::start_async().await;
    let slow = Duration::from_millis(1500);
    let pay = pay_mock(&server, TIMEOUT, 200, &delivered().to_string(), slow).await;
    let c = client(&server);

    let r = c.pay(&spectranet(TIMEOUT)).await;
    let e = r.as_ref().unwrap_err();
    assert!(e.is_timeout() && e.maybe_sent(), "{e:?}");
    let class = classify_pay_result(&r);
    assert_eq!(class.outcome, Outcome::Unknown);
    assert_eq!(class.detail, Detail::NoAnswer(NoAnswer::TimedOut));
    pay.delete_async().await;

    let pay = pay_mock(&server, TIMEOUT, 200, &delivered().to_string(), slow).await;
    let requery = requery_mock(&server, delivered()).await;
    let done = c.purchase_and_confirm(&spectranet(TIMEOUT), &fast()).await.unwrap();
    assert_eq!(done.outcome, Outcome::Delivered);
    assert!(done.pay_error.as_ref().is_some_and(Error::is_timeout));
    assert_eq!(pay.calls_async().await, 1, "exactly one payment");
    assert_eq!(requery.calls_async().await, 1);
}

/// A tiny server that reads each request and, for `pay`, closes the connection without an
/// answer (what httpmock cannot do); `requery` gets a delivered answer.
struct Hangup {
    base: String,
    pays: Arc<AtomicUsize>,
    requeries: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Hangup {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn read_request(sock: &mut tokio::net::TcpStream) -> Option<(String, String)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf).to_string();
        if let Some(end) = text.find("\r\n\r\n") {
            let head = &text[..end];
            let len = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length").then(|| v.trim().parse().ok())?
                })
                .unwrap_or(0usize);
            if buf.len() >= end + 4 + len {
                let line = head.lines().next().unwrap_or_default().to_owned();
                let body = text[end + 4..].to_owned();
                return Some((line, body));
            }
        }
    }
}

async fn hangup_server() -> Hangup {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/api/", listener.local_addr().unwrap());
    let pays = Arc::new(AtomicUsize::new(0));
    let requeries = Arc::new(AtomicUsize::new(0));
    let (p, q) = (pays.clone(), requeries.clone());
    let task = tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else { return };
            let (p, q) = (p.clone(), q.clone());
            tokio::spawn(async move {
                while let Some((line, _body)) = read_request(&mut sock).await {
                    if line.starts_with("POST /api/pay ") {
                        p.fetch_add(1, Ordering::SeqCst);
                        return; // drop the socket: no answer at all
                    }
                    q.fetch_add(1, Ordering::SeqCst);
                    let body = delivered().to_string();
                    let resp = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if sock.write_all(resp.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    Hangup { base, pays, requeries, task }
}

#[tokio::test]
async fn scenario_no_response_is_unknown_then_requeried() {
    let server = hangup_server().await;
    let c = client_for(&server.base);

    let r = c.pay(&spectranet(NO_RESPONSE)).await;
    let e = r.as_ref().unwrap_err();
    assert!(matches!(e, Error::Interrupted { .. }), "{e:?}");
    assert!(e.maybe_sent());
    let class = classify_pay_result(&r);
    assert_eq!(class.outcome, Outcome::Unknown);
    assert_eq!(class.detail, Detail::NoAnswer(NoAnswer::Interrupted));
    assert_eq!(server.pays.load(Ordering::SeqCst), 1);

    let done = c.purchase_and_confirm(&spectranet(NO_RESPONSE), &fast()).await.unwrap();
    assert_eq!(done.outcome, Outcome::Delivered);
    assert_eq!(server.pays.load(Ordering::SeqCst), 2, "exactly one more payment");
    assert_eq!(server.requeries.load(Ordering::SeqCst), 1);
    assert_eq!(done.requeries, 1);
}

// ---------------------------------------------------------------------------------------------
// purchase_and_confirm beyond the scenarios.

#[tokio::test]
async fn still_pending_at_the_deadline_returns_pending_with_the_request_id() {
    let server = MockServer::start_async().await;
    let pay = pay_mock(&server, PENDING, 200, &pending_body().to_string(), Duration::ZERO).await;
    let requery = requery_mock(&server, pending_body()).await;
    let c = client(&server);
    let opts = ConfirmOptions { deadline: Duration::from_millis(300), ..fast() };
    let done = c.purchase_and_confirm(&spectranet(PENDING), &opts).await.unwrap();
    assert_eq!(done.outcome, Outcome::Pending);
    assert_eq!(done.request_id.as_str(), "202204041008ksemeoqykrmt");
    assert_eq!(done.classification.detail, Detail::Processing);
    assert_eq!(pay.calls_async().await, 1, "never a second payment");
    assert!(done.requeries >= 2);
    assert_eq!(requery.calls_async().await, done.requeries as usize);
}

#[tokio::test]
async fn a_5xx_payment_is_unknown_and_never_repeated() {
    let server = MockServer::start_async().await;
    let pay = pay_mock(&server, SUCCESS, 503, "Service Unavailable", Duration::ZERO).await;
    let requery = requery_mock(&server, delivered()).await;
    let c = Client::builder()
        .base_url(server.url("/api"))
        .basic_auth(EMAIL, PASSWORD)
        .read_retries(3)
        .retry_delay(Duration::from_millis(1))
        .build()
        .unwrap();
    let r = c.pay(&spectranet(SUCCESS)).await;
    assert_eq!(r.as_ref().unwrap_err().status(), Some(503));
    assert_eq!(classify_pay_result(&r).outcome, Outcome::Unknown);
    assert_eq!(pay.calls_async().await, 1, "a payment is never retried");
    let done = c.purchase_and_confirm(&spectranet(SUCCESS), &fast()).await.unwrap();
    assert_eq!(done.outcome, Outcome::Delivered);
    assert_eq!(pay.calls_async().await, 2);
    assert_eq!(requery.calls_async().await, 1);
}

#[tokio::test]
async fn a_redirected_payment_is_not_followed_and_is_unknown() {
    // reqwest follows redirects by default, and a 307 or 308 keeps the method and body: the
    // payment would be sent a second time, to the redirect's address.
    for status in [301, 302, 303, 307, 308] {
        let server = MockServer::start_async().await;
        let pay = server
            .mock_async(|when, then| {
                when.method(POST).path("/api/pay");
                then.status(status).header("location", "/elsewhere/pay");
            })
            .await;
        let elsewhere = server
            .mock_async(|when, then| {
                when.path("/elsewhere/pay");
                then.status(200).json_body(delivered());
            })
            .await;
        let requery = requery_mock(&server, pending_body()).await;
        let c = client(&server);
        let r = c.pay(&spectranet(SUCCESS)).await;
        assert_eq!(r.as_ref().unwrap_err().status(), Some(status), "{status}: {r:?}");
        assert_eq!(classify_pay_result(&r).outcome, Outcome::Unknown, "{status}");
        let done = c.purchase_and_confirm(&spectranet(SUCCESS), &fast_short()).await.unwrap();
        assert_eq!(done.outcome, Outcome::Pending, "{status}");
        assert_eq!(pay.calls_async().await, 2, "{status}");
        assert_eq!(elsewhere.calls_async().await, 0, "{status}: the redirect was followed");
        assert!(requery.calls_async().await >= 1, "{status}");
    }
}

#[tokio::test]
async fn an_answer_about_another_request_id_is_never_final() {
    let mut other = delivered();
    other["requestId"] = "202204041008someoneelse".into();
    let server = MockServer::start_async().await;
    let pay = pay_mock(&server, SUCCESS, 200, &other.to_string(), Duration::ZERO).await;
    let requery = requery_mock(&server, other.clone()).await;
    let c = client(&server);

    let r = c.pay(&spectranet(SUCCESS)).await;
    let e = r.as_ref().unwrap_err();
    assert!(matches!(e, Error::Decode { path, .. } if path == "requestId"), "{e:?}");
    assert!(e.maybe_sent());
    assert_eq!(classify_pay_result(&r).outcome, Outcome::Unknown);
    let r = c.requery(&RequestId::parse(REQUEST_ID).unwrap()).await;
    assert_eq!(vtpass_client::classify_requery_result(&r).outcome, Outcome::Unknown);

    // Paid once, then asked until the answer is about this payment.
    let done = c.purchase_and_confirm(&spectranet(SUCCESS), &fast_short()).await.unwrap();
    assert_eq!(done.outcome, Outcome::Pending);
    requery.delete_async().await;
    let requery = requery_mock(&server, delivered()).await;
    let done = c.purchase_and_confirm(&spectranet(SUCCESS), &fast()).await.unwrap();
    assert_eq!(done.outcome, Outcome::Delivered);
    assert_eq!((pay.calls_async().await, requery.calls_async().await), (3, 1));

    // An all-digit request id echoed as a JSON number is the same id.
    let digits = RequestId::parse("202204041008123456").unwrap();
    let mut body = delivered();
    body["requestId"] = json!(202204041008123456_u64);
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/api/requery");
            then.status(200).json_body(body);
        })
        .await;
    let r = client(&server).requery(&digits).await;
    assert_eq!(vtpass_client::classify_requery_result(&r).outcome, Outcome::Delivered, "{r:?}");

    // An echo with surrounding blanks, or an empty one, is not a mismatch.
    for echo in [format!(" {REQUEST_ID} "), String::new()] {
        let mut body = delivered();
        body["requestId"] = echo.clone().into();
        let server = MockServer::start_async().await;
        pay_mock(&server, SUCCESS, 200, &body.to_string(), Duration::ZERO).await;
        let r = client(&server).pay(&spectranet(SUCCESS)).await;
        assert_eq!(classify_pay_result(&r).outcome, Outcome::Delivered, "{echo:?}");
    }
}

#[tokio::test]
async fn an_answer_after_a_redirect_followed_by_an_injected_client_is_unknown() {
    // An injected reqwest::Client built without `redirect::Policy::none()` follows a 307 and
    // sends the payment again: its answer cannot settle the payment.
    let server = MockServer::start_async().await;
    let pay = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/pay");
            then.status(307).header("location", "/elsewhere/pay");
        })
        .await;
    let elsewhere = server
        .mock_async(|when, then| {
            when.path("/elsewhere/pay");
            then.status(200).json_body(delivered());
        })
        .await;
    let c = Client::builder()
        .base_url(server.url("/api/"))
        .basic_auth(EMAIL, PASSWORD)
        .http_client(reqwest::Client::new())
        .build()
        .unwrap();
    let r = c.pay(&spectranet(SUCCESS)).await;
    assert_eq!((pay.calls_async().await, elsewhere.calls_async().await), (1, 1));
    assert!(matches!(r, Err(Error::Decode { .. })), "{r:?}");
    assert_eq!(classify_pay_result(&r).outcome, Outcome::Unknown);
    // An answer that came straight from the address asked is believed as usual.
    let requery = requery_mock(&server, delivered()).await;
    let r = c.requery(&RequestId::parse(REQUEST_ID).unwrap()).await;
    assert_eq!(vtpass_client::classify_requery_result(&r).outcome, Outcome::Delivered);
    assert_eq!(requery.calls_async().await, 1);
}

fn fast_short() -> ConfirmOptions {
    ConfirmOptions { deadline: Duration::from_millis(60), ..fast() }
}

#[tokio::test]
async fn a_reversal_found_by_requery_is_failed_with_reversal_detail() {
    let server = MockServer::start_async().await;
    let pay = pay_mock(&server, PENDING, 200, &pending_body().to_string(), Duration::ZERO).await;
    let mut reversed = delivered();
    reversed["code"] = "040".into();
    reversed["content"]["transactions"]["status"] = "reversed".into();
    let requery = requery_mock(&server, reversed).await;
    let done = client(&server).purchase_and_confirm(&spectranet(PENDING), &fast()).await.unwrap();
    assert_eq!(done.outcome, Outcome::Failed);
    assert_eq!(done.classification.detail, Detail::Reversed);
    assert_eq!((pay.calls_async().await, requery.calls_async().await), (1, 1));
}

#[tokio::test]
async fn nothing_sent_is_an_error_not_an_outcome() {
    // A port with nothing listening: the connection is refused, the payment never left.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let c = client_for(&format!("http://127.0.0.1:{port}/api/"));
    let e = c.purchase_and_confirm(&spectranet(SUCCESS), &fast()).await.unwrap_err();
    assert!(matches!(e, Error::NotSent { endpoint: "pay", .. }), "{e:?}");
    assert!(!e.maybe_sent());
}

// ---------------------------------------------------------------------------------------------
// Input checked before sending.

#[tokio::test]
async fn bad_input_is_rejected_before_any_request() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(delivered());
        })
        .await;
    let c = client(&server);

    // A caller-supplied malformed request id.
    for bad in ["", "12345", "abcdefghijklmnop", "202213011200abc", "202201011200ab-c"] {
        let e = RequestId::parse(bad).unwrap_err();
        assert!(matches!(e, Error::InvalidInput { field: "request_id", .. }), "{bad}: {e:?}");
        assert!(bad.parse::<RequestId>().is_err());
        assert!(serde_json::from_value::<RequestId>(json!(bad)).is_err());
    }

    // An empty serviceID, however it was made.
    let empty = ServiceId::from_static("");
    assert!(matches!(
        ServiceId::new("").unwrap_err(),
        Error::InvalidInput { field: "serviceID", .. }
    ));
    let e = PayRequest::builder(empty.clone()).phone("08011111111").build().unwrap_err();
    assert!(matches!(e, Error::InvalidInput { field: "serviceID", .. }), "{e:?}");
    let e = c.service_variations(&empty).await.unwrap_err();
    assert!(matches!(e, Error::InvalidInput { field: "serviceID", .. }), "{e:?}");
    let e = c.options(&empty, "passport").await.unwrap_err();
    assert!(matches!(e, Error::InvalidInput { field: "serviceID", .. }), "{e:?}");
    assert!(vtpass_client::VerifyRequest::new(empty, "1212121212").is_err());

    // A negative (or zero, or sub-kobo) amount.
    for amount in [dec!(-1000), dec!(-0.01), dec!(0), dec!(10.001)] {
        let e = PayRequest::builder(ServiceId::MTN)
            .phone("08011111111")
            .amount(amount)
            .build()
            .unwrap_err();
        assert!(matches!(e, Error::InvalidInput { field: "amount", .. }), "{amount}: {e:?}");
    }

    // Other fields.
    for (phone, field) in [("0801-111", "phone"), ("", "phone"), ("0801111111a", "phone")] {
        let e = PayRequest::builder(ServiceId::MTN).phone(phone).build().unwrap_err();
        assert!(matches!(e, Error::InvalidInput { field: f, .. } if f == field), "{e:?}");
    }
    let e = PayRequest::builder(ServiceId::MTN).phone("08011111111").quantity(0).build();
    assert!(e.is_err());
    let e = PayRequest::builder(ServiceId::DSTV).phone("08011111111").billers_code(" ").build();
    assert!(e.is_err());
    // A number with blanks around it would be sent as is: refused, naming the field.
    let e = PayRequest::builder(ServiceId::DSTV)
        .phone("08011111111")
        .billers_code("1212121212 ")
        .build()
        .unwrap_err();
    assert!(matches!(e, Error::InvalidInput { field: "billersCode", .. }), "{e:?}");
    let e = PayRequest::builder(ServiceId::DSTV)
        .phone("08011111111")
        .billers_code("1212121212")
        .variation_code(" dstv-padi")
        .build()
        .unwrap_err();
    assert!(matches!(e, Error::InvalidInput { field: "variation_code", .. }), "{e:?}");
    let e = PayRequest::builder(ServiceId::MTN).phone("08011111111").field("amount", "1").build();
    assert!(e.is_err(), "an extra field cannot override a checked one");
    assert!(c.services(" ").await.is_err());

    assert_eq!(any.calls_async().await, 0, "nothing was sent");
}

// ---------------------------------------------------------------------------------------------
// Authentication.

#[tokio::test]
async fn basic_auth_is_sent_on_get_and_post() {
    let server = MockServer::start_async().await;
    let expected = format!("Basic {}", base64_encode(format!("{EMAIL}:{PASSWORD}").as_bytes()));
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/service-variations")
                .query_param("serviceID", "spectranet")
                .header("authorization", expected.clone())
                .header_missing("api-key")
                .header_missing("public-key")
                .header_missing("secret-key");
            then.status(200).json_body(fixture("spectranet-service-variations.response.json"));
        })
        .await;
    let post = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/requery")
                .header("authorization", expected.clone())
                .header("content-type", "application/json")
                .header_missing("api-key");
            then.status(200).json_body(delivered());
        })
        .await;
    let c = client(&server);
    let v = c.service_variations(&ServiceId::SPECTRANET).await.unwrap();
    assert_eq!(v.variations().len(), 2);
    let id = RequestId::parse("202204041008ksemeoqykrmt").unwrap();
    c.requery(&id).await.unwrap();
    assert_eq!((get.calls_async().await, post.calls_async().await), (1, 1));
}

#[tokio::test]
async fn api_keys_send_public_key_on_get_and_secret_key_on_post() {
    let server = MockServer::start_async().await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/balance")
                .header("api-key", API_KEY)
                .header("public-key", PUBLIC_KEY)
                .header_missing("secret-key")
                .header_missing("authorization");
            then.status(200).json_body(json!({"code": 1, "contents": {"balance": 4000.5}}));
        })
        .await;
    let post = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/pay")
                .header("api-key", API_KEY)
                .header("secret-key", SECRET_KEY)
                .header_missing("public-key")
                .header_missing("authorization")
                .json_body(json!({
                    "request_id": "202204041008ksemeoqykrmt",
                    "serviceID": "spectranet",
                    "billersCode": SUCCESS,
                    "variation_code": "vt-1000",
                    "amount": 1000,
                    "phone": SUCCESS,
                    "quantity": 1
                }));
            then.status(200).json_body(delivered());
        })
        .await;
    let c = Client::builder()
        .base_url(server.url("/api/"))
        .api_keys(API_KEY, PUBLIC_KEY, SECRET_KEY)
        .build()
        .unwrap();
    let b = c.balance().await.unwrap();
    assert_eq!(b.balance(), Some(dec!(4000.5)));
    let r = c.pay(&spectranet(SUCCESS)).await.unwrap();
    assert_eq!(vtpass_client::classify_pay(&r).outcome, Outcome::Delivered);
    assert_eq!((get.calls_async().await, post.calls_async().await), (1, 1));
}

#[tokio::test]
async fn tv_payments_carry_subscription_type_and_extra_fields() {
    let server = MockServer::start_async().await;
    let pay = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/pay").json_body(json!({
                "request_id": "202204041008ksemeoqykrmt",
                "serviceID": "dstv",
                "billersCode": "1212121212",
                "variation_code": "dstv-padi",
                "amount": 1850.5,
                "phone": "08011111111",
                "quantity": 1,
                "subscription_type": "change",
                "customer_note": "renewal for May"
            }));
            then.status(200).json_body(delivered());
        })
        .await;
    let req = PayRequest::builder(ServiceId::DSTV)
        .request_id(RequestId::parse("202204041008ksemeoqykrmt").unwrap())
        .billers_code("1212121212")
        .variation_code("dstv-padi")
        .amount(dec!(1850.50))
        .quantity(1)
        .phone("08011111111")
        .subscription_type(vtpass_client::SubscriptionType::Change)
        .field("customer_note", "renewal for May")
        .build()
        .unwrap();
    client(&server).pay(&req).await.unwrap();
    assert_eq!(pay.calls_async().await, 1);
}

fn base64_encode(bytes: &[u8]) -> String {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// No secret in Debug.

fn assert_no_secret(what: &str, text: &str) {
    let basic = base64_encode(format!("{EMAIL}:{PASSWORD}").as_bytes());
    for s in [PASSWORD, API_KEY, PUBLIC_KEY, SECRET_KEY, PIN, basic.as_str()] {
        assert!(!text.contains(s), "{what} shows a secret: {text}");
    }
}

#[tokio::test]
async fn no_secret_in_debug_of_client_config_and_every_error() {
    let basic = client_for("http://127.0.0.1:9/api/");
    let keys = Client::builder()
        .base_url("http://127.0.0.1:9/api/")
        .api_keys(API_KEY, PUBLIC_KEY, SECRET_KEY)
        .build()
        .unwrap();
    for c in [&basic, &keys] {
        assert_no_secret("client", &format!("{c:?}"));
        assert_no_secret("config", &format!("{:?}", c.config()));
        assert_no_secret("credentials", &format!("{:?}", c.config().credentials));
    }
    assert!(format!("{basic:?}").contains("[REDACTED]"));
    let builder = Client::builder().api_keys(API_KEY, PUBLIC_KEY, SECRET_KEY);
    assert_no_secret("builder", &format!("{builder:?}"));

    let mut errors: Vec<Error> = Vec::new();
    // Config.
    errors.push(
        Client::builder().base_url("not a url").basic_auth(EMAIL, PASSWORD).build().unwrap_err(),
    );
    errors.push(
        Client::builder()
            .api_keys(format!("{API_KEY}\n"), PUBLIC_KEY, SECRET_KEY)
            .build()
            .unwrap_err(),
    );
    // Invalid input.
    errors.push(RequestId::parse("nope").unwrap_err());
    // Not sent.
    errors.push(basic.balance().await.unwrap_err());

    let server = MockServer::start_async().await;
    let mut with_pin = delivered();
    with_pin["code"] = "000".into();
    let body_with_pin = with_pin.to_string();
    // Timeout.
    server
        .mock_async(|when, then| {
            when.path("/api/pay");
            then.status(200).body(body_with_pin.clone()).delay(Duration::from_millis(1500));
        })
        .await;
    // HTTP status with a body that holds a PIN.
    server
        .mock_async(|when, then| {
            when.path("/api/balance");
            then.status(500).body(body_with_pin.clone());
        })
        .await;
    // Vendor code.
    server
        .mock_async(|when, then| {
            when.path("/api/service-variations");
            then.status(200)
                .json_body(json!({"code": "087", "response_description": "INVALID CREDENTIALS"}));
        })
        .await;
    // Decode error with the PIN in the body.
    let mut bad = with_pin.clone();
    bad["content"]["transactions"]["amount"] = json!({"not": "an amount"});
    bad["amount"] = json!([1]);
    let bad = bad.to_string();
    server
        .mock_async(|when, then| {
            when.path("/api/requery");
            then.status(200).body(bad.clone());
        })
        .await;
    let c = client(&server);
    errors.push(c.pay(&spectranet(TIMEOUT)).await.unwrap_err());
    errors.push(c.balance().await.unwrap_err());
    errors.push(c.service_variations(&ServiceId::SPECTRANET).await.unwrap_err());
    errors.push(c.requery(&RequestId::generate()).await.unwrap_err());
    // Interrupted.
    let hangup = hangup_server().await;
    errors.push(client_for(&hangup.base).pay(&spectranet(NO_RESPONSE)).await.unwrap_err());

    let kinds: Vec<&str> = errors
        .iter()
        .map(|e| match e {
            Error::Config { .. } => "config",
            Error::InvalidInput { .. } => "input",
            Error::NotSent { .. } => "not-sent",
            Error::Timeout { .. } => "timeout",
            Error::Interrupted { .. } => "interrupted",
            Error::Http { .. } => "http",
            Error::Vendor { .. } => "vendor",
            Error::Decode { .. } => "decode",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "config",
            "config",
            "input",
            "not-sent",
            "timeout",
            "http",
            "vendor",
            "decode",
            "interrupted"
        ]
    );
    for e in &errors {
        assert_no_secret("error Debug", &format!("{e:?}"));
        assert_no_secret("error Display", &format!("{e}"));
    }
    // The raw body is still there for whoever needs it.
    assert!(errors[5].raw_body().unwrap().as_str().contains(PIN));
    if let Error::Decode { path, .. } = &errors[7] {
        assert_eq!(path, "amount");
    }
}

// ---------------------------------------------------------------------------------------------
// The other endpoints.

#[tokio::test]
async fn catalog_reads_decode_the_documented_shapes() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/service-categories");
            then.status(200).json_body(json!({"response_description": "000", "content": [
                {"identifier": "airtime", "name": "Airtime Recharge"},
                {"identifier": "data", "name": "Data Services"}]}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/services").query_param("identifier", "data");
            then.status(200).json_body(json!({"response_description": "000", "content": [
                {"serviceID": "mtn-data", "name": "MTN Data", "minimium_amount": "100",
                 "maximum_amount": 50000, "convinience_fee": "N0.00", "product_type": "fix",
                 "image": "https://example.com/mtn.jpg"}]}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/options")
                .query_param("serviceID", "foreign-airtime")
                .query_param("name", "country");
            then.status(200).json_body(json!({"response_description": "000", "content": {
                "ServiceName": "Foreign Airtime", "serviceID": "foreign-airtime",
                "optionName": "country", "optionType": "select", "optionLabel": "Country",
                "options": [{"code": "GH", "name": "Ghana"}]}}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/api/merchant-verify").json_body(json!({
                "billersCode": "1111111111111", "serviceID": "ikeja-electric", "type": "prepaid"}));
            then.status(200).json_body(json!({"code": "000", "content": {
                "Customer_Name": "TEST CUSTOMER", "Address": "1 Test Street",
                "Meter_Number": "1111111111111", "Customer_Type": "PRIME", "Minimum_Amount": 500}}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/merchant-verify")
                .json_body_includes(r#"{"serviceID":"dstv"}"#);
            then.status(200).json_body(json!({"code": "000", "content": {
                "error": "This is not a valid smartcard number", "WrongBillersCode": true}}));
        })
        .await;
    let c = client(&server);

    let cats = c.service_categories().await.unwrap();
    assert_eq!(cats.content[1].identifier, "data");
    let services = c.services("data").await.unwrap();
    assert_eq!(services.content[0].minimum_amount.as_ref().unwrap().value(), dec!(100));
    assert_eq!(services.content[0].maximum_amount.as_ref().unwrap().value(), dec!(50000));
    let opts = c.options(&ServiceId::new("foreign-airtime").unwrap(), "country").await.unwrap();
    assert_eq!(opts.content.unwrap().option_name.as_deref(), Some("country"));

    let meter = vtpass_client::VerifyRequest::new(ServiceId::IKEJA_ELECTRIC, "1111111111111")
        .unwrap()
        .meter_type(vtpass_client::MeterType::Prepaid);
    let v = c.merchant_verify(&meter).await.unwrap();
    assert!(v.is_valid());
    assert_eq!(v.customer_name(), Some("TEST CUSTOMER"));
    let card = vtpass_client::VerifyRequest::new(ServiceId::DSTV, "0000000000").unwrap();
    let v = c.merchant_verify(&card).await.unwrap();
    assert!(!v.is_valid());
    assert_eq!(v.error_message().as_deref(), Some("This is not a valid smartcard number"));
}

#[tokio::test]
async fn reads_are_retried_on_5xx_but_payments_never() {
    let server = MockServer::start_async().await;
    let variations = server
        .mock_async(|when, then| {
            when.path("/api/service-variations");
            then.status(502).body("bad gateway");
        })
        .await;
    let pay = server
        .mock_async(|when, then| {
            when.path("/api/pay");
            then.status(502).body("bad gateway");
        })
        .await;
    let c = Client::builder()
        .base_url(server.url("/api/"))
        .basic_auth(EMAIL, PASSWORD)
        .read_retries(2)
        .retry_delay(Duration::from_millis(1))
        .build()
        .unwrap();
    let e = c.service_variations(&ServiceId::GLO_DATA).await.unwrap_err();
    assert_eq!(e.status(), Some(502));
    assert_eq!(variations.calls_async().await, 3);
    let e = c.pay(&spectranet(SUCCESS)).await.unwrap_err();
    assert_eq!(e.status(), Some(502));
    assert_eq!(pay.calls_async().await, 1);
}

#[tokio::test]
async fn transaction_answers_accept_both_documented_forms() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/api/requery");
            then.status(200).json_body(json!({
                "code": "000",
                "content": {"transactions": {"status": "delivered", "amount": "20",
                    "unit_price": "20.00", "transactionId": 17001, "mainToken": "1234-5678"}},
                "response_description": "TRANSACTION SUCCESSFUL",
                "requestId": "202202071830YUs83meikd",
                "amount": 20,
                "transaction_date": "2022-02-07T17:30:12.000000Z",
                "purchased_code": "Token : 1234-5678",
                "token": "1234-5678"
            }));
        })
        .await;
    let c = client(&server);
    let r = c.requery(&RequestId::parse("202202071830YUs83meikd").unwrap()).await.unwrap();
    assert_eq!(r.amount.as_ref().unwrap().value(), dec!(20));
    assert_eq!(r.transaction_date.as_ref().unwrap().date(), Some("2022-02-07T17:30:12.000000Z"));
    assert_eq!(r.transaction().unwrap().transaction_id.as_ref().unwrap().as_str(), "17001");
    assert_eq!(vtpass_client::classify_requery(&r).outcome, Outcome::Delivered);
    let debug = format!("{r:?}");
    assert!(!debug.contains("1234-5678"), "tokens are redacted in Debug: {debug}");
    assert_eq!(serde_json::to_value(&r).unwrap()["token"], "1234-5678", "but kept on the wire");
}

// ---------------------------------------------------------------------------------------------
// Webhook.

#[test]
fn webhook_transaction_update_decodes_like_a_requery() {
    use vtpass_client::webhook::{WEBHOOK_REPLY, WebhookEvent, decode_webhook, webhook_reply};
    let body = json!({"type": "transaction-update", "data": delivered()}).to_string();
    let event = decode_webhook(body.as_bytes()).unwrap();
    assert_eq!(event.request_id(), Some(REQUEST_ID));
    assert_eq!(event.classify().unwrap().outcome, Outcome::Delivered);
    assert!(!format!("{event:?}").contains(PIN));

    let other =
        decode_webhook(br#"{"type":"balance-update","data":{"balance":10,"token":"77-SECRET"}}"#)
            .unwrap();
    assert!(matches!(&other, WebhookEvent::Other { kind, .. } if kind == "balance-update"));
    assert!(!format!("{other:?}").contains("77-SECRET"));
    assert!(other.classify().is_none());

    let e = decode_webhook(b"<html>").unwrap_err();
    assert!(matches!(e, Error::Decode { endpoint: "webhook", .. }));
    let e = decode_webhook(br#"{"type":"transaction-update","data":{"code":"000","amount":[1]}}"#)
        .unwrap_err();
    assert!(matches!(&e, Error::Decode { path, .. } if path == "data.amount"), "{e:?}");
    assert_eq!(
        e.raw_body().unwrap().as_str(),
        r#"{"type":"transaction-update","data":{"code":"000","amount":[1]}}"#
    );

    assert_eq!(WEBHOOK_REPLY, r#"{"response":"success"}"#);
    assert_eq!(webhook_reply(), json!({"response": "success"}));
}

// ---------------------------------------------------------------------------------------------
// Builder.

#[test]
fn the_client_generates_request_ids_from_its_injected_clock() {
    use chrono::TimeZone as _;
    let generator = vtpass_client::RequestIdGenerator::new()
        .clock(|| chrono::Utc.with_ymd_and_hms(2024, 5, 31, 23, 59, 0).unwrap())
        .random(|| 1);
    let c = Client::builder()
        .basic_auth(EMAIL, PASSWORD)
        .request_id_generator(generator)
        .build()
        .unwrap();
    // 23:59 UTC on 31 May is 00:59 on 1 June in Lagos.
    assert_eq!(c.new_request_id().as_str(), "202406010059BBBBBBBBBBBB");
    let req = c.pay_request(ServiceId::MTN).phone("08011111111").amount(dec!(100)).build().unwrap();
    assert_eq!(req.request_id().as_str(), "202406010059BBBBBBBBBBBB");
}

#[test]
fn client_and_its_futures_are_send_and_sync() {
    fn send_sync<T: Send + Sync + Clone>(_: &T) {}
    fn send<T: Send>(_: &T) {}
    let c = client_for("http://127.0.0.1:9/api/");
    send_sync(&c);
    let r = spectranet(SUCCESS);
    let o = fast();
    let id = r.request_id().clone();
    send(&c.purchase_and_confirm(&r, &o));
    send(&c.pay(&r));
    send(&c.requery(&id));
    send(&c.service_variations(&ServiceId::SPECTRANET));
    send_sync(&vtpass_client::RequestIdGenerator::new());
}

#[test]
fn builder_picks_environments_and_normalises_the_base_url() {
    let c = Client::builder().basic_auth(EMAIL, PASSWORD).build().unwrap();
    assert_eq!(c.config().base_url.as_str(), "https://sandbox.vtpass.com/api/");
    let c = Client::builder()
        .environment(vtpass_client::Environment::Live)
        .basic_auth(EMAIL, PASSWORD)
        .build()
        .unwrap();
    assert_eq!(c.config().base_url.as_str(), "https://vtpass.com/api/");
    let c = Client::builder()
        .environment(vtpass_client::Environment::LiveApiService)
        .basic_auth(EMAIL, PASSWORD)
        .timeout(Duration::from_secs(5))
        .connect_timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    assert_eq!(c.config().base_url.as_str(), "https://api-service.vtpass.com/api/");
    assert_eq!(
        (c.config().timeout, c.config().connect_timeout),
        (Duration::from_secs(5), Duration::from_secs(2))
    );
    let c = Client::builder().base_url("http://127.0.0.1:8080/api").basic_auth(EMAIL, PASSWORD);
    assert_eq!(c.build().unwrap().config().base_url.as_str(), "http://127.0.0.1:8080/api/");
    assert!(matches!(Client::builder().build().unwrap_err(), Error::Config { .. }));
    assert!(Client::builder().basic_auth(EMAIL, "").build().is_err());
    assert!(Client::builder().base_url("ftp://x/").basic_auth(EMAIL, PASSWORD).build().is_err());
    let injected = Client::builder()
        .http_client(reqwest::Client::new())
        .api_keys(API_KEY, PUBLIC_KEY, SECRET_KEY)
        .build();
    assert!(injected.is_ok());
}
