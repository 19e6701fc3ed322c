"""Benchmark: saving a quiz answer over HTTP vs a bare Flask app's one SQLite insert.

The quiz app runs under ``quiz-app serve`` (waitress, ``--workers`` request threads in
one process); the bare app under gunicorn with that many sync worker processes, on
127.0.0.1 in the same run; ``wrk`` loads both with the same connections and duration.
The quiz request
is the real one: a logged-in student's POST with a CSRF token, form validation, grading
and one write (the answer row upserted), answered with a redirect (PRG).

Usage::

    .venv/bin/python benchmarks/bench_quiz.py [--duration 10] [--connections 50]

Needs ``wrk`` (Debian: ``apt-get install wrk``). Targets: quiz throughput at least half
of the bare endpoint's, p99 under 100 ms at 50 connections.
"""

from __future__ import annotations

import argparse
import html
import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from _local import HOST, free_port, wait_for

#: Flask-Login's "strong" session protection ties the session to the User-Agent, so the
#: setup client and wrk must send the same one.
USER_AGENT = "bench-quiz/1"
PASSWORD = "benchmark pass phrase 42"

BANK_YAML = """\
format: 1
id: bench
title: Benchmark bank
topics:
  t: Topic
sources:
  s:
    title: A source
questions:
  - id: bench-q1
    type: single_choice
    topic: t
    prompt: Where was the Armistice Agreement signed?
    choices: [Panmunjom, Kaesong, Geneva, Tokyo]
    answer: Panmunjom
    explanation: At Panmunjom, on 27 July 1953.
    sources: [s]
  - id: bench-q2
    type: numeric
    topic: t
    prompt: In what year was it signed?
    answer: 1953
    explanation: 27 July 1953.
    sources: [s]
quizzes:
  - id: bench-quiz
    title: Benchmark quiz
    shuffle: false
"""

BARE_APP = '''\
"""A bare Flask app: one SQLite insert per POST, the yardstick for the quiz endpoint."""
import os
import sqlite3

from flask import Flask, request

app = Flask(__name__)
DB = os.environ["BARE_DB"]


_conn = None


def _connection():
    """One connection per worker process, opened after gunicorn forks."""
    global _conn
    if _conn is None:
        _conn = sqlite3.connect(DB, timeout=15, isolation_level=None)
        _conn.execute("PRAGMA journal_mode=WAL")
        _conn.execute("PRAGMA synchronous=NORMAL")
        _conn.execute(
            "CREATE TABLE IF NOT EXISTS answers (id INTEGER PRIMARY KEY, question TEXT,"
            " response TEXT, answered_at TEXT DEFAULT CURRENT_TIMESTAMP)"
        )
    return _conn


@app.post("/insert")
def insert():
    conn = _connection()
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(
            "INSERT INTO answers (question, response) VALUES (?, ?)",
            (request.form.get("page", ""), request.form.get("q1", "")),
        )
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return "", 204
'''

#: wrk script: the POST to send, and a count of responses that are not the expected one
#: (a redirect to the login page would otherwise pass as a fast success).
WRK_SCRIPT = """\
wrk.method = "POST"
wrk.body = "{body}"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "{cookie}"
wrk.headers["User-Agent"] = "{user_agent}"
local threads = {{}}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body)
  local location = headers["Location"] or ""
  if status ~= {status} or not string.find(location, "{location}", 1, true) then
    bad = bad + 1
  end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("bad") end
  io.write("Unexpected responses: " .. total .. "\\n")
end
"""


@dataclass
class Result:
    name: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int
    #: CPU time of the server's processes per request (Linux only, else None)
    cpu_ms: float | None = None


def _process_tree(pid: int) -> list[int]:
    """The pid and its descendants (gunicorn's master and workers), from /proc."""
    pids = [pid]
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        pids.extend(_process_tree(int(child)))
    return pids


