"""Contrastive training: the InfoNCE loss, the loop, its distributed form, and RIP (pretraining on pseudo pairs)."""
