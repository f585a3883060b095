"""The English catalog is complete: every Indonesian source string has a checked translation.

Indonesian msgids are the source text, so the Indonesian catalog needs no msgstr; English must
be complete ("Bahasa Indonesia by default, English complete"). These tests read the .po file
directly, check the compiled .mo matches it, and re-extract the sources into a scratch copy so a
string added without a translation is caught before it ships.
"""

from __future__ import annotations

import ast
import gettext
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command

import terang

PACKAGE_DIR = Path(terang.__file__).resolve().parent
LOCALE_DIR = PACKAGE_DIR / "locale"
EN_PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
EN_MO = EN_PO.with_suffix(".mo")
ID_PO = LOCALE_DIR / "id" / "LC_MESSAGES" / "django.po"
IN_CI = os.environ.get("CI", "").lower() == "true"
PLACEHOLDER = re.compile(r"%\([A-Za-z_]+\)[sd]|\{[A-Za-z_]+\}")


@dataclass
class Entry:
    """One catalog message: msgid, optional plural and its msgstr forms (index -> text)."""

    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())


def read_catalog(path: Path) -> list[Entry]:
    """A small .po reader (no extra dependency): entries are blocks separated by blank lines."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry, target = Entry(), ""
        for raw in block.splitlines():
            line = raw.strip()
            if line.startswith("#~"):
                entry.obsolete, line = True, line[2:].strip()
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
                continue
            if not line or line.startswith("#"):
                continue
            if line.startswith('"'):
                keyword, text = target, ast.literal_eval(line)
            else:
                keyword, _, rest = line.partition(" ")
                text, target = ast.literal_eval(rest), keyword
            if keyword.startswith("msgstr"):
                index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
                entry.msgstr[index] = entry.msgstr.get(index, "") + text
            elif keyword == "msgctxt":
                entry.msgctxt = (entry.msgctxt or "") + text
            elif keyword in {"msgid", "msgid_plural"}:
                setattr(entry, keyword, getattr(entry, keyword) + text)
            else:
                raise AssertionError(f"{path}: unexpected line {raw!r}")
        if entry.msgid and not entry.obsolete:
            entries.append(entry)
    return entries


def problems(entries: list[Entry]) -> list[str]:
    """Untranslated or fuzzy entries, as readable lines for an assertion message."""
    return [
        f"{'fuzzy' if 'fuzzy' in entry.flags else 'untranslated'}: {entry.msgid!r}"
        for entry in entries
        if "fuzzy" in entry.flags or not entry.translated
    ]


def test_english_catalog_has_no_untranslated_or_fuzzy_entries() -> None:
    entries = read_catalog(EN_PO)

    assert len(entries) > 400
    assert problems(entries) == []


def test_english_catalog_passes_msgfmt_check_with_nothing_untranslated() -> None:
    if shutil.which("msgfmt") is None:
        if IN_CI:
            pytest.fail("msgfmt (GNU gettext) is required: compilemessages needs it too")
        pytest.skip("msgfmt (GNU gettext) is not installed")

    result = subprocess.run(  # noqa: S603
        ["msgfmt", "--check", "--statistics", "-o", os.devnull, str(EN_PO)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    statistics = result.stderr.strip()
    assert re.fullmatch(r"\d+ translated messages?\.", statistics), statistics
    assert int(statistics.split()[0]) == len(read_catalog(EN_PO))


def test_plural_entries_have_both_english_forms() -> None:
    plurals = [entry for entry in read_catalog(EN_PO) if entry.msgid_plural]

    assert plurals
    for entry in plurals:
        assert sorted(entry.msgstr) == [0, 1], entry.msgid
        assert entry.msgstr[0] != entry.msgstr[1], entry.msgid


def test_translations_keep_every_placeholder() -> None:
    for entry in read_catalog(EN_PO):
        source = entry.msgid_plural or entry.msgid
        expected = sorted(PLACEHOLDER.findall(source))
        for text in entry.msgstr.values():
            assert sorted(PLACEHOLDER.findall(text)) == expected, (entry.msgid, text)


def test_english_and_indonesian_catalogs_hold_the_same_messages() -> None:
    english = {(entry.msgctxt, entry.msgid) for entry in read_catalog(EN_PO)}
    indonesian = {(entry.msgctxt, entry.msgid) for entry in read_catalog(ID_PO)}

    assert english == indonesian


def test_compiled_english_catalog_matches_the_po_file() -> None:
    """Pages read the .mo; a stale one shows old text. `make messages` rebuilds it."""
    assert EN_MO.exists(), "run `make messages` to compile the catalogs"
    with EN_MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    stale = []
    for entry in read_catalog(EN_PO):
        if entry.msgid_plural and entry.msgctxt is not None:
            got = [
                compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                for n in (1, 2)
            ]
            want = [entry.msgstr[0], entry.msgstr[1]]
        elif entry.msgid_plural:
            got = [compiled.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
            want = [entry.msgstr[0], entry.msgstr[1]]
        elif entry.msgctxt is not None:
            got, want = [compiled.pgettext(entry.msgctxt, entry.msgid)], [entry.msgstr[0]]
        else:
            got, want = [compiled.gettext(entry.msgid)], [entry.msgstr[0]]
        if got != want:
            stale.append(entry.msgid)
    assert stale == [], "the .mo is stale: run `make messages`"


def test_every_string_in_the_sources_is_in_the_english_catalog(
    tmp_path, monkeypatch, settings
) -> None:
    """Re-extract into a scratch copy of the package: nothing new, nothing left untranslated."""
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        if IN_CI:
            pytest.fail("GNU gettext tools are required to extract messages")
        pytest.skip("GNU gettext tools are not installed")
    copy = tmp_path / "terang"
    shutil.copytree(
        PACKAGE_DIR,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "var", "static", "media", "*.mo", "*.pyc"),
    )
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)

    call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)

    extracted = read_catalog(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")
    committed = {(entry.msgctxt, entry.msgid) for entry in read_catalog(EN_PO)}
    new = sorted(
        entry.msgid for entry in extracted if (entry.msgctxt, entry.msgid) not in committed
    )
    assert new == [], "new source strings: run makemessages -l en -l id and translate them"
    assert problems(extracted) == []
