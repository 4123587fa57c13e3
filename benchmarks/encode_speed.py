"""Corpus encoding throughput: `dptdr_mini.retrieve.index.encode_texts` vs sentence-transformers `encode`.

Same model (the bundled all-MiniLM-L6-v2), same texts (`title: text` of the first N SciFact passages),
same max length, batch size and pooling (mean, L2-normalised). The arms alternate (their order
rotates every repeat) inside one process, so load from other jobs on a shared machine hits all arms
alike; the table reports the median passages/s over the repeats and the ratio to sentence-transformers.
The arm "before" is the previous `encode_texts` (per-batch tokenizer call, batches sorted by
character length), kept here to show what the change bought.

`--int8` adds the int8 dynamic-quantised model (`dptdr_mini.model.quantize.quantize_int8`) as an arm;
`--ndcg` also encodes the whole SciFact corpus once per variant (fp32, int8) and scores the test
queries (nDCG@10), and caches the fp32 passage vectors for `benchmarks.search_speed`.

    python -m benchmarks.encode_speed --int8 --ndcg         # ~10 min on 2 shared cores
"""

from __future__ import annotations

import argparse
import io
import time

import numpy as np
import pandas as pd
import torch

from dptdr_mini.model.backbone import default_backbone_path
from dptdr_mini.model.checkpoint import atomic_write_bytes
from dptdr_mini.config import ModelConfig
from dptdr_mini.data.loaders import load_data
from dptdr_mini.model.retriever import DenseRetriever
from dptdr_mini.evaluate.runs import dense_run, score_run
from dptdr_mini.retrieve.index import encode_texts
from dptdr_mini.model.quantize import quantize_int8

from .provenance import SAMPLES, SCIFACT, median, provenance, write_results
from .search_speed import SCIFACT_CACHE


def encode_texts_before(model, texts: list[str], role: str, batch_size: int = 64) -> np.ndarray:
    """The previous `encode_texts`: sort by characters, call the tokenizer once per batch."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
    out = np.zeros((len(texts), model.query_backbone.config.hidden_size), dtype=np.float32)
    model.eval()
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            idx = order[start:start + batch_size]
            out[idx] = model.encode([texts[i] for i in idx], role).float().cpu().numpy()
    return out


def padding_profile(tokenizer, texts: list[str], max_len: int, batch_size: int) -> pd.DataFrame:
    """Tokens each batching computes (batch x its width) against the real tokens, and tokenizer time."""
    t0 = time.perf_counter()
    lengths = [len(x) for x in tokenizer(texts, truncation=True, max_length=max_len)["input_ids"]]
    tok_s = time.perf_counter() - t0
    real = sum(lengths)
    rows = []
    for name, key in (("token count (dptdr_mini)", lambda i: lengths[i]), ("characters (before; ST)", lambda i: len(texts[i])),
                      ("unsorted", lambda i: 0)):
        order = sorted(range(len(texts)), key=key, reverse=True)
        computed = sum(len(b) * max(lengths[i] for i in b)
                       for b in (order[s:s + batch_size] for s in range(0, len(order), batch_size)))
        rows.append({"sort batches by": name, "tokens computed": computed, "real tokens": real,
                     "padding share": 1 - real / computed})
    table = pd.DataFrame(rows)
    table["tokenize all, one call (s)"] = tok_s
    table["mean tokens/passage"] = real / len(texts)
    return table


def load_texts(n: int) -> tuple[list[str], str]:
    folder = SCIFACT if (SCIFACT / "corpus.jsonl").is_file() else SAMPLES / "beir"
    corpus = load_data(folder, "test").corpus
    return [p.full_text for p in list(corpus.values())[:n]], f"{folder} (first {min(n, len(corpus))} of {len(corpus):,} passages)"


def throughput_table(arms: dict, texts: list[str], repeats: int) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Run every arm `repeats` times, rotating their order; -> per-arm median passages/s and last vectors."""
    names = list(arms)
    for fn in arms.values():
        fn(texts[:32])                                                       # warm-up (allocator, kernels)
    seconds: dict[str, list[float]] = {n: [] for n in names}
    vectors: dict[str, np.ndarray] = {}
    for r in range(repeats):
        for name in names[r % len(names):] + names[:r % len(names)]:
            t0 = time.perf_counter()
            vectors[name] = arms[name](texts)
            seconds[name].append(time.perf_counter() - t0)
    rows = [{"arm": n, "passages/s (median)": len(texts) / median(s),
             "passages/s (min..max)": f"{len(texts) / max(s):.1f}..{len(texts) / min(s):.1f}",
             "seconds (median)": median(s)} for n, s in seconds.items()]
    table = pd.DataFrame(rows)
    st = table.loc[table["arm"] == "sentence-transformers", "passages/s (median)"].iloc[0]
    table["x sentence-transformers"] = table["passages/s (median)"] / st
    return table, vectors


