"""How a websocket stream sends: the outgoing queue, the sender task, KeepAlive, and a direct path.

``Stream`` (``_stream.py``) inherits this half. Frames go out in the order ``send()`` took them.
When the stream is idle (nothing queued, no write in progress) and ``send()`` is called on the
stream's own loop, the frame is written at once, without a trip through the sender task: a
producer that yields to the loop between frames pays no task switch per frame. A write that must
wait (the connection's buffer is full) is finished by the sender task before anything queued after.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from typing import Any, Callable, Coroutine, Generator, Mapping, Optional, Union, cast

from ._resume import Replay
from ._stream_end import _STOP, StreamEnding
from ._ws_session import LiveError, State
from .errors import DeepgramSetupError

log: logging.Logger = logging.getLogger("deepgram")
Sendable = Union[bytes, bytearray, memoryview, str, Mapping[str, Any]]

__all__ = ["Sendable", "StreamSending", "frame_of"]


class _Started:
    """A frame whose write began in ``send()`` and must be finished (or failed) by the sender."""

    def __init__(self, frame: Union[str, bytes], write: Optional[Coroutine[Any, Any, None]], waiting_on: Any,
                 error: Optional[BaseException] = None) -> None:
        self.frame, self._write, self._waiting_on, self._error = frame, write, waiting_on, error

    def __await__(self) -> Generator[Any, None, None]:
        # Resume the suspended write where send() left it: hand what it waits on to the task
        # that awaits this, and feed the outcome back, as a task would have.
        if self._error is not None:
            raise self._error
        write, waiting_on = self._write, self._waiting_on
        assert write is not None
        while True:
            try:
                yield waiting_on
            except BaseException as exc:  # cancellation: the write sees it, as it would in a task
                try:
                    waiting_on = write.throw(exc)
                except StopIteration:
                    return
                continue
            try:
                waiting_on = write.send(None)
            except StopIteration:
                return


_CLOSED: Any = None
_thread = threading.get_ident


def _connection_closed() -> Any:
    """websockets' ConnectionClosed, looked up once (its lazy import costs a call per frame)."""
    global _CLOSED
    if _CLOSED is None:
        from websockets.exceptions import ConnectionClosed

        _CLOSED = ConnectionClosed
    return _CLOSED


async def _write(socket: Any, frame: Union[str, bytes]) -> None:
    """Write ``frame``, suspending only if the write must wait: a backlog drains in one go."""
    write = socket.send(frame)
    try:
        waiting_on = write.send(None)
    except StopIteration:
        return
    await _Started(frame, write, waiting_on)


