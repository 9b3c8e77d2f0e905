"""The build: reports → one publishable folder, written atomically.

    inputs ──aical.reports.read_inputs──▶ reports ──render_site (pure)──▶ {path: bytes} ──write_site──▶ DIR

The folder holds ``bodies/<slug>.ics`` (one feed per body), ``all.ics``, a page per fiscal
year (``fy2020.html``) with ``index.html`` showing the newest, ``events.json``,
``events.csv`` and ``manifest.json``. :func:`write_site` builds the folder beside its target
and swaps it in, so a failed or killed build leaves the previous output exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import functools
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
from aical.publish.hygiene import shown_name



@dataclass(frozen=True)
class Site:
    """A whole build in memory: every file's bytes by relative path, and what it holds."""

    files: Mapping[str, bytes]  # a Files: each file made when it is read
    fiscal_years: tuple[FiscalYear, ...]
    bodies: tuple[Body, ...]
    events: tuple[Event, ...]
    warnings: tuple[Warning, ...]
    #: against the previous build in the folder (:mod:`aical.publish.state`): events new,
    #: changed, and removed from the documents (kept in their feeds as cancelled)
    new: tuple[Event, ...] = ()
    changed: tuple[Event, ...] = ()
    removed: tuple[Event, ...] = ()


class Files(Mapping):
    """A build's files by relative path, each made when it is read and never kept: the
    build of a 45 MB report is about 1.4 GB of output, so :func:`write_site` streams one
    file at a time, in chunks, instead of holding them all.

    A file is given as bytes, or as a function returning an iterable of bytes chunks
    (:meth:`chunks`); reading ``files[path]`` joins them. :meth:`alias` names a file that
    has the same bytes as another (index.html is the newest year's page), made once."""

    def __init__(self) -> None:
        self._makers: dict[str, object] = {}
        self._aliases: dict[str, str] = {}
        self._apart: set[str] = set()
        self._last: tuple[object, bytes] | None = None

    def add(self, path: str, data, *, apart: bool = False) -> None:
        """``apart``: a file worth making in a second process while the others are
        written (:func:`_stage`), as the page is."""
        self._makers[path] = data
        if apart:
            self._apart.add(path)

    def apart(self, path: str) -> bool:
        return path in self._apart

    def alias(self, path: str, same_as: str) -> None:
        self._makers[path] = self._makers[same_as]
        self._aliases[path] = same_as

    def same_as(self, path: str) -> str | None:
        """The file ``path`` repeats, or None."""
        return self._aliases.get(path)

    def chunks(self, path: str):
        """The bytes of ``path`` as an iterable of chunks."""
        maker = self._makers[path]
        return (maker,) if isinstance(maker, bytes) else maker()

    def __getitem__(self, path: str) -> bytes:
        maker = self._makers[path]
        if isinstance(maker, bytes):
            return maker
        if self._last is None or self._last[0] is not maker:  # one file remembered
            self._last = None
            self._last = (maker, b"".join(maker()))
        return self._last[1]

    def __iter__(self):
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)

    def __contains__(self, path) -> bool:
        return path in self._makers


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
    from aical.publish import html, hygiene, ics, naming, opendata, state

    bodies, events, warnings = _merge(inputs)
    recall = state.remember(events, memory or Memory(), now=stamp,
                            bodies=[b.path for b in bodies])
    # the reports' years and those of the days their events start on (a day is in a
    # report's year exactly when its year is that one); a few hundred days, not every event
    years = sorted({i.report.fiscal_year for i in inputs if i.report.fiscal_year}
                   | set(map(fiscal_year_of, {e.first_day for e in events})))
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

    def sources(names) -> str:
        return "、".join(sorted({name.rsplit("/", 1)[-1] for name in names}))

    # all.ics names every input once; a body's feed names only the files its events come
    # from (or none), so the output stays linear in events and bodies: naming every input
    # in every feed made 4,000 small reports (0.9 MB) into 418 MB of feeds
    described = sources(i.name for i in inputs)
    span_label = "・".join(y.label for y in years)
    # every file is made when it is written, one at a time (see Files)
    files = Files()
    # an event's VEVENT differs between all.ics and its body's feed in SUMMARY alone: the
    # rest is made once, for whichever of the two is written first (ics.feed_chunks)
    shared: dict = {}
    for path in feeds:
        own = sources(e.source.file for e in in_feeds[path])
        files.add(f"bodies/{slugs[path]}.ics", functools.partial(
            ics.feed_chunks, in_feeds[path], name=names[path], color=colors[path],
            stamp=stamp, stamps=recall.stamps, event_url=event_url, shared=shared,
            description=f"{' / '.join(path)}（{span_label}）" + (f"出典：{own}" if own else "")))
    files.add("all.ics", functools.partial(
        ics.feed_chunks, recall.events, name=config.title, color="#1f4e79", stamp=stamp,
        prefix_summaries=True, stamps=recall.stamps, event_url=event_url, shared=shared,
        description=f"{config.title}：すべての会議体（{span_label}）出典：{described}"))

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
        files.add(pages[year], functools.partial(
            html.year_page_chunks, events, fiscal_year_start=year.start_year,
            title=f"{config.title} {year.label}", bodies=legend, week_start=week_start,
            year_links=links, all_feed=urls("all.ics"), organisation=config.organisation,
            issued=issued, page_url=f"{base}/{pages[year]}" if base else None), apart=True)
    if years:
        files.alias("index.html", pages[years[-1]])

    files.add("events.json", functools.partial(opendata.events_json_chunks, events, warnings),
              apart=True)
    files.add("events.csv", functools.partial(
        opendata.events_csv_chunks, events, names=names, organisation=config.organisation,
        municipality_code=config.municipality_code, prefecture=config.prefecture,
        municipality=config.municipality, url=f"{base}/index.html" if base else ""))
    manifest = {
        "generator": GENERATOR,
        "format": MANIFEST_FORMAT,
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
    # the pages, events.json and the manifest are made in a second process (_stage) while
    # this one makes the feeds, the CSV and state.json: about half the work each for a big
    # report (45 MB: given state.json too, the second process ended 15 s after this one;
    # while this one also wrote the manifest and copied the page, it ended 6 s before)
    files.add("manifest.json", functools.partial(hygiene.json_chunks, manifest), apart=True)
    files.add(state.STATE_FILE, functools.partial(state.to_chunks, recall.memory))
    return Site(files, tuple(years), tuple(bodies), tuple(events), tuple(warnings),
                recall.new, recall.changed, recall.removed)


# ------------------------------------------------------------------ writing (an edge)
#
# Safety rules of the writer (README, "Limits and failure"):
#
# - A folder is aical's only when its manifest.json says so (``generator`` "aical" and a
#   ``format`` aical writes). Anything else non-empty is never replaced, and neither is
#   ``/``, the home folder, the current folder, a folder holding one of them, or a folder
#   that is or holds an input.
# - Everything a build keeps beside its output lives in one hidden work folder named after
#   that exact output, ``.<out>.aical-work/`` (the lock, the staging folder, a retired
#   previous build). Old staging is found by listing that folder, never by a glob, so a
#   build of ``pub`` cannot touch ``pub.preview``'s, and ``cal[1]`` or ``*`` mean nothing.
# - The staging folder is never recreated: if it vanishes the build fails.
# - A symlinked --out is written at the link's target; the link stays.
# - A mount point cannot be renamed (EBUSY), so it is refused before anything is built,
#   with a message to build into a folder inside it.

#: What the manifest says to claim a folder as aical's. ``format`` changes only when the
#: folder's layout does; every format listed in _KNOWN_FORMATS may be replaced.
GENERATOR = "aical"
MANIFEST_FORMAT = 1
_KNOWN_FORMATS = {1}
WORK_SUFFIX = ".aical-work"
_LOCK_NAME = "lock"


def work_folder(out: Path) -> Path:
    """The hidden folder beside ``out`` that holds its lock and staging: ``.<name>.aical-work``."""
    return out.parent / f".{out.name}{WORK_SUFFIX}"


def is_aical_manifest(path: Path) -> bool:
    """Whether ``path`` is a manifest aical wrote (generator and a known format)."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return False
    return (isinstance(data, dict) and data.get("generator") == GENERATOR
            and data.get("format") in _KNOWN_FORMATS)


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def check_out(out: str | Path, inputs: Iterable[str | Path] = ()) -> Path:
    """The real folder a build may write for ``--out``, or an :class:`InputError` saying
    why not (see the safety rules above). A symlink is followed to its target."""
    given = str(out)
    out = Path(out)
    if out.is_symlink() and not out.exists():
        raise InputError(given, msg("site.out_dangling", target=os.readlink(out)),
                         hint=msg("site.hint_dangling"))
    real = os.path.realpath(out)
    if real == os.path.realpath(os.sep):
        raise InputError(given, msg("site.out_root"), hint=msg("site.hint_name_new_out"))
    if _within(os.path.realpath(os.getcwd()), real):
        raise InputError(given, msg("site.out_holds_cwd"), hint=msg("site.hint_name_new_out"))
    if _within(os.path.realpath(os.path.expanduser("~")), real):
        raise InputError(given, msg("site.out_holds_home"), hint=msg("site.hint_name_new_out"))
    for item in inputs:
        if _within(os.path.realpath(item), real):
            raise InputError(given, msg("site.out_holds_input", input=shown_name(item)),
                             hint=msg("site.hint_out_outside_inputs"))
    if Path(real).name.startswith(".") and Path(real).name.endswith(WORK_SUFFIX):
        raise InputError(given, msg("site.out_is_work"), hint=msg("site.hint_other_out"))
    real = Path(real)
    for ancestor in real.parents:  # the nearest that exists must be a folder
        if ancestor.exists():
            if not ancestor.is_dir():
                raise InputError(given, msg("site.out_below_file", file=shown_name(ancestor)),
                                 hint=msg("cli.os_not_a_folder.hint"))
            break
    if real.exists() and not real.is_dir():
        raise InputError(given, msg("site.out_not_folder"), hint=msg("site.hint_other_out"))
    if real.is_dir():
        if os.path.ismount(real):
            raise InputError(given, msg("site.out_mount_point"),
                             hint=msg("site.hint_inside_mount", inside=shown_name(out / "site")))
        if any(real.iterdir()) and not is_aical_manifest(real / "manifest.json"):
            why = (msg("site.out_foreign_manifest") if (real / "manifest.json").exists()
                   else msg("site.out_not_ours"))
            raise InputError(given, why, hint=msg("site.hint_new_out"))
    return real


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


def _write_file(path: Path, data) -> None:
    """Write one file from bytes or an iterable of bytes chunks (a big file is never whole
    in memory). Not fsync'ed one by one: :func:`_sync_files` syncs them all before the swap,
    for the swap must never publish a file still in the cache."""
    with open(path, "xb") as handle:
        if isinstance(data, (bytes, bytearray)):
            handle.write(data)
        else:
            for chunk in data:
                handle.write(chunk)


def _file_chunks(path: Path, size: int = 1 << 20):
    with open(path, "rb") as handle:
        while chunk := handle.read(size):
            yield chunk


def _sync_files(folder: Path, paths: Sequence[Path]) -> None:
    """Every file written in ``folder`` on the disk. Linux syncs the file system once
    (``syncfs``): one fsync per file cost 4 ms each, minutes for the 57,000 feeds of a
    45 MB report. Elsewhere, or when syncfs fails, each file is fsync'ed."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            syncfs = ctypes.CDLL(None, use_errno=True).syncfs
        except (OSError, AttributeError):
            syncfs = None
        if syncfs is not None:
            fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            try:
                if syncfs(fd) == 0:
                    return
            finally:
                os.close(fd)
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _fsync_folder(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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


def _recover(out: Path, work: Path) -> None:
    """Put back a previous build that a killed build had moved aside but not replaced (the
    moment between the two renames where the system cannot exchange folders)."""
    if out.exists():
        return
    for retired in sorted(work.iterdir()):
        previous = retired / "previous"
        if retired.name.startswith("old-") and is_aical_manifest(previous / "manifest.json"):
            os.rename(previous, out)
            return


def _sweep(work: Path) -> None:
    """Remove what a killed build left in ``work`` (under the lock: no build is running)."""
    for entry in work.iterdir():
        if entry.name != _LOCK_NAME:
            shutil.rmtree(entry, ignore_errors=True)


def _stage(files: Mapping[str, bytes], staging: Path) -> None:
    """Fill ``staging``. Sub-folders are made one level at a time and never its parents, so
    a staging folder that vanished is an error (FileNotFoundError), never recreated. A
    :class:`Files` is written file by file in chunks, and a file that repeats another is
    copied from it rather than made twice. Its files made ``apart`` (the pages) are
    written by a forked child meanwhile, where forking is safe (:class:`_Writer`)."""
    made: set[Path] = set()
    written: list[Path] = []
    chunks = getattr(files, "chunks", None)
    same_as = getattr(files, "same_as", lambda relative: None)
    apart = getattr(files, "apart", lambda relative: False)
    order = sorted(files)
    for relative in order:
        path = _safe_relative(relative)
        for depth in range(1, len(path.parts)):
            folder = Path(*path.parts[:depth])
            if folder not in made:
                (staging / folder).mkdir()
                made.add(folder)
    forked = {r for r in order if apart(r) and same_as(r) is None} if _can_fork() else set()
    # a file that repeats one the child writes (index.html) is copied there, meanwhile
    copies = {r: same_as(r) for r in order if same_as(r) in forked}
    writer = (_Writer(staging, sorted(forked), chunks or files.__getitem__, copies)
              if forked else None)
    try:
        for relative in order:
            if relative in forked or relative in copies:
                continue
            original = same_as(relative)
            path = staging / _safe_relative(relative)
            if original is not None and staging / _safe_relative(original) in written:
                data = _file_chunks(staging / _safe_relative(original))
            else:
                data = chunks(relative) if chunks else files[relative]
            _write_file(path, data)
            written.append(path)
        if writer is not None:
            writer.join()
            written += [staging / _safe_relative(r) for r in sorted(forked | set(copies))]
    finally:
        if writer is not None:
            writer.kill()
    os.chmod(staging, 0o755)
    _sync_files(staging, written)
    for folder in sorted(made, key=lambda p: -len(p.parts)):
        _fsync_folder(staging / folder)
    _fsync_folder(staging)
    if not (staging / "manifest.json").is_file() and "manifest.json" in files:
        raise FileNotFoundError(2, "the staging folder vanished", str(staging))


class _Writer:
    """A forked child that writes some of the files while this process writes the others:
    a build is one process until its files are made, and the page of a big report takes
    as long as all its feeds (issue 10: 45 MB in 2 minutes on two cores). The child shares
    the build's memory copy-on-write; the collector is frozen first (it is paused during a
    build anyway), so it never touches the objects' headers and copies their pages. The
    child dies with this process, and :meth:`join` raises what failed in it. ``copies``
    (copy → original) are files that repeat one it writes, copied once it is written."""

    def __init__(self, staging: Path, relatives: Sequence[str], make,
                 copies: Mapping[str, str] | None = None) -> None:
        import gc
        import pickle

        from aical.workers import die_with, portable

        parent = os.getpid()
        read, write = os.pipe()
        gc.freeze()
        try:
            pid = os.fork()
        except BaseException:
            gc.unfreeze()
            os.close(read)
            os.close(write)
            raise
        if pid == 0:  # the child: never returns, never runs the parent's cleanup
            status = 0
            try:
                os.close(read)
                die_with(parent)
                for relative in relatives:
                    _write_file(staging / _safe_relative(relative), make(relative))
                for copy, original in (copies or {}).items():  # after what they repeat
                    _write_file(staging / _safe_relative(copy),
                                _file_chunks(staging / _safe_relative(original)))
            except BaseException as error:  # noqa: BLE001 — every failure goes to the parent
                status = 1
                payload = pickle.dumps(portable(error))
                try:
                    with os.fdopen(write, "wb") as pipe:
                        pipe.write(payload)
                except BaseException:  # noqa: BLE001
                    pass
            finally:
                os._exit(status)
        gc.unfreeze()
        os.close(write)
        self.pid, self._pipe, self.relatives = pid, read, list(relatives)

    def join(self) -> None:
        """Wait for the child; raise its error, if it had one."""
        import pickle

        with os.fdopen(self._pipe, "rb") as pipe:
            payload = pipe.read()
        self._pipe = None
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        if payload:
            raise pickle.loads(payload)
        if status:
            raise ChildProcessError(0, f"the process writing {self.relatives[0]} ended "
                                    f"with status {status}")

    def kill(self) -> None:
        """End the child, if it still runs (this process failed or was interrupted)."""
        import signal

        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)
            self.pid = None
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None


#: The child is forked only while this process holds at most this much memory (resident
#: MB). Reference counts are writes, so the two processes end up with a private copy of
#: nearly every page either touches: together they hold up to twice this. Measured on the
#: 45 MB report of ``python -m bench size``: 806 MB before the fork, 1.49 GB for the two,
#: too near the 1.5 GB bound (issue 10), so a build that big writes in one process.
FORK_MAX_MB = 640


def _can_fork() -> bool:
    """Forking is safe (:func:`aical.workers.can_fork`) and affordable: memory for two
    (:data:`FORK_MAX_MB`)."""
    from aical.workers import can_fork, resident_mb

    return can_fork() and resident_mb() <= FORK_MAX_MB


def write_site(files: Mapping[str, bytes], out: str | Path, *,
               inputs: Iterable[str | Path] = (), guard=None) -> Path:
    """Write ``files`` as the folder ``out``, atomically, and return the real folder written.

    The folder is checked first (:func:`check_out`), then, under a lock held in the work
    folder, filled in a staging folder and swapped in (one exchange where Linux allows,
    else two renames, undone on failure). A failure or a kill leaves ``out`` as it was;
    the next build sweeps what a kill left. ``guard``, when given, is called under the
    lock with the real folder before anything is swapped (see :func:`publishing_guard`)
    and may raise to keep the published folder.
    """
    inputs = list(inputs)
    real = check_out(out, inputs)
    real.parent.mkdir(parents=True, exist_ok=True)
    work = work_folder(real)
    work.mkdir(exist_ok=True)
    with _locked(work / _LOCK_NAME):
        real = check_out(out, inputs)  # again: another build may have changed it meanwhile
        _recover(real, work)
        _sweep(work)
        if guard is not None:
            guard(real)
        staging = Path(tempfile.mkdtemp(prefix="new-", dir=work))
        retired: Path | None = None
        try:
            _stage(files, staging)
            if not real.exists():
                os.rename(staging, real)
            elif not _exchange(staging, real):  # after an exchange, staging holds the old
                retired = Path(tempfile.mkdtemp(prefix="old-", dir=work))
                os.rename(real, retired / "previous")
                try:
                    os.rename(staging, real)
                except BaseException:
                    os.rename(retired / "previous", real)
                    raise
            _fsync_folder(real.parent)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            # never delete a previous build that could not be put back (_recover will)
            if retired is not None and (real.exists() or not (retired / "previous").exists()):
                shutil.rmtree(retired, ignore_errors=True)
    return real


# ------------------------------------------------------------------ the publishing guard


@dataclass(frozen=True)
class Published:
    """What the folder being replaced published: its event UIDs and body paths (from its
    events.json and manifest.json). The plans engineer's memory of the calendar can read
    the same files; this holds only what the guard compares."""

    uids: frozenset[str]
    bodies: frozenset[tuple[str, ...]]


def read_published(folder: Path) -> Published | None:
    """The previous build in ``folder``, or None when there is none aical wrote."""
    if not is_aical_manifest(folder / "manifest.json"):
        return None
    try:
        manifest = json.loads((folder / "manifest.json").read_bytes())
        events = json.loads((folder / manifest.get("events_json", "events.json")).read_bytes())
    except (OSError, ValueError):
        return None
    listed = events.get("events", []) if isinstance(events, dict) else events
    return Published(
        frozenset(e["uid"] for e in listed if isinstance(e, dict) and "uid" in e),
        frozenset(tuple(b["path"]) for b in manifest.get("bodies", [])
                  if isinstance(b, dict) and isinstance(b.get("path"), list)))


def guard_reasons(previous: Published | None, events: Sequence[Event],
                  bodies: Sequence[Body]) -> tuple[list[str], list[str]]:
    """Why replacing ``previous`` with a build of ``events`` and ``bodies`` is suspect:
    ``(never, unless_forced)``. A build without meetings never replaces one that had
    some; a build that drops more than half of the previous events or bodies needs
    ``--force``."""
    if previous is None:
        return [], []
    never, forced = [], []
    if not events and previous.uids:
        never.append(msg("site.guard_no_meetings", published=len(previous.uids)))
    else:
        gone = previous.uids - {e.uid for e in events}
        if previous.uids and len(gone) * 2 > len(previous.uids):
            forced.append(msg("site.guard_drops_events", gone=len(gone),
                              published=len(previous.uids)))
        gone_bodies = previous.bodies - {b.path for b in bodies}
        if previous.bodies and len(gone_bodies) * 2 > len(previous.bodies):
            forced.append(msg("site.guard_drops_bodies", gone=len(gone_bodies),
                              published=len(previous.bodies)))
    return never, forced


class GuardError(InputError):
    """The publishing guard kept the published folder."""


def publishing_guard(site: Site, *, force: bool = False):
    """A ``guard`` for :func:`write_site` that keeps a published folder from a build that
    looks wrong (a wrong file, a new layout): see :func:`guard_reasons`."""

    def check(folder: Path) -> None:
        never, forced = guard_reasons(read_published(folder), site.events, site.bodies)
        if never:
            raise GuardError(str(folder), never[0], hint=msg("site.hint_guard_never"))
        if forced and not force:
            raise GuardError(str(folder), forced[0], hint=msg("site.hint_guard_force"))

    return check
