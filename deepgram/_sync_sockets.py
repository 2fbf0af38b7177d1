"""The blocking twins of the Flux, text-to-speech and voice agent streams (``dg.sync``)."""

from __future__ import annotations

from typing import Any, List, Mapping, Optional, Type, TypeVar

from ._sockets import (
    AgentEvent,
    AgentStream,
    FluxEvent,
    FluxStream,
    SpeakEvent,
    SpeakStream,
    SpeakV2Event,
    SpeakV2Stream,
)
from ._sync_stream import SyncStream

P = TypeVar("P", SpeakStream, SpeakV2Stream)

__all__ = ["SyncAgentStream", "SyncFluxStream", "SyncSpeakStream", "SyncSpeakV2Stream"]


class SyncFluxStream(SyncStream[FluxStream]):
    """``dg.sync.transcription.live_v2(...)``: a Flux stream with blocking methods."""

    @property
    def event(self) -> Type[FluxEvent]:
        """The event enum: ``stream.event.TURN_INFO``."""
        return FluxEvent

    def configure(self, thresholds: Optional[Mapping[str, Any]] = None, keyterms: Optional[List[str]] = None,
                  language_hints: Optional[List[str]] = None) -> None:
        """Change end-of-turn thresholds, keyterms or language hints mid-stream."""
        self._settled()
        self._live.configure(thresholds, keyterms, language_hints)


class _SyncSpeaking(SyncStream[P]):
    """What both blocking text-to-speech twins take: text, and the flush that speaks it."""

    def send_text(self, text: str) -> None:
        """Queue text to speak; it is spoken once flushed."""
        self._settled()
        self._live.send_text(text)

    def flush(self) -> None:
        """Speak the text sent so far."""
        self._settled()
        self._live.flush()


class SyncSpeakStream(_SyncSpeaking[SpeakStream]):
    """``dg.sync.speak.live(...)``: streaming text to speech with blocking methods."""

    @property
    def event(self) -> Type[SpeakEvent]:
        """The event enum: ``stream.event.AUDIO``."""
        return SpeakEvent

    def clear(self) -> None:
        """Drop the text not yet spoken."""
        self._settled()
        self._live.clear()


class SyncSpeakV2Stream(_SyncSpeaking[SpeakV2Stream]):
    """``dg.sync.speak.live_v2(...)``: Flux text to speech with blocking methods."""

    @property
    def event(self) -> Type[SpeakV2Event]:
        """The event enum: ``stream.event.SPEECH_METADATA``."""
        return SpeakV2Event


class SyncAgentStream(SyncStream[AgentStream]):
    """``dg.sync.agents.converse(...)``: a voice agent conversation with blocking methods."""

    @property
    def event(self) -> Type[AgentEvent]:
        """The event enum: ``stream.event.CONVERSATION_TEXT``."""
        return AgentEvent

    def inject_user_message(self, content: str) -> None:
        """Say something as the user, in text."""
        self._settled()
        self._live.inject_user_message(content)

    def inject_agent_message(self, message: str) -> None:
        """Make the agent say something now."""
        self._settled()
        self._live.inject_agent_message(message)

    def send_function_call_response(self, id: str, name: str, content: str) -> None:
        """Answer a FUNCTION_CALL_REQUEST."""
        self._settled()
        self._live.send_function_call_response(id, name, content)

    def update_prompt(self, prompt: str) -> None:
        """Add to the agent's prompt."""
        self._settled()
        self._live.update_prompt(prompt)

    def update_speak(self, speak: Mapping[str, Any]) -> None:
        """Change the agent's voice."""
        self._settled()
        self._live.update_speak(speak)

    def update_think(self, think: Mapping[str, Any]) -> None:
        """Change the agent's thinking model."""
        self._settled()
        self._live.update_think(think)

    def update_listen(self, listen: Mapping[str, Any]) -> None:
        """Change the agent's speech recognition."""
        self._settled()
        self._live.update_listen(listen)

    def keep_alive(self) -> None:
        """Send a KeepAlive now."""
        self._settled()
        self._live.keep_alive()
