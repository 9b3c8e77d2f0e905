"""The calendar's memory: what the previous build in the same folder published, by UID.

A subscribed calendar is only as good as its updates. Calendar clients (Google Calendar,
Outlook, Apple, Thunderbird) decide whether an event they already hold has changed from its
SEQUENCE and LAST-MODIFIED (RFC 5545 §3.8.7.4, §3.8.7.3), so every build compares what it
is about to publish with what the folder published before — ``state.json``, written into
the folder with everything else and swapped in with it:

- an **unchanged** event keeps its CREATED, DTSTAMP, LAST-MODIFIED and SEQUENCE, so the
  same documents rebuilt from any path, with any modification times, give the same bytes;
- a **changed** event — its days, times, status, mode, venue or title (:func:`fingerprint`)
  — gets SEQUENCE + 1 and LAST-MODIFIED (and DTSTAMP) of this build;
- a **new** event starts at SEQUENCE 0, created now;
- a **vanished** event (no longer in the documents) is published once more as
  STATUS:CANCELLED with SEQUENCE + 1, and stays so until its fiscal year (年度) has ended;
  the feed of a body that vanished with it stays too, so no subscriber's link breaks;
- a plan's tentative meeting and the report's confirmed one are one event: identity is
  the UID (fiscal year + body + 第N回, :func:`aical.extract.builder.event_uid`), so
  subscribers see the meeting firm up, not a duplicate.

"Now" is SOURCE_DATE_EPOCH or the clock (:func:`aical.publish.site.build_time`), and is only
ever written for a change: file modification times play no part.

Pure functions over plain data, except :func:`load` (which reads the folder: an edge).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from aical.dates.era import FiscalYear, fiscal_year_of
from aical.model import Event, Source, Span

#: The memory's file, inside the build folder.
STATE_FILE = "state.json"
_FORMAT = "aical-state-1"


@dataclass(frozen=True, slots=True)
class Stamps:
    """What a feed says about one event's history: CREATED, LAST-MODIFIED (= DTSTAMP) and
    SEQUENCE."""

    created: dt.datetime
    last_modified: dt.datetime
    sequence: int = 0


@dataclass(frozen=True, slots=True)
class Remembered:
    """One event as the previous build published it."""

    stamps: Stamps
    fingerprint: tuple
    fiscal_year: int           # start year of its 年度: a vanished event is kept until its end
    event: Event               # as published (status cancelled once vanished)
    vanished: bool = False


@dataclass(frozen=True)
class Memory:
    """Everything remembered: events by UID, and the body paths that had a feed."""

    events: Mapping[str, Remembered] = field(default_factory=dict)
    bodies: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Recall:
    """The outcome of comparing a build with the memory (:func:`remember`).

    ``events``: what the feeds publish, this build's events plus the vanished ones as
    cancelled; ``stamps`` by UID for each of them; ``bodies``: body paths of vanished events
    (and bodies) whose feeds must stay; ``new``, ``changed``, ``removed`` (vanished in this
    build) for the build's report; ``memory``: what to remember next time.
    """

    events: tuple[Event, ...]
    stamps: Mapping[str, Stamps]
    bodies: tuple[tuple[str, ...], ...]
    new: tuple[Event, ...]
    changed: tuple[Event, ...]
    removed: tuple[Event, ...]
    memory: Memory


def fingerprint(event: Event) -> tuple:
    """What makes an event *changed* for its subscribers: days (and how precisely they were
    written), times, status, mode, venue and title. Source file and line, the original text
    and the agenda are left out: they move when a report is re-saved or a line is added
    above, and a client need not re-notify for them."""
    def time(value: dt.time | None) -> str | None:
        return value.isoformat(timespec="minutes") if value is not None else None

    return (event.first_day.isoformat(), event.last_day.isoformat(), event.precision,
            time(event.start_time), time(event.end_time), event.status, event.mode,
            event.venue, event.summary)


def remember(events: Iterable[Event], previous: Memory, *, now: dt.datetime,
             bodies: Iterable[tuple[str, ...]] = ()) -> Recall:
    """Compare this build's ``events`` (and its ``bodies``) with ``previous``.

    ``now`` stamps what is new or changed (timezone-aware; naive is read as UTC)."""
    now = _utc(now).replace(microsecond=0)
    today = now.date()
    published: list[Event] = []
    stamps: dict[str, Stamps] = {}
    kept: dict[str, Remembered] = {}
    new: list[Event] = []
    changed: list[Event] = []
    removed: list[Event] = []
    current = {e.uid for e in events}
    fresh = Stamps(now, now, 0)  # every new event's, one (immutable) object for them all
    for event in events:
        before = previous.events.get(event.uid)
        mark = fingerprint(event)
        if before is None:
            stamp = fresh
            new.append(event)
        elif before.fingerprint != mark:
            stamp = Stamps(before.stamps.created, now, before.stamps.sequence + 1)
            changed.append(event)
        else:
            stamp = before.stamps
        published.append(event)
        stamps[event.uid] = stamp
        kept[event.uid] = Remembered(stamp, mark, _fiscal_year(event), event)
    for uid, before in sorted(previous.events.items()):
        if uid in current or FiscalYear(before.fiscal_year).last_day < today:
            continue  # still written, or its year is over: subscribers need it no more
        if before.vanished:
            gone = before
        else:
            cancelled = replace(before.event, status="cancelled")
            stamp = Stamps(before.stamps.created, now, before.stamps.sequence + 1)
            gone = Remembered(stamp, fingerprint(cancelled), before.fiscal_year, cancelled,
                              vanished=True)
            removed.append(cancelled)
        published.append(gone.event)
        stamps[uid] = gone.stamps
        kept[uid] = gone
    this_build = list(dict.fromkeys([*bodies, *(e.body for e in events)]))
    # a body keeps its feed while any of its events is still remembered
    still = {r.event.body for r in kept.values()}
    extra = tuple(b for b in previous.bodies if b in still and b not in this_build)
    extra += tuple(dict.fromkeys(r.event.body for r in kept.values()
                                 if r.vanished and r.event.body not in this_build
                                 and r.event.body not in extra))
    memory = Memory(kept, tuple(this_build) + extra)
    return Recall(tuple(published), stamps, extra, tuple(new), tuple(changed),
                  tuple(removed), memory)


def latest(stamps: Mapping[str, Stamps], default: dt.datetime) -> dt.datetime:
    """The newest LAST-MODIFIED: when the published calendar last changed (``default``
    when it holds no event)."""
    return max((s.last_modified for s in stamps.values()), default=_utc(default))


def _fiscal_year(event: Event) -> int:
    return fiscal_year_of(event.first_day).start_year


def _utc(stamp: dt.datetime) -> dt.datetime:
    if stamp.tzinfo is None:
        return stamp.replace(tzinfo=dt.timezone.utc)
    return stamp.astimezone(dt.timezone.utc)


# ------------------------------------------------------------------ the file


@functools.lru_cache(maxsize=4096)  # most events of a build share a stamp or a few
def _stamp_text(stamp: dt.datetime) -> str:
    return _utc(stamp).strftime("%Y-%m-%dT%H:%M:%SZ")


def _read_stamp(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)


def to_bytes(memory: Memory) -> bytes:
    """``state.json``: sorted by UID, so the same memory is always the same bytes."""
    return b"".join(to_chunks(memory))


def to_chunks(memory: Memory):
    """:func:`to_bytes` in chunks, each event's record made as it is written."""
    from aical.publish.hygiene import Mapped, json_escaped, line_per_item_json

    def record(item) -> dict:
        uid, r = item
        return {"uid": uid, "created": _stamp_text(r.stamps.created),
                "last_modified": _stamp_text(r.stamps.last_modified),
                "sequence": r.stamps.sequence, "fiscal_year": r.fiscal_year,
                "vanished": r.vanished, "event": r.event.to_json()}

    data = {"format": _FORMAT, "bodies": [list(b) for b in memory.bodies],
            "events": Mapped(sorted(memory.events.items()), record)}
    # kept exactly (a later build compares with it), but nothing invisible is published raw
    for text in line_per_item_json(data):
        yield json_escaped(text).encode("utf-8")


