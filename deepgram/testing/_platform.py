"""The emulator's newer endpoints: tokens, models, speak, read, self-hosted, billing detail."""

import math
import struct
import time
import uuid
from typing import AbstractSet, Any, Dict, List, Optional

from aiohttp import web

from . import _transcripts
from ._rest import RestApi, _bad, _dates, _json_object
from ._server import REQUEST_ID
from ._state import now_iso

TTS_ENCODINGS = {"linear16": "audio/wav", "mulaw": "audio/basic", "alaw": "audio/basic", "mp3": "audio/mpeg",
                 "opus": "audio/ogg", "flac": "audio/flac", "aac": "audio/aac"}
USAGE_GROUPINGS: AbstractSet[str] = {"accessor", "endpoint", "feature_set", "models", "method", "tags", "deployment"}
BILLING_GROUPINGS: AbstractSet[str] = {"accessor", "deployment", "line_item", "tags"}
TTS_MODEL_UUID = "4b5c9d2e-6f7a-4b8c-9d0e-1f2a3b4c5d6e"
MODELS: Dict[str, List[Dict[str, Any]]] = {
    "stt": [{"name": "nova-3", "canonical_name": "nova-3-general", "architecture": "nova-3",
             "languages": ["en"], "version": "2025-01-01.0", "uuid": _transcripts.MODEL_UUID,
             "batch": True, "streaming": True, "formatted_output": True}],
    "tts": [{"name": "thalia", "canonical_name": "aura-2-thalia-en", "architecture": "aura-2",
             "languages": ["en"], "version": "2025-01-01.0", "uuid": TTS_MODEL_UUID,
             "metadata": {"accent": "American", "color": "#E2A17A", "image": "", "sample": "",
                          "tags": ["feminine"]}}],
}


