"""Live transcription over the ``/v1/listen`` websocket, and what every socket call returns.

``LiveTranscription`` is the ``/v1/listen`` stream on the shared driver (``_stream.py``) with
the 2.x surface kept (``keep_alive``, ``finalize``, ``configure``, ``TRANSCRIPT_RECEIVED``);
``Connect`` is the awaitable (and ``async with``) that opens any stream.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar, Coroutine, Dict, Generator, Mapping, Optional, Tuple, Type, TypeVar

from ._enums import LiveTranscriptionEvent
from ._live_connect import LiveSettings
from ._live_connect import _socket_connect as _socket_connect  # a legacy helper scripts import from here
from ._live_handlers import Handler
from ._live_messages import EVENTS, LISTEN
from ._stream import Message, Stream
from ._stream_resume import Resuming
from ._warn import warn
from ._ws_session import SocketSpec
from .errors import DeepgramSetupError

if TYPE_CHECKING:
    from types import TracebackType

__all__ = ["Connect", "Handler", "LiveConnect", "LiveSettings", "LiveTranscription", "Message", "split_settings"]



class LiveTranscription(Resuming, Stream):
    """A live transcription stream over ``/v1/listen`` (``await dg.transcription.live(...)``)."""

    SPEC: ClassVar[SocketSpec] = LISTEN
    Event: ClassVar[Type[Enum]] = LiveTranscriptionEvent
    EVENTS: ClassVar[Mapping[str, Enum]] = EVENTS
    _root = "/listen"
    MESSAGE_TIMEOUT: float = 1.0  # kept for code that reads it; nothing polls any more

    @property
    def event(self) -> Type[LiveTranscriptionEvent]:
        """The event enum, so handlers can be registered as ``live.event.CLOSE``."""
        return LiveTranscriptionEvent

    async def __call__(self) -> LiveTranscription:
        """Connect and start the stream's two tasks; returns ``self``."""
        await self._connect()
        return self

    def keep_alive(self) -> None:
        """Send a KeepAlive message now."""
        self._control({"type": "KeepAlive"}, "send KeepAlive")

    def finalize(self) -> None:
        """Ask the server to flush the audio it holds (results come back with ``from_finalize``)."""
        self._control({"type": "Finalize"}, "send Finalize")

    def configure(self, config: Any) -> None:
        """Deprecated: today's ``/v1/listen`` has no Configure message, so nothing is sent."""
        warn("configure() sends nothing: the /v1/listen protocol no longer has a Configure message. "
             "Pass the options when calling live() instead.", DeprecationWarning)


T = TypeVar("T", bound=Stream)


class Connect(Coroutine[Any, Any, T]):
    """What ``live(...)`` and the other socket calls return: await it for a connected stream,
    or use it as ``async with`` (which finishes the stream on exit). It is a real coroutine, so
    ``asyncio.create_task`` and ``asyncio.wait_for`` take it as they took the 2.x one."""

    def __init__(self, stream: T) -> None:
        self._stream = stream
        self._coro = _connected(stream)

    def __await__(self) -> Generator[Any, None, T]:
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

    async def __aenter__(self) -> T:
        """Connect; the result is the connected stream."""
        return await self._coro

    async def __aexit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException] = None,
                        traceback: Optional[TracebackType] = None) -> None:
        """Finish the stream, or close it at once when the block raised."""
        await self._stream.__aexit__(exc_type, exc, traceback)


class LiveConnect(Connect[LiveTranscription]):
    """What ``dg.transcription.live(...)`` returns (see ``Connect``)."""


async def _connected(stream: T) -> T:
    await stream._connect()
    return stream


def split_settings(kwargs: Mapping[str, Any]) -> Tuple[Optional[LiveSettings], Dict[str, Any]]:
    """Take the ``LiveSettings`` out of ``live()``'s keywords; everything else is a query parameter."""
    settings = [v for v in kwargs.values() if isinstance(v, LiveSettings)]
    if len(settings) > 1:
        raise DeepgramSetupError("Pass at most one LiveSettings to live().")
    query = {k: v for k, v in kwargs.items() if not isinstance(v, LiveSettings)}
    return (settings[0] if settings else None), query

