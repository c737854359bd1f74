//! Guarding outbound fetches of client-supplied URLs against server-side request forgery.
//!
//! A client must not be able to make this server read from its own network: loopback services,
//! cloud metadata (`169.254.169.254`), private and link-local ranges. The address is checked
//! after DNS resolution, on every connection, so a public name resolving to a private address
//! (or changing its answer between two lookups) is caught too:
//!
//! - host names go through [`GuardedResolver`], which drops refused addresses (and fails when
//!   none remain), so every connection, redirect hops included, connects only to checked ones;
//! - IP-literal hosts never reach a resolver (hyper connects to them directly), so they are
//!   checked before the first request ([`check_url`]) and on every redirect hop (the redirect
//!   policy of [`guarded_client`]);
//! - the client ignores `HTTP_PROXY` and friends: a proxy would do the resolving and connecting
//!   itself, out of reach of these checks.
//!
//! Operators whose PDFs live on intranet servers re-open specific ranges or host names with an
//! [`AllowList`] (`--fetch-allow`).

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use folio_render::Code;
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

use crate::ApiError;

/// Redirects followed before giving up, each hop checked like the first URL.
pub const MAX_REDIRECTS: usize = 5;

/// Header on every input fetch, so that a Folio server (this one, or another node) asked to fetch
/// one of its own API URLs refuses it ([`crate::headers::refuse_fetch_loops`]): a `url` naming
/// `/pdf/convert/...?url=/pdf/convert/...` would otherwise make one request fan out into a chain
/// of conversions, each holding a render slot while it waits for the next.
pub const FETCH_MARK: &str = "folio-fetch";

/// The client for `url` inputs: guarded resolver, checked redirects, no proxy.
pub fn guarded_client(timeout: Duration, allow: AllowList) -> reqwest::Result<reqwest::Client> {
    let allow = Arc::new(allow);
    let policy_allow = allow.clone();
    let policy = reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() > MAX_REDIRECTS {
            return attempt.error(Blocked::TooManyRedirects);
        }
        match check_url(attempt.url(), &policy_allow) {
            Ok(()) => attempt.follow(),
            Err(blocked) => attempt.error(blocked),
        }
    });
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .user_agent(concat!("Folio/", env!("CARGO_PKG_VERSION")))
        .default_headers(reqwest::header::HeaderMap::from_iter([(
            reqwest::header::HeaderName::from_static(FETCH_MARK),
            reqwest::header::HeaderValue::from_static("1"),
        )]))
        .no_proxy()
        .dns_resolver(GuardedResolver { allow })
        .redirect(policy)
        .build()
}

/// Why an address is not fetched from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    Loopback,
    Unspecified,
    LinkLocal,
    Private,
    SharedNat,
    UniqueLocal,
    Multicast,
    Broadcast,
    Documentation,
    Reserved,
}

impl Refused {
    /// The kind of address, as the end of "resolves to …".
    pub fn describe(self) -> &'static str {
        match self {
            Self::Loopback => "a loopback address",
            Self::Unspecified => "an unspecified address",
            Self::LinkLocal => "a link-local address",
            Self::Private => "a private address",
            Self::SharedNat => "a carrier-grade NAT address",
            Self::UniqueLocal => "a unique-local (private) address",
            Self::Multicast => "a multicast address",
            Self::Broadcast => "the broadcast address",
            Self::Documentation => "a documentation address",
            Self::Reserved => "a reserved address",
        }
    }
}

const fn v4(a: u8, b: u8, c: u8, d: u8, len: u8) -> Ipv4Net {
    Ipv4Net::new_assert(Ipv4Addr::new(a, b, c, d), len)
}

const fn v6(segments: [u16; 8], len: u8) -> Ipv6Net {
    let [a, b, c, d, e, f, g, h] = segments;
    Ipv6Net::new_assert(Ipv6Addr::new(a, b, c, d, e, f, g, h), len)
}

