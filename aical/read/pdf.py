"""PDF → text, through pdfminer.six (imported only when a PDF is read)."""

from __future__ import annotations

import re

from aical.errors import InputError
from aical.messages import msg


def pdf_text(data: bytes, name: str) -> str:
    """Text of a PDF through pdfminer.six, one line per written line.

    pdfminer maps CID fonts through their ToUnicode CMap or, for the non-embedded
    Adobe-Japan1 fonts of government PDFs, through its bundled Adobe CMaps. Lines a
    paragraph was wrapped into are joined again (see :func:`_join_wrapped`); text boxes
    (paragraphs) are separated by a blank line.
    """
    import io
    import logging

    # pdfminer logs font and xref trouble as WARNING; without a handler Python would
    # print those on stderr. A NullHandler silences that but keeps propagation.
    logger = logging.getLogger("pdfminer")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())
    try:
        from pdfminer.high_level import extract_pages
        from pdfminer.layout import LAParams, LTTextBox, LTTextLine
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    except ImportError:  # pragma: no cover - pdfminer.six is a dependency
        raise InputError(name, msg("pdf.no_pdfminer"), hint=msg("pdf.hint_install")) from None
    boxes: list[list[tuple[str, float, float, float, float]]] = []
    try:
        for page in extract_pages(io.BytesIO(data), laparams=LAParams()):
            for item in page:
                if isinstance(item, LTTextBox):
                    lines = [(line.get_text().rstrip("\n"), line.x0, line.x1, line.y0, line.y1)
                             for line in item if isinstance(line, LTTextLine)]
                    if lines:
                        boxes.append(lines)
    except (PDFEncryptionError, PDFPasswordIncorrect):
        raise InputError(name, msg("pdf.encrypted"), hint=msg("pdf.hint_unprotected")) from None
    except InputError:
        raise
    except Exception as e:  # noqa: BLE001 - pdfminer raises many kinds on a corrupt file
        raise InputError(name, msg("pdf.damaged", kind=type(e).__name__, detail=_short(e)),
                         hint=msg("pdf.hint_new_copy")) from None
    text = _join_wrapped(boxes)
    visible = re.sub(r"\(cid:\d+\)|\s", "", text)
    if not visible:
        raise InputError(name, msg("pdf.no_text"), hint=msg("pdf.hint_ocr"))
    if len(re.findall(r"\(cid:\d+\)", text)) > len(visible) // 4:
        raise InputError(name, msg("pdf.no_unicode"), hint=msg("pdf.hint_resave"))
    return text


def _short(e: Exception) -> str:
    text = str(e) or "no detail"
    return text if len(text) <= 80 else text[:77] + "..."


def _join_wrapped(boxes: list[list[tuple[str, float, float, float, float]]]) -> str:
    """Join the lines a paragraph was wrapped into.

    A line is taken as wrapped when it reaches the document's right text edge (within
    one character height) and the next line sits directly below it (a gap smaller than
    a line's height). Rows are joined with nothing between them: Japanese has no spaces,
    writers break ASCII words anywhere (``W`` / ``eb``), and a space the writer kept at
    the end of a row stays where it was.
    """
    right = max((x1 for box in boxes for _, _, x1, _, _ in box), default=0.0)
    out: list[str] = []
    for box in boxes:
        current = ""
        prev = None
        for text, x0, x1, y0, y1 in box:
            if prev is not None:
                p_text, _p_x0, p_x1, p_y0, p_y1 = prev
                height = p_y1 - p_y0
                wrapped = p_x1 >= right - 1.2 * height and 0 <= p_y0 - y1 < height
                if wrapped:
                    current += text
                    prev = (text, x0, x1, y0, y1)
                    continue
                out.append(current)
            current = text
            prev = (text, x0, x1, y0, y1)
        out.append(current)
        out.append("")
    return "\n".join(out)


