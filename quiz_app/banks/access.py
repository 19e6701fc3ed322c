"""Services: who may change a bank through the browser.

Bundled banks (the folders the app ships or is configured with) are read-only in the
browser; a bank uploaded into the data folder may be edited by teachers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from quiz_app.banks.models import Bank


def is_uploaded(bank: Bank) -> bool:
    """Whether the bank's file is in the data folder's uploads (``banks/uploads``)."""
    folder = Path(bank.source_path).parent
    return folder.name == "uploads" and folder.parent.name == "banks"


def can_edit_bank(user: Any, bank: Bank) -> bool:
    """Whether ``user`` may change ``bank``'s questions, cards and quizzes."""
    return (
        bool(getattr(user, "is_authenticated", False))
        and bool(getattr(user, "is_teacher", False))
        and is_uploaded(bank)
        and not bank.is_retired
    )
