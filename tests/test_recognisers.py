"""The line recognisers beyond the sample's lists (lines, prose), the guards, and bodies from
a meeting's own name. Expectations are written here by hand from how the texts read."""

from __future__ import annotations

import datetime as dt

import pytest

from aical.extract import extract_report
from aical.extract.builder import body_of_name
from aical.extract.issuer import issuer
from aical.extract.guards import not_a_meeting


def events(text: str, file: str = "t.txt"):
    """(first day, last day, summary) of each event ``text`` gives."""
    return [(e.first_day.isoformat(), e.last_day.isoformat(), e.summary)
            for e in extract_report(text, file=file).events]


def test_date_first_lines_and_logs():
    text = ("2024年 行事\n2024年4月1日 開始\n4月22日　第1回理事会\n2023.05.14\t定期総会\n"
            "2024-10-02\t9/28 防災訓練\n")
    got = events(text)
    assert ("2024-04-22", "2024-04-22", "第1回理事会") in got
    assert ("2023-05-14", "2023-05-14", "定期総会") in got
    # a post date, then the event's own year-less date: the inner one wins
    assert ("2024-09-28", "2024-09-28", "防災訓練") in got
    assert not [e for e in got if e[0] == "2024-10-02"]


def test_a_calendar_year_log_is_not_moved_into_the_fiscal_year():
    got = events("令和6年度 事業計画\n2025年1月20日 新年会\n")
    assert got == [("2025-01-20", "2025-01-20", "新年会")]
    got = events("令和6年度 事業計画\n2024年1月20日 新年会\n")
    assert got == [("2024-01-20", "2024-01-20", "新年会")]


def test_prose_that_reports_a_meeting():
    text = ("令和2年6月5日に第1回総会を開催し、事業計画を決定した。\n"
            "審査のため６月１０日に委員会を開き、慎重に審査いたしました。\n")
    got = events(text)
    assert ("2020-06-05", "2020-06-05", "第1回総会") in got
    assert ("2020-06-10", "2020-06-10", "委員会") in got


@pytest.mark.parametrize("sentence", [
    "令和2年7月1日から運用しているシステムを更新した。",
    "令和3年5月20日に理事長に就任した。",
    "令和4年4月1日現在の会員数は120名である。",
    "申込みは令和4年5月31日までに事務局へ提出すること。",
    "令和4年4月1日に施行された条例に基づき、審議会を開催する。",
])
def test_dates_in_passing_are_no_meetings(sentence):
    assert events(sentence + "\n") == []


@pytest.mark.parametrize(("before", "after", "word"), [
    ("", "就任", "就任"), ("", "現在の人数", "現在"), ("更新日：", "", "更新日"),
    ("", "締切", "締切"), ("", "までに提出", "まで"), ("提出期限 ", "", "期限"),
    ("", "発行", "発行"), ("", "掲載", "掲載"), ("任期 ", "", "任期"),
    ("", "施行", "施行"), ("", "度予算", "度予算"), ("", "原案可決", "原案可決"),
])
def test_each_guard(before, after, word):
    assert word in (not_a_meeting(before, after) or "")


def test_a_meeting_is_not_guarded():
    assert not_a_meeting("", "に第1回総会を開催") is None
    assert not_a_meeting("", "　定期総会") is None


def test_a_schedule_of_days_after_a_session_span():
    text = ("3月定例会\n令和5年2月22日から3月27日（34日間）\n22日 開会\n24・27日 質疑\n28日 委員会審査\n"
            "1日 委員会審査\n13・14日 一般質問\n")
    got = events(text)
    days = [(a, b) for a, b, _ in got]
    assert ("2023-02-22", "2023-02-22") in days
    assert ("2023-02-24", "2023-02-24") in days and ("2023-02-27", "2023-02-27") in days
    assert ("2023-03-01", "2023-03-01") in days          # 28日 then 1日: the next month
    assert ("2023-03-13", "2023-03-14") in days          # 13・14日: consecutive, one span


@pytest.mark.parametrize(("name", "body"), [
    ("第3回総務委員会", "総務委員会"), ("定例理事会", "理事会"), ("平成29年度通常総会", "総会"),
    ("令和7年第4回糸島市議会定例会(第4日)", "糸島市議会"), ("令和６年第４回定例会01号", "本会議"),
    ("第1回開発者会議", "開発者会議"), ("技術書典7", None),
    # a list's last part: a body has no comma in it
    ("週間中には、消防団、女性防火クラブ連合会", "女性防火クラブ連合会"),
    # a month's sitting of the series
    ("令和６年１２月民生環境協議会", "民生環境協議会"), ("7月度協議員会", "協議員会"),
])
def test_body_from_the_meetings_own_name(name, body):
    assert body_of_name(name) == body


