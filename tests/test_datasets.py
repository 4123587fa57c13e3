"""--dataset names: offline fails fast naming --data; online downloads (here from file:// URLs), checks
the MD5, extracts, and the loaders read the result; a wrong checksum is refused and nothing is kept."""

from __future__ import annotations

import gzip
import hashlib
import shutil
import tarfile
import zipfile
from pathlib import Path

import pytest

from dptdr_mini.data.loaders import load_data
from dptdr_mini.data.download import SOURCES, Download, fetch_dataset
from dptdr_mini.errors import ConfigError, DataFormatError


def _md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


@pytest.fixture
def beir_zip(tmp_path, samples) -> Path:
    """The sample's BEIR folder zipped as the BEIR site ships it (one top-level folder)."""
    path = tmp_path / "tiny.zip"
    with zipfile.ZipFile(path, "w") as z:
        for f in (samples / "beir").rglob("*"):
            if f.is_file():
                z.write(f, Path("tiny") / f.relative_to(samples / "beir"))
    return path


def test_offline_unknown_or_uncached_dataset_fails_fast_and_names_data_flag(tmp_path):
    with pytest.raises(ConfigError, match="--data PATH"):
        fetch_dataset("msmarco-passage", tmp_path)
    with pytest.raises(ConfigError, match="unknown"):
        fetch_dataset("beir/nope", tmp_path)
    assert set(SOURCES) >= {"msmarco-passage", "nq", "beir/scifact"}


def test_zip_download_with_matching_md5_loads_and_is_cached(tmp_path, beir_zip):
    sources = {"beir/tiny": [Download(beir_zip.as_uri(), _md5(beir_zip))]}
    folder = fetch_dataset("beir/tiny", tmp_path / "cache", online=True, quiet=True, sources=sources)
    data = load_data(folder, "test")
    assert len(data.corpus) > 100 and data.qrels
    beir_zip.unlink()                                          # the cache answers offline from now on
    assert fetch_dataset("beir/tiny", tmp_path / "cache", online=False, sources=sources) == folder


def test_checksum_mismatch_is_refused_and_leaves_nothing_usable(tmp_path, beir_zip):
    sources = {"beir/tiny": [Download(beir_zip.as_uri(), "0" * 32)]}
    with pytest.raises(DataFormatError, match="does not match the published"):
        fetch_dataset("beir/tiny", tmp_path / "cache", online=True, quiet=True, sources=sources)
    with pytest.raises(ConfigError, match="not in the cache"):
        fetch_dataset("beir/tiny", tmp_path / "cache", online=False, sources=sources)
    assert not list((tmp_path / "cache").rglob("*.zip"))


def test_tar_gz_msmarco_and_gzipped_dpr_files(tmp_path, samples):
    tgz = tmp_path / "collectionandqueries.tar.gz"
    with tarfile.open(tgz, "w:gz") as tar:
        for f in (samples / "msmarco").iterdir():
            tar.add(f, arcname=f.name)
    folder = fetch_dataset("marco", tmp_path / "c", online=True, quiet=True,
                           sources={"marco": [Download(tgz.as_uri(), _md5(tgz))]})
    assert len(load_data(folder, "dev").queries) > 10
    gz = []
    for name, save_as in (("psgs.tsv", "psgs.tsv"), ("nq-dev.json", "nq-dev.json")):
        target = tmp_path / f"{name}.gz"
        with open(samples / "nq" / name, "rb") as src, gzip.open(target, "wb") as dst:
            shutil.copyfileobj(src, dst)
        gz.append(Download(target.as_uri(), save_as=save_as))    # DPR publishes no checksums
    folder = fetch_dataset("nq", tmp_path / "c", online=True, quiet=True, sources={"nq": gz})
    assert load_data(folder, "dev").answers


def test_zip_member_escaping_the_folder_is_refused(tmp_path):
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("../evil.txt", "x")
    with pytest.raises(DataFormatError, match="escapes"):
        fetch_dataset("beir/bad", tmp_path / "c", online=True, quiet=True,
                      sources={"beir/bad": [Download(bad.as_uri(), _md5(bad))]})
    assert not (tmp_path / "evil.txt").exists()
