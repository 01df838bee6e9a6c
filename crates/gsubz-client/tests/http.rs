//! The client against a mock GSUBZ server (httpmock on 127.0.0.1; nothing touches the
//! internet).

use std::collections::BTreeSet;
use std::time::Duration;

use gsubz_client::{
    ApiVersion, Client, ConfirmOptions, Error, Outcome, PayRequest, Plans, RequestId, ResponseCode,
    ServiceFields, TransactionStatus, VerifyCustomerRequest,
};
use httpmock::Method::{GET, POST};
use httpmock::{HttpMockRequest, MockServer};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde_json::{Value, json};
use vas_common::Backoff;

const KEY: &str = "ap_test_SECRET_key_123";

fn client(server: &MockServer) -> Client {
    Client::builder(KEY)
        .base_url(server.url("/api/"))
        .timeout(Duration::from_millis(500))
        .read_retries(0)
        .build()
        .unwrap()
}

fn legacy(server: &MockServer) -> gsubz_client::ClientBuilder {
    Client::builder(KEY)
        .api_version(ApiVersion::Legacy)
        .base_url(server.url("/api"))
        .timeout(Duration::from_millis(500))
        .read_retries(0)
}

fn fixture(name: &str) -> Value {
    vas_common::testing::load("gsubz", name)
}

/// The form fields of a request, in order.
fn form(req: &HttpMockRequest) -> Vec<(String, String)> {
    serde_urlencoded::from_str(&req.body_string()).unwrap_or_default()
}

/// A matcher: the form's field names are exactly `names` (each once).
fn exactly_fields(names: &[&str]) -> impl Fn(&HttpMockRequest) -> bool + Send + Sync + 'static {
    let want: BTreeSet<String> = names.iter().map(|s| s.to_string()).collect();
    let count = names.len();
    move |req| {
        let got = form(req);
        got.len() == count && got.iter().map(|(k, _)| k.clone()).collect::<BTreeSet<_>>() == want
    }
}

fn quick_confirm() -> ConfirmOptions {
    ConfirmOptions::new(
        Backoff::new(Duration::from_millis(10)).max_delay(Duration::from_millis(40)).no_jitter(),
        Duration::from_millis(300),
    )
}

/// The excerpt's pay answer, for `request_id`.
fn success_for(request_id: &RequestId) -> Value {
    let mut v = fixture("pay.response.json");
    v["content"]["requestID"] = json!(request_id.as_str());
    v
}

#[tokio::test]
async fn flexible_pay_sends_exactly_the_documented_form_fields() {
    let server = MockServer::start_async().await;
    let req = PayRequest::flexible("mtn", "07031234567", dec!(1000))
        .email("name@example.com")
        .request_id(RequestId::parse("897439437848").unwrap())
        .build()
        .unwrap();
    let pay = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/pay/")
                .header("authorization", format!("Bearer {KEY}"))
                .header("content-type", "application/x-www-form-urlencoded")
                .form_urlencoded_tuple("api", KEY)
                .form_urlencoded_tuple("serviceID", "mtn")
                .form_urlencoded_tuple("phone", "07031234567")
                .form_urlencoded_tuple("email", "name@example.com")
                .form_urlencoded_tuple("amount", "1000")
                .form_urlencoded_tuple("requestID", "897439437848")
                .is_true(exactly_fields(&[
                    "api",
                    "serviceID",
                    "phone",
                    "email",
                    "amount",
                    "requestID",
                ]));
            then.status(200).json_body(fixture("pay.response.json"));
        })
        .await;

    let tx = client(&server).pay(&req).await.unwrap();
    assert_eq!(pay.calls_async().await, 1);
    assert_eq!(tx.outcome, Outcome::Delivered);
    assert_eq!(tx.code, Some(ResponseCode::TransactionSuccessful));
    assert_eq!(tx.status, Some(TransactionStatus::TransactionSuccessful));
    assert_eq!(tx.transaction_id(), Some("189584034893843"));
    assert!(tx.problem.is_none());
}

