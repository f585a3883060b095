from django.db import models
from django.utils.translation import gettext_lazy as _


class IncidentType(models.TextChoices):
    FIRE = "fire", _("Kebakaran")
    MEDICAL = "medical", _("Kedaruratan medis")
    CRIME = "crime", _("Kriminalitas")
    DISASTER = "disaster", _("Bencana")
    TRAFFIC_ACCIDENT = "traffic_accident", _("Kecelakaan lalu lintas")
    OTHER = "other", _("Lainnya")


class UnitKind(models.TextChoices):
    FIRE_BRIGADE = "fire_brigade", _("Pemadam kebakaran")
    AMBULANCE = "ambulance", _("Ambulans")
    POLICE = "police", _("Polisi")
    BPBD_RESCUE = "bpbd_rescue", _("Tim penyelamat BPBD")


class IncidentStatus(models.TextChoices):
    RECEIVED = "received", _("Diterima")
    DISPATCHED = "dispatched", _("Unit dikerahkan")
    ON_SCENE = "on_scene", _("Unit di lokasi")
    CLOSED = "closed", _("Selesai")
    CANCELLED = "cancelled", _("Dibatalkan")
    FALSE_CALL = "false_call", _("Panggilan palsu")


#: Statuses of an incident still being handled (shown on the wall, units held).
ACTIVE_STATUSES = (IncidentStatus.RECEIVED, IncidentStatus.DISPATCHED, IncidentStatus.ON_SCENE)


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Panggilan diterima")
    DISPATCHED = "dispatched", _("Unit dikerahkan")
    UNIT_ON_SCENE = "unit_on_scene", _("Unit tiba di lokasi")
    CLOSED = "closed", _("Penanganan selesai")
    CANCELLED = "cancelled", _("Dibatalkan")
    FALSE_CALL = "false_call", _("Ditandai panggilan palsu")


#: Default minute targets per incident type when the city has no row for it (see ResponseTarget):
#: (minutes from receipt to the first dispatch, minutes from receipt to the first unit on scene).
DEFAULT_TARGETS: dict[str, tuple[int, int]] = {
    IncidentType.FIRE: (3, 15),
    IncidentType.MEDICAL: (3, 15),
    IncidentType.CRIME: (3, 20),
    IncidentType.DISASTER: (3, 20),
    IncidentType.TRAFFIC_ACCIDENT: (3, 20),
    IncidentType.OTHER: (3, 20),
}
