"""PURE. The word timeline of a live stream, for the emulator's ``/v1/listen`` websocket."""

import hashlib
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from ._transcripts import SAMPLES, VOCABULARY, Word, _words, sha256


class StreamWords:
    """PURE. The word timeline of a live stream, chosen by the stream's first bytes.

    A stream that starts like a bundled sample gets that sample's words; any other stream gets
    vocabulary words, 2.5 a second, a sentence every eight words, picked by a hash of its first
    bytes and the word's position.
    """

    SPACING, LENGTH, SENTENCE = 0.4, 0.32, 8

    def __init__(self, head: bytes) -> None:
        self.fixed: Optional[List[Word]] = None
        self.sample: Optional[str] = None  # the bundled sample the stream carries, if any
        for name, (_, spans, _) in SAMPLES.items():
            # A stream may carry the WAV file as it is, or only its PCM samples.
            if any(head[:len(prefix)] == prefix for prefix in _sample_prefixes(name)):
                sentences = [(text.rstrip(".").split(), start, end) for text, start, end in spans]
                self.fixed, self.sample = _words(sentences, {"punctuate": "true"}, 0), name
        self.seed = sha256(head[:4096])

    def between(self, start: float, end: float) -> List[Word]:
        """Words (with ``punctuated_word``) that start in ``[start, end)``."""
        if self.fixed is not None:
            return [dict(w) for w in self.fixed if start <= w["start"] < end]
        first = max(0, int((start - 0.2) / self.SPACING + 0.999999))
        found: List[Word] = []
        index = first
        while 0.2 + index * self.SPACING < end:
            at = round(0.2 + index * self.SPACING, 3)
            if at >= start:
                digest = hashlib.sha256(f"{self.seed}:{index}".encode()).hexdigest()
                text = VOCABULARY[int(digest[:8], 16) % len(VOCABULARY)]
                last = index % self.SENTENCE == self.SENTENCE - 1
                shown = (text.capitalize() if index % self.SENTENCE == 0 else text) + ("." if last else "")
                found.append({"word": text, "start": at, "end": round(at + self.LENGTH, 3),
                              "confidence": 0.95, "punctuated_word": shown})
            index += 1
        return found

    def next_sentence_end(self, after: float) -> Optional[float]:
        """The end time of the first sentence-ending word that ends after ``after``."""
        if self.fixed is not None:
            ends = [w["end"] for w in self.fixed if w["punctuated_word"].endswith(".") and w["end"] > after]
            return min(ends) if ends else None
        index = max(0, int((after - 0.2 - self.LENGTH) / self.SPACING))
        while True:
            if index % self.SENTENCE == self.SENTENCE - 1:
                end = round(0.2 + index * self.SPACING + self.LENGTH, 3)
                if end > after:
                    return end
            index += 1


_PREFIXES: Dict[str, Tuple[bytes, bytes]] = {}


def _sample_prefixes(name: str, size: int = 256) -> Tuple[bytes, bytes]:
    """The first bytes of a sample file, and of its PCM data alone."""
    if name not in _PREFIXES:
        data = (Path(__file__).with_name("samples") / name).read_bytes()
        start = data.find(b"data") + 8
        _PREFIXES[name] = (data[:size], data[start:start + size])
    return _PREFIXES[name]
