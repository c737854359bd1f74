//! Connections as a stranger holds them: idle HTTP/1 and HTTP/2 (cleartext, prior knowledge)
//! connections and ones that never send a byte are closed after `--idle-timeout-secs`, pings
//! or not; connections beyond `--max-connections` wait until others close; SIGTERM with idle
//! connections open still exits within `--shutdown-grace-secs`.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::*;

const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
const DATA: u8 = 0;
const HEADERS: u8 = 1;
const SETTINGS: u8 = 4;
const PING: u8 = 6;
const GOAWAY: u8 = 7;
const ACK: u8 = 1;
const END_STREAM: u8 = 1;
const END_HEADERS: u8 = 4;

fn frame(kind: u8, flags: u8, stream: u32, payload: &[u8]) -> Vec<u8> {
    let len = payload.len() as u32;
    let mut f = len.to_be_bytes()[1..].to_vec();
    f.extend([kind, flags]);
    f.extend(stream.to_be_bytes());
    f.extend(payload);
    f
}

/// How an HTTP/2 connection ended, as its client saw it.
#[derive(Debug)]
struct H2End {
    /// The answer to `GET /health` on stream 1 arrived in full.
    answered: bool,
    goaway: bool,
}

/// An HTTP/2 client over a raw socket that asks `GET /health` once, then stays idle: it
/// acknowledges the server's SETTINGS and PINGs (a responsive client), and with `ping` sends a
/// PING of its own every 300 ms. Reports when the server closes the connection.
fn h2_client(port: u16, ping: bool) -> mpsc::Receiver<H2End> {
    h2_over(TcpStream::connect(("127.0.0.1", port)).unwrap(), ping, true)
}

/// [`h2_client`] over `conn`; without `ask` it never sends a request.
fn h2_over(mut conn: TcpStream, ping: bool, ask: bool) -> mpsc::Receiver<H2End> {
    // HPACK, literal fields without indexing: :method GET (static 2), :scheme http (6),
    // :path (name 4) /health, :authority (name 1) x.
    let mut block = vec![0x82, 0x86, 0x04, 7];
    block.extend(b"/health");
    block.extend([0x01, 1, b'x']);
    let mut hello = PREFACE.to_vec();
    hello.extend(frame(SETTINGS, 0, 0, &[]));
    if ask {
        hello.extend(frame(HEADERS, END_STREAM | END_HEADERS, 1, &block));
    }
    conn.write_all(&hello).unwrap();
    if ping {
        let mut pinger = conn.try_clone().unwrap();
        std::thread::spawn(move || {
            while pinger.write_all(&frame(PING, 0, 0, &[7; 8])).is_ok() {
                std::thread::sleep(Duration::from_millis(300));
            }
        });
    }
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut writer = conn.try_clone().unwrap();
        let (mut answered, mut goaway) = (false, false);
        loop {
            let mut head = [0u8; 9];
            if conn.read_exact(&mut head).is_err() {
                break;
            }
            let len = u32::from_be_bytes([0, head[0], head[1], head[2]]) as usize;
            let (kind, flags) = (head[3], head[4]);
            let stream = u32::from_be_bytes([head[5], head[6], head[7], head[8]]) & 0x7fff_ffff;
            let mut payload = vec![0; len];
            if conn.read_exact(&mut payload).is_err() {
                break;
            }
            match kind {
                SETTINGS if flags & ACK == 0 => {
                    let _ = writer.write_all(&frame(SETTINGS, ACK, 0, &[]));
                }
                PING if flags & ACK == 0 => {
                    let _ = writer.write_all(&frame(PING, ACK, 0, &payload));
                }
                GOAWAY => goaway = true,
                HEADERS | DATA if stream == 1 && flags & END_STREAM != 0 => answered = true,
                _ => {}
            }
        }
        let _ = tx.send(H2End { answered, goaway });
    });
    rx
}

