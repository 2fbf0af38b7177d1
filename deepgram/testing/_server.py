"""The emulator's plumbing: recording, scripted responses and faults, auth, request ids."""

import asyncio
import fnmatch
import json
import threading
import uuid
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from aiohttp import web


def _key(name: str) -> Any:
    # aiohttp 3.12+ wants typed keys for request storage; older releases only have strings.
    factory = getattr(web, "RequestKey", None)
    return factory(name, object) if factory else name


REQUEST_ID = _key("request_id")
RECORD = _key("record")
BODY_SHA = _key("body_sha")


def params_of(pairs: List[Tuple[str, str]]) -> Dict[str, List[str]]:
    """A query as a dict of lists (repeated keys keep every value, in order)."""
    found: Dict[str, List[str]] = {}
    for key, value in pairs:
        found.setdefault(key, []).append(value)
    return found


class RecordedRequest:
    """One request the emulator received, kept for assertions."""

    def __init__(self, method: str, path: str, raw_path: str, query: List[Tuple[str, str]],
                 headers: Mapping[str, str], request_id: str, peer: Any = None) -> None:
        self.peer = peer  # (host, port) of the client's connection: tells reused connections apart
        self.method = method
        self.path = path
        self.raw_path = raw_path
        self.query = query
        self.headers = dict(headers)
        self.request_id = request_id
        self.body = b""
        self.body_size = 0

    @property
    def params(self) -> Dict[str, List[str]]:
        """The query as a dict of lists (repeated keys keep every value, in order)."""
        return params_of(self.query)

    @property
    def json(self) -> Any:
        """The body parsed as JSON; None when there is no body or it is not JSON (audio, text)."""
        try:
            return json.loads(self.body) if self.body else None
        except ValueError:  # UnicodeDecodeError included: binary bodies are common here
            return None

    def __repr__(self) -> str:
        return f"<RecordedRequest {self.method} {self.raw_path} {len(self.query)} params {self.body_size} bytes>"


# reset: drop the connection; stall: never answer; stall_body: send the status, the headers and
# half of the body, then nothing more; slow_read: read the upload at 1 KiB a second.
FAULTS = (None, "reset", "stall", "stall_body", "slow_read")
SLOW_READ_RATE = 1024


class Script:
    """A scripted answer for requests matching a method and a path pattern."""

    def __init__(self, method: str, path: str, times: Optional[int], status: int = 200,
                 json_body: Any = None, body: Any = None, headers: Optional[Mapping[str, str]] = None,
                 delay: float = 0.0, fault: Optional[str] = None, after_bytes: Optional[int] = None) -> None:
        if fault not in FAULTS:
            raise ValueError(f"fault must be one of {', '.join(map(repr, FAULTS))}")
        self.method, self.path, self.times = method.upper(), path, times
        self.status, self.json_body, self.body = status, json_body, body
        self.headers, self.delay, self.fault = dict(headers or {}), delay, fault
        self.after_bytes = after_bytes

    def matches(self, method: str, path: str) -> bool:
        return (self.method in ("*", method)) and fnmatch.fnmatchcase(path, self.path) and self.times != 0

    def consume(self) -> None:
        if self.times is not None:
            self.times -= 1


def error_response(status: int, code: str, message: str, request_id: str) -> web.Response:
    """A JSON error in Deepgram's {err_code, err_msg, request_id} shape."""
    return web.json_response({"err_code": code, "err_msg": message, "request_id": request_id},
                             status=status)


