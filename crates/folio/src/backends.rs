//! Where files and jobs live, chosen by configuration: the embedded pair (a directory and an
//! SQLite database under `--data-dir`, for one node) or shared servers (an S3 bucket and a
//! PostgreSQL database, for several nodes behind one URL).

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use bytes::Bytes;
use clap::Args;
use folio_jobs::{FileIndex, JobQueue, PgRepo, SqliteRepo};
use folio_store::{FsStore, S3Config, S3Store, Store};

#[derive(Args, Debug, Clone)]
pub struct BackendArgs {
    /// Where files live: `fs` (a directory under --data-dir) or `s3` (a bucket, shared by nodes).
    #[arg(long, env = "FOLIO_STORE", value_enum, default_value = "fs")]
    pub store: StoreKind,
    /// S3 bucket (--store s3).
    #[arg(long, env = "FOLIO_S3_BUCKET")]
    pub s3_bucket: Option<String>,
    /// Key prefix inside the bucket, e.g. `folio/prod`, so that Folio can share a bucket.
    #[arg(long, env = "FOLIO_S3_PREFIX")]
    pub s3_prefix: Option<String>,
    /// Base URL of an S3-compatible server (MinIO, R2, …); unset: AWS (or AWS_ENDPOINT).
    #[arg(long, env = "FOLIO_S3_ENDPOINT")]
    pub s3_endpoint: Option<String>,
    /// S3 region (unset: AWS_REGION / AWS_DEFAULT_REGION).
    #[arg(long, env = "FOLIO_S3_REGION")]
    pub s3_region: Option<String>,
    /// S3 access key id (unset: AWS_ACCESS_KEY_ID, then the instance's credentials).
    #[arg(long, env = "FOLIO_S3_ACCESS_KEY_ID", hide_env_values = true)]
    pub s3_access_key_id: Option<String>,
    /// S3 secret access key (unset: AWS_SECRET_ACCESS_KEY, then the instance's credentials).
    #[arg(long, env = "FOLIO_S3_SECRET_ACCESS_KEY", hide_env_values = true)]
    pub s3_secret_access_key: Option<String>,
    /// Allow a plain http:// S3 endpoint (a local test server).
    #[arg(long, env = "FOLIO_S3_ALLOW_HTTP")]
    pub s3_allow_http: bool,
    /// File and result URLs handed out with --store s3: `proxy` (Folio's own /files/… URLs,
    /// streamed from the bucket: short, revocable by /file/delete, usable as inputs) or
    /// `presigned` (S3 presigned GET URLs: downloads bypass Folio).
    #[arg(long, env = "FOLIO_S3_DOWNLOADS", value_enum, default_value = "proxy")]
    pub s3_downloads: S3Downloads,
    /// Where jobs and file records live: `sqlite` (under --data-dir, one node) or `postgres`
    /// (shared by nodes; needs --database-url).
    #[arg(long, env = "FOLIO_QUEUE", value_enum, default_value = "sqlite")]
    pub queue: QueueKind,
    /// PostgreSQL URL (--queue postgres), e.g. postgres://folio:secret@db:5432/folio; DATABASE_URL
    /// is read when this is unset.
    #[arg(long, env = "FOLIO_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreKind {
    Fs,
    S3,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueKind {
    Sqlite,
    Postgres,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum S3Downloads {
    Proxy,
    Presigned,
}

/// The job queue and file index, and whether this node is their only user.
pub struct Records {
    pub jobs: Arc<dyn JobQueue>,
    pub files: Arc<dyn FileIndex>,
    /// True for an embedded database: every job left running at start was this node's.
    pub exclusive: bool,
}

impl BackendArgs {
    /// True when result URLs should be the store's presigned GET URLs.
    pub fn presigned_downloads(&self) -> bool {
        self.store == StoreKind::S3 && self.s3_downloads == S3Downloads::Presigned
    }

    /// Whether `--data-dir` holds anything (the embedded store or database).
    pub fn uses_data_dir(&self) -> bool {
        self.store == StoreKind::Fs || self.queue == QueueKind::Sqlite
    }

    /// Open the store and check that it answers, so that a wrong bucket or credentials stop the
    /// start instead of failing every request.
    pub async fn open_store(&self, data_dir: &Path, node: &str) -> anyhow::Result<Arc<dyn Store>> {
        match self.store {
            StoreKind::Fs => Ok(Arc::new(
                FsStore::new(data_dir.join("files")).context("opening the file store")?,
            )),
            StoreKind::S3 => {
                let bucket = self
                    .s3_bucket
                    .clone()
                    .filter(|b| !b.is_empty())
                    .context("--store s3 needs --s3-bucket (FOLIO_S3_BUCKET)")?;
                let store = S3Store::new(S3Config {
                    bucket: bucket.clone(),
                    prefix: self.s3_prefix.clone(),
                    endpoint: self.s3_endpoint.clone(),
                    region: self.s3_region.clone(),
                    access_key_id: self.s3_access_key_id.clone(),
                    secret_access_key: self.s3_secret_access_key.clone(),
                    session_token: None,
                    allow_http: self.s3_allow_http,
                })
                .context("configuring the S3 store")?;
                // A write and a delete: proves the bucket exists and the credentials may write.
                let probe = format!("startup-probe/{node}");
                let context = || format!("writing a test object to S3 bucket '{bucket}'");
                store
                    .put(&probe, Bytes::from_static(b"folio"))
                    .await
                    .with_context(context)?;
                store.delete(&probe).await.with_context(context)?;
                Ok(Arc::new(store))
            }
        }
    }

    /// Open (and migrate) the job and file records.
    pub async fn open_records(&self, data_dir: &Path) -> anyhow::Result<Records> {
        match self.queue {
            QueueKind::Sqlite => {
                let repo = Arc::new(
                    SqliteRepo::open(&data_dir.join("folio.db"))
                        .await
                        .context("opening the job database")?,
                );
                Ok(Records {
                    jobs: repo.clone(),
                    files: repo,
                    exclusive: true,
                })
            }
            QueueKind::Postgres => {
                let url = self
                    .database_url
                    .clone()
                    .or_else(|| std::env::var("DATABASE_URL").ok())
                    .filter(|u| !u.is_empty())
                    .context(
                        "--queue postgres needs --database-url (FOLIO_DATABASE_URL or DATABASE_URL)",
                    )?;
                let repo = Arc::new(
                    PgRepo::connect(&url)
                        .await
                        .context("connecting to the PostgreSQL job database")?,
                );
                Ok(Records {
                    jobs: repo.clone(),
                    files: repo,
                    exclusive: false,
                })
            }
        }
    }
}
