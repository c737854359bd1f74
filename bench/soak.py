#!/usr/bin/env python3
"""bench/soak.py — mixed-traffic soak of a running Folio server (PDF.co API), loopback only.

Normally started by bench/soak.sh (builds folio, starts the server, sets BASE/SERVER_PID/DATA_DIR).
CLIENTS threads, each with one requests.Session, pick weighted random actions for DURATION s
(no new action once MAX_REQUESTS requests were sent; actions in flight finish, so the
count may overshoot, e.g. by a 352-page document's downloads): a good corpus PDF (MANIFEST.tsv, not tagged
malformed, with its password) converted sync (png/jpg/webp, every page downloaded) or async
(/job/check every 100 ms, every page downloaded); a malformed corpus file (200 or 442); bombs
built here: 1440000² pt MediaBox (400), 30000² DeviceRGB Flate image with a tiny stream (400),
cyclic page tree (200 or 442); a wrong password (441), bad page range (450), page out of range
(449), profiles `{bad` (444), no url (400), url=http://169.254.169.254/x (403). Inputs are
uploaded by presigned URL + PUT or /file/upload multipart, at random.
Beside them, attacker threads (same counting, their own kinds) run until the end:
- `attacks`, in a loop: profiles nested 20,000 deep in the query (`[`), a form body (`{a:`) and
  a JSON body's string (444); stored active content (text/html, image/svg+xml,
  application/xhtml+xml by presign contenttype, and .html/.svg names by multipart) PUT as
  `<script>`, then GET from the file URL and the upload URL: 200 with `X-Content-Type-Options:
  nosniff`, a `Content-Security-Policy` with `sandbox` and, if served as HTML/SVG/XML,
  `Content-Disposition: attachment`, else unexpected; the "info bomb" (catalog, page tree, page and Info each alone in a Flate
  /Type/ObjStm inflating to INFO_BOMB_MIB MiB: the object, then spaces; xref stream /W[1 4 2],
  type-2 rows; /pdf/info → 200 or 442); a PUT declaring Content-Length 8 GiB and sending
  nothing (413 at once); HEAD of a conversion of the nested-forms bomb (200 within 2 s: no
  work); an async job's result token, and a sync result's page
  tokens, used as upload tokens (PUT /file/upload/put/<token>/x → 403 or 404, while the job runs
  and after);
- SLOW_CLIENTS `slow-source` threads: sync conversions of url=http://127.0.0.1:<port>/slow.pdf, a
  threaded HTTP server here sending a small PDF one byte every SLOW_MS ms (200; soak.sh runs the
  server with --fetch-allow 127.0.0.1, the 169.254.169.254 SSRF stays refused);
- `big-put`: every BIG_EVERY_S s, 3 presigned PUTs at once of 50–100 MiB each, streamed from a
  generator (chunked; 200, or 507/429 when a store quota or budget applies), then deleted;
- `idle-h2`: H2_IDLE raw TCP connections that sent the HTTP/2 prior-knowledge preface and an
  empty SETTINGS frame, then stay idle (SETTINGS and PING are acknowledged); every connection
  the server closes is counted and reopened.
Sync conversions and /pdf/info also accept 429 (every renderer busy; BUSY).
Every API response must be the PDF.co JSON envelope, and errors must have body status == HTTP
status; anything else, any 5xx or an unexpected code is an unexpected response. After the soak
every async job is polled until done, for up to 120 s; jobs still working/unknown are lost.
Prints peak memory (server + render workers), peak disk use of DATA_DIR (polled every 0.5 s) and
the idle-h2 closes beside the other figures.
Env: BASE, SERVER_PID, CORPUS, DATA_DIR, DURATION (120), CLIENTS (6), MAX_REQUESTS (3000; the
attacker threads stop with the clients), INFO_BOMB_MIB (64), SLOW_MS (50), SLOW_CLIENTS (3),
BIG_EVERY_S (20), H2_IDLE (50). Exit 1 on a lost job, a 5xx or a dead server.
"""
import os, sys
# bench/http.py sits next to this file: drop this directory from sys.path, or it would shadow
# the stdlib `http` package that requests imports.
_here = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _here]
import csv, http.server, random, selectors, socket, threading, time, zlib
from collections import Counter, defaultdict
import requests
sys.path.append(_here)  # after the stdlib, so only our own module comes from here
import procstats

