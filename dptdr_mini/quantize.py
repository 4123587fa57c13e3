"""int8 dynamic quantisation of a retriever for faster CPU encoding.

`torch.ao.quantization.quantize_dynamic` swaps every `nn.Linear` for a version that stores int8
weights and quantises each activation on the fly (per tensor), so the big matmuls of attention
and the feed-forward blocks run as int8 GEMMs (x86: fbgemm/oneDNN, fastest with AVX512-VNNI).
Embeddings, LayerNorm, softmax and the prefix keys/values stay float32. Vectors move a little
(cosine to fp32 ~0.99); check retrieval quality with `benchmarks.encode_speed --ndcg`.

For inference only: the quantised copy has no gradients. PyTorch marks this API deprecated in
favour of torchao; it still works in torch 2.x and needs no extra package.
"""

from __future__ import annotations

import copy
import warnings

import torch
from torch import nn


def quantize_int8(retriever: nn.Module) -> nn.Module:
    """A copy of `retriever` (e.g. a DenseRetriever) with int8 dynamic-quantised Linear layers; eval mode.

    The original is left untouched (fp32, trainable). Tied backbones stay tied in the copy.
    """
    model = copy.deepcopy(retriever).eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=DeprecationWarning)
        warnings.simplefilter("ignore", category=UserWarning)   # "quantized tensor creation ... deprecated"
        return torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)
