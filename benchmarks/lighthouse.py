"""Benchmark: Lighthouse scores of the main pages, served by ``quiz-app serve``.

The script starts the real server on a temporary data folder, creates a teacher with
``quiz-app create-teacher``, then over plain HTTP (a cookie jar and the forms' CSRF
tokens) signs up a student, submits one quiz, opens another and makes a class. It then
runs npm's ``lighthouse`` on each page, logged in through an ``--extra-headers``
Cookie, and prints performance, accessibility and best-practices scores.

Usage::

    npm install lighthouse            # once, anywhere; or npm install -g lighthouse
    .venv/bin/python benchmarks/lighthouse.py [--lighthouse PATH] [--preset desktop]

``--lighthouse`` defaults to ``$LIGHTHOUSE``, then ``lighthouse`` on the PATH, then
``./node_modules/.bin/lighthouse``. Chrome is ``$CHROME_PATH`` or Debian's
``/usr/bin/chromium``. Targets: accessibility 100, best practices 100, performance at
least 95; the exit status is 1 if a page misses one (``--no-check`` to just report).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from _local import HOST, free_port, wait_for

#: Flask-Login's "strong" session protection ties the session to the User-Agent, so
#: the setup client and Lighthouse (``--emulatedUserAgent``) send the same one. No
#: "Chrome/<version>" in it: Lighthouse rewrites that to the running Chrome's version.
USER_AGENT = "Mozilla/5.0 (Linux; Android 11; Mobile) armistice-lighthouse/1"
PASSWORD = "lighthouse pass phrase 42"
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100}
REPO = Path(__file__).resolve().parents[1]


def _quiz_app() -> str:
    """The quiz-app console script next to this Python, or on the PATH."""
    beside = Path(sys.executable).with_name("quiz-app")
    found = str(beside) if beside.exists() else shutil.which("quiz-app")
    if not found:
        raise SystemExit("quiz-app not found: install the project (pip install -e .)")
    return found


def _find_lighthouse(given: str | None) -> str:
    for candidate in (
        given,
        os.environ.get("LIGHTHOUSE"),
        shutil.which("lighthouse"),
        str(Path.cwd() / "node_modules" / ".bin" / "lighthouse"),
        str(REPO / "node_modules" / ".bin" / "lighthouse"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    raise SystemExit(
        "lighthouse not found: npm install lighthouse, or pass --lighthouse"
    )


class Client:
    """A tiny browser: cookies, a fixed User-Agent, forms posted with a CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar)
        )

    def get(self, path: str) -> tuple[str, str]:
        """GET a page; returns (final URL, HTML)."""
        url = path if path.startswith("http") else self.base + path
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        with self.opener.open(request, timeout=30) as response:
            return response.geturl(), response.read().decode()

    def submit(
        self, page: str, action: str | None = None, fields: dict[str, str] | None = None
    ) -> str:
        """Fill the form on ``page`` (its CSRF token included), post it; final URL."""
        _, html = self.get(page)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        data = {"csrf_token": token.group(1) if token else "", **(fields or {})}
        request = urllib.request.Request(
            self.base + (action or page),
            data=urllib.parse.urlencode(data).encode(),
            headers={"User-Agent": USER_AGENT, "Referer": self.base + page},
        )
        with self.opener.open(request, timeout=30) as response:
            return response.geturl()

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def prepare(base: str, env: dict[str, str]) -> list[tuple[str, str, str]]:
    """Create the accounts and data; returns (name, path, cookie) for every page."""
    subprocess.run(
        [_quiz_app(), "create-teacher", "msong", "--password", PASSWORD],
        env=env,
        check=True,
        capture_output=True,
    )
    student = Client(base)
    student.submit(
        "/account/signup",
        fields={
            "username": "jiwoo",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "display_name": "Ji-woo",
        },
    )
    attempt = student.submit(
        "/quiz/reading-sources-practice", "/quiz/reading-sources-practice/start"
    )
    attempt_path = urllib.parse.urlparse(attempt).path
    review = student.submit(
        attempt_path, attempt_path + "/answer", {"page": "1", "action": "finish"}
    )
    # "Submit quiz" leads to the review page; its button grades the attempt.
    results = student.submit(urllib.parse.urlparse(review).path)
    question = student.submit("/quiz/origins-practice", "/quiz/origins-practice/start")

    teacher = Client(base)
    teacher.submit("/account/login", fields={"username": "msong", "password": PASSWORD})
    class_url = teacher.submit(
        "/teach/", "/teach/classes", {"name": "10B History, spring term"}
    )
    join = re.search(r'class="join-code">([^<]+)<', teacher.get(class_url)[1])
    if join:
        student.submit("/classes/join", fields={"code": join.group(1).strip()})

    path = urllib.parse.urlparse
    anonymous = ""
    class_path = path(class_url).path
    pages = [
        ("Log in", "/account/login", anonymous),
        ("Student home", "/", student.cookie_header()),
        ("Quiz question", path(question).path, student.cookie_header()),
        *_placing_pages(student),
        ("Quiz results", path(results).path, student.cookie_header()),
        ("Flashcards", "/cards/", student.cookie_header()),
        ("Progress", "/progress/", student.cookie_header()),
        ("Teacher home", "/teach/", teacher.cookie_header()),
        ("Class page", class_path, teacher.cookie_header()),
        ("Gradebook", class_path + "/gradebook", teacher.cookie_header()),
        (
            "Item analysis",
            class_path + "/quizzes/reading-sources-practice",
            teacher.cookie_header(),
        ),
    ]
    return pages


