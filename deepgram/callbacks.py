"""Receiving Deepgram's callbacks: check that each comes from Deepgram, parse it, act on it once.

    receiver = CallbackReceiver(username="deepgram", password=PASSWORD, secret=SECRET)
    hook = callback_url("https://example.com/deepgram", "deepgram", PASSWORD)
    await dg.transcription.prerecorded(source, callback_options(SECRET, {"callback": hook}))
    ...
    result = receiver.receive(body, headers)      # in the route that receives the POST

Deepgram no longer signs callbacks (it dropped the ``dg-token`` header). A receiver checks
Basic-Auth credentials that the callback URL carries (Deepgram sends them back as an
``Authorization: Basic`` header), a secret sent as ``extra=callback_secret:VALUE`` (speech to
text only: it comes back in the result's ``metadata.extra``), or both. Deepgram may deliver a
result more than once, so ``receive`` returns ``None`` for a request id it has seen already.

The adapters ``aiohttp_handler``, ``wsgi_app`` (Flask, Django, any WSGI server), ``asgi_app``
(FastAPI, Starlette, any ASGI server) and ``receive_request`` (a Flask or Django request) wrap
``receive``; none imports a web framework before it is called.
"""

import base64
import binascii
import hmac
import inspect
import json
import logging
import threading
from typing import (
    TYPE_CHECKING,
    Any,
    Awaitable,
    Callable,
    Dict,
    Iterable,
    Iterator,
    List,
    Mapping,
    MutableMapping,
    Optional,
    Protocol,
    Tuple,
    Union,
)

from ._redact import MASK, redact_url
from ._wire import DeepgramResponse, reason_phrase
from .errors import DeepgramError, DeepgramSetupError

if TYPE_CHECKING:
    from aiohttp import web

__all__ = [
    "MAX_BODY",
    "SECRET_KEY",
    "CallbackReceiver",
    "CallbackRejected",
    "HeaderSource",
    "aiohttp_handler",
    "asgi_app",
    "callback_options",
    "callback_url",
    "receive_request",
    "wsgi_app",
]


class HeaderSource(Protocol):
    """Request headers: any mapping, or anything with ``items()`` (such as Werkzeug's ``Headers``)."""

    def items(self) -> Iterable[Tuple[str, str]]:
        """(name, value) pairs; a repeated header may come as several pairs."""
        ...


SECRET_KEY = "callback_secret"  # the ``extra`` key Deepgram's documentation names for the secret
# Deepgram takes at most 2048 characters per ``extra`` key:value pair.
_MAX_SECRET = 2048 - len(SECRET_KEY) - 1
# The adapters refuse larger bodies (413; unread when Content-Length says so). A transcript with
# every feature on runs to a few MB an hour of audio: aiohttp's own limit (1 MiB) would refuse
# long ones, so the aiohttp handler reads the stream itself.
MAX_BODY: int = 256 * 1024 * 1024
_METHODS = ("POST", "PUT")  # Deepgram POSTs, or PUTs with ``callback_method=put``

log: logging.Logger = logging.getLogger("deepgram.callbacks")

Body = Union[bytes, bytearray, memoryview, str, Mapping[str, Any]]
# What the adapters call with each new result; it may be a coroutine function, except in WSGI.
OnResult = Callable[[DeepgramResponse], Any]


class CallbackRejected(DeepgramError):
    """A callback that must not be acted on; answer it with ``status`` (401: missing or wrong
    credentials, 400: not a JSON object, 413: too large). The message never shows a credential."""

    def __init__(self, message: str, status: int = 401) -> None:
        super().__init__(message)
        self.message: str = message
        self.status: int = status

    def __repr__(self) -> str:
        return f"CallbackRejected({self.message!r}, status={self.status})"


# ---------------------------------------------------------------------------------------------
# Checks of the caller's settings (their messages name a value's position, never its text)


def _check_text(value: Any, name: str, fix: str) -> str:
    """``value`` if it is a non-empty str without control characters, else DeepgramSetupError."""
    if not isinstance(value, str) or not value:
        shown = "an empty string" if value == "" else type(value).__name__
        raise DeepgramSetupError(f"{name} must be a non-empty string, not {shown}; {fix}")
    for position, char in enumerate(value, 1):
        if ord(char) < 32 or ord(char) == 127 or "\ud800" <= char <= "\udfff":
            raise DeepgramSetupError(
                f"{name} has a control character or a lone surrogate at character {position} of "
                f"{len(value)}; {fix}")
    return value


