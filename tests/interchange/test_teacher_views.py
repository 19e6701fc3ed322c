"""The teacher's bank upload takes other tools' files; bank pages offer downloads."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz_app.banks.models import Bank, Question, UploadedBank
from quiz_app.banks.uploads import read_bank_source
from quiz_app.extensions import db
from quiz_app.interchange import convert
from tests.conftest import DATA_DIR, AuthActions
from tests.factories import make_schema_question

FILES = DATA_DIR / "interchange"


def _upload(client: FlaskClient, raw: bytes, name: str) -> Any:
    return client.post(
        "/teach/banks/upload",
        data={"file": (io.BytesIO(raw), name)},
        content_type="multipart/form-data",
    )


@pytest.fixture
def teacher(auth: AuthActions) -> Any:
    return auth.login(role="teacher", username="teacher")


def test_uploading_moodles_gift_file_converts_imports_and_reports(
    client: FlaskClient, app: Flask, teacher: Any
) -> None:
    raw = (FILES / "moodle-questions.gift.txt").read_bytes()
    response = _upload(client, raw, "moodle-questions.gift.txt")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Imported moodle-questions" in page
    assert "Moodle GIFT: converted 8" in page
    assert "skipped question at line 1 (::Q8::): an essay question" in page
    bank = db.session.get(Bank, "moodle-questions")
    assert bank is not None and len(bank.questions) == 8
    assert read_bank_source("moodle-questions").startswith(
        "# Converted from moodle-questions.gift.txt"
    )


def test_uploading_a_quizlet_tsv_imports_cards(
    client: FlaskClient, teacher: Any
) -> None:
    raw = (FILES / "quizlet-armistice.tsv").read_bytes()
    response = _upload(client, raw, "quizlet-armistice.tsv")
    assert response.status_code == 302
    assert "converted 8 (8 card)" in client.get(response.location).get_data(
        as_text=True
    )


def test_a_hostile_xml_upload_is_refused_and_nothing_is_imported(
    client: FlaskClient, app: Flask, teacher: Any
) -> None:
    evil = b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "aaaa">]><quiz>&a;</quiz>'
    response = _upload(client, evil, "evil.xml")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nothing was imported" in page and "the XML file was refused" in page
    assert db.session.get(Bank, "evil") is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(UploadedBank)) == 0


def test_an_unknown_file_type_is_refused_by_the_form(
    client: FlaskClient, teacher: Any
) -> None:
    response = _upload(client, b"MZ", "tool.exe")
    assert response.status_code == 400
    assert "Choose a YAML bank" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("fmt", "mimetype", "filename"),
    [
        ("gift", "text/plain", "bank-x.gift.txt"),
        ("moodle-xml", "application/xml", "bank-x.moodle.xml"),
        ("csv", "text/csv", "bank-x.csv"),
        ("anki", "application/octet-stream", "bank-x.apkg"),
    ],
)
def test_the_bank_page_offers_each_download(
    client: FlaskClient,
    make_bank: Any,
    teacher: Any,
    fmt: str,
    mimetype: str,
    filename: str,
) -> None:
    make_bank("bank-x", questions=(make_schema_question("bank-x-q1"),))
    db.session.commit()
    page = client.get("/teach/banks/bank-x").get_data(as_text=True)
    assert f'href="/teach/banks/bank-x/export/{fmt}"' in page
    response = client.get(f"/teach/banks/bank-x/export/{fmt}")
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert (
        response.headers["Content-Disposition"] == f'attachment; filename="{filename}"'
    )
    back = convert(response.data, filename=filename, bank_id="bank-x")
    assert dict(back.report.converted) == (
        {"card": 1} if fmt == "anki" else {"single_choice": 1}
    )
    if fmt == "moodle-xml":
        assert ET.fromstring(response.data).tag == "quiz"


def test_downloads_of_unknown_banks_or_formats_are_404(
    client: FlaskClient, make_bank: Any, teacher: Any
) -> None:
    make_bank("bank-x")
    db.session.commit()
    assert client.get("/teach/banks/nope/export/gift").status_code == 404
    assert client.get("/teach/banks/bank-x/export/pdf").status_code == 404
    assert db.session.query(Question).count() == 1
