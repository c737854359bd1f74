//! Tokens, file names and the URLs Folio hands out.
//!
//! URLs are `{public}/files/{token}/{name}` and `{public}/file/upload/put/{token}/{name}`: no `?`
//! or `&`, so clients that paste them unencoded into a query string still work (API.md §0.4), and
//! the token (128 random bits, lower-case hex) is what makes them unguessable capabilities.

use std::time::Duration;

use folio_jobs::now_millis;

use crate::{ApiError, AppState};

/// A fresh random token: 128 bits from the OS, as 32 lower-case hex digits.
pub fn new_token() -> String {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).expect("the OS random source is available");
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// How logs name a job: the first 12 hex digits of SHA-256 of `folio-log:{id}`. A job id is a
/// bearer capability (it reads the job's status and result URLs), so it never goes into logs,
/// which are read by more people than the jobs' owners; whoever holds the id can compute the tag
/// (`printf 'folio-log:%s' "$ID" | sha256sum | cut -c1-12`) and find its lines.
pub fn job_tag(id: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(format!("folio-log:{id}"));
    digest[..6].iter().map(|x| format!("{x:02x}")).collect()
}

/// True for strings [`new_token`] could have made (and, as before, the longer page tokens
/// `{job}p{n}` of results stored by earlier versions, still served until they expire).
pub fn is_token(s: &str) -> bool {
    (32..=48).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
}

/// A client-supplied file name made safe for URLs and storage: the last path component only,
/// characters outside `[A-Za-z0-9._-]` replaced by `_`, no leading dot, at most 100 bytes.
/// `../../etc/passwd` becomes `passwd`; an empty result becomes `fallback`.
pub fn sanitize_name(name: &str, fallback: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let mut out: String = last
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    while out.starts_with('.') {
        out.remove(0);
    }
    if out.len() > 100 {
        // Keep the extension when shortening.
        let ext = out
            .rfind('.')
            .filter(|&i| out.len() - i <= 10)
            .map(|i| out[i..].to_string());
        out.truncate(100 - ext.as_ref().map_or(0, |e| e.len()));
        out.push_str(ext.as_deref().unwrap_or(""));
    }
    if out.is_empty() || out.chars().all(|c| c == '_') {
        fallback.to_string()
    } else {
        out
    }
}

/// The name without its extension (`report.pdf` → `report`).
pub fn stem(name: &str) -> &str {
    match name.rfind('.') {
        Some(i) if i > 0 => &name[..i],
        _ => name,
    }
}

/// A file record with its derived fields filled in: the storage key from the token, the MIME
/// type from the name, created now; `Ready` with a known `size`, `Pending` without one.
pub fn file_record(
    token: &str,
    name: &str,
    size: Option<u64>,
    job_id: Option<&str>,
    expires_at: i64,
) -> folio_jobs::FileRecord {
    folio_jobs::FileRecord {
        token: token.to_string(),
        key: file_key(token),
        name: name.to_string(),
        content_type: super::input::content_type_for(name).to_string(),
        size,
        state: if size.is_some() {
            folio_jobs::FileState::Ready
        } else {
            folio_jobs::FileState::Pending
        },
        job_id: job_id.map(str::to_string),
        created_at: folio_jobs::now_millis(),
        expires_at,
    }
}

/// Storage key of a file's bytes.
pub fn file_key(token: &str) -> String {
    format!("files/{token}")
}

/// Longest validity of an S3 (SigV4) presigned URL: 7 days.
const MAX_PRESIGNED: Duration = Duration::from_secs(7 * 24 * 3600);

pub fn file_url(state: &AppState, token: &str, name: &str) -> String {
    format!("{}/files/{token}/{name}", state.config.public_url)
}

/// The URL a client downloads a file from until `expires_at`: the store's presigned GET URL when
/// configured (`presigned_downloads`) and the store has them, else Folio's own [`file_url`].
pub async fn download_url(
    state: &AppState,
    token: &str,
    name: &str,
    expires_at: i64,
) -> Result<String, ApiError> {
    if state.config.presigned_downloads {
        let left = Duration::from_millis((expires_at - now_millis()).max(1000) as u64);
        if let Some(url) = state
            .store
            .presign_get(&file_key(token), left.min(MAX_PRESIGNED))
            .await?
        {
            return Ok(url);
        }
    }
    Ok(file_url(state, token, name))
}

