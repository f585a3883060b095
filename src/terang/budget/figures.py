"""Plan, realisation and the percentages the explorer shows, in exact integer arithmetic.

Serapan (absorption) = realisation / plan x 100, rounded half up (away from zero) to two
decimals, the way Indonesian budget reports print it ("87,35 %"); None when the plan is 0.
The same rounding serves shares (a row's plan / its parent's plan) and year-on-year changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .models import MONTHS

PLACES = 2


def percent(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator x 100, two decimals, half away from zero; None for a zero
    denominator. Integer arithmetic, so no binary or context rounding creeps in."""
    if denominator == 0:
        return None
    negative = (numerator < 0) != (denominator < 0)
    scaled, rest = divmod(abs(numerator) * 100 * 10**PLACES, abs(denominator))
    if 2 * rest >= abs(denominator):
        scaled += 1
    value = Decimal(scaled).scaleb(-PLACES)
    return -value if negative and scaled else value


def change_percent(new: int, old: int) -> Decimal | None:
    """(new - old) / old x 100; None when there is nothing to compare against."""
    return percent(new - old, old)


@dataclass(frozen=True)
class Figures:
    """Plan (pagu) and realisation of anything, in whole rupiah. Derived figures (surplus,
    net financing) may be negative."""

    planned: int = 0
    realised: int = 0

    @property
    def absorption(self) -> Decimal | None:
        return percent(self.realised, self.planned)

    @property
    def remaining(self) -> int:
        return self.planned - self.realised

    def __add__(self, other: Figures) -> Figures:
        return Figures(self.planned + other.planned, self.realised + other.realised)

    def __sub__(self, other: Figures) -> Figures:
        return Figures(self.planned - other.planned, self.realised - other.realised)


@dataclass(frozen=True)
class MonthPoint:
    month: int
    amount: int
    cumulative: int
    absorption: Decimal | None  # cumulative / plan


@dataclass(frozen=True)
class Monthly:
    """Realisation in each month (January first) against the year's plan."""

    planned: int
    amounts: tuple[int, ...] = (0,) * 12

    @property
    def through(self) -> int:
        """The last month with any realisation (0 when none)."""
        return max((m for m, amount in zip(MONTHS, self.amounts, strict=True) if amount), default=0)

    @property
    def points(self) -> list[MonthPoint]:
        total = 0
        found = []
        for month, amount in zip(MONTHS, self.amounts, strict=True):
            total += amount
            found.append(MonthPoint(month, amount, total, percent(total, self.planned)))
        return found

    def __add__(self, other: Monthly) -> Monthly:
        return Monthly(
            self.planned + other.planned,
            tuple(a + b for a, b in zip(self.amounts, other.amounts, strict=True)),
        )
