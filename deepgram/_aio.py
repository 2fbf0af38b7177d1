"""The async transport: pooled aiohttp sessions, one per event loop, and error translation.

A session belongs to the loop that made it. Each one is tied to a small async generator that
the loop tracks, so when ``asyncio.run()`` shuts its loop down (``shutdown_asyncgens``), the
session is closed cleanly inside that loop: one client survives any number of
``asyncio.run()`` calls without "Unclosed client session" warnings. Loops closed some other
way have their sessions closed too: a loop left open (as after the 2.x README's
``run_until_complete``) at interpreter exit, inside that loop; a loop closed with
``loop.close()`` alone when the next session is made or at exit, without it (its idle sockets
are then left to the garbage collector, which only ``python -X dev`` reports).
"""

import asyncio
import atexit
import os
import ssl
import weakref
from typing import Any, AsyncIterator, Callable, Dict, List, Mapping, Tuple

# This module is imported with the first async call, not with the SDK.
import aiohttp
import multidict
import yarl

from ._aio_upload import payload
from ._body import Body
from ._config import Config
from ._redact import MASK, keep_cause, redact_url, secrets_of
from ._settings import Timeout
from ._wire import Request, build_headers, build_url, reason_phrase
from .errors import DeepgramConnectionError, DeepgramTimeoutError

RawResponse = Tuple[int, Mapping[str, str], bytes]


async def _keeper(session: Any) -> AsyncIterator[None]:
    try:
        yield
    finally:
        if not session.closed:
            try:
                asyncio.get_running_loop()
            except RuntimeError:  # driven by _close_outside_loop: no loop to await in
                _close_now(session)
            else:
                await session.close()


def _close_now(session: Any) -> None:
    """Close a session's connections without its loop (which is closed or not running)."""
    connector = session.connector
    if connector is not None and not connector.closed:
        connector._close()  # the synchronous part of close(): drops every transport
    session.detach()  # marks the session closed, so it does not warn when collected


def _close_outside_loop(keeper: Any) -> None:
    """Run a keeper's cleanup synchronously (its ``finally`` never awaits outside a loop)."""
    closing = keeper.aclose()
    try:
        closing.send(None)
    except StopIteration:
        pass
    except RuntimeError:  # already running or closed: nothing left to do
        closing.close()


_TRANSPORTS: "weakref.WeakSet[AsyncTransport]" = weakref.WeakSet()


@atexit.register
def _close_at_exit() -> None:
    for transport in list(_TRANSPORTS):
        for loop, (_, keeper) in list(transport._pools.items()):
            if loop.is_closed():
                _close_outside_loop(keeper)
            elif not loop.is_running():
                # A loop left open (the 2.x README's run_until_complete): close inside it.
                loop.run_until_complete(keeper.aclose())


# A child made by fork() inherits the parent's pooled sessions, whose sockets the parent still
# uses. The child forgets them (it makes its own on first use) and never closes them: closing
# an asyncio transport would shut a TLS session down under the parent. They are kept referenced
# here so that no garbage collection in the child finalizes them either.
_INHERITED: List[Any] = []


def _forget_in_child() -> None:
    for transport in list(_TRANSPORTS):
        _INHERITED.append(dict(transport._pools))
        transport._pools = weakref.WeakKeyDictionary()
        transport._last = None
        transport._prepared = (None, None, None, None, None)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)


