"""The training loop: it learns, it is deterministic, and resume replays the same steps."""

import json

import pytest
import torch

import dptdr_mini.training.loop as train_mod
from dptdr_mini.config import ModelConfig, TrainConfig
from dptdr_mini.data.loaders import Passage
from dptdr_mini.model.retriever import DenseRetriever
from dptdr_mini.data.examples import TrainExample
from dptdr_mini.training.loop import linear_schedule, linear_scheduler, make_optimizer, train
from dptdr_mini.training.loss import contrastive_loss

from conftest import make_tiny_bert

CORPUS = {str(i): Passage(t) for i, t in enumerate([
    "yeast ferments sugar into carbon dioxide", "mercury is the planet nearest the sun",
    "the heart pumps blood through arteries", "glaciers carve u shaped valleys",
    "pianos usually have eighty eight keys", "tea is made from camellia leaves",
    "bread was a trade good in rome", "mercury is a liquid metal at room temperature"])}
EXAMPLES = [TrainExample(str(i), q, [str(i)]) for i, q in enumerate([
    "what makes dough rise", "closest planet to the sun", "organ that moves blood",
    "how do valleys form under ice", "number of keys on a piano", "plant that tea comes from"])]


def _model(tokenizer, mode="prompt"):
    return DenseRetriever(ModelConfig(mode=mode, prefix_len=4), make_tiny_bert(tokenizer), tokenizer)


def _cfg(tmp_path, **kw):
    base = dict(output_dir=str(tmp_path), epochs=2, batch_size=2, negatives=1, seed=3, quiet=True, lr=5e-2,
                save_every=1, eval_split="")
    base.update(kw)
    return TrainConfig(**base)


def test_linear_schedule_warms_up_then_decays_to_zero():
    f = linear_schedule(10, 0.2)
    values = [f(s) for s in range(11)]
    assert values[0] < values[1] <= 1.0 and values[2] == 1.0
    assert values[10] == 0.0 and values[5] > values[8]


def test_a_schedule_resumed_after_s_steps_gives_the_lr_of_one_stepped_s_times():
    w = torch.nn.Parameter(torch.zeros(2))
    opt, sched = make_optimizer([w], lr=0.1, weight_decay=0.0, total_steps=10, warmup_ratio=0.3)
    lrs = []
    for _ in range(10):
        lrs.append(sched.get_last_lr()[0])
        opt.step()
        sched.step()
    for done in (1, 4, 9):
        resumed_opt, _ = make_optimizer([w], lr=0.1, weight_decay=0.0, total_steps=10, warmup_ratio=0.3)
        resumed_opt.load_state_dict(opt.state_dict())     # as load_resume_state does
        resumed = linear_scheduler(resumed_opt, 10, 0.3, steps_done=done)
        assert resumed.get_last_lr()[0] == pytest.approx(lrs[done])
        assert resumed_opt.param_groups[0]["lr"] == pytest.approx(lrs[done])


def test_every_training_step_meets_the_loss_at_one_call_site(tmp_path, tokenizer, monkeypatch):
    """`batch_loss` is where a plain batch meets `contrastive_loss` (RIP's `pretrain` uses it too)."""
    calls, real = [], train_mod.batch_loss

    def counting(model, queries, passages, ignore=None):
        calls.append((len(queries), len(passages)))
        return real(model, queries, passages, ignore)
    monkeypatch.setattr(train_mod, "batch_loss", counting)
    result = train(_model(tokenizer), EXAMPLES, CORPUS, _cfg(tmp_path))
    assert calls == [(2, 4)] * result.steps and result.steps == 6


def test_prompt_training_lowers_the_loss(tmp_path, minilm):
    """Measured on all training queries at once, without dropout, before and after: per-step losses on a
    batch of 2 are too noisy to compare (MiniLM already solves most of them)."""
    backbone, tokenizer = minilm
    model = DenseRetriever(ModelConfig(prefix_len=8, pooling="cls", normalize=True, temperature=0.05),
                           backbone, tokenizer)

    def full_batch_loss() -> float:
        model.eval()
        with torch.no_grad():
            q = model.encode([e.query for e in EXAMPLES], "query")                       # (6, H)
            p = model.encode([CORPUS[e.positives[0]].full_text for e in EXAMPLES], "passage")  # (6, H)
            return contrastive_loss(q, p, model.cfg.temperature).item()

    before = full_batch_loss()
    result = train(model, EXAMPLES, CORPUS, _cfg(tmp_path, epochs=4, lr=1e-2))
    after = full_batch_loss()
    assert after < 0.9 * before, f"loss did not fall: {before:.4f} -> {after:.4f}"
    assert (tmp_path / "model.safetensors").is_file() and (tmp_path / "last.safetensors").is_file()
    assert json.loads((tmp_path / "train_log.json").read_text())["losses"] == result.losses


def test_same_seed_same_weights(tmp_path, tokenizer):
    a, b = _model(tokenizer), _model(tokenizer)
    train(a, EXAMPLES, CORPUS, _cfg(tmp_path / "a"))
    train(b, EXAMPLES, CORPUS, _cfg(tmp_path / "b"))
    assert torch.equal(a.query_prefix.embedding.weight, b.query_prefix.embedding.weight)


@pytest.mark.parametrize("mode", ["prompt", "finetune"])
def test_resume_after_interruption_ends_with_the_same_weights(tmp_path, tokenizer, monkeypatch, mode):
    full = _model(tokenizer, mode)
    train(full, EXAMPLES, CORPUS, _cfg(tmp_path / "full", lr=1e-2 if mode == "prompt" else 1e-3))

    real_save = train_mod.save_resume_state

    def save_then_die(path, model, opt, step, cfg, losses):
        real_save(path, model, opt, step, cfg, losses)
        if step == 4:
            raise KeyboardInterrupt("simulated kill after the step-4 checkpoint")

    cfg = _cfg(tmp_path / "cut", lr=1e-2 if mode == "prompt" else 1e-3)
    monkeypatch.setattr(train_mod, "save_resume_state", save_then_die)
    with pytest.raises(KeyboardInterrupt):
        train(_model(tokenizer, mode), EXAMPLES, CORPUS, cfg)
    monkeypatch.setattr(train_mod, "save_resume_state", real_save)
    torch.manual_seed(999)  # the resumed run must not depend on the process's RNG state
    resumed = _model(tokenizer, mode)
    result = train(resumed, EXAMPLES, CORPUS, _cfg(tmp_path / "cut", resume=True,
                                                   lr=1e-2 if mode == "prompt" else 1e-3))
    assert result.steps == 6 and len(result.losses) == 6
    for (name, a), b in zip(full.named_parameters(), resumed.parameters()):
        torch.testing.assert_close(a, b, atol=1e-6, rtol=0, msg=f"{name} differs after resume")
