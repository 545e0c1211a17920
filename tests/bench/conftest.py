"""The benchmark's scripts import each other as `python bench/<script>.py` runs them: from the
bench directory, on the path."""

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))


def reply_channels() -> set[str]:
    """The channels the generated register's replies went by."""
    from reclamations.complaints.models import Complaint

    return set(Complaint.objects.exclude(reply_channel="").values_list("reply_channel", flat=True))
