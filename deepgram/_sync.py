"""The blocking transport: one pooled requests.Session per thread, and error translation.

Every session the transport made is remembered, so ``close()`` (or the client being garbage
collected) closes them all, including those of threads that have ended.
"""

import threading
import weakref
from typing import Any, Dict, List, Mapping, Tuple

from ._body import Body
from ._config import Config
from ._wire import Request, build_headers, build_url
from .errors import DeepgramConnectionError, DeepgramTimeoutError

RawResponse = Tuple[int, Mapping[str, str], bytes]


def _close_all(sessions: List[Any]) -> None:
    while sessions:
        sessions.pop().close()


def _keep_authorization(request: Any) -> Any:
    return request


def _is_ssl_context(value: Any) -> bool:
    return hasattr(value, "wrap_socket")


def _ssl_context_adapter(requests: Any, context: Any) -> Any:
    """An HTTPAdapter that verifies with the given ``ssl.SSLContext``."""

    class SSLContextAdapter(requests.adapters.HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kwargs: Any) -> Any:
            kwargs["ssl_context"] = context
            return super().init_poolmanager(*args, **kwargs)

        def proxy_manager_for(self, *args: Any, **kwargs: Any) -> Any:
            kwargs["ssl_context"] = context
            return super().proxy_manager_for(*args, **kwargs)

    return SSLContextAdapter()


class SyncTransport:
    """Moves one request's bytes with requests; no retries or parsing here."""

    def __init__(self, session: Any = None) -> None:
        self._injected = session
        self._local = threading.local()
        self._sessions: List[Any] = []
        self._lock = threading.Lock()
        self._finalizer = weakref.finalize(self, _close_all, self._sessions)

    def _session(self, config: Config) -> Any:
        if self._injected is not None:
            return self._injected
        session = getattr(self._local, "session", None)
        if session is None or session not in self._sessions:
            import requests

            session = requests.Session()
            if _is_ssl_context(config.verify):
                session.mount("https://", _ssl_context_adapter(requests, config.verify))
            with self._lock:
                self._sessions.append(session)
            self._local.session = session
        return session

    def close(self) -> None:
        """Close every pooled session (later calls open new ones)."""
        with self._lock:
            _close_all(self._sessions)

    def send(self, config: Config, request: Request, body: Body) -> RawResponse:
        import requests

        timeout = request.timeout or config.timeout
        # An explicit (no-op) auth stops requests from looking up ~/.netrc on every call, which
        # would also replace the Authorization header with the netrc login of that host.
        options: Dict[str, Any] = {"auth": _keep_authorization}
        if config.verify is not None and not _is_ssl_context(config.verify):
            options["verify"] = config.verify if isinstance(config.verify, bool) else str(config.verify)
        if config.proxy:
            options["proxies"] = {"http": config.proxy, "https": config.proxy}
        try:
            response = self._session(config).request(
                request.method, build_url(config, request), headers=build_headers(config, request),
                data=body.for_requests(), timeout=(timeout.connect, timeout.read),
                stream=request.sink is not None, **options,
            )
            if request.sink is not None:
                with response:
                    if response.status_code < 300 and "json" not in response.headers.get("content-type", ""):
                        for chunk in response.iter_content(64 * 1024):
                            request.sink.write(chunk)
                        return response.status_code, response.headers, b""
                    return response.status_code, response.headers, response.content
            return response.status_code, response.headers, response.content  # case-insensitive already
        except requests.exceptions.ConnectTimeout as exc:
            raise DeepgramTimeoutError(f"{request.method} {request.path} timed out (connect)",
                                       phase="connect", http_library_error=exc) from exc
        except requests.exceptions.Timeout as exc:
            raise DeepgramTimeoutError(f"{request.method} {request.path} timed out (read)",
                                       phase="read", http_library_error=exc) from exc
        except requests.exceptions.RequestException as exc:
            raise _connection_error(requests, request, exc) from exc
        except (ValueError, OSError) as exc:  # raised from deep in urllib3 or ssl (e.g. a TLS setup)
            raise DeepgramConnectionError.during("connect", "Could not connect", request.method,
                                                 request.path, exc) from exc


def _connection_error(requests: Any, request: Request, exc: BaseException) -> DeepgramConnectionError:
    text = repr(exc)
    if isinstance(exc, requests.exceptions.SSLError):
        phase, what = "tls", "TLS handshake failed"
    elif isinstance(exc, requests.exceptions.ConnectionError) and (
            "NewConnectionError" in text or "NameResolution" in text or "Failed to resolve" in text
            or isinstance(exc, requests.exceptions.ProxyError)):
        phase, what = "connect", "Could not connect"
    elif isinstance(exc, requests.exceptions.ConnectionError):
        phase, what = "send", "The connection was dropped before a response"
    else:
        phase, what = "read", "The response could not be read"
    return DeepgramConnectionError.during(phase, what, request.method, request.path, exc)