#[tokio::test]
async fn fixed_pay_sends_the_plan_in_the_field_named_by_plan_name() {
    let server = MockServer::start_async().await;
    // A newer-doc plans answer: the plan goes in `variation_code`.
    let plans: Plans = serde_json::from_value(json!({
        "service": "GOtv", "PlanName": "variation_code", "fixedPrice": true, "discount": "1",
        "plans": [{"displayName": "GOtv Max", "value": "gotv-max", "price": "4850", "api_price": "4800"}]
    }))
    .unwrap();
    let plan = plans.find("gotv-max").unwrap();
    let req = PayRequest::for_plan("gotv", &plans, plan, "09012345678")
        .customer_id("7017725579")
        .build()
        .unwrap();
    let id = req.request_id().as_str().to_owned();
    let pay = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/pay/")
                .form_urlencoded_tuple("api", KEY)
                .form_urlencoded_tuple("serviceID", "gotv")
                .form_urlencoded_tuple("variation_code", "gotv-max")
                .form_urlencoded_tuple("amount", "4850")
                .form_urlencoded_tuple("customerID", "7017725579")
                .form_urlencoded_tuple("phone", "09012345678")
                .form_urlencoded_tuple("requestID", id.as_str())
                .is_true(exactly_fields(&[
                    "api",
                    "serviceID",
                    "variation_code",
                    "amount",
                    "customerID",
                    "phone",
                    "requestID",
                ]));
            // The newer, flat answer.
            then.status(200).json_body(json!({
                "code": 200, "status": "successful", "transactionID": "GS-1", "amount": "4850",
                "phone": "09012345678", "serviceID": "gotv", "amountPaid": "4800",
                "initialBalance": "10000", "finalBalance": "5200", "date": "2024-01-02 10:00:00",
                "api_response": {"token": null}
            }));
        })
        .await;

    let tx = client(&server).pay(&req).await.unwrap();
    assert_eq!(pay.calls_async().await, 1);
    assert_eq!(tx.outcome, Outcome::Delivered);
    let r = tx.response.as_ref().unwrap();
    assert_eq!(r.amount_paid.as_ref().map(|a| a.value()), Some(dec!(4800)));
    assert_eq!(r.final_balance.as_ref().map(|a| a.value()), Some(dec!(5200)));
    assert_eq!(tx.transaction_id(), Some("GS-1"));
}

#[tokio::test]
async fn legacy_and_sandbox_paths_are_spelled_as_documented() {
    let server = MockServer::start_async().await;
    let testpay = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/testpay");
            then.status(200).json_body(json!({"code": 200, "status": "failed"}));
        })
        .await;
    let testverfy = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/testverfy").form_urlencoded_tuple_exists("requestID");
            then.status(200).json_body(json!({"code": "200", "status": "success"}));
        })
        .await;
    let c = legacy(&server).sandbox(true).build().unwrap();
    assert!(c.is_sandbox());
    let req = PayRequest::flexible("mtn", "07031234567", dec!(50)).build().unwrap();
    assert_eq!(c.pay(&req).await.unwrap().outcome, Outcome::Failed);
    assert_eq!(c.verify(req.request_id()).await.unwrap().outcome, Outcome::Delivered);
    assert_eq!(testpay.calls_async().await, 1);
    assert_eq!(testverfy.calls_async().await, 1);

    let current = Client::builder(KEY).sandbox(true).build().unwrap();
    assert_eq!(
        current.endpoint_url(gsubz_client::Endpoint::Verify).as_str(),
        "https://api.gsubz.com/api/testverfy/"
    );
    let old = Client::builder(KEY).api_version(ApiVersion::Legacy).build().unwrap();
    assert_eq!(old.endpoint_url(gsubz_client::Endpoint::Pay).as_str(), "https://gsubz.com/api/pay");
}