/// Refused IPv4 ranges (IANA special-purpose registry); the first match names the reason.
const REFUSED_V4: &[(Ipv4Net, Refused)] = &[
    (v4(0, 0, 0, 0, 8), Refused::Unspecified),
    (v4(10, 0, 0, 0, 8), Refused::Private),
    (v4(100, 64, 0, 0, 10), Refused::SharedNat),
    (v4(127, 0, 0, 0, 8), Refused::Loopback),
    (v4(169, 254, 0, 0, 16), Refused::LinkLocal),
    (v4(172, 16, 0, 0, 12), Refused::Private),
    (v4(192, 0, 0, 0, 24), Refused::Reserved),
    (v4(192, 0, 2, 0, 24), Refused::Documentation),
    (v4(192, 88, 99, 0, 24), Refused::Reserved),
    (v4(192, 168, 0, 0, 16), Refused::Private),
    (v4(198, 18, 0, 0, 15), Refused::Reserved),
    (v4(198, 51, 100, 0, 24), Refused::Documentation),
    (v4(203, 0, 113, 0, 24), Refused::Documentation),
    (v4(224, 0, 0, 0, 4), Refused::Multicast),
    (v4(255, 255, 255, 255, 32), Refused::Broadcast),
    (v4(240, 0, 0, 0, 4), Refused::Reserved),
];

/// Refused IPv6 ranges besides `::`, `::1` and the forms embedding an IPv4 address; anything
/// outside global unicast (2000::/3) is refused as well.
const REFUSED_V6: &[(Ipv6Net, Refused)] = &[
    (v6([0x64, 0xff9b, 1, 0, 0, 0, 0, 0], 48), Refused::Private),
    (
        v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], 32),
        Refused::Documentation,
    ),
    (v6([0x2001, 0, 0, 0, 0, 0, 0, 0], 23), Refused::Reserved),
    (
        v6([0x3fff, 0, 0, 0, 0, 0, 0, 0], 20),
        Refused::Documentation,
    ),
    (v6([0xfc00, 0, 0, 0, 0, 0, 0, 0], 7), Refused::UniqueLocal),
    (v6([0xfe80, 0, 0, 0, 0, 0, 0, 0], 10), Refused::LinkLocal),
    (v6([0xfec0, 0, 0, 0, 0, 0, 0, 0], 10), Refused::Private),
    (v6([0xff00, 0, 0, 0, 0, 0, 0, 0], 8), Refused::Multicast),
];

const GLOBAL_UNICAST_V6: Ipv6Net = v6([0x2000, 0, 0, 0, 0, 0, 0, 0], 3);
const NAT64_V6: Ipv6Net = v6([0x64, 0xff9b, 0, 0, 0, 0, 0, 0], 96);
const SIX_TO_FOUR_V6: Ipv6Net = v6([0x2002, 0, 0, 0, 0, 0, 0, 0], 16);
const COMPATIBLE_V6: Ipv6Net = v6([0; 8], 96);

/// Why `ip` is refused, or `None` for an ordinary public address.
pub fn classify(ip: IpAddr) -> Option<Refused> {
    match ip {
        IpAddr::V4(ip) => classify_v4(ip),
        IpAddr::V6(ip) => classify_v6(ip),
    }
}

fn classify_v4(ip: Ipv4Addr) -> Option<Refused> {
    REFUSED_V4
        .iter()
        .find(|(net, _)| net.contains(&ip))
        .map(|&(_, why)| why)
}

fn classify_v6(ip: Ipv6Addr) -> Option<Refused> {
    if ip.is_unspecified() {
        return Some(Refused::Unspecified);
    }
    if ip.is_loopback() {
        return Some(Refused::Loopback);
    }
    // Forms that carry an IPv4 address reach that address (dual-stack sockets, NAT64, 6to4
    // relays): they are judged by it.
    if let Some(v4) = ip.to_ipv4_mapped() {
        return classify_v4(v4);
    }
    let [a, b, c, d] = ip.octets()[12..] else {
        unreachable!("an IPv6 address has 16 octets")
    };
    let low32 = Ipv4Addr::new(a, b, c, d);
    if COMPATIBLE_V6.contains(&ip) {
        // Deprecated `::a.b.c.d`: never a legitimate destination.
        return Some(classify_v4(low32).unwrap_or(Refused::Reserved));
    }
    if NAT64_V6.contains(&ip) {
        return classify_v4(low32);
    }
    if SIX_TO_FOUR_V6.contains(&ip) {
        let [_, _, a, b, c, d, ..] = ip.octets();
        return classify_v4(Ipv4Addr::new(a, b, c, d));
    }
    if let Some(&(_, why)) = REFUSED_V6.iter().find(|(net, _)| net.contains(&ip)) {
        return Some(why);
    }
    (!GLOBAL_UNICAST_V6.contains(&ip)).then_some(Refused::Reserved)
}