def test_one_body_per_series():
    report = extract_report("4月22日　第1回理事会\n5月20日　第2回理事会\n2024年4月1日 開始\n"
                            .replace("4月22日", "2024年4月22日"), file="t.txt")
    bodies = {e.body for e in report.events if "理事会" in e.summary}
    assert bodies == {("理事会",)}


# ---------------------------------------------------------------------------- issuer

def test_the_issuer_is_the_municipality_named_far_most_often():
    report = ["第４４４回南国市議会定例会が開かれますことを御礼申し上げます。",
              "本市におきましては、南国市観光大使の委嘱式を行いました。",
              "１０月１９日に香南市消防団と合同で重機取扱訓練を実施いたしました。",
              "令和６年度南国市一般会計補正予算について御説明いたします。"]
    assert issuer(report) == "南国市"
    # areas and words that end in 市/区 are not municipalities; one mention is not enough
    assert issuer(["久礼田地区と大篠地区の都市計画", "本市の十市公民館"]) is None
    # no clear majority: no guess
    assert issuer(["青森市と八戸市", "青森市と八戸市の連携"]) is None
    # a budget's 年度 before the name is not part of it; a kind of city (健康都市) is none
    assert issuer(["令和５年度弘前市一般会計予算", "弘前市議会", "健康都市", "健康都市", "健康都市"]) \
        == "弘前市"


def test_meetings_no_heading_places_go_to_the_issuer():
    text = ("市政報告\n"
            "防災関係につきましては、令和7年9月25日に南国市職員の防災研修を実施いたしました。\n"
            "観光につきましては、令和7年11月16日に南国市観光大使の委嘱式を行いました。\n")
    report = extract_report(text, file="r.txt")
    assert [e.body for e in report.events] == [("南国市",), ("南国市",)]


def test_an_association_naming_itself_at_the_top_is_the_issuer():
    """A letterhead (spaced out as PDFs give it) names the issuer before any city the
    text mentions; a long first sentence is no letterhead."""
    assert issuer(["", "立 田 自 治 会", "令和８年度 定期総会", "守山市の美化活動",
                   "守山市への補修依頼"]) == "立田自治会"
    assert issuer(["日本地図学会　2024年度　定期大会"]) == "日本地図学会"
    assert issuer(["本日、議員の皆様の御出席をいただき、第４２６回南国市議会定例会が"
                   "開会されますことを御礼申し上げます。自治会", "南国市と南国市"]) == "南国市"
    # the letterhead is at the top: an association named further down is not the issuer
    assert issuer(["市政報告", "本市の", "施策", "立田自治会の総会", "南国市", "南国市"]) == "南国市"


def test_topic_and_speaker_headings_are_not_bodies():
    """その他 files meetings under a topic; 農業振興組合長からの連絡について names the body its
    speaker stands for; a speaker of no body (会計担当) leaves the meeting to the issuer."""
    text = ("立田自治会\n令和８年度 定期総会 議事録\n"
            "１ 農業振興組合長からの連絡について\n・ 無人ヘリ農薬散布：4月25日予定。\n"
            "２ 会計担当より連絡について\n・ 自治会費等の集金：第1回は5月上旬、以降第2〜4回を予定。\n"
            "３ その他\n・ 研修旅行（日帰り）：7月11日（土）を予定。3か所の候補地を選定。\n")
    report = extract_report(text, file="gijiroku.txt")
    assert [(e.body, e.summary) for e in report.events] == [
        (("農業振興組合",), "無人ヘリ農薬散布"),
        (("立田自治会",), "自治会費等の集金（第1回）"),
        (("立田自治会",), "研修旅行（日帰り）")]


def test_a_labelled_activity_is_dated_by_the_date_after_its_colon():
    """``activity：date`` in minutes and plans, even in a sentence; not an account's or a
    document's day, nor a label holding a date of its own."""
    text = ("令和8年度 事業計画\n"
            "・ 無人ヘリ農薬散布：4月25日予定。\n"
            "・ 神社・周辺清掃作業：4月29日（午前）から開始。\n"
            "令和8年度 自治会費等の集金：第1回は5月上旬、以降第2〜4回を予定。\n"
            "・ 作成日：令和8年4月1日\n"
            "・ 令和8年5月末残高：364,047円。\n"
            "・ 預金残高：令和8年5月31日。\n")
    got = events(text)
    assert got == [("2026-04-25", "2026-04-25", "無人ヘリ農薬散布"),
                   ("2026-04-29", "2026-04-29", "神社・周辺清掃作業"),
                   ("2026-05-01", "2026-05-10", "令和8年度自治会費等の集金（第1回）")]


