"""Whole runs composed from the pieces: the demo table and the DPTDR pipeline."""
