"""Lazy access to the 2.x type names that modules re-export (``_types`` costs ~6 ms to import)."""

from typing import Any


def lazy_types(module: str, names: frozenset) -> Any:
    """A module ``__getattr__`` that imports ``deepgram._types`` only when a type name is asked for."""

    def __getattr__(name: str) -> Any:
        if name in names:
            from . import _types

            return getattr(_types, name)
        raise AttributeError(f"module {module!r} has no attribute {name!r}")

    return __getattr__
