"""deepgram.audio_sources: WAV and raw files paced on a fake clock, the microphone on a fake sounddevice,
and the sources streamed through the emulator."""

import asyncio
import io
import math
import os
import struct
import subprocess
import sys
import threading
import types
import wave
from pathlib import Path

import pytest

from deepgram import audio_sources as audio_module
from deepgram.audio_sources import AudioFormat, FileSource, Microphone, stream_file, stream_file_sync
from deepgram.errors import DeepgramBufferFullError, DeepgramSetupError
from deepgram.testing import sample_path

ROOT = Path(__file__).resolve().parent.parent
FOX = "The quick brown fox jumps over the lazy dog. Deepgram turns speech into text."


def pcm(count, width=2, channels=1):
    """``count`` sample frames of distinct, recognisable bytes."""
    return bytes((i * 7 + 3) % 256 for i in range(count * width * channels))


def write_wav(path, data, rate=16000, width=2, channels=1):
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(width)
        writer.setframerate(rate)
        writer.writeframes(data)
    return path


def wav_bytes(tag, channels, rate, bits, data, before_data=b"", extensible_tag=None, data_size=None):
    """A WAV file written by hand: a fmt chunk (WAVE_FORMAT_EXTENSIBLE when asked), any chunks, data."""
    block = channels * bits // 8
    fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * block, block, bits)
    if extensible_tag is not None:
        guid_tail = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
        fmt += struct.pack("<HHIH", 22, bits, 0, extensible_tag) + guid_tail
    size = len(data) if data_size is None else data_size
    body = (b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + before_data
            + b"data" + struct.pack("<I", size) + data)
    return b"RIFF" + struct.pack("<I", len(body)) + body


class FakeClock:
    """A clock that moves only when slept on (or told to): no test sleeps for real."""

    def __init__(self):
        self.now = 100.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds):
        self.sleep(seconds)


def collect(source, clock, work=0.0):
    """Each frame, and when (on the fake clock, from the first) it came; ``work``: the consumer's time per frame."""
    start, got = clock.now, []
    for frame in source:
        got.append((round(clock.now - start, 9), frame))
        clock.now += work
    return got


def collect_async(source, clock, work=0.0):
    async def main():
        start, got = clock.now, []
        async for frame in source:
            got.append((round(clock.now - start, 9), frame))
            clock.now += work
        return got

    return asyncio.run(main())


# -- formats and files -----------------------------------------------------------------------------


def test_audio_format_gives_the_byte_rate_and_the_live_options():
    linear = AudioFormat("linear16", 16000, 1)
    assert (linear.sample_width, linear.frame_width, linear.byte_rate) == (2, 2, 32000)
    assert linear.options() == {"encoding": "linear16", "sample_rate": 16000, "channels": 1}
    assert AudioFormat("mulaw", 8000, 2).byte_rate == 16000
    assert AudioFormat("linear32", 48000, 2).byte_rate == 384000
    assert AudioFormat("alaw", 8000).channels == 1
    assert {**linear.options(), "punctuate": True}["punctuate"] is True


@pytest.mark.parametrize("width, channels, rate, encoding", [(2, 1, 16000, "linear16"), (2, 2, 8000, "linear16"),
                                                            (4, 1, 48000, "linear32")])
def test_a_pcm_wav_file_streams_its_samples_as_they_are(tmp_path, width, channels, rate, encoding):
    data = pcm(1000, width, channels)
    path = write_wav(tmp_path / "a.wav", data, rate, width, channels)
    source = FileSource(path, speed=0)
    assert source.format == AudioFormat(encoding, rate, channels)
    assert source.duration == pytest.approx(1000 / rate)
    assert b"".join(source) == data


@pytest.mark.parametrize("tag, extensible, encoding", [(7, None, "mulaw"), (6, None, "alaw"), (0xFFFE, 7, "mulaw"),
                                                       (0xFFFE, 6, "alaw")])
