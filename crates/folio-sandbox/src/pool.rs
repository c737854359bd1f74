//! The server side: a pool of worker processes (or in-process threads) that runs conversions and
//! enforces the page budget.

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use folio_render::{Code, PageImage};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::protocol::{Frame, read_frame_async, write_frame_async};
use crate::{DocumentInfo, Event, Failure, Isolation, PageText, RenderJob, SandboxConfig, execute};

/// Largest page a worker may send back; a page image is far smaller (pixel limit × 4 bytes).
const MAX_PAGE_BYTES: u64 = 4 << 30;

/// Lines of a worker's stderr kept to explain its death.
const STDERR_TAIL: usize = 16;

/// How long a worker's exit status and last words are awaited after its pipe broke.
const EXIT_GRACE: Duration = Duration::from_secs(2);

/// Runs conversions as the configuration says. Cheap to clone; clones share the idle workers.
#[derive(Clone)]
pub struct Renderer {
    inner: Arc<Inner>,
}

struct Inner {
    config: SandboxConfig,
    /// Workers between jobs, ready for the next one. At most as many as conversions ever ran at
    /// once, which the server bounds with its render semaphore.
    idle: Mutex<Vec<Worker>>,
}

/// One worker process and its pipes.
struct Worker {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    /// Forwards the worker's stderr to the log and keeps its last lines for error messages.
    stderr: JoinHandle<Vec<String>>,
    jobs: u32,
}

impl Renderer {
    pub fn new(config: SandboxConfig) -> Self {
        Self {
            inner: Arc::new(Inner {
                config,
                idle: Mutex::new(Vec::new()),
            }),
        }
    }

    /// Start `job` on `pdf`. Read its events with [`Run::next`]; dropping the `Run` stops it
    /// (the worker process is killed).
    pub async fn start(&self, job: RenderJob, pdf: Vec<u8>) -> Result<Run, Failure> {
        let kind = match &self.inner.config.isolation {
            Isolation::InProcess => RunKind::Local(start_local(job, pdf)),
            Isolation::Processes { .. } => {
                RunKind::Process(Box::new(self.start_process(job, pdf).await?))
            }
        };
        Ok(Run {
            kind,
            renderer: self.inner.clone(),
            pages: Vec::new(),
            next_seq: 0,
        })
    }

    /// Run an info job ([`crate::JobKind::Info`]) to its end and return its answer.
    pub async fn info(&self, job: RenderJob, pdf: Vec<u8>) -> Result<DocumentInfo, Failure> {
        let mut run = self.start(job, pdf).await?;
        let mut info = None;
        while let Some(event) = run.next().await? {
            if let Event::Info(i) = event {
                info = Some(*i);
            }
        }
        info.ok_or_else(|| Failure::new(Code::Internal, "the renderer answered no document info"))
    }

    async fn start_process(&self, job: RenderJob, pdf: Vec<u8>) -> Result<Worker, Failure> {
        let request = Frame::Request {
            job,
            cpu_seconds: self.inner.config.job_cpu_seconds,
        };
        // An idle worker may have died since its last job (killed by an operator or the OOM
        // killer): its pipe is then broken, and a fresh worker takes the job.
        if let Some(mut worker) = self.take_idle() {
            if write_frame_async(&mut worker.stdin, &request, &pdf)
                .await
                .is_ok()
            {
                return Ok(worker);
            }
            tracing::warn!("an idle render worker had died; starting a new one");
        }
        let mut worker = self.spawn()?;
        match write_frame_async(&mut worker.stdin, &request, &pdf).await {
            Ok(()) => Ok(worker),
            Err(e) => Err(worker
                .died(&format!("it did not accept the job ({e})"))
                .await),
        }
    }

    fn take_idle(&self) -> Option<Worker> {
        self.inner.idle.lock().ok()?.pop()
    }

