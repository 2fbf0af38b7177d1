"""The emulator's other websockets (/v2/listen, /v1/speak, /v2/speak, /v1/agent/converse), driven by a raw client."""

import asyncio
import json

import pytest
import requests
from _support import run_on_virtual_clock
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.version import version as websockets_version

from deepgram.testing import FakeDeepgram, sample_path

AUDIO = sample_path().read_bytes()
NO_PROXY = {"proxy": None} if int(websockets_version.split(".")[0]) >= 15 else {}
SETTINGS = {"type": "Settings", "audio": {"input": {"encoding": "linear16", "sample_rate": 16000}},
            "agent": {"think": {"provider": {"type": "open_ai"}}}}
LOOKUP = {"name": "lookup", "parameters": {"type": "object", "properties": {"q": {"type": "string"}}}}


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 30))


def open_socket(fake, path, query="", headers=None, **options):
    headers = {"Authorization": f"Token {fake.api_key}"} if headers is None else headers
    uri = f"ws://127.0.0.1:{fake.port}{path}" + (f"?{query}" if query else "")
    return connect(uri, additional_headers=headers, **NO_PROXY, **options)


async def send_all(ws, *messages):
    for message in messages:
        await ws.send(message if isinstance(message, bytes) else json.dumps(message))


async def collect(ws, until=None, timeout=5.0):
    """Messages (JSON parsed; binary as its length) until ``until`` matches one or the server closes."""
    got = []

    async def receive():
        # One wait_for around the loop, not one per message: recv() then drains what is queued without
        # yielding, before websockets 13 drops it on seeing the connection end.
        while until is None or not got or not isinstance(got[-1], dict) or got[-1].get("type") != until:
            message = await ws.recv()
            got.append(json.loads(message) if isinstance(message, str) else len(message))

    try:
        await asyncio.wait_for(receive(), timeout)
    except (ConnectionClosed, asyncio.TimeoutError):
        pass
    return got


def types(messages):
    return [m["type"] if isinstance(m, dict) else "binary" for m in messages]


def closed(ws):
    return ws.protocol.close_code, ws.protocol.close_reason


def chunks(data=AUDIO, size=8000):
    return [data[i:i + size] for i in range(0, len(data), size)]


def rejected(fake, path, query="", headers=None):
    async def main():
        with pytest.raises(InvalidStatus) as caught:
            async with open_socket(fake, path, query, headers):
                pass
        return caught.value.response

    return run(main())


# -- /v2/listen (Flux) -----------------------------------------------------------------------------


def flux(fake, query, *messages):
    async def main():
        async with open_socket(fake, "/v2/listen", query) as ws:
            await send_all(ws, *messages)
            return await collect(ws), closed(ws)

    return run(main())


def test_flux_reports_each_sentence_as_a_turn(fake):
    got, close = flux(fake, "model=flux-general-en", *chunks(), {"type": "CloseStream"})
    assert got[0]["type"] == "Connected" and got[0]["request_id"] == fake.sockets[-1].request_id
    assert [m["sequence_id"] for m in got] == list(range(len(got)))
    turns = got[1:]
    assert all(m["type"] == "TurnInfo" for m in turns) and close == (1000, "")
    ends = [m for m in turns if m["event"] == "EndOfTurn"]
    assert [m["transcript"] for m in ends] == ["The quick brown fox jumps over the lazy dog.", "Deepgram turns speech into text."]
    assert [m["turn_index"] for m in ends] == [0, 1] and ends[0]["end_of_turn_confidence"] >= 0.7
    assert next(m["event"] for m in turns if m["turn_index"] == 0) == "StartOfTurn"
    for message in turns:
        assert {"request_id", "event", "turn_index", "audio_window_start", "audio_window_end", "transcript", "words",
                "end_of_turn_confidence"} <= set(message)
        assert message["transcript"] == " ".join(w["word"] for w in message["words"])
        assert all(set(w) == {"word", "confidence"} for w in message["words"])
        assert message["audio_window_start"] <= message["audio_window_end"]
    assert "EagerEndOfTurn" not in [m["event"] for m in turns]