/// Each documented status spelling, sent by the server, maps to its outcome.
#[tokio::test]
async fn each_status_spelling_maps_to_its_outcome() {
    let cases: &[(u16, Value, Outcome)] = &[
        (200, json!({"code": 200, "status": "TRANSACTION_SUCCESSFUL"}), Outcome::Delivered),
        (200, json!({"code": 200, "status": "successful"}), Outcome::Delivered),
        (200, json!({"code": "200", "status": "success"}), Outcome::Delivered),
        (
            200,
            json!({"code": 402, "status": "TRANSACTION_FAILED", "description": "INSUFFICIENT_BALANCE"}),
            Outcome::Failed,
        ),
        // HTTP 200 can carry a failed transaction.
        (200, json!({"code": 200, "status": "failed"}), Outcome::Failed),
        (200, json!({"code": 200, "content": {"status": "TRANSACTION_FAILED"}}), Outcome::Failed),
        (200, json!({"code": 200, "status": "pending"}), Outcome::Pending),
        // The two statuses of the excerpt's shape must agree.
        (
            200,
            json!({"code": 200, "status": "TRANSACTION_SUCCESSFUL", "content": {"status": "TRANSACTION_FAILED"}}),
            Outcome::Unknown,
        ),
        (200, json!({"code": 200, "status": "queued-for-review"}), Outcome::Unknown),
        // A success status under an error code contradicts itself.
        (200, json!({"code": 401, "status": "successful"}), Outcome::Unknown),
        // 502 is unknown whatever the status says.
        (200, json!({"code": 502, "status": "failed"}), Outcome::Unknown),
        // No status: rejection codes mean nothing was bought; 200 alone proves nothing.
        (200, json!({"code": 402, "description": "INSUFFICIENT_BALANCE"}), Outcome::Failed),
        (200, json!({"code": 206, "description": "INVALID_CONTENT"}), Outcome::Failed),
        (401, json!({"code": 401, "description": "AUTHORIZATION_FAILED"}), Outcome::Failed),
        (429, json!({"code": 429}), Outcome::Failed),
        (200, json!({"code": 200}), Outcome::Unknown),
        (200, json!({"code": 406, "description": "NOT_ALLOWED"}), Outcome::Unknown),
        (200, json!({"code": 299}), Outcome::Unknown),
        (200, json!({}), Outcome::Unknown),
        (200, json!([]), Outcome::Unknown),
    ];
    let server = MockServer::start_async().await;
    let c = client(&server);
    for (http, body, want) in cases {
        let mock = server
            .mock_async(|when, then| {
                when.method(POST).path("/api/pay/");
                then.status(*http).json_body(body.clone());
            })
            .await;
        let req = PayRequest::flexible("mtn", "07031234567", dec!(100)).build().unwrap();
        let tx = c.pay(&req).await.unwrap();
        assert_eq!(tx.outcome, *want, "HTTP {http} {body}");
        assert_eq!(mock.calls_async().await, 1);
        mock.delete_async().await;
    }
}

#[tokio::test]
async fn a_502_html_page_is_unknown_and_keeps_the_body() {
    let server = MockServer::start_async().await;
    let html = "<html><body><h1>502 Bad Gateway</h1>nginx</body></html>";
    server
        .mock_async(|when, then| {
            when.method(POST).path("/api/pay/");
            then.status(502).header("content-type", "text/html").body(html);
        })
        .await;
    let req = PayRequest::flexible("mtn", "07031234567", dec!(100)).build().unwrap();
    let tx = client(&server).pay(&req).await.unwrap();
    assert_eq!(tx.outcome, Outcome::Unknown);
    assert_eq!(tx.http_status, Some(502));
    assert_eq!(tx.code, Some(ResponseCode::GatewayError));
    assert_eq!(tx.raw_body.as_deref(), Some(html));
    let problem = tx.problem.as_ref().unwrap();
    assert!(matches!(problem, Error::Http { status: 502, .. }), "{problem:?}");
    assert_eq!(problem.raw_body(), Some(html));
    assert_eq!(&tx.request_id, req.request_id());
}

#[tokio::test]
async fn an_unparsable_200_is_unknown_with_the_decode_error() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/api/pay/");
            then.status(200).body("{\"code\": 200, \"status\": \"succ");
        })
        .await;
    let req = PayRequest::flexible("mtn", "07031234567", dec!(100)).build().unwrap();
    let tx = client(&server).pay(&req).await.unwrap();
    assert_eq!(tx.outcome, Outcome::Unknown);
    assert!(matches!(tx.problem, Some(Error::Decode { status: 200, .. })), "{:?}", tx.problem);
    assert_eq!(tx.raw_body.as_deref(), Some("{\"code\": 200, \"status\": \"succ"));

    // A body whose other fields are off is still classified by its status, and the decode
    // error is kept with its JSON path.
    server
        .mock_async(|when, then| {
            when.method(POST).path("/api/verify/");
            then.status(200).json_body(json!({"code": 200, "status": "success", "amount": "N100"}));
        })
        .await;
    let tx = client(&server).verify(req.request_id()).await.unwrap();
    assert_eq!(tx.outcome, Outcome::Delivered);
    match &tx.problem {
        Some(Error::Decode { path, .. }) => assert_eq!(path, "amount"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_duplicate_request_id_returns_the_original_result() {
    let server = MockServer::start_async().await;
    let req = PayRequest::flexible("mtn", "07031234567", dec!(2)).build().unwrap();
    let mut original = success_for(req.request_id());
    original["code"] = json!(406);
    server
        .mock_async(|when, then| {
            when.method(POST).path("/api/pay/");
            then.status(406).json_body(original.clone());
        })
        .await;
    let tx = client(&server).pay(&req).await.unwrap();
    assert_eq!(tx.outcome, Outcome::Delivered);
    assert!(tx.is_duplicate());
    assert_eq!(tx.transaction_id(), Some("189584034893843"));
}

#[tokio::test]
async fn an_answer_for_another_request_id_is_not_trusted() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/api/verify/");
            then.status(200).json_body(fixture("verify.response.json"));
        })
        .await;
    // The doc's verify answer names requestID 3414793352.
    let theirs = client(&server).verify(&RequestId::parse("3414793352").unwrap()).await.unwrap();
    assert_eq!(theirs.outcome, Outcome::Failed);
    assert_eq!(theirs.description(), Some("INSUFFICIENT_BALANCE"));
    let other =
        client(&server).verify(&RequestId::parse("8755965695964845").unwrap()).await.unwrap();
    assert_eq!(other.outcome, Outcome::Unknown);
    assert!(matches!(other.problem, Some(Error::UnexpectedResponse { .. })));
}

