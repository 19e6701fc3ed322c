"""Drill: a class logs in and starts the same quiz at once, while others save answers.

Starts ``quiz-app serve`` on 127.0.0.1 with a fresh data folder and ``--students``
accounts, then starts one client thread per student, spread over ``--spread`` seconds;
each GETs the log-in page, logs in, opens the quiz and starts it, and opens question 1.
Meanwhile ``--savers`` students already mid-quiz save an answer every 0.2 s. Prints
errors and p50/p99 per step, the savers' latencies, and the password hash's cost.
Everything is local, bounded in count and time, and stops by itself.

Usage::

    .venv/bin/python benchmarks/drill_login.py --students 30
    .venv/bin/python benchmarks/drill_login.py --students 300

Targets (issue 13): 300 students on question 1 within 15 s, savers' p99 < 500 ms,
0 errors.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _local import HOST, free_port, wait_for
from bench_quiz import BANK_YAML, PASSWORD, Browser, _cpu_seconds

STEPS = ("login page", "log in", "quiz page", "start", "question 1")

MAKE_STUDENTS = """
import sys
from quiz_app import create_app
from quiz_app.accounts.services import create_user, hash_password
from quiz_app.clock import utcnow
from quiz_app.extensions import db, write_transaction

app = create_app()
with app.app_context(), write_transaction():
    stored = hash_password(sys.argv[2])  # one hash for all: hashing is slow on purpose
    for n in range(int(sys.argv[1])):
        create_user(f"s{n:04d}", "", password_hash=stored, now=utcnow())
    db.session.commit()
