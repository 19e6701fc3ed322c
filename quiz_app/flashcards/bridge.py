"""Progress rows <-> the pure scheduler's states (and their JSON form in review logs,
which undo restores). Plain functions over models: no queries, no Flask."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from quiz_app.flashcards.models import CardProgress
from quiz_app.flashcards.scheduler import CardState, Phase


def to_state(row: CardProgress) -> CardState:
    """The scheduler's view of a progress row."""
    return CardState(
        phase=Phase(row.phase),
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        due_at=row.due_at,
        last_reviewed_at=row.last_reviewed_at,
    )


def apply_state(row: CardProgress, state: CardState) -> None:
    """Write a scheduler state back onto a progress row."""
    row.phase = int(state.phase)
    row.step = state.step
    row.stability = state.stability
    row.difficulty = state.difficulty
    row.due_at = state.due_at
    row.last_reviewed_at = state.last_reviewed_at


def state_values(state: CardState) -> dict[str, Any]:
    """A scheduler state as the column values of a progress row."""
    return {
        "phase": int(state.phase),
        "step": state.step,
        "stability": state.stability,
        "difficulty": state.difficulty,
        "due_at": state.due_at,
        "last_reviewed_at": state.last_reviewed_at,
    }


def state_to_json(state: CardState) -> dict[str, object]:
    return {
        "phase": int(state.phase),
        "step": state.step,
        "stability": state.stability,
        "difficulty": state.difficulty,
        "due_at": state.due_at.isoformat(),
        "last_reviewed_at": state.last_reviewed_at.isoformat()
        if state.last_reviewed_at
        else None,
    }


def state_from_json(data: dict[str, Any]) -> CardState:
    last = data.get("last_reviewed_at")
    return CardState(
        phase=Phase(int(data["phase"])),
        step=data["step"],
        stability=data["stability"],
        difficulty=data["difficulty"],
        due_at=datetime.fromisoformat(data["due_at"]),
        last_reviewed_at=datetime.fromisoformat(last) if last else None,
    )
