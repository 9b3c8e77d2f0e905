"""The page's parts that the feeds share or that stand alone: Japanese dates, short dates of
the 年間行事予定表, anchors, quoted lines, sibling colours, letters, labels, the base URL
check, CSS strings, and the statuses drawn on the page. Expected values are written out by
hand from the calendar (2020-04-30 was a Thursday) or computed by the standard library."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from aical.cli import cli
from aical.model import Event, Span
from aical.publish import naming
from aical.publish.html import css_string, label, label_parts, month_heading, render_year_page
from aical.config import check_base_url
from conftest import SAMPLE, assert_handled

D = dt.date


def test_japanese_dates_carry_weekdays_and_leave_out_what_the_start_says():
    assert naming.date_ja(D(2020, 4, 30)) == "2020年4月30日（木）"
    assert naming.range_ja(D(2020, 5, 26), D(2020, 5, 29)) == "2020年5月26日（火）～29日（金）"
    assert naming.range_ja(D(2020, 12, 28), D(2021, 1, 8)) == \
        "2020年12月28日（月）～2021年1月8日（金）"
    assert naming.range_ja(D(2020, 7, 21), D(2020, 8, 3)) == "2020年7月21日（火）～8月3日（月）"
    assert naming.range_ja(D(2020, 8, 1), D(2020, 11, 30), "month") == "2020年8月～11月"
    assert naming.range_ja(D(2020, 10, 14), D(2020, 10, 14)) == "2020年10月14日（水）"


@given(st.dates(D(1990, 1, 1), D(2100, 12, 31)))
def test_weekday_is_the_calendar_s(day):
    expected = "月火水木金土日"[day.weekday()]
    assert naming.date_ja(day).endswith(f"（{expected}）")
    assert naming.date_ja(day, year=False) == f"{day.month}月{day.day}日（{expected}）"


def test_short_dates_of_the_year_table():
    assert naming.short_range(D(2020, 5, 26), D(2020, 5, 29)) == "5/26〜29"
    assert naming.short_range(D(2020, 10, 14), D(2020, 10, 14)) == "10/14"
    assert naming.short_range(D(2020, 12, 28), D(2021, 1, 8)) == "12/28〜1/8"
    assert naming.short_range(D(2020, 8, 1), D(2020, 11, 30), "month") == "8月〜11月"


def test_anchors_depend_on_the_uid_alone():
    a = naming.event_anchor("x@aical")
    assert a == naming.event_anchor("x@aical") != naming.event_anchor("y@aical")
    assert re.fullmatch(r"ev-[0-9a-f]{12}", a)


@pytest.mark.parametrize("quoted, clean", [
    ("- ・第8回検討会（令和2年12月28日）", "第8回検討会（令和2年12月28日）"),
    ("・ 第 2 回事業部会", "第 2 回事業部会"),
    ("○委員会", "委員会"), ("※ 注", "注"), ("第1回定期総会", "第1回定期総会"),
    ("-2℃", "2℃"),
])
def test_list_marks_are_cleaned_from_quoted_lines(quoted, clean):
    assert naming.clean_quote(quoted) == clean


def test_sibling_colours_are_distinct_within_each_parent_and_stable():
    from conftest import split_body
    import csv
    from conftest import DATA

    with open(DATA / "r2-jigyo-hokoku.expected.tsv", encoding="utf-8") as f:
        paths = sorted({split_body(r["body"]) for r in csv.DictReader(f, delimiter="\t")})
    colors = naming.sibling_colors(paths)
    groups: dict = {}
    for path in paths:
        groups.setdefault(path[:-1], []).append(colors[path])
    for parent, members in groups.items():
        assert len(members) == len(set(members)), parent
    palette = {hex_ for _, hex_ in naming.PALETTE}
    assert set(colors.values()) <= palette
    # a body without siblings keeps the stable pick
    lone = ("独立した委員会",)
    assert naming.sibling_colors([lone])[lone] == naming.body_color(lone)


def test_letters_run_a_to_z_then_aa():
    paths = [(f"b{i}",) for i in range(30)]
    letters = naming.body_letters(paths)
    assert [letters[p] for p in paths[:3]] == ["A", "B", "C"]
    assert letters[paths[25]] == "Z" and letters[paths[26]] == "AA" and letters[paths[29]] == "AD"


def event(summary: str, body=("特定団体事業", "あいち電子調達共同システム（物品等）事業",
                              "発注者操作研修会"), **kw) -> Event:
    return Event(uid=kw.pop("uid", summary), body=body, summary=summary,
                 span=Span(D(2020, 5, 26), D(2020, 5, 29)), **kw)


def test_labels_never_repeat_the_body_s_words_and_keep_the_ordinal():
    e = event("発注者操作研修会")
    short = naming.short_name(e.body)
    assert short == "物品等 発注者操作研修会"
    assert label(e, short) == "物品等 発注者操作研修会"
    e = event("第3回事業部会", body=("特定団体事業", "あいち電子調達共同システム（CALS/EC）事業",
                                 "事業部会"))
    assert label_parts(e, naming.short_name(e.body)) == ("CALS/EC", "第3回", "事業部会")
    assert label_parts(event("第 2 回検討会"), "検討会")[1] == "第 2 回"
    assert label_parts(event("臨時幹事会"), "幹事会") == ("", "臨時", "幹事会")


def test_month_heading_gives_the_era_year():
    assert month_heading(2020, 4) == "2020年（令和2年）4月"
    assert month_heading(2019, 4) == "2019年（平成31年）4月"
    assert month_heading(2019, 5) == "2019年（令和元年）5月"


@given(st.text())
def test_css_strings_cannot_break_out(text):
    out = css_string(text)
    assert out.startswith('"') and out.endswith('"')
    inner = out[1:-1]
    assert re.fullmatch(r"[A-Za-z0-9 \\]*", inner)
    # reads back as the text without its control characters
    decoded = re.sub(r"\\([0-9a-f]{6})", lambda m: chr(int(m[1], 16)), inner)
    assert decoded == re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", "", text)


@pytest.mark.parametrize("url, expected", [
    ("https://example.org/cal", "https://example.org/cal"),
    ("https://example.org/cal/", "https://example.org/cal"),
    ("HTTPS://Example.org:8443/a/b", "https://Example.org:8443/a/b"),
    ("", ""),
])
def test_base_urls_accepted(url, expected):
    assert check_base_url(url) == (expected, None)


def test_http_is_accepted_with_a_warning():
    url, warning = check_base_url("http://example.org/cal")
    assert url == "http://example.org/cal" and "https" in warning


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "example.org/cal", "//example.org/cal", "ftp://example.org/",
    "https://", "https://exa mple.org/", 'https://example.org/"><script>', "https://u:p@example.org/",
    "https://example.org/?x=1", "https://example.org/#top", "data:text/html,x",
    "https://example.org:99999/", "https://example.org/\x00",
])
def test_anything_else_is_refused(url):
    with pytest.raises(ValueError):
        check_base_url(url)


def build(tmp_path, *args, toml: str | None = None):
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    (folder / "r2.txt").write_bytes(SAMPLE.read_bytes())
    if toml is not None:
        (folder / "aical.toml").write_text(toml, encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--out", str(tmp_path / "out"), *args,
                                      str(folder)], env={"SOURCE_DATE_EPOCH": "1617235200"})
    assert_handled(result)
    return result


@pytest.mark.parametrize("url", ["javascript:alert(1)", "example.org/cal"])
def test_a_bad_base_url_option_is_a_usage_error(tmp_path, url):
    result = build(tmp_path, "--base-url", url)
    assert result.exit_code == 2 and "--base-url" in result.output
    assert not (tmp_path / "out").exists()


def test_a_bad_base_url_in_the_config_names_the_file(tmp_path):
    result = build(tmp_path, toml='base_url = "javascript:alert(1)"\n')
    assert result.exit_code == 1 and "aical.toml" in result.output and "base_url" in result.output
    assert not (tmp_path / "out").exists()


def test_without_a_base_url_the_build_warns_and_the_page_says_so(tmp_path):
    result = build(tmp_path)
    assert result.exit_code == 0
    assert "no base URL" in result.stderr
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "設定すると表示されます" in page and "webcal://" not in page


def test_feeds_point_back_to_the_event_s_row_and_write_japanese_dates(tmp_path):
    from icalendar import Calendar

    result = build(tmp_path, "--base-url", "https://example.org/cal/")
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    page = (out / "fy2020.html").read_text(encoding="utf-8")
    calendar = Calendar.from_ical((out / "all.ics").read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 84
    for vevent in events:
        url = str(vevent["URL"])
        assert url.startswith("https://example.org/cal/fy2020.html#ev-")
        assert f'id="{url.split("#")[1]}"' in page
        description = str(vevent["DESCRIPTION"])
        start = vevent["DTSTART"].dt
        weekday = "月火水木金土日"[start.weekday()]
        if "月単位の記載" in description:  # no weekday is invented for an unwritten day
            assert f"期間: {start.year}年{start.month}月" in description
        else:
            assert f"期間: {start.year}年{start.month}月{start.day}日（{weekday}）" in description
        original = description.split("原文: ", 1)[1] if "原文: " in description else ""
        assert not original.startswith(("-", "・", " "))
    assert "https://example.org/cal/fy2020.html" in page  # the footer's address


def test_config_title_controls_never_reach_the_page(tmp_path):
    result = build(tmp_path, toml='title = "協議会\\u0000\\u001b[31m赤"\n'
                                  'organisation = "事務局\\u0007"\n')
    assert result.exit_code == 0, result.output
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", page)
    assert "<title>協議会[31m赤 令和2年度</title>" in page


def test_statuses_are_marked_on_every_view():
    base = dict(body=("総会",), span=Span(D(2020, 6, 5), D(2020, 6, 10)))
    events = [Event(uid="t", summary="第1回定期総会", status="tentative", **base),
              Event(uid="c", summary="第2回定期総会", status="cancelled", **base),
              Event(uid="k", summary="第3回定期総会", **base)]
    page = render_year_page(events, fiscal_year_start=2020, title="t",
                            bodies=[(("総会",), "総会", "#4169e1", 3)])
    for uid, status in (("t", "tentative"), ("c", "cancelled")):
        assert re.search(rf'class="piece [^"]*st-{status}[^"]*"[^>]*data-uid="{uid}"', page)
        assert re.search(rf'class="m st-{status}"[^>]*data-event="{uid}"', page)
    assert not re.search(r'class="piece [^"]*st-[a-z]+[^"]*"[^>]*data-uid="k"', page)
    # both marks are explained on the year table and the month's legend
    assert "仮</span>＝予定（未確定）" in page and "中止</span>＝中止" in page
    assert 'sample st-tentative' in page and 'sample st-cancelled' in page
