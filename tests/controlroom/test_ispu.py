"""ISPU per Permen LHK P.14/2020: breakpoints, interpolation, the silent-case rules, windows."""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from terang.controlroom.air.ispu import (
    CATEGORIES,
    ISPU_POINTS,
    PARAMETER_ORDER,
    PARAMETERS,
    Parameter,
    category_for,
    ispu_exact,
    ispu_for,
    ppb_to_ugm3,
    ppm_to_ugm3,
    rolling_average,
    station_ispu,
)

UTC = dt.UTC
END = dt.datetime(2025, 3, 1, 10, 0, tzinfo=UTC)

# The regulation's table, written out again by hand so a typo in the module cannot hide.
TABLE = {
    "pm10": (0, 50, 150, 350, 420, 500),
    "pm25": (0, 15.5, 55.4, 150.4, 250.4, 500),
    "so2": (0, 52, 180, 400, 800, 1200),
    "co": (0, 4000, 8000, 15000, 30000, 45000),
    "o3": (0, 120, 235, 400, 800, 1000),
    "no2": (0, 80, 200, 1130, 2260, 3000),
    "hc": (0, 45, 100, 215, 432, 648),
}
BOUNDARIES = [
    pytest.param(code, x, ispu, id=f"{code}-{x}")
    for code, row in TABLE.items()
    for x, ispu in zip(row, ISPU_POINTS, strict=True)
]


def test_module_table_matches_the_regulation():
    module = {p.value: tuple(float(x) for x in spec.breakpoints) for p, spec in PARAMETERS.items()}
    assert module == {code: tuple(float(x) for x in row) for code, row in TABLE.items()}
    assert ISPU_POINTS == (0, 50, 100, 200, 300, 500)


def test_averaging_periods():
    assert {p.value: spec.averaging_hours for p, spec in PARAMETERS.items()} == {
        "pm25": 24,
        "pm10": 24,
        "so2": 24,
        "co": 8,
        "o3": 1,
        "no2": 1,
        "hc": 3,
    }


@pytest.mark.parametrize(("code", "concentration", "expected"), BOUNDARIES)
def test_every_breakpoint_gives_its_ispu(code, concentration, expected):
    assert ispu_for(code, concentration) == expected


INNER_BOUNDARIES = [
    pytest.param(code, x, ispu, id=f"{code}-{x}")
    for code, row in TABLE.items()
    for x, ispu in list(zip(row, ISPU_POINTS, strict=True))[1:]
]


@pytest.mark.parametrize(("code", "concentration", "expected"), INNER_BOUNDARIES)
def test_no_jump_either_side_of_a_breakpoint(code, concentration, expected):
    """Contiguous bands: a hair below or above a breakpoint stays within 0.01 of its ISPU."""
    hair = concentration * 1e-6
    below = ispu_exact(code, concentration - hair)
    above = ispu_exact(code, concentration + hair)
    assert ispu_exact(code, concentration) == expected
    assert expected - Fraction(1, 100) < below < expected < above < expected + Fraction(1, 100)


# Midpoints of every band: exactly halfway between the two ISPU points.
MIDPOINTS = [
    pytest.param(
        code,
        (row[i] + row[i + 1]) / 2,
        (ISPU_POINTS[i] + ISPU_POINTS[i + 1]) // 2,
        id=f"{code}-mid{i}",
    )
    for code, row in TABLE.items()
    for i in range(len(row) - 1)
]


@pytest.mark.parametrize(("code", "concentration", "expected"), MIDPOINTS)
def test_band_midpoints_interpolate_linearly(code, concentration, expected):
    assert ispu_for(code, concentration) == expected