def from_bytes(data: bytes) -> Memory:
    """The memory in ``state.json``; ValueError when it is not one."""
    raw = json.loads(data.decode("utf-8"))
    if not isinstance(raw, dict) or raw.get("format") != _FORMAT:
        raise ValueError("not an aical state file")
    events = {}
    for item in raw["events"]:
        event = _event(item["event"])
        stamps = Stamps(_read_stamp(item["created"]), _read_stamp(item["last_modified"]),
                        int(item["sequence"]))
        events[item["uid"]] = Remembered(stamps, fingerprint(event), int(item["fiscal_year"]),
                                         event, bool(item["vanished"]))
    return Memory(events, tuple(tuple(b) for b in raw["bodies"]))


def load(folder: str | Path) -> Memory:
    """The memory of the build in ``folder``; empty when there is none (a first build) or
    it cannot be read (then every event starts afresh, as on a first build)."""
    path = Path(folder) / STATE_FILE
    try:
        return from_bytes(path.read_bytes())
    except (OSError, ValueError, KeyError, TypeError):
        return Memory()


def _event(data: Mapping) -> Event:
    """An Event from its JSON (:meth:`aical.model.Event.to_json`)."""
    def time(value: str | None) -> dt.time | None:
        return dt.time.fromisoformat(value) if value else None

    source = data.get("source") or {}
    return Event(
        uid=data["uid"], body=tuple(data["body"]), summary=data["summary"],
        span=Span(dt.date.fromisoformat(data["first_day"]),
                  dt.date.fromisoformat(data["last_day"]), data["precision"]),
        mode=data.get("mode"), venue=data.get("venue"), agenda=tuple(data.get("agenda", ())),
        source=Source(source.get("file", ""), int(source.get("line") or 0)),
        original=data.get("original", ""), start_time=time(data.get("start_time")),
        end_time=time(data.get("end_time")), status=data.get("status", "confirmed"))


__all__ = ["STATE_FILE", "Memory", "Recall", "Remembered", "Stamps", "fingerprint",
           "from_bytes", "latest", "load", "remember", "to_bytes"]
