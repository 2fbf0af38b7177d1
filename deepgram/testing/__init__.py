"""A local Deepgram emulator for tests and offline development.

    from deepgram import Deepgram
    from deepgram.testing import FakeDeepgram

    with FakeDeepgram() as fake:
        dg = Deepgram({"api_key": fake.api_key, "api_url": fake.url})
        response = dg.transcription.sync_prerecorded({"url": fake.sample_url("fox.wav")})

It speaks Deepgram's REST wire protocol (``/v1/listen`` and the management endpoints) and its
websockets (``/v1/listen``, ``/v2/listen``, ``/v1/speak``, ``/v2/speak``, ``/v1/agent/converse``)
on a free local port, from a background thread. Transcripts are deterministic: the bundled
samples map to their real text, other audio gets words spread over its duration. It keeps
every request it received (``fake.requests``) and plays scripted answers and faults
(``fake.script(...)``). From a shell: ``python -m deepgram.testing --port 8080``.
"""

from .._install import require_deepgram_v0

require_deepgram_v0(__name__)  # first: the `deepgram` imported may be deepgram-sdk installed over ours

import asyncio
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, List, Mapping, Optional, Union

from ._server import Callback, RecordedRequest, Script
from ._state import Account

if TYPE_CHECKING:  # for annotations only: importing them stays lazy, as it was
    import ssl

    from aiohttp import web

    from ._socket_common import LiveSession

__all__ = ["SAMPLES_DIR", "FakeDeepgram", "RecordedRequest", "sample_path"]

SAMPLES_DIR = Path(__file__).with_name("samples")
DEFAULT_KEY = "emulator-key-0123456789abcdef"


def sample_path(name: str = "fox.wav") -> Path:
    """The path of a bundled audio sample (``fox.wav``: two spoken sentences)."""
    return SAMPLES_DIR / name


