"""Recogniser ``lines``: date-first lines and logs.

A line that opens with a date and names what happens on it, as meeting lists, 議会日程
and news logs are written::

    4月22日　第1回理事会
    2023.05.14<TAB>定期総会
    R6.10.2~4 行政視察
    - 6月9日（火）総務委員会
    2024-10-02<TAB>9/28 防災訓練      ← a post date, then the event's own date: the inner one wins

Taken when the date comes first (after a bullet or a numbering at most), the line is short
and not a sentence (no 。), and what follows names something (two letters or more) that
is not a deadline, a publication or another non-meeting (:mod:`aical.extract.guards`).
Times after the date (``13:30～``) are the event's times; a parenthesis after the name
gives its details (mode, venue).
"""

from __future__ import annotations

import datetime as dt
import re

from aical.extract.builder import Candidate, Finding
from aical.extract.guards import not_a_meeting
from aical.extract.lists import LIST_GAP, NAMED, day_runs, qualifies
from aical.extract.outline import Line, fold, tidy
from aical.model import DateMatch, Span

#: A date-first line longer than this is prose, not a list entry.
MAX_CHARS = 90
# What may stand before the leading date: a bullet, a numbering, spaces.
_LEAD = re.compile(r"[\s・･○●◯◎■□◆◇▪•\-‐－*＊]*(?:[(（]?\d{1,2}[)）.．、]\s*)?")
# Between the date and the name: weekday, separators, spaces.
_GAP = re.compile(r"^[\s\t　:：|｜\-－‐~〜、,]*")
_PARTICLE = re.compile(r"(?:に|には|は|から|の|と|を|より|まで|も)(?![\u30a0-\u30ff])")
_SLASH_DAY = re.compile(r"\s*(\d{1,2})/(\d{1,2})(?![\d/])")


def _year_less(post: DateMatch, slash: re.Match, name: str) -> DateMatch | None:
    """The event's ``M/D`` inside a log entry dated ``post``: the year that puts it on or
    before the post (an entry reports what happened, or announces what is near)."""
    month, day = int(slash[1]), int(slash[2])
    posted = post.span.first_day
    for year in (posted.year, posted.year - 1, posted.year + 1):
        try:
            date = dt.date(year, month, day)
        except ValueError:
            return None
        if abs((date - posted).days) <= 200:
            break
    else:
        return None
    written = name[:slash.end()].strip()
    return DateMatch(post.line, post.end, post.end + slash.end(), written,
                     Span(date, date, "day"),
                     (("year_inferred", f"no year written; read as {year}, the year of the "
                       f"entry dated {posted.isoformat()}"),))


# A day written alone at the start of a schedule's line: 22日, 24・27日, 7日から10日
_DAY_ONLY = re.compile(r"(?P<days>\d{1,2}(?:\s*[・、,]\s*\d{1,2})*)\s*日"
                       r"(?:\s*(?:から|~|〜|－|-)\s*(?P<to>\d{1,2})\s*日)?(?:\([月火水木金土日]\))?\s+")


