"""政策自测 under load: 50 concurrent users on a real gunicorn server, the whole page they wait for (issue 16).

It creates (once) a private PostgreSQL database, migrates it, starts gunicorn on a free loopback port (2 gthread
workers × 4 threads with keep-alive; `--threads 1` gives sync workers, as `bangfu run`) and runs `--users` threads.
Each user opens the form (GET, its CSRF cookie), then answers again and again for `--seconds`: it posts a family,
waits for the result page, thinks, posts the next. The families cycle through four kinds: a 特困 family with a
university student (the engine's heaviest answer), a family whose income makes it 困难, a family the union already
verified as 困难, and a family whose income is above the line (no engine call: the easy population). Each `--think`
is one phase: `1-3` is a user who thinks 1 to 3 seconds between answers and starts at a random moment within the
first 3 (50 people answering every two seconds, far more than a real day brings), `0` is the closed loop (each
user posts again as soon as the answer comes, all starting together: the server's saturation).

Per phase it prints p50/p95/p99/max in ms for all answers, the first answer of each user (cold: fresh worker
processes build the parameter set and templates), the rest (warm), each kind, and the form page; the anchor, a
static file each user fetches after each answer through the same server (a request that does no work: what the
machine's load alone costs), and the answers' ratio to it at p50 and p95; errors (any status
but 200 or a page without 自测结果); answers per second; CPU seconds of the server's processes (gunicorn's master
and workers), of the PostgreSQL backends serving the database and of this client, beside wall seconds, and the
server's CPU milliseconds per answer (the figure that load on the machine does not change); the machine's busy
core-seconds over the phase (what everyone on it used) and /proc/loadavg before and after. Linux only (/proc).
The page's rate limit is raised for the run (BANGFU_RATE_PUBLIC); in service it is 60 answers a minute per address.

    .venv/bin/python benchmarks/selfcheck.py [--users 50] [--seconds 30] [--think 1-3 --think 0]
        [--workers 2] [--threads 4] [--database-url postgres://postgres@127.0.0.1:5432/bangfu_bench_selfcheck]
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import math
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(Path(__file__).parent))
from registry import _database, _manage  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")
ANCHOR = "/static/web/favicon.svg"
KINDS = ["特困, university student", "income → 困难", "verified 困难", "income above the line (no engine)"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _form(i: int, csrf: str) -> str:
    """The i-th family: KINDS[i % 4]."""
    year = datetime.date.today().year
    income = ["900", "3000", "0", "12000"][i % 4]
    category = ["extreme_hardship", "assumed", "hardship", "assumed"][i % 4]
    data = {"csrfmiddlewaretoken": csrf, "region": ["320102", "320200", "320500", "321100"][i % 4],
            "category": category, "monthly_income": income, "dibao": "no",
            "m0-relation": "self", "m0-sex": "female", "m0-birth_date": f"{year - 50}-02-01",
            "m0-employment": "registered_unemployed", "m0-work_ability": "full", "m0-health": "serious",
            "m1-relation": "child", "m1-sex": "male", "m1-birth_date": f"{year - 20}-09-01",
            "m1-employment": "student", "m1-work_ability": "full", "m1-health": "healthy",
            "m1-stage": "higher", "m1-year": "2", "m1-institution": "public", "m1-excellent": "on",
            "m2-relation": "parent", "m2-sex": "male", "m2-birth_date": f"{year - 78}-01-01",
            "m2-employment": "retired", "m2-work_ability": "none", "m2-health": "disabled_severe"}
    for slot in range(3, 6):
        data[f"m{slot}-relation"] = ""
    return urllib.parse.urlencode(data)


# --- CPU seconds from /proc -------------------------------------------------------------------------------------

def _cpu(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def _tree(pid: int) -> list[int]:
    """The process and its descendants (gunicorn's master and workers)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return found


def _busy() -> float:
    """Core-seconds the whole machine has spent busy since boot (everyone's work, not only ours)."""
    with open("/proc/stat") as f:
        user, nice, system, idle, iowait, irq, softirq, steal = (int(v) for v in f.readline().split()[1:9])
    return (user + nice + system + irq + softirq + steal) / TICK


class CpuMeter:
    """CPU seconds of a changing set of processes over a phase, sampled twice a second: a process first seen during
    the phase counts from zero, one that ends counts to its last sample."""

    def __init__(self, pids) -> None:
        self.pids = pids
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self, baseline: bool) -> None:
        for pid in self.pids():
            value = _cpu(pid)
            if value is not None:
                self.first.setdefault(pid, value if baseline else 0.0)
                self.last[pid] = value

    def _run(self) -> None:
        while not self.stop.wait(0.5):
            self._sample(False)

    def __enter__(self) -> CpuMeter:
        self._sample(True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()
        self._sample(False)

    @property
    def seconds(self) -> float:
        return sum(self.last[p] - self.first[p] for p in self.last)


def _backends(url: str):
    """The PostgreSQL backends serving the benchmark's database (the server's connections), for CpuMeter."""
    import psycopg

    name = urllib.parse.urlparse(url).path.lstrip("/")
    conn = psycopg.connect(url, autocommit=True)
    lock = threading.Lock()

    def pids() -> list[int]:
        with lock:
            return [r[0] for r in conn.execute(
                "select pid from pg_stat_activity where datname = %s and pid <> pg_backend_pid()", [name])]
    return pids, conn


# --- the users ----------------------------------------------------------------------------------------------------

@dataclass
class Answer:
    kind: int
    first: bool
    ms: float
    ok: bool
    status: int


def _user(port: int, index: int, until: list, think: tuple[float, float], out: list, pages: list, anchors: list,
          start: threading.Barrier) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    began = time.perf_counter()
    conn.request("GET", "/public/selfcheck/")
    response = conn.getresponse()
    response.read()
    pages.append((time.perf_counter() - began) * 1000)
    cookie = next(h.split(";", 1)[0] for h in response.headers.get_all("Set-Cookie") if h.startswith("csrftoken="))
    csrf = cookie.split("=", 1)[1]
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
               "Referer": f"http://127.0.0.1:{port}/public/selfcheck/"}
    rng = random.Random(index)
    start.wait()
    if think[1] > 0:  # people do not all press the button at the same instant
        time.sleep(rng.uniform(0, think[1]))
    k = 0
    while time.perf_counter() < until[0]:
        body = _form(index + k, csrf)
        began = time.perf_counter()
        try:
            conn.request("POST", "/public/selfcheck/", body=body, headers=headers)
            response = conn.getresponse()
        except (ConnectionError, http.client.HTTPException):  # a keep-alive connection the server had closed
            conn.close()
            conn.request("POST", "/public/selfcheck/", body=body, headers=headers)  # reconnects; time counted
            response = conn.getresponse()
        page = response.read()
        ms = (time.perf_counter() - began) * 1000
        out.append(Answer((index + k) % 4, k == 0, ms, response.status == 200 and "自测结果".encode() in page,
                          response.status))
        k += 1
        began = time.perf_counter()  # the anchor: a request that does no work, on the same connection
        try:
            conn.request("GET", ANCHOR)
            response = conn.getresponse()
        except (ConnectionError, http.client.HTTPException):
            conn.close()
            conn.request("GET", ANCHOR)
            response = conn.getresponse()
        response.read()
        anchors.append((time.perf_counter() - began) * 1000)
        if think[1] > 0:
            time.sleep(rng.uniform(*think))
    conn.close()


