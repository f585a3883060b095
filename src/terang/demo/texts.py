"""Indonesian titles, texts and answers for demo aspirations, from templates with variations."""

from __future__ import annotations

import random
from typing import Any

from terang.aspirations.choices import Kind

from . import catalog

# Categories whose own templates are suggestions or information requests, and mostly get those.
PRIMARY_KIND = {"saran-kebijakan": Kind.SUGGESTION, "informasi-publik": Kind.INFORMATION}


def place_words(
    rng: random.Random, *, kelurahan: str, kecamatan: str, agency: str, topic: str
) -> dict[str, str]:
    names = catalog.names()
    return {
        "jalan": rng.choice(names["streets"]),
        "no": str(rng.randint(1, 120)),
        "rt": f"{rng.randint(1, 12):03d}",
        "rw": f"{rng.randint(1, 9):02d}",
        "kel": kelurahan,
        "kec": kecamatan,
        "landmark": rng.choice(names["landmarks"]),
        "durasi": rng.choice(names["durations"]),
        "agency": agency,
        "topic": topic,
    }


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def compose(
    rng: random.Random,
    category: dict[str, Any],
    kind: str,
    words: dict[str, str],
    *,
    with_location: bool,
) -> tuple[str, str]:
    """(title, text) of a report of `kind` in `category`."""
    texts = catalog.texts()
    own = kind == Kind.COMPLAINT or PRIMARY_KIND.get(category["code"]) == kind
    if own:
        title = rng.choice(category["titles"])
        body = rng.choice(category["details"])
    else:
        title = rng.choice(texts[f"{kind}_titles"])
        body = rng.choice(texts[f"{kind}_texts"])
    parts = []
    if rng.random() < 0.35:
        parts.append(rng.choice(texts["greetings"]))
    parts.append(body)
    if with_location and kind == Kind.COMPLAINT and rng.random() < 0.7:
        parts.append(rng.choice(texts["location"]))
    if rng.random() < 0.6:
        parts.append(rng.choice(texts["closings"]))
    return _capital(title.format(**words))[:200], " ".join(parts).format(**words)


def answer(rng: random.Random, category: dict[str, Any], kind: str, words: dict[str, str]) -> str:
    texts = catalog.texts()
    if kind == Kind.COMPLAINT or PRIMARY_KIND.get(category["code"]) == kind:
        template = rng.choice(category["answers"])
    else:
        template = rng.choice(texts[f"{kind}_answers"])
    return template.format(**words)


def pick(rng: random.Random, key: str, **words: str) -> str:
    return rng.choice(catalog.texts()[key]).format(**words)


def rating_comment(rng: random.Random, rating: int) -> str:
    return rng.choice(catalog.texts()["rating_comments"][str(rating)])
