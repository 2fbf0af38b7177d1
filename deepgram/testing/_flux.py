"""The emulator's ``/v2/listen`` websocket (Flux): turns of speech reported as TurnInfo events.

Turns come from the ``/v1/listen`` emulation's timeline: a sentence is a turn. A long sentence
is cut every 3 s; with ``eager_eot_threshold`` set, each cut is an EagerEndOfTurn (and the words
after it a TurnResumed), so every event of the spec occurs, deterministically.
"""

from typing import Any, Dict, List, NamedTuple, NoReturn, Optional

from ._live import _Stream
from ._socket_common import NET_0001
from ._socket_query import Query, QueryError, every, field_number, flag, number, one_of, strings
from ._socket_serve import Channel, Conversation

MODELS = ("flux-general-en", "flux-general-multi")
ENCODINGS = ("linear16", "linear32", "mulaw", "alaw", "opus", "ogg-opus")
# (low, high, integer) of each threshold, in the query and in Configure messages.
THRESHOLDS = {"eot_threshold": (0.5, 0.9, False), "eager_eot_threshold": (0.3, 0.9, False),
              "eot_timeout_ms": (500.0, 10000.0, True)}
EOT_CONFIDENCE = 0.95  # what an emulated EndOfTurn reports: above any eot_threshold allowed
SPEAKING_CONFIDENCE = 0.05  # what a turn still in progress reports


class FluxConfig(NamedTuple):
    """The handshake query, checked."""

    model: str
    encoding: Optional[str]
    sample_rate: Optional[int]
    thresholds: Dict[str, float]
    keyterms: List[str]
    language_hints: List[str]


def parse(query: Query) -> FluxConfig:
    """The ``/v2/listen`` query, checked as the API does (QueryError says what is wrong)."""
    model = one_of(query, "model", MODELS)
    if model is None:
        raise QueryError("Bad Request: model is required (flux-general-en or flux-general-multi)")
    encoding = one_of(query, "encoding", ENCODINGS)
    rate = number(query, "sample_rate", 1, 192000, integer=True)
    if encoding not in (None, "ogg-opus") and rate is None:
        raise QueryError("Bad Request: sample_rate is required with a raw encoding")
    thresholds = {"eot_threshold": 0.7, "eot_timeout_ms": 5000.0}
    for name, (low, high, integer) in THRESHOLDS.items():
        value = number(query, name, low, high, integer=integer)
        if value is not None:
            thresholds[name] = value
    _check_eager(thresholds)
    keyterms = every(query, "keyterm")
    for term in keyterms:
        _check_keyterm(term)
    hints = every(query, "language_hint")
    if hints and model != "flux-general-multi":
        raise QueryError("Bad Request: language_hint is only valid with flux-general-multi")
    if any(not hint.strip() for hint in hints):
        raise QueryError("Bad Request: language_hint must not be empty")
    for name in ("profanity_filter", "numerals", "mip_opt_out"):
        flag(query, name)
    for redact in every(query, "redact"):
        if redact not in ("numbers", "aggressive_numbers"):
            raise QueryError("Bad Request: redact must be numbers or aggressive_numbers on Flux")
    return FluxConfig(model, encoding, None if rate is None else int(rate), thresholds, keyterms, hints)


def _check_eager(thresholds: Dict[str, float]) -> None:
    eager = thresholds.get("eager_eot_threshold")
    if eager is not None and eager > thresholds["eot_threshold"]:
        raise QueryError("Bad Request: eager_eot_threshold must not exceed eot_threshold")


def _check_keyterm(term: str) -> None:
    # Plain terms only: a weight such as "term:0.15" belongs to the older keywords feature.
    head, colon, weight = term.rpartition(":")
    if not term.strip() or (colon and head and weight.replace(".", "", 1).lstrip("-").isdigit()):
        raise QueryError(f"Bad Request: keyterm must be a plain term, not {term!r}")


def _shown(word: Dict[str, Any]) -> str:
    text: str = word.get("punctuated_word", word["word"])
    return text


