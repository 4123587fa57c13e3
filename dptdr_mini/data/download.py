"""Standard datasets by name: `msmarco-passage`, `nq` (DPR format) and `beir/<name>`.

`fetch_dataset(name, cache, online)` returns a folder the loaders of `dptdr_mini.data.loaders` read. With
`online=True` it downloads the public files (streamed, with a progress bar), checks the published
MD5 where one exists, and extracts them into `<cache>/<name>/`; offline (the default) it fails fast
and says how to point `--data PATH` at a local copy. A finished folder holds a `.complete` marker,
so a second call neither downloads nor touches the network.

Sources (checksums as their publishers list them):
    msmarco-passage  collectionandqueries.tar.gz from the MS MARCO site (MD5 in the Anserini / ir_datasets docs)
    nq               DPR's psgs_w100.tsv.gz + biencoder-nq-{train,dev}.json.gz (no published checksums)
    beir/<name>      the BEIR zips (MD5 table in the BEIR README)
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import tarfile
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from tqdm.auto import tqdm

from dptdr_mini.config import option
from dptdr_mini.model.checkpoint import atomic_write_bytes
from dptdr_mini.errors import ConfigError, DataFormatError


@dataclass(frozen=True)
class Download:
    url: str
    md5: str = ""             # published checksum ('' = none published; the sha256 is printed instead)
    save_as: str = ""         # file name inside the dataset folder after gunzip (for .gz files)


@dataclass
class FetchConfig:
    """Which standard dataset to fetch, where it is cached, and whether the network may be used."""

    dataset: str = option("", "a standard dataset by name: msmarco-passage, nq or beir/<name> (read from --cache)")
    cache: str = option("", "dataset cache folder ('' = $DPTDR_CACHE or ~/.cache/dptdr-mini)")
    online: bool = option(False, "allow downloads (off by default)")
    quiet: bool = option(False, "no progress bars")

    def validate(self) -> None:
        """Nothing to range-check: `fetch_dataset` checks the name against its sources and says which exist."""


BEIR_URL = "https://public.ukp.informatik.tu-darmstadt.de/thakur/BEIR/datasets/{}.zip"
BEIR_MD5 = {
    "msmarco": "444067daf65d982533ea17ebd59501e4", "trec-covid": "ce62140cb23feb9becf6270d0d1fe6d1",
    "nfcorpus": "a89dba18a62ef92f7d323ec890a0d38d", "nq": "d4d3d2e48787a744b6f6e691ff534307",
    "hotpotqa": "f412724f78b0d91183a0e86805e16114", "fiqa": "17918ed23cd04fb15047f73e6c3bd9d9",
    "arguana": "8ad3e3c2a5867cdced806d6503f29b99", "webis-touche2020": "46f650ba5a527fc69e0a6521c5a23563",
    "quora": "18fb154900ba42a600f84b839c173167", "dbpedia-entity": "c2a39eb420a3164af735795df012ac2c",
    "scidocs": "38121350fc3a4d2f48850f6aff52e4a9", "fever": "5a818580227bfb4b35bb6fa46d9b6c03",
    "climate-fever": "8b66f0a9126c521bae2bde127b4dc99d", "scifact": "5f7d1de60b170fc8027bb7898e2efca1",
}
DPR = "https://dl.fbaipublicfiles.com/dpr"
SOURCES: dict[str, list[Download]] = {
    "msmarco-passage": [Download("https://msmarco.z22.web.core.windows.net/msmarcoranking/collectionandqueries.tar.gz",
                                 "31644046b18952c1386cd4564ba2ae69")],
    "nq": [Download(f"{DPR}/wikipedia_split/psgs_w100.tsv.gz", save_as="psgs.tsv"),
           Download(f"{DPR}/data/retriever/biencoder-nq-train.json.gz", save_as="nq-train.json"),
           Download(f"{DPR}/data/retriever/biencoder-nq-dev.json.gz", save_as="nq-dev.json")],
    **{f"beir/{name}": [Download(BEIR_URL.format(name), md5)] for name, md5 in BEIR_MD5.items()},
}
LAYOUT = {"msmarco-passage": "collection.tsv + queries.<split>.tsv + qrels.<split>.tsv",
          "nq": "psgs.tsv (DPR psgs_w100.tsv) + nq-<split>.json (DPR biencoder-nq-<split>.json)"}


def default_cache() -> Path:
    return Path(os.environ.get("DPTDR_CACHE", Path.home() / ".cache" / "dptdr-mini"))


def dataset_folder(name: str, cache: str | Path | None = None) -> Path:
    return Path(cache or default_cache()) / name.replace("/", "__")


def _layout(name: str) -> str:
    return LAYOUT.get(name, "corpus.jsonl + queries.jsonl + qrels/<split>.tsv (BEIR)")


def fetch_dataset(name: str, cache: str | Path | None = None, online: bool = False, quiet: bool = False,
                  sources: dict[str, list[Download]] | None = None) -> Path:
    """-> the folder to pass as `--data`, downloading and checking it first when `online`."""
    sources = sources or SOURCES
    if name not in sources:
        raise ConfigError(f"--dataset {name!r}: unknown; expected one of msmarco-passage, nq, "
                          f"beir/<{'|'.join(sorted(BEIR_MD5))}>")
    folder = dataset_folder(name, cache)
    if (folder / ".complete").is_file():
        return _data_root(folder)
    if not online:
        raise ConfigError(f"--dataset {name!r}: not in the cache ({folder}) and downloads are off. Pass --online "
                          f"to download it, or download it yourself and pass --data PATH to a folder with "
                          f"{_layout(name)}")
    folder.mkdir(parents=True, exist_ok=True)
    for item in sources[name]:
        archive = folder / ".download" / Path(item.url).name
        digest = download(item.url, archive, quiet)
        if item.md5 and digest != item.md5:
            archive.unlink()
            raise DataFormatError(archive, None, f"MD5 {digest} does not match the published {item.md5} "
                                  "(corrupt or changed download; deleted, run again)")
        if not quiet and not item.md5:
            print(f"{Path(item.url).name}: no published checksum; md5 {digest}")
        extract(archive, folder, item.save_as)
        archive.unlink()
    atomic_write_bytes(folder / ".complete", b"ok\n")
    return _data_root(folder)


def download(url: str, target: Path, quiet: bool = False, block: int = 1 << 20) -> str:
    """Stream `url` to `target` (via a .part file) and return its MD5 hex digest."""
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_suffix(target.suffix + ".part")
    md5 = hashlib.md5()
    try:
        with urllib.request.urlopen(url) as response, open(part, "wb") as out:  # atomic: .part + os.replace
            total = int(response.headers.get("Content-Length") or 0) or None
            with tqdm(total=total, unit="B", unit_scale=True, disable=quiet, desc=target.name) as bar:
                while chunk := response.read(block):
                    out.write(chunk)
                    md5.update(chunk)
                    bar.update(len(chunk))
    except OSError as e:
        part.unlink(missing_ok=True)
        raise ConfigError(f"cannot download {url}: {e}") from None
    os.replace(part, target)
    return md5.hexdigest()


def extract(archive: Path, folder: Path, save_as: str = "") -> None:
    """Unpack .tar.gz / .zip into `folder` (refusing paths that escape it); gunzip .gz to `save_as`."""
    root = folder.resolve()
    name = archive.name
    if name.endswith((".tar.gz", ".tgz", ".tar")):
        with tarfile.open(archive) as tar:
            tar.extractall(folder, filter="data")                 # the data filter refuses ../ and links out
    elif name.endswith(".zip"):
        with zipfile.ZipFile(archive) as z:
            for member in z.namelist():
                if not (folder / member).resolve().is_relative_to(root):
                    raise DataFormatError(archive, None, f"member {member!r} escapes the target folder", "relative paths")
            z.extractall(folder)
    elif name.endswith(".gz"):
        target = folder / (save_as or name[:-3])
        part = target.with_suffix(target.suffix + ".part")
        with gzip.open(archive, "rb") as src, open(part, "wb") as dst:  # atomic: .part + os.replace
            shutil.copyfileobj(src, dst, 1 << 20)
        os.replace(part, target)
    else:
        shutil.copy(archive, folder / (save_as or name))


def _data_root(folder: Path) -> Path:
    """BEIR zips hold one top-level folder (scifact/...); return the folder that has the data files."""
    for candidate in [folder, *sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))]:
        if any((candidate / f).is_file() for f in ("collection.tsv", "corpus.jsonl", "psgs.tsv")):
            return candidate
    raise DataFormatError(folder, None, "no collection.tsv, corpus.jsonl or psgs.tsv after extraction",
                          "one of the three layouts")
