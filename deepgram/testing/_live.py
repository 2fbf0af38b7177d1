"""The emulator's ``/v1/listen`` websocket: results paced by the audio received, and faults."""

import asyncio
import hashlib
import json
from typing import Any, Dict, List, Mapping, Optional, Union

from aiohttp import WSMsgType, web

from . import _transcripts
from ._resume_words import MAX_KEPT_BYTES, ResumeIndex, Shifted
from ._server import REQUEST_ID, Plumbing
from ._socket_common import IDLE_SECONDS, LISTEN_PATH, NET_0001, LiveFault, LiveSession
from ._socket_common import close_mid_stream as _close_mid_stream
from ._state import now_iso
from ._stream_words import StreamWords


def _flag(query: Mapping[str, str], name: str) -> bool:
    return query.get(name) == "true"


class _Stream:
    """The per-connection transcription state, fed with audio as it arrives."""

    def __init__(self, query: Mapping[str, str], request_id: str, resume: Optional[ResumeIndex] = None,
                 keep_audio: bool = False) -> None:
        self.query = query
        self.resume = resume  # cut streams this one may continue
        self.kept: Optional[bytearray] = bytearray() if keep_audio else None  # for a stream that resumes this one
        self.kept_from = 0  # bytes of audio before ``kept``
        self.request_id = request_id
        self.rate = int(query.get("sample_rate") or 16000)
        self.channels = int(query.get("channels") or 1)
        width = 1 if query.get("encoding") in ("mulaw", "alaw") else 2
        self.frame_bytes = self.channels * width
        self.byte_rate = self.rate * self.frame_bytes
        self.digest = hashlib.sha256()
        self.head = b""  # the first bytes, kept until there are enough to tell the format
        self._skip = 0  # the WAV header's size, once known
        self.audio = 0  # bytes of audio (after any WAV header)
        self.words: Optional[Union[StreamWords, Shifted]] = None
        self.final_until = 0.0
        self.interim_at = 0.0
        self.speaking = False

    @property
    def seconds(self) -> float:
        return self.audio / self.byte_rate

    def feed(self, data: bytes) -> List[Dict[str, Any]]:
        """Take audio, return the messages it makes due."""
        self.digest.update(data)
        if self.words is None:
            self.head += data
            if len(self.head) < 256:
                return []
            self._start()
            data, self.head = self.head[self._skip:], b""
        self.audio += len(data)
        if self.kept is not None:
            self.kept += data
            if len(self.kept) > MAX_KEPT_BYTES:
                cut = len(self.kept) - MAX_KEPT_BYTES
                cut -= cut % self.frame_bytes
                del self.kept[:cut]
                self.kept_from += cut
        return self._due(final_only=False)

    def cut(self) -> None:
        """A fault ends this stream: remember its audio, so a stream resuming it hears the same words."""
        if self.resume is not None and self.kept is not None and self.words is not None:
            self.resume.add(bytes(self.kept), self.kept_from / self.byte_rate, self.words, self.byte_rate,
                            self.frame_bytes)

    def _start(self) -> None:
        self._skip = 0
        if self.head[:4] == b"RIFF" and self.head[8:12] == b"WAVE":
            _duration, channels = _transcripts.audio_info(self.head, 1 << 40)
            data_at = self.head.find(b"data")
            self._skip = data_at + 8 if data_at >= 0 else 44
            self.channels = channels
            rate = int.from_bytes(self.head[24:28], "little") or self.rate
            self.frame_bytes = channels * 2
            self.byte_rate = rate * self.frame_bytes
        resumed = self.resume.find(self.head[self._skip:], self.byte_rate) if self.resume is not None else None
        self.words = resumed or StreamWords(self.head)

    def flush(self, from_finalize: bool) -> List[Dict[str, Any]]:
        """Finalize (or CloseStream): everything heard so far becomes final."""
        if self.words is None and self.head:
            self._start()
            self.audio += len(self.head) - self._skip
            self.head = b""
        messages = self._due(final_only=True)
        if self.words is not None and self.seconds > self.final_until + 1e-9:
            messages += self._segment(self.final_until, self.seconds, True, False, from_finalize)
        return messages

    def _due(self, final_only: bool) -> List[Dict[str, Any]]:
        messages: List[Dict[str, Any]] = []
        if self.words is None:
            return messages
        while True:
            sentence_end = self.words.next_sentence_end(self.final_until)
            speech_final = sentence_end is not None and sentence_end - self.final_until <= 3.0
            # A sentence longer than 3 s is cut into finals every 3 s.
            boundary = sentence_end if sentence_end is not None and speech_final else self.final_until + 3.0
            if self.seconds < boundary:
                break
            messages += self._segment(self.final_until, boundary, True, speech_final, False)
        if not final_only and _flag(self.query, "interim_results") and self.seconds - self.interim_at >= 0.5:
            messages += self._segment(self.final_until, self.seconds, False, False, False)
        return messages

    def _segment(self, start: float, end: float, final: bool, speech_final: bool,
                 from_finalize: bool) -> List[Dict[str, Any]]:
        words = self.words.between(start, end) if self.words else []
        messages: List[Dict[str, Any]] = []
        if words and not self.speaking and _flag(self.query, "vad_events"):
            messages.append({"type": "SpeechStarted", "channel": [0, 1], "timestamp": words[0]["start"]})
        if words:
            self.speaking = True
        messages.append(self._results(start, end, words, final, speech_final, from_finalize))
        self.interim_at = end
        if final:
            self.final_until = end
        if speech_final:
            self.speaking = False
            if self.query.get("utterance_end_ms") and _flag(self.query, "interim_results") and words:
                messages.append({"type": "UtteranceEnd", "channel": [0, 1], "last_word_end": words[-1]["end"]})
        return messages

    def _results(self, start: float, end: float, words: List[Dict[str, Any]], final: bool,
                 speech_final: bool, from_finalize: bool) -> Dict[str, Any]:
        punctuate = _flag(self.query, "punctuate") or _flag(self.query, "smart_format")
        shown = [dict(w) if punctuate else {k: v for k, v in w.items() if k != "punctuated_word"} for w in words]
        if _flag(self.query, "diarize"):
            for word in shown:
                word["speaker"] = 0
        transcript = " ".join(w.get("punctuated_word", w["word"]) for w in shown)
        return {
            "type": "Results", "channel_index": [0, 1], "duration": round(end - start, 3),
            "start": round(start, 3), "is_final": final, "speech_final": speech_final,
            "from_finalize": from_finalize,
            "channel": {"alternatives": [{"transcript": transcript,
                                          "confidence": 0.95 if words else 0.0, "words": shown}]},
            "metadata": {"request_id": self.request_id, "model_uuid": _transcripts.MODEL_UUID,
                         "model_info": {"name": self._model_name(),
                                        "version": "2025-01-01.0", "arch": "nova-3"}},
        }

    def _model_name(self) -> str:
        return _transcripts.model_name(self.query, self.words.sample if self.words else None)

    def summary(self) -> Dict[str, Any]:
        meta = _transcripts.metadata(self.request_id, self.digest.hexdigest(), round(self.seconds, 3),
                                     self.channels, now_iso(), self.query,
                                     self.words.sample if self.words else None)
        return {"type": "Metadata", **meta}


