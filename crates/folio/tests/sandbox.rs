//! The render sandbox through the real server: runaway pages are stopped at the page budget,
//! memory is capped, dead workers are replaced, and workers die with the server.

mod common;

use std::time::{Duration, Instant};

use common::*;

fn good_pdf() -> Vec<u8> {
    std::fs::read(fixture("qpdf-rotated.pdf")).unwrap()
}

/// CPU ticks of the server's render workers, summed.
fn worker_ticks(s: &Server) -> u64 {
    children_of(s.child.id()).iter().map(|c| c.2).sum()
}

#[test]
fn a_runaway_page_is_stopped_at_the_page_budget_while_other_jobs_go_on() {
    // A memory ceiling far above what the page reaches in 3 s: this test is about time.
    let s = Server::start(&["--page-timeout-secs", "3", "--render-memory-mib", "16384"]);
    // Async: the job fails with 445 naming the page; meanwhile a good document converts.
    let bomb = nested_forms(8, 10);
    let (st, j) = post_pdf(
        &s,
        "/pdf/convert/to/png",
        bomb.clone(),
        &[("async", "true")],
    );
    assert_eq!(st, 200, "{j}");
    let job = j["jobId"].as_str().unwrap().to_string();
    let started = Instant::now();
    let (st, j) = post_pdf(&s, "/pdf/convert/to/png", good_pdf(), &[("pages", "0-2")]);
    assert_eq!((st, j["pageCount"].as_u64()), (200, Some(3)), "{j}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the good conversion waited for the runaway one: {:?}",
        started.elapsed()
    );
    let done = s.wait_job(&job, Duration::from_secs(30));
    assert_eq!(done["status"], "failed", "{done}");
    assert_eq!(done["errorCode"], 445, "{done}");
    let msg = done["message"].as_str().unwrap();
    assert!(msg.contains("page 0") && msg.contains("3 s"), "{msg}");

    // The runaway worker was killed: no render worker burns CPU any more.
    let before = worker_ticks(&s);
    std::thread::sleep(Duration::from_secs(1));
    let burnt = worker_ticks(&s).saturating_sub(before);
    assert!(
        burnt < 20,
        "render workers still busy: {burnt} ticks in 1 s"
    );

    // Sync: the same document answers 445 at the budget, not at the sync timeout.
    let started = Instant::now();
    let (st, j) = post_pdf(&s, "/pdf/convert/to/png", bomb, &[]);
    assert_eq!(st, 445, "{j}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    // And the server still converts.
    let (st, _) = post_pdf(&s, "/pdf/convert/to/jpg", good_pdf(), &[("pages", "1")]);
    assert_eq!(st, 200);
}

#[test]
fn in_process_rendering_still_answers_at_the_page_budget() {
    let s = Server::start(&["--page-timeout-secs", "2", "--render-isolation", "inline"]);
    let started = Instant::now();
    let (st, j) = post_pdf(&s, "/pdf/convert/to/png", nested_forms(8, 10), &[]);
    assert_eq!(st, 445, "{j}");
    assert!(started.elapsed() < Duration::from_secs(8));
    let (st, _) = post_pdf(&s, "/pdf/convert/to/png", good_pdf(), &[("pages", "0")]);
    assert_eq!(st, 200);
}

#[test]
fn a_page_over_the_memory_ceiling_fails_cleanly() {
    let s = Server::start(&["--render-memory-mib", "300", "--max-page-megapixels", "200"]);
    // 1200 DPI: 10,200 × 13,200 pixels, 540 MB of pixmap, under the pixel limit but over memory.
    let (st, j) = post_pdf(
        &s,
        "/pdf/convert/to/png",
        good_pdf(),
        &[("pages", "0"), ("profiles", "{RenderingResolution: 1200}")],
    );
    assert_eq!(st, 442, "{j}");
    assert!(
        j["message"].as_str().unwrap().contains("more memory"),
        "{j}"
    );
    let (st, j) = post_pdf(&s, "/pdf/convert/to/png", good_pdf(), &[("pages", "0-1")]);
    assert_eq!((st, j["pageCount"].as_u64()), (200, Some(2)), "{j}");
}

#[test]
fn workers_are_reused_replaced_when_killed_and_die_with_the_server() {
    let s = Server::start(&[]);
    let convert = || post_pdf(&s, "/pdf/convert/to/png", good_pdf(), &[("pages", "0")]);
    assert_eq!(convert().0, 200);
    let first = children_of(s.child.id());
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(convert().0, 200);
    assert_eq!(
        children_of(s.child.id())[0].0,
        first[0].0,
        "worker not reused"
    );

    // An operator (or the OOM killer) kills the idle worker: the next job gets a fresh one.
    std::process::Command::new("kill")
        .args(["-9", &first[0].0.to_string()])
        .status()
        .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let (st, j) = convert();
    assert_eq!(st, 200, "{j}");
    let now = children_of(s.child.id());
    assert!(
        now.iter().all(|c| c.0 != first[0].0) && !now.is_empty(),
        "{now:?}"
    );

    // kill -9 of the server in the middle of a runaway render: the worker goes with it.
    let (st, _) = post_pdf(
        &s,
        "/pdf/convert/to/png",
        nested_forms(8, 10),
        &[("async", "true")],
    );
    assert_eq!(st, 200);
    std::thread::sleep(Duration::from_millis(500));
    let workers: Vec<u32> = children_of(s.child.id()).iter().map(|c| c.0).collect();
    assert!(!workers.is_empty());
    let mut s = s;
    s.child.kill().unwrap();
    s.child.wait().unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while workers
        .iter()
        .any(|p| std::path::Path::new(&format!("/proc/{p}")).exists())
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    for p in &workers {
        let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).unwrap_or_default();
        // Gone, or a zombie waiting for init to reap it: either way not rendering.
        assert!(
            stat.is_empty()
                || stat
                    .rsplit_once(')')
                    .unwrap()
                    .1
                    .trim_start()
                    .starts_with('Z'),
            "worker {p} outlived the server: {stat}"
        );
    }
}

