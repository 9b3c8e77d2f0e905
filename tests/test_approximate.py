"""Approximate dates, lists of months and recurring rules (tests/data/era-cases-approx.tsv,
written from the calendar by hand), and properties: each reading lies inside its month or
fiscal year, and the parts of a month, seasons and a rule's days come in order."""

from __future__ import annotations

import calendar
import csv
import datetime as dt

import pytest
from hypothesis import given, strategies as st

from aical import DateError
from aical.dates.era import FiscalYear
from aical.dates.spans import parse_all, parse_with_notes
from aical.model import PRECISIONS
from conftest import DATA


def run(*args: str):
    from click.testing import CliRunner

    from aical.cli import cli

    return CliRunner().invoke(cli, list(args))

with open(DATA / "era-cases-approx.tsv", encoding="utf-8", newline="") as _f:
    CASES = list(csv.DictReader(_f, delimiter="\t"))


def _answer(text: str, year: str) -> tuple[str, str]:
    try:
        spans, _ = parse_all(text, fiscal_year=FiscalYear.parse(year) if year else None)
    except DateError as error:
        return f"ERROR({error.code})", ""
    return " ".join(str(s) for s in spans), spans[0].precision


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case):
    assert _answer(case["input"], case["year"]) == (case["expected"], case["precision"]), \
        case["reason"]


def test_approximate_readings_say_so():
    for text in ("令和2年8月上旬", "令和2年6月頃", "令和2年秋", "2023.03.xx", "令和2年度第1四半期"):
        assert "approximate" in {code for code, _ in parse_with_notes(text)[1]}, text
    assert not parse_with_notes("令和2年8月5日")[1]


def test_parse_shows_them():
    result = run("parse", "令和2年8月上旬")
    assert result.exit_code == 0 and result.output == "2020-08-01/2020-08-10\tpart_of_month, approximate\n"
    result = run("parse", "--year", "R2", "--json", "5月、9月、1月")
    assert result.exit_code == 0, result.output
    import json

    data = json.loads(result.output)
    assert (data["first_day"], data["last_day"]) == ("2020-05-01", "2021-01-31")
    assert [o["first_day"] for o in data["occurrences"]] == ["2020-05-01", "2020-09-01",
                                                            "2021-01-01"]


_ERA_YEARS = st.sampled_from([("令和", 2018, 2, 30), ("平成", 1988, 2, 30), ("昭和", 1925, 2, 63)])


@given(_ERA_YEARS, st.data(), st.integers(1, 12))
def test_parts_lie_inside_their_month_in_order(era, data, month):
    name, offset, low, high = era
    year = data.draw(st.integers(low, high))
    spans = [parse_with_notes(f"{name}{year}年{month}月{part}")[0]
             for part in ("上旬", "中旬", "下旬")]
    last = calendar.monthrange(offset + year, month)[1]
    month_first = dt.date(offset + year, month, 1)
    assert spans[0].first_day == month_first
    assert spans[-1].last_day == dt.date(offset + year, month, last)
    for a, b in zip(spans, spans[1:]):
        assert a.last_day + dt.timedelta(days=1) == b.first_day  # in order, no gap
    for span in spans:
        assert span.first_day.month == span.last_day.month == month
        assert span.precision == "part_of_month"


@given(st.integers(1990, 2090), st.sampled_from(["偶数月中旬", "奇数月上旬", "毎月下旬", "毎月第2火曜日",
                                                  "毎月第5水曜日", "毎月15日", "偶数月末"]))
def test_rules_expand_inside_the_fiscal_year_each_in_its_month_in_order(start, rule):
    fiscal_year = FiscalYear(start)
    spans, _ = parse_all(rule, fiscal_year=fiscal_year)
    assert spans
    months = [(s.first_day.year, s.first_day.month) for s in spans]
    assert len(set(months)) == len(months)  # at most one reading a month
    for span in spans:
        assert fiscal_year.contains(span.first_day) and fiscal_year.contains(span.last_day)
        assert (span.first_day.year, span.first_day.month) == \
            (span.last_day.year, span.last_day.month)
    assert [s.first_day for s in spans] == sorted(s.first_day for s in spans)
    assert {s.precision for s in spans} <= set(PRECISIONS)


