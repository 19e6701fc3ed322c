"""Benchmark: validating a 10,000-question bank against a bare PyYAML load.

Run: ``.venv/bin/python benchmarks/bench_banks.py [--questions N] [--repeat R]``.
Target: validation (``load_bank_files``) at most 3x ``yaml.load(text, CSafeLoader)``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from quiz_app.banks.loader import load_bank_files
from quiz_app.banks.yamlnodes import build_tree

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
TARGET_RATIO = 3.0

TOPICS = ["origins", "delegations", "line", "prisoners", "supervision", "signing"]


def _question(i: int) -> str:
    """One question of a type chosen by ``i``, about 12-20 lines like the real banks."""
    head = (
        f"  - id: q-{i:05d}\n"
        f"    topic: {TOPICS[i % len(TOPICS)]}\n"
        f"    difficulty: {('easy', 'medium', 'hard')[i % 3]}\n"
        f"    prompt: Question number {i} about the armistice talks, 1951-1953?\n"
        "    explanation: |\n"
        "      A paragraph that teaches something about the negotiations, long\n"
        "      enough to look like a real explanation in one of the bundled banks.\n"
        f"    sources: [src-{i % 4}]\n"
        f"    tags: [t{i % 7}, generated]\n"
    )
    kind = i % 7
    if kind == 0:
        body = (
            "    type: single_choice\n"
            "    choices: [Panmunjom, Kaesong, Seoul, Pyongyang]\n"
            "    answer: Panmunjom\n"
        )
    elif kind == 1:
        body = (
            "    type: multi_choice\n"
            "    choices: [Sweden, Switzerland, Poland, Czechoslovakia, India]\n"
            "    answers: [Sweden, Switzerland, Poland, Czechoslovakia]\n"
        )
    elif kind == 2:
        body = "    type: true_false\n    answer: false\n    flashcard: true\n"
    elif kind == 3:
        body = (
            "    type: short_text\n    answers: [Panmunjom, P'anmunjŏm, Panmunjeom]\n"
        )
    elif kind == 4:
        body = "    type: numeric\n    answer: 1953\n    tolerance: 0\n    unit: year\n"
    elif kind == 5:
        body = (
            "    type: ordering\n"
            "    items: [Malik broadcast, Kaesong talks, Panmunjom talks, Signing]\n"
        )
    else:
        body = (
            "    type: matching\n"
            "    pairs:\n"
            "      Nam Il: KPA/CPV chief delegate\n"
            "      C. Turner Joy: First UNC senior delegate\n"
            "      William K. Harrison Jr.: UNC senior delegate from 1952\n"
            "    distractors: [NNSC member]\n"
        )
    return head + body


def make_bank(questions: int) -> str:
    """The text of one bank with ``questions`` questions of all seven types."""
    topics = "".join(f"  {t}: Topic {t}\n" for t in TOPICS)
    sources = "".join(f"  src-{i}:\n    title: Source {i}\n" for i in range(4))
    items = "".join(_question(i) for i in range(questions))
    return (
        f"format: 1\nid: bench\ntitle: Benchmark bank\ntopics:\n{topics}"
        f"sources:\n{sources}questions:\n{items}"
    )


def best_of(repeat: int, run: Callable[[], object]) -> float:
    """The fastest of ``repeat`` runs in seconds (the least disturbed by others)."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


# ----------------------------------------------------------------------------------
# Import timing (DB): add a function here that imports the parsed bank into a fresh
# SQLite database (create_app + db.create_all + banks.services.import_banks) and
# return its seconds; main() prints it when it is not None.
def bench_import(path: Path, repeat: int) -> float | None:
    """Seconds to import the bank into a fresh SQLite file (first import); also prints
    the time to re-import it after every question changed (the update path)."""
    import os
    from dataclasses import replace

    from flask_migrate import upgrade

    from quiz_app import create_app
    from quiz_app.banks.services import import_bank
    from quiz_app.clock import utcnow
    from quiz_app.extensions import MIGRATIONS_DIR, db, write_transaction

    (bank,), _ = load_bank_files([path])
    edited = replace(
        bank,
        content_hash="edited",
        questions=tuple(
            replace(q, prompt=q.prompt + " (edited)") for q in bank.questions
        ),
    )
    timings = []
    for _ in range(max(1, min(repeat, 3))):
        with tempfile.TemporaryDirectory() as data:
            os.environ["QUIZ_DATA_DIR"] = data
            app = create_app()
            with app.app_context():
                upgrade(directory=MIGRATIONS_DIR)
                with write_transaction():
                    start = time.perf_counter()
                    import_bank(bank, now=utcnow())
                    db.session.commit()
                    first = time.perf_counter() - start
                    start = time.perf_counter()
                    import_bank(edited, now=utcnow())
                    db.session.commit()
                    update = time.perf_counter() - start
                db.session.remove()
                db.engine.dispose()
            timings.append((first, update))
    first, update = min(timings)
    print(f"{'re-import, every question edited':<34}{update * 1000:9.1f} ms")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    text = make_bank(args.questions)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.yaml"
        path.write_text(text, encoding="utf-8")
        banks, problems = load_bank_files([path])
        if problems or len(banks[0].questions) != args.questions:
            print("benchmark bank is invalid:", *problems[:5], sep="\n  ")
            return 2

        bare = best_of(args.repeat, lambda: yaml.load(text, Loader=LOADER))
        validate = best_of(args.repeat, lambda: load_bank_files([path]))
        tree = best_of(args.repeat, lambda: build_tree(text))
        imported = bench_import(path, args.repeat)

    ratio = validate / bare
    print(f"bank: {args.questions} questions, {len(text.encode()) / 1e6:.1f} MB")
    rows = [
        (f"bare yaml.load ({LOADER.__name__})", bare),
        ("validate (load_bank_files)", validate),
        ("  of which the node tree", tree),
    ]
    if imported is not None:
        rows.append(("import (DB)", imported))
    for label, seconds in rows:
        print(f"{label:<34}{seconds * 1000:9.1f} ms")
    print(f"ratio validate / bare: {ratio:.2f}x (target <= {TARGET_RATIO:.0f}x)")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
