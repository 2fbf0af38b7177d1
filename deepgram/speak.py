"""Text to speech over REST: the audio comes back as bytes, or goes to a file in chunks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Mapping, Union, overload

from ._resource import Async, Blocking, Call, M, Query, Resource, endpoint
from ._wire import merge_options, query_pairs
from .errors import DeepgramSetupError

if TYPE_CHECKING:
    from ._sockets import SpeakStream, SpeakV2Stream
    from ._sync_sockets import SyncSpeakStream, SyncSpeakV2Stream
    from .live import Connect


class _CountingSink:
    """Writes to a binary stream (or a path it opens) and counts the bytes."""

    def __init__(self, target: Any) -> None:
        self._owned = not hasattr(target, "write")
        self._stream = open(target, "wb") if self._owned else target
        self.written = 0

    def write(self, chunk: bytes) -> None:
        self._stream.write(chunk)
        self.written += len(chunk)

    def close(self) -> None:
        if self._owned:
            self._stream.close()


def _speak_body(source: Any) -> Dict[str, Any]:
    text = source.get("text") if isinstance(source, dict) else source
    if not isinstance(text, str) or not text.strip():
        raise DeepgramSetupError("speak needs a text: {'text': 'Hello'} or a string.")
    return {"text": text}


class Speak(Resource[M]):
    """The ``/speak`` endpoints (``/v1/speak``, and ``/v2/speak`` for Flux voices)."""

    @endpoint
    def generate(self, /, source: Any, options: Query = None, to: Any = None, **kwargs: Any) -> Call[Any]:
        """Synthesize ``{"text": ...}``: returns the audio bytes (with ``.headers``), or with
        ``to=`` (a path or a binary stream) writes them in chunks and returns a summary dict;
        with a ``callback`` option the answer is ``{"request_id": ...}``."""
        return _generate("/speak", "api", source, options, to, kwargs)

    @endpoint
    def generate_v2(self, /, source: Any, options: Query = None, to: Any = None, **kwargs: Any) -> Call[Any]:
        """Like ``generate``, with the ``/v2/speak`` (Flux) voices; ``model`` is required."""
        return _generate("/v2/speak", "host", source, options, to, kwargs)

    @overload
    def live(self: Speak[Async], options: Query = None, **kwargs: Any) -> Connect[SpeakStream]: ...
    @overload
    def live(self: Speak[Blocking], options: Query = None, **kwargs: Any) -> SyncSpeakStream: ...

    def live(self, options: Query = None, **kwargs: Any) -> Union[Connect[SpeakStream], SyncSpeakStream]:
        """Open a streaming text-to-speech socket (``/v1/speak``): ``send_text``, ``flush``,
        audio frames in AUDIO events; options (``model``, ``encoding``, ...) as a dict and/or keywords."""
        from ._open import open_stream
        from ._sockets import SpeakStream
        from ._sync_sockets import SyncSpeakStream
        from .live import Connect

        return open_stream(self, SpeakStream, Connect, SyncSpeakStream, options, kwargs)

    @overload
    def live_v2(self: Speak[Async], options: Query = None, **kwargs: Any) -> Connect[SpeakV2Stream]: ...
    @overload
    def live_v2(self: Speak[Blocking], options: Query = None, **kwargs: Any) -> SyncSpeakV2Stream: ...

    def live_v2(self, options: Query = None, **kwargs: Any) -> Union[Connect[SpeakV2Stream], SyncSpeakV2Stream]:
        """Open a Flux text-to-speech socket (``/v2/speak``; ``model`` is required); ``finish()``
        returns its SessionMetadata."""
        from ._open import open_stream
        from ._sockets import SpeakV2Stream
        from ._sync_sockets import SyncSpeakV2Stream
        from .live import Connect

        return open_stream(self, SpeakV2Stream, Connect, SyncSpeakV2Stream, options, kwargs)


def _generate(endpoint: str, base: str, source: Any, options: Any, to: Any,
              kwargs: Mapping[str, Any]) -> Call[Any]:
    query = query_pairs(merge_options(options, kwargs))
    body = _speak_body(source)
    # The sender closes the sink when the call ends, whatever the outcome.
    sink = _CountingSink(to) if to is not None else None
    return Call("POST", endpoint, query=query, json=body, content_type="application/json",
                expect="audio", base=base, sink=sink)
