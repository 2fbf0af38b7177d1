"""Live streaming against the emulator: the legacy surface, the protocol, faults and lifetimes."""

import asyncio
import json
import threading

import pytest
from _support import run_on_virtual_clock

from deepgram import (
    Deepgram,
    DeepgramApiError,
    DeepgramBufferFullError,
    DeepgramConnectionError,
    DeepgramSetupError,
    DeepgramStreamClosedError,
)
from deepgram.live import LiveSettings, LiveTranscription
from deepgram.testing import FakeDeepgram, sample_path

AUDIO = sample_path().read_bytes()
FAST = LiveSettings(retry_delay=0.01, finish_timeout=10)


def chunks(data=AUDIO, size=8000):
    return [data[i:i + size] for i in range(0, len(data), size)]


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 30))


class Recorder:
    """Registers on every event and keeps what each received, in order."""

    def __init__(self, live, events=("OPEN", "CLOSE", "ERROR", "TRANSCRIPT_RECEIVED")):
        self.seen = []
        for name in events:
            event = getattr(live.event, name)
            live.register_handler(event, lambda arg, name=name: self.seen.append((name, arg)))

    def of(self, name):
        return [arg for kind, arg in self.seen if kind == name]


def test_a_session_streams_transcripts_and_finish_returns_the_metadata(fake, dg):
    async def main():
        live = await dg.transcription.live({"punctuate": True}, model="nova-3", encoding=None)
        seen = Recorder(live)
        await asyncio.sleep(0)
        for chunk in chunks():
            live.send(chunk)
        metadata = await live.finish()
        return live, seen, metadata

    live, seen, metadata = run(main())
    transcripts = [m["channel"]["alternatives"][0]["transcript"] for m in seen.of("TRANSCRIPT_RECEIVED")
                   if m.get("type") == "Results"]
    assert " ".join(t for t in transcripts if t) == \
        "The quick brown fox jumps over the lazy dog. Deepgram turns speech into text."
    assert metadata["type"] == "Metadata" and metadata["duration"] == pytest.approx(6.02, abs=0.01)
    assert seen.of("TRANSCRIPT_RECEIVED")[-1] is metadata
    assert live.received == seen.of("TRANSCRIPT_RECEIVED")
    assert seen.of("OPEN") == [live] and seen.of("CLOSE") == [1000] and seen.of("ERROR") == []
    assert live.done and live.close_code == 1000
    session = fake.live_sessions[-1]
    assert session.query == [("punctuate", "true"), ("model", "nova-3")]
    assert session.headers["Authorization"] == f"Token {fake.api_key}"
    assert session.headers["User-Agent"].startswith("deepgram/")
    assert session.messages == [{"type": "CloseStream"}]
    assert live.request_id == session.request_id


def test_async_with_finishes_on_exit(fake, dg):
    async def main():
        async with dg.transcription.live(punctuate=True) as live:
            for chunk in chunks():
                live.send(chunk)
        return live

    live = run(main())
    assert live.metadata and live.close_code == 1000
    assert fake.live_sessions[-1].messages[-1] == {"type": "CloseStream"}


def test_live_can_be_scheduled_as_a_task_like_the_2x_coroutine(dg):
    async def main():
        live = await asyncio.create_task(dg.transcription.live())
        return await live.finish()

    assert run(main())["type"] == "Metadata"


def test_open_reaches_handlers_registered_after_an_await(dg):
    async def main():
        live = await dg.transcription.live()
        await asyncio.sleep(0.05)
        opened = []
        live.register_handler(live.event.OPEN, opened.append)
        await asyncio.sleep(0)
        await live.finish()
        return live, opened

    live, opened = run(main())
    assert opened == [live]


