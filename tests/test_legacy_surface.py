"""Every module path and name of deepgram-sdk 2.x stays importable, with the same shapes."""

import importlib
import inspect

import pytest

import deepgram

MODULE_NAMES = {
    "deepgram": ["Deepgram", "api_key_is_valid", "Options", "Keys", "Transcription", "Projects",
                 "Usage", "Billing", "Members", "Scopes", "Invitations", "Extra",
                 "DeepgramSetupError", "DeepgramApiError", "DeepgramError", "Union", "re"],
    "deepgram.transcription": [
        "PrerecordedTranscription", "SyncPrerecordedTranscription", "LiveTranscription",
        "Transcription", "Options", "PrerecordedOptions", "LiveOptions", "ToggleConfigOptions",
        "TranscriptionSource", "PrerecordedTranscriptionResponse", "LiveTranscriptionResponse",
        "Metadata", "EventHandler", "LiveTranscriptionEvent", "DeepgramApiError", "_request",
        "_sync_request", "_make_query_string", "_socket_connect", "json", "asyncio", "inspect",
        "Enum", "warn", "websockets"],
    "deepgram._enums": ["LiveTranscriptionEvent", "Caption"],
    "deepgram._utils": ["Payload", "RETRY_COUNT", "_prepare_headers", "_normalize_payload",
                        "_make_query_string", "_request", "_sync_request", "DEFAULT_ENDPOINT",
                        "__version__", "Options", "DeepgramApiError"],
    "deepgram._constants": ["DEFAULT_ENDPOINT"],
    "deepgram._version": ["__version__"],
    "deepgram.errors": ["DeepgramError", "DeepgramSetupError", "DeepgramApiError"],
    "deepgram.extra": ["Extra", "Caption", "PrerecordedTranscriptionResponse", "Options"],
    "deepgram.keys": ["Keys", "datetime"],
    "deepgram.projects": ["Projects"],
    "deepgram.usage": ["Usage", "_make_query_string"],
    "deepgram.billing": ["Billing"],
    "deepgram.members": ["Members"],
    "deepgram.scopes": ["Scopes"],
    "deepgram.invitations": ["Invitations"],
    "deepgram._types": [
        "UpdateResponse", "Options", "UrlSource", "BufferSource", "TranscriptionSource",
        "BoostedKeyword", "Keyword", "TranscriptionOptions", "PrerecordedOptions", "LiveOptions",
        "ToggleConfigOptions", "WordBase", "Hit", "Search", "Translation", "Alternative", "Summary",
        "Entity", "Sentence", "Paragraph", "ParagraphGroup", "Topic", "Channel", "Utterance",
        "Warning", "SummaryV2", "Metadata", "TranscriptionResults", "PrerecordedTranscriptionResponse",
        "StreamingMetadata", "LiveTranscriptionResponse", "EventHandler", "Key", "Member",
        "KeyBundle", "KeyResponse", "Project", "ProjectResponse", "UsageRequestListOptions",
        "UsageRequestDetails", "UsageRequestDetail", "UsageRequestMessage", "UsageCallback",
        "UsageRequest", "UsageRequestList", "UsageOptions", "UsageResponseDetail",
        "UsageResponseResolution", "UsageResponse", "UsageFieldOptions", "UsageField", "Balance",
        "BalanceResponse", "Scope", "Invitation", "InvitationResponse", "datetime", "sys"],
}


@pytest.mark.parametrize("module", sorted(MODULE_NAMES))
def test_every_legacy_name_is_importable(module):
    loaded = importlib.import_module(module)
    missing = [name for name in MODULE_NAMES[module] if not hasattr(loaded, name)]
    assert missing == []


def test_all_holds_strings_and_star_import_works():
    assert all(isinstance(name, str) for name in deepgram.__all__)
    namespace = {}
    exec("from deepgram import *", namespace)
    assert {"Deepgram", "DeepgramError", "DeepgramSetupError", "DeepgramApiError"} <= set(namespace)


def test_star_import_of_transcription_works():
    namespace = {}
    exec("from deepgram.transcription import *", namespace)
    assert {"PrerecordedTranscription", "LiveTranscription", "LiveTranscriptionEvent",
            "asyncio", "json", "websockets"} <= set(namespace)


def test_the_error_tree():
    from deepgram.errors import DeepgramApiError, DeepgramError, DeepgramSetupError

    assert issubclass(DeepgramSetupError, (DeepgramError, ValueError))
    assert issubclass(DeepgramApiError, DeepgramError)
    assert deepgram.DeepgramError is DeepgramError


def test_enums_keep_their_values():
    from deepgram._enums import Caption, LiveTranscriptionEvent

    assert [(e.name, e.value) for e in LiveTranscriptionEvent][:4] == [
        ("OPEN", "open"), ("CLOSE", "close"), ("TRANSCRIPT_RECEIVED", "transcript_received"), ("ERROR", "error")]
    assert (Caption.SRT.value, Caption.WEBVTT.value) == ("srt", "webvtt")


def test_each_property_builds_a_fresh_helper_sharing_the_options():
    dg = deepgram.Deepgram("key")
    for name in ("keys", "transcription", "projects", "usage", "billing", "members", "scopes",
                 "invitations", "extra"):
        first, second = getattr(dg, name), getattr(dg, name)
        assert first is not second
        assert first.options is dg.options


def test_helpers_are_constructible_from_options_alone(fake):
    options = {"api_key": fake.api_key, "api_url": fake.url}
    assert deepgram.Projects(options)._root == "/projects"
    assert deepgram.Transcription(options)._root == "/listen"

    import asyncio

    assert "projects" in asyncio.run(deepgram.Projects(options).list())


@pytest.mark.parametrize("cls, method, params", [
    ("Transcription", "prerecorded", ["source", "options", "endpoint", "timeout", "kwargs"]),
    ("Transcription", "sync_prerecorded", ["source", "options", "endpoint", "timeout", "kwargs"]),
    ("Keys", "create", ["project_id", "comment", "scopes", "tags", "expiration_date", "time_to_live_in_seconds"]),
    ("Usage", "list_requests", ["project_id", "options", "kwargs"]),
    ("Usage", "get_fields", ["project_id", "options", "kwargs"]),
    ("Scopes", "update_scope", ["project_id", "member_id", "scope"]),
    ("Invitations", "send_invitation", ["project_id", "option", "fields"]),
])
def test_positional_order_matches_2x(cls, method, params):
    signature = inspect.signature(getattr(getattr(deepgram, cls), method))
    assert list(signature.parameters)[1:] == params


def test_legacy_private_helpers_behave(fake):
    from deepgram._utils import _normalize_payload, _prepare_headers, _sync_request

    headers = _prepare_headers({"api_key": "k"}, {"X-Extra": "1"})
    assert headers["Authorization"] == "Token k" and headers["X-Extra"] == "1"
    assert headers["User-Agent"].startswith("deepgram/")
    assert _normalize_payload({"a": 1}) == b'{"a": 1}'
    assert _normalize_payload("x") == b"x"
    options = {"api_key": fake.api_key, "api_url": fake.url}
    assert "projects" in _sync_request("/projects", options)
    assert fake.last_request.path == "/v1/projects"


def test_import_is_lazy_about_heavy_libraries():
    import subprocess
    import sys

    code = "import sys, deepgram; print(sorted(m for m in ('aiohttp','requests','websockets') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
