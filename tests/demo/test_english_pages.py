"""An English visitor meets no Indonesian interface text on the main public pages of the demo
city. The pages are read as a person sees them (text, and the labels of controls), leaving out
what people and agencies wrote (report texts, names of places, agencies, datasets, budget
accounts...: they stay in the language they were written in) and parts marked with another
`lang`; what remains must hold none of the telltale Indonesian words below."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.utils import translation

from terang.aspirations.selectors import public_aspirations
from terang.budget.models import BudgetYear
from terang.core.privacy import MASK
from terang.markets.models import Commodity

pytestmark = [pytest.mark.usefixtures("demo_city"), pytest.mark.xdist_group("demo-city")]

# Words of the Indonesian interface that have no place in English text (case-sensitive where
# the English page could hold the same letters, e.g. "data" and "Data").
TELLTALE = (
    "Beranda Lapor Laporan laporan Kirim kirim Masuk masuk Keluar Daftar Cari cari Lacak lacak "
    "Simpan Batal Unduh unduh Halaman halaman Tahun tahun Sebelumnya Berikutnya Semua semua "
    "Tidak tidak Belum belum Tampilkan Saring Terapkan Kembali Rincian Jumlah jumlah Terakhir "
    "terakhir Diperbarui diperbarui Sumber sumber Harga harga Kualitas Udara udara Informasi "
    "informasi Permohonan permohonan Pengaduan Aspirasi aspirasi Kota Warga warga Peta Kinerja "
    "Lihat lihat Pilih pilih yang dan untuk dengan dari ini atau pada oleh ke di Anda sudah "
    "akan dapat tanggal Tanggal hari jam bulan Bulan Minggu"
).split()
WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
URL = re.compile(r"\S+://\S+")
# Legal and official terms stay Indonesian with an English gloss, the term in brackets:
# "Unhealthy (Tidak Sehat)", "ISPU (Indeks Standar Pencemar Udara, the ... index)".
GLOSS = re.compile(r"\([^()]*\)")
# Elements whose text is not shown, and void elements (no end tag).
HIDDEN = {"script", "style", "template", "head", "title"}
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
LABEL_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")


class VisibleText(HTMLParser):
    """Text a person reads or hears on screen, one chunk per text node or control label,
    outside parts in another language (`lang` other than en) and print-only parts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.chunks: list[str] = []

    @property
    def skipping(self) -> bool:
        return any(skipped for _, skipped in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = values.get("lang")
        skipped = (
            tag in HIDDEN
            or (lang is not None and not lang.startswith("en"))
            or "print-only" in (values.get("class") or "").split()
        )
        if not (self.skipping or skipped):
            self.chunks.extend(values[name] or "" for name in LABEL_ATTRIBUTES if name in values)
            if tag == "input" and values.get("type") in {"submit", "button"}:
                self.chunks.append(values.get("value") or "")
        if tag not in VOID:
            self.stack.append((tag, skipped))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.chunks.append(data)


@dataclass
class Content:
    """Every text stored in the database (names, titles, report texts, reasons...),
    whitespace-normalised: as a set, and joined with NUL separators to search inside."""

    values: set[str]
    joined: str

    def __post_init__(self) -> None:
        self.longest_first = sorted((v for v in self.values if len(v) >= 5), key=len, reverse=True)

    def without(self, chunk: str) -> str:
        """The chunk with stored values cut out (a city name inside a translated sentence)."""
        for value in self.longest_first:
            if value in chunk:
                chunk = chunk.replace(value, " ")
        return chunk

    def holds(self, chunk: str) -> bool:
        """Whether a piece of page text was written by people: each part around the privacy
        mask is a stored value, the start of one (cut with an ellipsis), or a run of at least
        three words inside one (a paragraph of a longer text)."""
        for part in chunk.split(MASK):
            part = part.strip(" .,:;·…")
            if not WORD.search(part):
                continue
            if part in self.values or f"\0{part}" in self.joined:
                continue
            if len(WORD.findall(part)) >= 3 and part in self.joined:
                continue
            return False
        return True


def written_by_people() -> Content:
    values: set[str] = set()
    for model in apps.get_models():
        if model._meta.app_label in {"admin", "auth", "contenttypes", "sessions", "axes"}:
            continue
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
            and not field.name.endswith("_encrypted")
        ]
        if not fields:
            continue
        for row in model.objects.values_list(*fields).iterator():
            values.update(normalised(value) for value in row if value and value.strip())
    return Content(values, "\0" + "\0".join(sorted(values)))


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def indonesian_words(page: str, content: Content) -> list[str]:
    parser = VisibleText()
    parser.feed(page)
    telltale, found = set(TELLTALE), set()
    for chunk in map(normalised, parser.chunks):
        if not chunk or content.holds(chunk):
            continue
        chunk = URL.sub(" ", GLOSS.sub(" ", content.without(chunk)))
        found.update(word for word in WORD.findall(chunk) if word in telltale)
    return sorted(found)


def main_pages() -> list[str]:
    code = public_aspirations().order_by("pk").first().code
    year = BudgetYear.objects.order_by("-year").first().year
    commodity = Commodity.objects.order_by("code").first().code
    return [
        "/",
        "/lapor/",
        "/lacak/",
        f"/lacak/{code}/",
        f"/aspirasi/{code}/",
        "/aspirasi/",
        "/data/",
        "/apbd/",
        f"/apbd/{year}/",
        "/ppid/",
        "/udara/",
        "/harga-pasar/",
        f"/harga-pasar/{commodity}/",
    ]


@pytest.mark.django_db
def test_main_public_pages_in_english_hold_no_indonesian_interface_words() -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    content = written_by_people()
    found = {}
    try:
        for path in main_pages():
            response = client.get(path)
            assert response.status_code == 200, path
            assert '<html lang="en">' in response.content.decode()
            words = indonesian_words(response.content.decode(), content)
            if words:
                found[path] = words
    finally:
        translation.activate("id")
    assert found == {}


def test_the_reader_finds_indonesian_interface_words_but_not_content_or_other_languages():
    page = (
        '<html lang="en"><body><h1>Report</h1><p>Kirim laporan</p>'
        '<button lang="id">Bahasa Indonesia untuk semua</button>'
        '<input type="submit" value="Simpan"><img src="x.png" alt="Foto dari warga">'
        "<p>Jalan rusak dekat pasar</p><script>var Cari = 1;</script></body></html>"
    )
    content = Content({"Jalan rusak dekat pasar"}, "\0Jalan rusak dekat pasar")
    assert indonesian_words(page, content) == [
        "Kirim", "Simpan", "dari", "laporan", "warga",
    ]  # fmt: skip