class Lines:
    """The recogniser's state: the last day written in full, which a schedule's day-only
    lines (``22日 開会``, ``1日 委員会審査``) continue from — a day smaller than the last
    one is in the next month."""

    def __init__(self) -> None:
        self.last: dt.date | None = None

    def read(self, line: Line) -> list[Finding] | None:
        """The events of a date-first or day-only line, or ``None``."""
        # a period's first day: a session's span (2月22日から3月27日) heads the list of its days
        days = [m.span.first_day for m in line.matches if m.span.precision == "day"]
        if line.matches:
            found = read(line)
            if days:
                self.last = days[-1] if found is None else found[-1].match.span.first_day
            return found
        if self.last is None or line.kind not in ("prose", "bullet"):
            return None
        return self._day_only(line)

    def _day_only(self, line: Line) -> list[Finding] | None:
        text = line.text
        m = _DAY_ONLY.match(fold(text))
        if m is None or len(text) > MAX_CHARS or "。" in text:
            return None
        name = text[m.end():].strip()
        if not NAMED.search(fold(name)) or not_a_meeting("", name):
            return None
        numbers = [int(d) for d in re.findall(r"\d+", m["days"])]
        if m["to"]:
            numbers = [numbers[0]]
        dates = []
        for day in numbers:
            date = self._next(day)
            if date is None:
                return None
            dates.append(date)
            self.last = date
        spans: list[Span] = []
        for date in dates:  # consecutive days are one span: 13・14日
            if spans and (date - spans[-1].last_day).days == 1:
                spans[-1] = Span(spans[-1].first_day, date, "day")
            else:
                spans.append(Span(date, date, "day"))
        if m["to"]:
            end = self._next(int(m["to"]))
            if end is None:
                return None
            spans = [Span(spans[0].first_day, end, "day")]
            self.last = end
        written = text[:m.end()].strip()
        note = (("year_inferred", f"a day alone, read after {dates[0].isoformat()}"),)
        out: list[Finding] = []
        for span in spans:
            match = DateMatch(line.at.line or 0, 0, len(written), written, span, note)
            out.append(Candidate(match=match, name=tidy(name), body=line.path, at=line.at,
                                 original=line.original, time_text=name, context=name))
        return out

    def _next(self, day: int) -> dt.date | None:
        """Day ``day`` on or after the last day written (next month when smaller)."""
        last = self.last
        year, month = last.year, last.month
        if day < last.day:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None


def read(line: Line) -> list[Finding] | None:
    """The event of a date-first line, or ``None`` when the line is not one."""
    if line.kind not in ("prose", "bullet") or not line.matches:
        return None
    text = line.text
    if len(text) > MAX_CHARS or "。" in text:
        return None
    first = line.matches[0]
    lead = _LEAD.match(text)
    if lead is None or lead.end() < first.start or not qualifies(first, text):
        return None
    m = first
    listed = _listed(text, line.matches)
    rest = text[listed[-1].end:]
    # a post or update date first, the event's own date inside the title
    if len(listed) == 1 and len(line.matches) > 1:
        inner = line.matches[1]
        gap = text[m.end:inner.start]
        if _GAP.fullmatch(gap) is not None and qualifies(inner, text):
            m, rest = inner, text[inner.end:]
    name = rest[_GAP.match(rest).end():]
    if _PARTICLE.match(name):
        return None  # 令和2年6月5日に第1回総会を開催し: a sentence, prose's to read
    slash = _SLASH_DAY.match(fold(name))
    if slash and m.span.precision == "day":
        # 2024-10-02<TAB>9/28 防災訓練: a post date, then the event's own year-less date
        inner = _year_less(m, slash, name)
        if inner is not None:
            m, name = inner, name[slash.end():]
            name = name[_GAP.match(name).end():]
    if not NAMED.search(fold(name)) or not_a_meeting(text[:m.start], rest):
        return None
    details = " ".join(re.findall(r"[(（]([^()（）]*)[)）]", name))
    shown = re.sub(r"\s*[(（][^()（）]*[)）]\s*$", "", name).strip() or name
    days = day_runs(listed) if len(listed) > 1 else [m]
    return [Candidate(match=d, name=tidy(shown), body=line.path, at=line.at,
                      original=line.original, details=details, time_text=rest,
                      context=text, line_dates=line.matches, siblings=tuple(days))
            for d in days]


def _listed(text: str, matches) -> list[DateMatch]:
    """The first date and the days listed right after it (``10月3・4日``, ``24、27日``)."""
    out = [matches[0]]
    if out[0].span.precision != "day":
        return out
    for other in matches[1:]:
        if other.span.precision != "day" or not LIST_GAP.fullmatch(text[out[-1].end:other.start]):
            break
        out.append(other)
    return out


__all__ = ["Lines", "read"]
