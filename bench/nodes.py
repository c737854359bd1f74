#!/usr/bin/env python3
"""bench/nodes.py — Folio on shared backends (S3 + PostgreSQL): 1 node vs 2 nodes, and takeover.

Normally started by bench/nodes.sh (which builds folio and starts the services). Two parts:

1. Throughput. For NODES in (1, 2): a fresh database and bucket prefix, NODES `folio` processes
   on them (default flags), then CLIENTS client threads push DOCS copies of PDF through the
   PDF.co async flow, spread round-robin over the nodes like a load balancer would: presigned URL
   from one node, PUT straight to S3, /pdf/convert/to/png async=true on the next node, /job/check
   polled every 50 ms, every page PNG downloaded. Prints pages/s per configuration.
2. Takeover. Node A (--workers 1, --render-threads 1, --job-lease-secs LEASE) starts a 600 DPI
   job; once it has rendered a page, node B starts and A gets `kill -9`. The job's row in
   PostgreSQL shows when B claimed it (attempts = 2) and when it succeeded. Prints both times.

Env: FOLIO (binary), FOLIO_TEST_POSTGRES_URL (a role that may CREATE DATABASE), FOLIO_TEST_S3_*
(endpoint, bucket, access key, secret key), PDF (default tests/fixtures/qpdf-rotated.pdf),
DOCS (16), CLIENTS (4), LEASE (5). Exits 1 on any failure.
"""
import os, sys
# bench/http.py would shadow the stdlib `http` package that requests imports: drop this directory.
_here = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _here]
import concurrent.futures as cf, signal, socket, subprocess, tempfile, time
import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOLIO = os.environ["FOLIO"]
PG = os.environ["FOLIO_TEST_POSTGRES_URL"]
S3 = {k: os.environ[f"FOLIO_TEST_S3_{k}"] for k in ("ENDPOINT", "BUCKET", "ACCESS_KEY", "SECRET_KEY")}
PDF = os.environ.get("PDF", os.path.join(ROOT, "tests/fixtures/qpdf-rotated.pdf"))
DOCS, CLIENTS = int(os.environ.get("DOCS", 16)), int(os.environ.get("CLIENTS", 4))
LEASE = int(os.environ.get("LEASE", 5))
PNG_SIG = b"\x89PNG\r\n\x1a\n"
TAG = f"bench_{os.getpid()}_{int(time.time())}"

def psql(sql, url=PG):
    out = subprocess.run(["psql", "-qAtX", url, "-c", sql], check=True, capture_output=True, text=True)
    return out.stdout.strip()

def db_url(name):
    base, _, query = PG.partition("?")
    return base.rsplit("/", 1)[0] + "/" + name + (("?" + query) if query else "")

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

