"""The finder over running text: the sample's every dated line, columns, PDF scars."""

from __future__ import annotations

import datetime as dt

import pytest

from aical import find_dates
from aical.dates.finder import scan_line
from conftest import SAMPLE


def test_every_expected_event_line_has_its_span(expected_rows):
    """The dates of all 84 event lines, as written (line 98's repair is the extractor's)."""
    found = find_dates(SAMPLE.read_text(encoding="utf-8"))
    by_line: dict[int, list] = {}
    for match in found:
        by_line.setdefault(match.line, []).append(match)
    for row in expected_rows:
        written = row["as_written"] or f"{row['first']}/{row['last']}"
        first, last = written.split("/")
        spans = [(m.span.first_day.isoformat(), m.span.last_day.isoformat())
                 for m in by_line.get(int(row["line"]), [])]
        assert (first, last) in spans, (row["line"], spans)


def test_columns_point_at_the_text_as_written():
    line = "- ・ 第 2 回事業部会（令和 2 年 10 月 5 日～9 日、書面開催）"
    [match] = scan_line(line, 7)
    assert match.line == 7
    assert line[match.start:match.end] == match.text == "令和 2 年 10 月 5 日～9 日"
    assert str(match.span) == "2020-10-05/2020-10-09"


def test_kanji_and_ligature_columns_map_back():
    line = "期間は㋿二年十二月二十八日（月）から翌年一月八日までです。"
    [match] = scan_line(line)
    assert match.text == "㋿二年十二月二十八日（月）から翌年一月八日まで"
    assert str(match.span) == "2020-12-28/2021-01-08"


def test_open_ended_starts_are_noted():
    [match] = scan_line("令和3年3月以降の協議会 Web システム")
    assert [code for code, _ in match.notes] == ["open_ended"]
    [match] = scan_line("平成16年7月から、協議会参加全団体で")
    assert str(match.span) == "2004-07-01/2004-07-31"
    assert [code for code, _ in match.notes] == ["open_ended"]


def test_words_with_kanji_numerals_are_not_dates():
    assert scan_line("平成 18 年から一次稼働として屋外スポーツ施設分の運用") [0].text == "平成 18 年"
    assert scan_line("同一の事業者から一般競争入札") == []


def test_a_reversed_range_falls_back_to_its_start_with_a_note():
    [match] = scan_line("（令和2年7月20日～14日、書面開催）")
    assert str(match.span) == "2020-07-20"
    assert "range_end_before_start" in [code for code, _ in match.notes]


def test_impossible_dates_are_reported_as_problems():
    problems = []
    assert scan_line("（令和3年2月29日、書面開催）", 5, problems=problems) == []
    [(line, start, end, text, error)] = problems
    assert (line, text, error.code) == (5, "令和3年2月29日", "invalid_date")


def test_year_less_dates_take_the_nearest_year_with_a_note():
    text = "=== 2019年3月7日 本会議\n２月22日の本会議において、３月４日の委員会で審査し"
    found = find_dates(text)
    inferred = [m for m in found if m.line == 2]
    assert [m.span.first_day for m in inferred] == [dt.date(2019, 2, 22), dt.date(2019, 3, 4)]
    assert all("year_inferred" in [c for c, _ in m.notes] for m in inferred)
    # without an earlier date there is nothing to infer from
    assert find_dates("２月22日の本会議において") == []


def test_ranges_crossing_lines_are_not_invented():
    assert [m.text for m in find_dates("令和2年4月1日\n～9日")] == ["令和2年4月1日"]


def test_dates_glued_to_latin_words_by_folded_spaces_are_found():
    assert [m.text for m in scan_line("(generated 2026-08-16 by the scripts)")] == ["2026-08-16"]
    assert [m.text for m in scan_line("every 令和元年 item has")] == ["令和元年"]
    assert scan_line("ID12020年") == []  # inside a number as written


