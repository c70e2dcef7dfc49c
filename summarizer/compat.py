"""Differences between the Python versions the package supports (``requires-python >= 3.10``)."""

from __future__ import annotations

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the same parser, published as tomli
    import tomli as tomllib  # type: ignore[no-redef]

__all__ = ["tomllib"]
