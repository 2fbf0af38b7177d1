"""Live streams that reconnect (LiveSettings(reconnect=N)): the pure replay and timeline rules,
then whole streams through the emulator, which cuts them where a test says."""

import asyncio
import hashlib
import logging
import wave

import pytest

from deepgram import Deepgram, DeepgramSetupError, DeepgramStreamClosedError
from deepgram._resume import AudioLayout, Replay, Timeline, audio_layout, wav_layout
from deepgram.live import LiveSettings
from deepgram.testing import sample_path

RATE = 16000
LAYOUT = AudioLayout(RATE * 2, 2)
FAST = dict(retry_delay=0.01, finish_timeout=20)
OPTIONS = {"encoding": "linear16", "sample_rate": RATE, "punctuate": True}


def noise(seconds: float) -> bytes:
    """Deterministic audio that is not a bundled sample (the emulator invents its words)."""
    size = int(seconds * RATE) * 2
    out = bytearray()
    block = 0
    while len(out) < size:
        out += hashlib.sha256(str(block).encode()).digest()
        block += 1
    return bytes(out[:size])


# -- the pure rules --------------------------------------------------------------------------


def test_replay_keeps_only_the_audio_no_final_covers():
    replay = Replay(LAYOUT, max_seconds=30)
    for _ in range(10):
        replay.add(b"\x01\x02" * 1600)  # 0.1 s each
    replay.cover(0.25)  # on a sample boundary: byte 8000, inside the third frame
    offset, frames = replay.resume()
    assert offset == 0.25
    assert sum(map(len, frames)) == 32000 - 8000
    assert frames[0] == (b"\x01\x02" * 1600)[1600:]  # the third frame, cut where the final ended


def test_replay_cuts_on_a_whole_sample_frame():
    replay = Replay(AudioLayout(RATE * 4, 4), max_seconds=30)  # stereo linear16
    replay.add(bytes(6400))
    replay.cover(0.0101)  # 161.6 sample frames: rounds to 162, byte 648
    offset, frames = replay.resume()
    assert sum(map(len, frames)) == 6400 - 648
    assert offset == 648 / (RATE * 4)


def test_replay_is_bounded_and_says_what_it_lost():
    replay = Replay(LAYOUT, max_seconds=0.5)
    for _ in range(20):
        replay.add(bytes(3200))
    offset, frames = replay.resume()
    assert sum(map(len, frames)) <= 16000 + 3200
    assert replay.lost == offset * LAYOUT.byte_rate > 0


def test_replay_of_audio_whose_layout_is_unknown_says_so():
    replay = Replay(None, 30.0)  # no encoding= and not a WAV file: compressed audio
    assert not replay.unknown  # nothing sent yet: a new connection loses nothing
    replay.add(b"ID3" + bytes(5000))
    assert replay.unknown and replay.resume() == (0.0, [])
    with open(sample_path("fox.wav"), "rb") as f:
        head = f.read(8000)
    wav = Replay(None, 30.0)
    wav.add(head)
    assert not wav.unknown and wav.layout == LAYOUT


def test_replay_sends_a_wav_header_again_first():
    with open(sample_path("fox.wav"), "rb") as f:
        data = f.read()
    layout, header_size = wav_layout(data)
    assert layout == AudioLayout(32000, 2)
    replay = Replay(None, max_seconds=30)
    replay.add(data[:8000])
    replay.add(data[8000:16000])
    replay.cover(0.1)
    offset, frames = replay.resume()
    assert offset == 0.1
    assert frames[0] == data[:header_size]
    assert b"".join(frames[1:]) == data[header_size + 3200:16000]


def test_timeline_moves_messages_onto_the_stream_time():
    timeline = Timeline()
    timeline.offset = 10.0
    words = [{"word": "a", "punctuated_word": "A", "start": 0.5, "end": 0.8}]
    moved = timeline.moved({"type": "Results", "start": 0.0, "duration": 2.0, "is_final": True,
                            "channel": {"alternatives": [{"transcript": "A", "words": words}]}})
    assert moved["start"] == 10.0 and moved["duration"] == 2.0
    assert moved["channel"]["alternatives"][0]["words"][0]["start"] == 10.5
    assert words[0]["start"] == 0.5  # the server's message is not changed in place
    assert timeline.moved({"type": "UtteranceEnd", "last_word_end": 1.25})["last_word_end"] == 11.25
    assert timeline.moved({"type": "SpeechStarted", "timestamp": 0.1})["timestamp"] == 10.1
    assert timeline.moved({"type": "Metadata", "duration": 3.5})["duration"] == 13.5


