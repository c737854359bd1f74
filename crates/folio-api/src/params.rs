//! Request parameters, as PDF.co clients really send them (API.md §0.2–0.4).
//!
//! One request may carry parameters in its query string *and* its body; the body may be JSON (with
//! or without a content type), form-urlencoded, or multipart (even under a wrong content type).
//! Everything is merged into one case-insensitive map, body over query. Empty values mean "not set".
//! The query's `url` value is often not percent-encoded, so `&k=v` pieces after `url=` that are not
//! known parameter names are taken as part of the URL.

use std::collections::HashMap;

use bytes::Bytes;
use folio_render::Code;

use crate::ApiError;
use crate::body::{Blob, MEMORY_MAX, Spool};

/// A file sent in a multipart body: in memory when small, else in a spool file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePart {
    pub field: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub data: Blob,
}

/// Largest multipart text field (a parameter, not a file part).
const MAX_TEXT_FIELD: u64 = 64 << 20;

/// The merged parameters of one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    values: HashMap<String, String>,
    /// The first file part of a multipart body, if any.
    pub file: Option<FilePart>,
    /// Parse memory the values hold (large JSON, form or text-field bodies), kept as long as
    /// they are.
    held: Vec<crate::body::Reservation>,
}

/// Parameter names PDF.co endpoints understand. After an unencoded `url=`, a `&name=` piece is
/// a new parameter only if `name` is one of these; anything else belongs to the URL.
pub(crate) const KNOWN: &[&str] = &[
    "url",
    "file",
    "pages",
    "password",
    "async",
    "name",
    "inline",
    "expiration",
    "encrypt",
    "profiles",
    "httpusername",
    "httppassword",
    "callback",
    "x-api-key",
    "lang",
    "rect",
    "timeout",
    "jobid",
    "force",
    "contenttype",
    "unwrap",
    "linegrouping",
    "cache",
    "ocrmode",
    "angle",
    "ownerpassword",
    "userpassword",
    "encryptionalgorithm",
    "allowaccessibilitysupport",
    "allowassemblydocument",
    "allowprintdocument",
    "allowfillforms",
    "allowmodifydocument",
    "allowcontentextraction",
    "allowmodifyannotations",
    "printquality",
    "config",
    "type",
    "value",
    "decorationimage",
    "types",
    "worksheetindex",
    "autosize",
];

impl Params {
    /// Merge the query string and an in-memory body (tests, small bodies).
    pub async fn parse(
        query: Option<&str>,
        content_type: Option<&str>,
        body: Bytes,
    ) -> Result<Self, ApiError> {
        Self::parse_spooled(query, content_type, Blob::Memory(body), &Spool::default()).await
    }

    /// Merge the query string and a spooled body. A multipart body is read as a stream (its
    /// file part spills to `spool` when large); a JSON or form body is parsed in memory, under
    /// `spool`'s parse budget when it was too large to stay in memory.
    pub async fn parse_spooled(
        query: Option<&str>,
        content_type: Option<&str>,
        body: Blob,
        spool: &Spool,
    ) -> Result<Self, ApiError> {
        let mut params = Params::default();
        if let Some(q) = query {
            params.merge_query(q);
        }
        params
            .merge_body(content_type.unwrap_or(""), body, spool)
            .await?;
        Ok(params)
    }

