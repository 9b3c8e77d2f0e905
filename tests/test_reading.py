"""reading: bytes in every encoding people have, PDF, width normalisation, hostile input.

Truth is independent of aical: the sample text and the corpus as Python's codecs encode
them, the JIS code table as Python's euc_jp and cp932 codecs decode it, and the sample
text against the committed PDFs (made by tests/data/make_pdf.py).
"""

from __future__ import annotations

import codecs
import os
import random
import subprocess
import sys
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aical import read as reading
from aical.errors import InputError
from aical.read import MAX_BYTES, Text, decode, normalize_width, read_text
from conftest import DATA, ROOT, SAMPLE

CORPUS = sorted((DATA / "corpus").glob("*.txt"))
PDFS = [DATA / "r2-jigyo-hokoku.pdf", DATA / "reading-r2-embedded.pdf"]

#: What a converter writes for a character the target encoding lacks: the same JIS
#: character under the target's own Unicode mapping, or an ASCII spelling.
_SUBSTITUTES = {"～": "〜", "－": "−", "—": "―", "‼": "!!", "©": "(c)", "®": "(R)", "™": "TM"}


def sample_text() -> str:
    with open(SAMPLE, encoding="utf-8", newline="") as f:
        return f.read()


def carried(text: str, codec: str) -> str:
    """``text`` as ``codec`` can carry it: unencodable characters substituted."""
    out = []
    for ch in text:
        try:
            ch.encode(codec)
        except UnicodeEncodeError:
            ch = _SUBSTITUTES[ch]
        out.append(ch)
    return "".join(out)


def encode(text: str, how: str) -> tuple[bytes, str, str]:
    """(bytes, the text they carry, the encoding name decode() must report)."""
    if how == "cp932+crlf":
        t = carried(text, "cp932")
        return t.replace("\n", "\r\n").encode("cp932"), t, "cp932"
    if how == "euc-jp":
        t = carried(text, "euc_jp")
        return t.encode("euc_jp"), t, "euc-jp"
    if how == "iso-2022-jp":
        t = carried(text, "iso2022_jp")
        return t.encode("iso2022_jp"), t, "iso-2022-jp"
    if how == "utf-8":
        return text.encode("utf-8"), text, "utf-8"
    if how == "utf-8-sig":
        return codecs.BOM_UTF8 + text.encode("utf-8"), text, "utf-8-sig"
    if how == "utf-16-le+bom":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le"), text, "utf-16"
    if how == "utf-16-be+bom":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be"), text, "utf-16"
    if how == "utf-16-be":
        return text.encode("utf-16-be"), text, "utf-16"
    if how == "utf-16-le+crlf":
        return text.replace("\n", "\r\n").encode("utf-16-le"), text, "utf-16"
    if how == "utf-8+cr":
        return text.replace("\n", "\r").encode("utf-8"), text, "utf-8"
    raise AssertionError(how)


WAYS = ["cp932+crlf", "euc-jp", "iso-2022-jp", "utf-8", "utf-8-sig", "utf-16-le+bom",
        "utf-16-be+bom", "utf-16-be", "utf-16-le+crlf", "utf-8+cr"]


# ---------------------------------------------------------------------------- encodings


@pytest.mark.parametrize("how", WAYS)
def test_sample_decodes_exactly_in_every_encoding(how):
    data, expected, encoding = encode(sample_text(), how)
    got = decode(data, "sample.txt")
    assert got.encoding == encoding
    assert got.kind == "text"
    assert got.text == expected
    # Line numbers survive the line-end and BOM differences.
    assert got.lines == tuple(expected.removesuffix("\n").split("\n"))


@pytest.mark.parametrize("how", ["cp932+crlf", "euc-jp", "iso-2022-jp"])
def test_every_encoding_matches_the_original_after_width_normalisation(how):
    data, _, _ = encode(sample_text(), how)
    got = decode(data, "sample.txt").lines
    want = sample_text().removesuffix("\n").split("\n")
    assert [normalize_width(x) for x in got] == [normalize_width(x) for x in want]


@pytest.mark.parametrize("how", WAYS)
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name[:2])
def test_corpus_decodes_in_every_encoding(path, how):
    text = path.read_text(encoding="utf-8")
    data, expected, encoding = encode(text, how)
    got = read_text_from(data, path.name, how)
    assert (got.encoding, got.text) == (encoding, expected)


def read_text_from(data: bytes, name: str, how: str) -> Text:
    return decode(data, f"{name}.{how}")


