"""The emulator's pre-recorded transcription: ``POST /v1/listen``, and the bundled samples it serves."""

import json
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional

from aiohttp import web

from . import _transcripts
from ._middleware import read_body
from ._rest import _bad
from ._server import REQUEST_ID, Plumbing
from ._sniff import is_audio
from ._state import Account, now_iso

SAMPLES_DIR = Path(__file__).with_name("samples")
BOOLEAN_PARAMS = frozenset(
    "punctuate smart_format diarize utterances paragraphs multichannel numerals measurements "
    "dictation filler_words profanity_filter detect_entities sentiment topics intents mip_opt_out "
    "detect_topics analyze_sentiment interim_results vad_events no_delay".split()
)
NUMBER_PARAMS = frozenset("utt_split alternatives".split())


def invalid_param(query: Mapping[str, str]) -> Optional[str]:
    """Why the transcription query is malformed, or None (booleans must be lowercase)."""
    for key, value in query.items():
        if key in BOOLEAN_PARAMS and value not in ("true", "false"):
            return f"Failed to deserialize query parameters: {key}: expected true or false, got {value!r}"
        if key in NUMBER_PARAMS:
            try:
                float(value)
            except ValueError:
                return f"Failed to deserialize query parameters: {key}: expected a number, got {value!r}"
    return None


def extra_metadata(values: List[str]) -> Dict[str, str]:
    """``metadata.extra``: each ``key:value`` option as a key (split at the first colon; a later
    duplicate key wins)."""
    return dict(value.split(":", 1) for value in values if ":" in value)


class PrerecordedApi:
    """Transcribes uploads and URLs, logging each request to the ``Account``."""

    def __init__(self, account: Account, plumbing: Plumbing) -> None:
        self.account = account
        self.plumbing = plumbing

    def routes(self) -> List[web.RouteDef]:
        return [
            web.post("/v1/listen", self.listen),
            web.get("/samples/{name}", self.sample),
        ]

    async def listen(self, request: web.Request) -> web.Response:
        """Transcribe the uploaded audio, or the audio a JSON body's ``url`` names."""
        problem = invalid_param(request.query)
        if problem:
            return _bad(request, problem)
        content_type = request.content_type
        head, size, sha = await read_body(request)
        if content_type == "application/json":
            source = _source_url(head)
            if source is None:
                return _bad(request, "Bad Request: the JSON body must be {\"url\": \"https://...\"}")
            sample = _transcripts.sample_for_url(source)
            if sample:
                sha, (duration, channels) = _transcripts.SAMPLES[sample][0], (_transcripts.SAMPLES[sample][2], 1)
            else:
                sha = _transcripts.sha256(source.encode())
                duration, channels = 5.0 + int(sha[:2], 16) % 25, 1
        elif not is_audio(head, request.query):
            # Deepgram's answer to an empty body, text, or headerless audio without ``encoding``.
            return _bad(request, "Bad Request: failed to process audio: corrupt or unsupported data")
        else:
            duration, channels = _transcripts.audio_info(head, size)
        request_id = request[REQUEST_ID]
        response = _transcripts.transcribe(sha, duration, channels, request.query, request_id, now_iso())
        extra = extra_metadata(request.query.getall("extra", []))
        if extra:  # Deepgram echoes ``extra=key:value`` options (a callback secret, say) in the result
            response["metadata"]["extra"] = extra
        self._log(request, response, 200)
        callback = request.query.get("callback")
        if callback:
            if not callback.startswith(("http://", "https://")):
                return _bad(request, "Bad Request: callback must be an http(s) URL")
            method = request.query.get("callback_method", "POST").upper()
            self.plumbing.spawn(self.plumbing.deliver_callback(method, callback, response,
                                                               self.plumbing.callback_repeats))
            return web.json_response({"request_id": request_id})
        return web.json_response(response)

    def _log(self, request: web.Request, response: Dict[str, Any], code: int) -> None:
        """Add the request to the account's request log (``/projects/{id}/requests``)."""
        metadata = response.get("metadata", {})
        self.account.log_request(None, {
            "request_id": request[REQUEST_ID], "project_uuid": self.account.PROJECT_ID,
            "created": metadata.get("created", now_iso()), "path": request.path_qs,
            "api_key_id": "emulator", "code": code, "deployment": "hosted",
            "response": {"duration": metadata.get("duration"), "channels": metadata.get("channels")},
            **({"callback": request.query["callback"]} if "callback" in request.query else {}),
        })

    async def sample(self, request: web.Request) -> web.StreamResponse:
        """Serve a bundled audio sample (a source for ``{"url": ...}`` requests)."""
        name = request.match_info["name"]
        if name not in _transcripts.SAMPLES:
            return _bad(request, f"No sample named {name}", 404)
        return web.FileResponse(SAMPLES_DIR / name)


def _source_url(body: bytes) -> Optional[str]:
    """The ``url`` of a ``{"url": ...}`` body, or None."""
    try:
        parsed = json.loads(body or b"null")
    except ValueError:
        return None
    url = parsed.get("url") if isinstance(parsed, dict) else None
    return url if isinstance(url, str) and url else None
