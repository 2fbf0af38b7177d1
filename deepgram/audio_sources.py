"""Audio sources for live streaming: a WAV or raw audio file paced like a live source, and the
microphone (the ``mic`` extra).

::

    with FileSource("call.wav") as source:
        async with dg.transcription.live({**source.format.options(), "punctuate": True}) as live:
            await stream_file(live, source)

A source yields ``bytes`` frames of ``chunk_seconds`` of audio, in whole sample frames, with
``async for`` or a plain ``for``; its ``format`` gives the ``encoding``, ``sample_rate`` and
``channels`` query options. ``stream_file`` (async) and ``stream_file_sync`` (blocking) send
every frame of any such source and wait for room when the stream's buffer is full.
"""

from __future__ import annotations

import asyncio
import inspect
import io
import logging
import math
import os
import queue
import struct
import threading
import time
from contextlib import closing
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    BinaryIO,
    Callable,
    Dict,
    Generator,
    Iterable,
    Iterator,
    List,
    NamedTuple,
    Optional,
    Protocol,
    Type,
    TypeVar,
    Union,
)

from ._sources import _check_file
from .errors import DeepgramBufferFullError, DeepgramSetupError

if TYPE_CHECKING:
    from types import TracebackType

__all__ = ["AudioFormat", "FileSource", "Microphone", "stream_file", "stream_file_sync"]

log: logging.Logger = logging.getLogger("deepgram")
_Closing = TypeVar("_Closing", bound="_ClosedOnExit")

# Bytes per sample of the raw encodings a live stream takes without a container.
_SAMPLE_WIDTH = {"linear16": 2, "linear32": 4, "mulaw": 1, "alaw": 1}
_CONVERT = "ffmpeg -i in.wav -c:a pcm_s16le out.wav"  # the fix for a WAV file we cannot stream

# WAV format tags (the fmt chunk's first field): the raw ones we stream, and names for the rest.
_PCM, _FLOAT, _ALAW, _MULAW, _EXTENSIBLE = 0x0001, 0x0003, 0x0006, 0x0007, 0xFFFE
_TAG_NAMES = {0x0002: "Microsoft ADPCM", _FLOAT: "IEEE float", _ALAW: "a-law", _MULAW: "mu-law",
              0x0011: "IMA ADPCM", 0x0031: "GSM 6.10",
              0x0050: "MPEG", 0x0055: "MPEG Layer 3 (MP3)", 0x0161: "Windows Media Audio"}
# How other common audio files begin, to name them when a WAV file was expected.
_MAGIC = ((b"fLaC", "a FLAC file"), (b"OggS", "an Ogg file"), (b"ID3", "an MP3 file"), (b"\xff\xfb", "an MP3 file"),
          (b"RF64", "an RF64 (64-bit WAV) file"), (b"FORM", "an AIFF file"), (b"\x1aE\xdf\xa3", "a WebM/Matroska file"))


class AudioFormat(NamedTuple):
    """Raw audio as a live stream is told about it: ``encoding``, ``sample_rate`` (Hz), ``channels``."""

    encoding: str  # "linear16", "linear32", "mulaw" or "alaw"
    sample_rate: int
    channels: int = 1

    @property
    def sample_width(self) -> int:
        """Bytes per sample of one channel."""
        return _SAMPLE_WIDTH[self.encoding]

    @property
    def frame_width(self) -> int:
        """Bytes per sample frame (one sample of every channel): frames are cut on these."""
        return self.sample_width * self.channels

    @property
    def byte_rate(self) -> int:
        """Bytes per second of audio."""
        return self.frame_width * self.sample_rate

    def options(self) -> Dict[str, Any]:
        """The live query options that describe this audio: ``live({**fmt.options(), ...})``."""
        return {"encoding": self.encoding, "sample_rate": self.sample_rate, "channels": self.channels}