class FakeDeepgram:
    """The emulator, served from its own thread and event loop on ``host:port`` (0: a free port)."""

    def __init__(self, api_key: str = DEFAULT_KEY, host: str = "127.0.0.1", port: int = 0,
                 accept_any_key: bool = False, time_scale: float = 1.0,
                 ssl_context: "Optional[ssl.SSLContext]" = None) -> None:
        """``time_scale`` shrinks the websockets' timers (0.1: the 10 s idle close after 1 s);
        ``ssl_context`` (a server-side ``ssl.SSLContext``) serves HTTPS and WSS instead."""
        from ._server import Plumbing

        self.api_key: str = api_key
        self.host: str = host
        self.port: int = port  # the bound port once started
        self.ssl_context: Optional[ssl.SSLContext] = ssl_context
        self.account: Account = Account(api_key)
        self._plumbing = Plumbing(api_key, accept_any_key, time_scale)
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._thread: Optional[threading.Thread] = None
        self._runner: Optional[web.AppRunner] = None

    # -- addresses ------------------------------------------------------------------------

    @property
    def root(self) -> str:
        """The server's root URL: ``http://127.0.0.1:PORT`` (``https`` with an SSL context)."""
        return f"{'https' if self.ssl_context else 'http'}://{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """The ``api_url`` to give the client: ``http://127.0.0.1:PORT/v1``."""
        return self.root + "/v1"

    @property
    def project_id(self) -> str:
        """The id of the emulated account's project."""
        return Account.PROJECT_ID

    @property
    def member_id(self) -> str:
        """The id of the project's one member, its owner."""
        return Account.MEMBER_ID

    def sample_url(self, name: str = "fox.wav") -> str:
        """A URL, served by the emulator, of a bundled sample (usable as a ``{"url": ...}`` source)."""
        return f"{self.root}/samples/{name}"

    # -- what it saw, what it should do ---------------------------------------------------

    @property
    def requests(self) -> List[RecordedRequest]:
        """Every request received, oldest first."""
        return self._plumbing.requests

    @property
    def last_request(self) -> RecordedRequest:
        """The most recent request received (IndexError before any)."""
        return self._plumbing.requests[-1]

    @property
    def callbacks(self) -> List[Callback]:
        """(url, status or error) for each callback the emulator delivered."""
        return self._plumbing.callbacks

    def wait_for_callbacks(self, count: int = 1, timeout: float = 10.0) -> List[Callback]:
        """Block until ``count`` callbacks were delivered (or ``timeout``); return them all."""
        plumbing = self._plumbing
        with plumbing.callbacks_changed:
            plumbing.callbacks_changed.wait_for(lambda: len(plumbing.callbacks) >= count, timeout)
            return list(plumbing.callbacks)

    def duplicate_callbacks(self, times: int = 2) -> None:
        """Deliver the callback of every later request ``times`` times, one delivery after the
        other's answer, as Deepgram's retries may (test that a receiver acts on a result once).
        Each delivery counts in ``callbacks`` and ``wait_for_callbacks``; ``times=1`` restores
        single delivery."""
        if isinstance(times, bool) or not isinstance(times, int) or times < 1:
            raise ValueError(f"times must be a positive int, not {times!r}")
        self._plumbing.callback_repeats = times

    def script(self, method: str, path: str, *, status: int = 200, json: Any = None,
               body: Union[str, bytes, None] = None, headers: Optional[Mapping[str, str]] = None,
               delay: float = 0.0, fault: Optional[str] = None, times: Optional[int] = 1,
               after_bytes: Optional[int] = None) -> None:
        """Answer the next ``times`` requests matching ``method`` and ``path`` (a glob under /v1,
        e.g. ``"/listen"`` or ``"/projects/*"``) with this status and body, after ``delay``
        seconds. Faults: ``"reset"`` drops the connection (after reading ``after_bytes`` of the
        upload, if given, else after the whole upload); ``"stall"`` never answers;
        ``"stall_body"`` sends the status, the headers and half of the body, then nothing more;
        ``"slow_read"`` reads the upload at 1 KiB a second (the client's writes stall).
        ``times=None`` keeps it forever."""
        self._plumbing.scripts.append(Script(method, path, times, status, json, body,
                                             headers, delay, fault, after_bytes))

    @property
    def live_sessions(self) -> "List[LiveSession]":
        """Every ``/v1/listen`` connection (``LiveSession``: query, frames, messages, sent, close_code)."""
        return self._plumbing.live_sessions

    @property
    def sockets(self) -> "List[LiveSession]":
        """Every websocket connection, on any path, oldest first (``LiveSession.path`` tells them apart)."""
        return self._plumbing.sockets

    def live_fault(self, kind: str, after_bytes: int = 0, code: int = 1011, reason: Optional[str] = None,
                   path: str = "/v1/listen", after_seconds: Optional[float] = None) -> None:
        """Make the next session on websocket ``path`` misbehave once ``after_bytes`` of audio flowed
        (received on ``/v1/listen``, ``/v2/listen`` and ``/v1/agent/converse``; sent on ``/v1/speak``
        and ``/v2/speak``): ``"close"`` sends a close frame (``code``, ``reason``; 1011 NET-0000 by
        default), ``"drop"`` cuts the connection without one (the client sees 1006), ``"stall"``
        stops answering anything, and ``"linger"`` answers the client's closing message
        (CloseStream, Close) in full but never sends the close frame (on the agent socket, which
        only the client closes: leaves the client's close frame unanswered).

        On ``/v1/listen``, ``after_seconds`` waits (also) for that much audio, in seconds of the
        stream's encoding. A stream that "close" or "drop" cut is remembered: a later stream that
        starts with audio it heard (a client reconnecting and replaying) gets the same words at
        the same places of the audio, as a real recogniser would, timed from its own start."""
        from ._socket_common import make_fault

        self._plumbing.live_faults.append(make_fault(kind, after_bytes, code, reason, path, after_seconds))

    def clear(self) -> None:
        """Forget recorded requests and pending scripts."""
        self._plumbing.requests.clear()
        self._plumbing.scripts.clear()
        self._plumbing.live_faults.clear()

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> "FakeDeepgram":
        """Start serving in a background thread; returns once the port is bound."""
        if self._thread is not None:
            return self
        loop = self._loop = asyncio.new_event_loop()
        started = threading.Event()
        failure: List[BaseException] = []

        def run() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._serve())
            except BaseException as exc:
                failure.append(exc)
                started.set()
                return
            started.set()
            loop.run_forever()

        self._thread = threading.Thread(target=run, name="FakeDeepgram", daemon=True)
        self._thread.start()
        started.wait()
        if failure:
            self._thread.join()
            loop.close()
            self._thread = None
            raise failure[0]
        return self

    async def _serve(self) -> None:
        from aiohttp import web

        from ._app import build_app

        self._plumbing.stopping = asyncio.Event()
        app = build_app(self.account, self._plumbing)
        runner = self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port, ssl_context=self.ssl_context)
        await site.start()
        self.port = int(runner.addresses[0][1])

    async def _shutdown(self) -> None:
        assert self._plumbing.stopping is not None and self._runner is not None
        runner = self._runner
        self._plumbing.stopping.set()
        for task in list(self._plumbing.background):
            task.cancel()
        # Drop every connection still open. A TLS one closes politely by waiting for the client's
        # close_notify, which an idle pooled client never sends; and from Python 3.12 the server's
        # wait_closed() waits for each connection, so one held by a stalled upload or a lingering
        # websocket would hold the emulator's stop for aiohttp's whole shutdown timeout.
        for handler in list(getattr(runner.server, "connections", [])):
            if handler.transport is not None:
                handler.transport.close()  # marks the TLS wrapper closed (3.8's abort does not)
                handler.transport.abort()
        await runner.cleanup()
        # cleanup() cancels a connection still busy (a stalled or lingering websocket) without
        # awaiting it: let those tasks finish, or the loop closes on them ("Task was destroyed").
        leftovers = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        if leftovers:
            await asyncio.wait(leftovers, timeout=5)

    def stop(self) -> None:
        """Stop serving and release the port, the loop and the thread."""
        if self._thread is None or self._loop is None:
            return
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=30)
        self._loop.close()
        self._thread = None

    def __enter__(self) -> "FakeDeepgram":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<FakeDeepgram {self.url if self._thread else 'stopped'}>"
