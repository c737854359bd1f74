#!/usr/bin/env python3
"""bench/soak.py — mixed-traffic soak of a running Folio server (PDF.co API), loopback only.

Normally started by bench/soak.sh (builds folio, starts the server, sets BASE/SERVER_PID).
CLIENTS threads, each with one requests.Session, pick weighted random actions for DURATION s
(no new action once MAX_REQUESTS requests were sent; actions in flight finish, so the
count may overshoot, e.g. by a 352-page document's downloads): a good corpus PDF (MANIFEST.tsv, not tagged
malformed, with its password) converted sync (png/jpg/webp, every page downloaded) or async
(/job/check every 100 ms, every page downloaded); a malformed corpus file (200 or 442); bombs
built here: 1440000² pt MediaBox (400), 30000² DeviceRGB Flate image with a tiny stream (400),
cyclic page tree (200 or 442); a wrong password (441), bad page range (450), page out of range
(449), profiles `{bad` (444), no url (400), url=http://169.254.169.254/x (403). Inputs are
uploaded by presigned URL + PUT or /file/upload multipart, at random.
Every API response must be the PDF.co JSON envelope, and errors must have body status == HTTP
status; anything else, any 5xx or an unexpected code is an unexpected response. After the soak
every async job is polled until done, for up to 120 s; jobs still working/unknown are lost.
Env: BASE, SERVER_PID, CORPUS, DURATION (120), CLIENTS (6), MAX_REQUESTS (3000). Exit 1 on a
lost job, a 5xx or a dead server.
"""
import os, sys
# bench/http.py sits next to this file: drop this directory from sys.path, or it would shadow
# the stdlib `http` package that requests imports.
_here = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _here]
import csv, random, threading, time, zlib
from collections import Counter, defaultdict
import requests
sys.path.append(_here)  # after the stdlib, so only our own module comes from here
import procstats

BASE = os.environ["BASE"].rstrip("/")
CORPUS, PID = os.environ["CORPUS"], os.environ.get("SERVER_PID", "")
DURATION, CLIENTS = float(os.environ.get("DURATION", 120)), int(os.environ.get("CLIENTS", 6))
MAX_REQUESTS, POLL_S, TIMEOUT_S, LOST_AFTER_S = int(os.environ.get("MAX_REQUESTS", 3000)), 0.1, 180, 120
lock = threading.Lock()
lat, codes, kinds, unexpected = defaultdict(list), Counter(), Counter(), []
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

def req(s, kind, method, url, expect, api=True, **kw):
    """One request: timed, counted, envelope-checked. Returns the response (or None)."""
    global n_requests
    t0 = time.perf_counter(); r, err = None, None
    try:
        r = s.request(method, url, timeout=TIMEOUT_S, **kw)
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
            p = kw.get("params") or kw.get("data") if not isinstance(kw.get("data"), bytes) else None
            unexpected.append(f"[{kind}] {method} {url} {p or ''} -> {code} {err or ''} "
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
    else:
        r = req(s, kind, "GET", f"{BASE}/pdf/convert/to/{fmt}", codes_ok, params=params)
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
    t0 = time.monotonic(); end = t0 + DURATION
    ts = [threading.Thread(target=client, args=(end, good, bad, enc)) for _ in range(CLIENTS)]
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
    print(f"\nserver pid {PID}: peak RSS {hwm}, alive: {'yes' if alive else 'NO'}; 5xx: {n5xx}")
    return 1 if out["lost"] or n5xx or not alive else 0

if __name__ == "__main__":
    sys.exit(main())
