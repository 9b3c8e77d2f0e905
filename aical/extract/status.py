"""Where a meeting stands, as its text says: confirmed, tentative, cancelled or postponed.

The API (pure; the event builder calls it once per dated meeting):

- :func:`event_status` — ``event_status(text, date=match, matches=all_matches_on_line)`` →
  :class:`Status`: ``.status`` (one of :data:`aical.model.STATUSES`), ``.marker`` (the
  word that decided it, as folded: 中止, 延期, 予定 …, or None) and, for ``postponed``,
  ``.new_span`` (the days it moved to, when the text gives them) and ``.new_date`` (the
  DateMatch they were read from, when that is another date on the line).
- :func:`context_of` — the part of a line that belongs to each of several dated meetings
  written on it, so that ``第1回（5月15日、中止）、第2回（6月1日）`` cancels only the first.

The rules, strongest first (a meeting 延期 and then 中止 is cancelled):

1. **cancelled**: 中止, 取りやめ / 取止め / 取り止め, 開催見送り.
2. **postponed**: 延期. The new date is a date on the line later than the meeting's own
   and written after 延期 (``延期（令和2年7月1日開催）``, ``→令和2年7月1日``) or just before
   に延期 / へ延期 (``6月1日に延期``).
3. **tentative**: the date is approximate — its precision is one of
   :data:`aical.model.APPROXIMATE_PRECISIONS` (上旬, 第1四半期, 秋) or the engine noted it
   ``approximate`` (頃, ``2023.03.xx``) — or the text says 予定, 未定, 調整中, 仮, or
   (案); or the whole document is a draft (``draft=True``: a title with （案）).
4. otherwise **confirmed**.

Words that name an agenda item rather than the meeting's fate (``中止について``,
``延期に関する``) do not count.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from aical.model import APPROXIMATE_PRECISIONS, DateMatch, Span

__all__ = ["Context", "Status", "context_of", "event_status", "is_draft_title"]

# An agenda item about a cancellation is not one: 中止について, 延期に関する件, 中止の件
_ABOUT = r"(?!\s*(?:について|に関する|に係る|の件|等について))"
_CANCELLED = re.compile(rf"(?:中止|取りやめ|取り止め|取止め|取りや め|開催見送り|見送り){_ABOUT}")
_POSTPONED = re.compile(rf"延期{_ABOUT}")
# 案 alone is too common a character (議案, 提案, 案内); only a bracketed (案) or 日程案 counts
_TENTATIVE = re.compile(r"予定|未定|調整中|[(\[【]\s*(?:仮|案)\s*[)\]】]|日程案|開催案|\(仮\)")
_MOVED_TO = re.compile(r"\s*(?:に|へ|まで)\s*延期")


@dataclass(frozen=True, slots=True)
class Status:
    """One meeting's status, the word that decided it, and a postponed meeting's new
    days: ``new_span``, read from ``new_date`` (another date on the line) or from the end of
    the meeting's own range when that range is the move (``7月1日から8月3日に延期``)."""

    status: str = "confirmed"
    marker: str | None = None
    new_date: DateMatch | None = None
    new_span: Span | None = None


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def is_draft_title(title: str) -> bool:
    """A document title marked as a draft (令和3年度事業計画（案）): all its meetings are
    plans that may still change."""
    return bool(re.search(r"[(\[【]\s*案\s*[)\]】]|素案|原案", _fold(title)))


def event_status(text: str, *, date: DateMatch | None = None,
                 matches: Sequence[DateMatch] = (), part: Context | None = None,
                 draft: bool = False) -> Status:
    """The status of the meeting written in ``text`` on ``date``.

    ``text`` is the line as the finder saw it (the columns of ``date`` and ``matches``
    index it); ``part`` is the meeting's own part of it (see :func:`context_of`; the whole
    line by default). ``matches`` are the date expressions on the line, searched
    for the new date of a postponed meeting.
    """
    part = part or Context(0, len(text))
    begin, end = part.begin, part.end
    own = text[begin:end]
    folded = re.sub(r"\s+", "", _fold(own + "|" + part.shared))
    cancelled = _CANCELLED.search(folded)
    if cancelled:
        return Status("cancelled", cancelled[0])
    postponed = re.search(r"延\s*期", own)
    if postponed and _POSTPONED.search(folded):
        new = _new_date(text, begin + postponed.start(), end, date, matches)
        if new is not None:
            return Status("postponed", "延期", new, new.span)
        if date is not None and "から" in date.text and date.span.precision == "day" \
                and _MOVED_TO.match(_fold(text[date.end:])):
            # 7月1日から8月3日に延期 reads as one range; its end is the new day
            last = date.span.last_day
            return Status("postponed", "延期", None, Span(last, last, "day"))
        return Status("postponed", "延期")
    if date is not None:
        if date.span.precision in APPROXIMATE_PRECISIONS:
            return Status("tentative", date.text)
        if any(code == "approximate" for code, _ in date.notes):
            return Status("tentative", date.text)
    tentative = _TENTATIVE.search(folded)
    if tentative:
        return Status("tentative", tentative[0])
    if draft:
        return Status("tentative", "案")
    return Status()


def _new_date(text: str, at: int, end: int, date: DateMatch | None,
              matches: Sequence[DateMatch]) -> DateMatch | None:
    """The date a meeting was postponed to: later than its own, written after 延期 (at
    ``at``, before ``end``) or right before に延期 / へ延期."""
    own = date.span.first_day if date is not None else None
    for m in matches:
        if m is date or (own is not None and m.span.first_day <= own):
            continue
        if at <= m.start < end or _MOVED_TO.match(_fold(text[m.end:])):
            return m
    return None


@dataclass(frozen=True, slots=True)
class Context:
    """One meeting's own part of a line: ``text[begin:end]``, plus ``shared``, what follows
    the last of several dates in one parenthesis and so speaks for all of them
    (``（5月、9月、1月予定）``)."""

    begin: int
    end: int
    shared: str = ""


def context_of(text: str, dated: Sequence[DateMatch]) -> list[Context]:
    """For each of the dated meetings on a line (in order), the part of ``text`` that is
    its own: from just after the previous meeting's date (and the parenthesis that holds
    it) to the separator before the next meeting. The first starts at the line's start,
    the last ends at its end."""
    out = []
    closes = [bool(re.search(r"[)）]", text[a.end:b.start])) for a, b in zip(dated, dated[1:])]
    for i, m in enumerate(dated):
        begin = 0
        if i:
            previous = dated[i - 1]
            begin = previous.end
            close = re.search(r"[)）]", text[previous.end:m.start])
            if close:
                begin = previous.end + close.end()
        end = len(text)
        shared = ""
        if i + 1 < len(dated):
            end = dated[i + 1].start
            # the next meeting's name before its date is not this one's: cut after the
            # last separator (、 or a closing parenthesis) before it
            cut = max(text.rfind(s, m.end, end) for s in "、,，)）")
            if cut >= m.end:
                end = cut + 1
            # dates in one parenthesis: what follows the last of them is said of all
            last = i
            while last < len(closes) and not closes[last]:
                last += 1
            if last > i:
                # from the last date itself: its own 予定 (6月1日予定) is read as part of it
                tail = text[dated[last].start:]
                close = re.search(r"[)）]", tail)
                shared = tail[:close.start()] if close else tail
        out.append(Context(begin, max(begin, end), shared))
    return out
