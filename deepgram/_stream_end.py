"""How a websocket stream ends: the close report, ``finish()`` within its deadline, ``close()``.

``Stream`` (``_stream.py``) inherits this half, and ``LiveHandlers`` (firing the events) with it.
One rule holds everywhere: the session's finish deadline bounds every wait, and the close is
reported (ERROR when abnormal, then CLOSE) exactly once, by whoever notices it first: the
receiver, or ``finish()`` itself when a handler never returns.
"""

from __future__ import annotations

import asyncio
from enum import Enum
from typing import TYPE_CHECKING, Any, AsyncIterator, ClassVar, Deque, Dict, List, Optional, Type, TypeVar, Union

from ._live_handlers import LiveHandlers
from ._ws_session import Session, State
from .errors import DeepgramStreamClosedError

if TYPE_CHECKING:
    from types import TracebackType

    from ._live_connect import LiveSettings

Message = Dict[str, Any]
S = TypeVar("S", bound="StreamEnding")
_REPORT_RESERVE = 0.05  # seconds of finish()'s timeout kept for reporting the close itself
_STOP = object()


class StreamEnding(LiveHandlers):
    """The ending half of a stream (the attributes are set by ``Stream``)."""

    Event: ClassVar[Type[Enum]]
    settings: LiveSettings
    metadata: Optional[Message]
    done: bool
    received: Union[List[Message], Deque[Message]]
    _session: Session
    _socket: Any
    _tasks: List[asyncio.Task[None]]
    _abort_cause: Optional[str]
    _outgoing: asyncio.Queue[Any]
    _closed: asyncio.Event
    _final: asyncio.Event
    _room: asyncio.Event
    _new_message: asyncio.Event
    _iterators = 0  # ``async for`` loops waiting for the next message
    _total_received: int
    _lock: Any  # a threading.Lock: send() may be called from other threads

    async def _connect(self) -> None:
        raise NotImplementedError

    async def _report_close(self) -> None:
        """Fire ERROR (for an abnormal close) and CLOSE, once, whoever noticed the close first."""
        protocol = getattr(self._socket, "protocol", None)
        code = getattr(protocol, "close_code", None)
        report = self._session.closed(None if code is None else int(code),  # a plain int, as 2.x gave
                                      getattr(protocol, "close_reason", None), self._abort_cause)
        self.done = True
        self._outgoing.put_nowait(_STOP)
        self._room.set()
        self._new_message.set()
        if report is None:
            return
        error, close_code = report
        try:
            if error is not None:
                await self._fire_error(error)
            await self._fire(self.Event["CLOSE"], close_code)
        finally:
            self._closed.set()

    def _close_message(self, timeout: float) -> Optional[str]:
        """Start the session's graceful end; the close message to send, if the socket has one."""
        with self._lock:
            return self._session.finish(asyncio.get_running_loop().time(), timeout)

    async def finish(self, timeout: Optional[float] = None) -> Optional[Message]:
        """Ask the server to finish (CloseStream, Close, ...; on a socket without such a message,
        close it), read its last messages until it closes, and return the message that ended
        the stream (``None`` if none did).

        Returns within ``timeout`` seconds (``settings.finish_timeout`` by default) whatever the
        server or the handlers do; an abnormal close fires ERROR, and CLOSE fires exactly once.
        """
        if self._session.state in (State.NEW, State.CONNECTING):
            raise DeepgramStreamClosedError("finish() called on a stream that is not connected.")
        limit = self.settings.finish_timeout if timeout is None else timeout
        was_open = self._session.state is State.OPEN
        close = self._close_message(limit)
        if close is not None:
            self._outgoing.put_nowait(close)
        if asyncio.current_task() in self._tasks:
            # Called from a handler: the receiver is this very task, so waiting here for the
            # close would wait for ourselves. The close message is queued; the stream ends after.
            return self.metadata
        # The last stretch before the deadline is kept for reporting the close ourselves.
        reserve = min(_REPORT_RESERVE, limit / 4)
        if was_open and self._session.spec.close_message is None:
            await self._close_socket(self._left(reserve))  # the client ends these sockets itself
        if not await self._wait_closed(self._left(reserve), until_final=True) and self.metadata is not None:
            # The final message came but the close frame did not: after a short grace, end the
            # stream from our side (2.x returned as soon as the Metadata arrived).
            if not await self._wait_closed(min(1.0, self._left(reserve))):
                await self._close_socket(self._left(reserve))
        if not await self._wait_closed(self._left(reserve)):
            self._abort(f"finish() gave up after {limit:g}s, before the stream had ended")
            if not await self._wait_closed(self._left(reserve / 2)):
                await self._give_up()
        await self._join()
        return self.metadata

    async def _wait_closed(self, limit: float, until_final: bool = False) -> bool:
        """Wait up to ``limit`` s for the close (or, with ``until_final``, the final message)."""
        if self._closed.is_set() or (until_final and self._final.is_set()) or limit <= 0:
            return self._closed.is_set()
        waiters = [asyncio.ensure_future(self._closed.wait())]
        if until_final:
            waiters.append(asyncio.ensure_future(self._final.wait()))
        try:
            await asyncio.wait(waiters, timeout=limit, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()
            await asyncio.gather(*waiters, return_exceptions=True)
        return self._closed.is_set()

    def _left(self, reserve: float = 0.0) -> float:
        """Seconds until the finish deadline, less ``reserve``."""
        return max(self._session.left(asyncio.get_running_loop().time()) - reserve, 0.0)

    async def _close_socket(self, limit: float) -> None:
        try:
            await asyncio.wait_for(self._socket.close(), limit)
        except asyncio.TimeoutError:
            self._socket.transport.abort()

    async def _give_up(self) -> None:
        """The deadline came and the receiver is stuck in a handler: stop it, report the close."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        # A CLOSE (or ERROR) handler that never returns is left running: finish() has a deadline.
        reporter = asyncio.ensure_future(self._report_close())
        self._handler_tasks.add(reporter)
        reporter.add_done_callback(self._handler_tasks.discard)
        await asyncio.wait([reporter], timeout=self._left())
        self._closed.set()

    async def close(self) -> None:
        """Close the stream now, without waiting for the remaining messages."""
        if self._session.state in (State.NEW, State.CONNECTING):
            return
        if self._session.state is not State.CLOSED:
            self._session.closing()
            await self._socket.close()
            if asyncio.current_task() in self._tasks:
                return  # from a handler: the receiver reports the close once the handler returns
            await self._closed.wait()
        await self._join()

    def _abort(self, cause: str) -> None:
        if self._session.state is not State.CLOSED:
            self._abort_cause = cause
            self._socket.transport.abort()

    async def _join(self) -> None:
        current = asyncio.current_task()
        await asyncio.gather(*(t for t in self._tasks if t is not current), return_exceptions=True)
        pending = [task for task in self._handler_tasks if task is not current]
        if pending:
            limit = self._left() if self._session.deadline is not None else self.settings.finish_timeout
            _, late = await asyncio.wait(pending, timeout=limit)
            for task in late:  # an OPEN or CLOSE handler still running after the stream ended
                task.cancel()
            if late:
                await asyncio.wait(late)

    # -- iteration and context management ---------------------------------------------------

    def __aiter__(self) -> AsyncIterator[Message]:
        """Iterate over every message received, from the first one, until the stream closes."""
        return _Messages(self)

    async def __aenter__(self: S) -> S:
        """Connect (unless connected already)."""
        if self._session.state is State.NEW:
            await self._connect()
        return self

    async def __aexit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException] = None,
                        traceback: Optional[TracebackType] = None) -> None:
        """Finish the stream, or close it at once when the block raised."""
        if exc_type is None:
            await self.finish()
        else:
            await self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._session.state.value} request_id={getattr(self, 'request_id', None)}>"


class _Messages:
    """An async iterator over a stream's messages (a plain class: no async-generator finalizers)."""

    def __init__(self, stream: StreamEnding) -> None:
        self._stream = stream
        self._position = 0

    def __aiter__(self) -> _Messages:
        return self

    async def __anext__(self) -> Message:
        stream = self._stream
        while True:
            first = stream._total_received - len(stream.received)
            self._position = max(self._position, first)
            if self._position < stream._total_received:
                self._position += 1
                return stream.received[self._position - 1 - first]
            if stream._session.state in (State.CLOSED, State.NEW):
                raise StopAsyncIteration
            stream._iterators += 1
            try:
                await stream._new_message.wait()
            finally:
                stream._iterators -= 1
