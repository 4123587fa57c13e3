"""dptdr-mini: deep prompt tuning for dense passage retrieval, small enough to read.

The pieces, one idea per module:
    data        loaders for MS MARCO TSV, BEIR and DPR/NQ JSON into one `RetrievalData`
    examples    training examples (query, positives, negatives) and their JSONL file
    backbone    load a Hugging Face encoder (offline default: all-MiniLM-L6-v2)
    prefix      `PrefixEncoder`: per-layer key/value prefixes (P-Tuning v2)
    encoder     `DenseRetriever`: prompt or fine-tune mode, pooling, dot-product score
    loss        `contrastive_loss`: InfoNCE over in-batch and hard negatives
    train       the training loop, checkpoints and resume
    checkpoint  atomic safetensors checkpoints
    index       corpus encoding and FAISS search
    bm25        BM25 baseline (bm25s)
    metrics     MRR@k, Recall@k, nDCG@k, answer accuracy
    evaluation  retrieve + score, the results table
    explorer    compare retrievers on one query: rankings, rank changes, prefix attention (widget)
    multitask   many prompt tasks on one frozen backbone, mixed-task batches
    cli         `python -m dptdr_mini <verb>`
"""

__version__ = "0.1.0"
