"""BM25, the lexical baseline and first source of hard negatives, through `bm25s` (not hand-written).

Lowercased word tokens, English stopwords removed, no stemming (as the reference figures in
`../shared/README.md` were measured). Passages with score 0 (no query word at all) are left out.
"""

from __future__ import annotations

import bm25s
import numpy as np

from dptdr_mini.data.loaders import Passage


class BM25Retriever:
    def __init__(self, corpus: dict[str, Passage], stopwords: str = "en", quiet: bool = True):
        self.ids = list(corpus)
        self.stopwords = stopwords
        self.quiet = quiet
        tokens = bm25s.tokenize([corpus[i].full_text for i in self.ids], stopwords=stopwords,
                                show_progress=not quiet)
        self.model = bm25s.BM25()
        self.model.index(tokens, show_progress=not quiet)

    def search(self, queries: dict[str, str], k: int = 100) -> dict[str, dict[str, float]]:
        """A run: qid -> {pid: BM25 score} for the top k passages (score > 0) of each query."""
        qids = list(queries)
        if not qids:
            return {}
        tokens = bm25s.tokenize([queries[q] for q in qids], stopwords=self.stopwords, return_ids=False,
                                show_progress=False)
        k = min(k, len(self.ids))
        docs, scores = self.model.retrieve(tokens, k=k, show_progress=not self.quiet)
        run = {}
        for qid, row_docs, row_scores in zip(qids, np.asarray(docs), np.asarray(scores)):
            run[qid] = {self.ids[int(d)]: float(s) for d, s in zip(row_docs, row_scores) if s > 0}
        return run
