//! VTpass (Nigeria), through `vtpass-client`.
//!
//! | shared model | VTpass |
//! | --- | --- |
//! | product id | `serviceID` for an amount-priced service (airtime, electricity, TV), `serviceID/variation_code` for a plan; electricity as `serviceID/prepaid` and `serviceID/postpaid` |
//! | catalog | `service-categories`, then `services?identifier=` per category, then `service-variations` per plan-priced service |
//! | reference | `request_id` (`YYYYMMDDHHmm` in Lagos time, then a random suffix) |
//! | purchase / status | `pay` / `requery`, classified by [`vtpass_client::classify_pay`] and [`vtpass_client::classify_requery`] |
//! | recipient lookup | `merchant-verify`, for meters, smartcards and accounts |

use async_trait::async_trait;
use futures::future::join_all;
use vas_common::{ExposeSecret as _, Outcome, SecretString};
use vtpass_client::{
    Classification, Detail, PayRequest, RequestId, ResponseCode, ServiceId, SubscriptionType,
    TransactionResponse, VerifyRequest,
};

use super::common::{bad_reference, kind_of_http_status, raw_json, unknown_outcome, wrap};
use crate::{
    CatalogQuery, Currency, Delivered, Error, ErrorKind, FieldKind, FieldSpec, MeterType, Money,
    Pattern, PreparedPurchase, Price, Product, ProductKind, Receipt, Recipient, RecipientInfo,
    Reference, Result, VasProvider, Vendor,
};

const V: Vendor = Vendor::Vtpass;

/// VTpass as a [`VasProvider`].
///
/// ```no_run
/// use vas_core::Vas;
/// use vas_core::adapters::vtpass::VtpassProvider;
///
/// # fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let client = vtpass_client::Client::builder()
///     .environment(vtpass_client::Environment::Sandbox)
///     .basic_auth("you@example.com", "your-password")
///     .build()?;
/// let vas = Vas::builder().provider(VtpassProvider::new(client)).build()?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct VtpassProvider {
    client: vtpass_client::Client,
}

impl VtpassProvider {
    /// Wraps a client.
    pub fn new(client: vtpass_client::Client) -> Self {
        Self { client }
    }

    /// The client.
    pub fn client(&self) -> &vtpass_client::Client {
        &self.client
    }

    async fn category_products(
        &self,
        identifier: String,
        category_name: Option<String>,
    ) -> Result<Vec<Product>> {
        let services = self.client.services(&identifier).await.map_err(read_error)?;
        let kind = kind_of_category(&identifier);
        let mut products = Vec::new();
        let mut planned = Vec::new();
        for s in services.content {
            let detail = serde_json::to_value(&s).unwrap_or_default();
            let service_name = s.name.clone().unwrap_or_else(|| s.service_id.clone());
            let operator = operator_of(&s.service_id, &service_name);
            let plans = s.product_type.as_deref().is_some_and(|t| t.eq_ignore_ascii_case("fix"));
            if plans {
                planned.push((s.service_id.clone(), operator, detail));
                continue;
            }
            let price = Price::range(
                Currency::Ngn,
                s.minimum_amount.as_ref().map(|m| m.value()).filter(|m| !m.is_zero()),
                s.maximum_amount.as_ref().map(|m| m.value()).filter(|m| !m.is_zero()),
            );
            let base = |id: String, title: String| {
                Product::new(V, id, title, kind.clone(), price.clone())
                    .with_operator(operator.clone())
                    .with_country("NG")
                    .with_detail(serde_json::json!({"category": identifier, "category_name": category_name, "service": detail}))
            };
            if kind == ProductKind::Electricity {
                for meter in [MeterType::Prepaid, MeterType::Postpaid] {
                    let p = base(
                        format!("{}/{}", s.service_id, meter.as_str()),
                        format!("{service_name} ({})", meter.as_str()),
                    );
                    products.push(with_fields(p, &s.service_id));
                }
            } else {
                products.push(with_fields(
                    base(s.service_id.clone(), service_name.clone()),
                    &s.service_id,
                ));
            }
        }
        let plan_lists = join_all(planned.into_iter().map(|(id, operator, detail)| {
            let kind = kind.clone();
            let identifier = identifier.clone();
            async move {
                let service = ServiceId::new(id.clone()).map_err(read_error)?;
                let answer = self.client.service_variations(&service).await.map_err(read_error)?;
                Ok::<_, Error>(
                    answer
                        .variations()
                        .iter()
                        .map(|v| {
                            let amount = v.variation_amount.as_ref().map(|a| a.value());
                            let price = match amount {
                                Some(a) if v.is_fixed_price() || v.fixed_price.is_none() => {
                                    Price::fixed(a, Currency::Ngn)
                                }
                                _ => Price::range(Currency::Ngn, None, None),
                            };
                            let p = Product::new(
                                V,
                                format!("{id}/{}", v.variation_code),
                                v.name.clone().unwrap_or_else(|| v.variation_code.clone()),
                                kind.clone(),
                                price,
                            )
                            .with_operator(operator.clone())
                            .with_country("NG")
                            .with_detail(serde_json::json!({
                                "category": identifier,
                                "service": detail,
                                "variation": serde_json::to_value(v).unwrap_or_default(),
                            }));
                            with_fields(p, &id)
                        })
                        .collect::<Vec<_>>(),
                )
            }
        }))
        .await;
        for list in plan_lists {
            products.extend(list?);
        }
        Ok(products)
    }
}

