"""Hypothesis strategies for whole reports, and the checks every build must pass.

A generated document looks like a 事業報告 that went through a careless PDF export: a
title with or without its 年度, headings of every kind (``1`` / ``(1)`` / ``ア`` / ``(ア)``
/ ``【】``, written in full width, with stray spaces), bullets (``・ - ・ ○ ●``), meeting
lines with dates in every form the engine reads and in broken ones, agenda markers, prose,
noise; then line ends mixed (LF, CR, CRLF), a BOM or not, and control characters sprinkled
in. :func:`encoded_documents` gives the bytes a file would hold.

The checks (:func:`check_report`, :func:`check_site`) are the invariants of issue 7, stated
against independent truth: the templates' own tag and attribute names, a real iCalendar
parser and a line-by-line reading of the feed, and the file names.

Extreme numbers (thousands of digits, years reaching 9999 and past) are behind
``extreme=True``: they shrink slowly, so the suite draws them in one small test of their
own and ``make fuzz`` in every property.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import strategies as st

TEMPLATES = Path(__file__).parent.parent / "aical" / "publish" / "templates"

ERAS = ("令和", "平成", "昭和", "大正", "明治")
KANA = "アイウエオカキクケコサシスセソタチツテト"
BODIES = ("総会", "幹事会", "運営委員会", "事業部会", "検討会", "研究会", "全体会議",
          "研修会", "作業部会", "あいち電子調達共同システム（CALS/EC）事業", "会議運営",
          "情報セキュリテ", "イ研究会")
HOSTILE_NAMES = ("../../etc/passwd", "CON", "con.ics", "CALS/EC", ".hidden", "", "index",
                 "all", "NUL", "a\\b", "<script>alert(1)</script>",
                 '"><img src=x onerror=alert(1)>', "x\r\nBEGIN:VEVENT", "\u202etxt.exe",
                 "&amp;", "{{ 7*7 }}", "{% raw %}", "']]>", "\x1f\x7f", "%2e%2e%2f",
                 "𠮷野家", "🗓️会議", "ｶﾞｲﾄﾞ", "\u3000\u3000")

_FULL = str.maketrans("0123456789()", "０１２３４５６７８９（）")
_KANJI_DIGITS = "〇一二三四五六七八九"


def _kanji(n: int) -> str:
    """12 → 十二, 28 → 二十八, 2020 → 二〇二〇 (positional, as reports write years)."""
    if n >= 100:
        return "".join(_KANJI_DIGITS[int(d)] for d in str(n))
    tens, ones = divmod(n, 10)
    return ((_KANJI_DIGITS[tens] if tens > 1 else "") + ("十" if tens else "")
            + (_KANJI_DIGITS[ones] if ones or not tens else ""))


@st.composite
def numeral(draw, n: int) -> str:
    """``n`` as ASCII, full-width or kanji digits, sometimes with PDF spaces around it."""
    how = draw(st.sampled_from(("ascii", "ascii", "full", "kanji")))
    text = str(n) if how == "ascii" else str(n).translate(_FULL) if how == "full" else _kanji(n)
    pad = draw(st.sampled_from(("", "", " ", "\u3000")))
    return f"{pad}{text}{pad}"


@st.composite
def era_year(draw, extreme: bool = False) -> tuple[str, str]:
    """(era name, year as written): 元, small, past the era's end, or absurd."""
    era = draw(st.sampled_from(ERAS))
    choices = [st.just("元"), st.integers(1, 64).flatmap(numeral),
               st.sampled_from(("0", "99", "88888888888888888888", "０", "7980"))]
    if extreme:
        # 令和7981年度 ends in the year 10000; 4,301 digits exceed int()'s default limit
        choices.append(st.sampled_from(("7981", "7982", "9" * 5000, "1" * 4301)))
    return era, draw(st.one_of(*choices))


