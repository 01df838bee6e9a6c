//! Every log line the client writes, at every level, through a purchase, a status query and
//! failing reads, is free of the API key.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use gsubz_client::{Client, ConfirmOptions, PayRequest, VerifyCustomerRequest};
use httpmock::Method::POST;
use httpmock::MockServer;
use rust_decimal_macros::dec;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use vas_common::Backoff;

const KEY: &str = "ap_live_SECRET_9f8e7d6c5b4a";

/// Writes every event's and span's fields, at every level, into one text.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<String>>);

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut text = self.0.lock().unwrap();
        span.record(&mut Fields(&mut text));
        text.push('\n');
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        values.record(&mut Fields(&mut self.0.lock().unwrap()));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut text = self.0.lock().unwrap();
        let _ = write!(text, "{}", event.metadata().target());
        event.record(&mut Fields(&mut text));
        text.push('\n');
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn no_log_line_carries_the_key() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/api/pay/");
            then.status(502).body("<html>502</html>");
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/api/verify/");
            then.status(200).body("{\"code\":\"200\"");
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/api/balance/");
            then.status(503).body("down");
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/api/verify-customer/");
            then.status(200).body("not json");
        })
        .await;
    let c = Client::builder(KEY)
        .base_url(server.url("/api/"))
        .timeout(Duration::from_millis(500))
        .read_retries(1)
        .retry_delay(Duration::from_millis(1))
        .build()
        .unwrap();
    let req = PayRequest::flexible("mtn", "07031234567", dec!(100)).build().unwrap();
    let options = ConfirmOptions::new(
        Backoff::new(Duration::from_millis(5)).no_jitter(),
        Duration::from_millis(50),
    );
    let confirmed = c.purchase_and_confirm(&req, &options).await.unwrap();
    assert!(confirmed.status_queries >= 1);
    assert!(c.balance().await.is_err());
    let who = VerifyCustomerRequest::new("gotv", "7017725579").unwrap();
    assert!(c.verify_customer(&who).await.is_err());

    let text = capture.0.lock().unwrap().clone();
    assert!(text.contains("GSUBZ purchase answered"), "nothing was captured: {text}");
    assert!(text.contains("GSUBZ read failed"), "{text}");
    assert!(!text.contains(KEY) && !text.contains("SECRET"), "{text}");
}
