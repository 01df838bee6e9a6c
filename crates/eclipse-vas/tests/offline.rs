//! Tests that need no server: the documented strings, amounts, callback signatures, input
//! checks and redaction.

use eclipse_vas::callback::{SignatureError, SignatureHeader, Verifier, decode_payment, sign};
use eclipse_vas::models::{ExtraInfo, FieldSpec, LoginRequest, LoginResponse, RenewRequest};
use eclipse_vas::{
    CatalogQuery, Client, InitiatePayment, Outcome, PartnerId, Payment, PaymentData, PaymentStatus,
    TenantId, UpdatePayment, WalletId,
};
use rust_decimal_macros::dec;
use secrecy::{ExposeSecret, SecretString};

#[test]
fn every_documented_catalog_query_is_built_byte_for_byte() {
    let table: Vec<(eclipse_vas::Result<CatalogQuery>, &str)> = vec![
        (CatalogQuery::kganya(Some("0310564280"), "T089775335322"), "16_0310564280_T089775335322"),
        (CatalogQuery::kganya(None, "T089775335322"), "16_0_T089775335322"),
        (
            CatalogQuery::cellulant(Some("254707720002"), "042381176772", "KE-DSTV"),
            "17_254707720002_042381176772_KE-DSTV",
        ),
        (CatalogQuery::cellulant(None, "042381176772", "KE-DSTV"), "17_0_042381176772_KE-DSTV"),
        (CatalogQuery::dtb_kenya_tax("10202300000582380"), "19_ETAX_10202300000582380"),
        (Ok(CatalogQuery::dtb_kenya_local_catalog()), "19_LOCAL-CATALOG"),
        (Ok(CatalogQuery::dtb_uganda_local_catalog()), "21_LOCAL-CATALOG"),
        (CatalogQuery::dtb_uganda_nwsc("21117391", "Kampala"), "21_NWSC_21117391_Kampala"),
        (CatalogQuery::dtb_uganda_umeme("200166426"), "21_UMEME_200166426"),
        (CatalogQuery::dtb_uganda_tax("2240000621955"), "21_ETAX_2240000621955"),
        (CatalogQuery::dtb_uganda_mtn("256779999703"), "21_MTN_256779999703"),
        (Ok(CatalogQuery::frontierweb()), "20"),
        (Ok(CatalogQuery::partner(PartnerId::FRONTIERWEB)), "20"),
        (CatalogQuery::raw("21_NWSC_21117391_Kampala"), "21_NWSC_21117391_Kampala"),
    ];
    for (built, want) in table {
        let q = built.unwrap_or_else(|e| panic!("{want}: {e}"));
        assert_eq!(q.as_str(), want);
        assert_eq!(q.to_string(), want);
        assert_eq!(q.partner_id().to_string(), want.split('_').next().unwrap());
    }
}

#[test]
fn malformed_catalog_query_parts_are_rejected() {
    assert!(CatalogQuery::kganya(Some("03105x"), "T0897").is_err());
    assert!(CatalogQuery::kganya(None, "").is_err());
    assert!(CatalogQuery::kganya(None, "T08_97").is_err());
    assert!(CatalogQuery::cellulant(None, "0423", "KE DSTV").is_err());
    assert!(CatalogQuery::dtb_uganda_nwsc("21117391", "").is_err());
    assert!(CatalogQuery::dtb_uganda_umeme("2001&x=1").is_err());
    assert!(CatalogQuery::dtb_uganda_mtn("+256779999703").is_err());
    assert!(CatalogQuery::raw("").is_err());
    assert!(CatalogQuery::raw("NWSC_1").is_err());
    assert!(CatalogQuery::raw("21_").is_err());
    assert!(CatalogQuery::raw("21_a b").is_err());
}

