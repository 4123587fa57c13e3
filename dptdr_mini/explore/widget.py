"""Query explorer: type a query, see how BM25, the untuned backbone and trained checkpoints rank the corpus.

The logic is plain functions, testable without a browser: `rank_changes` (how far each passage moved
between two retrievers), `explore.attention` (per layer, the share of the CLS token's attention that
lands on the prefix slots; one layer's prefix switched off), `render_*_html` (every
text through `html.escape`) and `hits_table` (the printed fallback). `QueryExplorer` keeps the state
(the retrievers with their passage vectors cached, so a query costs one short forward pass) and
`QueryExplorer.widget()` only wires ipywidgets to those functions. Outside a notebook, `show()` prints.

Switching a layer's prefix off *masks* that layer's prefix slots (additive mask -inf on their columns),
so that layer's softmax renormalises over the real tokens only, exactly as if the prefix were absent
there. Zeroing the keys/values instead would not remove it: zero keys still score exp(0) = 1 each
and would soak up attention while contributing nothing, a different intervention.
"""

from __future__ import annotations

import html
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from dptdr_mini.model.backbone import load_backbone
from dptdr_mini.retrieve.bm25 import BM25Retriever
from dptdr_mini.model.checkpoint import load_or_untuned, untuned_name
from dptdr_mini.config import ModelConfig, at_least, option
from dptdr_mini.data.loaders import RetrievalData
from dptdr_mini.model.retriever import DenseRetriever
from dptdr_mini.errors import ConfigError
from dptdr_mini.retrieve.index import encode_texts
from dptdr_mini.evaluate.metrics import ranked
from dptdr_mini.explore.attention import prefix_layer_off, query_attention_shares


@dataclass
class ExploreConfig:
    """What the `explore` verb shows: which retrievers, which query, how many passages, which layer off."""

    data: str = option("data_samples/msmarco", "data folder (any of the three layouts)")
    split: str = option("dev", "split whose judged passages are marked")
    checkpoint: tuple[str, ...] = option((), "model.safetensors to compare")
    query: str = option("", "query text ('' = the split's first query)")
    k: int = option(5, "passages shown per retriever")
    off_layer: int = option(-1, "switch off this layer's prefix in the first prompt checkpoint (-1 = none)")

    def validate(self) -> None:
        at_least(self, "k", 1)
        at_least(self, "off_layer", -1)


# -- rankings ---------------------------------------------------------------------------------


def rank_changes(before: list[str], after: list[str]) -> dict[str, int | None]:
    """For each passage of `after`: places it moved up (+) or down (-) from `before`; None if not ranked there."""
    where = {pid: r for r, pid in enumerate(before)}
    return {pid: (where[pid] - r if pid in where else None) for r, pid in enumerate(after)}


# -- retrievers with cached passage vectors ---------------------------------------------------


class BM25Searcher:
    kind = "bm25"

    def __init__(self, data: RetrievalData, name: str = "BM25"):
        self.name, self.bm25, self.size = name, BM25Retriever(data.corpus), len(data.corpus)

    def scores(self, query: str, off_layer: int | None = None) -> dict[str, float]:
        return self.bm25.search({"q": query}, self.size).get("q", {})


class DenseSearcher:
    """A `DenseRetriever` with its corpus encoded once (and once more per switched-off layer, on demand)."""

    kind = "dense"

    def __init__(self, model: DenseRetriever, data: RetrievalData, name: str, batch_size: int = 64):
        self.model, self.name, self.batch_size = model.eval(), name, batch_size
        self.ids = list(data.corpus)
        self.texts = [data.corpus[i].full_text for i in self.ids]
        self._vectors: dict[int | None, np.ndarray] = {}                       # off layer -> (N, H)
        self.ablate_passages = False   # True: a switched-off layer also applies to passages (re-encodes)

    @property
    def prefix_len(self) -> int:
        prefix = self.model.prefix_for("query")
        return prefix.prefix_len if prefix is not None else 0

    def passage_vectors(self, off_layer: int | None = None) -> np.ndarray:
        key = off_layer if self.ablate_passages else None
        if key not in self._vectors:
            backbone = self.model.backbone_for("passage")
            prefix = self.model.prefix_for("passage")
            with prefix_layer_off(backbone, key, prefix.prefix_len if prefix is not None else 0):
                self._vectors[key] = encode_texts(self.model, self.texts, "passage", self.batch_size, quiet=True)
        return self._vectors[key]

    @torch.no_grad()
    def scores(self, query: str, off_layer: int | None = None) -> dict[str, float]:
        passages = self.passage_vectors(off_layer)                              # (N, H)
        with prefix_layer_off(self.model.backbone_for("query"), off_layer, self.prefix_len):
            q = self.model.encode([query], "query").float().cpu().numpy()      # (1, H)
        return dict(zip(self.ids, (passages @ q[0]).tolist()))


