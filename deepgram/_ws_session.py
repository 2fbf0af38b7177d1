"""PURE. The rules of one Deepgram websocket stream, with no I/O and no clock of its own.

The asyncio driver (``live.py``) feeds it what happened (a frame queued, a frame written, a
message received, the socket closed, the time now) and does what it answers (send this frame,
fire these events, give up at this deadline). Everything that decides lives here, so it is
tested with a fake clock and no sockets:

- the state, an explicit ``State`` (new → connecting → open → closing → closed);
- the outgoing buffer: every queued frame counts until it is written, text frames included;
- keepalive: when the next KeepAlive is due, from the time audio last went out;
- received frames: the message, the events it fires, and whether it ends the stream;
- the close: ERROR (unless normal) and CLOSE, reported exactly once whoever notices first;
- the graceful end: one deadline for ``finish()``, whatever it waits for.
"""

import enum
import json
from typing import Any, Callable, Dict, Mapping, NamedTuple, Optional, Tuple, TypeVar, Union

from .errors import DeepgramBufferFullError, DeepgramStreamClosedError

__all__ = ["Frame", "LiveError", "Received", "Session", "SocketSpec", "State", "by_type", "close_error", "parse"]

Frame = Union[str, bytes]
E = TypeVar("E")


# Close codes that end a stream normally; anything else is reported as an ERROR event.
NORMAL_CLOSE_CODES = frozenset({1000})


class LiveError(str):
    """The ERROR event's argument: a message (a ``str``, as in 2.x) with details attached.

    ``kind`` is ``"close"`` (an abnormal close: see ``code`` and ``reason``), ``"handler"`` (a
    handler raised: see ``exception``), ``"parse"`` (a frame that is not JSON), ``"send"`` or
    ``"timeout"``.
    """

    kind: str
    code: Optional[int]
    reason: Optional[str]
    exception: Optional[BaseException]

    def __new__(cls, text: str, kind: str, code: Optional[int] = None, reason: Optional[str] = None,
                exception: Optional[BaseException] = None) -> "LiveError":
        self = super().__new__(cls, text)
        self.kind, self.code, self.reason, self.exception = kind, code, reason, exception
        return self


def close_error(code: Optional[int], reason: Optional[str], cause: Optional[str] = None) -> Optional[LiveError]:
    """The ERROR for a close, or None when the close was normal."""
    if cause is None and code in NORMAL_CLOSE_CODES:
        return None
    closed = f"closed with code {code}" + (f": {reason}" if reason else "")
    # After a give-up the code is whatever the socket saw last: the server's close may have come meanwhile.
    text = f"{cause}; the connection then {closed}" if cause else f"Connection {closed}"
    return LiveError(text, "timeout" if cause else "close", code, reason or None)


def parse(raw: Union[str, bytes, bytearray]) -> Tuple[Optional[Dict[str, Any]], Optional[LiveError]]:
    """A text frame from the server as a JSON object, or the ERROR it is."""
    if isinstance(raw, (bytes, bytearray)):
        return None, LiveError(f"Unexpected binary frame of {len(raw)} bytes", "parse")
    try:
        message = json.loads(raw)
    except ValueError:
        return None, LiveError(f"Couldn't parse response JSON: {raw}", "parse")
    if not isinstance(message, dict):
        return None, LiveError(f"Unexpected JSON message: {raw}", "parse")
    return message, None


def by_type(mapping: Mapping[str, E], message: Mapping[str, Any], default: E) -> E:
    """The value for a message's ``type`` (any JSON value may be there; only strings match)."""
    kind = message.get("type")
    return mapping.get(kind, default) if isinstance(kind, str) else default


class State(enum.Enum):
    """Where a stream is in its life; only ``OPEN`` takes new frames."""

    NEW = "new"
    CONNECTING = "connecting"
    OPEN = "open"
    CLOSING = "closing"
    CLOSED = "closed"


_OPEN = State.OPEN  # a module constant: looked up for every frame

class SocketSpec(NamedTuple):
    """What tells one Deepgram websocket from another."""

    name: str  # for messages: "live transcription", "text to speech", ...
    close_message: Optional[str]  # the text frame that asks the server to finish (CloseStream, Close)
    keepalive_message: Optional[str]  # None when the socket has no KeepAlive
    is_final: Callable[[Mapping[str, Any]], bool]  # the message after which the server closes


class Received(NamedTuple):
    """One frame from the server: the parsed message (None for audio or an error), the error."""

    message: Optional[Dict[str, Any]]
    error: Optional[LiveError]
    final: bool


