"""What a letter says, as the complaint domain gives it: the letters app only lays it out."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Letter:
    organisation: str  # the letterhead's name, and the PDF's author
    letterhead: tuple[str, ...]  # the sender's lines under the name (address, phone, email)
    recipient: tuple[str, ...]  # the address block (letters.address.postal_lines)
    place: str  # "Mouans-Sartoux": "Mouans-Sartoux, le 29 novembre 2026"
    dated: date
    reference: str  # "REC-2026-0042"
    subject: str
    body: str  # paragraphs apart by a blank line, the sign-off and signature included
    footer: str = ""  # the organisation's legal line, at the foot of every page
    enclosed: tuple[str, ...] = ()  # the names of the files posted with it ("P. J.")
