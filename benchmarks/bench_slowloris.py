"""Benchmark: how fast the log-in page answers while slow clients hold connections open.

Starts ``quiz-app serve`` on 127.0.0.1 with a fresh data folder, opens ``--slow``
connections that each send one more header line every few seconds and never finish
their request (slowloris), then fetches ``/account/login`` once a second and prints the
latencies. Everything is local, bounded in connections and in time, and stops itself.

Usage::

    .venv/bin/python benchmarks/bench_slowloris.py [--slow 50] [--probes 15]

Target: with 50 slow connections open, the log-in page answers in under 1 s.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from _local import HOST, free_port, wait_for

PASSWORD = "benchmark pass phrase 42"


class Slowloris:
    """``count`` connections that trickle header lines and never end the request."""

    def __init__(self, port: int, count: int, *, interval_s: float) -> None:
        self.port, self.count, self.interval_s = port, count, interval_s
        self.sockets: list[socket.socket] = []
        self.refused = 0
        self.dropped = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        for _ in range(self.count):
            try:
                sock = socket.create_connection((HOST, self.port), timeout=5)
                sock.sendall(b"GET /account/login HTTP/1.1\r\nHost: x\r\n")
                self.sockets.append(sock)
            except OSError:
                self.refused += 1
        self._thread.start()

    def _run(self) -> None:
        n = 0
        while not self._stop.wait(self.interval_s):
            n += 1
            for sock in list(self.sockets):
                try:
                    sock.sendall(f"X-Slow-{n}: {n}\r\n".encode())
                except OSError:
                    self.sockets.remove(sock)
                    self.dropped += 1

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval_s + 1)
        for sock in self.sockets:
            sock.close()


def probe(url: str, *, timeout_s: float) -> float | None:
    """Seconds one GET took, or None when it failed or timed out."""
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            response.read()
    except OSError:
        return None
    return time.perf_counter() - start


def serve(tmp: Path, port: int, extra: list[str]) -> subprocess.Popen[bytes]:
    env = {**os.environ, "QUIZ_DATA_DIR": str(tmp / "data")}
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
        [quiz_app, "serve", "--host", HOST, "--port", str(port), *extra],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp / "server.log").open("wb"),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--slow", type=int, default=50, help="slow connections")
    parser.add_argument("--probes", type=int, default=15, help="log-in page fetches")
    parser.add_argument("--interval", type=float, default=5, help="s between lines")
    parser.add_argument("--timeout", type=float, default=10, help="s per probe")
    parser.add_argument("serve_args", nargs="*", help="extra `quiz-app serve` args")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-slowloris-") as tmp_name:
        tmp = Path(tmp_name)
        port = free_port()
        server = serve(tmp, port, args.serve_args)
        try:
            url = f"http://{HOST}:{port}/account/login"
            wait_for(url)
            baseline = [probe(url, timeout_s=args.timeout) for _ in range(5)]
            attack = Slowloris(port, args.slow, interval_s=args.interval)
            attack.start()
            time.sleep(1)
            times: list[float | None] = []
            for _ in range(args.probes):
                times.append(probe(url, timeout_s=args.timeout))
                time.sleep(1)
            still_open = len(attack.sockets)
            attack.stop()
        finally:
            server.terminate()
            server.wait(timeout=20)
    ok = [t for t in times if t is not None]
    base_ok = [t for t in baseline if t is not None]
    print(f"server: quiz-app serve {' '.join(args.serve_args)}".rstrip())
    print(
        f"slow connections: {args.slow} opened, {attack.refused} refused, "
        f"{still_open} still open at the end, {attack.dropped} closed by the server"
    )
    if base_ok:
        print(
            f"log-in page, no attack: median {1000 * statistics.median(base_ok):.0f} ms"
        )
    print(
        f"log-in page under attack: {len(ok)}/{len(times)} answered within "
        f"{args.timeout:.0f} s"
        + (
            f"; median {1000 * statistics.median(ok):.0f} ms, "
            f"max {1000 * max(ok):.0f} ms"
            if ok
            else ""
        )
    )
    target_met = len(ok) == len(times) and max(ok, default=99) < 1.0
    print(f"target (every probe < 1 s): {'met' if target_met else 'NOT met'}")
    return 0 if target_met else 1


if __name__ == "__main__":
    sys.exit(main())
