"""A text becomes a vector: the backbone, the deep prompt (prefix), the retriever, its checkpoints, many tasks on one backbone."""