def test_a_heading_naming_its_year_sets_the_year_of_the_days_under_it():
    """A 総会 議事録 of 令和8年度 reports on 令和7年度 and plans 令和8年度: the days under
    each heading are that year's, and not repaired into the title's 年度."""
    text = ("令和8年度 定期総会 議事録\n"
            "◆ 令和7年度 事業報告\n"
            "・ 点検清掃活動：7月6日（約204名）、11月30日（約99名）\n"
            "・ 令和7年度予算の執行について\n"
            "◆ 令和8年度 事業計画（案）\n"
            "・ 点検清掃活動（第1回）：6月16日・6月21～28日\n")
    report = extract_report(text, file="gijiroku.txt")
    days = [(e.span.first_day.isoformat(), e.span.last_day.isoformat()) for e in report.events]
    assert days == [("2025-07-06", "2025-07-06"), ("2025-11-30", "2025-11-30"),
                    ("2026-06-16", "2026-06-16"), ("2026-06-21", "2026-06-28")]
    assert not [w for w in report.warnings if w.code == "out_of_fiscal_year"]


def test_minutes_announce_the_next_sitting_and_the_session_span():
    """A council's minutes: the session's span told with its length, and the next
    sitting announced with its time (…から開きます is the time's start, not an open
    period); 明 before a date is 明日."""
    text = ("令和7年第1回定例会会議録\n"
            "開催日：令和7年2月17日\n"
            "会期は、２月１７日から３月２１日までの３３日間といたしたいと思います。\n"
            "次の本会議は、３月１日午前10時開議とし、その日程は当日配付いたします。\n"
            "次の本会議は明２月１８日午後１時から開きます。\n"
            "１月２９日から３１日までの３日間、第１１回町工場見本市を開催いたしました。\n")
    events = [(e.span.first_day.isoformat(), e.span.last_day.isoformat(), e.summary, e.body)
              for e in extract_report(text, file="kaigiroku.txt").events]
    assert ("2025-02-17", "2025-03-21", "会期", ()) in events
    assert ("2025-03-01", "2025-03-01", "本会議", ("本会議",)) in events
    assert ("2025-02-18", "2025-02-18", "本会議", ("本会議",)) in events
    assert ("2025-01-29", "2025-01-31", "第１１回町工場見本市", ()) in events
    times = {e.span.first_day.isoformat(): e.start_time
             for e in extract_report(text, file="kaigiroku.txt").events}
    assert times["2025-02-18"] == dt.time(13, 0) and times["2025-03-01"] == dt.time(10, 0)


def test_a_reports_topic_names_what_it_holds_and_where():
    text = "市政報告\n成人式につきましては、令和8年1月3日に市民会館において挙行いたします。\n"
    [event] = extract_report(text, file="r.txt").events
    assert (event.summary, event.venue, event.mode) == ("成人式", "市民会館", "in_person")


def test_a_sessions_schedule_days_are_plenary_or_committee_sittings():
    """Under 9月定例会, 開会 / 一般質問 days are 本会議 and 委員会審査 days a committee's;
    days listed together (10月3・4日) are one span when consecutive, else one each."""
    text = ("高砂市議会だより 令和4年9月定例会号\n"
            "１　9月定例会\n"
            "9月20日 開会、正副議長の選挙\n"
            "9月26・28日 一般質問\n"
            "10月3・4日 委員会審査\n")
    events = [(e.span.first_day.isoformat(), e.span.last_day.isoformat(), e.body[-1])
              for e in extract_report(text, file="dayori.txt").events]
    assert events == [("2022-09-20", "2022-09-20", "本会議"), ("2022-09-26", "2022-09-26", "本会議"),
                      ("2022-09-28", "2022-09-28", "本会議"), ("2022-10-03", "2022-10-04", "委員会")]