fn kind_of_category(identifier: &str) -> ProductKind {
    match identifier {
        "airtime" => ProductKind::Airtime,
        "data" => ProductKind::Data,
        "tv-subscription" => ProductKind::Tv,
        "electricity-bill" => ProductKind::Electricity,
        "education" | "insurance" | "other-services" => ProductKind::Bill,
        other => ProductKind::Other(other.to_owned()),
    }
}

fn operator_of(service_id: &str, name: &str) -> String {
    const KNOWN: [(&str, &str); 10] = [
        ("mtn", "MTN"),
        ("airtel", "Airtel"),
        ("glo", "Glo"),
        ("etisalat", "9mobile"),
        ("dstv", "DStv"),
        ("gotv", "GOtv"),
        ("startimes", "StarTimes"),
        ("showmax", "Showmax"),
        ("spectranet", "Spectranet"),
        ("smile", "Smile"),
    ];
    let head = service_id.split('-').next().unwrap_or(service_id);
    KNOWN.iter().find(|(id, _)| *id == head).map(|(_, n)| (*n).to_owned()).unwrap_or_else(|| {
        // "Ikeja Electric Payment - IKEDC" → "Ikeja Electric"
        let cut = name.split(" - ").next().unwrap_or(name);
        cut.trim_end_matches(" Payment").trim().to_owned()
    })
}

/// Phone-number products: the phone is also the `billersCode`.
fn is_phone_service(service_id: &str) -> bool {
    let head = service_id.split('-').next().unwrap_or(service_id);
    matches!(head, "mtn" | "airtel" | "glo" | "etisalat")
}

fn phone_field(name: &str) -> FieldSpec {
    let f = FieldSpec::required(name, FieldKind::Phone).with_label("Phone number");
    match Pattern::new(r"0[789][01]\d{8}") {
        Ok(p) => f.with_pattern(p),
        Err(_) => f,
    }
}

fn with_fields(p: Product, service_id: &str) -> Product {
    match p.kind {
        _ if is_phone_service(service_id) => p.with_field(phone_field("phone")),
        ProductKind::Electricity => p
            .with_field(
                FieldSpec::required("billersCode", FieldKind::Meter).with_label("Meter number"),
            )
            .with_field(phone_field("phone")),
        ProductKind::Tv => p
            .with_field(
                FieldSpec::required("billersCode", FieldKind::Smartcard)
                    .with_label("Smartcard number"),
            )
            .with_field(phone_field("phone"))
            .with_field(
                FieldSpec::optional("subscription_type", FieldKind::Text)
                    .with_choices(["change", "renew"]),
            ),
        _ => p
            .with_field(
                FieldSpec::required("billersCode", FieldKind::Account).with_label("Account number"),
            )
            .with_field(phone_field("phone")),
    }
}

/// Maps an error of a read (catalog, lookup, status).
fn read_error(e: vtpass_client::Error) -> Error {
    use vtpass_client::{Error as E, ResponseCode as C};
    let kind = match &e {
        E::Config { .. } => ErrorKind::Config,
        E::InvalidInput { .. } => ErrorKind::CallerInput,
        E::Http { status, .. } => kind_of_http_status(*status),
        E::Vendor { code, .. } => match code {
            c if is_access_refusal(c) => ErrorKind::Auth,
            C::ProductDoesNotExist | C::VariationCodeDoesNotExist | C::InvalidRequestId => {
                ErrorKind::NotFound
            }
            C::SystemError | C::BillerNotReachable => ErrorKind::Transient,
            _ => ErrorKind::VendorRejected,
        },
        _ => ErrorKind::Transient,
    };
    wrap(V, kind, e)
}

