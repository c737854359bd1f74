//! The SQLite repository against the `JobQueue` and `FileIndex` contracts, on temporary files.

mod contract;

use folio_jobs::SqliteRepo;
use tempfile::TempDir;

/// A database file in a temporary directory, removed with it.
struct SqliteHarness {
    dir: TempDir,
}

impl contract::Harness for SqliteHarness {
    type Repo = SqliteRepo;

    async fn open(&self) -> SqliteRepo {
        SqliteRepo::open(&self.dir.path().join("folio.db"))
            .await
            .unwrap()
    }

    async fn close(&self, repo: SqliteRepo) {
        repo.close().await;
    }
}

async fn setup(_test: &str) -> Option<SqliteHarness> {
    Some(SqliteHarness {
        dir: TempDir::new().unwrap(),
    })
}

contract::contract_tests!(setup);
