"""Errors on both transports: HTTP errors raise (never None), faults, timeouts, API warnings."""

import asyncio
import socket
import uuid
import warnings

import pytest

from deepgram import (
    Deepgram,
    DeepgramApiError,
    DeepgramConnectionError,
    DeepgramError,
    DeepgramTimeoutError,
    DeepgramWarning,
)

RID = "22222222-2222-4222-8222-222222222222"
modes = pytest.mark.parametrize("mode", ["async", "sync"])


@pytest.fixture
def dg(fake):
    """A client that does not retry: these tests look at how each answer is reported."""
    return Deepgram({"api_key": fake.api_key, "api_url": fake.url, "max_retries": 0})


from _support import call  # noqa: E402


def list_projects(client):
    return client.projects.list()


@modes
def test_a_json_error_raises_with_the_legacy_attributes(fake, dg, mode):
    fake.script("GET", "/projects", status=400,
                json={"err_code": "Bad Request", "err_msg": "bad thing", "request_id": RID})
    with pytest.raises(DeepgramApiError) as caught:
        call(dg, mode, list_projects)
    error = caught.value
    assert error.error == "bad thing"
    assert error.err_code == "Bad Request"
    assert error.request_id == uuid.UUID(RID)
    assert error.http_error_status == error.status == 400
    assert error.body == {"err_code": "Bad Request", "err_msg": "bad thing", "request_id": RID}
    assert error.headers["dg-request-id"]
    assert error.warnings is None
    assert str(error) == f"Request `{RID}` returned 400: bad thing"
    assert isinstance(error, DeepgramError) and not isinstance(error, DeepgramConnectionError)


@modes
def test_a_modern_error_body_is_understood(fake, dg, mode):
    fake.script("GET", "/projects", status=403,
                json={"category": "FORBIDDEN", "message": "no access", "details": "x", "request_id": RID})
    with pytest.raises(DeepgramApiError, match="returned 403: no access") as caught:
        call(dg, mode, list_projects)
    assert caught.value.err_code == "FORBIDDEN"


@modes
def test_unauthorised_requests_raise_401(fake, mode):
    dg = Deepgram({"api_key": "wrong-key", "api_url": fake.url})
    with pytest.raises(DeepgramApiError) as caught:
        call(dg, mode, list_projects)
    assert caught.value.status == 401
    assert caught.value.err_code == "INVALID_AUTH"
    assert "wrong-key" not in str(caught.value) + repr(caught.value)


@modes
def test_an_html_page_from_a_proxy_raises_a_clear_error(fake, dg, mode):
    fake.script("GET", "/projects", status=502, headers={"Content-Type": "text/html"},
                body="<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>")
    with pytest.raises(DeepgramApiError, match="502: an HTML page \\(502 Bad Gateway\\)") as caught:
        call(dg, mode, list_projects)
    assert caught.value.status == 502


@modes
def test_a_plain_text_error_keeps_its_text(fake, dg, mode):
    fake.script("GET", "/projects", status=500, body="upstream exploded")
    with pytest.raises(DeepgramApiError, match="upstream exploded"):
        call(dg, mode, list_projects)


@modes
def test_a_success_carrying_err_msg_raises(fake, dg, mode):
    fake.script("GET", "/projects", status=200, json={"err_msg": "soft failure", "request_id": RID})
    with pytest.raises(DeepgramApiError, match="soft failure"):
        call(dg, mode, list_projects)


@modes
def test_a_success_that_is_not_json_raises(fake, dg, mode):
    fake.script("GET", "/projects", status=200, body="<html>captive portal</html>")
    with pytest.raises(DeepgramApiError, match="not JSON") as caught:
        call(dg, mode, list_projects)
    assert caught.value.status == 200


