"""Blocking waits on the SDK's worker threads still let the main thread run Python's signal handlers.

A signal whose C-level handler runs on another thread (as when the kernel hands a process-wide
SIGINT to a worker, or when it lands just before the main thread sleeps on a lock) does not wake
the main thread. ``pthread_kill`` makes that happen on purpose: the worker signals itself, then
waits until the main thread's Python handler has run, which it can only do if the main thread's
wait wakes up on its own.
"""

import concurrent.futures
import signal
import sys
import threading
import time

import pytest

from deepgram._batch import SyncBatch

posix_only = pytest.mark.skipif(not hasattr(signal, "pthread_kill"), reason="POSIX threads and signals")

SAFETY_SECONDS = 20.0  # only ends a failing test; a passing one takes a tenth of a second


@pytest.fixture
def handled():
    """An event set by a SIGUSR1 handler, which Python runs in the main thread only."""
    event = threading.Event()
    previous = signal.signal(signal.SIGUSR1, lambda signum, frame: event.set())
    yield event
    signal.signal(signal.SIGUSR1, previous)


def main_thread_asleep_on_a_future():
    """Whether the main thread is blocked on a lock inside ``concurrent.futures`` (a result, a wait)."""
    frame = sys._current_frames().get(threading.main_thread().ident)
    if frame is None or frame.f_code.co_filename != threading.__file__:
        return False
    while frame is not None and frame.f_code.co_filename == threading.__file__:
        frame = frame.f_back
    return frame is not None and frame.f_code.co_filename == concurrent.futures._base.__file__


def signal_this_thread_and_wait(handled):
    assert threading.current_thread() is not threading.main_thread()
    while not main_thread_asleep_on_a_future():  # else it would see the signal between two bytecodes
        time.sleep(0.001)
    signal.pthread_kill(threading.get_ident(), signal.SIGUSR1)  # its C handler runs here, not in main
    return handled.wait(SAFETY_SECONDS)


@posix_only
def test_a_blocking_batch_lets_the_main_thread_handle_a_signal_while_it_waits(handled):
    with SyncBatch(["one"], lambda source: signal_this_thread_and_wait(handled), concurrency=1) as batch:
        items = list(batch)
    assert [(item.result, item.error) for item in items] == [(True, None)]


@posix_only
def test_a_blocking_live_stream_lets_the_main_thread_handle_a_signal_while_it_waits(fake, dg, handled):
    answers = []
    with dg.sync.transcription.live() as live:
        live.register_handler(live.event.CLOSE, lambda code: answers.append(signal_this_thread_and_wait(handled)))
        live.send(b"\0" * 3200)
    assert answers == [True]  # the main thread was in finish() when the handler signalled


class CountingFuture(concurrent.futures.Future):
    def __init__(self):
        super().__init__()
        self.asked = 0

    def result(self, timeout=None):
        self.asked += 1
        return super().result(timeout)


def test_a_call_that_raises_a_timeout_of_its_own_is_reported_at_once_not_waited_on():
    from deepgram._threads import result_of

    own = TimeoutError("the handshake timed out")  # what a stream's connect may raise
    future = CountingFuture()
    future.set_exception(own)
    with pytest.raises(TimeoutError) as caught:
        result_of(future, timeout=0.5)
    # Asked once (before 3.11 a builtin TimeoutError is not the futures' one), or once in the
    # slice and once for the outcome; never again and again until the deadline.
    assert caught.value is own and future.asked <= 2
