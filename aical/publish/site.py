"""The build: reports → one publishable folder, written atomically.

    inputs ──aical.reports.read_inputs──▶ reports ──render_site (pure)──▶ {path: bytes} ──write_site──▶ DIR

The folder holds ``bodies/<slug>.ics`` (one feed per body), ``all.ics``, a page per fiscal
year (``fy2020.html``) with ``index.html`` showing the newest, ``events.json``,
``events.csv`` and ``manifest.json``. :func:`write_site` builds the folder beside its target
and swaps it in, so a failed or killed build leaves the previous output exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import os

import shutil
import sys
import tempfile
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aical.config import BodyConfig, Config  # settings live in aical/config.py
from aical.dates.era import FiscalYear, fiscal_year_of
from aical.errors import InputError
from aical.messages import msg
from aical.model import Body, Event, Warning
from aical.publish.state import Memory

if TYPE_CHECKING:
    from aical.reports import Input



@dataclass(frozen=True)
class Site:
    """A whole build in memory: every file's bytes by relative path, and what it holds."""

    files: Mapping[str, bytes]
    fiscal_years: tuple[FiscalYear, ...]
    bodies: tuple[Body, ...]
    events: tuple[Event, ...]
    warnings: tuple[Warning, ...]
    #: against the previous build in the folder (:mod:`aical.publish.state`): events new,
    #: changed, and removed from the documents (kept in their feeds as cancelled)
    new: tuple[Event, ...] = ()
    changed: tuple[Event, ...] = ()
    removed: tuple[Event, ...] = ()


# ------------------------------------------------------------------ settings (an edge)



