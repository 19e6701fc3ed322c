"""Small defects found by attacking the app: huge ids, weak keys, readable files."""

from __future__ import annotations

import stat

import pytest

from quiz_app import create_app, secret_key_problem


@pytest.mark.parametrize(
    "url",
    [
        "/quiz/attempt/99999999999999999999999",
        "/quiz/attempt/9223372036854775808/results",
        "/teach/classes/18446744073709551617",
    ],
)
def test_ids_beyond_64_bits_are_not_found(client, auth, url):
    auth.login(role="teacher", username="teacher")
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("key", [12345, "short", b"x" * 40, None])
def test_a_secret_key_must_be_a_string_of_32_bytes(key):
    assert secret_key_problem(key) is not None
    assert secret_key_problem("k" * 32) is None


def test_a_numeric_secret_key_from_the_environment_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("QUIZ_SECRET_KEY", "12345")
    with pytest.raises(RuntimeError, match="SECRET_KEY must be text"):
        create_app()


def test_the_database_and_its_wal_are_private(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from quiz_app.cli import main

    monkeypatch.setenv("QUIZ_DATA_DIR", str(tmp_path))
    cli = CliRunner()
    assert cli.invoke(main, ["db", "upgrade"]).exit_code == 0
    assert cli.invoke(main, ["backup"]).exit_code == 0
    files = [tmp_path / "quiz.sqlite", *(tmp_path / "backups").iterdir()]
    files += [p for p in tmp_path.iterdir() if p.name.startswith("quiz.sqlite-")]
    assert len(files) >= 2
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path.name
