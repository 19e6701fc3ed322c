"""Real-browser fixtures: the app served on loopback, Debian's Chromium via Playwright.

Every page a journey opens passes through :func:`_watch`: its security headers and its
HTML (no inline script or style, no ``on*=`` handlers) are checked as it arrives, and
the test fails at teardown if any page broke the rules.
"""

from __future__ import annotations

import itertools
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from random import Random
from typing import Any

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from quiz_app import create_app
from quiz_app.accounts import services as account_services
from quiz_app.banks.files import load_bank_files
from quiz_app.banks.services import import_banks
from quiz_app.clock import utcnow
from quiz_app.extensions import MIGRATIONS_DIR, db
from tests.browser.pagecheck import page_problems

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 360, "height": 740}
#: the phone screenshots' size (docs/screenshots/*-phone.png)
PHONE_SHOT = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
PASSWORD = "correct horse battery"
TEACHER = "msong"
_counter = itertools.count(1)
#: Each served app's one-time setup link (what `quiz-app serve` would print), by URL.
SETUP_LINKS: dict[str, str] = {}
#: base URL -> its data folder, for journeys that must move a date past (the clock)
DATA_DIRS: dict[str, Path] = {}


def expect(target: Any) -> Any:
    """Playwright's waiting assertions: they retry until the page settles (a bare
    ``is_visible()`` reads the page once, and fails when a click's navigation is slow).
    Imported late so that the suite skips, not errors, without Playwright."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def _chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = _chromium_path()
    if path is None:
        if os.environ.get("QUIZ_REQUIRE_BROWSER"):
            pytest.fail(
                "chromium is required (QUIZ_REQUIRE_BROWSER is set) but was not found"
            )
        pytest.skip("chromium not installed (apt-get install chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        if os.environ.get("QUIZ_REQUIRE_BROWSER"):
            pytest.fail('playwright is required: pip install -e ".[browser]"')
        pytest.skip('playwright not installed (pip install -e ".[browser]")')
    return path


def _serve(data: Path) -> tuple[str, Any]:
    """Migrate a fresh data folder, import the bundled banks, serve it from a thread."""
    os.environ["QUIZ_DATA_DIR"] = str(data)
    try:
        app = create_app()
    finally:
        del os.environ["QUIZ_DATA_DIR"]
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        banks, problems = load_bank_files([app.config["BANKS_DIR"]])
        assert not problems
        import_banks(banks, now=utcnow())
        token = account_services.create_setup_token(now=utcnow(), rng=Random())
        db.session.commit()
        db.engine.dispose()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    SETUP_LINKS[url] = f"{url}/account/setup?token={token}"
    DATA_DIRS[url] = data
    return url, server


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app shared by the journeys, on a file database; yields its base URL."""
    url, server = _serve(tmp_path_factory.mktemp("browser-data"))
    yield url
    server.shutdown()


#: a bank with one ordering and one matching question, and a quiz over them in order
PLACING_BANK = Path(__file__).resolve().parent / "banks" / "placing.yaml"
PLACING_QUIZ = "placing-quiz"


