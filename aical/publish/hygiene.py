"""Text hygiene shared by every publisher (feeds, page, JSON, CSV) and by messages.

Published text comes from documents anyone may have written, so before it is published:

- bidi controls (U+202A–U+202E, U+2066–U+2069, LRM/RLM/ALM) and zero-width characters
  (U+200B–U+200D, U+2060, U+FEFF) are removed: they can make a venue or a title read
  differently from what it is (Trojan Source, CVE-2021-42574);
- C0 and C1 controls never reach a page or a feed: NEL becomes a line break, tab and
  line feed stay, every other control is removed; a lone surrogate (a file name in
  undecodable bytes) becomes U+FFFD;
- JSON escapes U+2028 / U+2029 (line separators to JavaScript and to many editors), and
  CSV turns them into ordinary line breaks inside the quoted cell;
- a CSV cell starting like a formula, in ASCII or full width (``=+-@`` and ``＝＋－＠``),
  gets a leading ``'`` (OWASP's advice for CSV injection);
- iCalendar TEXT is escaped by RFC 5545 §3.3.11 exactly, so a literal ``\\N`` in a venue
  stays two characters (icalendar's own escaping reads it as a line break).

:func:`shown_name` makes a file name in any bytes printable: UTF-8, else CP932 (a name
made on Japanese Windows), else escaped bytes. No heavy imports here.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from json.encoder import encode_basestring as _encode_string  # C, as json.dumps uses

_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_SEPARATORS = re.compile("[\u2028\u2029\x85]")
#: Anything :func:`clean` would change (surrogates, CR, NEL, controls, invisibles).
_UNCLEAN_CHARS = ("\ud800-\udfff\r\x85\x00-\x08\x0b-\x1f\x7f-\x9f"
                  "\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff")
_UNCLEAN = re.compile(f"[{_UNCLEAN_CHARS}]")
#: First characters that make a spreadsheet read a cell as a formula, ASCII and full width.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def clean(text: str) -> str:
    """Published text without invisible characters, controls or lone surrogates. Line
    feeds and tabs stay (each publisher decides what a line break becomes); NEL becomes
    a line feed; line and paragraph separators stay for :func:`json_bytes` and
    :func:`csv_cell` to escape."""
    if text.isascii() and text.isprintable():
        return text  # the common case, checked in C
    if not _UNCLEAN.search(text):
        return text  # nothing to remove: one scan in C instead of six passes
    text = _SURROGATES.sub("\ufffd", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x85", "\n")
    return _CONTROLS.sub("", _INVISIBLE.sub("", text))


def json_bytes(data, *, indent: int | None = 2) -> bytes:
    """JSON as UTF-8, every string :func:`clean`, with U+2028 and U+2029 escaped (they
    may only occur inside strings, so replacing them is exact)."""
    text = json.dumps(_cleaned(data), ensure_ascii=False, indent=indent)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\x85", "\\u0085")
    try:
        return (text + "\n").encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate that was not cleaned: never a crash
        return (_SURROGATES.sub("\ufffd", text) + "\n").encode("utf-8")


def json_chunks(data: dict, *, indent: int = 2, batch: int = 500):
    """:func:`json_bytes` of a dict, in pieces of about ``batch`` list items: the same bytes
    (``b"".join`` of them is ``json_bytes(data, indent=indent)``), without ever making the
    whole text. A build of a 45 MB report writes 180 MB of events.json."""
    for text in indented_json(data, indent, batch, clean):
        text = (text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
                .replace("\x85", "\\u0085"))
        try:
            yield text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate that was not cleaned: never a crash
            yield _SURROGATES.sub("\ufffd", text).encode("utf-8")


class Mapped(Sequence):
    """``items`` mapped by ``make`` as they are read (by index or slice): a list for
    :func:`indented_json` whose items are made only as they are written, so a file of
    275,000 events never holds every event's JSON at once."""

    def __init__(self, items: Sequence, make) -> None:
        self._items, self._make = items, make

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._make(item) for item in self._items[index]]
        return self._make(self._items[index])


