"""Live transcription over the ``/v1/listen`` websocket: the asyncio shell around ``_live_messages``.

A connected ``LiveTranscription`` owns exactly two tasks: a sender that drains the outgoing
queue (and sends KeepAlive when no audio went out for a while) and a receiver that reads
frames, fires the handlers in message order (``_live_handlers``), and reports the close exactly
once. Nothing polls: ``finish()`` waits on the close itself.
"""

import asyncio
import collections.abc
import logging
import threading
from collections import deque
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Coroutine,
    Deque,
    Dict,
    Generator,
    List,
    Mapping,
    Optional,
    Set,
    Tuple,
    Type,
    Union,
)

from ._config import Config, parse_options
from ._enums import LiveTranscriptionEvent
from ._live_connect import LiveSettings, connect_websocket
from ._live_connect import _socket_connect as _socket_connect  # a legacy helper scripts import from here
from ._live_handlers import Handler, LiveHandlers
from ._live_messages import EVENTS, FINALIZE, KEEP_ALIVE, LISTEN, LiveError
from ._retry import RetryBudget
from ._warn import warn
from ._wire import Request, query_pairs, websocket_url
from ._ws_session import Session, State, by_type
from .errors import DeepgramSetupError, DeepgramStreamClosedError

if TYPE_CHECKING:
    from types import TracebackType

__all__ = ["Handler", "LiveConnect", "LiveSettings", "LiveTranscription", "split_settings"]

log: logging.Logger = logging.getLogger("deepgram")
_STOP = object()
_REPORT_RESERVE = 0.05  # seconds of finish()'s timeout kept for reporting the close itself

Message = Dict[str, Any]


