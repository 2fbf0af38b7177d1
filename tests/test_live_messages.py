"""The live protocol's pure parts: classifying frames, close codes, and the sender's resilience."""

import asyncio
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deepgram._enums import LiveTranscriptionEvent as Event
from deepgram._live_messages import EVENTS, LiveError, close_error, is_final_metadata, normalize_event
from deepgram._ws_session import by_type, parse
from deepgram.live import LiveSettings, LiveTranscription


def classify(raw):
    """What the stream's receiver makes of a frame: the message, its typed event, or the error."""
    message, error = parse(raw)
    event = by_type(EVENTS, message, Event.UNHANDLED) if message is not None else None
    return SimpleNamespace(message=message, event=event, error=error)


@pytest.mark.parametrize("raw, event", [
    ('{"type": "Results", "is_final": true}', Event.RESULTS),
    ('{"type": "Metadata", "sha256": "x"}', Event.METADATA),
    ('{"type": "SpeechStarted"}', Event.SPEECH_STARTED),
    ('{"type": "UtteranceEnd"}', Event.UTTERANCE_END),
    ('{"type": "SomethingNew"}', Event.UNHANDLED),
    ('{"no_type": 1}', Event.UNHANDLED),
])
def test_messages_are_classified_by_type(raw, event):
    parsed = classify(raw)
    assert parsed.event is event and parsed.error is None and isinstance(parsed.message, dict)


@pytest.mark.parametrize("raw", ["not json", "[1, 2]", b"\x00\x01"])
def test_frames_that_are_not_json_objects_are_errors_with_the_legacy_text(raw):
    parsed = classify(raw)
    assert parsed.message is None and parsed.error.kind == "parse"
    if raw == "not json":
        assert parsed.error == "Couldn't parse response JSON: not json"


@given(st.dictionaries(st.text(max_size=5), st.integers(), max_size=4))
def test_any_json_object_is_a_message(obj):
    import json

    parsed = classify(json.dumps(obj))
    assert parsed.message == obj and parsed.event is not None


def test_the_final_metadata_is_recognised_the_new_and_the_old_way():
    assert is_final_metadata({"type": "Metadata"})
    assert is_final_metadata({"sha256": "abc", "transaction_key": "deprecated"})
    assert not is_final_metadata({"type": "Results"})


def test_close_errors():
    assert close_error(1000, "") is None
    error = close_error(1011, "NET-0001: no audio")
    assert isinstance(error, LiveError) and isinstance(error, str)
    assert (error.kind, error.code, error.reason) == ("close", 1011, "NET-0001: no audio")
    assert "1011" in error and "NET-0001" in error
    assert close_error(1006, None).reason is None
    gave_up = close_error(1000, None, "finish() gave up")
    assert gave_up.kind == "timeout" and str(gave_up) == "finish() gave up; the connection then closed with code 1000"


def test_events_are_accepted_by_member_or_value():
    assert normalize_event("close") is Event.CLOSE
    assert normalize_event(Event.OPEN) is Event.OPEN
    with pytest.raises(ValueError, match="Unknown event"):
        normalize_event("closed")


class FlakySocket:
    """A websocket stand-in whose first KeepAlive fails, to check the sender shrugs it off."""

    def __init__(self):
        self.sent = []
        self.failures = 1

    async def send(self, frame):
        if self.failures and "KeepAlive" in str(frame):
            self.failures -= 1
            raise OSError("transient write failure")
        self.sent.append(frame)


def test_one_failed_keepalive_does_not_end_the_sender():
    from deepgram._live_messages import KEEP_ALIVE
    from deepgram._stream_end import _STOP

    async def main():
        live = LiveTranscription({"api_key": "k"}, settings=LiveSettings(keepalive_interval=None))
        live._session.opened(0.0)
        live._outgoing = asyncio.Queue()
        live._room = asyncio.Event()
        live._socket = FlakySocket()
        for frame in (KEEP_ALIVE, b"audio", "text", KEEP_ALIVE):
            if frame is KEEP_ALIVE:
                live._session.control(frame)
            else:
                live._session.queue(frame)
            live._outgoing.put_nowait(frame)
        live._outgoing.put_nowait(_STOP)
        await live._send_loop()
        return live._socket.sent, live._session.buffered

    sent, buffered = asyncio.run(main())
    assert sent == [b"audio", "text", KEEP_ALIVE]  # the first KeepAlive failed; the rest went out
    assert buffered == 0  # every frame left the buffer, text and failed ones included