def test_corpus_is_present():
    assert len(CORPUS) >= 4, "tests/data/corpus holds the copy of ../shared/corpus"


@pytest.mark.parametrize("codec", ["cp932", "euc-jp"])
def test_each_line_alone_is_detected(codec):
    """Short inputs are where cp932 and EUC-JP are hard to tell apart."""
    lines = [line for p in [SAMPLE, *CORPUS] for line in p.read_text(encoding="utf-8").split("\n")
             if not line.isascii()]
    wrong = []
    for line in lines:
        line = carried(line, codec.replace("-", "_"))
        got = decode(line.encode(codec), "line")
        if (got.encoding, got.text) != (codec, line):
            wrong.append(line)
    assert len(lines) > 500
    assert wrong == []


def test_jis_mapping_splits_are_unified_by_normalize_width():
    """Every JIS X 0208 code that cp932 and EUC-JP both decode means the same character
    after normalize_width, even where the two codecs pick different code points."""
    differing = 0
    for ku in range(1, 95):
        for ten in range(1, 95):
            euc = bytes([0xA0 + ku, 0xA0 + ten])
            s1 = (ku + 1) // 2 + (0x80 if ku <= 62 else 0xC0)
            s2 = ten + (0x9E if ku % 2 == 0 else (0x3F if ten <= 63 else 0x40))
            try:
                a, b = euc.decode("euc_jp"), bytes([s1, s2]).decode("cp932")
            except UnicodeDecodeError:
                continue
            differing += a != b
            assert normalize_width(a) == normalize_width(b), (ku, ten, a, b)
    assert differing == 6  # 〜～ ‖∥ −－ ¢￠ £￡ ¬￢


def test_pure_ascii_is_utf8():
    assert decode(b"R2 report\r\n", "a.txt") == Text("a.txt", "R2 report\n", "utf-8", "text")


def test_nec_circled_numbers_in_euc_jp_fall_back_to_jis_2004():
    text = "①第1回総会（令和2年6月5日）\n"
    data = text.encode("euc_jis_2004")
    with pytest.raises(UnicodeDecodeError):
        data.decode("euc_jp")
    got = decode(data, "a.txt")
    assert (got.encoding, got.text) == ("euc-jis-2004", text)


def test_lines_split_on_newline_only():
    t = decode("a\x0cb\n\nc".encode(), "a.txt")
    assert t.lines == ("a\x0cb", "", "c")
    assert decode(b"\n", "a.txt").lines == ("",)


# ---------------------------------------------------------------------------- PDF


def sample_lines() -> list[str]:
    return [line for line in sample_text().split("\n") if line.strip()]


@pytest.mark.parametrize("pdf", PDFS, ids=["cid-non-embedded", "truetype-embedded"])
def test_pdf_yields_every_sample_line(pdf):
    got = read_text(pdf)
    assert (got.kind, got.encoding, got.name) == ("pdf", "pdf", str(pdf))
    lines = {normalize_width(x) for x in got.lines}
    missing = [x for x in sample_lines() if normalize_width(x) not in lines]
    assert missing == []


@pytest.mark.parametrize("pdf, at_least", [(PDFS[0], 105), (PDFS[1], 176)],
                         ids=["cid-non-embedded", "truetype-embedded"])
def test_pdf_lines_exact_without_normalisation(pdf, at_least):
    """Without normalisation, only the wave dash differs: the Adobe-Japan1 CMap maps
    CID 633 to 〜 (U+301C) where the sample has ～ (U+FF5E)."""
    lines = set(read_text(pdf).lines)
    exact = [x for x in sample_lines() if x in lines]
    assert len(exact) >= at_least
    assert all("～" in x for x in sample_lines() if x not in lines)


def test_pdf_keeps_line_order():
    got = [normalize_width(x) for x in read_text(PDFS[0]).lines if x.strip()]
    want = [normalize_width(x) for x in sample_lines()]
    at = 0
    for line in want:  # each sample line is found after the previous one
        at = got.index(line, at) + 1


def test_pdf_text_is_deterministic():
    assert read_text(PDFS[0]) == read_text(PDFS[0])


# ---------------------------------------------------------------------------- hostile


def raises_input_error(data: bytes, name: str = "bad.txt") -> InputError:
    with pytest.raises(InputError) as info:
        decode(data, name)
    assert info.value.file == name
    assert str(info.value).startswith(name)
    return info.value


def test_binary_with_nul_bytes():
    assert "binary" in raises_input_error(bytes(range(256)) * 4).message


