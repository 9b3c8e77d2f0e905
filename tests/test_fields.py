"""Field blocks: ``日時：`` / ``場所：`` / ``議題：`` notices, ``１．日 時：…`` in minutes, a
label alone with its value on the next line, ``<dl>`` blocks and inline ``開催日:`` in a
search result. Inputs are written from the shapes of the events corpus's notices and
minutes headers; expected days and places are read off the inputs by hand.
"""

from __future__ import annotations

import datetime as dt

import pytest

from aical.document import Document, Field, Fields, Heading, Location
from aical.extract import extract_document, extract_report
from aical.extract.fields import label_role, split_label_line

F = "n.txt"


def got(report):
    return [(e.span.first_day.isoformat(), e.summary, e.venue) for e in report.events]


@pytest.mark.parametrize(("line", "split"), [
    ("日時：令和6年7月3日（水）14時", ("日時", "令和6年7月3日（水）14時")),
    ("日　時：令和6年7月3日", ("日 時", "令和6年7月3日")),
    ("１．日 時：令和６年２月１７日", ("日 時", "令和６年２月１７日")),
    ("２　場所　目黒区議会議場", ("場所", "目黒区議会議場")),
    ("開催日: 2024-12-26", ("開催日", "2024-12-26")),
    ("開催日時及び場所", ("開催日時及び場所", "")),
    ("(1) 会場：市民会館", ("会場", "市民会館")),
    ("場所は市役所です。", None),
    ("日時を変更します", None),
    ("議長　山田太郎君", None),
])
def test_label_lines_are_split_into_label_and_value(line, split):
    assert split_label_line(line) == split


@pytest.mark.parametrize(("label", "role"), [
    ("日時", "date"), ("日　時", "date"), ("期日", "date"), ("開催日", "date"),
    ("招集年月日", "date"), ("場所", "venue"), ("会場", "venue"), ("招集の場所", "venue"),
    ("議題", "agenda"), ("会議名", "name"), ("開催日時及び場所", "both"), ("出席者", None),
])
def test_labels_have_roles(label, role):
    assert label_role(label) == role


def test_a_notice_gives_its_meeting_with_the_title_above():
    text = "第2回環境審議会の開催について\n日時：令和6年7月3日（水）14時～16時\n" \
           "場所：市役所3階 第1会議室\n議題：環境基本計画の改定について\n"
    report = extract_report(text, file=F)
    # (the builder drops the spaces PDF extraction leaves in Japanese text: 3階第1会議室)
    assert got(report) == [("2024-07-03", "第2回環境審議会", "市役所3階第1会議室")]
    event = report.events[0]
    assert (event.start_time, event.end_time) == (dt.time(14), dt.time(16))
    assert not report.warnings  # the title's meeting is the block's: no undated meeting
    assert event.agenda == ("環境基本計画の改定について",)


def test_numbered_fields_of_minutes_are_fields_not_headings():
    text = "令和６年第２回定例会会議録\n１．日 時：令和６年６月１０日（月）午前１０時\n" \
           "２．場 所：市議会議場\n"
    report = extract_report(text, file=F)
    assert got(report) == [("2024-06-10", "令和６年第２回定例会", "市議会議場")]
    # 場所 opened no heading (the body is the session's own: its days are 本会議)
    assert not any("場所" in part for part in report.events[0].body)
    assert not [w for w in report.warnings if w.code == "heading_out_of_sequence"]


def test_a_label_alone_takes_the_next_line_as_its_value():
    text = "民生環境協議会記録\n──────────\n開催日時及び場所\n" \
           "　令和６年12月17日（火）午前10時40分～午前11時11分　第３委員会室\n" \
           "──────────\n本日の会議に付した事件\n"
    report = extract_report(text, file=F)
    assert got(report) == [("2024-12-17", "民生環境協議会", "第３委員会室")]
    assert report.events[0].start_time == dt.time(10, 40)


def test_a_header_and_the_minutes_own_fields_of_one_day_are_one_meeting():
    text = "開催日：令和 7年 2月17日\n会議名：令和 7年第1回定例会（第1日 2月17日）\n\n" \
           "目黒区議会会議録　第１号\n\n１　日時　令和７年２月１７日　午後１時\n\n２　場所　目黒区議会議場\n"
    report = extract_report(text, file=F)
    assert got(report) == [("2025-02-17", "令和7年第1回定例会（第1日2月17日）", "目黒区議会議場")]


