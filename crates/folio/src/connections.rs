//! The server's connections: how many may be open, when an idle one is closed, and how they all
//! end at shutdown.
//!
//! Hand-rolled on hyper-util rather than `axum::serve` for settings it does not offer: the
//! connection cap, idle timeouts that also cover HTTP/2 and connections that never send a byte,
//! a header read timeout (a client trickling its request line or headers is cut off instead of
//! holding a connection forever), bounded HTTP/2 streams and headers, one shutdown deadline, and
//! `TCP_NODELAY` (without it a streamed file waited ~40 ms for the client's delayed ACK: 44 → 188
//! pages/s end to end).

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use hyper::body::{Frame, Incoming, SizeHint};
use hyper::{Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use tokio::time::Instant;

/// Streams one HTTP/2 connection may have open at once (hyper's default is 200). Requests of one
/// client beyond it wait for a stream; a PDF API client has no use for hundreds in parallel.
const H2_MAX_STREAMS: u32 = 64;
/// Largest header block of one HTTP/2 request, as HTTP/1 requests are bounded by hyper.
const H2_MAX_HEADER_LIST: u32 = 16 * 1024;
/// How long a connection told to close (idle, or at shutdown) may stay open once no request is
/// in flight on it: room for an HTTP/2 client to acknowledge the GOAWAY, not for a client that
/// never reads to hold its slot.
const CLOSE_GRACE: Duration = Duration::from_secs(5);

/// Limits of [`serve`].
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections open at once; beyond them new ones wait in the listen backlog.
    pub max_connections: usize,
    /// Connections one client (an IPv4 address, an IPv6 /64) may have open at once, 0 = no cap;
    /// beyond it its new connections are closed as soon as accepted, so that one client cannot
    /// take every slot of the cap above.
    pub max_per_client: usize,
    /// A connection with no request in flight for this long is closed.
    pub idle_timeout: Duration,
    /// An HTTP/1 request line and headers must arrive within this; a connection's first request
    /// must begin within it too (HTTP/1 and HTTP/2).
    pub header_timeout: Duration,
}

/// Serve connections until `shutdown` names a deadline; then stop accepting, let every
/// connection finish the requests it has in flight and close, and close those still open at the
/// deadline.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    limits: Limits,
    mut shutdown: watch::Receiver<Option<Instant>>,
) {
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    builder
        .http2()
        .timer(TokioTimer::new())
        .max_concurrent_streams(H2_MAX_STREAMS)
        .max_header_list_size(H2_MAX_HEADER_LIST);
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let clients = Clients::default();
    let mut open = JoinSet::new();
    let mut warned_full: Option<Instant> = None;
    let deadline = loop {
        // A free slot before the next accept: beyond the cap, connections wait in the kernel's
        // listen backlog (and are refused by it once that is full), never accepted and dropped.
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            deadline = deadline_of(&mut shutdown) => break deadline,
        };
        if slots.available_permits() == 0 && once_a_minute(&mut warned_full) {
            tracing::warn!(
                max_connections = limits.max_connections,
                "connection limit reached; new connections wait until others close"
            );
        }
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: pause instead of spinning.
                    tracing::warn!(%e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            deadline = deadline_of(&mut shutdown) => break deadline,
        };
        while open.try_join_next().is_some() {}
        let Some(client) = clients.enter(peer.ip(), limits.max_per_client) else {
            // Dropping the stream closes it: this client holds its share of the cap already.
            continue;
        };
        let _ = stream.set_nodelay(true);
        let (activity, watch_activity) = watch::channel(Busy {
            in_flight: 0,
            requests: 0,
            since: Instant::now(),
        });
        let service = Tracked {
            app: app.clone(),
            activity: Arc::new(activity),
        };
        let conn = builder
            .serve_connection(TokioIo::new(stream), service)
            .into_owned();
        open.spawn(one_connection(
            conn,
            watch_activity,
            limits,
            shutdown.clone(),
            (slot, client),
        ));
    };
    drop(listener);
    let drained = tokio::time::timeout_at(deadline, async {
        while open.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            connections = open.len(),
            "connections still open at the shutdown deadline; closing them"
        );
        open.shutdown().await;
    }
}