def indented_json(data: dict, indent: int, batch: int = 500, cleaner=None):
    """``json.dumps(data, ensure_ascii=False, indent=indent) + "\\n"`` in pieces, each
    top-level list written ``batch`` items at a time (an item is dumped alone and indented
    one level deeper, which is exactly what json.dumps writes for it nested; any Sequence
    is a list, so its items may be made as they are read). ``cleaner``,
    when given, is applied to every string first (as :func:`json_bytes` does)."""
    def dumps(value, level: int) -> str:
        return _dumped(value, indent, level, cleaner is not None)

    if cleaner is not None:  # keys cleaned first: two may become one, as in json_bytes
        data = {_cleaned(key): value for key, value in data.items()}
    yield from _pieces(data, dumps, " " * indent, " " * (2 * indent), batch)


def line_per_item_json(data: dict, batch: int = 500):
    """``data`` as JSON in pieces: one key a line, and each item of a top-level list on a
    line of its own, written compactly by json's C encoder (``json.loads`` reads it as
    ``data``). For a file read back by aical, not by people: four times faster than the
    indented form, which has to be made in Python (the build's memory of a 45 MB report,
    150 MB, took 15 s)."""
    yield from _pieces(data, lambda value, level: _COMPACT.encode(value), "", "", batch)


#: ``json.dumps(value, ensure_ascii=False)``'s encoder, made once: json.dumps makes one a
#: call when an argument is not its default (275,000 calls for a 45 MB report's memory).
_COMPACT = json.JSONEncoder(ensure_ascii=False)


def _pieces(data: dict, dumps, pad: str, inner: str, batch: int):
    """A dict as JSON in pieces: ``dumps(value, level)`` writes each value, a top-level
    list's items ``batch`` at a time; ``pad`` starts a key's line, ``inner`` an item's."""
    if not data or not all(isinstance(key, str) for key in data):
        yield dumps(data, 0) + "\n"
        return
    yield "{"
    for number, (key, value) in enumerate(data.items()):
        head = ("," if number else "") + "\n" + pad + dumps(key, 0) + ": "
        if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
            yield head + dumps(value, 1)
            continue
        if not value:
            yield head + "[]"
            continue
        yield head + "["
        for start in range(0, len(value), batch):
            yield "".join(("," if start + i else "") + "\n" + inner + dumps(item, 2)
                          for i, item in enumerate(value[start:start + batch]))
        yield "\n" + pad + "]"
    yield "\n}\n"


def _dumped(value, indent: int, level: int, cleaning: bool = False) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=indent)`` as it stands nested
    ``level`` deep, the same text, made with json's C string encoder: json's own indented
    encoder is pure Python and was the slowest part of writing events.json. ``cleaning``:
    of ``_cleaned(value)``, each string cleaned as it is written (a copy of the whole
    value first cost as much again)."""
    kind = type(value)
    # the common shapes first (events.json: 275,000 dicts of strings and lists at 45 MB),
    # each a few C calls; anything else takes the general way below
    if kind is str:
        if cleaning and _UNCLEAN.search(value):  # clean() changes only such a string
            value = clean(value)
        return _encode_string(value)
    if kind is dict and value and _CLEAN_KEYS.keys() >= value.keys():
        pad = "\n" + " " * (indent * (level + 1))
        parts = []
        for key, item in value.items():  # strings and nulls written here, without a call
            if type(item) is str:
                if cleaning and _UNCLEAN.search(item):
                    item = clean(item)
                parts.append(pad + _CLEAN_KEYS[key] + _encode_string(item))
            elif item is None:
                parts.append(pad + _CLEAN_KEYS[key] + "null")
            else:
                parts.append(pad + _CLEAN_KEYS[key] + _dumped(item, indent, level + 1,
                                                               cleaning))
        return "{" + ",".join(parts) + "\n" + " " * (indent * level) + "}"
    if kind is list and value and all(type(item) is str for item in value):
        pad = "\n" + " " * (indent * (level + 1))
        if cleaning:
            value = [clean(item) if _UNCLEAN.search(item) else item for item in value]
        return ("[" + ",".join([pad + _encode_string(item) for item in value])
                + "\n" + " " * (indent * level) + "]")
    if isinstance(value, str):
        return _encode_string(clean(value) if cleaning else value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        if not value:
            return "{}"
        if cleaning and any(clean(key) is not key for key in value):
            # two keys may clean to one, as in _cleaned: written from its copy
            return _dumped(_cleaned(value), indent, level)
        for key in value:  # remembered for the fast way above, when clean and str
            if len(_CLEAN_KEYS) < _CLEAN_KEYS_MAX and type(key) is str and clean(key) is key:
                _CLEAN_KEYS[key] = _encode_string(key) + ": "
        pad = "\n" + " " * (indent * (level + 1))
        return ("{" + ",".join(pad + _encode_string(key) + ": "
                               + _dumped(item, indent, level + 1, cleaning)
                               for key, item in value.items())
                + "\n" + " " * (indent * level) + "}")
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        pad = "\n" + " " * (indent * (level + 1))
        return ("[" + ",".join(pad + _dumped(item, indent, level + 1, cleaning)
                               for item in value)
                + "\n" + " " * (indent * level) + "]")
    # floats, keys that are not strings, anything else: json's own rules
    if cleaning:
        value = _cleaned(value)
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return text.replace("\n", "\n" + " " * (indent * level)) if level else text


#: Dict keys known to be clean strings, each with its JSON text and ": " (the events' and
#: the manifest's own, mostly): a dict whose keys all are is written without checking
#: each key again. Bounded, for the keys of other data.
_CLEAN_KEYS: dict[str, str] = {}
_CLEAN_KEYS_MAX = 4096


def _cleaned(data):
    if isinstance(data, str):
        return clean(data)
    if isinstance(data, dict):
        return {_cleaned(k): _cleaned(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_cleaned(v) for v in data]
    return data


def csv_cell(value: str) -> str:
    """A CSV cell safe for a spreadsheet: cleaned, separators as line breaks, and a cell
    that starts like a formula prefixed with ``'``."""
    value = clean(value)
    if not value.isascii():  # the separators are not
        value = _SEPARATORS.sub("\n", value)
    return f"'{value}" if value.startswith(FORMULA_START) else value


