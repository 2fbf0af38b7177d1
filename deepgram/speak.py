"""Text to speech over REST: the audio comes back as bytes, or goes to a file in chunks."""

from typing import Any, Optional

from ._resource import Resource
from ._wire import Request, merge_options, query_pairs
from .errors import DeepgramSetupError


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


def _speak_body(source: Any) -> dict:
    text = source.get("text") if isinstance(source, dict) else source
    if not isinstance(text, str) or not text.strip():
        raise DeepgramSetupError("speak needs a text: {'text': 'Hello'} or a string.")
    return {"text": text}


class Speak(Resource):
    """The ``/speak`` endpoints (``/v1/speak``, and ``/v2/speak`` for Flux voices)."""

    def generate(self, source: Any, options: Optional[dict] = None, to: Any = None, **kwargs: Any) -> Any:
        """Synthesize ``{"text": ...}``: returns the audio bytes (with ``.headers``), or with
        ``to=`` (a path or a binary stream) writes them in chunks and returns a summary dict;
        with a ``callback`` option the answer is ``{"request_id": ...}``."""
        return self._generate("/speak", "api", source, options, to, kwargs)

    def generate_v2(self, source: Any, options: Optional[dict] = None, to: Any = None, **kwargs: Any) -> Any:
        """Like ``generate``, with the ``/v2/speak`` (Flux) voices; ``model`` is required."""
        return self._generate("/v2/speak", "host", source, options, to, kwargs)

    def _generate(self, endpoint: str, base: str, source: Any, options: Any, to: Any, kwargs: dict) -> Any:
        query = query_pairs(merge_options(options, kwargs))
        body = _speak_body(source)
        if to is None:
            return self._send(Request("POST", endpoint, query=query, json=body,
                                      content_type="application/json", expect="audio", base=base))
        sink = _CountingSink(to)
        request = Request("POST", endpoint, query=query, json=body, content_type="application/json",
                          expect="audio", base=base, sink=sink)
        try:
            result = self._send(request)
        except BaseException:
            sink.close()
            raise
        if hasattr(result, "__await__"):
            return _closing_after(result, sink)
        sink.close()
        return result


async def _closing_after(pending: Any, sink: _CountingSink) -> Any:
    try:
        return await pending
    finally:
        sink.close()
