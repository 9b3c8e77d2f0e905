"""Which files the inputs are, and what each is called: the edge between the command line
and the readers.

- A **file** given by path is read whatever its name; it is called by its file name.
- A **folder** contributes every file of a supported format (:data:`aical.read.SUFFIXES`),
  sorted by name; with ``recursive`` its subfolders too, called by their path relative
  to the folder given (``2020/r2.txt``). Every other file is *skipped*, and
  :func:`skipped_line` says in one line which and why (``.doc``, ``.jtd``, images …),
  so nothing is left out unseen. Hidden files, Office lock files (``~$…``) and
  ``aical.toml`` are not inputs and are not listed.

A name is what every published output calls the source (feeds, JSON, CSV, manifest,
page, warnings): never an absolute path, so nothing of the machine that built the
calendar is published. A file name in bytes that are not UTF-8 (a Shift_JIS name
unpacked from a ZIP) is decoded as Shift_JIS or EUC-JP where it reads so, and shown
with U+FFFD for undecodable bytes otherwise; the file itself is still opened by its real
path.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from aical.errors import InputError
from aical.messages import Message, msg, render

#: Files one build may read: a folder holding more is the wrong folder (a home directory).
MAX_FILES = 5_000

# Why a file of a known other format is not read, and what to do about it.
_WHY = {
    ".doc": "inputs.why_doc", ".xls": "inputs.why_xls",
    ".jtd": "inputs.why_ichitaro", ".jtdc": "inputs.why_ichitaro",
    ".jtt": "inputs.why_ichitaro", ".jaw": "inputs.why_ichitaro",
    ".rtf": "inputs.why_rtf", ".odt": "inputs.why_odt", ".ods": "inputs.why_ods",
    ".ppt": "inputs.why_slides", ".pptx": "inputs.why_slides",
    ".zip": "inputs.why_archive", ".lzh": "inputs.why_archive", ".csv": "inputs.why_csv",
}
_IMAGES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".bmp", ".heic",
                     ".webp"})
_NOT_INPUTS = frozenset({"aical.toml", "thumbs.db", "desktop.ini"})


@dataclass(frozen=True)
class InputFile:
    """One file to read: where it is, and the name outputs call it."""

    path: Path
    name: str


@dataclass(frozen=True)
class Inputs:
    """The files to read, in order, and the (name, why) of those a folder scan skipped."""

    files: tuple[InputFile, ...]
    skipped: tuple[tuple[str, str], ...] = ()


def display_name(name: str | bytes | os.PathLike) -> str:
    """A file name fit to publish: its bytes decoded as UTF-8, else Shift_JIS (cp932),
    else EUC-JP, else UTF-8 with U+FFFD; POSIX separators."""
    raw = os.fsencode(name)
    for codec in ("utf-8", "cp932", "euc-jp"):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        break
    else:
        text = raw.decode("utf-8", "replace")
    return text.replace(os.sep, "/") if os.sep != "/" else text


def find_inputs(given: list[str | Path] | tuple[str | Path, ...], *,
                recursive: bool = False) -> Inputs:
    """The files the inputs stand for (see the module docstring); an InputError for a
    path that does not exist or a folder with nothing to read."""
    from aical.read import SUFFIXES

    files: list[InputFile] = []
    skipped: list[tuple[str, str]] = []
    for item in given:
        path = Path(item)
        try:
            st = os.stat(path)
        except FileNotFoundError:
            raise InputError(display_name(path), msg("read.no_such_file"),
                             hint=msg("read.hint_check_path")) from None
        except OSError as error:
            raise InputError(display_name(path),
                             msg("read.cannot_read", reason=error.strerror or str(error))) from None
        if not stat.S_ISDIR(st.st_mode):
            files.append(InputFile(path, display_name(path.name or path)))
            continue
        found, passed = _scan(path, recursive, SUFFIXES)
        if not found:
            listed = f"; {skipped_line(tuple(passed))}" if passed else ""
            formats = ", ".join(sorted(SUFFIXES))
            raise InputError(display_name(path),
                             msg("inputs.no_reports", formats=formats, skipped=listed),
                             hint=msg("site.hint_give_reports"))
        files.extend(found)
        skipped.extend(passed)
        if len(files) > MAX_FILES:
            raise InputError(display_name(path), msg("inputs.too_many", limit=MAX_FILES),
                             hint=msg("inputs.hint_report_folder"))
    return Inputs(tuple(files), tuple(skipped))


def _scan(folder: Path, recursive: bool, suffixes) -> tuple[list[InputFile], list[tuple[str, str]]]:
    """Files under ``folder`` (sorted by name, subfolders after a folder's own files in
    name order as well), each named relative to it; and what was skipped."""
    found: list[InputFile] = []
    skipped: list[tuple[str, str]] = []
    seen: set[tuple[int, int]] = set()  # (device, inode) of folders read: no symlink loops
    stack = [(folder, "")]
    while stack:
        here, prefix = stack.pop(0)
        try:
            st = here.stat()
            if (st.st_dev, st.st_ino) in seen:
                continue
            seen.add((st.st_dev, st.st_ino))
            entries = sorted(os.scandir(here), key=lambda e: os.fsencode(e.name))
        except OSError as error:
            skipped.append((prefix or display_name(here), msg("inputs.why_unreadable")))
            continue
        subfolders = []
        for entry in entries:
            shown = prefix + display_name(entry.name)
            lowered = entry.name.lower()
            if entry.name.startswith((".", "~$")) or lowered in _NOT_INPUTS:
                continue
            try:
                is_dir = entry.is_dir()
                is_file = entry.is_file()
            except OSError:
                skipped.append((shown, msg("inputs.why_unreadable")))
                continue
            if is_dir:
                if recursive:
                    subfolders.append((Path(entry.path), shown + "/"))
                else:
                    skipped.append((shown + "/", msg("inputs.why_folder")))
                continue
            if not is_file:
                skipped.append((shown, msg("inputs.why_not_regular")))
                continue
            suffix = os.path.splitext(lowered)[1]
            if suffix in suffixes:
                found.append(InputFile(Path(entry.path), shown))
                if len(found) > MAX_FILES:
                    return found, skipped
            elif suffix in _WHY:
                skipped.append((shown, _why(_WHY[suffix])))
            elif suffix in _IMAGES:
                skipped.append((shown, msg("inputs.why_image")))
            else:
                skipped.append((shown, msg("inputs.why_other")))
        stack[:0] = subfolders
    return found, skipped


def _why(key: str) -> Message:
    """The reason message of a ``_WHY`` id (literal ids, so the catalog test sees them)."""
    return {
        "inputs.why_doc": msg("inputs.why_doc"), "inputs.why_xls": msg("inputs.why_xls"),
        "inputs.why_ichitaro": msg("inputs.why_ichitaro"), "inputs.why_rtf": msg("inputs.why_rtf"),
        "inputs.why_odt": msg("inputs.why_odt"), "inputs.why_ods": msg("inputs.why_ods"),
        "inputs.why_slides": msg("inputs.why_slides"),
        "inputs.why_archive": msg("inputs.why_archive"), "inputs.why_csv": msg("inputs.why_csv"),
    }[key]


def skipped_line(skipped: tuple[tuple[str, str], ...], lang: str = "en", limit: int = 8) -> str:
    """One line, in ``lang``, naming the skipped files and why, those with one reason
    together: ``skipped 3 file(s): a.doc, b.doc (Word 97–2003: …); c.png (…)``."""
    if not skipped:
        return ""
    by_reason: dict[str, tuple[object, list[str]]] = {}
    for name, why in skipped:
        by_reason.setdefault(str(why), (why, []))[1].append(name)
    parts = []
    for why, names in by_reason.values():
        shown = ", ".join(names[:limit])
        if len(names) > limit:
            shown = render(msg("inputs.and_more", names=shown, more=len(names) - limit), lang)
        parts.append(f"{shown} ({render(why, lang)})")
    return render(msg("inputs.skipped", count=len(skipped), files="; ".join(parts)), lang)


__all__ = ["InputFile", "Inputs", "MAX_FILES", "display_name", "find_inputs", "skipped_line"]
