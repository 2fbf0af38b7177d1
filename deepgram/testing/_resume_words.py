"""PURE. Same audio, same words: the emulator's memory of the ``/v1/listen`` streams a fault cut.

A client that reconnects sends the new connection audio the old one already heard (the part no
final result covered). A real recogniser would hear the same words in it; so that the emulator's
invented words agree too, the audio of a stream with a scripted fault is kept (bounded), and a
new stream whose first bytes are found in it continues that stream's word timeline from there,
timed from its own start.
"""

from collections import deque
from typing import Any, Deque, List, NamedTuple, Optional, Tuple, Union

from ._stream_words import StreamWords

__all__ = ["MAX_KEPT_BYTES", "ResumeIndex", "Shifted", "root_of"]

MAX_KEPT_BYTES = 16 * 1024 * 1024  # of each cut stream's latest audio
MIN_PROBE = 64  # bytes of a new stream's audio needed to look it up


class Shifted:
    """PURE. A stream's word timeline as seen by a later stream that starts ``offset`` s into it."""

    def __init__(self, root: StreamWords, offset: float) -> None:
        self.root, self.offset, self.sample = root, offset, root.sample

    def between(self, start: float, end: float) -> List[Any]:
        """The words starting in ``[start, end)`` of this stream's time."""
        off = self.offset
        words = self.root.between(round(start + off, 6), round(end + off, 6))
        return [{**w, "start": round(w["start"] - off, 3), "end": round(w["end"] - off, 3)} for w in words]

    def next_sentence_end(self, after: float) -> Optional[float]:
        """When the first sentence ending after ``after`` ends, on this stream's time."""
        end = self.root.next_sentence_end(round(after + self.offset, 6))
        return None if end is None else round(end - self.offset, 3)


def root_of(words: Union[StreamWords, Shifted]) -> Tuple[StreamWords, float]:
    """The original timeline and where ``words`` starts in it."""
    return (words.root, words.offset) if isinstance(words, Shifted) else (words, 0.0)


class _Cut(NamedTuple):
    audio: bytes  # the latest audio the cut stream received
    first: float  # where ``audio`` starts on the root timeline, in seconds
    root: StreamWords
    byte_rate: int
    frame_bytes: int


class ResumeIndex:
    """The audio of the last few streams a fault cut, searched by a new stream's first bytes."""

    def __init__(self, limit: int = 8) -> None:
        self._cuts: Deque[_Cut] = deque(maxlen=limit)

    def add(self, audio: bytes, first_local: float, words: Union[StreamWords, Shifted], byte_rate: int,
            frame_bytes: int) -> None:
        """A stream was cut: remember its latest ``audio``, which began ``first_local`` s into it."""
        root, offset = root_of(words)
        self._cuts.append(_Cut(audio, offset + first_local, root, byte_rate, frame_bytes))

    def find(self, probe: bytes, byte_rate: int) -> Optional[Shifted]:
        """The timeline a stream starting with ``probe`` continues, if it resumes a cut stream."""
        if len(probe) < MIN_PROBE:
            return None
        for cut in reversed(self._cuts):
            if cut.byte_rate != byte_rate:
                continue
            at = cut.audio.find(probe)
            while at >= 0 and at % cut.frame_bytes:  # only a whole sample frame can start a stream
                at = cut.audio.find(probe, at + 1)
            if at >= 0:
                return Shifted(cut.root, round(cut.first + at / byte_rate, 6))
        return None
