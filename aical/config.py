"""Settings: ``aical.toml``, where it is found, what it may say, and where each value came from.

Everything works without a settings file. When there is one, it is found in this order:

1. the file given with ``--config``;
2. ``aical.toml`` beside the inputs (in an input folder, or in the folder of the first input
   file);
3. ``aical.toml`` in the current folder.

The file is UTF-8 (with or without a BOM) or Shift_JIS (cp932), as Windows editors save it.
A key aical does not know is a warning naming the key and the nearest known one (a typo
must not silently do nothing). A body is named by its heading path as a TOML array, so a
name holding "/" (``CALS/EC``) can be configured::

    [[bodies]]
    path = ["あいち電子調達共同システム（CALS/EC）事業", "事業部会"]
    short_name = "CALS事業部会"

The older ``[bodies."全団体事業/会議運営/幹事会"]`` form (a "/"-joined key) is still read.
Warnings a person has looked at and accepted are listed so ``aical lint`` passes::

    [[accept]]
    code = "out_of_fiscal_year"
    text = "令和2年3月3日～8日"      # the text as written: stays accepted when lines move

    [[accept]]
    code = "heading_out_of_sequence"
    file = "r2-jigyo-hokoku.txt"    # or by place
    line = 144

Reading the file is the only I/O here; :func:`parse_config` is pure.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

from aical.errors import InputError
from aical.messages import msg
from aical.model import Warning

CONFIG_NAME = "aical.toml"

#: Where a value came from when no file set it.
DEFAULT = "default"


@dataclass(frozen=True)
class BodyConfig:
    """Per-body choices from aical.toml; empty means "derive it"."""

    short_name: str = ""
    slug: str = ""
    color: str = ""


@dataclass(frozen=True)
class Accept:
    """A warning a person has accepted: its code, and either the text as written (a
    substring of what the warning quotes) or a place (file and line)."""

    code: str
    text: str = ""
    file: str = ""
    line: int | None = None

    def matches(self, warning: Warning) -> bool:
        if warning.code != self.code:
            return False
        if self.file and not _same_file(warning.file or "", self.file):
            return False
        if self.line is not None and warning.line != self.line:
            return False
        if self.text and not any(self.text in value for value in _quoted(warning)):
            return False
        return True


@dataclass(frozen=True)
class Config:
    """Optional settings (aical.toml). Everything works without them.

    ``sources`` says where each setting came from (``aical.toml:3``, ``--base-url``);
    settings missing from it are defaults. ``warnings`` are the file's own (unknown keys,
    unknown bodies once the inputs are known).
    """

    title: str = "会議カレンダー"
    organisation: str = ""
    municipality_code: str = ""
    prefecture: str = ""
    municipality: str = ""
    base_url: str = ""
    bodies: Mapping[tuple[str, ...], BodyConfig] = field(default_factory=dict)
    accept: tuple[Accept, ...] = ()
    path: str | None = None
    sources: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[Warning, ...] = ()

    def source_of(self, name: str) -> str:
        return self.sources.get(name, DEFAULT)


#: The plain text settings, in the order `aical config` shows them.
TEXT_KEYS = ("title", "organisation", "municipality_code", "prefecture", "municipality",
             "base_url")
KNOWN_KEYS = (*TEXT_KEYS, "bodies", "accept")
BODY_KEYS = tuple(f.name for f in fields(BodyConfig))
BODY_ENTRY_KEYS = ("path", *BODY_KEYS)
ACCEPT_KEYS = tuple(f.name for f in fields(Accept))


# ------------------------------------------------------------------ finding and reading


def find_config(inputs: Sequence[str | Path] = (), given: str | Path | None = None,
                cwd: Path | None = None) -> Path | None:
    """The settings file in force: ``given`` (``--config``), else aical.toml beside the
    inputs, else in the current folder; None when there is none. A ``given`` file that
    does not exist is an InputError: the user asked for it."""
    if given is not None:
        path = Path(given)
        if not path.is_file():
            raise InputError(str(path), msg("config.not_found"), hint=msg("config.hint_path"))
        return path
    seen = []
    for item in inputs:
        item = Path(item)
        folder = item if item.is_dir() else item.parent
        if folder not in seen:
            seen.append(folder)
    seen.append(cwd if cwd is not None else Path.cwd())
    for folder in seen:
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def load_config(path: str | Path | None) -> Config:
    """The settings in ``path`` (a file, or a folder holding aical.toml), or the defaults.
    Bad TOML or a bad value is an InputError naming the file and line."""
    if path is None:
        return Config()
    path = Path(path)
    if path.is_dir():
        path = path / CONFIG_NAME
        if not path.is_file():
            return Config()
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(str(path), msg("read.cannot_read",
                                        reason=str(error.strerror or error))) from None
    return parse_config(decode_config(data, str(path)), str(path))


def decode_config(data: bytes, name: str) -> str:
    """The text of a settings file: UTF-8 (a BOM is dropped) or Shift_JIS (cp932)."""
    for codec in ("utf-8-sig", "cp932"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    raise InputError(name, msg("config.bad_encoding"), hint=msg("config.hint_encoding"))


def parse_config(text: str, name: str = CONFIG_NAME) -> Config:
    """Settings from the text of an aical.toml. Pure."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # Python 3.11's TOMLDecodeError has no lineno; its message ends "(at line N, …)".
        found = re.search(r"at line (\d+)", str(error))
        line = int(found[1]) if found else None
        raise InputError(name, msg("config.bad_toml", error=str(error)), line=line,
                         hint=msg("config.hint_optional")) from None
    lines = text.split("\n")
    warnings: list[Warning] = []
    sources: dict[str, str] = {}

    def where(key: str, after: int = 0) -> int | None:
        return _line_of(lines, key, after)

    def unknown(key: str, known: Iterable[str], after: int = 0, section: str = "") -> None:
        warnings.append(_unknown_key(key, known, section, name, where(key, after)))

    values: dict[str, str] = {}
    for key, value in data.items():
        if key in TEXT_KEYS:
            if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                raise InputError(name, msg("config.not_text", key=key),
                                 line=where(key), hint=msg("config.hint_text", key=key))
            values[key] = str(value)
            sources[key] = f"{name}:{where(key) or 1}"
        elif key not in ("bodies", "accept"):
            unknown(key, KNOWN_KEYS)
    if values.get("base_url"):
        try:
            values["base_url"] = check_base_url(values["base_url"])[0]
        except ValueError as error:
            raise InputError(name, msg("config.base_url", error=error.args[0]),
                             line=where("base_url"), hint=msg("config.hint_base_url")) from None
    bodies = _bodies(data.get("bodies"), name, lines, warnings, sources)
    accept = _accepts(data.get("accept"), name, lines, warnings, sources)
    return Config(bodies=bodies, accept=accept, path=name, sources=sources,
                  warnings=tuple(warnings), **values)