def _check_username(username: Any) -> str:
    # RFC 7617: the user-id ends at the first colon, so a colon in it would move into the password.
    text = _check_text(username, "username", "use letters and digits, e.g. 'deepgram'.")
    if ":" in text:
        raise DeepgramSetupError("username must not contain ':' (Basic-Auth ends the user name at "
                                 "the first colon); use letters and digits, e.g. 'deepgram'.")
    return text


def _check_password(password: Any) -> str:
    return _check_text(password, "password", "use a random one, e.g. secrets.token_urlsafe(32).")


def _check_secret(secret: Any) -> str:
    text = _check_text(secret, "secret", "use a random one, e.g. secrets.token_urlsafe(32).")
    if len(text) > _MAX_SECRET:
        raise DeepgramSetupError(f"secret has {len(text)} characters; Deepgram keeps at most {_MAX_SECRET} "
                                 "(2048 per extra pair): use a shorter one, e.g. secrets.token_urlsafe(32).")
    return text


# ---------------------------------------------------------------------------------------------
# Building the request: the callback URL and the options


def callback_url(base_url: str, username: str, password: str) -> str:
    """``base_url`` with ``username:password@`` in it, percent-encoded, for the ``callback`` option."""
    from urllib.parse import quote, urlsplit, urlunsplit

    user, secret = _check_username(username), _check_password(password)
    if not isinstance(base_url, str):
        raise DeepgramSetupError(f"base_url must be a string, not {type(base_url).__name__}.")
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DeepgramSetupError(f"base_url must be an http(s) URL with a host, such as "
                                 f"https://example.com/deepgram, not {redact_url(base_url)!r}.")
    if "@" in parts.netloc:
        raise DeepgramSetupError("base_url already carries credentials: pass it without 'user:password@'.")
    # Every character but letters, digits and "_.-~" is encoded: ":", "@" and "/" would end the
    # user name, the credentials or the host early. URL userinfo is decoded before it becomes
    # the Authorization header, so the receiver compares the plain text.
    netloc = f"{quote(user, safe='')}:{quote(secret, safe='')}@{parts.netloc}"
    return urlunsplit(parts._replace(netloc=netloc))


def _extra_items(value: Any) -> List[str]:
    """A caller's ``extra`` option as "key:value" strings (a str, a list of them, or a dict)."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [f"{key}:{item}" for key, item in value.items()]
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value if item is not None and item != ""]
    raise DeepgramSetupError(f"The extra option must be a 'key:value' string, a list of them or a dict, "
                             f"not {type(value).__name__}.")


def callback_options(secret: str, options: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    """``options`` (a copy) with ``extra=callback_secret:SECRET`` added to any ``extra`` they hold."""
    pair = f"{SECRET_KEY}:{_check_secret(secret)}"
    if options is not None and not isinstance(options, Mapping):
        raise DeepgramSetupError(f"options must be a dict of query parameters, not {type(options).__name__}.")
    merged = dict(options or {})
    # An older secret is dropped: the request must carry exactly the one the receiver checks.
    kept = [item for item in _extra_items(merged.get("extra")) if item.partition(":")[0].strip() != SECRET_KEY]
    merged["extra"] = [*kept, pair] if kept else pair
    return merged


# ---------------------------------------------------------------------------------------------
# Receiving


class _Headers(Mapping[str, str]):
    """A callback request's headers: read-only, case-insensitive, credentials masked."""

    def __init__(self, pairs: Iterable[Tuple[str, str]]) -> None:
        self._items: Dict[str, Tuple[str, str]] = {}
        for name, value in pairs:
            lowered = name.lower()
            if lowered in ("authorization", "proxy-authorization"):
                scheme, space, _ = value.partition(" ")
                value = f"{scheme} {MASK}" if space else MASK
            if lowered in self._items:  # a repeated header: its values joined, as HTTP allows
                value = f"{self._items[lowered][1]}, {value}"
            self._items[lowered] = (name, value)

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()][1]

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"<CallbackHeaders {dict(self.items())!r}>"


