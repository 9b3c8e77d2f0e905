"""Tables of meetings: column roles from the header, month tables, day-only rows, several
meetings in one cell, agenda tables grouped by day, and rows that are no meetings.

Each input is a small table written from a shape real documents use (the events corpus's
会議日程一覧, 議決結果一覧, 役員の異動, a notice laid out as a table); the expected dates are
worked out by hand from the calendar, not from the code.
"""

from __future__ import annotations

import datetime as dt

import pytest

from aical.document import Cell, Document, Heading, Location, Paragraph, Table
from aical.extract import extract_document
from aical.extract.tables import column_roles, role_of

F = "t.html"


def _cells(texts, line):
    return tuple(Cell(t, Location(F, line=line)) for t in texts)


def table(*rows, header=None, caption=None, line=10):
    head = (_cells(header, line),) if header else ()
    body = tuple(_cells(r, line + 1 + i) for i, r in enumerate(rows))
    return Table(head, body, Location(F, line=line), caption)


def doc(*blocks, title=None):
    return Document(F, "html", tuple(blocks), title=title)


def events(*blocks, **kw):
    report = extract_document(doc(*blocks, **kw))
    return report, [(e.span.first_day.isoformat(), e.span.last_day.isoformat(), e.summary)
                    for e in report.events]


def heading(text, level=2, line=1):
    return Heading(level, "", text, Location(F, line=line))


def para(text, line=2):
    return Paragraph(text, Location(F, line=line))


# --------------------------------------------------------------------------- roles


@pytest.mark.parametrize(("header", "role"), [
    ("回", "number"), ("開催回", "number"), ("会議名", "name"), ("件名", "name"),
    ("名称", "name"), ("開催日", "date"), ("日　時", "date"), ("期日", "date"),
    ("月日", "date"), ("期間", "date"), ("議決\n年月日", "date"), ("場所", "venue"),
    ("会　場", "venue"), ("議題", "agenda"), ("内容", "agenda"), ("案件名", "agenda"),
    ("方法", "note"), ("開催形式", "note"), ("備考", "note"), ("月", "month"),
    ("就任年月日", "skip"), ("辞任年月日", "skip"), ("提出期限", "skip"),
    ("件名または議決事項", "name"), ("氏名", None), ("", None),
])
def test_header_words_give_column_roles(header, role):
    assert role_of(header) == role


def test_roles_read_every_header_row_of_a_column():
    head = (_cells(["会議", "開催", ""], 1), _cells(["名", "日", "場所"], 2))
    assert column_roles(head) == ["name", "date", "venue"]


# --------------------------------------------------------------------------- column tables


def test_a_table_with_named_columns_gives_one_meeting_per_row():
    t = table(["第1回", "令和6年5月20日（月）", "本庁舎3階 大会議室", "役員の選任"],
              ["第2回", "令和6年8月3日", "書面開催", "予算の報告"],
              header=["回", "開催日", "場所", "議題"], caption="環境審議会")
    report, got = events(heading("環境審議会"), t)
    assert [g[:2] for g in got] == [("2024-05-20", "2024-05-20"), ("2024-08-03", "2024-08-03")]
    first = report.events[0]
    assert first.summary.startswith("第1回")
    assert first.venue == "本庁舎3階大会議室"  # the builder drops spaces inside Japanese
    assert first.agenda == ("役員の選任",)
    assert first.body == ("環境審議会",)


def test_year_less_rows_take_the_year_of_the_heading_above():
    t = table(["総会", "5月20日"], ["理事会", "6月3日"], header=["会議名", "開催日"])
    _, got = events(para("令和6年度 会議の予定", 1), t)
    assert got == [("2024-05-20", "2024-05-20", "総会"), ("2024-06-03", "2024-06-03", "理事会")]


def test_an_excel_date_cell_gives_its_own_date_whatever_it_shows():
    cell = Cell("5/20", Location(F, sheet="予定", cell="B2"), date=dt.date(2024, 5, 20))
    t = Table((_cells(["会議名", "開催日"], 1),),
              ((Cell("総会", Location(F, sheet="予定", cell="A2")), cell),), Location(F))
    _, got = events(t)
    assert got == [("2024-05-20", "2024-05-20", "総会")]


def test_a_row_that_carries_only_a_day_takes_the_month_of_the_row_above():
    t = table(["9月20日", "開会"], ["22日", "提案理由の説明"], ["10月3日", "委員会審査"],
              ["5日", "閉会"], header=["月日", "内容"])
    _, got = events(para("令和4年9月定例会", 1), t)
    assert [g[:2] for g in got] == [("2022-09-20", "2022-09-20"), ("2022-09-22", "2022-09-22"),
                                    ("2022-10-03", "2022-10-03"), ("2022-10-05", "2022-10-05")]