#[tokio::test]
async fn values_failing_a_field_regexp_or_basic_checks_are_never_sent() {
    let server = MockServer::start_async().await;
    let pay = server
        .mock_async(|when, then| {
            when.method(POST);
            then.status(200).json_body(json!({"code": 200, "status": "successful"}));
        })
        .await;
    let fields: ServiceFields = serde_json::from_value(fixture("fields.response.json")).unwrap();
    let c = client(&server);

    // "[0-9]+" for amount: 150.50 passes the builder but not GSUBZ's pattern.
    let req = PayRequest::flexible("mtn", "07031234567", dec!(150.50)).build().unwrap();
    match c.pay_checked(&req, &fields).await {
        Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "amount"),
        other => panic!("{other:?}"),
    }
    // A required field missing.
    let strict: ServiceFields = serde_json::from_value(json!({"service": "dstv", "field": [
        {"displayName": "Smartcard", "name": "customerID", "type": "text", "description": "",
         "regExp": "[0-9]{10}", "required": true}]}))
    .unwrap();
    let req =
        PayRequest::fixed("dstv", "plan", "dstv-padi", dec!(2950), "07031234567").build().unwrap();
    assert!(matches!(c.pay_checked(&req, &strict).await, Err(Error::InvalidInput { .. })));
    let req = PayRequest::fixed("dstv", "plan", "dstv-padi", dec!(2950), "07031234567")
        .customer_id("12345")
        .build()
        .unwrap();
    assert!(matches!(c.pay_checked(&req, &strict).await, Err(Error::InvalidInput { .. })));

    // Caller input rejected by the builder.
    for bad in [
        PayRequest::flexible("mtn", "+2347031234567", dec!(100)).build(),
        PayRequest::flexible("mtn", "2347031234567", dec!(100)).build(),
        PayRequest::flexible("mtn", "0703123", dec!(100)).build(),
        PayRequest::flexible("mtn", "07031234567", dec!(-5)).build(),
        PayRequest::flexible("mtn", "07031234567", Decimal::ZERO).build(),
        PayRequest::flexible("mtn", "07031234567", dec!(1.005)).build(),
        PayRequest::flexible("", "07031234567", dec!(100)).build(),
        PayRequest::flexible("mtn", "07031234567", dec!(100)).email("nobody").build(),
        PayRequest::fixed("gotv", "plan", "", dec!(100), "07031234567").build(),
        PayRequest::fixed("gotv", "amount", "x", dec!(100), "07031234567").build(),
        PayRequest::flexible("mtn", "07031234567", dec!(100)).customer_id("").build(),
    ] {
        assert!(matches!(bad, Err(Error::InvalidInput { .. })), "{bad:?}");
    }
    assert!(matches!(c.plans("").await, Err(Error::InvalidInput { .. })));
    assert!(matches!(VerifyCustomerRequest::new("gotv", "12 34"), Err(Error::InvalidInput { .. })));
    assert_eq!(pay.calls_async().await, 0);

    // And a value that passes is sent.
    let ok = PayRequest::flexible("mtn", "07031234567", dec!(150)).build().unwrap();
    assert_eq!(c.pay_checked(&ok, &fields).await.unwrap().outcome, Outcome::Delivered);
    assert_eq!(pay.calls_async().await, 1);
}