#[test]
fn every_documented_payment_data_is_built_and_parsed_byte_for_byte() {
    let table: Vec<(eclipse_vas::Result<PaymentData>, &str, u32, &str)> = vec![
        (PaymentData::new(PartnerId::VODACOM, "VD50"), "5_VD50", 5, "VD50"),
        (PaymentData::new(PartnerId::MTN, "M512"), "4_M512", 4, "M512"),
        (
            PaymentData::new(PartnerId::KGANYA, "0310564280_T089775335322_3"),
            "16_0310564280_T089775335322_3",
            16,
            "0310564280_T089775335322_3",
        ),
        (PaymentData::new(PartnerId::PAY_AT, "14577"), "14_14577", 14, "14577"),
        (PaymentData::new(PartnerId::EASYPAY, "1764"), "15_1764", 15, "1764"),
        (
            PaymentData::dtb_kenya_tax("1020230000060915"),
            "19_ETAX_1020230000060915",
            19,
            "ETAX_1020230000060915",
        ),
        (
            PaymentData::dtb_kenya_vas("KE-STARTIMES", "1234567890"),
            "19_KE-STARTIMES_1234567890",
            19,
            "KE-STARTIMES_1234567890",
        ),
        (PaymentData::dtb_uganda_nwsc("21117391"), "21_NWSC_21117391", 21, "NWSC_21117391"),
        (PaymentData::dtb_uganda_umeme("200166426"), "21_UMEME_200166426", 21, "UMEME_200166426"),
        (PaymentData::dtb_uganda_tax("1001307092"), "21_ETAX_1001307092", 21, "ETAX_1001307092"),
        (
            PaymentData::dtb_uganda_mtn("256779999703"),
            "21_MTN_256779999703",
            21,
            "MTN_256779999703",
        ),
        (
            PaymentData::cellulant(Some("254707720002"), "042381176772", "KE-DSTV", "DSTVTESTKE"),
            "17_254707720002_042381176772_KE-DSTV_DSTVTESTKE",
            17,
            "254707720002_042381176772_KE-DSTV_DSTVTESTKE",
        ),
        (PaymentData::new(PartnerId(2), "ABC123"), "2_ABC123", 2, "ABC123"),
    ];
    for (built, text, partner, product) in table {
        let pd = built.unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(pd.to_string(), text);
        assert_eq!(pd.partner_id(), PartnerId(partner));
        assert_eq!(pd.product_id(), product);
        let parsed: PaymentData = text.parse().unwrap();
        assert_eq!(parsed, pd, "{text}");
        assert_eq!(serde_json::to_value(&pd).unwrap(), serde_json::json!(text));
    }
}

#[test]
fn invalid_payment_data_is_rejected() {
    for bad in ["", "VD50", "_VD50", "5_", "x5_VD50", "5_VD 50", "1234567890_X", "-1_A"] {
        let err = bad.parse::<PaymentData>().unwrap_err();
        assert!(
            matches!(&err, eclipse_vas::Error::InvalidInput { field, .. } if field == "paymentData"),
            "{bad:?}: {err:?}"
        );
    }
    assert!(PaymentData::new(PartnerId::VODACOM, "").is_err());
    assert!(PaymentData::dtb_uganda_nwsc("211_17").is_err());
    assert!(PaymentData::dtb_uganda_mtn("2567799x").is_err());
    // A body with a malformed paymentData does not even decode.
    let body = r#"{"externalUniqueId":"a","type":"GLOBAL_VAS","paymentData":"VD50"}"#;
    assert!(serde_json::from_str::<InitiatePayment>(body).is_err());
}

#[test]
fn partner_constants_match_the_documentation() {
    let named: Vec<(PartnerId, u32)> = vec![
        (PartnerId::MTN, 4),
        (PartnerId::VODACOM, 5),
        (PartnerId::PAY_AT, 14),
        (PartnerId::EASYPAY, 15),
        (PartnerId::KGANYA, 16),
        (PartnerId::CELLULANT, 17),
        (PartnerId::DTB_KENYA, 19),
        (PartnerId::FRONTIERWEB, 20),
        (PartnerId::DTB_UGANDA, 21),
    ];
    for (p, n) in named {
        assert_eq!(p.get(), n);
        assert!(p.name().is_some());
    }
    assert_eq!(PartnerId::KNOWN.len(), 9);
    assert_eq!(PartnerId(99).name(), None);
}

