"""Uploaded banks and their images live in the database, not on one server's disk:
upload (YAML or a .zip with images), read and save the text, serve the images, and the
one-time move of a data folder's old uploads folder."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz_app import cli
from quiz_app.banks import uploads
from quiz_app.banks.archive import MAX_ARCHIVE_MEMBERS, unpack_bank_archive
from quiz_app.banks.models import Bank, Question, UploadedBank, UploadedImage
from quiz_app.banks.schema import BankError
from quiz_app.banks.uploadfolder import move_upload_folder, retire_upload_folder
from quiz_app.extensions import db
from tests.conftest import DATA_DIR, AuthActions

VALID = DATA_DIR / "banks" / "valid"
PNG = (VALID / "img" / "delegates.png").read_bytes()

PICTURED = """\
format: 1
id: pictured
title: A bank with a picture
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


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _upload(client: FlaskClient, raw: bytes, name: str) -> Any:
    return client.post(
        "/teach/banks/upload",
        data={"file": (io.BytesIO(raw), name)},
        content_type="multipart/form-data",
    )


@pytest.fixture
def teacher(auth: AuthActions) -> Any:
    return auth.login(role="teacher", username="teacher")


def _images() -> dict[tuple[str, str], bytes]:
    rows = db.session.execute(
        sa.select(UploadedImage.bank_id, UploadedImage.name, UploadedImage.data)
    )
    return {(bank_id, name): bytes(data) for bank_id, name, data in rows}


def test_a_zip_upload_stores_the_bank_and_its_image_and_serves_it(
    client: FlaskClient, app: Flask, teacher: Any
) -> None:
    raw = _zip(
        {
            "pictured/pictured.yaml": PICTURED.encode(),
            "pictured/img/table.png": PNG,
            "pictured/img/unused.png": b"not used by any question",
            "__MACOSX/pictured/._pictured.yaml": b"resource fork",
        }
    )
    response = _upload(client, raw, "pictured.zip")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert uploads.read_bank_source("pictured") == PICTURED
    assert _images() == {("pictured", "img/table.png"): PNG}  # only what is named
    assert not (Path(app.instance_path) / "banks").exists()
    with client.get("/banks/pictured/media/img/table.png") as image:
        assert image.status_code == 200
        assert image.mimetype == "image/png" and image.data == PNG
        assert "default-src 'none'" in image.headers["Content-Security-Policy"]
        etag = image.headers["ETag"]
    again = client.get(
        "/banks/pictured/media/img/table.png", headers={"If-None-Match": etag}
    )
    assert again.status_code == 304
    assert client.get("/banks/pictured/media/img/unused.png").status_code == 404

    # A new version as YAML alone keeps the stored image.
    changed = PICTURED.replace("Kaesong, then", "Kaesong and then")
    assert _upload(client, changed.encode(), "pictured.yaml").status_code == 302
    assert uploads.read_bank_source("pictured") == changed
    assert client.get("/banks/pictured/media/img/table.png").data == PNG


def test_a_bank_naming_an_image_it_did_not_bring_is_refused(
    client: FlaskClient, teacher: Any
) -> None:
    response = _upload(client, PICTURED.encode(), "pictured.yaml")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Question 1 (id <code>pictured-q1</code>), line 19" in page or (
        "Question 1 (id `pictured-q1`), line 19" in page
    )
    assert "&#39;img/table.png&#39; was not uploaded with this bank" in page
    assert db.session.get(Bank, "pictured") is None
    assert db.session.scalar(sa.select(sa.func.count(UploadedBank.bank_id))) == 0


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"a.yaml": b"x", "b.yml": b"y"}, "exactly one bank file"),
        ({"img/a.png": PNG}, "exactly one bank file"),
        ({"a.yaml": PICTURED.encode(), "img/table.png": b"x" * 5000}, "the limit is"),
    ],
)
def test_unfit_archives_are_refused_before_reading(
    members: dict[str, bytes], message: str
) -> None:
    with pytest.raises(BankError) as caught:
        unpack_bank_archive(
            _zip(members), filename="up.zip", max_bytes=100_000, max_image_bytes=4000
        )
    assert message in str(caught.value.problems[0])


def test_a_zip_bomb_and_a_crowded_archive_cost_nothing() -> None:
    bomb = _zip({"a.yaml": b"a" * 50_000_000})  # 50 MB inflated, ~50 KB packed
    with pytest.raises(BankError, match="the limit is 100,000 bytes"):
        unpack_bank_archive(
            bomb, filename="up.zip", max_bytes=100_000, max_image_bytes=4000
        )
    crowded = _zip({f"{i}.txt": b"" for i in range(MAX_ARCHIVE_MEMBERS + 1)})
    with pytest.raises(BankError, match="lists 501 files"):
        unpack_bank_archive(
            crowded, filename="up.zip", max_bytes=100_000, max_image_bytes=4000
        )
    with pytest.raises(BankError, match="not a readable .zip"):
        unpack_bank_archive(
            b"PK\x03\x04 garbage", filename="up.zip", max_bytes=10, max_image_bytes=10
        )


def test_save_bank_source_keeps_the_id_and_read_names_a_missing_bank(
    app: Flask, now: Any
) -> None:
    text = PICTURED.replace("    image:\n      file: img/table.png\n", "").replace(
        "      alt: The delegates at the table\n", ""
    )
    bank, summary = uploads.save_bank_source(
        "pictured", text, bank_paths=[], max_bytes=100_000, now=now
    )
    assert bank.id == "pictured" and summary.created > 0
    assert db.session.get(Question, "pictured-q1") is not None
    assert db.session.get(Bank, "pictured").source_path == (
        "database:uploads/pictured.yaml"
    )
    with pytest.raises(BankError, match="its id cannot change"):
        uploads.save_bank_source(
            "pictured",
            text.replace("id: pictured\n", "id: other\n"),
            bank_paths=[],
            max_bytes=100_000,
            now=now,
        )
    assert uploads.read_bank_source("pictured") == text
    with pytest.raises(uploads.NoBankSource):
        uploads.read_bank_source("origins")  # a folder's bank, not an upload


