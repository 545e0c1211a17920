"""The fonts every PDF embeds, found by file so that a missing font never changes a document
silently: DejaVu Sans where the system has it (the widest coverage of names), else the Vera
fonts shipped inside ReportLab (a dependency: always there)."""

from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import NamedTuple


class FontFiles(NamedTuple):
    regular: Path
    bold: Path


def _reportlab_fonts() -> str:
    spec = find_spec("reportlab")
    origin = spec.origin if spec is not None else None
    return str(Path(origin).parent / "fonts") if origin else ""


_CANDIDATES = (
    # Debian and Ubuntu (fonts-dejavu-core), Fedora, Arch.
    ("/usr/share/fonts/truetype/dejavu", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu-sans-fonts", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/TTF", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
)


@lru_cache(maxsize=1)
def font_files() -> FontFiles:
    """The regular and bold font files of every PDF."""
    for folder, regular, bold in (*_CANDIDATES, (_reportlab_fonts(), "Vera.ttf", "VeraBd.ttf")):
        if folder and (Path(folder) / regular).is_file() and (Path(folder) / bold).is_file():
            return FontFiles(Path(folder) / regular, Path(folder) / bold)
    raise RuntimeError("ReportLab's own fonts are missing: the installation is damaged.")
