"""PURE. Resuming a ``/v1/listen`` stream on a new connection: what to replay, and the timeline.

A stream that reconnects (``LiveSettings(reconnect=N)``) sends the new connection the audio no
final result has covered yet, so no word is lost; the server then times its messages from the
start of that connection. ``Replay`` keeps that audio (bounded) and knows where in the stream
each connection starts; ``Timeline`` moves every later message onto the stream's own time and
drops final words already delivered, so a transcript is continuous and never repeats itself.
No I/O and no clock: the driver (``_stream_resume.py``) feeds it frames and messages.
"""

import copy
from collections import deque
from typing import Any, Deque, Dict, List, Mapping, NamedTuple, Optional, Tuple

from .errors import DeepgramSetupError

__all__ = ["AudioLayout", "Replay", "Timeline", "audio_layout"]

Message = Dict[str, Any]

# Bytes per sample of the encodings whose audio can be cut anywhere on a sample boundary.
SAMPLE_WIDTH = {"linear16": 2, "linear32": 4, "mulaw": 1, "alaw": 1}
_DIGITS = 6  # re-based times are rounded here: sums of floats would show 12.340000000000002


class AudioLayout(NamedTuple):
    """How to cut a stream's audio: bytes per second, and per sample frame (all channels)."""

    byte_rate: int
    frame_bytes: int


def audio_layout(options: Mapping[str, Any]) -> Optional[AudioLayout]:
    """The layout the live options describe; None when the audio carries its own (a WAV file).

    Raises ``DeepgramSetupError`` for an encoding a reconnect cannot resume: compressed audio
    cannot be cut at an arbitrary byte and still decode.
    """
    encoding = options.get("encoding")
    if encoding is None:
        return None
    width = SAMPLE_WIDTH.get(str(encoding).lower())
    if width is None:
        raise DeepgramSetupError(
            f"LiveSettings(reconnect=...) resumes raw audio only, and encoding={encoding!r} is compressed: "
            f"use one of {', '.join(SAMPLE_WIDTH)}, send a WAV file without encoding=, or set reconnect=0.")
    try:
        rate = int(options.get("sample_rate") or 0)
        channels = int(options.get("channels") or 1)
    except (TypeError, ValueError):
        raise DeepgramSetupError(
            f"sample_rate and channels must be whole numbers, got {options.get('sample_rate')!r} and "
            f"{options.get('channels')!r}.") from None
    if rate <= 0:
        raise DeepgramSetupError(f"encoding={encoding!r} needs a sample_rate (e.g. sample_rate=16000) "
                                 "for LiveSettings(reconnect=...) to know where the audio it replays starts.")
    return AudioLayout(rate * width * max(channels, 1), width * max(channels, 1))


def wav_layout(head: bytes) -> Optional[Tuple[AudioLayout, int]]:
    """The layout of a WAV file's PCM data, and the size of its header; None if ``head`` is not
    the start of an uncompressed WAV file with its whole header."""
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return None
    at, layout = 12, None
    while at + 8 <= len(head):
        chunk, size = head[at:at + 4], int.from_bytes(head[at + 4:at + 8], "little")
        if chunk == b"fmt " and at + 24 <= len(head):
            tag = int.from_bytes(head[at + 8:at + 10], "little")
            channels = int.from_bytes(head[at + 10:at + 12], "little")
            rate = int.from_bytes(head[at + 12:at + 16], "little")
            bits = int.from_bytes(head[at + 22:at + 24], "little")
            if tag not in (1, 6, 7, 0xFFFE) or not channels or not rate or bits % 8:
                return None  # compressed: its bytes cannot be cut anywhere
            frame = channels * bits // 8
            layout = AudioLayout(rate * frame, frame)
        elif chunk == b"data":
            return (layout, at + 8) if layout is not None else None
        at += 8 + size + (size & 1)
    return None