def test_flux_eager_end_of_turn_and_turn_resumed_with_an_eager_threshold(fake):
    got, _ = flux(fake, "model=flux-general-multi&encoding=linear16&sample_rate=16000&eager_eot_threshold=0.4",
                  bytes(16000 * 2 * 4), {"type": "CloseStream"})
    events = [m["event"] for m in got[1:]]
    assert events[events.index("EagerEndOfTurn") + 1] == "TurnResumed"
    eager = got[1 + events.index("EagerEndOfTurn")]
    assert 0.4 <= eager["end_of_turn_confidence"] < 0.7 and eager["languages"] == ["en"]
    assert events[-1] == "EndOfTurn"


def test_flux_configure_answers_success_or_failure_and_keeps_the_session(fake):
    good = {"type": "Configure", "thresholds": {"eot_threshold": 0.8, "eager_eot_threshold": 0.4}, "keyterms": ["Deepgram"]}
    got, close = flux(fake, "model=flux-general-en&eot_timeout_ms=3000", good,
                      {"type": "Configure", "thresholds": {"eot_threshold": 2}},
                      {"type": "Configure", "thresholds": {"eager_eot_threshold": 0.85}},
                      {"type": "Configure", "language_hints": ["de"]}, {"type": "CloseStream"})
    assert types(got) == ["Connected", "ConfigureSuccess"] + ["ConfigureFailure"] * 3 and close[0] == 1000
    assert got[1]["thresholds"] == {"eot_threshold": 0.8, "eager_eot_threshold": 0.4, "eot_timeout_ms": 3000}
    assert got[1]["keyterms"] == ["Deepgram"] and got[2]["sequence_id"] == 2 and got[2]["request_id"]


@pytest.mark.parametrize("message", ["not json", {"type": "Finalize"}, [1]])
def test_flux_refuses_other_messages_with_an_error_and_1008(fake, message):
    got, close = flux(fake, "model=flux-general-en", message if isinstance(message, str) else json.dumps(message))
    assert types(got) == ["Connected", "Error"] and close[0] == 1008
    assert got[1]["code"] and got[1]["description"] and got[1]["sequence_id"] == 1


@pytest.mark.parametrize("query", ["", "model=nova-3", "model=flux-general-en&eot_threshold=0.95",
                                   "model=flux-general-en&eot_threshold=0.6&eager_eot_threshold=0.8",
                                   "model=flux-general-en&eot_timeout_ms=soon", "model=flux-general-en&keyterm=term:0.15",
                                   "model=flux-general-en&language_hint=de", "model=flux-general-en&encoding=linear16",
                                   "model=flux-general-en&profanity_filter=True", "model=flux-general-en&redact=pci"])
def test_flux_refuses_a_bad_query_with_400(fake, query):
    response = rejected(fake, "/v2/listen", query)
    assert response.status_code == 400 and response.headers["dg-error"]
    body = json.loads(response.body)
    assert body["err_msg"] == response.headers["dg-error"] and body["request_id"] == response.headers["dg-request-id"]


@pytest.mark.parametrize("path, query", [("/v2/listen", "model=flux-general-en"), ("/v2/speak", "model=flux-alexis-en"),
                                         ("/v1/agent/converse", "")])
def test_an_idle_session_gets_an_error_and_1011_net_0001(path, query):
    with FakeDeepgram(time_scale=0.01) as fake:
        async def main():
            async with open_socket(fake, path, query) as ws:
                return await collect(ws), closed(ws)

        got, (code, reason) = run(main())
    assert types(got)[-1] == "Error" and code == 1011 and reason.startswith("NET-0001")


# -- /v1/speak ---------------------------------------------------------------------------------------


def speak(fake, path, query, *messages):
    async def main():
        async with open_socket(fake, path, query) as ws:
            await send_all(ws, *messages)
            return await collect(ws), closed(ws)

    return run(main())