/// One `--fetch-allow` entry: a CIDR range, a single address, or an exact host name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllowEntry {
    Net(IpNet),
    Host(String),
}

impl FromStr for AllowEntry {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("an empty entry; expected a CIDR range such as 10.0.0.0/8, an IP address or a host name".into());
        }
        if let Some((addr, len)) = s.split_once('/') {
            let addr: IpAddr = addr.parse().map_err(|_| {
                format!("'{s}' is not a CIDR range: '{addr}' is not an IP address (expected e.g. 10.0.0.0/8 or fd00::/8)")
            })?;
            let max = if addr.is_ipv4() { 32 } else { 128 };
            let net = len
                .parse::<u8>()
                .ok()
                .and_then(|len| IpNet::new(addr, len).ok())
                .ok_or_else(|| {
                    format!("'{s}' is not a CIDR range: the prefix length must be 0..={max}")
                })?;
            return Ok(Self::Net(net.trunc()));
        }
        if let Ok(ip) = s.parse::<IpAddr>() {
            return Ok(Self::Net(IpNet::from(ip)));
        }
        let invalid = || {
            format!(
                "'{s}' is neither a CIDR range (e.g. 10.0.0.0/8), an IP address nor a host name"
            )
        };
        match Host::parse(s).map_err(|_| invalid())? {
            Host::Ipv4(ip) => Ok(Self::Net(IpNet::from(IpAddr::V4(ip)))),
            Host::Ipv6(ip) => Ok(Self::Net(IpNet::from(IpAddr::V6(ip)))),
            Host::Domain(name) => {
                let name = name.trim_end_matches('.');
                let valid = !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'));
                if valid {
                    Ok(Self::Host(name.to_ascii_lowercase()))
                } else {
                    Err(invalid())
                }
            }
        }
    }
}

impl fmt::Display for AllowEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Net(net) => net.fmt(f),
            Self::Host(host) => host.fmt(f),
        }
    }
}

/// Destinations fetched from although their address is refused by default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllowList(Vec<AllowEntry>);

impl FromIterator<AllowEntry> for AllowList {
    fn from_iter<I: IntoIterator<Item = AllowEntry>>(entries: I) -> Self {
        Self(entries.into_iter().collect())
    }
}

impl AllowList {
    /// Parses comma-separated entries (the `--fetch-allow` syntax).
    pub fn parse(list: &str) -> Result<Self, String> {
        list.split(',')
            .filter(|s| !s.trim().is_empty())
            .map(str::parse)
            .collect()
    }

    pub fn entries(&self) -> &[AllowEntry] {
        &self.0
    }

    /// Whether `ip` is inside an allowed range; an IPv4-mapped IPv6 address counts as its IPv4
    /// address.
    pub fn allows_ip(&self, ip: IpAddr) -> bool {
        let mapped = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4),
            IpAddr::V4(_) => None,
        };
        self.0.iter().any(|entry| match entry {
            AllowEntry::Net(net) => net.contains(&ip) || mapped.is_some_and(|m| net.contains(&m)),
            AllowEntry::Host(_) => false,
        })
    }

    /// Whether the host name is allowed whatever it resolves to.
    pub fn allows_host(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.');
        self.0
            .iter()
            .any(|entry| matches!(entry, AllowEntry::Host(h) if h.eq_ignore_ascii_case(host)))
    }

    /// `Err` with the reason when `ip` may not be fetched from.
    pub fn check_ip(&self, ip: IpAddr) -> Result<(), Refused> {
        match classify(ip) {
            Some(why) if !self.allows_ip(ip) => Err(why),
            _ => Ok(()),
        }
    }
}

