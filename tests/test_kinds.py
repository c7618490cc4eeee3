"""Unit tests of the built-in answer kinds: parse, points, max_points, checks, ladders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from smesdk.convert import converter
from smesdk.kinds import BUILTIN_KINDS, AnswerKind, NumberKind, band_contains, with_unit
from smesdk.spec import Band, Indicator

T = {"zh": "题", "en": "q"}
ON = dt.date(2026, 1, 31)
KINDS: dict[str, AnswerKind] = {k.name: k for k in BUILTIN_KINDS}


def make(kind: str, **fields: Any) -> Indicator:
    data = {"id": "x", "title": T, "question": T, "kind": kind,
            "source": {"doc": "d", "clause": "1"}, "status": "derived", **fields}
    return converter.structure(data, Indicator)


def opt(value: str, points: float = 0, **kw: Any) -> dict[str, Any]:
    return {"value": value, "label": {"zh": value, "en": value}, "points": points, **kw}


def problems(ind: Indicator) -> list[tuple[str, str]]:
    return list(KINDS[ind.kind].check(ind))


def parse_error(ind: Indicator, raw: Any) -> str:
    with pytest.raises(ValueError) as info:
        KINDS[ind.kind].parse(ind, raw)
    return str(info.value)


def pts(ind: Indicator, raw: Any, on: dt.date = ON) -> Fraction:
    kind = KINDS[ind.kind]
    return kind.points(ind, kind.parse(ind, raw), on)


def test_all_builtin_kinds_are_registered() -> None:
    assert sorted(KINDS) == sorted(
        ["choice", "multi", "yesno", "number", "percent", "scale", "date", "text", "grid"])


# --- choice --------------------------------------------------------------------------------


@pytest.fixture
def choice() -> Indicator:
    return make("choice", options=[opt("no", 0), opt("partly", 1.5), opt("fully", 3)])


def test_choice_points_are_the_options_points(choice: Indicator) -> None:
    assert pts(choice, "no") == 0
    assert pts(choice, "partly") == Fraction(3, 2)
    assert pts(choice, "fully") == 3
    assert KINDS["choice"].max_points(choice) == 3
    assert KINDS["choice"].parse(choice, "partly") == "partly"


def test_choice_non_string_raw_matches_by_text() -> None:
    ind = make("choice", options=[opt("1", 0), opt("2", 1)])
    assert KINDS["choice"].parse(ind, 2) == "2"


@pytest.mark.parametrize(("raw", "message"), [
    ("maybe", "'maybe' is not one of no/partly/fully"),
    (3, "3 is not one of no/partly/fully"),
    (None, "expected one of no/partly/fully, got None"),
    (True, "expected one of no/partly/fully, got True"),
])
def test_choice_invalid(choice: Indicator, raw: Any, message: str) -> None:
    assert parse_error(choice, raw) == message


def test_choice_checks() -> None:
    assert problems(make("choice", options=[opt("a", 1)])) == [
        ("options", "a choice needs at least two options")]
    assert problems(make("choice", options=[opt("a", 0), opt("a", 1), opt("b", -1)])) == [
        ("options[1].value", "duplicate option value 'a'"),
        ("options[2].points", "points must not be negative"),
    ]


def test_choice_ladder_and_explain(choice: Indicator) -> None:
    assert KINDS["choice"].ladder(choice) == ["no", "partly", "fully"]
    assert KINDS["choice"].explain(choice, "partly").en == "option 'partly' scores 1.5"


# --- multi ---------------------------------------------------------------------------------


@pytest.fixture
def multi() -> Indicator:
    return make("multi", cap=6, options=[opt("a", 2), opt("b", 3), opt("c", 4),
                                         opt("none", 0, exclusive=True)])


def test_multi_sum_is_capped(multi: Indicator) -> None:
    assert pts(multi, ["a"]) == 2
    assert pts(multi, ["a", "b"]) == 5          # 2 + 3 = 5 <= cap 6
    assert pts(multi, ["b", "c"]) == 6          # 3 + 4 = 7, capped at 6
    assert pts(multi, ["a", "b", "c"]) == 6     # 9, capped at 6
    assert pts(multi, ["none"]) == 0
    assert pts(multi, []) == 0
    # max: 2 + 3 + 4 + 0 = 9, capped at 6
    assert KINDS["multi"].max_points(multi) == 6


def test_multi_sum_without_cap() -> None:
    ind = make("multi", options=[opt("a", 2), opt("b", 3)])
    assert pts(ind, ["a", "b"]) == 5
    assert KINDS["multi"].max_points(ind) == 5


def test_multi_fraction_mode() -> None:
    ind = make("multi", mode="fraction", points=4,
               options=[opt("a"), opt("b"), opt("c"), opt("none", exclusive=True)])
    # 3 non-exclusive options; 2 ticked -> 2/3 * 4 = 8/3
    assert pts(ind, ["a", "c"]) == Fraction(8, 3)
    assert pts(ind, ["a", "b", "c"]) == 4
    assert pts(ind, ["none"]) == 0
    assert KINDS["multi"].max_points(ind) == 4


def test_multi_parse_normal_form(multi: Indicator) -> None:
    # declared order, whatever the order ticked; a bare string is one ticked option
    assert KINDS["multi"].parse(multi, ["c", "a"]) == ["a", "c"]
    assert KINDS["multi"].parse(multi, "b") == ["b"]


@pytest.mark.parametrize(("raw", "message"), [
    (5, "expected a list of options, got int"),
    (["z"], "['z'] not among a/b/c/none"),
    (["a", "a"], "an option is ticked twice"),
    (["none", "a"], "'none' excludes every other option"),
])
def test_multi_invalid(multi: Indicator, raw: Any, message: str) -> None:
    assert parse_error(multi, raw) == message


def test_multi_checks() -> None:
    ind = make("multi", mode="fraction", cap=0,
               options=[opt("a", exclusive=True), opt("b", exclusive=True), opt("a")])
    assert problems(ind) == [
        ("options", "at most one option may be exclusive (e.g. none)"),
        ("points", "mode 'fraction' needs the indicator's full points"),
        ("cap", "cap must be positive"),
        ("options[2].value", "duplicate option value 'a'"),
    ]
    assert ("options", "a multi-select needs options") in problems(make("multi"))


def test_multi_ladder(multi: Indicator) -> None:
    # growing prefixes of the non-exclusive options
    assert KINDS["multi"].ladder(multi) == [[], ["a"], ["a", "b"], ["a", "b", "c"]]


# --- yesno ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "value"), [
    (True, True), (False, False), ("yes", True), (" Yes ", True), ("y", True), ("true", True),
    ("是", True), ("有", True), ("no", False), ("N", False), ("false", False), ("否", False),
    ("无", False),
])
def test_yesno_parse(raw: Any, value: bool) -> None:
    assert KINDS["yesno"].parse(make("yesno"), raw) is value


@pytest.mark.parametrize("raw", [1, 0, "maybe", None, ""])
def test_yesno_invalid(raw: Any) -> None:
    assert parse_error(make("yesno"), raw) == f"expected yes or no (是/否), got {raw!r}"


def test_yesno_points_default_and_declared() -> None:
    plain = make("yesno")
    assert (pts(plain, True), pts(plain, False)) == (1, 0)
    assert KINDS["yesno"].max_points(plain) == 1
    three = make("yesno", points=3)
    assert (pts(three, "是"), pts(three, "否")) == (3, 0)
    assert KINDS["yesno"].max_points(three) == 3


def test_yesno_better_lower() -> None:
    ind = make("yesno", points=2, better="lower")    # e.g. "had a major accident?"
    assert pts(ind, True) == 0
    assert pts(ind, False) == 2
    assert KINDS["yesno"].max_points(ind) == 2
    assert KINDS["yesno"].ladder(ind) == [True, False]
    assert KINDS["yesno"].ladder(make("yesno")) == [False, True]


# --- number / percent ----------------------------------------------------------------------


@pytest.fixture
def share() -> Indicator:
    # (−∞..)[0, 10] 0; (10, 20] 1.5; (20, 30) 2; [30, +∞) 4
    return make("number", min=0, bands=[
        {"ge": 0, "le": 10, "points": 0},
        {"gt": 10, "le": 20, "points": 1.5},
        {"gt": 20, "lt": 30, "points": 2},
        {"ge": 30, "points": 4},
    ])


@pytest.mark.parametrize(("raw", "expected"), [
    (0, Fraction(0)),            # ge 0: the lower edge is inside
    (10, Fraction(0)),           # le 10: inside the first band, not the second (gt 10)
    ("10.0001", Fraction(3, 2)),
    (10.5, Fraction(3, 2)),
    (20, Fraction(3, 2)),        # le 20 inside (10, 20]
    (20.0001, Fraction(2)),
    ("29.9999", Fraction(2)),
    (30, Fraction(4)),           # lt 30 excludes 30, ge 30 includes it
    (1000, Fraction(4)),
])
def test_number_band_edges(share: Indicator, raw: Any, expected: Fraction) -> None:
    assert pts(share, raw) == expected


def test_number_max_points_and_parse_form(share: Indicator) -> None:
    assert KINDS["number"].max_points(share) == 4
    assert KINDS["number"].parse(share, 10.5) == Decimal("10.5")
    assert KINDS["number"].parse(share, " 12 ") == Decimal(12)
    # a float is read through its repr, so 0.1 stays 0.1
    assert KINDS["number"].parse(share, 0.1) == Decimal("0.1")


@pytest.mark.parametrize(("raw", "message"), [
    (None, "expected a number, got None"),
    (True, "expected a number, got True"),
    ("abc", "expected a number, got 'abc'"),
    ("nan", "expected a finite number, got 'nan'"),
    ("inf", "expected a finite number, got 'inf'"),
    (-1, "-1 is less than the allowed minimum, 0"),
])
def test_number_invalid(share: Indicator, raw: Any, message: str) -> None:
    assert parse_error(share, raw) == message


def test_number_range_message_uses_unit() -> None:
    ind = make("number", min=0, max=24, unit={"zh": "时", "en": "h"},
               bands=[{"ge": 0, "le": 24, "points": 1}])
    # A unit in letters follows its number after a space ("25h" reads as one word).
    assert parse_error(ind, 25) == "25 h is outside the allowed range 0–24 h"


@pytest.mark.parametrize(("unit", "shown"), [
    ("%", "45%"), ("万元", "45万元"), ("年", "45年"),         # symbols and Chinese: attached
    ("years", "45 years"), ("10k yuan", "45 10k yuan"),      # letters, digits: a space
    (" standards", "45 standards"), ("", "45"),             # a spec's own space kept once
])
def test_a_number_and_its_unit_read_as_written(unit: str, shown: str) -> None:
    assert with_unit("45", unit) == shown


def test_band_explanations_say_point_for_one_and_space_a_worded_unit() -> None:
    # Before: "3years lies in [3, +∞)years: 1 points", "30010k yuan lies in ...".
    ind = make("number", unit={"zh": "年", "en": "years"},
               bands=[{"ge": 0, "lt": 3, "points": 0}, {"ge": 3, "points": 1}])
    kind = NumberKind()
    assert kind.explain(ind, Decimal(3)).en == "3 years lies in [3, +∞) years: 1 point"
    assert kind.explain(ind, Decimal(3)).zh == "3年 落在区间 [3, +∞)年，得 1 分"
    assert kind.explain(ind, Decimal(2)).en == "2 years lies in [0, 3) years: 0 points"


def test_number_value_outside_every_band() -> None:
    ind = make("number", bands=[{"ge": 0, "lt": 10, "points": 1}])
    assert parse_error(ind, 10) == "no band covers 10"
    assert parse_error(ind, -0.5) == "no band covers -0.5"


def test_band_contains_edges() -> None:
    f = Fraction
    assert band_contains(Band(points=Decimal(1), gt=Decimal(1)), f(1)) is False
    assert band_contains(Band(points=Decimal(1), ge=Decimal(1)), f(1)) is True
    assert band_contains(Band(points=Decimal(1), lt=Decimal(1)), f(1)) is False
    assert band_contains(Band(points=Decimal(1), le=Decimal(1)), f(1)) is True
    assert band_contains(Band(points=Decimal(1)), f(-10**9)) is True


def test_percent_range_and_bands() -> None:
    ind = make("percent", bands=[{"ge": 0, "lt": 50, "points": 0}, {"ge": 50, "le": 100,
                                                                      "points": 2}])
    assert pts(ind, 50) == 2
    assert pts(ind, "49.99") == 0
    assert pts(ind, 100) == 2
    assert parse_error(ind, 140) == "140% is outside the allowed range 0–100%"
    assert parse_error(ind, -1) == "-1% is outside the allowed range 0–100%"


def test_number_checks_valid_bands_have_no_problems(share: Indicator) -> None:
    assert problems(share) == []


def test_band_overlap_message() -> None:
    ind = make("number", bands=[{"ge": 0, "le": 10, "points": 0},
                                {"ge": 10, "le": 20, "points": 1}])
    # 10 lies in both [0, 10] and [10, 20]
    assert problems(ind) == [("bands[1]", "band [10, 20] overlaps band [0, 10]")]


def test_band_overlap_with_open_upper_band() -> None:
    ind = make("number", bands=[{"ge": 0, "points": 0}, {"ge": 10, "points": 1}])
    assert problems(ind) == [("bands[1]", "band [10, +∞) overlaps band [0, +∞)")]


def test_band_gap_messages() -> None:
    gap = make("number", bands=[{"ge": 0, "lt": 10, "points": 0},
                                {"ge": 12, "points": 1}])
    assert problems(gap) == [("bands[1]", "gap between band [0, 10) and band [12, +∞)")]
    # both exclusive at 10: the number 10 itself falls in no band
    point_gap = make("number", bands=[{"ge": 0, "lt": 10, "points": 0},
                                      {"gt": 10, "points": 1}])
    assert problems(point_gap) == [("bands[1]", "gap between band [0, 10) and band (10, +∞)")]


def test_band_gap_reported_in_value_order_whatever_the_listing_order() -> None:
    ind = make("number", bands=[{"ge": 20, "points": 2}, {"ge": 0, "lt": 10, "points": 0}])
    assert problems(ind) == [("bands[0]", "gap between band [0, 10) and band [20, +∞)")]


def test_band_coverage_of_declared_range() -> None:
    ind = make("number", min=0, max=100, bands=[{"gt": 0, "lt": 50, "points": 0},
                                                {"ge": 50, "lt": 100, "points": 1}])
    assert problems(ind) == [
        ("bands", "no band covers the minimum 0"),
        ("bands", "no band covers the maximum 100"),
    ]
    # percent's default range 0-100 must be covered too
    pct = make("percent", bands=[{"ge": 10, "le": 100, "points": 1}])
    assert problems(pct) == [("bands", "no band covers the minimum 0")]


def test_band_shape_checks() -> None:
    ind = make("number", bands=[{"ge": 0, "gt": 0, "lt": 5, "le": 5, "points": -1}])
    assert problems(ind) == [
        ("bands[0]", "give ge or gt, not both"),
        ("bands[0]", "give le or lt, not both"),
        ("bands[0].points", "points must not be negative"),
    ]
    empty = make("number", bands=[{"ge": 5, "lt": 5, "points": 1}])
    assert problems(empty) == [("bands[0]", "band [5, 5) is empty")]
    assert problems(make("number")) == [("bands", "a number indicator needs bands")]


def test_two_bands_unbounded_below_overlap() -> None:
    ind = make("number", bands=[{"lt": 10, "points": 0}, {"lt": 20, "points": 1}])
    # every number below 10 lies in both bands: an overlap, not a gap
    assert problems(ind) == [("bands[1]", "band (−∞, 20) overlaps band (−∞, 10)")]


def test_number_ladder_better_lower_is_reversed(share: Indicator) -> None:
    ladder = KINDS["number"].ladder(share)
    assert ladder == sorted(ladder)
    assert ladder[0] == 0 and ladder[-1] >= 30
    lower = make("number", min=0, better="lower",
                 bands=[{"ge": 0, "lt": 5, "points": 2}, {"ge": 5, "points": 0}])
    lad = KINDS["number"].ladder(lower)
    assert lad == sorted(lad, reverse=True)
    points = [pts(lower, v) for v in lad]
    assert points == sorted(points)


# --- scale ---------------------------------------------------------------------------------


@pytest.fixture
def scale() -> Indicator:
    return make("scale", scale=[{"level": 0, "label": T}, {"level": 1, "label": T},
                                {"level": 2, "label": T}, {"level": 3, "label": T,
                                                          "points": 5}])


def test_scale_points_default_to_level(scale: Indicator) -> None:
    assert [pts(scale, lv) for lv in (0, 1, 2, 3)] == [0, 1, 2, 5]
    assert pts(scale, "2") == 2
    assert KINDS["scale"].max_points(scale) == 5
    assert KINDS["scale"].level(scale, 3) == 3
    assert KINDS["scale"].ladder(scale) == [0, 1, 2, 3]


@pytest.mark.parametrize(("raw", "message"), [
    (4, "level 4 is not one of 0/1/2/3"),
    (-1, "level -1 is not one of 0/1/2/3"),
    ("abc", "expected a level 0/1/2/3, got 'abc'"),
    (2.5, "expected a level 0/1/2/3, got 2.5"),
    (True, "expected a level 0/1/2/3, got True"),
    (None, "expected a level 0/1/2/3, got None"),
    ([1], "expected a level 0/1/2/3, got [1]"),
])
def test_scale_invalid(scale: Indicator, raw: Any, message: str) -> None:
    assert parse_error(scale, raw) == message


def test_scale_checks() -> None:
    assert problems(make("scale", scale=[{"level": 1, "label": T}])) == [
        ("scale", "a scale needs at least two levels")]
    unordered = make("scale", scale=[{"level": 2, "label": T}, {"level": 1, "label": T},
                                     {"level": 3, "label": T, "points": -1}])
    assert problems(unordered) == [
        ("scale", "levels must be listed lowest first, each once"),
        ("scale[2].points", "points must not be negative"),
    ]


# --- date ----------------------------------------------------------------------------------


def test_date_within_days_boundary() -> None:
    ind = make("date", within_days=30, points=2)
    # 2026-01-01 is exactly 30 days before 2026-01-31: still inside
    assert pts(ind, "2026-01-01") == 2
    # 2025-12-31 is 31 days before: outside
    assert pts(ind, "2025-12-31") == 0
    # on the assessment date itself (0 days): inside
    assert pts(ind, "2026-01-31") == 2
    # after the assessment date: not yet happened, 0
    assert pts(ind, "2026-02-01") == 0
    assert KINDS["date"].max_points(ind) == 2


def test_date_default_points_and_unscored_without_within_days() -> None:
    assert KINDS["date"].max_points(make("date", within_days=0)) == 1
    assert pts(make("date", within_days=0), "2026-01-31") == 1
    plain = make("date")
    assert KINDS["date"].max_points(plain) == 0
    assert KINDS["date"].is_scored(plain) is False
    assert pts(plain, "2026-01-31") == 0


def test_date_parse() -> None:
    ind = make("date", within_days=1)
    assert KINDS["date"].parse(ind, " 2026-01-05 ") == dt.date(2026, 1, 5)
    assert KINDS["date"].parse(ind, dt.datetime(2026, 1, 5, 12, 0)) == dt.date(2026, 1, 5)
    assert KINDS["date"].to_json(dt.date(2026, 1, 5)) == "2026-01-05"
    for raw in ("2026-13-01", 20260105, None):
        assert parse_error(ind, raw) == f"expected a date (YYYY-MM-DD), got {raw!r}"
    assert problems(make("date", within_days=-1)) == [("within_days", "must not be negative")]


# --- text ----------------------------------------------------------------------------------


def test_text_is_unscored() -> None:
    ind = make("text")
    kind = KINDS["text"]
    assert kind.parse(ind, "见附件") == "见附件"
    assert kind.is_scored(ind) is False
    assert kind.max_points(ind) == 0
    assert parse_error(ind, 5) == "expected text, got int"
    assert parse_error(ind, None) == "expected text, got NoneType"


def test_indicator_scored_false_makes_any_kind_unscored() -> None:
    assert KINDS["yesno"].is_scored(make("yesno", scored=False)) is False
    assert KINDS["yesno"].is_scored(make("yesno")) is True


# --- ladders -------------------------------------------------------------------------------


@pytest.mark.parametrize("ind", [
    make("choice", options=[opt("a", 0), opt("b", 1), opt("c", 1), opt("d", 3)]),
    make("multi", options=[opt("a", 1), opt("b", 2), opt("none", exclusive=True)]),
    make("yesno"),
    make("yesno", better="lower"),
    make("percent", bands=[{"ge": 0, "lt": 20, "points": 0}, {"ge": 20, "points": 2}]),
    make("scale", scale=[{"level": 1, "label": T}, {"level": 2, "label": T}]),
], ids=["choice", "multi", "yesno", "yesno-lower", "percent", "scale"])
def test_points_never_fall_along_the_ladder(ind: Indicator) -> None:
    kind = KINDS[ind.kind]
    ladder = kind.ladder(ind)
    assert len(ladder) >= 2
    points = [kind.points(ind, kind.parse(ind, raw), ON) for raw in ladder]
    assert points == sorted(points)
    assert points[0] < points[-1] == kind.max_points(ind)