#[tokio::test]
async fn purchase_and_confirm_pays_once_after_a_502_then_verifies() {
    let server = MockServer::start_async().await;
    let req = PayRequest::flexible("mtn", "07031234567", dec!(100)).build().unwrap();
    let id = req.request_id().clone();
    let pay = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/pay/");
            then.status(502).body("<html>Bad Gateway</html>");
        })
        .await;
    let verify = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/verify/")
                .form_urlencoded_tuple("api", KEY)
                .form_urlencoded_tuple("requestID", id.as_str())
                .is_true(exactly_fields(&["api", "requestID"]));
            then.status(200)
                .json_body(json!({"code": "200", "status": "success", "requestID": id.as_str()}));
        })
        .await;
    let done = client(&server).purchase_and_confirm(&req, &quick_confirm()).await.unwrap();
    assert_eq!(pay.calls_async().await, 1);
    assert_eq!(verify.calls_async().await, 1);
    assert_eq!(done.outcome, Outcome::Delivered);
    assert_eq!(done.payment.outcome, Outcome::Unknown);
    assert_eq!(done.status_queries, 1);
    assert_eq!(done.request_id, id);
    assert_eq!(done.transaction().code, Some(ResponseCode::TransactionSuccessful));
}

#[tokio::test]
async fn purchase_and_confirm_pays_once_after_a_timeout_then_verifies() {
    let server = MockServer::start_async().await;
    let req = PayRequest::flexible("mtn", "07031234567", dec!(100)).build().unwrap();
    let pay = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/pay/");
            then.status(200)
                .delay(Duration::from_secs(3))
                .json_body(json!({"code": 200, "status": "successful"}));
        })
        .await;
    let verify = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/verify/");
            then.status(200).json_body(json!({"code": 402, "status": "TRANSACTION_FAILED"}));
        })
        .await;
    let c = Client::builder(KEY)
        .base_url(server.url("/api/"))
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let done = c.purchase_and_confirm(&req, &quick_confirm()).await.unwrap();
    assert_eq!(pay.calls_async().await, 1);
    assert_eq!(verify.calls_async().await, 1);
    assert_eq!(done.payment.outcome, Outcome::Unknown);
    assert!(
        done.payment.problem.as_ref().is_some_and(Error::is_timeout),
        "{:?}",
        done.payment.problem
    );
    assert_eq!(done.outcome, Outcome::Failed);
}

#[tokio::test]
async fn purchase_and_confirm_gives_up_as_unknown_without_paying_again() {
    let server = MockServer::start_async().await;
    let req = PayRequest::flexible("mtn", "07031234567", dec!(100)).build().unwrap();
    let pay = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/pay/");
            then.status(200).json_body(json!({"code": 200}));
        })
        .await;
    let verify = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/verify/");
            then.status(200).json_body(json!({"code": 404, "description": "CONTENT_NOT_FOUND"}));
        })
        .await;
    let done = client(&server).purchase_and_confirm(&req, &quick_confirm()).await.unwrap();
    assert_eq!(pay.calls_async().await, 1);
    let queries = verify.calls_async().await;
    assert!(queries >= 2, "{queries}");
    assert_eq!(done.status_queries as usize, queries);
    assert_eq!(done.outcome, Outcome::Unknown);
}

#[tokio::test]
async fn purchase_and_confirm_returns_a_final_answer_without_verifying() {
    let server = MockServer::start_async().await;
    let req = PayRequest::flexible("mtn", "07031234567", dec!(100)).build().unwrap();
    server
        .mock_async(|when, then| {
            when.method(POST).path("/api/pay/");
            then.status(200).json_body(json!({"code": 200, "status": "failed"}));
        })
        .await;
    let verify = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/verify/");
            then.status(200).json_body(json!({"code": "200", "status": "success"}));
        })
        .await;
    let done = client(&server).purchase_and_confirm(&req, &quick_confirm()).await.unwrap();
    assert_eq!(done.outcome, Outcome::Failed);
    assert_eq!(done.status_queries, 0);
    assert_eq!(verify.calls_async().await, 0);
}

#[tokio::test]
async fn a_refused_connection_is_not_sent_and_is_never_verified() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = Client::builder(KEY).base_url(format!("http://127.0.0.1:{port}/api/")).build().unwrap();
    let req = PayRequest::flexible("mtn", "07031234567", dec!(100)).build().unwrap();
    let err = c.purchase_and_confirm(&req, &quick_confirm()).await.unwrap_err();
    assert!(matches!(err, Error::NotSent { .. }), "{err:?}");
    assert!(!err.maybe_sent());
    assert!(!format!("{err:?}{err}").contains(KEY));
}