def test_the_212_readme_streaming_example_runs_unchanged(fake):
    import aiohttp

    url = fake.sample_url()
    printed = []

    async def main():
        deepgram = Deepgram({"api_key": fake.api_key, "api_url": fake.url})
        try:
            deepgram_live = await deepgram.transcription.live(
                {"punctuate": True, "interim_results": False, "language": "en-US", "model": "nova"})
        except Exception as e:
            printed.append(f"Could not open socket: {e}")
            return
        deepgram_live.registerHandler(deepgram_live.event.CLOSE, lambda c: printed.append(f"Connection closed with code {c}."))
        deepgram_live.registerHandler(deepgram_live.event.TRANSCRIPT_RECEIVED, printed.append)
        async with aiohttp.ClientSession() as session:
            async with session.get(url) as audio:
                while True:
                    data = await audio.content.readany()
                    deepgram_live.send(data)
                    if not data:
                        break
        await deepgram_live.finish()

    with pytest.warns(DeprecationWarning, match="register_handler"):
        run(main())
    assert printed[-1] == "Connection closed with code 1000."
    assert printed[-2]["type"] == "Metadata"
    assert all(size > 0 for kind, size in fake.live_sessions[-1].frames if kind == "binary")


def test_a_rejected_handshake_raises_with_status_error_and_request_id_and_is_not_retried(fake):
    dg = Deepgram({"api_key": "wrong", "api_url": fake.url})
    with pytest.raises(DeepgramApiError) as caught:
        run(dg.transcription.live(settings=FAST))
    assert caught.value.status == 401
    assert caught.value.error == "Invalid credentials."
    assert caught.value.request_id is not None
    assert len([r for r in fake.requests if r.path == "/v1/listen"]) == 1


def test_a_5xx_handshake_is_retried(fake, dg):
    fake.script("GET", "/listen", status=503, body="busy", times=1)
    live = None

    async def main():
        nonlocal live
        live = await dg.transcription.live(settings=FAST)
        return await live.finish()

    assert run(main())["type"] == "Metadata"
    assert len([r for r in fake.requests if r.path == "/v1/listen"]) == 2


def test_a_refused_connection_fails_after_a_bounded_retry(retry_waits):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    dg = Deepgram({"api_key": "k", "api_url": f"http://127.0.0.1:{port}/v1"})
    with pytest.raises(DeepgramConnectionError):
        run(dg.transcription.live(settings=LiveSettings(connect_retries=2, retry_delay=0.05)))
    # Two waits of the backoff that starts at retry_delay, then the error.
    assert len(retry_waits) == 2 and 0.0375 <= retry_waits[0] <= 0.05 and 0.075 <= retry_waits[1] <= 0.1


def test_handler_registration_is_validated_and_deregistration_keeps_2x_semantics(dg):
    async def main():
        live = await dg.transcription.live()
        handler = print
        with pytest.raises(DeepgramSetupError):
            live.register_handler("no-such-event", handler)
        with pytest.raises(DeepgramSetupError):
            live.register_handler(live.event.CLOSE, "not callable")
        live.register_handler("close", handler)
        assert live.handlers == [(live.event.CLOSE, handler)]
        live.deregister_handler(live.event.CLOSE, handler)
        with pytest.raises(ValueError):
            live.deregister_handler(live.event.CLOSE, handler)
        with pytest.warns(DeprecationWarning):
            live.registerHandler(live.event.ERROR, handler)
        with pytest.warns(DeprecationWarning):
            live.deregisterHandler(live.event.ERROR, handler)
        await live.finish()

    run(main())


def test_configure_warns_and_sends_nothing(fake, dg):
    async def main():
        live = await dg.transcription.live()
        with pytest.warns(DeprecationWarning, match="Configure"):
            live.configure({"numerals": True})
        await live.finish()

    run(main())
    assert fake.live_sessions[-1].messages == [{"type": "CloseStream"}]


def test_an_empty_send_never_reaches_the_wire(fake, dg):
    async def main():
        live = await dg.transcription.live()
        live.send(AUDIO[:4000])
        live.send(b"")
        live.send("")
        return await live.finish()

    assert run(main())["type"] == "Metadata"
    assert fake.live_sessions[-1].frames == [("binary", 4000), ("text", len('{"type": "CloseStream"}'))]