@st.composite
def date_text(draw, extreme: bool = False) -> str:
    """One date or range in a form the engine reads, or a broken one."""
    era, year = draw(era_year(extreme))
    month = draw(st.integers(0, 13))
    day = draw(st.integers(0, 32))
    m = draw(numeral(month))
    d = draw(numeral(day))
    weekday = draw(st.sampled_from(("", "", "（月）", "(土)", "（火曜日）", "水曜日", "(祝)")))
    start = f"{era}{year}年{m}月{d}日{weekday}"
    western = draw(st.integers(1860, 2110)) if not extreme else draw(st.integers(1, 12000))
    if extreme and draw(st.booleans()):
        western = 9999
    forms = [
        start,
        f"{start}～{draw(numeral(draw(st.integers(0, 32))))}日",
        f"{start}～{draw(numeral(draw(st.integers(1, 12))))}月{draw(numeral(day))}日",
        f"{start}から{era}{year}年{m}月{d}日まで",
        f"{start}〜同年{m}月{d}日",
        f"{start}ー翌年{m}月{d}日",
        f"{era}{year}年{m}月～{draw(numeral(draw(st.integers(1, 13))))}月",
        f"{era}{year}年{m}月",
        f"{era}{year}年度",
        f"{era}{year}年度上期",
        f"{western}年{month}月{day}日",
        f"{western}/{month}/{day}",
        f"{western}-{month:02d}-{day:02d}",
        f"{western}({era}{year})年{m}月",
        f"FY{western}",
        f"{draw(st.sampled_from('RHSTMrh'))}{draw(st.integers(0, 99))}.{month}.{day}",
        f"{m}月{d}日{weekday}",       # year-less: read against the anchor
        f"本年{m}月",
        f"{month}/{day}(土)",
        f"{start}、{d}日",           # a listed day
        f"{start}{draw(st.sampled_from(('以降', 'から', '予定', '頃', '午前10時～', '13時30分～15時')))}",
        # broken: missing parts, doubled separators, a lone era
        f"{era}年{m}月{d}日",
        f"{era}{year}年～～{m}月",
        f"{start}～",
        f"～{d}日",
        f"{era}",
        f"第{d}回",
    ]
    return draw(st.sampled_from(forms))


@st.composite
def heading_line(draw, name=None) -> str:
    kind = draw(st.sampled_from(("number", "paren_number", "kana", "paren_kana", "bracket")))
    name = draw(name or st.one_of(st.sampled_from(BODIES), st.sampled_from(HOSTILE_NAMES),
                                  st.text(max_size=12)))
    n = draw(st.integers(0, 60))
    kana = draw(st.sampled_from(KANA))
    sep = draw(st.sampled_from((" ", "\u3000", "  ", ". ", "．")))
    if kind == "number":
        line = f"{draw(numeral(n))}{sep}{name}"
    elif kind == "paren_number":
        line = f"{draw(st.sampled_from(('(', '（')))}{n}{draw(st.sampled_from((')', '）')))}{name}"
    elif kind == "kana":
        line = f"{kana}{sep}{name}"
    elif kind == "paren_kana":
        line = f"（{kana}）{name}"
    else:
        line = f"【{name}】"
    return draw(st.sampled_from(("", " ", "\u3000", "\t"))) + line


@st.composite
def meeting_line(draw, extreme: bool = False) -> str:
    bullet = draw(st.sampled_from(("・", "- ・", "○", "●", "・ ", "-", "", "①", "■")))
    ordinal = draw(st.sampled_from(("第1回", "第 2 回", "第１２回", "臨時", "第99999999999999999999回",
                                    "", "第0回")))
    name = draw(st.one_of(st.sampled_from(BODIES), st.sampled_from(HOSTILE_NAMES)))
    date = draw(date_text(extreme))
    place = draw(st.lists(st.sampled_from((
        "書面開催", "オンライン開催", "LGWAN掲示板", "動画配信", "県自治センター", "本庁舎 5階 会議室",
        "Zoom", "13時30分～15時", "14：00～16：00", "午後2時", "<b>会場</b>", "中止")), max_size=3))
    inside = "、".join([date, *place])
    shape = draw(st.sampled_from(("paren", "paren", "space", "date_first", "open", "after")))
    if shape == "paren":
        text = f"{ordinal}{name}（{inside}）"
    elif shape == "space":
        text = f"{ordinal}{name} {date}"
    elif shape == "date_first":
        text = f"{date} {ordinal}{name}（{'、'.join(place)}）"
    elif shape == "open":
        text = f"{ordinal}{name}（{inside}"  # a parenthesis the PDF never closed
    else:
        text = f"{ordinal}{name}を開催した。({inside})"
    return f"{bullet}{text}"


AGENDA = ("〔審議事項〕", "[報告事項]", "【協議事項】", "(議題)", "＜議事＞：")
PROSE = ("平成16年7月から運用を開始した。", "開催実績なし", "・開催実績はありません",
         "令和3年3月以降に実施予定", "本協議会は、", "情報セキュリテ",
         "イ研究会の決定に基づき", "※詳細は別紙のとおり", "以上", "　", "",
         "16 日から", "1 年間の活動を", "<!-- -->", "]]>", "\ufeff")