def test_listed_days_share_the_month():
    found = scan_line("令和2年8月22日、23日及び翌25日に開催")
    assert [(m.text, str(m.span)) for m in found] == [
        ("令和2年8月22日", "2020-08-22"), ("23日", "2020-08-23"), ("翌25日", "2020-08-25")]


def test_relative_years_and_eraless_fiscal_years():
    found = find_dates("=== 2019年9月20日 本会議\n本年８月８日に開催され、来年４月に施行。")
    assert [str(m.span) for m in found if m.line == 2] == ["2019-08-08", "2020-04-01/2020-04-30"]
    [fy8, fy9] = scan_line("令和8年度(9年度採用)")
    assert (str(fy9.span), fy9.text) == ("2027-04-01/2028-03-31", "9年度")


def test_a_date_in_passing_does_not_move_the_anchor():
    text = ("=== 2019年9月20日 本会議\n"
            "2020年３月29日に開催予定の大会は、７月30日に延期された。\n"
            "８月７日に協議会が開かれた。")
    found = find_dates(text)
    assert [str(m.span) for m in found if m.text in ("７月30日", "８月７日")] == [
        "2019-07-30", "2019-08-07"]


def test_compound_and_half_year_forms():
    assert [str(m.span) for m in scan_line("2026年(令和8年)7月から")] == ["2026-07-01/2026-07-31"]
    assert [str(m.span) for m in scan_line("令和８年度上期に")] == ["2026-04-01/2026-09-30"]
    assert [str(m.span) for m in scan_line("令和元年度から6年度まで")] == ["2019-04-01/2025-03-31"]


def test_a_line_crowded_with_dates_is_read_in_one_pass():
    """Work grows with the line, not with the square of its dates (a 1 MB line of dates
    once never finished); counted in matches, not timed."""
    unit = "第1回（令和2年5月26日～29日、書面開催）、8月3日、23日、9年度 "
    found = find_dates(unit * 2000)
    assert len(found) == 2000 * 4
    assert {m.text for m in found} == {"令和2年5月26日～29日", "8月3日", "23日", "9年度"}


def _days(line: str, reference: dt.date | None = None) -> list[str]:
    return [f"{m.span.first_day}/{m.span.last_day}" if m.span.last_day != m.span.first_day
            else str(m.span.first_day) for m in scan_line(line, reference=reference)]


def test_a_start_day_may_leave_its_nichi_to_the_end():
    """6月21～28日 and 5月4・5日 (the 日 written once, at the end) and 4月1(土) (a day with
    its weekday, as informal minutes write it) are days, not the whole month."""
    assert _days("令和8年6月21〜28日") == ["2026-06-21/2026-06-28"]
    assert _days("点検清掃：6月16日・6月21～28日", dt.date(2026, 4, 19)) == \
        ["2026-06-16", "2026-06-21/2026-06-28"]
    assert _days("神社：5月4・5日は飾り付け", dt.date(2026, 4, 19)) == ["2026-05-04", "2026-05-05"]
    assert _days("* 4月1(土) Tokyo/Spring", dt.date(2023, 3, 6)) == ["2023-04-01"]
    # a clock time after a day is not a day without 日
    assert _days("令和8年4月19日(土) 13:30~16:30") == ["2026-04-19"]
    assert _days("令和8年4月") == ["2026-04-01/2026-04-30"]


def test_year_less_days_of_a_line_are_read_in_the_order_written():
    """7月6日、11月30日 in a line anchored at 19 April: 30 November follows 6 July (the
    nearest year to the anchor alone would put it in the November before)."""
    assert _days("清掃活動：7月6日（約204名）、11月30日（約99名）", dt.date(2025, 4, 20)) == \
        ["2025-07-06", "2025-11-30"]


