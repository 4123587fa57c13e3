"""Loading a backbone: it must not change process-wide state that the user's own code relies on."""

import pytest
from huggingface_hub.utils import are_progress_bars_disabled, disable_progress_bars, enable_progress_bars
from transformers.utils import logging as hf_logging

from dptdr_mini.model.backbone import load_backbone


@pytest.mark.parametrize("on", [True, False], ids=["bars-on", "bars-off"])
def test_loading_a_backbone_leaves_the_hub_and_transformers_progress_bars_as_they_were(tiny_bert_dir, on):
    """A notebook's own hub downloads after `load_backbone` still show progress (and stay off if it had
    turned them off)."""
    (enable_progress_bars if on else disable_progress_bars)()
    (hf_logging.enable_progress_bar if on else hf_logging.disable_progress_bar)()
    try:
        load_backbone(str(tiny_bert_dir))
        assert are_progress_bars_disabled() is not on
        assert hf_logging.is_progress_bar_enabled() is on
    finally:
        enable_progress_bars()
        hf_logging.enable_progress_bar()


def test_the_per_tensor_loading_bar_stays_silent(tiny_bert_dir, capsys):
    enable_progress_bars()
    hf_logging.enable_progress_bar()
    load_backbone(str(tiny_bert_dir))
    captured = capsys.readouterr()
    assert "Loading weights" not in captured.err + captured.out