class Plumbing:
    """State shared by the middleware: recordings, scripts and the stop signal."""

    def __init__(self, api_key: str, accept_any_key: bool, time_scale: float = 1.0) -> None:
        self.api_key = api_key
        self.accept_any_key = accept_any_key
        self.time_scale = time_scale
        self.live_sessions: List[Any] = []
        self.live_faults: List[Any] = []
        self.tokens: Dict[str, float] = {}
        self.requests: List[RecordedRequest] = []
        self.scripts: List[Script] = []
        self.stopping: Optional[asyncio.Event] = None
        self.background: set = set()
        self.callbacks: List[Tuple[str, Any]] = []
        self.callbacks_changed = threading.Condition()

    def authorized(self, header: Optional[str]) -> Optional[str]:
        """"key" or "token" for valid credentials (a token minted by /auth/grant), else None."""
        if not header or " " not in header:
            return None
        scheme, _, credential = header.partition(" ")
        credential = credential.strip()
        if scheme.lower() not in ("token", "bearer") or not credential:
            return None
        if credential in self.tokens:
            import time

            return "token" if time.monotonic() < self.tokens[credential] else None
        return "key" if self.accept_any_key or credential == self.api_key else None

    def find_script(self, method: str, path: str) -> Optional[Script]:
        for script in self.scripts:
            if script.matches(method, path):
                script.consume()
                return script
        return None

    async def pause(self, seconds: float) -> None:
        """Sleep, but wake up when the emulator stops."""
        assert self.stopping is not None
        try:
            await asyncio.wait_for(self.stopping.wait(), timeout=seconds)
        except asyncio.TimeoutError:
            pass

    async def deliver_callback(self, method: str, url: str, payload: Any) -> None:
        """POST (or PUT) a finished result to a callback URL, noting the outcome."""
        import aiohttp

        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
                async with session.request(method, url, json=payload) as response:
                    outcome: Any = response.status
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
            outcome = repr(exc)
        with self.callbacks_changed:
            self.callbacks.append((url, outcome))
            self.callbacks_changed.notify_all()

    def spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self.background.add(task)
        task.add_done_callback(self.background.discard)


async def _play(plumbing: Plumbing, script: Script, request: web.Request) -> web.StreamResponse:
    if script.delay:
        await plumbing.pause(script.delay)
    if script.fault == "stall":
        await plumbing.pause(3600)
        raise web.HTTPServiceUnavailable()
    if script.fault == "reset":
        if request.transport is not None:
            request.transport.abort()
        raise asyncio.CancelledError()
    if script.json_body is not None:
        answer = web.json_response(script.json_body, status=script.status, headers=script.headers)
    else:
        body = script.body.encode() if isinstance(script.body, str) else (script.body or b"")
        answer = web.Response(body=body, status=script.status, headers=script.headers)
    if script.fault == "stall_body":
        return await _stall_body(plumbing, answer, request)
    return answer


