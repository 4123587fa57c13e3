"""InfoNCE contrastive loss for dense retrieval, the form DPR, coCondenser and DPTDR train with.

Inputs:
    q: (B, H) query vectors
    p: (B * (1 + k), H) passage vectors, grouped per query: [pos_0, neg_0_1..neg_0_k, pos_1, ...]
    ignore: optional (B, B * (1 + k)) bool, True where a column must not count as a negative for that row
Each query scores every passage in the batch, (B, B*(1+k)); its target is its own positive at column
i*(1+k). Every other column is a negative: the query's k hard negatives *and* all other queries'
positives and negatives ("in-batch negatives"). With k = 0 this is the in-batch-only loss
(sentence-transformers' MultipleNegativesRankingLoss). RIP uses it with pseudo pairs.

In-batch negatives can be false negatives: another query's hard negative, or another query's positive, may be
a labelled positive of this query (or the very passage it is trained towards). `in_batch_false_negatives`
marks those columns from passage ids; `contrastive_loss` gives them score -inf, so they leave the softmax
instead of pushing a relevant passage away. The target column is never ignored.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def in_batch_false_negatives(positive_ids: list[set[str]], passage_ids: list[str]) -> torch.Tensor:
    """(B, B*(1+k)) bool: True where column j's passage is a labelled positive of query i, except i's target.

    positive_ids[i]: every labelled positive of query i (its target included); passage_ids: the batch's passages
    in `contrastive_loss`'s layout. Duplicates of the target elsewhere in the batch are masked too.
    """
    group = len(passage_ids) // len(positive_ids)
    mask = torch.tensor([[pid in positives for pid in passage_ids] for positives in positive_ids], dtype=torch.bool)
    mask[torch.arange(len(positive_ids)), torch.arange(len(positive_ids)) * group] = False  # keep each target
    return mask


def contrastive_loss(q: torch.Tensor, p: torch.Tensor, temperature: float = 1.0,
                     ignore: torch.Tensor | None = None) -> torch.Tensor:
    """Mean cross-entropy of each query's positive against all passages in the batch (minus `ignore`d ones)."""
    if p.shape[0] % q.shape[0]:
        raise ValueError(f"{p.shape[0]} passages for {q.shape[0]} queries: expected a multiple (1 + k per query)")
    group = p.shape[0] // q.shape[0]                                     # 1 + k
    scores = (q @ p.T) / temperature                                     # (B, B*(1+k))
    target = torch.arange(q.shape[0], device=q.device) * group           # (B,)
    if ignore is not None:
        if ignore.shape != scores.shape:
            raise ValueError(f"ignore mask of shape {tuple(ignore.shape)} for scores {tuple(scores.shape)}")
        if ignore[torch.arange(q.shape[0]), target.cpu()].any():
            raise ValueError("the ignore mask hides a query's own target column")
        scores = scores.masked_fill(ignore.to(scores.device), float("-inf"))
    return F.cross_entropy(scores, target)
