//! [`S3Store`]: the [`Store`] on an S3 bucket (or an S3-compatible server), via `object_store`'s
//! `AmazonS3`.

use std::fmt;
use std::time::Duration;

use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::signer::{Method, Signer};

use crate::objects::{Objects, impl_store_via_objects, store_error};
use crate::{StoreError, validate_key};

/// Size of the parts `put_file` uploads: S3 refuses parts under 5 MiB (but the last), and at most
/// 10,000 parts, so 8 MiB parts carry files up to about 80 GB.
const PART_SIZE: usize = 8 * 1024 * 1024;

/// Where and how to reach the bucket. Every optional field left `None` falls back to the standard
/// AWS environment variables (`AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
/// `AWS_SESSION_TOKEN`, `AWS_ENDPOINT`, ...) and then to the instance's credentials, as
/// `AmazonS3Builder::from_env` reads them.
#[derive(Clone, Default)]
pub struct S3Config {
    pub bucket: String,
    /// A key prefix inside the bucket (`folio` or `folio/prod`, no leading or trailing `/`), so
    /// that Folio can share a bucket: every key is stored as `<prefix>/<key>`.
    pub prefix: Option<String>,
    /// Base URL of an S3-compatible server (MinIO, s3s, R2...); requests then use path-style URLs
    /// (`<endpoint>/<bucket>/<key>`), which such servers accept without wildcard DNS.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    pub session_token: Option<String>,
    /// Permit plain `http://` endpoints (a local test server); off, only HTTPS is used.
    pub allow_http: bool,
}

/// Secrets are left out so that a logged configuration leaks nothing.
impl fmt::Debug for S3Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |s: &Option<String>| s.as_ref().map(|_| "<redacted>");
        f.debug_struct("S3Config")
            .field("bucket", &self.bucket)
            .field("prefix", &self.prefix)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &redacted(&self.secret_access_key))
            .field("session_token", &redacted(&self.session_token))
            .field("allow_http", &self.allow_http)
            .finish()
    }
}

/// Blobs as objects in an S3 bucket.
///
/// Atomicity comes from S3 itself: a `PUT` replaces the object in one step, and a multipart
/// upload becomes visible only when completed, whole. Concurrent writers leave the last
/// completed value. Expiry uses each object's `Last-Modified`, set by the server when the write
/// completed; `list_older_than` pages through the bucket listing under the prefix, leaving out
/// objects whose names are not valid keys (not written through a store).
///
/// Presigned URLs are SigV4 query-string URLs signed with the store's credentials: no request is
/// made to create them. With temporary credentials a URL dies with them, whatever `expires_in`.
#[derive(Debug, Clone)]
pub struct S3Store {
    objects: Objects<AmazonS3>,
}

impl S3Store {
    /// A store on `config.bucket`. Nothing is contacted yet: a wrong bucket or credentials show
    /// up as [`StoreError::Backend`] on the first operation.
    pub fn new(config: S3Config) -> Result<Self, StoreError> {
        let prefix = config.prefix.as_deref().filter(|p| !p.is_empty());
        if let Some(prefix) = prefix {
            validate_key(prefix)?;
        }
        let mut builder = AmazonS3Builder::from_env()
            .with_bucket_name(&config.bucket)
            .with_allow_http(config.allow_http);
        if let Some(endpoint) = &config.endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_virtual_hosted_style_request(false);
        }
        if let Some(region) = &config.region {
            builder = builder.with_region(region);
        }
        if let Some(key_id) = &config.access_key_id {
            builder = builder.with_access_key_id(key_id);
        }
        if let Some(secret) = &config.secret_access_key {
            builder = builder.with_secret_access_key(secret);
        }
        if let Some(token) = &config.session_token {
            builder = builder.with_token(token);
        }
        let inner = builder
            .build()
            .map_err(|e| StoreError::Backend(format!("S3 configuration: {e}")))?;
        Ok(Self {
            objects: Objects::new(inner, prefix, PART_SIZE),
        })
    }

    async fn presign(
        &self,
        method: Method,
        key: &str,
        expires_in: Duration,
    ) -> Result<Option<String>, StoreError> {
        let loc = self.objects.location(key)?;
        let url = self
            .objects
            .inner
            .signed_url(method, &loc, expires_in)
            .await
            .map_err(|e| store_error(key, e))?;
        Ok(Some(url.into()))
    }
}

impl_store_via_objects!(S3Store {
    async fn presign_put(
        &self,
        key: &str,
        expires_in: Duration,
    ) -> Result<Option<String>, StoreError> {
        self.presign(Method::PUT, key, expires_in).await
    }

    async fn presign_get(
        &self,
        key: &str,
        expires_in: Duration,
    ) -> Result<Option<String>, StoreError> {
        self.presign(Method::GET, key, expires_in).await
    }
});