@st.composite
def document(draw, extreme: bool = False, max_lines: int = 30) -> str:
    """A whole report as text (line ends already mixed, BOM and controls possibly in)."""
    lines = []
    if draw(st.booleans()):
        era, year = draw(era_year(extreme))
        lines.append(f"{era}{year}年度{draw(st.sampled_from(('事業報告', '事業計画', '')))}")
    line = st.one_of(
        heading_line(), heading_line(), meeting_line(extreme), meeting_line(extreme),
        meeting_line(extreme), st.sampled_from(AGENDA), st.sampled_from(PROSE),
        st.builds(lambda b, t: f"{b}{t}", st.sampled_from(("・", "- ・", "○")),
                  st.sampled_from(("規約の改正について", "予算について", "<script>x</script>"))),
        date_text(extreme),
        st.text(max_size=40),
    )
    lines.extend(draw(st.lists(line, max_size=max_lines)))
    ends = draw(st.sampled_from(("\n", "\r\n", "\r", "mixed")))
    if ends == "mixed":
        text = "".join(line + draw(st.sampled_from(("\n", "\r\n", "\r", "\n\n")))
                       for line in lines)
    else:
        text = ends.join(lines) + draw(st.sampled_from(("", ends)))
    if draw(st.booleans()):
        noise = draw(st.lists(st.tuples(st.integers(0, max(0, len(text))),
                                        st.sampled_from("\t\x0b\x0c\x1a\x00\x01\x1b\x7f\u2028"
                                                        "\u2029\x85\u202e\u200b\ufeff\ud7ff")),
                              max_size=4))
        for at, ch in sorted(noise, reverse=True):
            text = text[:at] + ch + text[at:]
    return text


@st.composite
def encoded_documents(draw, extreme: bool = False, max_lines: int = 30) -> bytes:
    """A document's bytes as a file would hold them: UTF-8 (with or without BOM), cp932,
    EUC-JP or UTF-16; possibly truncated or with a byte flipped."""
    text = draw(document(extreme, max_lines))
    codec = draw(st.sampled_from(("utf-8", "utf-8", "utf-8-sig", "cp932", "euc-jp",
                                  "utf-16")))
    data = text.encode(codec, errors="replace") if codec != "utf-16" else \
        text.encode("utf-16", errors="surrogatepass")
    damage = draw(st.sampled_from(("none", "none", "none", "truncate", "flip")))
    if damage == "truncate" and data:
        data = data[:draw(st.integers(0, len(data) - 1))]
    elif damage == "flip" and data:
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1:]
    return data


# ------------------------------------------------------------------ checks