def test_a_start_and_its_length_same_month_same_day_and_bare_listed_days():
    """10月18日から2日間 counts the start day; 同月28日 and 同日 take the month or day
    written before them on the line; 27(金)・28(土) lists a day with its weekday only."""
    assert _days("１０月１８日から２日間、キャラ博に参加", dt.date(2025, 11, 27)) == \
        ["2025-10-18/2025-10-19"]
    assert _days("１１月５日から三日間、交流を行いました", dt.date(2025, 11, 27)) == \
        ["2025-11-05/2025-11-07"]
    assert _days("４月２１日に審議会で、同月２８日には十市で説明", dt.date(2022, 6, 2)) == \
        ["2022-04-21", "2022-04-28"]
    assert _days("１０月２６日に軽トラ市、同日、パンまつり", dt.date(2025, 11, 27)) == \
        ["2025-10-26", "2025-10-26"]
    assert _days("令和7年3月1日同日付で就任") == ["2025-03-01"]  # 同日付 is a document's date
    assert _days("2026/2/27(金)・28(土) 東京春") == ["2026-02-27", "2026-02-28"]


def _fold_one_by_one(line: str) -> tuple[str, list[int]]:
    """The column map as first written: each character NFKC-folded alone."""
    import unicodedata

    from aical.dates.finder import _FOLD

    chars, origin = [], []
    for column, ch in enumerate(line):
        folded = ch if ch.isascii() else unicodedata.normalize("NFKC", ch)
        for out in folded.translate(_FOLD):
            chars.append(out)
            origin.append(column)
    return "".join(chars), origin


def test_folding_by_table_is_folding_character_by_character():
    """fold_with_map folds a line with one str.translate over a table of the characters
    met so far (a per-character loop was a tenth of extraction); the text and the column
    map must be exactly those of folding each character alone."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from aical.dates.finder import _KANJI_NUMERAL_RUN, fold_with_map

    # full-width forms, spaces, ㍻-like squares, circled numbers, kanji numerals, ASCII
    alphabet = st.sampled_from(
        [chr(c) for c in (*range(0x20, 0x7f), *range(0xff01, 0xff5f), 0x3000, 0x337b,
                          0x337e, 0x32a4, 0x2460, 0x2473, 0x2160, 0xfa11, 0x1d7ce)]
        + list("〇一二三四五六七八九十百千令和元年度月日回第（）、・ 　"))

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet, max_size=30))
    def check(line):
        text, origin = fold_with_map(line)
        plain, plain_origin = _fold_one_by_one(line)
        if not _KANJI_NUMERAL_RUN.search(plain):
            assert (text, origin) == (plain, plain_origin)
        assert len(origin) == len(text)
        assert all(0 <= column < len(line) for column in origin)

    check()
    assert fold_with_map("第　１回　令和２年") == _fold_one_by_one("第　１回　令和２年")
    # one character to two (㍻) and one to none (the space): equal lengths, shifted map
    assert fold_with_map("㍻ 2年") == ("平成2年", [0, 0, 2, 3])


@pytest.mark.parametrize(("line", "days"), [
    ("PyLadies Caravan in 福岡 2nd 2/28", ["2026-02-28"]),
    ("DojoConは10/25開催なので", ["2025-10-25"]),
    ("次回は12/9 19:00 -> 会場", ["2025-12-09"]),        # the time after a space is not the day's
    ("今年もありました(12/6)", ["2025-12-06"]),
    ("4/24 オンライン相談会を開催", ["2026-04-24"]),
])
def test_a_bare_month_and_day_standing_alone_is_a_date(line, days):
    found = scan_line(line, reference=dt.date(2025, 12, 8))
    assert [m.span.first_day.isoformat() for m in found] == days
    assert all(code == "year_inferred" for m in found for code, _ in m.notes)


@pytest.mark.parametrize("line", [
    "1/2の確率で起きる", "全体の1/3程度", "定員の1/2以上", "https://example.jp/1/2",
    "v1/2", "x1/2", "13/40 件", "1/2.5 の縮尺", "2/30",
])
def test_fractions_paths_and_impossible_days_are_not_bare_dates(line):
    assert scan_line(line, reference=dt.date(2025, 12, 8)) == []
