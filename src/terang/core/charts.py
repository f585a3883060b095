"""Axes of the server-rendered SVG charts (no JavaScript), shared by every app that draws one:
the tick type, a "nice" tick step and the linear scale from a value to SVG units.

Positions are rounded to one decimal so the markup stays short and the same data always gives
the same bytes.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Tick:
    """A labelled place on an axis: `position` in SVG units, with its number, date or text."""

    position: float
    value: int = 0
    date: dt.date | None = None
    label: str = ""


def nice_step(span: float, target: int = 5, factors: tuple[float, ...] = (1, 2, 2.5, 5)) -> float:
    """A step of one of `factors` times a power of ten giving at most about `target` intervals
    over `span` (1.0 for an empty span)."""
    if span <= 0:
        return 1.0
    raw = span / target
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (*factors, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude  # pragma: no cover


def scale(low: float, high: float, start: float, end: float) -> Callable[[float], float]:
    """Map values from [low, high] onto [start, end] in SVG units (end < start for a y axis
    growing upwards), rounded to one decimal."""
    length = end - start
    extent = high - low

    def position(value: float) -> float:
        return round(start + length * (value - low) / extent, 1)

    return position
