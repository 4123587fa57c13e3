"""Untrusted text: a corpus, a query or a mined file can hold HTML; what the kit renders shows it as text.

`RENDERERS` lists every HTML-producing function of the package, each fed the same hostile passages,
query, ids and provenance fields. A guard test finds every module that builds HTML (`<table`, `<div`,
`HTML(`, `to_html(` ...) and fails until it has a row here, so a new widget or explorer page is covered
as soon as it lands (one row each).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

import pytest

from dptdr_mini.data.loaders import Passage
from dptdr_mini.data.examples import TrainExample

ROOT = Path(__file__).resolve().parents[1]
ATTACKS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '<a href="javascript:alert(1)">x</a>']
HOSTILE = " ".join(ATTACKS)


def hostile_example() -> tuple[TrainExample, dict[str, Passage]]:
    """Every text field a user's files can set carries all three attacks."""
    corpus = {"pos": Passage("the answer " + ATTACKS[0], title=ATTACKS[1]), "neg": Passage(ATTACKS[2]),
              "drop": Passage(HOSTILE), "<b>pid</b>": Passage(HOSTILE, title=HOSTILE)}
    ex = TrainExample("q" + ATTACKS[0], "query " + HOSTILE, ["pos"], ["neg", "<b>pid</b>"], {
        "negative_provenance": [{"pid": "neg", "source": ATTACKS[1], "bm25_rank": ATTACKS[2], "dense_score": 0.3}],
        "positive_scores": {"pos": 0.9}, "filter_threshold": ATTACKS[0],
        "filtered": [{"pid": "drop", "source": ATTACKS[2], "dense_score": 0.89, "reason": HOSTILE}]})
    return ex, corpus


def render_negatives() -> str:
    from dptdr_mini.mining.inspect import negatives_html
    return negatives_html(*hostile_example())


def render_explorer() -> str:
    import numpy as np

    from dptdr_mini.explore.widget import Hit, View, render_view_html
    hits = [Hit(1, "<b>pid</b>", 0.9, HOSTILE, True, 2), Hit(2, ATTACKS[0], 0.5, ATTACKS[1] + ATTACKS[2], False)]
    view = View(query="query " + HOSTILE, hits={ATTACKS[1]: hits, "DPT " + ATTACKS[0]: hits},
                compare=(ATTACKS[1], "DPT " + ATTACKS[0]), why="DPT " + ATTACKS[0], shares=np.array([0.5, 0.25]),
                off_layer=1, delta_columns={"DPT " + ATTACKS[0]}, notes=[HOSTILE])
    return render_view_html(view)


RENDERERS: dict[str, Callable[[], str]] = {
    "dptdr_mini/mining/inspect.py": render_negatives,
    "dptdr_mini/explore/widget.py": render_explorer,
}
HTML_MARKERS = re.compile(r"<table|<div|<span|<tr|<td|<a |<img|HTML\(|to_html\(|_repr_html_")


def raw_html(page: str) -> list[str]:
    """The attacks that survived unescaped: tags that would run, or a javascript: link."""
    found = [tag for tag in ("<script", "<img", "<b>pid") if tag in page.lower()]
    found += re.findall(r"""href\s*=\s*["']?\s*javascript:""", page, flags=re.IGNORECASE)
    real_tags = " ".join(re.findall(r"<[^>]*>", page))  # escaped text holds no raw '<'
    found += re.findall(r"""\son\w+\s*=""", real_tags)  # an event handler inside a real tag
    return found


@pytest.mark.parametrize("module", sorted(RENDERERS))
def test_hostile_text_renders_as_text(module):
    page = RENDERERS[module]()
    assert not raw_html(page), f"{module} lets HTML through: {raw_html(page)}"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown, not dropped
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "javascript:alert(1)" in page  # as visible text inside an escaped <a ...>


def test_raw_html_detector_sees_each_attack():
    for attack in ATTACKS:
        assert raw_html(f"<td>{attack}</td>"), attack
    assert raw_html('<td><a href=javascript:alert(1)>x</a></td>')
    assert not raw_html('<td style="x">&lt;img src=x onerror=alert(1)&gt;</td>')


def test_every_module_that_builds_html_is_in_the_table():
    builders = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "dptdr_mini").rglob("*.py")
                      if HTML_MARKERS.search(p.read_text(encoding="utf-8")))
    missing = [b for b in builders if b not in RENDERERS]
    assert not missing, f"modules that build HTML without a hostile-text test: {missing} (add a row to RENDERERS)"
