"""Waits in the calling thread that still let Python run its signal handlers (Ctrl-C, SIGTERM)."""

import concurrent.futures
import time
from typing import Collection, Optional, Set, TypeVar

T = TypeVar("T")

# Python runs a signal handler in the main thread, between bytecodes. A signal the kernel gives
# another thread, or one that lands just before the main thread sleeps on a lock, does not wake
# it: the handler waits until the lock is released. Waiting in slices bounds that delay.
SLICE_SECONDS = 0.1


def result_of(future: "concurrent.futures.Future[T]", timeout: Optional[float] = None) -> T:
    """``future.result(timeout)``, waking every slice so a signal's handler runs promptly."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        wait = SLICE_SECONDS if deadline is None else min(SLICE_SECONDS, max(0.0, deadline - time.monotonic()))
        try:
            return future.result(wait)
        except concurrent.futures.TimeoutError:
            if future.done():  # the call raised a TimeoutError of its own (or just ended): its outcome
                return future.result()
            if deadline is not None and time.monotonic() >= deadline:
                raise


def first_done(futures: "Collection[concurrent.futures.Future[T]]") -> "Set[concurrent.futures.Future[T]]":
    """The futures done once one is (``concurrent.futures.wait`` with FIRST_COMPLETED), waking every slice."""
    while True:
        done, _ = concurrent.futures.wait(futures, SLICE_SECONDS, concurrent.futures.FIRST_COMPLETED)
        if done:
            return done