class LiveTranscription(LiveHandlers):
    """A live transcription stream (``await dg.transcription.live(...)``)."""

    _root = "/listen"
    MESSAGE_TIMEOUT: float = 1.0  # kept for code that reads it; nothing polls any more

    def __init__(self, options: Any, transcription_options: Any = None, endpoint: str = "/listen",
                 settings: Optional[LiveSettings] = None, *, config: Optional[Config] = None,
                 budget: Optional[RetryBudget] = None) -> None:
        self.options: Any = options
        self.transcription_options: Dict[str, Any] = dict(transcription_options or {})
        self.endpoint: str = endpoint or self._root
        self.settings: LiveSettings = settings or LiveSettings()
        self._config = config if config is not None else parse_options(options)[1]
        self._budget = budget  # the client's retry budget, shared with its REST calls
        self.handlers: List[Tuple[LiveTranscriptionEvent, Handler]] = []
        self.received: Union[List[Message], Deque[Message]] = (
            [] if self.settings.max_received is None else deque(maxlen=self.settings.max_received))
        self.done: bool = False
        self.metadata: Optional[Message] = None
        self.request_id: Optional[str] = None
        self._session = Session(LISTEN, self.settings.max_buffer_bytes, self.settings.keepalive_interval)
        self._socket: Any = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._loop_thread: Optional[int] = None
        self._lock = threading.Lock()  # send() may be called from other threads
        self._total_received = 0
        self._tasks: List[asyncio.Task[None]] = []
        self._handler_tasks: Set[asyncio.Task[None]] = set()
        self._abort_cause: Optional[str] = None

    @property
    def event(self) -> Type[LiveTranscriptionEvent]:
        """The event enum, so handlers can be registered as ``live.event.CLOSE``."""
        return LiveTranscriptionEvent

    @property
    def is_open(self) -> bool:
        """Whether the stream is connected and still takes audio."""
        return self._session.state is State.OPEN

    @property
    def _state(self) -> str:
        return self._session.state.value

    @property
    def close_code(self) -> Optional[int]:
        """The websocket close code, once the stream closed."""
        return self._session.close_code

    @property
    def close_reason(self) -> Optional[str]:
        """The websocket close reason, once the stream closed (``None`` when empty)."""
        return self._session.close_reason

    # -- connecting -----------------------------------------------------------------------

    def _url(self) -> str:
        request = Request("GET", "/" + self.endpoint.lstrip("/"), query=query_pairs(self.transcription_options))
        return websocket_url(self._config, request)

    async def __call__(self) -> "LiveTranscription":
        """Connect and start the stream's two tasks; returns ``self``."""
        if self._session.state is not State.NEW:
            raise DeepgramSetupError("This LiveTranscription is already connected; make a new one.")
        self._session.connecting()
        self._loop = loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        # Made here, inside the running loop (a queue made in __init__ bound the wrong loop on 3.8).
        self._outgoing: asyncio.Queue[Any] = asyncio.Queue()
        self._closed = asyncio.Event()
        self._room = asyncio.Event()
        self._room.set()
        self._new_message = asyncio.Event()
        self._final = asyncio.Event()
        try:
            self._socket = await connect_websocket(self._config, self._url(), self.settings, budget=self._budget)
        except BaseException:
            self._session.failed()
            self.done = True
            raise
        response = getattr(self._socket, "response", None)
        self.request_id = response.headers.get("dg-request-id") if response is not None else None
        self._session.opened(loop.time())
        self._tasks = [loop.create_task(self._send_loop()), loop.create_task(self._receive_loop())]
        self._schedule_keep_alive()
        await self._fire(LiveTranscriptionEvent.OPEN, self)
        return self

    # -- sending --------------------------------------------------------------------------

    def send(self, data: Union[bytes, bytearray, memoryview, str]) -> None:
        """Queue audio (bytes) or a text message; never blocks.

        Raises ``DeepgramStreamClosedError`` once the stream is closing or closed, and
        ``DeepgramBufferFullError`` when the queued bytes would pass ``max_buffer_bytes``
        (``await live.drain()`` waits for room). Empty data is ignored: an empty frame would
        end the stream (it was the end-of-stream signal of old clients).
        """
        frame = _frame(data)
        with self._lock:
            if not self._session.queue(frame):
                return
        self._enqueue(frame)

    def _control(self, frame: str, action: str) -> None:
        with self._lock:
            self._session.check_open(action)
            self._session.control(frame)
        self._enqueue(frame)

    def _enqueue(self, frame: Union[str, bytes]) -> None:
        assert self._loop is not None
        if threading.get_ident() == self._loop_thread:
            self._put(frame)
        else:
            # Microphone callbacks send from their own thread: hand the frame to the loop safely.
            self._loop.call_soon_threadsafe(self._put, frame)

    def _put(self, frame: Union[str, bytes]) -> None:
        self._outgoing.put_nowait(frame)
        if not self._session.has_room():
            self._room.clear()

    def keep_alive(self) -> None:
        """Send a KeepAlive message now."""
        self._control(KEEP_ALIVE, "send KeepAlive")

    def finalize(self) -> None:
        """Ask the server to flush the audio it holds (results come back with ``from_finalize``)."""
        self._control(FINALIZE, "send Finalize")

    def configure(self, config: Any) -> None:
        """Deprecated: today's ``/v1/listen`` has no Configure message, so nothing is sent."""
        warn("configure() sends nothing: the /v1/listen protocol no longer has a Configure message. "
             "Pass the options when calling live() instead.", DeprecationWarning)

    async def drain(self) -> None:
        """Wait until the outgoing buffer is at most half full (or the stream has closed)."""
        if self._session.state in (State.NEW, State.CONNECTING):
            return
        await self._room.wait()

    async def _send_loop(self) -> None:
        from websockets.exceptions import ConnectionClosed

        socket, loop, session = self._socket, asyncio.get_running_loop(), self._session
        while True:
            try:
                frame = self._outgoing.get_nowait()
            except asyncio.QueueEmpty:
                frame = await self._outgoing.get()
            if frame is _STOP:
                return
            try:
                await socket.send(frame)
            except ConnectionClosed:
                return
            except Exception as exc:
                if frame is KEEP_ALIVE:  # one failed KeepAlive never ends the stream
                    log.warning("live: a KeepAlive could not be sent: %r", exc)
                    continue
                await self._fire_error(LiveError(f"Sending failed: {exc!r}", "send", exception=exc))
                return
            finally:
                with self._lock:
                    session.written(frame, loop.time())
                if session.has_room():
                    self._room.set()

    def _schedule_keep_alive(self) -> None:
        # One timer per interval, not per frame: it fires, asks the session whether audio went
        # out since, and either queues a KeepAlive or sleeps until the interval after the last audio.
        loop = self._loop
        with self._lock:
            due = self._session.keepalive_due()
            if due is None or loop is None:
                return
            now = loop.time()
            frame = self._session.keepalive(now, idle=self._outgoing.empty())
            due = self._session.keepalive_due()
        if frame is not None:
            self._outgoing.put_nowait(frame)
        if due is not None:
            loop.call_at(due, self._schedule_keep_alive)

    # -- receiving ------------------------------------------------------------------------

    async def _receive_loop(self) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            async for raw in self._socket:
                await self._dispatch(raw)
        except ConnectionClosed:
            pass
        except asyncio.CancelledError:
            # finish() gave up on a handler that never returns: it reports the close itself.
            self._socket.transport.abort()
            raise
        except Exception as exc:
            await self._fire_error(LiveError(f"Receiving failed: {exc!r}", "close", exception=exc))
        await self._report_close()

    async def _dispatch(self, raw: Any) -> None:
        received = self._session.receive(raw)
        if received.error is not None:
            await self._fire_error(received.error)
            return
        message = received.message
        if message is None:
            return
        await self._fire(LiveTranscriptionEvent.TRANSCRIPT_RECEIVED, message)
        await self._fire(by_type(EVENTS, message, LiveTranscriptionEvent.UNHANDLED), message)
        self.received.append(message)
        self._total_received += 1
        self._new_message.set()
        self._new_message = asyncio.Event()
        if received.final:
            self.metadata = message
            self.done = True
            self._final.set()

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
            await self._fire(LiveTranscriptionEvent.CLOSE, close_code)
        finally:
            self._closed.set()

    # -- ending ---------------------------------------------------------------------------

    async def finish(self, timeout: Optional[float] = None) -> Optional[Message]:
        """Send CloseStream, read the remaining results and the final Metadata until the server
        closes, and return that Metadata (``None`` if the stream ended without one).

        Returns within ``timeout`` seconds (``settings.finish_timeout`` by default) whatever the
        server or the handlers do; an abnormal close fires ERROR, and CLOSE fires exactly once.
        """
        if self._session.state in (State.NEW, State.CONNECTING):
            raise DeepgramStreamClosedError("finish() called on a stream that is not connected.")
        loop = asyncio.get_running_loop()
        limit = self.settings.finish_timeout if timeout is None else timeout
        with self._lock:
            close = self._session.finish(loop.time(), limit)
        if close is not None:
            self._outgoing.put_nowait(close)
        if asyncio.current_task() in self._tasks:
            # Called from a handler: the receiver is this very task, so waiting here for the
            # close would wait for ourselves. CloseStream is queued; the stream ends after.
            return self.metadata
        # The last stretch before the deadline is kept for reporting the close ourselves.
        reserve = min(_REPORT_RESERVE, limit / 4)
        if not await self._wait_closed(self._left(reserve), until_final=True) and self.metadata is not None:
            # The final Metadata came but the close frame did not: after a short grace, end the
            # stream from our side (2.x returned as soon as the Metadata arrived).
            if not await self._wait_closed(min(1.0, self._left(reserve))):
                await self._close_socket(self._left(reserve))
        if not await self._wait_closed(self._left(reserve)):
            self._abort(f"finish() gave up after {limit:g}s without the server closing")
            if not await self._wait_closed(self._left(reserve / 2)):
                await self._give_up()
        await self._join()
        return self.metadata

    async def _wait_closed(self, limit: float, until_final: bool = False) -> bool:
        """Wait up to ``limit`` s for the close (or, with ``until_final``, the final Metadata)."""
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
        """Close the stream now, without waiting for the remaining results."""
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

    async def __aenter__(self) -> "LiveTranscription":
        """Connect (unless connected already)."""
        return self if self._session.state is not State.NEW else await self()

    async def __aexit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException] = None,
                        traceback: "Optional[TracebackType]" = None) -> None:
        """Finish the stream, or close it at once when the block raised."""
        if exc_type is None:
            await self.finish()
        else:
            await self.close()

    def __repr__(self) -> str:
        return f"<LiveTranscription {self._state} request_id={self.request_id}>"


