//! Whether a failed HTTP call could have reached the vendor.
//!
//! This decides what a purchase client may do next: a request that was never sent can be
//! sent again; a request that may have been sent must be followed by a status query with the
//! same reference, never by a second purchase.

use std::fmt;

/// How far a failed request got.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SendState {
    /// The request was not sent: building it failed, or no connection could be made (refused,
    /// DNS failure, TLS failure, connect timeout). Sending it again is safe.
    NotSent,
    /// The client stopped waiting after the request was (or may have been) sent.
    TimedOut,
    /// The connection broke, or the body could not be read, after the request may have been
    /// sent.
    Interrupted,
}

impl SendState {
    /// Whether the vendor may have received the request.
    pub fn maybe_sent(self) -> bool {
        !matches!(self, SendState::NotSent)
    }
}

impl fmt::Display for SendState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SendState::NotSent => "not sent",
            SendState::TimedOut => "timed out after sending",
            SendState::Interrupted => "interrupted after sending",
        })
    }
}

/// Classifies a `reqwest` error.
///
/// A connect error (including a connect timeout) is [`SendState::NotSent`]; any other
/// timeout is [`SendState::TimedOut`]; everything else that happened on the wire is
/// [`SendState::Interrupted`].
pub fn classify(error: &reqwest::Error) -> SendState {
    if error.is_builder() || error.is_connect() {
        SendState::NotSent
    } else if error.is_timeout() {
        SendState::TimedOut
    } else {
        SendState::Interrupted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn refused_connection_is_not_sent() {
        // Bind then drop a listener so that the port is very likely closed.
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let err = reqwest::Client::new()
            .post(format!("http://127.0.0.1:{port}/pay"))
            .send()
            .await
            .unwrap_err();
        assert_eq!(classify(&err), SendState::NotSent);
        assert!(!classify(&err).maybe_sent());
    }

    #[tokio::test]
    async fn a_timeout_after_connecting_may_have_been_sent() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let (_sock, _) = listener.accept().await.unwrap();
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        });
        let err = reqwest::Client::builder()
            .timeout(std::time::Duration::from_millis(200))
            .build()
            .unwrap()
            .post(format!("http://{addr}/pay"))
            .send()
            .await
            .unwrap_err();
        assert_eq!(classify(&err), SendState::TimedOut);
        server.abort();
    }
}