/// Codes that refuse the account rather than the purchase: invalid credentials (`087`), an
/// account locked, suspended, without API access or inactive (`021`-`024`), an IP address
/// not whitelisted (`027`). A configuration problem for the caller to fix, not a failed
/// purchase and not a transient one.
fn is_access_refusal(code: &ResponseCode) -> bool {
    use ResponseCode as C;
    matches!(
        code,
        C::InvalidCredentials
            | C::AccountLocked
            | C::AccountSuspended
            | C::ApiAccessNotEnabled
            | C::AccountInactive
            | C::IpNotWhitelisted
    )
}

/// An [`ErrorKind::Auth`] error when VTpass answered with an access refusal and no
/// transaction (the transaction, when there is one, decides instead).
///
/// `consequence` ends the message: what the refusal means for the purchase.
fn access_refused(
    answer: &TransactionResponse,
    c: &Classification,
    consequence: &str,
) -> Option<Error> {
    let code = c.code.as_ref().filter(|code| is_access_refusal(code))?;
    if c.status.is_some() || answer.transaction().is_some() {
        return None;
    }
    let description = answer.response_description.as_deref().unwrap_or("no description");
    Some(
        Error::new(
            ErrorKind::Auth,
            format!("VTpass refused the account (code {code}: {description}): {consequence}"),
        )
        .with_vendor(V),
    )
}

fn request_id(reference: &Reference) -> Result<RequestId> {
    RequestId::parse(reference.as_str()).map_err(bad_reference)
}

/// The token out of `purchased_code` (`Token : 1234 5678 …` → `1234 5678 …`).
fn token_of(code: &SecretString) -> SecretString {
    let text = code.expose_secret().trim();
    let value = match text.split_once(':') {
        Some((label, rest)) if label.trim().eq_ignore_ascii_case("token") => rest.trim(),
        _ => text,
    };
    SecretString::from(value.to_owned())
}

fn receipt(
    reference: &Reference,
    r: &TransactionResponse,
    c: &Classification,
    electricity: bool,
) -> Receipt {
    let mut receipt = Receipt::new(V, c.outcome, reference.clone());
    if let Some(id) = r.transaction().and_then(|t| t.transaction_id.as_ref()) {
        receipt = receipt.with_transaction_id(id.as_str());
    }
    if let Some(a) = r.amount.as_ref().or_else(|| r.transaction().and_then(|t| t.amount.as_ref())) {
        receipt = receipt.with_amount(Money::new(a.value(), Currency::Ngn));
    }
    let words = [c.status.as_ref().map(|s| s.as_str().to_owned()), r.response_description.clone()];
    let message = words.into_iter().flatten().collect::<Vec<_>>().join(": ");
    if !message.is_empty() {
        receipt = receipt.with_message(format!("{message} ({})", c.detail));
    }
    if c.outcome == Outcome::Delivered {
        let mut d = Delivered::default();
        let card = r.cards().first();
        d.pin = card.and_then(|c| c.pin.clone());
        d.serial = card.and_then(|c| c.serial_number.as_ref()).map(|s| s.as_str().to_owned());
        match r.purchased_code() {
            Some(code)
                if electricity || code.expose_secret().to_ascii_lowercase().contains("token") =>
            {
                d.token = Some(token_of(code));
            }
            Some(code) if d.pin.is_none() => d.pin = Some(code.clone()),
            _ => {}
        }
        d.units = ["units", "Units", "mainTokenUnits"]
            .iter()
            .find_map(|k| r.extra.get(k))
            .map(|u| u.as_str().map(str::to_owned).unwrap_or_else(|| u.to_string()));
        receipt = receipt.with_delivered(d);
    }
    match raw_json(r) {
        Some(raw) => receipt.with_raw(raw),
        None => receipt,
    }
}

#[async_trait]
impl VasProvider for VtpassProvider {
    fn vendor(&self) -> Vendor {
        V
    }