@given(st.integers(1990, 2090))
def test_seasons_and_quarters_of_a_fiscal_year_tile_it(start):
    from aical.dates.era import era_of

    fiscal_year = FiscalYear(start)
    label = fiscal_year.label
    quarters = [parse_with_notes(f"{label}第{n}四半期")[0] for n in range(1, 5)]
    assert quarters[0].first_day == fiscal_year.first_day
    assert quarters[-1].last_day == fiscal_year.last_day
    for a, b in zip(quarters, quarters[1:]):
        assert a.last_day + dt.timedelta(days=1) == b.first_day
    seasons = [parse_with_notes(f"{label}{s}")[0] for s in "春夏秋冬"]
    assert seasons[0].first_day == fiscal_year.first_day
    for a, b in zip(seasons, seasons[1:]):
        assert a.last_day + dt.timedelta(days=1) == b.first_day
    assert all(fiscal_year.contains(s.last_day) for s in seasons)
    assert era_of(fiscal_year.first_day)  # the label is of a real era


# --- in running text (the finder) and as meetings (the extractor) -----------------------

@pytest.mark.parametrize("line, expected", [
    ("・第1回理事会（令和2年6月下旬）", ["2020-06-21/2020-06-30"]),
    ("・総会（5月中旬）", ["2020-05-11/2020-05-20"]),
    ("冬頃開催予定", ["2020-12-01/2021-02-28"]),
    ("第1四半期に開催", ["2020-04-01/2020-06-30"]),
    ("・理事会（5 月、9 月、1 月）", ["2020-05-01/2020-05-31", "2020-09-01/2020-09-30",
                                "2021-01-01/2021-01-31"]),
    ("・運営委員会（偶数月中旬）", ["2020-04-11/2020-04-20", "2020-06-11/2020-06-20",
                              "2020-08-11/2020-08-20", "2020-10-11/2020-10-20",
                              "2020-12-11/2020-12-20", "2021-02-11/2021-02-20"]),
    ("報告会（2023.03.xx）", ["2023-03-01/2023-03-31"]),
    ("秋田県で開催", []),       # a season needs 頃 (or a year) to be one: 秋田 is a place
    ("毎週土曜日に開店", []),    # weekly opening hours are not read as dates
])
def test_finder_reads_them_in_running_text(line, expected):
    from aical.dates.finder import scan_line

    found = scan_line(line, fiscal_year=FiscalYear(2020), reference=dt.date(2020, 4, 1))
    assert [str(m.span) for m in found] == expected


def test_a_plan_meeting_late_in_june_is_tentative_with_no_venue():
    from aical.extract import extract_report

    report = extract_report("令和2年度事業計画\n1 理事会\n・第1回理事会（令和2年6月下旬）\n"
                            "・第2回理事会（冬頃開催予定）\n・研修会（5 月、9 月、1 月）\n",
                            file="plan.txt")
    got = [(e.summary, str(e.span), e.status, e.venue) for e in report.events]
    assert got == [
        ("第1回理事会", "2020-06-21/2020-06-30", "tentative", None),
        ("第2回理事会", "2020-12-01/2021-02-28", "tentative", None),
        ("研修会", "2020-05-01/2020-05-31", "confirmed", None),
        ("研修会", "2020-09-01/2020-09-30", "confirmed", None),
        ("研修会", "2021-01-01/2021-01-31", "confirmed", None),
    ]
    assert not report.warnings


@given(st.dates(dt.date(1868, 1, 1), dt.date(2100, 12, 31)), st.booleans())
def test_the_fast_path_of_parse_agrees_with_the_general_one(day, padded):
    from aical import parse
    from aical.dates.era import ERAS

    for era in ERAS:  # every era, also where the day lies outside it (errors must agree)
        year = day.year - era.offset
        month, date = (f"{day.month:02d}", f"{day.day:02d}") if padded else (day.month, day.day)
        text = f"{era.name}{year}年{month}月{date}日"
        try:
            general = parse_with_notes(text)[0]
        except DateError as error:
            with pytest.raises(DateError) as fast:
                parse(text)
            assert fast.value.code == error.code
            continue
        assert parse(text) == general
