#!/usr/bin/env python3
"""bench/http.py — load-test a running Folio server through the PDF.co async PDF→PNG flow.

Normally started by bench/http.sh (which builds folio, starts the server and sets the env
below). For every non-malformed row of $CORPUS/MANIFEST.tsv, ROUNDS times, one of CLIENTS
client threads (shared queue, largest documents first) runs the PDF.co flow:
  1 GET /file/upload/get-presigned-url   2 PUT the PDF bytes to presignedUrl
  3 GET /pdf/convert/to/png?async=true&password=..&pages=&url=..   (password UTF-8 %-encoded)
  4 poll GET /job/check?jobid=.. every 50 ms (PDF.co samples poll every 3 s; we poll fast
    to measure the server, not the sleep)   5 GET the placeholder url -> JSON list of page
    PNG urls, download each and check the PNG signature.
Measures each document's latency (step 1 → last page downloaded) and overall documents,
pages, wall s, pages/s, p50/p95 latency, failures by reason, peak RSS and CPU s of the
server with its render workers (bench/procstats.py), and this client's CPU s (it shares the cores with the server).
Prints markdown tables (plus CLI anchors); exits 1 on any failure (HTTP error, job not
successful, non-PNG page, page count != manifest).
Env: BASE (server URL), SERVER_PID, CORPUS, CLIENTS (4), ROUNDS (1), SETTING (label),
     ANCHOR_FILE (output of bench/cli.sh; else the constants below are used).
"""
import os, sys
# This file is named http.py: drop its directory from sys.path, or it would shadow the
# stdlib `http` package that requests (urllib3) imports.
_here = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _here]
import concurrent.futures as cf, csv, queue, time
from collections import Counter
import requests
sys.path.append(_here)  # after the stdlib, so only our own module comes from here
import procstats

BASE = os.environ["BASE"].rstrip("/")
CORPUS = os.environ["CORPUS"]
CLIENTS, ROUNDS = int(os.environ.get("CLIENTS", 4)), int(os.environ.get("ROUNDS", 1))
PID = os.environ.get("SERVER_PID", "")
POLL_S, REQ_TIMEOUT_S, JOB_DEADLINE_S = 0.05, 60, 600
PNG_SIG = b"\x89PNG\r\n\x1a\n"
# Last bench/cli.sh anchors (150 DPI PNG, same corpus, 2 cores); ANCHORS=1 re-measures.
ANCHORS = {"mutool×2": 85.6, "pdftoppm": 7.1}

class Fail(Exception):
    """A failed document: reason (short, counted) and detail (request and response)."""
    def __init__(self, reason, detail=""):
        super().__init__(reason); self.reason, self.detail = reason, detail

def call(s, method, url, step, **kw):
    """One request; raises Fail on transport error, non-200 or a JSON body with error=true."""
    try:
        r = s.request(method, url, timeout=REQ_TIMEOUT_S, **kw)
    except requests.RequestException as e:
        raise Fail(f"{step}: {type(e).__name__}", f"{method} {url}: {e}")
    bad = r.status_code != 200
    if not bad and r.headers.get("content-type", "").startswith("application/json"):
        body = r.json()
        bad = isinstance(body, dict) and body.get("error") is True
    if bad:
        raise Fail(f"{step}: HTTP {r.status_code}",
                   f"{method} {r.url} -> {r.status_code} {r.text[:400]}")
    return r

def run_doc(s, row):
    """The whole PDF.co flow for one document; returns (row, latency ms, pages, Fail|None)."""
    t0, pages, fail = time.perf_counter(), 0, None
    try:
        up = call(s, "GET", f"{BASE}/file/upload/get-presigned-url", "presign",
                  params={"name": row["file"], "contenttype": "application/octet-stream"}).json()
        call(s, "PUT", up["presignedUrl"], "upload", data=row["data"],
             headers={"content-type": "application/octet-stream"})
        job = call(s, "GET", f"{BASE}/pdf/convert/to/png", "convert", params={
            "async": "true", "password": row["password"], "pages": "", "url": up["url"]}).json()
        while True:
            st = call(s, "GET", f"{BASE}/job/check", "check", params={"jobid": job["jobId"]})
            body = st.json()
            if body.get("status") == "success":
                break
            if body.get("status") != "working":
                raise Fail(f"job {body.get('status')} (errorCode {body.get('errorCode')})",
                           f"GET {st.url} -> {st.text[:400]}")
            if time.perf_counter() - t0 > JOB_DEADLINE_S:
                raise Fail("job timeout", f"job {job['jobId']} still working")
            time.sleep(POLL_S)
        urls = call(s, "GET", job["url"], "result").json()
        for u in urls:
            r = call(s, "GET", u, "download")
            if not r.content.startswith(PNG_SIG):
                raise Fail("not PNG", f"GET {u} -> {r.status_code} "
                           f"{r.headers.get('content-type')} {r.content[:40]!r}")
            pages += 1
        if pages != row["pages"]:
            raise Fail("page count != manifest", f"{row['file']}: {pages} != {row['pages']}")
    except Fail as f:
        fail = f
    except Exception as e:  # malformed JSON, missing key, ...: still one failed document
        fail = Fail(type(e).__name__, repr(e))
    return row, (time.perf_counter() - t0) * 1000, pages, fail