def load_searchers(data: RetrievalData, checkpoints: dict[str, str] | list[str] = (),
                   model_cfg: ModelConfig | None = None, backbone: str = "", bm25: bool = True,
                   untuned: bool = True) -> dict[str, object]:
    """BM25, the untuned backbone and any checkpoints, named; every model comes from `load_or_untuned`.

    The untuned model is built from `model_cfg` (ModelConfig's defaults when None); each checkpoint keeps
    its own config and is loaded onto `backbone` when given, else onto the weights it was trained on.
    Prompts trained on `model_cfg.backbone`'s weights share its backbone object: each adds only its prefix.
    """
    model_cfg = model_cfg or ModelConfig()
    out: dict[str, object] = {}
    if bm25:
        out["BM25"] = BM25Searcher(data)
    shared = load_backbone(backbone or model_cfg.backbone, online=model_cfg.online, attn_implementation="eager")
    if untuned:
        model = load_or_untuned("", model_cfg, backbone, loaded=shared)
        out[untuned_name(model.cfg)] = DenseSearcher(model, data, untuned_name(model.cfg))
    if not isinstance(checkpoints, dict):
        checkpoints = {Path(p).parent.name if Path(p).name == "model.safetensors" else Path(p).stem: p
                       for p in checkpoints}
    for name, path in checkpoints.items():
        out[name] = DenseSearcher(load_or_untuned(path, model_cfg, backbone, loaded=shared), data, name)
    return out


def explore_query(data: RetrievalData, cfg: ExploreConfig, model_cfg: ModelConfig | None = None,
                  backbone: str = "") -> View:
    """The `explore` verb's one call: load the retrievers, answer one query, Δ from the first to the last,
    the first prompt model explained (and `cfg.off_layer` switched off in it)."""
    cfg.validate()
    explorer = QueryExplorer(data, load_searchers(data, list(cfg.checkpoint), model_cfg, backbone))
    names, prompts = list(explorer.searchers), explorer.prompt_models()
    return explorer.answer(cfg.query or explorer.sample_queries[0], k=cfg.k, compare=(names[0], names[-1]),
                           why=prompts[0] if prompts else None,
                           off_layer=cfg.off_layer if cfg.off_layer >= 0 and prompts else None)


# -- what the explorer shows --------------------------------------------------------------------


@dataclass
class Hit:
    rank: int
    pid: str
    score: float
    text: str
    relevant: bool
    change: int | None = None   # vs the compared retriever; None: not ranked there (or no comparison)


@dataclass
class View:
    query: str
    hits: dict[str, list[Hit]]                     # column title -> top k
    compare: tuple[str, str] | None = None         # (from, to): `to`'s hits carry rank changes
    why: str | None = None                         # the prompt model explained
    shares: np.ndarray | None = None               # (layers,) prefix attention share
    off_layer: int | None = None
    delta_columns: set[str] = field(default_factory=set)   # columns whose hits carry rank changes
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


def top_hits(ranking: list[str], scores: dict[str, float], k: int, passages: dict[str, str], relevant: set[str],
             changes: dict[str, int | None] | None = None) -> list[Hit]:
    return [Hit(r, pid, scores[pid], passages.get(pid, ""), pid in relevant, (changes or {}).get(pid))
            for r, pid in enumerate(ranking[:k], start=1)]


def _bar(width: float, color: str) -> str:
    return (f'<div style="background:{color};height:10px;width:{max(0.0, min(1.0, width)) * 100:.0f}%;'
            f'border-radius:2px"></div>')


def _change_html(change: int | None) -> str:
    if change is None:
        return '<span style="color:#7b3fa0">new</span>'
    if change == 0:
        return '<span style="color:#888">=</span>'
    arrow, color = ("&#9650;", "#1a7f37") if change > 0 else ("&#9660;", "#cf222e")
    return f'<span style="color:{color}">{arrow}{abs(change)}</span>'


