"""The blocking twin of every websocket stream, for scripts without asyncio.

It runs the same asyncio stream on an event loop in a background thread. Handlers are called
on that thread, in message order. Each socket's twin adds forwards of its own helpers.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from enum import Enum
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Coroutine,
    Deque,
    Dict,
    Generic,
    Iterator,
    List,
    Optional,
    Tuple,
    Type,
    TypeVar,
    Union,
)

from ._live_connect import LiveSettings
from ._live_handlers import EventName, Handler
from ._stream import Message, Sendable, Stream
from ._threads import result_of

log = logging.getLogger("deepgram")

# How long past its own deadline finish() waits for the stream's thread: only a plain handler
# that does not return (nothing can interrupt one) holds the thread longer than the deadline.
_STUCK_GRACE = 1.0

if TYPE_CHECKING:
    from types import TracebackType

__all__ = ["SyncStream"]

_T = TypeVar("_T")
_Self = TypeVar("_Self", bound="SyncStream[Any]")
S = TypeVar("S", bound=Stream)


class SyncStream(Generic[S]):
    """A stream with blocking methods (``dg.sync.transcription.live(...)`` and the others)."""

    def __init__(self, live: S) -> None:
        self._live = live
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="deepgram-live", daemon=True)
        self._orphaned = False  # finish() returned while a handler held the thread: it closes the loop
        self._thread.start()
        live._early = []  # handlers registered before the first other call get what they missed
        try:
            self._call(live._connect())
        except BaseException:
            self._stop()
            raise

    def _call(self, coro: Coroutine[Any, Any, _T], timeout: Optional[float] = None) -> _T:
        return result_of(asyncio.run_coroutine_threadsafe(coro, self._loop), timeout)

    def _run(self) -> None:
        self._loop.run_forever()
        if self._orphaned:
            self._loop.close()

    def _stop(self) -> None:
        if self._loop.is_closed():
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()

    # The same attributes and methods as the async stream (read from it: nothing is copied).

    @property
    def event(self) -> Type[Enum]:
        """The event enum, so handlers can be registered as ``live.event.CLOSE``."""
        return self._live.event

    @property
    def received(self) -> Union[List[Message], Deque[Message]]:
        """The messages received so far (the last ``max_received``: 1,000 by default)."""
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
    def request_ids(self) -> List[str]:
        """The request id of every connection the stream used, in order (more than one after a reconnect)."""
        return list(self._live.request_ids)

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
        """Call ``handler`` (on the stream's thread) on each ``event_type`` event. Until the first
        other call on the stream, it also gets the events of that kind that came before."""
        on_stream_thread = threading.get_ident() == self._live._loop_thread  # from a handler
        if self._live._early is None or self._loop.is_closed() or on_stream_thread:
            self._live.register_handler(event_type, handler)
        else:
            self._call(self._live._register_and_replay(event_type, handler))

    def _settled(self) -> None:
        """The caller has set up its handlers: stop keeping the early events."""
        self._live._early = None

    def deregister_handler(self, event_type: EventName, handler: Handler) -> None:
        """Stop calling ``handler``; raises ``ValueError`` if it was not registered."""
        self._live.deregister_handler(event_type, handler)

    def send(self, data: Sendable) -> None:
        """Queue audio, a message or text (thread-safe, never blocks; see ``Stream.send``)."""
        self._settled()
        self._live.send(data)

    def drain(self, timeout: Optional[float] = None) -> None:
        """Block until the outgoing buffer is at most half full."""
        self._settled()
        self._call(self._live.drain(), timeout)

    def finish(self, timeout: Optional[float] = None) -> Optional[Message]:
        """Close the stream gracefully, stop its thread, and return the final Metadata."""
        self._settled()
        if self._loop.is_closed() or self._orphaned:
            return self._live.metadata
        limit = self._live.settings.finish_timeout if timeout is None else timeout
        future = asyncio.run_coroutine_threadsafe(self._live.finish(timeout), self._loop)
        try:
            return result_of(future, limit + _STUCK_GRACE)
        except concurrent.futures.TimeoutError:
            if future.done():
                raise  # the finish itself raised it
            # A plain handler holds the stream's thread and cannot be interrupted: return now; the
            # stream ends (CLOSE fires once) and its thread stops when the handler returns.
            log.warning("live: finish(timeout=%g) returned while a handler still holds the stream's "
                        "thread; the stream ends when that handler returns", limit)
            self._orphaned = True
            future.add_done_callback(lambda _: self._loop.call_soon_threadsafe(self._loop.stop))
            return self._live.metadata
        finally:
            if not self._orphaned:
                self._stop()

    def close(self) -> None:
        """Close the stream now and stop its thread."""
        self._settled()
        if self._loop.is_closed() or self._orphaned:
            return
        try:
            self._call(self._live.close())
        finally:
            self._stop()

    def __iter__(self) -> Iterator[Message]:
        """Yield every message received until the stream closes (those kept, once it has finished)."""
        self._settled()
        if self._loop.is_closed():
            yield from list(self._live.received)
            return
        iterator = self._live.__aiter__()
        while not self._loop.is_closed():
            try:
                yield self._call(_next(iterator))
            except StopAsyncIteration:
                return

    def __enter__(self: _Self) -> _Self:
        """The connected stream itself."""
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException] = None,
                 traceback: Optional[TracebackType] = None) -> None:
        """Finish the stream, or close it at once when the block raised."""
        if exc_type is None:
            self.finish()
        else:
            self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._live!r}>"


async def _next(iterator: AsyncIterator[_T]) -> _T:
    """The next item of ``iterator``, as a coroutine that ``run_coroutine_threadsafe`` takes."""
    return await iterator.__anext__()
