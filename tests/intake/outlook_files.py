"""Outlook's file formats written from their specifications, for the intake fixtures.

No library at hand writes them (tnefparse and olefile only read), so the fixtures
`outlook-*.eml` are made here, from Microsoft's published formats:
- winmail.dat: MS-OXTNEF (a signature, then attributes: level, id, type, length, value,
  checksum; MAPI properties inside attMsgProps and attAttachment);
- .msg: MS-OXMSG properties stored in an MS-CFB compound file (version 3, 512-byte sectors,
  streams under 4,096 bytes in the mini stream).

Run `.venv/bin/python -m tests.intake.outlook_files` to write the fixtures again; a test checks
that what is committed is what this module writes.
"""

import struct
import zlib
from base64 import encodebytes
from datetime import UTC, datetime
from pathlib import Path

from compressed_rtf import compress

FIXTURES = Path(__file__).parent / "fixtures"

# --- Small real files to carry -------------------------------------------------------------

PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
    b"3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 200 200]>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


# A 1x1 white PNG: signature, header, one grey pixel after its filter byte, end.
PNG = (
    b"\x89PNG\r\n\x1a\n"
    + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    + _png_chunk(b"IDAT", zlib.compress(b"\x00\xff", 9))
    + _png_chunk(b"IEND", b"")
)
NOTES = "Numéro de client : 4512\r\nCommande passée le 12 février.\r\n".encode("cp1252")

# --- TNEF (MS-OXTNEF) ----------------------------------------------------------------------

_MESSAGE, _ATTACHMENT = 1, 2
_STRING, _BYTE, _WORD, _DWORD = 0x0001, 0x0006, 0x0007, 0x0008
PT_LONG, PT_UNICODE, PT_BINARY, PT_SYSTIME = 0x0003, 0x001F, 0x0102, 0x0040


def tnef_attribute(level: int, attribute: int, kind: int, value: bytes) -> bytes:
    """One attribute: level, id (low word) and type (high word), length, value, checksum."""
    checksum = sum(value) & 0xFFFF
    return (
        struct.pack("<BHHI", level, attribute, kind, len(value))
        + value
        + struct.pack("<H", checksum)
    )


def mapi_properties(*properties: tuple[int, int, bytes | str | int]) -> bytes:
    """A MAPI property list: a count, then each tag and value (variable ones counted, padded)."""
    out = struct.pack("<I", len(properties))
    for kind, tag, value in properties:
        out += struct.pack("<HH", kind, tag)
        if kind == PT_LONG:
            assert isinstance(value, int)
            out += struct.pack("<I", value)
            continue
        data = (value + "\x00").encode("utf-16-le") if isinstance(value, str) else value
        assert isinstance(data, bytes)
        out += struct.pack("<II", 1, len(data)) + data + b"\x00" * (-len(data) % 4)
    return out


def tnef(
    *,
    subject: str,
    files: list[tuple[str, str, bytes]],
    rtf_body: str = "",
) -> bytes:
    """A winmail.dat: `files` as (8.3 title, long name, bytes), and an optional RTF body."""
    out = struct.pack("<IH", 0x223E9F78, 0x0001)
    out += tnef_attribute(_MESSAGE, 0x9006, _DWORD, struct.pack("<I", 0x00010000))
    out += tnef_attribute(_MESSAGE, 0x9007, _BYTE, struct.pack("<II", 1252, 0))
    out += tnef_attribute(_MESSAGE, 0x8008, _WORD, b"IPM.Microsoft Mail.Note\x00")
    out += tnef_attribute(_MESSAGE, 0x8004, _STRING, subject.encode("cp1252") + b"\x00")
    if rtf_body:
        compressed = compress(rtf_body.encode("ascii"))  # PR_RTF_COMPRESSED
        out += tnef_attribute(
            _MESSAGE, 0x9003, _BYTE, mapi_properties((PT_BINARY, 0x1009, compressed))
        )
    for title, long_name, data in files:
        # attAttachRendData opens an attachment: file (1), no position, no rendering.
        rendering = struct.pack("<HIHHI", 1, 0xFFFFFFFF, 0xFFFF, 0xFFFF, 0)
        out += tnef_attribute(_ATTACHMENT, 0x9002, _BYTE, rendering)
        out += tnef_attribute(_ATTACHMENT, 0x8010, _STRING, title.encode("cp1252") + b"\x00")
        out += tnef_attribute(_ATTACHMENT, 0x800F, _BYTE, data)
        properties = mapi_properties(
            (PT_LONG, 0x3705, 1),  # PR_ATTACH_METHOD: by value
            (PT_UNICODE, 0x3707, long_name),  # PR_ATTACH_LONG_FILENAME
        )
        out += tnef_attribute(_ATTACHMENT, 0x9005, _BYTE, properties)
    return out


