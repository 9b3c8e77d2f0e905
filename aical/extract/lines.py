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
from aical.extract.lists import qualifies
from aical.extract.outline import Line, fold, tidy
from aical.model import DateMatch, Span

#: A date-first line longer than this is prose, not a list entry.
MAX_CHARS = 90
# What may stand before the leading date: a bullet, a numbering, spaces.
_LEAD = re.compile(r"[\s・･○●◯◎■□◆◇▪•\-‐－*＊]*(?:[(（]?\d{1,2}[)）.．、]\s*)?")
# Between the date and the name: weekday, separators, spaces.
_GAP = re.compile(r"^[\s\t　:：|｜\-－‐~〜、,]*")
_NAMED = re.compile(r"[^\W\d_]{2}")
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
    rest = text[m.end:]
    # a post or update date first, the event's own date inside the title
    if len(line.matches) > 1:
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
    if not _NAMED.search(fold(name)) or not_a_meeting(text[:m.start], rest):
        return None
    details = " ".join(re.findall(r"[(（]([^()（）]*)[)）]", name))
    shown = re.sub(r"\s*[(（][^()（）]*[)）]\s*$", "", name).strip() or name
    return [Candidate(match=m, name=tidy(shown), body=line.path, at=line.at,
                      original=line.original, details=details, time_text=rest,
                      context=text, line_dates=line.matches, siblings=(m,))]


__all__ = ["read"]
