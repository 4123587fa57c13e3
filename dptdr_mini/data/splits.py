"""A dev split carved from a train split, so settings are chosen without looking at the test split.

SciFact, like most BEIR sets, has only `train` and `test`. Choosing epochs, learning rate or negatives by their
test score makes the test score a selection result, not a measurement. `carve_dev` moves a fixed share of the
train queries into a dev split, chosen by a hash of the query id: the same queries every run, on every machine,
whatever the file order, and a query never changes side when other queries are added.

`load_split(folder, split, dev_from_train)` is what the verbs call: with `dev_from_train = f > 0`, split
`train` is the train split minus the carved queries and split `dev` is the carved queries (the folder's own dev
split, if it has one, is then not read); any other split loads as usual.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from dptdr_mini.data.loaders import RetrievalData, load_data
from dptdr_mini.errors import ConfigError

CARVED = ("train", "dev")


def in_dev(query_id: str, fraction: float, salt: str = "dptdr-dev") -> bool:
    """True for about `fraction` of all ids, decided by the id alone (sha256, first 8 bytes as a number in [0, 1))."""
    digest = hashlib.sha256(f"{salt}:{query_id}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2 ** 64 < fraction


def carve_dev(data: RetrievalData, fraction: float) -> tuple[RetrievalData, RetrievalData]:
    """Split `data`'s judged queries into (train without dev, dev); both keep the full corpus."""
    if not 0 < fraction < 1:
        raise ConfigError(f"--dev-from-train {fraction}: expected a share between 0 and 1 (e.g. 0.1)")
    dev_ids = {q for q in data.qrels if in_dev(q, fraction)}
    if not dev_ids or len(dev_ids) == len(data.qrels):
        raise ConfigError(f"--dev-from-train {fraction}: leaves {len(dev_ids)} of {len(data.qrels)} judged queries "
                          f"for dev; expected some on each side")

    def part(keep: set[str], split: str) -> RetrievalData:
        return replace(data, queries={q: t for q, t in data.queries.items() if q in keep},
                       qrels={q: r for q, r in data.qrels.items() if q in keep},
                       answers={q: a for q, a in data.answers.items() if q in keep},
                       hard_negatives={q: n for q, n in data.hard_negatives.items() if q in keep}, split=split)

    train_ids = set(data.qrels) - dev_ids
    return part(train_ids, f"{data.split} minus dev {fraction:g}"), part(dev_ids, f"dev ({fraction:g} of {data.split})")


def load_split(folder: str, split: str, dev_from_train: float = 0.0, strict: bool = False) -> RetrievalData:
    """`load_data`, except that with dev_from_train > 0 the `train` and `dev` splits are carved from `train`."""
    if dev_from_train and split in CARVED:
        train, dev = carve_dev(load_data(folder, "train", strict), dev_from_train)
        return train if split == "train" else dev
    return load_data(folder, split, strict)