def test_a_month_column_with_days_in_brackets_and_several_meetings_in_one_cell():
    t = table(["６月", "監事監査（８日）\n理事会（２０日）"], ["７月", "総会（１日）"],
              ["１月", "理事会（１５日）"], header=["月", "事業内容"])
    _, got = events(para("令和6年度 事業計画", 1), t)
    assert got == [("2024-06-08", "2024-06-08", "監事監査"), ("2024-06-20", "2024-06-20", "理事会"),
                   ("2024-07-01", "2024-07-01", "総会"), ("2025-01-15", "2025-01-15", "理事会")]


def test_one_name_and_one_date_per_line_of_a_cell_are_meetings_each():
    t = table(["第1回検討会\n第2回検討会", "令和6年5月20日\n令和6年7月1日"],
              header=["会議名", "開催日"])
    _, got = events(t)
    assert got == [("2024-05-20", "2024-05-20", "第1回検討会"),
                   ("2024-07-01", "2024-07-01", "第2回検討会")]


def test_a_meeting_row_without_a_readable_date_is_warned_about():
    t = table(["第1回総会", "未定"], ["第2回理事会", "令和6年7月1日"], header=["会議名", "開催日"])
    report, got = events(t)
    assert got == [("2024-07-01", "2024-07-01", "第2回理事会")]
    assert [w.code for w in report.warnings] == ["no_date"]
    assert "第1回総会" in report.warnings[0].message and report.warnings[0].line == 11


# --------------------------------------------------------------------------- other shapes


def test_a_headerless_listing_reads_each_row_as_a_line_with_its_own_year():
    rows = [["令和　６年第　４回定例会,11月29日-目次"] * 3, ["令和　６年第　４回定例会,11月29日-01号"] * 3,
            ["令和　６年第　４回定例会,12月04日-02号"] * 3, ["令和　６年第　１回定例会,02月22日-01号"] * 3]
    _, got = events(table(*rows))
    # the 目次 (table of contents) of a day is no meeting of its own
    assert [g[:2] for g in got] == [("2024-11-29", "2024-11-29"), ("2024-12-04", "2024-12-04"),
                                    ("2024-02-22", "2024-02-22")]
    assert all(g[2].startswith("令和６年第４回定例会") for g in got[:2])


def test_a_table_of_agenda_items_is_one_meeting_per_distinct_day():
    t = table(["第2号", "専決処分の承認", "R6.2.26", "承認"],
              ["第4号", "補正予算（第10号）", "R6.2.26", "原案可決"],
              ["第9号", "令和6年度一般会計予算", "R6.3.21", "原案可決"],
              header=["番号", "案件名", "議決年月日", "議決結果"])
    report, got = events(para("令和６年３月定例会 議決結果一覧表", 1), t)
    assert [g[:2] for g in got] == [("2024-02-26", "2024-02-26"), ("2024-03-21", "2024-03-21")]
    assert report.events[0].agenda == ("専決処分の承認", "補正予算（第10号）")


def test_appointment_dates_are_no_meetings():
    t = table(["理事", "山田 太郎", "令和3年5月18日", ""], ["監事", "鈴木 花子", "", "令和3年5月18日"],
              header=["役職", "氏名", "就任年月日", "辞任年月日"])
    report, got = events(t)
    assert got == [] and [w.code for w in report.warnings] == ["no_meetings"]


def test_a_notice_laid_out_as_a_table_is_read_as_its_fields():
    t = table(["日　時", "平成29年2月18日（土）午後3時より"],
              ["会　場", "生産技術研究所 An棟3F大会議室\n会場までのアクセス"])
    report, got = events(heading("平成29年度通常総会のご案内", 1), t)
    assert got == [("2017-02-18", "2017-02-18", "平成29年度通常総会")]
    assert report.events[0].venue == "生産技術研究所 An棟3F大会議室"  # Latin keeps its space
    assert report.events[0].start_time == dt.time(15, 0)


def test_a_chart_dates_its_cells_by_the_period_columns_above_them():
    # a Gantt chart as a spreadsheet holds it: fiscal years over months over the bars;
    # merged cells repeat their text into every cell they cover
    rows = [["", "", "２０２１年度", "２０２１年度", "２０２２年度", "２０２２年度"],
            ["", "", "２月", "３月", "令和４年４月～令和５年３月", "令和４年４月～令和５年３月"],
            ["市", "議会", "", "議会説明", "", "議会承認"],
            ["市", "議会", "", "議会説明", "", ""],
            ["市", "情報政策課", "覚書締結", "契約締結", "システム対応準備", "システム対応準備"],
            ["市", "情報政策課", "第３者協議", "第３者協議", "", ""]]
    report, got = events(table(*rows))
    assert got == [("2022-03-01", "2022-03-31", "議会説明"), ("2022-04-01", "2023-03-31", "議会承認"),
                   ("2022-02-01", "2022-03-31", "第３者協議")]
    assert report.events[0].body == ("市", "議会")