def test_a_raising_handler_becomes_an_error_event_and_the_stream_goes_on(dg):
    async def main():
        live = await dg.transcription.live(punctuate=True)
        seen = Recorder(live, ("ERROR", "CLOSE"))

        def broken(message):
            raise RuntimeError("handler bug")

        live.register_handler(live.event.TRANSCRIPT_RECEIVED, broken)
        for chunk in chunks():
            live.send(chunk)
        return await live.finish(), seen, live

    metadata, seen, live = run(main())
    assert metadata["type"] == "Metadata"
    errors = seen.of("ERROR")
    assert errors and all(e.kind == "handler" and isinstance(e.exception, RuntimeError) for e in errors)
    assert "handler bug" in errors[0]
    assert seen.of("CLOSE") == [1000]
    assert live.received[-1] is metadata


def test_async_handlers_are_awaited_in_message_order(dg):
    order = []

    async def slow_first(message):
        await asyncio.sleep(0.05 if not order else 0)
        order.append(message.get("start", message.get("type")))

    async def main():
        live = await dg.transcription.live()
        live.register_handler(live.event.TRANSCRIPT_RECEIVED, slow_first)
        for chunk in chunks():
            live.send(chunk)
        await live.finish()
        return live

    live = run(main())
    assert order == [m.get("start", m.get("type")) for m in live.received]


def test_per_type_events_and_iteration(dg):
    async def main():
        live = await dg.transcription.live(interim_results=True, vad_events=True, utterance_end_ms=1000)
        seen = Recorder(live, ("RESULTS", "METADATA", "SPEECH_STARTED", "UTTERANCE_END", "UNHANDLED"))
        iterated = []

        async def consume():
            async for message in live:
                iterated.append(message)

        consumer = asyncio.ensure_future(consume())
        for chunk in chunks():
            live.send(chunk)
        await live.finish()
        await consumer
        return live, seen, iterated

    live, seen, iterated = run(main())
    assert iterated == list(live.received)
    assert seen.of("METADATA") == [live.metadata]
    assert seen.of("SPEECH_STARTED") and seen.of("UTTERANCE_END")
    results = seen.of("RESULTS")
    assert any(not r["is_final"] for r in results) and any(r["speech_final"] for r in results)
    assert seen.of("UNHANDLED") == []


def test_finalize_flushes_with_from_finalize(fake, dg):
    async def main():
        live = await dg.transcription.live()
        live.send(AUDIO[:40000])
        live.finalize()
        await live.finish()
        return live

    live = run(main())
    assert any(m.get("from_finalize") for m in live.received)
    assert fake.live_sessions[-1].messages == [{"type": "Finalize"}, {"type": "CloseStream"}]


@pytest.mark.parametrize("kind, code, reason", [
    ("close", 1011, "NET-0000"),
    ("drop", 1006, None),
])
def test_an_abnormal_close_fires_error_and_close_once_and_finish_returns(fake, dg, kind, code, reason):
    fake.live_fault(kind, after_bytes=16000)

    async def main():
        live = await dg.transcription.live(settings=FAST)
        seen = Recorder(live, ("ERROR", "CLOSE"))
        for chunk in chunks():
            live.send(chunk)
        await live.drain()
        while live.is_open:
            await asyncio.sleep(0.01)
        started = asyncio.get_running_loop().time()
        metadata = await live.finish()
        return live, seen, metadata, asyncio.get_running_loop().time() - started

    live, seen, metadata, took = run_on_virtual_clock(main())
    assert metadata is None and took == 0  # the stream had ended: finish() waits for nothing
    assert seen.of("CLOSE") == [code]
    [error] = seen.of("ERROR")
    assert error.kind == "close" and error.code == code
    assert (reason or "") in (error.reason or "")
    with pytest.raises(DeepgramStreamClosedError, match=str(code)):
        live.send(b"more audio")


