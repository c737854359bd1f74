#!/usr/bin/env python3
"""bench/memory.py — memory of the Folio server and its render workers under load, and after.

Normally started by bench/memory.sh. Each round uploads DOCS (default: pdfjs-freeculture.pdf,
352 pages, then the four next largest corpus files) and converts them to PNG at once, one
client thread per document on the PDF.co async flow (presigned upload, PUT,
convert/to/png?async=true, /job/check every 50 ms, every page downloaded), so the big document
renders while the four others convert. A sampler (bench/procstats.py) sums the resident memory
of the server and its render workers every 50 ms. After the last round and IDLE_S seconds of
quiet, the resident memory of the server and of each idle worker is read.
Prints a markdown table; exits 1 if a conversion failed.
Env: BASE, SERVER_PID, CORPUS, ROUNDS (3), IDLE_S (5), DOCS (comma-separated file names),
     SETTING (label).
"""
import os, sys
# bench/http.py would shadow the stdlib `http` package that requests imports.
_here = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _here]
import concurrent.futures as cf, csv, time
import requests
sys.path.append(_here)  # after the stdlib, so only our own module comes from here
import procstats

BASE = os.environ["BASE"].rstrip("/")
CORPUS = os.environ["CORPUS"]
PID = int(os.environ["SERVER_PID"])
ROUNDS, IDLE_S = int(os.environ.get("ROUNDS", 3)), float(os.environ.get("IDLE_S", 5))
DOCS = os.environ.get("DOCS", "pdfjs-freeculture.pdf,pdfjs-tracemonkey.pdf,pdfjs-cmykjpeg.pdf,"
                      "pdfjs-firefox_logo.pdf,pdfjs-standard_fonts.pdf").split(",")


def ok(r):
    r.raise_for_status()
    return r


def convert(name, data, pages):
    """The PDF.co async flow for one document; returns the pages downloaded."""
    s = requests.Session()
    up = ok(s.get(f"{BASE}/file/upload/get-presigned-url",
                  params={"name": name, "contenttype": "application/octet-stream"})).json()
    ok(s.put(up["presignedUrl"], data=data, headers={"content-type": "application/octet-stream"}))
    job = ok(s.get(f"{BASE}/pdf/convert/to/png",
                   params={"async": "true", "url": up["url"]})).json()
    deadline = time.time() + 600
    while True:
        st = ok(s.get(f"{BASE}/job/check", params={"jobid": job["jobId"]})).json()
        if st["status"] == "success":
            break
        if st["status"] != "working" or time.time() > deadline:
            raise RuntimeError(f"{name}: {st}")
        time.sleep(0.05)
    urls = ok(s.get(job["url"])).json()
    for u in urls:
        ok(s.get(u))
    if len(urls) != pages:
        raise RuntimeError(f"{name}: {len(urls)} pages, manifest says {pages}")
    return len(urls)


def main():
    with open(os.path.join(CORPUS, "MANIFEST.tsv"), encoding="utf-8", newline="") as f:
        manifest = {r["file"]: int(r["pages"] or 1)
                    for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)}
    docs = []
    for name in DOCS:
        with open(os.path.join(CORPUS, name), "rb") as f:
            docs.append((name, f.read(), manifest[name]))
    tree = procstats.Tree(PID, every=0.05)
    t0, pages, failed = time.perf_counter(), 0, 0
    for _ in range(ROUNDS):
        with cf.ThreadPoolExecutor(len(docs)) as ex:
            futs = []
            for d in docs:  # the big one first, so it holds a render slot from the start
                futs.append(ex.submit(convert, *d))
                time.sleep(0.05)
            for fut in futs:
                try:
                    pages += fut.result()
                except Exception as e:  # noqa: BLE001 - reported and counted
                    print(f"failed: {e}", file=sys.stderr)
                    failed += 1
    wall = time.perf_counter() - t0
    tree.stop()
    time.sleep(IDLE_S)
    server = procstats._rss_mib(PID)
    workers = []
    for k in procstats._children(PID):
        try:
            workers.append(procstats._rss_mib(k))
        except (OSError, StopIteration):
            pass
    print(f"Folio memory: {os.environ.get('SETTING', 'default flags')}; {ROUNDS} round(s) of"
          f" {len(docs)} documents at once ({', '.join(d[0] for d in docs)});"
          f" {os.cpu_count()} CPUs\n")
    print("| pages | wall s | failures | peak MiB (server + workers) | peak MiB (server) |"
          f" server MiB after {IDLE_S:g} s | idle workers' MiB after {IDLE_S:g} s |")
    print("|--:" * 6 + "|---|")
    print(f"| {pages} | {wall:.2f} | {failed} | {tree.peak_mib:.0f} | {tree.peak_server_mib:.0f} |"
          f" {server:.0f} | {', '.join(f'{w:.0f}' for w in sorted(workers)) or 'none'} |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