def _cpu_seconds(pid: int) -> float | None:
    """User plus system CPU time of a process tree so far, or None off Linux."""
    try:
        total = 0
        for member in _process_tree(pid):
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    except (OSError, ValueError):
        return None
    return total / os.sysconf("SC_CLK_TCK")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Browser:
    """Just enough of a browser: cookies, CSRF tokens from pages, form posts."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )
        self.opener.addheaders = [("User-Agent", USER_AGENT)]

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=10) as response:
            return str(response.read().decode())

    def post(self, path: str, data: dict[str, str]) -> str:
        """POST a form; returns the redirect target (every quiz POST redirects)."""
        body = urllib.parse.urlencode(data).encode()
        try:
            self.opener.open(self.base + path, data=body, timeout=10)
        except urllib.error.HTTPError as error:
            if error.code in (302, 303):
                return str(error.headers["Location"])
            raise
        raise RuntimeError(f"POST {path} did not redirect")

    def csrf(self, path: str) -> str:
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.get(path))
        if not match:
            raise RuntimeError(f"no CSRF token on {path}")
        return html.unescape(match.group(1))

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def _run_wrk(
    name: str,
    url: str,
    script: Path,
    *,
    server: subprocess.Popen[bytes],
    duration: int,
    connections: int,
    threads: int,
) -> Result:
    cpu_before = _cpu_seconds(server.pid)
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "5s",
            "--latency",
            "-s",
            str(script),
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    cpu_after = _cpu_seconds(server.pid)
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    return Result(
        name=name,
        requests_per_s=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        p50_ms=_latency_ms(out, "50%"),
        p99_ms=_latency_ms(out, "99%"),
        errors=_errors(out),
        requests=requests,
        cpu_ms=(
            1000 * (cpu_after - cpu_before) / requests
            if cpu_before is not None and cpu_after is not None and requests
            else None
        ),
    )


def _latency_ms(out: str, percentile: str) -> float:
    match = re.search(
        rf"^\s+{re.escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", out, re.M
    )
    if not match:
        raise RuntimeError(f"no {percentile} latency in wrk output:\n{out}")
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def _errors(out: str) -> int:
    total = 0
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    if socket_errors:
        total += sum(int(n) for n in socket_errors.groups())
    unexpected = re.search(r"Unexpected responses: (\d+)", out)
    if unexpected is None:
        raise RuntimeError(f"the wrk script did not report:\n{out}")
    return total + int(unexpected.group(1))  # includes any 4xx/5xx


def _serve_quiz(tmp: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "QUIZ_DATA_DIR": str(tmp / "data"),
        "QUIZ_BANKS_DIR": str(tmp / "banks"),
    }
    quiz_app = str(Path(sys.executable).with_name("quiz-app"))
    subprocess.run(
        [quiz_app, "db", "upgrade"], env=env, check=True, capture_output=True
    )
    subprocess.run(
        [quiz_app, "create-teacher", "teacher", "--password", PASSWORD],
        env=env,
        check=True,
        capture_output=True,
    )
    return subprocess.Popen(
        [quiz_app, "serve", "--host", HOST, "--port", str(port)]
        + ["--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp / "quiz-server.log").open("wb"),
    )


def _serve_bare(tmp: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    (tmp / "bare_app.py").write_text(BARE_APP, encoding="utf-8")
    env = {**os.environ, "BARE_DB": str(tmp / "bare.sqlite")}
    return subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "--chdir", str(tmp)]
        + ["-w", str(workers), "-b", f"{HOST}:{port}", "--access-logfile", "-"]
        + ["bare_app:app"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp / "bare-server.log").open("wb"),
    )


def _prepare_student(base: str) -> tuple[str, str, str]:
    """Sign up a student and start an attempt; returns (answer URL, body, cookie)."""
    browser = Browser(base)
    signup = {
        "username": "student",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "csrf_token": browser.csrf("/account/signup"),
    }
    browser.post("/account/signup", signup)
    if "session" not in browser.cookie_header():  # sign-up did not log in: do it
        login = {"username": "student", "password": PASSWORD}
        browser.post(
            "/account/login", {**login, "csrf_token": browser.csrf("/account/login")}
        )
    token = browser.csrf("/quiz/bench-quiz")
    location = browser.post("/quiz/bench-quiz/start", {"csrf_token": token})
    attempt_id = re.search(r"/quiz/attempt/(\d+)", location).group(1)  # type: ignore[union-attr]
    page = browser.get(f"/quiz/attempt/{attempt_id}?q=1")
    if 'name="q1"' not in page:
        raise RuntimeError("the attempt page has no question 1")
    form = {"csrf_token": token, "page": "1", "action": "save", "q1": "Panmunjom"}
    # Check the request works once before loading it.
    target = browser.post(f"/quiz/attempt/{attempt_id}/answer", form)
    if "q=1" not in target:
        raise RuntimeError(f"answer POST went to {target}, not back to the question")
    return (
        f"{base}/quiz/attempt/{attempt_id}/answer",
        urllib.parse.urlencode(form),
        browser.cookie_header(),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per run")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--workers", type=int, default=8, help="quiz threads and bare processes"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="bench-quiz-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "banks").mkdir()
        (tmp / "banks" / "bench.yaml").write_text(BANK_YAML, encoding="utf-8")
        quiz_port, bare_port = free_port(), free_port()
        quiz = _serve_quiz(tmp, quiz_port, args.workers)
        bare = _serve_bare(tmp, bare_port, args.workers)
        try:
            quiz_base, bare_base = (
                f"http://{HOST}:{quiz_port}",
                f"http://{HOST}:{bare_port}",
            )
            wait_for(quiz_base + "/healthz")
            _wait_for_bare(bare_base)
            url, body, cookie = _prepare_student(quiz_base)
            quiz_script = tmp / "quiz.lua"
            quiz_script.write_text(
                WRK_SCRIPT.format(
                    body=body,
                    cookie=cookie,
                    user_agent=USER_AGENT,
                    status=302,
                    location="?q=1",
                )
            )
            bare_script = tmp / "bare.lua"
            bare_script.write_text(
                WRK_SCRIPT.format(
                    body=body, cookie="", user_agent=USER_AGENT, status=204, location=""
                )
            )
            opts = {
                "duration": args.duration,
                "connections": args.connections,
                "threads": args.threads,
            }
            results = [
                _run_wrk(
                    "bare insert",
                    bare_base + "/insert",
                    bare_script,
                    server=bare,
                    **opts,
                ),
                _run_wrk("quiz answer", url, quiz_script, server=quiz, **opts),
            ]
        finally:
            _stop(quiz)
            _stop(bare)
    _report(results, args)
    bare_r, quiz_r = results
    ok = (
        quiz_r.requests_per_s >= bare_r.requests_per_s / 2
        and quiz_r.p99_ms < 100
        and quiz_r.errors == 0
    )
    return 0 if ok else 1


def _wait_for_bare(base: str, *, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(
                base + "/insert", data=b"page=0", method="POST"
            )
            with urllib.request.urlopen(request, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise RuntimeError(f"{base} did not come up within {timeout_s} s")


def _report(results: list[Result], args: argparse.Namespace) -> None:
    print(
        f"{args.connections} connections, {args.threads} wrk threads, "
        f"{args.duration} s each; quiz: waitress with {args.workers} threads, "
        f"bare: gunicorn with {args.workers} sync workers; "
        f"SQLite in WAL mode; loopback; {os.cpu_count()} CPUs"
    )
    header = ("endpoint", "req/s", "p50 ms", "p99 ms", "errors", "requests", "CPU ms")
    print(f"{header[0]:<14}" + "".join(f"{h:>10}" for h in header[1:]))
    for r in results:
        cpu = "n/a" if r.cpu_ms is None else f"{r.cpu_ms:.3f}"
        print(
            f"{r.name:<14}{r.requests_per_s:>10.1f}{r.p50_ms:>10.2f}{r.p99_ms:>10.2f}"
            f"{r.errors:>10}{r.requests:>10}{cpu:>10}"
        )
    bare_r, quiz_r = results
    ratio = (
        quiz_r.requests_per_s / bare_r.requests_per_s if bare_r.requests_per_s else 0
    )
    print(
        f"quiz/bare throughput ratio: {ratio:.2f} (target >= 0.50); "
        f"quiz p99 {quiz_r.p99_ms:.1f} ms (target < 100 ms)"
    )
    print(
        "CPU ms: server processes' CPU time (all their processes) per request;"
        f" load average now {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )


if __name__ == "__main__":
    sys.exit(main())
