"""Vectors to rankings: BM25, an exact dense index, sharded encoding, approximate (FAISS) indexes."""