def test_timeline_never_delivers_a_final_word_twice():
    timeline = Timeline()
    first = {"type": "Results", "start": 0.0, "duration": 3.0, "is_final": True,
             "channel": {"alternatives": [{"transcript": "one two", "words": [
                 {"word": "one", "start": 1.0, "end": 1.5}, {"word": "two", "start": 2.0, "end": 2.9}]}]}}
    assert timeline.moved(first) is first
    timeline.offset = 1.9  # a reconnect that resumed before the end of what was delivered
    again = {"type": "Results", "start": 0.0, "duration": 2.0, "is_final": True,
             "channel": {"alternatives": [{"transcript": "two three", "words": [
                 {"word": "two", "start": 0.1, "end": 1.0}, {"word": "three", "start": 1.5, "end": 1.9}]}]}}
    moved = timeline.moved(again)
    assert [w["word"] for w in moved["channel"]["alternatives"][0]["words"]] == ["three"]
    assert moved["channel"]["alternatives"][0]["transcript"] == "three"
    assert moved["start"] == 3.0 and moved["duration"] == pytest.approx(0.9)
    old = {"type": "Results", "start": 0.0, "duration": 0.5, "is_final": True,
           "channel": {"alternatives": [{"transcript": "", "words": []}]}}
    assert timeline.moved(old) is None  # all before what was delivered
    interim = {"type": "Results", "start": 0.0, "duration": 0.5, "is_final": False,
               "channel": {"alternatives": [{"transcript": "", "words": []}]}}
    assert timeline.moved(interim)["start"] == 1.9  # interim results are moved, never dropped


@pytest.mark.parametrize("options, fix", [
    ({"encoding": "opus", "sample_rate": 48000}, "compressed"),
    ({"encoding": "linear16"}, "sample_rate"),
    ({"encoding": "linear16", "sample_rate": "fast"}, "whole numbers"),
])
def test_options_a_reconnect_cannot_resume_fail_before_any_io(options, fix):
    with pytest.raises(DeepgramSetupError, match=fix):
        audio_layout(options)
    dg = Deepgram({"api_key": "k", "api_url": "http://127.0.0.1:9/v1"})  # nothing listens there
    with pytest.raises(DeepgramSetupError, match=fix):
        dg.transcription.live(options, settings=LiveSettings(reconnect=2))


def test_reconnect_is_refused_on_the_other_sockets():
    dg = Deepgram({"api_key": "k", "api_url": "http://127.0.0.1:9/v1"})
    with pytest.raises(DeepgramSetupError, match="/v1/listen streams only"):
        dg.transcription.live_v2({"model": "flux-general-en"}, settings=LiveSettings(reconnect=1))


# -- whole streams through the emulator -------------------------------------------------------


async def stream(dg, audio, settings, events=None, chunk=3200):
    """Stream ``audio`` as fast as the loop allows; the final words (text, start, end) and the stream."""
    live = await dg.transcription.live(OPTIONS, settings=settings)
    words = []
    events = [] if events is None else events

    def on_results(message):
        if message["is_final"]:
            words.extend((w["punctuated_word"], w["start"], w["end"])
                         for w in message["channel"]["alternatives"][0]["words"])

    live.register_handler(live.event.RESULTS, on_results)
    for name in ("RECONNECTING", "RECONNECTED", "ERROR", "CLOSE"):
        live.register_handler(live.event[name], lambda argument, name=name: events.append((name, argument)))
    for at in range(0, len(audio), chunk):
        try:
            live.send(audio[at:at + chunk])
        except DeepgramStreamClosedError:  # without reconnect, a cut stream takes no more audio
            break
        await asyncio.sleep(0)
    await live.finish()
    return words, live


