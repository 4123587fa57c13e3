"""Is system B better than system A on these queries, or is the difference noise? A paired bootstrap.

Two systems scored on the same queries give two per-query metric lists (e.g. `ndcg_per_query`). The mean
difference is what a table reports; resampling the *queries* with replacement, many times, and recomputing the
mean difference each time shows how much that number depends on which queries happened to be in the test set.
The 2.5th and 97.5th percentiles give a 95% interval: an interval that excludes 0 is a difference these queries
support. Paired, because both systems see the same resampled queries, so per-query difficulty cancels out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class PairedDifference:
    mean: float            # mean over queries of (b - a)
    low: float             # 2.5th percentile of the bootstrap means
    high: float            # 97.5th percentile
    wins: int              # queries where b > a
    losses: int            # queries where b < a
    queries: int

    def __str__(self) -> str:
        return (f"{self.mean:+.4f} [{self.low:+.4f}, {self.high:+.4f}] "
                f"({self.wins} wins / {self.losses} losses of {self.queries} queries)")


def paired_bootstrap(a: dict[str, float], b: dict[str, float], samples: int = 10_000, seed: int = 0
                     ) -> PairedDifference:
    """Mean of b - a over the queries both score, with a 95% paired-bootstrap interval over queries."""
    qids = sorted(set(a) & set(b))
    if not qids:
        raise ValueError("the two systems share no scored query")
    diff = np.array([b[q] - a[q] for q in qids])                       # (Q,)
    rng = np.random.default_rng(seed)
    means = diff[rng.integers(0, len(diff), size=(samples, len(diff)))].mean(axis=1)   # (samples,)
    low, high = np.percentile(means, [2.5, 97.5])
    return PairedDifference(float(diff.mean()), float(low), float(high), int((diff > 0).sum()),
                            int((diff < 0).sum()), len(qids))
