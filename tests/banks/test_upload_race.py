"""Two teachers upload a new bank with the same id at the same instant (on two
servers of one PostgreSQL database, or two threads of one server): one gets the bank,
the other the clear refusal a later upload gets, never a 500."""

from __future__ import annotations

import contextlib
import io
import threading

import pytest
import sqlalchemy as sa

from quiz_app.banks import ownership
from quiz_app.banks.models import Bank
from quiz_app.extensions import db
from tests.banks.test_ownership_views import ADA_BANK, BOB_BANK
from tests.conftest import TEST_DIALECT, logged_in_client, run_together, statuses

# SQLite's one write lock already serializes the two uploads: there this test could
# not fail. CI's second pass runs it on PostgreSQL.
pytestmark = pytest.mark.skipif(
    TEST_DIALECT != "postgresql", reason="PostgreSQL: concurrent writers"
)


@pytest.fixture
def app(shared_app):
    return shared_app


def test_the_same_new_bank_id_from_two_teachers_at_once(app, make_user, monkeypatch):
    make_user("ada", role="teacher")
    make_user("bob", role="teacher")
    db.session.commit()
    # Both checks pass before either upload writes, unless the second one waits for
    # the first to finish (which is the fix): then this gives up after 2 s.
    both_checked = threading.Barrier(2)
    real_check = ownership.check_may_upload

    def check_then_wait(*args, **kwargs):
        real_check(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            both_checked.wait(timeout=2)

    monkeypatch.setattr(ownership, "check_may_upload", check_then_wait)
    clients = [logged_in_client(app, name) for name in ("ada", "bob")]
    texts = [ADA_BANK, BOB_BANK]
    results = run_together(
        app,
        [
            lambda c=c, t=t: c.post(
                "/teach/banks/upload",
                data={"file": (io.BytesIO(t.encode()), "bank.yaml")},
            )
            for c, t in zip(clients, texts, strict=True)
        ],
    )
    assert sorted(statuses(results), key=str) == [302, 422]
    refused = next(r for r in results if r.status_code == 422)
    assert "cold-war" in refused.get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Bank)) == 1
