"""The teacher's first-hour pages through the client: checklist, join links and QR
code, projector view, a student's page, reset links, managing teachers."""

from __future__ import annotations

import re

import sqlalchemy as sa

from quiz_app.accounts import services as account_services
from quiz_app.accounts.models import User
from quiz_app.classes.models import SchoolClass
from quiz_app.extensions import db
from tests.conftest import PASSWORD
from tests.factories import make_schema_question
from tests.teacher.helpers import make_class, take_quiz


def test_the_teaching_home_shows_the_checklist_until_every_step_is_done(
    client, auth, make_user, make_bank, now
):
    make_bank("bank-a", questions=(make_schema_question("qa"),))
    teacher = auth.login(role="teacher")
    html = client.get("/teach/").get_data(as_text=True)
    assert "Getting started" in html and "✓" not in html
    school_class = make_class(teacher, make_user("kim"), now=now)
    db.session.commit()
    html = client.get("/teach/").get_data(as_text=True)
    assert html.count("✓") == 2  # a class, and a student joined
    assert f"/teach/classes/{school_class.id}/assignments" in html
    client.post(
        f"/teach/classes/{school_class.id}/assignments",
        data={"target": "quiz:bank-a-all"},
    )
    assert "Getting started" not in client.get("/teach/").get_data(as_text=True)


def test_join_links_use_the_public_url_and_come_with_a_qr_code(app, client, auth, now):
    teacher = auth.login(role="teacher")
    school_class = make_class(teacher, now=now)
    db.session.commit()
    url = f"/teach/classes/{school_class.id}"
    html = client.get(url, base_url="http://127.0.0.1:5000").get_data(as_text=True)
    assert "cannot open this address" in html  # loopback, and not serving on the LAN
    app.config["SERVE_HOST"] = "0.0.0.0"
    monkey_lan = "quiz_app.web.lan_address"
    import unittest.mock

    with unittest.mock.patch(monkey_lan, return_value="192.168.4.20"):
        html = client.get(url, base_url="http://127.0.0.1:5000").get_data(as_text=True)
    assert f"http://192.168.4.20:5000/classes/join/{school_class.join_code}" in html
    assert "127.0.0.1" not in html and "cannot open this address" not in html
    app.config["PUBLIC_URL"] = "https://quiz.school.example"
    html = client.get(url).get_data(as_text=True)
    assert f"https://quiz.school.example/classes/join/{school_class.join_code}" in html
    assert re.search(r'<svg role="img" aria-label="QR code of the join link', html)


def test_the_projector_shows_code_qr_and_results_but_no_names(
    client, auth, make_user, make_bank, now
):
    make_bank("bank-a", questions=(make_schema_question("qa"),))
    teacher = auth.login(role="teacher")
    kim = make_user("kim")
    kim.display_name = "Kim Ji-won"
    school_class = make_class(teacher, kim, now=now)
    from quiz_app.classes import services as class_services

    class_services.add_assignment(school_class, quiz_id="bank-a-all", now=now)
    take_quiz(kim, "bank-a-all", {"qa": "Right"}, now=now)
    db.session.commit()
    html = client.get(f"/teach/classes/{school_class.id}/present").get_data(
        as_text=True
    )
    assert school_class.join_code in html and "<svg" in html
    assert "1 of 1 finished" in html and "class average 100%" in html
    assert "Kim" not in html and "kim" not in html


def test_roster_names_open_the_students_page(client, auth, make_user, make_bank, now):
    make_bank("bank-a", questions=(make_schema_question("qa"),))
    teacher = auth.login(role="teacher")
    kim, outsider = make_user("kim"), make_user("outsider")
    school_class = make_class(teacher, kim, now=now)
    take_quiz(kim, "bank-a-all", {"qa": "Wrong 1"}, now=now)
    db.session.commit()
    roster = client.get(f"/teach/classes/{school_class.id}").get_data(as_text=True)
    link = f"/teach/classes/{school_class.id}/students/{kim.id}"
    assert f'href="{link}"' in roster
    page = client.get(link).get_data(as_text=True)
    assert "All questions" in page or "bank-a" in page.lower()
    assert "0%" in page and "Password reset link" in page
    # Only students of the class.
    url = f"/teach/classes/{school_class.id}/students/{outsider.id}"
    assert client.get(url).status_code == 404


def test_a_teacher_issues_a_reset_link_shown_once_for_a_student_of_the_class(
    client, auth, make_user, now
):
    teacher = auth.login(role="teacher")
    kim, outsider = make_user("kim"), make_user("outsider")
    school_class = make_class(teacher, kim, now=now)
    db.session.commit()
    base = f"/teach/classes/{school_class.id}/students"
    response = client.post(f"{base}/{kim.id}/reset")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    code = re.search(r"/account/reset/([A-Z2-9-]{14})", html).group(1)
    assert code in html and "24 hours" in html
    assert account_services.get_valid_reset(code, now=now).user_id == kim.id
    assert client.post(f"{base}/{outsider.id}/reset").status_code == 404


def test_an_administrator_removes_a_teacher_and_takes_their_classes(
    client, auth, make_user, now
):
    admin = auth.login(role="teacher")
    admin.is_admin = True
    leaving = make_user("park", role="teacher")
    make_class(leaving, make_user("kim"), now=now, name="Park's class")
    db.session.commit()
    url = f"/teach/teachers/{leaving.id}/remove"
    assert "pass to you" in client.get(url).get_data(as_text=True)
    assert client.post(url).status_code == 302
    db.session.expire_all()
    gone = db.session.get(User, leaving.id)
    assert gone.is_deleted and not gone.is_teacher
    owner = db.session.scalar(sa.select(SchoolClass.teacher_id))
    assert owner == admin.id
    assert account_services.authenticate("park", PASSWORD) is None
    # An administrator cannot remove themselves.
    assert client.get(f"/teach/teachers/{admin.id}/remove").status_code == 404
