"""The requests adapter of the pooled sessions: each write of a body bounded by the read timeout,
and an optional ``ssl.SSLContext``.

urllib3 sends a request under the *connect* timeout, and a socket timeout bounds a whole
``sendall``: a body handed over in one piece had to be sent within that time, and a server that
stopped reading held the call for it. The body reader (``_body``) carries the call's read
timeout as ``write_timeout``; the connections here apply it to each write, the way the async
path bounds a write that makes no progress. Sessions given by the user keep their own adapters.
"""

from typing import Any, Optional

_POOLS: Any = None
_ADAPTER: Any = None


def adapter(requests: Any, ssl_context: Optional[Any] = None) -> Any:
    """An HTTPAdapter for our sessions (verifying with ``ssl_context`` when given)."""
    global _ADAPTER
    if _ADAPTER is None:
        _ADAPTER = _adapter_class(requests, _pool_classes())
    return _ADAPTER(ssl_context)


def _adapter_class(requests: Any, pools: Any) -> Any:
    class Adapter(requests.adapters.HTTPAdapter):  # type: ignore[misc]
        def __init__(self, ssl_context: Optional[Any]) -> None:
            self.ssl_context = ssl_context  # before HTTPAdapter.__init__, which makes the pool manager
            super().__init__()

        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            if self.ssl_context is not None:
                kwargs["ssl_context"] = self.ssl_context
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = pools

        def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
            if self.ssl_context is not None:
                kwargs["ssl_context"] = self.ssl_context
            manager = super().proxy_manager_for(proxy, **kwargs)
            if not proxy.lower().startswith("socks"):  # SOCKS pools have connection classes of their own
                manager.pool_classes_by_scheme = pools
            return manager

    return Adapter


def _pool_classes() -> Any:
    global _POOLS
    if _POOLS is None:
        import importlib

        # Typed as Any on purpose: urllib3 1.x has no type hints and 2.x has, and these classes
        # only add a method, so a checker learns nothing from either.
        connection: Any = importlib.import_module("urllib3.connection")
        pools: Any = importlib.import_module("urllib3.connectionpool")

        class BoundedHTTP(_WriteBound, connection.HTTPConnection):  # type: ignore[misc]
            pass

        class BoundedHTTPS(_WriteBound, connection.HTTPSConnection):  # type: ignore[misc]
            pass

        class HTTPPool(pools.HTTPConnectionPool):  # type: ignore[misc]
            ConnectionCls = BoundedHTTP

        class HTTPSPool(pools.HTTPSConnectionPool):  # type: ignore[misc]
            ConnectionCls = BoundedHTTPS

        _POOLS = {"http": HTTPPool, "https": HTTPSPool}
    return _POOLS


class _WriteBound:
    """Mixed into urllib3's connections: writes use the body's ``write_timeout`` when it has one."""

    _write_timeout: Optional[float] = None
    sock: Any
    connect: Any  # urllib3's, connecting under the connect timeout

    def request(self, method: str, url: str, body: Any = None, headers: Any = None, **kwargs: Any) -> Any:
        self._write_timeout = getattr(body, "write_timeout", None)
        return super().request(method, url, body=body, headers=headers, **kwargs)  # type: ignore[misc]

    def request_chunked(self, method: str, url: str, body: Any = None, headers: Any = None) -> Any:
        # urllib3 1.x sends bodies of unknown length through this method.
        self._write_timeout = getattr(body, "write_timeout", None)
        return super().request_chunked(method, url, body=body, headers=headers)  # type: ignore[misc]

    def send(self, data: Any) -> None:
        timeout = self._write_timeout
        if timeout is not None:
            if self.sock is None:
                self.connect()  # under the connect timeout, as urllib3 would
            sock: Any = self.sock  # connect() set it
            if sock.gettimeout() != timeout:  # settimeout costs a system call: once, not per chunk
                sock.settimeout(timeout)
        super().send(data)  # type: ignore[misc]
