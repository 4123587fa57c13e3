"""Export a trained retriever to the formats others load, and read a peft prompt back in.

- `--to peft`: a prompt becomes a peft PrefixTuning adapter folder (adapter_config.json + adapter_model.safetensors).
  The kit's prefix table already has peft's layout, (prefix_len, layers*2*hidden) with layer-major, then key/value,
  then head, then head_dim, so it is copied across; a reparameterised prefix (MLP) is written as the table it
  computes, which is what peft itself saves. peft numbers real tokens from num_virtual_tokens (it shifts any
  position ids it is given too), so only `--position-mode shifted` prompts give the same vectors there.
  Untied prompts give two adapters, `query/` and `passage/`.
- `--to hf`: a fine-tuned checkpoint becomes a Hugging Face folder (`AutoModel.from_pretrained`) that is also a
  sentence-transformers model: modules.json, 1_Pooling/config.json, and Normalize when the kit normalises.
Both write `dptdr_export.json` beside: pooling, normalisation, lengths, position mode, backbone fingerprint,
what a loader needs to give the kit's own vectors. Folders are built in a temp folder, then renamed into place.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from dptdr_mini.config import check_choices, option
from dptdr_mini.errors import CheckpointError, ConfigError
from dptdr_mini.model.checkpoint import atomic_write_bytes

EXPORT_INFO = "dptdr_export.json"
PEFT_CONFIG, PEFT_WEIGHTS, PEFT_KEY = "adapter_config.json", "adapter_model.safetensors", "prompt_embeddings"


def write_json(path: Path, obj) -> None:
    """Every file the kit writes goes through atomic_write_bytes (its umask and fsync rules), these too."""
    atomic_write_bytes(path, (json.dumps(obj, indent=2) + "\n").encode("utf-8"))


@dataclass
class ExportConfig:
    """What `export` writes: which checkpoint, in which format, where."""

    checkpoint: str = option("runs/prompt/model.safetensors", "model.safetensors from `train`")
    to: str = option("peft", "peft: a prompt as a peft PrefixTuning adapter; hf: a fine-tuned model as a Hugging "
                     "Face / sentence-transformers folder", ("peft", "hf"))
    output: str = option("runs/export", "folder to write; must be absent or empty unless --overwrite")
    overwrite: bool = option(False, "replace a non-empty --output folder (never the checkpoint's own folder)")
    backbone: str = option("", "load the checkpoint onto this backbone ('' = the one it was trained on)")
    online: bool = option(False, "allow downloading the backbone from the Hugging Face hub")

    def validate(self) -> None:
        check_choices(self)
        if not self.output:
            raise ConfigError("--output '': expected a folder to write")


# -- the prefix table, both ways ------------------------------------------------------------------
@torch.no_grad()
def prefix_table(prefix) -> torch.Tensor:
    """A PrefixEncoder's keys/values as one table (prefix_len, layers*2*hidden): peft's `prompt_embeddings`.

    With a projection this is the MLP's output (no dropout), the table the prompt computes at inference."""
    x = prefix.embedding.weight                                          # (P, 2*L*hidden) or (P, hidden)
    return (prefix.mlp(x) if prefix.projection else x).detach().cpu().contiguous()


def export_info(model, **extra) -> dict:
    """What a loader needs besides the weights to reproduce the kit's vectors."""
    cfg = model.cfg
    return {"format": "dptdr-mini-export/1", "pooling": cfg.pooling, "normalize": cfg.normalize,
            "query_max_len": cfg.query_max_len, "passage_max_len": cfg.passage_max_len,
            "position_mode": cfg.position_mode, "tied": cfg.tied, "backbone": cfg.backbone,
            "backbone_fingerprint": model.fingerprint, "model_config": asdict(cfg), **extra}


