"""OCR of PDF pages without a text layer (scans), through Tesseract's Japanese model.

A scanned page's own image (or, for any other page, a rendering by pypdfium2, installed
with pdfplumber) is read by the ``tesseract`` command (Debian: ``apt-get install
tesseract-ocr tesseract-ocr-jpn tesseract-ocr-script-jpan``; the two Japanese models are
read together, see :data:`LANGUAGES`), whose TSV output gives every word with its box; words
become lines and paragraphs in PDF coordinates (with the lines the page read left out
read again, :func:`_missed_lines`), so :mod:`aical.read.pdf` treats them like
a text layer (wrapped rows joined, headers and page numbers dropped). The text is repaired
like a PDF's (look-alike glyphs), then of what OCR alone misreads in dates
(:func:`repair_ocr_text`, :func:`_repair_eras`), and is marked as OCR text, which a person
has to check: a misread digit is a wrong date.

Limits: :data:`MAX_OCR_PAGES` pages, :data:`TIMEOUT` seconds a page, pages rendered at
:data:`DPI` but never above :data:`MAX_PIXELS` on a side.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata

from aical.errors import InputError
from aical.messages import msg

#: Resolution pages are rendered at: Tesseract reads 10 pt Japanese well from 200 dpi up.
DPI = 300
#: Resolutions (dpi) of a scanned page's own image that are read from its pixels, not
#: rendered (a coarser scan is rendered: its pixels alone are too few for the model).
NATIVE_DPI = (150, 600)
#: Longest side of a rendered page in pixels (an A4 page at 300 dpi is 3508).
MAX_PIXELS = 5000
#: Pages read by OCR at most (a few seconds each).
MAX_OCR_PAGES = 100
#: Seconds Tesseract may spend on one page.
TIMEOUT = 120
#: Tesseract models read together, those of them installed: Debian's
#: ``tesseract-ocr-jpn`` (``jpn``) and its script model ``tesseract-ocr-script-jpan``
#: (``Japanese``, a larger model of the whole script: 5.9 MB against 2.5 MB). Tesseract
#: reads with the first and tries the others on the words it is unsure of, keeping the
#: surer reading. Measured on the tests' 300 dpi scan of the sample: 84 of 84 events
#: exactly right with ``jpn+Japanese``, 72 with ``jpn`` alone (イ 検討会 read as 検討人,
#: ポリシー as ボリシー), 76 with ``Japanese`` alone and 59 with it first (it loses range
#: marks and days that jpn reads); on the 200 dpi scan 78, 71, 59 and 63. About 1.5–2
#: times as slow as ``jpn`` alone.
LANGUAGES = ("jpn", "Japanese")


def tesseract() -> str | None:
    """The ``tesseract`` command if it is installed with Japanese data."""
    found = _installed()
    return found[0] if found else None


def _installed() -> tuple[str, str] | None:
    """(``tesseract`` command, the ``-l`` models to read with), or None without Japanese
    data: every model of :data:`LANGUAGES` that is installed, so ``jpn+Japanese`` with
    Debian's script model (``tesseract-ocr-script-jpan``) there too, and ``jpn`` alone for
    a user who installed only ``tesseract-ocr-jpn``."""
    path = shutil.which("tesseract")
    if path is None:
        return None
    try:
        langs = subprocess.run([path, "--list-langs"], capture_output=True, text=True,
                               timeout=30, check=False).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return None
    models = [lang for lang in LANGUAGES if lang in langs]
    return (path, "+".join(models)) if models else None


def ocr_hint() -> str:
    """What to do about a PDF without text: install Tesseract, or (if it is there) the
    scan held nothing it could read."""
    if tesseract() is None:
        return msg("ocr.hint_install")
    return msg("ocr.hint_nothing_read")


def ocr_pages(data: bytes, name: str, indexes: list[int]):
    """Yield ``(page index, lines)`` for the 0-based pages ``indexes`` of the PDF ``data``,
    each line a :class:`aical.read.pdf._Line` in PDF points."""
    found = _installed()
    if found is None:
        raise InputError(name, msg("pdf.no_text"), hint=msg("ocr.hint_install"))
    command, languages = found
    if len(indexes) > MAX_OCR_PAGES:
        raise InputError(name, msg("ocr.too_many_pages", pages=f"{len(indexes):,}",
                                   limit=MAX_OCR_PAGES), hint=msg("pdf.hint_split"))
    try:
        import pypdfium2
    except ImportError:  # pragma: no cover - pypdfium2 comes with pdfplumber
        raise InputError(name, msg("ocr.no_pypdfium2"),
                         hint=msg("ocr.hint_install_pdfium")) from None
    try:
        document = pypdfium2.PdfDocument(data)
    except Exception as e:  # noqa: BLE001 - pdfium's errors are one class per cause
        raise InputError(name, msg("ocr.cannot_render", detail=str(e)[:80]),
                         hint=msg("pdf.hint_new_copy")) from None
    read: list[tuple[int, list]] = []
    try:
        for index in indexes:
            try:
                page = document[index]
                width, height = page.get_size()
                image, scale = _page_image(page, width, height)
                page.close()
            except InputError:
                raise
            except Exception as e:  # noqa: BLE001 - a damaged page: pdfium's PdfiumError
                raise InputError(name, msg("ocr.cannot_render",
                                           detail=f"p{index + 1}: {str(e)[:80]}"),
                                 hint=msg("pdf.hint_new_copy")) from None
            read.append((index, _read_image(command, languages, image, scale, height, name,
                                            index + 1)))
    finally:
        document.close()
    # eras are repaired with the whole document's readings (a page may hold only misreads)
    lines = [line for _, page_lines in read for line in page_lines]
    for line, text in zip(lines, _repair_eras([line.text for line in lines])):
        line.text = text
    yield from read


def _page_image(page, width: float, height: float):
    """(greyscale image, pixels per point) of one page for Tesseract. A scan — one image
    over the whole page, upright, of :data:`NATIVE_DPI` — is taken from its own pixels and
    brought to :data:`DPI` with one Lanczos resampling; rendering it through pdfium
    resamples it more coarsely. Measured with ``jpn`` on the tests' sample scanned at
    200 dpi: 71 of 84 events exactly right from the scan's pixels so, 70 rendered at
    300 dpi, 67 from the bare 200 dpi pixels. With ``jpn+Japanese``, 200 dpi scans of the
    sample and of two Chromium prints of it: 78, 81, 55 exactly right brought to 300 dpi;
    84, 69, 42 from the bare pixels; 83, 79, 56 brought to 400 dpi (a 300 dpi scan, read as
    it is: 84). Any other page is rendered at :data:`DPI`."""
    try:
        import pypdfium2

        images = [o for o in page.get_objects() if isinstance(o, pypdfium2.PdfImage)]
        if len(images) == 1:
            left, bottom, right, top = images[0].get_bounds()
            a, b, c, d, _, _ = images[0].get_matrix().get()
            # the whole page, drawn upright from its top-left corner: its pixels are the
            # page's, so the boxes Tesseract gives need no offset
            covers = abs(left) < 1 and abs(top - height) < 1 and right >= 0.95 * width \
                and bottom <= 0.05 * height
            if covers and a > 0 and d > 0 and b == 0 and c == 0:
                image = images[0].get_bitmap(render=False).to_pil().convert("L")
                scale = image.width / (right - left)
                if NATIVE_DPI[0] <= round(scale * 72) <= NATIVE_DPI[1]:
                    grow = min(DPI / (scale * 72), MAX_PIXELS / max(image.size))
                    if grow > 1.01:
                        # one resampling, with a good filter, up to the resolution the
                        # model reads best
                        from PIL import Image

                        image = image.resize((round(image.width * grow),
                                              round(image.height * grow)),
                                             Image.Resampling.LANCZOS)
                        scale *= grow
                    if max(image.size) <= MAX_PIXELS:
                        return image, scale
    except Exception:  # noqa: BLE001 - an image pdfium cannot hand out is rendered instead
        pass
    scale = min(DPI / 72, MAX_PIXELS / max(width, height, 1))
    return page.render(scale=scale, grayscale=True).to_pil(), scale


def _read_image(command: str, languages: str, image, scale: float, height: float, name: str,
                number: int):
    import io
    import tempfile

    png = io.BytesIO()
    image.save(png, format="PNG")
    # one thread: Tesseract's OpenMP threads only fight over a small machine's cores
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with tempfile.TemporaryDirectory(prefix="aical-ocr-") as folder:
        out = os.path.join(folder, "page")
        try:
            # txt and tsv from one recognition: tsv has the boxes, txt the spaces as read
            result = subprocess.run([command, "stdin", out, "-l", languages, "--psm", "3",
                                     "txt", "tsv"], input=png.getvalue(), capture_output=True,
                                    timeout=TIMEOUT, env=env, check=False)
        except subprocess.TimeoutExpired:
            raise InputError(name, msg("ocr.timeout", page=number, seconds=TIMEOUT),
                             hint=msg("ocr.hint_text")) from None
        except OSError as e:
            raise InputError(name, msg("ocr.cannot_run", page=number, detail=e.strerror or e),
                             hint=msg("ocr.hint_install")) from None
        if result.returncode != 0:
            why = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["failed"]
            raise InputError(name, msg("ocr.failed", page=number, detail=why[0][:80]),
                             hint=msg("ocr.hint_text"))
        with open(out + ".tsv", encoding="utf-8", errors="replace") as f:
            tsv = f.read()
        with open(out + ".txt", encoding="utf-8", errors="replace") as f:
            txt = f.read()
        missed = _missed_lines(image, tsv)
        extra = _read_missed(command, languages, image, missed, folder, env) if missed else []
    return _lines(tsv, txt, scale, height, extra)


#: Lines the page read may leave out that are read again, one by one, at most.
MAX_MISSED = 40


def _missed_lines(image, tsv: str) -> list[tuple[int, int, int, int]]:
    """Rows of ink that no line Tesseract read covers, as (left, top, right, bottom) in
    pixels: a line of text a line high, at least a character wide.

    Tesseract's page read sometimes returns nothing for a short line of few, large
    characters between paragraphs — on the sample printed from a web page, both headings
    ``(8) 会議運営`` and ``ア 総会`` were gone, and 27 meetings fell under the heading
    before them. Read as a single line they come out whole (:func:`_read_missed`). Table
    rules are too thin for a line, a ruled table's columns too tall, a speck too narrow;
    a picture's band is taller than a line."""
    from PIL import Image, ImageDraw

    boxes = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) >= 12 and cols[0] == "4":
            left, top, w, h = (int(c) for c in cols[6:10])
            boxes.append((left, top, left + w, top + h))
    if not boxes:
        return []
    line = sorted(b[3] - b[1] for b in boxes)[len(boxes) // 2]  # a line's height
    ink = image.convert("L").point(lambda p: 255 if p < 128 else 0)
    draw = ImageDraw.Draw(ink)
    pad = max(2, line // 8)
    for left, top, right, bottom in boxes:
        draw.rectangle((left - pad, top - pad, right + pad, bottom + pad), fill=0)
    width, height = ink.size
    # a row holds ink when at least 1/255 of the page's width is dark (specks are not)
    rows = ink.resize((1, height), Image.Resampling.BOX).tobytes()
    bands, start = [], None
    for y, value in enumerate([*rows, 0]):
        if value and start is None:
            start = y
        elif not value and start is not None:
            bands.append((start, y))
            start = None
    missed = []
    for top, bottom in bands:
        if not 0.5 * line <= bottom - top <= 2.5 * line:
            continue
        strip = ink.crop((0, top, width, bottom))
        columns = strip.resize((width, 1), Image.Resampling.BOX).tobytes()
        box = strip.getbbox()
        if box and sum(1 for c in columns if c) >= 0.75 * line:
            missed.append((box[0], top, box[2], bottom))
    return missed[:MAX_MISSED]


def _read_missed(command: str, languages: str, image, missed, folder: str, env: dict):
    """The lines :func:`_missed_lines` found, each read as one raw line (``--psm 13``,
    which sets aside the page read's line heuristics that lost it), all in one run of
    Tesseract: ``[(words as (left, top, width, height, text) on the page, line text)]``.
    A line read with too little confidence (a smudge, a stamp) is left out, and so is
    everything should this run fail: the page read stands."""
    names = []
    for i, (left, top, right, bottom) in enumerate(missed):
        margin = bottom - top  # white around the line, as a page has
        crop = image.crop((left - margin, top - margin, right + margin, bottom + margin))
        names.append(os.path.join(folder, f"missed-{i}.png"))
        crop.save(names[-1])
    listing = os.path.join(folder, "missed-list.txt")
    with open(listing, "w", encoding="utf-8") as f:
        f.write("\n".join(names) + "\n")
    out = os.path.join(folder, "missed-read")
    try:
        result = subprocess.run([command, listing, out, "-l", languages, "--psm", "13",
                                 "txt", "tsv"], capture_output=True, timeout=TIMEOUT,
                                env=env, check=False)
        if result.returncode != 0:
            return []
        with open(out + ".tsv", encoding="utf-8", errors="replace") as f:
            tsv = f.read()
        with open(out + ".txt", encoding="utf-8", errors="replace") as f:
            texts = f.read().split("\f")
    except (OSError, subprocess.SubprocessError):
        return []
    words: dict[int, list] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) >= 12 and cols[0] == "5" and cols[11].strip():
            page = int(cols[1]) - 1
            left, top, w, h = (int(c) for c in cols[6:10])
            words.setdefault(page, []).append((left, top, w, h, float(cols[10]),
                                               cols[11].strip()))
    read = []
    for page, found in sorted(words.items()):
        if page >= len(missed) or page >= len(texts):
            continue
        text = " ".join(texts[page].split())
        if not text or sum(w[4] for w in found) / len(found) < MIN_MISSED_CONFIDENCE:
            continue
        left, top, right, bottom = missed[page]
        dx, dy = left - (bottom - top), top - (bottom - top)
        read.append(([(x + dx, y + dy, w, h, word) for x, y, w, h, _, word in found], text))
    return read


#: Mean word confidence (0–100) below which a line read again is taken for a smudge.
MIN_MISSED_CONFIDENCE = 60


#: Tesseract's Japanese model has no wave dash (its jpn character set holds only ASCII
#: ``~``): it drops the mark of a range or reads it as て, へ or ー (14日～20日 comes out as
#: 14日20日, 14日て20日, 14日へ20日). A day or month written directly after a day, a month
#: directly after a month, or a date with its own era or year directly after a day
#: (12月28日令和3年1月8日) can only be the end of a range whose mark was lost.
_LOST_RANGE = re.compile(
    r"([0-9０-９]\s*日)\s*[てへヘごこー一~∼]?\s*(?=[0-9０-９]{1,2}\s*[日月]|令和|平成|昭和|[0-9]{4}\s*年)"
    r"|([0-9０-９]\s*月)\s*[てへヘごこー一~∼]?\s*(?=[0-9０-９]{1,2}\s*月)")
#: Letters and look-alikes read inside a number: O/o/〇 for 0, l/I for 1 between digits,
#: 曰 (say) for 日 after a digit.
_ZERO = re.compile(r"(?<=[0-9])[OoＯｏ〇](?=[0-9]|\s*[年月日])|(?<=[年月])[OoＯｏ〇](?=[0-9])")
_ONE = re.compile(r"(?<=[0-9])[lI](?=[0-9])")  # not |: a table's rule between two numbers
_SAY = re.compile(r"(?<=[0-9])\s*曰")
#: ``X和N年``: an era whose first character was misread (Tesseract reads 令 as 偽, 信, 今).
#: Which era is meant — 令和 or 昭和 — is left to the document (see :func:`_repair_eras`);
#: words that end in 和 are no era.
_ERA_WA = re.compile(r"([\u3400-\u9fff])和(?=\s*(?:元|[0-9０-９]{1,2})\s*年)")
_WA_WORDS = frozenset("令昭平調緩飽総融温柔協共中親唱不違英大")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff10-\uff5a]")


