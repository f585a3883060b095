"""ISPU (Indeks Standar Pencemar Udara) per Permen LHK P.14/MENLHK/SETJEN/KUM.1/7/2020.

Pure functions, no database: the control room's ingest, wall and API all call these so that
one reading always gives the same index everywhere.

What the regulation fixes (Lampiran, "Batas/konversi nilai konsentrasi parameter ISPU"):
seven parameters, their concentration breakpoints in µg/m³ at ISPU 0/50/100/200/300/500, the
linear interpolation ``I = (Ia - Ib) / (Xa - Xb) * (Xx - Xb) + Ib`` and five categories.

Where the regulation is silent, this module chooses (and the tests pin) these rules:

* **Segments are contiguous**: a concentration ``Xb < Xx <= Xa`` is interpolated on the band
  ``(Xb, Xa] -> (Ib, Ia]``; a value exactly on a breakpoint gets that breakpoint's ISPU
  (PM2.5 15.5 -> 50, Baik). There are no US-EPA style gaps (15.5 / 15.6), so a value such as
  PM2.5 15.55 is simply interpolated on the upper band (-> 50.06 -> 50). The curve is continuous,
  so the choice of band at an edge never changes the number.
* **Rounding**: the exact result (rational arithmetic on the decimal value, no float error) is
  rounded half up to an integer, and the category is taken from that integer.
* **Above the top breakpoint** (the ">300" row, upper point 500): extrapolated with the top
  band's slope, so an ISPU above 500 is possible and a worse reading never shows the same number
  as a milder one. Sensor plausibility limits belong to ingest, not here.
* **Negative, NaN or infinite concentrations** raise ``ValueError``.
* **Category lower bound**: the regulation's text reads 1-50 for Baik; ISPU 0 is also Baik.

Averaging periods: the issue fixes PM2.5 24 h, PM10 24 h, SO2 24 h, CO 8 h, O3 1 h, NO2 1 h,
HC 3 h. DOMAIN.md §1 marks these disputed (one transcription heads every column "24 jam"; the
1997 scheme used the same periods for PM10/SO2/CO/O3/NO2; HC 3 h follows the national ambient
standard for non-methane hydrocarbons). They live in one table, ``PARAMETERS``, to change in
one place once the Lampiran itself is read.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: ISPU values of the breakpoint rows; the last row is the ">300" row's upper point.
ISPU_POINTS: tuple[int, ...] = (0, 50, 100, 200, 300, 500)

#: Litres per mole of an ideal gas at 25 °C and 1 atm, the convention for ppb -> µg/m³.
MOLAR_VOLUME_L = Fraction("24.45")

_HOUR = dt.timedelta(hours=1)


class Parameter(StrEnum):
    """The seven ISPU parameters; the value is the code stored and sent in APIs."""

    PM25 = "pm25"
    PM10 = "pm10"
    SO2 = "so2"
    CO = "co"
    O3 = "o3"
    NO2 = "no2"
    HC = "hc"


@dataclass(frozen=True)
class ParameterSpec:
    """One column of the regulation's breakpoint table.

    ``breakpoints`` are the concentrations (µg/m³) at ``ISPU_POINTS``. ``molecular_weight`` is in
    g/mol (IUPAC standard atomic weights: H 1.008, C 12.011, N 14.007, O 15.999, S 32.06) and is
    None for particulates, which are never reported in ppb.
    """

    parameter: Parameter
    label: str
    averaging_hours: int
    breakpoints: tuple[Fraction, ...]
    molecular_weight: Fraction | None


def _points(*values: str) -> tuple[Fraction, ...]:
    return tuple(Fraction(value) for value in values)


#: Breakpoints from the Lampiran of P.14/MENLHK/SETJEN/KUM.1/7/2020 (DOMAIN.md §1), µg/m³.
#: SO2's upper point is 1200 (not 1000); CO is in µg/m³ (not the 1997 table's mg/m³).
#: HC is converted from ppb as methane equivalent (CH4, 16.043 g/mol): the regulation gives
#: no molecular weight, and analysers report total/non-methane hydrocarbons as CH4.
PARAMETERS: dict[Parameter, ParameterSpec] = {
    spec.parameter: spec
    for spec in (
        ParameterSpec(
            Parameter.PM25,
            "PM2.5",
            24,
            _points("0", "15.5", "55.4", "150.4", "250.4", "500"),
            None,
        ),
        ParameterSpec(
            Parameter.PM10, "PM10", 24, _points("0", "50", "150", "350", "420", "500"), None
        ),
        ParameterSpec(
            Parameter.SO2,
            "SO2",
            24,
            _points("0", "52", "180", "400", "800", "1200"),
            Fraction("64.058"),
        ),
        ParameterSpec(
            Parameter.CO,
            "CO",
            8,
            _points("0", "4000", "8000", "15000", "30000", "45000"),
            Fraction("28.010"),
        ),
        ParameterSpec(
            Parameter.O3,
            "O3",
            1,
            _points("0", "120", "235", "400", "800", "1000"),
            Fraction("47.997"),
        ),
        ParameterSpec(
            Parameter.NO2,
            "NO2",
            1,
            _points("0", "80", "200", "1130", "2260", "3000"),
            Fraction("46.005"),
        ),
        ParameterSpec(
            Parameter.HC,
            "HC",
            3,
            _points("0", "45", "100", "215", "432", "648"),
            Fraction("16.043"),
        ),
    )
}

#: Tie-break order for the critical parameter: PM2.5 first (the hourly headline), then the
#: order of the regulation's parameter list.
PARAMETER_ORDER: tuple[Parameter, ...] = tuple(PARAMETERS)


def parameter_spec(parameter: str) -> ParameterSpec:
    """The spec for a parameter code; ``ValueError`` for an unknown code."""
    try:
        return PARAMETERS[Parameter(parameter)]
    except ValueError:
        raise ValueError(f"unknown ISPU parameter: {parameter!r}") from None


def _exact(value: float, what: str) -> Fraction:
    """The decimal value as written (``str`` of a float), so 15.5 is exactly 31/2."""
    if isinstance(value, bool) or not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    if value < 0:
        raise ValueError(f"{what} must not be negative, got {value!r}")
    return Fraction(str(value))


def ppb_to_ugm3(parameter: str, ppb: float) -> float:
    """Convert a gas reading in ppb to µg/m³ at 25 °C, 1 atm: ppb × MW / 24.45."""
    spec = parameter_spec(parameter)
    if spec.molecular_weight is None:
        raise ValueError(f"{spec.label} is a particulate and has no ppb form")
    return float(_exact(ppb, "concentration") * spec.molecular_weight / MOLAR_VOLUME_L)


def ppm_to_ugm3(parameter: str, ppm: float) -> float:
    """Convert a gas reading in ppm (CO analysers often report ppm) to µg/m³."""
    return ppb_to_ugm3(parameter, float(_exact(ppm, "concentration") * 1000))


def _round_half_up(value: Fraction) -> int:
    return math.floor(value + Fraction(1, 2))


def ispu_exact(parameter: str, concentration_ugm3: float) -> Fraction:
    """The unrounded ISPU, exact: contiguous bands, top band extrapolated (module docstring)."""
    spec = parameter_spec(parameter)
    xx = _exact(concentration_ugm3, "concentration")
    points = spec.breakpoints
    band = len(points) - 1  # past the top breakpoint: extrapolate with the top band
    for upper in range(1, len(points)):
        if xx <= points[upper]:
            band = upper
            break
    xa, xb = points[band], points[band - 1]
    ia, ib = ISPU_POINTS[band], ISPU_POINTS[band - 1]
    return (ia - ib) * (xx - xb) / (xa - xb) + ib


def ispu_for(parameter: str, concentration_ugm3: float) -> int:
    """The ISPU for one parameter's averaged concentration, rounded half up to an integer."""
    return _round_half_up(ispu_exact(parameter, concentration_ugm3))


