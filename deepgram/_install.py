"""Notice Deepgram's official SDK (deepgram-sdk 3+) installed into the same ``deepgram`` directory.

deepgram-v0 and deepgram-sdk both install the ``deepgram`` import package, and pip does not know
they conflict: whichever is installed second overwrites the shared files and leaves the others.

- Theirs first, ours over it: our ``__init__`` runs, beside their leftovers. Their 7.x packages
  (``errors/``, ``speak/``, ...) win over our same-named modules, because a directory package
  beats a module on import, so ``check_directory`` refuses before anything else is imported;
  3.x leftovers shadow nothing, so it only warns (uninstalling deepgram-sdk would delete our files).
- Ours first, theirs over it: THEIR ``__init__`` runs and ours never does; ``deepgram.testing``
  (ours alone) calls ``require_deepgram_v0``, which refuses.

Only modules that are loaded anyway (``os``, ``sys``, ``typing``) are imported here: the common
path of ``import deepgram`` pays one ``os.path.exists``. deepgram-v0 must never ship a ``client.py``: its
presence is the sign of deepgram-sdk 3+ (every release from 3.0 to 7.x has one).
"""

import os
import sys
from typing import List

__all__ = ["FIX", "DeepgramInstallWarning", "check_directory", "require_deepgram_v0"]

FIX = "pip uninstall -y deepgram-sdk deepgram-v0 && pip install deepgram-v0"
THEIR_MARKER = "client.py"

_WHY = ("deepgram-v0 and deepgram-sdk both install the `deepgram` import package and pip does not "
        "know they conflict, so only one of them can be installed at a time.")

# Set by check_directory, which only our __init__ calls: if it stayed False, another __init__ ran.
_our_init_ran = False


class DeepgramInstallWarning(UserWarning):
    """Files of Deepgram's official SDK lie in deepgram-v0's ``deepgram`` directory."""


def check_directory(init_file: str) -> None:
    """Refuse or warn when files of deepgram-sdk 3+ lie beside ``init_file`` (our ``__init__``)."""
    global _our_init_ran
    _our_init_ran = True
    package_dir = os.path.dirname(os.path.abspath(init_file))
    if not os.path.exists(os.path.join(package_dir, THEIR_MARKER)):
        return
    theirs = f"Deepgram's official SDK (deepgram-sdk {_their_version(package_dir) or '3 or later'})"
    shadowing = _shadowing_packages(package_dir)
    if shadowing:
        raise ImportError(
            f"{theirs} is installed in the same `deepgram` directory as deepgram-v0 ({package_dir}), "
            f"and its packages {', '.join(shadowing)} hide deepgram-v0's modules of the same names. "
            f"{_WHY} To use deepgram-v0: {FIX}"
        )
    import warnings  # only on this rare path

    warnings.warn(
        f"{theirs} left files ({THEIR_MARKER}, ...) in deepgram-v0's `deepgram` directory "
        f"({package_dir}). deepgram-v0 works, but `pip uninstall deepgram-sdk` would delete "
        f"deepgram-v0's files too. {_WHY} To fix it: {FIX}",
        DeepgramInstallWarning,
        stacklevel=2,
    )


def require_deepgram_v0(subpackage: str) -> None:
    """Raise ImportError when the imported ``deepgram`` package is not deepgram-v0's."""
    if _our_init_ran:
        return
    package = sys.modules.get(__name__.rpartition(".")[0])
    init_file = getattr(package, "__file__", None) or __file__
    package_dir = os.path.dirname(os.path.abspath(init_file))
    version = _their_version(package_dir)
    theirs = f"Deepgram's official SDK (deepgram-sdk {version})" if version else (
        "another distribution (deepgram-sdk 3 or later, most likely)")
    raise ImportError(
        f"{subpackage} is part of deepgram-v0, but the `deepgram` package imported ({package_dir}) "
        f"is not: {theirs} was installed over deepgram-v0. {_WHY} To use deepgram-v0: {FIX}"
    )


def _their_version(package_dir: str) -> str:
    """Return the deepgram-sdk version(s) whose ``.dist-info`` sits beside ``package_dir``, or ``""``."""
    prefix, suffix = "deepgram_sdk-", ".dist-info"
    try:
        names = os.listdir(os.path.dirname(package_dir))
    except OSError:
        return ""
    return ", ".join(sorted(
        name[len(prefix):-len(suffix)]
        for name in names
        if name.lower().startswith(prefix) and name.endswith(suffix)
    ))


def _shadowing_packages(package_dir: str) -> List[str]:
    """Return the directory packages (``errors/``) that hide a same-named module (``errors.py``)."""
    try:
        names = os.listdir(package_dir)
    except OSError:
        return []
    return sorted(
        name + "/"
        for name in names
        if os.path.isfile(os.path.join(package_dir, name + ".py"))
        and os.path.isfile(os.path.join(package_dir, name, "__init__.py"))
    )