    async fn catalog(&self, query: &CatalogQuery) -> Result<Vec<Product>> {
        if query.country.as_deref().is_some_and(|c| !c.eq_ignore_ascii_case("NG")) {
            return Ok(Vec::new());
        }
        let categories = self.client.service_categories().await.map_err(read_error)?;
        let wanted = categories
            .content
            .into_iter()
            .filter(|c| query.kind.as_ref().is_none_or(|k| *k == kind_of_category(&c.identifier)))
            .map(|c| self.category_products(c.identifier, c.name));
        let mut products = Vec::new();
        for list in join_all(wanted).await {
            products.extend(list?);
        }
        Ok(products)
    }

    fn new_reference(&self) -> Reference {
        Reference::new(RequestId::generate().as_str())
    }

    fn check_reference(&self, reference: &Reference) -> Result<()> {
        request_id(reference).map(|_| ())
    }

    async fn validate_recipient(
        &self,
        product: &Product,
        recipient: &Recipient,
    ) -> Result<RecipientInfo> {
        if matches!(recipient, Recipient::Phone(_)) {
            return Ok(RecipientInfo::unverified());
        }
        let (service, variation) = split_id(&product.id);
        let service = ServiceId::new(service).map_err(read_error)?;
        let mut request = VerifyRequest::new(service, recipient.value()).map_err(read_error)?;
        if product.kind == ProductKind::Electricity {
            request = request.meter_type(match meter_type(recipient, variation) {
                MeterType::Postpaid => vtpass_client::MeterType::Postpaid,
                MeterType::Prepaid => vtpass_client::MeterType::Prepaid,
            });
        }
        let answer = self.client.merchant_verify(&request).await.map_err(read_error)?;
        let detail = serde_json::to_value(&answer).unwrap_or_default();
        if !answer.is_valid() {
            let why = answer
                .error_message()
                .unwrap_or_else(|| "VTpass does not know this number".to_owned());
            return Err(Error::new(ErrorKind::NotFound, why)
                .with_vendor(V)
                .with_field("recipient"));
        }
        let mut info = RecipientInfo::verified(answer.customer_name().map(str::to_owned), detail);
        if let Some(address) = answer.content.as_ref().and_then(|c| c.address.clone()) {
            info = info.with_address(address);
        }
        Ok(info)
    }

    async fn purchase(&self, p: &PreparedPurchase) -> Result<Receipt> {
        let rid = request_id(p.reference())?;
        let (service, variation) = split_id(&p.product().id);
        let service_id = ServiceId::new(service).map_err(|e| wrap(V, ErrorKind::CallerInput, e))?;
        let electricity = p.product().kind == ProductKind::Electricity;
        let mut b = PayRequest::builder(service_id).request_id(rid).amount(p.amount().amount);
        match (p.phone(), p.recipient()) {
            (Some(phone), _) => {
                b = b.phone(phone.national());
                if variation.is_some() {
                    b = b.billers_code(phone.national());
                }
            }
            (None, recipient) => {
                let phone = p.field("phone").and_then(|f| crate::Phone::parse(f, Some("NG")).ok());
                if let Some(phone) = phone {
                    b = b.phone(phone.national());
                }
                b = b.billers_code(recipient.value());
            }
        }
        match variation {
            Some(_) if electricity => {
                b = b.variation_code(meter_type(p.recipient(), variation).as_str());
            }
            Some(v) => b = b.variation_code(v),
            None => {}
        }
        match p.field("subscription_type") {
            Some("change") => b = b.subscription_type(SubscriptionType::Change),
            Some("renew") => b = b.subscription_type(SubscriptionType::Renew),
            _ => {}
        }
        let request = b.build().map_err(|e| wrap(V, ErrorKind::CallerInput, e))?;
        match self.client.pay(&request).await {
            Ok(answer) => {
                let c = vtpass_client::classify_pay(&answer);
                // Refused before processing (classified Failed): nothing was bought, but the
                // cause is the account's set-up, which the caller must see as such.
                if c.detail == Detail::Rejected
                    && let Some(e) = access_refused(&answer, &c, "nothing was bought")
                {
                    return Err(e.with_reference(p.reference().clone()));
                }
                Ok(receipt(p.reference(), &answer, &c, electricity))
            }
            Err(e) if e.maybe_sent() => Err(unknown_outcome(V, e)),
            Err(e) => {
                let kind = match &e {
                    vtpass_client::Error::Config { .. } => ErrorKind::Config,
                    vtpass_client::Error::InvalidInput { .. } => ErrorKind::CallerInput,
                    _ => ErrorKind::Transient,
                };
                Err(wrap(V, kind, e))
            }
        }
    }