def test_a_table_with_a_start_and_an_end_column_is_no_chart():
    t = table(["研修会", "令和6年5月1日", "令和6年5月3日"], ["説明会", "令和6年6月1日", "令和6年6月2日"],
              ["総会", "令和6年7月1日", ""])
    _, got = events(t)
    assert got == [("2024-05-01", "2024-05-03", "研修会"), ("2024-06-01", "2024-06-02", "説明会"),
                   ("2024-07-01", "2024-07-01", "総会")]


def test_a_column_of_bodies_gives_each_meeting_its_body_path():
    t = table(["全団体事業/会議運営/総会", "第1回定期総会", "令和2年5月26日", "書面開催"],
              ["全団体事業/会議運営/幹事会", "第1回幹事会", "令和2年5月12日", "県自治センター"],
              header=["会議体", "会議名", "開催日", "開催方法"])
    report, got = events(t)
    assert [(e.body, e.summary, e.mode) for e in report.events] == [
        (("全団体事業", "会議運営", "総会"), "第1回定期総会", "written"),
        (("全団体事業", "会議運営", "幹事会"), "第1回幹事会", "in_person")]
    assert report.events[1].venue == "県自治センター"


def test_start_and_end_columns_named_as_such_give_one_meeting_each():
    # 開始日 | 終了日 as an Excel sheet keeps them: the same day in both is a one-day meeting;
    # a month-only cell (令和2年8月, its format shows no day) dates a month
    def cell(text, day, ref):
        return Cell(text, Location(F, sheet="s", cell=ref), date=day)

    rows = (
        (Cell("監査", Location(F, sheet="s", cell="A2")),
         cell("令和2年8月", dt.date(2020, 8, 1), "B2"), cell("令和2年11月", dt.date(2020, 11, 30), "C2")),
        (Cell("総会", Location(F, sheet="s", cell="A3")),
         cell("令和2年6月5日", dt.date(2020, 6, 5), "B3"), cell("令和2年6月5日", dt.date(2020, 6, 5), "C3")),
        (Cell("幹事会", Location(F, sheet="s", cell="A4")),
         cell("令和2年5月26日", dt.date(2020, 5, 26), "B4"),
         cell("令和2年5月29日", dt.date(2020, 5, 29), "C4")),
    )
    t = Table((_cells(["会議名", "開始日", "終了日"], 1),), rows, Location(F))
    report, got = events(t)
    assert got == [("2020-08-01", "2020-11-30", "監査"), ("2020-06-05", "2020-06-05", "総会"),
                   ("2020-05-26", "2020-05-29", "幹事会")]
    assert [e.span.precision for e in report.events] == ["month", "day", "day"]


def test_a_body_path_keeps_a_slash_inside_brackets_and_tells_bodies_apart():
    t = table(["特定団体事業/電子調達（CALS/EC）事業/事業部会", "第4回事業部会", "令和2年10月8日"],
              ["特定団体事業/電子調達（物品等）事業/事業部会", "第4回事業部会", "令和2年10月8日"],
              ["議会 > 総務委員会", "委員会", "令和2年10月9日"],
              header=["会議体", "会議名", "開催日"])
    report, _ = events(t)
    assert [e.body for e in report.events] == [
        ("特定団体事業", "電子調達（CALS/EC）事業", "事業部会"),
        ("特定団体事業", "電子調達（物品等）事業", "事業部会"), ("議会", "総務委員会")]


# --------------------------------------------------------------------------- any table

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from strategies import HOSTILE_NAMES, date_text, meeting_line  # noqa: E402

_CELL = st.one_of(st.sampled_from(("", "回", "会議名", "開催日", "日時", "場所", "議題", "月", "６月",
                                   "８日", "（８日）", "26・27日", "備考", "就任年月日", "２０２１年度",
                                   "令和４年４月～令和５年３月", "日時", "会場")),
                  date_text(), meeting_line(), st.sampled_from(HOSTILE_NAMES), st.text(max_size=20))


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 4).flatmap(
    lambda w: st.lists(st.lists(_CELL, min_size=w, max_size=w), min_size=1, max_size=6)),
    st.booleans())
def test_any_table_gives_events_inside_the_calendar_or_warnings_never_an_error(rows, headed):
    t = table(*rows[1:], header=rows[0]) if headed and len(rows) > 1 else table(*rows)
    report = extract_document(doc(para("令和6年度 会議の予定", 1), t))
    for e in report.events:
        assert e.span.first_day <= e.span.last_day
        assert e.summary.strip()
    for w in report.warnings:
        assert w.file == F and w.code


