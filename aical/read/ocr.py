"""OCR of PDF pages without a text layer (scans), through Tesseract's Japanese model.

Pages are rendered with pypdfium2 (installed with pdfplumber) and read by the
``tesseract`` command (Debian: ``apt-get install tesseract-ocr tesseract-ocr-jpn``), whose
TSV output gives every word with its box; words become lines and paragraphs in PDF
coordinates, so :mod:`aical.read.pdf` treats them like a text layer (wrapped rows joined,
headers and page numbers dropped). The text is repaired like a PDF's (look-alike glyphs)
and is marked as OCR text, which a person has to check: a misread digit is a wrong date.

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
#: Longest side of a rendered page in pixels (an A4 page at 300 dpi is 3508).
MAX_PIXELS = 5000
#: Pages read by OCR at most (a few seconds each).
MAX_OCR_PAGES = 100
#: Seconds Tesseract may spend on one page.
TIMEOUT = 120

def tesseract() -> str | None:
    """The ``tesseract`` command if it is installed with Japanese (``jpn``) data."""
    path = shutil.which("tesseract")
    if path is None:
        return None
    try:
        langs = subprocess.run([path, "--list-langs"], capture_output=True, text=True,
                               timeout=30, check=False).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return None
    return path if "jpn" in langs else None


def ocr_hint() -> str:
    """What to do about a PDF without text: install Tesseract, or (if it is there) the
    scan held nothing it could read."""
    if tesseract() is None:
        return msg("ocr.hint_install")
    return msg("ocr.hint_nothing_read")


def ocr_pages(data: bytes, name: str, indexes: list[int]):
    """Yield ``(page index, lines)`` for the 0-based pages ``indexes`` of the PDF ``data``,
    each line a :class:`aical.read.pdf._Line` in PDF points."""
    command = tesseract()
    if command is None:
        raise InputError(name, msg("pdf.no_text"), hint=msg("ocr.hint_install"))
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
    try:
        for index in indexes:
            page = document[index]
            width, height = page.get_size()
            scale = min(DPI / 72, MAX_PIXELS / max(width, height, 1))
            image = page.render(scale=scale, grayscale=True).to_pil()
            page.close()
            yield index, _read_image(command, image, scale, height, name, index + 1)
    finally:
        document.close()


def _read_image(command: str, image, scale: float, height: float, name: str, number: int):
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
            result = subprocess.run([command, "stdin", out, "-l", "jpn", "--psm", "3",
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
    return _lines(tsv, txt, scale, height)


#: Tesseract's Japanese model drops the wave dash of a range or reads it as て
#: (14日～20日 comes out as 14日20日 or 14日て20日): a day or month written directly after
#: a day, or a month directly after a month, can only be the end of a range whose mark
#: was lost.
_LOST_RANGE = re.compile(r"(?<=日)\s*て?\s*(?=[0-9０-９]{1,2}\s*[日月])"
                         r"|(?<=月)\s*て?\s*(?=[0-9０-９]{1,2}\s*月)")


def _lines(tsv: str, txt: str, scale: float, height: float):
    """Tesseract's lines in PDF coordinates (points, y upwards): the boxes from the TSV
    (block, paragraph, line), the text from the plain output, which keeps the spaces
    Tesseract read (``1 全団体事業``) where the TSV only has words. Should the two not
    line up, a line's words are joined, with a space only between Latin words."""
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
        text = _LOST_RANGE.sub("～", unicodedata.normalize("NFC", text))
        x0 = min(w[0] for w in words) / scale
        x1 = max(w[0] + w[2] for w in words) / scale
        top = min(w[1] for w in words) / scale
        bottom = max(w[1] + w[3] for w in words) / scale
        lines.append(_Line(repair_glyphs(text), x0, x1, height - bottom, height - top,
                           boxes[(block, par)]))
    return lines


def _no_space(text: str) -> str:
    return re.sub(r"\s", "", text)


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()