class AsyncTransport:
    """Moves one request's bytes with aiohttp; no retries or parsing here."""

    def __init__(self, session: Any = None) -> None:
        self._injected = session
        self._pools: weakref.WeakKeyDictionary[Any, Tuple[Any, Any]] = weakref.WeakKeyDictionary()
        self._ssl: Dict[Any, Any] = {}
        self._timeouts: Dict[Timeout, Any] = {}
        self._last: Any = None  # (loop, session) of the latest call: skips the weak-dict lookup
        # (config, session, timeout, aiohttp options, headers) of the latest call (see send)
        self._prepared: Tuple[Any, ...] = (None, None, None, None, None)
        _TRANSPORTS.add(self)

    def _current(self) -> Any:
        """The running loop's open session, or None (the fast path of every call)."""
        if self._injected is not None:
            return self._injected
        loop = asyncio.get_running_loop()
        last = self._last
        if last is not None and last[0] is loop and not last[1].closed:
            return last[1]
        pooled = self._pools.get(loop)
        if pooled is not None and not pooled[0].closed:
            self._last = (loop, pooled[0])
            return pooled[0]
        return None

    async def _new_session(self) -> Any:
        loop = asyncio.get_running_loop()
        for stale, (_, old) in list(self._pools.items()):
            if stale.is_closed():
                del self._pools[stale]
                _close_outside_loop(old)
        # trust_env would re-read the proxy variables and ~/.netrc on every request (a third of
        # a small request's CPU); the proxy variables are read once per session instead.
        session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100))
        keeper = _keeper(session)
        await keeper.__anext__()  # now the loop tracks it and will close it at shutdown
        self._pools[loop] = (session, keeper)
        self._env_proxies = _environment_proxies()
        self._last = (loop, session)
        return session

    async def aclose(self) -> None:
        """Close the session of the running loop (the others close with their loops)."""
        pooled = self._pools.pop(asyncio.get_running_loop(), None)
        self._last = None
        if pooled is not None:
            await pooled[1].aclose()

    def _timeout_for(self, timeout: Timeout) -> Any:
        found = self._timeouts.get(timeout)
        if found is None:
            found = self._timeouts[timeout] = aiohttp.ClientTimeout(
                total=timeout.total, sock_connect=timeout.connect, sock_read=timeout.read)
        return found

    def _env_proxy(self, url: str) -> Any:
        """The proxy the environment (HTTP_PROXY, HTTPS_PROXY, NO_PROXY) names for ``url``."""
        proxies = getattr(self, "_env_proxies", None)
        if not proxies:
            return None
        import urllib.request
        from urllib.parse import urlsplit

        # Undocumented (typeshed omits it) but what urllib itself uses to apply NO_PROXY.
        bypass: Callable[[str, Mapping[str, str]], bool] = vars(urllib.request)["proxy_bypass_environment"]
        parts = urlsplit(url)
        if bypass(parts.hostname or "", proxies):
            return None
        return proxies.get(parts.scheme)

    def _ssl_for(self, verify: Any) -> Any:
        key = verify if isinstance(verify, (bool, str, type(None))) else id(verify)
        if key not in self._ssl:
            self._ssl[key] = _ssl_option(verify)
        return self._ssl[key]

    def _options(self, config: Config, timeout: Timeout) -> Dict[str, Any]:
        """aiohttp's keyword arguments for a call: its timeout, TLS and proxy."""
        options: Dict[str, Any] = {"timeout": self._timeout_for(timeout)}
        ssl_option = self._ssl_for(config.verify)
        if ssl_option is not None:
            options["ssl"] = ssl_option
        proxy = config.proxy or self._env_proxy(config.api_url)
        if proxy:
            options["proxy"] = proxy
        return options

    async def send(self, config: Config, request: Request, body: Body) -> RawResponse:
        timeout = request.timeout or config.timeout
        # Every body goes through our payload: it times each write and knows when it is all out.
        upload = None if body.data is None else payload(body, timeout.read)
        session = self._current() or await self._new_session()
        # The options and headers of a client's calls are the same each time: made once per
        # client settings and session (whose proxy variables they read), then reused.
        prepared = self._prepared
        if prepared[0] is not config or prepared[1] is not session or prepared[2] is not timeout:
            # Read-only and already case-insensitive, the headers skip aiohttp's copy into a CIMultiDict.
            prepared = self._prepared = (config, session, timeout, self._options(config, timeout),
                                         _headers(build_headers(config, None)))
        headers = prepared[4] if request.content_type is None else build_headers(config, request)
        try:
            response = await session.request(request.method, build_url(config, request),
                                              headers=headers, data=upload, **prepared[3])
        except (asyncio.TimeoutError, aiohttp.ClientError, OSError, AttributeError, RuntimeError) as exc:
            # aiohttp sometimes trips over a connection dropped while it is still sending
            # (seen: AttributeError from deep in client_reqrep); it is the same failure.
            failure = _before_response(request, body, upload, timeout, exc, secrets_of(config))
        else:
            try:
                if request.sink is None:  # the common case, without a call
                    return response.status, response.headers, await response.read()
                return await _read(response, request)
            except (asyncio.TimeoutError, aiohttp.ClientError, OSError) as exc:
                # Once the answer has started, the server has acted: whatever breaks is final.
                failure = _while_reading(request, timeout, exc, secrets_of(config))
            finally:
                response.release()
        raise failure  # outside the except blocks, so the library's exception is no __context__

    def library_error(self, config: Config, request: Request, raw: RawResponse) -> Any:
        """An ``aiohttp.ClientResponseError`` for an HTTP error answer (what 2.x kept), made
        with the request's headers redacted, since its repr shows them."""
        status, headers, _ = raw
        url = yarl.URL(redact_url(build_url(config, request)), encoded=True)
        info = aiohttp.RequestInfo(url, request.method, _masked(build_headers(config, request)), url)
        reason = getattr(headers, "reason", None) or reason_phrase(status)
        return aiohttp.ClientResponseError(info, (), status=status, message=reason,
                                           headers=_headers(headers))


