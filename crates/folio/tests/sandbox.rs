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

/// The "info bomb": catalog, page tree, page and Info dictionary each in its own object stream
/// whose Flate data inflates to `inflated` bytes (the object, then spaces), found through an
/// uncompressed cross-reference stream. About a kilobyte of file per megabyte of memory asked.
fn object_stream_bomb(inflated: usize) -> Vec<u8> {
    use flate2::{Compression, write::ZlibEncoder};
    use std::io::Write;
    let members = [
        "<</Type/Catalog/Pages 2 0 R>>",
        "<</Type/Pages/Kids[3 0 R]/Count 1>>",
        "<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>",
        "<</Title(bomb)/Producer(a test)>>",
    ];
    let mut pdf = b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    let spaces = vec![b' '; 1 << 20];
    for (i, member) in members.iter().enumerate() {
        let mut z = ZlibEncoder::new(Vec::new(), Compression::best());
        let head = format!("{} 0 ", i + 1);
        z.write_all(head.as_bytes()).unwrap();
        z.write_all(member.as_bytes()).unwrap();
        let mut left = inflated.saturating_sub(head.len() + member.len());
        while left > 0 {
            let n = left.min(spaces.len());
            z.write_all(&spaces[..n]).unwrap();
            left -= n;
        }
        let data = z.finish().unwrap();
        offsets.push(pdf.len());
        pdf.extend_from_slice(
            format!(
                "{} 0 obj\n<</Type/ObjStm/N 1/First {}/Filter/FlateDecode/Length {}>>\nstream\n",
                i + 5,
                head.len(),
                data.len()
            )
            .as_bytes(),
        );
        pdf.extend_from_slice(&data);
        pdf.extend_from_slice(b"\nendstream\nendobj\n");
    }
    // /W [1 4 2]: object 0 free, 1–4 in streams 5–8 (type 2), 5–9 at offsets (type 1).
    let xref_at = pdf.len();
    let row = |t: u8, a: u32, b: u16| {
        let mut r = vec![t];
        r.extend_from_slice(&a.to_be_bytes());
        r.extend_from_slice(&b.to_be_bytes());
        r
    };
    let mut rows = row(0, 0, 0xffff);
    for i in 0..4 {
        rows.extend(row(2, i + 5, 0));
    }
    for &o in offsets.iter().chain([&xref_at]) {
        rows.extend(row(1, o as u32, 0));
    }
    pdf.extend_from_slice(
        format!(
            "9 0 obj\n<</Type/XRef/Size 10/W[1 4 2]/Root 1 0 R/Info 4 0 R/Length {}>>\nstream\n",
            rows.len()
        )
        .as_bytes(),
    );
    pdf.extend_from_slice(&rows);
    pdf.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());
    pdf
}

/// Four info bombs at once against `s`: each answers 200 or 442 within `within`, the server's
/// own memory stays low and it keeps answering; the status codes are returned.
fn four_info_bombs(s: &Server, bomb: &[u8], within: Duration) -> Vec<u16> {
    let started = Instant::now();
    let codes = std::thread::scope(|scope| {
        let bombs: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| post_pdf(s, "/pdf/info", bomb.to_vec(), &[])))
            .collect();
        std::thread::sleep(Duration::from_millis(500));
        let (st, _) = s.get_json("/health");
        assert_eq!(st, 200);
        bombs
            .into_iter()
            .map(|b| {
                let (st, j) = b.join().unwrap();
                assert!(st == 200 || st == 442, "{st} {j}");
                if st == 200 {
                    assert_eq!(j["info"]["PageCount"], 1, "{j}");
                }
                st
            })
            .collect::<Vec<_>>()
    });
    assert!(
        started.elapsed() < within,
        "four info bombs took {:?}",
        started.elapsed()
    );
    let peak = s.peak_rss_mib();
    assert!(peak < 200, "the server itself reached {peak} MiB");
    codes
}

/// `/pdf/info` of the committed fixture answers as before.
fn assert_info_answers(s: &Server) {
    let (st, j) = post_pdf(s, "/pdf/info", good_pdf(), &[]);
    assert_eq!(st, 200, "{j}");
    assert_eq!(j["info"]["PageCount"], 20, "{j}");
    assert_eq!(j["info"]["Encrypted"], false, "{j}");
}

#[test]
fn pdf_info_parses_in_the_sandbox_under_its_memory_ceiling() {
    let bomb = object_stream_bomb(256 << 20);
    assert!(bomb.len() < 2 << 20, "{}", bomb.len());

    // Under a 300 MiB ceiling the worker cannot inflate even one 256 MiB stream: 442.
    let s = Server::start(&["--render-memory-mib", "300"]);
    let codes = four_info_bombs(&s, &bomb, Duration::from_secs(60));
    assert_eq!(codes, [442; 4]);
    let (st, j) = post_pdf(&s, "/pdf/info", bomb.clone(), &[]);
    assert_eq!(st, 442, "{j}");
    assert!(
        j["message"].as_str().unwrap().contains("more memory"),
        "{j}"
    );
    assert_info_answers(&s);
}

#[test]
fn pdf_info_bombs_at_default_settings_leave_the_server_small() {
    let bomb = object_stream_bomb(256 << 20);
    let s = Server::start(&[]);
    let codes = four_info_bombs(&s, &bomb, Duration::from_secs(120));
    eprintln!("info bombs at the default ceiling answered {codes:?}");
    assert_info_answers(&s);
}

#[test]
fn pdf_info_in_process_answers_the_same() {
    let s = Server::start(&["--render-isolation", "inline"]);
    assert_info_answers(&s);
    let (st, j) = post_pdf(&s, "/pdf/info", b"%PDF-1.4 not really".to_vec(), &[]);
    assert_eq!(st, 442, "{j}");
}

#[test]
fn an_idle_worker_gives_its_memory_back() {
    let s = Server::start(&[]);
    // 600 DPI: 5100 × 6600 pixels, over 200 MB of pixmaps while the pages render.
    let (st, j) = post_pdf(
        &s,
        "/pdf/convert/to/png",
        good_pdf(),
        &[("pages", "0-1"), ("profiles", "{RenderingResolution: 600}")],
    );
    assert_eq!(st, 200, "{j}");
    std::thread::sleep(Duration::from_secs(2));
    let workers = children_of(s.child.id());
    assert_eq!(workers.len(), 1, "{workers:?}");
    let (peak, now) = (
        status_mib(workers[0].0, "VmHWM:"),
        status_mib(workers[0].0, "VmRSS:"),
    );
    assert!(peak > 150, "the job never needed much: {peak} MiB");
    assert!(
        now < 64,
        "the idle worker keeps {now} MiB (peak {peak} MiB)"
    );
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
    // The allocator's settings, backtraces off, and where to find fonts.
    assert_eq!(
        names,
        [
            "FOLIO_SYSTEM_FONTS",
            "MIMALLOC_ARENA_RESERVE",
            "RUST_BACKTRACE"
        ]
    );
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
