"""Resource use of the Folio server *with its render worker processes* (bench/http.py, soak.py).

The server renders in child processes (`folio render-worker`), so its own VmHWM no longer shows
the memory that rendering takes. A sampler thread sums the resident memory of the server and its
children every 100 ms and keeps the peak; CPU is the server's own time, plus the time of children
it has reaped, plus the time of the children still running.
"""
import os
import threading


def _stat(pid):
    with open(f"/proc/{pid}/stat") as f:  # fields after "(comm)": state=0, ppid=1, utime=11, ...
        return f.read().rsplit(")", 1)[1].split()


def _children(pid):
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                if int(_stat(d)[1]) == pid:
                    out.append(int(d))
            except (OSError, IndexError, ValueError):
                pass
    return out


def _rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS:")) / 1024


class Tree(threading.Thread):
    """Samples the server's process tree until `stop()`; `peak_mib` is the highest total RSS,
    `peak_server_mib` the server's own."""

    def __init__(self, pid, every=0.1):
        super().__init__(daemon=True)
        self.pid, self.every, self.peak_mib, self.max_workers = pid, every, 0.0, 0
        self.peak_server_mib = 0.0
        self._halt = threading.Event()
        self.start()

    def run(self):
        while not self._halt.wait(self.every):
            try:
                kids = _children(self.pid)
                total = _rss_mib(self.pid)
                self.peak_server_mib = max(self.peak_server_mib, total)
                for k in kids:
                    try:
                        total += _rss_mib(k)
                    except (OSError, StopIteration):
                        pass
                self.peak_mib = max(self.peak_mib, total)
                self.max_workers = max(self.max_workers, len(kids))
            except (OSError, StopIteration):
                return

    def stop(self):
        self._halt.set()
        self.join()

    def cpu_seconds(self):
        """CPU seconds of the server and all its render workers so far, or None."""
        try:
            st = _stat(self.pid)
            ticks = sum(int(st[i]) for i in (11, 12, 13, 14))  # utime stime cutime cstime
            for k in _children(self.pid):
                try:
                    kst = _stat(k)
                    ticks += int(kst[11]) + int(kst[12])
                except (OSError, IndexError, ValueError):
                    pass
            return ticks / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return None

    def alive(self):
        try:
            return _stat(self.pid)[0] not in ("Z", "X")
        except (OSError, IndexError):
            return False
