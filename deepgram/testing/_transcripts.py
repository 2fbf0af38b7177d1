"""PURE. Deterministic transcripts for the emulator.

The bundled samples map to their real text, with word timings inside their speech spans. Any
other audio gets words from a fixed vocabulary, picked by a generator seeded with the audio's
SHA-256 and spread over its duration (about 2.5 words a second), so the same bytes always give
the same transcript.

Live streams get their words from ``_stream_words``.
"""

import hashlib
import random
import struct
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ._socket_query import every

# Sample file name -> (sha256, [(sentence, speech start, speech end), ...], duration)
SAMPLES: Dict[str, Tuple[str, List[Tuple[str, float, float]], float]] = {
    "fox.wav": (
        "6a964b2f8948c79d018d4841ba5612163d5f4aea4f650c91f0e9fb81ec9ffde6",
        [("The quick brown fox jumps over the lazy dog.", 0.02, 3.06),
         ("Deepgram turns speech into text.", 3.44, 5.62)],
        6.022,
    ),
}
_BY_SHA = {sha: (name, spans, duration) for name, (sha, spans, duration) in SAMPLES.items()}

VOCABULARY = (
    "the a we our team will can should report data model audio call meeting customer "
    "project today tomorrow review update plan quickly really think know need want "
    "speech text stream results service support question answer morning afternoon"
).split()

Word = Dict[str, Any]
# A sentence's words and the speech span (start, end) they are spread over.
Sentence = Tuple[List[str], float, float]


def audio_info(head: bytes, total: int) -> Tuple[float, int]:
    """(duration in seconds, channels) from a body's first bytes and its length.

    WAV headers are read; other formats are assumed to be 16 kHz 16-bit mono.
    """
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        pos, fmt = 12, None
        while pos + 8 <= len(head):
            chunk, size = head[pos:pos + 4], struct.unpack("<I", head[pos + 4:pos + 8])[0]
            if chunk == b"fmt " and size >= 16 and pos + 24 <= len(head):
                fmt = struct.unpack("<HHIIHH", head[pos + 8:pos + 24])
            elif chunk == b"data" and fmt:
                channels, byte_rate = max(fmt[1], 1), max(fmt[3], 1)
                data = min(size, total - pos - 8)
                return round(max(data, 0) / byte_rate, 3), channels
            pos += 8 + size + (size & 1)
    return round(total / 32000.0, 3), 1


def _sentences_for(sha: str, duration: float) -> List[Sentence]:
    """Split the audio into sentences of words with their speech spans."""
    if sha in _BY_SHA:
        return [(text.rstrip(".").split(), start, end) for text, start, end in _BY_SHA[sha][1]]
    rng = random.Random(sha)
    total = int(duration * 2.5)
    sentences: List[Sentence] = []
    start, span = 0.1, max(duration - 0.2, 0.0)
    per_word = span / total if total else 0.0
    while total > 0:
        count = min(total, rng.randint(5, 10))
        words = [rng.choice(VOCABULARY) for _ in range(count)]
        sentences.append((words, start, start + count * per_word))
        start += count * per_word
        total -= count
    return sentences


def _words(sentences: Sequence[Sentence], params: Mapping[str, str],
           channel: int) -> List[Word]:
    punctuate = _flag(params, "punctuate") or _flag(params, "smart_format")
    diarize = _flag(params, "diarize")
    out: List[Word] = []
    for index, (words, start, end) in enumerate(sentences):
        step = (end - start) / max(len(words), 1)
        for i, text in enumerate(words):
            word: Word = {
                "word": text.lower(),
                "start": round(start + i * step, 3),
                "end": round(start + (i + 0.9) * step, 3),
                "confidence": round(0.9 + 0.09 * ((len(text) * 7 + i) % 10) / 10, 4),
            }
            if punctuate:
                shown = text[0].upper() + text[1:] if i == 0 else text
                word["punctuated_word"] = shown + ("." if i == len(words) - 1 else "")
            if diarize:
                word["speaker"] = (index + channel) % 2
                word["speaker_confidence"] = 0.8
            out.append(word)
    return out


def _flag(params: Mapping[str, str], name: str) -> bool:
    value = params.get(name)
    return value is not None and str(value).lower() not in ("false", "0", "")


def _transcript(words: Sequence[Word]) -> str:
    return " ".join(_shown(w) for w in words)


def _shown(word: Word) -> str:
    """The word as a transcript shows it: punctuated when punctuation was asked for."""
    shown: str = word["punctuated_word"] if "punctuated_word" in word else word["word"]
    return shown


def _split_sentences(words: Sequence[Word]) -> List[List[Word]]:
    groups: List[List[Word]] = [[]]
    for word in words:
        groups[-1].append(word)
        if word.get("punctuated_word", "").endswith(".") or len(groups[-1]) >= 12:
            groups.append([])
    return [g for g in groups if g]


def _paragraphs(words: Sequence[Word]) -> Dict[str, Any]:
    sentences = _split_sentences(words)
    paragraph = {
        "sentences": [{"text": _transcript(s), "start": s[0]["start"], "end": s[-1]["end"]} for s in sentences],
        "num_words": len(words),
        "start": words[0]["start"] if words else 0.0,
        "end": words[-1]["end"] if words else 0.0,
    }
    if words and "speaker" in words[0]:
        paragraph["speaker"] = words[0]["speaker"]
    return {"transcript": "\n" + _transcript(words) if words else "", "paragraphs": [paragraph] if words else []}


