"""Two `quiz-app serve` processes on one PostgreSQL database with one shared secret
key: a student starts a quiz on one server, goes on on the other (as a load balancer
would send them) and loses no answer."""

from __future__ import annotations

import html
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD, TEST_DIALECT, fresh_database_url

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        TEST_DIALECT != "postgresql",
        reason="needs a PostgreSQL test database (QUIZ_TEST_DATABASE_URL)",
    ),
]

BANK = """\
format: 1
id: two
title: Two servers
topics:
  t: Topic
sources:
  s:
    title: A source
questions:
  - id: two-q1
    type: single_choice
    topic: t
    prompt: Where was the Armistice Agreement signed?
    choices: [Panmunjom, Kaesong, Geneva]
    answer: Panmunjom
    explanation: At Panmunjom.
    sources: [s]
  - id: two-q2
    type: numeric
    topic: t
    prompt: In what year?
    answer: 1953
    explanation: 27 July 1953.
    sources: [s]
quizzes:
  - id: two-quiz
    title: Two servers
    shuffle: false
"""


def _free_port(taken: set[int] | None = None) -> int:
    """A port nothing listens on now and not already given to a server that may not
    have bound it yet."""
    for port in range(21000, 22000):
        if taken and port in taken:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Student:
    """Cookies (shared by both servers, as behind one host name) and form posts."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def get(self, url: str) -> str:
        with self.opener.open(url, timeout=20) as response:
            return response.read().decode()

    def post(self, url: str, data: dict[str, str]) -> str:
        """POST a form; returns where it redirected."""
        try:
            self.opener.open(url, urllib.parse.urlencode(data).encode(), timeout=20)
        except urllib.error.HTTPError as error:
            if error.code in (302, 303):
                return error.headers["Location"]
            raise
        raise AssertionError(f"POST {url} did not redirect")

    def post_file(self, url: str, token: str, name: str, data: bytes) -> str:
        """POST a file upload form; returns where it redirected."""
        boundary = "----two-servers-boundary"
        body = (
            (
                f"--{boundary}\r\nContent-Disposition: form-data; "
                f'name="csrf_token"\r\n\r\n{token}\r\n'
                f"--{boundary}\r\nContent-Disposition: form-data; "
                f'name="file"; filename="{name}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        request = urllib.request.Request(
            url,
            body,
            {"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        try:
            self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            if error.code in (302, 303):
                return error.headers["Location"]
            raise
        raise AssertionError(f"POST {url} did not redirect")

    def get_bytes(self, url: str) -> bytes:
        with self.opener.open(url, timeout=20) as response:
            return response.read()

    def token(self, url: str) -> str:
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.get(url))
        assert found, url
        return html.unescape(found.group(1))


def _wait(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert server.poll() is None, "a server died while starting"
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    raise AssertionError(f"{url} did not come up")


@pytest.fixture
def two_servers(tmp_path):
    """Two servers started at the same moment on one fresh database; yields their
    base URLs and the database URL."""
    url = fresh_database_url("two_servers")
    banks = tmp_path / "banks"
    banks.mkdir()
    (banks / "two.yaml").write_text(BANK, encoding="utf-8")
    servers, bases, logs = [], [], []
    ports: set[int] = set()
    for name in ("a", "b"):
        port = _free_port(ports)
        ports.add(port)
        env = {
            **os.environ,
            "QUIZ_DATA_DIR": str(tmp_path / name),
            "QUIZ_SQLALCHEMY_DATABASE_URI": url,
            "QUIZ_SECRET_KEY": "one key shared by every server of this school",
            "QUIZ_BANKS_DIR": str(banks),
        }
        command = [sys.executable, "-c", "from quiz_app.cli import main; main()"]
        log = (tmp_path / f"server-{name}.log").open("wb")
        logs.append(log)
        servers.append(
            subprocess.Popen(
                [*command, "serve", "--port", str(port), "--workers", "1"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base, server in zip(bases, servers, strict=True):
            _wait(base + "/healthz", server)
        # Past the first-run setup: the school has its teacher.
        subprocess.run(
            [*command, "create-teacher", "teacher", "--password", PASSWORD],
            env=env,
            check=True,
            capture_output=True,
        )
        yield bases, url
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        for server in servers:
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        for log in logs:
            log.close()


def test_a_student_moves_between_servers_mid_quiz_without_losing_an_answer(
    two_servers,
):
    (a, b), url = two_servers
    kim = Student()
    signup = {"username": "kim", "password": PASSWORD, "confirm": PASSWORD}
    signup["csrf_token"] = kim.token(b + "/account/signup")
    kim.post(a + "/account/signup", signup)  # B's token works on A: one secret key

    token = kim.token(a + "/quiz/two-quiz")
    location = kim.post(a + "/quiz/two-quiz/start", {"csrf_token": token})
    attempt_id = re.search(r"/quiz/attempt/(\d+)", location).group(1)
    answer = f"/quiz/attempt/{attempt_id}/answer"
    kim.post(
        a + answer,
        {"csrf_token": token, "page": "1", "action": "next", "q1": "Panmunjom"},
    )
    # The next request lands on server B, with the same cookies.
    page = kim.get(b + f"/quiz/attempt/{attempt_id}?q=2")
    assert 'name="q2"' in page
    kim.post(
        b + answer, {"csrf_token": token, "page": "2", "action": "review", "q2": "1953"}
    )
    results = kim.post(b + f"/quiz/attempt/{attempt_id}/submit", {"csrf_token": token})
    assert results.endswith(f"/quiz/attempt/{attempt_id}/results")
    assert "Panmunjom" in kim.get(a + results)  # and server A shows the results

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT question_id, response, score FROM attempt_answers "
                "WHERE attempt_id = :id ORDER BY question_id"
            ),
            {"id": int(attempt_id)},
        ).all()
        attempt = conn.execute(
            sa.text("SELECT status, score FROM quiz_attempts WHERE id = :id"),
            {"id": int(attempt_id)},
        ).one()
        banks = conn.execute(sa.text("SELECT count(*) FROM banks")).scalar()
    engine.dispose()
    assert [(r.question_id, r.score) for r in rows] == [
        ("two-q1", 1.0),
        ("two-q2", 1.0),
    ]
    assert (attempt.status, attempt.score) == ("submitted", 2.0)
    assert banks == 1  # imported once, though both servers started together


PICTURED = """\
format: 1
id: pictured
title: Uploaded on one server
topics:
  t: Topic