def build_time() -> dt.datetime:
    """"Now" for what changes in this build: SOURCE_DATE_EPOCH, else the clock. Never a
    file's modification time: re-downloading the same PDF must not mark every meeting as
    modified. Unchanged events keep their time stamps (:mod:`aical.publish.state`)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


# ------------------------------------------------------------------ rendering (pure)


def _merge(inputs: Sequence[Input]) -> tuple[list[Body], list[Event], list[Warning]]:
    """Bodies, events and warnings of all inputs; an event read twice (the same report as
    text and as PDF) is kept once, with a warning."""
    bodies: dict[tuple[str, ...], Body] = {}
    events: dict[str, Event] = {}
    warnings: list[Warning] = []
    for item in inputs:
        warnings.extend(item.report.warnings)
        for body in item.report.bodies:
            bodies.setdefault(body.path, body)
        for event in item.report.events:
            bodies.setdefault(event.body, Body(event.body))
            if event.uid in events:
                first = events[event.uid].source
                warnings.append(Warning(
                    "duplicate_event",
                    msg("site.duplicate_event", summary=event.summary, span=str(event.span),
                        where=str(first)),
                    event.source.file, event.source.line, event.source.page))
                continue
            events[event.uid] = event
    # bodies in the order the reports introduce them, as a reader meets them
    return list(bodies.values()), list(events.values()), warnings


def render_site(inputs: Sequence[Input], *, config: Config = Config(),
                stamp: dt.datetime, week_start: int = 6, memory: Memory | None = None) -> Site:
    """Every file of the build, as bytes by relative path. Pure: the same inputs and
    ``memory`` (the previous build's, :func:`aical.publish.state.load`) give the same
    bytes. ``stamp`` is "now" (:func:`build_time`), written only for what is new or changed
    against ``memory``."""
    from aical.publish import html, ics, naming, opendata, state

    bodies, events, warnings = _merge(inputs)
    recall = state.remember(events, memory or Memory(), now=stamp,
                            bodies=[b.path for b in bodies])
    years = sorted({i.report.fiscal_year for i in inputs if i.report.fiscal_year}
                   | {fiscal_year_of(e.first_day) for e in events if not _in_any(e, inputs)})
    paths = [b.path for b in bodies]
    # bodies no longer written keep their feed (their events cancelled) for subscribers
    feeds = paths + list(recall.bodies)
    slugs = naming.body_slugs(feeds, {p: c.slug for p, c in config.bodies.items() if c.slug})
    names = {p: (config.bodies.get(p) or BodyConfig()).short_name or naming.short_name(p)
             for p in feeds}
    # distinct within each parent group: the rows of one group are compared side by side
    derived = naming.sibling_colors(feeds)
    colors = {p: (config.bodies.get(p) or BodyConfig()).color or derived[p] for p in feeds}
    by_body: dict[tuple[str, ...], list[Event]] = {p: [] for p in feeds}
    for event in events:
        by_body[event.body].append(event)
    in_feeds: dict[tuple[str, ...], list[Event]] = {p: list(by_body[p]) for p in feeds}
    for event in recall.events[len(events):]:  # the vanished, published as cancelled
        in_feeds[event.body].append(event)

    base = config.base_url.rstrip("/")
    pages = {y: f"fy{y.start_year}.html" for y in years}

    def event_url(event: Event) -> str | None:
        # the event's row on its fiscal year's page (anchors depend on the UID alone)
        page = pages.get(fiscal_year_of(event.first_day))
        return f"{base}/{page}#{naming.event_anchor(event.uid)}" if base and page else None

    described = "、".join(sorted({i.name.rsplit("/", 1)[-1] for i in inputs}))
    span_label = "・".join(y.label for y in years)
    files: dict[str, bytes] = {}
    memo: dict = {}  # each event is serialised once, for its body's feed and all.ics
    for path in feeds:
        files[f"bodies/{slugs[path]}.ics"] = ics.feed_bytes(
            in_feeds[path], name=names[path], color=colors[path], stamp=stamp, memo=memo,
            stamps=recall.stamps, event_url=event_url,
            description=f"{' / '.join(path)}（{span_label}）出典：{described}")
    files["all.ics"] = ics.feed_bytes(
        recall.events, name=config.title, color="#1f4e79", stamp=stamp,
        prefix_summaries=True, memo=memo, stamps=recall.stamps, event_url=event_url,
        description=f"{config.title}：すべての会議体（{span_label}）出典：{described}")

    def urls(relative: str) -> tuple[str, str | None]:
        if not base:
            return relative, None
        https = f"{base}/{relative}"
        return https, "webcal://" + https.split("://", 1)[-1]

    legend = [html.LegendEntry(p, names[p], colors[p], len(by_body[p]),
                               *urls(f"bodies/{slugs[p]}.ics")) for p in paths]
    # 発行日: the day (in Japan) the published calendar last changed (the newest
    # LAST-MODIFIED), so the same documents rebuilt later give the same page
    changed = state.latest(recall.stamps, stamp)
    issued = (changed.astimezone(dt.timezone(dt.timedelta(hours=9))).date()
              if changed.tzinfo else changed.date())
    for year in years:
        links = [html.YearLink(y.label, pages[y], y == year) for y in years]
        files[pages[year]] = html.render_year_page(
            events, fiscal_year_start=year.start_year, title=f"{config.title} {year.label}",
            bodies=legend, week_start=week_start, year_links=links,
            all_feed=urls("all.ics"), organisation=config.organisation, issued=issued,
            page_url=f"{base}/{pages[year]}" if base else None,
        ).encode("utf-8")
    if years:
        files["index.html"] = files[pages[years[-1]]]

    files["events.json"] = opendata.events_json(events, warnings)
    files["events.csv"] = opendata.events_csv(
        events, names=names, organisation=config.organisation,
        municipality_code=config.municipality_code, prefecture=config.prefecture,
        municipality=config.municipality, url=f"{base}/index.html" if base else "")
    manifest = {
        "generator": "aical",
        "title": config.title,
        # when the published calendar last changed, so an unchanged rebuild is unchanged
        "generated_at": state.latest(recall.stamps, stamp).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "fiscal_years": [{"start_year": y.start_year, "label": y.label, "short": y.short,
                          "first_day": y.first_day.isoformat(),
                          "last_day": y.last_day.isoformat()} for y in years],
        "sources": [{"file": i.name, "encoding": i.encoding, "sha256": i.sha256,
                     "fiscal_year": i.report.fiscal_year.start_year
                     if i.report.fiscal_year else None,
                     "events": len(i.report.events)} for i in inputs],
        "bodies": [{"name": names[p], "path": list(p), "slug": slugs[p],
                    "feed": f"bodies/{slugs[p]}.ics", "color": colors[p],
                    "events": len(by_body[p])} for p in feeds],
        "all_feed": "all.ics",
        "pages": {str(y.start_year): pages[y] for y in years},
        "index": "index.html" if years else None,
        "events_json": "events.json",
        "events_csv": "events.csv",
        "events": len(events),
        "state": state.STATE_FILE,
        "warnings": [w.to_json() for w in warnings],
    }
    files["manifest.json"] = (json.dumps(manifest, ensure_ascii=False, indent=2)
                              + "\n").encode("utf-8")
    files[state.STATE_FILE] = state.to_bytes(recall.memory)
    return Site(files, tuple(years), tuple(bodies), tuple(events), tuple(warnings),
                recall.new, recall.changed, recall.removed)


def _in_any(event: Event, inputs: Sequence[Input]) -> bool:
    return any(i.report.fiscal_year and i.report.fiscal_year.contains(event.first_day)
               for i in inputs)


# ------------------------------------------------------------------ writing (an edge)


@contextmanager
def _locked(lock_path: Path):
    """One build at a time per output folder (a second one waits)."""
    import fcntl

    with open(lock_path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _safe_relative(relative: str) -> Path:
    path = Path(relative)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"refusing to write outside the build folder: {relative!r}")
    return path


def _exchange(new: Path, old: Path) -> bool:
    """Swap two folders in one step (Linux ``renameat2`` with ``RENAME_EXCHANGE``), so there
    is no moment without ``old``'s name; False where the system or file system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes
    import errno

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # glibc before 2.28, or another libc
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    at_cwd, rename_exchange = -100, 2
    if renameat2(at_cwd, os.fsencode(new), at_cwd, os.fsencode(old), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(old))


def _recover(out: Path) -> None:
    """Put back a previous build that a killed build had moved aside but not replaced (the
    moment between the two renames where the system cannot exchange folders)."""
    if out.exists():
        return
    for retired in sorted(out.parent.glob(f".{out.name}.old-tmp*")):
        previous = retired / "previous"
        if (previous / "manifest.json").is_file():
            os.rename(previous, out)
            return


def write_site(files: Mapping[str, bytes], out: str | Path) -> None:
    """Write ``files`` as the folder ``out``, atomically: into a new folder beside it, then
    swapped in (one exchange where Linux allows, else two renames, undone on failure). A
    failure or a kill leaves ``out`` as it was; the next build sweeps what a kill left."""
    out = Path(out)
    parent = out.parent
    parent.mkdir(parents=True, exist_ok=True)
    if out.exists() and not out.is_dir():
        raise InputError(str(out), msg("site.out_not_folder"), hint=msg("site.hint_other_out"))
    if out.is_dir() and any(out.iterdir()) and not (out / "manifest.json").is_file():
        raise InputError(str(out), msg("site.out_not_ours"), hint=msg("site.hint_new_out"))
    with _locked(parent / f".{out.name}.lock"):
        _recover(out)
        for stale in parent.glob(f".{out.name}.*-tmp*"):
            shutil.rmtree(stale, ignore_errors=True)  # left by a build that was killed
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-tmp", dir=parent))
        retired: Path | None = None
        try:
            for relative, data in sorted(files.items()):
                target = staging / _safe_relative(relative)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            os.chmod(staging, 0o755)
            if not out.exists():
                os.rename(staging, out)
            elif not _exchange(staging, out):  # after an exchange, staging holds the old
                retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-tmp", dir=parent))
                os.rename(out, retired / "previous")
                try:
                    os.rename(staging, out)
                except BaseException:
                    os.rename(retired / "previous", out)
                    raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            # never delete a previous build that could not be put back (_recover will)
            if retired is not None and (out.exists() or not (retired / "previous").exists()):
                shutil.rmtree(retired, ignore_errors=True)