/// An HTTP/1.1 connection that has been answered one `GET /health` and is kept alive.
fn h1_kept_alive(port: u16) -> TcpStream {
    let mut conn = TcpStream::connect(("127.0.0.1", port)).unwrap();
    conn.write_all(b"GET /health HTTP/1.1\r\nhost: x\r\n\r\n")
        .unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 1024];
    while !seen.ends_with(b"{\"status\":\"ok\"}") {
        let n = conn.read(&mut buf).unwrap();
        assert!(n > 0, "closed before the answer: {seen:?}");
        seen.extend(&buf[..n]);
    }
    assert!(seen.starts_with(b"HTTP/1.1 200"));
    conn
}

/// Send `GET /health` (then close) on `conn` and read the answer into `answer` for up to `wait`.
fn ask_health(
    conn: &mut TcpStream,
    wait: Duration,
    answer: &mut Vec<u8>,
) -> std::io::Result<usize> {
    conn.write_all(b"GET /health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")?;
    conn.set_read_timeout(Some(wait))?;
    conn.read_to_end(answer)
}

/// True once the server has closed `conn` (end of file or reset), false while it is open.
fn closed(conn: &mut TcpStream) -> bool {
    conn.set_read_timeout(Some(Duration::from_millis(20)))
        .unwrap();
    let mut buf = [0u8; 256];
    loop {
        match conn.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return false;
            }
            Err(_) => return true,
        }
    }
}

#[test]
fn idle_http1_and_http2_connections_and_silent_ones_are_closed() {
    let idle = Duration::from_secs(2);
    let s = Server::start(&[
        "--idle-timeout-secs",
        "2",
        "--header-timeout-secs",
        "30",
        // 150 connections from one address: beyond the per-client default.
        "--max-connections-per-client",
        "0",
    ]);
    let mut silent: Vec<TcpStream> = (0..50)
        .map(|_| TcpStream::connect(("127.0.0.1", s.port)).unwrap())
        .collect();
    assert!(!closed(&mut silent[49]), "closed before the idle timeout");
    let mut kept_alive: Vec<TcpStream> = (0..50).map(|_| h1_kept_alive(s.port)).collect();
    assert!(
        !closed(&mut kept_alive[49]),
        "closed before the idle timeout"
    );
    let h2: Vec<_> = (0..50).map(|i| h2_client(s.port, i % 2 == 0)).collect();
    std::thread::sleep(Duration::from_millis(200));
    assert!(h2[49].try_recv().is_err(), "closed before the idle timeout");
    let opened = Instant::now();

    let deadline = opened + idle + Duration::from_secs(8);
    for (i, conn) in silent.iter_mut().enumerate() {
        while !closed(conn) {
            assert!(
                Instant::now() < deadline,
                "silent connection {i} still open"
            );
        }
    }
    for (i, conn) in kept_alive.iter_mut().enumerate() {
        while !closed(conn) {
            assert!(
                Instant::now() < deadline,
                "HTTP/1 connection {i} still open"
            );
        }
    }
    for (i, end) in h2.iter().enumerate() {
        let wait = deadline.saturating_duration_since(Instant::now());
        let end = end.recv_timeout(wait).unwrap_or_else(|_| {
            panic!("HTTP/2 connection {i} (pinging: {}) still open", i % 2 == 0)
        });
        assert!(
            end.answered,
            "HTTP/2 connection {i} was not served: {end:?}"
        );
        assert!(end.goaway, "HTTP/2 connection {i} closed without a GOAWAY");
    }
    // The server itself goes on.
    assert_eq!(s.get_json("/health").0, 200);
}

#[test]
fn connections_beyond_the_cap_wait_until_one_closes() {
    let s = Server::start(&["--max-connections", "8", "--idle-timeout-secs", "60"]);
    let mut holders: Vec<TcpStream> = (0..8)
        .map(|_| TcpStream::connect(("127.0.0.1", s.port)).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(500));

    // The ninth connects (the kernel's backlog completes the handshake) but is not served.
    let mut ninth = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    let mut answer = Vec::new();
    let early = ask_health(&mut ninth, Duration::from_millis(1500), &mut answer);
    assert!(
        early.is_err() && answer.is_empty(),
        "served beyond the cap: {early:?} {:?}",
        String::from_utf8_lossy(&answer)
    );

    // One of the eight leaves: the ninth is served at once.
    holders.pop();
    ninth
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    ninth.read_to_end(&mut answer).unwrap();
    assert!(
        answer.starts_with(b"HTTP/1.1 200"),
        "{:?}",
        String::from_utf8_lossy(&answer)
    );
}