class Session:
    """One stream's state, buffer, keepalive clock, close report and finish deadline."""

    def __init__(self, spec: SocketSpec, max_buffer_bytes: int, keepalive_interval: Optional[float]) -> None:
        self.spec = spec
        self.state = State.NEW
        self.max_buffer_bytes = max_buffer_bytes
        self.keepalive_interval = keepalive_interval
        self.buffered = 0  # bytes queued and not yet written
        self.last_audio = 0.0  # when audio (or a KeepAlive) last went out
        self.deadline: Optional[float] = None  # when finish() gives up
        self.close_code: Optional[int] = None
        self.close_reason: Optional[str] = None
        self.final = False  # the message that ends the stream came
        self._reported = False

    # -- opening --------------------------------------------------------------------------

    def connecting(self) -> None:
        """The handshake starts; a stream connects once."""
        if self.state is not State.NEW:
            raise DeepgramStreamClosedError(f"This {self.spec.name} stream is already connected; make a new one.")
        self.state = State.CONNECTING

    def opened(self, now: float) -> None:
        """The handshake succeeded: frames may flow; the keepalive clock starts now."""
        self.state = State.OPEN
        self.last_audio = now

    def failed(self) -> None:
        """The handshake failed: the stream is over before it began (no CLOSE: it never opened)."""
        self.state = State.CLOSED
        self._reported = True

    # -- sending --------------------------------------------------------------------------

    def check_open(self, action: str) -> None:
        """Raise ``DeepgramStreamClosedError`` unless frames may be queued now."""
        if self.state is State.OPEN:  # the common case first: this runs for every frame
            return
        if self.state in (State.NEW, State.CONNECTING):
            raise DeepgramStreamClosedError(f"Cannot {action}: the stream is not connected yet.")
        detail = f" (close code {self.close_code}: {self.close_reason})" if self.close_code else ""
        raise DeepgramStreamClosedError(f"Cannot {action}: the stream is {self.state.value}{detail}.")

    def queue(self, frame: Frame, action: str = "send audio") -> bool:
        """Account for a frame the caller is about to queue; False for an empty one (never sent:
        an empty frame would end the stream). Raises when closed or when the buffer is full."""
        self.check_open(action)
        size = len(frame)
        if not size:
            return False
        if self.buffered + size > self.max_buffer_bytes:
            raise DeepgramBufferFullError(
                f"The live buffer holds {self.buffered} bytes and cannot take {size} more "
                f"(max_buffer_bytes={self.max_buffer_bytes}); await live.drain() first.")
        self.buffered += size
        return True

    def direct(self, frame: Frame) -> bool:
        """Check a frame the caller will write at once, the buffer being empty: False for an empty
        one; raises when closed, or when the frame alone would not fit the buffer (if its write
        must wait, it is counted then, with ``control``)."""
        size = len(frame)
        if self.state is _OPEN and size <= self.max_buffer_bytes - self.buffered:  # every frame: kept short
            return size > 0
        self.check_open("send audio")
        if size > self.max_buffer_bytes - self.buffered:
            raise DeepgramBufferFullError(
                f"The live buffer holds {self.buffered} bytes and cannot take {size} more "
                f"(max_buffer_bytes={self.max_buffer_bytes}); await live.drain() first.")
        return size > 0

    def control(self, frame: Frame) -> None:
        """Account for a frame queued without the checks of ``queue``: a control message the SDK
        queues itself (KeepAlive, Finalize, CloseStream), or a direct write that must wait."""
        self.buffered += len(frame)

    def written(self, frame: Frame, now: float) -> None:
        """A queued frame left the buffer (written, or dropped because the socket closed)."""
        self.buffered -= len(frame)
        if not isinstance(frame, str):
            self.last_audio = now

    def has_room(self) -> bool:
        """Whether ``drain()`` may return: the buffer is at most half full."""
        return self.buffered <= self.max_buffer_bytes // 2

    # -- keepalive ------------------------------------------------------------------------

    def keepalive_due(self) -> Optional[float]:
        """When a KeepAlive is due if no audio goes out before (None: never)."""
        if self.keepalive_interval is None or self.spec.keepalive_message is None or self.state is not State.OPEN:
            return None
        return self.last_audio + self.keepalive_interval

    def keepalive(self, now: float, idle: bool) -> Optional[str]:
        """The KeepAlive to queue now, if one is due and nothing else is waiting to go out."""
        due = self.keepalive_due()
        if due is None or now < due:
            return None
        self.last_audio = now  # due again one interval from now, sent or not
        if not idle or self.spec.keepalive_message is None:
            return None
        self.control(self.spec.keepalive_message)
        return self.spec.keepalive_message

    # -- receiving ------------------------------------------------------------------------

    def receive(self, raw: Union[str, bytes, bytearray]) -> Received:
        """Parse a frame from the server; notes the message that ends the stream."""
        message, error = parse(raw)
        if message is None:
            return Received(None, error, False)
        final = self.spec.is_final(message)
        self.final = self.final or final
        return Received(message, None, final)

    # -- ending ---------------------------------------------------------------------------

    def finish(self, now: float, timeout: float) -> Optional[str]:
        """Start the graceful end: returns the close message to queue (None if already ending)
        and sets the one deadline everything ``finish()`` waits for must meet."""
        if self.deadline is None:
            self.deadline = now + max(timeout, 0.0)
        if self.state is not State.OPEN:
            return None
        self.state = State.CLOSING
        if self.spec.close_message is None:
            return None
        self.control(self.spec.close_message)
        return self.spec.close_message

    def left(self, now: float) -> float:
        """Seconds until the finish deadline (0 once it passed; the whole of time without one)."""
        if self.deadline is None:
            return float("inf")
        return max(self.deadline - now, 0.0)

    def closing(self) -> None:
        """``close()`` was asked for: no more frames are taken."""
        if self.state in (State.OPEN, State.CONNECTING):
            self.state = State.CLOSING

    def closed(self, code: Optional[int], reason: Optional[str], cause: Optional[str] = None,
               ) -> Optional[Tuple[Optional[LiveError], Optional[int]]]:
        """The socket closed: the ERROR to fire (None for a normal close) and CLOSE's argument,
        the first time only; None every later time, so CLOSE fires exactly once."""
        self.state = State.CLOSED
        if self._reported:
            return None
        self._reported = True
        self.close_code, self.close_reason = code, reason or None
        return close_error(code, self.close_reason, cause), code

    @property
    def reported(self) -> bool:
        """Whether the close was reported (ERROR and CLOSE fired, or the stream never opened)."""
        return self._reported