@pytest.mark.parametrize(
    ("code", "concentration", "expected"),
    [
        # 50 + 50 * (20 - 15.5) / (55.4 - 15.5) = 55.639...
        ("pm25", 20, 56),
        # 100 + 100 * (100 - 55.4) / (150.4 - 55.4) = 146.947...
        ("pm25", 100, 147),
        # 100 + 100 * (250 - 150) / (350 - 150) = 150
        ("pm10", 250, 150),
        # 50 * 30 / 52 = 28.846...
        ("so2", 30, 29),
        # 50 + 50 * (5000 - 4000) / 4000 = 62.5 -> half up
        ("co", 5000, 63),
        # 100 + 100 * (300 - 235) / 165 = 139.39...
        ("o3", 300, 139),
        # 100 + 100 * (500 - 200) / 930 = 132.258...
        ("no2", 500, 132),
        # 200 + 100 * (300 - 215) / 217 = 239.17...
        ("hc", 300, 239),
    ],
)
def test_values_between_breakpoints_hand_computed(code, concentration, expected):
    assert ispu_for(code, concentration) == expected


class TestSilentCases:
    def test_value_just_past_a_band_edge_uses_the_upper_band_without_a_gap(self):
        # 50 + 50 * 0.05 / 39.9 = 50.06: contiguous bands, no jump to 51 as with US-EPA gaps.
        assert ispu_for("pm25", 15.55) == 50
        assert ispu_for("pm25", 15.6) == 50
        assert ispu_for("pm25", 15.9) == 51

    def test_a_breakpoint_value_belongs_to_the_lower_category(self):
        assert category_for(ispu_for("pm25", 15.5)).code == "baik"
        assert category_for(ispu_for("pm25", 55.4)).code == "sedang"
        assert category_for(ispu_for("pm10", 350)).code == "tidak_sehat"
        assert category_for(ispu_for("pm10", 420)).code == "sangat_tidak_sehat"

    def test_rounding_is_half_up_not_bankers(self):
        assert ispu_for("pm10", 12.5) == 13
        assert ispu_for("pm10", 0.5) == 1
        assert ispu_for("pm10", 0.49) == 0
        assert ispu_for("co", 5000) == 63  # 62.5

    def test_above_the_top_breakpoint_extrapolates_with_the_top_slope(self):
        # PM10 top band 420..500 -> 300..500: slope 2.5 per µg/m³.
        assert ispu_for("pm10", 580) == 700
        # PM2.5: 300 + 200 * (600 - 250.4) / 249.6 = 580.128
        assert ispu_for("pm25", 600) == 580
        assert category_for(ispu_for("pm25", 600)).code == "berbahaya"

    @pytest.mark.parametrize("bad", [-0.1, -1000, math.nan, math.inf, -math.inf])
    def test_negative_and_non_finite_concentrations_are_rejected(self, bad):
        with pytest.raises(ValueError, match="concentration"):
            ispu_for("pm25", bad)

    def test_unknown_parameter_is_rejected(self):
        with pytest.raises(ValueError, match="unknown ISPU parameter"):
            ispu_for("pb", 1.0)

    def test_parameter_enum_and_code_are_interchangeable(self):
        assert ispu_for(Parameter.PM25, 35.45) == ispu_for("pm25", 35.45) == 75


@pytest.mark.parametrize("code", list(TABLE))
@given(data=st.data())
def test_higher_concentration_never_gives_a_lower_ispu(code, data):
    top = TABLE[code][-1] * 2
    a = data.draw(st.floats(min_value=0, max_value=top, allow_nan=False))
    b = data.draw(st.floats(min_value=a, max_value=top, allow_nan=False))
    assert ispu_for(code, a) <= ispu_for(code, b)


class TestUnits:
    def test_so2_one_ppb_is_about_2_62_ugm3(self):
        assert ppb_to_ugm3("so2", 1) == pytest.approx(64.058 / 24.45)
        assert round(ppb_to_ugm3("so2", 1), 2) == 2.62

    @pytest.mark.parametrize(
        ("code", "molecular_weight"),
        [("so2", 64.058), ("co", 28.010), ("o3", 47.997), ("no2", 46.005), ("hc", 16.043)],
    )
    def test_ppb_uses_molecular_weight_over_24_45(self, code, molecular_weight):
        assert ppb_to_ugm3(code, 100) == pytest.approx(100 * molecular_weight / 24.45)

    def test_co_ppm_is_a_thousand_ppb(self):
        assert ppm_to_ugm3("co", 1) == pytest.approx(1145.603, abs=1e-3)
        assert ppm_to_ugm3("co", 3.5) == pytest.approx(ppb_to_ugm3("co", 3500))

    def test_converted_ozone_reading_gives_its_ispu(self):
        # 60 ppb O3 = 117.78 µg/m³ -> 50 * 117.78 / 120 = 49.08
        assert ispu_for("o3", ppb_to_ugm3("o3", 60)) == 49

    @pytest.mark.parametrize("code", ["pm25", "pm10"])
    def test_particulates_have_no_ppb_form(self, code):
        with pytest.raises(ValueError, match="particulate"):
            ppb_to_ugm3(code, 10)

    def test_negative_ppb_is_rejected(self):
        with pytest.raises(ValueError, match="negative"):
            ppb_to_ugm3("no2", -1)