def test_mulaw_and_alaw_wav_files_are_read_past_other_chunks(tmp_path, tag, extensible, encoding):
    data = bytes(range(256)) * 8  # a quarter of a second at 8 kHz
    extra = b"LIST" + struct.pack("<I", 5) + b"INFOx\x00"  # an odd size: padded to an even length
    path = tmp_path / "law.wav"
    path.write_bytes(wav_bytes(tag, 1, 8000, 8, data, before_data=extra, extensible_tag=extensible))
    source = FileSource(path, speed=0, chunk_seconds=0.1)
    assert source.format == AudioFormat(encoding, 8000, 1)
    assert source.duration == pytest.approx(0.256)
    frames = list(source)
    assert [len(f) for f in frames] == [800, 800, 448]
    assert b"".join(frames) == data


def test_8_bit_pcm_becomes_linear16_and_24_bit_becomes_linear32(tmp_path):
    eight = write_wav(tmp_path / "8.wav", bytes([0, 128, 255]), rate=8000, width=1)
    source = FileSource(eight, speed=0)
    assert source.format == AudioFormat("linear16", 8000, 1)
    assert b"".join(source) == struct.pack("<3h", -32768, 0, 127 * 256)  # unsigned 8-bit: 128 is silence

    samples = [0x123456, -0x800000, -1]
    raw = b"".join(s.to_bytes(3, "little", signed=True) for s in samples)
    path = tmp_path / "24.wav"
    path.write_bytes(wav_bytes(1, 1, 16000, 24, raw))
    source = FileSource(path, speed=0)
    assert source.format == AudioFormat("linear32", 16000, 1)
    assert source.duration == pytest.approx(3 / 16000)
    assert struct.unpack("<3i", b"".join(source)) == tuple(s << 8 for s in samples)


def test_headerless_raw_audio_is_read_with_the_format_it_is_given(tmp_path):
    path = tmp_path / "audio.raw"
    data = pcm(1000, 2, 2) + b"\x01"  # a cut-off last sample frame, which is dropped
    path.write_bytes(data)
    source = FileSource(path, format=AudioFormat("linear16", 8000, 2), chunk_seconds=0.05, speed=0)
    assert source.format.options() == {"encoding": "linear16", "sample_rate": 8000, "channels": 2}
    assert source.duration == pytest.approx(1000 / 8000)
    frames = list(source)
    assert [len(f) for f in frames] == [1600, 1600, 800]
    assert b"".join(frames) == data[:-1]


def test_frames_hold_whole_sample_frames_and_only_the_last_is_shorter(tmp_path):
    data = pcm(7001, 2, 2)
    path = write_wav(tmp_path / "stereo.wav", data, rate=8000, channels=2)
    frames = list(FileSource(path, chunk_seconds=1 / 30, speed=0))  # 266.67 sample frames: 267
    assert {len(f) for f in frames[:-1]} == {267 * 4}
    assert 0 < len(frames[-1]) < 267 * 4 and len(frames[-1]) % 4 == 0
    assert b"".join(frames) == data
    tiny = list(FileSource(path, chunk_seconds=1e-9, speed=0))  # never an empty frame: one sample frame each
    assert len(tiny) == 7001 and {len(f) for f in tiny} == {4}


def test_the_bundled_sample_yields_exactly_its_pcm_data():
    with wave.open(str(sample_path("fox.wav")), "rb") as reader:
        expected, frames, rate = reader.readframes(reader.getnframes()), reader.getnframes(), reader.getframerate()
    with FileSource(sample_path("fox.wav"), speed=0) as source:
        assert source.format == AudioFormat("linear16", 16000, 1)
        assert source.duration == pytest.approx(frames / rate)
        chunks = list(source)
    assert b"".join(chunks) == expected
    assert {len(c) for c in chunks[:-1]} == {3200}  # 100 ms of 16 kHz linear16


