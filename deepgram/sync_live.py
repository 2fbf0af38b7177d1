"""The blocking twin of ``LiveTranscription``, for scripts without asyncio.

It runs the same asyncio stream on an event loop in a background thread. Handlers are called
on that thread, in message order.
"""

import asyncio
import threading
from enum import Enum
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Coroutine,
    Deque,
    Dict,
    Iterator,
    List,
    Optional,
    Tuple,
    Type,
    TypeVar,
    Union,
)

from ._enums import LiveTranscriptionEvent
from ._live_connect import LiveSettings
from ._live_handlers import EventName, Handler
from .live import LiveTranscription, Message

if TYPE_CHECKING:
    from types import TracebackType

__all__ = ["SyncLiveTranscription"]

_T = TypeVar("_T")


class SyncLiveTranscription:
    """``dg.sync.transcription.live(...)``: the live stream with blocking methods."""

    def __init__(self, live: LiveTranscription) -> None:
        self._live = live
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="deepgram-live", daemon=True)
        self._thread.start()
        try:
            self._call(live())
        except BaseException:
            self._stop()
            raise

    def _call(self, coro: Coroutine[Any, Any, _T], timeout: Optional[float] = None) -> _T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def _stop(self) -> None:
        if self._loop.is_closed():
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()

    # The same attributes and methods as the async stream (read from it: nothing is copied).

    @property
    def event(self) -> Type[LiveTranscriptionEvent]:
        """The event enum, so handlers can be registered as ``live.event.CLOSE``."""
        return self._live.event

    @property
    def received(self) -> Union[List[Message], Deque[Message]]:
        """Every message received so far (the last ``max_received`` when that is set)."""
        return self._live.received

    @property
    def done(self) -> bool:
        """Whether the stream has ended (or its final Metadata came)."""
        return self._live.done

    @property
    def handlers(self) -> List[Tuple[Enum, Handler]]:
        """The registered ``(event, handler)`` pairs, in the order they are called."""
        return self._live.handlers

    @property
    def metadata(self) -> Optional[Message]:
        """The final Metadata message, once it came."""
        return self._live.metadata

    @property
    def close_code(self) -> Optional[int]:
        """The websocket close code, once the stream closed."""
        return self._live.close_code

    @property
    def close_reason(self) -> Optional[str]:
        """The websocket close reason, once the stream closed (``None`` when empty)."""
        return self._live.close_reason

    @property
    def request_id(self) -> Optional[str]:
        """The ``dg-request-id`` of the stream."""
        return self._live.request_id

    @property
    def options(self) -> Any:
        """The client options the stream was opened with."""
        return self._live.options

    @property
    def transcription_options(self) -> Dict[str, Any]:
        """The query parameters of the stream."""
        return self._live.transcription_options

    @property
    def settings(self) -> LiveSettings:
        """The SDK settings of the stream."""
        return self._live.settings

    @property
    def is_open(self) -> bool:
        """Whether the stream is connected and still takes audio."""
        return self._live.is_open

    def register_handler(self, event_type: EventName, handler: Handler) -> None:
        """Call ``handler`` (on the stream's thread) on each ``event_type`` event."""
        self._live.register_handler(event_type, handler)

    def deregister_handler(self, event_type: EventName, handler: Handler) -> None:
        """Stop calling ``handler``; raises ``ValueError`` if it was not registered."""
        self._live.deregister_handler(event_type, handler)

    def registerHandler(self, event_type: EventName, handler: Handler) -> None:
        """Deprecated alias of ``register_handler``."""
        self._live.registerHandler(event_type, handler)

    def deregisterHandler(self, event_type: EventName, handler: Handler) -> None:
        """Deprecated alias of ``deregister_handler``."""
        self._live.deregisterHandler(event_type, handler)

    def send(self, data: Union[bytes, bytearray, memoryview, str]) -> None:
        """Queue audio or a message (thread-safe, never blocks; see ``LiveTranscription.send``)."""
        self._live.send(data)

    def keep_alive(self) -> None:
        """Send a KeepAlive message now."""
        self._live.keep_alive()

    def finalize(self) -> None:
        """Ask the server to flush the audio it holds."""
        self._live.finalize()

    def configure(self, config: Any) -> None:
        """Deprecated: sends nothing (see ``LiveTranscription.configure``)."""
        self._live.configure(config)

    def drain(self, timeout: Optional[float] = None) -> None:
        """Block until the outgoing buffer is at most half full."""
        self._call(self._live.drain(), timeout)

    def finish(self, timeout: Optional[float] = None) -> Optional[Message]:
        """Close the stream gracefully, stop its thread, and return the final Metadata."""
        if self._loop.is_closed():
            return self._live.metadata
        try:
            return self._call(self._live.finish(timeout))
        finally:
            self._stop()

    def close(self) -> None:
        """Close the stream now and stop its thread."""
        if self._loop.is_closed():
            return
        try:
            self._call(self._live.close())
        finally:
            self._stop()

    def __iter__(self) -> Iterator[Message]:
        """Yield every message received until the stream closes (all of them once finished)."""
        if self._loop.is_closed():
            yield from list(self._live.received)
            return
        iterator = self._live.__aiter__()
        while not self._loop.is_closed():
            try:
                yield self._call(_next(iterator))
            except StopAsyncIteration:
                return

    def __enter__(self) -> "SyncLiveTranscription":
        """The connected stream itself."""
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException] = None,
                 traceback: "Optional[TracebackType]" = None) -> None:
        """Finish the stream, or close it at once when the block raised."""
        if exc_type is None:
            self.finish()
        else:
            self.close()

    def __repr__(self) -> str:
        return f"<SyncLiveTranscription {self._live!r}>"


async def _next(iterator: AsyncIterator[_T]) -> _T:
    """The next item of ``iterator``, as a coroutine that ``run_coroutine_threadsafe`` takes."""
    return await iterator.__anext__()