def peft_adapter_config(model, table: torch.Tensor, base_name: str) -> dict:
    """peft's PrefixTuningConfig fields for this backbone, inference mode, no projection (the table is final)."""
    config = model.query_backbone.config
    return {"peft_type": "PREFIX_TUNING", "task_type": "FEATURE_EXTRACTION", "inference_mode": True,
            "num_virtual_tokens": table.shape[0], "num_layers": config.num_hidden_layers,
            "token_dim": config.hidden_size, "num_attention_heads": config.num_attention_heads,
            "encoder_hidden_size": config.hidden_size, "prefix_projection": False, "num_transformer_submodules": 1,
            "base_model_name_or_path": base_name, "init_weights": None, "revision": None, "modules_to_save": None,
            "auto_mapping": None}


def base_model_name(cfg) -> str:
    """The name peft records as the base model: the kit's `default` is all-MiniLM-L6-v2."""
    return "sentence-transformers/all-MiniLM-L6-v2" if cfg.backbone in ("default", "") else cfg.backbone


# -- writing a folder atomically ----------------------------------------------------------------------
def check_output(output: Path, overwrite: bool, checkpoint: str | Path | None = None) -> None:
    """Refuse a non-empty --output unless --overwrite, and always a folder that holds the checkpoint itself."""
    if checkpoint:
        ckpt, out = Path(checkpoint).resolve(), output.resolve()
        if out == ckpt or out in ckpt.parents:
            raise ConfigError(f"--output {output}: holds the checkpoint being exported ({checkpoint}); replacing it "
                              f"would delete the checkpoint, even with --overwrite; pick another folder")
    if output.exists() and not overwrite and (not output.is_dir() or any(output.iterdir())):
        raise ConfigError(f"--output {output}: {'is a file' if not output.is_dir() else 'folder is not empty'}; "
                          f"pass --overwrite to replace it, or pick another folder")


@contextlib.contextmanager
def atomic_folder(output: str | Path, overwrite: bool = False, checkpoint: str | Path | None = None):
    """Yield a temp folder beside `output`; on success it replaces `output` by renames, so a reader (or a kill)
    sees the old folder or the whole new one, never half an export."""
    output = Path(output)
    check_output(output, overwrite, checkpoint)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp"))
    try:
        yield tmp
        old = None
        if output.exists() and (not output.is_dir() or any(output.iterdir())):
            old = output.parent / f"{tmp.name[:-4]}.old"
            os.replace(output, old)                                      # move aside, then swap in
        elif output.is_dir():
            output.rmdir()
        os.replace(tmp, output)
        if old is not None:
            shutil.rmtree(old) if old.is_dir() else old.unlink()
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


# -- kit -> peft ----------------------------------------------------------------------------------------
def write_peft_adapter(folder: Path, model, table: torch.Tensor) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    write_json(folder / PEFT_CONFIG, peft_adapter_config(model, table, base_model_name(model.cfg)))
    save_file({PEFT_KEY: table}, str(folder / PEFT_WEIGHTS), metadata={"format": "pt"})


def export_peft(model, output: str | Path, overwrite: bool = False, checkpoint: str | Path | None = None) -> Path:
    """A prompt-mode retriever as peft PrefixTuning adapter(s): tied -> output/, untied -> output/{query,passage}/."""
    cfg = model.cfg
    if cfg.mode != "prompt" or model.query_prefix is None:
        raise ConfigError(f"--to peft: {checkpoint or 'the model'} has no prompt (mode {cfg.mode}, prefix_len "
                          f"{cfg.prefix_len}); a fine-tuned model exports with --to hf")
    if cfg.position_mode != "shifted":
        raise ConfigError(f"--to peft: the prompt was trained with --position-mode {cfg.position_mode} (real tokens "
                          f"keep the positions they have without a prompt), but peft numbers them from "
                          f"num_virtual_tokens (it shifts given position ids too), so peft's vectors would differ; "
                          f"train with --position-mode shifted to export to peft")
    roles = {"": model.query_prefix} if cfg.tied else {"query": model.query_prefix, "passage": model.passage_prefix}
    with atomic_folder(output, overwrite, checkpoint) as tmp:
        for sub, prefix in roles.items():
            write_peft_adapter(tmp / sub, model, prefix_table(prefix))
        adapters = {"query": "query", "passage": "passage"} if not cfg.tied else {"query": ".", "passage": "."}
        write_json(tmp / EXPORT_INFO, export_info(model, to="peft", adapters=adapters))
    return Path(output)


