"""The error tree of the SDK.

::

    DeepgramError
    ├── DeepgramSetupError(ValueError)   bad options or input, raised before any I/O
    ├── DeepgramApiError                 Deepgram answered with an error, or could not be reached
    │   └── DeepgramConnectionError      no usable HTTP answer: refused, DNS, TLS, a reset;
    │       │                            ``phase`` says where (connect, tls, write, wait, read)
    │       └── DeepgramTimeoutError     a phase (connect, write, read, total) ran out of time;
    │                                    also a ``TimeoutError`` / ``asyncio.TimeoutError``
    ├── DeepgramStreamClosedError(RuntimeError)  a live stream was used after it closed
    └── DeepgramBufferFullError(BufferError)     a live stream's outgoing buffer is full

``DeepgramApiError`` keeps the attributes of deepgram-sdk 2.12 (``error``, ``warnings``,
``request_id``, ``http_error_status``, ``http_library_error``) and adds ``status``, ``body``,
``headers`` and ``err_code``.
"""

import _thread
import sys
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Tuple, Type, Union

if TYPE_CHECKING:
    import uuid

__all__ = [
    "DeepgramApiError",
    "DeepgramBufferFullError",
    "DeepgramConnectionError",
    "DeepgramError",
    "DeepgramSetupError",
    "DeepgramStreamClosedError",
    "DeepgramTimeoutError",
    "DeepgramWarning",
]


class DeepgramError(Exception):
    """Base class of every error the SDK raises on purpose."""


class DeepgramSetupError(DeepgramError, ValueError):
    """Bad options or input: fix the call; nothing was sent."""


class DeepgramWarning(UserWarning):
    """A warning the API attached to a successful response (``metadata.warnings``)."""


def _as_request_id(value: Any) -> "Optional[Union[uuid.UUID, str]]":
    # 2.12 exposed a uuid.UUID; keep that type when the id is one, and the raw text otherwise
    # (2.12 crashed with ValueError on non-UUID ids instead).
    import uuid

    if value is None or isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return str(value)


def _first_message(payload: Mapping[str, Any]) -> Optional[str]:
    # Legacy bodies say err_msg; modern ones say message (with category/details); some say error.
    for key in ("err_msg", "message", "error", "reason"):
        value = payload.get(key)
        if isinstance(value, str) and value:
            return value
    return None