#[tokio::test]
async fn catalog_reads_decode_the_documented_answers() {
    let server = MockServer::start_async().await;
    let category = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/category").header("authorization", format!("Bearer {KEY}"));
            then.status(200).json_body(fixture("category.response.json"));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/service").query_param("service", "mtn");
            then.status(200).json_body(fixture("service.response.json"));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/fields").query_param("service", "mtn");
            then.status(200).json_body(fixture("fields.response.json"));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/plans").query_param("service", "mtn_cg");
            then.status(200).json_body(fixture("plans.response.json"));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/variation")
                .query_param("service", "gotv")
                .query_param("value", "gotv-plus");
            then.status(200).json_body(fixture("variation.response.json"));
        })
        .await;
    let c = legacy(&server).build().unwrap();
    let categories = c.categories().await.unwrap();
    assert_eq!(category.calls_async().await, 1);
    assert_eq!(categories.len(), 5);
    assert!(categories[3].name.is_airtime());
    assert_eq!(c.service("mtn").await.unwrap().service, "MTN Airtime");
    let fields = c.fields("mtn").await.unwrap();
    assert_eq!(fields.get("phone").map(|f| f.reg_exp.as_str()), Some("[0-9]+"));
    assert!(fields.get("amount").unwrap().required);
    let plans = c.plans("mtn_cg").await.unwrap();
    assert_eq!(plans.plan_name, "plan");
    assert!(plans.fixed_price);
    assert_eq!(plans.find("213").unwrap().price(), dec!(245));
    let variation = c.variation("gotv", "gotv-plus").await.unwrap();
    assert_eq!(variation.plans[0].price(), dec!(100));
}

#[tokio::test]
async fn balance_decodes_both_shapes_and_sends_the_key_as_api() {
    let server = MockServer::start_async().await;
    let old = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/balance")
                .header("authorization", format!("Bearer {KEY}"))
                .form_urlencoded_tuple("api", KEY)
                .is_true(exactly_fields(&["api"]));
            then.status(200).json_body(fixture("balance.response.json"));
        })
        .await;
    let new = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/balance/").is_true(exactly_fields(&["api"]));
            then.status(200).json_body(fixture("balance-current.response.json"));
        })
        .await;
    let b = legacy(&server).build().unwrap().balance().await.unwrap();
    assert_eq!(b.amount(), Some(dec!(841)));
    let b = client(&server).balance().await.unwrap();
    assert_eq!(b.amount(), Some(dec!(747.5)));
    assert_eq!(old.calls_async().await, 1);
    assert_eq!(new.calls_async().await, 1);
}

#[tokio::test]
async fn verify_customer_sends_its_documented_fields() {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/verify-customer/")
                .form_urlencoded_tuple("serviceID", "ikeja-electric")
                .form_urlencoded_tuple("billersCode", "45012345678")
                .form_urlencoded_tuple("type", "prepaid")
                .is_true(exactly_fields(&["api", "serviceID", "billersCode", "type"]));
            then.status(200)
                .json_body(json!({"code": 200, "content": {"Customer_Name": "ADE BELLO"}}));
        })
        .await;
    let req = VerifyCustomerRequest::new("ikeja-electric", "45012345678").unwrap().kind("prepaid");
    let info = client(&server).verify_customer(&req).await.unwrap();
    assert_eq!(m.calls_async().await, 1);
    assert_eq!(info.customer_name(), Some("ADE BELLO"));
    assert_eq!(info.response_code(), Some(ResponseCode::TransactionSuccessful));

    // Built field by field, bypassing `new`: still checked before sending.
    for (bad, field) in [
        (req.clone().kind(" "), "type"),
        (VerifyCustomerRequest { billers_code: String::new(), ..req.clone() }, "billersCode"),
        (VerifyCustomerRequest { service_id: "a b".into(), ..req.clone() }, "serviceID"),
    ] {
        match client(&server).verify_customer(&bad).await {
            Err(Error::InvalidInput { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(m.calls_async().await, 1);
}

#[tokio::test]
async fn read_errors_are_typed_and_reads_are_retried() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/api/plans/").query_param("service", "nope");
            then.status(200).json_body(json!({"code": 404, "description": "CONTENT_NOT_FOUND"}));
        })
        .await;
    let failing = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/category/");
            then.status(503).body("<html>down</html>");
        })
        .await;
    let c = Client::builder(KEY)
        .base_url(server.url("/api/"))
        .read_retries(2)
        .retry_delay(Duration::from_millis(5))
        .build()
        .unwrap();
    match c.plans("nope").await {
        Err(Error::Vendor { code, description, .. }) => {
            assert_eq!(code, ResponseCode::ContentNotFound);
            assert_eq!(description, "CONTENT_NOT_FOUND");
        }
        other => panic!("{other:?}"),
    }
    match c.categories().await {
        Err(Error::Http { status: 503, body }) => assert_eq!(body, "<html>down</html>"),
        other => panic!("{other:?}"),
    }
    assert_eq!(failing.calls_async().await, 3);
}