def test_control_characters():
    assert "binary" in raises_input_error(bytes(range(1, 32)) * 20).message


@pytest.mark.parametrize("magic", [b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x89PNG\r\n\x1a\n"])
def test_known_binary_formats_are_named(magic):
    error = raises_input_error(magic + b"\x00" * 100)
    assert "not text or PDF" in error.message and error.hint


def test_random_high_bytes_are_not_text():
    rng = random.Random(3)
    data = bytes(rng.randrange(0x80, 0x100) for _ in range(4000))
    raises_input_error(data)


def test_truncated_utf8_names_the_line():
    data = sample_text().encode("utf-8")
    cut = data.index("総会".encode()) + 1  # inside the first byte sequence of 総
    error = raises_input_error(data[:cut])
    assert "truncated" in error.message
    assert error.line == data[:cut].count(b"\n") + 1


def test_damaged_utf8_names_the_line():
    data = sample_text().encode("utf-8")
    at = data.index("幹事会".encode())
    error = raises_input_error(data[:at] + b"\xff" + data[at:])
    assert "damaged UTF-8" in error.message
    assert error.line == data[:at].count(b"\n") + 1


def test_undecodable_in_every_encoding():
    # Valid cp932 up to a byte that no codec accepts after a cp932 lead byte.
    data = "令和2年度事業報告\n".encode("cp932") * 3 + b"\x81\x7f\x85\x40"
    error = raises_input_error(data)
    assert error.line == 4


def test_empty_file_is_an_error(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        read_text(path)


@pytest.mark.parametrize("damage", ["truncated", "garbage", "header-only", "no-pages"])
def test_corrupt_pdf(damage):
    good = PDFS[0].read_bytes()
    data = {
        "truncated": good[: len(good) // 2],
        "garbage": b"%PDF-1.4\n" + random.Random(1).randbytes(5000),
        "header-only": b"%PDF-",
        "no-pages": b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n",
    }[damage]
    error = raises_input_error(data, "bad.pdf")
    assert "PDF" in error.message and error.hint


@pytest.mark.parametrize("fixture, says", [("reading-encrypted.pdf", "encrypted"),
                                            ("reading-scan.pdf", "without a text layer")])
def test_pdf_that_cannot_give_text(fixture, says):
    with pytest.raises(InputError, match=says) as info:
        read_text(DATA / fixture)
    assert info.value.file == str(DATA / fixture) and info.value.hint


def test_directory(tmp_path):
    with pytest.raises(InputError, match="directory") as info:
        read_text(tmp_path)
    assert info.value.file == str(tmp_path)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file") as info:
        read_text(tmp_path / "nope.txt")
    assert info.value.file == str(tmp_path / "nope.txt")


def test_permission_denied(tmp_path, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_text("令和2年度\n", encoding="utf-8")
    if os.geteuid() == 0:  # root reads anything: make open() refuse as the OS would
        def refuse(*args, **kwargs):
            raise PermissionError(13, "Permission denied")
        monkeypatch.setattr(reading, "open", refuse, raising=False)
    else:
        path.chmod(0)
    with pytest.raises(InputError, match="permission denied") as info:
        read_text(path)
    assert info.value.file == str(path)


def test_oversize_file_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(MAX_BYTES + 1)  # sparse: costs no disk

    def must_not_open(*args, **kwargs):
        raise AssertionError("opened a file over the limit")
    monkeypatch.setattr(reading, "open", must_not_open, raising=False)
    with pytest.raises(InputError, match="MB limit"):
        read_text(path)


def test_oversize_bytes_are_refused(monkeypatch):
    monkeypatch.setattr(reading, "MAX_BYTES", 10)
    raises_input_error(b"x" * 11)


# ---------------------------------------------------------------------------- fuzz

_PREFIXES = [b"", b"%PDF-1.7\n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE,
             b"\x1b$B"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_PREFIXES), st.binary(max_size=2000))
def test_decode_raises_only_input_error(prefix, data):
    try:
        got = decode(prefix + data, "fuzz")
    except InputError as e:
        assert e.file == "fuzz"
    else:
        assert "\r" not in got.text and not got.text.startswith("\ufeff")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20000), st.integers(0, 255)), min_size=1, max_size=8))
def test_damaged_pdf_raises_only_input_error(flips):
    data = bytearray(PDFS[0].read_bytes())
    for at, value in flips:
        data[at % len(data)] = value
    try:
        decode(bytes(data), "fuzz.pdf")
    except InputError as e:
        assert e.file == "fuzz.pdf"


# ---------------------------------------------------------------------------- width