@pytest.mark.parametrize("body, parsed", [
    (b'{"a": 1}', {"a": 1}),
    (b' \n{"a": 1}\r\n', {"a": 1}),
    (b'{"a": 1}\n', {"a": 1}),
    (b'\x0c{"a": 1}\x0b', {"a": 1}),  # ASCII whitespace JSON does not allow is stripped too, as before
    ('{"a": "\u00e9"}'.encode("utf-8"), {"a": "\u00e9"}),
    ('\ufeff{"a": "\u00e9"}'.encode("utf-8"), {"a": "\u00e9"}),  # a UTF-8 byte order mark
    ('{"a": "\u00e9"}'.encode("utf-16"), {"a": "\u00e9"}),
    ('{"a": "\u00e9"}'.encode("utf-16-le"), {"a": "\u00e9"}),
    ('{"a": "\u00e9"}'.encode("utf-32-be"), {"a": "\u00e9"}),
    (b"[1, 2]", [1, 2]),
    (b" \t\n", None),
])
def test_a_success_body_is_parsed_in_any_encoding_json_allows(body, parsed):
    from deepgram._config import parse_options
    from deepgram._wire import parse_response

    _, config = parse_options({"api_key": "k"})
    result = parse_response(config, 200, {"dg-request-id": RID}, body)
    assert result == parsed
    if isinstance(parsed, dict):
        assert result.status == 200 and result.request_id == RID


@pytest.mark.parametrize("body", [b'{"a": 1} and more', b'{"a": 1}{"b": 2}', b'{"a": ', b"\xff\xfe\x00{",
                                  b'{"a": 1}\xc2\xa0', b'{"a": 1}\x1f'])  # not whitespace to JSON or to 2.x
def test_a_success_body_with_anything_but_one_json_value_raises(body):
    from deepgram._config import parse_options
    from deepgram._wire import parse_response

    _, config = parse_options({"api_key": "k"})
    with pytest.raises(DeepgramApiError, match="not JSON") as caught:
        parse_response(config, 200, {}, body)
    assert caught.value.status == 200


def test_a_response_made_by_hand_has_the_defaults_and_keeps_what_is_set():
    """The result's attributes live in slots; one made directly still reads as in 2.x."""
    import copy
    import pickle

    from deepgram.types import DeepgramResponse

    made = DeepgramResponse({"a": 1})
    assert (made.status, made.headers, made.request_id) == (None, {}, None)
    with pytest.raises(AttributeError, match="no_such"):
        made.no_such  # noqa: B018
    made.status, made.request_id, made.note = 200, RID, "mine"
    for twin in (pickle.loads(pickle.dumps(made)), copy.copy(made), copy.deepcopy(made)):
        assert twin == {"a": 1} and twin.status == 200 and twin.request_id == RID and twin.note == "mine"


@pytest.mark.parametrize("body, request_id", [
    (b'{"request_id": "top", "metadata": {"request_id": "meta"}}', "top"),
    (b'{"metadata": {"request_id": "meta"}}', "meta"),
    (b'{"metadata": ["not", "a", "dict"]}', RID),
    (b'{"projects": []}', RID),
])
def test_the_request_id_comes_from_the_body_first_then_the_header(body, request_id):
    from deepgram._config import parse_options
    from deepgram._wire import parse_response

    _, config = parse_options({"api_key": "k"})
    assert parse_response(config, 200, {"dg-request-id": RID}, body).request_id == request_id


@modes
def test_an_empty_success_returns_none(fake, dg, mode):
    fake.script("DELETE", "/projects/*", status=200, body="")
    assert call(dg, mode, lambda c: c.projects.delete("p1")) is None


@modes
def test_a_missing_project_is_a_404_error(fake, dg, mode):
    with pytest.raises(DeepgramApiError) as caught:
        call(dg, mode, lambda c: c.projects.get("no-such-project"))
    assert caught.value.status == 404
    assert "not found" in caught.value.error


@modes
def test_refused_connections_raise_a_connection_error(mode):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    dg = Deepgram({"api_key": "k", "api_url": f"http://127.0.0.1:{port}/v1", "max_retries": 0})
    with pytest.raises(DeepgramConnectionError) as caught:
        call(dg, mode, list_projects)
    assert caught.value.http_library_error is not None
    assert caught.value.status is None


@modes
def test_a_reset_connection_raises_a_connection_error(fake, dg, mode):
    fake.script("GET", "/projects", fault="reset", times=None)
    with pytest.raises(DeepgramConnectionError):
        call(dg, mode, list_projects)


