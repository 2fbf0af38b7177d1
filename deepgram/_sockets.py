"""Deepgram's other websockets on the shared driver: Flux (``/v2/listen``), streaming text to
speech (``/v1/speak``, ``/v2/speak``) and the voice agent (``/v1/agent/converse``).

Each is a ``Stream`` subclass naming its session spec (the close message, the KeepAlive, the
message that ends the stream) and its events: OPEN, CLOSE, ERROR, MESSAGE (every JSON message),
AUDIO (binary frames, where the server sends audio), UNHANDLED, and one per server message type
named after the type (``TurnInfo`` fires ``TURN_INFO``). A server message of type ``Error`` fires
ERROR. The helpers build the socket's client messages.
"""

from __future__ import annotations

import json
import re
from enum import Enum
from typing import Any, ClassVar, Dict, Iterable, List, Mapping, Optional, Type

from ._stream import Stream
from ._ws_session import SocketSpec

__all__ = ["AgentEvent", "AgentStream", "FluxEvent", "FluxStream", "SpeakEvent", "SpeakStream",
           "SpeakV2Event", "SpeakV2Stream"]


def _never(message: Mapping[str, Any]) -> bool:
    return False


def _events(enum: Type[Enum], types: Iterable[str]) -> Dict[str, Enum]:
    """Each server message type's event: ``TurnInfo`` -> ``enum.TURN_INFO``."""
    return {kind: enum[re.sub(r"(?<!^)(?=[A-Z])", "_", kind).upper()] for kind in types}


def _message(kind: str, **fields: Any) -> Dict[str, Any]:
    """A client message: its type, and the fields that were given."""
    return {"type": kind, **{name: value for name, value in fields.items() if value is not None}}


class FluxEvent(Enum):
    """The events of a Flux (``/v2/listen``) stream."""

    OPEN = "open"
    CLOSE = "close"
    ERROR = "error"
    MESSAGE = "message"
    UNHANDLED = "unhandled"
    CONNECTED = "connected"
    TURN_INFO = "turn_info"
    CONFIGURE_SUCCESS = "configure_success"
    CONFIGURE_FAILURE = "configure_failure"


class FluxStream(Stream):
    """Turn-based transcription over ``/v2/listen``: send audio, receive ``TurnInfo`` turns."""

    SPEC: ClassVar[SocketSpec] = SocketSpec("Flux transcription", json.dumps({"type": "CloseStream"}), None, _never)
    Event: ClassVar[Type[Enum]] = FluxEvent
    EVENTS: ClassVar[Mapping[str, Enum]] = _events(
        FluxEvent, ["Connected", "TurnInfo", "ConfigureSuccess", "ConfigureFailure"])
    BASE: ClassVar[str] = "host"
    _root = "/v2/listen"

    @property
    def event(self) -> Type[FluxEvent]:
        """The event enum: ``stream.event.TURN_INFO``."""
        return FluxEvent

    def configure(self, thresholds: Optional[Mapping[str, Any]] = None, keyterms: Optional[List[str]] = None,
                  language_hints: Optional[List[str]] = None) -> None:
        """Change end-of-turn thresholds, keyterms or language hints mid-stream."""
        self._control(_message("Configure", thresholds=thresholds, keyterms=keyterms,
                               language_hints=language_hints), "send Configure")


class SpeakEvent(Enum):
    """The events of a streaming text-to-speech (``/v1/speak``) stream."""

    OPEN = "open"
    CLOSE = "close"
    ERROR = "error"
    MESSAGE = "message"
    AUDIO = "audio"
    UNHANDLED = "unhandled"
    METADATA = "metadata"
    FLUSHED = "flushed"
    CLEARED = "cleared"
    WARNING = "warning"


class _Speaking(Stream):
    """What both text-to-speech sockets take: text, and the flush that speaks it."""

    AUDIO_IN: ClassVar[bool] = True

    def send_text(self, text: str) -> None:
        """Queue text to speak (LLM tokens as they come); spoken at ``flush()`` or ``finish()``."""
        self.send(_message("Speak", text=text))

    def flush(self) -> None:
        """Speak the text sent so far; its audio, then FLUSHED, follow."""
        self._control({"type": "Flush"}, "send Flush")


class SpeakStream(_Speaking):
    """Text to speech over ``/v1/speak``: send text, flush, receive audio frames (AUDIO)."""

    SPEC: ClassVar[SocketSpec] = SocketSpec("text to speech", json.dumps({"type": "Close"}), None, _never)
    Event: ClassVar[Type[Enum]] = SpeakEvent
    EVENTS: ClassVar[Mapping[str, Enum]] = _events(SpeakEvent, ["Metadata", "Flushed", "Cleared", "Warning"])
    _root = "/speak"

    @property
    def event(self) -> Type[SpeakEvent]:
        """The event enum: ``stream.event.AUDIO``."""
        return SpeakEvent

    def clear(self) -> None:
        """Drop the text not yet spoken; CLEARED confirms."""
        self._control({"type": "Clear"}, "send Clear")


class SpeakV2Event(Enum):
    """The events of a Flux text-to-speech (``/v2/speak``) stream."""

    OPEN = "open"
    CLOSE = "close"
    ERROR = "error"
    MESSAGE = "message"
    AUDIO = "audio"
    UNHANDLED = "unhandled"
    CONNECTED = "connected"
    SPEECH_STARTED = "speech_started"
    SPEECH_METADATA = "speech_metadata"
    FLUSHED = "flushed"
    SESSION_METADATA = "session_metadata"
    WARNING = "warning"