def _search(words: Sequence[Word], queries: Sequence[str]) -> List[Dict[str, Any]]:
    found: List[Dict[str, Any]] = []
    for query in queries:
        hits = [{"confidence": 1.0, "start": w["start"], "end": w["end"], "snippet": w["word"]}
                for w in words if w["word"] == query.lower()]
        found.append({"query": query, "hits": hits})
    return found


def _channel(sentences: Sequence[Sentence], params: Mapping[str, str], channel: int) -> Dict[str, Any]:
    words = _words(sentences, params, channel)
    confidence = round(sum(w["confidence"] for w in words) / len(words), 4) if words else 0.0
    asked = str(params.get("alternatives", "1"))
    count = max(1, min(int(asked or 1), 5)) if asked.isdigit() else 1
    alternatives: List[Dict[str, Any]] = []
    for n in range(count):
        alternative: Dict[str, Any] = {"transcript": _transcript(words),
                                       "confidence": round(max(confidence - 0.05 * n, 0.0), 4),
                                       "words": [dict(w) for w in words]}
        if _flag(params, "paragraphs"):
            alternative["paragraphs"] = _paragraphs(words)
        if _flag(params, "detect_entities"):
            alternative["entities"] = []
        alternatives.append(alternative)
    result: Dict[str, Any] = {"alternatives": alternatives}
    if params.get("search"):
        result["search"] = _search(words, every(params, "search"))
    if _flag(params, "detect_language"):
        result["detected_language"] = "en"
        result["language_confidence"] = 0.99
    return result


def _utterances(channels: Sequence[Dict[str, Any]]) -> List[Dict[str, Any]]:
    found: List[Dict[str, Any]] = []
    for index, channel in enumerate(channels):
        for group in _split_sentences(channel["alternatives"][0]["words"]):
            utterance = {
                "start": group[0]["start"], "end": group[-1]["end"],
                "confidence": round(sum(w["confidence"] for w in group) / len(group), 4),
                "channel": index, "transcript": _transcript(group), "words": group,
                "id": str(_uuid_from(f"{index}-{group[0]['start']}-{group[0]['word']}")),
            }
            if "speaker" in group[0]:
                utterance["speaker"] = group[0]["speaker"]
            found.append(utterance)
    return sorted(found, key=lambda u: (u["start"], u["channel"]))


def _uuid_from(text: str) -> str:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-4{digest[13:16]}-a{digest[17:20]}-{digest[20:32]}"


MODEL_UUID = "1ed36bac-f71c-4f3f-a31f-02fd6525c27d"


def model_name(params: Mapping[str, str], sample: Optional[str]) -> str:
    """The model name a result reports: the model asked for, marked as the emulator's."""
    # A user (or a log reader) must never take invented words for a real transcription.
    whose = f"bundled sample {sample}" if sample else "made-up words, not a transcription"
    return f"{params.get('model') or 'general-nova-3'} (Deepgram emulator: {whose})"


def metadata(request_id: str, sha: str, duration: float, channels: int, created: str,
             params: Mapping[str, str], sample: Optional[str] = None) -> Dict[str, Any]:
    """A response's ``metadata`` object."""
    name = model_name(params, sample)
    return {
        "transaction_key": "deprecated", "request_id": request_id, "sha256": sha,
        "created": created, "duration": duration, "channels": channels, "models": [MODEL_UUID],
        "model_info": {MODEL_UUID: {"name": name, "version": "2025-01-01.0", "arch": "nova-3"}},
    }


def transcribe(body_sha: str, duration: float, channels: int, params: Mapping[str, str],
               request_id: str, created: str) -> Dict[str, Any]:
    """The full pre-recorded response for audio with this hash, duration and channel count."""
    known = _BY_SHA.get(body_sha)
    if known:
        duration = known[2]
    sentences = _sentences_for(body_sha, duration)
    count = channels if _flag(params, "multichannel") else 1
    result_channels = [_channel(sentences, params, c) for c in range(count)]
    results: Dict[str, Any] = {"channels": result_channels}
    if _flag(params, "utterances"):
        results["utterances"] = _utterances(result_channels)
    words = result_channels[0]["alternatives"][0]["words"]
    summarize = params.get("summarize")
    if summarize is not None and str(summarize).lower() not in ("false", ""):
        first = _split_sentences(words)[:1]
        results["summary"] = {"result": "success", "short": _transcript(first[0]) if first else ""}
    for feature, key in (("topics", "topics"), ("intents", "intents")):
        if _flag(params, feature):
            results[key] = {"segments": []}
    if _flag(params, "sentiment"):
        results["sentiments"] = {"segments": [], "average": {"sentiment": "neutral", "sentiment_score": 0.0}}
    return {"metadata": metadata(request_id, body_sha, duration, channels, created, params,
                                 known[0] if known else None), "results": results}


def sample_for_url(url: str) -> Optional[str]:
    """The bundled sample a URL names by its file name, if any."""
    name = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return name if name in SAMPLES else None


def sha256(data: bytes) -> str:
    """The hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()
