//! Where a conversion's PDF comes from: a `file` part, one of this server's own URLs (read from
//! storage, never over HTTP), or another server's http(s) URL (fetched with time and size limits).

use folio_jobs::{FileRecord, FileState, now_millis};
use folio_render::Code;
use folio_store::StoreError;
use serde::{Deserialize, Serialize};

use super::fetch;
use super::naming::{file_key, file_record, new_token, own_token, sanitize_name};
use crate::body::Blob;
use crate::params::Params;
use crate::{ApiError, AppState};

/// A resolved input, serialisable into an async job's parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Source {
    /// A file in this server's storage.
    Stored { token: String },
    /// Another server's URL.
    Remote {
        url: String,
        username: Option<String>,
        password: Option<String>,
    },
}

/// Where an operation's inputs come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inputs {
    /// The parameter naming them (`url`; `decorationImage` for a barcode's logo). Only `url`
    /// also takes a multipart `file`.
    pub param: &'static str,
    /// A comma-separated list rather than one URL.
    pub many: bool,
    /// No input at all is an error.
    pub required: bool,
}

impl Inputs {
    /// One document, in `url` or `file`: most operations.
    pub const ONE: Inputs = Inputs {
        param: "url",
        many: false,
        required: true,
    };
}

/// The inputs of a request and a name for each (the first names results when `name` is not
/// given). With `many`, `url` is a comma-separated list (a URL holding a comma must encode it as
/// `%2C`), after the uploaded `file` if there is one; otherwise it is one URL.
pub async fn sources_from_params(
    state: &AppState,
    p: &Params,
    inputs: Inputs,
) -> Result<(Vec<Source>, Vec<String>), ApiError> {
    let many = inputs.many;
    let file = if inputs.param == "url" {
        p.file.as_ref()
    } else {
        None
    };
    let urls: Vec<&str> = match p.get(inputs.param) {
        Some(raw) if many => raw
            .split(',')
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .collect(),
        Some(raw) => vec![raw],
        None => Vec::new(),
    };
    let count = urls.len() + usize::from(file.is_some());
    if count == 0 && !inputs.required {
        return Ok((Vec::new(), Vec::new()));
    }
    if count == 0 {
        return Err(ApiError::bad_request(if many {
            "Bad request. The 'url' parameter (or a 'file' upload) is required: the URLs of the source files, separated by commas."
        } else {
            "Bad request. The 'url' parameter (or a 'file' upload) is required: the URL of the source PDF."
        }));
    }
    let max = state.config.max_inputs;
    if count > max {
        return Err(ApiError::bad_request(format!(
            "Bad request. {count} source files were given; one request may name at most {max}. Merge in steps (merge the results again)."
        )));
    }
    if !many && file.is_some() {
        return stored_upload(state, p)
            .await
            .map(|(s, n)| (vec![s], vec![n]));
    }
    // Every URL is checked before the upload, if any, is stored.
    let mut checked = Vec::with_capacity(count);
    for url in urls {
        checked.push(source_from_url(state, p, url).await?);
    }
    let mut all = Vec::with_capacity(count);
    if file.is_some() {
        all.push(stored_upload(state, p).await?);
    }
    all.extend(checked);
    Ok(all.into_iter().unzip())
}

/// The one input of a request that takes one (see [`sources_from_params`]).
pub async fn source_from_params(
    state: &AppState,
    p: &Params,
) -> Result<(Source, String), ApiError> {
    let (sources, names) = sources_from_params(state, p, Inputs::ONE).await?;
    sources
        .into_iter()
        .zip(names)
        .next()
        .ok_or_else(|| ApiError::bad_request("Bad request. The 'url' parameter is required."))
}

/// The multipart `file` part, stored.
async fn stored_upload(state: &AppState, p: &Params) -> Result<(Source, String), ApiError> {
    let Some(file) = &p.file else {
        return Err(ApiError::bad_request("Bad request. No file was uploaded."));
    };
    let name = sanitize_name(file.filename.as_deref().unwrap_or(""), "file.pdf");
    let token = store_upload(
        state,
        &name,
        file.data.clone(),
        state.config.default_expiration_minutes,
    )
    .await?;
    Ok((Source::Stored { token }, name))
}