@dataclass(frozen=True)
class Category:
    """An ISPU category with its official Indonesian name and display colours.

    The regulation names the colours (hijau, biru, kuning, merah, hitam) but gives no hex values;
    ``colour`` uses those KLHK's ISPU feed reportedly returns (DOMAIN.md §1). ``text_colour`` is
    the one of black/white readable on it (contrast of at least 4.5:1).
    """

    code: str
    name: str | Promise
    name_en: str
    min_ispu: int
    max_ispu: int | None
    colour: str
    text_colour: str
    health_message: str | Promise


CATEGORIES: tuple[Category, ...] = (
    Category(
        "baik",
        _("Baik"),
        "Good",
        0,
        50,
        "#00cc00",
        "#000000",
        _("Kualitas udara baik; aman untuk beraktivitas di luar ruangan."),
    ),
    Category(
        "sedang",
        _("Sedang"),
        "Moderate",
        51,
        100,
        "#0000cc",
        "#ffffff",
        _(
            "Kualitas udara masih dapat diterima; kelompok sensitif sebaiknya mengurangi "
            "aktivitas berat di luar ruangan."
        ),
    ),
    Category(
        "tidak_sehat",
        _("Tidak Sehat"),
        "Unhealthy",
        101,
        200,
        "#cccc00",
        "#000000",
        _(
            "Kualitas udara tidak sehat; kurangi aktivitas di luar ruangan dan gunakan masker, "
            "terutama kelompok sensitif."
        ),
    ),
    Category(
        "sangat_tidak_sehat",
        _("Sangat Tidak Sehat"),
        "Very Unhealthy",
        201,
        300,
        "#cc0000",
        "#ffffff",
        _("Kualitas udara sangat tidak sehat; hindari aktivitas di luar ruangan."),
    ),
    Category(
        "berbahaya",
        _("Berbahaya"),
        "Hazardous",
        301,
        None,
        "#000000",
        "#ffffff",
        _(
            "Kualitas udara berbahaya; tetap di dalam ruangan, tutup jendela, dan ikuti arahan "
            "petugas kesehatan."
        ),
    ),
)