def test_uploads_are_checked_against_the_folder_banks_and_each_other(
    app: Flask, now: Any
) -> None:
    text = PICTURED.replace("pictured-q1", "origins-malik-broadcast")
    text = text.replace("    image:\n      file: img/table.png\n", "").replace(
        "      alt: The delegates at the table\n", ""
    )
    with pytest.raises(BankError, match="also used by"):
        uploads.save_bank_source(
            "pictured", text, bank_paths=[str(VALID)], max_bytes=100_000, now=now
        )


def _old_folder(app: Flask) -> Path:
    """A data folder's uploads as the previous version left them."""
    folder = Path(app.instance_path) / "banks" / "uploads"
    (folder / "img").mkdir(parents=True)
    (folder / "pictured.yaml").write_text(PICTURED, encoding="utf-8")
    (folder / "img" / "table.png").write_bytes(PNG)
    (folder / "broken.yaml").write_text("format: 1\nid: [\n", encoding="utf-8")
    return folder


def test_the_old_uploads_folder_moves_into_the_database_once(
    app: Flask, now: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _old_folder(app)
    # As the previous version imported it: source_path is this server's path.
    summary, problems = uploads.import_all_banks([], max_bytes=100_000, now=now)
    assert problems == [] and summary.banks_imported == 0
    from quiz_app.banks.files import load_bank_files
    from quiz_app.banks.services import import_banks

    banks, _ = load_bank_files([folder / "pictured.yaml"])
    import_banks(banks, now=now)
    db.session.commit()
    assert db.session.get(Bank, "pictured").source_path == str(folder / "pictured.yaml")

    cli.move_old_uploads()
    out = capsys.readouterr()
    assert "1 uploaded banks and 1 images moved into the database" in out.out
    assert "broken.yaml" in out.err  # left out, and said so
    assert uploads.read_bank_source("pictured") == PICTURED
    assert _images() == {("pictured", "img/table.png"): PNG}
    assert db.session.get(Bank, "pictured").source_path == (
        "database:uploads/pictured.yaml"
    )
    assert not folder.exists()
    moved = list(folder.parent.glob("uploads-moved-*"))
    assert [p.name for p in moved[0].iterdir()] != []  # the files are kept there
    client = app.test_client()
    assert client.get("/banks/pictured/media/img/table.png").data == PNG

    cli.move_old_uploads()  # nothing left to move
    assert capsys.readouterr().out == ""


def test_a_folder_bank_the_database_already_has_is_not_overwritten(
    app: Flask, now: Any
) -> None:
    folder = _old_folder(app)
    newer = PICTURED.replace("Nobody", "No one")
    uploads.save_bank_source(
        "pictured",
        newer,
        bank_paths=[],
        max_bytes=100_000,
        now=now,
        images={"img/table.png": b"newer image"},
    )
    move = move_upload_folder(folder, max_bytes=100_000, max_image_bytes=10, now=now)
    assert move.stored == []
    assert any("already holds the bank 'pictured'" in line for line in move.left_out)
    assert uploads.read_bank_source("pictured") == newer
    assert retire_upload_folder(folder, now=now) is not None
    assert retire_upload_folder(folder, now=now) is None


def test_a_save_of_a_version_that_changed_meanwhile_is_refused(
    app: Flask, now: Any
) -> None:
    text = PICTURED.replace("    image:\n      file: img/table.png\n", "").replace(
        "      alt: The delegates at the table\n", ""
    )
    save = {"bank_paths": [], "max_bytes": 100_000, "now": now}
    uploads.save_bank_source("pictured", text, **save)
    opened = uploads.source_hash(uploads.read_bank_source("pictured"))
    first = text.replace("Nobody", "No one")
    uploads.save_bank_source("pictured", first, if_hash=opened, **save)
    with pytest.raises(BankError, match="was changed .* since you opened it"):
        uploads.save_bank_source(
            "pictured", text.replace("Nobody", "Nobody at all"), if_hash=opened, **save
        )
    assert uploads.read_bank_source("pictured") == first
    with pytest.raises(BankError, match="since you opened it"):
        uploads.save_bank_source("brand-new", text, if_hash=opened, **save)


def test_a_folder_file_that_clashes_with_an_upload_is_left_out_at_deploy(
    app: Flask, now: Any, tmp_path: Path, make_user: Any
) -> None:
    """A bank file added to the folder after a teacher uploaded the same bank id:
    the next start (or reload) leaves the file out and names it; the upload stays."""
    from tests.banks.test_ownership_views import BOB_BANK, upload_ada_bank

    upload_ada_bank(make_user)
    (tmp_path / "cold-war.yaml").write_text(BOB_BANK, encoding="utf-8")
    summary, problems = uploads.import_all_banks(
        [str(tmp_path)], max_bytes=100_000, now=now
    )
    db.session.commit()
    assert {p.source for p in problems} == {str(tmp_path / "cold-war.yaml")}
    assert any(
        "bank id 'cold-war' is also used by database:uploads/cold-war.yaml" in p.message
        for p in problems
    )
    bank = db.session.get(Bank, "cold-war")
    assert bank.title == "The Cold War"
    assert bank.source_path == "database:uploads/cold-war.yaml"
