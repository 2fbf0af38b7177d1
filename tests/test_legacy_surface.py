"""Every module path and name of deepgram-sdk 2.x stays importable, with the same shapes."""

import importlib
import inspect

import pytest

import deepgram

# The importable names of every deepgram-sdk 2.12 module: the names each defined and the names it
# exposed by importing them (standard modules, typing names, helpers and type names included).
_REQUEST = ["_request"]
MODULE_NAMES = {
    "deepgram": ["Deepgram", "api_key_is_valid", "Options", "Keys", "Transcription", "Projects",
                 "Usage", "Billing", "Members", "Scopes", "Invitations", "Extra",
                 "DeepgramSetupError", "DeepgramApiError", "Union", "re"],
    "deepgram.transcription": [
        "PrerecordedTranscription", "SyncPrerecordedTranscription", "LiveTranscription",
        "Transcription", "Options", "PrerecordedOptions", "LiveOptions", "ToggleConfigOptions",
        "TranscriptionSource", "PrerecordedTranscriptionResponse", "LiveTranscriptionResponse",
        "Metadata", "EventHandler", "LiveTranscriptionEvent", "DeepgramApiError", "_request",
        "_sync_request", "_make_query_string", "_socket_connect", "json", "asyncio", "inspect",
        "Enum", "warn", "websockets"],
    "deepgram._enums": ["LiveTranscriptionEvent", "Caption"],
    "deepgram._utils": ["Payload", "RETRY_COUNT", "_prepare_headers", "_normalize_payload",
                        "_make_query_string", "_request", "_sync_request", "_socket_connect",
                        "DEFAULT_ENDPOINT", "__version__", "Options", "DeepgramApiError"],
    "deepgram._constants": ["DEFAULT_ENDPOINT"],
    "deepgram._version": ["__version__"],
    "deepgram.errors": ["DeepgramError", "DeepgramSetupError", "DeepgramApiError"],
    "deepgram.extra": ["Extra", "Caption", "PrerecordedTranscriptionResponse", "Options"],
    "deepgram.keys": ["Keys", "datetime", "Key", "KeyBundle", "KeyResponse", *_REQUEST],
    "deepgram.projects": ["Projects", "Project", "ProjectResponse", "UpdateResponse", *_REQUEST],
    "deepgram.usage": ["Usage", "_make_query_string", "UsageField", "UsageFieldOptions", "UsageOptions",
                       "UsageRequest", "UsageRequestList", "UsageRequestListOptions", "UsageResponse",
                       *_REQUEST],
    "deepgram.billing": ["Billing", "Balance", "BalanceResponse", *_REQUEST],
    "deepgram.members": ["Members", "Member", *_REQUEST],
    "deepgram.scopes": ["Scopes", "Scope", "UpdateResponse", *_REQUEST],
    "deepgram.invitations": ["Invitations", "Invitation", "InvitationResponse", *_REQUEST],
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
        "BalanceResponse", "Scope", "Invitation", "InvitationResponse", "datetime", "sys",
        "Any", "Awaitable", "Callable", "Dict", "List", "Literal", "Optional", "TypedDict", "Union"],
}
# 2.12's deepgram.__all__ held these (as objects, which broke `import *`); ours holds their names.
ALL_212 = ["Deepgram", "DeepgramSetupError", "DeepgramApiError"]


@pytest.mark.parametrize("module", sorted(MODULE_NAMES))
def test_every_legacy_name_is_importable(module):
    loaded = importlib.import_module(module)
    missing = [name for name in MODULE_NAMES[module] if not hasattr(loaded, name)]
    assert missing == []


def test_all_holds_strings_and_star_import_works():
    assert all(isinstance(name, str) for name in deepgram.__all__)
    assert set(ALL_212) <= set(deepgram.__all__)
    namespace = {}
    exec("from deepgram import *", namespace)
    assert {"Deepgram", "DeepgramError", "DeepgramSetupError", "DeepgramApiError"} <= set(namespace)


def test_star_import_of_transcription_gives_every_public_2x_name():
    namespace = {}
    exec("from deepgram.transcription import *", namespace)
    public = [name for name in MODULE_NAMES["deepgram.transcription"] if not name.startswith("_")]
    assert sorted(set(public) - set(namespace)) == []


def test_the_accidental_names_are_declared_in_one_table():
    from deepgram._compat import LEGACY

    # Every name the table serves resolves, and no module imports the helpers, type names and
    # standard modules itself (a typing name it annotates with is its own business).
    for module, names in LEGACY.items():
        loaded = importlib.import_module(module)
        for name, source in names.items():
            assert getattr(loaded, name) is not None, (module, name)
            if not source.startswith("typing:"):
                assert name not in vars(loaded), f"{module} imports {name} itself"


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
