"""The one event builder: candidates from every recogniser → events, bodies and warnings.

A recogniser (``lists``, ``tables``, ``fields``, ``lines``, ``prose``) decides only *that*
some text is a dated meeting and which parts of it say what; it hands the builder a
:class:`Candidate`. Everything a meeting's calendar entry needs beyond that is decided
here, once, whatever layout the meeting was written in:

- **mode and venue** (:func:`mode_and_venue`) from the candidate's ``details`` (the
  parenthesis or cell that holds the date's notes) or its ``venue``/``mode`` hints;
- **times** (:func:`find_times`: ``13時30分～15時``, ``14：00～16：00``, ``午後2時～4時``);
- **identity** (:func:`event_uid`) and the count of repeated meetings;
- **fiscal-year repair** (年度 = April 1 – March 31, :func:`repair_fiscal_year`): a span
  outside the document's fiscal year that lands inside it when its year moves by one is
  moved, with a warning (``out_of_fiscal_year``); a span no one-year move brings inside is
  kept as written, with a warning: guessing further would hide a real mistake;
- **bodies**: the candidate's body path; a body is listed once, in order of first
  appearance, including bodies that report no meetings (:class:`NoMeetings`);
- **warnings**: ``date_out_of_range`` (an event ending after :data:`LAST_DAY`, dropped),
  ``out_of_fiscal_year``, ``no_date`` (an :class:`Undated` finding: a line, row or block
  that looks like a meeting without a readable date).

A recogniser's findings are, in document order: :class:`Candidate`, :class:`Agenda` (an
agenda item of the candidate before it), :class:`NoMeetings` and :class:`Undated`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from aical.dates.era import FiscalYear, fiscal_year_of
from aical.dates.finder import fold_with_map
from aical.extract.outline import fold, tidy
from aical.messages import Message, msg
from aical.model import Body, Event, Source, Span, Warning

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from aical.document import Location
    from aical.extract.status import Status
    from aical.model import DateMatch

_ORDINAL = re.compile(r"第\s*(\d+)\s*回")


# --------------------------------------------------------------------------- findings


@dataclass(frozen=True, slots=True)
class Candidate:
    """One dated meeting as a recogniser read it; the builder makes the event.

    - ``match``: the date as found (its ``span``, ``text`` as written, and the engine's
      ``notes``, e.g. ``year_inferred``);
    - ``name``: the naming text, the event's summary as written (``第1回定期総会``);
    - ``body``: the body path the recogniser found (heading path, table caption, a
      notice's title …), outermost first;
    - ``at``: where it was written; ``original``: the whole text as written (the line, the
      row's cells), shown to a person as the source;
    - ``details``: text near the date that may say how and where it was held (the
      parenthesis holding the date: ``書面開催``, ``本庁舎3階会議室``, ``13:30～``); times are
      read from it, then mode and venue from its 、-separated parts;
    - ``loose``: whether any short leftover part of ``details`` is taken as a place (true
      for the parenthesis around the date; otherwise only parts ending like a place,
      …センター / …会議室, are);
    - ``time_text``: where to read times, when not in ``details`` (the rest of the line);
    - ``venue`` / ``mode``: hints written in a place of their own (a 場所 column, 会場：);
      they win over what ``details`` says;
    - ``agenda``: agenda items (議題) written with the meeting;
    - ``context``: the text around the date, for words that say a status (中止, 延期, 予定):
      the text ``match``'s columns index (the line); the name and details when empty;
    - ``line_dates``: every date found in ``context`` (a postponed meeting's new day is
      one of them); ``siblings``: the meetings read from the same ``context``, this one
      among them, so each gets its own part of a line holding several;
    - ``repairable``: the layout lists the fiscal year's own meetings (a 事業報告's bullets),
      so a date outside the document's 年度 is a slip of the year and is repaired. Dates
      of logs and sentences are not: a calendar-year log's January, or last March
      mentioned in passing, are right as written;
    - ``body_final``: ``body`` is the body as it stands (a 事業報告's heading is its body);
      otherwise the builder adds the body the meeting's own name gives
      (:func:`body_of_name`: ``第3回総務委員会`` → 総務委員会) below the path, when the path
      does not name it already;
    - ``told``: how a sentence tells of it, when it does: ``"done"`` (開催しました: it
      took place) or ``"announced"`` (開催いたします: it is to come, a plan). Read only where
      the line's words say nothing of the meeting's status themselves.
    """

    match: DateMatch
    name: str
    body: tuple[str, ...]
    at: Location
    original: str
    details: str = ""
    loose: bool = False
    time_text: str = ""
    venue: str | None = None
    mode: str | None = None
    agenda: tuple[str, ...] = ()
    context: str = ""
    line_dates: tuple[DateMatch, ...] = ()
    siblings: tuple[DateMatch, ...] = ()
    repairable: bool = False
    body_final: bool = False
    told: str | None = None


@dataclass(frozen=True, slots=True)
class Agenda:
    """An agenda item (議題) written after a meeting: it joins the candidate before it."""

    text: str
    at: Location


@dataclass(frozen=True, slots=True)
class NoMeetings:
    """A body that says it held no meetings (開催実績なし): listed, so it still has a feed."""

    body: tuple[str, ...]
    at: Location


@dataclass(frozen=True, slots=True)
class Undated:
    """Text that looks like a meeting but holds no date aical can read; ``problem`` says
    what was there instead (``'令和3年3月以降' is open-ended``), or is empty."""

    text: str
    at: Location
    problem: str = ""


Finding = Candidate | Agenda | NoMeetings | Undated


# --------------------------------------------------------------------------- mode, venue, time

_VIDEO = re.compile(r"動画(?:配信|ファイル|研修|視聴)?|オンデマンド")
_BULLETIN = re.compile(r"LGWAN\s*掲示板|電子掲示板|掲示板")
_ONLINE = re.compile(r"オンライン|ウェブ会議|Web\s*会議|WEB\s*会議|テレビ会議|Zoom|リモート開催",
                     re.IGNORECASE)
_HYBRID = re.compile(r"ハイブリッド(?:開催|形式|方式)?")
_WRITTEN = re.compile(r"書面(?:開催|会議|決議|審議|表決|による|議決)?")
_PLACE_SUFFIX = re.compile(
    r"(?:センター|庁舎|会館|ホール|会議室|室|館|ホテル|役所|役場|プラザ|ビル|棟|階|サイト|"
    r"大学|学校|会場|庁|本庁|公園|ホーム)$")
_NOT_A_PLACE = re.compile(
    r"中止|延期|予定|未定|調整|開催|実施|配付|配布|について|診断|頃|ごろ|程度|以内|→|等$|中$"
    r"|旬|^末$|^初め$|四半期")
_TIME_POINT = (r"(?:(?P<{p}ampm>午前|午後)\s*)?(?P<{p}h>\d{{1,2}})\s*"
               r"(?:時\s*(?:(?P<{p}m>\d{{1,2}})\s*分|(?P<{p}half>半))?|:\s*(?P<{p}mm>\d{{2}}))")
_TIME = re.compile(_TIME_POINT.format(p="a") + r"(?:\s*(?:~|〜|-|－|ー|から)\s*"
                   + _TIME_POINT.format(p="b") + r")?")


def _time_of(m: re.Match, p: str, ampm: str | None) -> dt.time | None:
    hour = int(m[f"{p}h"])
    minute = int(m[f"{p}m"] or m[f"{p}mm"] or (30 if m[f"{p}half"] else 0))
    if ampm == "午後" and hour < 12:
        hour += 12
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


def find_times(text: str) -> tuple[tuple[dt.time | None, dt.time | None], str]:
    """The first ``13時30分～15時`` / ``14：00～16：00`` in ``text``; and the text without it."""
    quick = fold(text)
    if "時" not in quick and ":" not in quick:
        # no time can be written here; skip the per-character fold, which called once per
        # date on a line listing hundreds of dates made extraction quadratic
        return (None, None), text
    # the finder's fold (spaces out, one range separator, kanji numerals as digits), so
    # times read like dates: 午後 二 時 ー 四 時 too
    folded, origin = fold_with_map(text)
    m = _TIME.search(folded)
    if m is None:
        return (None, None), text
    start = _time_of(m, "a", m["aampm"])
    end = _time_of(m, "b", m["bampm"] or m["aampm"]) if m["bh"] else None
    first, last = origin[m.start()], origin[m.end() - 1] + 1
    return (start, end), (text[:first] + text[last:]).strip()


# A meeting named as held online: オンライン right before what is held (オンライン相談会,
# オンライン大会, オンラインで開催), not an online thing it is about (オンライン申請の説明会).
_HELD_ONLINE = re.compile(r"オンライン\s*(?:で|にて|開催|形式|会議|大会|総会|相談会|セミナー|イベント|説明会|"
                          r"講座|講演会|研修|交流会|勉強会|ミーティング|配信|座談会)|ウェビナー|Zoom|ライブ配信")


def mode_and_venue(segments: list[str], *, loose: bool) -> tuple[str | None, str | None, bool]:
    """Mode and venue from the parts of a parenthesis (split on 、).

    A place and an online part (会議室、Zoom), or ハイブリッド, is ``hybrid`` (venue: the
    place). Otherwise precedence video > bulletin > online > written > in_person. ``loose`` (the parenthesis
    that holds the date): any short leftover part is taken as a place; otherwise only parts
    ending like a place (…センター, …庁舎, …サイト) are. The third value says whether any
    part was recognised.
    """
    found: dict[str, str | None] = {}
    for raw in segments:
        seg = tidy(raw).strip()
        if not seg:
            continue
        f = fold(seg)
        if _HYBRID.search(f):
            found.setdefault("hybrid", None)
        elif _VIDEO.search(f):
            found.setdefault("video", _before_nite(seg))
        elif _BULLETIN.search(f):
            found.setdefault("bulletin", _before_nite(seg))
        elif _ONLINE.search(f):
            found.setdefault("online", None)
        elif _WRITTEN.search(f):
            found.setdefault("written", None)
        elif _PLACE_SUFFIX.search(f) and not _NOT_A_PLACE.search(f):
            found.setdefault("in_person", _before_nite(seg))
        elif loose and 2 <= len(f) <= 30 and not _NOT_A_PLACE.search(f) \
                and not re.search(r"\d", f):
            found.setdefault("in_person", seg)
    if "hybrid" in found or ("online" in found and "in_person" in found):
        # a room and a link at once (会議室、Zoom): both kinds of member attend
        return "hybrid", found.get("in_person"), True
    for mode in ("video", "bulletin", "online", "written", "in_person"):
        if mode in found:
            return mode, found[mode], True
    return None, None, False


def _before_nite(seg: str) -> str:
    """``発注者ポータルサイトにて動画ファイルの配付開始`` → the place before にて."""
    return seg.split("にて", 1)[0].strip() if "にて" in seg else seg


def split_segments(text: str) -> list[str]:
    """The 、-separated parts of a parenthesis or cell."""
    return [s for s in re.split(r"[、，,]", text) if s.strip()]


# --------------------------------------------------------------------------- identity


_SPACES = re.compile(r"\s+")  # compiled once: a key is made for every meeting and body part


def _key_text(text: str) -> str:
    return _SPACES.sub("", fold(text))


def event_uid(fiscal_year: FiscalYear | None, body: tuple[str, ...], summary: str,
              first_day: dt.date, occurrence: int = 1) -> str:
    """The stable UID of a meeting: ``<sha1 hex>@aical``.

    Identity is what names the meeting, never where it was written:

    - the fiscal year (年度; from the document, else the one the event falls in),
    - the body path and
    - its ordinal ``第N回`` with the summary, or, for meetings without an ordinal
      (``意見交換及び審議``, ``臨時幹事会``), the summary **and its first day**,
    - ``occurrence`` (2, 3 …) only when all of the above repeat within one report.

    Width and spaces are folded (``第 1 回`` = ``第１回``). File names, line numbers, venues
    and modes are left out, so renaming the file, editing a venue or inserting a meeting
    above keeps every UID. Trade-off: an ordinal meeting keeps its UID when its date is
    corrected (calendar clients move it); an un-numbered one gets a new UID when its first
    day changes, because nothing else tells two of them apart.
    """
    fy = fiscal_year or fiscal_year_of(first_day)
    summary_key = _key_text(summary)
    what = [summary_key] if _ORDINAL.search(summary_key) else [summary_key, first_day.isoformat()]
    # The key is hashed as a JSON array, a sequence with every part quoted: joining parts
    # with a character ("/", " › ", even U+001F) would let a name containing it collide
    # with a deeper path (the body 総会/幹事会 and the path 総会 › 幹事会 were one UID).
    # json.dumps(["aical-event-v2", year, [body keys], what(, occurrence)]), its head made
    # once per body: a list's text is its items' joined by ", " between brackets.
    key = (_uid_head(fy.start_year, body) + ", " + json.dumps(what, ensure_ascii=False)
           + (f", {occurrence}]" if occurrence > 1 else "]"))
    return f"{hashlib.sha1(key.encode('utf-8')).hexdigest()}@aical"


@functools.lru_cache(maxsize=4096)
def _uid_head(start_year: int, body: tuple[str, ...]) -> str:
    """The start of a UID's key up to its body (a report holds thousands of meetings of a
    few hundred bodies, and each part's key folds it)."""
    return json.dumps(["aical-event-v2", start_year, [_key_text(b) for b in body]],
                      ensure_ascii=False)[:-1]


# --------------------------------------------------------------------------- fiscal year


def _shift_year(span: Span, years: int) -> Span | None:
    try:
        first = span.first_day.replace(year=span.first_day.year + years)
        last = span.last_day.replace(year=span.last_day.year + years)
    except ValueError:  # 29 February
        return None
    if span.precision == "month":  # keep month ends right (February)
        import calendar

        last = last.replace(day=calendar.monthrange(last.year, last.month)[1])
    return Span(first, last, span.precision)


def repair_fiscal_year(span: Span, fiscal_year: FiscalYear) -> tuple[Span, bool]:
    """Move a span into the fiscal year when moving its year by one lands it inside.

    Returns (span to use, repaired?). A span that no single-year move brings inside is
    returned unchanged (repaired False); the caller warns about it.
    """
    def inside(s: Span) -> bool:
        return fiscal_year.contains(s.first_day) and fiscal_year.contains(s.last_day)

    if inside(span):
        return span, False
    candidates = [s for s in (_shift_year(span, +1), _shift_year(span, -1))
                  if s is not None and inside(s)]
    if len(candidates) == 1:
        return candidates[0], True
    return span, False


#: The last day an event may end on: the end of fiscal year 9998. Feeds need the day after
#: an event (DTEND) and pages the whole fiscal year, and Python's dates stop at 9999-12-31.
LAST_DAY = dt.date(9999, 3, 31)



# --------------------------------------------------------------------------- building


@dataclass(slots=True)
class _Draft:
    candidate: Candidate
    span: Span
    summary: str
    mode: str | None
    venue: str | None
    start_time: dt.time | None
    end_time: dt.time | None
    status: str = "confirmed"
    agenda: list[str] = field(default_factory=list)
    body: tuple[str, ...] = ()
    #: event_uid of its first occurrence, and its UID as the ``occurrence``-th of that
    #: key, made once its body is known (see :func:`_key`)
    key: str = ""
    occurrence: int = 0
    uid: str = ""


@dataclass(frozen=True)
class Built:
    """What the builder made of one document's findings."""

    bodies: tuple[Body, ...]
    events: tuple[Event, ...]
    warnings: tuple[Warning, ...]


def build(findings: Iterable[Finding], *, file: str,
          fiscal_year: FiscalYear | None, draft: bool = False,
          issuer: Callable[[], str | None] | None = None) -> Built:
    """Events, bodies and warnings from one document's findings, in document order.

    ``file`` is the name used in sources and warnings; ``fiscal_year`` is the document's
    年度 (from its title, or given by the caller): without one, no year is repaired.
    ``draft``: the document is a draft (a title with （案）), so its meetings are tentative.
    ``issuer``: a function giving the body that issued the document
    (:mod:`aical.extract.issuer`), the body of meetings nothing else places; it is asked
    once every finding is read (the issuer is read from the whole document, and a big
    one's findings come while the rest of it is still being read).
    """
    fy = fiscal_year
    warnings: list[Warning] = []
    drafts: list[_Draft] = []
    bodies: list[tuple[str, ...]] = []
    known: set[tuple[str, ...]] = set()

    def warn(code: str, at: Location, message: Message) -> None:
        warnings.append(Warning(code, message, file, at.line, at.page))

    def add_body(path: tuple[str, ...]) -> None:
        if path and path not in known:  # a set: a report may hold a thousand bodies
            known.add(path)
            bodies.append(path)

    # The year repair's warnings follow the findings' warnings, in draft order
    repaired: list[Warning] = []

    def warn_repaired(code: str, at: Location, message: Message) -> None:
        repaired.append(Warning(code, message, file, at.line, at.page))

    keyed: dict[str, int] = {}  # how many drafts made so far have each key
    statuses = _Statuses(draft)
    last: _Draft | None = None
    unplaced: list[_Draft] = []  # meetings of the issuer
    issuer_at = 0  # where the issuer's body goes among the bodies: at its first meeting
    for finding in findings:
        if isinstance(finding, Agenda):
            if last is not None:
                last.agenda.append(finding.text)
            continue
        last = None
        if isinstance(finding, NoMeetings):
            add_body(finding.body)
        elif isinstance(finding, Undated):
            if finding.problem:
                warn("no_date", finding.at, msg("extract.no_date.vague", line=finding.text,
                                                problem=finding.problem))
            else:
                warn("no_date", finding.at, msg("extract.no_date", line=finding.text))
        else:
            status = statuses.of(finding)
            if status is not None and finding.told is not None:
                status = _as_told(status, finding.told)
            last = None if status is None else _draft(finding, status, warn)
            if last is not None:
                drafts.append(last)
                # each draft is repaired, and keyed once its body is known, as it comes:
                # a big report's findings come while the rest is still read in another
                # process (:func:`aical.workers.stream_forked`), which this one then
                # does not wait for (45 MB: 3 of the 8.6 s of the builder's end)
                if fy is not None and last.candidate.repairable:
                    _repair(last, fy, warn_repaired)
                if last.body:
                    add_body(last.body)
                    _key(last, fy, keyed)
                else:  # the issuer's, known at the end
                    if not unplaced:
                        issuer_at = len(bodies)
                    unplaced.append(last)

    issued = issuer() if unplaced and issuer is not None else None
    if issued:
        for d in unplaced:
            d.body = (issued,)
        if (issued,) not in bodies[:issuer_at]:  # else named before its first meeting
            bodies = [b for b in bodies if b != (issued,)]
            bodies.insert(issuer_at, (issued,))
    for d in unplaced:  # counted after the others: _finish counts again in order
        _key(d, fy, keyed)

    warnings += repaired
    events = _finish(_within_a_day(_retold(drafts)), fy, file)
    return Built(tuple(Body(p) for p in bodies), tuple(events), tuple(warnings))


def _as_told(status: Status, told: str) -> Status:
    """A sentence's tense over the line's plain words: what a report says took place
    (開催いたしました) is confirmed even when a later sentence plans something (…予定です);
    what it announces (開催いたします) is tentative. 中止 and 延期 stand as written."""
    if status.status == "tentative" and told == "done" and status.marker == "予定":
        return replace(status, status="confirmed", marker=None)
    if status.status == "confirmed" and told == "announced":
        return replace(status, status="tentative", marker="予定")
    return status


class _Statuses:
    """Status for each candidate (:func:`aical.extract.status.event_status`), computed once
    per line for all the meetings read from it: a line holding several gives each its own
    part, and the new day of a postponed meeting is not a meeting of its own."""

    def __init__(self, draft: bool) -> None:
        self.draft = draft
        self.line: tuple[DateMatch, ...] | None = None
        self.found: dict[int, Status] = {}
        self.moved: set[int] = set()

    def of(self, c: Candidate) -> Status | None:
        """The candidate's status; ``None`` when its date is another meeting's new day."""
        from aical.extract.status import context_of, event_status

        if not c.siblings:
            text = c.context or f"{c.name} {c.details}"
            date = c.match if c.context else None
            return event_status(text, date=date, matches=c.line_dates, draft=self.draft)
        if c.siblings is not self.line:
            self.line = c.siblings
            self.found = {
                id(m): event_status(c.context, date=m, matches=c.line_dates, part=part,
                                    draft=self.draft)
                for m, part in zip(c.siblings, context_of(c.context, c.siblings))}
            self.moved = {id(s.new_date) for s in self.found.values()
                          if s.new_date is not None}
        if id(c.match) in self.moved:
            return None
        return self.found.get(id(c.match)) or event_status(
            c.context, date=c.match, matches=c.line_dates, draft=self.draft)


#: A span of this many days or more is a period (an accounting year, a term), not a
#: meeting: no meeting lasts a year.
MAX_EVENT_DAYS = 365


# What a body's name ends with (委員会, 審議会 …), and what stands before a series' name.
BODY_NOUN = re.compile(
    r"(?:常任委員会|特別委員会|委員会|審議会|協議会|協議員会|理事会|役員会|監事会|幹事会|総会|"
    r"部会|分科会|研究会|検討会|懇談会|連合会|連絡会|議会|会議)")
# A heading that is a body's name ends with one (幹事会, 総務委員会, 理事会（定例）).
_BODY_END = re.compile(BODY_NOUN.pattern + r"\s*(?:[(（][^()（）]*[)）])?\s*$")
# A heading of a body's doings: 理事会議決事項, 幹事会の開催状況, 総会議事.
_BODY_HEADING = re.compile(r"^\s*(\S{0,12}?(?:" + BODY_NOUN.pattern + r"))\s*の?\s*"
                           r"(?:議決事項|決議事項|開催状況|開催実績|開催|議事|審議事項|活動)\s*$")
_SERIES_PREFIX = re.compile(
    r"^(?:(?:令和|平成|昭和)\s*[\d０-９元]+\s*年度?|\d{4}\s*年度?)?\s*"
    # a month's sitting of a series: １２月民生環境協議会, 7月度協議員会
    r"(?:[\d０-９]{1,2}\s*月度?(?!会))?\s*"
    r"(?:第\s*[\d０-９一二三四五六七八九十]+\s*回)?\s*(?:(?:定例|臨時|定期|通常)(?!会))?")
_SESSION_DAY = re.compile(r"(?:定例会|臨時会)")


def body_of_name(name: str) -> str | None:
    """The body a meeting's own name gives, one for the whole series: ``第3回総務委員会`` →
    総務委員会, ``定例理事会`` → 理事会, ``令和7年第4回糸島市議会定例会(第4日)`` → 糸島市議会,
    ``令和６年第１回定例会01号`` → 本会議 (a session's days are its plenary sittings); None
    when the name names no body (``技術書典7``)."""
    text = tidy(re.split(r"[(（「『【]", name, maxsplit=1)[0]).strip()
    text = text[_SERIES_PREFIX.match(text).end():]
    session = _SESSION_DAY.search(text)
    if session:
        council = text[:session.start()].strip()
        if council.endswith("議会"):
            return council
        return "本会議" if not council or council.endswith("月") else None
    last = None
    for m in BODY_NOUN.finditer(text):
        last = m
    if last is None:
        return None
    # the last of a list's parts (消防団、女性防火クラブ連合会): a body has no comma
    body = re.split(r"[、，,]", text[:last.end()])[-1].strip(" 、・の")
    body = body[_SERIES_PREFIX.match(body).end():].strip()
    return body if len(body) >= 2 else None


# What a council does in plenary (本会議) on the days of its session, and in committee.
_PLENARY = re.compile(r"開会|閉会|散会|質疑|一般質問|代表質問|討論|採決|委員長報告|提案理由|"
                      r"諸報告|上程|施政方針|所信表明|会期の?決定|議長の?選挙|追加提案|本会議")
_COMMITTEE_WORK = re.compile(r"^[\s・]*(?:各?(?:常任|特別)?委員会)(?:審査|審議|開催|$)")


def _sitting(body: tuple[str, ...], summary: str) -> str | None:
    """本会議 or 委員会 for a day of a session's schedule (a path ending in its
    ``9月定例会``): ``開会、提案理由の説明`` and ``一般質問`` are plenary sittings,
    ``委員会審査`` a committee's. None for anything else."""
    if not body or not _SESSION_DAY.search(body[-1]):
        return None
    if _COMMITTEE_WORK.match(summary):
        return "委員会"
    return "本会議" if _PLENARY.search(summary) else None


# A heading that files what follows under a topic, not under whoever holds it: その他,
# 連絡事項, 質疑応答. A meeting under it belongs to the body above it, or to the issuer.
_TOPIC_HEADING = re.compile(r"^\s*(?:その他|連絡事項|報告事項|協議事項|審議事項|議事|質疑応答|要望・?意見|"
                            r"お知らせ|連絡|報告|備考|その他の?報告|その他連絡)\s*$")
# A minutes' heading of who reports: 農業振興組合長からの連絡について, 事務局より報告 — the
# body is the one the speaker speaks for (an officer's title 長 / 担当 / 事務局 left out).
_REPORTED_BY = re.compile(r"^\s*(?P<who>\S{2,20}?)(?:長|担当|事務局|会計)?\s*(?:から|より)の?\s*"
                          r"(?:連絡|報告|説明|お知らせ|提案)(?:事項)?(?:について|に関して)?\s*$")
# What a speaker's body is called: 自治会, 農業振興組合, 総務課 (not 会計 or a person).
_HOLDER = re.compile(BODY_NOUN.pattern + r"$|(?:会|組合|協会|学会|機構|公社|財団|法人|団|部|課|局|室|所|市|町|村|区)$")


def _placed_body(body: tuple[str, ...]) -> tuple[str, ...]:
    """The body path without its topic headings (その他), and a speaker's heading
    (農業振興組合長からの連絡について) as the body spoken for; a speaker who stands for
    no body (会計担当より連絡について) leaves the meeting to the body above, or the issuer."""
    out = []
    for part in body:
        if _TOPIC_HEADING.match(part):
            continue
        if (who := _REPORTED_BY.match(part)) is not None:
            if _HOLDER.search(who["who"]):
                out.append(who["who"])
            continue
        out.append(part)
    return tuple(out)


def _with_name_body(c: Candidate, summary: str) -> tuple[str, ...]:
    placed = _placed_body(c.body) if c.body else c.body
    sitting = _sitting(placed, summary)
    if sitting is not None:
        return (*placed, sitting)
    if c.body_final and (not placed or _BODY_END.search(placed[-1])):
        return placed  # a heading that names a body (ア 幹事会) is the meeting's body
    body = body_of_name(summary)
    if body is None and placed and (heading := _BODY_HEADING.match(placed[-1])):
        body = heading.group(1)  # 理事会議決事項, 幹事会の開催状況: the body the heading is of
    if body is None:
        return placed
    key = _key_text(body)
    if any(_key_text(part).endswith(key) for part in placed):
        return placed
    return (*placed, body)


# What a line says around the name of what is held, when the date opened it:
# (11月26日)にキックオフミーティングを実施 → キックオフミーティング.
_PARTICLE_LEAD = re.compile(r"^(?:には|に|は|の|を)\s*(?=\S{2})")
_HELD_TAIL = re.compile(r"\s*を\s*(?:開催|実施|行い|行う|行った|開き|開く)[^、。]{0,8}$")


def _bare_name(summary: str) -> str:
    """The summary without the particle and the verb around its name."""
    bare = _HELD_TAIL.sub("", _PARTICLE_LEAD.sub("", summary))
    return bare if len(bare) >= 2 else summary


def _draft(c: Candidate, status: Status, warn) -> _Draft | None:
    m = c.match
    if m.span.precision == "day" and m.span.days >= MAX_EVENT_DAYS:
        return None
    if m.span.last_day > LAST_DAY:
        warn("date_out_of_range", c.at,
             msg("extract.date_out_of_range", text=m.text, last=m.span.last_day.isoformat(),
                 limit=LAST_DAY.isoformat()))
        return None
    (start, end), _ = find_times(c.time_text or c.details)
    details = find_times(c.details)[1] if c.loose else c.details
    mode, venue, _ = mode_and_venue(split_segments(details), loose=c.loose)
    if c.mode is not None:
        mode = c.mode
    elif mode is None and _HELD_ONLINE.search(fold(c.name)):
        mode = "online"  # PyCampオンライン相談会, 2020年度オンライン大会: the name says how
    if c.venue:
        venue = c.venue
        mode = mode or "in_person"
    summary = _bare_name(tidy(c.name).strip(" 、。:：")) or (c.body[-1] if c.body else m.text)
    # a postponed meeting is published on the day it moved to, when one is written
    span = status.new_span or m.span
    return _Draft(c, span, summary, mode, venue, start, end, status.status,
                  agenda=[tidy(a) for a in c.agenda], body=_with_name_body(c, summary))


def _repair(d: _Draft, fy: FiscalYear, warn) -> None:
    m = d.candidate.match
    written = d.span
    span, repaired = repair_fiscal_year(written, fy)
    if repaired:
        d.span = span
        warn("out_of_fiscal_year", d.candidate.at,
             msg("extract.out_of_fiscal_year.repaired", text=m.text, written=str(written),
                 fy=fy.label, first=fy.first_day.isoformat(), last=fy.last_day.isoformat(),
                 used=str(span)))
    elif not (fy.contains(span.first_day) and fy.contains(span.last_day)):
        warn("out_of_fiscal_year", d.candidate.at,
             msg("extract.out_of_fiscal_year.kept", text=m.text, written=str(written),
                 fy=fy.label, first=fy.first_day.isoformat(), last=fy.last_day.isoformat()))


class _NameEnds:
    """Meeting names, asked whether a name ends one of them or one of them ends it
    (``第4回事業部会`` and ``事業部会``), in time linear in the name's length: a proper
    suffix of the name is looked up in a set, and the name as a proper suffix of a kept
    one is a prefix of its reversal, found by bisection. A scan of every kept name made
    these checks quadratic where one body meets many times on the same days."""

    __slots__ = ("_names", "_reversed")

    def __init__(self) -> None:
        self._names: set[str] = set()
        self._reversed: list[str] = []  # sorted, no repeats

    def add(self, name: str) -> None:
        if name not in self._names:
            self._names.add(name)
            bisect.insort(self._reversed, name[::-1])

    def ends(self, name: str, *, itself: bool = False) -> bool:
        """Some kept name ends ``name`` or is ended by it; ``itself``: a kept name equal
        to ``name`` counts too."""
        names = self._names
        if any(name[i:] in names for i in range(0 if itself else 1, len(name) + 1)):
            return True
        backwards = name[::-1]
        kept = self._reversed
        i = bisect.bisect_left(kept, backwards)
        if i < len(kept) and kept[i] == backwards:
            i += 1
        return i < len(kept) and kept[i].startswith(backwards)


def _retold(drafts: list[_Draft]) -> list[_Draft]:
    """The drafts without a meeting told again: minutes say the same thing twice
    (今期定例会の会期については、本日から… then 会期については、本日から…), so a later draft
    of the same body and days whose name ends the earlier one's (or the other way round)
    is the same meeting."""
    groups: dict[tuple, list[int]] = {}
    for i, d in enumerate(drafts):
        groups.setdefault((d.body, d.span.first_day, d.span.last_day), []).append(i)
    told_again: set[int] = set()
    for indices in groups.values():
        if len(indices) == 1:
            continue
        kept = _NameEnds()
        for i in indices:
            name = _key_text(drafts[i].summary)
            if kept.ends(name):
                told_again.add(i)
            elif name:
                kept.add(name)
    if not told_again:
        return drafts
    return [d for i, d in enumerate(drafts) if i not in told_again]


def _within_a_day(drafts: list[_Draft]) -> list[_Draft]:
    """The drafts without a month that only dates a meeting written with its day too: a
    minutes header's ``令和６年１２月　民生環境協議会`` above ``開催日時 令和６年１２月１７日``
    is the meeting of the 17th, not a meeting lasting December."""
    months = {(d.body, d.span.first_day.year, d.span.first_day.month) for d in drafts
              if d.span.precision == "month" and d.body}
    if not months:
        return drafts
    # day-precise drafts by (each prefix of their body path, year, month): the day's body
    # may name the series below the month's (民生環境協議会 › １２月民生環境協議会)
    days: dict[tuple, _NameEnds] = {}
    for d in drafts:
        if d.span.precision == "day" and d.span.first_day.month == d.span.last_day.month:
            year, month = d.span.first_day.year, d.span.first_day.month
            for k in range(1, len(d.body) + 1):
                if (d.body[:k], year, month) in months:
                    days.setdefault((d.body[:k], year, month), _NameEnds()).add(
                        _key_text(d.summary))
    out = []
    for d in drafts:
        if d.span.precision == "month" and d.body:
            key = (d.body, d.span.first_day.year, d.span.first_day.month)
            if key in days and days[key].ends(_key_text(d.summary), itself=True):
                continue
        out.append(d)
    return out


def _key(d: _Draft, fy: FiscalYear | None, seen: dict[str, int]) -> None:
    """Give ``d`` its key and the UID of its occurrence among the drafts counted in
    ``seen`` so far (the first occurrence's UID is the key itself: hashed once, not
    twice). :func:`_finish` counts again over the drafts it keeps, and keeps the UID made
    here where the two counts agree (unless a draft was dropped or placed late,
    everywhere)."""
    d.key = event_uid(fy, d.body, d.summary, d.span.first_day)
    d.occurrence = seen[d.key] = seen.get(d.key, 0) + 1
    d.uid = d.key if d.occurrence == 1 else event_uid(fy, d.body, d.summary,
                                                      d.span.first_day, d.occurrence)


def _finish(drafts: list[_Draft], fy: FiscalYear | None, file: str) -> list[Event]:
    seen: dict[str, int] = {}
    events = []
    # a report's meetings share bodies, titles and venues: one object for each value, not
    # one an event, so a big report's events take less memory and pickle in less time
    # (they cross from the worker that read them to the build)
    shared: dict = {}
    one = shared.setdefault
    for d in drafts:
        c = d.candidate
        # repeats are counted by the first UID itself, so "the same meeting" means exactly
        # what event_uid folds together (width and spaces included)
        occurrence = seen[d.key] = seen.get(d.key, 0) + 1
        events.append(Event(
            uid=d.uid if occurrence == d.occurrence
            else event_uid(fy, d.body, d.summary, d.span.first_day, occurrence),
            body=one(d.body, d.body), summary=one(d.summary, d.summary), span=d.span,
            mode=d.mode, venue=one(d.venue, d.venue),
            agenda=tuple(d.agenda), source=Source(file, c.at.line or 0, c.at.page),
            original=c.original,
            start_time=d.start_time, end_time=d.end_time, status=d.status))
    return events


__all__ = ["BODY_NOUN", "LAST_DAY", "Agenda", "Built", "Candidate", "Finding", "NoMeetings", "Undated",
           "build", "event_uid", "find_times", "mode_and_venue", "repair_fiscal_year"]