def test_days_listed_in_a_sentence_share_its_verb_and_broadcasts_are_not_meetings():
    text = ("令和6年第4回定例会 委員長報告\n"
            "本委員会は12月17日及び12月18日に開催し、付託議案を審査いたしました。\n"
            "検診の啓発につきましては、9月18日に放送された番組で取り上げられました。\n"
            "12月7日に会費を緊急支払いした。\n")
    events = [(e.span.first_day.isoformat(), e.span.last_day.isoformat())
              for e in extract_report(text, file="houkoku.txt").events]
    assert events == [("2024-12-17", "2024-12-18")]


def test_minutes_name_the_session_from_today_the_days_meeting_and_what_was_held():
    """本日から is the minutes' own day; 12月13日の本会議において names the day's meeting;
    …終了後に開催された予算特別委員会の組織会 names what was held after the verb; national
    politics told in passing (通常国会) is no body's meeting."""
    text = ("令和7年第1回定例会会議録\n"
            "開催日：令和7年2月14日\n"
            "今期定例会の会期については、本日から３月２７日までの４２日間と決定いたしました。\n"
            "昨年１２月１３日の本会議において同意をいただきました。\n"
            "まず２月１４日、本会議終了後に開催された予算特別委員会の組織会において互選が行われました。\n"
            "１月２４日に召集された通常国会において、総理は施政方針演説を行いました。\n")
    events = {(e.span.first_day.isoformat(), e.span.last_day.isoformat()): e.summary
              for e in extract_report(text, file="kaigiroku.txt").events}
    assert events[("2025-02-14", "2025-03-27")] == "今期定例会の会期"
    assert events[("2024-12-13", "2024-12-13")] == "本会議"
    assert "予算特別委員会の組織会" in events.values()
    assert ("2025-01-24", "2025-01-24") not in events


def test_a_bullets_days_that_are_no_meetings_and_its_listed_days():
    """In a minutes' bullets: a payment's day, an as-of day and a month told of are no
    meetings; 2026年8月21日(金)、22日(土) is one span of the one use."""
    text = ("運営会議#77 議事録\n"
            "- 会計\n"
            "  - 12月7日に緊急支払いした\n"
            "  - 2025/12/8時点の残高\n"
            "  - 3月が忙しいので一年延期する\n"
            "  - インフラ（AWS 1,2月分） 10,000円\n"
            "- 会場\n"
            "  - 2026年8月21日(金)、22日(土) 全館\n")
    got = events(text, "minutes.md")
    assert got == [("2026-08-21", "2026-08-22", "全館")]


def test_a_heading_that_is_no_body_gets_the_body_its_meetings_name():
    """Under 開発者会議の定期的な開催と… (a heading about the work, not a body's name) the
    meeting 第1回開発者会議 is the 開発者会議's; under 理事会議決事項 a dated item is the
    理事会's; under ア 幹事会 the heading is the body, as the sample has it."""
    text = ("2019年度事業報告\n"
            "1 開発者会議の定期的な開催と開発構想\n"
            "・第1回開発者会議（2019年10月5日　会議室）\n"
            "2 理事会議決事項\n"
            "・役員改選について（2019年5月20日）\n"
            "3 会議\n"
            "ア 幹事会\n"
            "・第1回幹事会（2019年6月1日、書面開催）\n")
    bodies = [e.body[-1] for e in extract_report(text, file="hokoku.txt").events]
    assert bodies == ["開発者会議", "理事会", "幹事会"]


def test_told_twice_once_and_accounts_and_selections_are_no_meetings():
    """Minutes tell the session span twice (one event); an account's day in brackets, a
    team chosen to play (出場校に選ばれ) and a monthly cycle's label (7月度) are none."""
    text = ("令和7年第1回定例会会議録\n"
            "開催日：令和7年2月14日\n"
            "今期定例会の会期については、本日から３月２７日までの４２日間とすることに異議ありませんか。\n"
            "異議なしと認め、会期については、本日から３月２７日までの４２日間と決定いたしました。\n"
            "事業外費用（令和7年3月31日）\n"
            "１月３０日、高知農業高校が選抜高校野球大会の出場校に選ばれました。\n"
            "・7月度協議員会報告\n")
    got = events(text, "kaigiroku.txt")
    # the minutes' own sitting (its header) and the session span, each once
    assert got == [("2025-02-14", "2025-02-14", "令和7年第1回定例会"),
                   ("2025-02-14", "2025-03-27", "今期定例会の会期")]


# ---------------------------------------------------------------------------- a mayor's report
# The sentences below are written after the ways 市政報告 tell of meetings; each expectation
# is what a person reads in it.

REPORT = "令和7年12月 第444回定例会 市政報告\n"