def repair_ocr_text(text: str) -> str:
    """One line of OCR text with the misreadings that only OCR makes in dates repaired
    (lost range marks, letters in numbers) and its brackets set full-width where they
    stand in Japanese text (the model reads （ as ``(``; see :func:`_brackets`)."""
    text = _ZERO.sub("0", text)
    text = _ONE.sub("1", text)
    text = _SAY.sub("日", text)
    text = _LOST_RANGE.sub(lambda m: (m[1] or m[2]) + "～", text)
    return _brackets(text)


def _brackets(text: str) -> str:
    """Round brackets Tesseract read as ASCII, made full-width where Japanese typesetting
    sets them so: around Japanese text (``(令和2年5月26日)``) or between Japanese on both
    sides (``システム(CALS/EC)事業``). A marker at a line's start (``(2) あいち…``) and
    brackets in Latin text stay as read. The spaces the model puts beside them go."""
    opened: list[int] = []
    pairs: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        if ch == "(":
            opened.append(i)
        elif ch == ")" and opened:
            pairs.append((opened.pop(), i))
    if not pairs:
        return text
    chars = list(text)
    for start, end in pairs:
        before = text[:start].rstrip()[-1:]
        after = text[end + 1:].lstrip()[:1]
        inside = text[start + 1:end]
        if _CJK.search(inside) or (_CJK.match(before or " ") and _CJK.match(after or " ")):
            chars[start], chars[end] = "（", "）"
    out = "".join(chars)
    return re.sub(r"\s*([（）])\s*", r"\1", out).strip() if out != text else out