    fn spawn(&self) -> Result<Worker, Failure> {
        let Isolation::Processes {
            program, args, env, ..
        } = &self.inner.config.isolation
        else {
            return Err(Failure::new(
                Code::Internal,
                "render workers are not configured",
            ));
        };
        // A cleared environment: the server's holds API keys, storage and database credentials,
        // none of which a process that parses hostile PDFs needs (it is started by absolute
        // path, writes no files and reads only its pipes).
        let mut child = Command::new(program)
            .args(args)
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| {
                tracing::error!(%e, program = %program.display(), "cannot start a render worker");
                Failure::new(
                    Code::Internal,
                    "Something went wrong (starting a renderer). Please try again or contact support.",
                )
            })?;
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            return Err(Failure::new(Code::Internal, "render worker pipes missing"));
        };
        let pid = child.id().unwrap_or(0);
        let stderr = tokio::spawn(async move {
            let mut lines = BufReader::new(stderr).lines();
            let mut last = Vec::new();
            while let Ok(Some(line)) = lines.next_line().await {
                tracing::warn!(worker = pid, "{line}");
                if last.len() == STDERR_TAIL {
                    last.remove(0);
                }
                last.push(line);
            }
            last
        });
        tracing::debug!(worker = pid, "render worker started");
        Ok(Worker {
            child,
            stdin,
            stdout: BufReader::new(stdout),
            stderr,
            jobs: 0,
        })
    }
}

impl Inner {
    /// Take a worker back after a job it finished properly, unless it has served its time.
    fn release(&self, mut worker: Worker) {
        worker.jobs += 1;
        let Isolation::Processes {
            jobs_per_worker, ..
        } = &self.config.isolation
        else {
            return;
        };
        if worker.jobs < *jobs_per_worker
            && let Ok(mut idle) = self.idle.lock()
        {
            idle.push(worker);
        }
    }
}

impl Worker {
    /// The worker's pipe broke: wait briefly for its exit status and last words, and describe
    /// what happened for the client.
    async fn died(mut self, doing: &str) -> Failure {
        let status = tokio::time::timeout(EXIT_GRACE, self.child.wait()).await;
        let last = tokio::time::timeout(EXIT_GRACE, &mut self.stderr)
            .await
            .ok()
            .and_then(Result::ok)
            .unwrap_or_default();
        let (how, out_of_cpu) = match status {
            Ok(Ok(s)) => {
                use std::os::unix::process::ExitStatusExt;
                // RLIMIT_CPU ends a worker with SIGXCPU (see worker.rs).
                let xcpu = s.signal() == Some(rustix::process::Signal::XCPU.as_raw());
                (describe_exit(s), xcpu)
            }
            _ => ("stopped answering".to_string(), false),
        };
        let last = last.join("\n");
        tracing::warn!(how, "render worker died");
        let detail = if last.contains("memory allocation") || last.contains("failed to spawn") {
            "it needed more memory than this server allows one renderer".to_string()
        } else if out_of_cpu {
            "it used more CPU time than a job may use".to_string()
        } else {
            format!("the renderer {how}")
        };
        Failure::new(
            Code::Damaged,
            format!(
                "Damaged or hostile document: {doing}, and {detail}. The document may be damaged or too complex; try other pages or a lower resolution."
            ),
        )
    }
}

fn describe_exit(status: std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (_, Some(sig)) => format!("was stopped by signal {sig}"),
        (Some(code), _) => format!("exited with code {code}"),
        _ => "exited".to_string(),
    }
}

enum RunKind {
    Local(mpsc::Receiver<Result<Event, Failure>>),
    Process(Box<Worker>),
    /// Ended (done, failed or timed out): no worker or channel is held any more.
    Done,
}

/// A conversion under way.
pub struct Run {
    kind: RunKind,
    renderer: Arc<Inner>,
    /// Pages to produce (known after `Started`), to name the page that overran its budget.
    pages: Vec<usize>,
    next_seq: usize,
}

impl Run {
    /// The next event, `Ok(None)` when the conversion finished, or why it failed. Fails with 445
    /// when nothing arrives within the page budget; in worker processes, the worker is killed.
    pub async fn next(&mut self) -> Result<Option<Event>, Failure> {
        if matches!(self.kind, RunKind::Done) {
            return Ok(None);
        }
        let budget = self.renderer.config.page_timeout;
        let step = tokio::time::timeout(budget, self.step()).await;
        let result = match step {
            Ok(r) => r,
            Err(_) => Err(self.overran(budget)),
        };
        match &result {
            Ok(Some(Event::Started { pages })) => self.pages = pages.clone(),
            Ok(Some(
                Event::Page(_) | Event::FileProgress(_) | Event::Text(_) | Event::Document(_),
            )) => self.next_seq += 1,
            Ok(Some(Event::Info(_) | Event::Warning(_) | Event::Data(_))) => {}
            Ok(None) | Err(_) => {
                // A worker still held here timed out or failed mid-stream: it is not reused.
                if let RunKind::Process(worker) = &mut self.kind {
                    let _ = worker.child.start_kill();
                }
                self.kind = RunKind::Done;
            }
        }
        result
    }

