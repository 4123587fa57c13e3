"""InfoNCE contrastive loss for dense retrieval, the form DPR, coCondenser and DPTDR train with.

Inputs:
    q: (B, H) query vectors
    p: (B * (1 + k), H) passage vectors, grouped per query: [pos_0, neg_0_1..neg_0_k, pos_1, ...]
Each query scores every passage in the batch, (B, B*(1+k)); its target is its own positive at column
i*(1+k). Every other column is a negative: the query's k hard negatives *and* all other queries'
positives and negatives ("in-batch negatives"). With k = 0 this is the in-batch-only loss
(sentence-transformers' MultipleNegativesRankingLoss). RIP uses it with pseudo pairs.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def contrastive_loss(q: torch.Tensor, p: torch.Tensor, temperature: float = 1.0) -> torch.Tensor:
    """Mean cross-entropy of each query's positive against all passages in the batch."""
    if p.shape[0] % q.shape[0]:
        raise ValueError(f"{p.shape[0]} passages for {q.shape[0]} queries: expected a multiple (1 + k per query)")
    group = p.shape[0] // q.shape[0]                                     # 1 + k
    scores = (q @ p.T) / temperature                                     # (B, B*(1+k))
    target = torch.arange(q.shape[0], device=q.device) * group           # (B,)
    return F.cross_entropy(scores, target)
