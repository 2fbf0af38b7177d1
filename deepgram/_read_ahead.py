"""Reading a websocket ahead of the handlers, for websockets releases that lose unread messages.

websockets' asyncio client before 14.1 empties its queue of received messages when the
connection closes: messages that arrived while a handler was still busy with an earlier one
(the final Metadata, typically, which comes just before the close) were lost. On those releases
a stream reads through ``ReadAhead``: one more task takes each message off the socket as soon as
it arrives and keeps it until the handlers are ready. Later releases keep unread messages, and
the stream reads the socket directly.
"""

from __future__ import annotations

import asyncio
from typing import Any, Optional, Union

__all__ = ["ReadAhead", "loses_unread_messages"]


_LOSES: Optional[bool] = None


def loses_unread_messages() -> bool:
    """Whether the installed websockets drops unread messages at close (releases before 14.1)."""
    global _LOSES
    if _LOSES is None:
        from websockets.version import version

        major, minor = (int(part) for part in version.split(".")[:2])
        _LOSES = (major, minor) < (14, 1)
    return _LOSES


class _End:
    """The end of the socket's messages: how it ended (an exception), or None for a normal end."""

    def __init__(self, error: Optional[BaseException]) -> None:
        self.error = error


class ReadAhead:
    """An async iterator over a socket's messages, read off the socket as soon as they arrive."""

    def __init__(self, socket: Any) -> None:
        self._queue: asyncio.Queue[Union[str, bytes, _End]] = asyncio.Queue()
        self._reader = asyncio.ensure_future(self._read(socket))

    async def _read(self, socket: Any) -> None:
        try:
            async for raw in socket:
                self._queue.put_nowait(raw)
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # ConnectionClosedError and the like: the receiver's to report
            self._queue.put_nowait(_End(exc))
        else:
            self._queue.put_nowait(_End(None))

    def __aiter__(self) -> ReadAhead:
        return self

    async def __anext__(self) -> Union[str, bytes]:
        item = await self._queue.get()
        if isinstance(item, _End):
            if item.error is not None:
                raise item.error
            raise StopAsyncIteration
        return item

    async def close(self) -> None:
        """Stop reading (the stream is done with the socket), and let the reader end."""
        self._reader.cancel()
        await asyncio.gather(self._reader, return_exceptions=True)