class Cluster:
    """A database and an S3 prefix of their own, and the nodes started on them."""
    def __init__(self, name):
        self.db = f"{TAG}_{name}"
        psql(f'CREATE DATABASE "{self.db}"')
        self.tmp = tempfile.mkdtemp(prefix="folio-nodes-")
        self.args = ["--store", "s3", "--s3-bucket", S3["BUCKET"], "--s3-prefix", f"{TAG}-{name}",
                     "--s3-endpoint", S3["ENDPOINT"], "--s3-region", "us-east-1",
                     "--s3-access-key-id", S3["ACCESS_KEY"], "--s3-secret-access-key",
                     S3["SECRET_KEY"], "--s3-allow-http", "--queue", "postgres",
                     "--database-url", db_url(self.db)]
        self.nodes = []

    def start(self, *extra):
        port = free_port()
        log = open(os.path.join(self.tmp, f"node-{port}.log"), "w")
        env = {k: v for k, v in os.environ.items() if not k.startswith("FOLIO_") or k.startswith("FOLIO_TEST")}
        p = subprocess.Popen([FOLIO, "--listen", f"127.0.0.1:{port}", "--data-dir",
                              os.path.join(self.tmp, str(port)), *self.args, *extra],
                             stdout=log, stderr=log, env=env)
        for _ in range(300):
            if p.poll() is not None:
                sys.exit(f"node exited: {open(log.name).read()[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", port), 0.1).close()
                break
            except OSError:
                time.sleep(0.1)
        self.nodes.append(p)
        return p, f"http://127.0.0.1:{port}"

    def close(self):
        for p in self.nodes:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in self.nodes:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        psql(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')

def ok(r):
    if r.status_code != 200:
        raise RuntimeError(f"{r.request.method} {r.url} -> {r.status_code} {r.text[:300]}")
    return r

def upload(s, base, data):
    up = ok(s.get(f"{base}/file/upload/get-presigned-url", params={"name": "doc.pdf"})).json()
    ok(s.put(up["presignedUrl"], data=data, headers={"content-type": "application/pdf"}))
    return up["url"]

def convert(s, base, url, **extra):
    return ok(s.post(f"{base}/pdf/convert/to/png", json={"url": url, "async": True, **extra})).json()["jobId"]

def check(s, base, job):
    return ok(s.get(f"{base}/job/check", params={"jobid": job})).json()

def run_doc(bases, i, data):
    """One document's whole flow across the nodes; returns its page count."""
    s = requests.Session()
    first, second = bases[i % len(bases)], bases[(i + 1) % len(bases)]
    job = convert(s, second, upload(s, first, data))
    while (st := check(s, first, job))["status"] == "working":
        time.sleep(0.05)
    if st["status"] != "success":
        raise RuntimeError(f"job {job}: {st}")
    for u in st["urls"]:
        if not ok(s.get(u)).content.startswith(PNG_SIG):
            raise RuntimeError(f"{u}: not a PNG")
    return len(st["urls"])

def throughput(n):
    c = Cluster(f"n{n}")
    try:
        bases = [c.start()[1] for _ in range(n)]
        data = open(PDF, "rb").read()
        t0 = time.perf_counter()
        with cf.ThreadPoolExecutor(CLIENTS) as ex:
            pages = sum(ex.map(lambda i: run_doc(bases, i, data), range(DOCS)))
        return pages, time.perf_counter() - t0
    finally:
        c.close()

def takeover():
    c = Cluster("takeover")
    try:
        flags = ("--workers", "1", "--render-threads", "1", "--job-lease-secs", str(LEASE))
        a, base_a = c.start(*flags)
        s = requests.Session()
        # Every page five times over (the page grammar keeps duplicates): long enough that node
        # A is still rendering when the second node is up and A is killed.
        job = convert(s, base_a, upload(s, base_a, open(PDF, "rb").read()),
                      profiles="{RenderingResolution: 600}", pages=",".join(["0-"] * 5))
        while check(s, base_a, job).get("pagesDone", 0) < 1:
            time.sleep(0.05)
        c.start(*flags)
        row = lambda: psql(f"SELECT attempts, state FROM jobs WHERE id = '{job}'", db_url(c.db)).split("|")
        a.kill()  # SIGKILL
        died = time.perf_counter()
        claimed = None
        while True:
            attempts, state = row()
            if claimed is None and int(attempts) >= 2:
                claimed = time.perf_counter() - died
            if state != "running" and state != "queued":
                break
            if time.perf_counter() - died > 300:
                raise RuntimeError("job not taken over within 300 s")
            time.sleep(0.05)
        if state != "success":
            raise RuntimeError(f"job {job} ended {state}")
        return claimed, time.perf_counter() - died
    finally:
        c.close()

def main():
    print(f"Folio nodes on S3 (s3s-fs) + PostgreSQL, same machine ({os.cpu_count()} CPUs); "
          f"{DOCS} × {os.path.basename(PDF)}, {CLIENTS} clients, 150 DPI PNG, default node flags\n")
    print("| nodes | pages | wall s | pages/s |\n|--:|--:|--:|--:|")
    rates = {}
    for n in (1, 2):
        pages, wall = throughput(n)
        rates[n] = pages / wall
        print(f"| {n} | {pages} | {wall:.2f} | {rates[n]:.1f} |", flush=True)
    print(f"\n2 nodes ÷ 1 node: {rates[2] / rates[1]:.2f} (same cores: no gain expected, no loss wanted)\n")
    claimed, done = takeover()
    print(f"Takeover after kill -9 (lease {LEASE} s, 600 DPI job of {os.path.basename(PDF)} × 5): "
          f"claimed by the other node after {claimed:.2f} s, job succeeded after {done:.2f} s")
    return 0

if __name__ == "__main__":
    sys.exit(main())