"""


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def hash_cost_ms() -> tuple[float, float]:
    """Milliseconds (wall, and CPU of this thread) of one password check."""
    from quiz_app.accounts.passwords import hash_password, verify_password

    stored = hash_password(PASSWORD)
    wall, cpu = time.perf_counter(), time.thread_time()
    for _ in range(5):
        verify_password(stored, PASSWORD)
    return (
        (time.perf_counter() - wall) / 5 * 1000,
        (time.thread_time() - cpu) / 5 * 1000,
    )


def student_journey(
    base: str, username: str, timings: dict[str, list[float]], errors: list[str]
) -> float | None:
    """Log in, start the quiz, open question 1; returns seconds to question 1."""
    browser = Browser(base)
    started = time.perf_counter()
    step = STEPS[0]
    try:
        t = time.perf_counter()
        token = browser.csrf("/account/login")
        timings[step].append(time.perf_counter() - t)
        step = STEPS[1]
        t = time.perf_counter()
        target = browser.post(
            "/account/login",
            {"username": username, "password": PASSWORD, "csrf_token": token},
        )
        timings[step].append(time.perf_counter() - t)
        if "login" in target:
            raise RuntimeError(f"log-in went to {target}")
        step = STEPS[2]
        t = time.perf_counter()
        token = browser.csrf("/quiz/bench-quiz")
        timings[step].append(time.perf_counter() - t)
        step = STEPS[3]
        t = time.perf_counter()
        target = browser.post("/quiz/bench-quiz/start", {"csrf_token": token})
        timings[step].append(time.perf_counter() - t)
        attempt = re.search(r"/quiz/attempt/(\d+)", target)
        if attempt is None:
            raise RuntimeError(f"start went to {target}")
        step = STEPS[4]
        t = time.perf_counter()
        page = browser.get(f"/quiz/attempt/{attempt.group(1)}?q=1")
        timings[step].append(time.perf_counter() - t)
        if 'name="q1"' not in page:
            raise RuntimeError("no question 1")
    except Exception as error:  # noqa: BLE001 - every failure is a drill result
        errors.append(f"{username} at {step}: {error}")
        return None
    return time.perf_counter() - started


class Saver(threading.Thread):
    """A student mid-quiz who saves an answer every 0.2 s until stopped."""

    def __init__(self, base: str, username: str, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.base, self.username, self.stop = base, username, stop
        self.latencies: list[float] = []
        self.errors = 0
        self.browser = Browser(base)
        token = self.browser.csrf("/account/login")
        self.browser.post(
            "/account/login",
            {"username": username, "password": PASSWORD, "csrf_token": token},
        )
        self.token = self.browser.csrf("/quiz/bench-quiz")
        target = self.browser.post("/quiz/bench-quiz/start", {"csrf_token": self.token})
        self.attempt = re.search(r"/quiz/attempt/(\d+)", target).group(1)  # type: ignore[union-attr]

    def run(self) -> None:
        form = {"csrf_token": self.token, "page": "1", "action": "save"}
        while not self.stop.is_set():
            t = time.perf_counter()
            try:
                self.browser.post(
                    f"/quiz/attempt/{self.attempt}/answer", {**form, "q1": "Panmunjom"}
                )
                self.latencies.append(time.perf_counter() - t)
            except Exception:  # noqa: BLE001
                self.errors += 1
            self.stop.wait(0.2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--savers", type=int, default=10)
    parser.add_argument("--spread", type=float, default=10, help="seconds")
    parser.add_argument(
        "--server-log", type=Path, help="keep the server's log (one line a request)"
    )
    parser.add_argument("serve_args", nargs="*", help="extra `quiz-app serve` args")
    args = parser.parse_args()
    wall_ms, cpu_ms = hash_cost_ms()
    with tempfile.TemporaryDirectory(prefix="drill-login-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "banks").mkdir()
        (tmp / "banks" / "bench.yaml").write_text(BANK_YAML, encoding="utf-8")
        env = {
            **os.environ,
            "QUIZ_DATA_DIR": str(tmp / "data"),
            "QUIZ_BANKS_DIR": str(tmp / "banks"),
        }
        quiz_app = str(Path(sys.executable).with_name("quiz-app"))
        run = {"env": env, "check": True, "capture_output": True}
        subprocess.run([quiz_app, "db", "upgrade"], **run)  # type: ignore[call-overload]
        subprocess.run(  # type: ignore[call-overload]
            [quiz_app, "create-teacher", "teacher", "--password", PASSWORD], **run
        )
        total = args.students + args.savers
        subprocess.run(  # type: ignore[call-overload]
            [sys.executable, "-c", MAKE_STUDENTS, str(total), PASSWORD], **run
        )
        port = free_port()
        server = subprocess.Popen(
            [quiz_app, "serve", "--host", HOST, "--port", str(port), *args.serve_args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(tmp / "server.log").open("wb"),
        )
        try:
            base = f"http://{HOST}:{port}"
            wait_for(base + "/healthz")
            stop = threading.Event()
            savers = [
                Saver(base, f"s{args.students + n:04d}", stop)
                for n in range(args.savers)
            ]
            for saver in savers:
                saver.start()
            time.sleep(1)
            timings: dict[str, list[float]] = {step: [] for step in STEPS}
            errors: list[str] = []
            totals: list[float] = []
            lock = threading.Lock()

            def one(n: int) -> None:
                time.sleep(args.spread * n / max(1, args.students))
                took = student_journey(base, f"s{n:04d}", timings, errors)
                if took is not None:
                    with lock:
                        totals.append(took)

            storm_start = time.perf_counter()
            server_cpu_start = _cpu_seconds(server.pid) or 0.0
            client_cpu_start = time.process_time()
            threads = [
                threading.Thread(target=one, args=(n,), daemon=True)
                for n in range(args.students)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
            storm_s = time.perf_counter() - storm_start
            # Client and server share this machine's cores: say who used them.
            server_cpu = (_cpu_seconds(server.pid) or 0.0) - server_cpu_start
            client_cpu = time.process_time() - client_cpu_start
            stop.set()
            for saver in savers:
                saver.join(timeout=5)
        finally:
            server.terminate()
            server.wait(timeout=20)
            if args.server_log:
                args.server_log.write_bytes((tmp / "server.log").read_bytes())
    print(
        f"{args.students} students log in and start one quiz within "
        f"{args.spread:.0f} s; {args.savers} others save an answer every 0.2 s; "
        f"quiz-app serve {' '.join(args.serve_args)}; {os.cpu_count()} CPUs, loopback;"
        f" load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    print(
        "password check (Argon2id m=19 MiB t=2 p=1): "
        f"{wall_ms:.0f} ms wall, {cpu_ms:.0f} ms CPU each; "
        f"{args.students} log-ins need {args.students * cpu_ms / 1000:.1f} CPU-s"
    )
    print(
        f"CPU during the log-ins ({storm_s:.1f} s): server {server_cpu:.1f} s, "
        f"this drill's clients {client_cpu:.1f} s, "
        f"of {storm_s * (os.cpu_count() or 1):.1f} CPU-s"
    )
    print(f"{'step':<12}{'n':>6}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    for step in STEPS:
        values = timings[step]
        if values:
            print(
                f"{step:<12}{len(values):>6}{1000 * percentile(values, 50):>10.0f}"
                f"{1000 * percentile(values, 99):>10.0f}{1000 * max(values):>10.0f}"
            )
    saves = [x for s in savers for x in s.latencies]
    save_errors = sum(s.errors for s in savers)
    if totals:
        print(
            f"on question 1: {len(totals)}/{args.students}; journey p50 "
            f"{statistics.median(totals):.1f} s, max {max(totals):.1f} s; "
            f"last student on question 1 after {storm_s:.1f} s"
        )
    if saves:
        print(
            f"mid-quiz saves: {len(saves)}, "
            f"p50 {1000 * percentile(saves, 50):.0f} ms, "
            f"p99 {1000 * percentile(saves, 99):.0f} ms, "
            f"max {1000 * max(saves):.0f} ms, errors {save_errors}"
        )
    print(f"errors: {len(errors)}")
    for error in errors[:5]:
        print(f"  {error}")
    return 0 if not errors and not save_errors else 1


if __name__ == "__main__":
    sys.exit(main())