def _repair_eras(texts: list[str]) -> list[str]:
    """``偽和2年`` → ``令和2年`` in a document that reads 令和 elsewhere: the era a misread
    first character stands for is the one of 令和 / 昭和 the document's other dates use
    (most often, its year in range); with neither read, or a tie, the text stays."""
    import datetime as dt

    counts = {era: sum(t.count(era) for t in texts) for era in ("令和", "昭和")}
    longest = {"令和": dt.date.today().year - 2018 + 1, "昭和": 64}

    def fix(m: re.Match) -> str:
        if m[1] in _WA_WORDS:
            return m[0]
        year_text = re.match(r"\s*(元|[0-9０-９]{1,2})", m.string[m.end():])[1]
        year = 1 if year_text == "元" else int(unicodedata.normalize("NFKC", year_text))
        fits = [e for e in counts if counts[e] and 1 <= year <= longest[e]]
        fits.sort(key=lambda e: -counts[e])
        if not fits or (len(fits) > 1 and counts[fits[0]] == counts[fits[1]]):
            return m[0]
        return fits[0]

    return [_ERA_WA.sub(fix, t) for t in texts]


def _lines(tsv: str, txt: str, scale: float, height: float, extra=()):
    """Tesseract's lines in PDF coordinates (points, y upwards): the boxes from the TSV
    (block, paragraph, line), the text from the plain output, which keeps the spaces
    Tesseract read (``1 全団体事業``) where the TSV only has words. Should the two not
    line up, a line's words are joined, with a space only between Latin words. ``extra``
    lines (:func:`_read_missed`) go in before the first line below them that they share
    a column with, each its own paragraph."""
    from aical.read.pdf import _Line, repair_glyphs

    groups: dict[tuple[int, int, int], list[tuple[int, int, int, int, str]]] = {}
    boxes: dict[tuple[int, int], int] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        block, par, line = int(cols[2]), int(cols[3]), int(cols[4])
        left, top, w, h = (int(c) for c in cols[6:10])
        groups.setdefault((block, par, line), []).append((left, top, w, h, cols[11].strip()))
        boxes.setdefault((block, par), len(boxes))
    texts = [t.strip() for t in txt.splitlines() if t.strip()]
    aligned = len(texts) == len(groups) and all(
        _no_space(t) == _no_space("".join(w[4] for w in words))
        for t, words in zip(texts, groups.values()))
    lines = []
    for i, ((block, par, _), words) in enumerate(groups.items()):
        if aligned:
            text = texts[i]
        else:
            text = ""
            for *_, word in words:
                if text and _latin(text[-1]) and _latin(word[0]):
                    text += " "
                text += word
        text = repair_ocr_text(unicodedata.normalize("NFC", text))
        x0 = min(w[0] for w in words) / scale
        x1 = max(w[0] + w[2] for w in words) / scale
        top = min(w[1] for w in words) / scale
        bottom = max(w[1] + w[3] for w in words) / scale
        lines.append(_Line(repair_glyphs(text), x0, x1, height - bottom, height - top,
                           boxes[(block, par)]))
    for n, (words, text) in enumerate(extra):
        text = repair_glyphs(repair_ocr_text(unicodedata.normalize("NFC", text)))
        x0 = min(w[0] for w in words) / scale
        x1 = max(w[0] + w[2] for w in words) / scale
        top = height - min(w[1] for w in words) / scale
        bottom = height - max(w[1] + w[3] for w in words) / scale
        new = _Line(text, x0, x1, bottom, top, len(boxes) + n)
        at = next((i for i, line in enumerate(lines)
                   if line.y1 < new.y1 and line.x0 < new.x1 and new.x0 < line.x1), len(lines))
        lines.insert(at, new)
    return lines


def _no_space(text: str) -> str:
    return re.sub(r"\s", "", text)


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()