/// True when `last` is more than a minute ago (or never), and then `last` becomes now: a warning
/// repeated by a flood of connections is logged once a minute.
fn once_a_minute(last: &mut Option<Instant>) -> bool {
    let due = last.is_none_or(|at| at.elapsed() > Duration::from_secs(60));
    if due {
        *last = Some(Instant::now());
    }
    due
}

/// The deadline `shutdown` names, once it names one (now, if its sender is gone).
async fn deadline_of(shutdown: &mut watch::Receiver<Option<Instant>>) -> Instant {
    match shutdown.wait_for(Option::is_some).await {
        Ok(deadline) => deadline.unwrap_or_else(Instant::now),
        Err(_) => Instant::now(),
    }
}

/// Drive one connection to its end: closed by the client, idle past `idle_timeout` (no first
/// request within `header_timeout`), or told to close at shutdown. `_slot` is its place under
/// the connection caps, freed when it ends.
async fn one_connection(
    conn: Connection,
    mut activity: watch::Receiver<Busy>,
    limits: Limits,
    mut shutdown: watch::Receiver<Option<Instant>>,
    _slot: (tokio::sync::OwnedSemaphorePermit, ClientSlot),
) {
    let mut conn = std::pin::pin!(conn);
    // Since when the connection has been told to close.
    let mut closing: Option<Instant> = None;
    loop {
        let (first, wait, from) = match closing {
            None => (
                limits.header_timeout.min(limits.idle_timeout),
                limits.idle_timeout,
                None,
            ),
            Some(at) => (CLOSE_GRACE, CLOSE_GRACE, Some(at)),
        };
        tokio::select! {
            ended = conn.as_mut() => {
                if let Err(e) = ended {
                    tracing::debug!(%e, "connection ended with an error");
                }
                return;
            }
            () = idle_for(&mut activity, first, wait, from) => {
                if closing.is_some() {
                    // Told to close and still open with nothing in flight: drop it.
                    return;
                }
                tracing::debug!("closing an idle connection");
                conn.as_mut().graceful_shutdown();
                closing = Some(Instant::now());
            }
            _ = shutdown.wait_for(Option::is_some), if closing.is_none() => {
                conn.as_mut().graceful_shutdown();
                closing = Some(Instant::now());
            }
        }
    }
}

/// One connection as hyper-util serves it.
type Connection = hyper_util::server::conn::auto::Connection<
    'static,
    TokioIo<tokio::net::TcpStream>,
    Tracked,
    TokioExecutor,
>;

/// Requests in flight on one connection, how many it has had, and since when the number in
/// flight last changed.
#[derive(Debug, Clone, Copy)]
struct Busy {
    in_flight: usize,
    requests: u64,
    since: Instant,
}

/// Returns once no request has been in flight for `timeout` (`first` before the connection's
/// first request), counted from the last request's end (or the connection's start) but not from
/// before `from`. Bytes alone do not count: an HTTP/2 client sending only pings is idle.
async fn idle_for(
    activity: &mut watch::Receiver<Busy>,
    first: Duration,
    timeout: Duration,
    from: Option<Instant>,
) {
    loop {
        let busy = *activity.borrow_and_update();
        if busy.in_flight == 0 {
            let timeout = if busy.requests == 0 { first } else { timeout };
            let since = from.map_or(busy.since, |from| busy.since.max(from));
            tokio::select! {
                () = tokio::time::sleep_until(since + timeout) => return,
                changed = activity.changed() => if changed.is_err() {
                    return std::future::pending().await;
                },
            }
        } else if activity.changed().await.is_err() {
            return std::future::pending().await;
        }
    }
}

/// One request counted in flight from its head's arrival until its answer's body is sent (or
/// dropped).
struct InFlight(Arc<watch::Sender<Busy>>);