def test_finish_right_after_an_abnormal_close_does_not_hang(fake, dg):
    fake.live_fault("close", after_bytes=1)

    async def main():
        live = await dg.transcription.live(settings=FAST)
        seen = Recorder(live, ("ERROR", "CLOSE"))
        live.send(AUDIO[:8000])
        return await live.finish(), seen

    metadata, seen = run(main())
    assert metadata is None
    assert seen.of("CLOSE") == [1011] and len(seen.of("ERROR")) == 1


def test_a_stalled_server_makes_finish_give_up_at_its_timeout(fake, dg):
    fake.live_fault("stall", after_bytes=1)

    async def main():
        live = await dg.transcription.live(settings=FAST)
        seen = Recorder(live, ("ERROR", "CLOSE"))
        live.send(AUDIO[:8000])
        started = asyncio.get_running_loop().time()
        metadata = await live.finish(timeout=0.5)
        return metadata, seen, asyncio.get_running_loop().time() - started

    metadata, seen, took = run_on_virtual_clock(main())
    assert metadata is None and 0.4 <= took <= 0.5
    [error] = seen.of("ERROR")
    assert error.kind == "timeout" and "finish() gave up" in error
    assert len(seen.of("CLOSE")) == 1


def test_an_idle_stream_is_closed_with_net_0001_when_keepalive_is_off():
    with FakeDeepgram(time_scale=0.03) as fake:
        dg = Deepgram({"api_key": fake.api_key, "api_url": fake.url})

        async def main():
            live = await dg.transcription.live(settings=LiveSettings(keepalive_interval=None))
            seen = Recorder(live, ("ERROR", "CLOSE"))
            await asyncio.sleep(0.8)
            return live, seen

        live, seen = run(main())
    [error] = seen.of("ERROR")
    assert error.code == 1011 and error.reason.startswith("NET-0001")
    assert seen.of("CLOSE") == [1011] and not live.is_open


def test_automatic_keepalive_holds_an_idle_stream_open_and_stays_quiet_while_audio_flows():
    with FakeDeepgram(time_scale=0.03) as fake:
        dg = Deepgram({"api_key": fake.api_key, "api_url": fake.url})

        async def main():
            live = await dg.transcription.live(settings=LiveSettings(keepalive_interval=0.1))
            await asyncio.sleep(0.8)  # idle: KeepAlive every 0.1 s keeps the 0.3 s idle close away
            idle_messages = len(fake.live_sessions[-1].messages)
            for chunk in chunks(size=1600)[:40]:  # 2 s of audio, 0.02 s apart: never idle for 0.1 s
                live.send(chunk)
                await asyncio.sleep(0.02)
            busy_messages = len(fake.live_sessions[-1].messages) - idle_messages
            return live, await live.finish(), idle_messages, busy_messages

        _live, metadata, idle_messages, busy_messages = run(main())
    assert metadata["type"] == "Metadata"
    assert idle_messages >= 4
    assert busy_messages <= 1
    assert set(m["type"] for m in fake.live_sessions[-1].messages) == {"KeepAlive", "CloseStream"}


def test_a_frame_that_cannot_fit_the_buffer_is_refused_from_any_thread(dg):
    # How queued bytes add up and drain() waits is driven on a paused socket in test_stream_send.
    async def main():
        live = await dg.transcription.live(settings=LiveSettings(max_buffer_bytes=20000))
        with pytest.raises(DeepgramBufferFullError, match="drain"):
            live.send(b"\x00" * 25000)  # on the stream's loop: the direct path checks it

        def producer_thread():
            with pytest.raises(DeepgramBufferFullError, match="drain"):
                live.send(b"\x00" * 25000)  # from another thread: the queue checks it

        await asyncio.get_running_loop().run_in_executor(None, producer_thread)
        live.send(b"\x00" * 10000)
        await live.drain()
        return await live.finish()

    assert run(main())["type"] == "Metadata"


def test_received_can_be_bounded(dg):
    async def main():
        live = await dg.transcription.live(interim_results=True, settings=LiveSettings(max_received=3))
        for chunk in chunks():
            live.send(chunk)
        await live.finish()
        return live

    live = run(main())
    assert len(live.received) == 3 and live.received[-1]["type"] == "Metadata"
    assert isinstance(live.received, list) and json.loads(json.dumps(live.received)) == live.received


