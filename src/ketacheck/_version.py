"""The installed version of ketacheck, read once from the package metadata."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__"]

try:
    __version__: str = version("ketacheck")
except PackageNotFoundError:  # pragma: no cover - a tree that was never installed
    __version__ = "0+unknown"
