"""The asyncio driver of every Deepgram websocket: a thin shell around the pure ``Session``.

A connected stream owns exactly two tasks: a sender that drains the outgoing queue (and queues
a KeepAlive when the session says one is due) and a receiver that reads frames, fires the
handlers in message order (``_live_handlers``), and reports the close exactly once. Nothing
polls. Each socket (``live.py``, ``_sockets.py``) is a subclass that names its session spec,
its event enum and the event of each server message type; the ending (``finish``, ``close``)
is in ``_stream_end.py``.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from enum import Enum
from typing import Any, ClassVar, Dict, List, Mapping, Optional, Set, Tuple, Type, Union

from ._config import Config, parse_options
from ._live_connect import LiveSettings, connect_websocket
from ._live_handlers import Handler
from ._read_ahead import ReadAhead, loses_unread_messages
from ._resume import Replay, Timeline
from ._retry import RetryBudget
from ._stream_end import StreamEnding
from ._stream_send import Sendable, StreamSending, frame_of
from ._wire import Request, query_pairs, websocket_url
from ._ws_session import LiveError, Session, SocketSpec, State, by_type
from .errors import DeepgramSetupError

log: logging.Logger = logging.getLogger("deepgram")

Message = Dict[str, Any]

__all__ = ["Message", "Sendable", "Stream", "frame_of"]


class LastMessages(List[Message]):
    """A stream's ``received``: a list, as in 2.x, that keeps only the last ``limit`` messages, so
    a stream of hours holds bounded memory (2.x kept every message)."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def append(self, message: Message) -> None:
        """Keep ``message``, and drop the oldest one past ``limit``."""
        list.append(self, message)
        if len(self) > self.limit:
            del self[0]  # moves ``limit`` pointers: nothing beside the parsing of a message

