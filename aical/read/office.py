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

import dataclasses
import datetime as dt
import io
import zipfile

from aical.document import Document, plausible_day
from aical.errors import InputError
from aical.messages import msg

#: Unpacked bytes of all members together: Word and Excel files of real reports unpack to
#: a few MB; 200 MB is far above any, and bounds the memory a reader can be made to use.
MAX_UNPACKED = 200 * 1024 * 1024
#: Members of one archive (a workbook has a few dozen; a bomb may have millions).
MAX_MEMBERS = 10_000
#: Compression ratio above which one member is taken for a bomb (only for members that
#: unpack beyond 1 MB: a tiny XML of repeated tags may compress well and is harmless).
MAX_RATIO = 200


def open_zip(data: bytes, name: str) -> zipfile.ZipFile:
    """The ZIP of an Office file, checked against the limits above; InputError otherwise."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError,
            NotImplementedError) as error:
        raise InputError(name, msg("office.damaged_zip", detail=str(error)),
                         hint=msg("read.hint_resave_office")) from None
    if len(members) > MAX_MEMBERS:
        raise InputError(name, msg("office.too_many_members", count=len(members),
                                   limit=MAX_MEMBERS), hint=msg("read.hint_resave_office"))
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > 1024 * 1024 and (
                member.file_size > MAX_RATIO * max(member.compress_size, 1)):
            raise InputError(name, msg("office.bomb", member=repr(member.filename),
                                       ratio=member.file_size // max(member.compress_size, 1),
                                       size=member.file_size),
                             hint=msg("read.hint_resave_office"))
    if total > MAX_UNPACKED:
        raise InputError(name, msg("office.too_big", size=total, limit=MAX_UNPACKED // 2**20),
                         hint=msg("read.hint_smaller"))
    return archive


def office_kind(archive: zipfile.ZipFile) -> str | None:
    """``docx``, ``xlsx`` or None, by the main part the archive holds."""
    names = set(archive.namelist())
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def made_day(archive: zipfile.ZipFile) -> dt.date | None:
    """The day the file's core properties say it was created (else last modified).

    Read from ``docProps/core.xml`` directly: python-docx and openpyxl put today's date
    in place of a missing one, which would make the same file read differently each day.
    """
    try:
        with archive.open("docProps/core.xml") as stream:
            head = stream.read(64 * 1024)  # a few hundred bytes in practice
    except (KeyError, OSError, zipfile.BadZipFile, RuntimeError):
        return None
    from lxml import etree

    try:
        root = etree.fromstring(head, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None
    for tag in ("created", "modified"):
        value = root.findtext(f"{{http://purl.org/dc/terms/}}{tag}")
        if value and (day := plausible_day(value.strip())) is not None:
            return day
    return None


def office_document(data: bytes, name: str) -> Document:
    """A .docx or .xlsx file's bytes as a document (the reader chosen by the ZIP's parts)."""
    archive = open_zip(data, name)
    kind = office_kind(archive)
    if kind == "docx":
        from aical.read.docx import docx_document

        return dataclasses.replace(docx_document(data, name), date=made_day(archive))
    if kind == "xlsx":
        from aical.read.xlsx import xlsx_document

        return dataclasses.replace(xlsx_document(data, name), date=made_day(archive))
    names = set(archive.namelist())
    if "content.xml" in names and "mimetype" in names:
        what = msg("office.kind_odf")
    elif "ppt/presentation.xml" in names:
        what = msg("office.kind_pptx")
    else:
        what = msg("office.kind_zip")
    raise InputError(name, msg("office.is_kind", kind=what), hint=msg("read.hint_save_office"))


__all__ = ["MAX_MEMBERS", "MAX_RATIO", "MAX_UNPACKED", "office_document", "office_kind",
           "open_zip"]