class TestCategories:
    @pytest.mark.parametrize(
        ("ispu", "code"),
        [
            (0, "baik"),
            (1, "baik"),
            (50, "baik"),
            (51, "sedang"),
            (100, "sedang"),
            (101, "tidak_sehat"),
            (200, "tidak_sehat"),
            (201, "sangat_tidak_sehat"),
            (300, "sangat_tidak_sehat"),
            (301, "berbahaya"),
            (500, "berbahaya"),
            (5000, "berbahaya"),
        ],
    )
    def test_category_bands(self, ispu, code):
        assert category_for(ispu).code == code

    def test_names_and_colours(self):
        with translation.override("id"):
            rows = [(str(c.name), c.name_en, c.colour) for c in CATEGORIES]
        assert rows == [
            ("Baik", "Good", "#00cc00"),
            ("Sedang", "Moderate", "#0000cc"),
            ("Tidak Sehat", "Unhealthy", "#cccc00"),
            ("Sangat Tidak Sehat", "Very Unhealthy", "#cc0000"),
            ("Berbahaya", "Hazardous", "#000000"),
        ]

    def test_every_category_has_an_indonesian_health_message(self):
        with translation.override("id"):
            assert all(str(c.health_message).startswith("Kualitas udara") for c in CATEGORIES)

    @pytest.mark.parametrize("category", CATEGORIES, ids=lambda c: c.code)
    def test_text_colour_is_readable_on_the_category_colour(self, category):
        def luminance(hex_colour: str) -> float:
            channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
            linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
            return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

        light, dark = sorted([luminance(category.colour), luminance(category.text_colour)])[::-1]
        assert (light + 0.05) / (dark + 0.05) >= 4.5

    def test_negative_ispu_is_rejected(self):
        with pytest.raises(ValueError):
            category_for(-1)

    def test_unrounded_ispu_is_rejected(self):
        with pytest.raises(TypeError):
            category_for(50.5)


def hourly(values, *, end=END):
    """Hourly readings stamped at the end of their hour, newest last, ending at ``end``."""
    n = len(values)
    return [(end - dt.timedelta(hours=n - 1 - i), v) for i, v in enumerate(values)]