    async fn step(&mut self) -> Result<Option<Event>, Failure> {
        let worker = match &mut self.kind {
            RunKind::Local(rx) => {
                return match rx.recv().await {
                    Some(Ok(ev)) => Ok(Some(ev)),
                    Some(Err(f)) => Err(f),
                    None => Ok(None),
                };
            }
            RunKind::Process(worker) => worker,
            RunKind::Done => return Ok(None),
        };
        match read_frame_async(&mut worker.stdout, MAX_PAGE_BYTES).await {
            Ok((Frame::Started { pages }, _)) => Ok(Some(Event::Started { pages })),
            Ok((
                Frame::Page {
                    seq,
                    page,
                    width,
                    height,
                },
                data,
            )) => Ok(Some(Event::Page(PageImage {
                seq,
                page,
                width,
                height,
                data,
                // They came before the page, as Event::Warning.
                warnings: Vec::new(),
            }))),
            Ok((Frame::Warning { message }, _)) => Ok(Some(Event::Warning(message))),
            Ok((Frame::FileProgress { done }, _)) => Ok(Some(Event::FileProgress(done))),
            Ok((Frame::Text { seq, page }, data)) => Ok(Some(Event::Text(PageText {
                seq,
                page,
                text: String::from_utf8_lossy(&data).into_owned(),
            }))),
            Ok((Frame::Info { info }, _)) => Ok(Some(Event::Info(info))),
            Ok((Frame::Data, json)) => Ok(Some(Event::Data(json))),
            Ok((
                Frame::Document {
                    seq,
                    page_count,
                    name,
                },
                data,
            )) => Ok(Some(Event::Document(crate::Part {
                seq,
                page_count,
                name,
                data,
            }))),
            Ok((Frame::Done, _)) => {
                self.return_worker();
                Ok(None)
            }
            Ok((Frame::Failed { code, message }, _)) => {
                self.return_worker();
                Err(Failure::new(code, message))
            }
            Ok((Frame::Request { .. }, _)) => Err(Failure::new(
                Code::Internal,
                "Something went wrong (renderer protocol). Please try again or contact support.",
            )),
            Err(_) => {
                let doing = self.doing();
                match std::mem::replace(&mut self.kind, RunKind::Done) {
                    RunKind::Process(worker) => Err(worker.died(&doing).await),
                    RunKind::Local(_) | RunKind::Done => {
                        Err(Failure::new(Code::Internal, "renderer state lost"))
                    }
                }
            }
        }
    }

    /// Hand the worker back to the pool after a clean end of its job.
    fn return_worker(&mut self) {
        if let RunKind::Process(worker) = std::mem::replace(&mut self.kind, RunKind::Done) {
            self.renderer.release(*worker);
        }
    }

    fn doing(&self) -> String {
        match self.pages.get(self.next_seq) {
            Some(page) => format!("page {page} was being rendered"),
            None if self.pages.is_empty() => "the document was being opened".to_string(),
            None => "the output was being finished".to_string(),
        }
    }

    fn overran(&self, budget: Duration) -> Failure {
        let what = match self.pages.get(self.next_seq) {
            Some(page) => format!("page {page} did not finish rendering"),
            None if self.pages.is_empty() => "the document did not open".to_string(),
            None => "the output was not finished".to_string(),
        };
        Failure::new(
            Code::Timeout,
            format!(
                "Timeout error: {what} within the page time limit of {} s; the page is too complex or the document is hostile. Try other pages or a lower resolution.",
                budget.as_secs_f32()
            ),
        )
    }
}

/// Run `job` on a blocking thread of this process, sending events through a channel of one so
/// that rendering waits for the consumer (bounded memory).
fn start_local(job: RenderJob, pdf: Vec<u8>) -> mpsc::Receiver<Result<Event, Failure>> {
    let (tx, rx) = mpsc::channel(1);
    tokio::task::spawn_blocking(move || {
        let result = execute(&job, pdf, |ev| tx.blocking_send(Ok(ev)).is_ok());
        if let Err(f) = result {
            let _ = tx.blocking_send(Err(f));
        }
    });
    rx
}