def test_speak_v1_flush_clear_and_close(fake):
    said = {"type": "Speak", "text": "Hello there."}
    got, close = speak(fake, "/v1/speak", "encoding=mulaw", said, {"type": "Flush"}, said, {"type": "Clear"},
                       {"type": "Speak", "text": "Bye."}, {"type": "Close"})
    assert got[0]["type"] == "Metadata" and "emulator" in got[0]["model_name"]
    assert got[0]["model_name"].startswith("aura-asteria-en") and got[0]["model_version"] and got[0]["model_uuid"]
    assert got[0]["request_id"] == fake.sockets[-1].request_id
    flushed = types(got).index("Flushed")
    assert sum(got[1:flushed]) == int(0.06 * len("Hello there.") * 8000)  # mulaw: a byte a sample, 8 kHz
    assert got[flushed:flushed + 2] == [{"type": "Flushed", "sequence_id": 0}, {"type": "Cleared", "sequence_id": 1}]
    assert types(got)[flushed + 2:] == ["binary"] and close == (1000, "")
    session = fake.sockets[-1]
    assert session.path == "/v1/speak" and session.params == {"encoding": ["mulaw"]} and session.close_code == 1000
    assert session.headers["Authorization"] == f"Token {fake.api_key}" and len(session.messages) == 6
    assert session.frames[1] == ("text", len(json.dumps({"type": "Flush"})))
    assert session.messages[-1] == {"type": "Close"} and session.sent[1] == {"binary": got[1]} and session.sent_types == types(got)
    assert session.audio_sent == sum(n for n in got if isinstance(n, int)) and fake.live_sessions == []


def test_speak_v1_speed_shortens_the_audio(fake):
    text = {"type": "Speak", "text": "x" * 30}
    normal, _ = speak(fake, "/v1/speak", "", text, {"type": "Close"})
    fast, _ = speak(fake, "/v1/speak", "speed=1.5&sample_rate=16000", text, {"type": "Close"})
    assert sum(normal[1:]) == int(0.06 * 30 * 24000) * 2 and sum(fast[1:]) == int(0.06 * 30 / 1.5 * 16000) * 2


def test_speak_v1_warns_on_blank_text_and_closes_1008_on_unknown_messages(fake):
    got, close = speak(fake, "/v1/speak", "", {"type": "Speak", "text": " "}, {"type": "Speak", "text": 3}, {"type": "Nope"})
    assert types(got) == ["Metadata", "Warning", "Warning"] and got[1]["code"] and got[1]["description"]
    assert close[0] == 1008


def test_speak_v2_turns_with_metadata_and_session_totals(fake):
    got, close = speak(fake, "/v2/speak", "model=flux-alexis-en&encoding=linear16&sample_rate=16000&tag=a",
                       {"type": "Flush"}, {"type": "Speak", "text": "Hello "}, {"type": "Speak", "text": "world.\x07"},
                       {"type": "Flush"}, {"type": "Speak", "text": "Bye."}, {"type": "Close"})
    assert got[0]["type"] == "Connected" and got[0]["model_uuids"] and "emulator" in got[0]["model_name"]
    assert got[1]["type"] == "Warning" and got[1]["code"] == "NO_ACTIVE_SPEECH"
    kinds = types(got)
    assert kinds[2] == "SpeechStarted" and set(kinds[3:kinds.index("SpeechMetadata")]) == {"binary"}
    first, second = [m for m in got if isinstance(m, dict) and m["type"] == "SpeechMetadata"]
    speech_id = got[2]["speech_id"]
    assert speech_id.startswith("dg_sp_") and len(speech_id) == 18 and first["speech_id"] == speech_id
    assert got[kinds.index("Flushed")] == {"type": "Flushed", "speech_id": speech_id}
    assert (first["input_character_count"], first["billable_character_count"]) == (13, 12)
    assert first["audio_duration_ms"] == 780 and first["controls_applied"] == {"pronunciations_applied": 0, "pronunciation_warnings": 0}
    assert kinds[-2:] == ["SpeechMetadata", "SessionMetadata"] and kinds.count("Flushed") == 1 and close == (1000, "")
    assert got[-1]["total_input_character_count"] == 17 and got[-1]["total_audio_duration_ms"] == 780 + second["audio_duration_ms"]