#: practice quizzes whose random questions may include ordering and matching
PRACTICE = ["prisoners", "origins", "war-and-signing", "supervision", "line-and-dmz"]


def _placing_pages(student: Client) -> list[tuple[str, str, str]]:
    """An ordering and a matching question page (the tap-to-place widget): the first
    of each found in the practice quizzes' random draws (none if no draw has one).
    """
    found: dict[str, str] = {}
    for bank in PRACTICE:
        attempt = student.submit(
            f"/quiz/{bank}-practice", f"/quiz/{bank}-practice/start"
        )
        attempt_path = urllib.parse.urlparse(attempt).path
        for number in range(1, 11):
            page = f"{attempt_path}?q={number}"
            html = student.get(page)[1]
            kind = re.search(r'data-placer="(ordering|matching)"', html)
            if kind and kind.group(1) not in found:
                found[kind.group(1)] = page
        if len(found) == 2:
            break
    return [
        (f"Quiz {kind}", page, student.cookie_header())
        for kind, page in sorted(found.items(), reverse=True)
    ]


def run_lighthouse(
    lighthouse: str, url: str, cookie: str, *, chrome: str, preset: str | None
) -> dict[str, float]:
    """Run Lighthouse on one URL; returns each category's score out of 100."""
    command = [
        lighthouse,
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        "--only-categories=performance,accessibility,best-practices",
        '--chrome-flags="--headless --no-sandbox --disable-gpu"',
        f"--emulatedUserAgent={USER_AGENT}",
    ]
    if preset:
        command.append(f"--preset={preset}")
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    env = {**os.environ, "CHROME_PATH": chrome}
    for _attempt in range(3):
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, check=False
        )
        # Lighthouse's own advice for a failed trace (NO_NAVSTART and the like).
        if done.returncode == 0 or "Please run Lighthouse again" not in done.stderr:
            break
    if done.returncode != 0:
        raise RuntimeError(f"lighthouse failed on {url}:\n{done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    final = report.get("finalDisplayedUrl") or report.get("finalUrl")
    if final != url:
        # A logged-in page that lands elsewhere (the log-in page) was not measured.
        raise RuntimeError(f"lighthouse was sent from {url} to {final}")
    scores = {
        key: round(100 * (category["score"] or 0))
        for key, category in report["categories"].items()
    }
    failing = [
        f"{audit['id']} ({audit['score']})"
        for audit in report["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 0.9
        and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
    ]
    scores["_failing"] = failing  # type: ignore[assignment]
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lighthouse", help="path to the lighthouse CLI")
    parser.add_argument("--chrome", default=os.environ.get("CHROME_PATH"))
    parser.add_argument(
        "--preset",
        choices=["desktop", "perf", "experimental"],
        help="Lighthouse preset (default: its mobile emulation)",
    )
    parser.add_argument("--no-check", action="store_true", help="never fail")
    args = parser.parse_args()
    lighthouse = _find_lighthouse(args.lighthouse)
    chrome = args.chrome or shutil.which("chromium") or "/usr/bin/chromium"

    port = free_port()
    base = f"http://{HOST}:{port}"
    with tempfile.TemporaryDirectory(prefix="armistice-lh-") as data:
        env = {**os.environ, "QUIZ_DATA_DIR": data}
        server = subprocess.Popen(
            [_quiz_app(), "serve", "--host", HOST, "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(base + "/healthz")
            pages = prepare(base, env)
            rows = []
            for name, page_path, cookie in pages:
                scores = run_lighthouse(
                    lighthouse,
                    base + page_path,
                    cookie,
                    chrome=chrome,
                    preset=args.preset,
                )
                rows.append((name, page_path, scores))
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()

    print(f"{'Page':<20} {'Perf':>5} {'A11y':>5} {'BP':>5}  Path")
    missed = False
    for name, page_path, scores in rows:
        print(
            f"{name:<20} {scores['performance']:>5} {scores['accessibility']:>5}"
            f" {scores['best-practices']:>5}  {page_path}"
        )
        low = [key for key, target in TARGETS.items() if scores[key] < target]
        if low:
            missed = True
            print(
                f"{'':<20} below target: {', '.join(low)};"
                f" audits: {', '.join(scores['_failing']) or '-'}"
            )
    return 1 if missed and not args.no_check else 0


if __name__ == "__main__":
    sys.exit(main())
