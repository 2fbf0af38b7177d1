"""Helpers shared by the test modules."""

import asyncio
import selectors


def call(dg, mode, fn):
    """Run ``fn`` on the async client (inside ``asyncio.run``) or on its blocking twin ``dg.sync``."""
    if mode == "async":
        async def main():
            return await fn(dg)
        return asyncio.run(main())
    return fn(dg.sync)


# How long the virtual clock lets real I/O (the emulator, in its own thread) arrive before it decides
# that nothing will and jumps to the loop's next timer. Generous, so a slow CI machine is not taken
# for a silent server; a test pays it once per jump.
QUIET = 0.25


class _JumpingSelector:
    """A selector that, when nothing arrives for ``QUIET`` real seconds, moves its loop's clock on
    by the whole timeout it was given (up to the next timer) instead of sleeping it."""

    def __init__(self, real, clock):
        self._real, self._clock = real, clock

    def select(self, timeout=None):
        if timeout is None or timeout <= 0:
            return self._real.select(timeout)
        events = self._real.select(min(timeout, QUIET))
        if not events:
            self._clock.now += timeout
        return events

    def __getattr__(self, name):
        return getattr(self._real, name)


class VirtualClockLoop(asyncio.SelectorEventLoop):
    """An event loop whose ``time()`` moves only by jumps to its next timer, taken when it has
    nothing to do: deadlines are exact and cost no real time, and real I/O costs no virtual time."""

    def __init__(self):
        self.now = 0.0
        super().__init__(selector=_JumpingSelector(selectors.DefaultSelector(), self))

    def time(self):
        return self.now


def run_on_virtual_clock(coro):
    """``asyncio.run(coro)`` on a ``VirtualClockLoop`` (``asyncio.run`` takes no loop before 3.12)."""
    loop = VirtualClockLoop()
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(coro)
    finally:
        try:
            left = asyncio.all_tasks(loop)
            for task in left:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*left, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
            if hasattr(loop, "shutdown_default_executor"):  # 3.9+
                loop.run_until_complete(loop.shutdown_default_executor())
        finally:
            asyncio.set_event_loop(None)
            loop.close()
