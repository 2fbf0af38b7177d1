"""The emulator's text-to-speech websockets: ``/v1/speak`` (Aura) and ``/v2/speak`` (Flux TTS).

Text is buffered until a flush; its audio is ``_synth``'s tone, as long as the text, in the
encoding and sample rate asked for. Faults count the audio sent.
"""

import re
import uuid
from typing import Any, Dict, NamedTuple, NoReturn, Optional

from ._platform import TTS_MODEL_UUID
from ._socket_common import NET_0001
from ._socket_query import Query, QueryError, flag, number, one_of, sample_rate, text_of
from ._socket_serve import Channel, Conversation
from ._synth import RAW_ENCODINGS, duration_ms, speech

MODEL_VERSION = "2025-01-01.0"
V1_MODEL = re.compile(r"aura(-2)?-[a-z]+-[a-z]{2}")  # aura-asteria-en, aura-2-thalia-en...
V2_MODEL = re.compile(r"flux-[a-z]+-[a-z]{2}")  # flux-alexis-en...
V1_RATES = {"linear16": (8000, 16000, 24000, 32000, 48000), "mulaw": (8000, 16000), "alaw": (8000, 16000)}
V2_RATES = {"linear16": (8000, 16000, 24000, 32000, 44100, 48000), "mulaw": (8000, 16000), "alaw": (8000, 16000)}
DEFAULT_RATES = {"linear16": 24000, "mulaw": 8000, "alaw": 8000}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # not billed


class SpeakConfig(NamedTuple):
    """The handshake query, checked."""

    model: str
    encoding: str
    sample_rate: int
    speed: float


def model_name(model: str) -> str:
    """The model name the socket reports: the one asked for, marked as the emulator's."""
    # Nobody should take the tone for a real voice, nor a log line for a real session.
    return f"{model} (Deepgram emulator: a synthetic tone, not speech)"


def parse_v1(query: Query) -> SpeakConfig:
    """The ``/v1/speak`` query, checked (QueryError says what is wrong)."""
    model = query.get("model", "aura-asteria-en")
    if not V1_MODEL.fullmatch(model):
        raise QueryError(f"Bad Request: model must be an Aura voice such as aura-2-thalia-en, not {model!r}")
    encoding = one_of(query, "encoding", RAW_ENCODINGS, "linear16") or "linear16"
    rate = sample_rate(query, encoding, V1_RATES, DEFAULT_RATES)
    speed = number(query, "speed", 0.7, 1.5, 1.0) or 1.0
    flag(query, "mip_opt_out")
    return SpeakConfig(model, encoding, rate, speed)


def parse_v2(query: Query) -> SpeakConfig:
    """The ``/v2/speak`` query, checked (QueryError says what is wrong)."""
    model = query.get("model")
    if model is None:
        raise QueryError("Bad Request: model is required (a Flux TTS voice such as flux-alexis-en)")
    if model.startswith("aura"):
        raise QueryError("Bad Request: Aura models are served on /v1/speak, not /v2/speak")
    if not V2_MODEL.fullmatch(model):
        raise QueryError(f"Bad Request: model must look like flux-<voice>-<language>, not {model!r}")
    encoding = one_of(query, "encoding", RAW_ENCODINGS, "linear16") or "linear16"
    rate = sample_rate(query, encoding, V2_RATES, DEFAULT_RATES)
    flag(query, "mip_opt_out")
    return SpeakConfig(model, encoding, rate, 1.0)