async def _read(response: Any, request: Request) -> RawResponse:
    if request.sink is not None and response.status < 300 and "json" not in response.content_type:
        async for chunk in response.content.iter_chunked(64 * 1024):
            request.sink.write(chunk)
        return response.status, response.headers, b""
    return response.status, response.headers, await response.read()  # case-insensitive already


def _before_response(request: Request, body: Body, upload: Any, timeout: Timeout,
                     exc: BaseException, secrets: Tuple[str, ...]) -> DeepgramConnectionError:
    """The error for a failure before any answer: where it happened decides the phase."""
    if upload is not None and upload.stalled:
        return _timed_out(request, "write", exc, secrets)
    if isinstance(exc, asyncio.TimeoutError):
        return _timed_out(request, _timeout_phase(exc, timeout), exc, secrets)
    if isinstance(exc, (aiohttp.ClientConnectorCertificateError, aiohttp.ClientSSLError)):
        phase, what = "tls", "TLS handshake failed"
    elif isinstance(exc, aiohttp.ClientConnectorError):
        phase, what = "connect", "Could not connect"
    elif isinstance(exc, aiohttp.ClientResponseError):  # a redirect loop, a proxy's refusal
        phase, what = "read", "The answer could not be used"
    elif not body.complete:
        phase, what = "write", "The connection was dropped while sending"
    else:
        phase, what = "wait", "The connection was dropped after the request was sent, before any answer"
    return _dropped(request, phase, what, exc, secrets)


def _while_reading(request: Request, timeout: Timeout, exc: BaseException,
                   secrets: Tuple[str, ...]) -> DeepgramConnectionError:
    if isinstance(exc, asyncio.TimeoutError):
        phase = "read" if isinstance(exc, aiohttp.ServerTimeoutError) or not timeout.total else "total"
        return _timed_out(request, phase, exc, secrets)
    return _dropped(request, "read", "The answer broke off", exc, secrets)


def _timed_out(request: Request, phase: str, exc: BaseException, secrets: Tuple[str, ...]) -> DeepgramConnectionError:
    error: DeepgramConnectionError = DeepgramTimeoutError(
        f"{request.method} {request.path} timed out ({phase})", phase=phase)
    return keep_cause(error, exc, secrets)


def _dropped(request: Request, phase: str, what: str, exc: BaseException,
             secrets: Tuple[str, ...]) -> DeepgramConnectionError:
    # A redirect loop's error shows the request headers: keep a copy without them.
    safe = _redacted_response_error(exc) if isinstance(exc, aiohttp.ClientResponseError) else None
    return DeepgramConnectionError.during(phase, what, request.method, request.path, exc, secrets, safe)


def _redacted_response_error(exc: Any) -> Any:
    """``exc`` rebuilt without the request headers (and responses) whose repr shows the key."""
    info = exc.request_info
    clean = aiohttp.RequestInfo(info.url, info.method, _masked(info.headers), info.real_url)
    return type(exc)(clean, (), status=exc.status, message=exc.message, headers=exc.headers)


def _masked(headers: Mapping[str, str]) -> Any:
    """The headers with credentials masked, keeping their scheme ("Token ***")."""

    def mask(value: str) -> str:
        scheme, space, _ = value.partition(" ")
        return f"{scheme} {MASK}" if space else MASK

    return _headers([(k, mask(v) if k.lower() in ("authorization", "proxy-authorization") else v)
                     for k, v in headers.items()])


def _headers(headers: Any) -> Any:
    """The read-only case-insensitive mapping aiohttp's error objects hold (from a mapping or
    from pairs, so repeated names survive)."""
    return multidict.CIMultiDictProxy(multidict.CIMultiDict(headers))


def _environment_proxies() -> Dict[str, str]:
    from urllib.request import getproxies_environment

    return {k: v for k, v in getproxies_environment().items() if k in ("http", "https", "no")}


def _ssl_option(verify: Any) -> Any:
    """aiohttp's ``ssl=``: None for the default verification, False, or an SSLContext."""
    if verify is True or verify is None:
        return None
    if verify is False:
        return False
    if isinstance(verify, ssl.SSLContext):
        return verify
    return ssl.create_default_context(cafile=str(verify))


def _timeout_phase(exc: BaseException, timeout: Timeout) -> str:
    connect_error = getattr(aiohttp, "ConnectionTimeoutError", None)
    if connect_error is not None and isinstance(exc, connect_error):
        return "connect"
    if isinstance(exc, aiohttp.ServerTimeoutError):
        return "connect" if "onnection timeout" in str(exc) else "read"
    return "total" if timeout.total else "read"
