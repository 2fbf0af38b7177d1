"""The names deepgram-sdk 2.x modules exposed only by accident, declared in one table.

2.x modules imported standard modules, typing names, private helpers and type names, and user code
reaches them through those modules (``deepgram.transcription.json``, ``from deepgram.usage import
_make_query_string``, ``from deepgram.keys import KeyResponse``). This package's own code needs
none of them there, so no module imports them: the ``__getattr__`` of each 2.x module asks
``legacy_attribute``, which finds the name below and imports it on first use (``import deepgram``
stays fast). ``tests/test_legacy_surface.py`` pins the list against 2.12.
"""

import importlib
from typing import Any, Dict, List, Tuple

__all__ = ["LEGACY", "legacy_attribute", "star_names"]

_TYPES = "deepgram._types"
_UTILS = "deepgram._utils"


def _from(module: str, *names: str) -> Dict[str, str]:
    return {name: f"{module}:{name}" for name in names}


def _modules(*names: str) -> Dict[str, str]:
    return {name: name for name in names}


# What 2.x's _types imported from typing (it used them in its declarations).
_TYPING_NAMES: Tuple[str, ...] = (
    "Any", "Awaitable", "Callable", "Dict", "List", "Literal", "Optional", "TypedDict", "Union",
)

# module -> {name: "module" or "module:attribute"}, for every name 2.12 exposed there by accident.
LEGACY: Dict[str, Dict[str, str]] = {
    "deepgram": {**_from(_TYPES, "Options"), **_from("typing", "Union"), **_modules("re")},
    "deepgram.transcription": {
        **_from(_TYPES, "Options", "PrerecordedOptions", "LiveOptions", "ToggleConfigOptions",
                "TranscriptionSource", "PrerecordedTranscriptionResponse", "LiveTranscriptionResponse",
                "Metadata", "EventHandler"),
        **_from("deepgram._enums", "LiveTranscriptionEvent"),
        **_from("deepgram.errors", "DeepgramApiError"),
        **_from(_UTILS, "_request", "_sync_request", "_make_query_string"),
        **_from("deepgram._live_connect", "_socket_connect"),
        **_from("enum", "Enum"), **_from("warnings", "warn"), **_from("typing", "Any", "Optional"),
        **_modules("json", "asyncio", "inspect", "websockets"),
    },
    "deepgram._types": {**_from("typing", *_TYPING_NAMES), **_from("datetime", "datetime"), **_modules("sys")},
    "deepgram._utils": {
        **_from("deepgram._constants", "DEFAULT_ENDPOINT"), **_from("deepgram._version", "__version__"),
        **_from(_TYPES, "Options"), **_from("deepgram.errors", "DeepgramApiError"),
        **_from("deepgram._live_connect", "_socket_connect"),
    },
    "deepgram.extra": _from(_TYPES, "PrerecordedTranscriptionResponse", "Options"),
    "deepgram.keys": {**_from(_TYPES, "Key", "KeyBundle", "KeyResponse"), **_from(_UTILS, "_request")},
    "deepgram.projects": {**_from(_TYPES, "Project", "ProjectResponse", "UpdateResponse"),
                          **_from(_UTILS, "_request")},
    "deepgram.usage": {
        **_from(_TYPES, "UsageField", "UsageFieldOptions", "UsageOptions", "UsageRequest", "UsageRequestList",
                "UsageRequestListOptions", "UsageResponse"),
        **_from(_UTILS, "_request", "_make_query_string"),
    },
    "deepgram.billing": {**_from(_TYPES, "Balance", "BalanceResponse"), **_from(_UTILS, "_request")},
    "deepgram.members": {**_from(_TYPES, "Member"), **_from(_UTILS, "_request")},
    "deepgram.scopes": {**_from(_TYPES, "Scope", "UpdateResponse"), **_from(_UTILS, "_request")},
    "deepgram.invitations": {**_from(_TYPES, "Invitation", "InvitationResponse"), **_from(_UTILS, "_request")},
}


def legacy_attribute(module: str, name: str) -> Any:
    """What a 2.x module's ``__getattr__`` returns: the accidental ``name``, imported on first use."""
    where = LEGACY[module].get(name)
    if where is None:
        raise AttributeError(f"module {module!r} has no attribute {name!r}")
    source, _, attribute = where.partition(":")
    found = importlib.import_module(source)
    return getattr(found, attribute) if attribute else found


def star_names(module: str) -> List[str]:
    """The public accidental names of ``module``, which ``from module import *`` gave in 2.x."""
    return [name for name in LEGACY[module] if not name.startswith("_")]