def test_a_binary_file_object_is_read_again_on_each_iteration_and_left_open(tmp_path):
    data = pcm(2000)
    handle = io.BytesIO(b"junk" + wav_bytes(1, 1, 16000, 16, data))
    handle.seek(4)  # the WAV file starts where the file object is
    source = FileSource(handle, speed=0)
    assert b"".join(source) == data
    assert b"".join(source) == data
    source.close()
    assert not handle.closed


class Pipe(io.RawIOBase):
    """A file that cannot seek, such as stdin, giving a few bytes per read."""

    def __init__(self, data):
        self._data = io.BytesIO(data)

    def readable(self):
        return True

    def read(self, size=-1):
        return self._data.read(min(size, 100) if size >= 0 else size)


def test_a_pipe_is_streamed_from_its_header_or_as_raw_audio_without_losing_a_byte():
    data = pcm(3000)
    source = FileSource(Pipe(wav_bytes(1, 1, 16000, 16, data, data_size=0xFFFFFFFF)), speed=0)
    assert source.duration is None  # a streamed header does not say how long it is
    assert b"".join(source) == data
    raw = FileSource(Pipe(data), format=AudioFormat("linear16", 16000, 1), speed=0)
    assert b"".join(raw) == data


def test_a_truncated_wav_file_streams_what_is_there(tmp_path):
    data = pcm(1000)
    path = tmp_path / "cut.wav"
    path.write_bytes(wav_bytes(1, 1, 16000, 16, data, data_size=len(data) * 10))
    source = FileSource(path, speed=0)
    assert source.duration == pytest.approx(1000 / 16000)
    assert b"".join(source) == data


# -- pacing ------------------------------------------------------------------------------------


@pytest.fixture
def tenth_seconds(tmp_path):
    """Half a second of 16 kHz audio: five 100 ms frames."""
    return write_wav(tmp_path / "half.wav", pcm(8000))


@pytest.mark.parametrize("speed, step", [(1, 0.1), (2, 0.05), (0.5, 0.2)])
@pytest.mark.parametrize("mode", [collect, collect_async])
def test_frames_are_due_at_the_real_time_schedule_divided_by_the_speed(tenth_seconds, speed, step, mode):
    clock = FakeClock()
    source = FileSource(tenth_seconds, speed=speed, clock=clock, sleep=clock.sleep)
    got = mode(source, clock)
    assert [t for t, _ in got] == pytest.approx([n * step for n in range(5)])
    assert clock.sleeps == pytest.approx([step] * 4)  # nothing after the last frame


@pytest.mark.parametrize("speed", [0, math.inf])
@pytest.mark.parametrize("mode", [collect, collect_async])
def test_speed_zero_or_infinity_sends_as_fast_as_possible(tenth_seconds, speed, mode):
    clock = FakeClock()
    got = mode(FileSource(tenth_seconds, speed=speed, clock=clock, sleep=clock.sleep), clock)
    assert len(got) == 5 and clock.sleeps == []
    assert {t for t, _ in got} == {0}


@pytest.mark.parametrize("mode", [collect, collect_async])
def test_the_schedule_is_absolute_so_time_spent_sending_never_adds_up(tenth_seconds, mode):
    clock = FakeClock()
    source = FileSource(tenth_seconds, clock=clock, sleep=clock.sleep)
    got = mode(source, clock, work=0.03)  # each send takes 30 ms: the sleeps shrink to 70 ms
    assert [t for t, _ in got] == pytest.approx([0, 0.1, 0.2, 0.3, 0.4])
    assert clock.sleeps == pytest.approx([0.07] * 4)


def test_a_late_consumer_gets_the_frames_it_missed_at_once_and_then_the_schedule_again(tmp_path):
    clock = FakeClock()
    source = FileSource(write_wav(tmp_path / "a.wav", pcm(11200)), clock=clock, sleep=clock.sleep)  # 7 frames
    times = []
    for _ in source:
        times.append(round(clock.now - 100.0, 9))
        if len(times) == 2:
            clock.now += 0.35  # a stall: frames 2 to 4 are already due
    assert times == pytest.approx([0, 0.1, 0.45, 0.45, 0.45, 0.5, 0.6])