def test_a_stream_cut_twice_gives_the_transcript_of_a_clean_one(fake, dg):
    audio = noise(21.3)
    clean, _ = asyncio.run(stream(dg, audio, LiveSettings(**FAST)))
    # 1011 after 7.37 s of audio, then a drop (1006) 5.11 s into the second connection: neither
    # on a result boundary (finals end on word ends or every 3 s).
    fake.live_fault("close", after_seconds=7.37, code=1011)
    fake.live_fault("drop", after_seconds=5.11)
    events = []
    cut, live = asyncio.run(stream(dg, audio, LiveSettings(reconnect=2, **FAST), events))
    assert len(clean) > 40
    assert cut == clean  # word for word, times included
    starts = [start for _, start, _ in cut]
    assert starts == sorted(starts)
    assert [name for name, _ in events] == ["RECONNECTING", "RECONNECTED", "RECONNECTING", "RECONNECTED", "CLOSE"]
    assert events[0][1]["code"] == 1011 and events[2][1]["code"] == 1006
    assert events[-1][1] == 1000
    assert [s.close_code for s in fake.live_sessions] == [1000, 1011, 1006, 1000]
    assert live.metadata["duration"] == pytest.approx(21.3)  # the last connection's, on the whole stream
    assert live.request_ids == [s.request_id for s in fake.live_sessions[1:]]
    # The second connection heard the audio again from the end of the last final result.
    resumed = events[1][1]
    assert 0 < resumed["offset"] < 7.37 and resumed["lost_bytes"] == 0
    assert resumed["replayed_bytes"] >= (7.37 - resumed["offset"]) * 32000
    # Both cuts fell between result boundaries: each connection had heard audio past its last final.
    for session in fake.live_sessions[1:3]:
        ends = [m["start"] + m["duration"] for m in session.sent if m.get("type") == "Results" and m["is_final"]]
        heard = session.audio_bytes / 32000
        assert ends and max(ends) < heard - 0.1, (ends, heard)
    assert events[3][1]["lost_bytes"] == 0


def test_without_reconnect_a_cut_stream_ends_as_before(fake, dg):
    fake.live_fault("close", after_seconds=4.5, code=1011)
    events = []
    words, _ = asyncio.run(stream(dg, noise(6), LiveSettings(**FAST), events))
    assert [name for name, _ in events] == ["ERROR", "CLOSE"]
    assert events[0][1].code == 1011 and events[1][1] == 1011
    assert len(fake.live_sessions) == 1
    assert words and words[-1][2] <= 4.5


def test_a_stream_of_audio_it_cannot_replay_ends_instead_of_losing_words(fake, dg, caplog):
    fake.live_fault("close", after_bytes=64000, code=1011)
    events = []

    async def go():
        # No encoding=: the audio is taken to carry its own format (compressed), which cannot be
        # cut on a sample and replayed.
        live = await dg.transcription.live({"punctuate": True}, settings=LiveSettings(reconnect=2, **FAST))
        for name in ("RECONNECTING", "ERROR", "CLOSE"):
            live.register_handler(live.event[name], lambda argument, name=name: events.append((name, argument)))
        audio = b"ID3" + noise(4)
        for at in range(0, len(audio), 3200):
            try:
                live.send(audio[at:at + 3200])
            except DeepgramStreamClosedError:
                break
            await asyncio.sleep(0.001)
        await live.finish(timeout=5)

    with caplog.at_level(logging.WARNING, logger="deepgram"):
        asyncio.run(go())
    assert [name for name, _ in events] == ["ERROR", "CLOSE"]
    assert len(fake.live_sessions) == 1
    assert "cannot reconnect" in caplog.text


def test_a_reconnect_that_keeps_failing_gives_up_after_its_attempts(fake, dg):
    fake.live_fault("drop", after_seconds=1.0)
    events = []

    def refuse_from_now_on(_info):
        fake.script("GET", "/listen", status=503, times=None)

    async def go():
        live = await dg.transcription.live(OPTIONS, settings=LiveSettings(reconnect=3, **FAST))
        live.register_handler(live.event.RECONNECTING, refuse_from_now_on)
        for name in ("RECONNECTED", "ERROR", "CLOSE"):
            live.register_handler(live.event[name], lambda argument, name=name: events.append((name, argument)))
        audio = noise(3)
        try:
            for at in range(0, len(audio), 3200):
                live.send(audio[at:at + 3200])
                await asyncio.sleep(0.001)
        except DeepgramStreamClosedError:  # the retries do not wait here: the stream may end first
            pass
        await live.finish(timeout=5)
        return live

    asyncio.run(go())
    assert [name for name, _ in events] == ["ERROR", "CLOSE"]
    assert events[1][1] == 1006
    handshakes = [r for r in fake.requests if r.path.startswith("/v1/listen")]
    assert len(handshakes) == 1 + 3  # the first connection, then three attempts


def test_audio_sent_while_reconnecting_is_kept_and_counted(fake, dg, caplog):
    fake.live_fault("close", after_seconds=1.0, code=1012)
    audio = noise(4)
    sent_during, resumed = [], []

    async def go():
        live = await dg.transcription.live(OPTIONS, settings=LiveSettings(reconnect=1, **FAST))

        def during(_info):
            # The connection is gone: send() still takes audio, and counts it against the buffer.
            live.send(audio[32000:35200])
            sent_during.append(live._session.buffered)

        reconnected = asyncio.Event()
        live.register_handler(live.event.RECONNECTING, during)
        live.register_handler(live.event.RECONNECTED, lambda info: (resumed.append(info), reconnected.set()))
        live.send(audio[:32000])
        await asyncio.wait_for(reconnected.wait(), 10)  # the emulator cut the stream after 1 s of audio
        live.send(audio[35200:])
        await live.finish()
        return live

    asyncio.run(go())
    assert sent_during and sent_during[0] >= 3200
    first, second = fake.live_sessions
    # Everything after the last final of the first connection went to the second, once: the
    # replay from where the stream says it resumed, the audio sent meanwhile, and the rest.
    covered = round(resumed[0]["offset"] * 32000)
    assert 0 <= covered <= first.audio_bytes  # no final came in the first second: all of it again
    assert second.audio_bytes == len(audio) - covered


