//! The scenario triggers shared by DT One, GSUBZ and Eclipse: the last six digits of the
//! account or phone number decide how a purchase goes. Any other number succeeds.

/// How a purchase goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scenario {
    /// Succeeds at once.
    Success,
    /// Fails (final, not charged).
    Failed,
    /// Accepted as pending; turns successful after the configured settle time.
    Pending,
    /// Succeeds, but the connection is closed without an answer.
    Drop,
    /// Succeeds, but the answer is an HTTP 502 HTML page.
    BadGateway,
    /// Succeeds, but the answer is held back past the configured timeout delay.
    Timeout,
}

/// The scenario for a number: its digits' last six decide.
pub(crate) fn for_number(number: &str) -> Scenario {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let tail = digits.get(digits.len().saturating_sub(6)..).unwrap_or("");
    match tail {
        "000001" => Scenario::Failed,
        "000002" => Scenario::Pending,
        "000003" => Scenario::Drop,
        "000004" => Scenario::BadGateway,
        "000005" => Scenario::Timeout,
        _ => Scenario::Success,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_decide() {
        assert_eq!(for_number("+234 800 000 0001"), Scenario::Failed);
        assert_eq!(for_number("07000000002"), Scenario::Pending);
        assert_eq!(for_number("27820000003"), Scenario::Drop);
        assert_eq!(for_number("08000000004"), Scenario::BadGateway);
        assert_eq!(for_number("08000000005"), Scenario::Timeout);
        assert_eq!(for_number("08011111111"), Scenario::Success);
        assert_eq!(for_number("1"), Scenario::Success);
        assert_eq!(for_number(""), Scenario::Success);
    }
}