def category_for(ispu: int) -> Category:
    """The category of an integer ISPU (0-50, 51-100, 101-200, 201-300, 301 and above)."""
    if isinstance(ispu, bool) or not isinstance(ispu, int):
        raise TypeError(f"ISPU must be an int (round first), got {ispu!r}")
    if ispu < 0:
        raise ValueError(f"ISPU must not be negative, got {ispu}")
    for category in CATEGORIES:
        if category.max_ispu is None or ispu <= category.max_ispu:
            return category
    raise AssertionError("unreachable: the last category is open-ended")


_CATEGORIES_BY_CODE = {category.code: category for category in CATEGORIES}


def category_by_code(code: str) -> Category:
    """The category stored under `code` (published rows keep the code); ``KeyError`` if none."""
    return _CATEGORIES_BY_CODE[code]


def rolling_average(
    readings: Sequence[tuple[dt.datetime, float]],
    *,
    end: dt.datetime,
    hours: int,
    min_coverage: float = 0.75,
) -> float | None:
    """Mean concentration over the ``hours`` hours ending at ``end``, or None if too incomplete.

    Readings are timestamped at the end of the period they cover (an hourly value stamped 10:00
    covers 09:00-10:00), so the window is ``(end - hours, end]``: a reading at ``end`` counts, one
    at ``end - hours`` does not, nor one after ``end``. The window has ``hours`` hourly slots;
    several readings in one slot are averaged first, so a chatty sensor does not outweigh the
    other hours, and the result is the mean of the slot means. NaN readings count as missing.
    The average is published only if at least ``min_coverage`` of the slots hold data
    (default 75%: 18 of 24 hours, 6 of 8, 3 of 3, 1 of 1); otherwise None.
    Datetimes must be timezone-aware; negative readings raise ``ValueError``.
    """
    if hours < 1:
        raise ValueError(f"hours must be at least 1, got {hours}")
    if not 0 < min_coverage <= 1:
        raise ValueError(f"min_coverage must be in (0, 1], got {min_coverage}")
    if end.tzinfo is None:
        raise ValueError("end must be timezone-aware")
    start = end - hours * _HOUR
    slots: dict[int, list[float]] = {}
    for timestamp, value in readings:
        if timestamp.tzinfo is None:
            raise ValueError("reading timestamps must be timezone-aware")
        if not start < timestamp <= end or math.isnan(value):
            continue
        if value < 0 or math.isinf(value):
            raise ValueError(f"reading must be a non-negative finite number, got {value!r}")
        slot = (end - timestamp) // _HOUR  # slot k is (end - (k+1) h, end - k h]
        slots.setdefault(slot, []).append(value)
    if len(slots) < math.ceil(min_coverage * hours - 1e-9):
        return None
    return math.fsum(math.fsum(values) / len(values) for values in slots.values()) / len(slots)


@dataclass(frozen=True)
class StationIspu:
    """A station's ISPU: the worst parameter's index and that parameter (parameter kritis)."""

    ispu: int
    critical_parameter: Parameter
    category: Category
    per_parameter: Mapping[Parameter, int]


def station_ispu(averages: Mapping[str, float | None]) -> StationIspu:
    """The station ISPU as the maximum over its parameters' ISPU values.

    ``averages`` maps parameter codes to averaged concentrations in µg/m³; None (an incomplete
    window, see ``rolling_average``) is skipped. A tie goes to the parameter earlier in
    ``PARAMETER_ORDER``, so the same data always names the same critical parameter.
    ``ValueError`` if no parameter has a value or a code is unknown.
    """
    per_parameter: dict[Parameter, int] = {}
    for code, average in averages.items():
        spec = parameter_spec(code)
        if average is not None:
            per_parameter[spec.parameter] = ispu_for(spec.parameter, average)
    if not per_parameter:
        raise ValueError("no parameter has a complete average")
    ordered = {p: per_parameter[p] for p in PARAMETER_ORDER if p in per_parameter}
    critical = max(ordered, key=lambda p: (ordered[p], -PARAMETER_ORDER.index(p)))
    value = ordered[critical]
    return StationIspu(
        ispu=value, critical_parameter=critical, category=category_for(value), per_parameter=ordered
    )
