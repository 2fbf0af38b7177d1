"""The handlers of a live stream: registering them, and calling them in message order.

``LiveTranscription`` inherits this half: the attributes declared below are set in its
``__init__`` and ``__call__``. A handler that raises fires ERROR (an ERROR handler that raises
is logged, so one bad handler cannot loop); what a handler returns is awaited when awaitable.
"""

from __future__ import annotations

import asyncio
import collections.abc
import logging
from enum import Enum
from typing import (
    Any,
    Awaitable,
    Callable,
    ClassVar,
    Coroutine,
    List,
    Optional,
    Set,
    Tuple,
    Type,
    Union,
    cast,
)

from ._live_messages import LiveError, normalize_event
from ._warn import warn
from ._ws_session import Session, State
from .errors import DeepgramSetupError

log = logging.getLogger("deepgram")
_ENDING = frozenset({"ERROR", "CLOSE"})  # events that never wait for a late handler's catching up

#: A handler: called with the event's argument (a message dict; the stream for OPEN, the close
#: code for CLOSE, a ``LiveError`` for ERROR); what it returns is awaited when awaitable.
Handler = Callable[[Any], Optional[Awaitable[object]]]
EventName = Union[Enum, str]  # a member of the stream's event enum, or its value ("close")


class LiveHandlers:
    """Handler registration and dispatch, mixed into ``LiveTranscription``."""

    Event: ClassVar[Type[Enum]]
    handlers: List[Tuple[Enum, Handler]]
    _session: Session
    _loop: Optional[asyncio.AbstractEventLoop]
    _handler_tasks: Set[asyncio.Task[None]]
    # The events fired so far, kept for the blocking twin's handlers until its first call that is
    # not a registration (None: not kept). Its stream runs on another thread and may fire before
    # the caller registered; a handler registered through it gets what it missed, once.
    _early: Optional[List[Tuple[Enum, Any]]] = None
    _EARLY_LIMIT = 1000
    _replaying: Optional[asyncio.Task[None]] = None  # the latest replay to late handlers, not yet done

    def register_handler(self, event_type: EventName, handler: Handler) -> None:
        """Call ``handler`` on each ``event_type`` event (async handlers are awaited in order)."""
        try:
            event = normalize_event(event_type, self.Event)
        except ValueError as exc:
            raise DeepgramSetupError(str(exc)) from None
        _check_callable(handler)
        self.handlers.append((event, handler))
        if event is self.Event["OPEN"] and self._session.state in (State.OPEN, State.CLOSING) and self._loop:
            # OPEN already happened: a handler registered just after live() returned still gets it.
            self._loop.call_soon_threadsafe(self._late_open, handler)

    def deregister_handler(self, event_type: EventName, handler: Handler) -> None:
        """Stop calling ``handler``; raises ``ValueError`` if it was not registered."""
        event: object
        try:
            event = normalize_event(event_type, self.Event)
        except ValueError:
            event = event_type
        # remove() compares by equality: an unknown event is simply not found (ValueError).
        cast("List[object]", self.handlers).remove((event, handler))

    def registerHandler(self, event_type: EventName, handler: Handler) -> None:
        """Deprecated alias of ``register_handler``."""
        warn("registerHandler is deprecated and will be removed; use register_handler.", DeprecationWarning)
        self.register_handler(event_type, handler)

    def deregisterHandler(self, event_type: EventName, handler: Handler) -> None:
        """Deprecated alias of ``deregister_handler``."""
        warn("deregisterHandler is deprecated and will be removed; use deregister_handler.", DeprecationWarning)
        self.deregister_handler(event_type, handler)

    def _late_open(self, handler: Handler) -> None:
        try:
            result = handler(self)
        except Exception as exc:
            self._track(self._fire_error(LiveError(f"OPEN handler raised {exc!r}", "handler", exception=exc)))
            return
        if isinstance(result, collections.abc.Awaitable):
            self._track(self._await_handler(self.Event["OPEN"], result))

    def _track(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        """Run ``coro`` as a handler task: finish() waits for it up to its deadline, then cancels it."""
        assert self._loop is not None
        task = self._loop.create_task(coro)
        self._handler_tasks.add(task)
        task.add_done_callback(self._handler_tasks.discard)
        return task

    async def _await_handler(self, event: Enum, pending: Awaitable[object]) -> None:
        try:
            await pending
        except Exception as exc:
            if event.name != "ERROR":
                await self._fire_error(LiveError(f"{event.name} handler raised {exc!r}", "handler", exception=exc))
            else:
                log.exception("live: an ERROR handler raised")

    async def _fire(self, event: Enum, argument: Any) -> None:
        replaying = self._replaying
        if replaying is not None and event.name not in _ENDING and replaying is not asyncio.current_task():
            # A late handler gets what it missed before anything newer (wait, do not inherit its outcome);
            # the stream's end is reported at once, as a stuck handler must not hold CLOSE back.
            await asyncio.wait([replaying])
            if self._replaying is replaying:
                self._replaying = None
        early = self._early
        if early is not None and event.name != "OPEN":  # OPEN has its own replay (_late_open)
            early.append((event, argument))
            if len(early) >= self._EARLY_LIMIT:
                self._early = None
        for registered, handler in list(self.handlers):
            if registered is event:
                await self._call_handler(event, handler, argument)

    async def _call_handler(self, event: Enum, handler: Handler, argument: Any) -> None:
        try:
            result = handler(argument)
        except Exception as exc:
            if event.name == "ERROR":
                log.exception("live: an ERROR handler raised")
            else:
                await self._fire_error(LiveError(f"{event.name} handler raised {exc!r}", "handler", exception=exc))
            return
        # None first: the usual answer of a plain handler, without the costlier abstract check.
        if result is not None and isinstance(result, collections.abc.Awaitable):
            await self._await_handler(event, result)

    async def _register_and_replay(self, event_type: EventName, handler: Handler) -> None:
        """Register on the stream's own loop, and start replaying what the handler missed: nothing
        is fired between the two, and the next event waits for the replay, so every event reaches it
        exactly once and in order. The caller does not wait for the handler (it may never return)."""
        self.register_handler(event_type, handler)
        event = self.handlers[-1][0]
        missed = [argument for fired, argument in self._early or () if fired is event]
        if missed:
            self._replaying = self._track(self._catch_up(self._replaying, event, handler, missed))

    async def _catch_up(self, previous: Optional[asyncio.Task[None]], event: Enum, handler: Handler,
                      missed: List[Any]) -> None:
        if previous is not None:
            await asyncio.wait([previous])  # an earlier registration's replay goes first
        for argument in missed:
            await self._call_handler(event, handler, argument)

    async def _fire_error(self, error: LiveError) -> None:
        log.warning("live: %s", error)
        await self._fire(self.Event["ERROR"], error)


def _check_callable(handler: object) -> None:
    """Raise unless ``handler`` can be called (checked at run time for untyped callers)."""
    if not callable(handler):
        raise DeepgramSetupError(f"handler must be callable, not {type(handler).__name__}.")
