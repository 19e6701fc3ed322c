"""Real-browser fixtures: the app served on loopback and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from quiz_app import create_app
from quiz_app.banks.loader import load_bank_files
from quiz_app.banks.services import import_banks
from quiz_app.clock import utcnow
from quiz_app.extensions import MIGRATIONS_DIR, db

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


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
        pytest.skip("playwright not installed")
    return path


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a file database with the bundled banks, served from a thread; yields its base URL."""
    data = tmp_path_factory.mktemp("browser-data")
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
        db.session.commit()
        db.engine.dispose()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
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


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def assert_accessible(page: Any) -> None:
    """Run axe-core (bundled, offline) on the page: no WCAG 2.1 A/AA violations allowed."""
    from axe_playwright_python.sync_playwright import Axe

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


def screenshot(page: Any, name: str) -> None:
    """Save a screenshot for the README (docs/screenshots/<name>.png)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
