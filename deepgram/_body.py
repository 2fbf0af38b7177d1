"""Request bodies: sent in chunks with constant memory, rewound for a retry, reported as they go.

A body is bytes (JSON included), a binary file, or an iterable of bytes (an async iterable too,
on the async path). Files are rewound to where they started before a retry; iterables cannot
be sent twice, so a call with one is never retried.
"""

import os
from typing import Any, AsyncIterator, Callable, Iterator, Optional

CHUNK = 256 * 1024
Progress = Optional[Callable[[int, Optional[int]], Any]]


def _is_file(value: Any) -> bool:
    return hasattr(value, "read") and callable(value.read)


def _remaining(file: Any) -> Optional[int]:
    try:
        return os.fstat(file.fileno()).st_size - file.tell()
    except (AttributeError, OSError, ValueError):
        pass
    try:
        here = file.tell()
        end = file.seek(0, os.SEEK_END)
        file.seek(here)
        return end - here
    except (AttributeError, OSError, ValueError):
        return None


class Body:
    """One call's body, prepared once and handed out again for each attempt."""

    def __init__(self, data: Any, progress: Progress = None) -> None:
        self.data = data
        self.progress = progress
        self.start: Optional[int] = None
        self.total: Optional[int] = None
        if data is None:
            self.total = 0
        elif isinstance(data, (bytes, bytearray)):
            self.total = len(data)
        elif _is_file(data):
            try:
                seekable = data.seekable() if hasattr(data, "seekable") else False
                self.start = data.tell() if seekable else None
            except (OSError, ValueError):
                self.start = None
            self.total = _remaining(data) if self.start is not None else None

    @property
    def replayable(self) -> bool:
        """Whether the body can be sent again: bytes always, files only if they can seek."""
        return self.data is None or isinstance(self.data, (bytes, bytearray)) or self.start is not None

    def rewind(self) -> None:
        if self.start is not None:
            self.data.seek(self.start)

    def for_requests(self) -> Any:
        """What to give ``requests``: the data itself, or a reader that reports progress."""
        if self.progress is None or self.data is None:
            return self.data
        if isinstance(self.data, (bytes, bytearray)) or _is_file(self.data):
            return _ProgressReader(self.data, self.total, self.progress)
        return _report(iter(self.data), self.total, self.progress)

    def for_aiohttp(self) -> Any:
        """What to give ``aiohttp``: bytes as they are, anything else as an async stream of
        chunks (aiohttp closes file objects it sends, which would defeat a retry)."""
        if self.data is None or (self.progress is None and isinstance(self.data, (bytes, bytearray))):
            return self.data
        if self.progress is None:
            return _achunks(self.data)
        return _areport(self.data, self.total, self.progress)


class _ProgressReader:
    """A file-like view that reports each chunk read; ``len()`` lets requests set Content-Length."""

    def __init__(self, data: Any, total: Optional[int], progress: Callable[[int, Optional[int]], Any]) -> None:
        self._data, self._total, self._progress, self._sent = data, total, progress, 0
        self._offset = 0

    def __len__(self) -> int:
        return self._total or 0

    def read(self, size: int = -1) -> bytes:
        size = CHUNK if size is None or size < 0 else size
        if isinstance(self._data, (bytes, bytearray)):
            chunk = bytes(self._data[self._offset:self._offset + size])
            self._offset += len(chunk)
        else:
            chunk = self._data.read(size)
        if chunk:
            self._sent += len(chunk)
            self._progress(self._sent, self._total)
        return chunk


def _report(chunks: Iterator[bytes], total: Optional[int], progress: Callable[[int, Optional[int]], Any]) -> Iterator[bytes]:
    sent = 0
    for chunk in chunks:
        sent += len(chunk)
        progress(sent, total)
        yield chunk


async def _areport(data: Any, total: Optional[int], progress: Callable[[int, Optional[int]], Any]) -> AsyncIterator[bytes]:
    sent = 0
    async for chunk in _achunks(data):
        sent += len(chunk)
        progress(sent, total)
        yield chunk


async def _achunks(data: Any) -> AsyncIterator[bytes]:
    import asyncio

    if isinstance(data, (bytes, bytearray)):
        for offset in range(0, len(data), CHUNK):
            yield bytes(data[offset:offset + CHUNK])
    elif _is_file(data):
        loop = asyncio.get_running_loop()
        while True:
            # Disk reads go to a thread, as aiohttp's own file payloads do, to keep the loop free.
            chunk = await loop.run_in_executor(None, data.read, CHUNK)
            if not chunk:
                return
            yield chunk
    elif hasattr(data, "__aiter__"):
        async for chunk in data:
            yield chunk
    else:
        for chunk in data:
            yield chunk
