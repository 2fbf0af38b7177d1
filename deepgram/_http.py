"""The two senders: drive a transport through the attempts of one call, then parse the answer.

The async and the blocking sender are the only code written twice (one awaits, one blocks);
the retry decisions (``_retry``), the bodies (``_body``) and the parsing (``_wire``) are shared.
Transports are created on first use, so ``import deepgram`` never loads aiohttp or requests.
"""

import time
from typing import Any, Mapping, Optional, Tuple, TypeVar

from ._body import Body
from ._config import Config
from ._retry import Attempts, RetryBudget, may_resend_unanswered
from ._wire import Request, audio_result, json_body, parse_response
from .errors import DeepgramConnectionError

_LOG: Any = None
S = TypeVar("S", bound="_Sender")
RawResponse = Tuple[int, Mapping[str, str], bytes]


# A request without a body shares this one: it has nothing to rewind, close or count.
_NO_BODY = Body(None)


async def wait_to_retry(seconds: float) -> None:
    """Wait before an async call's next attempt (tests replace it to record the waits)."""
    import asyncio

    await asyncio.sleep(seconds)


def block_to_retry(seconds: float) -> None:
    """Wait before a blocking call's next attempt (tests replace it to record the waits)."""
    time.sleep(seconds)


def _body(request: Request, config: Config) -> Body:
    data = json_body(request) if request.json is not None else request.body
    return Body(data, config.on_progress)


def _logger() -> Any:
    global _LOG
    if _LOG is None:
        import logging  # lazily: logging costs ~5 ms of import time

        _LOG = logging.getLogger("deepgram")
    return _LOG


def _log_attempt(request: Request, attempt: int, started: float, raw: Optional[RawResponse],
                 error: Optional[BaseException], delay: Optional[float]) -> None:
    outcome = f"{raw[0]}" if raw is not None else f"{type(error).__name__}"
    request_id = raw[1].get("dg-request-id") if raw is not None else None
    _logger().debug("%s %s -> %s in %.3fs (attempt %d, request id %s)%s", request.method, request.path,
                    outcome, time.monotonic() - started, attempt, request_id,
                    f"; retrying in {delay:.2f}s" if delay is not None else "")


def _is_json(headers: Mapping[str, str]) -> bool:
    return "json" in (headers.get("content-type") or "")


class _Sender:
    """What both senders share: the client's config, its retry budget, and the transport."""

    def __init__(self, config: Config, budget: Optional[RetryBudget] = None, transport: Any = None) -> None:
        self.config = config
        self.budget = budget if budget is not None else RetryBudget()
        self._transport = transport

    @property
    def transport(self) -> Any:
        """The transport, made on first use (each sender knows which)."""
        raise NotImplementedError

    def derive(self: S, config: Config) -> S:
        """A sender with other settings that shares this one's connections and budget."""
        return type(self)(config, self.budget, self.transport)


class _Call:
    """One call: its body, and after each attempt, whether to try again and what to return."""

    __slots__ = ("_attempts", "attempt", "body", "budget", "config", "request")

    def __init__(self, sender: _Sender, request: Request) -> None:
        config = self.config = sender.config
        self.request, self.budget = request, sender.budget
        self.body = _NO_BODY if request.json is None and request.body is None else _body(request, config)
        self.attempt = 0
        self._attempts: Optional[Attempts] = None  # made when an attempt fails: success needs none

    def after(self, started: float, raw: Optional[RawResponse], error: Optional[BaseException]) -> Optional[float]:
        """Seconds to wait before trying again, or None when this attempt is final."""
        self.attempt += 1
        if raw is not None and raw[0] < 400:  # never retried (every RETRY_STATUSES is 408 or more)
            self.budget.refund()
            delay = None
        else:
            attempts = self._attempts
            if attempts is None:
                config, request = self.config, self.request
                resend = may_resend_unanswered(request.method, config.retry_unanswered)
                attempts = self._attempts = Attempts(config.max_retries, self.budget, self.body.replayable,
                                                     resend=resend)
            attempts.attempt = self.attempt
            delay = attempts.delay(error=error) if raw is None else attempts.delay(raw[0], raw[1])
        if (_LOG or _logger()).isEnabledFor(10):  # logging.DEBUG
            _log_attempt(self.request, self.attempt, started, raw, error, delay)
        return delay

    def close(self) -> None:
        """Release what the call holds: the body, and the sink that took an audio answer."""
        if self.body is not _NO_BODY:
            self.body.close()
        if self.request.sink is not None:
            self.request.sink.close()

    def result(self, raw: Optional[RawResponse], error: Optional[BaseException], transport: Any) -> Any:
        if raw is None:
            raise error  # type: ignore[misc]
        config, request = self.config, self.request
        status, headers, body = raw
        if config.on_response is not None:
            config.on_response(status, headers)
        if 200 <= status < 300:
            if request.expect == "audio" and not _is_json(headers):
                return audio_result(status, headers, body, request.sink)
            return parse_response(config, status, headers, body)
        # The library's own error for the answer, as 2.x kept it in http_library_error.
        return parse_response(config, status, headers, body, transport.library_error(config, request, raw))


class AsyncSender(_Sender):
    """Sends a ``Request`` with aiohttp; calling it returns a coroutine."""

    blocking = False

    @property
    def transport(self) -> Any:
        if self._transport is None:
            from ._aio import AsyncTransport

            self._transport = AsyncTransport(self.config.session)
        return self._transport

    async def __call__(self, request: Request) -> Any:
        call, transport = _Call(self, request), self.transport
        send = transport.send
        try:
            while True:
                started, raw, error = time.monotonic(), None, None
                try:
                    raw = await send(self.config, request, call.body)
                except DeepgramConnectionError as exc:
                    error = exc
                delay = call.after(started, raw, error)
                if delay is None:
                    break
                await wait_to_retry(delay)
                call.body.rewind()
        finally:
            call.close()
        return call.result(raw, error, transport)

    async def aclose(self) -> None:
        """Close the pooled connections of the running event loop."""
        if self._transport is not None:
            await self._transport.aclose()


class SyncSender(_Sender):
    """Sends a ``Request`` with requests and returns the result."""

    blocking = True

    @property
    def transport(self) -> Any:
        if self._transport is None:
            from ._sync import SyncTransport

            self._transport = SyncTransport(self.config.sync_session)
        return self._transport

    def __call__(self, request: Request) -> Any:
        call, transport = _Call(self, request), self.transport
        send = transport.send
        try:
            while True:
                started, raw, error = time.monotonic(), None, None
                try:
                    raw = send(self.config, request, call.body)
                except DeepgramConnectionError as exc:
                    error = exc
                delay = call.after(started, raw, error)
                if delay is None:
                    break
                block_to_retry(delay)
                call.body.rewind()
        finally:
            call.close()
        return call.result(raw, error, transport)

    def close(self) -> None:
        """Close every pooled connection."""
        if self._transport is not None:
            self._transport.close()
