"""Tables and field blocks on real documents: the events corpus's files laid out so, through
the CLI on the original files, scored by the corpus's own ``score.py`` against ``gold.tsv``
(rows people labelled without running aical).

Each file must keep the meetings its layout gives (by the gold row's day), and a short file
made only of that layout no event that matches no gold row; a change that loses one or adds
a wrong one fails here, naming the file and the layout.
"""

from __future__ import annotations

import importlib.util
import json

import pytest
from click.testing import CliRunner
from conftest import DATA, ROOT, require

from aical.cli import cli

#: The corpus: copied into tests/data, else shared/ beside the checkout (CI) or its parent.
_CANDIDATES = (DATA / "events-corpus", ROOT.parent / "shared" / "events-corpus",
               ROOT.parent.parent / "shared" / "events-corpus")
CORPUS = next((p for p in _CANDIDATES if (p / "gold.tsv").is_file()), _CANDIDATES[0])

#: file name prefix → (layout, the gold rows' days this layout must find, at most how many
#: events may match no gold row — ``None`` where the rest of the file is long prose that
#: other recognisers read).
HELD = {
    "09_": ("日時 / 場所 labels alone, values below (PDF)", ["2023-12-13"], 0),
    "16_": ("minutes header 開催日：/会議名：", ["2023-02-17"], None),
    "17_": ("開催日： header + １　日時 / ２　場所", ["2025-02-17"], None),
    "18_": ("minutes header 開催日：/会議名：", ["2025-02-14"], None),
}


def _scorer():
    spec = importlib.util.spec_from_file_location("events_corpus_score", CORPUS / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("prefix", sorted(HELD))
def test_layout_finds_its_meetings_in_the_real_document(prefix):
    require((CORPUS / "gold.tsv").is_file(), f"the events corpus is not at {CORPUS}")
    layout, days, extra_at_most = HELD[prefix]
    doc = next((CORPUS / "docs").glob(f"{prefix}*"))
    score = _scorer()
    golds = score.load_gold()[doc.name]
    result = CliRunner().invoke(cli, ["extract", "--json", str(doc)])
    assert result.exit_code == 0, result.output
    events = json.loads(result.stdout)["events"]
    pairs = score.match(golds, events)
    found = sorted(golds[gi]["first_day"] for gi, _ in pairs)
    for day in days:
        assert day in found, (
            f"{doc.name} ({layout}): the gold meeting of {day} was not found "
            f"(found {found}; events {[(e['first_day'], e['summary']) for e in events]})")
    if extra_at_most is not None:
        extra = [(e["first_day"], e["summary"]) for i, e in enumerate(events)
                 if i not in {ei for _, ei in pairs}]
        assert len(extra) <= extra_at_most, f"{doc.name} ({layout}): no gold row for {extra}"


def test_the_corpus_files_named_here_exist():
    require((CORPUS / "gold.tsv").is_file(), f"the events corpus is not at {CORPUS}")
    for prefix in HELD:
        assert list((CORPUS / "docs").glob(f"{prefix}*")), prefix
