//! Start the real `folio` binary on a free port and talk HTTP to it.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

// Not every test binary uses every generator.
#[allow(unused_imports)]
pub use folio_render::testpdf::{assemble as pdf, nested_forms, one_page};
use serde_json::Value;

// Not every test binary uses both.
#[allow(unused_imports)]
pub use folio_testkit::{corpus, fixture};

/// A port that was free a moment ago and that no other server of this test process was given:
/// the kernel may hand the same ephemeral port to two tests that ask at about the same time.
pub fn free_port() -> u16 {
    static GIVEN: std::sync::Mutex<Vec<u16>> = std::sync::Mutex::new(Vec::new());
    loop {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut given = GIVEN.lock().unwrap();
        if !given.contains(&port) {
            given.push(port);
            return port;
        }
    }
}

/// A running server with its own data directory; killed on drop.
pub struct Server {
    pub child: Child,
    pub port: u16,
    pub base: String,
    pub data_dir: PathBuf,
    pub args: Vec<String>,
}

impl Server {
    pub fn start(extra: &[&str]) -> Self {
        Self::spawn(fresh_data_dir(), None, extra, |_| {})
    }

    /// Start with info-level logs written to `<data dir>/stderr.log` instead of the terminal.
    pub fn start_logging(extra: &[&str]) -> Self {
        let data_dir = fresh_data_dir();
        std::fs::create_dir_all(&data_dir).unwrap();
        let log = std::fs::File::create(data_dir.join("stderr.log")).unwrap();
        Self::spawn(data_dir, None, extra, |c| {
            c.env("RUST_LOG", "info").stderr(Stdio::from(log));
        })
    }

    /// Start with `configure` applied to the command last (environment of the server's own).
    pub fn start_with(extra: &[&str], configure: impl FnOnce(&mut Command)) -> Self {
        Self::spawn(fresh_data_dir(), None, extra, configure)
    }

    pub fn start_in(data_dir: PathBuf, port: u16, extra: &[&str]) -> Self {
        Self::spawn(data_dir, Some(port), extra, |_| {})
    }

    /// Start on `port`, or on a free port (tried again on another if taken meanwhile).
    fn spawn(
        data_dir: PathBuf,
        port: Option<u16>,
        extra: &[&str],
        configure: impl FnOnce(&mut Command),
    ) -> Self {
        let args: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_folio"));
        cmd.arg("--data-dir")
            .arg(&data_dir)
            .args(&args)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        configure(&mut cmd);
        // A port from `free_port` is free when chosen, not when the server binds it: another
        // process may take it in between. Then the server exits, and a new port is tried. A
        // port the caller chose (a restart on the same address) is not changed.
        let retries = if port.is_some() { 1 } else { 3 };
        let mut port = port.unwrap_or_else(free_port);
        for attempt in 1..=retries {
            let child = cmd
                .env("FOLIO_LISTEN", format!("127.0.0.1:{port}"))
                .spawn()
                .unwrap();
            let mut s = Server {
                child,
                port,
                base: format!("http://127.0.0.1:{port}"),
                data_dir: data_dir.clone(),
                args: args.clone(),
            };
            match s.wait_ready() {
                Ok(()) => return s,
                Err(status) if attempt < retries => {
                    eprintln!("server on port {port} exited ({status}); trying another port");
                    std::mem::forget(s);
                    port = free_port();
                }
                Err(status) => panic!("server on port {port} exited at start: {status}"),
            }
        }
        unreachable!()
    }

