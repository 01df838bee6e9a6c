//! Asking for a purchase's status on a backoff schedule until it is final or a deadline passes.

use std::future::Future;
use std::time::Duration;

use rand::RngExt as _;

/// A backoff schedule: the first wait, how much each wait grows, the longest wait, and how much
/// random jitter to add.
///
/// ```
/// use std::time::Duration;
/// use vas_common::Backoff;
///
/// let b = Backoff::new(Duration::from_millis(500)).max_delay(Duration::from_secs(4)).no_jitter();
/// let waits: Vec<_> = b.delays().take(5).collect();
/// assert_eq!(waits, [500, 1000, 2000, 4000, 4000].map(Duration::from_millis));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Backoff {
    initial: Duration,
    factor: u32,
    max_delay: Duration,
    jitter: f64,
}

impl Default for Backoff {
    /// 1 s, doubling, at most 30 s, with up to 20 % jitter.
    fn default() -> Self {
        Self {
            initial: Duration::from_secs(1),
            factor: 2,
            max_delay: Duration::from_secs(30),
            jitter: 0.2,
        }
    }
}

impl Backoff {
    /// A doubling schedule starting at `initial`, at most 30 s, with up to 20 % jitter.
    pub fn new(initial: Duration) -> Self {
        Self { initial, ..Self::default() }
    }

    /// How much each wait grows (at least 1).
    pub fn factor(mut self, factor: u32) -> Self {
        self.factor = factor.max(1);
        self
    }

    /// The longest wait.
    pub fn max_delay(mut self, max: Duration) -> Self {
        self.max_delay = max;
        self
    }

    /// Adds up to `fraction` (0 to 1) of each wait at random, so that many clients do not ask
    /// at the same instant.
    pub fn jitter(mut self, fraction: f64) -> Self {
        self.jitter = if fraction.is_finite() { fraction.clamp(0.0, 1.0) } else { 0.0 };
        self
    }

    /// No jitter: the schedule is exact (for tests).
    pub fn no_jitter(self) -> Self {
        self.jitter(0.0)
    }

    /// The waits before the first, second, … status query, without jitter.
    pub fn delays(&self) -> impl Iterator<Item = Duration> + '_ {
        let mut next = self.initial;
        std::iter::from_fn(move || {
            let now = next.min(self.max_delay);
            next = next.saturating_mul(self.factor).min(self.max_delay);
            Some(now)
        })
    }

    fn with_jitter(&self, d: Duration) -> Duration {
        if self.jitter <= 0.0 {
            return d;
        }
        let extra = rand::rng().random_range(0.0..=self.jitter);
        // `mul_f64` panics when the product does not fit a Duration: saturate instead.
        let add = Duration::try_from_secs_f64(d.as_secs_f64() * extra).unwrap_or(Duration::MAX);
        d.saturating_add(add)
    }
}

/// How long a `purchase_and_confirm` keeps asking for a purchase's status, and how often.
///
/// Every vendor crate's `purchase_and_confirm` takes one. The default asks after 2 s, then
/// doubles the wait up to 30 s (with up to 20 % jitter), for at most 3 minutes; then it returns
/// the purchase as not final, with its reference, rather than guessing.
///
/// ```
/// use std::time::Duration;
/// use vas_common::{Backoff, ConfirmOptions};
///
/// // A test against a local simulator: short waits, no jitter, a 2 s deadline.
/// let fast = ConfirmOptions {
///     backoff: Backoff::new(Duration::from_millis(50)).no_jitter(),
///     deadline: Duration::from_secs(2),
/// };
/// assert!(fast.deadline < ConfirmOptions::default().deadline);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ConfirmOptions {
    /// The waits between status queries.
    pub backoff: Backoff,
    /// How long to keep asking, from the purchase's answer.
    pub deadline: Duration,
}

impl ConfirmOptions {
    /// Status queries on `backoff`, for at most `deadline`.
    pub fn new(backoff: Backoff, deadline: Duration) -> Self {
        Self { backoff, deadline }
    }
}