def test_received_keeps_the_last_thousand_messages_by_default_in_a_list():
    from deepgram._stream import LastMessages

    assert LiveSettings().max_received == 1000
    kept = LastMessages(1000)
    for number in range(1500):
        kept.append({"n": number})
    assert isinstance(kept, list) and len(kept) == 1000 and kept[0] == {"n": 500} and kept[-1] == {"n": 1499}
    assert kept[-2:] == [{"n": 1498}, {"n": 1499}]  # a list's slicing, as 2.x users had it
    none = LastMessages(0)
    none.append({"n": 1})
    assert none == []


def test_max_received_none_keeps_every_message_as_2x_did(dg):
    async def main():
        live = await dg.transcription.live(interim_results=True, settings=LiveSettings(max_received=None))
        for chunk in chunks():
            live.send(chunk)
        await live.finish()
        return live

    live = run(main())
    assert type(live.received) is list and len(live.received) == live._total_received > 3


def test_send_before_connect_or_with_a_bad_type_is_a_clear_error(dg):
    live = LiveTranscription(dg.options)
    with pytest.raises(DeepgramStreamClosedError, match="not connected"):
        live.send(b"audio")

    async def main():
        connected = await dg.transcription.live()
        with pytest.raises(DeepgramSetupError):
            connected.send(12345)
        await connected.finish()
        with pytest.raises(DeepgramStreamClosedError):
            connected.keep_alive()

    run(main())


def test_send_from_another_thread_reaches_the_server(fake, dg):
    async def main():
        live = await dg.transcription.live()
        feeder = threading.Thread(target=lambda: [live.send(c) for c in chunks()])
        feeder.start()
        await asyncio.get_running_loop().run_in_executor(None, feeder.join)
        return await live.finish()

    assert run(main())["duration"] == pytest.approx(6.02, abs=0.01)
    assert fake.live_sessions[-1].audio_bytes == len(AUDIO)


def test_live_settings_never_become_query_parameters(fake, dg):
    async def main():
        live = await dg.transcription.live({"model": "nova-3"}, settings=LiveSettings(), keepalive_interval=3)
        await live.finish()

    run(main())
    assert fake.live_sessions[-1].query == [("model", "nova-3"), ("keepalive_interval", "3")]


def test_the_blocking_twin_streams_with_the_same_handlers(fake, dg):
    closes = []
    with dg.sync.transcription.live({"punctuate": True}) as live:
        live.register_handler(live.event.CLOSE, closes.append)
        for chunk in chunks():
            live.send(chunk)
    assert closes == [1000]
    assert live.metadata["type"] == "Metadata" and live.done
    assert [m for m in live.received if m.get("type") == "Results"]
    assert not [t for t in threading.enumerate() if t.name == "deepgram-live"]


def test_the_blocking_finish_returns_while_a_plain_handler_holds_the_stream(dg, monkeypatch):
    """A plain handler cannot be interrupted: finish() returns anyway, and the stream ends (CLOSE
    once, its thread stopped, its loop closed) when the handler returns."""
    from deepgram import _sync_stream

    monkeypatch.setattr(_sync_stream, "_STUCK_GRACE", 0.05)
    release, closed, held = threading.Event(), threading.Event(), threading.Event()
    closes = []

    def stuck(_message):
        held.set()
        release.wait(60)

    live = dg.sync.transcription.live()
    live.register_handler(live.event.RESULTS, stuck)
    live.register_handler(live.event.CLOSE, lambda code: (closes.append(code), closed.set()))
    for chunk in chunks():
        live.send(chunk)
    assert held.wait(30)
    returned = threading.Event()
    finisher = threading.Thread(target=lambda: (live.finish(timeout=0.2), returned.set()))
    finisher.start()
    try:
        assert returned.wait(30)  # before the handler is released (a hang here was the bug)
        assert not closes
    finally:
        release.set()
        finisher.join(30)
    assert closed.wait(30)
    live._thread.join(30)
    assert len(closes) == 1  # CLOSE fired once, after the handler returned
    assert not live._thread.is_alive() and live._loop.is_closed()
    live.finish()  # a second call returns at once
    live.close()


