"""Events → iCalendar feeds (RFC 5545, with RFC 7986 calendar properties).

The only module that imports :mod:`icalendar` (inside the functions, so ``aical parse``
never pays for it). Everything else in aical counts days inclusively; the exclusive DTEND
of an all-day iCalendar event is computed here and nowhere else (:func:`exclusive_end`).

A feed is deterministic: events are in model.event_order (days, body, summary, uid), the time
stamps and SEQUENCE are the calendar's memory's (:mod:`aical.publish.state`: unchanged
events keep theirs), and the VTIMEZONE is written out by hand rather than taken from the
machine's tz database.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from aical.model import MODE_LABELS, event_order
from aical.publish import hygiene
from aical.publish.naming import (body_color, clean_quote, css_color_name, range_ja,
                                  short_name)
from aical.publish.state import Stamps

if TYPE_CHECKING:
    from aical.model import Event

PRODID = "-//aical//aical Japanese business-report calendars//JA"

#: Japan has kept JST (UTC+9) without daylight saving since 1952.
TZID = "Asia/Tokyo"


#: Modes whose venue is a place on a map: only these give LOCATION. A 書面開催 period, an
#: online meeting, a bulletin board or a video has no place to map-search; its mode is in
#: DESCRIPTION and CATEGORIES instead.
PLACE_MODES = (None, "in_person", "hybrid")

#: RFC 5545 §3.8.1.11 STATUS of each aical status. iCalendar has no "postponed": such a
#: meeting is not firm (TENTATIVE), on its new day when the text gave one.
ICS_STATUS = {"confirmed": "CONFIRMED", "tentative": "TENTATIVE", "cancelled": "CANCELLED",
              "postponed": "TENTATIVE"}

#: How a status reads in DESCRIPTION and CATEGORIES (confirmed says nothing).
STATUS_LABELS = {"tentative": "予定（日程未確定）", "cancelled": "中止", "postponed": "延期"}

PRECISION_LABELS = {"day": "日", "part_of_month": "旬", "month": "月", "quarter": "四半期",
                    "season": "季節", "year": "年", "fiscal_year": "年度"}

# C0 and C1 controls, DEL, and the characters Python's str.splitlines() treats as line
# breaks (U+2028, U+2029, U+0085, FS/GS/RS): none may survive into a value, where a parser
# could read them as the end of a content line and let the rest inject properties.
_LINE_BREAKS = re.compile("[\r\n\t\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_UNSAFE = re.compile("[\r\n\t\x0b\x0c\x1c-\x1e\x85\u2028\u2029\x00-\x08\x0e-\x1b\x1f"
                     "\x7f-\x84\x86-\x9f\ud800-\udfff]")
_ESCAPE_OCTETS = re.compile(rb"\\.", re.DOTALL)
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def clean_text(text: str) -> str:
    """One line of text safe for an iCalendar value: line breaks and tabs become one space,
    other control characters and lone surrogates are dropped; RFC 5545 §3.3.11 escaping of
    ``\\ ; ,`` is left to the writer (:func:`_text`)."""
    text = hygiene.clean(text)
    if not _UNSAFE.search(text):
        return text.strip()  # the common case: one scan instead of three
    text = _LINE_BREAKS.sub(" ", text)
    text = _CONTROLS.sub("", text)
    return _SURROGATES.sub("\ufffd", text).strip()


def fold(line: str, limit: int = 75) -> str:
    """One content line folded per RFC 5545 §3.1: physical lines of at most ``limit``
    octets (a continuation's leading space included), CRLF + space between them, never
    inside a UTF-8 character nor inside a backslash escape such as ``\\,`` or ``\\\\``
    (RFC 5545 allows that split, but clients that unescape before unfolding garble it,
    and icalendar's own folder makes it for runs of backslashes). Each line is as long as
    those rules allow (greedy), so ``limit`` must leave room for one escape of a 4-octet
    character (≥ 6)."""
    if len(line) * 4 <= limit:
        return line
    data = line.encode("utf-8")
    if len(data) <= limit:
        return line
    # Escapes pair backslashes from the left; a cut just after an escaping backslash
    # would part it from the character it escapes.
    escaped = ({m.start() + 1 for m in _ESCAPE_OCTETS.finditer(data)}
               if b"\\" in data else ())
    pieces: list[bytes] = []
    start, room = 0, limit
    while len(data) - start > room:
        cut = start + room
        while 0x80 <= data[cut] < 0xC0:  # a UTF-8 continuation octet
            cut -= 1
        if cut in escaped:
            cut -= 1
        pieces.append(data[start:cut])
        start, room = cut, limit - 1
    pieces.append(data[start:])
    return b"\r\n ".join(pieces).decode("utf-8")


def exclusive_end(span) -> dt.date:
    """DTEND of an all-day event: the day *after* the inclusive ``span.last_day``
    (RFC 5545 §3.6.1: DTEND is non-inclusive). The one place aical converts."""
    return span.last_day + dt.timedelta(days=1)


def _utc(stamp: dt.datetime) -> dt.datetime:
    """``stamp`` in UTC (a naive stamp is taken as UTC, as SOURCE_DATE_EPOCH is)."""
    if stamp.tzinfo is None:
        return stamp.replace(tzinfo=dt.timezone.utc)
    return stamp.astimezone(dt.timezone.utc)


def _description(event: Event, body_line: str | None = None) -> str:
    """DESCRIPTION of one event: body path, days, mode, agenda, source and original text,
    one item a line (the serialiser writes the newlines as ``\\n``). ``body_line`` is the
    first line when the caller has made it for the body already (:func:`_body_facts`)."""
    lines = [body_line or _body_line(event.body)]
    # as a Japanese notice writes them, with weekdays: 2020年4月30日（木）～5月8日（金）
    days = range_ja(event.first_day, event.last_day, event.precision)
    if event.precision != "day":
        days += f"（{PRECISION_LABELS.get(event.precision, event.precision)}単位の記載）"
    lines.append(f"期間: {days}")
    if event.start_time is not None:
        times = event.start_time.strftime("%H:%M")
        if event.end_time is not None:
            times += f"～{event.end_time.strftime('%H:%M')}"
        lines.append(f"時刻: {times}（日本時間）")
    if event.status in STATUS_LABELS:
        lines.append(f"状況: {STATUS_LABELS[event.status]}")
    if event.mode:
        lines.append(f"開催方法: {MODE_LABELS.get(event.mode, event.mode)}")
    if event.venue:
        lines.append(f"会場: {clean_text(event.venue)}")
    if event.agenda:
        lines.append("議題:")
        lines.extend(f"・{clean_text(item)}" for item in event.agenda)
    if event.source.file:
        lines.append(f"出典: {clean_text(str(event.source))}")
    if event.original:
        lines.append(f"原文: {clean_text(clean_quote(event.original))}")
    return "\n".join(lines)


def _body_line(body: tuple[str, ...]) -> str:
    return f"主体: {' / '.join(clean_text(p) for p in body)}"


def _body_facts(body: tuple[str, ...]) -> tuple[str, str, str | None, str]:
    """What every VEVENT of one body repeats: its short name as a label, that label
    cleaned, the CSS name of its colour, and its DESCRIPTION's first line. A feed makes
    them once per body (:func:`feed_chunks`), not once per event."""
    label = short_name(body)
    return (label, clean_text(label) if label else "", css_color_name(body_color(body)),
            _body_line(body))


def _location(event: Event) -> str | None:
    """LOCATION holds only a place: the venue of a meeting held in a room."""
    if event.venue and event.mode in PLACE_MODES:
        return clean_text(event.venue) or None
    return None


def _vtimezone():
    """VTIMEZONE for Asia/Tokyo (RFC 5545 §3.6.5): JST, UTC+9, no daylight saving.

    Written by hand, not derived from the local tz database, so every machine writes the
    same bytes. Valid for any date from 1952 on."""
    from icalendar import Timezone, TimezoneStandard

    standard = TimezoneStandard()
    standard.add("dtstart", dt.datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", dt.timedelta(hours=9))
    standard.add("tzoffsetto", dt.timedelta(hours=9))
    standard.add("tzname", "JST")
    zone = Timezone()
    zone.add("tzid", TZID)
    zone.add_component(standard)
    return zone


def feed_bytes(events: Sequence[Event], **options) -> bytes:
    """One iCalendar feed as bytes: :func:`feed_chunks` joined."""
    return b"".join(feed_chunks(events, **options))


def feed_chunks(
    events: Sequence[Event],
    *,
    name: str,
    description: str,
    color: str,
    stamp: dt.datetime,
    prefix_summaries: bool = False,
    refresh: str = "P1D",
    stamps: Mapping[str, Stamps] | None = None,
    event_url=None,
    batch: int = 500,
    shared: dict | None = None,
):
    """One iCalendar feed (RFC 5545 VCALENDAR, METHOD:PUBLISH) for ``events``, as chunks of
    bytes (``batch`` events each), so that all.ics of a big build is never whole in memory.

    - ``name`` → NAME and X-WR-CALNAME; ``description`` → DESCRIPTION and X-WR-CALDESC
      (RFC 7986 §5.1, §5.2, and the de-facto X-WR- forms older clients read).
    - ``color`` is ``#rrggbb`` (normally :func:`aical.publish.naming.body_color`). RFC 7986 §5.9
      COLOR takes a CSS3 colour *name*, so the palette consists of CSS3 named colours and
      COLOR carries the name (``teal``) while X-APPLE-CALENDAR-COLOR carries the same colour
      as ``#RRGGBB`` for Apple and Thunderbird; the HTML uses the hex. A CSS3 name may be
      passed instead of hex; a hex outside the palette is written to
      X-APPLE-CALENDAR-COLOR only.
    - ``stamps`` gives each event's CREATED, LAST-MODIFIED (= DTSTAMP) and SEQUENCE by UID,
      from the calendar's memory (:mod:`aical.publish.state`); an event it does not name
      gets ``stamp`` for all three times and SEQUENCE 0.
    - ``prefix_summaries`` puts the body's short name before each SUMMARY
      (``[CALS/EC 事業部会] 第4回事業部会``), for all.ics.
    - ``refresh`` is an RFC 5545 duration for REFRESH-INTERVAL;VALUE=DURATION (RFC 7986
      §5.7) and X-PUBLISHED-TTL.
    - ``event_url``: a function from an event to its URL on the published page (URL,
      RFC 5545 §3.8.4.6), or None for no URL.
    - ``shared``: a dict shared by feeds made with the same ``stamps`` and ``event_url``
      (all.ics and each body's feed): a VEVENT's lines after its SUMMARY are the same in
      both, so the first feed to make them leaves them there and the second takes them.

    All-day events get DTSTART;VALUE=DATE and an exclusive DTEND;VALUE=DATE
    (:func:`exclusive_end`); a multi-day span is one VEVENT. Events with a written time are
    local times with TZID=Asia/Tokyo. Every feed carries the Asia/Tokyo VTIMEZONE, so a feed
    with no events still holds the one component RFC 5545 §3.6 requires. Output is UTF-8
    without BOM, CRLF line ends, folded at 75 octets by :func:`fold` (never inside a
    character or a backslash escape).
    """
    duration = _duration(refresh)
    fresh = Stamps(_utc(stamp), _utc(stamp), 0)
    stamps = stamps or {}
    name, description = _text(clean_text(name)), _text(clean_text(description))
    # icalendar's order, kept so the bytes stay what aical wrote before: its canonical
    # calendar properties first, then the rest alphabetically
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:" + _text(PRODID),
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "DESCRIPTION:" + description,
             "X-WR-CALDESC:" + description, "NAME:" + name, "X-WR-CALNAME:" + name]
    apple = None
    if _HEX.match(color):
        color_name = css_color_name(color)
        if color_name:
            lines.append("COLOR:" + _text(color_name))
        apple = color.upper()
    elif re.fullmatch(r"[a-zA-Z]+", color):
        lines.append("COLOR:" + color.lower())
    lines.append("REFRESH-INTERVAL;VALUE=DURATION:" + duration)
    if apple:
        lines.append("X-APPLE-CALENDAR-COLOR:" + apple)
    lines.append("X-PUBLISHED-TTL:" + duration)
    lines = [fold(line) for line in lines]
    lines.extend(_vtimezone_lines())
    head = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    bodies: dict[tuple[str, ...], tuple] = {}  # _body_facts, once per body of the feed
    pieces = [head]
    for number, event in enumerate(sorted(events, key=event_order), 1):
        facts = bodies.get(event.body)
        if facts is None:
            facts = bodies[event.body] = _body_facts(event.body)
        made = shared.pop(event.uid, None) if shared is not None else None
        if made is not None and made[0] is event:
            rest = made[1]
        else:
            rest = ("\r\n".join(_vevent_rest(
                event, stamps.get(event.uid, fresh), event_url(event) if event_url else None,
                facts)) + "\r\n").encode("utf-8")
            if shared is not None:
                shared[event.uid] = (event, rest)
        pieces.append(_vevent_head(event, prefix_summaries, facts))
        pieces.append(rest)
        if number % batch == 0:
            yield b"".join(pieces)
            pieces = []
    pieces.append(b"END:VCALENDAR\r\n")
    yield b"".join(pieces)


def _uri(url: str) -> str:
    """A URI value as it is (RFC 5545 §3.3.13 has no escaping), without anything that could
    end the content line."""
    return _CONTROLS.sub("", _LINE_BREAKS.sub("", url))


@functools.cache
def _vtimezone_lines() -> tuple[str, ...]:
    """The folded lines of :func:`_vtimezone`: the same in every feed, made once."""
    return tuple(fold(line) for line in _vtimezone().content_lines(sorted=True) if line)


@functools.cache
def _duration(refresh: str) -> str:
    """An RFC 5545 duration as icalendar normalises it (``PT24H`` → ``P1D``); a malformed
    one raises ValueError."""
    from icalendar import vDuration

    return vDuration(vDuration.from_ical(refresh)).to_ical().decode("ascii")


def _text(value: str) -> str:
    """An iCalendar TEXT value: cleaned by the shared hygiene, escaped by RFC 5545 §3.3.11
    exactly (:func:`aical.publish.hygiene.ical_escape`; icalendar's own escaping turns a
    written ``\\N`` into a line break)."""
    return hygiene.ical_escape(hygiene.clean(value))


@functools.lru_cache(maxsize=4096)  # most events of a build share a stamp or a few
def _stamp(stamp: dt.datetime) -> str:
    """A UTC DATE-TIME (RFC 5545 §3.3.5 form 2), to the second."""
    stamp = _utc(stamp)
    return (f"{stamp.year:04}{stamp.month:02}{stamp.day:02}"
            f"T{stamp.hour:02}{stamp.minute:02}{stamp.second:02}Z")


def _local(moment: dt.datetime) -> str:
    """A local DATE-TIME in Asia/Tokyo, written with its TZID (RFC 5545 §3.3.5 form 3)."""
    return (f";TZID={TZID}:{moment.year:04}{moment.month:02}{moment.day:02}"
            f"T{moment.hour:02}{moment.minute:02}{moment.second:02}")


@functools.lru_cache(maxsize=4096)  # a feed's meetings share a few hundred days
def _date(day: dt.date) -> str:
    return f";VALUE=DATE:{day.year:04}{day.month:02}{day.day:02}"


def _times(event: Event) -> tuple[str, str | None]:
    """DTSTART and DTEND (after the property name): all-day dates with an exclusive end,
    or local times in Asia/Tokyo where the report wrote a time."""
    if event.start_time is None:
        return _date(event.first_day), _date(exclusive_end(event.span))
    start = dt.datetime.combine(event.first_day, event.start_time)
    end = None
    if event.end_time is not None:
        end = dt.datetime.combine(event.last_day, event.end_time)
    if (end is None or end <= start) and event.last_day > event.first_day:
        # A start time without a usable end on a multi-day span: run to the end of its
        # last day rather than invent a duration.
        end = dt.datetime.combine(exclusive_end(event.span), dt.time())
    # Otherwise RFC 5545 §3.6.1: a DATE-TIME DTSTART without DTEND ends when it starts.
    return _local(start), (_local(end) if end is not None and end > start else None)


def _summary_line(event: Event, prefix_summaries: bool, facts: tuple) -> str:
    label, clean_label = facts[0], facts[1]
    summary = clean_text(event.summary)
    if prefix_summaries and label:
        summary = f"[{clean_label}] {summary}"
    return fold("SUMMARY:" + _text(summary))


def _vevent_head(event: Event, prefix_summaries: bool, facts: tuple) -> bytes:
    """BEGIN:VEVENT and SUMMARY, the lines in which all.ics differs from a body's feed."""
    return f"BEGIN:VEVENT\r\n{_summary_line(event, prefix_summaries, facts)}\r\n".encode("utf-8")


@functools.lru_cache(maxsize=1 << 14)  # a body's meetings share one or a few
def _categories_line(mode: str | None, status: str, label: str) -> str | None:
    """The folded CATEGORIES line of a meeting held in ``mode`` with ``status``, of the
    body labelled ``label`` (cleaned; "" for none), or None when it has none."""
    categories = [MODE_LABELS.get(mode, mode)] if mode else []
    if status in STATUS_LABELS:
        categories.append(STATUS_LABELS[status])
    if label:
        categories.append(label)
    if not categories:
        return None
    # a list of TEXT values (RFC 5545 §3.8.1.2), each escaped on its own
    return fold("CATEGORIES:" + ",".join(_text(c) for c in categories))


def _vevent_rest(event: Event, stamp: Stamps, url: str | None, facts: tuple) -> list[str]:
    """The folded lines of a VEVENT after its SUMMARY, up to END:VEVENT."""
    _, clean_label, color, body_line = facts  # the label itself is for SUMMARY
    start, end = _times(event)
    # DTSTAMP is LAST-MODIFIED: with METHOD:PUBLISH it says when this version was made
    # (RFC 5545 §3.8.7.2), and it must not move while the event does not
    modified = _stamp(stamp.last_modified)
    # the dates, stamps, SEQUENCE, STATUS and TRANSP lines are short ASCII: only the
    # others can need folding
    lines = ["DTSTART" + start]
    if end is not None:
        lines.append("DTEND" + end)
    lines += ["DTSTAMP:" + modified, fold("UID:" + _text(clean_text(event.uid))),
              f"SEQUENCE:{int(stamp.sequence)}"]
    categories = _categories_line(event.mode, event.status, clean_label)
    if categories:
        lines.append(categories)
    if color:
        lines.append(fold("COLOR:" + _text(color)))
    lines += ["CREATED:" + _stamp(stamp.created),
              fold("DESCRIPTION:" + _text(_description(event, body_line))),
              "LAST-MODIFIED:" + modified]
    location = _location(event)
    if location:
        lines.append(fold("LOCATION:" + _text(location)))
    lines.append("STATUS:" + ICS_STATUS.get(event.status, "CONFIRMED"))
    # A 書面開催 period, a date known only to the month, or a cancelled meeting does not
    # fill anyone's days.
    busy = (event.mode != "written" and event.precision == "day"
            and event.status != "cancelled")
    lines.append("TRANSP:" + ("OPAQUE" if busy else "TRANSPARENT"))
    if url:  # RFC 5545 §3.8.4.6: the event's place on the published page
        lines.append(fold("URL;VALUE=URI:" + _uri(url)))
    lines.append("END:VEVENT")
    return lines