@pytest.mark.parametrize("message", [{"type": "Speak", "text": None}, {"type": "Clear"}, "{"])
def test_speak_v2_answers_a_bad_message_with_an_error_and_1008(fake, message):
    got, close = speak(fake, "/v2/speak", "model=flux-alexis-en", message)
    assert types(got) == ["Connected", "Error"] and got[1]["code"] == "MESSAGE-0000" and close[0] == 1008


@pytest.mark.parametrize("path, query", [("/v1/speak", "model=nova-3"), ("/v1/speak", "encoding=mp3"),
                                         ("/v1/speak", "sample_rate=44100"), ("/v1/speak", "encoding=alaw&sample_rate=24000"),
                                         ("/v1/speak", "speed=3"), ("/v2/speak", ""), ("/v2/speak", "model=aura-2-thalia-en"),
                                         ("/v2/speak", "model=flux"), ("/v2/speak", "model=flux-alexis-en&mip_opt_out=yes")])
def test_speak_refuses_a_bad_query_with_400(fake, path, query):
    response = rejected(fake, path, query)
    assert response.status_code == 400 and response.headers["dg-error"] and b"err_msg" in response.body


# -- /v1/agent/converse --------------------------------------------------------------------------------


def agent(fake, *messages, settings=SETTINGS, until="AgentAudioDone"):
    """What the agent says to Settings and ``messages`` (a list: several), up to an ``until`` message or its close."""

    async def main():
        async with open_socket(fake, "/v1/agent/converse") as ws:
            for message in ([settings] if settings else []) + list(messages):
                await send_all(ws, *(message if isinstance(message, list) else [message]))
            got = await collect(ws, until=until)
        return got, closed(ws)

    return run(main())


def test_agent_hears_a_user_turn_and_answers_with_text_and_audio(fake):
    got, close = agent(fake, chunks()[:16], settings={**SETTINGS, "audio": {**SETTINGS["audio"], "output": {"encoding": "mulaw", "sample_rate": 8000}}})
    assert got[0] == {"type": "Welcome", "request_id": fake.sockets[-1].request_id}
    kinds = types(got)
    assert kinds[:6] == ["Welcome", "SettingsApplied", "UserStartedSpeaking", "ConversationText", "AgentThinking", "ConversationText"]
    assert got[3] == {"type": "ConversationText", "role": "user", "content": "The quick brown fox jumps over the lazy dog."}
    assert got[5]["role"] == "assistant" and got[5]["content"] == 'You said: "The quick brown fox jumps over the lazy dog."'
    assert kinds[6] == "AgentStartedSpeaking" and {"total_latency", "tts_latency", "ttt_latency"} <= set(got[6])
    assert kinds[-1] == "AgentAudioDone" and sum(got[7:-1]) == int(0.06 * len(got[5]["content"]) * 8000)
    assert close == (1000, "") and fake.sockets[-1].wait_closed() == 1000


def test_agent_calls_a_client_side_function_and_answers_with_its_result(fake):
    think = {"provider": {"type": "open_ai"}, "functions": [LOOKUP]}
    got, _ = agent(fake, {"type": "InjectUserMessage", "content": "Find fox"},
                   {"type": "FunctionCallResponse", "id": "wrong", "name": "lookup", "content": "no"},
                   settings={**SETTINGS, "agent": {"think": think, "greeting": "Hi!"}}, until="Error")
    assert types(got)[:6] == ["Welcome", "SettingsApplied", "ConversationText", "AgentStartedSpeaking", "binary", "AgentAudioDone"]
    [request] = [m for m in got if isinstance(m, dict) and m["type"] == "FunctionCallRequest"]
    [call] = request["functions"]
    assert call["name"] == "lookup" and call["client_side"] is True and json.loads(call["arguments"]) == {"q": "Find fox"}
    assert got[-1]["type"] == "Error" and got[-1]["code"] and got[-1]["description"]

    async def answer():
        async with open_socket(fake, "/v1/agent/converse") as ws:
            await send_all(ws, {**SETTINGS, "agent": {"think": think}}, {"type": "InjectUserMessage", "content": "Find"})
            call = (await collect(ws, until="FunctionCallRequest"))[-1]["functions"][0]
            await send_all(ws, {"type": "InjectAgentMessage", "message": "One moment."},
                           {"type": "InjectAgentMessage", "message": "Queued.", "behavior": "queue"},
                           {"type": "FunctionCallResponse", "id": call["id"], "name": "lookup", "content": "42"})
            said = await collect(ws, until="AgentAudioDone") + await collect(ws, until="AgentAudioDone")
            return [m for m in said if isinstance(m, dict)]

    after = run(answer())
    assert after[0] == {"type": "InjectionRefused", "message": after[0]["message"]}
    said = [m["content"] for m in after if m["type"] == "ConversationText"]
    assert said == ["lookup returned: 42", "Queued."]