def _unknown_key(key: str, known: Iterable[str], section: str, name: str,
                 line: int | None) -> Warning:
    """The one warning for a key aical.toml does not know, naming the nearest known key of
    its section (``bodies.colour`` → ``bodies.color``), or all of them."""
    known = list(known)
    near = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    shown = f"{section}{key}"
    message = (msg("config.unknown_key_near", key=shown, near=f"{section}{near[0]}")
               if near else msg("config.unknown_key", key=shown, known=", ".join(known)))
    return Warning("unknown_setting", message, name, line)


def _bodies(raw, name: str, lines: list[str], warnings: list[Warning],
            sources: dict[str, str]) -> dict[tuple[str, ...], BodyConfig]:
    """``[[bodies]]`` with ``path = [...]`` (any name), or the older ``[bodies."a/b"]``."""
    if raw is None:
        return {}
    entries: list[tuple[tuple[str, ...], dict, int | None]] = []
    if isinstance(raw, list):
        after = 0
        for entry in raw:
            line = _line_of(lines, "path", after, header="[[bodies]]")
            after = line or after
            if not isinstance(entry, dict):
                raise InputError(name, msg("config.bodies_not_tables"), line=line,
                                 hint=msg("config.hint_bodies"))
            path = entry.get("path")
            if isinstance(path, str):
                path = [path]
            if not (isinstance(path, list) and path
                    and all(isinstance(p, str) and p.strip() for p in path)):
                raise InputError(name, msg("config.body_path"), line=line,
                                 hint=msg("config.hint_bodies"))
            for key in entry:
                if key not in BODY_ENTRY_KEYS:
                    warnings.append(_unknown_key(key, BODY_ENTRY_KEYS, "bodies.", name,
                                                 _line_of(lines, key, after)))
            entries.append((tuple(p.strip() for p in path), entry, line))
    elif isinstance(raw, dict):
        for key, entry in raw.items():
            line = _line_of(lines, key, 0, quoted=True)
            if not isinstance(entry, dict):
                raise InputError(name, msg("config.body_not_table", key=key), line=line,
                                 hint=msg("config.hint_bodies"))
            for sub in entry:
                if sub not in BODY_KEYS:
                    warnings.append(_unknown_key(sub, BODY_KEYS, "bodies.", name,
                                                 _line_of(lines, sub, line or 0)))
            entries.append((tuple(key.split("/")), entry, line))
    else:
        raise InputError(name, msg("config.bodies_not_tables"), line=_line_of(lines, "bodies"),
                         hint=msg("config.hint_bodies"))
    bodies: dict[tuple[str, ...], BodyConfig] = {}
    for path, entry, line in entries:
        color = str(entry.get("color", ""))
        if color and not re.fullmatch(r"#[0-9a-fA-F]{6}", color):
            raise InputError(name, msg("config.bad_color", key=" / ".join(path),
                                       color=repr(color)), line=line,
                             hint=msg("config.hint_color"))
        bodies[path] = BodyConfig(short_name=str(entry.get("short_name", "")),
                                  slug=str(entry.get("slug", "")), color=color.lower())
        sources[f"bodies {' › '.join(path)}"] = f"{name}:{line or 1}"
    return bodies


