"""Deepgram's speech-to-text API in the deepgram-sdk 0.x–2.x call shape.

    from deepgram import Deepgram
    dg = Deepgram(API_KEY)
    response = await dg.transcription.prerecorded({"url": URL}, {"smart_format": True})
    response = dg.transcription.sync_prerecorded({"buffer": open("a.wav", "rb")})
"""

# First of all: files of deepgram-sdk 3+ in this directory would shadow the modules imported below.
from . import _install

_install.check_directory(__file__)

import os
from typing import TYPE_CHECKING, Any

if os.environ.get("DEEPGRAM_LOG"):  # the SDK's logging on standard error, asked for without code
    from ._logging import from_environment

    from_environment(os.environ["DEEPGRAM_LOG"])

from ._client import Deepgram, SyncDeepgram
from ._compat import legacy_attribute
from ._version import __version__
from .billing import Billing
from .errors import (
    DeepgramApiError,
    DeepgramBufferFullError,
    DeepgramConnectionError,
    DeepgramError,
    DeepgramSetupError,
    DeepgramStreamClosedError,
    DeepgramWarning,
)
from .extra import Extra
from .invitations import Invitations
from .keys import Keys
from .members import Members
from .projects import Projects
from .scopes import Scopes
from .transcription import Transcription
from .usage import Usage

if TYPE_CHECKING:
    # Imported on first use at run time (below), to keep `import deepgram` fast.
    from ._live_connect import LiveSettings
    from .errors import DeepgramTimeoutError

__all__ = [
    "Billing",
    "Deepgram",
    "DeepgramApiError",
    "DeepgramBufferFullError",
    "DeepgramConnectionError",
    "DeepgramError",
    "DeepgramSetupError",
    "DeepgramStreamClosedError",
    "DeepgramTimeoutError",
    "DeepgramWarning",
    "Extra",
    "Invitations",
    "Keys",
    "LiveSettings",
    "Members",
    "Projects",
    "Scopes",
    "SyncDeepgram",
    "Transcription",
    "Usage",
    "__version__",
    "api_key_is_valid",
]

def __getattr__(name: str) -> Any:
    if name == "LiveSettings":
        from ._live_connect import LiveSettings

        return LiveSettings
    if name == "DeepgramTimeoutError":
        from . import errors

        return errors.DeepgramTimeoutError
    return legacy_attribute(__name__, name)


def api_key_is_valid(api_key: object) -> bool:
    """Return whether ``Deepgram(api_key)`` would accept the key (the same checks, no I/O)."""
    from ._checks import check_credential

    if not isinstance(api_key, str):
        return False
    try:
        check_credential(api_key, "api_key", api_key=True)
    except DeepgramSetupError:
        return False
    return True
