"""Web layer: the student's progress page."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, render_template
from flask_login import current_user, login_required

from quiz_app.clock import utcnow
from quiz_app.flashcards import services as flashcards
from quiz_app.progress import charts, queries, stats

bp = Blueprint("progress", __name__, url_prefix="/progress")

FORECAST_DAYS = 30
RETENTION_WINDOW_DAYS = 30


@bp.get("/")
@login_required
def index() -> str:
    """Show the current student's reviews, forecast, card states and retention."""
    now = utcnow()
    prefs = flashcards.get_study_prefs(
        current_user,
        default_new_cards_per_day=current_app.config["DEFAULT_NEW_CARDS_PER_DAY"],
    )
    tz = prefs.zone
    today = now.astimezone(tz).date()
    windows = stats.local_day_windows(stats.heatmap_start(today), today, tz=tz)
    reviews = stats.fill_days(
        windows, queries.count_reviews_by_day(current_user.id, windows)
    )
    ahead = stats.forecast_windows(now=now, tz=tz, days=FORECAST_DAYS)
    forecast = stats.fill_days(ahead, queries.count_due_by_day(current_user.id, ahead))
    states = stats.state_counts(
        queries.count_by_phase(current_user.id),
        unseen=queries.count_unseen_deck_cards(current_user.id),
    )
    window = now - timedelta(days=RETENTION_WINDOW_DAYS)
    return render_template(
        "progress/index.html",
        reviews=reviews,
        forecast=forecast,
        states=states,
        heatmap=charts.review_heatmap(reviews),
        forecast_chart=charts.due_bar_chart(forecast),
        state_chart=charts.state_bar(states),
        day_label=charts.day_label,
        recent=stats.true_retention(
            queries.count_review_outcomes(current_user.id, since=window)
        ),
        window_days=RETENTION_WINDOW_DAYS,
        desired=prefs.desired_retention,
        predicted=flashcards.predicted_recall(current_user, now),
    )