BASE = os.environ["BASE"].rstrip("/")
CORPUS, PID = os.environ["CORPUS"], os.environ.get("SERVER_PID", "")
DURATION, CLIENTS = float(os.environ.get("DURATION", 120)), int(os.environ.get("CLIENTS", 6))
MAX_REQUESTS, POLL_S, TIMEOUT_S, LOST_AFTER_S = int(os.environ.get("MAX_REQUESTS", 3000)), 0.1, 180, 120
DATA_DIR, INFO_BOMB_MIB = os.environ.get("DATA_DIR", ""), int(os.environ.get("INFO_BOMB_MIB", 64))
SLOW_S, SLOW_CLIENTS = float(os.environ.get("SLOW_MS", 50)) / 1000, int(os.environ.get("SLOW_CLIENTS", 3))
BIG_EVERY_S, H2_IDLE = float(os.environ.get("BIG_EVERY_S", 20)), int(os.environ.get("H2_IDLE", 50))
BUSY = {429}  # sync conversions and /pdf/info beyond the renderers (and their queue) answer 429
lock = threading.Lock()
lat, codes, kinds, unexpected = defaultdict(list), Counter(), Counter(), []
h2 = Counter()  # idle-h2 connections: opened, closed (by the server), open-failed
jobs = {}  # jobId -> set of acceptable terminal outcomes ("success", "failed:442", ...)
n_requests = 0

