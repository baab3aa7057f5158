"""The kind colours the page draws with: legible on the map and apart for colour-blind readers.

WCAG 2.2's non-text contrast (1.4.11) asks 3:1 for marks against what is next to them: the
page's land and sea. Colour-vision deficiencies are simulated with Machado et al. (2009) at
full severity; the kinds must stay apart (CIE76 ΔE) under protanopia and deuteranopia too. The
glyph (``mark``) tells kinds apart in any case.
"""

from __future__ import annotations

import itertools
import math

import pytest

from geomap.payload import KIND_STYLES

from .conftest import ROOT

LAND = "#f6f4ef"  # static/js/layers.js, the offline outlines' fill
SEA = "#dfe8ef"   # static/geomap.css, the map's background
PROTANOPIA = [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
              [-0.003882, -0.048116, 1.051998]]
DEUTERANOPIA = [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                [-0.011820, 0.042940, 0.968881]]
IDENTITY = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]


def linear(hex_colour: str) -> list[float]:
    out = []
    for i in (1, 3, 5):
        c = int(hex_colour[i:i + 2], 16) / 255
        out.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    return out


def luminance(rgb: list[float]) -> float:
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(linear(a)), luminance(linear(b))), reverse=True)
    return (high + 0.05) / (low + 0.05)


def lab(rgb: list[float]) -> tuple[float, float, float]:
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def seen(hex_colour: str, matrix) -> tuple[float, float, float]:
    rgb = linear(hex_colour)
    return lab([min(1, max(0, sum(m * c for m, c in zip(row, rgb, strict=True))))
                for row in matrix])


def test_the_page_draws_on_this_land_and_sea():
    assert f'fillColor: "{LAND}"' in (ROOT / "geomap/static/js/layers.js").read_text()
    assert f"background: {SEA}" in (ROOT / "geomap/static/geomap.css").read_text()


@pytest.mark.parametrize("kind", sorted(KIND_STYLES))
def test_every_kind_colour_has_3_to_1_against_land_and_sea(kind):
    colour = KIND_STYLES[kind]["color"]
    assert contrast(colour, LAND) >= 3 and contrast(colour, SEA) >= 3


@pytest.mark.parametrize("vision", [IDENTITY, PROTANOPIA, DEUTERANOPIA],
                         ids=["typical", "protanopia", "deuteranopia"])
def test_kind_colours_stay_apart(vision):
    colours = {k: seen(s["color"], vision) for k, s in KIND_STYLES.items()}
    closest = min(math.dist(colours[a], colours[b])
                  for a, b in itertools.combinations(colours, 2))
    assert closest >= 10


def test_every_kind_has_its_own_mark():
    marks = [s["mark"] for s in KIND_STYLES.values()]
    assert len(set(marks)) == len(marks)