/// A fetch stopped by the guard; found again in reqwest's error chain by [`blocked_cause`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blocked {
    /// The destination's address is refused. `literal`: the URL names the address itself.
    Address {
        host: String,
        ip: IpAddr,
        why: Refused,
        literal: bool,
    },
    /// A redirect to something other than http(s).
    Scheme {
        url: String,
    },
    TooManyRedirects,
}

impl fmt::Display for Blocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Address { host, why, .. } => {
                write!(
                    f,
                    "'{host}' is {}, which is not fetched from",
                    why.describe()
                )
            }
            Self::Scheme { url } => write!(f, "'{url}' is not an http(s) URL"),
            Self::TooManyRedirects => write!(f, "more than {MAX_REDIRECTS} redirects"),
        }
    }
}

impl std::error::Error for Blocked {}

impl Blocked {
    /// The answer to the client; `input` is the URL it gave, `shown` that URL as quoted back.
    pub fn to_api_error(&self, input: &Url, shown: &str) -> ApiError {
        match self {
            Self::Address {
                host,
                ip,
                why,
                literal,
            } => {
                tracing::warn!(url = shown, host, %ip, reason = why.describe(), "refused to fetch an input URL");
                let verb = if *literal { "points to" } else { "resolves to" };
                // The address is quoted only when the client wrote it: resolving names of the
                // server's network must not become a way to map it.
                let what = if *literal {
                    format!("{} ({ip})", why.describe())
                } else {
                    why.describe().to_string()
                };
                let direct = input
                    .host_str()
                    .is_some_and(|h| bare_host(h).eq_ignore_ascii_case(host));
                let message = if direct {
                    format!(
                        "The input URL '{shown}' {verb} {what}, which this server does not fetch from. An administrator can allow it with --fetch-allow."
                    )
                } else {
                    format!(
                        "The input URL '{shown}' redirects to '{host}', which {verb} {what}; this server does not fetch from there. An administrator can allow it with --fetch-allow."
                    )
                };
                ApiError::new(Code::Forbidden, message)
            }
            Self::Scheme { url } if url == input.as_str() => ApiError::new(
                Code::InvalidUrl,
                format!("Invalid URL '{shown}': only http and https URLs can be fetched."),
            ),
            Self::Scheme { url } => ApiError::new(
                Code::InvalidUrl,
                format!(
                    "Invalid URL: the input URL '{shown}' redirects to '{url}'; only http and https URLs can be fetched."
                ),
            ),
            Self::TooManyRedirects => ApiError::bad_request(format!(
                "The input URL '{shown}' redirects more than {MAX_REDIRECTS} times."
            )),
        }
    }
}

fn bare_host(host: &str) -> &str {
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .trim_end_matches('.')
}

/// Checks what can be checked without resolving: the scheme and an IP-literal host (which the
/// resolver never sees). Host names are checked by the resolver at connection time.
pub fn check_url(url: &Url, allow: &AllowList) -> Result<(), Blocked> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Blocked::Scheme {
            url: url.to_string(),
        });
    }
    let ip = match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip),
        Some(Host::Domain(_)) | None => return Ok(()),
    };
    allow.check_ip(ip).map_err(|why| Blocked::Address {
        host: ip.to_string(),
        ip,
        why,
        literal: true,
    })
}

