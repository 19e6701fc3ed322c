"""The quiz-app command line: banks validate/import/schema, db upgrade, backup."""

from __future__ import annotations

import json
import shutil
import tarfile

import sqlalchemy as sa
from click.testing import CliRunner

from quiz_app.banks.models import Question
from quiz_app.cli import main
from quiz_app.extensions import db
from tests.conftest import DATA_DIR

VALID = DATA_DIR / "banks" / "valid"
INVALID = DATA_DIR / "banks" / "invalid"


def test_validate_passes_on_valid_banks(runner):
    result = runner.invoke(args=["banks", "validate", str(VALID)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("OK")


def test_validate_reports_file_line_and_column_and_fails(runner):
    path = INVALID / "syntax-error.yaml"
    result = runner.invoke(args=["banks", "validate", str(path)])
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    file_part, line, column, message = first.split(":", 3)
    assert file_part == str(path)
    assert int(line) > 0 and int(column) > 0
    assert message.strip()


def test_import_is_idempotent(runner):
    first = runner.invoke(args=["banks", "import", str(VALID)])
    assert first.exit_code == 0, first.output
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Question))
    assert count > 0
    second = runner.invoke(args=["banks", "import", str(VALID)])
    assert "0 created, 0 updated, 0 retired" in second.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Question)) == count


def test_import_skips_broken_files_and_fails(runner, tmp_path):
    shutil.copy(VALID / "cards-only.yaml", tmp_path / "good.yaml")
    shutil.copy(INVALID / "syntax-error.yaml", tmp_path / "broken.yaml")
    result = runner.invoke(args=["banks", "import", str(tmp_path)])
    assert result.exit_code == 1
    assert "broken.yaml:" in result.output
    assert "1 banks imported" in result.output


def test_schema_prints_json_schema(runner):
    result = runner.invoke(args=["banks", "schema"])
    schema = json.loads(result.output)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert "questions" in schema["properties"]


def test_console_script_upgrades_imports_and_backs_up(tmp_path, monkeypatch):
    """The real entry point with a data folder: the schema comes from migrations, not
    create_all.
    """
    monkeypatch.delenv("QUIZ_DATA_DIR", raising=False)
    data = tmp_path / "data"
    cli = CliRunner()
    upgrade = cli.invoke(main, ["--data-dir", str(data), "db", "upgrade"])
    assert upgrade.exit_code == 0, upgrade.output
    assert (data / "quiz.sqlite").exists() and (data / "secret_key").exists()
    imported = cli.invoke(
        main, ["--data-dir", str(data), "banks", "import", str(VALID)]
    )
    assert imported.exit_code == 0, imported.output
    backup = cli.invoke(main, ["--data-dir", str(data), "backup"])
    assert backup.exit_code == 0, backup.output
    copies = list((data / "backups").glob("backup-*.tar.gz"))
    assert len(copies) == 1
    with tarfile.open(copies[0]) as tar:
        tar.extract("quiz.sqlite", tmp_path / "copy", filter="data")
    with sa.create_engine(
        f"sqlite:///{tmp_path / 'copy' / 'quiz.sqlite'}"
    ).connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM questions").scalar() > 0


def test_serve_prints_a_setup_link_and_tells_the_app_where_it_listens(
    tmp_path, monkeypatch
):
    from click.testing import CliRunner

    from quiz_app import cli

    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("QUIZ_SERVE_HOST", raising=False)
    served = {}
    monkeypatch.setattr(
        cli,
        "serve_waitress",
        lambda app, **kw: served.update(
            kw, bind=app.config["SERVE_HOST"], lock=app.extensions.get("serve_lock")
        ),
    )
    result = CliRunner().invoke(cli.main, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:5000/account/setup?token=" in result.output
    # Join links on 127.0.0.1 then show the LAN address instead.
    assert served["bind"] == "0.0.0.0"
    if served["lock"] is not None:
        served["lock"].close()


def test_import_refuses_a_file_that_clashes_with_a_teachers_upload(
    runner, tmp_path, make_user
):
    from tests.banks.test_ownership_views import BOB_BANK, upload_ada_bank

    upload_ada_bank(make_user)
    (tmp_path / "cold-war.yaml").write_text(BOB_BANK, encoding="utf-8")
    result = runner.invoke(args=["banks", "import", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{tmp_path / 'cold-war.yaml'}:" in result.output
    assert "database:uploads/cold-war.yaml" in result.output
    assert "0 banks imported" in result.output
    db.session.rollback()
    from quiz_app.banks.models import Bank

    bank = db.session.get(Bank, "cold-war")
    assert bank.title == "The Cold War"  # the upload's, not the file's
    assert bank.source_path == "database:uploads/cold-war.yaml"
    assert db.session.get(Question, "cw-q1").version == 1
