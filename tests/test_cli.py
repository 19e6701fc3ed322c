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
