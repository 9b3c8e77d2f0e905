"""The date engine beyond the shared cases: forms the issue lists, properties over the range."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aical import DateError, FiscalYear, fiscal_year_of, parse
from aical.dates.era import ERAS, era_of, to_int
from aical.dates.spans import parse_with_notes

KANJI = "〇一二三四五六七八九"


def additive_kanji(n: int) -> str:
    """二十八 style (the everyday way)."""
    if n == 0:
        return "〇"
    out = ""
    for value, unit in ((1000, "千"), (100, "百"), (10, "十")):
        q, n = divmod(n, value)
        if q:
            out += ("" if q == 1 else KANJI[q]) + unit
    return out + (KANJI[n] if n else "")


def positional_kanji(n: int) -> str:
    """一〇 style (vertical writing)."""
    return "".join(KANJI[int(d)] for d in str(n))


def era_parts(date: dt.date) -> tuple[str, str, int]:
    era = era_of(date)
    return era.name, era.letter, date.year - era.offset


def fullwidth(text: str) -> str:
    return text.translate(str.maketrans("0123456789RHSTM./", "０１２３４５６７８９ＲＨＳＴＭ．／"))


WEEKDAY = "月火水木金土日"


def written_forms(date: dt.date) -> dict[str, str]:
    name, letter, year = era_parts(date)
    y = "元" if year == 1 else str(year)
    m, d = date.month, date.day
    wd = WEEKDAY[date.weekday()]
    return {
        "plain": f"{name}{y}年{m}月{d}日",
        "kanji": f"{name}{'元' if year == 1 else additive_kanji(year)}年{additive_kanji(m)}月"
                 f"{additive_kanji(d)}日",
        "positional": f"{name}{positional_kanji(year)}年{positional_kanji(m)}月{positional_kanji(d)}日",
        "fullwidth": fullwidth(f"{name}{year}年{m}月{d}日"),
        "spaced": f"{name} {year} 年 {m} 月 {d} 日",
        "abbrev": f"{letter}{year}.{m}.{d}",
        "abbrev_padded": f"{letter}{year:02d}/{m:02d}/{d:02d}",
        "weekday": f"{name}{y}年{m}月{d}日（{wd}）",
        "weekday_long": f"{name}{y}年{m}月{d}日({wd}曜日)",
        "western": f"{date.year}年{m}月{d}日",
        "western_slash": f"{date.year}/{m}/{d}",
        "western_with_era": f"{date.year}({name}{y})年{m}月{d}日",
    }


def test_every_day_1873_to_2100_in_every_form():
    """Exhaustive, not sampled: each of the ~83,000 days in each written form."""
    day = dt.date(1873, 1, 1)
    failures = []
    while day <= dt.date(2100, 12, 31):
        for form, text in written_forms(day).items():
            try:
                span, notes = parse_with_notes(text)
            except DateError as error:
                failures.append((form, text, error.code))
                continue
            if (span.first_day, span.last_day, span.precision) != (day, day, "day") or notes:
                failures.append((form, text, str(span), notes))
        day += dt.timedelta(days=1)
    assert failures == []


@settings(max_examples=300)
@given(st.dates(dt.date(1873, 1, 1), dt.date(2100, 12, 31)),
       st.integers(0, 60), st.sampled_from(["～", "〜", "~", "－", "ー", "―"]))
def test_ranges_round_trip(start, length, separator):
    end = start + dt.timedelta(days=length)
    s_name, _, s_year = era_parts(start)
    e_name, _, e_year = era_parts(end)
    full = f"{s_name}{s_year}年{start.month}月{start.day}日{separator}{e_name}{e_year}年{end.month}月{end.day}日"
    assert (parse(full).first_day, parse(full).last_day) == (start, end)
    # the same range with the end's shared parts elided, as reports write it
    if (s_name, s_year) == (e_name, e_year):
        tail = f"{end.day}日" if end.month == start.month else f"{end.month}月{end.day}日"
        elided = f"{s_name}{s_year}年{start.month}月{start.day}日{separator}{tail}"
        assert (parse(elided).first_day, parse(elided).last_day) == (start, end)
    spaced = f"{s_name} {s_year} 年 {start.month} 月 {start.day} 日から{e_name}{e_year}年{end.month}月{end.day}日まで"
    assert parse(spaced).last_day == end


@settings(max_examples=500)
@given(st.text())
def test_no_string_raises_anything_but_date_error(text):
    try:
        parse(text)
    except DateError as error:
        assert error.code in {"no_date", "invalid_date", "invalid_year", "before_era_start",
                              "after_era_end", "range_end_before_start", "nonexistent_date",
                              "unsupported_era", "lunisolar_unsupported"}


@settings(max_examples=300)
@given(st.sampled_from(["令和", "平成", "昭和", "大正", "明治", "R", "H", "2020/", ""]),
       st.text(alphabet="0123456789０１２３４５６７８９元年月日度～ 　一二十", max_size=14))
def test_date_like_noise_raises_only_date_error(prefix, tail):
    try:
        parse(prefix + tail)
    except DateError:
        pass


@pytest.mark.parametrize("text, expected", [
    ("令和2年12月28日（月）～令和3年1月8日（金）", "2020-12-28/2021-01-08"),
    ("令和2年12月28日月曜日", "2020-12-28"),
    ("令和2年12月28日(月曜)", "2020-12-28"),
    ("H31/4/30", "2019-04-30"),
    ("R02.12.28", "2020-12-28"),
    ("2020.12.28", "2020-12-28"),
    ("2020(令和2)年", "2020-01-01/2020-12-31"),
    ("令和2(2020)年12月28日", "2020-12-28"),
    ("㍻31年4月30日", "2019-04-30"),
    ("㍼64年1月7日", "1989-01-07"),
    ("㍽15年12月24日", "1926-12-24"),
    ("㍾45年7月29日", "1912-07-29"),
    ("令和2年4月1日から令和2年9月30日にかけて", "2020-04-01/2020-09-30"),
    ("令和2年7月14日―20日", "2020-07-14/2020-07-20"),
    ("FY2020", "2020-04-01/2021-03-31"),
    ("2020年度", "2020-04-01/2021-03-31"),
    ("平成31年", "2019-01-01/2019-04-30"),
    ("昭和64年1月", "1989-01-01/1989-01-07"),
    ("令和2年8月～令和2年11月", "2020-08-01/2020-11-30"),
])
def test_forms(text, expected):
    assert str(parse(text)) == expected


@pytest.mark.parametrize("text, code", [
    ("令和2年2月30日", "invalid_date"),
    ("令和2年13月1日", "invalid_date"),
    ("令和0年1月1日", "invalid_year"),
    ("令和99999999999999999999年", "invalid_year"),
    ("2020(令和3)年", "invalid_year"),
    ("令和元年4月", "before_era_start"),
    ("天保3年1月1日", "unsupported_era"),
    ("明治3年5月5日", "lunisolar_unsupported"),
    ("明治5年12月31日", "invalid_date"),
    ("", "no_date"),
    ("令和", "no_date"),
    ("令和2年度～3月", "no_date"),
])
def test_errors(text, code):
    with pytest.raises(DateError) as caught:
        parse(text)
    assert caught.value.code == code
    assert caught.value.message  # a person reads this


def test_weekday_mismatch_is_a_note_not_an_error():
    span, notes = parse_with_notes("令和2年12月28日（火）")
    assert str(span) == "2020-12-28"
    assert [code for code, _ in notes] == ["weekday_mismatch"]
    assert "月曜日" in notes[0][1]


def test_after_era_end_is_a_note_in_lenient_mode():
    _, notes = parse_with_notes("平成32年1月1日")
    assert [code for code, _ in notes] == ["after_era_end"]


@pytest.mark.parametrize("numeral, value", [
    ("二十八", 28), ("十二", 12), ("一〇", 10), ("二〇二〇", 2020), ("千九百八十九", 1989),
    ("三十一", 31), ("元", 1), ("12", 12), ("十", 10),
])
def test_numerals(numeral, value):
    assert to_int(numeral) == value


@pytest.mark.parametrize("value", ["R2", "r2", "令和2", "令和2年度", "2020", "FY2020", "fy2020",
                                   "2020年度", "Ｒ２", 2020])
def test_fiscal_year_forms(value):
    fiscal_year = FiscalYear.parse(value)
    assert fiscal_year == FiscalYear(2020)
    assert (fiscal_year.first_day, fiscal_year.last_day) == (dt.date(2020, 4, 1), dt.date(2021, 3, 31))
    assert fiscal_year.label == "令和2年度"
    assert fiscal_year.short == "R2"


def test_fiscal_year_names():
    assert FiscalYear.parse("H31") == FiscalYear(2019) == FiscalYear.parse("令和元年度")
    assert FiscalYear(2019).label == "令和元年度"
    assert FiscalYear(1988).label == "昭和63年度"
    assert FiscalYear(1989).label == "平成元年度"
    with pytest.raises(DateError):
        FiscalYear.parse("next year")


@given(st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)))
def test_fiscal_year_of_contains_its_day(day):
    fiscal_year = fiscal_year_of(day)
    assert fiscal_year.contains(day)
    assert fiscal_year.first_day.month == 4 and fiscal_year.first_day.day == 1
    assert not fiscal_year_of(fiscal_year.first_day - dt.timedelta(days=1)).contains(day)


def test_era_table_is_contiguous():
    for before, after in zip(ERAS, ERAS[1:]):
        assert before.last_day + dt.timedelta(days=1) == after.first_day


@pytest.mark.parametrize("text", [
    "9999年度", "FY9999", "9999年12月～1月", "9999年12月28日から翌年1月8日",
    "令和7981年度", "令和7981年12月28日～翌年1月1日",
])
def test_the_end_of_the_calendar_is_a_date_error(text):
    with pytest.raises(DateError) as caught:
        parse(text)
    assert caught.value.code in {"invalid_year", "invalid_date"}


def test_a_remembered_reading_is_the_reading_and_an_error_is_raised_each_time():
    """parse_with_notes remembers what it read (a report repeats its days): a text read
    again gives what reading it afresh gives, strictness apart, and a date that never
    existed is an error every time it is read."""
    from aical.dates.spans import _parsed

    for text in ("令和2年5月8日～18日", "令和元年6月上旬", "令和２年４月３０日（木）"):
        for strict in (False, True):
            assert parse_with_notes(text, strict=strict) == _parsed.__wrapped__(text, strict)
            assert parse_with_notes(text, strict=strict) == _parsed.__wrapped__(text, strict)
    for _ in range(2):
        with pytest.raises(DateError):
            parse_with_notes("令和2年2月30日")
    # strictness is part of what is remembered: the same text, read both ways, is not
    # mixed up, in either order
    for _ in range(2):
        assert parse_with_notes("平成32年1月1日")[1][0][0] == "after_era_end"
        with pytest.raises(DateError):
            parse_with_notes("平成32年1月1日", strict=True)
