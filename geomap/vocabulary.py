"""The kinds of event a dataset uses: id, label, colour, mark and how each is drawn.

A data directory may declare its own kinds in ``kinds.csv``; without one, geomap's defaults
(shipment, flight, visit, …) apply. Confidence is a fixed scale, weakest first; a dataset that
does not grade its events leaves ``confidence`` empty ("not assessed").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from .schema import CONFIDENCE_LEVELS, EVENT_KINDS, ROUTE_KINDS

KINDS_FILE = "kinds.csv"
KIND_COLUMNS = ("id", "label", "colour", "mark", "route")
#: Shapes the page can draw for a kind, so that kind is never shown by colour alone.
MARKS = ("circle", "square", "triangle", "diamond", "cross", "pentagon", "star", "hexagon")
#: How a kind's events are drawn: a line through the stops by sea or by air, or a point.
ROUTES = ("", "sea", "air")
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

#: Said of an event whose ``confidence`` is empty.
UNASSESSED = "unassessed"
UNASSESSED_MEANING = "not assessed: the dataset does not grade how sure it is"

#: The default kinds' colour and mark, so that kind is never shown by colour alone. The colours
#: are at least 3:1 against the page's land and sea, and stay apart under protanopia and
#: deuteranopia (tests/test_page_palette.py).
_DEFAULT_STYLE = {
    "shipment": ("#0072B2", "square"),
    "flight": ("#D05A00", "triangle"),
    "visit": ("#00785A", "circle"),
    "seizure": ("#A8327A", "cross"),
    "statement": ("#6A4C93", "diamond"),
    "agreement": ("#007C8C", "pentagon"),
    "payment": ("#5C4400", "star"),
    "appointment": ("#4D4D4D", "hexagon"),
}
_PALETTE = tuple(colour for colour, _ in _DEFAULT_STYLE.values())


@dataclass(frozen=True)
class Kind:
    id: str
    label: str
    colour: str
    mark: str
    route: str = ""


DEFAULT_KINDS = tuple(
    Kind(k, k.capitalize(), *_DEFAULT_STYLE[k], ROUTE_KINDS.get(k, "")) for k in EVENT_KINDS
)


@dataclass(frozen=True)
class Vocabulary:
    """The kinds of one dataset, in the order legends and tables list them."""

    kinds: tuple[Kind, ...] = DEFAULT_KINDS

    @cached_property
    def ids(self) -> tuple[str, ...]:
        return tuple(kind.id for kind in self.kinds)

    def kind(self, kind_id: str) -> Kind:
        return next(kind for kind in self.kinds if kind.id == kind_id)

    def route(self, kind_id: str) -> str:
        """``'sea'``, ``'air'`` or ``''`` (a point) for a kind id."""
        for kind in self.kinds:
            if kind.id == kind_id:
                return kind.route
        return ""


DEFAULT = Vocabulary()


def from_rows(rows: list[dict[str, str]]) -> Vocabulary:
    """A vocabulary from validated ``kinds.csv`` rows; a missing colour or mark is filled in
    from the default palette and marks, in order.

    >>> v = from_rows([{"id": "protest", "label": "Protest"}])
    >>> v.kind("protest").colour, v.kind("protest").mark, v.route("protest")
    ('#0072B2', 'circle', '')
    """
    kinds = []
    for n, row in enumerate(rows):
        kid = row["id"].strip()
        kinds.append(
            Kind(
                id=kid,
                label=(row.get("label") or "").strip() or kid.capitalize(),
                colour=(row.get("colour") or "").strip() or _PALETTE[n % len(_PALETTE)],
                mark=(row.get("mark") or "").strip() or MARKS[n % len(MARKS)],
                route=(row.get("route") or "").strip(),
            )
        )
    return Vocabulary(tuple(kinds))


def confidence_rank(level: str) -> int:
    """Position on the scale, weakest first; an unassessed event ranks below every level."""
    return CONFIDENCE_LEVELS.index(level) if level in CONFIDENCE_LEVELS else -1


def vocabulary_of(dataset) -> Vocabulary:
    """The vocabulary a (validated) dataset declares in ``kinds.csv``, else the defaults."""
    if dataset.kinds is None:
        return DEFAULT
    return from_rows([row for row in dataset.kinds.rows if row.get("id", "").strip()])
