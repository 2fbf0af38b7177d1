"""Request bodies: sent in chunks with constant memory, rewound for a retry, reported as they go.

A body is bytes (JSON included), a binary file, a path (opened here and closed when the call
ends), or an iterable of bytes (an async iterable too, on the async path). Files are rewound to
where they started before a retry; iterables cannot be sent twice, so a call with one is never
retried.

The body also tells the retry policy how far an attempt got: ``complete`` turns true once the
transport has taken the last byte, so a connection lost after that (Deepgram may be working on
the request) is told apart from one lost during the upload (nothing was acted on).
"""

import os
from typing import Any, AsyncGenerator, AsyncIterator, Callable, Iterator, Optional

from .errors import DeepgramSetupError

CHUNK = 256 * 1024
Progress = Optional[Callable[[int, Optional[int]], Any]]


def _is_file(value: Any) -> bool:
    return hasattr(value, "read") and callable(value.read)


def _remaining(file: Any) -> Optional[int]:
    try:
        return int(os.fstat(file.fileno()).st_size - file.tell())
    except (AttributeError, OSError, ValueError):
        pass
    try:
        here = file.tell()
        end = file.seek(0, os.SEEK_END)
        file.seek(here)
        return int(end - here)
    except (AttributeError, OSError, ValueError):
        return None


def _open(path: "os.PathLike[str]") -> Any:
    try:
        return open(path, "rb")
    except OSError as exc:
        raise DeepgramSetupError(
            f"Cannot open the audio file {os.fspath(path)!r}: {exc.strerror or exc}. "
            "Check the path (it is relative to the current directory)."
        ) from None


class Body:
    """One call's body, prepared once and handed out again for each attempt."""

    def __init__(self, data: Any, progress: Progress = None) -> None:
        self._owned = data is not None and isinstance(data, os.PathLike)  # an ABC check: skipped when bodiless
        self.data = _open(data) if self._owned else data
        self.progress = progress
        self.start: Optional[int] = None
        self.total: Optional[int] = None
        self.complete = self.data is None  # the transport has taken every byte of this attempt
        data = self.data
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
        """Prepare the body for another attempt."""
        if self.start is not None:
            self.data.seek(self.start)
        self.complete = self.data is None

    def close(self) -> None:
        """Close the file this body opened itself (a path source); the caller's files stay open."""
        if self._owned:
            self.data.close()

    def for_requests(self) -> Any:
        """What to give ``requests``: a reader (with a length) or, when the size is unknown, an
        iterator of chunks (sent chunked). Either marks the body complete at its end."""
        if self.data is None:
            return None
        if self.total is not None:
            return _Reader(self)
        return _Stream(self)

    def _chunks(self) -> Iterator[bytes]:
        data, sent = self.data, 0
        chunks = iter(lambda: data.read(CHUNK), b"") if _is_file(data) else iter(data)
        for chunk in chunks:
            sent += len(chunk)
            if self.progress is not None:
                self.progress(sent, self.total)
            yield chunk
        self.complete = True

    async def achunks(self) -> AsyncGenerator[bytes, None]:
        """The body as an async stream of chunks (disk reads in a thread), marked complete at
        its end; aiohttp is given this rather than a file, which it would close."""
        sent = 0
        async for chunk in _achunks(self.data):
            sent += len(chunk)
            if self.progress is not None:
                self.progress(sent, self.total)
            yield chunk
        self.complete = True


class _Stream:
    """A body of unknown size for requests, which sends an iterable chunked."""

    write_timeout: Optional[float] = None  # the bound of each write (see ``_sync_adapter``)

    def __init__(self, body: Body) -> None:
        self._body = body

    def __iter__(self) -> Iterator[bytes]:
        return self._body._chunks()


class _Reader:
    """A file-like view of a body of known size for requests: ``len()`` gives Content-Length,
    each chunk read is reported, and the empty read that ends the upload marks it complete
    (http.client and urllib3 only ask again once the previous chunk was written)."""

    write_timeout: Optional[float] = None  # the bound of each write (see ``_sync_adapter``)

    def __init__(self, body: Body) -> None:
        self._body = body
        self._data = body.data
        self._sent = 0

    def __len__(self) -> int:
        return self._body.total or 0

    def read(self, size: int = -1) -> bytes:
        # http.client and urllib3 ask for 8 or 16 KiB at a time and send whatever they get: a
        # CHUNK each time costs one system call where their size would cost sixteen.
        size = CHUNK if size is None or size < CHUNK else size
        if isinstance(self._data, (bytes, bytearray)):
            chunk = bytes(self._data[self._sent:self._sent + size])
        else:
            chunk = self._data.read(size)
        if not chunk:
            self._body.complete = True
            return b""
        self._sent += len(chunk)
        if self._body.progress is not None:
            self._body.progress(self._sent, self._body.total)
        return chunk


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