def _figures(values: list[float]) -> str:
    if not values:
        return "none"
    values = sorted(values)

    def rank(q: float) -> float:  # nearest rank
        return values[max(0, math.ceil(q * len(values)) - 1)]
    return (f"p50 {statistics.median(values):6.0f}  p95 {rank(0.95):6.0f}  p99 {rank(0.99):6.0f}  "
            f"max {values[-1]:6.0f} ms  (n={len(values)})")


def _phase(args, port: int, think: tuple[float, float], server_pid: int, backends) -> None:
    answers: list[Answer] = []
    pages: list[float] = []
    anchors: list[float] = []
    until = [math.inf]
    barrier = threading.Barrier(args.users + 1)
    threads = [threading.Thread(target=_user, args=(port, i, until, think, answers, pages, anchors, barrier))
               for i in range(args.users)]
    for t in threads:
        t.start()
    while barrier.n_waiting < args.users:  # every user has its form page: the phase starts now
        time.sleep(0.01)
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    busy, client = _busy(), time.process_time()
    with CpuMeter(lambda: _tree(server_pid)) as server, CpuMeter(backends) as database:
        began = time.perf_counter()
        until[0] = began + args.seconds
        barrier.wait()
        for t in threads:
            t.join()
        wall = time.perf_counter() - began
    client, busy = time.process_time() - client, _busy() - busy
    load_after = Path("/proc/loadavg").read_text().split()[:3]
    errors = [a.status for a in answers if not a.ok]
    label = "closed loop (no think time)" if think[1] == 0 else f"think {think[0]:g}-{think[1]:g} s between answers"
    print(f"\n{args.users} users, {label}, {args.seconds} s; gunicorn {args.workers} workers × {args.threads} "
          f"threads; {os.cpu_count()} cores")
    print(f"  answers, all        {_figures([a.ms for a in answers])}")
    print(f"  first of each user  {_figures([a.ms for a in answers if a.first])}  (cold)")
    print(f"  the rest            {_figures([a.ms for a in answers if not a.first])}  (warm)")
    for kind, name in enumerate(KINDS):
        print(f"  {name:34s} {_figures([a.ms for a in answers if a.kind == kind])}")
    print(f"  form page (GET)     {_figures(pages)}  (before the phase's clock starts)")
    print(f"  anchor (GET {ANCHOR}, after each answer: gunicorn, whitenoise, no work)")
    print(f"                      {_figures(anchors)}")
    if answers and anchors:
        times, base = sorted(a.ms for a in answers), sorted(anchors)
        print(f"  answer ÷ anchor: p50 {statistics.median(times) / statistics.median(base):.1f}×, "
              f"p95 {times[math.ceil(0.95 * len(times)) - 1] / base[math.ceil(0.95 * len(base)) - 1]:.1f}×")
    print(f"  {len(answers) / wall:.1f} answers/s; errors: {len(errors)} {sorted(set(errors))}")
    n = max(1, len(answers))
    print(f"  CPU seconds over {wall:.1f} s wall: server {server.seconds:.2f} ({server.seconds / n * 1000:.2f} ms an "
          f"answer), PostgreSQL backends {database.seconds:.2f} ({database.seconds / n * 1000:.2f} ms an answer), "
          f"client {client:.2f}")
    print(f"  machine busy {busy:.1f} of {wall * (os.cpu_count() or 1):.1f} core-seconds (everyone's work); "
          f"load average {' '.join(load_before)} before, {' '.join(load_after)} after")
    sys.stdout.flush()