/// The guard's verdict somewhere in an error's source chain.
/// `url` with its user name, password and the values of query parameters that look like
/// secrets (`token`, `key`, `signature`, `password`, …) replaced by `***`: for messages and logs.
/// Text that is not a URL is returned as it is.
pub fn redact(url: &str) -> String {
    let Ok(mut parsed) = Url::parse(url.trim()) else {
        return url.to_string();
    };
    let mut changed = false;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        let _ = parsed.set_username("***");
        let _ = parsed.set_password(None);
        changed = true;
    }
    let secret = |k: &str| {
        let k = k.to_ascii_lowercase();
        [
            "token",
            "key",
            "sig",
            "password",
            "passwd",
            "pwd",
            "secret",
            "auth",
            "credential",
        ]
        .iter()
        .any(|s| k.contains(s))
    };
    if parsed.query_pairs().any(|(k, _)| secret(&k)) {
        let pairs: Vec<(String, String)> = parsed
            .query_pairs()
            .map(|(k, v)| {
                let v = if secret(&k) {
                    "***".into()
                } else {
                    v.into_owned()
                };
                (k.into_owned(), v)
            })
            .collect();
        parsed.query_pairs_mut().clear().extend_pairs(pairs);
        changed = true;
    }
    if changed {
        parsed.to_string()
    } else {
        url.to_string()
    }
}

/// A fetch error's text with the URL it names (reqwest quotes it) redacted.
pub fn redact_error(e: &reqwest::Error) -> String {
    let text = e.to_string();
    match e.url() {
        Some(url) => text.replace(url.as_str(), &redact(url.as_str())),
        None => text,
    }
}