def test_async_and_blocking_iteration_give_the_same_bytes_with_async_or_plain_sleeps(tmp_path):
    path = write_wav(tmp_path / "a.wav", pcm(5000, 2, 2), rate=22050, channels=2)
    clocks = [FakeClock() for _ in range(3)]
    blocking = collect(FileSource(path, clock=clocks[0], sleep=clocks[0].sleep), clocks[0])
    plain = collect_async(FileSource(path, clock=clocks[1], sleep=clocks[1].sleep), clocks[1])
    awaited = collect_async(FileSource(path, clock=clocks[2], sleep=clocks[2].async_sleep), clocks[2])
    assert blocking == plain == awaited
    assert len(blocking) == 3 and b"".join(f for _, f in blocking) == pcm(5000, 2, 2)
    assert clocks[0].sleeps == clocks[1].sleeps == clocks[2].sleeps != []


def test_blocking_iteration_refuses_an_async_sleep(tenth_seconds):
    clock = FakeClock()
    source = FileSource(tenth_seconds, clock=clock, sleep=clock.async_sleep)
    with pytest.raises(DeepgramSetupError, match="async for"):
        list(source)


def test_the_default_clock_paces_with_real_sleeps(tenth_seconds, monkeypatch):
    slept = []
    monkeypatch.setattr(audio_module.time, "sleep", slept.append)  # recorded, not slept
    ticks = iter([5.0, 5.0, 5.04, 5.35, 5.45])  # when each of the five frames is asked for
    monkeypatch.setattr(audio_module.time, "perf_counter", lambda: next(ticks, 9.0))
    assert len(list(FileSource(tenth_seconds))) == 5
    assert slept == pytest.approx([0.1, 0.16])  # frames 1 and 2 waited; 3 and 4 were late


# -- lifetime ----------------------------------------------------------------------------------


@pytest.fixture
def opened(monkeypatch):
    """Every file the audio module opens."""
    handles = []

    def tracking_open(*args, **kwargs):
        handle = open(*args, **kwargs)
        handles.append(handle)
        return handle

    monkeypatch.setattr(audio_module, "open", tracking_open, raising=False)
    return handles


def test_the_header_is_read_and_closed_at_construction_and_each_iteration_closes_its_file(tenth_seconds, opened):
    source = FileSource(tenth_seconds, speed=0)
    assert len(opened) == 1 and opened[0].closed
    assert len(list(source)) == 5
    assert len(opened) == 2 and all(h.closed for h in opened)
    for _ in source:
        break  # the generator is finalised at once: its file with it
    assert len(opened) == 3 and all(h.closed for h in opened)


def test_close_ends_a_running_iteration_and_closes_its_file(tenth_seconds, opened):
    with FileSource(tenth_seconds, speed=0) as source:
        frames = iter(source)
        next(frames)
        assert not opened[-1].closed
    assert opened[-1].closed
    assert list(frames) == []
    with pytest.raises(DeepgramSetupError, match="closed"):
        list(source)


def test_close_ends_an_async_iteration(tenth_seconds, opened):
    async def main():
        source = FileSource(tenth_seconds, speed=0)
        got = []
        async for frame in source:
            got.append(frame)
            source.close()
        return got

    assert len(asyncio.run(main())) == 1
    assert all(h.closed for h in opened)


# -- bad input ---------------------------------------------------------------------------------


def test_missing_files_directories_and_other_things_are_refused_with_the_fix(tmp_path):
    with pytest.raises(DeepgramSetupError, match=r"No such audio file: '.*nope\.wav'.*check the path"):
        FileSource(tmp_path / "nope.wav")
    with pytest.raises(DeepgramSetupError, match="is a directory: pass the path of an audio file"):
        FileSource(tmp_path)
    with pytest.raises(DeepgramSetupError, match=r"not bytes.*io\.BytesIO"):
        FileSource(b"RIFF....WAVE")
    with pytest.raises(DeepgramSetupError, match="not int"):
        FileSource(3)
    (tmp_path / "t.txt").write_text("hello")
    with pytest.raises(DeepgramSetupError, match="text mode"), open(tmp_path / "t.txt") as text:
        FileSource(text)