def pdf(objs):
    """A PDF with a correct xref from {num: body bytes}; object 1 is the catalog."""
    out, offs = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), {}
    for n in sorted(objs):
        offs[n] = len(out); out += b"%d 0 obj\n" % n + objs[n] + b"\nendobj\n"
    x = len(out); out += b"xref\n0 %d\n0000000000 65535 f \n" % (max(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % offs[n] for n in range(1, max(objs) + 1))
    return bytes(out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (max(objs) + 1, x))

def stream(d, data): return b"<< %s /Length %d >>\nstream\n" % (d, len(data)) + data + b"\nendstream"
CAT, PAGES = b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
z = zlib.compress(b"\0" * 65536, 9)
BOMBS = {  # name -> (bytes, acceptable codes)
    "bomb-mediabox": (pdf({1: CAT, 2: PAGES, 3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1440000 1440000] >>"}), {400}),
    "bomb-image": (pdf({1: CAT, 2: PAGES, 3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>", 4: stream(b"", b"q 612 0 0 792 0 0 cm /Im0 Do Q"),
        5: stream(b"/Type /XObject /Subtype /Image /Width 30000 /Height 30000 /ColorSpace /DeviceRGB "
                  b"/BitsPerComponent 8 /Filter /FlateDecode", z)}), {400}),
    "bomb-cycle": (pdf({1: CAT, 2: b"<< /Type /Pages /Kids [3 0 R] /Count 2 >>",
        3: b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 4 0 R] /Count 2 >>",
        4: b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 612 792] >>"}), {200, 442}),
    # Forms nested 8 deep, each drawing the next 10 times: 10^8 page fills from 2 KB. The engine
    # records them faster than it draws (~250 MB/s), so the render worker either reaches its
    # memory ceiling (442) or is killed at the page budget (445; soak.sh sets 5 s), whichever first.
    "bomb-laughs": (pdf({1: CAT, 2: PAGES, 3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /XObject << /F 5 0 R >> >> /Contents 4 0 R >>", 4: stream(b"", b"/F Do"),
        **{5 + i: stream(b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /XObject << /F %d 0 R >> >>" % (6 + i),
                         b" ".join([b"/F Do"] * 10)) for i in range(7)},
        12: stream(b"/Type /XObject /Subtype /Form /BBox [0 0 612 792]", b"0 0 612 792 re f")}), {442, 445}),
}


def info_bomb(mib):
    """Catalog (1), page tree (2), page (3) and Info (4) each alone in its own Flate /Type/ObjStm
    (5–8) that inflates to `mib` MiB (the object, then spaces), found only through an xref stream
    (9) /W [1 4 2] with type-2 rows: ~1 KB of file per inflated MiB."""
    body = {1: CAT, 2: PAGES, 3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
            4: b"<< /Title (info bomb) /Producer (bench/soak.py) >>"}
    out, offs, pad = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), {}, b" " * (1 << 20)
    for n, o in body.items():
        head = b"%d 0 " % n; c = zlib.compressobj(9)
        data = c.compress(head + o) + b"".join(c.compress(pad) for _ in range(mib)) + c.flush()
        offs[n + 4] = len(out)
        out += b"%d 0 obj\n" % (n + 4) + stream(b"/Type /ObjStm /N 1 /First %d /Filter /FlateDecode" % len(head), data) + b"\nendobj\n"
    x = len(out); row = lambda t, a, b: bytes([t]) + a.to_bytes(4, "big") + b.to_bytes(2, "big")
    rows = row(0, 0, 65535) + b"".join(row(2, n + 4, 0) for n in body) + b"".join(row(1, offs[n + 4], 0) for n in body) + row(1, x, 0)
    out += b"9 0 obj\n" + stream(b"/Type /XRef /Size 10 /W [1 4 2] /Root 1 0 R /Info 4 0 R", rows)
    return bytes(out + b"\nendobj\nstartxref\n%d\n%%%%EOF\n" % x)

def req(s, kind, method, url, expect, api=True, check=None, **kw):
    """One request: timed, counted, envelope-checked (and by `check(r)` → error or None).
    Returns the response (or None)."""
    global n_requests
    t0 = time.perf_counter(); r, err = None, None
    try:
        r = s.request(method, url, timeout=TIMEOUT_S, **kw)
        if check and r.status_code in expect: err = check(r)
    except requests.RequestException as e:
        err = f"{type(e).__name__}: {e}"
    ms = (time.perf_counter() - t0) * 1000
    code = r.status_code if r is not None else "conn-error"
    if r is not None and err is None and (api or code >= 400):
        try:
            b = r.json()
            if not isinstance(b, dict) or "error" not in b: err = "no PDF.co envelope"
            elif code >= 400 and (b["error"] is not True or b.get("status") != code): err = "envelope status != HTTP status"
            elif code < 400 and b["error"] is not False: err = "error != false on 2xx"
        except ValueError:
            err = "body is not JSON"
    with lock:
        n_requests += 1; kinds[kind] += 1; codes[code] += 1; lat[kind].append(ms)
        if err or code not in expect:
            p = kw.get("params") or kw.get("data") or kw.get("json")
            p = str(p)[:200] if isinstance(p, (dict, str)) else None
            unexpected.append(f"[{kind}] {method} {url[:200]} {p or ''} -> {code} {err or ''} "
                              f"{r.text[:300] if r is not None else ''}")
    return r if r is not None and code in expect and not err else None

def upload(s, name, data):
    """Store bytes on the server by presigned URL + PUT or /file/upload; returns its url."""
    if random.random() < 0.5:
        r = req(s, "presign", "GET", f"{BASE}/file/upload/get-presigned-url", {200},
                params={"name": name, "contenttype": "application/octet-stream"})
        if r and req(s, "put", "PUT", r.json()["presignedUrl"], {200}, api=False, data=data,
                     headers={"content-type": "application/octet-stream"}):
            return r.json()["url"]
        return None
    r = req(s, "upload-multipart", "POST", f"{BASE}/file/upload", {200}, files={"file": (name, data)})
    return r.json()["url"] if r else None

def download(s, urls):
    for u in urls: req(s, "download", "GET", u, {200}, api=False)

def wait_job(s, jid, deadline):
    """Poll /job/check until the job leaves `working` or deadline; returns the final body."""
    while True:
        r = req(s, "job-check", "GET", f"{BASE}/job/check", {200}, params={"jobid": jid})
        b = r.json() if r else {}
        if b.get("status") not in ("working", "unknown") or time.monotonic() > deadline: return b
        time.sleep(POLL_S)

def convert(s, kind, url, codes_ok, outcomes, pw="", pages="", fmt="png", async_=False, **extra):
    params = {"url": url, "password": pw, "pages": pages, **extra}
    if async_:
        r = req(s, kind + "-async", "GET", f"{BASE}/pdf/convert/to/{fmt}", {200}, params={**params, "async": "true"})
        if not r: return
        jid = r.json()["jobId"]
        with lock: jobs[jid] = outcomes
        b = wait_job(s, jid, time.monotonic() + 60)
        if b.get("status") == "success":
            j = req(s, "job-result", "GET", r.json()["url"], {200}, api=False)
            if j: download(s, j.json())
    else:  # a sync request finding every renderer busy is refused with 429 (see BUSY)
        r = req(s, kind, "GET", f"{BASE}/pdf/convert/to/{fmt}", codes_ok | BUSY, params=params)
        if r is not None and r.status_code == 200: download(s, r.json().get("urls") or [r.json()["url"]])

def action(s, good, bad, enc):
    a = random.choices(["good", "malformed", "bomb", "password", "range", "oor", "profiles", "nourl", "ssrf"],
                       [6, 2, 3, 1, 1, 1, 1, 1, 1])[0]
    if a == "good":
        row = random.choice(good); u = upload(s, row["file"], row["data"])
        if u: convert(s, "good", u, {200}, {"success"}, pw=row["password"], fmt=random.choice(["png", "jpg", "webp"]),
                      async_=random.random() < 0.5)
    elif a in ("malformed", "bomb"):
        if a == "malformed": row = random.choice(bad); name, data, ok = row["file"], row["data"], {200, 442}
        else: name = random.choice(list(BOMBS)); data, ok = BOMBS[name]; name, a = name + ".pdf", name
        u = upload(s, name, data)
        if u: convert(s, a, u, ok, {"success" if c == 200 else f"failed:{c}" for c in ok}, async_=random.random() < 0.3)
    elif a == "nourl": req(s, "missing-url", "GET", f"{BASE}/pdf/convert/to/png", {400})
    elif a == "ssrf": req(s, "ssrf", "GET", f"{BASE}/pdf/convert/to/png", {403}, params={"url": "http://169.254.169.254/x"})
    else:
        row = random.choice(enc if a == "password" else good[:1]); u = upload(s, row["file"], row["data"])
        if not u: return
        if a == "password": convert(s, "wrong-password", u, {441}, set(), pw="not-" + row["password"])
        elif a == "range": convert(s, "bad-range", u, {450}, set(), pw=row["password"], pages="1-x")
        elif a == "oor": convert(s, "out-of-range", u, {449}, set(), pw=row["password"], pages="99999")
        else: convert(s, "bad-profiles", u, {444}, set(), pw=row["password"], profiles="{bad")

def client(end, good, bad, enc):
    s = requests.Session()
    while time.monotonic() < end and n_requests < MAX_REQUESTS:
        try: action(s, good, bad, enc)
        except Exception as e:  # a broken body shape etc.: record it, keep soaking
            with lock: unexpected.append(f"client exception {type(e).__name__}: {e}")

# ---- attacks beside the traffic -------------------------------------------------------------
SMALL = pdf({1: CAT, 2: PAGES, 3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>"})
ACTIVE = [("text/html", "x.html", b"<html><script>alert(document.domain)</script></html>"),
          ("image/svg+xml", "x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>'),
          ("application/xhtml+xml", "x.xhtml", b'<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>')]
DEEP = 20000

def inert(r):
    """Stored active content must come back inert: nosniff, a sandboxing CSP and, when it is
    served as an active type (HTML, SVG, XML), as an attachment."""
    h, bad, ct = r.headers, [], r.headers.get("content-type", "").lower()
    if h.get("x-content-type-options", "").lower() != "nosniff": bad.append("no nosniff")
    if "sandbox" not in h.get("content-security-policy", "").lower(): bad.append("no CSP sandbox")
    if any(t in ct for t in ("html", "svg", "xml")) and not h.get("content-disposition", "").lower().startswith("attachment"):
        bad.append("not an attachment")
    return f"active content served with {', '.join(bad)} ({h.get('content-type')})" if bad else None

def attack_round(s, bomb):
    u = upload(s, "small.pdf", SMALL)
    if u:  # profiles nested 20,000 deep: in the query, a form body, a JSON body's string
        req(s, "deep-profiles-query", "GET", f"{BASE}/pdf/convert/to/png", {444}, params={"url": u, "profiles": "[" * DEEP})
        req(s, "deep-profiles-form", "POST", f"{BASE}/pdf/convert/to/png", {444}, data={"url": u, "profiles": "{a:" * DEEP})
        req(s, "deep-profiles-json", "POST", f"{BASE}/pdf/convert/to/png", {444}, json={"url": u, "profiles": "{profiles:[" * (DEEP // 2)})
    for ct, name, data in ACTIVE:  # stored active content, by presign contenttype
        r = req(s, "active-presign", "GET", f"{BASE}/file/upload/get-presigned-url", {200}, params={"name": name, "contenttype": ct})
        if r and req(s, "active-put", "PUT", r.json()["presignedUrl"], {200}, api=False, data=data, headers={"content-type": ct}):
            for v in (r.json()["url"], r.json()["presignedUrl"]): req(s, "active-get", "GET", v, {200}, api=False, check=inert)
    ct, name, data = random.choice(ACTIVE[:2])  # ... and by a multipart upload's name
    r = req(s, "active-multipart", "POST", f"{BASE}/file/upload", {200}, files={"file": (name, data, ct)})
    if r: req(s, "active-get", "GET", r.json()["url"], {200}, api=False, check=inert)
    declared_too_big(s)
    u = upload(s, "laughs.pdf", BOMBS["bomb-laughs"][0])  # HEAD answers without rendering
    if u: req(s, "head-convert", "HEAD", f"{BASE}/pdf/convert/to/png", {200}, api=False, params={"url": u},
              check=lambda r: None if r.elapsed.total_seconds() < 2 else f"HEAD took {r.elapsed.total_seconds():.1f} s: it did the work")
    u = upload(s, "info-bomb.pdf", bomb)
    if u: req(s, "info-bomb", "GET", f"{BASE}/pdf/info", {200, 442} | BUSY, params={"url": u})
    u = upload(s, "small.pdf", SMALL)  # result tokens are not upload tokens
    r = u and req(s, "token-async", "GET", f"{BASE}/pdf/convert/to/png", {200}, params={"url": u, "async": "true"})
    if r:
        jid, res = r.json()["jobId"], r.json()["url"]
        with lock: jobs[jid] = {"success"}
        put_url = lambda v: f"{BASE}/file/upload/put/{v.split('/files/', 1)[1].split('/', 1)[0]}/x"
        req(s, "result-token-put", "PUT", put_url(res), {403, 404}, data=b"<script>alert(1)</script>")
        wait_job(s, jid, time.monotonic() + 60)
        req(s, "result-token-put", "PUT", put_url(res), {403, 404}, data=b"<script>alert(1)</script>")
        r = req(s, "token-sync", "GET", f"{BASE}/pdf/convert/to/png", {200} | BUSY, params={"url": u})
        for v in (r.json().get("urls") or [])[:2] if r and r.status_code == 200 else []:
            req(s, "result-token-put", "PUT", put_url(v), {403, 404}, data=b"<script>alert(1)</script>")

def declared_too_big(s):
    """A PUT declaring 8 GiB (over any body limit) and sending none of it: 413 at once."""
    global n_requests
    r = req(s, "huge-presign", "GET", f"{BASE}/file/upload/get-presigned-url", {200}, params={"name": "huge.bin"})
    if not r: return
    host, port = BASE.split("//", 1)[1].rsplit(":", 1); t0 = time.perf_counter(); code, err = "conn-error", None
    try:
        with socket.create_connection((host, int(port)), timeout=10) as c:
            c.sendall(f"PUT /{r.json()['presignedUrl'].split('/', 3)[3]} HTTP/1.1\r\nHost: x\r\nContent-Length: {8 << 30}\r\n\r\n".encode())
            code = int(c.recv(4096).split(b" ", 2)[1])
    except (OSError, ValueError, IndexError) as e: err = f"{type(e).__name__}: {e}"
    with lock:
        n_requests += 1; kinds["declared-too-big"] += 1; codes[code] += 1; lat["declared-too-big"].append((time.perf_counter() - t0) * 1000)
        if code != 413: unexpected.append(f"[declared-too-big] PUT with Content-Length 8 GiB -> {code} {err or ''}")

def attacker(end):
    s, bomb = requests.Session(), info_bomb(INFO_BOMB_MIB)
    while time.monotonic() < end and n_requests < MAX_REQUESTS:
        try: attack_round(s, bomb)
        except Exception as e:
            with lock: unexpected.append(f"attacker exception {type(e).__name__}: {e}")
        time.sleep(1)

class Slow(http.server.BaseHTTPRequestHandler):
    """A remote source that sends SMALL one byte every SLOW_S seconds."""
    def do_GET(self):
        self.send_response(200); self.send_header("content-type", "application/pdf")
        self.send_header("content-length", str(len(SMALL))); self.end_headers()
        try:
            for i in range(len(SMALL)): self.wfile.write(SMALL[i:i + 1]); self.wfile.flush(); time.sleep(SLOW_S)
        except OSError: pass
    def log_message(self, *a): pass

def slow_client(end, url):
    s = requests.Session()
    while time.monotonic() < end and n_requests < MAX_REQUESTS:
        req(s, "slow-source", "GET", f"{BASE}/pdf/convert/to/png", {200} | BUSY, params={"url": url})

def big_puts(end):
    """Every BIG_EVERY_S s, 3 streamed 50–100 MiB PUTs at once; the stored files are deleted after."""
    block = os.urandom(1 << 20)
    def one():
        s, mib = requests.Session(), random.randint(50, 100)
        r = req(s, "big-presign", "GET", f"{BASE}/file/upload/get-presigned-url", {200}, params={"name": "big.bin"})
        if r and req(s, "big-put", "PUT", r.json()["presignedUrl"], {200, 429, 507}, api=False,
                     data=(block for _ in range(mib)), headers={"content-type": "application/octet-stream"}) is not None:
            if r.status_code == 200: req(s, "big-delete", "GET", f"{BASE}/file/delete", {200}, params={"file": r.json()["url"]})
    while time.monotonic() + 5 < end and n_requests < MAX_REQUESTS:
        t0 = time.monotonic(); ts = [threading.Thread(target=one) for _ in range(3)]
        for t in ts: t.start()
        for t in ts: t.join()
        time.sleep(max(0, BIG_EVERY_S - (time.monotonic() - t0)))

def idle_h2(end):
    """H2_IDLE idle HTTP/2 prior-knowledge connections, reopened whenever the server closes one."""
    host, port = BASE.split("//", 1)[1].rsplit(":", 1)
    sel, hello = selectors.DefaultSelector(), b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + bytes([0, 0, 0, 4, 0, 0, 0, 0, 0])
    def open_one():
        try:
            c = socket.create_connection((host, int(port)), timeout=5); c.sendall(hello); c.setblocking(False)
            sel.register(c, selectors.EVENT_READ, [bytearray(), time.monotonic()]); h2["opened"] += 1
        except OSError:
            h2["open-failed"] += 1
    for _ in range(H2_IDLE): open_one()
    while time.monotonic() < end:
        for key, _ in sel.select(timeout=0.5):
            c, (buf, t_open) = key.fileobj, key.data
            try: data = c.recv(65536)
            except BlockingIOError: continue
            except OSError: data = b""
            if not data:
                sel.unregister(c); c.close(); h2["closed"] += 1; h2["lived-s"] = max(h2["lived-s"], int(time.monotonic() - t_open))
                if time.monotonic() < end: open_one()
                continue
            buf += data
            while len(buf) >= 9 and len(buf) >= 9 + int.from_bytes(buf[:3], "big"):
                n, typ, flags = int.from_bytes(buf[:3], "big"), buf[3], buf[4]
                try:
                    if typ == 4 and not flags & 1: c.sendall(bytes([0, 0, 0, 4, 1, 0, 0, 0, 0]))  # SETTINGS ack
                    if typ == 6 and not flags & 1: c.sendall(bytes([0, 0, 8, 6, 1, 0, 0, 0, 0]) + bytes(buf[9:17]))  # PING ack
                    if typ == 7: h2["goaway"] += 1
                except OSError: pass
                del buf[:9 + n]
    for key in list(sel.get_map().values()): key.fileobj.close()

def disk_poll(stop, peak):
    """The peak of DATA_DIR's allocated bytes (like `du`), every 0.5 s."""
    while not stop.wait(0.5):
        total = 0
        for d, _, fs in os.walk(DATA_DIR):
            for f in fs:
                try: total += os.lstat(os.path.join(d, f)).st_blocks * 512
                except OSError: pass
        peak[0] = max(peak[0], total)

def pct(xs, p):
    xs = sorted(xs); return xs[max(0, -(-len(xs) * p // 100) - 1)] if xs else float("nan")

def main():
    with open(os.path.join(CORPUS, "MANIFEST.tsv"), encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    for r in rows:
        with open(os.path.join(CORPUS, r["file"]), "rb") as f: r["data"] = f.read()
    good = sorted([r for r in rows if "malformed" not in r["tags"].split(",")], key=lambda r: len(r["data"]))
    bad = [r for r in rows if "malformed" in r["tags"].split(",")]
    enc = [r for r in good if r["password"]]
    tree = procstats.Tree(int(PID)) if PID else None
    slow = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Slow); slow.daemon_threads = True
    threading.Thread(target=slow.serve_forever, daemon=True).start()
    slow_url = f"http://127.0.0.1:{slow.server_address[1]}/slow.pdf"
    disk_stop, disk_peak = threading.Event(), [0]
    if DATA_DIR: threading.Thread(target=disk_poll, args=(disk_stop, disk_peak), daemon=True).start()
    t0 = time.monotonic(); end = t0 + DURATION
    ts = [threading.Thread(target=client, args=(end, good, bad, enc)) for _ in range(CLIENTS)]
    ts += [threading.Thread(target=attacker, args=(end,)), threading.Thread(target=big_puts, args=(end,)),
           threading.Thread(target=idle_h2, args=(end,))]
    ts += [threading.Thread(target=slow_client, args=(end, slow_url)) for _ in range(SLOW_CLIENTS)]
    for t in ts: t.start()
    for t in ts: t.join()
    wall = time.monotonic() - t0
    # Every async job must reach a terminal state within LOST_AFTER_S of the soak's end.
    s, final, stop = requests.Session(), {}, time.monotonic() + LOST_AFTER_S
    for jid in list(jobs): final[jid] = wait_job(s, jid, stop)
    out = Counter()
    for jid, b in final.items():
        st = b.get("status"); o = "success" if st == "success" else f"failed:{b.get('errorCode')}"
        out["lost" if st in ("working", "unknown", None) else "succeeded" if o == "success" and o in jobs[jid]
            else "failed-as-expected" if o in jobs[jid] else "unexpected-outcome"] += 1
        if st not in ("working", "unknown", None) and o not in jobs[jid]:
            unexpected.append(f"job {jid}: expected {sorted(jobs[jid])}, got {b}")
    if tree: tree.stop()
    disk_stop.set(); slow.shutdown()
    hwm = f"{tree.peak_mib:.0f} MiB (server + up to {tree.max_workers} render workers)" if tree else "n/a"
    alive = tree.alive() if tree else False
    print(f"Folio soak: {wall:.1f} s, {CLIENTS} clients, {n_requests} requests "
          f"({n_requests / wall:.1f}/s), {os.cpu_count()} CPUs; stopped by "
          f"{'MAX_REQUESTS=%d' % MAX_REQUESTS if n_requests >= MAX_REQUESTS else 'DURATION=%g s' % DURATION}\n")
    print("requests by kind:", ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
    print("responses by HTTP code:", ", ".join(f"{k} {n}" for k, n in sorted(codes.items(), key=str)))
    print(f"unexpected responses: {len(unexpected)}")
    for u in unexpected[:10]: print("  -", u)
    print(f"async jobs: submitted {len(jobs)}, succeeded {out['succeeded']}, failed-as-expected "
          f"{out['failed-as-expected']}, unexpected outcome {out['unexpected-outcome']}, lost {out['lost']}")
    print("\n| kind | n | p50 ms | p95 ms | max ms |\n|---|--:|--:|--:|--:|")
    for k in sorted(lat): print(f"| {k} | {len(lat[k])} | {pct(lat[k], 50):.0f} | {pct(lat[k], 95):.0f} | {max(lat[k]):.0f} |")
    n5xx = sum(n for c, n in codes.items() if isinstance(c, int) and c >= 500)
    print(f"\nserver pid {PID}: peak memory {hwm}, alive: {'yes' if alive else 'NO'}; 5xx: {n5xx}")
    print(f"peak disk use of the data dir: {disk_peak[0] / 2**20:.0f} MiB" if DATA_DIR else "peak disk use: n/a (no DATA_DIR)")
    print(f"idle h2c connections: {H2_IDLE} held, {h2['opened']} opened, {h2['closed']} closed by the server "
          f"({h2['goaway']} GOAWAY frames, longest lived {h2['lived-s']} s), {h2['open-failed']} opens failed")
    return 1 if out["lost"] or n5xx or not alive else 0

if __name__ == "__main__":
    sys.exit(main())