/// A TCP connection to the server from the local address `from` (any of 127.0.0.0/8).
fn connect_from(from: &str, port: u16) -> TcpStream {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .unwrap();
    rt.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
        let stream = socket.connect(([127, 0, 0, 1], port).into()).await.unwrap();
        let stream = stream.into_std().unwrap();
        stream.set_nonblocking(false).unwrap();
        stream
    })
}

#[test]
fn one_client_cannot_hold_every_connection_and_silent_ones_leave_early() {
    let s = Server::start(&[
        "--max-connections",
        "64",
        "--max-connections-per-client",
        "8",
        "--idle-timeout-secs",
        "60",
        "--header-timeout-secs",
        "2",
    ]);
    let mut held: Vec<TcpStream> = (0..8).map(|_| h1_kept_alive(s.port)).collect();

    // A ninth connection from the same address is closed at once, not after a timeout.
    let mut ninth = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    let started = Instant::now();
    while !closed(&mut ninth) {
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "a ninth connection of one client stayed open"
        );
    }

    // Another client is served meanwhile.
    let mut other = connect_from("127.0.0.2", s.port);
    let mut answer = Vec::new();
    ask_health(&mut other, Duration::from_secs(5), &mut answer).unwrap();
    assert!(answer.starts_with(b"HTTP/1.1 200"), "{answer:?}");

    // A connection that never sends a request leaves after the header timeout (2 s), also an
    // HTTP/2 one that pings (hyper's own header timeout covers HTTP/1 only), while an HTTP/2
    // connection that has been served stays for the idle timeout (60 s).
    let served = h2_over(connect_from("127.0.0.4", s.port), false, true);
    let opened = Instant::now();
    let silent = h2_over(connect_from("127.0.0.3", s.port), true, false);
    let end = silent
        .recv_timeout(Duration::from_secs(8))
        .expect("a connection without a request outlived the header timeout");
    assert!(!end.answered);
    assert!(
        opened.elapsed() >= Duration::from_millis(1500),
        "closed before its first request could come: {:?}",
        opened.elapsed()
    );
    assert!(
        served.try_recv().is_err(),
        "a served connection was closed early"
    );

    // One of the eight leaves: that client may connect again.
    held.pop();
    std::thread::sleep(Duration::from_millis(300));
    drop(h1_kept_alive(s.port));
}

#[test]
fn sigterm_with_idle_connections_open_exits_within_the_grace_period() {
    let grace = Duration::from_secs(5);
    let mut s = Server::start(&[
        "--shutdown-grace-secs",
        "5",
        "--idle-timeout-secs",
        "600",
        "--header-timeout-secs",
        "600",
    ]);
    let h2: Vec<_> = (0..20).map(|i| h2_client(s.port, i % 2 == 0)).collect();
    // A client that sends the preface and then never reads: it cannot acknowledge a GOAWAY.
    let mut deaf: Vec<TcpStream> = (0..10)
        .map(|_| {
            let mut c = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
            c.write_all(PREFACE).unwrap();
            c.write_all(&frame(SETTINGS, 0, 0, &[])).unwrap();
            c
        })
        .collect();
    let _silent: Vec<TcpStream> = (0..10)
        .map(|_| TcpStream::connect(("127.0.0.1", s.port)).unwrap())
        .collect();
    let _kept_alive: Vec<TcpStream> = (0..10).map(|_| h1_kept_alive(s.port)).collect();
    std::thread::sleep(Duration::from_millis(300));
    assert!(!closed(&mut deaf[0]));

    let term = Instant::now();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &s.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = loop {
        if let Some(code) = s.child.try_wait().unwrap() {
            break code;
        }
        assert!(
            term.elapsed() < grace + Duration::from_secs(3),
            "no exit {:?} after SIGTERM (grace {grace:?})",
            term.elapsed()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "{exit:?}");
    // The responsive HTTP/2 clients were told to go away, not just cut off.
    for end in h2 {
        let end = end.recv_timeout(Duration::from_secs(5)).unwrap();
        assert!(end.answered && end.goaway, "{end:?}");
    }
}
