import doctest
from datetime import date

import pytest

from geomap import schema
from geomap.schema import PartialDate, date_span_label, split_list, split_stops


def test_doctests():
    assert doctest.testmod(schema).failed == 0


@pytest.mark.parametrize(
    ("text", "label", "first", "last"),
    [
        ("2020", "2020", date(2020, 1, 1), date(2020, 12, 31)),
        ("2020-02", "February 2020", date(2020, 2, 1), date(2020, 2, 29)),
        ("2024-11-21", "21 November 2024", date(2024, 11, 21), date(2024, 11, 21)),
    ],
)
def test_partial_dates_keep_their_precision(text, label, first, last):
    parsed = PartialDate.parse(text)
    assert parsed.label() == label
    assert parsed.iso() == text
    assert (parsed.first_day(), parsed.last_day()) == (first, last)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2020-02-30", "'2020-02-30': February 2020 has no day 30"),
        ("2021-02-29", "'2021-02-29': February 2021 has no day 29"),
        ("2020-13", "'2020-13': month 13 does not exist"),
        ("20-05-2020", "'20-05-2020' is not YYYY, YYYY-MM or YYYY-MM-DD"),
        ("May 2020", "'May 2020' is not YYYY, YYYY-MM or YYYY-MM-DD"),
    ],
)
def test_impossible_dates_are_refused(text, message):
    with pytest.raises(ValueError) as info:
        PartialDate.parse(text)
    assert str(info.value) == message


def test_span_label():
    assert date_span_label(PartialDate.parse("2020-05"), None) == "May 2020"
    assert (
        date_span_label(PartialDate.parse("2020-05-25"), PartialDate.parse("2020-06"))
        == "25 May 2020 – June 2020"
    )


def test_lists_and_stops_split_and_trim():
    assert split_list(" Iran; Venezuela ;; ") == ["Iran", "Venezuela"]
    assert split_stops("tehran > damascus>caracas") == ["tehran", "damascus", "caracas"]