@pytest.mark.parametrize("content, message", [
    (b"hello, world", r"'.*x\.bin' is not a WAV file.*format=AudioFormat\('linear16', 16000, 1\)"),
    (b"", "is an empty file"),
    (b"fLaC\x00\x00\x00\x22" + bytes(34), "is a FLAC file.*ffmpeg"),
    (b"OggS" + bytes(30), "is an Ogg file"),
    (wav_bytes(3, 1, 16000, 32, bytes(64)), r"32-bit IEEE float audio.*ffmpeg -i in\.wav -c:a pcm_s16le out\.wav"),
    (wav_bytes(2, 1, 16000, 4, bytes(64)), r"Microsoft ADPCM \(4-bit\).*Convert it to 16-bit PCM"),
    (wav_bytes(0x1234, 1, 16000, 16, bytes(64)), r"format tag 0x1234 \(16-bit\)"),
    (wav_bytes(1, 1, 16000, 12, bytes(64)), "12-bit PCM audio"),
    (wav_bytes(7, 1, 8000, 16, bytes(64)), r"holds mu-law \(16-bit\) audio"),
    (wav_bytes(1, 0, 16000, 16, bytes(64)), "0 channels at 16000 Hz"),
    (wav_bytes(1, 1, 16000, 16, b"")[:36], "no data chunk"),
    (b"RIFF\x04\x00\x00\x00WAVE", "no fmt chunk"),
])
def test_a_file_that_is_not_a_wav_file_we_can_stream_is_refused_by_name(tmp_path, content, message):
    path = tmp_path / "x.bin"
    path.write_bytes(content)
    with pytest.raises(DeepgramSetupError, match=message):
        FileSource(path)


@pytest.mark.parametrize("kwargs, message", [
    ({"chunk_seconds": 0}, "chunk_seconds must be a number of seconds above 0.*not 0"),
    ({"chunk_seconds": -0.1}, "chunk_seconds .* not -0.1"),
    ({"chunk_seconds": math.nan}, "chunk_seconds .* not nan"),
    ({"chunk_seconds": "0.1"}, "chunk_seconds .* not '0.1'"),
    ({"speed": -1}, r"speed must be 1 \(real time\).*not -1"),
    ({"speed": math.nan}, "speed .* not nan"),
    ({"format": AudioFormat("mp3", 16000, 1)}, r"Unknown raw audio encoding 'mp3': use one of alaw, linear16, linear32, mulaw"),
    ({"format": AudioFormat("linear16", 0, 1)}, r"sample_rate must be a positive whole number \(such as 16000\), not 0"),
    ({"format": AudioFormat("linear16", 16000.0, 1)}, "sample_rate .* not 16000.0"),
    ({"format": AudioFormat("linear16", 16000, 0)}, r"channels must be a positive whole number \(such as 1\), not 0"),
    ({"format": "linear16"}, "format must be an AudioFormat"),
])
def test_bad_settings_are_refused_at_construction_naming_the_value(tmp_path, kwargs, message):
    path = tmp_path / "a.raw"
    path.write_bytes(pcm(100))
    with pytest.raises(DeepgramSetupError, match=message):
        FileSource(path, **{"format": AudioFormat("linear16", 16000, 1), **kwargs})


def test_a_format_given_for_a_wav_file_is_refused(tenth_seconds):
    with pytest.raises(DeepgramSetupError, match="is a WAV file, whose header gives its format: drop format="):
        FileSource(tenth_seconds, format=AudioFormat("linear16", 16000, 1))


# -- stream_file with stand-in streams ---------------------------------------------------------