def _text(value: Any) -> str:
    # Raw ASGI or WSGI-ish headers may be bytes; header bytes are Latin-1 by HTTP's rules.
    return value.decode("latin-1") if isinstance(value, (bytes, bytearray)) else str(value)


def _pairs(headers: HeaderSource) -> List[Tuple[str, str]]:
    """The headers as (name, value) pairs, repeated names kept."""
    if headers is None or not callable(getattr(headers, "items", None)):
        raise DeepgramSetupError(f"headers must be a mapping of the request's headers, not {type(headers).__name__}.")
    return [(_text(name), _text(value)) for name, value in headers.items()]


def _parse(body: Body) -> Dict[str, Any]:
    """The body as a JSON object, or CallbackRejected(400)."""
    if isinstance(body, Mapping):
        return dict(body)
    if isinstance(body, (bytearray, memoryview)):
        body = bytes(body)
    if not isinstance(body, (bytes, str)):
        raise DeepgramSetupError(
            f"body must be the request's bytes, str or parsed JSON dict, not {type(body).__name__}.")
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError too
        raise CallbackRejected("The callback's body is not JSON.", 400) from None
    if not isinstance(parsed, dict):
        raise CallbackRejected(f"The callback's body is JSON {type(parsed).__name__}, not an object.", 400)
    return parsed


def _secrets_in(extra: Any) -> List[str]:
    """The callback_secret values of ``metadata.extra`` in the shapes it comes in: a dict (what
    Deepgram documents, also the emulator's), a list of "key:value" strings, or one such string."""
    if isinstance(extra, Mapping):
        value = extra.get(SECRET_KEY)
        values = value if isinstance(value, list) else [value]
        return [item for item in values if isinstance(item, str)]
    items = extra if isinstance(extra, list) else [extra]
    found = []
    for item in items:
        if isinstance(item, str):
            key, colon, value = item.partition(":")
            if colon and key.strip() == SECRET_KEY:
                found.append(value)
    return found