@pytest.mark.parametrize("written, matched", [
    ("令和２年１０月５日～９日", "令和2年10月5日～9日"),
    ("令和2年10月5日〜9日", "令和2年10月5日～9日"),       # WAVE DASH → FULLWIDTH TILDE
    ("10:00~12:00", "10:00~12:00"),                     # ASCII tilde stays
    ("（書面開催）", "(書面開催)"),
    ("ｵﾝﾗｲﾝ開催／ﾋﾞﾃﾞｵ", "オンライン開催/ビデオ"),
    ("｢ｶﾞｲﾄﾞ｣･ﾊﾟﾝﾌ", "「ガイド」・パンフ"),
    ("　第１回", " 第1回"),
    ("「」〔〕【】・、。『』", "「」〔〕【】・、。『』"),
    ("①㈱㎡", "①㈱㎡"),
    ("㍻31年", "平成31年"),
    ("令和2年4⽉1⽇", "令和2年4月1日"),                  # Kangxi radicals from a PDF
    ("ＬＧＷＡＮ掲示板", "LGWAN掲示板"),
])
def test_normalize_width(written, matched):
    assert normalize_width(written) == matched


@given(st.text())
def test_normalize_width_is_idempotent_and_agrees_with_nfkc_on_ascii(text):
    once = normalize_width(text)
    assert normalize_width(once) == once
    for ch in text:
        if "\uff01" <= ch <= "\uff5d":
            assert normalize_width(ch) == unicodedata.normalize("NFKC", ch)


# ---------------------------------------------------------------------------- light import


def test_import_is_light():
    code = "import sys, aical.read; print(sorted(m for m in sys.modules if m.split('.')[0] in " \
           "{'pdfminer', 'pdfplumber', 'pypdfium2', 'PIL', 'icalendar', 'jinja2', 'holidays', " \
           "'charset_normalizer'}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_reading_a_long_text_is_linear():
    """Each line's TAB-table check sliced the rest of the document, so reading was
    quadratic (a 4.5 MB report took 15 s to read); so was scoring the encoding, a loop over
    every character. The bound is a ratio between two sizes, so a slow machine does not
    fail it: 8× the lines may cost about 8× (quadratic reading cost 64×)."""
    import time

    sample = SAMPLE.read_bytes()
    # a table now and then, so the TAB-table check has runs to find
    unit = sample + "議題\t日付\n総会\t令和2年5月1日\n".encode("utf-8")

    def timed(copies: int) -> float:
        data = unit * copies
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            document = reading.document_from_bytes(data, "r.txt")
            best = min(best, time.perf_counter() - start)
        assert len(document.blocks) > copies
        return best

    small, large = timed(25), timed(200)
    assert large < 20 * small + 0.2, (small, large)


def test_a_documents_digest_is_the_sha256_of_its_blocks_lines():
    """The manifest's sha256 of a source (aical.reports._digest) is defined as SHA-256 of
    one line a block, ``repr((type name, text or repr(block)))``, in order: written here as
    the definition says, for every kind of block and any text (quotes, backslashes, line
    breaks, a lone surrogate, an empty text), more than one batch of blocks long."""
    import hashlib

    from aical.document import (
        Cell, Document, Field, Fields, Heading, ListItem, Location, Paragraph, Table)
    from aical.reports import _digest

    def defined(document: Document) -> str:
        lines = "".join(repr((type(b).__name__, getattr(b, "text", None) or repr(b))) + "\n"
                        for b in document.blocks)
        return hashlib.sha256(lines.encode("utf-8", "surrogatepass")).hexdigest()

    at = Location("r.txt", 1)
    texts = st.text(alphabet=st.sampled_from("第1回'\"\\\n\r\t\ud800 aあ"), max_size=5)
    block = st.one_of(
        st.builds(Paragraph, texts, st.just(at)),
        st.builds(Heading, st.integers(1, 3), texts, texts, st.just(at)),
        st.builds(ListItem, st.integers(0, 2), texts, texts, st.just(at)),
        st.builds(lambda t: Table((), ((Cell(t, at),),), at), texts),
        st.builds(lambda t: Fields((Field("日時", t, at),), at), texts))

    @settings(max_examples=200, deadline=None)
    @given(st.lists(block, max_size=12), st.integers(0, 5000))
    def check(blocks, repeat_from):
        blocks = blocks + [Paragraph("x", at)] * (repeat_from if blocks else 0)
        document = Document("r.txt", "text", tuple(blocks))
        assert _digest(document) == defined(document)

    check()