class DeepgramApiError(DeepgramError):
    """Deepgram answered with an error, or could not be reached at all."""

    def __init__(
        self,
        *args: Any,
        http_library_error: Optional[BaseException] = None,
        status: Optional[int] = None,
        body: Any = None,
        headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        if not args:
            args = ("Deepgram API error",)
        super().__init__(*args)
        payload = args[0]
        self.http_library_error = http_library_error
        self.status = status
        self.http_error_status = status
        self.headers: Dict[str, str] = {str(k).lower(): v for k, v in (headers or {}).items()}
        self.body: Any = payload if body is None and isinstance(payload, dict) else body
        self.err_code: Optional[str] = None
        self.warnings: Optional[List[Any]] = None
        self.error: str
        request_id = None
        if isinstance(payload, dict):
            self.error = _first_message(payload) or repr(payload)
            code = payload.get("err_code") or payload.get("category")
            self.err_code = str(code) if code is not None else None
            found_metadata = payload.get("metadata")
            metadata: Mapping[str, Any] = found_metadata if isinstance(found_metadata, dict) else {}
            found = metadata.get("warnings") or payload.get("warnings")
            self.warnings = list(found) if isinstance(found, list) else None
            request_id = payload.get("request_id") or metadata.get("request_id")
        else:
            self.error = payload if isinstance(payload, str) else str(payload)
        lowered = self.headers
        if request_id is None:
            request_id = lowered.get("dg-request-id")
        if self.error == "" and lowered.get("dg-error"):
            self.error = lowered["dg-error"]
        self.request_id: Optional[Union[uuid.UUID, str]] = _as_request_id(request_id)

    def __str__(self) -> str:
        if self.request_id is not None and self.status is not None:
            text = f"Request `{self.request_id}` returned {self.status}: {self.error}"
        elif self.request_id is not None:
            text = f"Request `{self.request_id}` returned {self.error}"
        elif self.status is not None:
            text = f"HTTP {self.status}: {self.error}"
        else:
            text = self.error
        if self.warnings:
            text += "\n\n" + repr(self.warnings)
        return text

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


class DeepgramConnectionError(DeepgramApiError):
    """No usable HTTP answer was received: connection refused, DNS, TLS or a reset.

    ``phase`` says where it failed, which also says whether Deepgram may have acted on it:
    ``connect`` (refused, DNS, proxy) and ``tls`` (nothing was sent), ``write`` (the request
    was being sent: it never arrived whole), ``wait`` (all of it was sent and the connection
    dropped before any answer: Deepgram may be working on it) and ``read`` (the answer had
    started, then broke off).
    """

    phase: str = "connect"

    def __init__(self, *args: Any, phase: Optional[str] = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if phase is not None:
            self.phase = phase

    @classmethod
    def during(cls, phase: str, what: str, method: str, path: str, exc: BaseException,
               secrets: Tuple[str, ...] = (), safe: Optional[BaseException] = None) -> "DeepgramConnectionError":
        """The error for a library exception ``exc`` raised while sending ``method path``. It
        keeps ``exc`` (as ``http_library_error`` and ``__cause__``) unless its repr or chain
        shows one of ``secrets``; then it keeps ``safe``, a copy without them, if given."""
        from ._redact import keep_cause, scrub

        error = cls(f"{what} for {method} {path}: {scrub(str(exc), secrets)}", phase=phase)
        return keep_cause(error, exc, secrets, safe)


def _timeout_bases() -> Tuple[Type[BaseException], ...]:
    # Code written for 2.12 caught the raw timeouts it leaked (asyncio.TimeoutError on the async
    # path, socket.timeout on the sync one); being both keeps those handlers working.
    bases: List[Type[BaseException]] = [DeepgramConnectionError, TimeoutError]
    if sys.version_info < (3, 11):
        from asyncio import TimeoutError as AsyncioTimeoutError

        bases.append(AsyncioTimeoutError)
    return tuple(bases)


def _make_timeout_error() -> type:
    class DeepgramTimeoutError(*_timeout_bases()):  # type: ignore[misc]
        """A request ran out of time; ``phase`` says which: ``connect``, ``write`` (the server
        stopped reading the upload), ``read`` (no answer, or the answer stalled) or ``total``."""

        def __init__(self, *args: Any, phase: str = "total", **kwargs: Any) -> None:
            DeepgramApiError.__init__(self, *args, **kwargs)
            self.phase = phase

        def __str__(self) -> str:
            return DeepgramApiError.__str__(self)

    DeepgramTimeoutError.__module__ = __name__
    return DeepgramTimeoutError


_LOCK = _thread.allocate_lock()


def _lazy_attribute(name: str) -> Any:
    # Before Python 3.11, being an asyncio.TimeoutError means importing asyncio (~40 ms), so
    # the class is made when first asked for, not when ``deepgram`` is imported.
    if name == "DeepgramTimeoutError":
        with _LOCK:
            if "DeepgramTimeoutError" not in globals():
                globals()["DeepgramTimeoutError"] = _make_timeout_error()
        return globals()["DeepgramTimeoutError"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if TYPE_CHECKING:
    # What checkers see of the class made above (they read no module ``__getattr__``, so a
    # misspelt name here is an error, not ``Any``).
    if sys.version_info >= (3, 11):  # asyncio.TimeoutError is TimeoutError

        class DeepgramTimeoutError(DeepgramConnectionError, TimeoutError):
            """A request ran out of time; ``phase``: ``connect``, ``write``, ``read`` or ``total``."""

            def __init__(self, *args: Any, phase: str = "total", **kwargs: Any) -> None: ...
    else:
        import asyncio

        class DeepgramTimeoutError(DeepgramConnectionError, TimeoutError, asyncio.TimeoutError):
            """A request ran out of time; ``phase``: ``connect``, ``write``, ``read`` or ``total``."""

            def __init__(self, *args: Any, phase: str = "total", **kwargs: Any) -> None: ...
else:
    __getattr__ = _lazy_attribute
    if sys.version_info >= (3, 11):
        DeepgramTimeoutError = _make_timeout_error()


class DeepgramStreamClosedError(DeepgramError, RuntimeError):
    """The live stream has closed (or is closing): nothing more can be sent on it."""


class DeepgramBufferFullError(DeepgramError, BufferError):
    """``send()`` would exceed the live stream's outgoing byte limit; ``await live.drain()``."""