def _checked_format(value: Any) -> AudioFormat:
    """``value`` as an AudioFormat, or a DeepgramSetupError naming what is wrong and the fix."""
    if not isinstance(value, tuple) or len(value) != 3:
        raise DeepgramSetupError(f"format must be an AudioFormat, such as AudioFormat('linear16', 16000, 1), "
                                 f"not {value!r}.")
    encoding, sample_rate, channels = value
    if encoding not in _SAMPLE_WIDTH:
        raise DeepgramSetupError(f"Unknown raw audio encoding {encoding!r}: use one of "
                                 f"{', '.join(sorted(_SAMPLE_WIDTH))}. Compressed audio (FLAC, Opus, MP3) "
                                 "carries its own format: stream it as it is, without a FileSource.")
    for name, number in (("sample_rate", sample_rate), ("channels", channels)):
        # bool is an int, but True is no sample rate.
        if isinstance(number, bool) or not isinstance(number, int) or number <= 0:
            raise DeepgramSetupError(f"The audio {name} must be a positive whole number "
                                     f"(such as {16000 if name == 'sample_rate' else 1}), not {number!r}.")
    return AudioFormat(encoding, sample_rate, channels)


def _checked_seconds(chunk_seconds: Any) -> float:
    """A valid ``chunk_seconds``: a finite number above zero."""
    if isinstance(chunk_seconds, bool) or not isinstance(chunk_seconds, (int, float)) \
            or not 0 < chunk_seconds < math.inf:
        raise DeepgramSetupError(f"chunk_seconds must be a number of seconds above 0 (0.1 is usual: "
                                 f"100 ms per frame), not {chunk_seconds!r}.")
    return float(chunk_seconds)


def _checked_speed(speed: Any) -> float:
    """A valid ``speed``: 0 or infinity (no pacing) or a positive factor of real time."""
    if isinstance(speed, bool) or not isinstance(speed, (int, float)) or not speed >= 0:  # NaN fails too
        raise DeepgramSetupError(f"speed must be 1 (real time), a factor above 0 (2: twice as fast), or 0 "
                                 f"(as fast as possible), not {speed!r}.")
    return float(speed)


def _frames_per_chunk(sample_rate: int, chunk_seconds: float) -> int:
    # At least one sample frame, so a tiny chunk_seconds never makes an empty frame.
    return max(1, round(sample_rate * chunk_seconds))


# -- reading WAV and raw files -----------------------------------------------------------------


def _unsigned8_to_linear16(data: bytes) -> bytes:
    """8-bit WAV samples are unsigned (128 is silence); live streams take signed 16-bit."""
    out = bytearray(2 * len(data))
    out[1::2] = data.translate(_FLIP_SIGN)  # the high byte; the low byte stays 0
    return bytes(out)


_FLIP_SIGN = bytes(b ^ 0x80 for b in range(256))