class CallbackReceiver:
    """Checks, parses and de-duplicates Deepgram's callbacks; ``receive`` is thread-safe."""

    def __init__(self, *, username: Optional[str] = None, password: Optional[str] = None,
                 secret: Optional[str] = None, dedupe: bool = True, max_remembered: int = 10000) -> None:
        if (username is None) != (password is None):
            raise DeepgramSetupError("Give both username and password (the credentials the callback URL carries: "
                                     "callback_url(base_url, username, password)), or neither.")
        if username is None and secret is None:
            raise DeepgramSetupError(
                "CallbackReceiver needs something to check callbacks with: username= and password= "
                "(put them in the callback URL with callback_url()), and/or secret= (send it with "
                "callback_options(secret)). Without them anybody could post results to your URL.")
        if isinstance(max_remembered, bool) or not isinstance(max_remembered, int) or max_remembered < 1:
            raise DeepgramSetupError(f"max_remembered must be a positive int, not {max_remembered!r}.")
        self.username: Optional[str] = None if username is None else _check_username(username)
        self._credentials: Tuple[bytes, ...] = ()
        if username is not None:
            pair = f"{self.username}:{_check_password(password)}"
            # RFC 7617 advises UTF-8; some clients (aiohttp by default) send Latin-1: both are
            # accepted, and they are the same bytes for ASCII credentials.
            encodings = {pair.encode("utf-8")}
            try:
                encodings.add(pair.encode("latin-1"))
            except UnicodeEncodeError:
                pass
            self._credentials = tuple(sorted(encodings))
        self._secret: Optional[bytes] = None if secret is None else _check_secret(secret).encode("utf-8")
        self.dedupe: bool = bool(dedupe)
        self.max_remembered: int = max_remembered
        # Request ids seen, oldest first (dicts keep insertion order): a bounded LRU.
        self._seen: Dict[str, None] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        checks = []
        if self.username is not None:
            checks.append(f"basic-auth user {self.username!r} password {MASK}")
        if self._secret is not None:
            checks.append(f"secret {MASK}")
        dedupe = f"dedupe {len(self._seen)}/{self.max_remembered} ids" if self.dedupe else "no dedupe"
        return f"<CallbackReceiver {', '.join(checks)}, {dedupe}>"

    def check_credentials(self, headers: HeaderSource) -> None:
        """Raise CallbackRejected(401) unless the Basic-Auth credentials match (when configured);
        the adapters call it before reading a body."""
        if not self._credentials:
            return
        values = [value for name, value in _pairs(headers) if name.lower() == "authorization"]
        if not values:
            raise CallbackRejected("The callback has no Authorization header: put the credentials in the "
                                   "callback URL (callback_url()), and Deepgram sends them back.")
        if len(values) > 1:
            raise CallbackRejected("The callback has more than one Authorization header.")
        scheme, _, token = values[0].strip().partition(" ")
        if scheme.lower() != "basic" or not token.strip():
            raise CallbackRejected("The callback's Authorization header is not Basic credentials.")
        try:
            decoded = base64.b64decode(token.strip(), validate=True)
        except (binascii.Error, ValueError):  # ValueError: characters outside ASCII
            raise CallbackRejected("The callback's Basic credentials are not valid base64.") from None
        # Every expected encoding is compared, in constant time, whatever matched before.
        matched = False
        for expected in self._credentials:
            matched |= hmac.compare_digest(decoded, expected)
        if not matched:
            raise CallbackRejected("The callback's Basic-Auth credentials are wrong.")

    def _verify_secret(self, parsed: Mapping[str, Any]) -> None:
        """Raise CallbackRejected(401) unless metadata.extra holds the secret."""
        assert self._secret is not None
        metadata = parsed.get("metadata")
        extra = metadata.get("extra") if isinstance(metadata, Mapping) else None
        found = _secrets_in(extra)
        if not found:
            raise CallbackRejected(f"The callback has no {SECRET_KEY} in metadata.extra: send the request "
                                   "with callback_options(secret).")
        matched = False
        for value in found:
            matched |= hmac.compare_digest(value.encode("utf-8", "surrogatepass"), self._secret)
        if not matched:
            raise CallbackRejected(f"The callback's {SECRET_KEY} is wrong.")

    def receive(self, body: Body, headers: HeaderSource) -> Optional[DeepgramResponse]:
        """The callback's result, as a direct call returns it; None for a request id received
        before; CallbackRejected when it fails a check (credentials first, so a forged callback
        never reaches the memory of request ids)."""
        self.check_credentials(headers)
        parsed = _parse(body)
        if self._secret is not None:
            self._verify_secret(parsed)
        found = parsed.get("metadata")
        metadata: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
        pairs = _pairs(headers)
        request_id = (metadata.get("request_id") or parsed.get("request_id")
                      or next((v for k, v in pairs if k.lower() == "dg-request-id"), None))
        if request_id is not None and self.dedupe and not self._remember(str(request_id)):
            return None
        result = DeepgramResponse(parsed)
        result.status = 200
        result.headers = _Headers(pairs)
        result.request_id = None if request_id is None else str(request_id)
        return result

    def _remember(self, request_id: str) -> bool:
        """Note ``request_id``; False when it was noted already (it becomes the newest again)."""
        with self._lock:
            if request_id in self._seen:
                del self._seen[request_id]
                self._seen[request_id] = None
                return False
            self._seen[request_id] = None
            while len(self._seen) > self.max_remembered:
                del self._seen[next(iter(self._seen))]
            return True

    def forget(self, request_id: Optional[str]) -> None:
        """Accept ``request_id`` again (the adapters do so when ``on_result`` fails, so that
        Deepgram's next delivery of it is not dropped as a duplicate)."""
        if request_id is None:
            return
        with self._lock:
            self._seen.pop(str(request_id), None)


# ---------------------------------------------------------------------------------------------
# Adapters


def _reply_text(status: int) -> str:
    return f"{status} {reason_phrase(status)}".strip()


def _rejected(rejected: CallbackRejected) -> None:
    # A forged or broken callback is worth a line in the server's log; the message holds no secret.
    log.warning("Rejected a Deepgram callback (%d): %s", rejected.status, rejected.message)


async def _settle(receiver: CallbackReceiver, on_result: OnResult, result: DeepgramResponse) -> None:
    """Run ``on_result`` (sync or async); if it fails, forget the id and re-raise (a 500)."""
    try:
        outcome = on_result(result)
        if inspect.isawaitable(outcome):
            await outcome
    except BaseException:
        # The delivery fails, so Deepgram sends the result again: that copy must not be a duplicate.
        receiver.forget(result.request_id)
        raise