async def _close(ws: web.WebSocketResponse, session: LiveSession, code: int, message: bytes = b"") -> None:
    """Close the connection, recording the code first: a client whose finish() returns on this close
    frame then reads the code from ``live_sessions`` at once."""
    session.close_code = code
    await ws.close(code=code, message=message)


class LiveEndpoint:
    """Serves ``GET /v1/listen`` upgrades; sessions and faults live on the shared plumbing."""

    def __init__(self, plumbing: Plumbing) -> None:
        self.plumbing = plumbing

    async def handle(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(protocols=("token", "bearer"), max_msg_size=0, autoping=True)
        ws.headers["dg-request-id"] = request[REQUEST_ID]
        await ws.prepare(request)
        session = LiveSession(list(request.query.items()), dict(request.headers), request[REQUEST_ID])
        self.plumbing.record_socket(session)
        fault = self.plumbing.take_fault(LISTEN_PATH)
        stream = _Stream(request.query, request[REQUEST_ID], self.plumbing.resume_index,
                         keep_audio=fault is not None and fault.kind in ("close", "drop"))
        try:
            await self._serve(request, ws, session, stream, fault)
        finally:
            if session.close_code is None:
                session.close_code = ws.close_code
            session.closed.set()
        return ws

    async def _send(self, ws: web.WebSocketResponse, session: LiveSession, messages: List[Dict[str, Any]]) -> None:
        for message in messages:
            session.sent.append(message)
            await ws.send_str(json.dumps(message))

    async def _serve(self, request: web.Request, ws: web.WebSocketResponse, session: LiveSession,
                     stream: _Stream, fault: Optional[LiveFault]) -> None:
        idle = IDLE_SECONDS * self.plumbing.time_scale
        while True:
            try:
                message = await asyncio.wait_for(ws.receive(), idle)
            except asyncio.TimeoutError:
                await _close(ws, session, 1011, NET_0001.encode())
                return
            if message.type == WSMsgType.BINARY:
                session.frames.append(("binary", len(message.data)))
                if not message.data:
                    # An empty frame was the old end-of-stream signal; today it ends the stream abruptly.
                    await _close(ws, session, 1000, b"empty audio frame")
                    return
                session.audio_bytes += len(message.data)
                await self._send(ws, session, stream.feed(message.data))
                if fault and fault.kind != "linger" and session.audio_bytes >= fault.after_bytes and (
                        fault.after_seconds is None or stream.seconds >= fault.after_seconds):
                    session.close_code = fault.code if fault.kind == "close" else 1006
                    stream.cut()
                    await self._misbehave(request, ws, fault)
                    return
            elif message.type == WSMsgType.TEXT:
                session.frames.append(("text", len(message.data)))
                if not await self._control(ws, session, stream, message.data, fault):
                    return
            else:
                return

    async def _control(self, ws: web.WebSocketResponse, session: LiveSession, stream: _Stream, text: str,
                       fault: Optional[LiveFault] = None) -> bool:
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        session.messages.append(parsed)
        kind = parsed.get("type") if isinstance(parsed, dict) else None
        if kind == "KeepAlive":
            return True
        if kind == "Finalize":
            await self._send(ws, session, stream.flush(from_finalize=True))
            return True
        if kind == "CloseStream":
            await self._send(ws, session, [*stream.flush(from_finalize=False), stream.summary()])
            if fault is not None and fault.kind == "linger":
                # A server that never sends its close frame: wait for the client's.
                while (await ws.receive()).type not in (WSMsgType.CLOSE, WSMsgType.CLOSING,
                                                        WSMsgType.CLOSED, WSMsgType.ERROR):
                    pass
                return False
            await _close(ws, session, 1000)
            return False
        await _close(ws, session, 1008, b"DATA-0000: unrecognised message")
        return False

    async def _misbehave(self, request: web.Request, ws: web.WebSocketResponse, fault: LiveFault) -> None:
        if fault.kind == "close":
            await _close_mid_stream(ws, fault.code, fault.reason)
        elif fault.kind == "drop":
            if request.transport is not None:
                request.transport.abort()
        else:  # stall: hold the connection, answer nothing, until the emulator stops
            await self.plumbing.pause(3600)