class TestRollingAverage:
    def test_full_window_is_the_mean(self):
        readings = hourly([float(i) for i in range(24)])
        assert rolling_average(readings, end=END, hours=24) == pytest.approx(11.5)

    def test_18_of_24_hours_is_enough_17_is_not(self):
        assert rolling_average(hourly([10.0] * 18), end=END, hours=24) == 10.0
        assert rolling_average(hourly([10.0] * 17), end=END, hours=24) is None

    def test_short_windows_need_every_hour_or_six_of_eight(self):
        assert rolling_average(hourly([5.0] * 6), end=END, hours=8) == 5.0
        assert rolling_average(hourly([5.0] * 5), end=END, hours=8) is None
        assert rolling_average(hourly([5.0] * 2), end=END, hours=3) is None
        assert rolling_average(hourly([5.0] * 3), end=END, hours=3) == 5.0
        assert rolling_average([], end=END, hours=1) is None

    def test_window_is_open_at_the_start_and_closed_at_the_end(self):
        readings = [
            (END, 1.0),
            (END - dt.timedelta(hours=1), 3.0),
            (END - dt.timedelta(hours=2), 1000.0),  # exactly at the start: outside
            (END + dt.timedelta(minutes=1), 1000.0),  # after the end: outside
        ]
        assert rolling_average(readings, end=END, hours=2) == 2.0

    def test_several_readings_in_one_hour_count_as_one_slot(self):
        readings = [
            (END, 10.0),
            (END - dt.timedelta(minutes=20), 20.0),
            (END - dt.timedelta(minutes=40), 30.0),
            (END - dt.timedelta(hours=1), 100.0),
        ]
        # slot 0 (09:00-10:00]: 10, 20, 30 -> 20; slot 1 (08:00-09:00]: 100 -> mean 60
        assert rolling_average(readings, end=END, hours=2) == 60.0
        assert rolling_average(readings[:3], end=END, hours=2, min_coverage=1.0) is None

    def test_nan_readings_count_as_missing(self):
        readings = hourly([math.nan] * 7 + [10.0] * 17)
        assert rolling_average(readings, end=END, hours=24) is None
        readings = hourly([math.nan] * 6 + [10.0] * 18)
        assert rolling_average(readings, end=END, hours=24) == 10.0

    def test_other_timezones_are_compared_as_instants(self):
        wib = dt.timezone(dt.timedelta(hours=7))
        readings = [(END.astimezone(wib), 4.0)]
        assert rolling_average(readings, end=END, hours=1) == 4.0

    def test_hourly_pm25_publication_feeds_the_ispu(self):
        readings = hourly([35.45] * 24)
        hours = PARAMETERS[Parameter.PM25].averaging_hours
        average = rolling_average(readings, end=END, hours=hours)
        assert ispu_for("pm25", average) == 75

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"hours": 0}, "hours"),
            ({"hours": 24, "min_coverage": 0}, "min_coverage"),
            ({"hours": 24, "min_coverage": 1.5}, "min_coverage"),
        ],
    )
    def test_invalid_window_is_rejected(self, kwargs, message):
        with pytest.raises(ValueError, match=message):
            rolling_average([], end=END, **kwargs)

    def test_naive_datetimes_are_rejected(self):
        naive = dt.datetime(2025, 3, 1, 10, 0)
        with pytest.raises(ValueError, match="timezone-aware"):
            rolling_average([], end=naive, hours=1)
        with pytest.raises(ValueError, match="timezone-aware"):
            rolling_average([(naive, 1.0)], end=END, hours=1)

    def test_negative_reading_is_rejected(self):
        with pytest.raises(ValueError, match="non-negative"):
            rolling_average([(END, -1.0)], end=END, hours=1)


class TestStationIspu:
    def test_worst_parameter_is_the_station_ispu_and_critical_parameter(self):
        result = station_ispu({"pm25": 35.45, "pm10": 250, "o3": 60})
        assert result.ispu == 150
        assert result.critical_parameter is Parameter.PM10
        assert result.category.code == "tidak_sehat"
        assert dict(result.per_parameter) == {
            Parameter.PM25: 75,
            Parameter.PM10: 150,
            Parameter.O3: 25,
        }

    def test_tie_goes_to_the_earlier_parameter_in_the_fixed_order(self):
        # PM10 100 -> 75 and PM2.5 35.45 -> 75; PM2.5 comes first whatever the dict order.
        assert station_ispu({"pm10": 100, "pm25": 35.45}).critical_parameter is Parameter.PM25
        assert station_ispu({"no2": 140, "so2": 116}).critical_parameter is Parameter.SO2
        assert PARAMETER_ORDER[0] is Parameter.PM25

    def test_parameters_without_a_complete_average_are_skipped(self):
        result = station_ispu({"pm25": None, "co": 11500})
        assert (result.ispu, result.critical_parameter) == (150, Parameter.CO)
        assert list(result.per_parameter) == [Parameter.CO]

    def test_no_values_is_an_error(self):
        with pytest.raises(ValueError, match="no parameter"):
            station_ispu({})
        with pytest.raises(ValueError, match="no parameter"):
            station_ispu({"pm25": None})

    def test_unknown_parameter_is_an_error(self):
        with pytest.raises(ValueError, match="unknown ISPU parameter"):
            station_ispu({"pm25": 10, "pb": 1})