    /// The value of `name` (case-insensitive), `None` when missing or empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values
            .get(&name.to_ascii_lowercase())
            .map(|s| s.as_str())
            .filter(|s| !s.trim().is_empty())
    }

    /// A boolean: `true/True/1/yes/on`, `false/False/0/no/off`; missing or empty → `default`.
    pub fn bool(&self, name: &str, default: bool) -> Result<bool, ApiError> {
        match self.get(name).map(|v| v.trim().to_ascii_lowercase()) {
            None => Ok(default),
            Some(v) => match v.as_str() {
                "true" | "1" | "yes" | "on" => Ok(true),
                "false" | "0" | "no" | "off" => Ok(false),
                _ => Err(ApiError::bad_request(format!(
                    "Invalid value '{v}' for '{name}': use true or false."
                ))),
            },
        }
    }

    /// An integer given as a number or a string; missing or empty → `None`.
    pub fn int(&self, name: &str) -> Result<Option<i64>, ApiError> {
        self.get(name)
            .map(|v| {
                let v = v.trim();
                v.parse::<i64>()
                    .or_else(|_| v.parse::<f64>().map(|f| f as i64).map_err(|_| ()))
                    .map_err(|_| {
                        ApiError::bad_request(format!(
                            "Invalid value '{v}' for '{name}': use a whole number."
                        ))
                    })
            })
            .transpose()
    }

    fn set(&mut self, key: &str, value: String) {
        self.values.insert(key.trim().to_ascii_lowercase(), value);
    }

    fn merge_query(&mut self, raw: &str) {
        let mut pieces = raw.split('&').peekable();
        while let Some(piece) = pieces.next() {
            let (k, v) = piece.split_once('=').unwrap_or((piece, ""));
            let key = decode(k, true);
            if key.eq_ignore_ascii_case("url") {
                // Re-join pieces that are not known parameters: they were the URL's own `&`.
                let mut url = v.to_string();
                while let Some(next) = pieces.peek() {
                    let name = next.split_once('=').map_or(*next, |(n, _)| n);
                    if KNOWN.contains(&decode(name, true).to_ascii_lowercase().as_str()) {
                        break;
                    }
                    url.push('&');
                    url.push_str(next);
                    pieces.next();
                }
                // No `+` → space here: a URL's `+` is literal.
                self.set(&key, decode(&url, false));
            } else if !key.is_empty() {
                self.set(&key, decode(v, true));
            }
        }
    }

    async fn merge_body(
        &mut self,
        content_type: &str,
        body: Blob,
        spool: &Spool,
    ) -> Result<(), ApiError> {
        let io = |e: std::io::Error| ApiError::internal("reading a spooled body", e);
        let head = body.head(512).await.map_err(io)?;
        if head.trim_ascii_start().is_empty() && body.len() <= head.len() as u64 {
            return Ok(());
        }
        if let Some(boundary) = multipart_boundary(content_type, &head) {
            return self.merge_multipart(boundary, body, spool).await;
        }
        let ct = content_type.to_ascii_lowercase();
        let start = head.trim_ascii_start();
        let may_have_params = start.starts_with(b"{")
            || ct.starts_with("application/x-www-form-urlencoded")
            || (ct.is_empty() || ct.starts_with("text/")) && !start.contains(&0);
        if !may_have_params {
            // Any other body (e.g. `application/octet-stream` on a GET) carries no parameters.
            return Ok(());
        }
        let bytes = match body {
            Blob::Memory(b) => b,
            file @ Blob::File(..) => {
                self.held.push(spool.reserve(file.len())?);
                Bytes::from(file.into_vec().await.map_err(io)?)
            }
        };
        self.merge_text_body(&ct, &bytes)
    }

    /// A JSON or form-urlencoded body, in memory.
    fn merge_text_body(&mut self, ct: &str, body: &[u8]) -> Result<(), ApiError> {
        let trimmed = body.trim_ascii_start();
        if trimmed.starts_with(b"{") {
            return self.merge_json(trimmed);
        }
        let looks_like_form =
            !trimmed.contains(&0) && std::str::from_utf8(trimmed).is_ok_and(|s| s.contains('='));
        if ct.starts_with("application/x-www-form-urlencoded")
            || (ct.is_empty() || ct.starts_with("text/")) && looks_like_form
        {
            let text = std::str::from_utf8(trimmed)
                .map_err(|_| ApiError::bad_request("The form body is not valid UTF-8."))?;
            for piece in text.split('&').filter(|p| !p.is_empty()) {
                let (k, v) = piece.split_once('=').unwrap_or((piece, ""));
                self.set(&decode(k, true), decode(v, true));
            }
        }
        Ok(())
    }

    /// A JSON body's top-level members. Values are borrowed as raw text, not built into a
    /// `serde_json::Value` tree: a tree costs tens of bytes per array element, so a 64 MiB body of
    /// `[0,0,…]` would need gigabytes, while raw text costs what the body does. Strings are
    /// unescaped; arrays and objects (`profiles` as an object) are kept as their JSON text.
    fn merge_json(&mut self, body: &[u8]) -> Result<(), ApiError> {
        use serde_json::value::RawValue;
        let invalid = |e: serde_json::Error| {
            ApiError::bad_request(format!("The request body is not valid JSON: {e}."))
        };
        let value: &RawValue = serde_json::from_slice(body).map_err(invalid)?;
        if !value.get().starts_with('{') {
            return Err(ApiError::bad_request(
                "The JSON body must be an object of parameters.",
            ));
        }
        let map: std::collections::BTreeMap<String, &RawValue> =
            serde_json::from_str(value.get()).map_err(invalid)?;
        for (k, v) in map {
            let raw = v.get();
            let text = match raw.as_bytes()[0] {
                b'n' => continue,
                b'"' => serde_json::from_str::<String>(raw).map_err(invalid)?,
                _ => raw.to_string(),
            };
            self.set(&k, text);
        }
        Ok(())
    }

    async fn merge_multipart(
        &mut self,
        boundary: String,
        body: Blob,
        spool: &Spool,
    ) -> Result<(), ApiError> {
        let stream = body
            .stream()
            .await
            .map_err(|e| ApiError::internal("reading a spooled body", e))?;
        let mut mp = multer::Multipart::new(stream, boundary);
        let bad = |e: multer::Error| {
            ApiError::bad_request(format!("The multipart body is malformed: {e}."))
        };
        while let Some(mut field) = mp.next_field().await.map_err(bad)? {
            let name = field.name().unwrap_or("").to_string();
            let filename = field.file_name().map(str::to_string);
            let content_type = field.content_type().map(|m| m.to_string());
            if filename.is_some() {
                let data = spool
                    .collect(
                        field,
                        None,
                        u64::MAX,
                        |_| ApiError::new(Code::PayloadTooLarge, "too large"),
                        bad,
                    )
                    .await?;
                if self.file.is_none() {
                    self.file = Some(FilePart {
                        field: name,
                        filename,
                        content_type,
                        data,
                    });
                }
            } else if !name.is_empty() {
                let mut data = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(bad)? {
                    data.extend_from_slice(&chunk);
                    if data.len() as u64 > MAX_TEXT_FIELD {
                        return Err(ApiError::new(
                            Code::PayloadTooLarge,
                            format!(
                                "The form field '{name}' is longer than {MAX_TEXT_FIELD} bytes: send files as file parts."
                            ),
                        ));
                    }
                    if data.len() > MEMORY_MAX && data.len() - chunk.len() <= MEMORY_MAX {
                        // Large text fields (base64 files) count against the parse budget.
                        self.held.push(spool.reserve(MAX_TEXT_FIELD)?);
                    }
                }
                let text = String::from_utf8(data).map_err(|_| {
                    ApiError::bad_request(format!(
                        "The form field '{name}' is not valid UTF-8 text."
                    ))
                })?;
                self.set(&name, text);
            }
        }
        Ok(())
    }
}