#[tokio::test]
async fn no_secret_in_any_debug() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/api/pay/");
            then.status(502).body("bad gateway");
        })
        .await;
    let builder = Client::builder(KEY).base_url(server.url("/api/"));
    let builder_debug = format!("{builder:?}");
    let c = builder.build().unwrap();
    let req = PayRequest::flexible("mtn", "07031234567", dec!(100)).build().unwrap();
    let tx = c.pay(&req).await.unwrap();
    let config_error = Client::builder(KEY).base_url("ftp://example.com/").build().unwrap_err();
    let balance_request = gsubz_client::BalanceRequest::new(KEY.into());
    for text in [
        builder_debug,
        format!("{c:?}"),
        format!("{c:#?}"),
        format!("{tx:?}"),
        format!("{:?}", tx.problem),
        format!("{config_error:?} {config_error}"),
        format!("{balance_request:?}"),
        format!("{req:?}"),
    ] {
        assert!(!text.contains(KEY), "{text}");
        assert!(!text.contains("SECRET"), "{text}");
    }
    assert!(format!("{c:?}").contains("[REDACTED]"));
    assert!(vas_common::secret::bearer(&KEY.into()).unwrap().is_sensitive());
}

#[test]
fn bad_configuration_is_rejected() {
    assert!(matches!(Client::new(""), Err(Error::Config(_))));
    assert!(matches!(Client::new("bad\nkey"), Err(Error::Config(_))));
    assert!(matches!(Client::builder(KEY).base_url("not a url").build(), Err(Error::Config(_))));
    assert!(matches!(Client::builder(KEY).timeout(Duration::ZERO).build(), Err(Error::Config(_))));
    let c = Client::builder(KEY).base_url("http://127.0.0.1:9/gsubz").build().unwrap();
    assert_eq!(
        c.endpoint_url(gsubz_client::Endpoint::Pay).as_str(),
        "http://127.0.0.1:9/gsubz/pay/"
    );
}

#[tokio::test]
async fn a_redirected_purchase_is_not_followed_and_is_unknown() {
    let server = MockServer::start_async().await;
    let req = PayRequest::flexible("mtn", "07031234567", dec!(100)).build().unwrap();
    let pay = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/pay/");
            then.status(307).header("location", "/elsewhere/pay/");
        })
        .await;
    let elsewhere = server
        .mock_async(|when, then| {
            when.path("/elsewhere/pay/");
            then.status(200).json_body(json!({"code": 405}));
        })
        .await;
    let tx = client(&server).pay(&req).await.unwrap();
    assert_eq!(tx.outcome, Outcome::Unknown);
    assert_eq!(tx.http_status, Some(307));
    assert_eq!(pay.calls_async().await, 1);
    assert_eq!(elsewhere.calls_async().await, 0, "the purchase was sent again elsewhere");
}

#[tokio::test]
async fn an_injected_client_that_follows_redirects_cannot_make_a_purchase_failed() {
    let server = MockServer::start_async().await;
    let req = PayRequest::flexible("mtn", "07031234567", dec!(100)).build().unwrap();
    // POST, then 302: a following client asks again with GET and reads a refusal code.
    server
        .mock_async(|when, then| {
            when.method(POST).path("/api/pay/");
            then.status(302).header("location", "/elsewhere/pay/");
        })
        .await;
    let elsewhere = server
        .mock_async(|when, then| {
            when.path("/elsewhere/pay/");
            then.status(200).json_body(json!({"code": 405, "description": "NOT POST"}));
        })
        .await;
    let c = Client::builder(KEY)
        .base_url(server.url("/api/"))
        .timeout(Duration::from_millis(500))
        .http_client(reqwest::Client::new())
        .build()
        .unwrap();
    let tx = c.pay(&req).await.unwrap();
    assert_eq!(elsewhere.calls_async().await, 1);
    assert_eq!(tx.outcome, Outcome::Unknown);
    assert!(
        matches!(&tx.problem, Some(Error::UnexpectedResponse { reason, .. }) if reason.contains("redirected")),
        "{:?}",
        tx.problem
    );

    // A redirect to a host that refuses the connection: the purchase did reach GSUBZ.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let away = MockServer::start_async().await;
    let pay = away
        .mock_async(|when, then| {
            when.method(POST).path("/api/pay/");
            then.status(307).header("location", format!("http://127.0.0.1:{port}/api/pay/"));
        })
        .await;
    let c = Client::builder(KEY)
        .base_url(away.url("/api/"))
        .timeout(Duration::from_millis(500))
        .http_client(reqwest::Client::new())
        .build()
        .unwrap();
    let tx = c.pay(&req).await.expect("sent, so an Unknown transaction, not a not-sent error");
    assert_eq!(pay.calls_async().await, 1);
    assert_eq!(tx.outcome, Outcome::Unknown);
    assert!(tx.problem.as_ref().is_some_and(Error::maybe_sent));
}

