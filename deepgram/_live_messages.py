"""PURE. The live protocol's messages: what the client sends, and what each received frame means."""

import json
from typing import Any, Dict, Mapping, NamedTuple, Optional

from ._enums import LiveTranscriptionEvent as Event

KEEP_ALIVE = json.dumps({"type": "KeepAlive"})
FINALIZE = json.dumps({"type": "Finalize"})
CLOSE_STREAM = json.dumps({"type": "CloseStream"})

_BY_TYPE = {
    "Results": Event.RESULTS,
    "Metadata": Event.METADATA,
    "SpeechStarted": Event.SPEECH_STARTED,
    "UtteranceEnd": Event.UTTERANCE_END,
}
# Close codes that end a stream normally; anything else is reported as an ERROR event.
NORMAL_CLOSE_CODES = frozenset({1000})


class LiveError(str):
    """The ERROR event's argument: a message (a ``str``, as in 2.x) with details attached.

    ``kind`` is ``"close"`` (an abnormal close: see ``code`` and ``reason``), ``"handler"`` (a
    handler raised: see ``exception``), ``"parse"`` (a frame that is not JSON), ``"send"`` or
    ``"timeout"``.
    """

    kind: str
    code: Optional[int]
    reason: Optional[str]
    exception: Optional[BaseException]

    def __new__(cls, text: str, kind: str, code: Optional[int] = None, reason: Optional[str] = None,
                exception: Optional[BaseException] = None) -> "LiveError":
        self = super().__new__(cls, text)
        self.kind, self.code, self.reason, self.exception = kind, code, reason, exception
        return self


class Classified(NamedTuple):
    """A received frame: the parsed message (if any), its typed event, or an error."""

    message: Optional[Dict[str, Any]]
    event: Optional[Event]
    error: Optional[LiveError]


def classify(raw: Any) -> Classified:
    """Parse one frame from the server into a message and the event it belongs to."""
    if isinstance(raw, (bytes, bytearray)):
        return Classified(None, None, LiveError(f"Unexpected binary frame of {len(raw)} bytes", "parse"))
    try:
        message = json.loads(raw)
    except ValueError:
        return Classified(None, None, LiveError(f"Couldn't parse response JSON: {raw}", "parse"))
    if not isinstance(message, dict):
        return Classified(None, None, LiveError(f"Unexpected JSON message: {raw}", "parse"))
    kind: Any = message.get("type")  # whatever JSON value the server put there
    return Classified(message, _BY_TYPE.get(kind, Event.UNHANDLED), None)


def is_final_metadata(message: Mapping[str, Any]) -> bool:
    """The summary that ends a stream (2.x looked for ``sha256``; the spec says type Metadata)."""
    return message.get("type") == "Metadata" or "sha256" in message


def close_error(code: Optional[int], reason: Optional[str], cause: Optional[str] = None) -> Optional[LiveError]:
    """The ERROR for a close, or None when the close was normal."""
    if cause is None and code in NORMAL_CLOSE_CODES:
        return None
    text = f"Connection closed with code {code}" + (f": {reason}" if reason else "")
    if cause:
        text = f"{cause} ({text})"
    return LiveError(text, "timeout" if cause else "close", code, reason or None)


def normalize_event(event: Any) -> Event:
    """Accept an event member or its value ('close'); anything else is a mistake worth raising."""
    if isinstance(event, Event):
        return event
    try:
        return Event(event)
    except ValueError:
        names = ", ".join(e.name for e in Event)
        raise ValueError(f"Unknown live event {event!r}; use live.event.<NAME> with NAME in {names}.") from None