#[test]
fn amounts_and_fees_decode_exactly_from_the_documented_literals() {
    // The literal text of the documentation (the fixtures are normalised by serde_json).
    let body = r#"{"paymentId":172565,"status":"PENDING","amount":29182.000000000,"fee":0E-9,
        "created":"2024-02-21T07:31:33.000Z"}"#;
    let p: Payment = serde_json::from_str(body).unwrap();
    assert_eq!(p.amount(), Some(dec!(29182)));
    assert_eq!(p.fee(), Some(dec!(0)));
    let p: Payment = serde_json::from_str(
        r#"{"paymentId":453209,"status":"PENDING","amount":52008620,"fee":0}"#,
    )
    .unwrap();
    assert_eq!(p.amount(), Some(dec!(52008620)));
    let p: Payment =
        serde_json::from_str(r#"{"paymentId":1,"status":"PENDING","amount":"150.50"}"#).unwrap();
    assert_eq!(p.amount(), Some(dec!(150.50)));
    assert_eq!(serde_json::to_value(&p).unwrap()["amount"], "150.50");
}

#[test]
fn timestamps_keep_their_text_and_parse() {
    let p: Payment = serde_json::from_str(
        r#"{"paymentId":1,"status":"PENDING","created":"2024-02-21T07:31:33.000Z"}"#,
    )
    .unwrap();
    let created = p.created.unwrap();
    assert_eq!(created.as_str(), "2024-02-21T07:31:33.000Z");
    assert_eq!(created.utc().unwrap().to_rfc3339(), "2024-02-21T07:31:33+00:00");
    let odd = eclipse_vas::models::Timestamp::parse("21-FEB-24");
    assert_eq!(odd.utc(), None);
    assert_eq!(serde_json::to_value(&odd).unwrap(), "21-FEB-24");
}

