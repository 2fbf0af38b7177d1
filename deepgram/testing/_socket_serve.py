"""The loop under the emulator's newer websockets: handshake checks, records, faults, idle closes.

Each socket's protocol is a ``Conversation``; ``endpoint`` turns one into an aiohttp handler.
"""

import asyncio
import json
from typing import Any, Awaitable, Callable, Dict, NoReturn, Optional, TypeVar

from aiohttp import WSMessage, WSMsgType, web

from ._server import REQUEST_ID, Plumbing, error_response
from ._socket_common import AGENT_PATH, IDLE_SECONDS, NET_0001, LiveFault, LiveSession, close_mid_stream
from ._socket_query import Query, QueryError
from ._synth import frames

_GONE = (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED, WSMsgType.ERROR)


class Ended(Exception):
    """The session is over (closed, dropped or stalled): stop serving it."""


class Channel:
    """One accepted websocket: what goes through it is recorded, and scripted faults strike here."""

    def __init__(self, plumbing: Plumbing, request: web.Request, ws: web.WebSocketResponse,
                 session: LiveSession, fault: Optional[LiveFault], answers_close: bool) -> None:
        self.plumbing = plumbing
        self.request = request
        self.ws = ws
        self.session = session
        self.fault = fault
        self.answers_close = answers_close  # False: the client's close frame is left unanswered
        self.faults_count_sent = False  # faults strike after audio sent, not received

    @property
    def request_id(self) -> str:
        """The id the handshake answer carried in ``dg-request-id``."""
        return self.session.request_id

    async def send(self, message: Dict[str, Any]) -> None:
        """Send one JSON message."""
        self.session.sent.append(message)
        await self.ws.send_str(json.dumps(message))

    async def send_audio(self, audio: bytes, rate: int, encoding: str) -> None:
        """Send audio as binary frames; a fault counting audio sent strikes after the frame that reaches it."""
        for frame in frames(audio, rate, encoding):
            self.session.sent.append({"binary": len(frame)})
            self.session.audio_sent += len(frame)
            await self.ws.send_bytes(frame)
            if self.faults_count_sent:
                await self.strike_if_due(self.session.audio_sent)

    async def strike_if_due(self, count: int) -> None:
        """Play the scripted close/drop/stall once ``count`` bytes of audio flowed (then Ended)."""
        fault = self.fault
        if fault is None or fault.kind == "linger" or count < fault.after_bytes:
            return
        self.session.close_code = fault.code if fault.kind == "close" else 1006
        if fault.kind == "close":
            await close_mid_stream(self.ws, fault.code, fault.reason)
        elif fault.kind == "drop":
            if self.request.transport is not None:
                self.request.transport.abort()
        else:  # stall: hold the connection, answer nothing, until the emulator stops
            await self.plumbing.pause(3600)
        raise Ended()

    async def end(self, code: int, reason: str) -> NoReturn:
        """Close with ``code`` and ``reason`` (an error: the client may still be sending)."""
        self.session.close_code = code
        await close_mid_stream(self.ws, code, reason)
        raise Ended()

    async def finish(self) -> NoReturn:
        """Close normally (1000), or, with a linger fault, wait for the client to close instead."""
        if self.fault is not None and self.fault.kind == "linger":
            while (await self.ws.receive()).type not in _GONE:
                pass
            raise Ended()
        self.session.close_code = 1000
        await self.ws.close(code=1000)
        raise Ended()

    async def ignore_close(self) -> None:
        """Leave the client's close frame unanswered (the linger fault) until it drops the connection."""
        stopping = self.plumbing.stopping
        while self.request.transport is not None and not self.request.transport.is_closing():
            if stopping is not None and stopping.is_set():
                return
            await self.plumbing.pause(0.02)