class SpeakV1(Conversation):
    """One ``/v1/speak`` session: Speak buffers, Flush speaks, Clear forgets, Close finishes."""

    IDLE_SECONDS: Optional[float] = None  # no idle close is documented for this socket
    FAULTS_COUNT_AUDIO_IN = False

    def __init__(self, channel: Channel, config: SpeakConfig) -> None:
        super().__init__(channel)
        self.config = config
        self.buffer = ""
        self.sequence = 0  # of Flushed and Cleared answers

    async def opened(self) -> None:
        await self.channel.send({"type": "Metadata", "request_id": self.channel.request_id,
                                 "model_name": model_name(self.config.model), "model_version": MODEL_VERSION,
                                 "model_uuid": TTS_MODEL_UUID})

    async def text(self, message: Any) -> None:
        kind = message.get("type") if isinstance(message, dict) else None
        if kind == "Speak":
            text = text_of(message, "text")
            if text is None:
                await self.channel.send({"type": "Warning", "code": "DATA-0000",
                                         "description": "Speak needs a non-empty text string; it was ignored."})
            else:
                self.buffer += text
        elif kind in ("Flush", "Clear"):
            if kind == "Flush":
                await self._speak()
            self.buffer = ""
            await self.channel.send({"type": "Flushed" if kind == "Flush" else "Cleared", "sequence_id": self.sequence})
            self.sequence += 1
        elif kind == "Close":
            await self._speak()
            await self.channel.finish()
        else:
            await self.invalid("the message is not JSON or not a known type (Speak, Flush, Clear, Close)")

    async def _speak(self) -> None:
        text, self.buffer = self.buffer, ""
        if text:
            config = self.config
            audio = speech(text, config.sample_rate, config.encoding, config.speed)
            await self.channel.send_audio(audio, config.sample_rate, config.encoding)


class SpeakV2(Conversation):
    """One ``/v2/speak`` session: turns of text, each spoken and accounted for on Flush."""

    FAULTS_COUNT_AUDIO_IN = False

    def __init__(self, channel: Channel, config: SpeakConfig) -> None:
        super().__init__(channel)
        self.config = config
        self.buffer: Optional[str] = None  # the active turn's text; None: no active turn
        self.totals = {"total_audio_duration_ms": 0, "total_input_character_count": 0,
                       "total_billable_character_count": 0}

    async def opened(self) -> None:
        await self.channel.send({"type": "Connected", "request_id": self.channel.request_id,
                                 "model_name": model_name(self.config.model), "model_version": MODEL_VERSION,
                                 "model_uuids": [TTS_MODEL_UUID]})

    async def text(self, message: Any) -> None:
        kind = message.get("type") if isinstance(message, dict) else None
        if kind == "Speak":
            text = text_of(message, "text", allow_empty=True)
            if text is None:
                await self.invalid("Speak needs a text string")
            self.buffer = (self.buffer or "") + (text or "")
        elif kind == "Flush":
            if self.buffer is None:
                await self.channel.send({"type": "Warning", "code": "NO_ACTIVE_SPEECH",
                                         "description": "Flush arrived with no active turn; nothing to speak."})
                return
            speech_id = await self._speak()
            await self.channel.send({"type": "Flushed", "speech_id": speech_id})
        elif kind == "Close":
            if self.buffer is not None:
                await self._speak()
            await self.channel.send({"type": "SessionMetadata", **self.totals})
            await self.channel.finish()
        else:
            await self.invalid("the message is not JSON or not a known type (Speak, Flush, Close)")

    async def _speak(self) -> str:
        """Speak the active turn: SpeechStarted, its audio, SpeechMetadata; returns its speech id."""
        text, self.buffer = self.buffer or "", None
        speech_id = "dg_sp_" + uuid.uuid4().hex[:12]
        config = self.config
        await self.channel.send({"type": "SpeechStarted", "speech_id": speech_id})
        audio = speech(text, config.sample_rate, config.encoding)
        await self.channel.send_audio(audio, config.sample_rate, config.encoding)
        billable = len(CONTROL.sub("", text))
        metadata: Dict[str, Any] = {
            "type": "SpeechMetadata", "speech_id": speech_id,
            "audio_duration_ms": duration_ms(len(audio), config.sample_rate, config.encoding),
            "input_character_count": len(text), "billable_character_count": billable,
            "controls_applied": {"pronunciations_applied": 0, "pronunciation_warnings": 0}}
        await self.channel.send(metadata)
        for total, key in (("total_audio_duration_ms", "audio_duration_ms"),
                           ("total_input_character_count", "input_character_count"),
                           ("total_billable_character_count", "billable_character_count")):
            self.totals[total] += metadata[key]
        return speech_id

    async def invalid(self, why: str) -> NoReturn:
        await self.channel.send({"type": "Error", "code": "MESSAGE-0000", "description": why})
        await self.channel.end(1008, f"MESSAGE-0000: {why}")

    async def idle(self) -> NoReturn:
        await self.channel.send({"type": "Error", "code": "NET-0001", "description": NET_0001})
        await self.channel.end(1011, NET_0001)