def test_the_blocking_client_reconnects_too(fake):
    dg = Deepgram({"api_key": fake.api_key, "api_url": fake.url})
    audio = noise(8)
    clean_words = []
    for faults, sink in (([], clean_words), (["cut"], [])):
        if faults:
            fake.live_fault("drop", after_seconds=3.3)
        events = []
        live = dg.sync.transcription.live(OPTIONS, settings=LiveSettings(reconnect=1, **FAST))
        live.register_handler(live.event.RESULTS, lambda m, sink=sink: sink.extend(
            w["word"] for w in m["channel"]["alternatives"][0]["words"]) if m["is_final"] else None)
        live.register_handler(live.event.RECONNECTED, lambda info, events=events: events.append(info))
        for at in range(0, len(audio), 3200):
            live.send(audio[at:at + 3200])
        live.finish()
        if faults:
            assert len(events) == 1
            assert sink == clean_words and len(sink) > 10


def test_a_wav_file_resumes_with_its_header(fake, dg, tmp_path):
    # The bundled sample, with its header (no encoding given): its real words, cut at 3.3 s.
    with open(sample_path("fox.wav"), "rb") as f:
        data = f.read()
    with wave.open(str(sample_path("fox.wav"))) as w:
        assert w.getframerate() == RATE

    async def go(settings):
        live = await dg.transcription.live({"punctuate": True}, settings=settings)
        words = []
        live.register_handler(live.event.RESULTS, lambda m: words.extend(
            w["word"] for w in m["channel"]["alternatives"][0]["words"]) if m["is_final"] else None)
        for at in range(0, len(data), 4000):
            live.send(data[at:at + 4000])
            await asyncio.sleep(0.001)
        await live.finish()
        return words

    clean = asyncio.run(go(LiveSettings(**FAST)))
    fake.live_fault("close", after_seconds=3.3, code=1011)
    cut = asyncio.run(go(LiveSettings(reconnect=1, **FAST)))
    assert cut == clean and len(clean) > 5
    first, second = fake.live_sessions[-2:]
    assert first.close_code == 1011 and second.close_code == 1000
    assert 44 < second.audio_bytes < len(data)  # the header again, then only what was not covered


def test_a_replay_past_its_bound_warns_and_says_what_was_lost(fake, dg, caplog):
    fake.live_fault("close", after_seconds=2.9, code=1011)
    events = []
    with caplog.at_level(logging.WARNING, logger="deepgram"):
        asyncio.run(stream(dg, noise(4), LiveSettings(reconnect=1, max_replay_seconds=0.2, **FAST), events))
    reconnected = [info for name, info in events if name == "RECONNECTED"]
    assert reconnected and reconnected[0]["lost_bytes"] > 0
    assert "could not be replayed" in caplog.text


def test_live_captions_read_the_same_across_reconnects(fake, dg):
    from deepgram.captions import LiveCaptions

    audio = noise(12)

    async def captioned(settings):
        captions = LiveCaptions("vtt")
        live = await dg.transcription.live(OPTIONS, settings=settings)
        live.register_handler(live.event.TRANSCRIPT_RECEIVED, captions.add)
        for at in range(0, len(audio), 3200):
            live.send(audio[at:at + 3200])
            await asyncio.sleep(0)
        await live.finish()
        return captions.text

    clean = asyncio.run(captioned(LiveSettings(**FAST)))
    fake.live_fault("close", after_seconds=4.2, code=1011)
    fake.live_fault("drop", after_seconds=2.9)
    cut = asyncio.run(captioned(LiveSettings(reconnect=1, **FAST)))
    assert [s.close_code for s in fake.live_sessions[1:]] == [1011, 1006, 1000]
    # The cues may split differently (the server cuts finals from each connection's start),
    # but the words read the same, in the same order, none twice.

    def words(vtt):
        return " ".join(line[2:] for line in vtt.splitlines() if line.startswith("- ")).split()
    assert words(cut) == words(clean) and len(words(clean)) > 20
