"""The translation catalogue of the interface: compiled, and read back as the set of
msgids it translates (with msgfmt, Debian's gettext, as the Makefile uses)."""

import gettext
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MESSAGES = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES"
# Templates and Python; the editor's script (served through the admin's jsi18n).
DOMAINS = ("django", "djangojs")
CATALOGUE = MESSAGES / "django.po"
CONTEXT_SEPARATOR = "\x04"


def msgfmt(po: Path, mo: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own files
        ["msgfmt", *options, "-o", str(mo), str(po)],  # noqa: S607 - gettext's tool
        capture_output=True,
        text=True,
        check=False,
    )


def compile_catalogues() -> None:
    """locale/…/<domain>.mo from each .po, when the .po is newer (as make does)."""
    for domain in DOMAINS:
        po = MESSAGES / f"{domain}.po"
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            done = msgfmt(po, mo, "--check")
            assert done.returncode == 0, done.stderr


def translated_msgids(mo: Path) -> set[str]:
    """The msgids a compiled catalogue translates, as "context|msgid" when they have a
    context. msgfmt leaves out empty and fuzzy translations, so they are absent."""
    with mo.open("rb") as file:
        catalog = gettext.GNUTranslations(file)._catalog
    msgids = {key[0] if isinstance(key, tuple) else key for key in catalog}
    return {msgid.replace(CONTEXT_SEPARATOR, "|") for msgid in msgids if msgid}