def scifact_quality(variants: dict) -> pd.DataFrame:
    """Full SciFact test: encode the corpus once per variant, score nDCG@10; cache fp32 passage vectors."""
    data = load_data(SCIFACT, "test")
    rows = []
    for name, m in variants.items():
        t0 = time.perf_counter()
        run, index = dense_run(m, data, depth=100, batch_size=64, quiet=True)
        secs = time.perf_counter() - t0
        res = score_run(name, run, data, secs)
        rows.append({"model": f"untuned MiniLM, mean, normalized, {name}", **{k: res.metrics[k] for k in
                     ("nDCG@10", "MRR@10", "R@100") if k in res.metrics}, "corpus": res.corpus_size,
                     "queries": res.num_queries, "encode+search s": secs,
                     "passages/s (sequential, not interleaved)": res.corpus_size / secs})
        if name == "fp32":
            buf = io.BytesIO()
            np.save(buf, index.vectors, allow_pickle=False)
            SCIFACT_CACHE.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(SCIFACT_CACHE, buf.getvalue())
    return pd.DataFrame(rows)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--passages", type=int, default=1000, help="first N corpus passages to encode")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--max-len", type=int, default=128, help="passage tokens kept (both arms)")
    ap.add_argument("--repeats", type=int, default=3, help="timed runs per arm (alternating)")
    ap.add_argument("--int8", action="store_true", help="add the int8 dynamic-quantised dptdr_mini arm")
    ap.add_argument("--ndcg", action="store_true", help="fp32 vs int8 nDCG@10 on the full SciFact test split")
    ap.add_argument("--before", action="store_true", help="add the previous encode_texts as an arm")
    ap.add_argument("--int8-keep-fp32", nargs="*", default=[], help="module-name suffixes left fp32 in the int8 "
                                                                     "model, e.g. encoder.layer.0.output.dense")
    args = ap.parse_args(argv)
    start = time.perf_counter()
    from sentence_transformers import SentenceTransformer

    texts, source = load_texts(args.passages)
    model = DenseRetriever(ModelConfig(prefix_len=0, pooling="mean", normalize=True, passage_max_len=args.max_len))
    st = SentenceTransformer(str(default_backbone_path()), device="cpu")
    st.max_seq_length = args.max_len
    pooling = [type(m).__name__ + str(getattr(m, "pooling_mode", "") or getattr(m, "get_pooling_mode_str", lambda: "")())
               for m in st]
    bs = args.batch_size
    arms = {"dptdr_mini": lambda t: encode_texts(model, t, "passage", bs, quiet=True),
            "sentence-transformers": lambda t: st.encode(t, batch_size=bs, convert_to_numpy=True,
                                                         show_progress_bar=False, normalize_embeddings=True)}
    if args.before:
        arms["dptdr_mini before (per-batch tokenize, char sort)"] = lambda t: encode_texts_before(model, t, "passage", bs)
    int8_model = quantize_int8(model) if (args.int8 or args.ndcg) else None
    keep = tuple(args.int8_keep_fp32)
    int8_keep = quantize_int8(model, keep) if keep and (args.int8 or args.ndcg) else None
    keep_name = f"dptdr_mini int8, fp32 kept: {' '.join(keep)}"
    if args.int8:
        arms["dptdr_mini int8"] = lambda t: encode_texts(int8_model, t, "passage", bs, quiet=True)
        if int8_keep is not None:
            arms[keep_name] = lambda t: encode_texts(int8_keep, t, "passage", bs, quiet=True)
    table, vecs = throughput_table(arms, texts, args.repeats)
    diff = float(np.abs(vecs["dptdr_mini"] - vecs["sentence-transformers"]).max())
    table["max abs diff vs ST vectors"] = [float(np.abs(v - vecs["sentence-transformers"]).max()) for v in vecs.values()]
    table["min cosine vs ST"] = [float((v * vecs["sentence-transformers"]).sum(1).min()) for v in vecs.values()]
    profile = padding_profile(model.tokenizer, texts, args.max_len, bs)
    extra = {"Padding and tokenization profile": profile}
    if args.ndcg:
        if (SCIFACT / "corpus.jsonl").is_file():
            extra["SciFact test, fp32 vs int8 (full corpus, encoded once per variant)"] = scifact_quality(
                {"fp32": model, "int8": int8_model, **({f"int8, fp32 kept: {' '.join(keep)}": int8_keep} if keep else {})})
        else:
            print("--ndcg: ../shared/data/scifact is absent; skipped")
    header = provenance("benchmarks.encode_speed")
    header["texts"] = source
    header["protocol"] = (f"batch {bs}, max len {args.max_len}, mean pooling, normalized (ST modules: "
                          f"{pooling}); arms rotate, median of {args.repeats} repeats; torch threads "
                          f"{torch.get_num_threads()}")
    if int8_model is not None:
        header["int8"] = (f"quantize_int8: dynamic int8 Linear (int8 activations quantised per tensor on the fly), "
                          f"per-channel weights; engine {torch.backends.quantized.engine}")
    header["wall"] = f"{time.perf_counter() - start:.0f} s"
    ratio = table.loc[table["arm"] == "dptdr_mini", "x sentence-transformers"].iloc[0]
    notes = [f"dptdr_mini / sentence-transformers = {ratio:.3f}x (goal >= 1.2x): " + ("met" if ratio >= 1.2 else "NOT met"),
             f"same vectors: max abs diff dptdr_mini vs ST = {diff:.2e}"]
    if args.int8:
        r8 = table.loc[table["arm"] == "dptdr_mini int8", "x sentence-transformers"].iloc[0]
        if int8_keep is not None:
            rk = table.loc[table["arm"] == keep_name, "x sentence-transformers"].iloc[0]
            notes.append(f"{keep_name}: {rk / ratio:.3f}x dptdr_mini fp32")
        notes.append(f"int8 / sentence-transformers = {r8:.3f}x, int8 / dptdr_mini fp32 = {r8 / ratio:.3f}x "
                     f"(goal >= 1.8x): " + ("met" if r8 >= 1.8 else "NOT met"))
    if args.ndcg and len(extra) > 1:
        q = list(extra.values())[-1]
        for i in range(1, len(q)):
            d = q["nDCG@10"].iloc[i] - q["nDCG@10"].iloc[0]
            notes.append(f"{q['model'].iloc[i].split(', ', 3)[-1]} - fp32 nDCG@10 = {d:+.4f} (goal within 0.005): "
                         + ("met" if abs(d) <= 0.005 else "NOT met"))
    print(write_results("encode_speed", table, header, notes, extra))


if __name__ == "__main__":
    main()