class StandIn:
    """A stream whose buffer is full when the frames numbered in ``full_at`` are first sent (or always)."""

    def __init__(self, full_at=(), always_full=False):
        self.full_at, self.always_full = set(full_at), always_full
        self.frames, self.events = [], []

    def send(self, data):
        index = len(self.frames)
        if self.always_full or index in self.full_at:
            self.full_at.discard(index)
            self.events.append(("full", index))
            raise DeepgramBufferFullError("The live buffer is full; await live.drain() first.")
        self.frames.append(data)
        self.events.append(("sent", index))


class AsyncStandIn(StandIn):
    async def drain(self):
        self.events.append(("drain", None))


class BlockingStandIn(StandIn):
    def drain(self):
        self.events.append(("drain", None))


def test_stream_file_drains_when_the_buffer_is_full_and_returns_the_bytes_sent(tenth_seconds):
    live = AsyncStandIn(full_at={1, 3})
    sent = asyncio.run(stream_file(live, FileSource(tenth_seconds, speed=0)))
    assert sent == 16000 and b"".join(live.frames) == pcm(8000) and len(live.frames) == 5
    assert live.events == [("sent", 0), ("full", 1), ("drain", None), ("sent", 1), ("sent", 2),
                           ("full", 3), ("drain", None), ("sent", 3), ("sent", 4)]

    blocking = BlockingStandIn(full_at={0})
    assert stream_file_sync(blocking, FileSource(tenth_seconds, speed=0)) == 16000
    assert blocking.events[:3] == [("full", 0), ("drain", None), ("sent", 0)]
    assert b"".join(blocking.frames) == pcm(8000)


def test_a_frame_that_never_fits_says_so_instead_of_waiting_for_ever(tenth_seconds):
    live = AsyncStandIn(always_full=True)
    with pytest.raises(DeepgramBufferFullError, match="3200-byte frame does not fit the live buffer even after drain"):
        asyncio.run(stream_file(live, FileSource(tenth_seconds, speed=0)))
    assert live.events == [("full", 0), ("drain", None), ("full", 0)]
    blocking = BlockingStandIn(always_full=True)
    with pytest.raises(DeepgramBufferFullError, match="smaller chunk_seconds"):
        stream_file_sync(blocking, FileSource(tenth_seconds, speed=0))
    assert blocking.events == [("full", 0), ("drain", None), ("full", 0)]


# -- end to end, on the emulator -----------------------------------------------------------------


def finals(messages):
    return " ".join(m["channel"]["alternatives"][0]["transcript"] for m in messages
                    if m.get("type") == "Results" and m["is_final"] and m["channel"]["alternatives"][0]["transcript"])


def test_stream_file_sends_the_bundled_sample_through_the_emulator(fake, dg):
    async def main():
        with FileSource(sample_path(), speed=0) as source:
            async with dg.transcription.live({**source.format.options(), "punctuate": True}) as live:
                sent = await stream_file(live, source)
                assert live.is_open  # stream_file leaves finishing to the caller
        return live, sent

    live, sent = asyncio.run(asyncio.wait_for(main(), 30))
    with wave.open(str(sample_path()), "rb") as reader:
        expected = reader.getnframes() * 2
    assert sent == expected == fake.live_sessions[-1].audio_bytes
    assert finals(live.received) == FOX
    assert live.metadata["duration"] == pytest.approx(expected / 32000, abs=0.01)
    assert ("encoding", "linear16") in fake.live_sessions[-1].query
    assert ("sample_rate", "16000") in fake.live_sessions[-1].query


def test_stream_file_sync_sends_the_bundled_sample_on_the_blocking_client(fake, dg):
    with FileSource(sample_path(), speed=0) as source:
        with dg.sync.transcription.live({**source.format.options(), "punctuate": True}) as live:
            sent = stream_file_sync(live, source)
            assert live.is_open
    assert sent == fake.live_sessions[-1].audio_bytes == sample_path().stat().st_size - 44
    assert finals(live.received) == FOX
    assert live.metadata["type"] == "Metadata" and live.close_code == 1000


# -- the microphone ------------------------------------------------------------------------------


def block_of(n, frames):
    return bytes([n % 256]) * (frames * 2)