def test_the_blocking_twin_iterates_and_finishes(dg):
    live = dg.sync.transcription.live()
    for chunk in chunks():
        live.send(chunk)
    live.finalize()
    live.drain()
    metadata = live.finish()
    assert metadata["type"] == "Metadata"
    assert list(live) == list(live.received)


def test_two_hundred_sessions_with_faults_leave_nothing_behind(fake, dg):
    for n in range(0, 200, 4):
        fake.live_fault("close" if n % 8 else "drop", after_bytes=1)

    async def one(n):
        live = await dg.transcription.live(settings=FAST)
        live.send(AUDIO[:3200])
        await live.finish(timeout=5)
        return live

    async def main():
        sessions = []
        for start in range(0, 200, 20):
            sessions += await asyncio.gather(*(one(n) for n in range(start, start + 20)))
        await asyncio.sleep(0)
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        return sessions, others

    threads_before = threading.active_count()
    sessions, others = asyncio.run(main())
    assert others == []
    assert all(s.done and s._socket.protocol.state.name == "CLOSED" for s in sessions)
    assert sorted({s.close_code for s in sessions}) == [1000, 1006, 1011]
    assert threading.active_count() <= threads_before


def test_finish_from_inside_a_handler_does_not_deadlock(dg):
    async def main():
        live = await dg.transcription.live(punctuate=True)
        results = []

        async def stop_after_first_final(message):
            if message.get("type") == "Results" and message["is_final"] and not results:
                results.append(message)
                assert await live.finish() is None  # the Metadata has not arrived yet

        live.register_handler(live.event.TRANSCRIPT_RECEIVED, stop_after_first_final)
        for chunk in chunks():
            live.send(chunk)
        await live.drain()
        return live, await live.finish(timeout=10)

    live, metadata = run(main())
    assert metadata["type"] == "Metadata" and live.close_code == 1000


@pytest.mark.parametrize("stuck_on", ["TRANSCRIPT_RECEIVED", "CLOSE"])
def test_a_handler_that_never_returns_cannot_hang_finish(fake, dg, stuck_on):
    async def main():
        live = await dg.transcription.live()
        closes, errors = [], []
        live.register_handler(live.event.ERROR, errors.append)

        async def stuck(argument):
            if stuck_on == "CLOSE":
                closes.append(argument)
            await asyncio.Event().wait()

        live.register_handler(live.event[stuck_on], stuck)
        if stuck_on != "CLOSE":
            live.register_handler(live.event.CLOSE, closes.append)
        live.send(AUDIO)
        started = asyncio.get_running_loop().time()
        await live.finish(timeout=0.5)
        return asyncio.get_running_loop().time() - started, closes, errors

    took, closes, errors = run_on_virtual_clock(main())
    # finish() keeps its own deadline, the handlers' share of it included.
    assert 0.4 <= took <= 0.5
    assert len(closes) == 1
    if stuck_on == "TRANSCRIPT_RECEIVED":
        assert [e.kind for e in errors] == ["timeout"] and "finish() gave up" in errors[0]


def test_finish_returns_soon_after_the_metadata_when_the_server_never_closes(fake, dg):
    fake.live_fault("linger")

    async def main():
        live = await dg.transcription.live(settings=LiveSettings(finish_timeout=20))
        seen = Recorder(live, ("ERROR", "CLOSE"))
        live.send(AUDIO[:32000])
        started = asyncio.get_running_loop().time()
        metadata = await live.finish()
        return metadata, seen, asyncio.get_running_loop().time() - started

    metadata, seen, took = run_on_virtual_clock(main())
    assert metadata["type"] == "Metadata"
    assert 1 <= took < 2  # not finish_timeout's 20 s: a grace of 1 s for the close frame after the Metadata
    assert seen.of("CLOSE") == [1000] and seen.of("ERROR") == []