async def _stall_body(plumbing: Plumbing, answer: web.Response, request: web.Request) -> web.StreamResponse:
    """Send the answer's status, headers and first half, then stall (until the emulator stops)."""
    body = answer.body if isinstance(answer.body, bytes) and answer.body else \
        b'{"note": "the rest of this answer never comes"}'
    stream = web.StreamResponse(status=answer.status, headers=answer.headers)
    stream.content_length = len(body)
    await stream.prepare(request)
    await stream.write(body[: len(body) // 2])
    await plumbing.pause(3600)
    return stream


async def _read_slowly(plumbing: Plumbing, request: web.Request) -> None:
    """Read the upload at ``SLOW_READ_RATE`` bytes a second (a server that barely reads)."""
    import hashlib

    record: RecordedRequest = request[RECORD]
    digest, kept = hashlib.sha256(), bytearray()
    assert plumbing.stopping is not None
    while not plumbing.stopping.is_set():
        chunk = await request.content.read(SLOW_READ_RATE)
        if not chunk:
            break
        digest.update(chunk)
        kept.extend(chunk[: 16 * 1024 * 1024 - len(kept)])
        record.body, record.body_size = bytes(kept), record.body_size + len(chunk)
        await plumbing.pause(1.0)
    request[BODY_SHA] = digest.hexdigest()  # what read_body() would have found


def middleware(plumbing: Plumbing) -> Callable:
    """Record, play scripts, check auth, and stamp every answer with ``dg-request-id``."""

    @web.middleware
    async def handle(request: web.Request, handler: Callable) -> web.StreamResponse:
        request_id = str(uuid.uuid4())
        request[REQUEST_ID] = request_id
        path = request.path[3:] if request.path.startswith(("/v1/", "/v2/")) else request.path
        peer = request.transport.get_extra_info("peername") if request.transport else None
        record = RecordedRequest(request.method, request.path, request.raw_path.split("?", 1)[0],
                                 list(request.query.items()), request.headers, request_id,
                                 tuple(peer) if peer else None)
        request[RECORD] = record
        plumbing.requests.append(record)
        script = plumbing.find_script(request.method, path)
        try:
            if script is not None and script.fault == "reset" and script.after_bytes is not None:
                # Break the connection in the middle of the upload.
                await read_body(request, limit=script.after_bytes)
                if request.transport is not None:
                    request.transport.abort()
                raise asyncio.CancelledError()
            if script is not None and script.fault == "slow_read":
                await _read_slowly(plumbing, request)
            elif request.can_read_body:
                await read_body(request)
            if script is not None:
                response = await _play(plumbing, script, request)
            elif path.startswith("/samples/"):
                response = await handler(request)
            else:
                granted = plumbing.authorized(request.headers.get("Authorization")) or _ws_protocol_auth(plumbing, request)
                if not granted:
                    response = error_response(401, "INVALID_AUTH", "Invalid credentials.", request_id)
                    # A rejected websocket upgrade also says why in a header (clients rarely read bodies).
                    response.headers["dg-error"] = "Invalid credentials."
                elif granted == "token" and path not in TOKEN_PATHS:
                    # Access tokens carry usage scopes only: no management endpoints.
                    response = error_response(403, "INSUFFICIENT_PERMISSIONS",
                                              "Access tokens cannot call management endpoints.", request_id)
                else:
                    response = await handler(request)
        except web.HTTPException as exc:
            # Router errors (unknown path, wrong method) in Deepgram's JSON error shape.
            response = error_response(exc.status, exc.reason.replace(" ", "_").upper(),
                                      f"{exc.reason}: {request.method} {request.path}", request_id)
        if not response.prepared:
            response.headers.setdefault("dg-request-id", request_id)
            if request.headers.get("Upgrade", "").lower() == "websocket":
                # A refused upgrade ends the connection, as Deepgram's edge does; clients wait
                # for that before reporting the refusal.
                response.force_close()
        return response

    return handle


def _ws_protocol_auth(plumbing: Plumbing, request: web.Request) -> Optional[str]:
    # Browsers cannot set headers on a websocket: they send the key as a subprotocol pair.
    protocols = [p.strip() for p in request.headers.get("Sec-WebSocket-Protocol", "").split(",")]
    if len(protocols) >= 2 and protocols[0].lower() in ("token", "bearer"):
        return plumbing.authorized(f"{protocols[0]} {protocols[1]}")
    return None


TOKEN_PATHS = frozenset({"/listen", "/speak", "/read", "/auth/grant"})


async def read_body(request: web.Request, keep: int = 16 * 1024 * 1024,
                    limit: Optional[int] = None) -> Tuple[bytes, int, Any]:
    """Read the body in chunks (only ``limit`` bytes, if given); keep its first ``keep`` bytes,
    its size and its SHA-256."""
    import hashlib

    record: RecordedRequest = request[RECORD]
    if BODY_SHA in request:
        return record.body, record.body_size, request[BODY_SHA]
    digest, kept, size = hashlib.sha256(), bytearray(), 0
    step = 256 * 1024 if limit is None else max(1, min(256 * 1024, limit))
    async for chunk in request.content.iter_chunked(step):
        digest.update(chunk)
        size += len(chunk)
        if len(kept) < keep:
            kept.extend(chunk[: keep - len(kept)])
        if limit is not None and size >= limit:
            break
    record.body, record.body_size = bytes(kept), size
    request[BODY_SHA] = digest.hexdigest()
    return record.body, size, request[BODY_SHA]
