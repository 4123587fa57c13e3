"""int8 dynamic quantisation of a retriever for faster CPU encoding.

`torch.ao.quantization.quantize_dynamic` swaps every `nn.Linear` for a version that stores int8
weights and quantises each activation on the fly (per tensor), so the big matmuls of attention
and the feed-forward blocks run as int8 GEMMs (x86: fbgemm/oneDNN, fastest with AVX512-VNNI).
Weights are quantised per output channel (one scale per row), which keeps MiniLM passage vectors
at cosine ~0.98 to fp32 where one scale per tensor gives ~0.93. The most sensitive layers are the
feed-forward outputs (GELU activations with outliers), layer 0's most of all; `keep_fp32` leaves
named layers in float32. Embeddings, LayerNorm, softmax and the prefix keys/values stay float32.
Check retrieval quality with `python -m benchmarks.encode_speed --int8 --ndcg`.

For inference only: the quantised copy has no gradients. PyTorch marks this API deprecated in
favour of torchao; it still works in torch 2.x and needs no extra package.
"""

from __future__ import annotations

import copy
import warnings

import torch
from torch import nn
from torch.ao.quantization import default_dynamic_qconfig, per_channel_dynamic_qconfig, quantize_dynamic


def quantize_int8(retriever: nn.Module, keep_fp32: tuple[str, ...] = (), per_channel: bool = True) -> nn.Module:
    """A copy of `retriever` (e.g. a DenseRetriever) with int8 dynamic-quantised Linear layers; eval mode.

    `keep_fp32`: module-name suffixes left in float32 (e.g. "encoder.layer.0.output.dense").
    The original is left untouched (fp32, trainable). Tied backbones stay tied in the copy.
    """
    model = copy.deepcopy(retriever).eval()
    qconfig = per_channel_dynamic_qconfig if per_channel else default_dynamic_qconfig
    spec = {name: qconfig for name, m in model.named_modules()
            if isinstance(m, nn.Linear) and not name.endswith(tuple(keep_fp32))}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=DeprecationWarning)
        warnings.simplefilter("ignore", category=UserWarning)   # "quantized tensor creation ... deprecated"
        return quantize_dynamic(model, spec, dtype=torch.qint8)