class Conversation:
    """One connection's protocol: what the server says on open, and how it answers the client."""

    IDLE_SECONDS: Optional[float] = IDLE_SECONDS  # None: the server never closes an idle session
    FAULTS_COUNT_AUDIO_IN = True  # faults strike after audio received (False: after audio sent)

    def __init__(self, channel: Channel) -> None:
        self.channel = channel

    async def opened(self) -> None:
        """Greet the client."""

    async def audio(self, data: bytes) -> None:
        """Take a binary frame; by default one is not expected."""
        await self.invalid("binary frames are not accepted here")

    async def text(self, message: Any) -> None:
        """Take a text frame, parsed (None when it is not JSON)."""
        await self.invalid("unrecognised message")

    async def invalid(self, why: str) -> NoReturn:
        """Answer a message the protocol does not allow: by default, close 1008."""
        await self.channel.end(1008, f"DATA-0000: {why}")

    async def idle(self) -> NoReturn:
        """Nothing came for ``IDLE_SECONDS``: close 1011, as ``/v1/listen`` does."""
        await self.channel.end(1011, NET_0001)


C = TypeVar("C")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def endpoint(plumbing: Plumbing, path: str, parse: Callable[[Query], C],
             conversation: Callable[[Channel, C], Conversation]) -> Handler:
    """An aiohttp handler serving ``path``: the query parsed by ``parse``, then the conversation."""

    async def handle(request: web.Request) -> web.StreamResponse:
        try:
            config = parse(request.query)
        except QueryError as exc:
            return rejected(request, str(exc))
        return await _serve(plumbing, request, path, lambda channel: conversation(channel, config))

    return handle


def rejected(request: web.Request, why: str) -> web.Response:
    """A refused handshake: 400, the reason in the JSON body and in ``dg-error``."""
    response = error_response(400, "Bad Request", why, request[REQUEST_ID])
    response.headers["dg-error"] = why
    return response


async def _serve(plumbing: Plumbing, request: web.Request, path: str,
                 make: Callable[[Channel], Conversation]) -> web.StreamResponse:
    fault = plumbing.take_fault(path)
    # A linger fault on a socket only the client closes leaves the client's close frame unanswered.
    answers_close = not (fault is not None and fault.kind == "linger" and path == AGENT_PATH)
    ws = web.WebSocketResponse(protocols=("token", "bearer"), max_msg_size=0, autoclose=answers_close)
    ws.headers["dg-request-id"] = request[REQUEST_ID]
    await ws.prepare(request)
    session = LiveSession(list(request.query.items()), dict(request.headers), request[REQUEST_ID], path)
    plumbing.record_socket(session)
    channel = Channel(plumbing, request, ws, session, fault, answers_close)
    conversation = make(channel)
    channel.faults_count_sent = not conversation.FAULTS_COUNT_AUDIO_IN
    try:
        await _converse(channel, conversation)
    except (Ended, ConnectionResetError):  # ConnectionResetError: the client vanished mid-answer
        pass
    finally:
        if session.close_code is None:
            session.close_code = ws.close_code
        session.closed.set()
    return ws


async def _converse(channel: Channel, conversation: Conversation) -> None:
    await conversation.opened()
    idle = conversation.IDLE_SECONDS
    while True:
        try:
            wait = None if idle is None else idle * channel.plumbing.time_scale
            message: WSMessage = await asyncio.wait_for(channel.ws.receive(), wait)
        except asyncio.TimeoutError:
            await conversation.idle()
        if message.type == WSMsgType.BINARY:
            await _binary(channel, conversation, message.data)
        elif message.type == WSMsgType.TEXT:
            await _text(channel, conversation, message.data)
        else:
            if message.type == WSMsgType.CLOSE and not channel.answers_close:
                await channel.ignore_close()
            return


async def _text(channel: Channel, conversation: Conversation, data: str) -> None:
    channel.session.frames.append(("text", len(data)))
    try:
        parsed = json.loads(data)
    except ValueError:
        parsed = None
    channel.session.messages.append(parsed)
    await conversation.text(parsed)


async def _binary(channel: Channel, conversation: Conversation, data: bytes) -> None:
    channel.session.frames.append(("binary", len(data)))
    channel.session.audio_bytes += len(data)
    await conversation.audio(data)
    if conversation.FAULTS_COUNT_AUDIO_IN:
        await channel.strike_if_due(channel.session.audio_bytes)