def test_a_small_schedule_under_a_date_header_is_no_notice():
    t = table(["令和6年5月20日", "第1回総会"], ["令和6年6月3日", "第1回理事会"], header=["日時", "会議名"])
    _, got = events(t)
    assert got == [("2024-05-20", "2024-05-20", "第1回総会"), ("2024-06-03", "2024-06-03", "第1回理事会")]


def test_a_list_of_items_continued_on_the_next_page_names_each_day_once():
    first = table(["第2号", "専決処分の承認", "R6.2.26"], ["第4号", "補正予算", "R6.2.26"],
                  ["第9号", "一般会計予算", "R6.3.21"], header=["番号", "案件名", "議決年月日"], line=10)
    # the next page's table has no header row; its days repeat over its rows
    rows = [["第2" + str(n) + "号", "条例の一部改正", "R6.3.21"] for n in range(5)] + \
           [["第3号", "人権擁護委員の推薦", "R6.2.26"]]
    report, got = events(para("令和６年３月定例会 議決結果一覧表", 1), first, table(*rows, line=40))
    assert [g[:2] for g in got] == [("2024-02-26", "2024-02-26"), ("2024-03-21", "2024-03-21")]


def test_a_notice_grid_with_empty_columns_is_still_a_notice():
    # a PDF's ruled grid: the label, two empty cells, the value
    t = table(["", "項目", "", "内容"], ["開催日時", "", "", "令和８年４月１９日（土） 13:30～16:30"],
              ["開催場所", "", "", "集落センター"], ["議長", "", "", "自治会長"])
    report, got = events(para("令和８年度 定期総会 議事録", 1), t)
    assert [(g[0], e.venue) for g, e in zip(got, report.events)] == [("2026-04-19", "集落センター")]


def test_a_headerless_guess_does_not_read_appointment_columns_as_meetings():
    # no header the reader marked: the first row names the columns, all of them dates of
    # appointments (役員の異動)
    t = table(["職 名", "辞 任 者", "辞 任 年 月 日", "職 名", "就 任 者", "就 任 年 月 日"],
              ["理 事", "浜田 和子", "令和３年11月５日", "理 事", "岩松 永治", "令和３年11月５日"])
    report, got = events(t)
    assert got == [] and [w.code for w in report.warnings] == ["no_meetings"]


def test_a_period_a_row_reports_is_no_meeting():
    t = table(["事業期間", "令和3年4月1日から令和4年3月31日まで"], ["理事会", "令和3年5月18日"])
    _, got = events(t)
    assert got == [("2021-05-18", "2021-05-18", "理事会")]


def test_a_mark_under_a_month_column_is_a_tentative_meeting_of_that_month():
    """A plan's 年間予定 marks its meetings with ○ under the months: each mark is a meeting
    some day of that month, not yet fixed (issue 13: a ○ in a month column)."""
    def at(ref):
        return Location("plan.xlsx", sheet="予定", cell=ref)

    grid = [["会議名", "4月", "5月", "6月", "1月"],
            ["理事会", "○", "", "○", ""],
            ["総会", "", "〇", "", ""],
            ["研修会", "", "", "", "●"]]
    table = Table(header=(), at=at("A1"), rows=tuple(
        tuple(Cell(text, at(f"{'ABCDE'[c]}{r}")) for c, text in enumerate(row))
        for r, row in enumerate(grid, 1)))
    report = extract_document(Document("plan.xlsx", "xlsx", (
        Paragraph("令和2年度 会議開催予定", Location("plan.xlsx", line=1)), table)))
    got = sorted((e.summary, e.first_day.isoformat(), e.last_day.isoformat(), e.precision,
                  e.status) for e in report.events)
    assert got == [
        ("理事会", "2020-04-01", "2020-04-30", "month", "tentative"),
        ("理事会", "2020-06-01", "2020-06-30", "month", "tentative"),
        ("研修会", "2021-01-01", "2021-01-31", "month", "tentative"),  # 1月 of the 年度
        ("総会", "2020-05-01", "2020-05-31", "month", "tentative"),
    ]


def test_a_notice_table_of_a_date_and_short_labels_is_one_meeting(tmp_path):
    """|日　時|…| / |スケジュール|・研究発表（30・31日）…|: a notice laid out as a table; the
    programme's days are the meeting's, not meetings of their own."""
    from aical.extract import extract_document
    from aical.read import read_document

    page = ("# オンライン大会のお知らせ\n\n"
            "|日　時|2021年1月30日（土）～31日（日）　10:00~17:00|\n"
            "|スケジュール|・研究発表（30・31日）：オンラインにて実施<br>・展示（30・31日）|\n")
    (tmp_path / "notice.md").write_text(page, encoding="utf-8")
    events = extract_document(read_document(tmp_path / "notice.md")).events
    assert [(e.first_day.isoformat(), e.last_day.isoformat()) for e in events] == [
        ("2021-01-30", "2021-01-31")]
    assert events[0].agenda