/// The multipart boundary, from the content type's `boundary=` parameter (whatever its MIME type,
/// as curl sends `application/json; boundary=…` with `--form`) or, failing that, from a body that
/// starts with `--boundary\r\n`.
pub fn multipart_boundary(content_type: &str, body: &[u8]) -> Option<String> {
    let from_header = content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_string())
    });
    if let Some(b) = from_header.filter(|b| !b.is_empty()) {
        return Some(b);
    }
    let rest = body.strip_prefix(b"--")?;
    let end = rest.iter().position(|&b| b == b'\r' || b == b'\n')?;
    let boundary = std::str::from_utf8(&rest[..end]).ok()?.trim_end();
    (!boundary.is_empty() && boundary.len() <= 200 && !boundary.contains(' '))
        .then(|| boundary.to_string())
}

/// Percent-decode; with `plus_is_space`, `+` means a space (form encoding).
fn decode(s: &str, plus_is_space: bool) -> String {
    let s = if plus_is_space {
        s.replace('+', " ")
    } else {
        s.to_string()
    };
    percent_encoding::percent_decode_str(&s)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(query: Option<&str>, ct: Option<&str>, body: &str) -> Params {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(Params::parse(query, ct, Bytes::from(body.to_string())))
            .unwrap()
    }

    #[test]
    fn unencoded_url_keeps_its_own_ampersands() {
        let p = parse(
            Some("pages=&password=&url=http://h/get?id=1&t=a=b&async=True"),
            None,
            "",
        );
        assert_eq!(p.get("url"), Some("http://h/get?id=1&t=a=b"));
        assert!(p.bool("async", false).unwrap());
        assert_eq!(p.get("pages"), None, "empty means not set");
        // The PHP samples put url first; the jQuery ones follow it with encrypt/inline.
        let p = parse(
            Some("url=http://h/files/x/a.pdf&encrypt=true&inline=false"),
            None,
            "",
        );
        assert_eq!(p.get("url"), Some("http://h/files/x/a.pdf"));
        assert_eq!(p.get("encrypt"), Some("true"));
        // The TIFF cURL sample's missing '&' is taken literally.
        let p = parse(
            Some("name=result.tifpassword=&pages=&url=http://h/a.pdf"),
            None,
            "",
        );
        assert_eq!(p.get("name"), Some("result.tifpassword="));
        // A '+' in a URL is literal; in other values it is a space.
        let p = parse(Some("name=a+b&url=http://h/a+b.pdf"), None, "");
        assert_eq!(
            (p.get("name"), p.get("url")),
            (Some("a b"), Some("http://h/a+b.pdf"))
        );
    }

    #[test]
    fn bodies_of_every_kind_merge_over_the_query() {
        let p = parse(
            Some("Pages=1&name=q"),
            None,
            r#" {"PAGES": 2, "async": true, "profiles": {"a": 1}}"#,
        );
        assert_eq!(p.get("pages"), Some("2"));
        assert_eq!(p.get("name"), Some("q"));
        assert_eq!(p.get("ASYNC"), Some("true"));
        // An object is kept as the client wrote it.
        assert_eq!(p.get("profiles"), Some(r#"{"a": 1}"#));
        let p = parse(
            None,
            Some("application/x-www-form-urlencoded"),
            "jobid=abc&force=False",
        );
        assert_eq!(p.get("JobId"), Some("abc"));
        assert!(!p.bool("force", true).unwrap());
        let mp = "--b0\r\nContent-Disposition: form-data; name=\"Pages\"\r\n\r\n0-1\r\n--b0\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n--b0--\r\n";
        for ct in [
            Some("multipart/form-data; boundary=b0"),
            Some("application/json; boundary=b0"),
            None,
        ] {
            let p = parse(None, ct, mp);
            assert_eq!(p.get("pages"), Some("0-1"), "{ct:?}");
            let f = p.file.unwrap();
            assert_eq!(
                (
                    f.field.as_str(),
                    f.filename.as_deref(),
                    &f.data.bytes().unwrap()[..]
                ),
                ("file", Some("x.pdf"), &b"%PDF-1.4"[..])
            );
        }
        // A body that carries no parameters (octet-stream on a GET) is ignored.
        let p = parse(
            Some("pages=3"),
            Some("application/octet-stream"),
            "\u{1}\u{2}binary",
        );
        assert_eq!(p.get("pages"), Some("3"));
    }

    #[test]
    fn values_are_coerced_leniently() {
        let p = parse(Some("a=True&b=0&c=yes&d=&e=12&f=1.0&g=x"), None, "");
        assert!(
            p.bool("a", false).unwrap()
                && !p.bool("b", true).unwrap()
                && p.bool("c", false).unwrap()
        );
        assert!(p.bool("d", true).unwrap(), "empty = default");
        assert_eq!(p.int("e").unwrap(), Some(12));
        assert_eq!(p.int("f").unwrap(), Some(1));
        assert_eq!(p.bool("g", false).unwrap_err().status, 400);
        assert_eq!(p.int("g").unwrap_err().status, 400);
    }

    #[test]
    fn bad_bodies_are_400() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        for (ct, body) in [
            (None, "{not json"),
            (Some("multipart/form-data; boundary=zz"), "--zz\r\ngarbage"),
        ] {
            let e = rt
                .block_on(Params::parse(None, ct, Bytes::from(body)))
                .unwrap_err();
            assert_eq!(e.status, 400, "{body}: {e}");
        }
    }

    proptest! {
        #[test]
        fn any_request_parses_or_fails_cleanly(
            query in proptest::option::of("[a-zA-Z0-9=&%+?:/._ -]{0,60}"),
            ct in proptest::option::of(prop_oneof![
                Just("application/json".to_string()),
                Just("multipart/form-data; boundary=x".to_string()),
                Just("application/x-www-form-urlencoded".to_string()),
                "[ -~]{0,30}",
            ]),
            body in proptest::collection::vec(any::<u8>(), 0..200),
        ) {
            let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
            if let Err(e) = rt.block_on(Params::parse(query.as_deref(), ct.as_deref(), Bytes::from(body))) {
                prop_assert_eq!(e.status, 400);
            }
        }

        /// Well-formed multipart bodies give back their fields; the same bodies cut short or
        /// with a byte changed parse or fail with 400, never panic or hang.
        #[test]
        fn multipart_bodies_parse_and_damaged_ones_fail_cleanly(
            fields in proptest::collection::vec(("[a-zA-Z]{1,8}", "[ -~]{0,40}"), 0..5),
            file in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..200)),
            boundary in "[a-zA-Z0-9'()+_,./:=?-]{1,40}",
            cut in any::<proptest::sample::Index>(),
            flip in any::<proptest::sample::Index>(),
            byte in any::<u8>(),
            in_header in any::<bool>(),
        ) {
            let mut body = Vec::new();
            for (k, v) in &fields {
                body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").bytes());
            }
            if let Some(data) = &file {
                body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").bytes());
                body.extend(data);
                body.extend(b"\r\n");
            }
            body.extend(format!("--{boundary}--\r\n").bytes());
            let ct = in_header.then(|| format!("multipart/form-data; boundary=\"{boundary}\""));
            let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
            let whole = Bytes::from(body.clone());
            // A field body that happens to contain the boundary line is not a valid form.
            let clean = !fields.iter().any(|(_, v)| v.contains(&format!("--{boundary}")))
                && !file.as_ref().is_some_and(|d| d.windows(boundary.len() + 2).any(|w| w == format!("--{boundary}").as_bytes()));
            if clean && (in_header || !fields.is_empty() || file.is_some()) {
                let p = rt.block_on(Params::parse(None, ct.as_deref(), whole)).unwrap();
                for (k, v) in &fields {
                    // Later duplicates win; check the last value given for each name.
                    let last = fields.iter().rev().find(|(k2, _)| k2.eq_ignore_ascii_case(k)).unwrap();
                    // A blank value means "not given" (API.md §0).
                    let want = Some(last.1.as_str()).filter(|v| !v.trim().is_empty());
                    prop_assert_eq!(p.get(k), want, "field {} = {:?}", k, v);
                }
                if let Some(data) = &file {
                    prop_assert_eq!(&p.file.as_ref().unwrap().data.bytes().unwrap()[..], &data[..]);
                }
            }
            let mut damaged = body.clone();
            damaged.truncate(cut.index(body.len() + 1));
            if !damaged.is_empty() {
                let i = flip.index(damaged.len());
                damaged[i] = byte;
            }
            if let Err(e) = rt.block_on(Params::parse(None, ct.as_deref(), Bytes::from(damaged))) {
                prop_assert_eq!(e.status, 400);
            }
        }

        #[test]
        fn foreign_urls_survive_unencoded(path in "[a-z]{1,8}", q in proptest::collection::vec(("[a-z]{2,6}", "[a-z0-9]{0,5}"), 0..4)) {
            let qs: Vec<String> = q.iter().filter(|(k, _)| !KNOWN.contains(&k.as_str())).map(|(k, v)| format!("{k}={v}")).collect();
            let url = if qs.is_empty() { format!("http://h/{path}") } else { format!("http://h/{path}?{}", qs.join("&")) };
            let p = parse(Some(&format!("pages=1&url={url}&async=true")), None, "");
            prop_assert_eq!(p.get("url"), Some(url.as_str()));
            prop_assert_eq!(p.get("async"), Some("true"));
        }
    }
}