def render_hits_html(title: str, hits: list[Hit], show_change: bool = False, max_chars: int = 140) -> str:
    """One retriever's ranked passages: score bar, score, relevant mark, rank change, escaped text."""
    scores = [h.score for h in hits]
    low, high = (min(scores), max(scores)) if scores else (0.0, 1.0)
    rows = []
    for h in hits:
        width = 1.0 if high == low else 0.15 + 0.85 * (h.score - low) / (high - low)
        text = h.text if len(h.text) <= max_chars else h.text[:max_chars] + "..."
        mark = '<b style="color:#1a7f37" title="judged relevant">&#10003;</b>' if h.relevant else ""
        change = f"<td>{_change_html(h.change)}</td>" if show_change else ""
        rows.append(f'<tr style="vertical-align:top"><td>{h.rank}</td><td style="width:70px">'
                    f'{_bar(width, "#4c8bf5")}<small>{h.score:.3f}</small></td><td>{mark}</td>{change}'
                    f'<td><small style="color:#888">{html.escape(h.pid)}</small> {html.escape(text)}</td></tr>')
    head = "<th>#</th><th>score</th><th>rel</th>" + ("<th>&Delta;</th>" if show_change else "") + "<th>passage</th>"
    return (f'<div style="flex:1;min-width:280px;margin:4px"><h4 style="margin:4px 0">{html.escape(title)}</h4>'
            f'<table style="font-size:12px;border-collapse:collapse"><tr>{head}</tr>{"".join(rows)}</table></div>')


def render_shares_html(name: str, shares: np.ndarray, off_layer: int | None = None) -> str:
    """The "why" panel: one bar per layer, the share of CLS attention on the prefix slots."""
    rows = "".join(f'<tr><td>layer {i}{" (off)" if i == off_layer else ""}</td><td style="width:200px">'
                   f'{_bar(float(s), "#f5a623")}</td><td>{100 * s:.1f}%</td></tr>' for i, s in enumerate(shares))
    return (f'<div style="margin:4px"><h4 style="margin:4px 0">why: {html.escape(name)}: share of the CLS '
            f'token\'s attention on the prefix slots, per layer</h4><table style="font-size:12px">{rows}</table></div>')


def render_view_html(view: View) -> str:
    cols = "".join(render_hits_html(title, hits, show_change=title in view.delta_columns)
                   for title, hits in view.hits.items())
    parts = [f'<div><b>query:</b> {html.escape(view.query)} <small style="color:#888">'
             f'({view.seconds * 1000:.0f} ms)</small></div>', f'<div style="display:flex;flex-wrap:wrap">{cols}</div>']
    if view.compare:
        parts.append(f'<div><small>&Delta; in "{html.escape(view.compare[1])}": places moved compared with '
                     f'"{html.escape(view.compare[0])}" (new = not ranked there)</small></div>')
    if view.shares is not None:
        parts.append(render_shares_html(view.why, view.shares, view.off_layer))
    parts += [f"<div><small>{html.escape(n)}</small></div>" for n in view.notes]
    return "\n".join(parts)


def hits_table(view: View) -> str:
    """The printed fallback outside a notebook: one block of lines per retriever."""
    lines = [f"query: {view.query}   ({view.seconds * 1000:.0f} ms)"]
    for title, hits in view.hits.items():
        lines.append(f"\n== {title}")
        for h in hits:
            change = "" if title not in view.delta_columns else \
                f"{'new' if h.change is None else f'{h.change:+d}':>4} "
            lines.append(f"{h.rank:3d} {h.score:8.3f} {'*' if h.relevant else ' '} {change}{h.pid:>10}  "
                         f"{h.text[:90]}")
    if view.shares is not None:
        lines.append(f"\nwhy ({view.why}): prefix share of CLS attention per layer: "
                     + " ".join(f"L{i} {100 * s:.0f}%" for i, s in enumerate(view.shares)))
    lines += view.notes
    return "\n".join(lines)


# -- the explorer: state + widget wiring ---------------------------------------------------------