def fake_sounddevice(blocks=3, threaded=True, refuse=None):
    """A stand-in ``sounddevice``: its input stream calls back with ``blocks`` numbered blocks of
    silence-like bytes, from a thread (as PortAudio does) or at once inside ``start()``."""
    module = types.ModuleType("sounddevice")
    module.streams = []

    def check_input_settings(device=None, channels=None, dtype=None, samplerate=None):
        if refuse:
            raise ValueError(refuse)

    class RawInputStream:
        def __init__(self, samplerate, channels, dtype, blocksize, device, callback):
            self.settings = {"samplerate": samplerate, "channels": channels, "dtype": dtype,
                             "blocksize": blocksize, "device": device}
            self.callback = callback
            self.started = self.stopped = self.closed = False
            self.thread = None
            module.streams.append(self)

        def _run(self):
            for n in range(blocks):
                buffer = memoryview(bytearray(block_of(n, self.settings["blocksize"] * self.settings["channels"])))
                self.callback(buffer, self.settings["blocksize"], None, None)

        def start(self):
            self.started = True
            if threaded:
                self.thread = threading.Thread(target=self._run)
                self.thread.start()
            else:
                self._run()

        def stop(self):
            if self.thread is not None:
                self.thread.join()
            self.stopped = True

        def close(self):
            assert self.stopped and not self.closed
            self.closed = True

    module.check_input_settings = check_input_settings
    module.RawInputStream = RawInputStream
    return module


@pytest.mark.parametrize("threaded", [True, False])
def test_the_microphone_yields_linear16_frames_and_close_stops_it(monkeypatch, threaded):
    sd = fake_sounddevice(blocks=3, threaded=threaded)
    monkeypatch.setitem(sys.modules, "sounddevice", sd)
    got = []
    with Microphone(sample_rate=8000, channels=2, chunk_seconds=0.05, device="USB") as mic:
        assert mic.format == AudioFormat("linear16", 8000, 2)
        for frame in mic:
            got.append(frame)
            if len(got) == 3:
                mic.close()
    assert got == [block_of(n, 800) for n in range(3)]
    (stream,) = sd.streams
    assert stream.settings == {"samplerate": 8000, "channels": 2, "dtype": "int16", "blocksize": 400, "device": "USB"}
    assert stream.stopped and stream.closed


@pytest.mark.parametrize("threaded", [True, False])
def test_the_microphone_hands_frames_to_the_event_loop(monkeypatch, threaded):
    sd = fake_sounddevice(blocks=4, threaded=threaded)
    monkeypatch.setitem(sys.modules, "sounddevice", sd)

    async def main():
        got = []
        with Microphone() as mic:
            async for frame in mic:
                got.append(frame)
                if len(got) == 4:
                    mic.close()
        return got

    assert asyncio.run(asyncio.wait_for(main(), 10)) == [block_of(n, 1600) for n in range(4)]
    assert sd.streams[0].settings["blocksize"] == 1600 and sd.streams[0].closed


def test_stream_file_sends_the_microphone(monkeypatch):
    monkeypatch.setitem(sys.modules, "sounddevice", fake_sounddevice(blocks=2))

    async def main():
        live = AsyncStandIn(full_at={1})
        mic = Microphone()

        async def two_frames():
            async for frame in mic:
                yield frame
                if len(live.frames) == 2:
                    mic.close()

        return live, await stream_file(live, two_frames())

    live, sent = asyncio.run(asyncio.wait_for(main(), 10))
    assert sent == 6400 and live.frames == [block_of(0, 1600), block_of(1, 1600)]
    assert ("drain", None) in live.events


def test_the_microphone_is_read_once_at_a_time_and_not_after_close(monkeypatch):
    monkeypatch.setitem(sys.modules, "sounddevice", fake_sounddevice(blocks=1))
    mic = Microphone()
    first = iter(mic)
    assert next(first) == block_of(0, 1600)
    with pytest.raises(DeepgramSetupError, match="already being read"):
        next(iter(mic))
    mic.close()
    assert list(first) == []
    with pytest.raises(DeepgramSetupError, match="closed"):
        next(iter(mic))