    /// Ready = `/health` answers 200 over HTTP. A bare TCP connect is not proof: on Linux a
    /// connect to a free port in the ephemeral range can connect to itself.
    fn wait_ready(&mut self) -> Result<(), std::process::ExitStatus> {
        let deadline = Instant::now() + Duration::from_secs(30);
        let probe = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(2))
            .no_proxy()
            .build()
            .unwrap();
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Err(status);
            }
            if probe
                .get(self.url("/health"))
                .send()
                .is_ok_and(|r| r.status() == 200)
            {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("server did not start on port {}", self.port);
    }

    /// `kill -9`, then start again on the same port and data directory.
    pub fn crash_and_restart(mut self) -> Self {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        let (dir, port, args) = (self.data_dir.clone(), self.port, self.args.clone());
        std::mem::forget(self);
        let args: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
        Server::start_in(dir, port, &args)
    }

    /// The server process has not exited.
    pub fn child_alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn get_json(&self, path_and_query: &str) -> (u16, Value) {
        let r = client().get(self.url(path_and_query)).send().unwrap();
        let status = r.status().as_u16();
        (status, r.json().unwrap())
    }

    /// Upload through the presigned flow; returns the file URL.
    pub fn upload(&self, pdf: &Path) -> String {
        let name = pdf.file_name().unwrap().to_str().unwrap();
        self.upload_bytes(name, std::fs::read(pdf).unwrap())
    }

    /// Upload `data` as `name` through the presigned flow; returns the file URL.
    pub fn upload_bytes(&self, name: &str, data: Vec<u8>) -> String {
        let (status, j) = self.get_json(&format!(
            "/file/upload/get-presigned-url?contenttype=application/octet-stream&name={name}"
        ));
        assert_eq!(status, 200, "{j}");
        let put = client()
            .put(j["presignedUrl"].as_str().unwrap())
            .header("content-type", "application/octet-stream")
            .body(data)
            .send()
            .unwrap();
        assert_eq!(put.status().as_u16(), 200);
        j["url"].as_str().unwrap().to_string()
    }

    /// Regular files under the store's directory (`<data dir>/files`): every stored upload, page
    /// and placeholder that has bytes.
    pub fn stored_files(&self) -> usize {
        folio_testkit::count_files(&self.data_dir.join("files"))
    }

    /// The server's resident memory high-water mark, in MiB.
    pub fn peak_rss_mib(&self) -> u64 {
        status_mib(self.child.id(), "VmHWM:")
    }

    /// Poll /job/check until the job leaves `working`.
    pub fn wait_job(&self, job_id: &str, timeout: Duration) -> Value {
        let deadline = Instant::now() + timeout;
        loop {
            let (status, j) = self.get_json(&format!("/job/check?jobid={job_id}"));
            assert_eq!(status, 200);
            if j["status"] != "working" {
                return j;
            }
            assert!(
                Instant::now() < deadline,
                "job {job_id} still working after {timeout:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

fn fresh_data_dir() -> PathBuf {
    let data_dir = std::env::temp_dir().join(format!(
        "folio-srv-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&data_dir);
    data_dir
}

static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

pub fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()
        .unwrap()
}

pub fn get_bytes(url: &str) -> (u16, String, Vec<u8>) {
    let r = client().get(url).send().unwrap();
    let status = r.status().as_u16();
    let ct = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, ct, r.bytes().unwrap().to_vec())
}

pub fn png_size(data: &[u8]) -> (u32, u32) {
    let d = png::Decoder::new(std::io::Cursor::new(data))
        .read_info()
        .unwrap();
    (d.info().width, d.info().height)
}

/// Processes whose parent is `pid`, as (pid, state letter, CPU ticks).
pub fn children_of(pid: u32) -> Vec<(u32, char, u64)> {
    let mut out = vec![];
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        let Some((head, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let f: Vec<&str> = rest.split_whitespace().collect();
        if f.len() > 13 && f[1].parse() == Ok(pid) {
            let ticks = f[11].parse::<u64>().unwrap_or(0) + f[12].parse::<u64>().unwrap_or(0);
            let child = head.split_whitespace().next().unwrap().parse().unwrap();
            out.push((child, f[0].chars().next().unwrap(), ticks));
        }
    }
    out
}

/// POST `pdf` as a multipart `file` to `path` with extra form fields; status and JSON.
pub fn post_pdf(s: &Server, path: &str, pdf: Vec<u8>, fields: &[(&str, &str)]) -> (u16, Value) {
    let mut form = reqwest::blocking::multipart::Form::new().part(
        "file",
        reqwest::blocking::multipart::Part::bytes(pdf).file_name("doc.pdf"),
    );
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    let r = client().post(s.url(path)).multipart(form).send().unwrap();
    (r.status().as_u16(), r.json().unwrap())
}

/// A memory figure of a process from /proc/<pid>/status (`VmHWM:` peak, `VmRSS:` now), in MiB.
pub fn status_mib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kib / 1024
}