sources:
  s:
    title: A source
questions:
  - id: pictured-q1
    type: single_choice
    topic: t
    prompt: Who sat at this table in 1951?
    choices: [The delegates, The Swiss, Nobody]
    answer: The delegates
    explanation: The delegations met at Kaesong, then Panmunjom.
    sources: [s]
    image:
      file: img/table.png
      alt: The delegates at the table
"""


def test_a_bank_uploaded_through_one_server_is_served_by_the_other(two_servers):
    import io
    import zipfile
    from pathlib import Path

    (a, b), _url = two_servers
    png = (
        Path(__file__).parent / "data" / "banks" / "valid" / "img" / "delegates.png"
    ).read_bytes()
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("pictured.yaml", PICTURED)
        archive.writestr("img/table.png", png)

    teacher = Student()
    login = {"username": "teacher", "password": PASSWORD}
    login["csrf_token"] = teacher.token(a + "/account/login")
    teacher.post(a + "/account/login", login)
    token = teacher.token(a + "/teach/banks")
    where = teacher.post_file(
        a + "/teach/banks/upload", token, "pictured.zip", packed.getvalue()
    )
    assert where.endswith("/teach/banks")

    # Server B never saw the file: it reads the bank and its image from the database.
    page = teacher.get(b + "/teach/questions/pictured-q1")
    assert "Who sat at this table in 1951?" in page
    assert "/banks/pictured/media/img/table.png" in page
    assert teacher.get_bytes(b + "/banks/pictured/media/img/table.png") == png
    assert "pictured.yaml" in teacher.get(b + "/teach/banks")