@modes
def test_a_stalled_response_times_out_with_the_read_phase(fake, mode):
    fake.script("GET", "/projects", fault="stall")
    dg = Deepgram({"api_key": fake.api_key, "api_url": fake.url, "timeout": {"read": 0.5}, "max_retries": 0})
    with pytest.raises(DeepgramTimeoutError) as caught:  # the stall never ends: only the timeout can
        call(dg, mode, list_projects)
    assert caught.value.phase == "read"
    assert isinstance(caught.value, TimeoutError) and isinstance(caught.value, asyncio.TimeoutError)
    assert isinstance(caught.value, DeepgramApiError)


@modes
def test_the_legacy_per_call_timeout_bounds_a_transcription(fake, dg, mode):
    fake.script("POST", "/listen", fault="stall")
    with pytest.raises(DeepgramTimeoutError, match="timed out"):  # the stall never ends: only the timeout can
        if mode == "async":
            asyncio.run(dg.transcription.prerecorded({"url": "https://e.com/a.wav"}, timeout=0.5))
        else:
            dg.transcription.sync_prerecorded({"url": "https://e.com/a.wav"}, timeout=0.5)


WARNED = {"metadata": {"request_id": RID, "warnings": [
    {"parameter": "language", "type": "unsupported_language", "message": "language xx is not supported"}]},
    "results": {"channels": []}}


@modes
def test_api_warnings_are_warned_at_the_callers_line(fake, dg, mode):
    fake.script("POST", "/listen", json=WARNED)
    source = {"url": "https://e.com/a.wav"}
    with pytest.warns(DeepgramWarning, match="language xx is not supported") as caught:
        if mode == "async":
            result = asyncio.run(dg.transcription.prerecorded(source))
        else:
            result = dg.sync.transcription.prerecorded(source)
    assert result["metadata"]["request_id"] == RID
    assert caught[0].filename == __file__


@modes
def test_suppress_warnings_silences_them(fake, mode):
    fake.script("POST", "/listen", json=WARNED)
    dg = Deepgram({"api_key": fake.api_key, "api_url": fake.url, "suppress_warnings": True, "max_retries": 0})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        call(dg, mode, lambda c: c.transcription.prerecorded({"url": "https://e.com/a.wav"}))


@modes
def test_raise_warnings_as_errors_fills_warnings(fake, mode):
    fake.script("POST", "/listen", json=WARNED)
    dg = Deepgram({"api_key": fake.api_key, "api_url": fake.url, "raise_warnings_as_errors": True, "max_retries": 0})
    with pytest.raises(DeepgramApiError) as caught:
        call(dg, mode, lambda c: c.transcription.prerecorded({"url": "https://e.com/a.wav"}))
    assert caught.value.warnings == WARNED["metadata"]["warnings"]
    assert caught.value.error == "language xx is not supported"
    assert caught.value.request_id == uuid.UUID(RID)


def test_errors_construct_from_anything_without_crashing():
    assert str(DeepgramApiError()) == "Deepgram API error"
    assert DeepgramApiError({"metadata": {"request_id": "not-a-uuid"}, "err_msg": "x"}).request_id == "not-a-uuid"
    assert DeepgramApiError({"error": "e", "reason": "r"}).error == "e"
    assert DeepgramApiError(ValueError("boom")).error == "boom"


@modes
def test_a_callback_secret_never_shows_in_the_library_error(fake, dg, mode):
    fake.script("POST", "/listen", status=400, json={"err_code": "Bad Request", "err_msg": "no"})
    options = {"callback": "https://me:pw@example.com/cb", "extra": "callback_secret:s3cret-value"}
    with pytest.raises(DeepgramApiError) as caught:
        call(dg, mode, lambda c: c.transcription.prerecorded({"url": "https://example.com/a.wav"}, options))
    shown = f"{caught.value} {caught.value!r} {caught.value.http_library_error} {caught.value.http_library_error!r}"
    assert "s3cret-value" not in shown and ":pw@" not in shown
    assert "callback_secret" in str(getattr(caught.value.http_library_error, "url", "")) + \
        str(getattr(caught.value.http_library_error, "request_info", ""))
