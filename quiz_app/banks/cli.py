"""`quiz-app banks ...`: validate, import and describe question banks.

Also runs without the app: ``python -m quiz_app.banks.cli PATH...`` validates files.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

import click
from flask import current_app
from flask.cli import AppGroup

from quiz_app.banks import leaks
from quiz_app.banks.crossbank import resolve_quiz_questions
from quiz_app.banks.files import load_bank_files
from quiz_app.banks.wording import cli_line
from quiz_app.extensions import db

group = AppGroup("banks", help="Question bank tools.")


def validate_paths(paths: Sequence[str], echo: Callable[[str], None]) -> int:
    """Validate banks, echo every problem and a summary; return the exit status."""
    banks, problems = load_bank_files(paths)
    for problem in problems:
        echo(cli_line(problem))
    # Warnings (one question giving away another's answer) do not fail validation.
    warnings = leaks.check_banks(banks, resolve=resolve_quiz_questions)
    for warning in warnings:
        echo(warning)
    if problems:
        echo(f"{len(problems)} problem{'s' * (len(problems) != 1)}")
        return 1
    questions = sum(len(b.questions) for b in banks)
    cards = sum(len(b.cards) for b in banks)
    quizzes = sum(len(b.quizzes) for b in banks)
    noted = f", {len(warnings)} warning{'s' * (len(warnings) != 1)}" if warnings else ""
    echo(
        f"{len(banks)} banks, {questions} questions, {cards} cards, {quizzes} "
        f"quizzes: OK{noted}"
    )
    return 0


def _paths_or_default(paths: tuple[str, ...]) -> list[str]:
    return list(paths) or [current_app.config["BANKS_DIR"]]


@group.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
def validate_command(paths: tuple[str, ...]) -> None:
    """Check bank files (default: the configured banks) and print every problem as
    file:line:column.
    """
    raise SystemExit(validate_paths(_paths_or_default(paths), click.echo))


@group.command("import")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option(
    "--force", is_flag=True, help="Re-import files whose content has not changed."
)
def import_command(paths: tuple[str, ...], force: bool) -> None:
    """Validate and import banks; nothing is imported from a file with problems, nor
    from one whose bank, question, card or quiz ids are a teacher's upload's.
    """
    from quiz_app.audit import audit
    from quiz_app.banks.services import import_banks, is_upload_source
    from quiz_app.banks.uploads import stored_sources
    from quiz_app.clock import utcnow
    from quiz_app.extensions import write_transaction

    stored = stored_sources()
    db.session.rollback()  # no database lock while the files are read and checked
    banks, problems = load_bank_files(
        _paths_or_default(paths),
        max_bytes=current_app.config["MAX_BANK_BYTES"],
        stored=stored,
        stored_first=True,
    )
    # An upload's own problems are its owner's to fix (it was checked when saved).
    problems = [p for p in problems if not is_upload_source(p.source)]
    for problem in problems:
        click.echo(cli_line(problem))
    broken = {p.source for p in problems}
    with write_transaction():
        summary = import_banks(
            [b for b in banks if b.source_path not in broken and not b.is_upload],
            now=utcnow(),
            force=force,
        )
        db.session.commit()
    audit(
        "bank.import",
        source="command",
        imported=summary.banks_imported,
        unchanged=summary.banks_unchanged,
        problems=len(problems),
    )
    click.echo(str(summary))
    if problems:
        raise SystemExit(1)


@group.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the bank format (for editors such as VS Code)."""
    from quiz_app.banks.jsonschema import render

    click.echo(render(), nl=False)


@group.command("stats")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
def stats_command(paths: tuple[str, ...]) -> None:
    """Print how many questions, cards and quizzes each bank has, by question type."""
    from quiz_app.banks.inventory import find_duplicate_questions, format_inventory

    banks, problems = load_bank_files(_paths_or_default(paths))
    for line in format_inventory(banks):
        click.echo(line)
    for first, second in find_duplicate_questions(banks):
        click.echo(f"duplicate: {second} asks the same as {first}")
    if problems:
        click.echo(f"{len(problems)} problems: run 'quiz-app banks validate'")
        raise SystemExit(1)


@group.command("convert")
@click.argument(
    "input_path", metavar="INPUT", type=click.Path(exists=True, dir_okay=False)
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write the YAML bank here."
)
@click.option(
    "--from",
    "fmt",
    type=click.Choice(["gift", "moodle-xml", "csv", "anki"]),
    help="The input format (default: guessed from the file).",
)
@click.option(
    "--id", "bank_id", help="Id of the new bank (default: from the file name)."
)
@click.option("--title", help="Title of the new bank (default: the file name).")
def convert_command(
    input_path: str,
    output: str | None,
    fmt: str | None,
    bank_id: str | None,
    title: str | None,
) -> None:
    """Convert a Moodle GIFT or XML file, a CSV/TSV or an Anki package to bank YAML."""
    from pathlib import Path

    from quiz_app.interchange import ConvertError, convert

    path = Path(input_path)
    max_bytes = current_app.config["MAX_BANK_BYTES"]
    if path.stat().st_size > max_bytes:
        raise click.ClickException(
            f"{path.name}: the file is {path.stat().st_size:,} bytes; the limit is "
            f"{max_bytes:,} bytes"
        )
    try:
        conversion = convert(
            path.read_bytes(),
            filename=path.name,
            fmt=fmt,
            bank_id=bank_id,
            title=title,
            max_bytes=max_bytes,
        )
    except ConvertError as error:
        raise click.ClickException(f"{path.name}: {error}") from None
    if output:
        Path(output).write_text(conversion.yaml_text, encoding="utf-8")
    else:
        click.echo(conversion.yaml_text, nl=False)
    for line in conversion.report.lines():
        click.echo(line, err=not output)


@group.command("export")
@click.argument("bank_id")
@click.option(
    "--to",
    "fmt",
    required=True,
    type=click.Choice(["gift", "moodle-xml", "csv", "anki"]),
    help="The output format.",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="File to write.",
)
def export_command(bank_id: str, fmt: str, output: str) -> None:
    """Export an imported bank as Moodle GIFT or XML, CSV or an Anki package."""
    from pathlib import Path

    from quiz_app.clock import utcnow
    from quiz_app.interchange import export
    from quiz_app.interchange.services import get_export_bank

    bank = get_export_bank(bank_id)
    if bank is None:
        raise click.ClickException(
            f"no bank {bank_id!r} in the database; run 'quiz-app banks import' first"
        )
    result = export(bank, fmt, now=utcnow())
    Path(output).write_bytes(result.data)
    for item in result.left_out:
        click.echo(f"left out: {item}")
    written = len(bank.questions) + len(bank.cards)
    click.echo(
        f"{output}: {bank.title} as {fmt}; {written} items, {len(result.left_out)} "
        "left out or changed"
    )


@group.command("set-owner")
@click.argument("bank_id")
@click.argument("username")
def set_owner_command(bank_id: str, username: str) -> None:
    """Make a teacher the owner of an uploaded bank (uploads made before banks had
    owners belong to nobody: administrators manage them until an owner is set).
    """
    from quiz_app.banks.ownership import set_owner
    from quiz_app.extensions import write_transaction

    with write_transaction():
        try:
            done = set_owner(bank_id, username)
        except ValueError as error:
            raise click.ClickException(str(error)) from error
        db.session.commit()
    click.echo(done)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m quiz_app.banks.cli PATH...``: validate without an app."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print("usage: python -m quiz_app.banks.cli PATH...  (bank files or folders)")
        return 2
    return validate_paths(args, print)


if __name__ == "__main__":
    raise SystemExit(main())
