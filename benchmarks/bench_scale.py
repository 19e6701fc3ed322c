"""Benchmark: do teacher pages and grading stay fast as a school grows?

Prints, side by side in one run:

- the teacher's pages (class dashboard, item analysis of one quiz, gradebook, one
  student's page, the reports list) for classes of 30, 300 and 3,000 students with a
  year of history (12 graded attempts of 10 questions, 20 cards, 60 flashcard reviews
  and a problem report each), built straight into the database file in bulk;
- submitting (grading) one attempt at quizzes of 10, 100, 1,000 and 10,000 questions,
  every question answered;
- the log-in page with 50 slowloris connections open (``bench_slowloris.py``).

Each size gets a fresh data folder and its own ``quiz-app serve`` on 127.0.0.1; pages
are fetched over HTTP by a logged-in teacher or student. Local, bounded, stops itself.

Usage::

    .venv/bin/python benchmarks/bench_scale.py [--classes 30,300,3000]
        [--quizzes 10,100,1000,10000]

Targets (issue 13): teacher pages < 300 ms at 300 students; submit < 1 s at 1,000
questions; costs growing at most linearly.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _local import HOST, free_port, wait_for
from bench_quiz import PASSWORD, Browser

CHOICES = ["Panmunjom", "Kaesong", "Geneva", "Tokyo"]


def bank_yaml(bank_id: str, questions: int, cards: int = 0) -> str:
    lines = [
        "format: 1",
        f"id: {bank_id}",
        f"title: Bank {bank_id}",
        "topics:",
        "  t1: Topic one",
        "  t2: Topic two",
        "sources:",
        "  s:",
        "    title: A source",
        "questions:",
    ]
    for n in range(1, questions + 1):
        lines += [
            f"  - id: {bank_id}-q{n}",
            "    type: single_choice",
            f"    topic: t{1 + n % 2}",
            f"    prompt: Where, number {n}?",
            f"    choices: [{', '.join(CHOICES)}]",
            "    answer: Panmunjom",
            "    explanation: At Panmunjom.",
            "    sources: [s]",
        ]
    if cards:
        lines.append("cards:")
        for n in range(1, cards + 1):
            lines += [
                f"  - id: {bank_id}-c{n}",
                f"    front: Front {n}",
                f"    back: Back {n}",
                "    topic: t1",
                "    sources: [s]",
            ]
    return "\n".join(lines) + "\n"


MAKE_USERS = """
import sys
from quiz_app import create_app
from quiz_app.accounts.services import hash_password
app = create_app()
print(hash_password(sys.argv[1]))
"""


def _ts(value: datetime) -> str:
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")


def populate(db_path: Path, students: int, *, stored_hash: str) -> int:
    """A class of ``students`` with a year of history; returns the class id."""
    rng = random.Random(42)
    now = datetime.now(UTC)
    year_ago = now - timedelta(days=365)
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA foreign_keys=ON")
    teacher_id = conn.execute(
        "SELECT id FROM users WHERE username_key = 'teacher'"
    ).fetchone()[0]
    conn.execute(
        "INSERT INTO classes (name, teacher_id, join_code, created_at)"
        " VALUES ('Year 11', ?, 'SCALE1', ?)",
        (teacher_id, _ts(year_ago)),
    )
    class_id = conn.execute("SELECT max(id) FROM classes").fetchone()[0]
    qids = [f"hist-q{n}" for n in range(1, 21)]
    first_user = (conn.execute("SELECT max(id) FROM users").fetchone()[0] or 0) + 1
    conn.executemany(
        "INSERT INTO users (id, username, username_key, display_name, password_hash,"
        " role, timezone, session_token, created_at)"
        " VALUES (?, ?, ?, '', ?, 'student', 'UTC', ?, ?)",
        [
            (
                first_user + n,
                f"p{n:05d}",
                f"p{n:05d}",
                stored_hash,
                f"t{n}",
                _ts(year_ago),
            )
            for n in range(students)
        ],
    )
    user_ids = list(range(first_user, first_user + students))
    conn.executemany(
        "INSERT INTO class_memberships (class_id, user_id, joined_at) VALUES (?, ?, ?)",
        [(class_id, uid, _ts(year_ago)) for uid in user_ids],
    )
    attempt_id = conn.execute("SELECT max(id) FROM quiz_attempts").fetchone()[0] or 0
    conn.execute(
        "INSERT INTO assignments (class_id, quiz_id, created_at) VALUES (?, ?, ?)",
        (class_id, "hist-all", _ts(year_ago)),
    )
    attempts, answers, progress, reviews, reports = [], [], [], [], []
    for uid in user_ids:
        for k in range(12):
            attempt_id += 1
            if k == 0:
                reports.append(
                    (uid, "hist-q1", attempt_id, 1, "Is this right?", _ts(year_ago))
                )
            asked = rng.sample(qids, 10)
            started = year_ago + timedelta(days=30 * k, minutes=rng.randrange(600))
            right = [rng.random() < 0.7 for _ in asked]
            attempts.append(
                (
                    attempt_id,
                    uid,
                    "hist-all",
                    rng.randrange(2**31),
                    json.dumps(asked),
                    _ts(started),
                    _ts(started + timedelta(minutes=9)),
                    float(sum(right)),
                    10.0,
                    sum(right) >= 6,
                    "submitted",
                    60,
                )
            )
            for qid, ok in zip(asked, right, strict=True):
                answers.append(
                    (
                        attempt_id,
                        qid,
                        1,
                        json.dumps("Panmunjom" if ok else rng.choice(CHOICES[1:])),
                        1.0 if ok else 0.0,
                        ok,
                        _ts(started + timedelta(minutes=5)),
                    )
                )
        for c in range(1, 21):
            due = now + timedelta(days=rng.randrange(-5, 30))
            progress.append(
                (
                    uid,
                    f"hist-c{c}",
                    2,
                    None,
                    rng.uniform(1, 60),
                    rng.uniform(2, 8),
                    _ts(due),
                    _ts(now - timedelta(days=3)),
                    _ts(year_ago),
                    "deck",
                    3,
                    0,
                )
            )
        for r in range(60):
            reviewed = year_ago + timedelta(days=6 * r, minutes=rng.randrange(600))
            reviews.append(
                (
                    uid,
                    f"hist-c{1 + r % 20}",
                    rng.choice((1, 3, 3, 3, 4)),
                    _ts(reviewed),
                    4000,
                    2,
                    "{}",
                    float(rng.randrange(1, 30)),
                )
            )
    conn.executemany(
        "INSERT INTO quiz_attempts (id, user_id, quiz_id, seed, question_ids,"
        " started_at, submitted_at, score, max_score, is_passed, status, pass_mark)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        attempts,
    )
    conn.executemany(
        "INSERT INTO attempt_answers (attempt_id, question_id, question_version,"
        " response, score, is_correct, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        answers,
    )
    conn.executemany(
        "INSERT INTO card_progress (user_id, card_id, phase, step, stability,"
        " difficulty, due_at, last_reviewed_at, added_at, origin, review_count,"
        " lapse_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        progress,
    )
    conn.executemany(
        "INSERT INTO review_logs (user_id, card_id, rating, reviewed_at, duration_ms,"
        " phase_before, state_before, interval_days) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        reviews,
    )
    conn.executemany(
        "INSERT INTO reports (user_id, question_id, attempt_id, question_version,"
        " comment, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        reports,
    )
    conn.commit()
    conn.close()
    return int(class_id)


class Server:
    """A fresh data folder with the given banks, and ``quiz-app serve`` on it."""

    def __init__(self, tmp: Path, banks: dict[str, str]) -> None:
        self.tmp = tmp
        (tmp / "banks").mkdir(parents=True)
        for bank_id, text in banks.items():
            (tmp / "banks" / f"{bank_id}.yaml").write_text(text, encoding="utf-8")
        self.env = {
            **os.environ,
            "QUIZ_DATA_DIR": str(tmp / "data"),
            "QUIZ_BANKS_DIR": str(tmp / "banks"),
            "QUIZ_MAX_BANK_BYTES": str(64 * 1024 * 1024),
        }
        self.quiz_app = str(Path(sys.executable).with_name("quiz-app"))
        self._run(["db", "upgrade"])
        self._run(["banks", "import", str(tmp / "banks")])
        self._run(["create-teacher", "teacher", "--password", PASSWORD])
        self.db = tmp / "data" / "quiz.sqlite"
        self.proc: subprocess.Popen[bytes] | None = None
        self.base = ""

    def _run(self, args: list[str]) -> str:
        return subprocess.run(
            [self.quiz_app, *args],
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def start(self) -> None:
        port = free_port()
        self.base = f"http://{HOST}:{port}"
        self.proc = subprocess.Popen(
            [self.quiz_app, "serve", "--host", HOST, "--port", str(port)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=(self.tmp / "server.log").open("wb"),
        )
        wait_for(self.base + "/healthz", timeout_s=300)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=30)


def login(base: str, username: str) -> Browser:
    browser = Browser(base)
    token = browser.csrf("/account/login")
    target = browser.post(
        "/account/login",
        {"username": username, "password": PASSWORD, "csrf_token": token},
    )
    if "login" in target:
        raise RuntimeError(f"{username} could not log in")
    return browser


def _get(browser: Browser, path: str) -> None:
    with browser.opener.open(browser.base + path, timeout=300) as response:
        if response.status != 200:
            raise RuntimeError(f"{path}: {response.status}")
        response.read()


def _post(browser: Browser, path: str, data: dict[str, str]) -> str:
    """Browser.post with a long timeout: the redirect target."""
    body = urllib.parse.urlencode(data).encode()
    try:
        browser.opener.open(browser.base + path, data=body, timeout=300)
    except urllib.error.HTTPError as error:
        if error.code in (302, 303):
            return str(error.headers["Location"])
        raise
    raise RuntimeError(f"POST {path} did not redirect")


def timed_get(browser: Browser, path: str, repeat: int) -> float:
    """Median milliseconds of ``repeat`` GETs (after one warm-up)."""
    _get(browser, path)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        _get(browser, path)
        times.append(time.perf_counter() - t)
    return 1000 * statistics.median(times)


#: The teacher's pages timed for each class size: name -> path (class id filled in).
PAGES = {
    "dashboard": "/teach/classes/{class_id}",
    "item analysis": "/teach/classes/{class_id}/quizzes/hist-all",
    "gradebook": "/teach/classes/{class_id}/gradebook",
    "student": "/teach/classes/{class_id}/students/{student_id}",
    "reports": "/teach/reports",
}


def bench_class(size: int, repeat: int) -> tuple[dict[str, float], float]:
    """Median ms per teacher page for a class of ``size``, and seconds to build it."""
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp_name:
        server = Server(Path(tmp_name), {"hist": bank_yaml("hist", 20, cards=20)})
        stored = subprocess.run(
            [sys.executable, "-c", MAKE_USERS, PASSWORD],
            env=server.env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        t = time.perf_counter()
        class_id = populate(server.db, size, stored_hash=stored)
        built = time.perf_counter() - t
        conn = sqlite3.connect(server.db)
        student_id = conn.execute(
            "SELECT min(user_id) FROM class_memberships WHERE class_id = ?",
            (class_id,),
        ).fetchone()[0]
        conn.close()
        server.start()
        try:
            teacher = login(server.base, "teacher")
            times = {
                name: timed_get(
                    teacher,
                    path.format(class_id=class_id, student_id=student_id),
                    repeat,
                )
                for name, path in PAGES.items()
            }
        finally:
            server.stop()
    return times, built


def bench_slowloris() -> list[str]:
    """bench_slowloris.py's own report (50 slow connections, 10 probes)."""
    script = Path(__file__).with_name("bench_slowloris.py")
    result = subprocess.run(
        [sys.executable, str(script), "--slow", "50", "--probes", "10"],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return (result.stdout + result.stderr).strip().splitlines()


def bench_submit(sizes: list[int]) -> dict[int, float]:
    """Milliseconds to submit one fully answered attempt, per quiz size."""
    with tempfile.TemporaryDirectory(prefix="bench-submit-") as tmp_name:
        server = Server(
            Path(tmp_name), {f"n{size}": bank_yaml(f"n{size}", size) for size in sizes}
        )
        server.start()
        results: dict[int, float] = {}
        try:
            student = Browser(server.base)
            token = student.csrf("/account/signup")
            t = time.perf_counter()
            _post(
                student,
                "/account/signup",
                {
                    "username": "student",
                    "password": PASSWORD,
                    "confirm": PASSWORD,
                    "csrf_token": token,
                },
            )
            for size in sizes:
                quiz = f"n{size}-all"
                token = student.csrf(f"/quiz/{quiz}")
                target = _post(student, f"/quiz/{quiz}/start", {"csrf_token": token})
                attempt = int(re.search(r"/quiz/attempt/(\d+)", target).group(1))  # type: ignore[union-attr]
                conn = sqlite3.connect(server.db, timeout=30)
                asked = json.loads(
                    conn.execute(
                        "SELECT question_ids FROM quiz_attempts WHERE id = ?",
                        (attempt,),
                    ).fetchone()[0]
                )
                now = _ts(datetime.now(UTC))
                conn.executemany(
                    "INSERT INTO attempt_answers (attempt_id, question_id,"
                    " question_version, response, answered_at) VALUES (?, ?, 1, ?, ?)",
                    [
                        (attempt, qid, json.dumps(CHOICES[n % 4]), now)
                        for n, qid in enumerate(asked)
                    ],
                )
                conn.commit()
                conn.close()
                # The token from question 1: the review page lists every answer, and
                # at 10,000 questions takes longer than the client waits.
                token = student.csrf(f"/quiz/attempt/{attempt}?q=1")
                t = time.perf_counter()
                target = _post(
                    student, f"/quiz/attempt/{attempt}/submit", {"csrf_token": token}
                )
                results[size] = 1000 * (time.perf_counter() - t)
                if not target.endswith("/results"):
                    raise RuntimeError(f"submit of {size} went to {target}")
        finally:
            server.stop()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--classes", default="30,300,3000")
    parser.add_argument("--quizzes", default="10,100,1000,10000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--no-slowloris", dest="slowloris", action="store_false", help="skip it"
    )
    args = parser.parse_args()
    classes = [int(x) for x in args.classes.split(",") if x]
    quizzes = [int(x) for x in args.quizzes.split(",") if x]
    started = time.perf_counter()
    print(
        f"bench_scale: quiz-app serve on loopback, {os.cpu_count()} CPUs, load average "
        f"at start {' '.join(f'{x:.1f}' for x in os.getloadavg())}",
        flush=True,
    )
    print("median ms per teacher page (a year of history per student)")
    print(f"{'students':>9}" + "".join(f"{name:>15}" for name in PAGES) + "   built s")
    class_rows = {}
    for size in classes:
        times, built = class_rows[size] = bench_class(size, args.repeat)
        print(
            f"{size:>9}"
            + "".join(f"{times[name]:>15.0f}" for name in PAGES)
            + f"{built:>10.1f}",
            flush=True,
        )
    submit = bench_submit(quizzes) if quizzes else {}
    print(f"{'questions':>9}{'submit ms':>14}{'ms per 1,000':>18}")
    for size, ms in submit.items():
        print(f"{size:>9}{ms:>14.0f}{1000 * ms / size:>18.1f}")
    slow = bench_slowloris() if args.slowloris else []
    if slow:
        print("slowloris (bench_slowloris.py --slow 50 --probes 10):")
        for line in slow:
            print(f"  {line}")
    print(
        f"whole run {time.perf_counter() - started:.0f} s; load average at end "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    ok = all(
        all(ms < 300 for ms in times.values())
        for s, (times, _) in class_rows.items()
        if s <= 300
    )
    ok = ok and all(ms < 1000 for s, ms in submit.items() if s <= 1000)
    print(
        f"targets (teacher pages < 300 ms at 300; submit < 1 s at 1,000): "
        f"{'met' if ok else 'NOT met'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
