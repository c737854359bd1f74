//! What Folio's tests share, kept once: where fixtures and the corpus are, how a test says it
//! did not run (and why that fails under CI), outside checkers (`qpdf --check`), and a
//! throwaway store and job database.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

/// The repository's root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A file committed under `tests/fixtures` (see its ATTRIBUTION.md).
pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

/// The shared corpus (`FOLIO_CORPUS`, or `../shared/corpus` beside the repository), if present.
pub fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("FOLIO_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/corpus"));
    dir.join("MANIFEST.tsv").is_file().then_some(dir)
}

/// Say plainly, past the harness's output capture, that `test` did not run and why. CI has
/// everything a test needs, so there a skip is a failure.
pub fn skipped_without(test: &str, why: &str) {
    assert!(
        std::env::var_os("CI").is_none(),
        "{test} must run under CI, but {why}"
    );
    eprintln!("SKIPPED {test}: {why}");
}

/// Whether the program `name` runs here (it starts: `mutool --version` exits 1 although
/// installed); if not, the skip is reported as [`skipped_without`] says, naming the Debian
/// `package` to install.
pub fn have_tool(test: &str, name: &str, package: &str) -> bool {
    let present = Command::new(name).arg("--version").output().is_ok();
    if !present {
        skipped_without(
            test,
            &format!("{name} is not installed (Debian package {package})"),
        );
    }
    present
}

/// `qpdf --check` on `pdf` (a PDF Folio wrote): panics with qpdf's report when it finds a
/// problem; skipped without qpdf, except under CI.
pub fn qpdf_check(pdf: &[u8]) {
    if !have_tool("qpdf --check", "qpdf", "qpdf") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("checked.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("qpdf")
        .arg("--check")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "qpdf --check: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A filesystem store and a SQLite job database in a temporary directory, removed when the
/// value is dropped.
pub struct Backends {
    pub dir: tempfile::TempDir,
    pub store: Arc<folio_store::FsStore>,
    pub repo: Arc<folio_jobs::SqliteRepo>,
}

impl Backends {
    pub async fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(folio_store::FsStore::new(dir.path().join("files")).unwrap());
        let repo = Arc::new(
            folio_jobs::SqliteRepo::open(&dir.path().join("db.sqlite"))
                .await
                .unwrap(),
        );
        Self { dir, store, repo }
    }

    /// Files the store holds (uploads, results, placeholders with bytes).
    pub fn stored_files(&self) -> usize {
        count_files(&self.dir.path().join("files"))
    }
}

/// Regular files under `dir`, however deep (0 when it does not exist).
pub fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .flatten()
            .map(|e| match e.file_type() {
                Ok(t) if t.is_dir() => count_files(&e.path()),
                Ok(t) if t.is_file() => 1,
                _ => 0,
            })
            .sum()
    })
}