class Stream(StreamSending, StreamEnding):
    """One Deepgram websocket stream; subclasses say which socket it is."""

    SPEC: ClassVar[SocketSpec]
    Event: ClassVar[Type[Enum]]  # OPEN, CLOSE, ERROR, MESSAGE, UNHANDLED (+ AUDIO) and one per message type
    EVENTS: ClassVar[Mapping[str, Enum]] = {}  # server message type -> its event
    AUDIO_IN: ClassVar[bool] = False  # binary frames from the server are audio (else an error)
    BASE: ClassVar[str] = "api"  # which base URL the path is under (see _wire.build_url)
    _root = "/listen"
    _replay: Optional[Replay] = None  # set on streams that reconnect (``_stream_resume``)
    _timeline: Optional[Timeline] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        events = getattr(cls, "Event", None)  # an intermediate base may have none yet
        if cls.AUDIO_IN and events is not None:
            cls._audio_event = events["AUDIO"]  # looked up once: audio frames come by the thousand

    _audio_event: ClassVar[Enum]

    def __init__(self, options: Any, query: Optional[Mapping[str, Any]] = None, endpoint: Optional[str] = None,
                 settings: Optional[LiveSettings] = None, *, config: Optional[Config] = None,
                 budget: Optional[RetryBudget] = None) -> None:
        self.options: Any = options
        self.transcription_options: Dict[str, Any] = dict(query or {})
        self.endpoint: str = endpoint or self._root
        self.settings: LiveSettings = settings or LiveSettings()
        self._config = config if config is not None else parse_options(options)[1]
        self._budget = budget  # the client's retry budget, shared with its REST calls
        self.handlers: List[Tuple[Enum, Handler]] = []
        limit = self.settings.max_received
        self.received: List[Message] = [] if limit is None else LastMessages(limit)
        self.done: bool = False
        self.metadata: Optional[Message] = None  # the message that ended the stream, if any
        self.request_id: Optional[str] = None  # the current connection's
        self.request_ids: List[str] = []  # every connection's, in order (more than one after a reconnect)
        self._session = Session(self.SPEC, self.settings.max_buffer_bytes, self.settings.keepalive_interval)
        self._socket: Any = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._loop_thread: Optional[int] = None
        self._lock = threading.Lock()  # send() may be called from other threads
        self._total_received = 0
        self._tasks: List[asyncio.Task[None]] = []
        self._handler_tasks: Set[asyncio.Task[None]] = set()
        self._abort_cause: Optional[str] = None
        if self.settings.reconnect:
            self._setup_resume()

    @property
    def event(self) -> Type[Enum]:
        """The event enum, so handlers can be registered as ``stream.event.CLOSE``."""
        return self.Event

    @property
    def is_open(self) -> bool:
        """Whether the stream is connected and still takes frames."""
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
        request = Request("GET", "/" + self.endpoint.lstrip("/"), query=query_pairs(self.transcription_options),
                          base=self.BASE)
        return websocket_url(self._config, request)

    def _setup_resume(self) -> None:
        raise DeepgramSetupError(f"LiveSettings(reconnect=...) is offered on /v1/listen streams only, "
                                 f"not on {type(self).__name__}: leave reconnect at 0 here.")

    async def _resumed(self) -> bool:
        """Replace a connection that ended (only streams that reconnect do): False to end the stream."""
        return False

    def _first_messages(self) -> List[str]:
        """Text frames to send before anything else (the agent's Settings)."""
        return []

    async def _connect(self) -> None:
        """Connect and start the stream's two tasks."""
        if self._session.state is not State.NEW:
            raise DeepgramSetupError(f"This {type(self).__name__} is already connected; make a new one.")
        self._session.connecting()
        self._loop = loop = asyncio.get_running_loop()
        # The loop's clock; asyncio's own is time.monotonic, called here without the method around it.
        self._time = time.monotonic if type(loop).time is asyncio.BaseEventLoop.time else loop.time
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
        if self.request_id:
            self.request_ids.append(self.request_id)
        self._session.opened(loop.time())
        for frame in self._first_messages():
            self._session.control(frame)
            self._outgoing.put_nowait(frame)
        self._tasks = [loop.create_task(self._send_loop()), loop.create_task(self._receive_loop())]
        self._schedule_keep_alive()
        await self._fire(self.Event["OPEN"], self)

    # -- receiving ------------------------------------------------------------------------

    async def _receive_loop(self) -> None:
        from websockets.exceptions import ConnectionClosed

        while True:
            ahead = ReadAhead(self._socket) if loses_unread_messages() else None
            try:
                async for raw in ahead if ahead is not None else self._socket:
                    await self._dispatch(raw)
            except ConnectionClosed:
                pass
            except asyncio.CancelledError:
                # finish() gave up on a handler that never returns: it reports the close itself.
                self._socket.transport.abort()
                raise
            except Exception as exc:
                await self._fire_error(LiveError(f"Receiving failed: {exc!r}", "close", exception=exc))
                break
            finally:
                if ahead is not None:
                    await ahead.close()
            if not await self._resumed():
                break
        await self._report_close()

    async def _dispatch(self, raw: Union[str, bytes]) -> None:
        if self.AUDIO_IN and not isinstance(raw, str):
            await self._fire(self._audio_event, raw if type(raw) is bytes else bytes(raw))
            return
        received = self._session.receive(raw)
        if received.error is not None:
            await self._fire_error(received.error)
            return
        message = received.message
        if message is None:
            return
        if self._timeline is not None:  # a stream that reconnects: its messages on its own time
            message = self._timeline.moved(message)
            if message is None:
                return
            if message.get("is_final") and message.get("type") == "Results" and self._replay is not None:
                self._replay.cover(self._timeline.delivered)
        await self._fire(self.Event["MESSAGE"], message)
        typed = by_type(self.EVENTS, message, None)
        if typed is not None:
            await self._fire(typed, message)
        elif message.get("type") == "Error":
            # The server's error message (fatal on most sockets) is the ERROR event: its type
            # would be named ERROR too.
            text = f"{self.SPEC.name} error {message.get('code')}: {message.get('description')}"
            await self._fire_error(LiveError(text, "server", reason=str(message.get("description"))))
        else:
            await self._fire(self.Event["UNHANDLED"], message)
        self.received.append(message)
        self._total_received += 1
        if self._iterators:  # wake the ``async for`` loops; a stream nobody iterates pays nothing
            self._new_message.set()
            self._new_message = asyncio.Event()
        if received.final:
            self.metadata = message
            self.done = True
            self._final.set()

