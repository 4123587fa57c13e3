"""Rankings to numbers: MRR@10, Recall@k, nDCG@10 over the full corpus of a split."""