/// The URL a client PUTs an upload to: the store's own presigned PUT URL (S3: the bytes go
/// straight to the bucket) or, for stores without one, Folio's single-use upload route.
pub async fn upload_url(state: &AppState, token: &str, name: &str) -> Result<String, ApiError> {
    let minutes = Duration::from_secs(state.config.presigned_upload_minutes.max(1) * 60);
    Ok(
        match state
            .store
            .presign_put(&file_key(token), minutes.min(MAX_PRESIGNED))
            .await?
        {
            Some(url) => url,
            None => format!("{}/file/upload/put/{token}/{name}", state.config.public_url),
        },
    )
}

/// The token in one of this server's own file or upload URLs (any host: the server may be
/// reached under several names), or in a store's presigned URL of a file (a signed URL whose
/// path ends in the key `files/<token>`), or `None` for a foreign URL.
pub fn own_token(url: &url::Url) -> Option<String> {
    let segs: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    let signed = url
        .query_pairs()
        .any(|(k, _)| k.eq_ignore_ascii_case("x-amz-signature"));
    if let ([.., "files", t], true) = (segs.as_slice(), signed) {
        return is_token(t).then(|| t.to_string());
    }
    let segs: &[&str] = match segs.first() {
        Some(v) if v.eq_ignore_ascii_case("v1") => &segs[1..],
        _ => &segs,
    };
    let token = match segs {
        [f, t, ..] if f.eq_ignore_ascii_case("files") => t,
        [f, u, p, t, ..]
            if f.eq_ignore_ascii_case("file")
                && u.eq_ignore_ascii_case("upload")
                && p.eq_ignore_ascii_case("put") =>
        {
            t
        }
        _ => return None,
    };
    let token = token.to_ascii_lowercase();
    is_token(&token).then_some(token)
}

/// ISO-8601 UTC timestamp of a Unix-milliseconds time (for `outputLinkValidTill`).
pub fn iso_time(millis: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(millis.div_euclid(1000))
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_128_bit_hex() {
        let a = new_token();
        assert_eq!(a.len(), 32);
        assert!(is_token(&a));
        assert_ne!(a, new_token());
    }

    #[test]
    fn names_cannot_escape() {
        assert_eq!(sanitize_name("../../etc/passwd", "f"), "passwd");
        assert_eq!(
            sanitize_name("C:\\x\\..\\report 1.pdf", "f"),
            "report_1.pdf"
        );
        assert_eq!(sanitize_name("..", "file.pdf"), "file.pdf");
        assert_eq!(sanitize_name("a\0b", "f"), "a_b");
        assert_eq!(sanitize_name("", "file.pdf"), "file.pdf");
        let long = format!("{}.pdf", "x".repeat(500));
        let s = sanitize_name(&long, "f");
        assert_eq!(s.len(), 100);
        assert!(s.ends_with(".pdf"));
    }

    #[test]
    fn own_urls_are_recognised_on_any_host() {
        let t = new_token();
        for u in [
            format!("http://127.0.0.1:8080/files/{t}/a.pdf"),
            format!("https://folio.example/v1/files/{t}/a.pdf"),
            format!("http://localhost/file/upload/put/{t}/a.pdf"),
        ] {
            assert_eq!(
                own_token(&url::Url::parse(&u).unwrap()),
                Some(t.clone()),
                "{u}"
            );
        }
        let signed = format!(
            "http://s3.example:9000/bucket/folio/files/{t}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=ab"
        );
        assert_eq!(
            own_token(&url::Url::parse(&signed).unwrap()),
            Some(t.clone())
        );
        assert_eq!(
            own_token(&url::Url::parse(&format!("http://x/bucket/files/{t}")).unwrap()),
            None,
            "an unsigned foreign path is not ours"
        );
        assert_eq!(
            own_token(&url::Url::parse("http://x/files/notatoken/a.pdf").unwrap()),
            None
        );
        assert_eq!(
            own_token(&url::Url::parse("http://x/other/a.pdf").unwrap()),
            None
        );
    }

    #[test]
    fn iso_times() {
        assert_eq!(iso_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_time(1_709_210_096_000), "2024-02-29T12:34:56Z");
    }
}