# -- peft -> kit ----------------------------------------------------------------------------------------
def read_peft_adapter(folder: Path) -> tuple[dict, torch.Tensor]:
    """(adapter config, prompt table) of one peft PrefixTuning folder; anything else raises CheckpointError."""
    config_path, weights = folder / PEFT_CONFIG, folder / PEFT_WEIGHTS
    if not config_path.is_file():
        raise CheckpointError(f"{folder}: no {PEFT_CONFIG} (expected a peft adapter folder, as "
                              f"PeftModel.save_pretrained or `export --to peft` writes)")
    try:
        config = json.loads(config_path.read_text())
    except json.JSONDecodeError as e:
        raise CheckpointError(f"{config_path}: not valid JSON ({e})") from None
    if config.get("peft_type") != "PREFIX_TUNING" or config.get("num_transformer_submodules", 1) != 1:
        raise CheckpointError(f"{config_path}: peft_type {config.get('peft_type')!r} with "
                              f"{config.get('num_transformer_submodules', 1)} submodule(s) (expected PREFIX_TUNING "
                              f"for an encoder, 1 submodule)")
    if not weights.is_file():
        raise CheckpointError(f"{folder}: no {PEFT_WEIGHTS} (only safetensors is read: the kit loads no pickle)")
    tensors = load_file(str(weights))
    if PEFT_KEY not in tensors:
        raise CheckpointError(f"{weights}: no tensor {PEFT_KEY!r} (has {sorted(tensors)[:3]})")
    return config, tensors[PEFT_KEY]


def load_peft_prefix(model, folder: str | Path) -> list[str]:
    """Copy a peft PrefixTuning adapter (one, or query/ + passage/) into a prompt-mode retriever's prefixes.

    Returns notes to show (a prompt trained by peft saw shifted positions). Shape mismatches name the flag to fix."""
    folder, cfg = Path(folder), model.cfg
    if (folder / PEFT_CONFIG).is_file():
        sources = {"query": folder, "passage": folder}
    elif (folder / "query" / PEFT_CONFIG).is_file() and (folder / "passage" / PEFT_CONFIG).is_file():
        if cfg.tied:
            raise ConfigError(f"--init-from-peft {folder}: holds two adapters (query/, passage/), an untied prompt; "
                              f"pass --no-tied")
        sources = {"query": folder / "query", "passage": folder / "passage"}
    else:
        raise CheckpointError(f"{folder}: no {PEFT_CONFIG} in it or in query/ and passage/ (expected a peft adapter "
                              f"folder, as PeftModel.save_pretrained or `export --to peft` writes)")
    if cfg.mode != "prompt" or model.query_prefix is None:
        raise ConfigError(f"--init-from-peft {folder}: needs a prompt (--mode prompt, --prefix-len > 0)")
    if cfg.prefix_projection:
        raise ConfigError(f"--init-from-peft {folder}: a peft adapter holds the final table; pass "
                          f"--no-prefix-projection")
    info_path = folder / EXPORT_INFO
    if info_path.is_file():
        saved = json.loads(info_path.read_text()).get("backbone_fingerprint")
        if saved and saved != model.fingerprint:
            raise CheckpointError(f"{folder}: exported from a prompt trained on backbone weights {saved}, but the "
                                  f"loaded backbone's weights are {model.fingerprint}; pass the --backbone it was "
                                  f"trained with")
    config = model.query_backbone.config
    for role, source in sources.items():
        adapter, table = read_peft_adapter(source)
        for key, want, flag in (("num_layers", config.num_hidden_layers, "--backbone"),
                                ("token_dim", config.hidden_size, "--backbone"),
                                ("num_attention_heads", config.num_attention_heads, "--backbone"),
                                ("num_virtual_tokens", cfg.prefix_len, "--prefix-len")):
            if adapter.get(key) != want:
                raise ConfigError(f"--init-from-peft {source}: {key} {adapter.get(key)} but the model has {want}; "
                                  f"pass {flag} to match" + (f" ({flag} {adapter.get(key)})" if flag == "--prefix-len"
                                                             else ""))
        prefix = model.prefix_for(role)
        if table.shape != prefix.embedding.weight.shape:
            raise CheckpointError(f"{source / PEFT_WEIGHTS}: {PEFT_KEY} has shape {tuple(table.shape)}, expected "
                                  f"{tuple(prefix.embedding.weight.shape)}")
        with torch.no_grad():
            prefix.embedding.weight.copy_(table)
    if cfg.position_mode != "shifted":
        return [f"a peft prompt was trained with shifted positions, this model uses --position-mode "
                f"{cfg.position_mode}: its vectors differ from peft's until it is trained"]
    return []


