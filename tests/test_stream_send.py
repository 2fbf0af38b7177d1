"""The direct send path: an idle stream writes in send() itself, a write that must wait is
finished by the sender task, and frames always go out in the order send() took them."""

import asyncio
import threading

from deepgram._stream_end import _STOP
from deepgram.live import LiveSettings, LiveTranscription


class PausableSocket:
    """A websocket stand-in whose writes wait while it is paused, as a full connection does."""

    def __init__(self):
        self.sent = []
        self.resumed = asyncio.Event()
        self.resumed.set()
        self.fail_next = None

    async def send(self, frame):
        if self.fail_next is not None:
            error, self.fail_next = self.fail_next, None
            raise error
        if not self.resumed.is_set():
            await self.resumed.wait()
        self.sent.append(frame)


def stream_on(socket):
    live = LiveTranscription({"api_key": "k"}, settings=LiveSettings(keepalive_interval=None))
    live._session.connecting()
    loop = asyncio.get_running_loop()
    live._session.opened(loop.time())
    live._loop, live._loop_thread, live._time = loop, threading.get_ident(), loop.time
    live._outgoing, live._room = asyncio.Queue(), asyncio.Event()
    live._room.set()
    live._socket = socket
    return live


def test_an_idle_stream_writes_in_send_itself():
    async def main():
        socket = PausableSocket()
        live = stream_on(socket)
        live.send(b"one")
        written_at_once = list(socket.sent)  # no await since send(): no task ran
        return written_at_once, live._session.buffered, live._outgoing.qsize()

    assert asyncio.run(main()) == ([b"one"], 0, 0)


def test_a_write_that_must_wait_is_finished_by_the_sender_in_order():
    async def main():
        socket = PausableSocket()
        live = stream_on(socket)
        sender = asyncio.ensure_future(live._send_loop())
        socket.resumed.clear()  # the connection's buffer is full
        live.send(b"first")  # its write starts here, then waits
        live.send(b"second")  # queued behind it
        live.send("third")
        assert socket.sent == [] and live._session.buffered == len(b"firstsecondthird")
        socket.resumed.set()
        while live._session.buffered:
            await asyncio.sleep(0)
        live._outgoing.put_nowait(_STOP)
        await sender
        return socket.sent

    assert asyncio.run(main()) == [b"first", b"second", "third"]


def test_a_write_that_fails_in_send_is_reported_by_the_sender():
    async def main():
        socket = PausableSocket()
        live = stream_on(socket)
        errors = []
        live.register_handler(live.event.ERROR, errors.append)
        sender = asyncio.ensure_future(live._send_loop())
        socket.fail_next = OSError("broken pipe")
        live.send(b"lost")
        await asyncio.wait_for(sender, 5)  # the sender reports the failure and stops
        return errors, live._session.buffered

    errors, buffered = asyncio.run(main())
    assert [e.kind for e in errors] == ["send"] and "broken pipe" in errors[0]
    assert buffered == 0


def test_queued_bytes_are_bounded_and_drain_waits_for_room():
    from deepgram.errors import DeepgramBufferFullError

    async def main():
        socket = PausableSocket()
        live = stream_on(socket)
        live._session.max_buffer_bytes = 20000
        sender = asyncio.ensure_future(live._send_loop())
        socket.resumed.clear()
        live.send(b"a" * 15000)  # its write waits: 15000 bytes held
        try:
            live.send(b"b" * 10000)
        except DeepgramBufferFullError as exc:
            refused = str(exc)
        draining = asyncio.ensure_future(live.drain())
        await asyncio.sleep(0)
        waited = not draining.done()  # more than half full: drain() waits
        socket.resumed.set()
        await asyncio.wait_for(draining, 5)
        live._outgoing.put_nowait(_STOP)
        await sender
        return refused, waited, socket.sent, live._session.buffered

    refused, waited, sent, buffered = asyncio.run(main())
    assert "holds 15000 bytes and cannot take 10000 more" in refused
    assert waited and sent == [b"a" * 15000] and buffered == 0
