"""The enums of deepgram-sdk 2.x."""

from enum import Enum


class LiveTranscriptionEvent(Enum):
    """The events a live transcription fires to its handlers."""

    OPEN = "open"
    CLOSE = "close"
    TRANSCRIPT_RECEIVED = "transcript_received"
    ERROR = "error"
    # Per message type (new, opt-in); TRANSCRIPT_RECEIVED still gets every message.
    RESULTS = "results"
    METADATA = "metadata"
    SPEECH_STARTED = "speech_started"
    UTTERANCE_END = "utterance_end"
    UNHANDLED = "unhandled"
    # With LiveSettings(reconnect=N): a connection dropped and a new one is being opened / is open.
    RECONNECTING = "reconnecting"
    RECONNECTED = "reconnected"
    # Every socket's name for "every message" (an alias: the same member as TRANSCRIPT_RECEIVED).
    MESSAGE = "transcript_received"


class Caption(Enum):
    """Caption formats of ``dg.extra``."""

    SRT = "srt"
    WEBVTT = "webvtt"