@pytest.fixture(scope="session")
def placing_quiz(live_server: str) -> str:
    """Import the ordering-and-matching bank into the shared server; the quiz id."""
    os.environ["QUIZ_DATA_DIR"] = str(DATA_DIRS[live_server])
    try:
        app = create_app()
    finally:
        del os.environ["QUIZ_DATA_DIR"]
    with app.app_context():
        banks, problems = load_bank_files([PLACING_BANK])
        assert not problems
        import_banks(banks, now=utcnow())
        db.session.commit()
        db.engine.dispose()
    return PLACING_QUIZ


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second app that nobody has set up yet, for the first-run journey."""
    url, server = _serve(tmp_path_factory.mktemp("fresh-data"))
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def _watch(page: Any, problems: list[str]) -> None:
    """Check headers and HTML of every document and fetched fragment the page loads."""

    def on_response(response: Any) -> None:
        if response.request.resource_type not in ("document", "fetch"):
            return
        if not response.url.startswith("http://127.0.0.1"):
            return
        headers = response.all_headers()
        body = ""
        is_html = headers.get("content-type", "").startswith("text/html")
        if is_html and not 300 <= response.status < 400:
            body = response.text()
        problems.extend(page_problems(response.url, headers, body))

    page.on("response", on_response)


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """Open pages in fresh contexts: ``new_page(phone=False, dark=False, js=True)``."""
    contexts: list[Any] = []
    problems: list[str] = []

    def open_page(*, phone: bool = False, dark: bool = False, js: bool = True) -> Any:
        options: dict[str, Any] = {
            "color_scheme": "dark" if dark else "light",
            "java_script_enabled": js,
        }
        if phone:
            options.update(viewport=PHONE, is_mobile=True, has_touch=True)
        else:
            options.update(viewport=DESKTOP)
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        _watch(page, problems)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    return new_page()


@pytest.fixture
def phone_page(new_page: Callable[..., Any]) -> Any:
    return new_page(phone=True)


@pytest.fixture(scope="session")
def teacher(live_server: str, browser: Any) -> str:
    """Give the shared server its first teacher (via the setup page); its username."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(SETUP_LINKS[live_server])
    if page.get_by_role("button", name="Create the teacher account").count():
        page.get_by_label("Username").fill(TEACHER)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_label("Repeat the password").fill(PASSWORD)
        page.get_by_role("button", name="Create the teacher account").click()
        page.get_by_text("Your teacher account is ready").wait_for()
    context.close()
    return TEACHER


@pytest.fixture
def site(live_server: str, teacher: str) -> str:
    """The shared server's base URL, once set up (its first teacher exists)."""
    return live_server


def unique(prefix: str) -> str:
    """A username nobody else in this test session has."""
    return f"{prefix}{os.getpid() % 1000}x{next(_counter)}"


def sign_up(
    page: Any, base: str, username: str, *, code: str | None = None, name: str = ""
) -> None:
    """Create a student account through the form; the page ends logged in."""
    page.goto(base + "/account/signup")
    page.get_by_label("Username").fill(username)
    if name:
        page.get_by_label("Name shown to your teacher (optional)").fill(name)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    if code:
        page.get_by_label("Class code (optional)").fill(code)
    page.get_by_role("button", name="Create account").click()
    page.get_by_text("Your account is ready").wait_for()


def log_in(page: Any, base: str, username: str) -> None:
    """Log in through the form."""
    page.goto(base + "/account/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Log out").wait_for()


def assert_accessible(page: Any) -> None:
    """Run axe-core (bundled, offline) on the page: no WCAG 2.1 A/AA violations."""
    from axe_playwright_python.sync_playwright import Axe

    # A click just before may still be loading the next page: axe needs its document.
    page.wait_for_load_state("load")
    results = Axe().run(
        page,
        options={
            "runOnly": {
                "type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
            }
        },
    )
    assert results.violations_count == 0, results.generate_report()


def screenshot(page: Any, name: str, *, at: str | None = None) -> None:
    """Save the viewport for the README as docs/screenshots/<name>.png.

    The page is scrolled to the top, or to put the element ``at`` (a CSS selector)
    near the top, and the mouse is moved away so that no hover state shows. Only
    with QUIZ_SCREENSHOTS=1 in the environment, so that ordinary test runs leave
    the committed images alone.
    """
    if not os.environ.get("QUIZ_SCREENSHOTS"):
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    if size == PHONE:  # tested at 360 px; pictured on a common 390 x 844 phone
        page.set_viewport_size(PHONE_SHOT)
    page.mouse.move(0, 0)
    if at:
        page.locator(at).first.evaluate(
            "el => window.scrollTo(0, el.getBoundingClientRect().top"
            " + window.scrollY - 16)"
        )
    else:
        page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
    if size == PHONE:
        page.set_viewport_size(size)
