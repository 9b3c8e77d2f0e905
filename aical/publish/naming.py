"""Names for bodies that outputs share: file-name slugs, sidebar names and colours.

A body is identified by its heading path (outermost first, as in :class:`aical.model.Body`).
Everything here is a pure function of that path, never of the order bodies were found in or
of which other bodies exist, so a body keeps its feed URL and its colour from one build to
the next. The feeds (:mod:`aical.publish.ics`) and the HTML pages use the same functions, so a body
looks the same in a calendar client and on the printed page.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping

#: Longest slug, so ``bodies/<slug>.ics`` stays far below any file-system or URL limit.
MAX_SLUG = 48

#: Hex digits of the path hash in a derived slug. 24 bits: two bodies of one report
#: colliding is about one in a million, and :func:`body_slugs` lengthens the hash if they do.
HASH_DIGITS = 6

#: Names Windows refuses as file names, with or without an extension (``con.ics`` too),
#: and names the build folder uses itself.
RESERVED = frozenset(
    {"con", "prn", "aux", "nul", "all", "index"}
    | {f"com{i}" for i in range(10)}
    | {f"lpt{i}" for i in range(10)}
)

#: Body names that say what kind of meeting it is but not whose: a sidebar needs the
#: nearest ancestor that tells them apart (two projects each have a 事業部会).
GENERIC_NAMES = frozenset(
    {"総会", "幹事会", "運営委員会", "委員会", "事業部会", "作業部会", "部会", "分科会",
     "検討会", "研究会", "研修会", "発注者操作研修会", "説明会", "全体会議", "会議",
     "ワーキンググループ", "グループ"}
)

#: Headings that only group bodies (全団体事業 = work for all member bodies, 特定団体事業 =
#: work for some, 会議運営 = running the meetings): never the distinguishing ancestor.
CONTAINER_NAMES = frozenset({"全団体事業", "特定団体事業", "会議運営", "研究会", "事業", "会議"})

#: Region and framing words dropped from a project name in a sidebar
#: (あいち共同利用型施設予約システム事業 → 施設予約システム).
_LABEL_PREFIXES = ("あいち", "愛知県", "共同利用型", "共同")
_LABEL_SUFFIXES = ("事業",)

#: CSS3 colour names (RFC 7986 §5.9 wants these in COLOR) with their sRGB values, chosen to
#: be told apart side by side and to carry white or black text at ≥ 4.5:1 (WCAG 2.1).
#: Reordering or editing this list changes every body's colour: append only.
PALETTE: tuple[tuple[str, str], ...] = (
    ("royalblue", "#4169e1"),
    ("crimson", "#dc143c"),
    ("seagreen", "#2e8b57"),
    ("darkorange", "#ff8c00"),
    ("mediumpurple", "#9370db"),
    ("teal", "#008080"),
    ("saddlebrown", "#8b4513"),
    ("mediumvioletred", "#c71585"),
    ("olivedrab", "#6b8e23"),
    ("steelblue", "#4682b4"),
    ("goldenrod", "#daa520"),
    ("darkslategray", "#2f4f4f"),
    ("tomato", "#ff6347"),
    ("deepskyblue", "#00bfff"),
    ("orchid", "#da70d6"),
    ("yellowgreen", "#9acd32"),
    ("indigo", "#4b0082"),
    ("sandybrown", "#f4a460"),
    ("hotpink", "#ff69b4"),
    ("slategray", "#708090"),
    ("navy", "#000080"),
    ("darkkhaki", "#bdb76b"),
    ("lightseagreen", "#20b2aa"),
    ("firebrick", "#b22222"),
)
_NAME_OF_HEX = {hex_: name for name, hex_ in PALETTE}

#: Text colours offered by :func:`text_color_on`.
LIGHT_TEXT = "#ffffff"
DARK_TEXT = "#000000"


def _path_digest(path: tuple[str, ...]) -> str:
    """SHA-256 of the path, parts joined by U+001F (a character no heading contains)."""
    return hashlib.sha256("\x1f".join(path).encode("utf-8")).hexdigest()


def _project_label(name: str) -> str:
    """The telling part of a project heading: its parenthesis if it has one
    (あいち電子調達共同システム（CALS/EC）事業 → CALS/EC), else the name without region and
    framing words (あいち共同利用型施設予約システム事業 → 施設予約システム)."""
    inner = re.search(r"[（(]([^（）()]+)[）)]", name)
    if inner:
        return inner.group(1).strip()
    label = name
    for prefix in _LABEL_PREFIXES:
        if label.startswith(prefix) and len(label) > len(prefix):
            label = label[len(prefix):]
    for suffix in _LABEL_SUFFIXES:
        if label.endswith(suffix) and len(label) > len(suffix):
            label = label[: -len(suffix)]
    return label


def short_name(path: tuple[str, ...]) -> str:
    """A body's name short enough for a calendar sidebar.

    The body's own name (the last heading), preceded by the nearest ancestor that tells it
    apart when the name is generic: ``…/あいち電子調達共同システム（CALS/EC）事業/事業部会`` →
    ``CALS/EC 事業部会``; ``全団体事業/会議運営/総会`` → ``総会`` (its ancestors only group).
    """
    if not path:
        return ""
    name = path[-1]
    if name not in GENERIC_NAMES:
        return name
    for ancestor in reversed(path[:-1]):
        if ancestor not in CONTAINER_NAMES:
            return f"{_project_label(ancestor)} {name}"
    return name


#: Hepburn long vowels written without macrons, as Japanese URLs usually write them
#: (総務 そうむ → somu, 教育 きょういく → kyoiku, 大阪 おおさか → osaka). ``ei`` stays, as in Hepburn.
_LONG_VOWELS = re.compile(r"(?<=[ou])u|(?<=o)o")


def _is_kanji(char: str) -> bool:
    return unicodedata.name(char, "").startswith("CJK ")


def _is_katakana(text: str) -> bool:
    return all("\u30a0" <= c <= "\u30ff" for c in text)


@functools.cache
def _romaji_engine():
    """cutlet (MeCab through fugashi, with the unidic-lite dictionary) set to Hepburn.

    Built once per process and only when a slug is wanted, so ``aical parse`` never loads
    the dictionary. Foreign spellings are off because they come from the lemma, not the
    writing: UniDic reads hiragana かつ as カツ = "cutlet" (かつしか → "cutlet shika");
    :func:`_word_romaji` allows them for katakana words only (システム → system).
    """
    import cutlet

    return cutlet.Cutlet("hepburn", use_foreign_spelling=False)


def _word_romaji(engine, word) -> str:
    """One MeCab token as lowercase ASCII, or ``""`` for punctuation and what cannot be read."""
    lemma = word.feature.lemma or ""
    if _is_katakana(word.surface) and "-" in lemma and lemma.split("-", 1)[1].isascii():
        return lemma.split("-", 1)[1].lower()
    try:
        roma = engine.romaji_word(word)
    except (KeyError, IndexError, TypeError):
        # cutlet's kana table lacks a few rare kana (ゎ, ヶ as a word); skip the token.
        return ""
    if word.surface.isascii():
        return roma.lower()
    return _LONG_VOWELS.sub("", roma.lower())


def romanise(text: str) -> list[str]:
    """Lowercase ASCII words for ``text``, in Hepburn without long vowels
    (環境審議会 → ``kankyo``, ``shingikai``; 総務常任委員会 → ``somu``, ``jonin``, ``iinkai``).

    Words are MeCab's tokens (UniDic), regrouped as a reader would write them: a prefix
    (接頭辞) joins the next token and a suffix (接尾辞) or a token of one kanji (会, 市, 型,
    回) joins the one before, so 審議 + 会 is ``shingikai`` and 第 + 3 + 回 is ``dai3kai``.
    ASCII letters and digits are kept (full-width ones folded by NFKC); characters that
    cannot be read (symbols, emoji, kanji outside the dictionary) are dropped.
    """
    # MeCab reads a C string: a NUL would end the text, and control characters are no words.
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c
                   for c in unicodedata.normalize("NFKC", text))
    engine = _romaji_engine()
    words: list[str] = []
    glue_next = False
    after_content = False  # the last word is a content word a suffix may join (not の, と)
    for word in engine.tagger(text):
        roma = re.sub(r"[^a-z0-9]+", "", _word_romaji(engine, word))
        if not roma or word.white_space:
            glue_next = after_content = False  # punctuation or a space ends a word
        if not roma:
            continue
        pos = word.feature.pos1
        suffix = pos == "接尾辞" or (len(word.surface) == 1 and _is_kanji(word.surface))
        if words and (glue_next or (suffix and after_content)):
            words[-1] += roma
        else:
            words.append(roma)
        glue_next = pos == "接頭辞"
        after_content = pos not in ("助詞", "助動詞")
    return words


def sanitize_slug(text: str, limit: int = MAX_SLUG) -> str:
    """``text`` made safe as a file name and URL segment: lowercase ``a-z0-9`` and single
    hyphens, no leading or trailing hyphen (so no leading dot, no ``..``), at most ``limit``
    characters cut at a hyphen where possible. Returns ``""`` when nothing usable is left;
    Windows reserved names are left to the caller (see :data:`RESERVED`)."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(text) > limit:
        cut = text[:limit]
        text = cut.rsplit("-", 1)[0] if "-" in cut[limit // 2:] else cut
        text = text.strip("-")
    return text


# the pages ask again for the slugs the feeds were named by (in the forked page writer,
# which inherits this cache): MeCab's reading of 8,800 bodies took 2 s
@functools.lru_cache(maxsize=1 << 16)
def _derived_slug(path: tuple[str, ...], digits: int) -> str:
    readable = sanitize_slug("-".join(romanise(short_name(path))),
                             MAX_SLUG - digits - 1) or "body"
    return f"{readable}-{_path_digest(path)[:digits]}"


def _override_slug(path: tuple[str, ...], wanted: str) -> str:
    slug = sanitize_slug(wanted)
    if not slug:
        return _derived_slug(path, HASH_DIGITS)
    if slug in RESERVED:
        return f"{slug}-body"
    return slug


def body_slugs(
    paths: Iterable[tuple[str, ...]],
    overrides: Mapping[tuple[str, ...], str] | None = None,
) -> dict[tuple[str, ...], str]:
    """A slug per body path: ASCII, safe in URLs and file names, unique, stable per body.

    A derived slug is readable words from :func:`short_name` (:func:`romanise`) plus a
    short hash of the full path (``cals-ec-jigyo-bukai-1a2b3c``), so it depends on the body
    alone: adding or removing other bodies never changes it. An override (e.g. from a
    config file) wins but is sanitised first (``../../etc/passwd`` → ``etc-passwd``,
    ``CON`` → ``con-body``). Should two slugs still collide, every colliding body gets a
    longer path hash appended, which depends only on the colliding bodies.
    """
    overrides = overrides or {}
    unique_paths = sorted(set(tuple(p) for p in paths))
    slugs = {
        path: _override_slug(path, overrides[path]) if path in overrides
        else _derived_slug(path, HASH_DIGITS)
        for path in unique_paths
    }
    digits = HASH_DIGITS
    while True:
        seen: dict[str, list[tuple[str, ...]]] = {}
        for path, slug in slugs.items():
            seen.setdefault(slug, []).append(path)
        clashes = [group for group in seen.values() if len(group) > 1]
        if not clashes:
            return slugs
        digits += 2
        for group in clashes:
            for path in group:
                base = sanitize_slug(slugs[path], MAX_SLUG - digits - 1) or "body"
                slugs[path] = f"{base}-{_path_digest(path)[:digits]}"


def body_color(path: tuple[str, ...]) -> str:
    """A stable ``#rrggbb`` for a body, picked from :data:`PALETTE` by a hash of its path
    (not by its position among bodies, so it survives bodies being added). Two bodies may
    share a colour; the palette keeps that rarer, names keep them apart."""
    return PALETTE[int(_path_digest(path), 16) % len(PALETTE)][1]


def css_color_name(color: str) -> str | None:
    """The CSS3 colour name of a palette colour (RFC 7986 COLOR wants a name), or ``None``."""
    return _NAME_OF_HEX.get(color.lower())


def _luminance(color: str) -> float:
    """Relative luminance of ``#rrggbb`` as WCAG 2.1 defines it."""
    channels = []
    for i in (1, 3, 5):
        c = int(color[i:i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two ``#rrggbb`` colours, from 1 to 21."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_color_on(bg: str) -> str:
    """White or black, whichever contrasts more with ``bg``; one of them always reaches
    4.5:1 (WCAG AA for normal text), since the better of the two is at least √21 ≈ 4.58."""
    light = contrast_ratio(bg, LIGHT_TEXT)
    dark = contrast_ratio(bg, DARK_TEXT)
    return LIGHT_TEXT if light >= dark else DARK_TEXT


# ------------------------------------------------------------- shared by page and feeds

#: Weekdays by ``date.weekday()`` (0 = Monday), as a Japanese date writes them: 4月30日（木）.
WEEKDAYS_JA = ("月", "火", "水", "木", "金", "土", "日")

#: Marks that open a list item as written (・ ･ - ‐ − * • ● ○ ◯ ■ □ ◆ ◇ ▪ ※ ➢ ＊): a quoted line
#: is the meeting, not its bullet.
_LIST_MARK = re.compile(r"^(?:[\s\u3000]*[・･\-‐−–—*＊•●○◯■□◆◇▪▫➢▶►※])+[\s\u3000]*")


def date_ja(day, *, year: bool = True) -> str:
    """``2020年4月30日（木）`` (``year=False``: ``4月30日（木）``), the form Japanese notices use."""
    text = f"{day.month}月{day.day}日（{WEEKDAYS_JA[day.weekday()]}）"
    return f"{day.year}年{text}" if year else text


@functools.lru_cache(maxsize=4096)  # a build's meetings share a few hundred days
def range_ja(first, last, precision: str = "day") -> str:
    """An inclusive run of days as a person reads it: ``2020年12月28日（月）～2021年1月8日（金）``,
    ``2020年5月26日（火）～29日（金）`` within a month, ``2020年8月～11月`` for month-precision
    dates (no weekday is invented for a day that was never written)."""
    start, end = range_ja_parts(first, last, precision)
    return f"{start}～{end}" if end else start


@functools.lru_cache(maxsize=4096)  # a build's meetings share a few hundred days
def range_ja_parts(first, last, precision: str = "day") -> tuple[str, str]:
    """:func:`range_ja` as its two ends (the second ``""`` for a single day or month), so a
    page can wrap each in its own ``<time>``; the end leaves out what the start says."""
    if precision != "day":
        start = f"{first.year}年{first.month}月"
        if (first.year, first.month) == (last.year, last.month):
            return start, ""
        end = f"{last.month}月" if last.year == first.year else f"{last.year}年{last.month}月"
        return start, end
    if first == last:
        return date_ja(first), ""
    if (first.year, first.month) == (last.year, last.month):
        return date_ja(first), f"{last.day}日（{WEEKDAYS_JA[last.weekday()]}）"
    return date_ja(first), date_ja(last, year=last.year != first.year)


@functools.lru_cache(maxsize=4096)  # a build's meetings share a few hundred days
def short_range(first, last, precision: str = "day") -> str:
    """The short form of a 年間行事予定表 cell: ``5/26〜29``, ``10/14``, ``12/28〜1/8``;
    ``8月〜11月`` for month-precision dates."""
    if precision != "day":
        if (first.year, first.month) == (last.year, last.month):
            return f"{first.month}月"
        return f"{first.month}月〜{last.month}月"
    text = f"{first.month}/{first.day}"
    if last == first:
        return text
    if (last.year, last.month) == (first.year, first.month):
        return f"{text}〜{last.day}"
    return f"{text}〜{last.month}/{last.day}"


def event_anchor(uid: str) -> str:
    """The id of an event's row on the page (``ev-`` and 12 hex digits of its UID's
    SHA-256): stable from build to build, so a feed's URL can point at it."""
    return "ev-" + hashlib.sha256(uid.encode("utf-8")).hexdigest()[:12]


def clean_quote(text: str) -> str:
    """A line quoted from a report without its list mark (``・第8回検討会…`` → ``第8回検討会…``)."""
    return _LIST_MARK.sub("", text).strip()


def sibling_colors(paths: Iterable[tuple[str, ...]]) -> dict[tuple[str, ...], str]:
    """A colour per body, distinct among the bodies of one parent (the rows a reader
    compares side by side), each starting from :func:`body_color`'s stable pick.

    Siblings are taken in path order; one whose pick a sibling already holds moves on
    through :data:`PALETTE` to the next free colour (a group larger than the palette
    reuses colours; the page's letters still tell them apart). A body keeps its colour
    while its siblings stay the same."""
    groups: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for path in sorted(set(tuple(p) for p in paths)):
        groups.setdefault(path[:-1], []).append(path)
    colors: dict[tuple[str, ...], str] = {}
    hexes = [hex_ for _, hex_ in PALETTE]
    for members in groups.values():
        taken: set[str] = set()
        for path in members:
            start = hexes.index(body_color(path))
            for step in range(len(hexes)):
                pick = hexes[(start + step) % len(hexes)]
                if pick not in taken:
                    break
            else:
                pick = hexes[start]
                taken.clear()
            taken.add(pick)
            colors[path] = pick
    return colors


def body_letters(paths: Iterable[tuple[str, ...]]) -> dict[tuple[str, ...], str]:
    """A short mark per body for grayscale print (A, B, … Z, then AA, AB …), in the order
    given: the legend's order, so the mark reads the same on every page of one build."""
    letters = {}
    for i, path in enumerate(dict.fromkeys(tuple(p) for p in paths)):
        mark = ""
        n = i
        while True:
            mark = chr(ord("A") + n % 26) + mark
            n = n // 26 - 1
            if n < 0:
                break
        letters[path] = mark
    return letters