def in_notebook() -> bool:
    """True inside a Jupyter kernel (where widgets can render), False in a terminal or a script."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


class QueryExplorer:
    """Compare retrievers on one query; `widget()` for JupyterLab, `show()` prints outside a notebook."""

    def __init__(self, data: RetrievalData, searchers: dict[str, object], sample_size: int = 30):
        if not searchers:
            raise ConfigError("the explorer needs at least one retriever")
        self.data, self.searchers = data, searchers
        self.passages = {pid: p.full_text for pid, p in data.corpus.items()}
        self.sample_queries = list(data.queries.values())[:sample_size]
        self._qid_of_text = {text.strip(): qid for qid, text in data.queries.items()}

    def prompt_models(self) -> list[str]:
        return [n for n, s in self.searchers.items() if getattr(s, "prefix_len", 0) > 0]

    def relevant(self, query: str) -> set[str]:
        """Judged-relevant passages when the query is one of the split's (free text has no judgements)."""
        qid = self._qid_of_text.get(query.strip())
        return {pid for pid, rel in self.data.qrels.get(qid, {}).items() if rel > 0} if qid else set()

    def answer(self, query: str, names: list[str] | None = None, k: int = 5, compare: tuple[str, str] | None = None,
               why: str | None = None, off_layer: int | None = None) -> View:
        start = time.perf_counter()
        names = list(names or self.searchers)
        for n in [*names, *(compare or ()), *([why] if why else [])]:
            if n not in self.searchers:
                raise ConfigError(f"unknown retriever {n!r}; loaded: {list(self.searchers)}")
        relevant = self.relevant(query)
        scores = {n: self.searchers[n].scores(query) for n in dict.fromkeys([*names, *(compare or ())])}
        rankings = {n: ranked(s) for n, s in scores.items()}
        changes = rank_changes(rankings[compare[0]], rankings[compare[1]]) if compare else None
        hits = {n: top_hits(rankings[n], scores[n], k, self.passages, relevant,
                            changes if compare and n == compare[1] else None) for n in names}
        view = View(query, hits, compare, delta_columns={compare[1]} if compare else set())
        if why:
            searcher = self.searchers[why]
            if getattr(searcher, "prefix_len", 0) == 0:
                view.notes.append(f"{why} has no prefix: there is no prompt attention to explain")
            else:
                view.why, view.off_layer = why, off_layer
                view.shares = query_attention_shares(searcher.model, query, off_layer)
                if off_layer is not None:
                    off_scores = searcher.scores(query, off_layer)
                    normal = rankings[why] if why in rankings else ranked(searcher.scores(query))
                    off_ranking = ranked(off_scores)
                    title = f"{why} (layer {off_layer} prefix off)"
                    view.delta_columns.add(title)
                    view.hits[title] = top_hits(
                        off_ranking, off_scores, k, self.passages, relevant, rank_changes(normal, off_ranking))
                    side = "queries and passages" if searcher.ablate_passages else "queries only"
                    view.notes.append(f"layer {off_layer} prefix off ({side}): its prefix slots are masked out "
                                      f"of that layer's attention; \u0394 = places moved vs {why} with all layers on")
        view.seconds = time.perf_counter() - start
        return view

    def widget(self, query: str | None = None, k: int = 5):
        """The ipywidgets UI; every control re-renders the HTML view from `answer`."""
        import ipywidgets as w

        names, prompts = list(self.searchers), self.prompt_models()
        layers = max((self.searchers[n].model.backbone_for("query").config.num_hidden_layers for n in prompts),
                     default=0)
        first = query or (self.sample_queries[0] if self.sample_queries else "")
        wide = w.Layout(width="95%")
        samples = w.Dropdown(options=[("(type your own below)", "")] + [(q[:90], q) for q in self.sample_queries],
                             value=first if first in self.sample_queries else "", description="sample", layout=wide)
        text = w.Text(value=first, description="query", continuous_update=False, layout=wide)
        pick = w.SelectMultiple(options=names, value=tuple(names), description="retrievers", rows=min(6, len(names)))
        top_k = w.IntSlider(value=k, min=1, max=20, description="top k")
        delta_from = w.Dropdown(options=names, value=names[0], description="\u0394 from")
        delta_to = w.Dropdown(options=names, value=names[-1], description="\u0394 to")
        why = w.Dropdown(options=[("(none)", None)] + [(n, n) for n in prompts],
                         value=prompts[0] if prompts else None, description="why")
        off = w.Dropdown(options=[("(all layers on)", None)] + [(f"layer {i}", i) for i in range(layers)],
                         value=None, description="prefix off")
        view = w.HTML()

        def refresh(*_):
            compare = (delta_from.value, delta_to.value) if delta_from.value != delta_to.value else None
            chosen = list(pick.value) or names[:1]
            v = self.answer(text.value, chosen, top_k.value, compare, why.value, off.value if why.value else None)
            view.value = render_view_html(v)

        samples.observe(lambda change: change["new"] and setattr(text, "value", change["new"]), "value")
        for control in (text, pick, top_k, delta_from, delta_to, why, off):
            control.observe(refresh, "value")
        refresh()
        controls = w.HBox([pick, w.VBox([top_k, delta_from, delta_to]), w.VBox([why, off])])
        return w.VBox([samples, text, controls, view])

    def show(self, query: str | None = None, k: int = 5, **kwargs) -> None:
        """The widget inside a notebook; a printed table anywhere else."""
        query = query or (self.sample_queries[0] if self.sample_queries else "")
        if in_notebook():
            from IPython.display import display
            display(self.widget(query, k))
        else:
            print(hits_table(self.answer(query, k=k, **kwargs)))
