"""Transcription: pre-recorded (async and blocking) and live streaming."""

from enum import Enum  # noqa: F401  (2.x exposed these names here)
from typing import Any, Optional
from warnings import warn  # noqa: F401

from ._settings import call_timeout
from ._enums import LiveTranscriptionEvent  # noqa: F401
from ._resource import Sender, default_sender
from ._utils import _make_query_string, _request, _sync_request  # noqa: F401
from ._sources import source_request_parts
from ._wire import Request, merge_options, query_pairs
from .errors import DeepgramApiError, DeepgramSetupError  # noqa: F401

_LAZY = {"asyncio": "asyncio", "inspect": "inspect", "json": "json", "websockets": "websockets"}
_TYPES = frozenset({
    "EventHandler", "LiveOptions", "LiveTranscriptionResponse", "Metadata", "Options",
    "PrerecordedOptions", "PrerecordedTranscriptionResponse", "ToggleConfigOptions",
    "TranscriptionSource",
})

# ``from deepgram.transcription import *`` gave every public name of the 2.x module, the
# standard modules it imported included; scripts lean on that, so the star keeps them.
__all__ = [
    "PrerecordedTranscription", "SyncPrerecordedTranscription", "LiveTranscription",
    "Transcription", "Options", "PrerecordedOptions", "LiveOptions", "ToggleConfigOptions",
    "TranscriptionSource", "PrerecordedTranscriptionResponse", "LiveTranscriptionResponse",
    "Metadata", "EventHandler", "LiveTranscriptionEvent", "DeepgramApiError", "json", "asyncio",
    "inspect", "Enum", "warn", "websockets", "Any", "Optional",
]


def __getattr__(name: str) -> Any:
    # Heavy modules that 2.x happened to expose here are imported only when asked for.
    import importlib

    if name in _LAZY:
        return importlib.import_module(_LAZY[name])
    if name in _TYPES:
        return getattr(importlib.import_module("deepgram._types"), name)
    if name in ("LiveTranscription", "_socket_connect"):
        return getattr(importlib.import_module("deepgram.live"), name)
    raise AttributeError(f"module 'deepgram.transcription' has no attribute {name!r}")


def _endpoint(endpoint: Optional[str]) -> str:
    if endpoint is None:
        return "/listen"
    if not isinstance(endpoint, str) or not endpoint.strip("/"):
        raise DeepgramSetupError(f"endpoint must be a path such as '/listen', got {endpoint!r}.")
    return "/" + endpoint.lstrip("/")


def prerecorded_request(source: Any, options: Any, endpoint: Optional[str], timeout: Any,
                        kwargs: Optional[dict] = None) -> Request:
    """Build the POST for a pre-recorded transcription (query: options, then kwargs)."""
    query = query_pairs(merge_options(options, kwargs or {}))
    json_part, body, content_type = source_request_parts(source)
    return Request("POST", _endpoint(endpoint), query=query, json=json_part, body=body,
                   content_type=content_type, timeout=call_timeout(timeout))


class PrerecordedTranscription:
    """A configured pre-recorded request; ``await obj(source)`` sends it (2.x helper)."""

    _root = "/listen"

    def __init__(self, options: Any, transcription_options: Any = None,
                 endpoint: str = "/listen", sender: Optional[Sender] = None) -> None:
        self.options = options
        self.transcription_options = transcription_options
        self.endpoint = endpoint
        self._send = sender if sender is not None else default_sender(options, self._blocking)

    _blocking = False

    def __call__(self, source: Any, timeout: Any = None) -> Any:
        return self._send(prerecorded_request(source, self.transcription_options,
                                              self.endpoint, timeout))


class SyncPrerecordedTranscription(PrerecordedTranscription):
    """The blocking twin: ``obj(source)`` returns the response."""

    _blocking = True


class Transcription:
    """``dg.transcription``: ``prerecorded`` (async), ``sync_prerecorded`` and ``live``."""

    _root = "/listen"

    def __init__(self, options: Any, sender: Optional[Sender] = None,
                 sync_sender: Optional[Sender] = None, blocking: bool = False) -> None:
        self.options = options
        self._send = sender if sender is not None else default_sender(options)
        self._sync_send = sync_sender if sync_sender is not None else default_sender(options, True)
        self._blocking = blocking

    def prerecorded(self, source: Any, options: Any = None, endpoint: str = "/listen",
                    timeout: Any = None, **kwargs: Any) -> Any:
        """Transcribe a URL, bytes or an open file; options as a dict and/or keywords."""
        return self._send(prerecorded_request(source, options, endpoint, timeout, kwargs))

    def sync_prerecorded(self, source: Any, options: Any = None, endpoint: str = "/listen",
                         timeout: Any = None, **kwargs: Any) -> Any:
        """Transcribe like ``prerecorded``, blocking until the response arrives."""
        return self._sync_send(prerecorded_request(source, options, endpoint, timeout, kwargs))

    def live(self, options: Any = None, endpoint: str = "/listen", **kwargs: Any) -> Any:
        """Open a live stream: ``live = await dg.transcription.live({...})`` or ``async with``.

        Options as a dict and/or keywords are query parameters; ``settings=LiveSettings(...)``
        holds the SDK's own settings. Under ``dg.sync`` it returns a connected blocking stream.
        """
        from .live import LiveConnect, LiveTranscription, split_settings

        settings, query = split_settings(kwargs)
        merged = merge_options(options, query)
        query_pairs(merged)  # bad options fail here, before any I/O
        live = LiveTranscription(self.options, merged, _endpoint(endpoint), settings,
                                 config=getattr(self._send, "config", None))
        if self._blocking:
            from .sync_live import SyncLiveTranscription

            return SyncLiveTranscription(live)
        return LiveConnect(live)