pub fn blocked_cause<'a>(err: &'a (dyn std::error::Error + 'static)) -> Option<&'a Blocked> {
    let mut cur = Some(err);
    while let Some(e) = cur {
        if let Some(blocked) = e.downcast_ref::<Blocked>() {
            return Some(blocked);
        }
        cur = e.source();
    }
    None
}

/// Resolves with the system resolver and keeps only the addresses the allow list permits.
struct GuardedResolver {
    allow: Arc<AllowList>,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow = self.allow.clone();
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs = resolve_checked(&host, &allow).await?;
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

async fn resolve_checked(
    host: &str,
    allow: &AllowList,
) -> Result<Vec<SocketAddr>, Box<dyn std::error::Error + Send + Sync>> {
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, 0)).await?.collect();
    if allow.allows_host(host) {
        return Ok(addrs);
    }
    let mut refused = None;
    let kept: Vec<SocketAddr> = addrs
        .into_iter()
        .filter(|addr| match allow.check_ip(addr.ip()) {
            Ok(()) => true,
            Err(why) => {
                refused.get_or_insert((addr.ip(), why));
                false
            }
        })
        .collect();
    match (kept.is_empty(), refused) {
        (true, Some((ip, why))) => Err(Box::new(Blocked::Address {
            host: bare_host(host).to_string(),
            ip,
            why,
            literal: false,
        })),
        (true, None) => Err(format!("'{host}' has no addresses").into()),
        (false, _) => Ok(kept),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_urls_are_redacted() {
        assert_eq!(
            redact("https://alice:s3cret@example.com/a.pdf"),
            "https://***@example.com/a.pdf"
        );
        let r = redact("http://h/a.pdf?id=7&access_token=abc&X-Amz-Signature=def&sig=1");
        assert!(
            !r.contains("abc") && !r.contains("def") && r.contains("id=7"),
            "{r}"
        );
        assert_eq!(redact("http://h/a.pdf?page=2"), "http://h/a.pdf?page=2");
        assert_eq!(redact("not a url"), "not a url");
    }

    fn class(s: &str) -> Option<Refused> {
        classify(s.parse().unwrap())
    }

    #[test]
    fn ipv4_ranges() {
        use Refused::*;
        for (ip, want) in [
            ("127.0.0.1", Some(Loopback)),
            ("127.255.255.254", Some(Loopback)),
            ("0.0.0.0", Some(Unspecified)),
            ("0.1.2.3", Some(Unspecified)),
            ("10.0.0.5", Some(Private)),
            ("172.16.0.1", Some(Private)),
            ("172.31.255.255", Some(Private)),
            ("192.168.1.1", Some(Private)),
            ("169.254.169.254", Some(LinkLocal)),
            ("100.64.0.1", Some(SharedNat)),
            ("100.127.255.255", Some(SharedNat)),
            ("224.0.0.1", Some(Multicast)),
            ("239.255.255.250", Some(Multicast)),
            ("255.255.255.255", Some(Broadcast)),
            ("240.0.0.1", Some(Reserved)),
            ("192.0.0.170", Some(Reserved)),
            ("198.18.0.1", Some(Reserved)),
            ("192.0.2.1", Some(Documentation)),
            ("198.51.100.7", Some(Documentation)),
            ("203.0.113.9", Some(Documentation)),
            ("8.8.8.8", None),
            ("1.1.1.1", None),
            ("172.15.255.255", None),
            ("172.32.0.0", None),
            ("100.63.255.255", None),
            ("100.128.0.0", None),
            ("169.253.255.255", None),
            ("11.0.0.1", None),
            ("223.255.255.255", None),
        ] {
            assert_eq!(class(ip), want, "{ip}");
        }
    }

    #[test]
    fn ipv6_ranges_and_embedded_ipv4() {
        use Refused::*;
        for (ip, want) in [
            ("::1", Some(Loopback)),
            ("::", Some(Unspecified)),
            ("fe80::1", Some(LinkLocal)),
            ("febf::1", Some(LinkLocal)),
            ("fc00::1", Some(UniqueLocal)),
            ("fd12:3456::1", Some(UniqueLocal)),
            ("fec0::1", Some(Private)),
            ("ff02::1", Some(Multicast)),
            ("2001:db8::1", Some(Documentation)),
            ("3fff::1", Some(Documentation)),
            ("2001::1", Some(Reserved)),
            ("100::1", Some(Reserved)),
            ("4000::1", Some(Reserved)),
            ("64:ff9b:1::1", Some(Private)),
            // IPv4-mapped, -compatible, NAT64 and 6to4 forms are judged by their IPv4 address.
            ("::ffff:127.0.0.1", Some(Loopback)),
            ("::ffff:7f00:1", Some(Loopback)),
            ("::ffff:10.1.2.3", Some(Private)),
            ("::ffff:169.254.169.254", Some(LinkLocal)),
            ("::ffff:0.0.0.0", Some(Unspecified)),
            ("::ffff:8.8.8.8", None),
            ("::127.0.0.1", Some(Loopback)),
            ("::192.168.0.1", Some(Private)),
            ("::8.8.8.8", Some(Reserved)),
            ("64:ff9b::127.0.0.1", Some(Loopback)),
            ("64:ff9b::a9fe:a9fe", Some(LinkLocal)),
            ("64:ff9b::8.8.8.8", None),
            ("2002:7f00:1::", Some(Loopback)),
            ("2002:c0a8:101::1", Some(Private)),
            ("2002:808:808::1", None),
            ("2606:4700:4700::1111", None),
            ("2a00:1450:4001::200e", None),
        ] {
            assert_eq!(class(ip), want, "{ip}");
        }
    }

    #[test]
    fn allow_list_parses_ranges_addresses_and_hosts() {
        let list = AllowList::parse(
            " 127.0.0.1/32, 10.1.2.3/8,fd00::/8 ,192.168.0.7,::1, Intranet.Example., ,",
        )
        .unwrap();
        let shown: Vec<String> = list.entries().iter().map(|e| e.to_string()).collect();
        assert_eq!(
            shown,
            [
                "127.0.0.1/32",
                "10.0.0.0/8",
                "fd00::/8",
                "192.168.0.7/32",
                "::1/128",
                "intranet.example"
            ]
        );
        assert!(list.check_ip("127.0.0.1".parse().unwrap()).is_ok());
        assert!(list.check_ip("::ffff:127.0.0.1".parse().unwrap()).is_ok());
        assert_eq!(
            list.check_ip("127.0.0.2".parse().unwrap()),
            Err(Refused::Loopback)
        );
        assert!(list.check_ip("10.200.0.1".parse().unwrap()).is_ok());
        assert!(list.check_ip("fd99::1".parse().unwrap()).is_ok());
        assert_eq!(
            list.check_ip("fe80::1".parse().unwrap()),
            Err(Refused::LinkLocal)
        );
        assert!(list.allows_host("intranet.example"));
        assert!(list.allows_host("INTRANET.example."));
        assert!(!list.allows_host("other.example"));
        assert!(AllowList::parse("").unwrap().entries().is_empty());
    }

    #[test]
    fn allow_list_rejects_bad_entries_clearly() {
        for (entry, needle) in [
            ("10.0.0.0/33", "prefix length must be 0..=32"),
            ("fd00::/129", "prefix length must be 0..=128"),
            ("10.0.0.0/x", "prefix length"),
            ("10.0.0.300/8", "'10.0.0.300' is not an IP address"),
            ("intranet/8", "not an IP address"),
            ("*.example.com", "neither a CIDR range"),
            ("a b", "neither a CIDR range"),
            ("http://x", "not a CIDR range"),
        ] {
            let err = AllowList::parse(entry).unwrap_err();
            assert!(err.contains(needle), "{entry}: {err}");
        }
    }

    #[test]
    fn urls_with_ip_literals_are_checked_before_resolving() {
        let none = AllowList::default();
        let check = |u: &str, allow: &AllowList| check_url(&Url::parse(u).unwrap(), allow);
        for u in [
            "http://127.0.0.1/",
            "http://[::1]:8080/",
            "http://[::ffff:127.0.0.1]/",
            "http://0.0.0.0:80/",
            "http://169.254.169.254/latest/meta-data",
            "http://2130706433/",
            "http://0x7f.1/",
            "https://10.0.0.5/a.pdf",
        ] {
            assert!(
                matches!(check(u, &none), Err(Blocked::Address { literal: true, .. })),
                "{u}"
            );
        }
        assert_eq!(
            check("file:///etc/passwd", &none),
            Err(Blocked::Scheme {
                url: "file:///etc/passwd".into()
            })
        );
        assert!(check("http://example.com/a.pdf", &none).is_ok());
        assert!(check("http://8.8.8.8/a.pdf", &none).is_ok());
        let allow = AllowList::parse("127.0.0.0/8").unwrap();
        assert!(check("http://127.0.0.1:9/", &allow).is_ok());
        assert!(check("http://[::ffff:127.0.0.1]:9/", &allow).is_ok());
    }

    #[tokio::test]
    async fn resolver_drops_refused_addresses() {
        let err = resolve_checked("localhost", &AllowList::default())
            .await
            .unwrap_err();
        let blocked = blocked_cause(&*err).expect("a guard verdict");
        assert!(
            matches!(blocked, Blocked::Address { host, why: Refused::Loopback, literal: false, .. } if host == "localhost"),
            "{blocked:?}"
        );
        let allow = AllowList::parse("127.0.0.1/32").unwrap();
        let kept = resolve_checked("localhost", &allow).await.unwrap();
        assert!(!kept.is_empty());
        assert!(
            kept.iter()
                .all(|a| a.ip() == IpAddr::V4(Ipv4Addr::LOCALHOST))
        );
        let by_name = AllowList::parse("localhost").unwrap();
        assert!(
            !resolve_checked("localhost", &by_name)
                .await
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn messages_name_the_reason_and_the_way_out() {
        let input = Url::parse("http://10.0.0.5/a.pdf").unwrap();
        let blocked = check_url(&input, &AllowList::default()).unwrap_err();
        let err = blocked.to_api_error(&input, input.as_str());
        assert_eq!(err.status, 403);
        assert_eq!(
            err.message,
            "The input URL 'http://10.0.0.5/a.pdf' points to a private address (10.0.0.5), which this server does not fetch from. An administrator can allow it with --fetch-allow."
        );
        let hop = Blocked::Address {
            host: "intranet".into(),
            ip: "192.168.1.2".parse().unwrap(),
            why: Refused::Private,
            literal: false,
        };
        let err = hop.to_api_error(&Url::parse("http://example.com/").unwrap(), "x");
        assert!(err.message.contains("redirects to 'intranet'"), "{err}");
        assert!(!err.message.contains("192.168"), "{err}");
    }
}
