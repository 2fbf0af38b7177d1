"""PURE. The emulator's stand-in for synthesized speech: a 440 Hz tone as long as the text."""

import functools
import hashlib
from typing import List

from ._platform import _tone

SECONDS_PER_CHARACTER = 0.06  # as the REST /v1/speak emulation: about 17 characters a second
FRAME_SECONDS = 0.25  # audio is sent in frames of at most this long
RAW_ENCODINGS = ("linear16", "mulaw", "alaw")


def sample_width(encoding: str) -> int:
    """Bytes per sample of a raw encoding (compressed ones count as 16-bit)."""
    return 1 if encoding in ("mulaw", "alaw") else 2


@functools.lru_cache(maxsize=32)
def _one_second(rate: int, encoding: str) -> bytes:
    # 440 whole cycles: one second tiles without a click, so any length is cut from copies of it.
    return _tone(1.0, rate, encoding)


def speech(text: str, rate: int, encoding: str, speed: float = 1.0) -> bytes:
    """Deterministic audio for ``text``: ``SECONDS_PER_CHARACTER`` a character, divided by ``speed``."""
    seconds = SECONDS_PER_CHARACTER * len(text) / speed
    if encoding not in RAW_ENCODINGS:
        # Compressed formats: placeholder bytes of a plausible size (16 kbit/s), not a decodable stream.
        size = int(seconds * 2000)
        seed = hashlib.sha256(text.encode()).digest()
        return (seed * (size // len(seed) + 1))[:size]
    width = sample_width(encoding)
    size = int(seconds * rate) * width
    second = _one_second(rate, encoding)
    return (second * (size // len(second) + 1))[:size]


def frames(audio: bytes, rate: int, encoding: str) -> List[bytes]:
    """``audio`` cut into frames of at most ``FRAME_SECONDS``, on sample boundaries."""
    width = sample_width(encoding)
    size = max(width, int(rate * FRAME_SECONDS) * width)
    return [audio[i:i + size] for i in range(0, len(audio), size)]


def duration_ms(size: int, rate: int, encoding: str) -> int:
    """The playing time of ``size`` bytes of raw audio, in whole milliseconds."""
    if encoding not in RAW_ENCODINGS:
        return round(size / 2000 * 1000)
    return round(size / (rate * sample_width(encoding)) * 1000)
