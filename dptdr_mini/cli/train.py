"""`train` verb: train a prompt (DPT) or fine-tuned (FT) retriever."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dptdr_mini.config import ModelConfig, TrainConfig
from dptdr_mini.cli.common import add_config_flags, config_from_args, parse, verb


@verb("train", "train a prompt (DPT) or fine-tuned (FT) dense retriever")
def main_train(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m dptdr_mini train", description=main_train.__doc__)
    add_config_flags(p, ModelConfig)
    add_config_flags(p, TrainConfig)
    p.add_argument("--init-checkpoint", default="", help="start from this model.safetensors (e.g. a pretrained prompt)")
    p.add_argument("--init-from-peft", default="", help="start the prompt from a peft PrefixTuning adapter folder "
                   "(PeftModel.save_pretrained or `export --to peft`); needs --no-prefix-projection and its length")
    args = parse(p, argv)
    mcfg, tcfg = config_from_args(ModelConfig, args), config_from_args(TrainConfig, args)
    from dptdr_mini.data.splits import load_split
    from dptdr_mini.model.retriever import DenseRetriever
    from dptdr_mini.evaluate.runs import evaluate_dense
    from dptdr_mini.data.examples import examples_from_data, read_train_file
    from dptdr_mini.training.loop import train

    data = load_split(tcfg.data, tcfg.split, tcfg.dev_from_train)
    examples = read_train_file(tcfg.train_file, data.corpus) if tcfg.train_file else examples_from_data(data)
    eval_data = load_split(tcfg.data, tcfg.eval_split, tcfg.dev_from_train) if tcfg.eval_split else None
    import torch
    torch.manual_seed(tcfg.seed)  # the prefix's initialisation too: torch seeds each process at random
    model = DenseRetriever(mcfg)
    if args.init_checkpoint:
        from dptdr_mini.model.checkpoint import load_model_tensors, load_tensors
        tensors, meta = load_tensors(args.init_checkpoint)
        load_model_tensors(model, tensors, meta, args.init_checkpoint)
    if args.init_from_peft:
        from dptdr_mini.model.export import load_peft_prefix
        for note in load_peft_prefix(model, args.init_from_peft):
            print(f"note: {note}", file=sys.stderr)
    report = model.parameter_report()
    print(f"{data!r}; {len(examples)} training examples")
    print(f"mode={mcfg.mode}: {report['trainable']:,} trainable of {report['total']:,} parameters "
          f"({100 * report['share']:.3f}%)")
    evaluate_fn = (lambda m: evaluate_dense(m, eval_data, quiet=True).metrics) if eval_data else None
    result = train(model, examples, data.corpus, tcfg, evaluate_fn)
    print(f"trained {result.steps} steps in {result.seconds:.1f} s; loss {result.losses[0]:.3f} -> "
          f"{result.losses[-1]:.3f}; wrote {Path(tcfg.output_dir) / 'model.safetensors'}")
    if result.evals and eval_data:
        where = f"  (corpus {len(eval_data.corpus):,} passages, {len(eval_data.qrels)} queries)"
        for ev in (result.evals[0], result.evals[-1]) if len(result.evals) > 1 else result.evals:
            print(f"{eval_data.split} at step {ev['step']}: "
                  + ", ".join(f"{k} {v:.4f}" for k, v in ev.items() if k != "step") + where)
        first, final = result.evals[0], result.evals[-1]
        if first["step"] == 0 and final["step"] > 0 and final["nDCG@10"] < first["nDCG@10"]:
            print(f"warning: the trained model scores below its step-0 start on {eval_data.split} "
                  f"(nDCG@10 {final['nDCG@10']:.4f} < {first['nDCG@10']:.4f}): training made it worse")
    return 0