def _session_metadata(message: Mapping[str, Any]) -> bool:
    return message.get("type") == "SessionMetadata"


class SpeakV2Stream(_Speaking):
    """Turn-based text to speech over ``/v2/speak``; ``finish()`` returns the SessionMetadata."""

    SPEC: ClassVar[SocketSpec] = SocketSpec("Flux text to speech", json.dumps({"type": "Close"}), None,
                                            _session_metadata)
    Event: ClassVar[Type[Enum]] = SpeakV2Event
    EVENTS: ClassVar[Mapping[str, Enum]] = _events(SpeakV2Event, [
        "Connected", "SpeechStarted", "SpeechMetadata", "Flushed", "SessionMetadata", "Warning"])
    BASE: ClassVar[str] = "host"
    _root = "/v2/speak"

    @property
    def event(self) -> Type[SpeakV2Event]:
        """The event enum: ``stream.event.SPEECH_METADATA``."""
        return SpeakV2Event


class AgentEvent(Enum):
    """The events of a voice agent (``/v1/agent/converse``) conversation."""

    OPEN = "open"
    CLOSE = "close"
    ERROR = "error"
    MESSAGE = "message"
    AUDIO = "audio"
    UNHANDLED = "unhandled"
    WELCOME = "welcome"
    SETTINGS_APPLIED = "settings_applied"
    CONVERSATION_TEXT = "conversation_text"
    USER_STARTED_SPEAKING = "user_started_speaking"
    AGENT_THINKING = "agent_thinking"
    FUNCTION_CALL_REQUEST = "function_call_request"
    FUNCTION_CALL_RESPONSE = "function_call_response"
    AGENT_STARTED_SPEAKING = "agent_started_speaking"
    AGENT_AUDIO_DONE = "agent_audio_done"
    PROMPT_UPDATED = "prompt_updated"
    SPEAK_UPDATED = "speak_updated"
    LISTEN_UPDATED = "listen_updated"
    THINK_UPDATED = "think_updated"
    INJECTION_REFUSED = "injection_refused"
    LATENCY_REPORT = "latency_report"
    HISTORY = "history"
    WARNING = "warning"


class AgentStream(Stream):
    """A voice agent conversation over ``/v1/agent/converse``; its Settings go first."""

    SPEC: ClassVar[SocketSpec] = SocketSpec("voice agent", None, json.dumps({"type": "KeepAlive"}), _never)
    Event: ClassVar[Type[Enum]] = AgentEvent
    EVENTS: ClassVar[Mapping[str, Enum]] = _events(AgentEvent, [
        "Welcome", "SettingsApplied", "ConversationText", "UserStartedSpeaking", "AgentThinking",
        "FunctionCallRequest", "FunctionCallResponse", "AgentStartedSpeaking", "AgentAudioDone",
        "PromptUpdated", "SpeakUpdated", "ListenUpdated", "ThinkUpdated", "InjectionRefused",
        "LatencyReport", "History", "Warning"])
    AUDIO_IN: ClassVar[bool] = True
    BASE: ClassVar[str] = "agent"
    _root = "/agent/converse"

    def __init__(self, options: Any, agent_settings: Mapping[str, Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(options, *args, **kwargs)
        self.agent_settings: Dict[str, Any] = {"type": "Settings", **agent_settings}

    @property
    def event(self) -> Type[AgentEvent]:
        """The event enum: ``stream.event.CONVERSATION_TEXT``."""
        return AgentEvent

    def _first_messages(self) -> List[str]:
        return [json.dumps(self.agent_settings)]

    def inject_user_message(self, content: str) -> None:
        """Say something as the user, in text."""
        self._control(_message("InjectUserMessage", content=content), "inject a user message")

    def inject_agent_message(self, message: str) -> None:
        """Make the agent say something now (refused with INJECTION_REFUSED while it speaks)."""
        self._control(_message("InjectAgentMessage", message=message), "inject an agent message")

    def send_function_call_response(self, id: str, name: str, content: str) -> None:
        """Answer a FUNCTION_CALL_REQUEST: the function's ``id``, ``name`` and result."""
        self._control(_message("FunctionCallResponse", id=id, name=name, content=content),
                      "send a function call response")

    def update_prompt(self, prompt: str) -> None:
        """Add to the agent's prompt mid-conversation."""
        self._control(_message("UpdatePrompt", prompt=prompt), "update the prompt")

    def update_speak(self, speak: Mapping[str, Any]) -> None:
        """Change the agent's voice (the ``speak`` block of its settings)."""
        self._control(_message("UpdateSpeak", speak=dict(speak)), "update the voice")

    def update_think(self, think: Mapping[str, Any]) -> None:
        """Change the agent's thinking model (the ``think`` block of its settings)."""
        self._control(_message("UpdateThink", think=dict(think)), "update the think model")

    def update_listen(self, listen: Mapping[str, Any]) -> None:
        """Change the agent's speech recognition (the ``listen`` block of its settings)."""
        self._control(_message("UpdateListen", listen=dict(listen)), "update the listen model")

    def keep_alive(self) -> None:
        """Send a KeepAlive now (the stream sends them itself when no audio goes out)."""
        self._control({"type": "KeepAlive"}, "send KeepAlive")
