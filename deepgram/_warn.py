"""Warnings that point at the user's line, not at the SDK's."""

import sys
import warnings
from typing import TYPE_CHECKING, Optional, Type

if TYPE_CHECKING:
    from types import FrameType


def _is_internal(module: str) -> bool:
    # asyncio's own frames sit between the SDK's coroutine and the user's asyncio.run(...) line.
    if module == "asyncio" or module.startswith("asyncio."):
        return True
    return (module == "deepgram" or module.startswith("deepgram.")) and not module.startswith(
        "deepgram.testing"
    )


def warn(message: str, category: Type[Warning] = UserWarning) -> None:
    """Issue ``message`` attributed to the first frame outside this package."""
    # The default filters show a warning once per location: attributing it to the caller's
    # line (legacy warnings all pointed at one SDK line) makes it show for each call site.
    level = 1
    frame: Optional[FrameType] = sys._getframe(0)
    while frame is not None and _is_internal(frame.f_globals.get("__name__", "")):
        frame = frame.f_back
        level += 1
    warnings.warn(message, category, stacklevel=level)