def _think(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    return float(low), float(high or low)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=30, help="length of each phase")
    parser.add_argument("--think", action="append", type=_think, help="seconds between answers, e.g. 1-3 or 0; "
                        "one phase each (default: 1-3, then 0)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="1: sync workers, as `bangfu run` (no keep-alive)")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/bangfu_bench_selfcheck")
    args = parser.parse_args()
    if args.database_url.rstrip("/").endswith("/bangfu"):
        sys.exit("refusing the shared database name `bangfu`: give a private one")

    env = {**os.environ, "DATABASE_URL": args.database_url, "DJANGO_SETTINGS_MODULE": "bangfu.config.settings.base",
           "BANGFU_VAR_DIR": str(ROOT / "var" / "bench-selfcheck"), "BANGFU_RATE_PUBLIC": "1000000/m"}
    _database(args.database_url)
    _manage(env, "migrate", "--verbosity", "0")
    _manage(env, "collectstatic", "--no-input", "--verbosity", "0")
    port = _free_port()
    server = subprocess.Popen([str(BIN / "gunicorn"), "bangfu.config.wsgi:application", "--bind", f"127.0.0.1:{port}",
                               "--workers", str(args.workers), "--threads", str(args.threads), "--backlog", "2048",
                               "--log-level", "warning"], env=env, cwd=ROOT)
    backends, watcher = _backends(args.database_url)
    try:
        for _ in range(150):
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                probe.request("GET", "/public/selfcheck/")
                probe.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        print(f"self-check benchmark: {args.users} users; load average {Path('/proc/loadavg').read_text().strip()}")
        for think in args.think or [(1.0, 3.0), (0.0, 0.0)]:
            _phase(args, port, think, server.pid, backends)
    finally:
        watcher.close()
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
