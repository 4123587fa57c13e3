"""contrastive_loss: InfoNCE over in-batch and hard negatives."""

import math

import pytest
import torch
import torch.nn.functional as F

from dptdr_mini.training.loss import contrastive_loss


def test_matches_cross_entropy_with_grouped_targets():
    torch.manual_seed(0)
    q, p = torch.randn(3, 8), torch.randn(6, 8)  # 1 positive + 1 negative per query
    expected = F.cross_entropy(q @ p.T / 0.5, torch.tensor([0, 2, 4]))
    torch.testing.assert_close(contrastive_loss(q, p, 0.5), expected)


def test_uniform_scores_give_log_of_candidate_count():
    q, p = torch.zeros(2, 4), torch.zeros(6, 4)
    assert contrastive_loss(q, p).item() == pytest.approx(math.log(6))


def test_perfect_separation_gives_near_zero_loss():
    q = torch.eye(3) * 50
    assert contrastive_loss(q, torch.eye(3)).item() < 1e-6


def test_passage_count_must_be_a_multiple_of_queries():
    with pytest.raises(ValueError, match="multiple"):
        contrastive_loss(torch.zeros(3, 4), torch.zeros(4, 4))
