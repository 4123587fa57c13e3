"""Text in: the three on-disk layouts (MS MARCO TSV, BEIR, DPR/NQ), training examples, dataset downloads."""
