"""One error hierarchy: every problem geomap reports is a ``GeomapError``.

Each carries the file, line and column it is about, so the CLI can print one line a user can act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file, the editor's line number (1-based) and a column name."""

    path: str | Path | None = None
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.path is not None:
            parts.append(str(self.path))
        if self.line is not None:
            parts.append(str(self.line))
        text = ":".join(parts)
        if self.column:
            text = f"{text}: {self.column}" if text else self.column
        return text


class GeomapError(ValueError):
    """Base class: a message for the user, with where it happened."""

    def __init__(self, message: str, *, path=None, line=None, column=None):
        super().__init__(message)
        self.message = message
        self.location = Location(path, line, column)

    def __str__(self) -> str:
        where = str(self.location)
        return f"{where}: {self.message}" if where else self.message


class DataFileError(GeomapError):
    """A CSV that cannot be read at all: missing, not UTF-8, unbalanced quotes, no header."""


class PlaceError(GeomapError):
    """A stop that does not resolve to a place in the gazetteer."""


class ValidationError(GeomapError):
    """The dataset breaks one or more rules; ``problems`` lists every one of them."""

    def __init__(self, problems):
        self.problems = list(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        first = errors[0] if errors else self.problems[0]
        more = len(errors) - 1
        message = first.message + (f" (and {more} more error{'s' * (more > 1)})" if more else "")
        super().__init__(message, path=first.path, line=first.line, column=first.column)


class FilterError(GeomapError):
    """A filter option that cannot be understood, or that selects nothing."""


class OutputError(GeomapError):
    """An output that cannot be written; the previous file, if any, is left intact."""


class AssetError(GeomapError):
    """A pinned script or style that is missing from the cache or fails its checksum."""