impl Default for ConfirmOptions {
    fn default() -> Self {
        Self {
            backoff: Backoff::new(Duration::from_secs(2)).max_delay(Duration::from_secs(30)),
            deadline: Duration::from_secs(180),
        }
    }
}

/// What one status query found.
#[derive(Clone, Debug, PartialEq)]
pub enum Step<T> {
    /// A final answer: stop asking.
    Done(T),
    /// Not final yet (or the query itself failed): ask again after the next wait.
    Again(T),
}

/// The result of [`poll`].
#[derive(Clone, Debug, PartialEq)]
pub enum Polled<T> {
    /// A final answer, after `attempts` queries.
    Final {
        /// The final answer.
        value: T,
        /// How many queries were made.
        attempts: u32,
    },
    /// The deadline passed first; `last` is the last non-final answer, if any query ran.
    GaveUp {
        /// The last answer seen.
        last: Option<T>,
        /// How many queries were made.
        attempts: u32,
    },
}

/// Calls `query` after each wait of `schedule` until it returns [`Step::Done`] or the next
/// wait would end after `deadline` (measured from the call).
///
/// The first query is made after the first wait. `query` receives the attempt number,
/// starting at 1. This function never sends anything itself: it is for status queries, which
/// are safe to repeat.
pub async fn poll<T, F, Fut>(schedule: &Backoff, deadline: Duration, mut query: F) -> Polled<T>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Step<T>>,
{
    let start = tokio::time::Instant::now();
    // A deadline too far away to add to an instant means "no deadline" in practice.
    let end = start.checked_add(deadline);
    let mut last = None;
    let mut attempts = 0u32;
    for wait in schedule.delays() {
        let wait = schedule.with_jitter(wait);
        let now = tokio::time::Instant::now();
        let Some(wake) = now.checked_add(wait) else { break };
        if end.is_some_and(|end| wake > end) {
            break;
        }
        tokio::time::sleep(wait).await;
        attempts += 1;
        match query(attempts).await {
            Step::Done(value) => return Polled::Final { value, attempts },
            Step::Again(value) => last = Some(value),
        }
    }
    Polled::GaveUp { last, attempts }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn stops_at_the_first_final_answer() {
        let b = Backoff::new(Duration::from_secs(1)).no_jitter();
        let r = poll(&b, Duration::from_secs(60), |n| async move {
            if n == 3 { Step::Done(n) } else { Step::Again(n) }
        })
        .await;
        assert_eq!(r, Polled::Final { value: 3, attempts: 3 });
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_at_the_deadline_with_the_last_answer() {
        let b = Backoff::new(Duration::from_secs(1)).no_jitter();
        // Waits 1, 2, 4, 8: the fourth would end at 15 s, past the 10 s deadline.
        let r = poll(&b, Duration::from_secs(10), |n| async move { Step::Again(n) }).await;
        assert_eq!(r, Polled::GaveUp { last: Some(3), attempts: 3 });
    }

    #[tokio::test(start_paused = true)]
    async fn huge_waits_and_deadlines_do_not_overflow() {
        let b = Backoff::new(Duration::MAX).max_delay(Duration::MAX).jitter(1.0);
        assert_eq!(b.with_jitter(Duration::MAX), Duration::MAX);
        // The first wait cannot be added to now: no query, no panic.
        let r = poll(&b, Duration::MAX, |n| async move { Step::Again(n) }).await;
        assert_eq!(r, Polled::GaveUp { last: None, attempts: 0 });
        // A normal schedule with an endless deadline still asks.
        let b = Backoff::new(Duration::from_secs(1)).no_jitter();
        let r = poll(&b, Duration::MAX, |n| async move {
            if n == 2 { Step::Done(n) } else { Step::Again(n) }
        })
        .await;
        assert_eq!(r, Polled::Final { value: 2, attempts: 2 });
    }

    #[test]
    fn jitter_stays_within_its_fraction() {
        let b = Backoff::new(Duration::from_secs(1)).jitter(0.5);
        for _ in 0..100 {
            let d = b.with_jitter(Duration::from_secs(1));
            assert!(d >= Duration::from_secs(1) && d <= Duration::from_millis(1500));
        }
    }
}