#: What :func:`csv_cell` would change in a cell besides its start: :data:`_UNCLEAN` and the
#: line separators.
_CSV_CHANGES = re.compile(f"[{_UNCLEAN_CHARS}\u2028\u2029]")


def csv_cells(values: Sequence[str]) -> list[str]:
    """:func:`csv_cell` of each value of a row, an empty one left empty. The row is
    searched once for anything to clean (joined by a line feed, which neither the cleaning
    nor the separators touch): most rows have nothing, and their cells need only the
    formula check, instead of a cleaning call a cell (32 columns, 275,000 rows at 45 MB)."""
    if _CSV_CHANGES.search("\n".join(values)):
        return [csv_cell(value) if value else value for value in values]
    return [f"'{value}" if value.startswith(FORMULA_START) else value for value in values]


def ical_escape(text: str) -> str:
    """RFC 5545 §3.3.11 TEXT escaping: ``\\`` → ``\\\\``, ``;`` → ``\\;``, ``,`` → ``\\,``,
    a line break → ``\\n``. Nothing else is touched (``\\N`` written in a document is
    text, not a line break)."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n"))


def shown_name(name: str | bytes | os.PathLike) -> str:
    """A file name as a person can read it, whatever its bytes: UTF-8 when it is, else
    CP932 (Shift_JIS as Windows writes it) when that decodes, else the undecodable bytes
    as ``\\xNN``. Control and invisible characters are shown escaped, never sent to the
    terminal."""
    raw = os.fsencode(name) if not isinstance(name, bytes) else name
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp932")
            # CP932 maps stray high bytes to the private use area: not a real name then
            if re.search("[\ue000-\uf8ff]", text):
                raise UnicodeDecodeError("cp932", raw, 0, len(raw), "private use")
        except UnicodeDecodeError:
            text = raw.decode("utf-8", "backslashreplace")
    return "".join(c if c.isprintable() and not _INVISIBLE.match(c)
                   else (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
                   for c in text)


__all__ = ["FORMULA_START", "Mapped", "clean", "csv_cell", "csv_cells", "ical_escape",
           "indented_json", "json_bytes", "json_chunks", "line_per_item_json",
           "shown_name", "json_escaped"]


_UNSHOWN = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
                      "\u2028\u2029\x7f-\x9f]")


def json_escaped(text: str) -> str:
    """JSON text with every invisible, separator or C1 control character written as a
    ``\\uXXXX`` escape: for a file that must keep text exactly (the build's memory) yet
    publish none of those characters raw. Valid because they can only stand in strings."""
    return _UNSHOWN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