class _Messages:
    """An async iterator over a stream's messages (a plain class: no async-generator finalizers)."""

    def __init__(self, live: LiveTranscription) -> None:
        self._live = live
        self._position = 0

    def __aiter__(self) -> "_Messages":
        return self

    async def __anext__(self) -> Message:
        live = self._live
        while True:
            first = live._total_received - len(live.received)
            self._position = max(self._position, first)
            if self._position < live._total_received:
                self._position += 1
                return live.received[self._position - 1 - first]
            if live._state in ("closed", "new"):
                raise StopAsyncIteration
            await live._new_message.wait()


if TYPE_CHECKING:
    _Connecting = Coroutine[Any, Any, LiveTranscription]
else:
    _Connecting = collections.abc.Coroutine  # not subscriptable before Python 3.9


class LiveConnect(_Connecting):
    """What ``dg.transcription.live(...)`` returns: await it for a connected stream, or use it
    as ``async with`` (which finishes the stream on exit). It is a real coroutine, so
    ``asyncio.create_task`` and ``asyncio.wait_for`` take it as they took the 2.x one."""

    def __init__(self, live: LiveTranscription) -> None:
        self._live = live
        self._coro = live()

    def __await__(self) -> Generator[Any, None, LiveTranscription]:
        """Connect; the result is the connected stream."""
        return self._coro.__await__()

    def send(self, value: Any) -> Any:
        """Coroutine protocol: resume the connecting coroutine."""
        return self._coro.send(value)

    def throw(self, *args: Any) -> Any:
        """Coroutine protocol: raise inside the connecting coroutine."""
        return self._coro.throw(*args)

    def close(self) -> None:
        """Coroutine protocol: close the connecting coroutine (a stream never awaited)."""
        self._coro.close()

    async def __aenter__(self) -> LiveTranscription:
        """Connect; the result is the connected stream."""
        return await self._coro

    async def __aexit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException] = None,
                        traceback: "Optional[TracebackType]" = None) -> None:
        """Finish the stream, or close it at once when the block raised."""
        await self._live.__aexit__(exc_type, exc, traceback)


def _frame(data: object) -> Union[str, bytes]:
    """What ``send()`` puts on the wire: text as is, audio as ``bytes``."""
    if isinstance(data, str):
        return data
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise DeepgramSetupError(f"send() takes bytes (audio) or str (a message), not {type(data).__name__}.")


def split_settings(kwargs: Mapping[str, Any]) -> Tuple[Optional[LiveSettings], Dict[str, Any]]:
    """Take the ``LiveSettings`` out of ``live()``'s keywords; everything else is a query parameter."""
    settings = [v for v in kwargs.values() if isinstance(v, LiveSettings)]
    if len(settings) > 1:
        raise DeepgramSetupError("Pass at most one LiveSettings to live().")
    query = {k: v for k, v in kwargs.items() if not isinstance(v, LiveSettings)}
    return (settings[0] if settings else None), query

