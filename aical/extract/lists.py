"""Recogniser ``lists``: meetings in list items and lines under headings.

The sample's layout (事業報告): bullets ``・第N回…（date、mode）`` under numbered headings,
with 〔審議事項〕 agenda bullets after a meeting and 開催実績なし for a body that did not meet.
What it takes (see :func:`event_dates`):

- a bullet: its first day- or month-precise date that is not open-ended (…以降, …から),
  plus dates listed right after it (``、`` between them);
- any other line: a date that opens a parenthesis closing the line
  (``第1回定期総会（令和2年6月5日～10日、書面開催）``, ``…実施した。(令和2年12月7日～12月17日)``),
  or a date in a short line that starts with a meeting name (``第1回総会 令和2年6月5日``);
- a heading that is itself a dated meeting (``ア 第1回幹事会（令和2年5月26日）``): an event
  of the body around it.

Not events: dates inside prose (``平成16年7月から…``), open-ended dates (``令和3年3月以降``,
``…から``), 年度 and year mentions, agenda items. A bullet or short line that looks like a
meeting (``第N回…会``, ``臨時…会``) without a usable date is an :class:`Undated` finding.

A body is a heading (or 【…】 group) whose own section holds at least one event or says
開催実績なし; headings that only hold other headings or prose are structure, not bodies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from aical.extract.builder import (
    Agenda,
    Candidate,
    Finding,
    NoMeetings,
    Undated,
    find_times,
    mode_and_venue,
    split_segments,
)
from aical.extract.guards import not_a_meeting
from aical.extract.outline import _MAYBE_DATE, _MEETING_NAME, MAX_LINE_CHARS, Line, fold, tidy
from aical.messages import msg
from aical.model import DateMatch, Span

# After these a date starts or ends something open (令和3年3月以降, 令和2年4月から); 予定 and
# 頃 are not here: a plan's ``第1回総会（令和3年5月予定）`` is still a meeting.
_OPEN_ENDED_AFTER = re.compile(r"\s*(?:以降|以後|から|より|以来|まで|迄|を目途|目途)")
# a meeting's date: a day, a month, or an approximate 上旬 / 第1四半期 / 秋頃 of a plan
_EVENT_PRECISIONS = ("day", "part_of_month", "month", "quarter", "season")
_SESSION_NAME = re.compile(r"\s*(?:定例会|臨時会|定例月議会|議会|会議録|議会だより)")
#: A list item longer than this, or holding a sentence (。), is read like prose: its first
#: date is not by itself a meeting's.
MAX_BULLET_CHARS = 120


@dataclass(slots=True)
class Lists:
    """The recogniser's state across lines: whether agenda bullets are being collected
    (after 〔審議事項〕 that follows a meeting)."""

    agenda_open: bool = False
    after_meeting: bool = False

    def reset(self) -> None:
        self.agenda_open = self.after_meeting = False

    def read(self, line: Line) -> list[Finding] | None:
        """The findings of one line; ``None`` when the line is not this recogniser's (no
        meeting, no agenda, nothing to warn about), so another recogniser may try it."""
        if line.kind == "agenda":
            self.agenda_open = self.after_meeting
            return []
        if line.kind == "none_held":
            self.reset()
            return [NoMeetings(line.path, line.at)]
        if line.kind == "heading":
            self.reset()
            if not _MAYBE_DATE.search(line.heading.name):
                return []
            body = line.path[:-1]
            text = line.heading.name
        else:
            body = line.path
            text = line.text
        if len(text) > MAX_LINE_CHARS:  # not scanned (the outline warned)
            self.reset()
            return []
        matches = list(line.matches)
        if self.agenda_open and line.kind == "bullet" and not _MEETING_NAME.match(fold(text)):
            return [Agenda(text, line.at)]
        self.reset()
        kind = "prose" if line.kind == "heading" else line.kind
        labelled = labelled_date(text, matches) if line.kind in ("bullet", "prose") else None
        if kind == "bullet" and ("。" in text or len(text) > MAX_BULLET_CHARS):
            kind = "prose"  # a paragraph in a list item (an HTML <li> holding a speech)
        if labelled is not None:
            # 無人ヘリ農薬散布：4月25日予定。: the label names what is done on the day
            kind = "bullet"
            dated = event_dates("bullet", text, [m for m in matches
                                                 if m.start >= labelled[0].start])
        else:
            dated = event_dates(kind, text, matches)
        if not dated:
            if (kind == "bullet" or len(fold(text)) <= 60) and _MEETING_NAME.match(fold(text)):
                problem = msg("extract.vague_date", text=matches[0].text) if matches else ""
                return [Undated(tidy(line.original), line.at, problem)]
            return None
        heading_name = body[-1] if body else None
        if heading_name and len(dated) == 1 and not _LONE_DATE_LEFT.sub(
                "", text[:dated[0].start] + text[dated[0].end:]) and \
                not_a_meeting(heading_name, ""):
            # （令和4年3月31日） alone under 事業外費用: the heading says what the day is of
            return None
        siblings = tuple(dated)
        found: list[Finding] = []
        placed: dict[tuple[int, int], Candidate] = {}  # a parenthesis → its first meeting
        previous: tuple[DateMatch, Candidate] | None = None
        if kind == "bullet":
            dated = _listed_runs(text, dated)
        for m in dated:
            # a date listed after another in its parenthesis (5月、9月; a rule's days), or
            # right after it on a bullet (2026年8月21日(金)、22日(土)), is named, held and
            # timed as that one is
            first = next((c for (a, b), c in placed.items() if a < m.start <= b), None)
            if first is None and previous is not None and kind == "bullet" and \
                    _listed_together(text, previous[0], m):
                first = previous[1]
            if first is not None:
                candidate = replace(first, match=m)
            else:
                # under a heading naming its own 年度 the days are that year's, not slips
                candidate = _candidate(line, text, body, m, heading_name,
                                       name=labelled[1] if labelled is not None else None,
                                       line_dates=line.matches, siblings=siblings,
                                       repairable=line.section_year is None, body_final=True)
                paren = _enclosing_paren(text, m.start)
                if paren is not None:
                    placed[paren] = candidate
            previous = (m, candidate)
            found.append(candidate)
        self.after_meeting = True
        return found


# An activity and its day, as minutes and plans list them: 無人ヘリ農薬散布：4月25日予定。 /
# 研修旅行（日帰り）：7月11日（土）を予定。 / 自治会費等の集金：第1回は5月上旬 — the label,
# a colon, and the date right after it (or after the round it is: 第1回は).
_LABELLED = re.compile(r"[\s・･○●◯◎■□◆◇▪•\-‐－*＊]*(?P<label>[^：:。、]{2,30}?)\s*[：:]\s*"
                       r"(?:(?P<round>第\s*[0-9０-９]+\s*回目?)\s*(?:は|[:：])?\s*)?")
#: A labelled line longer than this is a paragraph that happens to open with a label.
MAX_LABELLED_CHARS = 160


def labelled_date(text: str, matches: list[DateMatch]) -> tuple[DateMatch, str] | None:
    """The date and the activity's name of a ``label：date`` line (see :data:`_LABELLED`),
    or ``None`` when the line is no such thing. The label may hold a 年度 (令和8年度 自治会費等の集金) but no day or month of its
    own (令和7年度末残高：…), and must not name a document's or an account's day (作成日：,
    更新日：, 残高： — :func:`aical.extract.guards.not_a_meeting`)."""
    if len(text) > MAX_LABELLED_CHARS:
        return None
    m = _LABELLED.match(text)
    if m is None:
        return None
    date = next((d for d in matches if d.start >= m.end()), None)
    if date is None or date.start != m.end() or not qualifies(date, text):
        return None
    if any(d.start < m.end() and d.span.precision not in ("fiscal_year", "year") for d in matches):
        return None
    if not NAMED.search(fold(m["label"])) or not_a_meeting(text[:date.start], text[date.end:]):
        return None
    name = tidy(m["label"])
    if m["round"]:
        name = f"{name}（{m['round'].strip()}）"
    return date, name


#: Two letters in a row: a text that names something (not only digits and marks).
NAMED = re.compile(r"[^\W\d_]{2}")


# What a line holding only a date has besides it: brackets, spaces, a full stop.
_LONE_DATE_LEFT = re.compile(r"[\s\u3000()（）\[\]［］【】〔〕。．.]+")


def _listed_together(text: str, before: DateMatch, after: DateMatch) -> bool:
    """``after`` is listed right after ``before``: only a separator between them, or
    nothing, once remarks in brackets are left out (7月6日（約204名）、11月30日)."""
    return LIST_GAP.fullmatch(_REMARK.sub("", text[before.end:after.start]) or "、") is not None


def _listed_runs(text: str, dated: list[DateMatch]) -> list[DateMatch]:
    """A bullet's dates with consecutive listed days as one span (2026年8月21日(金)、22日(土)
    is the 21st to the 22nd), as a schedule's ``3・4日`` is."""
    out: list[DateMatch] = []
    group: list[DateMatch] = []
    for m in dated:
        if group and m.span.precision == "day" == group[-1].span.precision and \
                _listed_together(text, group[-1], m):
            group.append(m)
            continue
        out.extend(day_runs(group))
        group = [m]
    out.extend(day_runs(group))
    return out