def _report(*sentences: str):
    report = extract_report(REPORT + "".join(s + "\n" for s in sentences), file="r.txt")
    return [(e.first_day.isoformat(), e.last_day.isoformat(), e.summary, e.status)
            for e in report.events if e.precision != "month" or "市政報告" not in e.summary]


def test_the_subject_before_where_is_what_is_held():
    assert _report("１１月２０日に、第６１回高知県市町村行政連絡協議会が本市で開催されました。") == [
        ("2025-11-20", "2025-11-20", "第６１回高知県市町村行政連絡協議会", "confirmed")]
    # the sentence's topic, with what it is said to be left out
    assert _report("本市の市民祭であります第３７回土佐のまほろば祭りは、熱中症対策として猛暑の時期を避け、"
                   "９月２７日に吾岡山で開催されました。") == [
        ("2025-09-27", "2025-09-27", "第３７回土佐のまほろば祭り", "confirmed")]


def test_meetings_listed_before_the_verb_they_share():
    got = _report("地域住民の皆様には、１１月２１日に久礼田公民館運営審議会、同月２８日に十市公民館運営審議会"
                  "において、１２月６日には岡豊地区区長会の皆様に対して、説明を行いました。")
    assert [(a, n) for a, _, n, _ in got] == [("2025-11-21", "久礼田公民館運営審議会"),
                                              ("2025-11-28", "十市公民館運営審議会"),
                                              ("2025-12-06", "岡豊地区区長会の皆様に対して、説明")]


def test_what_is_done_far_from_its_only_date():
    """The verb may stand far from the sentence's only date; the object (…を、) names it,
    or the quoted title when the clause runs long."""
    assert _report("訓練関係につきましては、１１月２２日に物部川右岸の河川敷におきまして、南国市水防訓練を、"
                   "堤防が決壊したことにより、避難情報の警戒レベル５である「緊急安全確保」を発令することを"
                   "想定して実施いたしました。")[0][2] == "南国市水防訓練"
    assert _report("また、１１月２９日から３０日までの２日間、区内外の発注企業との商談の機会の充実を図り、"
                   "新規顧客の開拓を支援する第１１回町工場見本市を、東京ビッグサイトで開催いたしました。") == [
        ("2025-11-29", "2025-11-30", "第１１回町工場見本市", "confirmed")]
    assert _report("そうした縁もあり、2025年11月1日に ユーザー会と 研究会の共催として、"
                   "「開発者とユーザーの集い 2025秋 東京大会」を開催することになった。") == [
        ("2025-11-01", "2025-11-01", "開発者とユーザーの集い2025秋東京大会", "confirmed")]


def test_months_told_plainly_as_an_activitys():
    assert _report("本年１１月に、こども・若者アンケートを実施いたしました。")[0][:3] == \
        ("2025-11-01", "2025-11-30", "こども・若者アンケート")
    assert _report("下島工区において、本年１０月の権利者会議で換地計画が議決されました。")[0][:2] == \
        ("2025-10-01", "2025-10-31")
    assert _report("予防業務につきましては、９月から１１月にかけて市内各事業所に対し立入検査を実施しました。"
                   )[0][:2] == ("2025-09-01", "2025-11-30")
    # history: a month of years ago with its year written, a programme's months in passing
    assert _report("平成30年10月にシステムのリプレイスを実施し、運用を続けている。") == []
    assert _report("令和６年７月から10月まで実施した令和６年度給付金給付事業における受給世帯については"
                   "申請を不要とします。") == []


def test_a_sentences_tense_tells_done_from_announced():
    """What a report says took place is confirmed, even when a later sentence plans
    something; what it announces is tentative."""
    got = _report("第６５回美術展覧会につきましては、幼児の部を１１月７日から１４日まで市立スポーツセンター"
                  "において開催し、一般の部は来年１月２５日から２月１日まで地域交流センターにて開催いたします。",
                  "成人式につきましては、来年１月３日の開催に向け、準備を進めております。",
                  "１１月２９日に見本市を開催いたしました。令和８年度も開催していく予定です。")
    assert [(a, s) for a, _, _, s in got] == [("2025-11-07", "tentative"), ("2026-01-25", "tentative"),
                                              ("2026-01-03", "tentative"), ("2025-11-29", "confirmed")]