def _linear24_to_linear32(data: bytes) -> bytes:
    """No live encoding is 24-bit: pad each little-endian sample with a low zero byte."""
    out = bytearray(len(data) // 3 * 4)
    out[1::4], out[2::4], out[3::4] = data[0::3], data[1::3], data[2::3]
    return bytes(out)


class _Layout(NamedTuple):
    """Where a file's audio is and how it goes on the wire."""

    format: AudioFormat  # what is sent
    file_width: int  # bytes per sample frame in the file (differs from the format's when converted)
    convert: Optional[Callable[[bytes], bytes]]
    offset: int  # where the audio starts, from the start of the file (or the given file's position)
    length: Optional[int]  # bytes of audio; None: up to the end of the file


def _read(handle: BinaryIO, size: int) -> bytes:
    """Up to ``size`` bytes, fewer only at the end of the file (pipes may return less per read)."""
    parts: List[bytes] = []
    while size > 0:
        part = handle.read(size)
        if not part:
            break
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def _seekable(handle: BinaryIO) -> bool:
    """Whether ``handle`` can seek (a file-like object may not even say)."""
    seekable = getattr(handle, "seekable", None)
    try:
        return bool(seekable()) if callable(seekable) else False
    except (OSError, ValueError):
        return False


def _skip(handle: BinaryIO, size: int) -> None:
    """Pass over ``size`` bytes (a chunk we do not need, such as cover art) without keeping them."""
    if _seekable(handle):
        handle.seek(size, io.SEEK_CUR)
        return
    while size > 0:
        part = handle.read(min(size, 65536))
        if not part:
            return
        size -= len(part)


def _wav_layout(handle: BinaryIO, name: str, start: int) -> _Layout:
    """Parse a RIFF/WAVE header from ``handle`` (just after its first 12 bytes) up to the audio."""
    position = start + 12
    fmt: Optional[bytes] = None
    while True:
        header = _read(handle, 8)
        if len(header) < 8:
            missing = "fmt" if fmt is None else "data"
            raise DeepgramSetupError(f"{name} is not a complete WAV file: it has no {missing} chunk. "
                                     f"Re-export it, or convert it: {_CONVERT}.")
        chunk_id, size = header[:4], struct.unpack("<I", header[4:])[0]
        position += 8
        if chunk_id == b"data":
            break
        padded = size + (size & 1)  # chunks are padded to an even length
        if chunk_id == b"fmt ":
            fmt = _read(handle, padded)[:size]
        else:
            _skip(handle, padded)
        position += padded
    if fmt is None or len(fmt) < 16:
        raise DeepgramSetupError(f"{name} is not a valid WAV file: its fmt chunk is missing or short "
                                 f"(the audio comes before it). Convert it: {_CONVERT}.")
    tag, channels, sample_rate, _, _, bits = struct.unpack("<HHIIHH", fmt[:16])
    if tag == _EXTENSIBLE and len(fmt) >= 26:
        tag = struct.unpack("<H", fmt[24:26])[0]  # the sub-format GUID starts with the real tag
    if channels < 1 or sample_rate < 1:
        raise DeepgramSetupError(f"{name} is not a valid WAV file: its header says {channels} channels at "
                                 f"{sample_rate} Hz. Re-export it, or convert it: {_CONVERT}.")
    encodings = {(_PCM, 8): "linear16", (_PCM, 16): "linear16", (_PCM, 24): "linear32", (_PCM, 32): "linear32",
                 (_MULAW, 8): "mulaw", (_ALAW, 8): "alaw"}
    encoding = encodings.get((tag, bits))
    if encoding is None:
        what = (f"{bits}-bit {_TAG_NAMES.get(tag, 'PCM')}" if tag in (_PCM, _FLOAT)
                else f"{_TAG_NAMES.get(tag, f'format tag {tag:#06x}')} ({bits}-bit)")
        raise DeepgramSetupError(f"{name} holds {what} audio, which a live stream cannot take raw: FileSource "
                                 f"streams 8/16/24/32-bit PCM, mu-law and a-law WAV files. Convert it to 16-bit "
                                 f"PCM: {_CONVERT}.")
    convert = {8: _unsigned8_to_linear16, 24: _linear24_to_linear32}.get(bits) if tag == _PCM else None
    length: Optional[int] = size
    if size in (0, 0xFFFFFFFF):
        length = None  # a header written before the length was known (piped output): read to the end
    return _Layout(AudioFormat(encoding, sample_rate, channels), channels * bits // 8, convert, position, length)


def _layout(handle: BinaryIO, name: str, given: Optional[AudioFormat], start: int, seekable: bool) -> _Layout:
    """The layout of the file read from ``handle`` (at ``start``): from its WAV header, or ``given``."""
    if given is not None and not seekable:
        return _Layout(given, given.frame_width, None, start, None)  # peeking would lose the audio it read
    head = _read(handle, 12)
    is_wav = head[:4] == b"RIFF" and head[8:12] == b"WAVE"
    if given is not None:
        if is_wav:
            raise DeepgramSetupError(f"{name} is a WAV file, whose header gives its format: drop "
                                     f"format={given!r} (it is for headerless raw audio).")
        return _Layout(given, given.frame_width, None, start, None)
    if is_wav:
        return _wav_layout(handle, name, start)
    what = "an empty file" if not head else next(
        (kind for magic, kind in _MAGIC if head.startswith(magic)), "not a WAV file")
    raise DeepgramSetupError(f"{name} is {what}: FileSource reads WAV files, or headerless raw audio when told "
                             f"its format, e.g. FileSource(path, format=AudioFormat('linear16', 16000, 1)). "
                             f"To stream another kind of file, convert it: ffmpeg -i in -c:a pcm_s16le out.wav.")


def _open_path(path: str) -> BinaryIO:
    """Open ``path`` for reading, or raise a DeepgramSetupError that says what to fix."""
    if os.path.isdir(path):
        raise DeepgramSetupError(f"{path!r} is a directory: pass the path of an audio file in it.")
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise DeepgramSetupError(f"No such audio file: {path!r} (relative to {os.getcwd()!r}); check the "
                                 "path.") from None
    except OSError as exc:
        raise DeepgramSetupError(f"Cannot open the audio file {path!r}: {exc.strerror or exc}.") from None


def _size(handle: BinaryIO) -> Optional[int]:
    """The size of a seekable file in bytes, leaving its position as it was; None when unknown."""
    if not _seekable(handle):
        return None
    try:
        here = handle.tell()
        end = handle.seek(0, io.SEEK_END)
        handle.seek(here)
        return end
    except (OSError, ValueError):
        return None


# -- pacing ------------------------------------------------------------------------------------

Sleep = Callable[[float], Optional[Awaitable[Any]]]


class _Schedule:
    """When each frame is due: the start time plus the audio before it, divided by the speed.

    An absolute schedule rather than a fixed sleep after each send: the time spent sending,
    and a sleep that overshoots, are made up on the next frame, so the pace never drifts."""

    def __init__(self, clock: Callable[[], float], sample_rate: int, speed: float) -> None:
        self._clock, self._rate, self._speed = clock, sample_rate, speed
        self._start: Optional[float] = None

    @property
    def paced(self) -> bool:
        """False for speed 0 or infinity: every frame goes as soon as it is read."""
        return 0 < self._speed < math.inf

    def wait(self, position: int) -> float:
        """Seconds to wait before the frame that starts ``position`` sample frames into the audio."""
        if not self.paced:
            return 0.0
        now = self._clock()
        if self._start is None:
            self._start = now  # the first frame starts the clock
        return self._start + position / self._rate / self._speed - now


# -- the file source ---------------------------------------------------------------------------


class _ClosedOnExit:
    """``with source:`` gives the source, and closes it on the way out."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self: _Closing) -> _Closing:
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException] = None,
                 traceback: Optional[TracebackType] = None) -> None:
        self.close()


class FileSource(_ClosedOnExit):
    """Frames of a WAV or raw audio file, paced like a live source (``speed=1``: real time).

    ``for frame in source`` sleeps with ``time.sleep``; ``async for frame in source`` with
    ``asyncio.sleep``. The header is read (and the file closed) when the source is made; each
    iteration opens the file again and closes it when it ends, is stopped, or on ``close()``.
    """

    def __init__(self, file: Union[str, os.PathLike[str], BinaryIO], *, format: Optional[AudioFormat] = None,
                 chunk_seconds: float = 0.1, speed: float = 1.0, clock: Optional[Callable[[], float]] = None,
                 sleep: Optional[Sleep] = None) -> None:
        """``file``: a path or a binary file open for reading (never closed here: it is the caller's).
        ``format``: for headerless raw audio. ``speed``: 2 sends twice as fast as real time, 0 (or
        ``float("inf")``) as fast as possible. ``clock`` and ``sleep`` replace ``time.perf_counter``
        and the sleep (a plain or async function), for tests with a fake clock."""
        self.chunk_seconds: float = _checked_seconds(chunk_seconds)
        self.speed: float = _checked_speed(speed)
        given = None if format is None else _checked_format(format)
        # perf_counter, not monotonic: on Windows monotonic ticks every 15.6 ms, a sixth of a frame.
        self._clock: Callable[[], float] = clock if clock is not None else time.perf_counter
        self._sleep = sleep
        self._closed = False
        self._reading: List[BinaryIO] = []  # files opened by iterations still running
        self._path: Optional[str] = None
        self._file: Optional[BinaryIO] = None
        given_file: Any = file  # checked here at run time, whatever its annotation says
        if isinstance(given_file, (str, os.PathLike)):
            self._path = os.fspath(given_file)
            self.name: str = repr(self._path)
            with _open_path(self._path) as handle:
                self._layout = _layout(handle, self.name, given, 0, True)
                total = _size(handle)
        elif isinstance(given_file, (bytes, bytearray, memoryview)):
            raise DeepgramSetupError("FileSource takes a path or a binary file, not bytes: wrap audio bytes as "
                                     "FileSource(io.BytesIO(data)).")
        elif hasattr(given_file, "read"):
            _check_file(given_file)
            self._file = given_file
            self.name = repr(getattr(given_file, "name", given_file))
            seekable = _size(given_file) is not None
            start = given_file.tell() if seekable else 0
            self._layout = _layout(given_file, self.name, given, start, seekable)
            total = _size(given_file)
            if total is not None:
                given_file.seek(self._layout.offset)
        else:
            raise DeepgramSetupError(f"FileSource takes a path or a binary file open for reading, "
                                     f"not {type(given_file).__name__}.")
        layout = self._layout
        length = layout.length
        if total is not None:
            available = max(0, total - layout.offset)
            length = available if length is None else min(length, available)  # a truncated file has less
        self._length = length
        self.format: AudioFormat = layout.format
        # Seconds of audio; None only for a pipe whose length the header does not give.
        self.duration: Optional[float] = (
            None if length is None else length // layout.file_width / layout.format.sample_rate)

    # -- reading ----------------------------------------------------------------------------

    def _open(self) -> BinaryIO:
        """The file positioned at its audio, opened here when the source was given a path."""
        if self._closed:
            raise DeepgramSetupError(f"The FileSource of {self.name} is closed: make a new one to stream it again.")
        if self._file is not None:
            if _size(self._file) is not None:
                self._file.seek(self._layout.offset)  # a pipe can only be read once, from where it is
            return self._file
        assert self._path is not None
        handle = _open_path(self._path)
        handle.seek(self._layout.offset)
        self._reading.append(handle)
        return handle

    def _chunks(self) -> Generator[bytes, None, None]:
        """The audio in frames of whole sample frames (the last one shorter), as sent on the wire."""
        layout = self._layout
        handle = self._open()
        try:
            width = layout.file_width
            size = _frames_per_chunk(layout.format.sample_rate, self.chunk_seconds) * width
            remaining = self._length
            while not self._closed:
                want = size if remaining is None else min(size, remaining)
                data = _read(handle, want)
                whole = len(data) - len(data) % width  # a cut-off last sample frame is dropped
                if not whole:
                    return
                if remaining is not None:
                    remaining -= len(data)
                frame = data[:whole]
                yield frame if layout.convert is None else layout.convert(frame)
        finally:
            if handle is not self._file:
                handle.close()
                if handle in self._reading:
                    self._reading.remove(handle)

    def __iter__(self) -> Iterator[bytes]:
        """Yield the frames, sleeping (``time.sleep``) until each is due."""
        schedule = _Schedule(self._clock, self.format.sample_rate, self.speed)
        position = 0
        with closing(self._chunks()) as chunks:
            for frame in chunks:
                delay = schedule.wait(position)
                if delay > 0:
                    self._blocking_sleep(delay)
                if self._closed:
                    return
                yield frame
                position += len(frame) // self.format.frame_width

    async def __aiter__(self) -> AsyncIterator[bytes]:
        """Yield the frames, sleeping (``asyncio.sleep``) until each is due."""
        schedule = _Schedule(self._clock, self.format.sample_rate, self.speed)
        position = 0
        # Reads are not handed to a thread: a frame is a few KB, a page-cache read costs
        # microseconds, less than the trip to a thread and back.
        with closing(self._chunks()) as chunks:
            for frame in chunks:
                delay = schedule.wait(position)
                if delay > 0:
                    await self._async_sleep(delay)
                else:
                    # Even unpaced, let the loop run between frames: the stream's sender among others.
                    await asyncio.sleep(0)
                if self._closed:
                    return
                yield frame
                position += len(frame) // self.format.frame_width

    def _blocking_sleep(self, seconds: float) -> None:
        if self._sleep is None:
            time.sleep(seconds)
            return
        outcome = self._sleep(seconds)
        if outcome is not None and inspect.isawaitable(outcome):
            if inspect.iscoroutine(outcome):
                outcome.close()  # never awaited: close it, so no "never awaited" warning follows
            raise DeepgramSetupError("The sleep given to FileSource is async, and a plain `for` loop cannot await "
                                     "it: iterate with `async for`, or pass a blocking sleep.")

    async def _async_sleep(self, seconds: float) -> None:
        if self._sleep is None:
            await asyncio.sleep(seconds)
            return
        outcome = self._sleep(seconds)  # a plain function (a fake clock's) is called as it is
        if outcome is not None and inspect.isawaitable(outcome):
            await outcome

    # -- lifetime ---------------------------------------------------------------------------

    def close(self) -> None:
        """Stop any iteration and close the files it opened (a file passed in stays open)."""
        self._closed = True
        for handle in list(self._reading):
            handle.close()
        self._reading.clear()

    def __repr__(self) -> str:
        return (f"<FileSource {self.name} {self.format.encoding} {self.format.sample_rate} Hz "
                f"x{self.format.channels} speed={self.speed:g}>")


# -- the microphone ----------------------------------------------------------------------------


def _import_sounddevice() -> Any:
    """The ``sounddevice`` module, imported now (the ``mic`` extra), or a clear error."""
    import importlib

    try:
        return importlib.import_module("sounddevice")
    except ImportError as exc:
        raise DeepgramSetupError('The microphone needs the sounddevice package, the "mic" extra: '
                                 'pip install "deepgram-v0[mic]"') from exc
    except OSError as exc:  # sounddevice is there, the PortAudio library it loads is not
        raise DeepgramSetupError(f"sounddevice could not load PortAudio ({exc}): install it (Debian/Ubuntu: "
                                 "apt install libportaudio2; macOS: brew install portaudio).") from exc


class Microphone(_ClosedOnExit):
    """Live linear16 frames from a microphone (``pip install "deepgram-v0[mic]"``), until ``close()``.

    ``for frame in mic`` and ``async for frame in mic`` both work; PortAudio records on its own
    thread, and the frames are handed over through a queue. Use one iteration at a time.
    """

    def __init__(self, sample_rate: int = 16000, channels: int = 1, chunk_seconds: float = 0.1,
                 device: Optional[Union[int, str]] = None) -> None:
        """``device``: a sounddevice device index or name (``python -m sounddevice`` lists them);
        None for the default input."""
        self.format: AudioFormat = _checked_format(("linear16", sample_rate, channels))
        self.chunk_seconds: float = _checked_seconds(chunk_seconds)
        self.device = device
        self._sounddevice = _import_sounddevice()
        try:
            self._sounddevice.check_input_settings(device=device, channels=channels, dtype="int16",
                                                   samplerate=sample_rate)
        except Exception as exc:  # PortAudioError or ValueError: an unknown device, a rate it cannot do
            raise DeepgramSetupError(f"The microphone cannot record {channels} channel(s) at {sample_rate} Hz "
                                     f"(device={device!r}): {exc}. List the devices: python -m sounddevice.") from exc
        self._lock = threading.Lock()
        self._stream: Any = None  # the running sounddevice stream
        self._wake: Optional[Callable[[], None]] = None  # ends the running iteration's wait
        self._closed = False

    def _start(self, deliver: Callable[[bytes], None], wake: Callable[[], None]) -> None:
        """Open and start the input stream; its callback hands each block to ``deliver``."""

        def callback(indata: Any, frames: int, time_info: Any, status: Any) -> None:
            if status:
                log.warning("microphone: %s", status)  # an overflow: audio was lost
            deliver(bytes(indata))  # indata is PortAudio's buffer, reused after the callback returns

        with self._lock:
            if self._closed:
                raise DeepgramSetupError("The Microphone is closed: make a new one to record again.")
            if self._stream is not None:
                raise DeepgramSetupError("The Microphone is already being read: iterate it once at a time.")
            try:
                stream = self._sounddevice.RawInputStream(
                    samplerate=self.format.sample_rate, channels=self.format.channels, dtype="int16",
                    blocksize=_frames_per_chunk(self.format.sample_rate, self.chunk_seconds),
                    device=self.device, callback=callback)
            except Exception as exc:
                raise DeepgramSetupError(f"Could not open the microphone (device={self.device!r}): {exc}.") from exc
            self._stream, self._wake = stream, wake
        try:
            stream.start()
        except Exception as exc:
            self._stop()
            raise DeepgramSetupError(f"Could not start the microphone (device={self.device!r}): {exc}.") from exc

    def _stop(self) -> None:
        """Stop and close the input stream, once, whoever asks first; wake the reader."""
        with self._lock:
            stream, wake = self._stream, self._wake
            self._stream = self._wake = None
        if stream is not None:
            try:
                stream.stop()
            finally:
                stream.close()
        if wake is not None:
            wake()

    def __iter__(self) -> Iterator[bytes]:
        """Yield frames as they are recorded, until ``close()``."""
        frames: queue.Queue[Optional[bytes]] = queue.Queue()
        self._start(frames.put_nowait, lambda: frames.put_nowait(None))
        try:
            while True:
                try:
                    frame = frames.get(timeout=0.5)
                except queue.Empty:
                    continue  # a bounded wait, so Ctrl-C is seen on Windows too
                if frame is None:
                    return
                yield frame
        finally:
            self._stop()

    async def __aiter__(self) -> AsyncIterator[bytes]:
        """Yield frames as they are recorded, until ``close()``."""
        loop = asyncio.get_running_loop()
        frames: asyncio.Queue[Optional[bytes]] = asyncio.Queue()

        def deliver(frame: Optional[bytes]) -> None:
            # Called on PortAudio's thread: an asyncio.Queue is only safe on its loop's thread.
            try:
                loop.call_soon_threadsafe(frames.put_nowait, frame)
            except RuntimeError:
                pass  # the loop has closed: nobody is listening any more

        self._start(deliver, lambda: deliver(None))
        try:
            while True:
                frame = await frames.get()
                if frame is None:
                    return
                yield frame
        finally:
            self._stop()

    def close(self) -> None:
        """Stop recording: a running iteration ends after the frames already recorded."""
        self._closed = True
        self._stop()

    def __repr__(self) -> str:
        return f"<Microphone {self.format.sample_rate} Hz x{self.format.channels} device={self.device!r}>"


# -- sending -----------------------------------------------------------------------------------


class _AsyncLive(Protocol):
    """What ``stream_file`` needs of a stream: ``LiveTranscription`` and the other sockets."""

    def send(self, data: bytes) -> None: ...

    def drain(self) -> Awaitable[None]: ...


class _BlockingLive(Protocol):
    """What ``stream_file_sync`` needs of a stream: ``dg.sync.transcription.live(...)``."""

    def send(self, data: bytes) -> None: ...

    def drain(self) -> None: ...


def _too_big(frame: bytes) -> DeepgramBufferFullError:
    # After drain() the buffer is at most half full: a frame that still does not fit is too big.
    return DeepgramBufferFullError(f"A {len(frame)}-byte frame does not fit the live buffer even after drain(): "
                                   "use a smaller chunk_seconds or a larger LiveSettings.max_buffer_bytes.")


async def stream_file(live: _AsyncLive, source: AsyncIterable[bytes]) -> int:
    """Send every frame of ``source`` (``async for``) with ``live.send``, awaiting ``live.drain()``
    when the buffer is full; the number of bytes sent. It does not finish the stream."""
    sent = 0
    async for frame in source:
        try:
            live.send(frame)
        except DeepgramBufferFullError:
            await live.drain()
            try:
                live.send(frame)
            except DeepgramBufferFullError as exc:
                raise _too_big(frame) from exc
        sent += len(frame)
    return sent


def stream_file_sync(live: _BlockingLive, source: Iterable[bytes]) -> int:
    """Send every frame of ``source`` (``for``) with ``live.send``, blocking in ``live.drain()``
    when the buffer is full; the number of bytes sent. It does not finish the stream."""
    sent = 0
    for frame in source:
        try:
            live.send(frame)
        except DeepgramBufferFullError:
            live.drain()
            try:
                live.send(frame)
            except DeepgramBufferFullError as exc:
                raise _too_big(frame) from exc
        sent += len(frame)
    return sent
