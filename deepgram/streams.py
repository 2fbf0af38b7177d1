"""The stream classes of Deepgram's five websockets and their blocking twins, for annotations.

    from deepgram.streams import SpeakStream

    async def speak(stream: SpeakStream) -> None: ...

Streams are opened by the groups (``dg.transcription.live``, ``live_v2``, ``dg.speak.live``,
``live_v2``, ``dg.agents.converse``), never built directly.
"""

from ._enums import LiveTranscriptionEvent
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
from ._stream import Stream
from ._sync_sockets import SyncAgentStream, SyncFluxStream, SyncSpeakStream, SyncSpeakV2Stream
from ._sync_stream import SyncStream
from .live import Connect, LiveTranscription
from .sync_live import SyncLiveTranscription

__all__ = [
    "AgentEvent", "AgentStream", "Connect", "FluxEvent", "FluxStream", "LiveTranscription", "LiveTranscriptionEvent",
    "SpeakEvent", "SpeakStream", "SpeakV2Event", "SpeakV2Stream", "Stream", "SyncAgentStream", "SyncFluxStream",
    "SyncLiveTranscription", "SyncSpeakStream", "SyncSpeakV2Stream", "SyncStream",
]
