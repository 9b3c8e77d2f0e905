"""Office Open XML files (.docx, .xlsx): which one a ZIP is, and the checks made on the
ZIP before any of it is unpacked.

A ZIP's central directory states every member's compressed and uncompressed size. A
zip bomb (a few KB that unpack to gigabytes) is refused on those numbers, before
python-docx or openpyxl open it: at most :data:`MAX_MEMBERS` members, at most
:data:`MAX_UNPACKED` bytes unpacked in all, and no member compressed more than
:data:`MAX_RATIO` to one (real Office XML compresses 5–20×; bombs, 1,000× and more).
The sizes the directory states are also enforced while reading (a lying directory
ends in a CRC or size error, reported as a damaged file).
"""

from __future__ import annotations

import io
import zipfile

from aical.document import Document
from aical.errors import InputError

#: Unpacked bytes of all members together: Word and Excel files of real reports unpack to
#: a few MB; 200 MB is far above any, and bounds the memory a reader can be made to use.
MAX_UNPACKED = 200 * 1024 * 1024
#: Members of one archive (a workbook has a few dozen; a bomb may have millions).
MAX_MEMBERS = 10_000
#: Compression ratio above which one member is taken for a bomb (only for members that
#: unpack beyond 1 MB: a tiny XML of repeated tags may compress well and is harmless).
MAX_RATIO = 200

_SAVE_AS = "save it again from Word or Excel, or give it as PDF or text"


def open_zip(data: bytes, name: str) -> zipfile.ZipFile:
    """The ZIP of an Office file, checked against the limits above; InputError otherwise."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError,
            NotImplementedError) as error:
        raise InputError(name, f"is a damaged ZIP archive ({error})", hint=_SAVE_AS) from None
    if len(members) > MAX_MEMBERS:
        raise InputError(name, f"is a ZIP of {len(members):,} members, over the "
                         f"{MAX_MEMBERS:,} an Office file may have", hint=_SAVE_AS)
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > 1024 * 1024 and (
                member.file_size > MAX_RATIO * max(member.compress_size, 1)):
            raise InputError(name, f"unpacks {member.filename!r} {member.file_size // max(member.compress_size, 1):,}"
                             f"-fold ({member.file_size:,} bytes): a zip bomb, not an Office file",
                             hint=_SAVE_AS)
    if total > MAX_UNPACKED:
        raise InputError(name, f"unpacks to {total:,} bytes, over the {MAX_UNPACKED // 2**20} MB "
                         "limit for an Office file", hint="split the document")
    return archive


def office_kind(archive: zipfile.ZipFile) -> str | None:
    """``docx``, ``xlsx`` or None, by the main part the archive holds."""
    names = set(archive.namelist())
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def office_document(data: bytes, name: str) -> Document:
    """A .docx or .xlsx file's bytes as a document (the reader chosen by the ZIP's parts)."""
    archive = open_zip(data, name)
    kind = office_kind(archive)
    if kind in ("docx", "xlsx"):
        what = "a Word file (.docx)" if kind == "docx" else "an Excel file (.xlsx)"
        raise InputError(name, f"is {what}; this version does not read it yet",
                         hint="save it as PDF or as text (UTF-8 or Shift_JIS) and give that file")
    names = set(archive.namelist())
    if "content.xml" in names and "mimetype" in names:
        what = "an OpenDocument file (.odt / .ods)"
    elif "ppt/presentation.xml" in names:
        what = "a PowerPoint file (.pptx)"
    else:
        what = "a ZIP archive, not a Word or Excel file"
    raise InputError(name, f"is {what}",
                     hint="save it as .docx, .xlsx, PDF or text and give that file")


__all__ = ["MAX_MEMBERS", "MAX_RATIO", "MAX_UNPACKED", "office_document", "office_kind",
           "open_zip"]