# --- Compound file (MS-CFB) and .msg (MS-OXMSG) ---------------------------------------------

_SECTOR, _MINI_SECTOR, _MINI_CUTOFF = 512, 64, 4096
_FREE, _END, _FAT_SECTOR, _NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _chain(first: int, count: int) -> list[tuple[int, int]]:
    """FAT entries of `count` consecutive sectors from `first`: each points to the next."""
    return [(first + i, first + i + 1 if i + 1 < count else _END) for i in range(count)]


def _sectors(size: int, unit: int) -> int:
    return -(-size // unit)


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A compound file whose root storage holds `streams` (no sub-storage)."""
    names = sorted(streams, key=lambda n: (len(n), n.upper()))  # the directory's order
    mini = b""
    minifat: list[int] = []
    big: list[tuple[str, bytes]] = []
    starts: dict[str, int] = {}
    for name in names:
        data = streams[name]
        if len(data) >= _MINI_CUTOFF:
            big.append((name, data))
        elif data:
            first, count = len(mini) // _MINI_SECTOR, _sectors(len(data), _MINI_SECTOR)
            starts[name] = first
            minifat += [nxt for _, nxt in _chain(first, count)]
            mini += data + b"\x00" * (-len(data) % _MINI_SECTOR)
    directory_count = _sectors((len(names) + 1) * 128, _SECTOR)
    minifat_count = _sectors(len(minifat) * 4, _SECTOR)
    mini_count = _sectors(len(mini), _SECTOR)
    others = directory_count + minifat_count + mini_count
    others += sum(_sectors(len(data), _SECTOR) for _, data in big)
    fat_count = 1
    while fat_count * 128 < fat_count + others:
        fat_count += 1
    fat = [_FREE] * (fat_count * 128)
    for sector in range(fat_count):
        fat[sector] = _FAT_SECTOR
    position = fat_count
    layout: list[bytes] = []

    def place(data: bytes) -> int:
        nonlocal position
        count = _sectors(len(data), _SECTOR)
        if not count:
            return _END
        first = position
        for sector, nxt in _chain(first, count):
            fat[sector] = nxt
        layout.append(data + b"\x00" * (-len(data) % _SECTOR))
        position += count
        return first

    # Directory: the root (0), then the streams in the directory's order, as a balanced tree.
    ids = {name: index + 1 for index, name in enumerate(names)}
    tree: dict[int, tuple[int, int]] = {}

    def balance(items: list[str]) -> int:
        if not items:
            return _NO_STREAM
        middle = len(items) // 2
        node = ids[items[middle]]
        tree[node] = (balance(items[:middle]), balance(items[middle + 1 :]))
        return node

    root_child = balance(names)
    directory_start = position
    position += directory_count  # written once the streams' first sectors are known
    minifat_data = b"".join(struct.pack("<I", entry) for entry in minifat)
    minifat_start = place(minifat_data)
    mini_start = place(mini)
    for name, data in big:
        starts[name] = place(data)
    entries = [_entry("Root Entry", 5, _NO_STREAM, _NO_STREAM, root_child, mini_start, len(mini))]
    for name in names:
        left, right = tree[ids[name]]
        start = starts.get(name, _END)
        entries.append(_entry(name, 2, left, right, _NO_STREAM, start, len(streams[name])))
    empty = _entry("", 0, _NO_STREAM, _NO_STREAM, _NO_STREAM, 0, 0)
    entries += [empty] * (directory_count * 4 - len(entries))
    for sector, nxt in _chain(directory_start, directory_count):
        fat[sector] = nxt
    layout.insert(0, b"".join(entries))
    difat = list(range(fat_count)) + [_FREE] * (109 - fat_count)
    header = (
        bytes.fromhex("d0cf11e0a1b11ae1")
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIII", 0, fat_count, directory_start, 0, _MINI_CUTOFF)
        + struct.pack("<IIII", minifat_start, minifat_count, _END, 0)
        + b"".join(struct.pack("<I", sector) for sector in difat)
    )
    fat_data = b"".join(struct.pack("<I", entry) for entry in fat)
    return header + fat_data + b"".join(layout)


def _entry(name: str, kind: int, left: int, right: int, child: int, start: int, size: int) -> bytes:
    encoded = (name + "\x00").encode("utf-16-le") if name else b""
    return (
        encoded.ljust(64, b"\x00")
        + struct.pack("<HBBIII", len(encoded), kind, 1, left, right, child)
        + b"\x00" * 16  # CLSID
        + b"\x00" * 4  # state bits
        + b"\x00" * 16  # creation and modification times
        + struct.pack("<IQ", start if size or kind == 5 else _END, size)
    )


def _filetime(moment: datetime) -> int:
    return int((moment - datetime(1601, 1, 1, tzinfo=UTC)).total_seconds()) * 10_000_000


def outlook_msg(
    *, sender_name: str, sender_address: str, sent_at: datetime, subject: str, body: str
) -> bytes:
    """A .msg holding an e-mail: its strings in UTF-16 streams, its dates in the properties."""

    def unicode(tag: int, value: str) -> tuple[str, bytes]:
        return f"__substg1.0_{tag:04X}001F", value.encode("utf-16-le")

    properties = b"\x00" * 32  # a top-level message's header: reserved and counters
    for tag in (0x0039, 0x0E06):  # PR_CLIENT_SUBMIT_TIME, PR_MESSAGE_DELIVERY_TIME
        properties += struct.pack("<HHIQ", PT_SYSTIME, tag, 0x6, _filetime(sent_at))
    properties += struct.pack("<HHIQ", PT_LONG, 0x3FDE, 0x6, 65001)  # PR_INTERNET_CPID
    return compound_file(
        dict(
            [
                ("__properties_version1.0", properties),
                unicode(0x001A, "IPM.Note"),  # PR_MESSAGE_CLASS
                unicode(0x0037, subject),
                unicode(0x0C1A, sender_name),
                unicode(0x0C1F, "/O=EXCHANGELABS/OU=EXCHANGE ADMINISTRATIVE GROUP/CN=PMARTIN"),
                unicode(0x5D01, sender_address),
                unicode(0x1000, body),
            ]
        )
    )


# --- The fixtures ---------------------------------------------------------------------------


def _eml(headers: list[str], parts: list[tuple[str, bytes]] | None, body: bytes = b"") -> bytes:
    """A message: its headers, then either one body or multipart/mixed `parts`."""
    head = "\r\n".join(headers).encode("utf-8")
    if parts is None:
        return head + b"\r\n\r\n" + body
    boundary = "----=_NextPart_000_0012_01DC8A3B.5C2E1F40"
    out = head + f'\r\nContent-Type: multipart/mixed;\r\n\tboundary="{boundary}"\r\n\r\n'.encode()
    out += b"This is a multi-part message in MIME format.\r\n"
    for part_headers, data in parts:
        out += f"\r\n--{boundary}\r\n{part_headers}\r\n\r\n".encode() + data
    return out + f"\r\n--{boundary}--\r\n".encode()


def _base64(data: bytes) -> bytes:
    return encodebytes(data).replace(b"\n", b"\r\n").rstrip(b"\r\n")


def _text(body: str) -> tuple[str, bytes]:
    return (
        'Content-Type: text/plain;\r\n\tcharset="iso-8859-1"\r\n'
        "Content-Transfer-Encoding: quoted-printable",
        body.encode("iso-8859-1").replace(b"\xe9", b"=E9").replace(b"\xe8", b"=E8"),
    )


def _tnef_part(data: bytes) -> tuple[str, bytes]:
    return (
        'Content-Type: application/ms-tnef;\r\n\tname="winmail.dat"\r\n'
        "Content-Transfer-Encoding: base64\r\n"
        'Content-Disposition: attachment;\r\n\tfilename="winmail.dat"',
        _base64(data),
    )


def _headers(message_id: str, subject: str, date: str) -> list[str]:
    return [
        'From: "Claire Fontaine" <claire.fontaine@example.fr>',
        "To: <reclamations@organisme.example>",
        f"Subject: {subject}",
        f"Date: {date}",
        f"Message-ID: <{message_id}@exchange.example.fr>",
        "MIME-Version: 1.0",
        "X-Mailer: Microsoft Outlook 16.0",
    ]


WINMAIL_FILES = [
    ("RECLAM~1.PDF", "réclamation  février.pdf", PDF),
    ("photo.png", "photo.png", PNG),
    ("notes.txt", "notes.txt", NOTES),
]
RTF_BODY = (
    r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Calibri;}}"
    r"\f0\fs22 Bonjour,\par\par La formation du 3 f\'e9vrier a \'e9t\'e9 annul\'e9e "
    r"sans pr\'e9avis.\par Je demande le remboursement.\par\par Claire Fontaine\par}"
)
SENT_AT = datetime(2026, 3, 2, 8, 30, 15, tzinfo=UTC)
DATE = "Mon, 2 Mar 2026 10:12:00 +0100"


def fixtures() -> dict[str, bytes]:
    """The fixtures' names and bytes."""
    winmail = tnef(subject="Réclamation facture de février", files=WINMAIL_FILES)
    corrupt = bytearray(winmail)
    corrupt[winmail.index(b"%PDF") + 20] ^= 0xFF  # one byte of the PDF changed on the way
    rtf_only = tnef(
        subject="Formation annulée",
        files=[("devis.pdf", "devis.pdf", PDF)],
        rtf_body=RTF_BODY,
    )
    msg = outlook_msg(
        sender_name="Paul Martin",
        sender_address="paul.martin@example.com",
        sent_at=SENT_AT,
        subject="Commande 4512 livrée incomplète",
        body="Bonjour,\r\n\r\nIl manque deux cartons à la livraison d'hier.\r\n\r\nPaul Martin",
    )
    msg_part = (
        'Content-Type: application/vnd.ms-outlook;\r\n\tname="message du client.msg"\r\n'
        "Content-Transfer-Encoding: base64\r\n"
        'Content-Disposition: attachment;\r\n\tfilename="message du client.msg"'
    )
    return {
        "outlook-winmail-dat.eml": _eml(
            _headers("winmail.0001", "=?utf-8?q?R=C3=A9clamation_facture?=", DATE),
            [_text("Bonjour,\r\nvoici ma réclamation et les pièces.\r\n"), _tnef_part(winmail)],
        ),
        "outlook-winmail-dat-corrupt.eml": _eml(
            _headers("winmail.0002", "=?utf-8?q?R=C3=A9clamation_facture?=", DATE),
            [_text("Bonjour,\r\nvoici ma réclamation.\r\n"), _tnef_part(bytes(corrupt))],
        ),
        "outlook-winmail-dat-rtf-body.eml": _eml(
            [
                *_headers("winmail.0003", "=?utf-8?q?Formation_annul=C3=A9e?=", DATE),
                'Content-Type: application/ms-tnef; name="winmail.dat"',
                "Content-Transfer-Encoding: base64",
                'Content-Disposition: attachment; filename="winmail.dat"',
            ],
            None,
            _base64(rtf_only) + b"\r\n",
        ),
        "outlook-msg-attachment.eml": _eml(
            _headers("msg.0001", "=?utf-8?q?R=C3=A9clamation_transmise?=", DATE),
            [
                _text("Bonjour,\r\nje vous transmets le message de mon client.\r\n"),
                (msg_part, _base64(msg)),
            ],
        ),
        "outlook-msg-unreadable.eml": _eml(
            _headers("msg.0002", "=?utf-8?q?R=C3=A9clamation_transmise?=", DATE),
            [_text("Bonjour,\r\nle message joint.\r\n"), (msg_part, _base64(msg[:1000]))],
        ),
    }


if __name__ == "__main__":
    for name, data in fixtures().items():
        (FIXTURES / name).write_bytes(data)
        print(f"{name}: {len(data)} octets")