class Replay:
    """PURE. The stream's audio that no final result covers yet, and where each connection starts.

    Offsets count bytes of audio from the start of the stream (a WAV header not included).
    At most ``max_bytes`` are kept: audio older than that is forgotten, and a reconnect then
    resumes from the oldest audio kept (``lost`` says how many bytes could not be replayed).
    """

    def __init__(self, layout: Optional[AudioLayout], max_seconds: float) -> None:
        self.layout = layout
        self.max_seconds = max_seconds
        self.header = b""  # a WAV header, sent again first on every new connection
        self.frames: Deque[bytes] = deque()
        self.start = 0  # offset of frames[0]
        self.end = 0  # offset after the last frame
        self.covered = 0  # offset up to which final results covered the audio
        self.lost = 0  # bytes that should have been replayed but were past the bound
        self._seen_first = False

    @property
    def unknown(self) -> bool:
        """Audio went out whose layout is unknown (compressed, without ``encoding=``): it cannot
        be cut on a sample and replayed, so the stream cannot resume without losing words."""
        return self._seen_first and self.layout is None

    @property
    def max_bytes(self) -> int:
        """The bound, in bytes of this stream's audio (0 until the layout is known)."""
        return int(self.max_seconds * self.layout.byte_rate) if self.layout is not None else 0

    def add(self, frame: bytes) -> None:
        """A frame of audio went to the connection (or its queue)."""
        if not self._seen_first:
            self._seen_first = True
            wav = wav_layout(frame)
            if wav is not None:
                if self.layout is None:
                    self.layout = wav[0]
                self.header, frame = frame[:wav[1]], frame[wav[1]:]
        if not frame:
            return
        self.frames.append(frame)
        self.end += len(frame)
        # Forget what is past the bound, whole frames at a time, and never the newest one.
        while len(self.frames) > 1 and self.end - self.start - len(self.frames[0]) >= self.max_bytes:
            self.start += len(self.frames.popleft())

    def cover(self, seconds: float) -> None:
        """Final results cover the stream's audio up to ``seconds``: that audio needs no replay."""
        if self.layout is None:
            return
        offset = self._aligned(seconds)
        if offset <= self.covered:
            return
        self.covered = offset
        while self.frames and self.start + len(self.frames[0]) <= offset:
            self.start += len(self.frames.popleft())

    def resume(self) -> Tuple[float, List[bytes]]:
        """What a new connection gets first: the stream time it starts at, and the frames (the
        WAV header, then the audio from the end of the last final result)."""
        if self.layout is None:
            return 0.0, []
        begin = max(self.covered, self.start)
        self.lost += begin - self.covered
        self.covered = begin
        frames: List[bytes] = [self.header] if self.header else []
        at = self.start
        for frame in self.frames:
            if at + len(frame) > begin:
                frames.append(frame[max(begin - at, 0):])
            at += len(frame)
        return begin / self.layout.byte_rate, frames

    def _aligned(self, seconds: float) -> int:
        """The byte offset of ``seconds`` into the stream, on a sample frame boundary."""
        assert self.layout is not None
        samples = round(seconds * self.layout.byte_rate / self.layout.frame_bytes)
        return min(samples * self.layout.frame_bytes, self.end)


class Timeline:
    """PURE. Moves one connection's messages onto the stream's time, without repeating finals."""

    def __init__(self) -> None:
        self.offset = 0.0  # stream time at which the current connection's time 0 falls
        self.delivered = 0.0  # stream time up to which final results were delivered

    def moved(self, message: Message) -> Optional[Message]:
        """``message`` on the stream's time (a copy when it changes); None when it only repeats
        finals delivered already. Interim results are moved, never dropped (they are provisional)."""
        kind = message.get("type")
        if kind == "Results":
            return self._results(message)
        if self.offset == 0.0:
            return message
        if kind == "UtteranceEnd" and _is_number(message.get("last_word_end")):
            return {**message, "last_word_end": self._at(message["last_word_end"])}
        if kind == "SpeechStarted" and _is_number(message.get("timestamp")):
            return {**message, "timestamp": self._at(message["timestamp"])}
        if kind == "Metadata" and _is_number(message.get("duration")):
            return {**message, "duration": self._at(message["duration"])}  # the whole stream's length
        return message

    def _results(self, message: Message) -> Optional[Message]:
        if not (_is_number(message.get("start")) and _is_number(message.get("duration"))):
            return message
        start, duration = float(message["start"]), float(message["duration"])
        end = self._at(start + duration)
        if message.get("is_final") and self._at(start) < self.delivered - 1e-6 and end <= self.delivered + 1e-6:
            return None  # every word of it was delivered before the reconnect
        if self.offset == 0.0 and start >= self.delivered - 1e-6:
            if message.get("is_final"):
                self.delivered = max(self.delivered, end)
            return message
        moved = copy.deepcopy(message)
        moved["start"] = self._at(start)
        final = bool(message.get("is_final"))
        for alternative in (moved.get("channel") or {}).get("alternatives") or []:
            words = alternative.get("words")
            if not isinstance(words, list):
                continue
            for word in words:
                for key in ("start", "end"):
                    if _is_number(word.get(key)):
                        word[key] = self._at(word[key])
            if final:
                kept = [w for w in words if not _is_number(w.get("start")) or w["start"] >= self.delivered - 1e-6]
                if len(kept) != len(words):
                    alternative["words"] = kept
                    alternative["transcript"] = " ".join(
                        str(w.get("punctuated_word") or w.get("word") or "") for w in kept)
        if final and moved["start"] < self.delivered:
            moved["duration"] = round(end - self.delivered, _DIGITS)
            moved["start"] = round(self.delivered, _DIGITS)
        if final:
            self.delivered = max(self.delivered, end)
        return moved

    def _at(self, seconds: float) -> float:
        return round(seconds + self.offset, _DIGITS) if self.offset else seconds


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