#[test]
fn statuses_classify_into_outcomes() {
    for (wire, status, outcome) in [
        ("PENDING", PaymentStatus::Pending, Outcome::Pending),
        ("SUCCESSFUL", PaymentStatus::Successful, Outcome::Delivered),
        ("ERROR", PaymentStatus::Error, Outcome::Failed),
        ("AWAITING_AUTH", PaymentStatus::Unknown("AWAITING_AUTH".into()), Outcome::Unknown),
        ("pending", PaymentStatus::Unknown("pending".into()), Outcome::Unknown),
    ] {
        let p: Payment =
            serde_json::from_str(&format!(r#"{{"paymentId":7,"status":"{wire}"}}"#)).unwrap();
        assert_eq!(p.status, status);
        assert_eq!(p.outcome(), outcome, "{wire}");
        assert_eq!(serde_json::to_value(&p).unwrap()["status"], wire);
    }
}

#[test]
fn extra_info_that_is_not_json_is_kept_as_text() {
    let info = ExtraInfo::parse("not json");
    assert_eq!(info.raw(), "not json");
    assert!(info.object().is_none() && info.dtb().is_none());
    assert_eq!(serde_json::to_value(&info).unwrap(), "not json");
    let info = ExtraInfo::parse(r#"{"provider":"x"}"#);
    assert!(info.object().is_some() && info.dtb().is_none());
}

#[test]
fn a_field_value_failing_its_regex_is_rejected() {
    let catalog: Vec<eclipse_vas::Partner> = serde_json::from_value(vas_common::testing::load(
        "eclipse",
        "frontierweb-catalog.response.json",
    ))
    .unwrap();
    let product = &catalog[0].products[0];
    assert_eq!(product.product_id, "500");
    assert_eq!(product.fixed_price(), Some(dec!(10)));
    assert!(product.validate_field("msisdn", "26771234567").is_ok());
    for bad in ["1234567", "12345678901234567", "2677123456a", ""] {
        let err = product.validate_field("msisdn", bad).unwrap_err();
        assert!(
            matches!(&err, eclipse_vas::Error::InvalidInput { field, .. } if field == "additionalFields.msisdn"),
            "{bad:?}: {err:?}"
        );
    }
    let pd = product.payment_data().unwrap();
    assert_eq!(pd.to_string(), "20_500");
    let err = InitiatePayment::builder(pd.clone())
        .checked_field(product, "msisdn", "12ab")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("msisdn"), "{err}");
    assert!(
        InitiatePayment::builder(pd)
            .checked_field(product, "msisdn", "26771234567")
            .build()
            .is_ok()
    );

    let spec: FieldSpec =
        serde_json::from_str(r#"{"id":"x","regex":"^[A-Z]{2}$","type":"TEXT"}"#).unwrap();
    assert!(spec.validate("AB").is_ok());
    assert!(spec.validate("ABC").is_err());
    let broken: FieldSpec = serde_json::from_str(r#"{"id":"x","regex":"("}"#).unwrap();
    assert!(broken.validate("anything").is_err());
}

#[test]
fn account_queries_expose_their_details() {
    let catalog: Vec<eclipse_vas::Partner> = serde_json::from_value(vas_common::testing::load(
        "eclipse",
        "dtb-ug-nwsc-catalog.response.json",
    ))
    .unwrap();
    let product = &catalog[0].products[0];
    assert_eq!(product.default_value("CustName"), Some("ROBERT MWESIGYE"));
    assert_eq!(product.default_value("OutstandingBal"), Some("71683"));
    assert_eq!(product.payment_data().unwrap().to_string(), "21_NWSC_21117391");
}

#[test]
fn builders_reject_bad_input() {
    let pd = PaymentData::new(PartnerId::VODACOM, "VD50").unwrap();
    let b = || InitiatePayment::builder(pd.clone());
    assert!(b().external_unique_id("").build().is_err());
    assert!(b().external_unique_id("has space").build().is_err());
    assert!(b().amount(dec!(-5)).build().is_err());
    assert!(b().amount(dec!(0)).build().is_err());
    assert!(b().currency("zar").build().is_err());
    assert!(b().callback_url("ftp://x").build().is_err());
    assert!(b().phone("0821234abc").build().is_err());
    assert!(b().field("", "x").build().is_err());
    // A generated reference is a UUID, and is readable before sending.
    let builder = b();
    let reference = builder.reference().to_string();
    let body = builder.build().unwrap();
    assert_eq!(body.external_unique_id, reference);
    assert!(uuid::Uuid::parse_str(&reference).is_ok());

    assert!(UpdatePayment::builder().build().is_err());
    assert!(UpdatePayment::builder().amount(dec!(-1)).build().is_err());
    assert!(UpdatePayment::builder().amount(dec!(155)).wallet_id(WalletId(1)).build().is_ok());
}

#[test]
fn empty_or_unsafe_tenant_ids_are_rejected() {
    for bad in ["", "66/58", "6658?x", "a b", &"9".repeat(65)] {
        assert!(TenantId::new(bad).is_err(), "{bad:?}");
        let err = Client::builder().tenant(bad).credentials("u", "p").build().unwrap_err();
        assert!(
            matches!(&err, eclipse_vas::Error::InvalidInput { field, .. } if field == "tenantId"),
            "{bad:?}: {err:?}"
        );
    }
    assert!(Client::builder().credentials("u", "p").build().is_err(), "the tenant is required");
    assert!(Client::builder().tenant(6658).build().is_err(), "credentials are required");
    assert!(
        Client::builder().tenant(6658).credentials("u", "p").base_url("not a url").build().is_err()
    );
    assert_eq!(TenantId::from(6658).as_str(), "6658");
    assert_eq!(serde_json::to_value(TenantId::from(6658)).unwrap(), serde_json::json!(6658));
}

// ---- callback signatures ----

const KEY: &str = "HelloWorld";
const T: i64 = 1625602409535;
const BODY: &str = r#"{"paymentId":172565,"externalUniqueId":"9c04cede-e105-488b-9211-ab21bf3e1db9","status":"SUCCESSFUL"}"#;
/// Computed independently: printf '%s' "1625602409535.$BODY" | openssl dgst -sha256 -hmac HelloWorld -binary | base64
const BODY_V1: &str = "A9R3m2hSvVIea5fEdm8sIIeScNPiAyu974zJu+90TM4=";
/// The same for an empty body.
const EMPTY_V1: &str = "R7ab5hmuOPBm23dei4H0R97fZ2EJHh04iKp9rvMumek=";
/// The vendor's published vector (its body is not in the documentation excerpt).
const VENDOR_V1: &str = "b2+TTx2JbaHqeM67fpRye30Go1vdyvyGdoljBqdL9Rg=";

fn verifier() -> Verifier {
    Verifier::new(SecretString::from(KEY))
}

#[test]
fn signatures_match_independently_computed_vectors() {
    let key = SecretString::from(KEY);
    assert_eq!(sign(&key, T, BODY.as_bytes()), BODY_V1);
    assert_eq!(sign(&key, T, b""), EMPTY_V1);
    let header = format!("t={T},v1={BODY_V1}");
    assert_eq!(verifier().verify_at(&header, BODY.as_bytes(), T + 10_000), Ok(()));
    let payment = verifier().verify_and_decode_at(&header, BODY.as_bytes(), T).unwrap();
    assert_eq!(payment.payment_id.as_str(), "172565");
    assert_eq!(payment.outcome(), Outcome::Delivered);
}

#[test]
fn the_vendor_header_parses() {
    let header = format!("t={T},v1={VENDOR_V1}");
    let parsed = SignatureHeader::parse(&header).unwrap();
    assert_eq!(parsed.timestamp_ms, T);
    assert_eq!(parsed.signatures.len(), 1);
    assert_eq!(parsed.signatures[0].len(), 32, "an HMAC-SHA256 tag");
    // Without the vendor's body the vector cannot be reproduced; a different body must not match.
    assert_eq!(verifier().verify_at(&header, BODY.as_bytes(), T), Err(SignatureError::Mismatch));
}

#[test]
fn bad_signatures_are_rejected() {
    let v = verifier();
    let good = format!("t={T},v1={BODY_V1}");
    let tampered = BODY.replace("SUCCESSFUL", "ERROR");
    assert_eq!(v.verify_at(&good, tampered.as_bytes(), T), Err(SignatureError::Mismatch));
    let other_key = Verifier::new(SecretString::from("helloworld"));
    assert_eq!(other_key.verify_at(&good, BODY.as_bytes(), T), Err(SignatureError::Mismatch));
    // Timestamp signed is part of the message.
    let shifted = format!("t={},v1={BODY_V1}", T + 1);
    assert_eq!(v.verify_at(&shifted, BODY.as_bytes(), T), Err(SignatureError::Mismatch));
    // Stale and future timestamps, 5 minutes tolerance by default.
    assert!(matches!(
        v.verify_at(&good, BODY.as_bytes(), T + 300_001),
        Err(SignatureError::OutsideTolerance { age_ms: 300_001 })
    ));
    assert!(matches!(
        v.verify_at(&good, BODY.as_bytes(), T - 300_001),
        Err(SignatureError::OutsideTolerance { .. })
    ));
    let strict = verifier().tolerance(std::time::Duration::from_secs(1));
    assert!(strict.verify_at(&good, BODY.as_bytes(), T + 1_001).is_err());
    assert!(strict.verify_at(&good, BODY.as_bytes(), T + 999).is_ok());
    // Missing or malformed parts.
    assert_eq!(
        v.verify_at(&format!("v1={BODY_V1}"), BODY.as_bytes(), T),
        Err(SignatureError::MissingTimestamp)
    );
    assert_eq!(
        v.verify_at(&format!("t={T}"), BODY.as_bytes(), T),
        Err(SignatureError::MissingSignature)
    );
    assert!(matches!(
        v.verify_at("t=abc,v1=AAAA", BODY.as_bytes(), T),
        Err(SignatureError::Malformed(_))
    ));
    assert!(matches!(
        v.verify_at(&format!("t={T},v1=***"), BODY.as_bytes(), T),
        Err(SignatureError::Malformed(_))
    ));
    assert!(v.verify_at("", BODY.as_bytes(), T).is_err());
    // Several v1 signatures (during a key rotation): one match is enough; spaces are ignored.
    let rotated = format!("t={T}, v1={EMPTY_V1}, v1={BODY_V1}");
    assert_eq!(v.verify_at(&rotated, BODY.as_bytes(), T), Ok(()));
    // A verified but undecodable body is a decode error, not a panic.
    let junk = b"<html>oops</html>";
    let h = format!("t={T},v1={}", sign(&SecretString::from(KEY), T, junk));
    let err = v.verify_and_decode_at(&h, junk, T).unwrap_err();
    assert!(matches!(err, eclipse_vas::Error::Decode { .. }), "{err:?}");
    // The current time is used by `verify`.
    assert!(matches!(
        v.verify(&good, BODY.as_bytes()),
        Err(SignatureError::OutsideTolerance { .. })
    ));
}

#[test]
fn a_callback_body_decodes_into_a_payment() {
    let body = vas_common::testing::read("eclipse", "dtb-ug-umeme-initiate-payment.response.json");
    let p = decode_payment(body.as_bytes()).unwrap();
    assert_eq!(p.payment_id.as_u64(), Some(142607));
    assert_eq!(p.amount(), Some(dec!(29182)));
    assert_eq!(p.field("destinationType"), Some("UMEME_ACCOUNT"));
    let err = decode_payment(br#"{"paymentId":1,"status":5}"#).unwrap_err();
    match err {
        eclipse_vas::Error::Decode { path, body, .. } => {
            assert_eq!(path, "status");
            assert_eq!(body, r#"{"paymentId":1,"status":5}"#);
        }
        other => panic!("{other:?}"),
    }
    assert!(decode_payment(br#"{"paymentId":1,"#).is_err());
}

#[test]
fn the_acs_electricity_unpin_and_ussd_are_surfaced() {
    let body = r#"{"paymentId":9001,"status":"SUCCESSFUL","amount":100,
        "additionalFields":[{"id":"meterNumber","value":"04040404040"},{"id":"unPin","value":"1234 5678 9012"}],
        "ussdString":"*120*4357*04040404040#"}"#;
    let p: Payment = serde_json::from_str(body).unwrap();
    let e = p.acs_electricity().unwrap();
    assert_eq!(e.unpin.expose_secret(), "1234 5678 9012");
    assert_eq!(e.ussd.as_deref(), Some("*120*4357*04040404040#"));
    let debug = format!("{e:?}");
    assert!(!debug.contains("1234 5678"), "{debug}");
    // Nor does the payment's own Debug show it.
    let debug = format!("{p:?}");
    assert!(!debug.contains("1234 5678"), "{debug}");
    assert!(debug.contains("04040404040"), "other fields stay visible: {debug}");
    assert!(debug.contains("*120*4357*04040404040#"));
    // Also inside extraInfo, with other spellings.
    let body = r#"{"paymentId":9002,"status":"SUCCESSFUL","extraInfo":"{\"UN_PIN\":\"9999\",\"USSD\":\"*1#\"}"}"#;
    let p = serde_json::from_str::<Payment>(body).unwrap();
    let e = p.acs_electricity().unwrap();
    assert_eq!(e.unpin.expose_secret(), "9999");
    let object = p.extra_info.as_ref().and_then(|i| i.object()).unwrap();
    assert!(!format!("{object:?}").contains("9999"));
    assert_eq!(e.ussd.as_deref(), Some("*1#"));
    // Payments without one have none.
    let p: Payment = serde_json::from_value(vas_common::testing::load(
        "eclipse",
        "dtb-ug-mtn-initiate-payment.response.json",
    ))
    .unwrap();
    assert!(p.acs_electricity().is_none());
}

// ---- redaction ----

#[test]
fn no_secret_appears_in_debug() {
    let client = Client::builder()
        .tenant(6658)
        .credentials("me@example.com", "hunter2-pass")
        .build()
        .unwrap();
    let builder = Client::builder().tenant(6658).credentials("me@example.com", "hunter2-pass");
    let token_client =
        Client::builder().tenant(6658).token("eyJ.secret-jwt-value.sig").build().unwrap();
    let login = LoginRequest {
        identity: "me@example.com".into(),
        password: SecretString::from("hunter2-pass"),
    };
    let renew = RenewRequest { jwt: SecretString::from("secret-jwt-value") };
    let answer: LoginResponse = serde_json::from_str(
        r#"{"headerName":"Authorization","headerValue":"Bearer secret-jwt-value","sessionId":"secret-session",
            "roles":["CUSTOMER"],"csrfHeaderName":"X-CSRF","csrfToken":"secret-csrf","expiresEpochSecs":1700000000}"#,
    )
    .unwrap();
    assert_eq!(answer.jwt().expose_secret(), "secret-jwt-value");
    let verifier = Verifier::new(SecretString::from("hunter2-pass"));
    for debug in [
        format!("{client:?}"),
        format!("{builder:?}"),
        format!("{token_client:?}"),
        format!("{login:?}"),
        format!("{renew:?}"),
        format!("{answer:?}"),
        format!("{verifier:?}"),
    ] {
        for secret in ["hunter2-pass", "secret-jwt-value", "secret-session", "secret-csrf"] {
            assert!(!debug.contains(secret), "{secret} in {debug}");
        }
        assert!(debug.contains("[REDACTED]"), "{debug}");
    }
    // The login body does carry the password (it must), and only there.
    assert_eq!(
        serde_json::to_string(&login).unwrap(),
        r#"{"identity":"me@example.com","password":"hunter2-pass"}"#
    );
    assert_eq!(serde_json::to_string(&renew).unwrap(), r#"{"jwt":"secret-jwt-value"}"#);
}

#[test]
fn the_client_and_its_futures_can_cross_threads() {
    fn send_sync<T: Send + Sync + 'static>() {}
    fn send<T: Send>(_: &T) {}
    send_sync::<Client>();
    send_sync::<eclipse_vas::Error>();
    send_sync::<Payment>();
    send_sync::<eclipse_vas::Purchase>();
    let client = Client::builder().tenant(1).credentials("u", "p").build().unwrap();
    let customer = eclipse_vas::CustomerId::from(1);
    let body = InitiatePayment::builder(PaymentData::new(PartnerId::MTN, "M512").unwrap())
        .build()
        .unwrap();
    let confirm = eclipse_vas::ConfirmOptions::default();
    // Not awaited: only their types are checked.
    send(&client.purchase_and_confirm(&customer, &body, None, &confirm));
    send(&client.initiate_payment(&customer, &body));
    send(&client.get_payment(&eclipse_vas::PaymentId::from(1)));
    send(&client.lookup_msisdn("27831234567"));
}

#[test]
fn sensitive_field_names_are_recognised() {
    use eclipse_vas::models::is_sensitive_name;
    for name in [
        "unPin",
        "UN_PIN",
        "voucherPin",
        "pinCode",
        "token",
        "electricityToken",
        "password",
        "clientSecret",
    ] {
        assert!(is_sensitive_name(name), "{name}");
    }
    for name in ["msisdn", "pinnedProduct", "destinationName", "paymentReference", "meterNumber"] {
        assert!(!is_sensitive_name(name), "{name}");
    }
}