def test_agent_refuses_an_injection_mid_user_turn_and_runs_server_side_functions_itself(fake):
    remote = {**LOOKUP, "endpoint": {"url": "https://example.com/lookup", "method": "post"}}
    settings = {**SETTINGS, "agent": {"think": {"provider": {"type": "open_ai"}, "functions": [remote]}}}
    got, _ = agent(fake, *chunks()[:4], {"type": "InjectAgentMessage", "message": "Hi."}, *chunks()[4:16],
                   settings=settings)
    assert types(got)[:4] == ["Welcome", "SettingsApplied", "UserStartedSpeaking", "InjectionRefused"]
    [request] = [m for m in got if isinstance(m, dict) and m["type"] == "FunctionCallRequest"]
    assert request["functions"][0]["client_side"] is False
    kinds = types(got)
    response = got[kinds.index("FunctionCallResponse")]
    assert response["id"] == request["functions"][0]["id"] and response["name"] == "lookup" and response["content"]
    assert kinds[-1] == "AgentAudioDone"


def test_agent_updates_keepalive_and_unknown_messages(fake):
    got, close = agent(fake, {"type": "KeepAlive"}, {"type": "UpdatePrompt", "prompt": "Be brief."},
                       {"type": "UpdateSpeak", "speak": {"provider": {"type": "deepgram", "model": "aura-2-thalia-en"}}},
                       {"type": "UpdateThink", "think": {"provider": {"type": "open_ai"}, "functions": [LOOKUP]}},
                       {"type": "UpdateListen", "listen": {"provider": {"type": "deepgram", "version": "v2", "model": "flux-general-en"}}},
                       {"type": "UpdatePrompt"}, {"type": "Dance"}, SETTINGS,
                       {"type": "InjectAgentMessage", "message": "Hello.", "behavior": "interrupt"},
                       {"type": "InjectUserMessage", "content": "Look it up"}, until="FunctionCallRequest")
    kinds = types(got)
    assert kinds[:9] == ["Welcome", "SettingsApplied", "PromptUpdated", "SpeakUpdated", "ThinkUpdated", "ListenUpdated",
                         "Error", "Error", "Error"]
    assert len({m["code"] for m in got[6:9]}) == 2 and close == (1000, "")
    assert kinds[9:11] == ["ConversationText", "AgentStartedSpeaking"] and kinds[-1] == "FunctionCallRequest"


@pytest.mark.parametrize("first", [AUDIO[:4000], {"type": "KeepAlive"}, "not json",
                                   {"type": "Settings", "agent": {}}, {"type": "Settings", "audio": {}},
                                   {**SETTINGS, "audio": {"input": {"encoding": "wav", "sample_rate": 16000}}},
                                   {**SETTINGS, "audio": {"input": {"encoding": "linear16", "sample_rate": 0}}},
                                   {**SETTINGS, "audio": {"output": {"encoding": "ogg"}}},
                                   {**SETTINGS, "agent": {"think": {"functions": []}}}, {**SETTINGS, "agent": "not-a-uuid"}])
def test_agent_wants_valid_settings_first(fake, first):
    got, close = agent(fake, first, settings=None)
    assert types(got) == ["Welcome", "Error"] and got[1]["code"] and got[1]["description"] and close[0] == 1008


