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

/// The HTTP client every vendor crate builds when the caller gives none: connect timeout,
/// optional overall timeout, a user agent, and redirects never followed.
///
/// A followed 307/308 would send a purchase POST a second time (with its auth headers) to
/// whatever place the redirect names, and a followed 301/302/303 turns it into a GET whose
/// answer says nothing about the purchase. A 3xx is therefore an answer, classified by the
/// vendor crate like any other unexpected status.
///
/// # Errors
/// When `reqwest` cannot build the client (no TLS backend).
pub fn http_client(
    user_agent: &str,
    connect_timeout: std::time::Duration,
    timeout: Option<std::time::Duration>,
) -> reqwest::Result<reqwest::Client> {
    let mut b = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(connect_timeout)
        .user_agent(user_agent);
    if let Some(t) = timeout {
        b = b.timeout(t);
    }
    b.build()
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
    async fn the_shared_client_never_follows_a_redirect() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let hits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let seen = hits.clone();
        let server = tokio::spawn(async move {
            loop {
                let (mut sock, _) = listener.accept().await.unwrap();
                let mut buf = vec![0u8; 4096];
                let n = sock.read(&mut buf).await.unwrap();
                let head = String::from_utf8_lossy(&buf[..n]).to_string();
                if head.starts_with("POST /elsewhere") {
                    seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
                let answer = "HTTP/1.1 307 Temporary Redirect\r\nlocation: /elsewhere\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";
                let _ = sock.write_all(answer.as_bytes()).await;
            }
        });
        let client = http_client("test", std::time::Duration::from_secs(2), None).unwrap();
        let r = client.post(format!("http://{addr}/pay")).body("x").send().await.unwrap();
        assert_eq!(r.status(), 307);
        assert_eq!(r.url().path(), "/pay");
        assert_eq!(hits.load(std::sync::atomic::Ordering::SeqCst), 0);
        server.abort();
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
