"""contrastive_loss: InfoNCE over in-batch and hard negatives."""

import math

import pytest
import torch
import torch.nn.functional as F

from dptdr_mini.training.loss import contrastive_loss, in_batch_false_negatives


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


def test_false_negative_mask_marks_other_copies_of_a_labelled_positive_but_never_the_target():
    # query 0's positives: a, b; query 1's positive: c and its hard negative is b (query 0's positive)
    mask = in_batch_false_negatives([{"a", "b"}, {"c"}], ["a", "x", "c", "b"])
    assert mask.tolist() == [[False, False, False, True], [False, False, False, False]]


def test_a_masked_false_negative_leaves_the_softmax_of_its_query():
    torch.manual_seed(0)
    q, p = torch.randn(2, 8), torch.randn(4, 8)
    ignore = torch.tensor([[False, False, False, True], [False, False, False, False]])
    row0 = F.cross_entropy(q[:1] @ p[:3].T, torch.tensor([0]))        # row 0 without column 3
    row1 = F.cross_entropy(q[1:] @ p.T, torch.tensor([2]))             # row 1 keeps every column
    torch.testing.assert_close(contrastive_loss(q, p, 1.0, ignore), (row0 + row1) / 2)
    # so making the masked passage look exactly like query 0 costs query 0 nothing
    p2 = p.clone()
    p2[3] = q[0] * 10
    row1_after = F.cross_entropy(q[1:] @ p2.T, torch.tensor([2]))
    torch.testing.assert_close(contrastive_loss(q, p2, 1.0, ignore), (row0 + row1_after) / 2)
    assert contrastive_loss(q, p2) > contrastive_loss(q, p2, 1.0, ignore)   # unmasked, it would


def test_the_mask_may_not_hide_a_target():
    with pytest.raises(ValueError, match="target"):
        contrastive_loss(torch.zeros(2, 4), torch.zeros(4, 4), 1.0, torch.tensor([[True, False, False, False],
                                                                                   [False] * 4]))
