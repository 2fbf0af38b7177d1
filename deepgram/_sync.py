"""The blocking transport: a pooled requests.Session per thread, and error translation.

A thread's session lives as long as the thread: it is held in a thread-local, so when the
thread ends its session and sockets are closed (200 short-lived threads leave nothing open).
``close()`` (or the client being garbage collected) closes the sessions of the living threads.

The answer is read apart from the request (``stream=True``), so a failure is known to come
before any answer (the phase says whether the request went out whole: ``_retry`` decides) or
after the answer started (final).
"""

import os
import threading
import weakref
from typing import Any, Dict, Mapping, Optional, Tuple

from ._body import Body
from ._config import Config
from ._redact import redact_url, secrets_of
from ._sync_adapter import adapter
from ._wire import Request, build_headers, build_url, reason_phrase
from .errors import DeepgramConnectionError, DeepgramSetupError, DeepgramTimeoutError

RawResponse = Tuple[int, Mapping[str, str], bytes]


class _Owned:
    """A thread's session, held by the thread-local alone: when it goes, the session closes."""

    __slots__ = ("__weakref__", "closed", "session")

    def __init__(self, session: Any) -> None:
        self.session = session
        self.closed = False
        weakref.finalize(self, session.close)


def _close_all(owned: "weakref.WeakSet[_Owned]") -> None:
    for holder in list(owned):
        holder.closed = True
        holder.session.close()


def _requests() -> Any:
    """The requests module, typed ``Any``: old releases (2.28) have no type hints, new ones do."""
    import importlib

    return importlib.import_module("requests")


def _keep_authorization(request: Any) -> Any:
    return request


def _is_ssl_context(value: Any) -> bool:
    return hasattr(value, "wrap_socket")


_TRANSPORTS: "weakref.WeakSet[SyncTransport]" = weakref.WeakSet()


def _renew_in_child() -> None:
    """After fork(), the child closes its copies of the parent's pooled connections (closing a
    copy of a socket, TLS or not, sends nothing: the parent's connection goes on) and pools its own."""
    for transport in list(_TRANSPORTS):
        transport._finalizer.detach()
        _close_all(transport._owned)
        transport._start_pool()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_renew_in_child)


class SyncTransport:
    """Moves one request's bytes with requests; no retries or parsing here."""

    def __init__(self, session: Any = None) -> None:
        self._injected = session
        self._start_pool()
        _TRANSPORTS.add(self)

    def _start_pool(self) -> None:
        # One session per thread, each closed when its thread ends or the transport goes.
        self._local = threading.local()
        self._owned: weakref.WeakSet[_Owned] = weakref.WeakSet()
        self._finalizer = weakref.finalize(self, _close_all, self._owned)

    def _session(self, config: Config) -> Any:
        if self._injected is not None:
            return self._injected
        holder = getattr(self._local, "holder", None)
        if holder is None or holder.closed:
            requests = _requests()
            session = requests.Session()
            mounted = adapter(requests, config.verify if _is_ssl_context(config.verify) else None)
            session.mount("https://", mounted)
            session.mount("http://", mounted)
            holder = self._local.holder = _Owned(session)
            self._owned.add(holder)
        return holder.session

    def close(self) -> None:
        """Close every pooled session (later calls open new ones)."""
        _close_all(self._owned)

    def send(self, config: Config, request: Request, body: Body) -> RawResponse:
        requests = _requests()
        timeout = request.timeout or config.timeout
        # An explicit (no-op) auth stops requests from looking up ~/.netrc on every call, which
        # would also replace the Authorization header with the netrc login of that host.
        options: Dict[str, Any] = {"auth": _keep_authorization}
        if config.verify is not None and not _is_ssl_context(config.verify):
            options["verify"] = config.verify if isinstance(config.verify, bool) else str(config.verify)
        if config.proxy:
            options["proxies"] = {"http": config.proxy, "https": config.proxy}
        data = body.for_requests()
        if data is not None:
            data.write_timeout = timeout.read  # our connections bound each write by it
        try:
            response = self._session(config).request(
                request.method, build_url(config, request), headers=build_headers(config, request),
                data=data, timeout=(timeout.connect, timeout.read), stream=True, **options,
            )
        except (requests.exceptions.InvalidURL, requests.exceptions.InvalidHeader) as exc:
            failure: Exception = DeepgramSetupError(f"{request.method} {request.path} cannot be sent: {exc}")
        except (requests.exceptions.RequestException, ValueError, OSError) as exc:
            failure = _before_response(requests, request, body, exc, secrets_of(config))
        else:
            try:
                return _read(response, request)
            except (requests.exceptions.RequestException, OSError) as exc:
                # Once the answer has started, the server has acted: whatever breaks is final.
                cls, what = (DeepgramTimeoutError, "Timed out reading the answer") if _timed_out(exc) \
                    else (DeepgramConnectionError, "The answer broke off")
                failure = _failure(cls, request, "read", what, exc, secrets_of(config))
            finally:
                response.close()
        raise failure  # outside the except blocks, so the library's exception is no __context__

    def library_error(self, config: Config, request: Request, raw: RawResponse) -> Any:
        """A ``urllib.error.HTTPError`` for an HTTP error answer, as 2.x's blocking path raised:
        ``.code``, ``.headers``, and ``.read()`` gives the body."""
        import io
        import urllib.error
        from http.client import HTTPMessage

        status, headers, content = raw
        message = HTTPMessage()
        for name, value in headers.items():
            message[name] = value
        return urllib.error.HTTPError(redact_url(build_url(config, request)), status,
                                      reason_phrase(status), message, io.BytesIO(content))


