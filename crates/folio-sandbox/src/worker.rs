//! The worker process side: read a job from stdin, run it, write events to stdout, repeat.

use std::io::{BufReader, BufWriter, Write};
use std::time::Duration;

use rustix::process::{Resource, Rlimit, Signal};

use crate::protocol::{Frame, read_frame, write_frame};
use crate::{Event, execute};

/// Ceilings a worker process puts on itself before its first job, and its housekeeping.
#[derive(Debug, Clone, Copy)]
pub struct WorkerOptions {
    /// Ceiling of writable memory in bytes (`RLIMIT_DATA`: heap and private mappings, not the
    /// reserved-but-unused address space that `RLIMIT_AS` would also count); an allocation past it
    /// fails and the worker aborts, which the server reports as a failed conversion.
    /// `None` = no ceiling.
    pub memory_bytes: Option<u64>,
    /// Called after each job, once its document and pages are freed: the binary's allocator
    /// gives freed memory back to the system here, since an idle worker allocates nothing that
    /// would make it do so on its own.
    pub after_job: fn(),
}

/// Largest request accepted: the server enforces its own input limit well below this.
const MAX_REQUEST: u64 = 8 << 30;

/// Serve jobs on stdin/stdout until stdin closes. Returns the process exit code.
pub fn worker_main(options: WorkerOptions) -> i32 {
    if let Err(e) = confine(options) {
        eprintln!("render worker: cannot set resource limits: {e}");
        return 2;
    }
    let mut input = BufReader::new(std::io::stdin().lock());
    let mut output = BufWriter::new(std::io::stdout().lock());
    loop {
        let (job, cpu_seconds, pdf) = match read_frame(&mut input, MAX_REQUEST) {
            Ok(Some((Frame::Request { job, cpu_seconds }, pdf))) => (job, cpu_seconds, pdf),
            Ok(None) => return 0,
            Ok(Some((other, _))) => {
                eprintln!("render worker: expected a request, got {other:?}");
                return 2;
            }
            Err(e) => {
                eprintln!("render worker: reading a request failed: {e}");
                return 2;
            }
        };
        if let Err(e) = arm_cpu_limit(cpu_seconds) {
            eprintln!("render worker: cannot set the CPU limit: {e}");
            return 2;
        }
        let mut write_failed = None;
        let result = execute(&job, pdf, |event| {
            let written = match event {
                Event::Started { pages } => {
                    write_frame(&mut output, &Frame::Started { pages }, &[])
                }
                Event::Page(img) => write_frame(
                    &mut output,
                    &Frame::Page {
                        seq: img.seq,
                        page: img.page,
                        width: img.width,
                        height: img.height,
                    },
                    &img.data,
                ),
                Event::FileProgress(done) => {
                    write_frame(&mut output, &Frame::FileProgress { done }, &[])
                }
                Event::Text(t) => write_frame(
                    &mut output,
                    &Frame::Text {
                        seq: t.seq,
                        page: t.page,
                    },
                    t.text.as_bytes(),
                ),
                Event::Document(part) => write_frame(
                    &mut output,
                    &Frame::Document {
                        seq: part.seq,
                        page_count: part.page_count,
                        name: part.name,
                    },
                    &part.data,
                ),
                Event::Info(info) => write_frame(&mut output, &Frame::Info { info }, &[]),
                Event::Data(json) => write_frame(&mut output, &Frame::Data, &json),
                Event::Warning(message) => {
                    write_frame(&mut output, &Frame::Warning { message }, &[])
                }
            };
            match written {
                Ok(()) => true,
                Err(e) => {
                    write_failed = Some(e);
                    false
                }
            }
        });
        if let Some(e) = write_failed {
            // The server went away or gave up on this job: nobody to answer.
            eprintln!("render worker: writing to the server failed: {e}");
            return 2;
        }
        let end = match result {
            Ok(()) => Frame::Done,
            Err(f) => Frame::Failed {
                code: f.code,
                message: f.message,
            },
        };
        if write_frame(&mut output, &end, &[])
            .and_then(|()| output.flush())
            .is_err()
        {
            return 2;
        }
        (options.after_job)();
    }
}

/// Die with the server (a `kill -9` of the server must not leave workers rendering), and cap
/// memory.
fn confine(options: WorkerOptions) -> rustix::io::Result<()> {
    #[cfg(target_os = "linux")]
    rustix::process::set_parent_process_death_signal(Some(Signal::KILL))?;
    if let Some(bytes) = options.memory_bytes {
        rustix::process::setrlimit(
            Resource::Data,
            Rlimit {
                current: Some(bytes),
                maximum: Some(bytes),
            },
        )?;
    }
    Ok(())
}

/// `RLIMIT_CPU` counts the process's whole life, so each job's allowance is added to what the
/// process has used so far. Past the soft limit the kernel sends SIGXCPU, which ends the worker.
fn arm_cpu_limit(seconds: u64) -> rustix::io::Result<()> {
    if seconds == 0 {
        return Ok(());
    }
    let used = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
    let used = Duration::new(used.tv_sec as u64, used.tv_nsec as u32);
    let soft = used.as_secs() + 1 + seconds;
    rustix::process::setrlimit(
        Resource::Cpu,
        Rlimit {
            current: Some(soft),
            maximum: None,
        },
    )
}
