"""The blocking twin of ``LiveTranscription`` (the shared part is ``_sync_stream.SyncStream``)."""

from __future__ import annotations

from typing import Any, Type

from ._enums import LiveTranscriptionEvent
from ._live_handlers import EventName, Handler
from ._sync_stream import SyncStream
from .live import LiveTranscription

__all__ = ["SyncLiveTranscription"]


class SyncLiveTranscription(SyncStream[LiveTranscription]):
    """``dg.sync.transcription.live(...)``: the live stream with blocking methods."""

    @property
    def event(self) -> Type[LiveTranscriptionEvent]:
        """The event enum, so handlers can be registered as ``live.event.CLOSE``."""
        return LiveTranscriptionEvent

    def registerHandler(self, event_type: EventName, handler: Handler) -> None:
        """Deprecated alias of ``register_handler``."""
        self._live.registerHandler(event_type, handler)

    def deregisterHandler(self, event_type: EventName, handler: Handler) -> None:
        """Deprecated alias of ``deregister_handler``."""
        self._live.deregisterHandler(event_type, handler)

    def keep_alive(self) -> None:
        """Send a KeepAlive message now."""
        self._settled()
        self._live.keep_alive()

    def finalize(self) -> None:
        """Ask the server to flush the audio it holds."""
        self._settled()
        self._live.finalize()

    def configure(self, config: Any) -> None:
        """Deprecated: sends nothing (see ``LiveTranscription.configure``)."""
        self._settled()
        self._live.configure(config)
