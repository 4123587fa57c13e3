"""The package map in `dptdr_mini/__init__.py` names every module, and every re-exported name resolves."""

import importlib
from pathlib import Path

import dptdr_mini

PKG = Path(dptdr_mini.__file__).parent


def test_the_package_map_names_every_module():
    doc = dptdr_mini.__doc__
    modules = sorted(p.relative_to(PKG).with_suffix("").as_posix() for p in PKG.rglob("*.py")
                     if p.name not in ("__init__.py", "__main__.py") and p.parent.name != "cli")
    missing = [m for m in modules if f"\n    {m} " not in doc]
    assert not missing, f"modules missing from the package map in dptdr_mini/__init__.py: {missing}"
    assert "cli/" in doc


def test_every_re_exported_name_is_the_defining_modules_object():
    for name, module in dptdr_mini.EXPORTS.items():
        assert getattr(dptdr_mini, name) is getattr(importlib.import_module(f"dptdr_mini.{module}"), name)


def test_notebook_style_imports_work():
    from dptdr_mini import DenseRetriever, train  # noqa: F401  (the names the README and notebooks use)
    assert callable(train)
