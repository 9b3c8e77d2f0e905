"""Bytes to text: encoding detection, PDF text, width normalisation.

This is the edge of aical that touches input files. Everything after it works on
:class:`Text`, whose ``text`` is decoded, has ``"\\n"`` line ends and no BOM.

Encodings are detected without a dependency, in this order:

1. ``%PDF-`` magic → PDF text through pdfminer.six (imported only then).
2. A byte-order mark → ``utf-8-sig`` or ``utf-16``.
3. NUL bytes → UTF-16 without BOM, if the NULs sit on one byte parity (ASCII and line
   ends in UTF-16 have a zero high byte); otherwise the file is binary.
4. ``ESC $ B`` in 7-bit data → ISO-2022-JP (JIS, as mail and old tools write it).
5. Strict UTF-8.
6. Strict cp932 (Windows Shift_JIS) and EUC-JP; when both decode, the one that reads
   more like Japanese wins (:func:`_japanese_score`: hiragana, katakana, JIS level-1
   kanji and CJK punctuation count for, half-width katakana and private-use
   characters count against; EUC-JP bytes read as cp932 come out as half-width katakana).
   ``euc-jis-2004`` / ``shift-jis-2004`` are tried only when the plain codecs fail
   (EUC-JP files with NEC row-13 symbols such as ①).

Line numbers everywhere in aical count ``"\\n"`` only, as an editor does; other
Unicode line breaks (form feed, U+2028) stay inside their line.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from aical.document import Document, Location, Paragraph
from aical.errors import InputError
from aical.messages import msg

#: Inputs larger than this are refused before they are read: the largest real 事業報告
#: PDFs are a few MB; anything this big is the wrong file and would be slow to parse.
MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Text:
    """A document as text.

    ``name`` is the file name as the user gave it; ``encoding`` is the codec used
    (``utf-8``, ``utf-8-sig``, ``cp932``, ``euc-jp``, ``utf-16``, ``iso-2022-jp``,
    ``euc-jis-2004``, ``shift-jis-2004``, or ``pdf``); ``kind`` is ``text`` or ``pdf``.
    """

    name: str
    text: str
    encoding: str
    kind: str = "text"

    @cached_property
    def lines(self) -> tuple[str, ...]:
        """The lines, split on ``"\\n"`` only, so line *n* is the editor's line *n*."""
        if not self.text:
            return ()
        parts = self.text.split("\n")
        if parts[-1] == "":
            parts.pop()
        return tuple(parts)


# ---------------------------------------------------------------------------- files