#[tokio::test]
async fn an_injected_client_without_redirects_keeps_not_sent_precise() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let req = PayRequest::flexible("mtn", "07031234567", dec!(100)).build().unwrap();
    let http =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let c = Client::builder(KEY)
        .base_url(format!("http://127.0.0.1:{port}/api/"))
        .http_client_without_redirects(http.clone())
        .build()
        .unwrap();
    assert!(matches!(c.pay(&req).await, Err(Error::NotSent { .. })));
    // Without that promise, the same refused connection is not known to be "not sent".
    let c = Client::builder(KEY)
        .base_url(format!("http://127.0.0.1:{port}/api/"))
        .http_client(http)
        .build()
        .unwrap();
    assert!(!matches!(c.pay(&req).await, Err(Error::NotSent { .. })));
}

#[tokio::test]
async fn a_request_id_already_used_by_another_purchase_is_not_this_ones_result() {
    let server = MockServer::start_async().await;
    let req = PayRequest::flexible("mtn", "07031234567", dec!(100)).build().unwrap();
    // GSUBZ answers the reused requestID with the original purchase: another phone.
    let original = json!({
        "code": 406, "status": "successful", "transactionID": "555",
        "requestID": req.request_id().as_str(), "amount": "500",
        "phone": "08099999999", "serviceID": "mtn"
    });
    let pay = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/pay/");
            then.status(406).json_body(original.clone());
        })
        .await;
    let verify = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/verify/");
            then.status(200).json_body(json!({"code": "200", "status": "success",
                "phone": "08099999999", "serviceID": "mtn"}));
        })
        .await;
    let c = client(&server);
    let tx = c.pay(&req).await.unwrap();
    assert!(tx.is_duplicate());
    assert!(tx.is_other_purchase());
    assert_eq!(tx.outcome, Outcome::Unknown);
    assert!(
        matches!(&tx.problem, Some(Error::UnexpectedResponse { reason, .. }) if reason.contains("phone 08099999999")),
        "{:?}",
        tx.problem
    );
    let confirmed = c.purchase_and_confirm(&req, &quick_confirm()).await.unwrap();
    assert_eq!(confirmed.outcome, Outcome::Unknown);
    assert_eq!(confirmed.status_queries, 0);
    assert_eq!(pay.calls_async().await, 2);
    assert_eq!(verify.calls_async().await, 0);

    // The same phone, written with the country code: the original is this purchase.
    let server = MockServer::start_async().await;
    let mut same = original.clone();
    same["phone"] = json!("2347031234567");
    server
        .mock_async(|when, then| {
            when.method(POST).path("/api/pay/");
            then.status(406).json_body(same.clone());
        })
        .await;
    let tx = client(&server).pay(&req).await.unwrap();
    assert_eq!(tx.outcome, Outcome::Delivered);
    assert!(!tx.is_other_purchase());
}

#[tokio::test]
async fn a_status_answer_about_another_purchase_never_confirms_this_one() {
    let server = MockServer::start_async().await;
    let req = PayRequest::flexible("mtn", "07031234567", dec!(100)).build().unwrap();
    let pay = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/pay/");
            then.status(502).body("<html>502 Bad Gateway</html>");
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/api/verify/");
            then.status(200).json_body(json!({"code": "200", "status": "success",
                "phone": "07031234567", "serviceID": "glo"}));
        })
        .await;
    let confirmed = client(&server).purchase_and_confirm(&req, &quick_confirm()).await.unwrap();
    assert_eq!(confirmed.outcome, Outcome::Unknown);
    assert!(confirmed.status_queries >= 1);
    assert_eq!(pay.calls_async().await, 1);
    let last = confirmed.last_status.expect("a status answer");
    assert!(matches!(last.problem, Some(Error::UnexpectedResponse { .. })));
}
