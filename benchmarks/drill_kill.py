"""Drill: kill -9 the server again and again while students answer; lose nothing.

Starts ``quiz-app serve`` on 127.0.0.1 with a fresh data folder and a quiz of
``--questions`` numeric questions; ``--students`` client threads each start an attempt
and save answers in a loop, each answer a larger number than the last. Every
``--interval`` seconds the server is killed with SIGKILL and started again, ``--kills``
times. A save counts as acknowledged when its redirect arrived. Afterwards it checks,
straight in the database file: every acknowledged answer is there (or a later one),
``PRAGMA integrity_check`` is ok; then that every attempt still opens and submits.
Everything is local, bounded in count and time, and stops by itself.

Usage::

    .venv/bin/python benchmarks/drill_kill.py [--kills 20] [--students 50]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _local import HOST, free_port, wait_for
from bench_quiz import PASSWORD, Browser

MAKE_STUDENTS = """
import sys
from quiz_app import create_app
from quiz_app.accounts.services import create_user, hash_password
from quiz_app.clock import utcnow
from quiz_app.extensions import db, write_transaction

app = create_app()
with app.app_context(), write_transaction():
    stored = hash_password(sys.argv[2])
    for n in range(int(sys.argv[1])):
        create_user(f"s{n:04d}", "", password_hash=stored, now=utcnow())
    db.session.commit()
"""


def bank_yaml(questions: int) -> str:
    lines = [
        "format: 1",
        "id: drill",
        "title: Drill bank",
        "topics:",
        "  t: Topic",
        "sources:",
        "  s:",
        "    title: A source",
        "questions:",
    ]
    for n in range(1, questions + 1):
        lines += [
            f"  - id: drill-q{n}",
            "    type: numeric",
            "    topic: t",
            f"    prompt: Number {n}?",
            "    answer: 1953",
            "    explanation: Any number will do.",
            "    sources: [s]",
        ]
    lines += [
        "quizzes:",
        "  - id: drill-quiz",
        "    title: Drill",
        "    shuffle: false",
    ]
    return "\n".join(lines) + "\n"


class Student(threading.Thread):
    """Logs in, starts the quiz, then saves ever larger numbers until stopped."""

    def __init__(self, base: str, username: str, questions: int) -> None:
        super().__init__(daemon=True)
        self.base, self.username, self.questions = base, username, questions
        self.stop = threading.Event()
        #: question position -> the largest acknowledged value
        self.acked: dict[int, int] = {}
        self.sent = self.failed = 0
        self.browser = Browser(base)
        token = self.browser.csrf("/account/login")
        self.browser.post(
            "/account/login",
            {"username": username, "password": PASSWORD, "csrf_token": token},
        )
        self.token = self.browser.csrf("/quiz/drill-quiz")
        target = self.browser.post("/quiz/drill-quiz/start", {"csrf_token": self.token})
        self.attempt = int(re.search(r"/quiz/attempt/(\d+)", target).group(1))  # type: ignore[union-attr]

    def run(self) -> None:
        counter = 0
        while not self.stop.is_set():
            counter += 1
            position = counter % self.questions + 1
            form = {
                "csrf_token": self.token,
                "page": str(position),
                "action": "save",
                f"q{position}": str(counter),
            }
            self.sent += 1
            try:
                target = self.browser.post(f"/quiz/attempt/{self.attempt}/answer", form)
            except Exception:  # noqa: BLE001 - the server is down: not acknowledged
                self.failed += 1
                self.stop.wait(0.2)
                continue
            if f"q={position}" in target or f"q={position + 1}" in target:
                self.acked[position] = counter
            self.stop.wait(0.05)


def serve(
    quiz_app: str, env: dict[str, str], port: int, log: Path
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [quiz_app, "serve", "--host", HOST, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("ab"),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--students", type=int, default=50)
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--interval", type=float, default=3, help="s between kills")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="drill-kill-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "banks").mkdir()
        (tmp / "banks" / "drill.yaml").write_text(bank_yaml(args.questions), "utf-8")
        data = tmp / "data"
        env = {
            **os.environ,
            "QUIZ_DATA_DIR": str(data),
            "QUIZ_BANKS_DIR": str(tmp / "banks"),
        }
        quiz_app = str(Path(sys.executable).with_name("quiz-app"))
        run = {"env": env, "check": True, "capture_output": True}
        subprocess.run([quiz_app, "db", "upgrade"], **run)  # type: ignore[call-overload]
        subprocess.run(  # type: ignore[call-overload]
            [quiz_app, "create-teacher", "teacher", "--password", PASSWORD], **run
        )
        subprocess.run(  # type: ignore[call-overload]
            [sys.executable, "-c", MAKE_STUDENTS, str(args.students), PASSWORD], **run
        )
        port = free_port()
        base = f"http://{HOST}:{port}"
        log = Path(os.environ.get("DRILL_LOG", tmp / "server.log"))
        server = serve(quiz_app, env, port, log)
        restarts: list[float] = []
        try:
            wait_for(base + "/healthz")
            students = [
                Student(base, f"s{n:04d}", args.questions) for n in range(args.students)
            ]
            for student in students:
                student.start()
            for _ in range(args.kills):
                time.sleep(args.interval)
                server.send_signal(signal.SIGKILL)
                server.wait()
                started = time.perf_counter()
                server = serve(quiz_app, env, port, log)
                wait_for(base + "/healthz", timeout_s=120)
                restarts.append(time.perf_counter() - started)
            time.sleep(args.interval)
            for student in students:
                student.stop.set()
            for student in students:
                student.join(timeout=15)
            lost, checked = 0, 0
            conn = sqlite3.connect(data / "quiz.sqlite")
            integrity = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            for student in students:
                saved = {
                    qid: json.loads(response) if response else None
                    for qid, response in conn.execute(
                        "SELECT question_id, response FROM attempt_answers"
                        " WHERE attempt_id = ?",
                        (student.attempt,),
                    )
                }
                for position, value in student.acked.items():
                    checked += 1
                    stored = saved.get(f"drill-q{position}")
                    if stored is None or int(float(str(stored))) < value:
                        lost += 1
            conn.close()
            resumed = submitted = 0
            for student in students:
                page = student.browser.get(f"/quiz/attempt/{student.attempt}?q=1")
                resumed += 'name="q1"' in page
                token = student.browser.csrf(f"/quiz/attempt/{student.attempt}/submit")
                target = student.browser.post(
                    f"/quiz/attempt/{student.attempt}/submit", {"csrf_token": token}
                )
                submitted += target.endswith("/results")
        finally:
            server.terminate()
            server.wait(timeout=20)
    sent = sum(s.sent for s in students)
    failed = sum(s.failed for s in students)
    print(
        f"{args.kills} kill -9 of the server, every {args.interval:.0f} s, while "
        f"{args.students} students saved answers; load average "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    print(
        f"saves sent {sent}, failed while the server was down {failed}; restart to "
        f"first answer: median {sorted(restarts)[len(restarts) // 2]:.1f} s, "
        f"max {max(restarts):.1f} s"
    )
    print(f"acknowledged answers checked: {checked}; lost: {lost}")
    print(f"integrity_check: {', '.join(integrity[:3])}")
    print(f"attempts resumable: {resumed}/{args.students}; submitted: {submitted}")
    ok = lost == 0 and integrity == ["ok"] and resumed == submitted == args.students
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