def line_count(text: str) -> int:
    """Lines as aical counts them (``\\n`` only, after CR/CRLF became LF)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1


def check_report(report, text: str) -> None:
    """Every warning and event names a line of the text; events are well formed."""
    lines = line_count(text)
    for warning in report.warnings:
        if warning.code == "no_meetings":  # the document's own warning, without a line
            assert not report.events and warning.line is None, warning
        else:
            assert isinstance(warning.line, int) and 1 <= warning.line <= lines, warning
        assert warning.file == report.file
        assert warning.code and warning.message
    uids = [event.uid for event in report.events]
    assert len(uids) == len(set(uids))
    for event in report.events:
        assert 1 <= event.source.line <= lines, event
        assert event.first_day <= event.last_day
        assert event.precision in ("day", "month"), event
        assert all(isinstance(part, str) for part in event.body)
        assert re.fullmatch(r"[0-9a-f]{40}@aical", event.uid)


#: A file the build writes: ASCII, lowercase, no leading dot, at most one folder deep.
SAFE_NAME = re.compile(r"(?:bodies/)?[a-z0-9][a-z0-9-]*(?:\.[a-z]+)?")


def check_names(paths) -> None:
    for path in paths:
        assert SAFE_NAME.fullmatch(path), path
        assert path.isascii() and ".." not in path and len(path) <= 80, path
        assert path.rsplit("/", 1)[-1].split(".")[0] not in {"con", "prn", "aux", "nul"}, path


def _template_vocabulary() -> tuple[set[str], set[str]]:
    """Tag and attribute names the templates themselves write, and the markup literals of
    html.py, which makes the markup repeated for every meeting (its single-quoted strings
    holding a tag or an attribute): anything else in a page came from the input."""
    source = "".join(p.read_text(encoding="utf-8") for p in TEMPLATES.glob("*.j2"))
    code = (TEMPLATES.parent / "html.py").read_text(encoding="utf-8")
    source += " ".join(literal for literal in re.findall(r"'([^'\n]*)'", code)
                       if "<" in literal or '="' in literal)
    tags = set(re.findall(r"</?([a-zA-Z][a-zA-Z0-9]*)", source))
    attributes = set(re.findall(r"\s([a-z][a-z-]*)=\"", source))
    attributes |= set(re.findall(r"\s([a-z][a-z-]*)(?=[\s>{])", source)) & {
        "hidden", "open", "selected", "checked"}
    return {t.lower() for t in tags}, attributes


_TAGS, _ATTRIBUTES = _template_vocabulary()


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.comments: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.comments.append(data)

    def handle_decl(self, decl):
        self.tags.add("!" + decl.split()[0].lower())

    def unknown_decl(self, data):  # CDATA and friends: never written by the templates
        self.tags.add("!" + data[:10])


def check_html(page: bytes) -> None:
    """No element, attribute or comment that the templates do not write themselves."""
    parser = _Elements()
    parser.feed(page.decode("utf-8"))
    parser.close()
    assert parser.tags - {"!doctype"} <= _TAGS, parser.tags - _TAGS
    assert parser.attributes <= _ATTRIBUTES, parser.attributes - _ATTRIBUTES
    assert not parser.comments, parser.comments[:3]


#: What a feed may hold: the components and properties ics.py writes, nothing else.
_COMPONENTS = {"VCALENDAR", "VTIMEZONE", "STANDARD", "VEVENT"}
_PROPERTIES = {
    "VCALENDAR": {"PRODID", "VERSION", "CALSCALE", "METHOD", "NAME", "X-WR-CALNAME",
                  "DESCRIPTION", "X-WR-CALDESC", "REFRESH-INTERVAL", "X-PUBLISHED-TTL",
                  "COLOR", "X-APPLE-CALENDAR-COLOR"},
    "VTIMEZONE": {"TZID"},
    "STANDARD": {"DTSTART", "TZOFFSETFROM", "TZOFFSETTO", "TZNAME"},
    "VEVENT": {"UID", "DTSTAMP", "CREATED", "LAST-MODIFIED", "SEQUENCE", "DTSTART", "DTEND",
               "SUMMARY", "LOCATION",
               "DESCRIPTION", "CATEGORIES", "COLOR", "STATUS", "TRANSP"},
}


def check_feed(data: bytes, events: int) -> None:
    """The feed, read line by line as RFC 5545 §3.1 defines lines, holds exactly the
    components and properties aical writes and ``events`` VEVENTs; icalendar agrees."""
    from icalendar import Calendar

    text = data.decode("utf-8")
    assert text.endswith("\r\n")
    assert "\r" not in text.replace("\r\n", "") and "\n" not in text.replace("\r\n", "")
    unfolded = text.replace("\r\n ", "").replace("\r\n\t", "")
    stack: list[str] = []
    vevents = 0
    for line in unfolded.split("\r\n")[:-1]:
        name = re.match(r"[A-Za-z0-9-]+", line)
        assert name, line
        name = name[0].upper()
        value = line.split(":", 1)[1] if ":" in line else None
        assert value is not None, line
        if name == "BEGIN":
            assert value in _COMPONENTS, line
            stack.append(value)
            vevents += value == "VEVENT"
        elif name == "END":
            assert stack and stack.pop() == value, line
        else:
            assert stack and name in _PROPERTIES[stack[-1]], line
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\x85]", line), line
    assert not stack
    assert vevents == events
    calendar = Calendar.from_ical(data)
    assert len(calendar.walk("VEVENT")) == events


def check_site(site) -> None:
    """The build's files: safe names, parseable feeds with the right counts, pages with
    nothing injected, and JSON that parses."""
    import json

    check_names(site.files)
    manifest = json.loads(site.files["manifest.json"])
    check_feed(site.files["all.ics"], len(site.events))
    for body in manifest["bodies"]:
        check_feed(site.files[body["feed"]], body["events"])
    assert sum(b["events"] for b in manifest["bodies"]) == len(site.events)
    for path, data in site.files.items():
        if path.endswith(".html"):
            check_html(data)
    data = json.loads(site.files["events.json"])
    assert len(data["events"]) == len(site.events)
    import csv
    import io

    rows = list(csv.reader(io.StringIO(site.files["events.csv"].decode("utf-8-sig"),
                                       newline="")))
    assert len(rows) == len(site.events) + 1
    for row in rows[1:]:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row), row