def test_a_microphone_that_cannot_record_is_refused_naming_the_device(monkeypatch):
    monkeypatch.setitem(sys.modules, "sounddevice", fake_sounddevice(refuse="No input device matching 'USB'"))
    with pytest.raises(DeepgramSetupError, match=r"device='USB'\): No input device matching 'USB'.*python -m sounddevice"):
        Microphone(device="USB")
    with pytest.raises(DeepgramSetupError, match="sample_rate must be a positive whole number"):
        Microphone(sample_rate=0)


def test_without_the_extra_the_microphone_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "sounddevice", None)  # the import fails, as when it is not installed
    with pytest.raises(DeepgramSetupError) as raised:
        Microphone()
    assert 'pip install "deepgram-v0[mic]"' in str(raised.value)
    assert isinstance(raised.value.__cause__, ImportError)


# -- the streaming example ---------------------------------------------------------------------


def run_example(*args, pythonpath=()):
    env = {k: v for k, v in os.environ.items() if k != "DEEPGRAM_API_KEY"}
    env["PYTHONPATH"] = os.pathsep.join([*map(str, pythonpath), str(ROOT), env.get("PYTHONPATH", "")])
    return subprocess.run([sys.executable, "-W", "error", str(ROOT / "examples/streaming/main.py"), *args],
                          env=env, capture_output=True, text=True, timeout=120)


def test_the_streaming_example_takes_a_speed():
    done = run_example("--speed", "0")
    assert done.returncode == 0, done.stderr
    assert FOX.split(". ")[0] in done.stdout and "closed with code 1000" in done.stdout
    assert "sent 192710 bytes (6.02 s of audio)" in done.stdout


def test_the_streaming_example_refuses_a_negative_speed():
    done = run_example("--speed", "-1")
    assert done.returncode == 2 and "error: speed must be 1 (real time)" in done.stderr


def test_the_streaming_example_without_the_mic_extra_says_how_to_install_it(tmp_path):
    (tmp_path / "sounddevice.py").write_text("raise ImportError('No module named sounddevice')\n")
    done = run_example("--mic", pythonpath=[tmp_path])
    assert done.returncode == 2, done.stdout + done.stderr
    assert 'pip install "deepgram-v0[mic]"' in done.stderr


FAKE_MIC = '''
"""A stand-in sounddevice that "records" the bundled sample, then silence, as fast as it is read."""
import threading, wave
from deepgram.testing import sample_path

def check_input_settings(**settings):
    pass

class RawInputStream:
    def __init__(self, samplerate, channels, dtype, blocksize, device, callback):
        assert (samplerate, channels, dtype) == (16000, 1, "int16")
        self.size, self.callback, self.stopping = blocksize * 2, callback, threading.Event()

    def _run(self):
        with wave.open(str(sample_path()), "rb") as reader:
            audio = reader.readframes(reader.getnframes())
        while not self.stopping.is_set():
            block, audio = audio[:self.size], audio[self.size:]
            self.callback(block.ljust(self.size, b"\\0"), self.size // 2, None, None)
            self.stopping.wait(0.001)

    def start(self):
        self.thread = threading.Thread(target=self._run)
        self.thread.start()

    def stop(self):
        self.stopping.set()
        self.thread.join()

    def close(self):
        pass
'''


def test_the_streaming_example_streams_ten_seconds_of_the_microphone(tmp_path):
    (tmp_path / "sounddevice.py").write_text(FAKE_MIC)
    done = run_example("--mic", pythonpath=[tmp_path])
    assert done.returncode == 0, done.stderr
    assert "Recording 10 s from the microphone" in done.stdout
    assert FOX.split(". ")[0] in done.stdout
    assert "sent 320000 bytes (10.00 s of audio)" in done.stdout
    assert "closed with code 1000" in done.stdout