def client(q, out):
    s = requests.Session()
    while True:
        try:
            row = q.get_nowait()
        except queue.Empty:
            return
        out.append(run_doc(s, row))

def pct(xs, p):  # nearest-rank percentile
    xs = sorted(xs)
    return xs[max(0, -(-len(xs) * p // 100) - 1)] if xs else float("nan")

def main():
    with open(os.path.join(CORPUS, "MANIFEST.tsv"), encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
                if "malformed" not in r["tags"].split(",")]
    for r in rows:  # PDFs are read into memory up front: the timed part is pure HTTP
        r["pages"], r["password"] = int(r["pages"] or 1), r["password"] or ""
        with open(os.path.join(CORPUS, r["file"]), "rb") as f:
            r["data"] = f.read()
    q, out = queue.Queue(), []
    for r in sorted(rows, key=lambda r: -r["pages"]) * ROUNDS:  # largest first (balance)
        q.put(r)
    tree = procstats.Tree(int(PID)) if PID else None
    t0 = time.perf_counter()
    with cf.ThreadPoolExecutor(CLIENTS) as ex:
        for fut in [ex.submit(client, q, out) for _ in range(CLIENTS)]:
            fut.result()
    wall = time.perf_counter() - t0
    rss, cpu = (tree.peak_mib, tree.cpu_seconds()) if tree else (None, None)
    if tree: tree.stop()
    mine = os.times().user + os.times().system
    lat = [ms for _, ms, _, f in out if f is None]
    pages = sum(p for _, _, p, _ in out)
    fails = [(r, f) for r, _, _, f in out if f]
    pps = pages / wall
    fmt = lambda v, spec: "n/a" if v is None else format(v, spec)
    print(f"Folio HTTP (PDF.co async PNG flow): {os.environ.get('SETTING', 'default flags')};"
          f" {CLIENTS} clients, {ROUNDS} round(s), poll {POLL_S * 1000:.0f} ms,"
          f" {os.cpu_count()} CPUs; corpus {CORPUS}\n")
    print("| documents | pages | wall s | pages/s | p50 ms | p95 ms | failures | server peak"
          " RSS MiB | server CPU s | client CPU s |\n" + "|--:" * 10 + "|")
    print(f"| {len(out)} | {pages} | {wall:.2f} | {pps:.1f} | {pct(lat, 50):.0f} |"
          f" {pct(lat, 95):.0f} | {len(fails)} | {fmt(rss, '.1f')} | {fmt(cpu, '.1f')} |"
          f" {mine:.1f} |")
    for reason, n in Counter(f.reason for _, f in fails).most_common():
        print(f"- {n} × {reason}")
    for r, f in fails[:5]:
        print(f"  - {r['file']}: {f.detail}", file=sys.stderr)
    measured = set()  # anchors re-measured now (ANCHORS=1), else the constants are used
    with open(os.environ.get("ANCHOR_FILE") or os.devnull, encoding="utf-8") as f:
        for cells in ([c.strip() for c in l.strip().strip("|").split("|")] for l in f):
            # cli.sh table row: | tool | pages | seconds | pages/s | ...  (skipped tool: text)
            if cells[0] in ANCHORS and len(cells) > 3 and cells[3].replace(".", "", 1).isdigit():
                ANCHORS[cells[0]] = float(cells[3]); measured.add(cells[0])
    print("\nCLI anchors (150 DPI PNG, same corpus; \"last run\" = constants from the last"
          " bench/cli.sh run on 2 cores, ANCHORS=1 re-measures them, ~90 s):\n")
    print("| tool | pages/s | source | folio-http ÷ tool |\n|---|--:|---|--:|")
    print(f"| folio-http | {pps:.1f} | this run | 1.00 |")
    for tool, v in ANCHORS.items():
        src = f"bench/cli.sh now, {os.cpu_count()} CPUs" if tool in measured else "last run"
        print(f"| {tool} | {v:.1f} | {src} | {pps / v:.2f} |")
    return 1 if fails else 0

if __name__ == "__main__":
    sys.exit(main())