# -- kit -> Hugging Face / sentence-transformers -----------------------------------------------------------
def sentence_transformers_files(folder: Path, hidden: int, pooling: str, normalize: bool, max_len: int) -> None:
    """The sentence-transformers module files (its classic format, read by 2.x to 6.x) for pooling + Normalize."""
    modules = [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
               {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]
    if normalize:
        modules.append({"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"})
    write_json(folder / "modules.json", modules)
    (folder / "1_Pooling").mkdir()
    write_json(folder / "1_Pooling" / "config.json", {
        "word_embedding_dimension": hidden, "pooling_mode_cls_token": pooling == "cls",
        "pooling_mode_mean_tokens": pooling == "mean", "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False})
    if normalize:
        (folder / "2_Normalize").mkdir()
    write_json(folder / "sentence_bert_config.json", {"max_seq_length": max_len, "do_lower_case": False})
    write_json(folder / "config_sentence_transformers.json", {"similarity_fn_name": "cosine" if normalize else "dot"})


def export_hf(model, output: str | Path, overwrite: bool = False, checkpoint: str | Path | None = None) -> Path:
    """A fine-tuned retriever as Hugging Face + sentence-transformers folder(s): tied -> output/, untied ->
    output/{query,passage}/. sentence-transformers keeps one max_seq_length per folder: the tied folder gets the
    passage length (queries shorter than --query-max-len tokens give the kit's vectors exactly)."""
    cfg = model.cfg
    if model.query_prefix is not None:
        raise ConfigError(f"--to hf: {checkpoint or 'the model'} is a prompt on a frozen backbone, which a plain "
                          f"Hugging Face model cannot carry; export it with --to peft")
    roles = {"": ("passage", cfg.passage_max_len)} if cfg.tied else {
        "query": ("query", cfg.query_max_len), "passage": ("passage", cfg.passage_max_len)}
    with atomic_folder(output, overwrite, checkpoint) as tmp:
        for sub, (role, max_len) in roles.items():
            folder = tmp / sub
            backbone = model.backbone_for(role)
            backbone.save_pretrained(folder)
            model.tokenizer.save_pretrained(folder)
            sentence_transformers_files(folder, backbone.config.hidden_size, cfg.pooling, cfg.normalize, max_len)
        folders = {"query": ".", "passage": "."} if cfg.tied else {"query": "query", "passage": "passage"}
        write_json(tmp / EXPORT_INFO, export_info(model, to="hf", folders=folders))
    return Path(output)


def export_checkpoint(cfg: ExportConfig) -> Path:
    """Load `cfg.checkpoint` and write it in the format `cfg.to` names: what the `export` verb runs."""
    from dptdr_mini.model.checkpoint import load_retriever

    check_output(Path(cfg.output), cfg.overwrite, cfg.checkpoint)         # before loading anything
    model = load_retriever(cfg.checkpoint, cfg.backbone or None, cfg.online)
    write = export_peft if cfg.to == "peft" else export_hf
    return write(model.cpu(), cfg.output, cfg.overwrite, cfg.checkpoint)