def test_a_far_day_told_in_minutes_does_not_move_the_year_of_what_follows(tmp_path):
    """Minutes of 2025-12-08 tell of next August's conference in full; the year-less
    days after it are still read near the meeting's own day, not near next August."""
    from aical.extract import extract_document
    from aical.read import read_document

    text = ("2025年12月8日(月) 運営会議#77\n"
            "* 会場を確保した\n"
            "  * 2026年8月23日(日) 会議運営事務室\n"
            "* 11月26日にキックオフミーティングを実施\n"
            "* 次回は12/9 19:00\n")
    (tmp_path / "minutes.md").write_text(text, encoding="utf-8")
    document = read_document(tmp_path / "minutes.md")
    days = [e.first_day.isoformat() for e in extract_document(document).events]
    assert "2025-11-26" in days and "2025-12-09" in days
    assert not [d for d in days if d.startswith("2026-11")]


def test_what_was_held_after_the_verb_and_the_heading_over_a_dated_sentence():
    text = ("2024年7月27日\n7月度協議員会報告\n"
            "7月20日（土）に開催されました7月度協議員会の概略を報告します。\n"
            "２．中洲夢花火\n8月31日（土）開催予定となっています。\n")
    got = [(e.first_day.isoformat(), e.summary, e.status)
           for e in extract_report(text, file="hokoku.txt").events]
    assert ("2024-07-20", "7月度協議員会", "confirmed") in got
    assert ("2024-08-31", "中洲夢花火", "tentative") in got


def test_what_is_done_is_the_object_right_before_the_verb():
    got = _report("また、１１月９日から１５日までの全国秋季火災予防週間中には、消防団、女性防火クラブ連合会及び"
                  "民間事業所と連携し、火災予防の広報を実施いたしました。")
    assert got == [("2025-11-09", "2025-11-15", "火災予防の広報", "confirmed")]


def test_a_date_alone_under_an_accounts_heading_is_no_meeting():
    text = ("令和3年度 事業及び決算報告書\n１ 事業外費用\n（令和4年3月31日）\n"
            "２ 理事会\n（令和3年5月26日）\n")
    assert [(e.first_day.isoformat(), e.summary) for e in
            extract_report(text, file="kessan.txt").events] == [("2021-05-26", "理事会")]


def test_this_committee_is_the_committee_named_last():
    """A plenary hears each chair in turn; each calls its committee 本委員会."""
    text = ("令和６年第４回青森市議会定例会会議録\n"
            "◯議長　総務企画常任委員長の報告を求めます。\n"
            "◯４番　ただいまから総務企画常任委員会の審査の経過と結果を報告します。\n"
            "　本委員会は12月12日に開催し、議案３件について審査いたしました。\n"
            "◯議長　予算特別委員長の報告を求めます。\n"
            "　本委員会は12月13日に開催し、議案について審査いたしました。\n")
    got = [(e.first_day.isoformat(), e.summary, e.body[-1])
           for e in extract_report(text, file="kaigiroku.txt").events]
    assert ("2024-12-12", "総務企画常任委員会", "総務企画常任委員会") in got
    assert ("2024-12-13", "予算特別委員会", "予算特別委員会") in got


def test_a_meeting_named_as_held_online_is_online():
    text = ("令和7年度 事業計画\n・ 4月24日 PyCampオンライン相談会\n"
            "・ 5月20日 オンライン申請の説明会（市民会館）\n")
    modes = {e.summary: e.mode for e in extract_report(text, file="plan.txt").events}
    assert modes == {"PyCampオンライン相談会": "online", "オンライン申請の説明会": "in_person"}


def test_an_item_of_several_sentences_and_a_plans_day():
    """The list takes the item's activity; the sentences after it are read as prose (片付けは
    5月6日を予定). The day money goes out is none (初回支給は…を予定)."""
    text = ("令和8年度 事業計画\n"
            "・ 神社・周辺清掃作業：4月29日（午前）から開始。片付けは5月6日を予定。\n"
            "給付金につきましては、初回支給は来年１月31日を予定いたしております。\n")
    got = [(e.first_day.isoformat(), e.summary) for e in extract_report(text, file="p.txt").events]
    assert got == [("2026-04-29", "神社・周辺清掃作業"), ("2026-05-06", "片付け")]


def test_a_month_that_only_dates_a_meeting_written_with_its_day_is_not_a_meeting():
    text = ("令和６年１２月　民生環境協議会\n"
            "開催日時　令和６年１２月１７日（火）午前１０時\n"
            "場所　第一委員会室\n")
    report = extract_report(text, file="kyogikai.txt")
    assert [(e.first_day.isoformat(), e.last_day.isoformat()) for e in report.events] == [
        ("2024-12-17", "2024-12-17")]