def _accepts(raw, name: str, lines: list[str], warnings: list[Warning],
             sources: dict[str, str]) -> tuple[Accept, ...]:
    if raw is None:
        return ()
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list):
        raise InputError(name, msg("config.accept_not_tables"), line=_line_of(lines, "accept"),
                         hint=msg("config.hint_accept"))
    out = []
    after = 0
    for entry in raw:
        line = _line_of(lines, "code", after)
        after = line or after
        if not isinstance(entry, dict) or not isinstance(entry.get("code"), str):
            raise InputError(name, msg("config.accept_not_tables"), line=line,
                             hint=msg("config.hint_accept"))
        for key in entry:
            if key not in ACCEPT_KEYS:
                warnings.append(_unknown_key(key, ACCEPT_KEYS, "accept.", name,
                                             _line_of(lines, key, after)))
        text, file, at = entry.get("text", ""), entry.get("file", ""), entry.get("line")
        if not (isinstance(text, str) and isinstance(file, str)
                and (at is None or (isinstance(at, int) and not isinstance(at, bool)))) \
                or not (text or file or at is not None):
            raise InputError(name, msg("config.accept_needs_place", code=entry["code"]),
                             line=line, hint=msg("config.hint_accept"))
        sources[f"accept {len(out)}"] = f"{name}:{line or 1}"
        out.append(Accept(entry["code"], text, file, at))
    return tuple(out)


def _line_of(lines: list[str], key: str, after: int = 0, *, quoted: bool = False,
             header: str | None = None) -> int | None:
    """The 1-based line where ``key`` is set (``key =``, ``"key" =`` or a ``[table]``
    naming it), searching from line ``after``; None when it cannot be found (TOML keeps no
    positions, so this only serves messages)."""
    name = re.escape(key)
    pattern = re.compile(rf'^\s*(?:"{name}"|\'{name}\'|{name}|\[+\s*{name}\s*\]+'
                         rf'|\[+\s*\w+\.(?:"{name}"|{name})\s*\]+)\s*(?:=|$)')
    for number in range(after, len(lines)):
        if pattern.match(lines[number]):
            return number + 1
    return None


def _same_file(given: str, accepted: str) -> bool:
    given, accepted = given.replace("\\", "/"), accepted.replace("\\", "/")
    return given == accepted or given.endswith("/" + accepted.lstrip("./"))


def _quoted(warning: Warning) -> list[str]:
    """The texts a warning quotes: its message's parameters as written (the date, the
    heading, the line), and the message itself."""
    params = getattr(warning.message, "params", {}) or {}
    values = [str(v) for v in params.values() if isinstance(v, str)]
    return [*values, str(warning.message)]


