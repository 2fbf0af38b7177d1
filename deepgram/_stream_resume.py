"""Automatic reconnect of a ``/v1/listen`` stream (``LiveSettings(reconnect=N)``): the driver half.

When the connection ends abnormally (1006, 1011, 1012, 1013, 1014, 1001, a failed write, a
ping timeout) while the stream is open or finishing, the receiver opens a new connection
(the shared retry policy: backoff with jitter, the client's budget, ``Retry-After``, at most N
attempts), sends it first the audio no final result covered (``_resume.Replay``), then whatever
``send()`` queued meanwhile, and moves every later message onto the stream's own time
(``_resume.Timeline``). RECONNECTING and RECONNECTED fire around it; if every attempt fails,
the stream ends with ERROR and CLOSE as without reconnect.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Union

from ._live_connect import connect_websocket
from ._resume import Replay, Timeline, audio_layout
from ._stream_end import _STOP, StreamEnding
from ._ws_session import State
from .errors import DeepgramSetupError

if TYPE_CHECKING:
    from ._config import Config
    from ._retry import RetryBudget
    from .types import Reconnected, Reconnecting

log: logging.Logger = logging.getLogger("deepgram")

__all__ = ["RESUMABLE_CLOSE_CODES", "Resuming"]

# Close codes after which the same audio may well succeed on a new connection. 1000 is a normal
# end, 1008 and 4xxx codes are answers about the request itself, which would come again.
RESUMABLE_CLOSE_CODES = frozenset({1001, 1006, 1011, 1012, 1013, 1014})


class Resuming(StreamEnding):
    """Reconnect and replay, for the stream classes that offer it (``LiveTranscription``)."""

    transcription_options: Dict[str, Any]
    request_id: Optional[str]
    request_ids: List[str]
    _config: Config
    _budget: Optional[RetryBudget]
    _loop: Optional[asyncio.AbstractEventLoop]
    _writing: bool
    _replay: Optional[Replay]
    _timeline: Optional[Timeline]

    if TYPE_CHECKING:  # Stream's, which comes after this class in the order of lookup

        def _url(self) -> str: ...

        async def _send_loop(self) -> None: ...

    def _setup_resume(self) -> None:
        """Check the options a reconnect needs, before any I/O (``DeepgramSetupError`` if wrong)."""
        reconnect, seconds = self.settings.reconnect, self.settings.max_replay_seconds
        if not isinstance(reconnect, int) or isinstance(reconnect, bool) or reconnect < 0:
            raise DeepgramSetupError(f"LiveSettings(reconnect=...) is a number of attempts (0 or more), "
                                     f"got {reconnect!r}.")
        if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or not seconds > 0:
            raise DeepgramSetupError(f"LiveSettings(max_replay_seconds=...) must be a positive number of "
                                     f"seconds, got {seconds!r}.")
        if reconnect > 0:
            self._replay = Replay(audio_layout(self.transcription_options), self.settings.max_replay_seconds)
            self._timeline = Timeline()

    def _resumable(self) -> bool:
        """Whether the connection that just ended should be replaced by a new one."""
        if self._replay is None or self._abort_cause is not None or self._final.is_set():
            return False
        state = self._session.state
        # finish() sets a deadline before CloseStream; close() does not: only the former resumes.
        if state is not State.OPEN and not (state is State.CLOSING and self._session.deadline is not None):
            return False
        protocol = getattr(self._socket, "protocol", None)
        code = getattr(protocol, "close_code", None)
        return code is None or int(code) in RESUMABLE_CLOSE_CODES

    async def _resumed(self) -> bool:
        """Replace the connection that just ended, if it should be; False to end the stream."""
        if not self._resumable():
            return False
        assert self._replay is not None and self._timeline is not None and self._loop is not None
        if self._replay.unknown:  # ends as with reconnect=0, rather than resume and drop words unseen
            log.warning("live: the stream cannot reconnect: its audio is neither a WAV file nor raw audio "
                        "described by encoding= (compressed audio cannot be replayed from a sample), so it "
                        "ends on this close as without LiveSettings(reconnect=...)")
            return False
        protocol = getattr(self._socket, "protocol", None)
        raw_code, reason = getattr(protocol, "close_code", None), getattr(protocol, "close_reason", None)
        code = None if raw_code is None else int(raw_code)  # a plain int, as CLOSE gives
        attempts = self.settings.reconnect
        self._writing = True  # until the new sender runs, send() queues (there is no socket to write to)
        lost: Reconnecting = {"code": code, "reason": reason or None, "attempts": attempts}
        await self._fire(self.Event["RECONNECTING"], lost)
        await self._stop_sender()
        try:
            socket = await self._reconnect(attempts)
        except Exception as exc:
            log.warning("live: reconnecting after close code %s failed: %r", code, exc)
            self._writing = False
            return False
        old, self._socket = self._socket, socket
        old.transport.abort()
        response = getattr(socket, "response", None)
        self.request_id = response.headers.get("dg-request-id") if response is not None else None
        if self.request_id:
            self.request_ids.append(self.request_id)
        lost_before = self._replay.lost
        offset, frames = self._replay.resume()
        if self._replay.lost > lost_before:
            log.warning("live: %d bytes of audio could not be replayed (more than max_replay_seconds=%g "
                        "without a final result); their words are lost", self._replay.lost - lost_before,
                        self.settings.max_replay_seconds)
        self._timeline.offset = offset
        self._requeue(frames)
        self._writing = False
        self._session.last_audio = self._loop.time()
        self._tasks[0] = self._loop.create_task(self._send_loop())
        taken: Reconnected = {"request_id": self.request_id, "offset": offset,
                              "replayed_bytes": sum(len(f) for f in frames) - len(self._replay.header),
                              "lost_bytes": self._replay.lost}
        await self._fire(self.Event["RECONNECTED"], taken)
        return True

    async def _reconnect(self, attempts: int) -> Any:
        """A new connection, within the finish deadline when the stream is finishing."""
        settings = self.settings._replace(connect_retries=attempts - 1)
        connecting = connect_websocket(self._config, self._url(), settings, budget=self._budget)
        if self._session.deadline is None:
            return await connecting
        return await asyncio.wait_for(connecting, self._left())

    async def _stop_sender(self) -> None:
        """End the sender of the dead connection (its unfinished write is replayed)."""
        sender = self._tasks[0]
        if sender is not asyncio.current_task():
            sender.cancel()
            await asyncio.gather(sender, return_exceptions=True)
        self._writing = True  # the sender's own ``finally`` cleared it: send() must still only queue

    def _requeue(self, replay: List[bytes]) -> None:
        """The new connection's queue: the replayed audio, then the messages still to send.

        Audio queued before the reconnect is part of the replay, so it is taken out of the
        queue (and out of the buffer's count) rather than sent twice.
        """
        assert self._loop is not None
        keepalive = self._session.spec.keepalive_message
        close = self._session.spec.close_message
        now = self._loop.time()
        kept: List[str] = []
        while not self._outgoing.empty():
            item: Any = self._outgoing.get_nowait()
            if item is _STOP:
                continue
            frame: Union[str, bytes] = getattr(item, "frame", item)
            with self._lock:
                self._session.written(frame, now)
            if isinstance(frame, str) and frame != keepalive:
                kept.append(frame)
        if self._session.state is State.CLOSING and close is not None and close not in kept:
            kept.append(close)  # finish() sent it on the connection that dropped: the new one needs it
        frames: List[Union[str, bytes]] = [*replay, *kept]
        with self._lock:
            for frame in frames:
                self._session.control(frame)
        for frame in frames:
            self._outgoing.put_nowait(frame)
        if self._session.has_room():
            self._room.set()
        else:
            self._room.clear()
