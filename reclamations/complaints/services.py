"""The doors through which the register changes; nothing else writes to a complaint.

- `complaint_register`: a complaint enters the register (registration.py);
- `complaint_apply`: a registered complaint takes one workflow action (apply.py; the actions
  themselves are declared in actions/);
- `complaint_record_message`: the mail channel adds a message received from the client
  (recording.py);
- `complaint_import`: a complaint of a register kept before the application enters it with its
  history, sending nothing (importing.py).

Each runs in one transaction and writes the chronology event of what it changed.
"""

from reclamations.complaints.actions import Action, parse_action
from reclamations.complaints.apply import complaint_apply
from reclamations.complaints.importing import ImportSource, PastComplaint, complaint_import
from reclamations.complaints.recording import complaint_record_message
from reclamations.complaints.registration import (
    NewComplaint,
    ReceivedEmail,
    complaint_register,
    complaint_register_with_original,
)
from reclamations.complaints.workflow import WorkflowError

__all__ = [
    "Action",
    "ImportSource",
    "NewComplaint",
    "PastComplaint",
    "ReceivedEmail",
    "WorkflowError",
    "complaint_apply",
    "complaint_import",
    "complaint_record_message",
    "complaint_register",
    "complaint_register_with_original",
    "parse_action",
]
