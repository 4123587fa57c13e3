"""UNM: hard negatives from BM25 and a dense retriever, merged and filtered, and a view to inspect them."""