# ------------------------------------------------------------------ using the settings


def accepted(config: Config, warnings: Iterable[Warning]) -> tuple[list[Warning], int]:
    """The warnings not accepted in ``config``, and how many were."""
    kept, count = [], 0
    for warning in warnings:
        if any(rule.matches(warning) for rule in config.accept):
            count += 1
        else:
            kept.append(warning)
    return kept, count


def check_bodies(config: Config, found: Iterable[tuple[str, ...]]) -> list[Warning]:
    """A warning for each configured body no input has, naming the nearest one found."""
    found = list(found)
    shown = {" › ".join(p): p for p in found}
    out = []
    for path in config.bodies:
        if path in found or not found:
            continue
        near = difflib.get_close_matches(" › ".join(path), list(shown), n=1, cutoff=0.5)
        line = config.sources.get(f"bodies {' › '.join(path)}", "").rpartition(":")[2]
        message = (msg("config.unknown_body_near", path=_toml_path(path),
                       near=_toml_path(shown[near[0]]))
                   if near else msg("config.unknown_body", path=_toml_path(path)))
        out.append(Warning("unknown_body", message, config.path,
                           int(line) if line.isdigit() else None))
    return out


def _toml_path(path: tuple[str, ...]) -> str:
    return "[" + ", ".join(f'"{p}"' for p in path) + "]"


def describe(config: Config) -> list[str]:
    """The settings in force, one per line, each with where it came from (``aical
    config``): ``title = "…"  # aical.toml:1``."""
    import json

    out = []
    for key in TEXT_KEYS:
        value = json.dumps(getattr(config, key), ensure_ascii=False)
        out.append(f"{key} = {value}  # {config.source_of(key)}")
    for path, body in config.bodies.items():
        parts = [f"path = {_toml_path(path)}"]
        parts += [f"{k} = {json.dumps(getattr(body, k), ensure_ascii=False)}"
                  for k in BODY_KEYS if getattr(body, k)]
        out.append(f"[[bodies]] {', '.join(parts)}  "
                   f"# {config.source_of('bodies ' + ' › '.join(path))}")
    for number, rule in enumerate(config.accept):
        parts = [f'code = "{rule.code}"']
        if rule.text:
            parts.append(f"text = {json.dumps(rule.text, ensure_ascii=False)}")
        if rule.file:
            parts.append(f"file = {json.dumps(rule.file, ensure_ascii=False)}")
        if rule.line is not None:
            parts.append(f"line = {rule.line}")
        out.append(f"[[accept]] {', '.join(parts)}  # {config.source_of(f'accept {number}')}")
    return out


__all__ = ["Accept", "BodyConfig", "CONFIG_NAME", "Config", "accepted", "check_bodies",
           "decode_config", "describe", "find_config", "load_config", "parse_config"]

def check_base_url(url: str) -> tuple[str, str | None]:
    """The site's published address, checked: an absolute https address (http is accepted
    with a warning, the second item), without query or fragment, returned without its
    trailing slash. Anything else (``javascript:…``, ``example.org/cal`` with no scheme, a
    user name, spaces or quotes) raises ValueError saying what to write: every subscribe
    link and QR code is built from it."""
    import urllib.parse

    text = url.strip()
    if not text:
        return "", None
    shown = repr(url)
    if re.search(r"[\x00-\x20\x7f-\x9f\"'<>\\^`{|}]", text):
        raise ValueError(msg("config.base_url_chars", url=shown))
    parts = urllib.parse.urlsplit(text)
    if parts.scheme.lower() not in ("https", "http") or not parts.hostname:
        raise ValueError(msg("config.base_url_not_absolute", url=shown))
    if parts.username is not None or parts.password is not None:
        raise ValueError(msg("config.base_url_userinfo", url=shown))
    if parts.query or parts.fragment or text.endswith(("?", "#")):
        raise ValueError(msg("config.base_url_query", url=shown))
    try:
        parts.port  # noqa: B018 - a bad port raises here
    except ValueError:
        raise ValueError(msg("config.base_url_port", url=shown)) from None
    clean = parts.scheme.lower() + text[len(parts.scheme):].rstrip("/")
    warning = msg("config.base_url_http", url=clean) if parts.scheme.lower() == "http" else None
    return clean, warning