def _read(response: Any, request: Request) -> RawResponse:
    if request.sink is not None and response.status_code < 300 and \
            "json" not in response.headers.get("content-type", ""):
        for chunk in response.iter_content(64 * 1024):
            request.sink.write(chunk)
        return response.status_code, response.headers, b""
    return response.status_code, response.headers, response.content  # case-insensitive already


def _chain(exc: Optional[BaseException]) -> Any:
    """``exc`` and every exception inside it (arguments, causes, urllib3's ``reason``)."""
    seen, pending = set(), [exc]
    while pending:
        current = pending.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending += [current.__cause__, current.__context__, getattr(current, "reason", None), *current.args]


def _timed_out(exc: BaseException) -> bool:
    import socket  # socket.timeout is a TimeoutError only from Python 3.10

    return any(isinstance(e, (TimeoutError, socket.timeout)) or type(e).__name__ == "ReadTimeoutError"
               for e in _chain(exc))


def _could_not_connect(exc: BaseException) -> bool:
    # urllib3's names for "no connection was made" (refused, DNS, connect timeout).
    return any(type(e).__name__ in ("NewConnectionError", "NameResolutionError", "ConnectTimeoutError")
               for e in _chain(exc))


def _before_response(requests: Any, request: Request, body: Body, exc: BaseException,
                     secrets: Tuple[str, ...]) -> Exception:
    """The error for a failure before any answer: where it happened decides the phase."""
    errors = requests.exceptions
    if isinstance(exc, errors.ConnectTimeout):
        return _failure(DeepgramTimeoutError, request, "connect", "Timed out connecting", exc, secrets)
    if isinstance(exc, errors.SSLError):
        return _failure(DeepgramConnectionError, request, "tls", "TLS handshake failed", exc, secrets)
    if isinstance(exc, errors.ProxyError) or _could_not_connect(exc):
        return _failure(DeepgramConnectionError, request, "connect", "Could not connect", exc, secrets)
    if not isinstance(exc, errors.RequestException):  # from deep in urllib3 or ssl (a TLS setup)
        return _failure(DeepgramConnectionError, request, "connect", "Could not connect", exc, secrets)
    if isinstance(exc, errors.TooManyRedirects):  # answers came: nothing to try again
        return _failure(DeepgramConnectionError, request, "read", "The answer could not be used", exc, secrets)
    if _timed_out(exc):
        if not body.complete:
            return _failure(DeepgramTimeoutError, request, "write",
                            "The server stopped reading the request", exc, secrets)
        return _failure(DeepgramTimeoutError, request, "read", "Timed out waiting for the answer", exc, secrets)
    if not body.complete:
        return _failure(DeepgramConnectionError, request, "write", "The connection was dropped while sending",
                        exc, secrets)
    return _failure(DeepgramConnectionError, request, "wait",
                    "The connection was dropped after the request was sent, before any answer", exc, secrets)


def _failure(cls: Any, request: Request, phase: str, what: str, exc: BaseException,
             secrets: Tuple[str, ...]) -> Exception:
    error: Exception = cls.during(phase, what, request.method, request.path, exc, secrets)
    return error
