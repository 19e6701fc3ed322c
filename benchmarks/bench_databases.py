"""Benchmark: saving a quiz answer over HTTP on SQLite and on PostgreSQL, side by side
in one run.

The same app, bank, request threads and load for both: ``quiz-app serve`` (waitress)
on 127.0.0.1, a logged-in student's real answer POST (CSRF, validation, grading, one
upsert, a redirect), loaded by ``wrk`` when it is installed, else by a Python loop of
concurrent requests. PostgreSQL gets a schema of its own in the database you name,
dropped at the end.

Usage::

    .venv/bin/python benchmarks/bench_databases.py \\
        --postgres postgresql+psycopg://quiz@127.0.0.1:5432/quiz_bench \\
        [--duration 10] [--connections 50] [--workers 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import sqlalchemy as sa
from _local import HOST, free_port, wait_for
from bench_quiz import (
    BANK_YAML,
    PASSWORD,
    USER_AGENT,
    WRK_SCRIPT,
    Result,
    _prepare_student,
    _run_wrk,
    _stop,
)

SCHEMA = "bench_databases"
SECRET_KEY = "benchmark secret key shared by every server 0123456789"


def _pg_url(url: str) -> str:
    """A fresh schema in the given PostgreSQL database, reached by search_path."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        conn.exec_driver_sql(f"CREATE SCHEMA {SCHEMA}")
    engine.dispose()
    return (
        sa.engine.make_url(url)
        .update_query_dict({"options": f"-csearch_path={SCHEMA}"})
        .render_as_string(hide_password=False)
    )


def _durability(url: str) -> str:
    """How each database makes a commit durable, printed with the figures: a
    PostgreSQL with fsync off is not comparable with SQLite's synchronous=FULL."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        fsync = conn.exec_driver_sql("SHOW fsync").scalar()
        sync_commit = conn.exec_driver_sql("SHOW synchronous_commit").scalar()
    engine.dispose()
    return (
        f"SQLite synchronous={os.environ.get('QUIZ_SQLITE_SYNCHRONOUS', 'FULL')}; "
        f"PostgreSQL fsync={fsync}, synchronous_commit={sync_commit}"
    )


def _drop_schema(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
    engine.dispose()


def _serve(
    tmp: Path, name: str, database_url: str, port: int, workers: int
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "QUIZ_DATA_DIR": str(tmp / name),
        "QUIZ_BANKS_DIR": str(tmp / "banks"),
        "QUIZ_SQLALCHEMY_DATABASE_URI": database_url,
        "QUIZ_SECRET_KEY": SECRET_KEY,
    }
    quiz_app = str(Path(sys.executable).with_name("quiz-app"))
    subprocess.run([quiz_app, "deploy"], env=env, check=True, capture_output=True)
    subprocess.run(
        [quiz_app, "create-teacher", "teacher", "--password", PASSWORD],
        env=env,
        check=True,
        capture_output=True,
    )
    return subprocess.Popen(
        [quiz_app, "serve", "--no-deploy", "--host", HOST, "--port", str(port)]
        + ["--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp / f"{name}-server.log").open("wb"),
    )


def _run_python(
    name: str, url: str, body: str, cookie: str, *, duration: int, connections: int
) -> Result:
    """wrk's job done by threads: each posts the answer in a loop for ``duration``."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(_NoRedirect())

    def _loop() -> None:
        mine: list[float] = []
        bad = 0
        while time.monotonic() < stop_at:
            request = urllib.request.Request(
                url,
                data=body.encode(),
                headers={"Cookie": cookie, "User-Agent": USER_AGENT},
            )
            started = time.perf_counter()
            try:
                opener.open(request, timeout=5)
                bad += 1  # every answer POST redirects
            except urllib.error.HTTPError as error:
                bad += error.code != 302
            except OSError:
                bad += 1
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=_loop) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()

    def _pct(p: float) -> float:
        return 1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))]

    return Result(
        name=name,
        requests_per_s=len(latencies) / duration,
        p50_ms=_pct(0.50),
        p99_ms=_pct(0.99),
        errors=errors[0],
        requests=len(latencies),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--postgres",
        default=os.environ.get("QUIZ_BENCH_DATABASE_URL"),
        help="a PostgreSQL database to use (default: $QUIZ_BENCH_DATABASE_URL)",
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per run")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--workers", type=int, default=min(2 * (os.cpu_count() or 1) + 1, 8)
    )
    parser.add_argument(
        "--python", action="store_true", help="load with Python even if wrk exists"
    )
    args = parser.parse_args()
    if not args.postgres:
        print("give --postgres URL (or QUIZ_BENCH_DATABASE_URL)", file=sys.stderr)
        return 2
    use_wrk = shutil.which("wrk") is not None and not args.python
    results: list[Result] = []
    pg_url = _pg_url(args.postgres)
    durability = _durability(args.postgres)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-db-") as tmp_name:
            tmp = Path(tmp_name)
            (tmp / "banks").mkdir()
            (tmp / "banks" / "bench.yaml").write_text(BANK_YAML, encoding="utf-8")
            for name, database_url in (
                ("SQLite", f"sqlite:///{tmp / 'sqlite' / 'quiz.sqlite'}"),
                ("PostgreSQL", pg_url),
            ):
                (tmp / name.lower()).mkdir(exist_ok=True)
                port = free_port()
                server = _serve(tmp, name.lower(), database_url, port, args.workers)
                try:
                    base = f"http://{HOST}:{port}"
                    wait_for(base + "/healthz")
                    url, body, cookie = _prepare_student(base)
                    if use_wrk:
                        script = tmp / f"{name}.lua"
                        script.write_text(
                            WRK_SCRIPT.format(
                                body=body,
                                cookie=cookie,
                                user_agent=USER_AGENT,
                                status=302,
                                location="?q=1",
                            )
                        )
                        result = _run_wrk(
                            name,
                            url,
                            script,
                            server=server,
                            duration=args.duration,
                            connections=args.connections,
                            threads=args.threads,
                        )
                    else:
                        result = _run_python(
                            name,
                            url,
                            body,
                            cookie,
                            duration=args.duration,
                            connections=args.connections,
                        )
                    results.append(result)
                finally:
                    _stop(server)
    finally:
        _drop_schema(args.postgres)
    tool = "wrk" if use_wrk else "a Python loop"
    print(
        f"Answer saves, {args.connections} connections by {tool}, {args.duration} s "
        f"each; waitress with {args.workers} request threads; loopback; "
        f"{os.cpu_count()} CPUs; load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(durability)
    header = ("database", "req/s", "p50 ms", "p99 ms", "errors", "requests", "CPU ms")
    print(f"{header[0]:<12}" + "".join(f"{h:>10}" for h in header[1:]))
    for r in results:
        cpu = "n/a" if r.cpu_ms is None else f"{r.cpu_ms:.3f}"
        print(
            f"{r.name:<12}{r.requests_per_s:>10.1f}{r.p50_ms:>10.2f}{r.p99_ms:>10.2f}"
            f"{r.errors:>10}{r.requests:>10}{cpu:>10}"
        )
    return 0 if all(r.errors == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