#[test]
fn workers_do_not_inherit_the_servers_secrets() {
    let secrets = [
        ("FOLIO_API_KEYS", "key-7f3a91c2"),
        ("AWS_SECRET_ACCESS_KEY", "aws-secret-5d0e44b8"),
        ("FOLIO_S3_SECRET_ACCESS_KEY", "s3-secret-a2c9e1f0"),
        ("FOLIO_WEBHOOK_SECRET", "hook-secret-93bb07d4"),
        (
            "DATABASE_URL",
            "postgres://folio:db-password-61e8@db.invalid/folio",
        ),
    ];
    let s = Server::start_with(&[], |c| {
        c.envs(secrets);
    });
    let (st, j) = post_pdf(
        &s,
        "/pdf/convert/to/png?x-api-key=key-7f3a91c2",
        good_pdf(),
        &[("pages", "0")],
    );
    assert_eq!(st, 200, "{j}");
    let workers = children_of(s.child.id());
    assert_eq!(workers.len(), 1, "{workers:?}");
    let environ = std::fs::read(format!("/proc/{}/environ", workers[0].0)).unwrap();
    let names: Vec<String> = environ
        .split(|&b| b == 0)
        .filter(|v| !v.is_empty())
        .map(|v| String::from_utf8_lossy(v.split(|&b| b == b'=').next().unwrap()).into_owned())
        .collect();
    assert_eq!(names, ["MIMALLOC_ARENA_RESERVE", "RUST_BACKTRACE"]);
    let cmdline = std::fs::read(format!("/proc/{}/cmdline", workers[0].0)).unwrap();
    for (name, value) in secrets {
        for seen in [&environ, &cmdline] {
            assert!(
                !seen.windows(value.len()).any(|w| w == value.as_bytes()),
                "{name}'s value reached the render worker"
            );
        }
    }
}