def read_bytes(path: str | Path, name: str | None = None) -> bytes:
    """The bytes of one input file, refused past :data:`MAX_BYTES`; every failure is an
    :class:`InputError` naming ``name`` (default: the path as given)."""
    name = str(path) if name is None else name
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(st.st_mode):
            raise InputError(name, msg("read.not_regular"), hint=msg("read.hint_give_file"))
        if st.st_size > MAX_BYTES:
            raise InputError(name, msg("read.too_big", size=st.st_size,
                                       limit=MAX_BYTES // 2**20), hint=msg("read.hint_split"))
        with open(path, "rb") as f:
            # One byte over the limit is enough to notice a file that grew since stat().
            return f.read(MAX_BYTES + 1)
    except OSError as error:
        raise _os_error(name, error) from None


def read_text(path: str | Path) -> Text:
    """Read a text or PDF file into :class:`Text`; every failure is an :class:`InputError`."""
    return decode(read_bytes(path), str(path))


def read_document(path: str | Path, name: str | None = None, *, ocr: bool = False) -> Document:
    """Read one file into the document model; every failure is an :class:`InputError`.

    ``name`` is what locations and outputs call the file (relative to the input folder);
    it defaults to the path as given. The format is chosen by content (see
    :func:`document_from_bytes`).
    """
    from aical.publish.hygiene import shown_name

    # a name in bytes that are not UTF-8 (Shift_JIS from Windows) is shown decoded, or
    # escaped: never a lone surrogate that would break every output file
    shown = shown_name(name if name is not None else path)
    return document_from_bytes(read_bytes(path, shown), shown, ocr=ocr)


#: File name endings of the formats aical reads, and what a folder scan picks up.
SUFFIXES = {".txt": "text", ".text": "text", ".tsv": "text", ".md": "markdown",
            ".markdown": "markdown", ".pdf": "pdf", ".html": "html", ".htm": "html",
            ".xhtml": "html", ".docx": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx"}


def document_from_bytes(data: bytes, name: str, *, ocr: bool = False) -> Document:
    """One file's bytes as a document, the reader chosen by content, not by name:

    ``%PDF-`` → PDF; a ZIP holding ``word/document.xml`` → Word, ``xl/workbook.xml`` →
    Excel; a page opening with a doctype or ``<html>`` (or a ``.html`` name, for
    fragments) → HTML; other text → Markdown when named ``.md`` or written with
    Markdown headings, else plain text. Pure: touches no file. ``ocr`` reads the pages
    of a PDF that have no text layer by OCR (a PDF with no text at all is read by OCR
    anyway).
    """
    if len(data) > MAX_BYTES:
        raise InputError(name, msg("read.over_limit", limit=MAX_BYTES // 2**20),
                         hint=msg("read.hint_split"))
    if not data:
        raise InputError(name, msg("read.empty"), hint=msg("read.hint_right_file"))
    suffix = Path(name).suffix.lower()
    if data.startswith(b"PK\x03\x04"):
        from aical.read.office import office_document

        return office_document(data, name)
    if _is_pdf(data):
        from aical.read.pdf import read_pdf

        return read_pdf(data, name, ocr=ocr)
    from aical.read.html import html_document, looks_like_html

    if looks_like_html(data) or (SUFFIXES.get(suffix) == "html" and b"<" in data):
        return html_document(data, name)
    text = decode(data, name)
    if text.kind == "text":
        from aical.read.markdown import is_markdown, markdown_document
        from aical.read.text import text_blocks

        if SUFFIXES.get(suffix) == "markdown" or is_markdown(text.text):
            return markdown_document(text)
        return Document(text.name, "text", text_blocks(text), encoding=text.encoding)
    return text_document(text)


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """(codec, text) of bytes in a text encoding (see the module docstring): BOM removed,
    line ends ``"\\n"``; an :class:`InputError` for binary data."""
    encoding, text = _decode_text(data, name)
    text = _clean(text)
    _check_controls(text, name)
    return encoding, text


def _is_pdf(data: bytes) -> bool:
    return data.lstrip(b"\x00\t\n\r\x0c ")[:5] == b"%PDF-"


def text_document(text: Text) -> Document:
    """A decoded text (or PDF text) as a document: one paragraph per written line, blank
    lines kept as empty paragraphs so line numbers stay the editor's."""
    blocks = tuple(Paragraph(line, Location(text.name, line=number))
                   for number, line in enumerate(text.lines, 1))
    return Document(text.name, text.kind, blocks, encoding=text.encoding)


def _os_error(name: str, error: OSError) -> InputError:
    """What a person should hear when the operating system refuses a file."""
    if isinstance(error, FileNotFoundError):
        return InputError(name, msg("read.no_such_file"), hint=msg("read.hint_check_path"))
    if isinstance(error, IsADirectoryError):
        return InputError(name, msg("read.is_directory"), hint=msg("read.hint_files_inside"))
    if isinstance(error, PermissionError):
        return InputError(name, msg("read.permission_denied"), hint=msg("read.hint_permissions"))
    return InputError(name, msg("read.cannot_read", reason=str(error.strerror or error)))


# ---------------------------------------------------------------------------- decoding

_BINARY_MAGIC = (
    (b"PK\x03\x04", msg("read.kind_zip")),
    (b"\xd0\xcf\x11\xe0", msg("read.kind_old_office")),
    (b"\x89PNG", msg("read.kind_png")),
    (b"\xff\xd8\xff", msg("read.kind_jpeg")),
    (b"GIF8", msg("read.kind_gif")),
    (b"\x1f\x8b", msg("read.kind_gzip")),
    (b"{\\rtf", msg("read.kind_rtf")),
)
_SAVE_AS = msg("read.hint_save_as")

# Control characters a text file may carry: tab, LF, VT, FF, CR, and the DOS end-of-file
# mark; ESC only inside ISO-2022-JP, which is decoded before this is checked.
_ALLOWED_CONTROLS = frozenset("\t\n\x0b\x0c\r\x1a")
#: Share of other control characters above which decoded data is called binary.
_MAX_CONTROL_SHARE = 0.02
#: Legacy-encoding candidates must read at least this much like Japanese text.
_MIN_SCORE = 0.3
#: How many characters of a long UTF-8 text are scored (see :func:`_decode_text`).
_SCORE_SAMPLE = 100_000


def decode(data: bytes, name: str) -> Text:
    """Decode a file's bytes (text in a Japanese encoding, or a PDF) into :class:`Text`.

    Pure: touches no file. Raises :class:`InputError` naming ``name`` for anything
    that is not readable text; never another exception.
    """
    if len(data) > MAX_BYTES:
        raise InputError(name, msg("read.over_limit", limit=MAX_BYTES // 2**20),
                         hint=msg("read.hint_split"))
    if not data:
        # An empty file is an error, not an empty calendar: nothing downstream can tell
        # the user that the file they meant to give has no content.
        raise InputError(name, msg("read.empty"), hint=msg("read.hint_right_file"))
    if _is_pdf(data):
        from aical.read.pdf import pdf_text

        return Text(name, pdf_text(data, name), "pdf", "pdf")
    for magic, what in _BINARY_MAGIC:
        if data.startswith(magic):
            raise InputError(name, msg("read.binary_kind", kind=what), hint=_SAVE_AS)
    encoding, text = decode_text(data, name)
    return Text(name, text, encoding, "text")


def _clean(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _check_controls(text: str, name: str) -> None:
    # counted per control character by str.count (C speed; a loop over every character
    # in Python cost seconds on a 45 MB report)
    bad = sum(text.count(chr(c)) for c in range(0x20) if chr(c) not in _ALLOWED_CONTROLS)
    if "\x00" in text or bad > _MAX_CONTROL_SHARE * len(text):
        raise InputError(name, msg("read.controls"), hint=_SAVE_AS)


def _decode_text(data: bytes, name: str) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", _strict(data, "utf-8-sig", name)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if data.startswith(codecs.BOM_UTF32_LE) or len(data) % 2:
            raise InputError(name, msg("read.bad_utf16_bom"), hint=_SAVE_AS)
        return "utf-16", _strict(data, "utf-16", name)
    if b"\x00" in data:
        return _decode_utf16_without_bom(data, name)
    if b"\x1b$B" in data or b"\x1b$@" in data:
        try:
            return "iso-2022-jp", data.decode("iso-2022-jp")
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        utf8_error = e
    else:
        # A short EUC-JP file can be valid UTF-8 by accident (年 is C7 AF, UTF-8 for ǯ);
        # only then does a legacy codec get to compete, and it must read clearly better.
        # a long text that reads as Japanese from its start is UTF-8 (Japanese in EUC-JP
        # holds kana, never valid UTF-8), so only its start is scored (the whole of a
        # 45 MB report took 2 s)
        if len(text) > _SCORE_SAMPLE and _japanese_score(text[:_SCORE_SAMPLE]) >= _MIN_SCORE:
            return "utf-8", text
        score = _japanese_score(text)
        if score >= _MIN_SCORE:
            return "utf-8", text
        legacy = _best_legacy(data)
        if legacy and legacy[0] > max(score, _MIN_SCORE):
            return legacy[1], legacy[2]
        return "utf-8", text
    mostly_utf8 = _mostly_utf8(data)
    if utf8_error.reason == "unexpected end of data" and mostly_utf8:
        raise InputError(name, msg("read.truncated_utf8"),
                         line=data.count(b"\n", 0, utf8_error.start) + 1,
                         hint=msg("read.hint_save_again"))
    if mostly_utf8:
        raise InputError(name, msg("read.damaged_utf8", byte=f"0x{data[utf8_error.start]:02x}"),
                         line=data.count(b"\n", 0, utf8_error.start) + 1,
                         hint=msg("read.hint_save_again"))
    legacy = _best_legacy(data)
    if legacy and legacy[0] >= _MIN_SCORE:
        return legacy[1], legacy[2]
    if legacy:
        raise InputError(name, msg("read.not_japanese"), hint=_SAVE_AS)
    pos, codec = _furthest_error(data)
    raise InputError(name, msg("read.unknown_encoding", codec=codec, byte=f"0x{data[pos]:02x}"),
                     line=data.count(b"\n", 0, pos) + 1, hint=_SAVE_AS)


_LEGACY = (("cp932", "shift-jis-2004"), ("euc-jp", "euc-jis-2004"))


def _best_legacy(data: bytes) -> tuple[float, str, str] | None:
    """(score, codec, text) of the legacy codec that reads ``data`` most like Japanese.

    The first codec of a pair that decodes is the pair's candidate; on equal scores
    cp932 wins, as the more common encoding.
    """
    candidates = []
    for pair in _LEGACY:
        for codec in pair:
            try:
                text = data.decode(codec.replace("-", "_"))
            except UnicodeDecodeError:
                continue
            candidates.append((_japanese_score(text), -len(candidates), codec, text))
            break
    if not candidates:
        return None
    score, _, codec, text = max(candidates)
    return score, codec, text


def _furthest_error(data: bytes) -> tuple[int, str]:
    """Where decoding fails latest, and in which codec: the most useful place to point at."""
    furthest = (0, "utf-8")
    for codec in ("utf-8", *(c for pair in _LEGACY for c in pair)):
        try:
            data.decode(codec.replace("-", "_"))
        except UnicodeDecodeError as e:
            furthest = max(furthest, (e.start, codec))
    return furthest


def _strict(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        raise InputError(name, msg("read.invalid_codec", codec=codec, offset=e.start,
                                   reason=e.reason), hint=msg("read.hint_save_again")) from None


def _mostly_utf8(data: bytes) -> bool:
    """True when the bytes are UTF-8 with a few bad spots (damage, not another encoding)."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ch > "\x7f" and ch != "\ufffd")
    return good >= 4 and bad * 20 <= good


def _decode_utf16_without_bom(data: bytes, name: str) -> tuple[str, str]:
    # ASCII (digits, spaces, line ends) in UTF-16 has a zero high byte: little-endian
    # puts it at odd offsets, big-endian at even ones. Binary data has NULs on both.
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    if len(data) % 2 == 0 and max(even, odd) >= 4 * min(even, odd) + 1:
        codec = "utf-16-le" if odd > even else "utf-16-be"
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            pass
        else:
            if "\x00" not in text:
                return "utf-16", text
    raise InputError(name, msg("read.nul_bytes"), hint=_SAVE_AS)


def _japanese_score(text: str) -> float:
    """How much ``text`` reads like Japanese: about 1 for real text, below 0 for mojibake.

    Averaged over non-ASCII characters, so it does not depend on length; pure ASCII
    scores 1 (every legacy codec reads ASCII the same).
    """
    from collections import Counter

    total = 0.0
    count = 0
    # scored per distinct character, weighted by how often it occurs: a document has a
    # few thousand distinct characters, so this costs one C-speed count of the text
    for ch, times in Counter(text).items():
        o = ord(ch)
        if o < 0x80:
            continue
        count += times
        total += times * _char_score(ch, o)
    return 1.0 if count == 0 else total / count


def _char_score(ch: str, o: int) -> float:
    """How Japanese one non-ASCII character looks (see :func:`_japanese_score`)."""
    if 0x3041 <= o <= 0x30FF or 0x3000 <= o <= 0x303F or 0xFF01 <= o <= 0xFF5E:
        return 1.0
    if 0x4E00 <= o <= 0x9FFF:
        return 1.0 if _is_level1_kanji(ch) else 0.2
    if 0xFF61 <= o <= 0xFF9F:
        return -1.0  # half-width katakana: rare in reports, the face of EUC-JP read as cp932
    if 0xE000 <= o <= 0xF8FF or 0x80 <= o <= 0x9F:
        return -2.0
    if _in_jis_x0208(ch):
        return 0.5  # ※ → ─ ① Ⅰ, Greek, Cyrillic: JIS symbols documents do use
    return -0.5


def _in_jis_x0208(ch: str) -> bool:
    try:
        return len(ch.encode("euc_jp")) >= 2  # JIS X 0208, or X 0212 (®, é) in 3 bytes
    except UnicodeEncodeError:
        return False


def _is_level1_kanji(ch: str) -> bool:
    """JIS X 0208 level 1 (the 2,965 common kanji): EUC-JP lead byte 0xB0–0xCF."""
    try:
        return 0xB0 <= ch.encode("euc_jp")[0] <= 0xCF
    except UnicodeEncodeError:
        return False


# ---------------------------------------------------------------------------- width


def _width_table() -> dict[int, str]:
    table = {o: chr(o - 0xFEE0) for o in range(0xFF01, 0xFF5F)}  # ！..～ → !..~
    table[0x3000] = " "  # ideographic space
    # ～ (FULLWIDTH TILDE) and 〜 (WAVE DASH) are one JIS character (1-1-33): cp932 decodes
    # it as U+FF5E, EUC-JP / ISO-2022-JP as U+301C. Both become ～ so the range separator
    # reads the same from every encoding; it is never turned into ASCII ~.
    table[0xFF5E] = "～"
    table[0x301C] = "～"
    # The other cp932/JIS mapping splits, unified the same way (cp932's side wins).
    table[0x2212] = "-"  # MINUS SIGN (EUC-JP) ↔ FULLWIDTH HYPHEN-MINUS (cp932) → -
    table[0x2016] = "∥"  # DOUBLE VERTICAL LINE ↔ PARALLEL TO
    table[0x2014] = "―"  # EM DASH ↔ HORIZONTAL BAR
    table[0xFFE0] = "¢"
    table[0xFFE1] = "£"
    table[0xFFE2] = "¬"
    # Kangxi radicals come out of PDFs whose ToUnicode maps 日 to ⽇ (U+2F47): they are
    # never meant as radicals in a report, and a date written with ⽉ would not be found.
    for o in range(0x2F00, 0x2FD6):
        table[o] = unicodedata.normalize("NFKC", chr(o))
    # Era ligatures are the era names themselves.
    for ch in "㍾㍽㍼㍻㋿":
        table[ord(ch)] = unicodedata.normalize("NFKC", ch)
    return table


_WIDTH = _width_table()
_HALFWIDTH_KANA = re.compile("[\uff61-\uff9f]+")


def normalize_width(line: str) -> str:
    """A width-normalised copy of ``line`` for matching; show the original to people.

    What changes (a safe subset of NFKC for Japanese text):

    - full-width ASCII letters, digits and punctuation → ASCII (``２０２０`` → ``2020``,
      ``（`` → ``(``), and the ideographic space → a space;
    - half-width katakana → full-width, voiced marks composed (``ｶﾞ`` → ``ガ``,
      ``｢`` → ``「``), so the line may get shorter;
    - ～ (U+FF5E) and 〜 (U+301C) → ～: the same JIS character decoded two ways;
      ASCII ``~`` stays ASCII. Likewise − (U+2212) → ``-``, — → ―, ‖ → ∥;
    - Kangxi radicals (⽇ ⽉) → the kanji (日 月); era ligatures ㍻ ㋿ → 平成 令和.

    What stays: 「」『』〔〕【】・、。 and every other kanji or kana, circled numbers
    (①), units (㎡) and ``㈱``, which NFKC would turn into ASCII that reads differently.
    """
    line = line.translate(_WIDTH)
    return _HALFWIDTH_KANA.sub(lambda m: unicodedata.normalize("NFKC", m.group()), line)