def _enclosing_paren(text: str, start: int) -> tuple[int, int] | None:
    """(open, close) of the parenthesis whose content starts with position ``start``."""
    i = start - 1
    while i >= 0 and text[i] in " \u3000\t":
        i -= 1
    if i < 0 or text[i] not in "(（":
        return None
    depth = 0
    for paren in _PAREN.finditer(text, i):  # the parentheses alone, found in C
        if paren[0] in "(（":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return i, paren.start()
    return i, len(text)


_PAREN = re.compile("[(（)）]")


# After a month that is told of, not a time anything is held in.
_MONTH_IN_PASSING = re.compile(r"\s*(?:が|分|くらい|ぐらい|位|中に|中旬まで|頭|末まで|まで|以内|時点|度|"
                               r"の(?!予定|開催|頃|中旬|上旬|下旬)[^、。]{0,12}(?:にも|も)来)")
_ENDS_WITH_TIME = re.compile(r"(?:時|分|半|\d[:：]\d\d)\s*$")


def qualifies(m: DateMatch, text: str) -> bool:
    """A date that may be a meeting: day or month precise, not open-ended (…以降, …から)."""
    if m.span.precision not in _EVENT_PRECISIONS:
        return False
    if _ENDS_WITH_TIME.search(m.text):
        # ２月２６日午前１０時から開きます: から starts the time, not an open period
        return True
    if any(code == "open_ended" for code, _ in m.notes):
        return False
    if m.span.precision == "month" and _SESSION_NAME.match(text[m.end:]):
        return False  # 令和6年3月定例会: the session's name, not a date it meets on
    if m.span.precision == "month" and _MONTH_IN_PASSING.match(text[m.end:]):
        return False  # 3月が忙しい, 1,2月分, 9月くらい, 11月頭に済み: a month told of
    return not _OPEN_ENDED_AFTER.match(text[m.end:])


