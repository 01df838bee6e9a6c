//! A whole purchase: initiate once, complete, then ask for the status until it is final.

use vas_common::Outcome;
use vas_common::poll::{Polled, Step, poll};

use crate::error::{Error, Result};
use crate::models::{AcsElectricity, InitiatePayment, Payment, UpdatePayment, UpdateResponse};
use crate::{Client, CustomerId, PaymentId};

pub use vas_common::ConfirmOptions;

/// What [`Client::purchase_and_confirm`] found out.
#[derive(Debug)]
#[non_exhaustive]
pub struct Purchase {
    /// The `externalUniqueId` the payment was sent with: store it; it identifies the purchase
    /// if nothing else is known.
    pub reference: String,
    /// The payment id, once the vendor answered the initiate call.
    pub payment_id: Option<PaymentId>,
    /// The latest payment seen (initiate answer, update answer or status query).
    pub payment: Option<Payment>,
    /// The classification. `Pending` or `Unknown` mean: ask again later (by payment id, or
    /// reconcile by reference), never pay again under a new reference.
    pub outcome: Outcome,
    /// The answer to the update call, when one was sent and answered.
    pub update: Option<UpdateResponse>,
    /// The error of the initiate call (outcome `Unknown`) or of the update call, if any.
    pub error: Option<Error>,
    /// How many status queries were made.
    pub status_queries: u32,
}

impl Purchase {
    /// The ACS electricity UnPin and USSD string, when the final payment carries them.
    pub fn acs_electricity(&self) -> Option<AcsElectricity> {
        self.payment.as_ref()?.acs_electricity()
    }
}

impl Client {
    /// Buys: initiates the payment once with its `externalUniqueId`, sends `update` (the
    /// amount and wallet, for the providers that complete a payment with `PUT`) once, then
    /// asks for the payment's status on `confirm`'s schedule until it is final or the deadline
    /// passes.
    ///
    /// Returns `Err` only when the payment was certainly not created: bad input (nothing
    /// sent), a connection that could not be made, or a 4xx answer carrying the vendor's error
    /// array (see [`Error::maybe_sent`]). When the initiate call may have reached Eclipse
    /// without a usable answer (timeout, broken connection, 5xx, redirect, 408, 409, an HTML
    /// page, an unreadable body) the result is `Ok` with outcome `Unknown`, the reference and
    /// the error; there is no payment id to ask about, so reconcile by the reference and never
    /// send the purchase again under a new one.
    ///
    /// An answer naming another `externalUniqueId` than the one sent is not trusted: its
    /// outcome is `Unknown` ([`Payment::outcome_for`]).
    ///
    /// When the update is refused, the payment stays as Eclipse holds it (normally `PENDING`
    /// without an amount): the error is in [`Purchase::error`] and the outcome is what the
    /// status queries say, never `Failed` on this crate's own inference.
    ///
    /// # Errors
    /// See above.
    pub async fn purchase_and_confirm(
        &self,
        customer: &CustomerId,
        body: &InitiatePayment,
        update: Option<&UpdatePayment>,
        confirm: &ConfirmOptions,
    ) -> Result<Purchase> {
        body.validate()?;
        if let Some(u) = update {
            u.validate()?;
        }
        let reference = body.external_unique_id.clone();
        let mut purchase = Purchase {
            reference,
            payment_id: None,
            payment: None,
            outcome: Outcome::Unknown,
            update: None,
            error: None,
            status_queries: 0,
        };
        let payment = match self.initiate_payment(customer, body).await {
            Ok(p) => p,
            Err(e) if e.maybe_sent() => {
                tracing::warn!(reference = %purchase.reference, error = %e, "eclipse: payment outcome unknown");
                purchase.error = Some(e);
                return Ok(purchase);
            }
            Err(e) => return Err(e),
        };
        let id = payment.payment_id.clone();
        purchase.outcome = payment.outcome_for(&purchase.reference);
        purchase.payment_id = Some(id.clone());
        purchase.payment = Some(payment);
        if purchase.outcome.is_final() {
            return Ok(purchase);
        }
        // Only a payment that is plainly pending is completed: not one in an unknown status,
        // nor an answer naming another reference.
        if let Some(u) = update.filter(|_| purchase.outcome == Outcome::Pending) {
            match self.update_payment(&id, u).await {
                Ok(answer) => {
                    if let Some(p) = &answer.payment
                        && p.outcome_for(&purchase.reference).is_final()
                    {
                        purchase.outcome = p.outcome_for(&purchase.reference);
                        purchase.payment = Some(p.clone());
                        purchase.update = Some(answer);
                        return Ok(purchase);
                    }
                    purchase.update = Some(answer);
                }
                Err(e) => {
                    tracing::warn!(payment_id = %id, error = %e, "eclipse: update failed; asking for the status");
                    purchase.error = Some(e);
                }
            }
        }
        let reference = purchase.reference.clone();
        let polled = poll(&confirm.backoff, confirm.deadline, |_| {
            let id = id.clone();
            let reference = reference.clone();
            async move {
                match self.get_payment(&id).await {
                    Ok(p) if p.outcome_for(&reference).is_final() => Step::Done(Some(p)),
                    Ok(p) => Step::Again(Some(p)),
                    Err(e) => {
                        tracing::debug!(payment_id = %id, error = %e, "eclipse: status query failed");
                        Step::Again(None)
                    }
                }
            }
        })
        .await;
        match polled {
            Polled::Final { value, attempts } => {
                purchase.status_queries = attempts;
                if let Some(p) = value {
                    purchase.outcome = p.outcome_for(&purchase.reference);
                    purchase.payment = Some(p);
                }
            }
            Polled::GaveUp { last, attempts } => {
                purchase.status_queries = attempts;
                if let Some(Some(p)) = last {
                    purchase.outcome = p.outcome_for(&purchase.reference);
                    purchase.payment = Some(p);
                }
            }
        }
        Ok(purchase)
    }
}
