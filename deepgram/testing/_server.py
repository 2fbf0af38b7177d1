"""The emulator's plumbing: request records, scripted responses and faults, credentials, request ids.

The middleware that applies them to each request is in ``_middleware``.
"""

import asyncio
import base64
import fnmatch
import json
import threading
from typing import TYPE_CHECKING, Any, Coroutine, Dict, List, Mapping, Optional, Set, Tuple, Union
from urllib.parse import unquote, urlsplit, urlunsplit

from aiohttp import web

from ._resume_words import ResumeIndex

if TYPE_CHECKING:  # _socket_common imports this module
    from ._socket_common import LiveFault, LiveSession


def _key(name: str) -> Any:
    # aiohttp 3.12+ wants typed keys for request storage; older releases only have strings, so
    # the key's type depends on the installed aiohttp: Any.
    factory = getattr(web, "RequestKey", None)
    return factory(name, object) if factory else name


REQUEST_ID = _key("request_id")
RECORD = _key("record")
BODY_SHA = _key("body_sha")


# The client's socket address: (host, port), and (host, port, flowinfo, scope_id) over IPv6.
Peer = Tuple[Union[str, int], ...]
# (url, HTTP status or the delivery error's repr) of a callback the emulator delivered.
Callback = Tuple[str, Union[int, str]]


def params_of(pairs: List[Tuple[str, str]]) -> Dict[str, List[str]]:
    """A query as a dict of lists (repeated keys keep every value, in order)."""
    found: Dict[str, List[str]] = {}
    for key, value in pairs:
        found.setdefault(key, []).append(value)
    return found


class RecordedRequest:
    """One request the emulator received, kept for assertions."""

    def __init__(self, method: str, path: str, raw_path: str, query: List[Tuple[str, str]],
                 headers: Mapping[str, str], request_id: str, peer: Optional[Peer] = None) -> None:
        self.peer: Optional[Peer] = peer  # the client's (host, port): tells reused connections apart
        self.method: str = method
        self.path: str = path
        self.raw_path: str = raw_path
        self.query: List[Tuple[str, str]] = query
        self.headers: Dict[str, str] = dict(headers)
        self.request_id: str = request_id
        self.body: bytes = b""  # the first 16 MiB
        self.body_size: int = 0

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
                 json_body: Any = None, body: Union[str, bytes, None] = None,
                 headers: Optional[Mapping[str, str]] = None, delay: float = 0.0,
                 fault: Optional[str] = None, after_bytes: Optional[int] = None) -> None:
        if fault not in FAULTS:
            raise ValueError(f"fault must be one of {', '.join(map(repr, FAULTS))}")
        self.method, self.path, self.times = method.upper(), path, times
        self.status, self.json_body, self.body = status, json_body, body
        self.headers, self.delay, self.fault = dict(headers or {}), delay, fault
        self.after_bytes = after_bytes

    def matches(self, method: str, path: str) -> bool:
        """Whether this script answers ``method path`` (and has answers left)."""
        return (self.method in ("*", method)) and fnmatch.fnmatchcase(path, self.path) and self.times != 0

    def consume(self) -> None:
        """Count one answer played."""
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
        self.live_sessions: List[LiveSession] = []  # /v1/listen's
        self.sockets: List[LiveSession] = []  # every websocket's, /v1/listen's included
        self.live_faults: List[LiveFault] = []  # for every websocket path, in the order scripted
        self.resume_index = ResumeIndex()  # /v1/listen streams a fault cut, for streams resuming them
        self.tokens: Dict[str, float] = {}
        self.requests: List[RecordedRequest] = []
        self.scripts: List[Script] = []
        self.stopping: Optional[asyncio.Event] = None
        self.background: Set[asyncio.Task[None]] = set()
        self.callbacks: List[Callback] = []
        self.callbacks_changed = threading.Condition()
        self.callback_repeats = 1  # deliveries of each callback: Deepgram's retries may repeat one

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

    def record_socket(self, session: "LiveSession") -> None:
        """Keep a websocket session for assertions (/v1/listen's also in ``live_sessions``)."""
        self.sockets.append(session)
        if session.path == "/v1/listen":
            self.live_sessions.append(session)

    def take_fault(self, path: str) -> "Optional[LiveFault]":
        """The first fault scripted for ``path``, removed from the queue; None if there is none."""
        for index, fault in enumerate(self.live_faults):
            if fault.path == path:
                return self.live_faults.pop(index)
        return None

    def find_script(self, method: str, path: str) -> Optional[Script]:
        """The first script matching the request, its answer counted; None if none matches."""
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

    async def deliver_callback(self, method: str, url: str, payload: Dict[str, Any], times: int = 1) -> None:
        """POST (or PUT) a finished result to a callback URL ``times`` times in a row, noting
        each outcome; a URL's ``user:password@`` goes as an ``Authorization: Basic`` header."""
        for _ in range(max(times, 1)):
            outcome = await self._send_callback(method, url, payload)
            with self.callbacks_changed:
                self.callbacks.append((url, outcome))
                self.callbacks_changed.notify_all()

    async def _send_callback(self, method: str, url: str, payload: Dict[str, Any]) -> Union[int, str]:
        """One delivery: the HTTP status of the answer, or the delivery error's repr."""
        import aiohttp

        target, headers = url, {}
        parts = urlsplit(url)
        if parts.username is not None:
            # aiohttp would send a URL's credentials itself, but encoded as Latin-1 (failing on
            # other characters): UTF-8, as RFC 7617 advises, gives the same bytes for ASCII.
            pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
            target = urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
                async with session.request(method, target, json=payload, headers=headers) as response:
                    return int(response.status)
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError, ValueError) as exc:
            return repr(exc)  # ValueError: a URL aiohttp cannot use (a bad port, say)

    def spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        """Run ``coro`` in the background (cancelled when the emulator stops)."""
        task = asyncio.ensure_future(coro)
        self.background.add(task)
        task.add_done_callback(self.background.discard)