def _tone(seconds: float, rate: int, encoding: str) -> bytes:
    """A deterministic 440 Hz tone: the emulator's stand-in for speech."""
    count = int(seconds * rate)
    if encoding == "linear16":
        return struct.pack(f"<{count}h", *(int(8000 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(count)))
    return bytes((128 + int(60 * math.sin(2 * math.pi * 440 * i / rate))) & 0xFF for i in range(count))


def _wav(pcm: bytes, rate: int) -> bytes:
    header = b"RIFF" + struct.pack("<I", 36 + len(pcm)) + b"WAVEfmt " + struct.pack(
        "<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
    return header + b"data" + struct.pack("<I", len(pcm)) + pcm


class PlatformApi:
    """Handlers over the same account as ``RestApi`` (whose helpers they share)."""

    def __init__(self, rest: RestApi) -> None:
        self.rest = rest
        self.account = rest.account
        self.plumbing = rest.plumbing

    def routes(self) -> List[web.RouteDef]:
        p = "/v1/projects/{project_id}"
        return [
            web.post("/v1/auth/grant", self.grant),
            web.get("/v1/models", self.list_models),
            web.get("/v1/models/{model_id}", self.get_model),
            web.get(p + "/models", self.list_models),
            web.get(p + "/models/{model_id}", self.get_model),
            web.post("/v1/speak", self.speak),
            web.post("/v2/speak", self.speak),
            web.post("/v1/read", self.read),
            web.get(p + "/usage/breakdown", self.usage_breakdown),
            web.get(p + "/billing/breakdown", self.billing_breakdown),
            web.get(p + "/billing/fields", self.billing_fields),
            web.get(p + "/purchases", self.purchases),
            web.get(p + "/self-hosted/distribution/credentials", self.list_credentials),
            web.post(p + "/self-hosted/distribution/credentials", self.create_credentials),
            web.get(p + "/self-hosted/distribution/credentials/{credentials_id}", self.get_credentials),
            web.delete(p + "/self-hosted/distribution/credentials/{credentials_id}", self.delete_credentials),
        ]

    # -- tokens and models ----------------------------------------------------------------

    async def grant(self, request: web.Request) -> web.Response:
        body = await _json_object(request) if request.body_exists else {}
        ttl = (body or {}).get("ttl_seconds", 30)
        if body is None or isinstance(ttl, bool) or not isinstance(ttl, (int, float)) or not 1 <= ttl <= 3600:
            return _bad(request, "Bad Request: ttl_seconds must be a number from 1 to 3600")
        token = "eyJhbGciOiJIUzI1NiJ9." + uuid.uuid4().hex + "." + uuid.uuid4().hex
        self.plumbing.tokens[token] = time.monotonic() + ttl * self.plumbing.time_scale
        return web.json_response({"access_token": token, "expires_in": ttl})

    async def list_models(self, request: web.Request) -> web.Response:
        if "project_id" in request.match_info:
            return self.rest._answer(request, lambda pid: self.account.project(pid) and MODELS)
        return web.json_response(MODELS)

    async def get_model(self, request: web.Request) -> web.Response:
        wanted = request.match_info["model_id"]
        model = _model(wanted)
        if model is None:
            return _bad(request, f"Model {wanted} not found", 404)
        if "project_id" in request.match_info:
            return self.rest._answer(request, lambda pid: self.account.project(pid) and model)
        return web.json_response(model)

    # -- speak and read -------------------------------------------------------------------

    async def speak(self, request: web.Request) -> web.StreamResponse:
        body = await _json_object(request)
        text = (body or {}).get("text")
        if not isinstance(text, str) or not text.strip():
            return _bad(request, "Bad Request: the body must be {\"text\": \"...\"}")
        if len(text) > 2000:
            return _bad(request, "Bad Request: text is longer than 2000 characters")
        query = request.query
        v2 = request.path.startswith("/v2/")
        if v2 and not query.get("model"):
            return _bad(request, "Bad Request: model is required")
        encoding = query.get("encoding", "mp3")
        if encoding not in TTS_ENCODINGS:
            return _bad(request, f"Bad Request: unsupported encoding {encoding!r}")
        rid = request[REQUEST_ID]
        if query.get("callback"):
            return web.json_response({"request_id": rid})
        rate = int(query.get("sample_rate") or 24000)
        seconds = max(0.3, 0.06 * len(text))
        if encoding in ("linear16", "mulaw", "alaw"):
            audio = _tone(seconds, rate, encoding)
            if encoding == "linear16" and query.get("container", "wav") == "wav":
                audio = _wav(audio, rate)
        else:  # compressed formats: deterministic placeholder bytes of a plausible size
            audio = (_transcripts.sha256(text.encode()).encode() * 1000)[: int(seconds * 6000)]
        headers = {"dg-model-name": query.get("model", "aura-asteria-en"), "dg-model-uuid": TTS_MODEL_UUID,
                   "dg-char-count": str(len(text)), "Content-Type": TTS_ENCODINGS[encoding]}
        return web.Response(body=audio, headers=headers)

    async def read(self, request: web.Request) -> web.Response:
        body = await _json_object(request) or {}
        sources = [k for k in ("text", "url") if isinstance(body.get(k), str) and body[k]]
        if len(sources) != 1:
            return _bad(request, "Bad Request: the body must be {\"text\": ...} or {\"url\": ...}")
        if request.query.get("language", "en") != "en":
            return _bad(request, "Bad Request: only English (en) is supported")
        text = body.get("text") or "The quick brown fox jumps over the lazy dog."
        first = text.split(".")[0].strip()
        results: Dict[str, Any] = {}
        query = request.query
        if query.get("summarize") in ("true", "v2"):
            results["summary"] = {"text": first + "." if first else ""}
        segment = {"text": text, "start_word": 0, "end_word": len(text.split())}
        if query.get("topics") == "true":
            results["topics"] = {"segments": [{**segment, "topics": [{"topic": "Animals", "confidence_score": 0.9}]}]}
        if query.get("intents") == "true":
            intent = {"intent": "Describe a scene", "confidence_score": 0.8}
            results["intents"] = {"segments": [{**segment, "intents": [intent]}]}
        if query.get("sentiment") == "true":
            results["sentiments"] = {"segments": [{**segment, "sentiment": "neutral", "sentiment_score": 0.0}],
                                     "average": {"sentiment": "neutral", "sentiment_score": 0.0}}
        metadata = {"request_id": request[REQUEST_ID], "created": now_iso(), "language": "en"}
        return web.json_response({"metadata": metadata, "results": results})

    # -- usage and billing detail ------------------------------------------------------------

    def _grouping(self, request: web.Request, allowed: AbstractSet[str]) -> Optional[List[str]]:
        """The query's ``grouping`` values; None if one is not ``allowed``."""
        grouping = request.query.getall("grouping", [])
        return None if any(g not in allowed for g in grouping) else grouping

    async def usage_breakdown(self, request: web.Request) -> web.Response:
        grouping = self._grouping(request, USAGE_GROUPINGS)
        if grouping is None:
            return _bad(request, f"Bad Request: grouping must be among {sorted(USAGE_GROUPINGS)}")
        start, end = _dates(request)

        def breakdown(pid: str) -> Dict[str, Any]:
            entries = self.account.requests(pid)
            hours = round(sum((e["response"].get("duration") or 0) for e in entries) / 3600, 6)
            result = {"hours": hours, "total_hours": hours, "agent_hours": 0.0, "tokens_in": 0,
                      "tokens_out": 0, "tts_characters": 0, "requests": len(entries),
                      "grouping": {g: None for g in grouping}}
            return {"start": start, "end": end, "resolution": {"units": "day", "amount": 1}, "results": [result]}

        return self.rest._answer(request, breakdown)

    async def billing_breakdown(self, request: web.Request) -> web.Response:
        grouping = self._grouping(request, BILLING_GROUPINGS)
        if grouping is None:
            return _bad(request, f"Bad Request: grouping must be among {sorted(BILLING_GROUPINGS)}")
        start, end = _dates(request)
        return self.rest._answer(request, lambda pid: self.account.project(pid) and {
            "start": start, "end": end, "resolution": {"units": "day", "amount": 1},
            "results": [{"dollars": 0.25, "grouping": {g: None for g in grouping}}]})

    async def billing_fields(self, request: web.Request) -> web.Response:
        return self.rest._answer(request, lambda pid: self.account.project(pid) and {
            "accessors": [self.account.KEY_ID], "deployments": ["hosted"], "tags": [],
            "line_items": {"streaming::nova-3": "Nova-3 streaming"}})

    async def purchases(self, request: web.Request) -> web.Response:
        order = {"order_id": str(uuid.uuid5(uuid.NAMESPACE_URL, "deepgram-emulator/order")),
                 "expiration": "2030-01-01T00:00:00Z", "created": "2024-01-01T00:00:00Z",
                 "amount": 200.0, "units": "usd", "order_type": "promotional"}
        return self.rest._answer(request, lambda pid: self.account.project(pid) and {"orders": [order]})

    # -- self-hosted credentials ------------------------------------------------------------

    def _member(self, pid: str) -> Dict[str, Any]:
        owner = self.account.owner(pid)
        return {"member_id": owner.get("member_id"), "email": owner.get("email")}

    async def list_credentials(self, request: web.Request) -> web.Response:
        return self.rest._answer(request, lambda pid: {"distribution_credentials": [
            {"member": self._member(pid), "distribution_credentials": c}
            for c in self.account.project(pid).setdefault("credentials", {}).values()]})

    async def create_credentials(self, request: web.Request) -> web.Response:
        body = await _json_object(request) if request.body_exists else {}
        provider = request.query.get("provider", "quay")
        if body is None or provider != "quay":
            return _bad(request, "Bad Request: provider must be 'quay' and the body a JSON object")

        def create(pid: str) -> Dict[str, Any]:
            record = {"distribution_credentials_id": str(uuid.uuid4()), "provider": provider,
                      "comment": (body or {}).get("comment"), "scopes": request.query.getall("scopes", []),
                      "created": now_iso()}
            self.account.project(pid).setdefault("credentials", {})[record["distribution_credentials_id"]] = record
            return {"member": self._member(pid), "distribution_credentials": record}

        return self.rest._answer(request, create)

    async def get_credentials(self, request: web.Request) -> web.Response:
        return self.rest._answer(request, lambda pid: {"member": self._member(pid), "distribution_credentials":
                                                       self._credentials(pid, request)})

    async def delete_credentials(self, request: web.Request) -> web.Response:
        def delete(pid: str) -> Dict[str, Any]:
            record = self._credentials(pid, request)
            del self.account.project(pid)["credentials"][record["distribution_credentials_id"]]
            return {"member": self._member(pid), "distribution_credentials": record}

        return self.rest._answer(request, delete)

    def _credentials(self, pid: str, request: web.Request) -> Dict[str, Any]:
        self.account.project(pid).setdefault("credentials", {})
        return self.account.item(pid, "credentials", request.match_info["credentials_id"])


def _model(wanted: str) -> Optional[Dict[str, Any]]:
    """The model whose uuid or name is ``wanted``, or None."""
    found = (m for m in MODELS["stt"] + MODELS["tts"] if wanted in (m["uuid"], m["canonical_name"], m["name"]))
    return next(found, None)
