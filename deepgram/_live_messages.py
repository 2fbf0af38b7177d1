"""PURE. The live protocol's messages: what the client sends, and what each received frame means."""

import json
from enum import Enum
from typing import Any, Mapping, Type, TypeVar

from ._enums import LiveTranscriptionEvent as Event
from ._ws_session import LiveError, SocketSpec, close_error

E = TypeVar("E", bound=Enum)

__all__ = ["CLOSE_STREAM", "EVENTS", "FINALIZE", "KEEP_ALIVE", "LISTEN", "LiveError", "close_error",
           "is_final_metadata", "normalize_event"]

KEEP_ALIVE = json.dumps({"type": "KeepAlive"})
FINALIZE = json.dumps({"type": "Finalize"})
CLOSE_STREAM = json.dumps({"type": "CloseStream"})

# The typed event of each message type (TRANSCRIPT_RECEIVED gets every message too).
EVENTS = {
    "Results": Event.RESULTS,
    "Metadata": Event.METADATA,
    "SpeechStarted": Event.SPEECH_STARTED,
    "UtteranceEnd": Event.UTTERANCE_END,
}


def is_final_metadata(message: Mapping[str, Any]) -> bool:
    """The summary that ends a stream (2.x looked for ``sha256``; the spec says type Metadata)."""
    return message.get("type") == "Metadata" or "sha256" in message


LISTEN = SocketSpec("live transcription", CLOSE_STREAM, KEEP_ALIVE, is_final_metadata)


def normalize_event(event: Any, events: Type[E] = Event) -> E:  # type: ignore[assignment]
    """Accept a member of ``events`` or its value ('close'); anything else is a mistake worth raising."""
    if isinstance(event, events):
        return event
    try:
        return events(event)
    except ValueError:
        names = ", ".join(e.name for e in events)
        raise ValueError(f"Unknown event {event!r}; use stream.event.<NAME> with NAME in {names}.") from None
