//! What the adapter tests need that httpmock cannot give.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A local HTTP/1.1 server (127.0.0.1, one request per connection) that records how many
/// requests it was answering at the same time. httpmock can delay its answers and count
/// requests, but it cannot tell whether requests overlapped, which is what a limit on parallel
/// requests is about; this server exists for that one measure and nothing else.
pub struct Overlap {
    /// The server's address, e.g. `http://127.0.0.1:40123`.
    pub url: String,
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    /// Every request line, `METHOD /path`, in arrival order.
    seen: Vec<String>,
    /// Watched requests being answered now.
    now: usize,
    /// The most watched requests ever answered at once.
    most: usize,
}

impl Overlap {
    /// Answers each request with `answer(method, path) -> (status, JSON body)`; the requests
    /// whose path ends with `watched` are answered after `delay`, during which they count as
    /// being answered.
    pub fn start(
        watched: &'static str,
        delay: Duration,
        answer: impl Fn(&str, &str) -> (u16, String) + Send + Sync + 'static,
    ) -> Overlap {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let answer = Arc::new(answer);
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let (state, answer) = (Arc::clone(&shared), Arc::clone(&answer));
                std::thread::spawn(move || serve(stream, watched, delay, &state, &*answer));
            }
        });
        Overlap { url, state }
    }

    /// Every request line received, `METHOD /path`, in arrival order.
    pub fn seen(&self) -> Vec<String> {
        self.state.lock().unwrap().seen.clone()
    }

    /// The most watched requests ever answered at the same time.
    pub fn most(&self) -> usize {
        self.state.lock().unwrap().most
    }
}

fn serve(
    mut stream: std::net::TcpStream,
    watched: &str,
    delay: Duration,
    state: &Mutex<State>,
    answer: &(dyn Fn(&str, &str) -> (u16, String) + Send + Sync),
) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).is_err() || header.trim().is_empty() {
            break;
        }
        if let Some(v) = header.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let _ = reader.read_exact(&mut vec![0; length]);
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let watch = path.ends_with(watched);
    {
        let mut s = state.lock().unwrap();
        s.seen.push(format!("{method} {path}"));
        if watch {
            s.now += 1;
            s.most = s.most.max(s.now);
        }
    }
    if watch {
        std::thread::sleep(delay);
    }
    let (status, body) = answer(method, path);
    // Done before the answer is written: the client can send its next request as soon as it
    // has read this answer, and that request must not find this one still counted.
    if watch {
        state.lock().unwrap().now -= 1;
    }
    let _ = write!(
        stream,
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
}
