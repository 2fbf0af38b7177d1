"""Uploads on the async path: the body as an aiohttp payload whose writes have a time bound.

aiohttp starts its read timeout only once the whole body is written, so a server that stops
reading the upload would hold the call forever. Each write here is watched: one that makes no
progress for the read timeout aborts the connection and marks the upload ``stalled`` (the
transport reports a ``write`` timeout). Any failure mid-upload aborts the connection too, so
no half-written connection is left to close politely (it never would, with a peer not reading).
"""

import asyncio
from typing import Any, AsyncGenerator, Optional

from ._body import Body

_PAYLOAD: Any = None


class _StallGuard:
    """Aborts the connection when a single write has waited ``seconds``; one timer at a time."""

    def __init__(self, loop: asyncio.AbstractEventLoop, seconds: float, transport: Any, payload: Any) -> None:
        self.loop, self.seconds, self.transport, self.payload = loop, seconds, transport, payload
        self.started: Optional[float] = None  # when the pending write began; None between writes
        self.handle: Any = None

    def begin(self) -> None:
        self.started = self.loop.time()
        if self.handle is None:
            self.handle = self.loop.call_at(self.started + self.seconds, self._check)

    def end(self) -> None:
        self.started = None

    def cancel(self) -> None:
        if self.handle is not None:
            self.handle.cancel()
            self.handle = None

    def _check(self) -> None:
        self.handle = None
        if self.started is None:
            return  # between writes: begin() arms the timer again
        due = self.started + self.seconds
        if self.loop.time() < due:
            self.handle = self.loop.call_at(due, self._check)
            return
        # Marked before the abort: the caller sees the failure before this upload's task ends.
        self.payload.stalled = True
        _abort(self.transport)


def _abort(transport: Any) -> None:
    if transport is not None:
        transport.abort()


def payload(body: Body, stall_seconds: Optional[float]) -> Any:
    """An aiohttp payload sending ``body`` (its length known or chunked)."""
    global _PAYLOAD
    if _PAYLOAD is None:
        _PAYLOAD = _payload_class()
    return _PAYLOAD(body, stall_seconds)


def _payload_class() -> Any:
    import importlib

    # Any on purpose, as aiohttp is imported everywhere else here: the base is known at run time.
    payloads: Any = importlib.import_module("aiohttp.payload")

    class BodyPayload(payloads.Payload):  # type: ignore[misc]
        """Streams a ``Body``; ``stalled`` tells whether the stall guard ended the upload."""

        def __init__(self, body: Body, stall_seconds: Optional[float]) -> None:
            super().__init__(body, content_type="application/octet-stream")
            self._size = body.total
            self.body, self.stall_seconds = body, stall_seconds
            self.stalled = False
            self._transport: Any = None

        def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
            return f"<{self._size} bytes of audio>"

        async def write(self, writer: Any) -> None:
            await self.write_with_length(writer, None)

        async def write_with_length(self, writer: Any, content_length: Optional[int]) -> None:
            # The transport itself: aiohttp forgets it (sets None) when it closes the connection.
            self._transport, guard = writer.transport, None
            if self.stall_seconds:
                guard = _StallGuard(asyncio.get_running_loop(), self.stall_seconds, self._transport, self)
            chunks: AsyncGenerator[bytes, None] = self.body.achunks()
            left = content_length
            try:
                async for chunk in chunks:
                    if left is not None:
                        chunk = chunk[:left]
                        left -= len(chunk)
                    if guard is not None:
                        guard.begin()
                    await writer.write(chunk)
                    if guard is not None:
                        guard.end()
                    if left == 0:  # all the declared bytes are out (a file may have grown since)
                        self.body.complete = True
                        break
            except BaseException:
                # Failed, timed out or cancelled mid-upload: aiohttp would close the connection
                # politely, and a peer that is not reading would keep it half closed forever.
                _abort(self._transport)
                raise
            finally:
                await chunks.aclose()
                if guard is not None:
                    guard.cancel()

    return BodyPayload
