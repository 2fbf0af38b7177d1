"""Many pre-recorded transcriptions at once: ``dg.transcription.batch(sources, concurrency=N)``.

Results come back in completion order, one ``BatchItem`` per source, a failed source as an item
holding its error: one bad file never ends a batch of a million. Sources are read lazily, so a
generator of paths works at any size, and at most ``concurrency`` requests are in flight.
The async form runs them as tasks on the caller's loop; the blocking form on a thread pool
(each thread keeps its own pooled connection). Either way, every request is the ordinary
``prerecorded`` call: retries, timeouts and warnings as for one.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
from pathlib import Path
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterable,
    Awaitable,
    Callable,
    Dict,
    Generic,
    Iterable,
    Iterator,
    List,
    NamedTuple,
    Optional,
    Set,
    TypeVar,
    Union,
)

from ._threads import first_done
from .errors import DeepgramSetupError

if TYPE_CHECKING:
    from types import TracebackType
    from typing import Type

    from .types import PrerecordedResponse

__all__ = ["AsyncBatch", "BatchItem", "SyncBatch", "batch_source", "check_concurrency"]

R = TypeVar("R")
Source = Any  # what prerecorded() takes, a path string included


class BatchItem(NamedTuple):
    """One source's outcome: its result, or the error it ended with (never both)."""

    position: int  # where the source came among the sources given (from 0)
    source: Any  # the source as given
    result: Optional[PrerecordedResponse]
    error: Optional[BaseException]

    @property
    def ok(self) -> bool:
        """Whether the source was transcribed."""
        return self.error is None


def batch_source(source: Source) -> Any:
    """What ``prerecorded`` is given for a batch source: a string that is not a URL is a path."""
    if isinstance(source, str) and not source.startswith(("http://", "https://")):
        return Path(source)
    return source


def check_concurrency(concurrency: Any) -> int:
    """The number of requests in flight at once (``DeepgramSetupError`` unless a positive int)."""
    if not isinstance(concurrency, int) or isinstance(concurrency, bool) or concurrency < 1:
        raise DeepgramSetupError(f"concurrency must be a whole number of requests, 1 or more, got {concurrency!r}.")
    return concurrency


class AsyncBatch(Generic[R]):
    """``async for item in dg.transcription.batch(...)``; ``async with`` cancels what is left on exit."""

    def __init__(self, sources: Union[Iterable[Source], AsyncIterable[Source]],
                 call: Callable[[Any], Awaitable[R]], concurrency: int) -> None:
        self._sources: Any = sources
        self._call, self._limit = call, concurrency
        self._iterator: Any = None
        self._async_sources = False  # whether the sources are an async iterable (known on first use)
        self._index = 0
        self._exhausted = False
        self._running: Set[asyncio.Future[BatchItem]] = set()
        self._ready: List[BatchItem] = []

    def __aiter__(self) -> AsyncBatch[R]:
        return self

    async def __anext__(self) -> BatchItem:
        while not self._ready:
            await self._fill()
            if not self._running:
                raise StopAsyncIteration
            done, _ = await asyncio.wait(self._running, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                self._running.discard(task)
                self._ready.append(task.result())
        return self._ready.pop(0)

    async def _fill(self) -> None:
        """Start sources until ``concurrency`` are in flight or none are left."""
        if self._iterator is None:
            aiter_ = getattr(self._sources, "__aiter__", None)
            self._iterator = aiter_() if aiter_ is not None else iter(self._sources)
            self._async_sources = aiter_ is not None
        while not self._exhausted and len(self._running) < self._limit:
            try:
                if self._async_sources:
                    source = await self._iterator.__anext__()
                else:
                    source = next(self._iterator)
            except (StopIteration, StopAsyncIteration):
                self._exhausted = True
                return
            self._running.add(asyncio.ensure_future(self._one(self._index, source)))
            self._index += 1

    async def _one(self, index: int, source: Source) -> BatchItem:
        try:
            result: Any = await self._call(batch_source(source))
        except Exception as exc:  # one source's failure is its item, never the batch's
            return BatchItem(index, source, None, exc)
        return BatchItem(index, source, result, None)

    async def aclose(self) -> None:
        """Cancel the requests still in flight and start no more."""
        self._exhausted = True
        for task in self._running:
            task.cancel()
        if self._running:
            await asyncio.wait(self._running)
        self._running.clear()

    async def __aenter__(self) -> AsyncBatch[R]:
        return self

    async def __aexit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException] = None,
                        traceback: Optional[TracebackType] = None) -> None:
        await self.aclose()


class SyncBatch(Generic[R]):
    """``for item in dg.sync.transcription.batch(...)``; ``with`` (or ``close()``) cancels what is left."""

    def __init__(self, sources: Iterable[Source], call: Callable[[Any], R], concurrency: int) -> None:
        self._sources = iter(sources)
        self._call, self._limit = call, concurrency
        self._index = 0
        self._exhausted = False
        self._pool: Optional[concurrent.futures.ThreadPoolExecutor] = None
        self._running: Dict[concurrent.futures.Future[BatchItem], int] = {}
        self._ready: List[BatchItem] = []
        self._owner = os.getpid()

    def __iter__(self) -> Iterator[BatchItem]:
        return self

    def __next__(self) -> BatchItem:
        while not self._ready:
            self._fill()
            if not self._running:
                self.close()
                raise StopIteration
            done = first_done(self._running.keys())
            for future in done:
                del self._running[future]
                self._ready.append(future.result())
        return self._ready.pop(0)

    def _fill(self) -> None:
        if self._pool is None:
            self._pool = concurrent.futures.ThreadPoolExecutor(self._limit, thread_name_prefix="deepgram-batch")
        while not self._exhausted and len(self._running) < self._limit:
            try:
                source = next(self._sources)
            except StopIteration:
                self._exhausted = True
                return
            self._running[self._pool.submit(self._one, self._index, source)] = self._index
            self._index += 1

    def _one(self, index: int, source: Source) -> BatchItem:
        try:
            result: Any = self._call(batch_source(source))
        except Exception as exc:  # one source's failure is its item, never the batch's
            return BatchItem(index, source, None, exc)
        return BatchItem(index, source, result, None)

    def close(self) -> None:
        """Cancel the requests not started, wait for those in flight, and free the threads."""
        self._exhausted = True
        for future in self._running:
            future.cancel()
        if self._pool is not None and os.getpid() == self._owner:
            self._pool.shutdown(wait=True)
        self._pool = None
        self._running.clear()

    def __enter__(self) -> SyncBatch[R]:
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException] = None,
                 traceback: Optional[TracebackType] = None) -> None:
        self.close()
