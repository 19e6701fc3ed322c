"""Benchmark: today's queue and one recorded review for a heavy flashcard user.

Builds a temporary SQLite file database (WAL, as in production) holding one student
with 5,000 cards and 100,000 review logs, inserted in bulk, then times

* building today's study queue (``build_study_queue``), target < 50 ms, and
* recording one review (``record_review`` plus the commit), target < 20 ms,

as the median of N runs, and prints the numbers. Run it with
``.venv/bin/python benchmarks/bench_flashcards.py [--cards N --logs N --runs N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random

import sqlalchemy as sa

QUEUE_TARGET_MS = 50.0
REVIEW_TARGET_MS = 20.0
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def populate(cards: int, logs: int, *, rng: Random) -> int:
    """Insert a bank of ``cards`` cards, a student, their progress, ``logs`` reviews."""
    from quiz_app.accounts.models import User
    from quiz_app.banks.models import Bank, Card
    from quiz_app.extensions import db
    from quiz_app.flashcards.models import CardProgress, ReviewLog

    conn = db.session.connection()
    conn.execute(
        sa.insert(Bank),
        [{"id": "bench", "title": "Bench", "imported_at": NOW}],
    )
    conn.execute(
        sa.insert(Card),
        [
            {
                "id": f"bench-c{n:05d}",
                "bank_id": "bench",
                "topic": f"topic-{n % 10}",
                "front": f"Front {n}",
                "back": f"Back {n}",
                "position": n,
                "updated_at": NOW,
            }
            for n in range(cards)
        ],
    )
    user_id = conn.execute(
        sa.insert(User)
        .values(
            username="heavy",
            username_key="heavy",
            password_hash="x",
            session_token="t",
            created_at=NOW - timedelta(days=400),
        )
        .returning(User.id)
    ).scalar_one()
    # Keep a few hundred deck cards unseen so the new-card part of the queue has work.
    studied = cards - min(500, cards // 10)
    progress = []
    for n in range(studied):
        stability = rng.uniform(1, 300)
        last = NOW - timedelta(days=rng.uniform(0, min(stability, 200)))
        phase = 2 if rng.random() > 0.03 else rng.choice((1, 3))
        progress.append(
            {
                "user_id": user_id,
                "card_id": f"bench-c{n:05d}",
                "phase": phase,
                "step": None if phase == 2 else 0,
                "stability": stability,
                "difficulty": rng.uniform(1, 10),
                # about one card in twelve is due now
                "due_at": NOW + timedelta(days=rng.uniform(-5, 55)),
                "last_reviewed_at": last,
                "added_at": NOW - timedelta(days=rng.uniform(1, 365)),
                "origin": "deck",
                "review_count": logs // max(studied, 1),
                "lapse_count": 0,
            }
        )
    conn.execute(sa.insert(CardProgress), progress)
    batch = []
    for n in range(logs):
        reviewed = NOW - timedelta(days=rng.uniform(0, 365))
        batch.append(
            {
                "user_id": user_id,
                "card_id": f"bench-c{n % studied:05d}",
                "rating": rng.choice((1, 3, 3, 3, 4)),
                "reviewed_at": reviewed,
                "duration_ms": rng.randint(1000, 20000),
                "phase_before": 2,
                "state_before": {"phase": 2, "due_at": reviewed.isoformat()},
                "interval_days": rng.uniform(1, 100),
            }
        )
        if len(batch) == 20_000:
            conn.execute(sa.insert(ReviewLog), batch)
            batch = []
    if batch:
        conn.execute(sa.insert(ReviewLog), batch)
    db.session.commit()
    return int(user_id)


def median_ms(action: Callable[[int], object], runs: int) -> tuple[float, float]:
    """Median and worst wall time of ``action(i)`` over ``runs`` runs, in ms."""
    times = []
    for i in range(runs):
        start = time.perf_counter()
        action(i)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=5_000)
    parser.add_argument("--logs", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["QUIZ_DATA_DIR"] = tmp
        from quiz_app import create_app
        from quiz_app.accounts.models import User
        from quiz_app.extensions import db, write_transaction
        from quiz_app.flashcards import services
        from quiz_app.flashcards.scheduler import Rating

        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "benchmark-secret-key",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.sqlite'}",
            }
        )
        with app.app_context():
            db.create_all()
            start = time.perf_counter()
            user_id = populate(args.cards, args.logs, rng=Random(7))
            print(
                f"populated {args.cards:,} cards and {args.logs:,} review logs"
                f" in {time.perf_counter() - start:.1f} s"
            )
            user = db.session.get(User, user_id)
            assert user is not None
            prefs = services.get_study_prefs(user)

            def build(_: int) -> object:
                queue = services.build_study_queue(user, now=NOW, prefs=prefs)
                db.session.rollback()  # end the read transaction, as a request does
                return queue

            queue = services.build_study_queue(user, now=NOW, prefs=prefs)
            print(
                f"today's queue: {queue.total} cards ({queue.learning} learning,"
                f" {queue.review} due, {queue.new} new)"
            )
            db.session.rollback()
            queue_ms, queue_max = median_ms(build, args.runs)

            card_ids = [item.card_id for item in queue.items]

            def review(i: int) -> object:
                with write_transaction():
                    card_id = card_ids[i % len(card_ids)]
                    row = services.get_progress(user_id, card_id)
                    seen = row.review_count if row else 0
                    log = services.record_review(
                        user_id,
                        card_id,
                        Rating.GOOD,
                        now=NOW + timedelta(seconds=i),
                        seen_review_count=seen,
                        params=prefs.params,
                        duration_ms=4000,
                        rng=Random(i),
                    )
                    db.session.commit()
                return log

            review_ms, review_max = median_ms(review, min(args.runs, len(card_ids)))

            def recall(_: int) -> object:
                value = services.predicted_recall(user, NOW)
                db.session.rollback()
                return value

            recall_ms, _ = median_ms(recall, 5)

            def progress_data(_: int) -> object:
                from quiz_app.progress import queries, stats

                tz = prefs.zone
                today = NOW.astimezone(tz).date()
                windows = stats.local_day_windows(
                    stats.heatmap_start(today), today, tz=tz
                )
                days = stats.fill_days(
                    windows, queries.count_reviews_by_day(user_id, windows)
                )
                ahead = stats.forecast_windows(now=NOW, tz=tz)
                stats.fill_days(ahead, queries.count_due_by_day(user_id, ahead))
                queries.count_by_phase(user_id)
                queries.count_review_outcomes(user_id, since=NOW - timedelta(days=30))
                db.session.rollback()
                return days

            progress_ms, _ = median_ms(progress_data, 5)

    ok_queue = queue_ms < QUEUE_TARGET_MS
    ok_review = review_ms < REVIEW_TARGET_MS
    print(
        f"build today's queue: median {queue_ms:.1f} ms (max {queue_max:.1f})"
        f"  target < {QUEUE_TARGET_MS:.0f} ms  {'OK' if ok_queue else 'SLOW'}"
    )
    print(
        f"record one review + commit: median {review_ms:.1f} ms (max {review_max:.1f})"
        f"  target < {REVIEW_TARGET_MS:.0f} ms  {'OK' if ok_review else 'SLOW'}"
    )
    print(f"predicted_recall over all cards: median {recall_ms:.1f} ms (no target)")
    print(f"progress page data (26 weeks): median {progress_ms:.1f} ms (no target)")
    return 0 if ok_queue and ok_review else 1


if __name__ == "__main__":
    sys.exit(main())
