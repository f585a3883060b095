"""Polygons of the demo city: one jittered lattice, so kecamatan and kelurahan tile exactly.

The city is a grid of 1 km cells (20 x 15) around the centre point. Every lattice vertex is
moved by less than half a cell (interior vertices at random, the outline along a gentle wave), so
each cell stays a simple quadrilateral and the outline looks drawn rather than ruled. Kecamatan
are rectangular blocks of cells and kelurahan are blocks inside them; every polygon's ring walks
the shared lattice vertices, so neighbours share edges exactly and any point inside the city lies
in exactly one kelurahan.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Any

from terang.core.geo import contains

CENTER_LAT = -6.20
CENTER_LON = 106.63
NX, NY = 20, 15  # cells of 1 km: about 20 km east-west, 15 km north-south
KM_PER_DEG_LAT = 110.57
KM_PER_DEG_LON = 111.32 * math.cos(math.radians(abs(CENTER_LAT)))

# Kecamatan layout in cells, north row first: (first row, last row + 1, widths west to east).
KECAMATAN_ROWS: tuple[tuple[int, int, tuple[int, ...]], ...] = (
    (10, 15, (6, 4, 5, 5)),
    (5, 10, (4, 4, 4, 4, 4)),
    (0, 5, (5, 5, 5, 5)),
)

Block = tuple[int, int, int, int]  # i0, j0, i1, j1 (cells i0..i1-1, j0..j1-1)
Point = tuple[float, float]  # lon, lat


@dataclass
class Kelurahan:
    code: str
    name: str
    block: Block
    boundary: dict[str, Any]
    weight: float


@dataclass
class Kecamatan:
    code: str
    name: str
    block: Block
    boundary: dict[str, Any]
    kelurahan: list[Kelurahan] = field(default_factory=list)


@dataclass
class CityShape:
    boundary: dict[str, Any]
    kecamatan: list[Kecamatan]
    lattice: dict[tuple[int, int], Point]

    def sample_point(self, rng: random.Random, kelurahan: Kelurahan) -> tuple[float, float]:
        """A point (lat, lon) strictly inside the kelurahan, rounded to 6 decimals (~0.1 m)."""
        i0, j0, i1, j1 = kelurahan.block
        for _attempt in range(200):
            i = rng.randrange(i0, i1)
            j = rng.randrange(j0, j1)
            u = rng.uniform(0.08, 0.92)
            v = rng.uniform(0.08, 0.92)
            corners = (
                self.lattice[(i, j)],
                self.lattice[(i + 1, j)],
                self.lattice[(i, j + 1)],
                self.lattice[(i + 1, j + 1)],
            )
            weights = ((1 - u) * (1 - v), u * (1 - v), (1 - u) * v, u * v)
            lon = round(sum(w * c[0] for w, c in zip(weights, corners, strict=True)), 6)
            lat = round(sum(w * c[1] for w, c in zip(weights, corners, strict=True)), 6)
            if contains(kelurahan.boundary, lat=lat, lon=lon):
                return lat, lon
        raise RuntimeError(f"no point found inside {kelurahan.code}")  # pragma: no cover


def _wave(rng: random.Random, count: int, amplitude: float) -> list[float]:
    period = rng.uniform(5, 9)
    phase = rng.uniform(0, 2 * math.pi)
    return [
        max(
            -0.38,
            min(
                0.38,
                amplitude * math.sin(2 * math.pi * k / period + phase) + rng.uniform(-0.06, 0.06),
            ),
        )
        for k in range(count)
    ]


def build_lattice(rng: random.Random) -> dict[tuple[int, int], Point]:
    dlon = 1 / KM_PER_DEG_LON
    dlat = 1 / KM_PER_DEG_LAT
    lon0 = CENTER_LON - NX / 2 * dlon
    lat0 = CENTER_LAT - NY / 2 * dlat
    south, north = _wave(rng, NX + 1, 0.3), _wave(rng, NX + 1, 0.3)
    west, east = _wave(rng, NY + 1, 0.3), _wave(rng, NY + 1, 0.3)
    lattice: dict[tuple[int, int], Point] = {}
    for j in range(NY + 1):
        for i in range(NX + 1):
            edge_x = i in (0, NX)
            edge_y = j in (0, NY)
            if edge_x and edge_y:
                dx, dy = rng.uniform(-0.2, 0.2), rng.uniform(-0.2, 0.2)
            elif edge_y:
                dx = rng.uniform(-0.15, 0.15)
                dy = south[i] if j == 0 else north[i]
            elif edge_x:
                dx = west[j] if i == 0 else east[j]
                dy = rng.uniform(-0.15, 0.15)
            else:
                dx, dy = rng.uniform(-0.3, 0.3), rng.uniform(-0.3, 0.3)
            lattice[(i, j)] = (
                round(lon0 + (i + dx) * dlon, 6),
                round(lat0 + (j + dy) * dlat, 6),
            )
    return lattice


def block_polygon(lattice: dict[tuple[int, int], Point], block: Block) -> dict[str, Any]:
    """GeoJSON Polygon of a block of cells: its outline along the lattice, counter-clockwise."""
    i0, j0, i1, j1 = block
    keys = (
        [(i, j0) for i in range(i0, i1 + 1)]
        + [(i1, j) for j in range(j0 + 1, j1 + 1)]
        + [(i, j1) for i in range(i1 - 1, i0 - 1, -1)]
        + [(i0, j) for j in range(j1 - 1, j0 - 1, -1)]
    )
    ring = [list(lattice[key]) for key in keys]  # the last key is the first: ring closed
    return {"type": "Polygon", "coordinates": [ring]}


def split_block(rng: random.Random, block: Block, parts: int) -> list[Block]:
    """Guillotine-cut a block into `parts` rectangular blocks of at least one cell each."""
    if parts == 1:
        return [block]
    i0, j0, i1, j1 = block
    width, height = i1 - i0, j1 - j0
    first = parts // 2 if rng.random() < 0.5 else parts - parts // 2
    along_x = width > height or (width == height and rng.random() < 0.5)
    if (width if along_x else height) < 2:
        along_x = not along_x
    length = width if along_x else height
    cut = max(1, min(length - 1, round(length * first / parts)))
    if along_x:
        a, b = (i0, j0, i0 + cut, j1), (i0 + cut, j0, i1, j1)
    else:
        a, b = (i0, j0, i1, j0 + cut), (i0, j0 + cut, i1, j1)
    return split_block(rng, a, first) + split_block(rng, b, parts - first)


def kelurahan_names(rng: random.Random, names: dict[str, list[str]], count: int) -> list[str]:
    """Distinct names such as "Sukamulya" or "Pondok Asri"; no prefix used more than three times."""
    joined = [(p, True) for p in names["kelurahan_joined_prefixes"]]
    spaced = [(p, False) for p in names["kelurahan_spaced_prefixes"]]
    combos = [
        (prefix, prefix + suffix if glue else f"{prefix} {suffix.capitalize()}")
        for prefix, glue in joined + spaced
        for suffix in names["kelurahan_suffixes"]
    ]
    rng.shuffle(combos)
    taken = set(names["kecamatan"])
    used: dict[str, int] = {}
    chosen: list[str] = []
    for prefix, name in combos:
        if name in taken or used.get(prefix, 0) >= 3:
            continue
        used[prefix] = used.get(prefix, 0) + 1
        taken.add(name)
        chosen.append(name)
        if len(chosen) == count:
            return chosen
    raise ValueError("not enough kelurahan names")


def build_shape(rng: random.Random, names: dict[str, list[str]], region: str) -> CityShape:
    """The city outline, 13 kecamatan and 3-6 kelurahan each, with Kemendagri-style codes."""
    lattice = build_lattice(rng)
    blocks: list[Block] = []
    for j0, j1, widths in KECAMATAN_ROWS:
        i = 0
        for width in widths:
            blocks.append((i, j0, i + width, j1))
            i += width
        if i != NX:
            raise ValueError("kecamatan row does not span the city")
    counts = [rng.randint(3, 6) for _ in blocks]
    pool = iter(kelurahan_names(rng, names, sum(counts)))
    kecamatan = []
    for number, (block, count, name) in enumerate(
        zip(blocks, counts, names["kecamatan"], strict=True), start=1
    ):
        kec = Kecamatan(
            code=f"{region}.{number:02d}",
            name=name,
            block=block,
            boundary=block_polygon(lattice, block),
        )
        for index, sub in enumerate(split_block(rng, block, count), start=1):
            kec.kelurahan.append(
                Kelurahan(
                    code=f"{kec.code}.{1000 + index}",
                    name=next(pool),
                    block=sub,
                    boundary=block_polygon(lattice, sub),
                    weight=round(rng.uniform(0.5, 2.0), 3),
                )
            )
        kecamatan.append(kec)
    return CityShape(
        boundary=block_polygon(lattice, (0, 0, NX, NY)), kecamatan=kecamatan, lattice=lattice
    )
