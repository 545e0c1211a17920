"""What a letter says, as the complaint domain gives it, and how an organisation lays its
letters out: the letters app only prints them."""

import base64
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


@dataclass(frozen=True)
class Layout:
    """An organisation's layout of its letters: its HTML template and CSS ("": the default
    ones) and its logo (PNG or JPEG, b"" when none)."""

    html: str = ""
    css: str = ""
    logo: bytes = b""
    logo_type: str = ""  # "image/png" or "image/jpeg"

    @property
    def logo_uri(self) -> str:
        """The logo inline, as the layout's HTML shows it ("" without one)."""
        if not self.logo:
            return ""
        return f"data:{self.logo_type};base64,{base64.b64encode(self.logo).decode('ascii')}"


DEFAULT_LAYOUT = Layout()