def _settle_sync(receiver: CallbackReceiver, on_result: OnResult, result: DeepgramResponse) -> None:
    try:
        outcome = on_result(result)
    except BaseException:
        receiver.forget(result.request_id)
        raise
    if inspect.isawaitable(outcome):
        close = getattr(outcome, "close", None)
        if callable(close):
            close()  # no "coroutine was never awaited" warning on top of the error
        receiver.forget(result.request_id)
        raise DeepgramSetupError("on_result returned an awaitable, which a WSGI app cannot await: "
                                 "pass a plain function, or use asgi_app or aiohttp_handler.")


def _check_on_result(on_result: Any) -> None:
    if not callable(on_result):
        raise DeepgramSetupError(f"on_result must be a function taking the result, not {type(on_result).__name__}.")


def _declared_length(value: Optional[str], max_body: int) -> Optional[int]:
    """A Content-Length header's value; CallbackRejected when it is not a number or too large."""
    if value is None or not value.strip():
        return None
    try:
        length = int(value.strip())
    except ValueError:
        raise CallbackRejected("The callback's Content-Length is not a number.", 400) from None
    if length < 0:
        raise CallbackRejected("The callback's Content-Length is negative.", 400)
    if length > max_body:
        raise CallbackRejected(f"The callback's body ({length} bytes) is larger than max_body ({max_body}).", 413)
    return length


def _too_large(max_body: int) -> CallbackRejected:
    return CallbackRejected(f"The callback's body is larger than max_body ({max_body} bytes).", 413)


def aiohttp_handler(receiver: CallbackReceiver, on_result: OnResult, *,
                    max_body: int = MAX_BODY) -> "Callable[[web.Request], Awaitable[web.Response]]":
    """An aiohttp handler (``app.router.add_post(path, handler)``; ``add_put`` too for
    ``callback_method=put``): 200 for a new result (after ``on_result``, sync or async, ran) or
    a duplicate, else the rejection's status."""
    from aiohttp import web

    _check_on_result(on_result)

    async def handler(request: web.Request) -> web.Response:
        try:
            receiver.check_credentials(request.headers)
            body = await _read_aiohttp(request, max_body)
            result = receiver.receive(body, request.headers)
        except CallbackRejected as rejected:
            _rejected(rejected)
            return web.Response(status=rejected.status, text=_reply_text(rejected.status))
        if result is not None:
            await _settle(receiver, on_result, result)
        return web.Response(status=200, text=_reply_text(200))

    return handler


