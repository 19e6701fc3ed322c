"""The progress page: charts, tables and retention from a student's own reviews."""

from __future__ import annotations

import re
from datetime import timedelta

from quiz_app.extensions import db
from quiz_app.flashcards.scheduler import Rating, SchedulerParams
from quiz_app.flashcards.services import record_review
from tests.flashcards.conftest import plain_cards


def test_progress_needs_a_login(client):
    assert client.get("/progress/").status_code == 302


def test_progress_page_shows_charts_and_tables(
    make_user, client, auth, make_bank, now, monkeypatch
):
    monkeypatch.setattr("quiz_app.progress.views.utcnow", lambda: now)
    make_bank("p", cards=plain_cards("p", 4))
    user = auth.login()
    other = make_user("other")  # another student's reviews never show
    params = SchedulerParams(enable_fuzzing=False)
    day_ago = now - timedelta(days=20)
    for card_id in ("p-c01", "p-c02", "p-c03"):
        record_review(
            user.id,
            card_id,
            Rating.EASY,
            now=day_ago,
            seen_review_count=0,
            params=params,
        )
    # Both came due for review: one remembered, one forgotten.
    record_review(
        user.id,
        "p-c01",
        Rating.GOOD,
        now=now - timedelta(days=1),
        seen_review_count=1,
        params=params,
    )
    record_review(
        user.id,
        "p-c02",
        Rating.AGAIN,
        now=now - timedelta(days=1),
        seen_review_count=1,
        params=params,
    )
    record_review(
        other.id, "p-c04", Rating.EASY, now=now, seen_review_count=0, params=params
    )
    db.session.commit()

    page = client.get("/progress/").get_data(as_text=True)
    assert page.count('role="img"') == 3
    assert "Reviews per day" in page and "Cards due per day" in page
    assert "50%" in page and "1 of 2" in page  # true retention, last 30 days
    assert "Your target is <strong>90%</strong>" in page
    # Cards by state: the unseen deck card is new, one relearning, two in review.
    rows = dict(re.findall(r"</span> (\w+)</th><td class=\"num\">(\d+)</td>", page))
    assert rows == {"New": "1", "Learning": "0", "Review": "2", "Relearning": "1"}
    assert "style=" not in page
    assert "2 reviews on" in page  # the day before: two reviews


def test_an_empty_progress_page_still_renders(client, auth):
    auth.login()
    page = client.get("/progress/").get_data(as_text=True)
    assert "No reviews yet." in page and "—" in page


def test_progress_page_links_to_the_download_of_my_data(client, auth):
    auth.login()
    page = client.get("/progress/").get_data(as_text=True)
    assert 'href="/account/export" download' in page
    download = client.get("/account/export")
    assert download.status_code == 200
    assert "attachment" in download.headers["Content-Disposition"]
