"""The enums of deepgram-sdk 2.x."""

from enum import Enum


class LiveTranscriptionEvent(Enum):
    """The events a live transcription fires to its handlers."""

    OPEN = "open"
    CLOSE = "close"
    TRANSCRIPT_RECEIVED = "transcript_received"
    ERROR = "error"


class Caption(Enum):
    """Caption formats of ``dg.extra``."""

    SRT = "srt"
    WEBVTT = "webvtt"
