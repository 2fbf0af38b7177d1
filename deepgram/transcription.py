"""Transcription: pre-recorded (async and blocking) and live streaming."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, Optional, Union, cast, overload

from ._compat import legacy_attribute, star_names
from ._resource import Async, Blocking, Call, M, Resource, Sender, default_sender, endpoint
from ._settings import call_timeout
from ._sources import source_request_parts
from ._wire import merge_options, query_pairs
from .errors import DeepgramSetupError

if TYPE_CHECKING:
    from typing import AsyncIterable, Iterable

    from ._batch import AsyncBatch, SyncBatch
    from ._sockets import FluxStream
    from ._sync_sockets import SyncFluxStream
    from .live import Connect, LiveConnect, LiveTranscription
    from .sync_live import SyncLiveTranscription
    from .types import LiveOptions, PrerecordedOptions, PrerecordedResponse

    _Options = Union[PrerecordedOptions, Mapping[str, Any], None]
    _StreamOptions = Union[LiveOptions, Mapping[str, Any], None]
    _FluxOptions = Optional[Mapping[str, Any]]

__all__ = [
    "LiveTranscription", "PrerecordedTranscription", "SyncPrerecordedTranscription", "Transcription",
]
if not TYPE_CHECKING:
    # ``from deepgram.transcription import *`` gave every public name of the 2.x module, the
    # standard modules it imported included; scripts lean on that, so the star keeps them.
    __all__ += star_names(__name__)


def __getattr__(name: str) -> Any:
    if name == "LiveTranscription":  # imported on first use: it loads websockets
        from .live import LiveTranscription

        return LiveTranscription
    return legacy_attribute(__name__, name)


def _endpoint(endpoint: Optional[str]) -> str:
    if endpoint is None:
        return "/listen"
    if not isinstance(endpoint, str) or not endpoint.strip("/"):
        raise DeepgramSetupError(f"endpoint must be a path such as '/listen', got {endpoint!r}.")
    return "/" + endpoint.lstrip("/")


def prerecorded_request(source: Any, options: Any, endpoint: Optional[str], timeout: Any,
                        kwargs: Optional[Mapping[str, Any]] = None) -> Call[Any]:
    """Build the POST for a pre-recorded transcription (query: options, then kwargs)."""
    query = query_pairs(merge_options(options, kwargs or {}))
    json_part, body, content_type = source_request_parts(source)
    return Call("POST", _endpoint(endpoint), query=query, json=json_part, body=body,
                content_type=content_type, timeout=call_timeout(timeout))


class PrerecordedTranscription:
    """A configured pre-recorded request; ``await obj(source)`` sends it (2.x helper)."""

    _root = "/listen"
    _blocking = False

    def __init__(self, options: Any, transcription_options: Any = None,
                 endpoint: str = "/listen", sender: Optional[Sender] = None) -> None:
        self.options = options
        self.transcription_options = transcription_options
        self.endpoint = endpoint
        self._send = sender if sender is not None else default_sender(options, self._blocking)

    def __call__(self, source: Any, timeout: Any = None) -> Any:
        return self._send(prerecorded_request(source, self.transcription_options,
                                              self.endpoint, timeout))


class SyncPrerecordedTranscription(PrerecordedTranscription):
    """The blocking twin: ``obj(source)`` returns the response."""

    _blocking = True


class Transcription(Resource[M]):
    """``dg.transcription``: ``prerecorded`` (async), ``sync_prerecorded`` and ``live``."""

    _root = "/listen"

    def __init__(self, options: Any, sender: Optional[Sender] = None,
                 sync_sender: Optional[Sender] = None, blocking: bool = False) -> None:
        super().__init__(options, sender)
        self._sync_send = sync_sender if sync_sender is not None else default_sender(options, True)
        self._blocking = blocking

    @endpoint
    def prerecorded(self, /, source: Any, options: _Options = None, endpoint: str = "/listen",
                    timeout: Any = None, **kwargs: Any) -> Call[PrerecordedResponse]:
        """Transcribe a URL, bytes or an open file; options as a dict and/or keywords."""
        return prerecorded_request(source, options, endpoint, timeout, kwargs)

    def sync_prerecorded(self, source: Any, options: _Options = None, endpoint: str = "/listen",
                         timeout: Any = None, **kwargs: Any) -> PrerecordedResponse:
        """Transcribe like ``prerecorded``, blocking until the response arrives."""
        return cast("PrerecordedResponse",
                    self._sync_send(prerecorded_request(source, options, endpoint, timeout, kwargs)))

    @overload
    def batch(self: Transcription[Async], sources: Union[Iterable[Any], AsyncIterable[Any]], options: _Options = None,
              *, concurrency: int = 8, endpoint: str = "/listen", timeout: Any = None,
              **kwargs: Any) -> AsyncBatch[PrerecordedResponse]: ...
    @overload
    def batch(self: Transcription[Blocking], sources: Iterable[Any], options: _Options = None,
              *, concurrency: int = 8, endpoint: str = "/listen", timeout: Any = None,
              **kwargs: Any) -> SyncBatch[PrerecordedResponse]: ...

    def batch(self, sources: Any, options: _Options = None, *, concurrency: int = 8, endpoint: str = "/listen",
              timeout: Any = None, **kwargs: Any) -> Union[AsyncBatch[PrerecordedResponse],
                                                           SyncBatch[PrerecordedResponse]]:
        """Transcribe many sources, ``concurrency`` at a time: ``async for item in
        dg.transcription.batch(paths)`` (``for`` under ``dg.sync``) gives a ``BatchItem``
        (``position``, ``source``, ``result``, ``error``) per source, in completion order; a source
        that fails is an item with its ``error``, never an exception. Sources are what
        ``prerecorded`` takes, and a string that is not a URL is a file's path."""
        from ._batch import AsyncBatch, SyncBatch, check_concurrency

        limit = check_concurrency(concurrency)
        if isinstance(sources, (str, bytes, Mapping)) or not (
                hasattr(sources, "__iter__") or hasattr(sources, "__aiter__")):
            raise DeepgramSetupError(f"batch() takes an iterable of sources (paths, URLs, dicts), not "
                                     f"{type(sources).__name__}; for one source, call prerecorded().")
        if self._blocking and not hasattr(sources, "__iter__"):
            raise DeepgramSetupError("dg.sync.transcription.batch() takes a plain iterable of sources, "
                                     "not an async one.")
        query_pairs(merge_options(options, kwargs))  # bad options fail here, before any I/O
        path, send = _endpoint(endpoint), self._send

        def call(source: Any) -> Any:
            return send(prerecorded_request(source, options, path, timeout, kwargs))

        if self._blocking:
            return SyncBatch(sources, call, limit)
        return AsyncBatch(sources, call, limit)

    @overload
    def live(self: Transcription[Async], options: _StreamOptions = None, endpoint: str = "/listen",
             **kwargs: Any) -> LiveConnect: ...
    @overload
    def live(self: Transcription[Blocking], options: _StreamOptions = None, endpoint: str = "/listen",
             **kwargs: Any) -> SyncLiveTranscription: ...

    def live(self, options: _StreamOptions = None, endpoint: str = "/listen",
             **kwargs: Any) -> Union[LiveConnect, SyncLiveTranscription]:
        """Open a live stream: ``live = await dg.transcription.live({...})`` or ``async with``.

        Options as a dict and/or keywords are query parameters; ``settings=LiveSettings(...)``
        holds the SDK's own settings. Under ``dg.sync`` it returns a connected blocking stream.
        """
        from ._open import open_stream
        from .live import LiveConnect, LiveTranscription
        from .sync_live import SyncLiveTranscription

        return open_stream(self, LiveTranscription, LiveConnect, SyncLiveTranscription, options, kwargs,
                           _endpoint(endpoint))

    @overload
    def live_v2(self: Transcription[Async], options: _FluxOptions = None, **kwargs: Any) -> Connect[FluxStream]: ...
    @overload
    def live_v2(self: Transcription[Blocking], options: _FluxOptions = None, **kwargs: Any) -> SyncFluxStream: ...

    def live_v2(self, options: _FluxOptions = None, **kwargs: Any) -> Union[Connect[FluxStream], SyncFluxStream]:
        """Open a Flux stream (``/v2/listen``, turn-based transcription): ``model`` is required,
        e.g. ``live_v2({"model": "flux-general-en", "encoding": "linear16", "sample_rate": 16000})``."""
        from ._open import open_stream
        from ._sockets import FluxStream
        from ._sync_sockets import SyncFluxStream
        from .live import Connect

        return open_stream(self, FluxStream, Connect, SyncFluxStream, options, kwargs)