def test_search_results_name_one_meeting_once_whatever_part_of_it_they_list():
    lines = ["1 令和７年　第４回市議会定例会〔資料〕 開催日: 2025-12-18",
             "2 令和７年 第４回市議会定例会（第６日）　本文 開催日: 2025-12-18",
             "3 令和７年 第４回市議会定例会（第６日） 議事日程・名簿 開催日: 2025-12-18",
             "4 令和７年　特別委員会　本文 開催日: 2025-12-12",
             "5 令和７年 第４回市議会定例会（第４日）　本文 開催日: 2025-12-12"]
    report = extract_report("\n".join(lines), file=F)
    assert [(d, s) for d, s, _ in got(report)] == [
        ("2025-12-18", "令和7年第4回市議会定例会"), ("2025-12-12", "令和7年特別委員会"),
        ("2025-12-12", "令和7年第4回市議会定例会(第4日)")]


def test_a_definition_list_block_from_a_reader():
    at = Location("p.html", line=5)
    block = Fields((Field("日時", "2024年10月5日（土）10:00～12:00", at), Field("会場", "中央公民館", at),
                    Field("内容", "防災講演会", at)), at)
    report = extract_document(Document("p.html", "html", (
        Heading(2, "", "防災フォーラムのお知らせ", Location("p.html", line=3)), block)))
    assert [(e.span.first_day.isoformat(), e.summary, e.venue, e.start_time) for e in report.events] \
        == [("2024-10-05", "防災フォーラム", "中央公民館", dt.time(10))]


def test_online_in_a_place_field_is_the_mode_not_a_venue():
    text = "臨時総会報告書\n日時\n2023 年 12 月 13 日 21 時から 21 時 51 分\n場所\nオンライン (Zoom)\n"
    report = extract_report(text, file=F)
    assert [(e.span.first_day.isoformat(), e.mode, e.venue) for e in report.events] == [
        ("2023-12-13", "online", None)]


def test_a_date_field_without_a_readable_date_is_warned_about():
    report = extract_report("第3回理事会のお知らせ\n日時：調整中\n場所：本部会議室\n", file=F)
    assert report.events == ()
    assert [(w.code, w.line) for w in report.warnings if w.line == 2] == [("no_date", 2)]
    assert "日時：調整中" in next(w.message for w in report.warnings if w.line == 2)


def test_prose_that_mentions_a_label_is_no_field():
    text = "第1回総会（令和6年5月20日、本庁舎）\n場所については後日お知らせします。\n"
    report = extract_report(text, file=F)
    assert [(e.span.first_day.isoformat(), e.venue) for e in report.events] == [
        ("2024-05-20", "本庁舎")]


def test_a_period_under_a_title_that_names_no_meeting_is_no_meeting():
    # a search page's form: 現在の検索条件 / 期間 2025-01-01 から 2025-12-31 まで
    report = extract_report("現在の検索条件\n期間\n2025-01-01 から 2025-12-31 まで\n", file=F)
    assert report.events == () and [w.code for w in report.warnings] == ["no_meetings"]


def test_a_heading_the_format_marked_is_no_label():
    # <h3>日程</h3> over a session's schedule: a heading, not a date field
    at = Location("d.html", line=1)
    report = extract_document(Document("d.html", "html", (
        Heading(3, "", "日程", at), Heading(4, "", "9月定例会", Location("d.html", line=2)))))
    assert report.events == ()


@pytest.mark.parametrize(("name", "body"), [
    ("令和7年 長期総合計画審査特別委員会", ("長期総合計画審査特別委員会",)),
    ("第3回総務委員会", ("総務委員会",)),
    ("令和６年第４回定例会（第１号）", ("本会議",)),
    ("議会説明", ()),
])
def test_a_meeting_without_a_heading_takes_its_body_from_its_own_name(name, body):
    from aical.extract.fields import own_body

    assert own_body(name) == body
    report = extract_report(f"会議名：{name}\n開催日：令和6年7月3日\n", file=F)
    # the builder names the series from the meeting's name where the fields gave none:
    # an explanation to the council (議会説明) is the council's (the corpus labels it so)
    assert report.events[0].body == (body or ("議会",))
