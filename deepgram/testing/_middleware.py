"""The emulator's request pipeline: record each request, check its credentials, play its script
or fault, read its body, and stamp the answer with a request id."""

import asyncio
import uuid
from typing import Optional, Tuple

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from ._server import BODY_SHA, RECORD, REQUEST_ID, SLOW_READ_RATE, Plumbing, RecordedRequest, Script, error_response


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


def middleware(plumbing: Plumbing) -> Middleware:
    """Record, play scripts, check auth, and stamp every answer with ``dg-request-id``."""

    async def handle(request: web.Request, handler: Handler) -> web.StreamResponse:
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
                granted = (plumbing.authorized(request.headers.get("Authorization"))
                           or _ws_protocol_auth(plumbing, request))
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

    # Applied as a call: to a checker without aiohttp installed a decorator would hide the types.
    return web.middleware(handle)


def _ws_protocol_auth(plumbing: Plumbing, request: web.Request) -> Optional[str]:
    # Browsers cannot set headers on a websocket: they send the key as a subprotocol pair.
    protocols = [p.strip() for p in request.headers.get("Sec-WebSocket-Protocol", "").split(",")]
    if len(protocols) >= 2 and protocols[0].lower() in ("token", "bearer"):
        return plumbing.authorized(f"{protocols[0]} {protocols[1]}")
    return None


# What an access token may call: the usage endpoints (the voice agent's websocket included).
TOKEN_PATHS = frozenset({"/listen", "/speak", "/read", "/auth/grant", "/agent/converse"})


async def read_body(request: web.Request, keep: int = 16 * 1024 * 1024,
                    limit: Optional[int] = None) -> Tuple[bytes, int, str]:
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
