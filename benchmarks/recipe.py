"""The DPTDR recipe measured honestly: settings chosen on a dev split carved from train, test scored once.

    python -m benchmarks.recipe --data ../shared/data/scifact --config paper --stage base
    python -m benchmarks.recipe --data ../shared/data/scifact --config paper --stage recipe
    python -m benchmarks.recipe --data ../shared/data/scifact --config paper --stage report
    python -m benchmarks.recipe --data ../shared/data/scifact --config paper --stage report --seeds 42,43,44

Rows (one seed by default; every trained row trains on the train split minus dev):
- BM25, untuned backbone                   no training
- FT, DPT                                  BM25 hard negatives (1 per query per step)
- DPT+RIP, FT+RIP                          the same on the RIP backbone (crops of the corpus, no labels); FT+RIP is
                                           the fair FT counterpart of DPTDR
- DPT+UNM, DPTDR (RIP+UNM)                 negatives mined by the row's own stage-1 model (DPT / DPT+RIP):
                                           BM25 + dense candidates from the rank window, merged
Each trained row chooses its number of epochs on dev, within one shared cap (`--max-epochs`, the same for DPT
and FT): it trains to the cap, is scored on dev after every epoch, and the best epoch's weights are scored on
test, once. The chosen epoch is in the table. Paired bootstrap intervals over test queries are given for
DPTDR - FT, DPTDR - FT+RIP, DPT+RIP - DPT and DPT+UNM - DPT.

Stages cache their rows under --output-dir, so `base` (no RIP, no UNM) can run before `recipe`, and `report`
only reads. Two configurations: `paper` (CLS pooling, dot product, temperature 1, as DPTDR's code) and `native`
(mean pooling, cosine, temperature 0.05, as MiniLM was trained).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import statistics
import time
from pathlib import Path

import pandas as pd

from dptdr_mini.config import ModelConfig, TrainConfig
from dptdr_mini.data.examples import TrainExample
from dptdr_mini.data.loaders import load_data
from dptdr_mini.data.splits import load_split
from dptdr_mini.evaluate.bootstrap import paired_bootstrap
from dptdr_mini.evaluate.metrics import evaluate_run, ndcg_per_query
from dptdr_mini.evaluate.runs import dense_run
from dptdr_mini.mining.unm import MineConfig, mine_negatives
from dptdr_mini.model.checkpoint import atomic_write_bytes, load_model_tensors, load_tensors, save_model
from dptdr_mini.recipes.run import seeded_retriever
from dptdr_mini.retrieve.bm25 import BM25Retriever
from dptdr_mini.training.loop import train
from dptdr_mini.training.rip import RIPConfig, pretrain

from .provenance import RESULTS, SCIFACT, provenance, write_results

CONFIGS = {"paper": dict(pooling="cls", normalize=False, temperature=1.0),
           "native": dict(pooling="mean", normalize=True, temperature=0.05)}
ORDER = ["BM25", "untuned backbone", "FT", "DPT", "DPT+RIP", "FT+RIP", "DPT+UNM", "DPTDR (RIP+UNM)"]
PAIRS = [("FT", "DPTDR (RIP+UNM)"), ("FT+RIP", "DPTDR (RIP+UNM)"), ("DPT", "DPT+RIP"), ("DPT", "DPT+UNM"),
         ("FT", "DPT")]


def scored(name: str, run: dict, data, extra: dict) -> dict:
    """A row: metrics on the split's full corpus, per-query nDCG@10 for the bootstrap, and `extra`."""
    return {"system": name, **{k: round(v, 4) for k, v in evaluate_run(run, data.qrels).items()},
            "corpus": len(data.corpus), "queries": len(data.qrels), **extra,
            "per_query": ndcg_per_query(run, data.qrels, 10)}


