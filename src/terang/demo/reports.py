"""Who reports what, where and when in the demo city.

Reports are spread over the 365 days before "now" (midnight at the start of today, city time),
busier lately, on weekdays and in daytime, with seasonal categories (floods in the rainy season,
PPDB in June). Channels, kinds and privacy modes follow a realistic mix. Reporters are fictional
citizens with accounts (a few report often), walk-ins at the counter, messaging contacts and
social media handles; anonymous reports keep no identity at all. Every report is placed in a
kelurahan, with a map point inside it when the category is about a place.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from dataclasses import dataclass, field
from typing import Any

from terang.aspirations.choices import Channel, Kind, Privacy
from terang.aspirations.models import Aspiration, Category
from terang.core.crypto import encrypt
from terang.core.models import User

from . import catalog, texts
from .accounts import Accounts, person_name
from .city import City, Place
from .lifecycle import Clock, Life

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

CHANNELS = (
    (Channel.WEB, 40),
    (Channel.APP, 25),
    (Channel.WHATSAPP, 15),
    (Channel.SMS, 5),
    (Channel.COUNTER, 5),
    (Channel.EMAIL, 4),
    (Channel.INSTAGRAM, 2),
    (Channel.FACEBOOK, 2),
    (Channel.X, 2),
)
KINDS = ((Kind.COMPLAINT, 72), (Kind.SUGGESTION, 12), (Kind.QUESTION, 11), (Kind.INFORMATION, 5))
PRIVACY = ((Privacy.PUBLIC, 80), (Privacy.CONFIDENTIAL, 12), (Privacy.ANONYMOUS, 8))
SENSITIVE_PRIVACY = ((Privacy.PUBLIC, 55), (Privacy.CONFIDENTIAL, 30), (Privacy.ANONYMOUS, 15))
SENSITIVE = {
    "bansos-tidak-tepat",
    "pungutan-sekolah",
    "pungli-pelayanan",
    "perilaku-asn",
    "pelayanan-rsud",
}
HOUR_WEIGHTS = (
    0.3,
    0.2,
    0.15,
    0.15,
    0.25,
    0.6,
    1.2,
    2.0,
    2.6,
    2.8,
    2.7,
    2.4,
    2.0,
    2.3,
    2.4,
    2.2,
    1.9,
    1.6,
    1.7,
    2.2,
    2.4,
    2.0,
    1.3,
    0.7,
)
SEASONS: dict[str, dict[int, float]] = {
    "rainy": {11: 2.5, 12: 2.5, 1: 2.5, 2: 2.5, 3: 2.5, 4: 1.2, 10: 1.2},
    "rainy_mild": {11: 1.4, 12: 1.4, 1: 1.4, 2: 1.4, 3: 1.4},
    "rainy_strong": {12: 5, 1: 5, 2: 5, 11: 2.5, 3: 2.5, 4: 0.8, 10: 0.8},
    "dry": {7: 2.2, 8: 2.2, 9: 2.2, 6: 1.4, 10: 1.4},
    "ppdb": {5: 2, 6: 6, 7: 4},
}
SEASON_ELSE = {"rainy": 0.5, "rainy_mild": 1, "rainy_strong": 0.2, "dry": 0.7, "ppdb": 0.3}
SOCIAL = {Channel.INSTAGRAM, Channel.FACEBOOK, Channel.X}
WITH_ACCOUNT = {Channel.WEB, Channel.APP, Channel.EMAIL}
STAFF_ENTERED = {Channel.COUNTER, Channel.EMERGENCY_112} | SOCIAL


def weighted(rng: random.Random, pairs: tuple[tuple[Any, float], ...]) -> Any:
    return rng.choices([value for value, _w in pairs], [w for _v, w in pairs])[0]


def tracking_codes(rng: random.Random, count: int) -> list[str]:
    """Distinct "ASP-" codes of 8 unambiguous characters, in a fixed order."""
    codes: list[str] = []
    seen: set[str] = set()
    while len(codes) < count:
        code = "ASP-" + "".join(rng.choice(CODE_ALPHABET) for _ in range(8))
        if code not in seen:
            seen.add(code)
            codes.append(code)
    return codes


@dataclass
class Item:
    """One report being simulated: the unsaved row, its context and its event trail."""

    a: Aspiration
    category: Category
    row: dict[str, Any]
    place: Place
    words: dict[str, str]
    life: Life
    merged_into: Item | None = None
    followers: set[int] = field(default_factory=set)


class Reports:
    def __init__(
        self,
        city: City,
        accounts: Accounts,
        *,
        now: dt.datetime,
        rng: random.Random,
        clock: Clock,
    ) -> None:
        self.city = city
        self.accounts = accounts
        self.now = now
        self.rng = rng
        self.clock = clock
        self.place_weights = list(itertools.accumulate(p.shape.weight for p in city.places))
        pool = list(accounts.pool)
        rng.shuffle(pool)
        self.pool = pool
        self.pool_weights = list(itertools.accumulate(1 / (k + 5) ** 0.8 for k in range(len(pool))))
        self.month_weights = {
            month: list(
                itertools.accumulate(
                    self._category_weight(row, month) for _c, row in city.categories
                )
            )
            for month in range(1, 13)
        }

    @staticmethod
    def _category_weight(row: dict[str, Any], month: int) -> float:
        season = row.get("season")
        factor = SEASONS[season].get(month, SEASON_ELSE[season]) if season else 1.0
        return float(row["weight"]) * factor

    def creation_times(self, count: int) -> list[dt.datetime]:
        first_day = self.clock.local_date(self.now) - dt.timedelta(days=365)
        days = [first_day + dt.timedelta(days=k) for k in range(365)]
        weights = list(
            itertools.accumulate(
                (1 + 0.6 * k / 364) * (0.6 if day.weekday() >= 5 else 1.0)
                for k, day in enumerate(days)
            )
        )
        hour_weights = list(itertools.accumulate(HOUR_WEIGHTS))
        times = []
        for _ in range(count):
            day = days[bisect.bisect(weights, self.rng.random() * weights[-1])]
            hour = bisect.bisect(hour_weights, self.rng.random() * hour_weights[-1])
            seconds = hour * 3600 + self.rng.randrange(3600)
            times.append(self.clock.at(day, dt.time(0, 0)) + dt.timedelta(seconds=seconds))
        return sorted(times)

    def _reporter(self) -> User:
        roll = self.rng.random()
        citizens = self.accounts.citizens
        if roll < 0.003:
            return citizens[0]
        if roll < 0.005:
            return citizens[1]
        if roll < 0.006:
            return citizens[2]
        index = bisect.bisect(self.pool_weights, self.rng.random() * self.pool_weights[-1])
        return self.pool[index]

    def _phone(self) -> str:
        return f"+628{self.rng.choice('1235789')}{self.rng.randrange(10**8, 10**9)}"

    def _identity(self, a: Aspiration) -> None:
        rng = self.rng
        channel = a.channel
        reporter, name, contact = None, "", ""
        if channel in STAFF_ENTERED:
            a.entered_by = self.accounts.operators[0]
        if channel in WITH_ACCOUNT or (
            channel in (Channel.COUNTER, Channel.EMERGENCY_112) and rng.random() < 0.5
        ):
            reporter = self._reporter()
            name, contact = reporter.full_name, reporter.email or ""
        elif channel in SOCIAL:
            name = "@" + rng.choice(catalog.names()["social_handles"])
        else:
            name, contact = person_name(rng), self._phone()
        if a.privacy == Privacy.ANONYMOUS:
            reporter, name, contact = None, "", ""
        a.reporter = reporter
        a.reporter_name = name
        a.reporter_contact_encrypted = encrypt(contact)
        a.share_contact_with_agency = bool(contact) and rng.random() < 0.4

    def _kind(self, category: Category, row: dict[str, Any]) -> str:
        if category.is_emergency:
            return Kind.COMPLAINT
        primary = texts.PRIMARY_KIND.get(row["code"])
        if primary:
            return primary if self.rng.random() < 0.85 else Kind.QUESTION
        return str(weighted(self.rng, KINDS))

    def plan(self, created_at: dt.datetime, code: str, category_code: str = "") -> Item:
        """A new report (no status yet) with its reporter, place, words and an empty trail; in
        the category `category_code` when given, else in one drawn for the season."""
        rng = self.rng
        month = created_at.astimezone(self.clock.tz).month
        cumulative = self.month_weights[month]
        category, row = self.city.categories[
            bisect.bisect(cumulative, rng.random() * cumulative[-1])
        ]
        if category_code:
            category, row = next(
                (c, r) for c, r in self.city.categories if r["code"] == category_code
            )
        place = self.city.places[
            bisect.bisect(self.place_weights, rng.random() * self.place_weights[-1])
        ]
        kind = self._kind(category, row)
        channel = weighted(rng, CHANNELS)
        if category.is_emergency and rng.random() < 0.7:
            channel = Channel.EMERGENCY_112
        privacy = weighted(rng, SENSITIVE_PRIVACY if row["code"] in SENSITIVE else PRIVACY)
        words = texts.place_words(
            rng,
            kelurahan=place.area.name,
            kecamatan=place.kecamatan.name,
            agency=category.agency.short_name or category.agency.name,
            topic=row["topic"],
        )
        has_point = row["spatial"] or rng.random() < 0.35
        title, text = texts.compose(rng, row, kind, words, with_location=row["spatial"])
        a = Aspiration(
            code=code,
            kind=kind,
            channel=channel,
            title=title,
            text=text,
            category=category,
            agency=category.agency,
            status="",
            privacy=privacy,
            created_at=created_at,
            updated_at=created_at,
        )
        self._identity(a)
        if has_point:
            a.latitude, a.longitude = self.city.shape.sample_point(rng, place.shape)
            a.kelurahan = place.area
            a.address = (
                f"{words['jalan']} No. {words['no']}, RT {words['rt']}/RW {words['rw']}, "
                f"Kel. {place.area.name}"
            )
        else:
            a.address = f"Kel. {place.area.name}, Kec. {place.kecamatan.name}"
        life = Life(
            a,
            now=self.now,
            clock=self.clock,
            rng=rng,
            inspectorate_after=self.city.profile.inspectorate_after_working_days,
        )
        return Item(a=a, category=category, row=row, place=place, words=words, life=life)
