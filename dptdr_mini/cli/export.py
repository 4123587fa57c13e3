"""`export` verb: a checkpoint as a peft PrefixTuning adapter (a prompt) or a Hugging Face folder (fine-tuned)."""

from __future__ import annotations

import argparse

from dptdr_mini.cli.common import add_config_flags, config_from_args, parse, verb


@verb("export", "write a checkpoint as a peft PrefixTuning adapter (--to peft) or a Hugging Face / "
                "sentence-transformers folder (--to hf)")
def main_export(argv: list[str]) -> int:
    from dptdr_mini.model.export import ExportConfig, export_checkpoint

    p = argparse.ArgumentParser(prog="python -m dptdr_mini export", description=__doc__)
    add_config_flags(p, ExportConfig)
    cfg = config_from_args(ExportConfig, parse(p, argv))
    out = export_checkpoint(cfg)
    print(f"exported {cfg.checkpoint} ({'peft PrefixTuning adapter' if cfg.to == 'peft' else 'Hugging Face folder'})"
          f" -> {out}  (pooling, normalisation and lengths in {out}/dptdr_export.json)")
    return 0