/// One source URL: this server's own (read from storage) or another's (fetched later).
async fn source_from_url(
    state: &AppState,
    p: &Params,
    raw: &str,
) -> Result<(Source, String), ApiError> {
    let raw = raw.trim();
    let raw = raw.strip_prefix("cache:").unwrap_or(raw);
    let url = url::Url::parse(raw).map_err(|e| {
        ApiError::new(
            Code::InvalidUrl,
            format!("Invalid URL '{}': {e}.", shorten(raw)),
        )
    })?;
    let name = url
        .path_segments()
        .and_then(|mut s| s.next_back().map(str::to_string))
        .map(|n| {
            sanitize_name(
                &percent_encoding::percent_decode_str(&n).decode_utf8_lossy(),
                "file.pdf",
            )
        })
        .unwrap_or_else(|| "file.pdf".into());
    if let Some(token) = own_token(&url) {
        if let Some(rec) = state.files.get_file(&token, now_millis()).await? {
            return Ok((Source::Stored { token }, rec.name));
        }
        return Err(ApiError::not_found(format!(
            "The file at '{}' was not found: it may have expired, been deleted, or not been uploaded yet.",
            shorten(raw)
        )));
    }
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ApiError::new(
            Code::InvalidUrl,
            format!(
                "Invalid URL '{}': only http and https URLs can be fetched.",
                shorten(raw)
            ),
        ));
    }
    let source = Source::Remote {
        url: url.to_string(),
        username: p.get("httpusername").map(str::to_string),
        password: p.get("httppassword").map(str::to_string),
    };
    Ok((source, name))
}

/// Store uploaded bytes as a ready file (a spool file is streamed to the store); returns its
/// token.
pub async fn store_upload(
    state: &AppState,
    name: &str,
    data: Blob,
    expiration_minutes: u64,
) -> Result<String, ApiError> {
    let token = new_token();
    let size = data.len();
    let _admitted = super::storage::check_upload(state, Some(size)).await?;
    data.store(state.store.as_ref(), &file_key(&token)).await?;
    state
        .files
        .insert_file(file_record(
            &token,
            name,
            Some(size),
            None,
            now_millis() + expiration_minutes as i64 * 60_000,
        ))
        .await?;
    Ok(token)
}

