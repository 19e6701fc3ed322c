"""Joining a class on the web: the join form, join links and sign-up with a code."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask.testing import FlaskClient

from quiz_app.classes import services
from quiz_app.extensions import db
from tests.conftest import PASSWORD, AuthActions
from tests.teacher.helpers import make_class


def _class(make_user: Callable[..., Any], now: datetime) -> Any:
    school_class = make_class(make_user("teacher", role="teacher"), now=now)
    db.session.commit()
    return school_class


def test_student_joins_with_the_form(
    client: FlaskClient, auth: AuthActions, make_user: Callable[..., Any], now: datetime
) -> None:
    school_class = _class(make_user, now)
    student = auth.login()
    assert client.get("/classes/join").status_code == 200
    response = client.post(
        "/classes/join", data={"code": school_class.join_code.lower()}
    )
    assert response.status_code == 302
    assert services.list_students(school_class) == [student]


def test_wrong_code_is_an_error_on_the_form(
    client: FlaskClient, auth: AuthActions, make_user: Callable[..., Any], now: datetime
) -> None:
    _class(make_user, now)
    auth.login()
    response = client.post("/classes/join", data={"code": "ZZZZZZZZ"})
    assert response.status_code == 200
    assert b"No class has that code" in response.data


def test_join_link_sends_visitors_to_sign_up_with_the_code(
    client: FlaskClient, make_user: Callable[..., Any], now: datetime
) -> None:
    school_class = _class(make_user, now)
    response = client.get(f"/classes/join/{school_class.join_code}")
    assert response.status_code == 302
    assert f"/account/signup?code={school_class.join_code}" in response.location
    page = client.get(response.location).get_data(as_text=True)
    assert f'value="{school_class.join_code}"' in page


def test_join_link_asks_a_logged_in_student_to_confirm(
    client: FlaskClient, auth: AuthActions, make_user: Callable[..., Any], now: datetime
) -> None:
    school_class = _class(make_user, now)
    auth.login()
    page = client.get(f"/classes/join/{school_class.join_code}").get_data(as_text=True)
    assert school_class.name in page
    assert services.list_students(school_class) == []  # GET changes nothing


def test_old_join_link_stops_working_after_regeneration(
    client: FlaskClient, auth: AuthActions, make_user: Callable[..., Any], now: datetime
) -> None:
    school_class = _class(make_user, now)
    old = school_class.join_code
    from random import Random

    services.regenerate_code(school_class, rng=Random(5))
    db.session.commit()
    auth.login()
    assert b"no longer works" in client.get(f"/classes/join/{old}").data
    assert client.post("/classes/join", data={"code": old}).status_code == 200
    assert services.list_students(school_class) == []


def test_sign_up_with_a_code_joins_the_class(
    client: FlaskClient, make_user: Callable[..., Any], now: datetime
) -> None:
    school_class = _class(make_user, now)
    response = client.post(
        "/account/signup",
        data={
            "username": "newbie",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "join_code": school_class.join_code,
        },
    )
    assert response.status_code == 302
    assert [u.username for u in services.list_students(school_class)] == ["newbie"]


def test_sign_up_with_a_bad_code_creates_nothing(
    client: FlaskClient, make_user: Callable[..., Any], now: datetime
) -> None:
    _class(make_user, now)
    response = client.post(
        "/account/signup",
        data={
            "username": "newbie",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "join_code": "ZZZZZZZZ",
        },
    )
    assert response.status_code == 200
    assert b"No class has that code" in response.data
    from quiz_app.accounts.services import is_username_taken

    assert not is_username_taken("newbie")


def test_assignments_partial_lists_open_work_with_links(
    app: Any,
    make_user: Callable[..., Any],
    make_bank: Callable[..., Any],
    now: datetime,
) -> None:
    from flask import render_template_string

    make_bank("bank-a")
    ann = make_user("ann")
    school_class = make_class(make_user("teacher", role="teacher"), ann, now=now)
    services.add_assignment(school_class, quiz_id="bank-a-all", now=now)
    services.add_assignment(school_class, bank_id="bank-a", now=now)
    items = services.list_assignments_for_student(ann, now=now)
    with app.test_request_context():
        html = render_template_string(
            '{% include "classes/_assignments.html" %}',
            assignments=items,
            best_percent={},
        )
        done = render_template_string(
            '{% include "classes/_assignments.html" %}',
            assignments=items,
            best_percent={"bank-a-all": 71.4},
        )
        empty = render_template_string(
            '{% include "classes/_assignments.html" %}', assignments=[]
        )
    assert 'href="/quiz/bank-a-all"' in html
    assert "#bank-bank-a" in html
    assert "Not done yet" in html and "No due date" in html
    assert "Done · best 71%" in done and "Not done yet" not in done
    assert empty.strip() == ""


def test_the_join_code_hint_shows_a_code_shaped_like_real_ones(client, auth):
    from quiz_app.classes.forms import EXAMPLE_CODE
    from quiz_app.joincode import is_well_formed

    auth.login()
    page = client.get("/classes/join").get_data(as_text=True)
    assert f"for example {EXAMPLE_CODE}." in page
    # as typed, with no dash and nothing to normalise away
    assert is_well_formed(EXAMPLE_CODE) and "-" not in EXAMPLE_CODE