async def _read_aiohttp(request: "web.Request", max_body: int) -> bytes:
    # request.read() stops at the application's client_max_size (1 MiB by default), less than a
    # long transcript: the stream is read here, up to max_body.
    _declared_length(request.headers.get("Content-Length"), max_body)
    chunks: List[bytes] = []
    size = 0
    while True:
        chunk = await request.content.read(65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_body:
            raise _too_large(max_body)
        chunks.append(chunk)


WSGIEnvironment = Dict[str, Any]
StartResponse = Callable[..., Any]
WSGIApplication = Callable[[WSGIEnvironment, StartResponse], Iterable[bytes]]


def _wsgi_headers(environ: WSGIEnvironment) -> Dict[str, str]:
    """The request's headers from a WSGI environ (``HTTP_X_Y`` -> ``X-Y``)."""
    headers = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            headers[key[5:].replace("_", "-").title()] = str(value)
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH") and value:
            headers[key.replace("_", "-").title()] = str(value)
    return headers


def _read_wsgi(environ: WSGIEnvironment, max_body: int) -> bytes:
    stream = environ.get("wsgi.input")
    length = _declared_length(environ.get("CONTENT_LENGTH"), max_body)
    if stream is None or length == 0:
        return b""
    if length is None and not environ.get("wsgi.input_terminated"):
        # PEP 3333: without a length an app must not read, lest it block on the open connection.
        raise CallbackRejected("The callback has no Content-Length.", 411)
    chunks: List[bytes] = []
    size = 0
    while length is None or size < length:
        chunk = stream.read(65536 if length is None else min(65536, length - size))
        if not chunk:
            break
        size += len(chunk)
        if size > max_body:
            raise _too_large(max_body)
        chunks.append(chunk)
    return b"".join(chunks)


def wsgi_app(receiver: CallbackReceiver, on_result: OnResult, *, max_body: int = MAX_BODY) -> WSGIApplication:
    """A WSGI application answering POST and PUT on any path: 200 for a new result (after
    ``on_result``, a plain function, ran) or a duplicate, else the rejection's status."""
    _check_on_result(on_result)
    if inspect.iscoroutinefunction(on_result):
        raise DeepgramSetupError("wsgi_app calls on_result synchronously: pass a plain function, "
                                 "or use asgi_app or aiohttp_handler for a coroutine function.")

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        def reply(status: int, *extra: Tuple[str, str]) -> List[bytes]:
            body = _reply_text(status).encode("utf-8")
            start_response(_reply_text(status), [("Content-Type", "text/plain; charset=utf-8"),
                                                 ("Content-Length", str(len(body))), *extra])
            return [body]

        if str(environ.get("REQUEST_METHOD", "GET")).upper() not in _METHODS:
            return reply(405, ("Allow", ", ".join(_METHODS)))
        headers = _wsgi_headers(environ)
        try:
            receiver.check_credentials(headers)
            result = receiver.receive(_read_wsgi(environ, max_body), headers)
        except CallbackRejected as rejected:
            _rejected(rejected)
            return reply(rejected.status)
        if result is not None:
            _settle_sync(receiver, on_result, result)
        return reply(200)

    return app


def receive_request(receiver: CallbackReceiver, request: Any) -> Optional[DeepgramResponse]:
    """``receiver.receive`` for a Flask (Werkzeug) or Django request: its body and headers."""
    headers = getattr(request, "headers", None)
    if headers is None:
        raise DeepgramSetupError(f"receive_request takes a Flask or Django request, not {type(request).__name__}; "
                                 "elsewhere call receiver.receive(body, headers).")
    receiver.check_credentials(headers)  # before the body is read
    get_data = getattr(request, "get_data", None)
    body: Any
    if callable(get_data):  # Flask, Werkzeug
        body = get_data()
    elif isinstance(getattr(request, "body", None), (bytes, bytearray)):  # Django
        body = request.body
    else:
        raise DeepgramSetupError(f"receive_request found no body on {type(request).__name__} (no get_data() nor "
                                 "body bytes); call receiver.receive(body, headers) instead.")
    return receiver.receive(body, headers)


Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApplication = Callable[[Scope, Receive, Send], Awaitable[None]]


class _Disconnected(Exception):
    """The client went away before its body arrived."""


async def _read_asgi(receive: Receive, max_body: int) -> bytes:
    chunks: List[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Disconnected
        if message["type"] != "http.request":
            continue
        chunk = bytes(message.get("body", b""))
        size += len(chunk)
        if size > max_body:
            raise _too_large(max_body)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _asgi_reply(send: Send, status: int, *extra: Tuple[bytes, bytes]) -> None:
    body = _reply_text(status).encode("utf-8")
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()), *extra]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _asgi_lifespan(receive: Receive, send: Send) -> None:
    # Served alone (uvicorn module:app), the app is asked to start and stop: nothing to do.
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def asgi_app(receiver: CallbackReceiver, on_result: OnResult, *, max_body: int = MAX_BODY) -> ASGIApplication:
    """A plain ASGI application answering POST and PUT on any path: 200 for a new result (after
    ``on_result``, sync or async, ran) or a duplicate, else the rejection's status."""
    _check_on_result(on_result)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _asgi_lifespan(receive, send)
            return
        if scope["type"] != "http":  # a websocket: refused before it is accepted
            await send({"type": "websocket.close", "code": 1008})
            return
        if str(scope.get("method", "GET")).upper() not in _METHODS:
            await _asgi_reply(send, 405, (b"allow", ", ".join(_METHODS).encode()))
            return
        headers: Dict[str, str] = {}
        for name, value in scope.get("headers", []):
            key = _text(name).lower()
            headers[key] = f"{headers[key]}, {_text(value)}" if key in headers else _text(value)
        try:
            receiver.check_credentials(headers)
            _declared_length(headers.get("content-length"), max_body)
            result = receiver.receive(await _read_asgi(receive, max_body), headers)
        except CallbackRejected as rejected:
            _rejected(rejected)
            await _asgi_reply(send, rejected.status)
            return
        except _Disconnected:
            return  # nobody to answer; Deepgram delivers it again
        if result is not None:
            await _settle(receiver, on_result, result)
        await _asgi_reply(send, 200)

    return app