/// The record of a stored file, unexpired, with uploads that bypassed Folio taken into account:
/// a client may PUT an upload straight to the store (an S3 presigned URL), which leaves the
/// record `Pending`; if the object is there now, the record becomes `Ready` with its size.
pub async fn current_file(state: &AppState, token: &str) -> Result<Option<FileRecord>, ApiError> {
    let Some(mut rec) = state.files.get_file(token, now_millis()).await? else {
        return Ok(None);
    };
    // Only client uploads: a pending job result is written by its worker, which marks it.
    if rec.state == FileState::Pending && rec.job_id.is_none() {
        match state.store.head(&rec.key).await {
            Ok(info) => {
                state
                    .files
                    .mark_uploaded(token, info.size, now_millis())
                    .await?;
                rec.state = FileState::Ready;
                rec.size = Some(info.size);
            }
            Err(StoreError::NotFound(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Some(rec))
}

/// An input checked and ready to read. A stored file is not read yet: its bytes come into memory
/// only once a render slot is held ([`Input::into_vec`]), so requests waiting for a slot hold no
/// copies of their documents. A fetched one is already here, spooled to disk as it arrived (a
/// slow or large remote file holds no memory either).
#[derive(Debug)]
pub enum Input {
    Stored { key: String },
    Fetched(Blob),
}

impl Input {
    /// The whole document in memory, for the renderer.
    pub async fn into_vec(self, state: &AppState) -> Result<Vec<u8>, ApiError> {
        match self {
            Input::Stored { key } => Ok(Vec::from(state.store.get(&key).await?)),
            Input::Fetched(blob) => blob
                .into_vec()
                .await
                .map_err(|e| ApiError::internal("reading the fetched input", e)),
        }
    }

    /// The document as a [`Blob`]: a stored file is streamed into the spool, not into memory.
    pub async fn into_blob(self, state: &AppState) -> Result<Blob, ApiError> {
        match self {
            Input::Fetched(blob) => Ok(blob),
            Input::Stored { key } => {
                let max = state.config.limits.max_input_bytes;
                let stored = state.store.get_stream(&key).await?;
                state
                    .spool
                    .collect(
                        stored.stream,
                        Some(stored.size),
                        max,
                        |limit| {
                            ApiError::new(
                                Code::PayloadTooLarge,
                                format!("The source file is larger than the limit of {limit} bytes for one document."),
                            )
                        },
                        ApiError::from,
                    )
                    .await
            }
        }
    }
}

/// Check an input and fetch it if it is remote; see [`Input`].
pub async fn load(state: &AppState, source: &Source) -> Result<Input, ApiError> {
    let limits = &state.config.limits;
    match source {
        Source::Stored { token } => {
            let rec = current_file(state, token).await?.ok_or_else(|| {
                ApiError::not_found(
                    "The source file was not found: it may have expired or been deleted.",
                )
            })?;
            if rec.state != FileState::Ready {
                return Err(ApiError::not_found(
                    "The source file has not been uploaded yet: PUT its bytes to the presigned URL first.",
                ));
            }
            if let Some(size) = rec.size {
                limits.check_input_size(size)?;
            }
            Ok(Input::Stored { key: rec.key })
        }
        Source::Remote {
            url,
            username,
            password,
        } => fetch(state, url, username.as_deref(), password.as_deref())
            .await
            .map(Input::Fetched),
    }
}

/// Fetch another server's URL within the time and size limits. Destinations on this server's
/// own networks are refused unless allowed (see [`super::fetch`]): the IP-literal host here, host
/// names and redirect hops inside the client.
async fn fetch(
    state: &AppState,
    url: &str,
    user: Option<&str>,
    pass: Option<&str>,
) -> Result<Blob, ApiError> {
    let limits = &state.config.limits;
    let shown = shorten(url);
    let parsed = url::Url::parse(url)
        .map_err(|e| ApiError::new(Code::InvalidUrl, format!("Invalid URL '{shown}': {e}.")))?;
    fetch::check_url(&parsed, &state.config.fetch_allow)
        .map_err(|blocked| blocked.to_api_error(&parsed, &shown))?;
    let mut req = state.http.get(parsed.clone());
    if let Some(user) = user {
        req = req.basic_auth(user, pass);
    }
    let resp = req
        .send()
        .await
        .map_err(|e| match fetch::blocked_cause(&e) {
            Some(blocked) => blocked.to_api_error(&parsed, &shown),
            None => ApiError::bad_request(format!(
                "The input URL '{shown}' could not be fetched: {}.",
                fetch::redact_error(&e)
            )),
        })?;
    let status = resp.status();
    if !status.is_success() {
        let code = if matches!(status.as_u16(), 401 | 403) {
            Code::Forbidden
        } else {
            Code::BadRequest
        };
        return Err(ApiError::new(
            code,
            format!(
                "The input URL '{shown}' answered {status}; check the URL (and httpusername/httppassword)."
            ),
        ));
    }
    if let Some(len) = resp.content_length() {
        limits.check_input_size(len)?;
    }
    let max = limits.max_input_bytes;
    let declared = resp.content_length();
    state
        .spool
        .collect(
            resp.bytes_stream(),
            declared,
            max,
            |limit| {
                ApiError::new(
                    Code::PayloadTooLarge,
                    format!("The document at '{shown}' is larger than the limit of {limit} bytes for one document."),
                )
            },
            |e| ApiError::bad_request(format!("Reading '{shown}' failed: {e}.")),
        )
        .await
}

/// MIME type from a file name's extension.
pub fn content_type_for(name: &str) -> &'static str {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "tif" | "tiff" => "image/tiff",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// A client's URL as quoted back in messages (which also reach logs and the jobs table):
/// credentials and secret-looking query values replaced by `***`, at most 200 characters.
fn shorten(s: &str) -> String {
    let s = super::fetch::redact(s);
    if s.chars().count() > 200 {
        format!("{}…", s.chars().take(200).collect::<String>())
    } else {
        s.to_string()
    }
}