# -- every new socket: auth, request ids, scripts, faults, records ---------------------------------------

PATHS = [("/v2/listen", "model=flux-general-en"), ("/v1/speak", ""), ("/v2/speak", "model=flux-alexis-en"),
         ("/v1/agent/converse", "")]


@pytest.mark.parametrize("path, query", PATHS)
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Token wrong"}])
def test_bad_credentials_are_refused_with_401(fake, path, query, headers):
    response = rejected(fake, path, query, headers)
    assert response.status_code == 401 and response.headers["dg-error"] and response.headers["dg-request-id"]


@pytest.mark.parametrize("path, query", PATHS)
def test_the_subprotocol_form_and_access_tokens_are_accepted(fake, path, query):
    token = requests.post(fake.url + "/auth/grant", headers={"Authorization": f"Token {fake.api_key}"}, timeout=10).json()["access_token"]

    async def main():
        async with open_socket(fake, path, query, {}, subprotocols=["token", fake.api_key]) as ws:
            first = json.loads(await ws.recv())
            header = ws.response.headers["dg-request-id"]
        async with open_socket(fake, path, query, {"Authorization": f"Bearer {token}"}) as ws:
            await ws.recv()
        return first, header

    first, header = run(main())
    assert first["request_id"] == header == fake.sockets[-2].request_id


def test_a_scripted_answer_refuses_the_handshake(fake):
    fake.script("GET", "/speak", status=503, json={"err_code": "BUSY"})
    assert rejected(fake, "/v1/speak").status_code == 503


def test_faults_strike_on_their_path_only(fake):
    fake.live_fault("close", after_bytes=8000, code=1011, path="/v2/listen")
    fake.live_fault("drop", after_bytes=1, path="/v1/speak")
    got, close = speak(fake, "/v2/speak", "model=flux-alexis-en", {"type": "Speak", "text": "Hi."}, {"type": "Close"})
    assert close[0] == 1000
    got, close = flux(fake, "model=flux-general-en", *chunks())
    assert close[0] == 1011 and close[1].startswith("NET-0000") and fake.sockets[-1].audio_bytes == 8000
    got, close = speak(fake, "/v1/speak", "", {"type": "Speak", "text": "Hello there."}, {"type": "Flush"})
    assert types(got) == ["Metadata", "binary"] and close[0] == 1006 and fake.sockets[-1].close_code == 1006
    with pytest.raises(ValueError):
        fake.live_fault("close", path="/v9/nothing")


def test_a_stalled_speak_socket_answers_nothing_more(fake):
    fake.live_fault("stall", after_bytes=1, path="/v2/speak")

    async def main():
        async with open_socket(fake, "/v2/speak", "model=flux-alexis-en", close_timeout=0.2) as ws:
            await send_all(ws, {"type": "Speak", "text": "Hello there."}, {"type": "Flush"})
            return await collect(ws, timeout=0.5)

    assert types(run(main())) == ["Connected", "SpeechStarted", "binary"]
    assert fake.sockets[-1].close_code == 1006


@pytest.mark.parametrize("path, query, last", [("/v2/listen", "model=flux-general-en", {"type": "CloseStream"}),
                                               ("/v1/speak", "", {"type": "Close"}),
                                               ("/v1/agent/converse", "", {"type": "KeepAlive"})])
def test_a_lingering_server_never_closes(fake, path, query, last):
    fake.live_fault("linger", path=path)

    async def main():
        async with open_socket(fake, path, query, close_timeout=0.3) as ws:
            await send_all(ws, *([SETTINGS] if "agent" in path else []), last)
            got = await collect(ws, timeout=0.3)
            started = asyncio.get_running_loop().time()
        return got, asyncio.get_running_loop().time() - started, closed(ws)

    got, took, close = run_on_virtual_clock(main())
    assert got and not isinstance(got[-1], int)
    if "agent" in path:  # its close frame goes unanswered: the client gives up after its close_timeout
        assert took == pytest.approx(0.3) and close[0] == 1006
    else:  # the server answers the client's close frame
        assert took == 0 and close[0] == 1000
