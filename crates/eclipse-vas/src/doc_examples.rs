//! The vendor's documented request examples, built with this crate's typed builders.
//!
//! `fixtures/eclipse/` holds each example as documented (placeholders replaced, see its
//! `INDEX.md`); the tests check that these builders produce exactly the same bodies, and
//! `cargo xtask fixtures` writes them to `fixtures/eclipse/built/`.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::Result;
use crate::{InitiatePayment, PartnerId, PaymentData, UpdatePayment, WalletId};

const LANDING: &str = "https://www.google.com/";
const BLANK: &str = "http://www.blankwebsite.com";
const MSISDN: &str = "27831234567";
const WALLET: WalletId = WalletId(830989);

fn json<T: Serialize>(built: Result<T>) -> serde_json::Value {
    match built {
        Ok(body) => serde_json::to_value(body)
            .unwrap_or_else(|e| serde_json::json!({ "encode error": e.to_string() })),
        Err(e) => serde_json::json!({ "builder error": e.to_string() }),
    }
}

fn update(amount: i64, wallet: WalletId) -> crate::models::UpdatePaymentBuilder {
    UpdatePayment::builder().amount(Decimal::from(amount)).wallet_id(wallet)
}

fn dtb(
    reference: &str,
    payment_data: Result<PaymentData>,
    amount: i64,
    currency: &str,
    fields: &[(&str, &str)],
    wallet: u64,
    description: Option<&str>,
) -> Result<InitiatePayment> {
    let mut b = InitiatePayment::builder(payment_data?)
        .external_unique_id(reference)
        .amount(Decimal::from(amount))
        .currency(currency)
        .wallet_id(WalletId(wallet))
        .custom_fraud_checks(false);
    for (id, value) in fields {
        b = b.field(*id, *value);
    }
    if let Some(d) = description {
        b = b.description(d);
    }
    b.build()
}