_REMARK = re.compile(r"[(（][^()（）]{0,30}[)）]")


def event_dates(kind: str, text: str, matches: list[DateMatch]) -> list[DateMatch]:
    """The matches on a logical line that are meetings or dated activities (see the module
    docstring); ``kind`` is ``bullet`` or another line kind."""
    good = [m for m in matches if qualifies(m, text)]
    if not good:
        return []
    if kind == "bullet":
        # a bullet's day that a word rules out (12月7日に支払い, 2024/12/16時点, 参考:)
        good = [m for m in good if not not_a_meeting(text[:m.start], text[m.end:])]
        if not good:
            return []
        chosen = [good[0]]
        for m in good[1:]:
            if _listed_together(text, chosen[-1], m):
                chosen.append(m)
        return chosen
    chosen = []
    for n, m in enumerate(good):
        if not_a_meeting(text[:m.start], text[m.end:]):
            continue
        paren = _enclosing_paren(text, m.start)
        if paren is not None and not text[paren[1] + 1:].strip(" 。．.\u3000"):
            chosen.append(m)
            # dates listed with it in that parenthesis (5月、9月、1月; a rule's days)
            for other in good[n + 1:]:
                if other.start > paren[1] or not _listed_together(text, chosen[-1], other):
                    break
                chosen.append(other)
            break
    if chosen:
        return chosen
    if len(fold(text)) <= 80 and "。" not in text and _MEETING_NAME.match(fold(text)):
        return [good[0]]
    return []


def _candidate(line: Line, text: str, body: tuple[str, ...], m: DateMatch,
               heading_name: str | None, name: str | None = None, **fields) -> Candidate:
    """Name and details of one dated line: the parenthesis that holds the date gives the
    details (mode, venue, times), the text before it the name (unless ``name`` is given).
    ``fields``: the candidate's other fields, as given."""
    paren = _enclosing_paren(text, m.start)
    details, loose, time_text = "", False, ""
    if paren is not None:
        open_, close = paren
        before = text[:open_].strip()
        details, loose = text[m.end:close], True
        after = text[close + 1:].strip()
        summary = before
        if not before or "。" in before or len(before) > 40:
            summary = heading_name or tidy(before)[:40]
        elif after and not after.startswith(("。", "、")):
            summary = before + after
    else:
        before = text[: m.start].strip()
        after = text[m.end:].strip()
        time_text = after
        times, after_wo_time = find_times(after)
        if times[0] is not None and fold(after).find(":") < 8:
            after = after_wo_time
        summary = before or after
        if not before:
            # the date opens the line: "令和2年7月14日～20日 全体説明会及び勉強会（…）"
            trailing = re.search(r"[(（]([^()（）]*)[)）]\s*$", after)
            if trailing:
                details = trailing[1]
                if mode_and_venue(split_segments(details), loose=False)[2]:
                    after = after[: trailing.start()].strip()
            summary = after or heading_name or ""
        else:
            details = " ".join(re.findall(r"[(（]([^()（）]*)[)）]", after))
    return Candidate(match=m, name=summary if name is None else name, body=body, at=line.at,
                     original=line.original, details=details, loose=loose,
                     time_text=time_text, context=text, **fields)


# What stands between days listed together: 、 ・ , 及び および と (or 、及び).
LIST_GAP = re.compile(r"\s*(?:[・、,，]\s*(?:及び|および|と)?|及び|および|と)\s*")


def day_runs(days: list[DateMatch]) -> list[DateMatch]:
    """Listed days as events: consecutive ones (``3・4日``) one span, as a session's
    schedule means them; others (``24・27日``) one each."""
    out: list[DateMatch] = []
    for d in days:
        last = out[-1] if out else None
        if last is not None and (d.span.first_day - last.span.last_day).days == 1:
            out[-1] = DateMatch(last.line, last.start, d.end, f"{last.text}{d.text}",
                                Span(last.span.first_day, d.span.last_day, "day"),
                                last.notes)
        else:
            out.append(d)
    return out


__all__ = ["LIST_GAP", "NAMED", "Lists", "day_runs", "event_dates", "labelled_date", "qualifies"]