    async fn status(&self, reference: &Reference) -> Result<Receipt> {
        let rid = request_id(reference)?;
        let answer = self.client.requery(&rid).await.map_err(read_error)?;
        let c = vtpass_client::classify_requery(&answer);
        // The answer says nothing about the purchase; asking again will not help until the
        // account is fixed.
        if let Some(e) = access_refused(&answer, &c, "the status of the purchase is not known") {
            return Err(e.with_reference(reference.clone()));
        }
        if c.detail == Detail::NotFound {
            return Err(Error::new(
                ErrorKind::NotFound,
                "VTpass has no transaction with this request id",
            )
            .with_vendor(V)
            .with_reference(reference.clone()));
        }
        let electricity = answer
            .transaction()
            .and_then(|t| t.kind.as_deref())
            .is_some_and(|k| k.to_ascii_lowercase().contains("electric"));
        Ok(receipt(reference, &answer, &c, electricity))
    }
}

fn split_id(id: &str) -> (&str, Option<&str>) {
    match id.split_once('/') {
        Some((s, v)) => (s, Some(v)),
        None => (id, None),
    }
}

fn meter_type(recipient: &Recipient, variation: Option<&str>) -> MeterType {
    match (recipient.meter_type(), variation) {
        (Some(t), _) => t,
        (None, Some("postpaid")) => MeterType::Postpaid,
        _ => MeterType::Prepaid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_map_to_kinds_operators_and_fields() {
        assert_eq!(kind_of_category("electricity-bill"), ProductKind::Electricity);
        assert_eq!(kind_of_category("tv-subscription"), ProductKind::Tv);
        assert_eq!(kind_of_category("insurance"), ProductKind::Bill);
        assert_eq!(kind_of_category("betting"), ProductKind::Other("betting".into()));
        assert_eq!(operator_of("etisalat-data", "9mobile Data"), "9mobile");
        assert_eq!(operator_of("mtn", "MTN Airtime VTU"), "MTN");
        assert_eq!(
            operator_of("ikeja-electric", "Ikeja Electric Payment - IKEDC"),
            "Ikeja Electric"
        );
        let p = |kind| Product::new(V, "x", "x", kind, Price::range(Currency::Ngn, None, None));
        let names =
            |p: Product| p.fields.iter().map(|f| (f.name.clone(), f.kind)).collect::<Vec<_>>();
        assert_eq!(
            names(with_fields(p(ProductKind::Airtime), "glo")),
            [("phone".into(), FieldKind::Phone)]
        );
        assert_eq!(
            names(with_fields(p(ProductKind::Data), "spectranet")),
            [("billersCode".into(), FieldKind::Account), ("phone".into(), FieldKind::Phone)]
        );
        assert_eq!(
            names(with_fields(p(ProductKind::Tv), "dstv"))[0],
            ("billersCode".into(), FieldKind::Smartcard)
        );
        assert_eq!(
            names(with_fields(p(ProductKind::Electricity), "eko-electric"))[0],
            ("billersCode".into(), FieldKind::Meter)
        );
    }

    #[test]
    fn the_token_is_read_out_of_purchased_code() {
        let t = token_of(&SecretString::from("Token : 4567 8901 2345 0001"));
        assert_eq!(t.expose_secret(), "4567 8901 2345 0001");
        assert_eq!(token_of(&SecretString::from("12345678")).expose_secret(), "12345678");
        assert_eq!(split_id("ikeja-electric/postpaid"), ("ikeja-electric", Some("postpaid")));
        assert_eq!(split_id("mtn"), ("mtn", None));
        assert_eq!(meter_type(&Recipient::meter("1", None), Some("postpaid")), MeterType::Postpaid);
        assert_eq!(
            meter_type(&Recipient::meter("1", Some(MeterType::Prepaid)), Some("postpaid")),
            MeterType::Prepaid
        );
    }

    #[test]
    fn references_must_be_vtpass_request_ids() {
        let p = VtpassProvider::new(
            vtpass_client::Client::builder().basic_auth("a@b.c", "p").build().unwrap(),
        );
        assert!(p.check_reference(&p.new_reference()).is_ok());
        let e = p.check_reference(&Reference::new("abc")).unwrap_err();
        assert_eq!((e.kind(), e.field()), (ErrorKind::CallerInput, Some("reference")));
    }
}
