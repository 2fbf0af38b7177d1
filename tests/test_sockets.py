"""Flux, streaming text to speech and the voice agent through the SDK, against the emulator,
on the async client and its blocking twin; and the shared fault behaviour of every socket."""

import asyncio
import threading

import pytest
from _support import run_on_virtual_clock

from deepgram import Deepgram, DeepgramApiError, DeepgramStreamClosedError
from deepgram.live import LiveSettings
from deepgram.testing import sample_path

AUDIO = sample_path().read_bytes()[44:]  # fox.wav without its header: linear16, 16 kHz, mono
AGENT_SETTINGS = {
    "audio": {"input": {"encoding": "linear16", "sample_rate": 16000},
              "output": {"encoding": "linear16", "sample_rate": 24000}},
    "agent": {
        "listen": {"provider": {"type": "deepgram", "model": "nova-3"}},
        "think": {"provider": {"type": "open_ai", "model": "gpt-4o-mini"},
                  "functions": [{"name": "get_weather", "description": "The weather in a city",
                                 "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}]},
        "speak": {"provider": {"type": "deepgram", "model": "aura-2-thalia-en"}},
    },
}
FAST = LiveSettings(retry_delay=0.01, finish_timeout=10)

# socket name -> (how to open it on a client, its path)
OPENERS = {
    "flux": (lambda c, **kw: c.transcription.live_v2(model="flux-general-en", encoding="linear16",
                                                      sample_rate=16000, **kw), "/v2/listen"),
    "speak": (lambda c, **kw: c.speak.live(model="aura-2-thalia-en", **kw), "/v1/speak"),
    "speak_v2": (lambda c, **kw: c.speak.live_v2(model="flux-alexis-en", **kw), "/v2/speak"),
    "agent": (lambda c, **kw: c.agents.converse(AGENT_SETTINGS, **kw), "/v1/agent/converse"),
}


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 30))


class Seen:
    """Records every event of a stream, and lets a test wait for one."""

    def __init__(self, stream, names):
        self.events = {name: [] for name in names}
        self.changed = threading.Condition()
        for name in names:
            stream.register_handler(stream.event[name], self._recorder(name))

    def _recorder(self, name):
        def record(argument):
            with self.changed:
                self.events[name].append(argument)
                self.changed.notify_all()
        return record

    def of(self, name):
        return self.events[name]

    async def wait_for(self, name, count=1):
        """Yield to the loop until ``name`` fired ``count`` times (the caller bounds the wait)."""
        while len(self.events[name]) < count:
            await asyncio.sleep(0.01)

    def wait(self, name, count=1):
        """Block until ``name`` fired ``count`` times (a blocking stream's handlers run on its thread)."""
        with self.changed:
            assert self.changed.wait_for(lambda: len(self.events[name]) >= count, 10), f"no {name}"


def test_flux_turns_come_back_and_configure_is_confirmed(dg):
    async def main():
        stream = await dg.transcription.live_v2(model="flux-general-en", encoding="linear16", sample_rate=16000)
        seen = Seen(stream, ["CONNECTED", "TURN_INFO", "CONFIGURE_SUCCESS", "CLOSE", "MESSAGE"])
        stream.configure(thresholds={"eot_threshold": 0.8})
        for at in range(0, len(AUDIO), 3200):
            stream.send(AUDIO[at:at + 3200])
        await seen.wait_for("CONFIGURE_SUCCESS")
        assert await stream.finish() is None  # Flux has no summary message
        return seen

    seen = run(main())
    assert len(seen.of("CONNECTED")) == 1 and seen.of("CLOSE") == [1000]
    turns = [m for m in seen.of("TURN_INFO") if m["event"] == "EndOfTurn"]
    assert "quick brown fox" in " ".join(t["transcript"].lower() for t in turns)
    assert len(seen.of("MESSAGE")) == len(seen.of("TURN_INFO")) + 2  # Connected, ConfigureSuccess


def test_speak_streams_audio_per_flush_and_clear_is_confirmed(dg):
    async def main():
        stream = await dg.speak.live(model="aura-2-thalia-en", encoding="linear16", sample_rate=24000)
        seen = Seen(stream, ["METADATA", "AUDIO", "FLUSHED", "CLEARED", "CLOSE"])
        stream.send_text("Hello there.")
        stream.flush()
        await seen.wait_for("FLUSHED")
        heard = sum(len(chunk) for chunk in seen.of("AUDIO"))
        stream.send_text("Never mind.")
        stream.clear()
        await seen.wait_for("CLEARED")
        await stream.finish()
        return seen, heard

    seen, heard = run(main())
    assert heard > 0 and all(isinstance(chunk, bytes) for chunk in seen.of("AUDIO"))
    assert len(seen.of("METADATA")) == 1 and seen.of("CLOSE") == [1000]


def test_speak_v2_finish_returns_the_session_metadata(dg):
    async def main():
        stream = await dg.speak.live_v2(model="flux-alexis-en")
        seen = Seen(stream, ["CONNECTED", "SPEECH_STARTED", "SPEECH_METADATA", "AUDIO", "FLUSHED", "CLOSE"])
        for token in ("Streaming ", "tokens ", "as they come."):
            stream.send_text(token)
        stream.flush()
        await seen.wait_for("FLUSHED")
        return await stream.finish(), seen

    summary, seen = run(main())
    assert summary["type"] == "SessionMetadata" and summary["total_input_character_count"] > 0
    assert len(seen.of("SPEECH_METADATA")) == 1 and seen.of("AUDIO") and seen.of("CLOSE") == [1000]


def test_the_agent_gets_its_settings_first_and_answers_a_function_call(dg, fake):
    async def main():
        stream = await dg.agents.converse(AGENT_SETTINGS)
        seen = Seen(stream, ["WELCOME", "SETTINGS_APPLIED", "CONVERSATION_TEXT", "FUNCTION_CALL_REQUEST",
                             "AUDIO", "AGENT_AUDIO_DONE", "CLOSE"])

        def answer(request):
            for function in request["functions"]:
                stream.send_function_call_response(function["id"], function["name"], '{"sky": "clear"}')

        stream.register_handler(stream.event.FUNCTION_CALL_REQUEST, answer)
        await seen.wait_for("SETTINGS_APPLIED")
        stream.inject_user_message("What is the weather in Paris?")
        await seen.wait_for("AGENT_AUDIO_DONE")
        await stream.finish()
        return seen

    seen = run(main())
    session = next(s for s in fake.sockets if s.path == "/v1/agent/converse")
    assert session.messages[0]["type"] == "Settings"  # the Settings went first
    assert any(m.get("type") == "FunctionCallResponse" for m in session.messages)
    roles = [m["role"] for m in seen.of("CONVERSATION_TEXT")]
    assert "user" in roles and "assistant" in roles
    assert seen.of("AUDIO") and seen.of("CLOSE") == [1000]


def test_flux_on_the_blocking_client(dg):
    with dg.sync.transcription.live_v2(model="flux-general-en", encoding="linear16", sample_rate=16000) as stream:
        seen = Seen(stream, ["CONNECTED", "TURN_INFO", "CONFIGURE_SUCCESS", "CLOSE", "MESSAGE"])
        stream.configure(thresholds={"eot_threshold": 0.8})
        for at in range(0, len(AUDIO), 3200):
            stream.send(AUDIO[at:at + 3200])
        seen.wait("CONFIGURE_SUCCESS")
        assert stream.finish() is None
    assert len(seen.of("CONNECTED")) == 1 and seen.of("CLOSE") == [1000]
    turns = [m for m in seen.of("TURN_INFO") if m["event"] == "EndOfTurn"]
    assert "quick brown fox" in " ".join(t["transcript"].lower() for t in turns)
    assert len(seen.of("MESSAGE")) == len(seen.of("TURN_INFO")) + 2


def test_speak_on_the_blocking_client(dg):
    with dg.sync.speak.live(model="aura-2-thalia-en", encoding="linear16", sample_rate=24000) as stream:
        seen = Seen(stream, ["METADATA", "AUDIO", "FLUSHED", "CLEARED", "CLOSE"])
        stream.send_text("Hello there.")
        stream.flush()
        seen.wait("FLUSHED")
        stream.send_text("Never mind.")
        stream.clear()
        seen.wait("CLEARED")
        stream.finish()
    assert seen.of("AUDIO") and all(isinstance(chunk, bytes) for chunk in seen.of("AUDIO"))
    assert len(seen.of("METADATA")) == 1 and seen.of("CLOSE") == [1000]


def test_speak_v2_on_the_blocking_client(dg):
    with dg.sync.speak.live_v2(model="flux-alexis-en") as stream:
        seen = Seen(stream, ["CONNECTED", "SPEECH_METADATA", "AUDIO", "FLUSHED", "CLOSE"])
        for token in ("Streaming ", "tokens ", "as they come."):
            stream.send_text(token)
        stream.flush()
        seen.wait("FLUSHED")
        summary = stream.finish()
    assert summary["type"] == "SessionMetadata" and summary["total_input_character_count"] > 0
    assert len(seen.of("SPEECH_METADATA")) == 1 and seen.of("AUDIO") and seen.of("CLOSE") == [1000]


def test_the_agent_on_the_blocking_client(dg, fake):
    with dg.sync.agents.converse(AGENT_SETTINGS) as stream:
        seen = Seen(stream, ["SETTINGS_APPLIED", "CONVERSATION_TEXT", "AUDIO", "AGENT_AUDIO_DONE", "CLOSE"])

        def answer(request):  # runs on the stream's thread
            for function in request["functions"]:
                stream.send_function_call_response(function["id"], function["name"], '{"sky": "clear"}')

        stream.register_handler(stream.event.FUNCTION_CALL_REQUEST, answer)
        seen.wait("SETTINGS_APPLIED")
        stream.inject_user_message("What is the weather in Paris?")
        seen.wait("AGENT_AUDIO_DONE")
        stream.finish()
    session = next(s for s in fake.sockets if s.path == "/v1/agent/converse")
    assert session.messages[0]["type"] == "Settings"
    assert any(m.get("type") == "FunctionCallResponse" for m in session.messages)
    assert {"user", "assistant"} <= {m["role"] for m in seen.of("CONVERSATION_TEXT")}
    assert seen.of("AUDIO") and seen.of("CLOSE") == [1000]


@pytest.mark.parametrize("name", sorted(OPENERS))
def test_every_socket_has_a_blocking_twin(dg, name):
    open_stream, _path = OPENERS[name]
    with open_stream(dg.sync) as stream:
        assert stream.is_open and stream.request_id
        opened = stream.event.OPEN
    assert stream.close_code == 1000 and opened.value == "open"


def test_a_blocking_stream_gives_late_handlers_what_came_before_exactly_once(dg):
    import time

    with dg.sync.agents.converse(AGENT_SETTINGS) as agent:
        deadline = time.monotonic() + 10
        while len(agent.received) < 2 and time.monotonic() < deadline:  # Welcome and SettingsApplied came
            time.sleep(0.01)
        welcomes, applied, messages = [], [], []
        agent.register_handler(agent.event.WELCOME, welcomes.append)
        agent.register_handler(agent.event.SETTINGS_APPLIED, applied.append)
        agent.register_handler(agent.event.MESSAGE, messages.append)
        agent.inject_user_message("Hello?")
        agent.send(b"")  # the first call that is not a registration: from here on, nothing is replayed
        late = []
        agent.register_handler(agent.event.WELCOME, late.append)
    assert len(welcomes) == 1 and len(applied) == 1 and late == []
    assert [m["type"] for m in messages[:2]] == ["Welcome", "SettingsApplied"]


def test_a_late_async_handler_that_never_returns_does_not_hold_its_registration(dg):
    with dg.sync.agents.converse(AGENT_SETTINGS) as agent:
        Seen(agent, ["SETTINGS_APPLIED"]).wait("SETTINGS_APPLIED")  # Welcome came before it
        replayed = threading.Event()

        async def stuck(message):
            replayed.set()
            await asyncio.Event().wait()

        registering = threading.Thread(target=agent.register_handler, args=(agent.event.WELCOME, stuck))
        registering.start()
        registering.join(10)
        assert not registering.is_alive()  # registered; the replay runs on the stream's thread
        assert replayed.wait(10)
        closes = []
        agent.register_handler(agent.event.CLOSE, closes.append)
        agent.finish(timeout=0.5)
    assert len(closes) == 1


def test_a_handler_of_a_blocking_stream_may_register_another(dg):
    flushed = threading.Event()
    with dg.sync.speak.live(model="aura-2-thalia-en") as tts:
        def on_metadata(message):
            tts.register_handler(tts.event.FLUSHED, lambda m: flushed.set())  # on the stream's thread

        tts.register_handler(tts.event.METADATA, on_metadata)
        tts.send_text("Hi.")
        tts.flush()
        assert flushed.wait(10)


@pytest.mark.parametrize("name", sorted(OPENERS))
@pytest.mark.parametrize("code, reason", [(1011, "NET-0000"), (1006, None)])
def test_an_abnormal_close_fires_error_and_close_once_on_every_socket(fake, dg, name, code, reason):
    open_stream, path = OPENERS[name]
    fake.live_fault("close" if code == 1011 else "drop", after_bytes=1, code=code, reason=reason, path=path)

    async def main():
        stream = await open_stream(dg, settings=FAST)
        seen = Seen(stream, ["ERROR", "CLOSE"])
        poke(stream, name)
        await seen.wait_for("CLOSE")
        with pytest.raises(DeepgramStreamClosedError):
            stream.send(b"\x00" * 320)
        await stream.finish()  # after the close: returns at once, fires nothing more
        return seen

    seen = run(main())
    assert seen.of("CLOSE") == [code] and [e.kind for e in seen.of("ERROR")] == ["close"]


@pytest.mark.parametrize("name", sorted(OPENERS))
def test_a_silent_server_makes_finish_give_up_at_its_deadline(fake, dg, name):
    open_stream, path = OPENERS[name]
    fake.live_fault("stall", after_bytes=1, path=path)

    async def main():
        stream = await open_stream(dg, settings=FAST)
        seen = Seen(stream, ["ERROR", "CLOSE"])
        poke(stream, name)
        await asyncio.sleep(0.05)
        await stream.finish(timeout=0.5)
        return seen

    seen = run(main())
    assert len(seen.of("CLOSE")) == 1
    assert [e.kind for e in seen.of("ERROR")] == ["timeout"]


@pytest.mark.parametrize("name", sorted(OPENERS))
def test_a_handler_that_never_returns_cannot_hold_finish(dg, name):
    open_stream, _path = OPENERS[name]

    async def main():
        stream = await open_stream(dg)
        closes = []
        stream.register_handler(stream.event.CLOSE, closes.append)

        async def stuck(message):
            await asyncio.Event().wait()

        stream.register_handler(stream.event.MESSAGE, stuck)
        poke(stream, name)
        loop = asyncio.get_running_loop()
        started = loop.time()
        await stream.finish(timeout=0.5)
        return loop.time() - started, closes

    took, closes = run_on_virtual_clock(main())
    assert 0.4 <= took <= 0.5 and len(closes) == 1


@pytest.mark.parametrize("name", sorted(OPENERS))
def test_a_refused_handshake_raises_with_its_status(fake, name):
    open_stream, _path = OPENERS[name]
    dg = Deepgram({"api_key": "wrong", "api_url": fake.url})
    with pytest.raises(DeepgramApiError) as caught:
        run(open_stream(dg, settings=FAST))
    assert caught.value.status == 401


def poke(stream, name):
    """Make the server act: audio where the socket takes audio, text where it speaks."""
    if name in ("speak", "speak_v2"):
        stream.send_text("Hello there.")
        stream.flush()
    else:
        stream.send(AUDIO[:6400])