class Flux(Conversation):
    """One Flux session: audio in, TurnInfo events out, Configure applied between."""

    def __init__(self, channel: Channel, config: FluxConfig) -> None:
        super().__init__(channel)
        self.config = config
        self.thresholds = dict(config.thresholds)
        self.keyterms = list(config.keyterms)
        self.hints = list(config.language_hints)
        stream_query = {"punctuate": "true", "interim_results": "true", "encoding": config.encoding or "linear16"}
        if config.sample_rate:
            stream_query["sample_rate"] = str(config.sample_rate)
        self.stream = _Stream(stream_query, channel.request_id)
        self.sequence = 0
        self.turn_index = 0
        self.words: List[Dict[str, Any]] = []  # the current turn's final words
        self.started = False  # StartOfTurn was sent for the current turn
        self.eager = False  # EagerEndOfTurn was sent, and no word came since
        self.window_start = 0.0

    async def emit(self, message: Dict[str, Any]) -> None:
        """Send a message stamped with the request id and the next sequence id."""
        await self.channel.send({**message, "request_id": self.channel.request_id, "sequence_id": self.sequence})
        self.sequence += 1

    async def opened(self) -> None:
        await self.emit({"type": "Connected"})

    async def audio(self, data: bytes) -> None:
        for result in self.stream.feed(data):
            await self._result(result)

    async def _result(self, result: Dict[str, Any]) -> None:
        if result.get("type") != "Results":
            return
        heard = result["channel"]["alternatives"][0]["words"]
        end = round(result["start"] + result["duration"], 3)
        if heard:
            if not self.started:
                self.window_start = result["start"]
            await self._turn("TurnResumed" if self.eager else "Update" if self.started else "StartOfTurn",
                             end, heard)
            self.started, self.eager = True, False
        if not result["is_final"]:
            return
        self.words += heard
        if result["speech_final"] and self.words:
            await self._end_turn(end)
        elif self.words and not self.eager and "eager_eot_threshold" in self.thresholds:
            await self._turn("EagerEndOfTurn", end, [])
            self.eager = True

    async def _end_turn(self, end: float) -> None:
        if "eager_eot_threshold" in self.thresholds and not self.eager:
            await self._turn("EagerEndOfTurn", end, [])
        await self._turn("EndOfTurn", end, [])
        self.turn_index += 1
        self.words, self.started, self.eager = [], False, False

    async def _turn(self, event: str, end: float, interim: List[Dict[str, Any]]) -> None:
        words = self.words + interim
        confidence = {"EndOfTurn": EOT_CONFIDENCE, "EagerEndOfTurn": self._eager_confidence()}
        message: Dict[str, Any] = {
            "type": "TurnInfo", "event": event, "turn_index": self.turn_index,
            "audio_window_start": self.window_start, "audio_window_end": end,
            "transcript": " ".join(_shown(w) for w in words),
            "words": [{"word": _shown(w), "confidence": w["confidence"]} for w in words],
            "end_of_turn_confidence": confidence.get(event, SPEAKING_CONFIDENCE)}
        if self.config.model == "flux-general-multi" and words:
            message["languages"] = ["en"]
        if self.hints:
            message["languages_hinted"] = list(self.hints)
        await self.emit(message)

    def _eager_confidence(self) -> float:
        # Between the two thresholds: eager enough to fire, not enough to end the turn.
        low = self.thresholds.get("eager_eot_threshold", 0.5)
        return round((low + self.thresholds["eot_threshold"]) / 2, 3)

    async def text(self, message: Any) -> None:
        kind = message.get("type") if isinstance(message, dict) else None
        if kind == "CloseStream":
            for result in self.stream.flush(from_finalize=False):
                await self._result(result)
            if self.words:
                await self._end_turn(round(self.stream.seconds, 3))
            await self.channel.finish()
        elif kind == "Configure":
            await self._configure(message)
        else:
            await self.invalid("the message is not JSON or not a known type (CloseStream, Configure)")

    async def _configure(self, message: Dict[str, Any]) -> None:
        try:
            thresholds = self._thresholds(message.get("thresholds"))
            keyterms = self.keyterms if message.get("keyterms") is None else strings(message["keyterms"], "keyterms")
            for term in keyterms:
                _check_keyterm(term)
            hints = self.hints if message.get("language_hints") is None else \
                strings(message["language_hints"], "language_hints")
            if hints and self.config.model != "flux-general-multi":
                raise QueryError("language_hints are only valid with flux-general-multi")
        except QueryError:
            await self.emit({"type": "ConfigureFailure"})
            return
        self.thresholds, self.keyterms, self.hints = thresholds, keyterms, hints
        answer: Dict[str, Any] = {"type": "ConfigureSuccess", "thresholds": self._shown_thresholds(),
                                  "keyterms": list(keyterms)}
        if self.config.model == "flux-general-multi":
            answer["language_hints"] = list(hints)
        await self.emit(answer)

    def _thresholds(self, given: Any) -> Dict[str, float]:
        if given is None:
            return dict(self.thresholds)
        if not isinstance(given, dict):
            raise QueryError("thresholds must be an object")
        updated = dict(self.thresholds)
        for name, (low, high, integer) in THRESHOLDS.items():
            value = field_number(given, name, low, high, integer)
            if value is not None:
                updated[name] = value
        _check_eager(updated)
        return updated

    def _shown_thresholds(self) -> Dict[str, Any]:
        return {name: int(value) if name == "eot_timeout_ms" else value for name, value in self.thresholds.items()}

    async def invalid(self, why: str) -> NoReturn:
        await self.emit({"type": "Error", "code": "UNPARSABLE_CLIENT_MESSAGE", "description": why})
        await self.channel.end(1008, f"UNPARSABLE_CLIENT_MESSAGE: {why}")

    async def idle(self) -> NoReturn:
        await self.emit({"type": "Error", "code": "NET-0001", "description": NET_0001})
        await self.channel.end(1011, NET_0001)