/// Each documented request example as `(fixture file name, JSON body)`.
pub fn requests() -> Vec<(&'static str, serde_json::Value)> {
    vec![
        (
            "scan-to-pay-initiate-payment.request.json",
            json(PaymentData::new(PartnerId::VODACOM, "VD50").and_then(|pd| {
                InitiatePayment::builder(pd)
                    .field("msisdn", MSISDN)
                    .landing_url(LANDING)
                    .callback_url("http://www.callback.com")
                    .external_unique_id("abcd1234")
                    .currency("ZAR")
                    .wallet_id(WALLET)
                    .build()
            })),
        ),
        (
            "scan-to-pay-update-payment.request.json",
            json(update(155, WALLET).landing_url(LANDING).build()),
        ),
        (
            "acs-initiate-payment.request.json",
            json(PaymentData::new(PartnerId::MTN, "M512").and_then(|pd| {
                InitiatePayment::builder(pd)
                    .field("msisdn", MSISDN)
                    .landing_url(LANDING)
                    .callback_url(BLANK)
                    .external_unique_id("abcd1234a")
                    .currency("ZAR")
                    .wallet_id(WALLET)
                    .build()
            })),
        ),
        ("acs-update-payment.request.json", json(update(49, WALLET).landing_url(LANDING).build())),
        (
            "kganya-initiate-payment.request.json",
            json(PaymentData::new(PartnerId::KGANYA, "0310564280_T089775335322_3").and_then(
                |pd| {
                    InitiatePayment::builder(pd)
                        .field("msisdn", "0310564280")
                        .landing_url(LANDING)
                        .callback_url(BLANK)
                        .external_unique_id("abcd1234a")
                        .currency("ZAR")
                        .wallet_id(WALLET)
                        .build()
                },
            )),
        ),
        (
            "kganya-update-payment.request.json",
            json(update(100, WALLET).landing_url(LANDING).build()),
        ),
        (
            "payat-initiate-payment.request.json",
            json(PaymentData::new(PartnerId::PAY_AT, "14577").and_then(|pd| {
                InitiatePayment::builder(pd)
                    .field("accountNumber", "123456789012")
                    .callback_url(BLANK)
                    .external_unique_id("9e60398d-6ddd-4f46-b6cd-2081c872b2ea")
                    .build()
            })),
        ),
        (
            "payat-update-payment.request.json",
            json(
                update(150, WALLET)
                    .external_unique_id("9e60398d-6ddd-4f46-b6cd-2081c872b2ea")
                    .build(),
            ),
        ),
        (
            "easypay-initiate-payment.request.json",
            json(PaymentData::new(PartnerId::EASYPAY, "1764").and_then(|pd| {
                InitiatePayment::builder(pd)
                    .field("msisdn", MSISDN)
                    .landing_url(LANDING)
                    .callback_url(BLANK)
                    .external_unique_id("29agd6z317d519e87211")
                    .phone(MSISDN)
                    .wallet_id(WALLET)
                    .build()
            })),
        ),
        (
            "easypay-update-payment.request.json",
            json(update(150, WALLET).external_unique_id("29agd6z317d519e87211").build()),
        ),
        (
            "dtb-ke-tax-initiate-payment.request.json",
            json(dtb(
                "772021c2-bc1b-4a83-8c26-2ea2fe210836",
                PaymentData::dtb_kenya_tax("1020230000060915"),
                52008620,
                "KES",
                &[],
                830989,
                None,
            )),
        ),
        (
            "dtb-ke-vas-initiate-payment.request.json",
            json(dtb(
                "4490d40f-f2ef-4ee6-878c-2885fd4d990c",
                PaymentData::dtb_kenya_vas("KE-STARTIMES", "1234567890"),
                100,
                "KES",
                &[],
                836788,
                Some("VAS KE-STARTIMES payment for 1234567890"),
            )),
        ),
        (
            "dtb-ug-nwsc-initiate-payment.request.json",
            json(dtb(
                "0b6f3c52-7d1e-4a8b-9f21-5c3e8d4a7b10",
                PaymentData::dtb_uganda_nwsc("21117391"),
                71683,
                "UGX",
                &[("destinationBranchCode", "001"), ("destinationName", "ROBERT MWESIGYE")],
                206744,
                Some("21117391"),
            )),
        ),
        (
            "dtb-ug-umeme-initiate-payment.request.json",
            json(dtb(
                "48d9b276-ad03-4ee9-9a4b-6377eb383502",
                PaymentData::dtb_uganda_umeme("200166426"),
                29182,
                "UGX",
                &[
                    ("destinationBranchCode", "001"),
                    ("destinationName", "BASEKANAKYO DEBULA"),
                    ("destinationType", "UMEME_ACCOUNT"),
                    ("destinationPhone", "704263087"),
                ],
                206744,
                Some("POSTPAID"),
            )),
        ),
        (
            "dtb-ug-ura-tax-initiate-payment.request.json",
            json(dtb(
                "6797d402-1734-46f3-8066-73a3a2bc3860",
                PaymentData::dtb_uganda_tax("1001307092"),
                25000,
                "UGX",
                &[
                    ("destinationBranchCode", "001"),
                    ("destinationName", "DAMBAK ENTERPRISES LIMITED"),
                ],
                207016,
                Some("2240000621955"),
            )),
        ),
        (
            "dtb-ug-mtn-initiate-payment.request.json",
            json(dtb(
                "9c04cede-e105-488b-9211-ab21bf3e1db9",
                PaymentData::dtb_uganda_mtn("256779999703"),
                29182,
                "UGX",
                &[
                    ("destinationBranchCode", "001"),
                    ("destinationName", "Martha N"),
                    ("destinationType", "MTN_WALLET"),
                    ("destinationPhone", "256779999703"),
                ],
                204142,
                Some("Transfer from bank to wallet"),
            )),
        ),
        (
            "cellulant-initiate-payment.request.json",
            json(
                PaymentData::cellulant(
                    Some("254707720002"),
                    "042381176772",
                    "KE-DSTV",
                    "DSTVTESTKE",
                )
                .and_then(|pd| {
                    InitiatePayment::builder(pd)
                        .field("msisdn", "254707720002")
                        .landing_url(LANDING)
                        .callback_url(BLANK)
                        .external_unique_id("abcd1234a")
                        .currency("ZAR")
                        .wallet_id(WALLET)
                        .build()
                }),
            ),
        ),
        (
            "cellulant-update-payment.request.json",
            json(update(517, WalletId(476)).landing_url(LANDING).build()),
        ),
    ]
}
