"""What every emulated websocket shares: the session record, scripted faults, and a safe close."""

import asyncio
import threading
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

from aiohttp import WSMsgType, web

from ._server import params_of

NET_0001 = ("NET-0001: Deepgram did not receive audio data or a text message within the "
            "timeout window. See https://dpgr.am/net0001")
IDLE_SECONDS = 10.0

LISTEN_PATH = "/v1/listen"
AGENT_PATH = "/v1/agent/converse"
# Every websocket the emulator serves; faults can be scripted for each.
SOCKET_PATHS = (LISTEN_PATH, "/v2/listen", "/v1/speak", "/v2/speak", AGENT_PATH)
FAULT_KINDS = ("close", "drop", "stall", "linger")


class LiveFault(NamedTuple):
    """A scripted misbehaviour of the next session on ``path``, once ``after_bytes`` of audio flowed."""

    kind: str  # "close" (a close frame with code/reason), "drop" (no close frame), "stall",
    # or "linger" (the server finishes its answer but never sends its close frame)
    after_bytes: int = 0
    code: int = 1011
    reason: str = "NET-0000: The service has not transmitted a Text frame to the client within the timeout window."
    path: str = LISTEN_PATH
    after_seconds: Optional[float] = None  # /v1/listen: also wait for this much audio, in seconds


class LiveSession:
    """What one websocket connection received and sent, kept for assertions."""

    def __init__(self, query: List[Tuple[str, str]], headers: Dict[str, str], request_id: str,
                 path: str = LISTEN_PATH) -> None:
        self.path: str = path
        self.query: List[Tuple[str, str]] = query
        self.headers: Dict[str, str] = headers
        self.request_id: str = request_id
        self.frames: List[Tuple[str, int]] = []  # ("binary" | "text", size) in arrival order
        self.messages: List[Any] = []  # the client's text messages, parsed (JSON: any value; None if not JSON)
        self.sent: List[Dict[str, Any]] = []  # what the server sent; a binary frame as {"binary": size}
        self.audio_bytes: int = 0  # binary bytes received
        self.audio_sent: int = 0  # binary bytes sent
        # The code the server sent or received. When the client closes, its close can complete before
        # the server has recorded it: read it with ``wait_closed()``.
        self.close_code: Optional[int] = None
        self.closed: threading.Event = threading.Event()  # set, from the emulator's thread, when it ended

    def wait_closed(self, timeout: float = 10.0) -> Optional[int]:
        """Block until the emulator has finished with this connection (or ``timeout``); its close code."""
        self.closed.wait(timeout)
        return self.close_code

    @property
    def params(self) -> Dict[str, List[str]]:
        """The query as a dict of lists (repeated keys keep every value, in order)."""
        return params_of(self.query)

    @property
    def sent_types(self) -> List[str]:
        """The ``type`` of each message sent, ``"binary"`` for a binary frame, in order."""
        return ["binary" if "binary" in m and "type" not in m else str(m.get("type")) for m in self.sent]

    def __repr__(self) -> str:
        return (f"<LiveSession {self.path} {len(self.frames)} frames {self.audio_bytes} audio bytes "
                f"close={self.close_code}>")


def make_fault(kind: str, after_bytes: int, code: int, reason: Optional[str], path: str,
               after_seconds: Optional[float] = None) -> LiveFault:
    """A checked ``LiveFault`` (ValueError for an unknown kind or path)."""
    if kind not in FAULT_KINDS:
        raise ValueError("kind must be 'close', 'drop', 'stall' or 'linger'")
    if path not in SOCKET_PATHS:
        raise ValueError(f"path must be one of {', '.join(SOCKET_PATHS)}")
    if after_seconds is not None and (path != LISTEN_PATH or after_seconds < 0):
        raise ValueError("after_seconds is a number of seconds of audio >= 0, on /v1/listen only")
    if reason is None:
        return LiveFault(kind, after_bytes, code, path=path, after_seconds=after_seconds)
    return LiveFault(kind, after_bytes, code, reason, path, after_seconds)


async def close_mid_stream(ws: web.WebSocketResponse, code: int, reason: str) -> None:
    """Close while the client may still be sending, without losing the close frame.

    ``ws.close()`` of some aiohttp releases drops the connection after reading one more frame;
    with the client's audio still unread the kernel then resets the socket, which can destroy
    the close frame in flight (the client would see 1006). So send the close frame, and read on
    until the client's own close frame arrives.
    """
    # A close frame's reason holds at most 123 bytes; a longer one is a protocol error to the client.
    message = reason.encode()[:123].decode(errors="ignore").encode()
    writer = getattr(ws, "_writer", None)
    if writer is None:
        await ws.close(code=code, message=message)
        return
    await writer.close(code, message)
    while True:
        try:
            answer = await ws.receive(timeout=5)
        except asyncio.TimeoutError:
            return
        if answer.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED, WSMsgType.ERROR):
            return