class StreamSending(StreamEnding):
    """The sending half of a stream (the attributes are set by ``Stream``)."""

    _loop: Optional[asyncio.AbstractEventLoop]
    _loop_thread: Optional[int]
    _writing = False  # the sender task is inside a write
    _time: Callable[[], float]  # the stream's loop clock
    _replay: Optional[Replay]  # the audio a reconnect would replay (streams that reconnect only)

    # -- sending --------------------------------------------------------------------------

    def send(self, data: Sendable) -> None:
        """Queue audio (bytes: a binary frame), a message (a dict: JSON text) or text (a str);
        never blocks.

        Raises ``DeepgramStreamClosedError`` once the stream is closing or closed, and
        ``DeepgramBufferFullError`` when the queued bytes would pass ``max_buffer_bytes``
        (``await drain()`` waits for room). Empty data is ignored: an empty frame would end
        the stream (it was the end-of-stream signal of old clients).
        """
        frame = data if type(data) is bytes else frame_of(data)  # audio, the common case, as is
        if _thread() == self._loop_thread and not self._writing and self._outgoing.empty():
            if self._session.direct(frame):
                if self._replay is not None and type(frame) is bytes:
                    self._replay.add(frame)
                self._write_now(frame)
            return
        with self._lock:
            if not self._session.queue(frame):
                return
        self._enqueue(frame)

    def _write_now(self, frame: Union[str, bytes]) -> None:
        """Write ``frame`` from the caller's own call (the stream being idle, on its loop); a
        write that must wait is handed, suspended, to the sender task to finish in order."""
        write = self._socket.send(frame)
        try:
            waiting_on = write.send(None)
        except StopIteration:
            if type(frame) is bytes:
                self._session.last_audio = self._time()
            return
        except Exception as exc:
            self._write_failed(frame, exc)
            return
        with self._lock:
            self._session.control(frame)
        self._put(_Started(frame, write, waiting_on))

    def _write_failed(self, frame: Union[str, bytes], exc: Exception) -> None:
        """A write begun by ``send()`` failed at once: count the frame, and report in order."""
        # Counted from here on, like any frame the sender has yet to finish.
        with self._lock:
            self._session.control(frame)
        if isinstance(exc, _connection_closed()):
            self._written(frame)  # the receiver reports the close
        else:
            self._put(_Started(frame, None, None, exc))  # the sender reports it, in order

    def _written(self, frame: Union[str, bytes]) -> None:
        assert self._loop is not None
        with self._lock:
            self._session.written(frame, self._loop.time())
        if self._session.has_room():
            self._room.set()

    def _control(self, message: Mapping[str, Any], action: str) -> None:
        """Queue a protocol message (KeepAlive, Flush, ...) once the stream is open."""
        frame = json.dumps(message)
        if _thread() == self._loop_thread and not self._writing and self._outgoing.empty():
            self._session.check_open(action)
            self._write_now(frame)  # at once, as send() does: a Flush is not kept waiting a loop turn
            return
        with self._lock:
            self._session.check_open(action)
            self._session.control(frame)
        self._enqueue(frame)

    def _enqueue(self, frame: Union[str, bytes]) -> None:
        assert self._loop is not None
        if _thread() == self._loop_thread:
            self._put(frame)
        else:
            # Microphone callbacks send from their own thread: hand the frame to the loop safely.
            self._loop.call_soon_threadsafe(self._put, frame)

    def _put(self, frame: Union[str, bytes, _Started]) -> None:
        if self._replay is not None and type(frame) is bytes:
            self._replay.add(frame)  # in queue order, on the loop's thread: replayed exactly once
        self._outgoing.put_nowait(frame)
        if not self._session.has_room():
            self._room.clear()

    async def drain(self) -> None:
        """Wait until the outgoing buffer is at most half full (or the stream has closed)."""
        if self._session.state in (State.NEW, State.CONNECTING):
            return
        await self._room.wait()

    async def _send_loop(self) -> None:
        from websockets.exceptions import ConnectionClosed

        socket, loop, session = self._socket, asyncio.get_running_loop(), self._session
        keepalive = session.spec.keepalive_message
        while True:
            try:
                item = self._outgoing.get_nowait()
            except asyncio.QueueEmpty:
                item = await self._outgoing.get()
            if item is _STOP:
                return
            started = item if isinstance(item, _Started) else None
            # Anything else in the queue is a frame.
            frame = started.frame if started is not None else cast("Union[str, bytes]", item)
            self._writing = True
            try:
                await (started if started is not None else _write(socket, frame))
            except ConnectionClosed:
                return
            except Exception as exc:
                if frame == keepalive:  # one failed KeepAlive never ends the stream
                    log.warning("websocket: a KeepAlive could not be sent: %r", exc)
                    continue
                if self._replay is not None:
                    # A stream that reconnects: drop this connection; the receiver replaces it
                    # and replays the audio, this frame included.
                    log.warning("websocket: sending failed (%r); reconnecting", exc)
                    socket.transport.abort()
                    return
                await self._fire_error(LiveError(f"Sending failed: {exc!r}", "send", exception=exc))
                return
            finally:
                self._writing = False
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
            frame = self._session.keepalive(loop.time(), idle=self._outgoing.empty())
            due = self._session.keepalive_due()
        if frame is not None:
            self._outgoing.put_nowait(frame)
        if due is not None:
            loop.call_at(due, self._schedule_keep_alive)



def frame_of(data: object) -> Union[str, bytes]:
    """What ``send()`` puts on the wire: text as is, a dict as JSON text, audio as ``bytes``."""
    if isinstance(data, str):
        return data
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    if isinstance(data, Mapping):
        return json.dumps(dict(data))
    raise DeepgramSetupError(f"send() takes bytes (audio), a dict (a message) or str (text), "
                             f"not {type(data).__name__}.")
