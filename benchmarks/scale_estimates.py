"""Memory and time estimates for the paper's 8-GPU settings, computed from the configs (nothing is run).

Arithmetic (stated so a reader can redo it; every constant is an input below):
- prefix parameters = prefix_len x 2 (key, value) x layers x hidden (x 2 when query and passage prefixes are untied)
- optimizer memory = prefix parameters x 16 bytes (fp32 weight, gradient, two AdamW moments)
- frozen backbone = parameters x 4 bytes (fp32, as this kit trains) or x 2 (fp16 weights)
- activations per sequence of s tokens attending to s + prefix keys, per layer (Korthikanti et al. 2022, 2-byte
  activations): 34 s h + 5 a s (s + prefix) bytes; x 2 for fp32; x layers. This counts what fine-tuning keeps;
  a frozen backbone keeps less (no inputs saved for weight gradients), so it is an upper bound.
  With GradCache only one chunk's activations are alive at once.
- FLOPs per token, forward = 2 x (12 x layers x hidden^2) + 4 x layers x (s + prefix) x hidden (attention).
  Training with a frozen backbone and GradCache = 3 forwards (no-grad pass, re-forward, input-gradient backward;
  no weight gradients for the backbone).
- time = FLOPs / (GPUs x peak FLOP/s x utilisation). Peak and utilisation are assumptions, printed with the result.
- index bytes: flat = N x hidden x 4 (x 2 for float16 shards), IVFPQ = N x hidden / 4, HNSW32 = flat + N x 64 x 4.

Run: python benchmarks/scale_estimates.py    (prints the markdown tables that docs/scaling.md quotes)
"""

from __future__ import annotations

from dataclasses import dataclass

GB = 1e9


@dataclass
class Backbone:
    name: str = "roberta-large"
    layers: int = 24
    hidden: int = 1024
    heads: int = 16
    params: float = 355e6


@dataclass
class Setting:
    name: str
    train_queries: int           # judged training queries
    corpus: int                  # passages to encode and index
    prefix_len: int
    passages_per_query: int      # 1 positive + k negatives
    epochs: int
    batch_per_gpu: int
    gc_chunk: int                # queries per GradCache chunk
    gpus: int = 8
    query_len: int = 32
    passage_len: int = 128
    untied: bool = False


MSMARCO = Setting("MS MARCO passage", 502_939, 8_841_823, 128, 30, 10, 8, 4)
NQ = Setting("NQ (DPR Wikipedia)", 58_880, 21_015_324, 32, 2, 60, 16, 8, untied=True)


def activation_bytes(bb: Backbone, s: int, prefix: int, fp32: bool = True) -> float:
    """Kept activations of one sequence through every layer (upper bound, see module docstring)."""
    per_layer = 34 * s * bb.hidden + 5 * bb.heads * s * (s + prefix)
    return per_layer * bb.layers * (2 if fp32 else 1)


def training_memory(st: Setting, bb: Backbone = Backbone(), fp32: bool = True) -> dict[str, float]:
    prefix_params = st.prefix_len * 2 * bb.layers * bb.hidden * (2 if st.untied else 1)
    chunk = st.gc_chunk or st.batch_per_gpu
    act = chunk * (activation_bytes(bb, st.query_len, st.prefix_len, fp32)
                   + st.passages_per_query * activation_bytes(bb, st.passage_len, st.prefix_len, fp32))
    full = act * st.batch_per_gpu / chunk
    weights = bb.params * (4 if fp32 else 2)
    return {"prefix parameters": prefix_params, "backbone weights GB": weights / GB,
            "prefix + AdamW GB": prefix_params * 16 / GB, "activations per GradCache chunk GB": act / GB,
            "activations without GradCache GB": full / GB, "peak per GPU GB": (weights + prefix_params * 16 + act) / GB}


def forward_flops_per_token(bb: Backbone, keys: int) -> float:
    return 2 * 12 * bb.layers * bb.hidden ** 2 + 4 * bb.layers * keys * bb.hidden


def training_flops(st: Setting, bb: Backbone = Backbone()) -> float:
    q = st.query_len * forward_flops_per_token(bb, st.query_len + st.prefix_len)
    p = st.passages_per_query * st.passage_len * forward_flops_per_token(bb, st.passage_len + st.prefix_len)
    return 3 * (q + p) * st.train_queries * st.epochs


def encoding_flops(st: Setting, bb: Backbone = Backbone()) -> float:
    return st.corpus * st.passage_len * forward_flops_per_token(bb, st.passage_len + st.prefix_len)


def hours(flops: float, gpus: int, peak: float, utilisation: float) -> float:
    return flops / (gpus * peak * utilisation) / 3600


def index_memory(st: Setting, bb: Backbone = Backbone()) -> dict[str, float]:
    n, h = st.corpus, bb.hidden
    return {"flat float32 GB": n * h * 4 / GB, "shards float16 on disk GB": n * h * 2 / GB,
            "HNSW32 GB": (n * h * 4 + n * 64 * 4) / GB, "IVFPQ (h/4 bytes) GB": n * h / 4 / GB}


GPUS = {"A100 fp32 (this kit; 19.5 TFLOP/s peak, 50% used)": (19.5e12, 0.5),
        "A100 fp16 (the paper ran --fp16; this kit has no fp16 yet; 312 TFLOP/s peak, 35% used)": (312e12, 0.35)}


def report() -> str:
    bb = Backbone()
    out = []
    for st in (MSMARCO, NQ):
        mem = training_memory(st, bb)
        out.append(f"### {st.name}: {st.gpus} GPUs, {bb.name}, prefix {st.prefix_len}"
                   f"{' (untied: query + passage prefixes)' if st.untied else ''}, 1+{st.passages_per_query - 1} "
                   f"passages, batch {st.batch_per_gpu}/GPU x {st.gpus} = {st.batch_per_gpu * st.gpus} queries, "
                   f"GradCache chunk {st.gc_chunk}, {st.epochs} epochs, {st.train_queries:,} training queries, "
                   f"corpus {st.corpus:,}\n")
        out.append("| quantity | estimate |\n|---|---|")
        out.append(f"| trainable prefix parameters | {mem['prefix parameters'] / 1e6:.2f} M |")
        for k in ("backbone weights GB", "prefix + AdamW GB", "activations per GradCache chunk GB",
                  "activations without GradCache GB", "peak per GPU GB"):
            out.append(f"| {k.replace(' GB', '')} (fp32) | {mem[k]:.1f} GB |")
        half = training_memory(st, bb, fp32=False)
        out.append(f"| peak per GPU with fp16 activations and weights | {half['peak per GPU GB']:.1f} GB |")
        train, enc = training_flops(st, bb), encoding_flops(st, bb)
        out.append(f"| training FLOPs | {train:.2e} |")
        out.append(f"| corpus encoding FLOPs | {enc:.2e} |")
        for gpu, (peak, util) in GPUS.items():
            out.append(f"| training time, {gpu} | {hours(train, st.gpus, peak, util):.1f} h |")
            out.append(f"| corpus encoding time, {gpu} | {hours(enc, st.gpus, peak, util):.1f} h |")
        for k, v in index_memory(st, bb).items():
            out.append(f"| index: {k.replace(' GB', '')} | {v:.1f} GB |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(report())
