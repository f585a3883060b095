"""System-written timeline reasons, stored as a code with parameters and translated when shown,
so each reader sees them in their own language whatever language wrote them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from .choices import Channel

RECEIVED = "received"
ROUTED = "routed"
PING_PONG = "ping_pong"
RESOLUTION_ACCEPTED = "resolution_accepted"
CLOSED_AFTER_RATING = "closed_after_rating"
AUTO_CLOSED = "auto_closed"
MERGED_INTO = "merged_into"
MERGED_HERE = "merged_here"
ESCALATED_AGENCY_HEAD = "escalated_agency_head"
ESCALATED_INSPECTORATE = "escalated_inspectorate"
PLACED = "placed"

TEMPLATES = {
    RECEIVED: _("Laporan diterima melalui kanal %(channel)s."),
    ROUTED: _("Diteruskan ke OPD penanggung jawab kategori."),
    PING_PONG: _("Dipindahkan %(moves)d kali antar-OPD: diserahkan ke ruang kendali."),
    RESOLUTION_ACCEPTED: _("Penyelesaian diperiksa dan diterima."),
    CLOSED_AFTER_RATING: _("Ditutup setelah penilaian pelapor."),
    AUTO_CLOSED: _("Ditutup otomatis: tidak ada tanggapan pelapor."),
    MERGED_INTO: _("Digabung dengan %(code)s."),
    MERGED_HERE: _("Laporan %(code)s digabung ke laporan ini."),
    ESCALATED_AGENCY_HEAD: _("Tenggat terlewati: dieskalasi ke kepala OPD."),
    ESCALATED_INSPECTORATE: _("Tenggat terlewati: dieskalasi ke inspektorat."),
    PLACED: _("Lokasi laporan ditetapkan petugas (kelurahan: %(kelurahan)s)."),
}


def describe(code: str, params: dict[str, Any] | None = None) -> str:
    """The reason in the active language; unknown codes show as they are."""
    template = TEMPLATES.get(code)
    if template is None:
        return code
    values = dict(params or {})
    if "channel" in values:
        values["channel"] = (
            str(Channel(values["channel"]).label)
            if values["channel"] in Channel.values
            else values["channel"]
        )
    return str(template) % values if values else str(template)