class Bench:
    def __init__(self, args):
        self.args = args
        self.out = Path(args.output_dir) / f"{Path(args.data).name}-{args.config}-seed{args.seed}"
        self.out.mkdir(parents=True, exist_ok=True)
        self.train = load_split(args.data, "train", args.dev_from_train)
        self.dev = load_split(args.data, "dev", args.dev_from_train)
        self.test = load_data(args.data, args.test_split)
        self.base = ModelConfig(prefix_len=args.prefix_len, query_max_len=args.query_max_len,
                                passage_max_len=args.passage_max_len, **CONFIGS[args.config])

    def row_path(self, name: str) -> Path:
        return self.out / "rows" / f"{name.replace(' ', '_').replace('+', 'p')}.json"

    def cached(self, name: str) -> dict | None:
        path = self.row_path(name)
        return json.loads(path.read_text()) if path.is_file() else None

    def save(self, row: dict) -> dict:
        path = self.row_path(row["system"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(row))
        print(f"  {row['system']:18s} test nDCG@10 {row['nDCG@10']:.4f}  MRR@10 {row['MRR@10']:.4f}  "
              f"R@100 {row['R@100']:.4f}  ({row['corpus']:,} passages, {row['queries']} queries)"
              + (f"  epochs {row.get('epochs')}, dev {row.get('dev nDCG@10')}" if "epochs" in row else ""), flush=True)
        return row

    # -- the rows --------------------------------------------------------------------------------
    def untrained(self) -> None:
        if not self.cached("BM25"):
            run = BM25Retriever(self.test.corpus).search(self.test.queries, 100)
            self.save(scored("BM25", run, self.test, {"trainable": 0}))
        if not self.cached("untuned backbone"):
            model = seeded_retriever(dataclasses.replace(self.base, prefix_len=0), self.args.seed)
            run, _ = dense_run(model, self.test, quiet=True)
            self.save(scored("untuned backbone", run, self.test, {"trainable": 0}))

    def bm25_negatives(self) -> list[TrainExample]:
        path = self.out / "negatives_bm25.jsonl"
        cfg = MineConfig(split="train", sources="bm25", fn_filter="none", skip_top=0, depth=100, negatives=8,
                         seed=self.args.seed, output=str(path), quiet=True)
        return mine_negatives(cfg, data=self.train)

    def trained(self, name: str, mcfg: ModelConfig, examples: list[TrainExample]) -> tuple[dict, object]:
        """Train to the epoch cap, pick the epoch with the best dev nDCG@10, score that epoch on test once."""
        folder = self.out / name.replace(" ", "_").replace("+", "p")
        row = self.cached(name)
        if row:
            return row, None
        args = self.args
        lr = args.lr_prompt if mcfg.mode == "prompt" else args.lr_finetune
        steps_per_epoch = math.ceil(len(examples) / args.batch_size)
        tcfg = TrainConfig(overwrite=True, output_dir=str(folder), epochs=args.max_epochs,  # an uncached row: redo
                           batch_size=args.batch_size, lr=lr, negatives=args.negatives, seed=args.seed,
                           eval_split="", eval_every=steps_per_epoch, eval_at_start=False, quiet=True)
        dev_scores: list[float] = []

        def on_dev(model) -> dict:                       # after every epoch: keep the weights, score dev
            save_model(folder / f"epoch{len(dev_scores) + 1}.safetensors", model)
            run, _ = dense_run(model, self.dev, quiet=True)
            dev_scores.append(evaluate_run(run, self.dev.qrels)["nDCG@10"])
            print(f"    {name}: epoch {len(dev_scores)} dev nDCG@10 {dev_scores[-1]:.4f}", flush=True)
            return {"dev nDCG@10": dev_scores[-1]}

        model = seeded_retriever(mcfg, args.seed)
        result = train(model, examples, self.train.corpus, tcfg, on_dev)
        best = max(range(len(dev_scores)), key=lambda i: (dev_scores[i], -i)) + 1   # ties: the earlier epoch
        tensors, meta = load_tensors(folder / f"epoch{best}.safetensors")
        load_model_tensors(model, tensors, meta, folder / f"epoch{best}.safetensors")
        model.eval()
        save_model(folder / "best.safetensors", model)
        start = time.perf_counter()
        run, _ = dense_run(model, self.test, quiet=True)
        report = model.parameter_report()
        row = scored(name, run, self.test, {
            "epochs": best, "dev nDCG@10": round(dev_scores[best - 1], 4),
            "dev curve": [round(s, 4) for s in dev_scores], "trainable": report["trainable"],
            "share": round(report["share"], 5), "train s": round(result.seconds, 1),
            "test s": round(time.perf_counter() - start, 1)})
        return self.save(row), model

    def stage1_model(self, name: str, mcfg: ModelConfig):
        """The best-epoch weights of an already trained row, to mine with."""
        folder = self.out / name.replace(" ", "_").replace("+", "p")
        model = seeded_retriever(mcfg, self.args.seed)
        tensors, meta = load_tensors(folder / "best.safetensors")
        load_model_tensors(model, tensors, meta, folder / "best.safetensors")
        return model.eval()

    def unm_negatives(self, tag: str, model) -> list[TrainExample]:
        cfg = MineConfig(split="train", sources="bm25,dense", fn_filter=self.args.fn_filter,
                         skip_top=self.args.skip_top, depth=100, negatives=8, seed=self.args.seed,
                         output=str(self.out / f"negatives_unm{tag}.jsonl"), quiet=True)
        return mine_negatives(cfg, data=self.train, model=model)

    def rip_backbone(self) -> str:
        folder = self.out / "rip"
        if not (folder / "backbone" / "config.json").is_file():
            rip = RIPConfig(overwrite=True, data=self.args.data, method=self.args.rip_method, update="backbone",
                            steps=self.args.rip_steps, batch_size=16, output_dir=str(folder), seed=self.args.seed,
                            quiet=True)
            print("  " + pretrain(rip, dataclasses.replace(self.base, mode="finetune", prefix_len=0)).summary(),
                  flush=True)
        return str(folder / "backbone")

    # -- stages ----------------------------------------------------------------------------------
    def stage_base(self) -> list[TrainExample]:
        """-> the BM25 negatives, which the recipe stage trains on too (mined once)."""
        self.untrained()
        bm25 = self.bm25_negatives()
        self.trained("FT", dataclasses.replace(self.base, mode="finetune"), bm25)
        self.trained("DPT", self.base, bm25)
        return bm25

    def stage_recipe(self) -> None:
        bm25 = self.stage_base()
        rip = dataclasses.replace(self.base, backbone=self.rip_backbone())
        self.trained("DPT+RIP", rip, bm25)
        if not self.cached("DPT+UNM"):
            self.trained("DPT+UNM", self.base, self.unm_negatives("", self.stage1_model("DPT", self.base)))
        if not self.cached("DPTDR (RIP+UNM)"):
            self.trained("DPTDR (RIP+UNM)", rip, self.unm_negatives("_rip", self.stage1_model("DPT+RIP", rip)))
        self.trained("FT+RIP", dataclasses.replace(rip, mode="finetune"), bm25)

    def report(self) -> None:
        rows = {n: r for n in ORDER if (r := self.cached(n))}
        table = pd.DataFrame([{k: v for k, v in r.items() if k not in ("per_query",)} for r in rows.values()])
        diffs = [{"difference": f"{b} - {a}", "nDCG@10": str(paired_bootstrap(rows[a]["per_query"],
                                                                                rows[b]["per_query"]))}
                 for a, b in PAIRS if a in rows and b in rows]
        header = {**provenance("benchmarks.recipe"), "data": self.args.data}
        name = f"recipe-{Path(self.args.data).name}-{self.args.config}-seed{self.args.seed}"
        print(write_results(name, table, header, self.notes(f"seed {self.args.seed}"),
                            {"Paired differences on test": pd.DataFrame(diffs)}))
        per_query = pd.DataFrame({n: r["per_query"] for n, r in rows.items()}).rename_axis("query-id")
        head = "".join(f"# {k}: {v}\n" for k, v in header.items())    # per-query nDCG@10, for bootstraps
        atomic_write_bytes(RESULTS / f"{name}-per-query.csv", (head + per_query.to_csv()).encode("utf-8"))

    def notes(self, seeds: str) -> list[str]:
        a = self.args
        return [f"Data `{a.data}`: trained on `train` minus a dev split of {a.dev_from_train:g} carved by hashed "
                f"query id ({len(self.train.qrels)} train / {len(self.dev.qrels)} dev queries), scored once on "
                f"`{a.test_split}` ({len(self.test.qrels)} queries) against the full corpus of "
                f"{len(self.test.corpus):,} passages.",
                f"Configuration `{a.config}`: {CONFIGS[a.config]}; MiniLM-L6, prefix {a.prefix_len} (positions from "
                f"0), queries {a.query_max_len} / passages {a.passage_max_len} tokens; batch {a.batch_size} + "
                f"{a.negatives} hard negative per query; lr {a.lr_prompt} (prompt) / {a.lr_finetune} (FT); epochs "
                f"chosen on dev in 1..{a.max_epochs} for every trained row (same cap for all); {seeds}.",
                f"RIP: method {a.rip_method}, steps {a.rip_steps} (0 = one pass over the corpus), backbone update. "
                f"UNM: BM25 + dense candidates, false-negative filter `{a.fn_filter}`, ranks "
                f"{a.skip_top}+1..100, mined by the row's own stage-1 model (DPT / DPT+RIP) on train queries only.",
                "Differences: mean over test queries of per-query nDCG@10, with a 95% paired bootstrap interval "
                "(10,000 resamples of the queries)."]


def report_seeds(args, seeds: list[int]) -> None:
    """Several seeds' cached rows -> mean (sd) per row; the bootstrap pairs per-query nDCG@10 averaged over seeds."""
    benches = [Bench(argparse.Namespace(**{**vars(args), "seed": s})) for s in seeds]
    per_seed = [{n: r for n in ORDER if (r := b.cached(n))} for b in benches]
    names = [n for n in ORDER if all(n in rows for rows in per_seed)]
    table = []
    for n in names:
        runs = [rows[n] for rows in per_seed]
        row = {"system": n}
        for metric in ("nDCG@10", "MRR@10", "R@100"):
            values = [r[metric] for r in runs]
            row[metric] = round(statistics.mean(values), 4)
            row[f"{metric} sd"] = round(statistics.stdev(values), 4) if len(values) > 1 else float("nan")
        row.update(corpus=runs[0]["corpus"], queries=runs[0]["queries"], trainable=runs[0]["trainable"],
                   epochs=",".join(str(r.get("epochs", "")) for r in runs))
        table.append(row)

    def mean_per_query(n: str) -> dict[str, float]:
        return {q: statistics.mean(rows[n]["per_query"][q] for rows in per_seed) for q in per_seed[0][n]["per_query"]}
    diffs = [{"difference": f"{b} - {a}", "nDCG@10": str(paired_bootstrap(mean_per_query(a), mean_per_query(b)))}
             for a, b in PAIRS if a in names and b in names]
    seeds_text = "seeds " + ",".join(map(str, seeds)) + " (mean, sample sd over seeds)"
    header = {**provenance("benchmarks.recipe"), "data": args.data}
    name = f"recipe-{Path(args.data).name}-{args.config}-seeds{'-'.join(map(str, seeds))}"
    print(write_results(name, pd.DataFrame(table), header, benches[0].notes(seeds_text),
                        {"Paired differences on test (per-query nDCG@10 averaged over seeds)": pd.DataFrame(diffs)}))


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default=str(SCIFACT))
    p.add_argument("--config", default="paper", choices=tuple(CONFIGS))
    p.add_argument("--stage", default="recipe", choices=("base", "recipe", "report"))
    p.add_argument("--test-split", default="test")
    p.add_argument("--dev-from-train", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--seeds", default="", help="report only: comma-separated seeds whose cached rows to average")
    p.add_argument("--max-epochs", type=int, default=2, help="the shared cap; each row picks 1..cap on dev")
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--negatives", type=int, default=1)
    p.add_argument("--lr-prompt", type=float, default=1e-2)
    p.add_argument("--lr-finetune", type=float, default=2e-5)
    p.add_argument("--prefix-len", type=int, default=32)
    p.add_argument("--query-max-len", type=int, default=64)
    p.add_argument("--passage-max-len", type=int, default=128)
    p.add_argument("--rip-method", default="crop")
    p.add_argument("--rip-steps", type=int, default=0)
    p.add_argument("--fn-filter", default="rank-window")
    p.add_argument("--skip-top", type=int, default=10)
    p.add_argument("--output-dir", default="runs/recipe")
    args = p.parse_args(argv)
    if args.seeds:
        if args.stage != "report":
            p.error("--seeds goes with --stage report (train each seed with --seed first)")
        return report_seeds(args, [int(s) for s in args.seeds.split(",")])
    bench = Bench(args)
    print(f"test: {bench.test!r}\ntrain: {bench.train!r}\ndev: {bench.dev!r}", flush=True)
    if args.stage == "base":
        bench.stage_base()
    elif args.stage == "recipe":
        bench.stage_recipe()
    bench.report()


if __name__ == "__main__":
    main()