impl InFlight {
    fn start(activity: &Arc<watch::Sender<Busy>>) -> Self {
        activity.send_modify(|b| {
            b.in_flight += 1;
            b.requests += 1;
        });
        Self(activity.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.send_modify(|b| {
            b.in_flight -= 1;
            b.since = Instant::now();
        });
    }
}

/// The router as a hyper service that counts its requests in flight per connection.
#[derive(Clone)]
struct Tracked {
    app: axum::Router,
    activity: Arc<watch::Sender<Busy>>,
}

impl hyper::service::Service<Request<Incoming>> for Tracked {
    type Response = Response<TrackedBody>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Infallible>> + Send>>;

    fn call(&self, request: Request<Incoming>) -> Self::Future {
        let in_flight = InFlight::start(&self.activity);
        let app = self.app.clone();
        Box::pin(async move {
            let response = tower::ServiceExt::oneshot(app, request).await?;
            Ok(response.map(|inner| TrackedBody {
                inner,
                in_flight: Some(in_flight),
            }))
        })
    }
}

/// An answer's body that ends its request's [`InFlight`] when it has been sent.
struct TrackedBody {
    inner: Body,
    in_flight: Option<InFlight>,
}

impl HttpBody for TrackedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let frame = ready!(Pin::new(&mut self.inner).poll_frame(cx));
        if frame.is_none() {
            self.in_flight = None;
        }
        Poll::Ready(frame)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Open connections per client, for [`Limits::max_per_client`].
#[derive(Clone, Default)]
struct Clients(Arc<std::sync::Mutex<ClientCounts>>);

#[derive(Default)]
struct ClientCounts {
    open: std::collections::HashMap<std::net::IpAddr, usize>,
    /// When a refusal was last logged ([`once_a_minute`]).
    warned: Option<Instant>,
}

impl Clients {
    /// A place for one more connection of the client at `ip`, if it has fewer than `cap` (0 = no
    /// cap). IPv6 clients are counted by /64: one host usually holds a whole /64.
    fn enter(&self, ip: std::net::IpAddr, cap: usize) -> Option<ClientSlot> {
        if cap == 0 {
            return Some(ClientSlot(None));
        }
        let key = client_key(ip);
        let mut counts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let ClientCounts { open, warned } = &mut *counts;
        let n = open.entry(key).or_default();
        if *n >= cap {
            if once_a_minute(warned) {
                tracing::warn!(client = %key, cap, "a client reached --max-connections-per-client; its new connections are closed");
            }
            return None;
        }
        *n += 1;
        Some(ClientSlot(Some((self.clone(), key))))
    }
}

fn client_key(ip: std::net::IpAddr) -> std::net::IpAddr {
    match ip {
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.into(),
            None => std::net::Ipv6Addr::from(v6.to_bits() & !u128::from(u64::MAX)).into(),
        },
        v4 => v4,
    }
}

/// One connection's place under its client's cap, freed when dropped.
struct ClientSlot(Option<(Clients, std::net::IpAddr)>);

impl Drop for ClientSlot {
    fn drop(&mut self) {
        if let Some((clients, key)) = self.0.take() {
            let mut counts = clients.0.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(n) = counts.open.get_mut(&key) {
                *n -= 1;
                if *n == 0 {
                    counts.open.remove(&key);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_are_counted_by_address_and_ipv6_prefix() {
        let clients = Clients::default();
        let a: std::net::IpAddr = "2001:db8::1".parse().unwrap();
        let b: std::net::IpAddr = "2001:db8::ffff:2".parse().unwrap();
        let c: std::net::IpAddr = "2001:db8:0:1::1".parse().unwrap();
        let first = clients.enter(a, 2).unwrap();
        let _second = clients.enter(b, 2).unwrap();
        assert!(clients.enter(a, 2).is_none(), "same /64: over the cap");
        assert!(clients.enter(c, 2).is_some(), "another /64");
        drop(first);
        assert!(clients.enter(b, 2).is_some(), "a place was freed");
        let v4: std::net::IpAddr = "10.0.0.1".parse().unwrap();
        let mapped: std::net::IpAddr = "::ffff:10.0.0.1".parse().unwrap();
        let _v4 = clients.enter(v4, 1).unwrap();
        assert!(
            clients.enter(mapped, 1).is_none(),
            "a mapped address is its IPv4 client"
        );
        assert!(clients.enter(v4, 0).is_some(), "0 = no cap");
    }
}
