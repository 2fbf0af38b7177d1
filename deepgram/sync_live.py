"""The blocking twin of ``LiveTranscription``, for scripts without asyncio.

It runs the same asyncio stream on an event loop in a background thread. Handlers are called
on that thread, in message order.
"""

import asyncio
import threading
from typing import Any, Iterator, Optional

from .live import LiveTranscription


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

    def _call(self, coro: Any, timeout: Optional[float] = None) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def _stop(self) -> None:
        if self._loop.is_closed():
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()

    # The same attributes and methods as the async stream.
    @property
    def event(self) -> Any:
        return self._live.event

    def __getattr__(self, name: str) -> Any:
        if name in ("received", "done", "handlers", "metadata", "close_code", "close_reason",
                    "request_id", "options", "transcription_options", "settings", "is_open"):
            return getattr(self._live, name)
        raise AttributeError(name)

    def register_handler(self, event_type: Any, handler: Any) -> None:
        """Call ``handler`` (on the stream's thread) on each ``event_type`` event."""
        self._live.register_handler(event_type, handler)

    def deregister_handler(self, event_type: Any, handler: Any) -> None:
        self._live.deregister_handler(event_type, handler)

    def registerHandler(self, *args: Any, **kwargs: Any) -> None:  # noqa: N802 (2.x name)
        self._live.registerHandler(*args, **kwargs)

    def deregisterHandler(self, *args: Any, **kwargs: Any) -> None:  # noqa: N802 (2.x name)
        self._live.deregisterHandler(*args, **kwargs)

    def send(self, data: Any) -> None:
        """Queue audio or a message (thread-safe, never blocks; see ``LiveTranscription.send``)."""
        self._live.send(data)

    def keep_alive(self) -> None:
        self._live.keep_alive()

    def finalize(self) -> None:
        self._live.finalize()

    def configure(self, config: Any) -> None:
        self._live.configure(config)

    def drain(self, timeout: Optional[float] = None) -> None:
        """Block until the outgoing buffer is at most half full."""
        self._call(self._live.drain(), timeout)

    def finish(self, timeout: Optional[float] = None) -> Optional[dict]:
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

    def __iter__(self) -> Iterator[dict]:
        """Yield every message received until the stream closes (all of them once finished)."""
        if self._loop.is_closed():
            yield from list(self._live.received)
            return
        iterator = self._live.__aiter__()
        while not self._loop.is_closed():
            try:
                yield self._call(iterator.__anext__())
            except StopAsyncIteration:
                return

    def __enter__(self) -> "SyncLiveTranscription":
        return self

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        if exc_type is None:
            self.finish()
        else:
            self.close()

    def __repr__(self) -> str:
        return f"<SyncLiveTranscription {self._live!r}>"
