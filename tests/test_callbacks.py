"""Receiving Deepgram's callbacks (deepgram.callbacks): checks, parsing, de-duplication, the
framework adapters, and the emulator's side (Basic-Auth from the URL, metadata.extra, repeats)."""

import asyncio
import base64
import io
import json
import threading
from typing import Any, Dict, List, Optional
from urllib.parse import unquote, urlsplit

import pytest

from deepgram import DeepgramError, DeepgramSetupError
from deepgram._wire import DeepgramResponse
from deepgram.callbacks import (
    CallbackReceiver,
    CallbackRejected,
    aiohttp_handler,
    asgi_app,
    callback_options,
    callback_url,
    receive_request,
    wsgi_app,
)
from deepgram.testing import sample_path

USER = "deepgram"
PASSWORD = "pa55:w@rd/ö"  # a colon, an at sign, a slash and a non-ASCII letter: all must survive
SECRET = "s3cret-9f8e7d6c5b4a"
FOX = "The quick brown fox jumps over the lazy dog. Deepgram turns speech into text."


def basic(user: str = USER, password: str = PASSWORD) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def body(request_id: str = "req-1", extra: Any = None, **fields: Any) -> bytes:
    metadata: Dict[str, Any] = {"request_id": request_id}
    if extra is not None:
        metadata["extra"] = extra
    return json.dumps({"metadata": metadata, "results": {"channels": []}, **fields}).encode()


def with_secret(request_id: str = "req-1", secret: str = SECRET) -> bytes:
    return body(request_id, {"callback_secret": secret})


def rejection(receiver: CallbackReceiver, data: Any, headers: Any) -> CallbackRejected:
    with pytest.raises(CallbackRejected) as caught:
        receiver.receive(data, headers)
    return caught.value


# -- settings -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs, says", [
    ({}, "username= and password="),
    ({"dedupe": False}, "and/or secret="),
    ({"username": USER}, "both username and password"),
    ({"password": PASSWORD, "secret": SECRET}, "both username and password"),
    ({"secret": ""}, "secret must be a non-empty string"),
    ({"secret": "a\nb"}, "control character"),
    ({"secret": "x" * 2100}, "shorter"),
    ({"username": "a:b", "password": PASSWORD}, "must not contain ':'"),
    ({"username": USER, "password": 1234}, "password must be a non-empty string, not int"),
    ({"secret": SECRET, "max_remembered": 0}, "max_remembered must be a positive int"),
])
def test_a_receiver_needs_credentials_to_check_and_says_how_to_fix_bad_ones(kwargs, says):
    with pytest.raises(DeepgramSetupError, match=says.replace("(", r"\(")):
        CallbackReceiver(**kwargs)


# -- Basic auth -----------------------------------------------------------------------------------


def test_basic_auth_is_accepted_with_the_right_credentials_in_any_header_case():
    receiver = CallbackReceiver(username=USER, password=PASSWORD)
    first = receiver.receive(body("a"), {"Authorization": basic()})
    second = receiver.receive(body("b"), {"AUTHORIZATION": basic()})
    assert first is not None and first.request_id == "a" and second is not None and second.request_id == "b"


def test_latin1_encoded_basic_credentials_are_accepted_too():
    # aiohttp's default BasicAuth encoding; RFC 7617 advises UTF-8 (what the emulator sends)
    receiver = CallbackReceiver(username=USER, password=PASSWORD)
    token = base64.b64encode(f"{USER}:{PASSWORD}".encode("latin-1")).decode()
    assert receiver.receive(body(), {"Authorization": "Basic " + token}) is not None


@pytest.mark.parametrize("headers, says", [
    ({}, "no Authorization header"),
    ({"Content-Type": "application/json"}, "no Authorization header"),
    ({"Authorization": basic(password="wrong")}, "credentials are wrong"),
    ({"Authorization": basic(password=PASSWORD + "x")}, "credentials are wrong"),
    ({"Authorization": basic(user="someone")}, "credentials are wrong"),
    ({"Authorization": "Token " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()}, "not Basic"),
    ({"Authorization": "Basic"}, "not Basic"),
    ({"Authorization": "Basic not*base64!"}, "not valid base64"),
    ({"Authorization": "Basic ünïcode"}, "not valid base64"),
])
def test_basic_auth_rejects_missing_wrong_and_malformed_credentials_with_401(headers, says):
    receiver = CallbackReceiver(username=USER, password=PASSWORD)
    rejected = rejection(receiver, body(), headers)
    assert rejected.status == 401 and says in str(rejected)
    assert isinstance(rejected, DeepgramError)


def test_two_authorization_headers_are_rejected():
    from multidict import CIMultiDict

    receiver = CallbackReceiver(username=USER, password=PASSWORD)
    headers = CIMultiDict([("Authorization", basic()), ("authorization", basic(password="other"))])
    assert rejection(receiver, body(), headers).status == 401
    assert receiver.receive(body(), CIMultiDict([("Authorization", basic())])) is not None


# -- the secret in metadata.extra -----------------------------------------------------------------


@pytest.mark.parametrize("extra", [
    {"callback_secret": SECRET},                          # what Deepgram documents (and the emulator sends)
    {"team": "a", "callback_secret": SECRET},
    ["team:a", f"callback_secret:{SECRET}"],              # a list of key:value strings
    f"callback_secret:{SECRET}",                          # one key:value string
    {"callback_secret": ["other", SECRET]},               # the key sent twice
])
def test_the_secret_is_accepted_in_each_shape_of_metadata_extra(extra):
    receiver = CallbackReceiver(secret=SECRET)
    result = receiver.receive(body("r", extra), {})
    assert result is not None and result["metadata"]["extra"] == extra


@pytest.mark.parametrize("extra, says", [
    (None, "no callback_secret"),
    ({}, "no callback_secret"),
    ({"team": "a"}, "no callback_secret"),
    (["team:a"], "no callback_secret"),
    ("callback_secret", "no callback_secret"),
    ({"callback_secret": 12345}, "no callback_secret"),
    ({"callback_secret": SECRET + "x"}, "is wrong"),
    ({"callback_secret": SECRET[:-1]}, "is wrong"),
    ({"callback_secret": ""}, "is wrong"),
    (["callback_secret:nope"], "is wrong"),
    ({"Callback_Secret": SECRET}, "no callback_secret"),
])
def test_a_missing_or_wrong_secret_is_rejected_with_401(extra, says):
    receiver = CallbackReceiver(secret=SECRET)
    rejected = rejection(receiver, body("r", extra), {})
    assert rejected.status == 401 and says in rejected.message


def test_a_body_without_metadata_is_rejected_when_a_secret_is_expected():
    receiver = CallbackReceiver(secret=SECRET)
    assert rejection(receiver, b'{"results": {}}', {}).status == 401
    assert rejection(receiver, b'{"metadata": "callback_secret:x"}', {}).status == 401


def test_when_both_checks_are_configured_both_must_pass():
    receiver = CallbackReceiver(username=USER, password=PASSWORD, secret=SECRET)
    assert rejection(receiver, with_secret("a"), {}).status == 401                        # no credentials
    assert rejection(receiver, body("a"), {"Authorization": basic()}).status == 401      # no secret
    assert rejection(receiver, with_secret("a", "wrong"), {"Authorization": basic()}).status == 401
    assert rejection(receiver, with_secret("a"), {"Authorization": basic(password="x")}).status == 401
    result = receiver.receive(with_secret("a"), {"Authorization": basic()})
    assert result is not None and result.request_id == "a"


# -- the body -------------------------------------------------------------------------------------


@pytest.mark.parametrize("data, says", [
    (b"", "not JSON"),
    (b"not json", "not JSON"),
    (b"\xff\xfe\x00garbage", "not JSON"),
    ("{'single': 'quotes'}", "not JSON"),
    (b"[1, 2]", "JSON list, not an object"),
    (b'"text"', "JSON str, not an object"),
    (b"null", "JSON NoneType, not an object"),
    (b"[" * 100000, "not JSON"),
])
def test_a_body_that_is_not_a_json_object_is_rejected_with_400(data, says):
    receiver = CallbackReceiver(secret=SECRET)
    rejected = rejection(receiver, data, {})
    assert rejected.status == 400 and says in rejected.message


def test_credentials_are_checked_before_the_body_is_parsed():
    receiver = CallbackReceiver(username=USER, password=PASSWORD)
    assert rejection(receiver, b"not json", {}).status == 401
    assert rejection(receiver, b"not json", {"Authorization": basic()}).status == 400


def test_the_body_may_be_bytes_str_bytearray_or_an_already_parsed_dict():
    receiver = CallbackReceiver(secret=SECRET, dedupe=False)
    data = with_secret("x")
    for given in (data, data.decode(), bytearray(data), memoryview(data), json.loads(data)):
        result = receiver.receive(given, {})
        assert result == json.loads(data), type(given)
    with pytest.raises(DeepgramSetupError, match="body must be"):
        receiver.receive(12, {})  # type: ignore[arg-type]
    with pytest.raises(DeepgramSetupError, match="headers must be a mapping"):
        receiver.receive(data, None)  # type: ignore[arg-type]


def test_the_result_is_a_deepgram_response_with_status_headers_and_request_id():
    receiver = CallbackReceiver(username=USER, password=PASSWORD, secret=SECRET)
    headers = {"Authorization": basic(), "Content-Type": "application/json", "dg-request-id": "other"}
    result = receiver.receive(with_secret("req-42"), headers)
    assert isinstance(result, DeepgramResponse) and isinstance(result, dict)
    assert (result.status, result.request_id) == (200, "req-42")
    assert result.headers["content-type"] == "application/json" == result.headers["CONTENT-TYPE"]
    assert result.headers["Authorization"] == "Basic ***"  # the credentials do not travel on
    assert base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode() not in repr(result.headers)
    assert set(result.headers) == {"Authorization", "Content-Type", "dg-request-id"}


def test_the_request_id_falls_back_to_the_body_then_the_header():
    receiver = CallbackReceiver(username=USER, password=PASSWORD)
    from_body = receiver.receive(b'{"request_id": "top"}', {"Authorization": basic()})
    from_header = receiver.receive(b"{}", {"Authorization": basic(), "dg-request-id": "hdr"})
    assert from_body is not None and from_body.request_id == "top"
    assert from_header is not None and from_header.request_id == "hdr"
    # without any id nothing can be de-duplicated: each copy is a result
    assert receiver.receive(b"{}", {"Authorization": basic()}) is not None
    assert receiver.receive(b"{}", {"Authorization": basic()}) is not None


# -- de-duplication -------------------------------------------------------------------------------


def test_a_request_id_received_before_returns_none():
    receiver = CallbackReceiver(secret=SECRET)
    assert receiver.receive(with_secret("a"), {}) is not None
    assert receiver.receive(with_secret("a"), {}) is None
    assert receiver.receive(with_secret("b"), {}) is not None


def test_dedupe_false_returns_every_copy():
    receiver = CallbackReceiver(secret=SECRET, dedupe=False)
    assert receiver.receive(with_secret("a"), {}) is not None
    assert receiver.receive(with_secret("a"), {}) is not None
    assert "no dedupe" in repr(receiver)


def test_the_memory_is_bounded_and_forgets_the_least_recently_seen_id():
    receiver = CallbackReceiver(secret=SECRET, max_remembered=2)
    for request_id in ("a", "b", "c"):
        assert receiver.receive(with_secret(request_id), {}) is not None
    assert "2/2 ids" in repr(receiver)
    assert receiver.receive(with_secret("c"), {}) is None
    assert receiver.receive(with_secret("b"), {}) is None          # b becomes the most recent
    assert receiver.receive(with_secret("a"), {}) is not None      # forgotten: accepted again, c goes
    assert receiver.receive(with_secret("b"), {}) is None
    assert receiver.receive(with_secret("c"), {}) is not None


def test_a_rejected_callback_does_not_use_up_its_request_id():
    receiver = CallbackReceiver(secret=SECRET)
    assert rejection(receiver, with_secret("a", "forged"), {}).status == 401
    assert receiver.receive(with_secret("a"), {}) is not None


def test_forget_makes_an_id_acceptable_again():
    receiver = CallbackReceiver(secret=SECRET)
    assert receiver.receive(with_secret("a"), {}) is not None
    receiver.forget("a")
    receiver.forget(None)
    receiver.forget("never-seen")
    assert receiver.receive(with_secret("a"), {}) is not None


def test_threads_receiving_the_same_id_get_exactly_one_result():
    receiver = CallbackReceiver(username=USER, password=PASSWORD, secret=SECRET)
    threads_count = 8
    barrier = threading.Barrier(threads_count)
    outcomes: List[Optional[DeepgramResponse]] = []
    lock = threading.Lock()

    def deliver() -> None:
        barrier.wait(timeout=10)
        outcome = receiver.receive(with_secret("same"), {"Authorization": basic()})
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=deliver) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert len(outcomes) == threads_count
    assert sum(outcome is not None for outcome in outcomes) == 1


# -- nothing shows a credential -------------------------------------------------------------------


def test_no_password_or_secret_in_the_repr_nor_in_any_message():
    receiver = CallbackReceiver(username=USER, password=PASSWORD, secret=SECRET)
    token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    shown = [repr(receiver), str(receiver)]
    attempts = [
        (with_secret(), {}),
        (with_secret(), {"Authorization": basic(password=PASSWORD[:-1])}),
        (with_secret(), {"Authorization": "Basic " + token + "!"}),
        (with_secret(), {"Authorization": "Bearer " + PASSWORD}),
        (body(extra={"callback_secret": SECRET[:-1]}), {"Authorization": basic()}),
        (body(extra=f"callback_secret:{SECRET}x"), {"Authorization": basic()}),
        (b"not json " + SECRET.encode(), {"Authorization": basic()}),
    ]
    for data, headers in attempts:
        rejected = rejection(receiver, data, headers)
        shown += [str(rejected), repr(rejected), rejected.message]
    for call in (lambda: callback_url("ftp://h/x", USER, PASSWORD),
                 lambda: callback_url(f"https://{USER}:{PASSWORD}@h/x", USER, PASSWORD),
                 lambda: callback_url("https://h/x", USER, PASSWORD + "\n"),
                 lambda: callback_options(SECRET + "\r"),
                 lambda: CallbackReceiver(username=USER, password=PASSWORD + "\x00"),
                 lambda: CallbackReceiver(secret=SECRET * 200)):
        with pytest.raises(DeepgramSetupError) as caught:
            call()
        shown += [str(caught.value), repr(caught.value)]
    text = "\n".join(shown)
    assert "basic-auth user 'deepgram' password ***, secret ***" in repr(receiver)
    for secret in (PASSWORD, SECRET, token, PASSWORD[:-1], SECRET[:-1], "w@rd"):
        assert secret not in text


# -- building the request -------------------------------------------------------------------------


def test_callback_url_puts_the_credentials_in_percent_encoded():
    url = callback_url("https://hooks.example.com:8443/dg/cb?x=1", USER, PASSWORD)
    parts = urlsplit(url)
    assert (parts.hostname, parts.port, parts.path, parts.query) == ("hooks.example.com", 8443, "/dg/cb", "x=1")
    assert (unquote(parts.username or ""), unquote(parts.password or "")) == (USER, PASSWORD)
    assert url.startswith("https://deepgram:pa55%3Aw%40rd%2F%C3%B6@hooks.example.com:8443/")
    assert callback_url("http://[::1]:9000/cb", "u", "p") == "http://u:p@[::1]:9000/cb"


@pytest.mark.parametrize("base, says", [
    ("hooks.example.com/cb", "http(s) URL with a host"),
    ("ftp://example.com/cb", "http(s) URL with a host"),
    ("https:///cb", "http(s) URL with a host"),
    ("https://me:old@example.com/cb", "already carries credentials"),
])
def test_callback_url_refuses_what_deepgram_could_not_call_back(base, says):
    with pytest.raises(DeepgramSetupError) as caught:
        callback_url(base, USER, PASSWORD)
    assert says in str(caught.value) and "old" not in str(caught.value)


def test_callback_options_adds_the_secret_to_the_extra_option():
    assert callback_options(SECRET) == {"extra": f"callback_secret:{SECRET}"}
    mine = {"callback": "https://e.com/cb", "extra": "team:blue", "punctuate": True}
    merged = callback_options(SECRET, mine)
    assert merged == {"callback": "https://e.com/cb", "extra": ["team:blue", f"callback_secret:{SECRET}"],
                      "punctuate": True}
    assert mine["extra"] == "team:blue"  # the caller's dict is left alone
    assert callback_options(SECRET, {"extra": ["a:1", "callback_secret:old"]})["extra"] == \
        ["a:1", f"callback_secret:{SECRET}"]
    assert callback_options(SECRET, {"extra": {"a": 1}})["extra"] == ["a:1", f"callback_secret:{SECRET}"]
    assert callback_options(SECRET, {"extra": None}) == {"extra": f"callback_secret:{SECRET}"}
    with pytest.raises(DeepgramSetupError, match="extra option"):
        callback_options(SECRET, {"extra": 5})
    with pytest.raises(DeepgramSetupError, match="options must be a dict"):
        callback_options(SECRET, ["extra"])  # type: ignore[arg-type]


# -- the emulator's side --------------------------------------------------------------------------


def test_the_emulator_echoes_extra_in_metadata_extra(dg):
    response = dg.sync.transcription.prerecorded(
        {"buffer": sample_path().read_bytes(), "mimetype": "audio/wav"},
        callback_options(SECRET, {"extra": ["team:a:b"]}))
    assert response["metadata"]["extra"] == {"team": "a:b", "callback_secret": SECRET}
    plain = dg.sync.transcription.prerecorded({"buffer": sample_path().read_bytes(), "mimetype": "audio/wav"})
    assert "extra" not in plain["metadata"]


def test_the_emulator_sends_a_callback_urls_credentials_as_basic_auth_and_repeats_when_told(fake, dg):
    fake.script("POST", "/hook", status=200, json={}, times=2)
    fake.duplicate_callbacks(2)
    hook = callback_url(fake.root + "/hook", USER, PASSWORD)
    queued = dg.sync.transcription.prerecorded({"url": fake.sample_url()}, callback_options(SECRET, {"callback": hook}))
    assert fake.wait_for_callbacks(2) == [(hook, 200), (hook, 200)]
    delivered = [r for r in fake.requests if r.path == "/hook"]
    assert len(delivered) == 2 and delivered[0].body == delivered[1].body
    authorization = delivered[0].headers["Authorization"]
    assert base64.b64decode(authorization.split(" ", 1)[1]).decode("utf-8") == f"{USER}:{PASSWORD}"
    receiver = CallbackReceiver(username=USER, password=PASSWORD, secret=SECRET)
    first = receiver.receive(delivered[0].body, delivered[0].headers)
    assert first is not None and first.request_id == queued["request_id"]
    assert receiver.receive(delivered[1].body, delivered[1].headers) is None
    with pytest.raises(ValueError, match="positive int"):
        fake.duplicate_callbacks(0)


def test_the_emulator_delivers_each_callback_once_by_default(fake, dg):
    fake.script("POST", "/hook", status=200, json={}, times=None)
    dg.sync.transcription.prerecorded({"url": fake.sample_url()}, callback=fake.root + "/hook")
    assert fake.wait_for_callbacks(1) == [(fake.root + "/hook", 200)]
    assert "Authorization" not in next(r for r in fake.requests if r.path == "/hook").headers
    fake.duplicate_callbacks(3)
    fake.duplicate_callbacks(1)  # back to once
    dg.sync.transcription.prerecorded({"url": fake.sample_url()}, callback=fake.root + "/hook")
    assert len(fake.wait_for_callbacks(2)) == 2
    assert sum(r.path == "/hook" for r in fake.requests) == 2


# -- adapters: aiohttp, end to end through the emulator -------------------------------------------


async def serve(handler: Any) -> Any:
    """An aiohttp server on 127.0.0.1 with ``handler`` at POST and PUT /callback; (runner, base URL)."""
    from aiohttp import web

    app = web.Application()
    app.router.add_post("/callback", handler)
    app.router.add_put("/callback", handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}/callback"


@pytest.mark.parametrize("asynchronous", [True, False])
def test_the_aiohttp_handler_acts_once_on_a_callback_the_emulator_delivers_twice(fake, dg, asynchronous):
    source = {"buffer": sample_path().read_bytes(), "mimetype": "audio/wav"}
    direct = dg.sync.transcription.prerecorded(source, callback_options(SECRET), punctuate=True)
    fake.duplicate_callbacks(2)
    receiver = CallbackReceiver(username=USER, password=PASSWORD, secret=SECRET)
    received: List[DeepgramResponse] = []

    async def on_result_async(result: DeepgramResponse) -> None:
        received.append(result)

    async def main() -> Any:
        runner, base = await serve(aiohttp_handler(receiver, on_result_async if asynchronous else received.append))
        try:
            hook = callback_url(base, USER, PASSWORD)
            options = callback_options(SECRET, {"callback": hook, "punctuate": True})
            queued = await dg.transcription.prerecorded(source, options)
            deliveries = await asyncio.get_running_loop().run_in_executor(None, fake.wait_for_callbacks, 2, 10.0)
            return queued, deliveries, hook
        finally:
            await runner.cleanup()

    queued, deliveries, hook = asyncio.run(main())
    assert deliveries == [(hook, 200), (hook, 200)]  # the copy is answered 200 too: no more retries
    assert len(received) == 1
    result = received[0]
    assert isinstance(result, DeepgramResponse) and result.status == 200
    assert result.request_id == queued["request_id"] == result["metadata"]["request_id"]
    assert result["results"] == direct["results"]
    assert result["results"]["channels"][0]["alternatives"][0]["transcript"] == FOX
    assert result["metadata"]["extra"] == {"callback_secret": SECRET}
    assert result.headers["content-type"].startswith("application/json")


def test_the_aiohttp_handler_answers_a_forged_callback_401_and_a_put_200(fake, dg):
    receiver = CallbackReceiver(username=USER, password=PASSWORD, secret=SECRET)
    received: List[DeepgramResponse] = []

    async def main() -> Any:
        runner, base = await serve(aiohttp_handler(receiver, received.append))
        try:
            source = {"url": fake.sample_url()}
            await dg.transcription.prerecorded(source, callback_options(SECRET), callback=callback_url(base, USER, "nope"))
            await dg.transcription.prerecorded(source, callback_options("not-it"), callback=callback_url(base, USER, PASSWORD))
            await dg.transcription.prerecorded(source, callback_options(SECRET), callback=callback_url(base, USER, PASSWORD),
                                               callback_method="put")
            return await asyncio.get_running_loop().run_in_executor(None, fake.wait_for_callbacks, 3, 10.0)
        finally:
            await runner.cleanup()

    deliveries = asyncio.run(main())
    assert sorted(outcome for _, outcome in deliveries) == [200, 401, 401]
    assert len(received) == 1 and fake.requests[-1].params["callback_method"] == ["put"]


def test_a_failing_on_result_answers_500_and_the_next_delivery_is_accepted(fake, dg):
    fake.duplicate_callbacks(2)
    receiver = CallbackReceiver(secret=SECRET)
    calls: List[str] = []

    def on_result(result: DeepgramResponse) -> None:
        calls.append(result.request_id or "")
        if len(calls) == 1:
            raise RuntimeError("the database is down")

    async def main() -> Any:
        runner, base = await serve(aiohttp_handler(receiver, on_result))
        try:
            await dg.transcription.prerecorded({"url": fake.sample_url()}, callback_options(SECRET, {"callback": base}))
            return await asyncio.get_running_loop().run_in_executor(None, fake.wait_for_callbacks, 2, 10.0)
        finally:
            await runner.cleanup()

    deliveries = asyncio.run(main())
    assert [outcome for _, outcome in deliveries] == [500, 200]
    assert len(calls) == 2 and calls[0] == calls[1]


# -- adapters: WSGI ---------------------------------------------------------------------------------


def call_wsgi(app: Any, method: str = "POST", data: bytes = b"", headers: Optional[Dict[str, str]] = None,
              length: Optional[str] = None, validate: bool = True) -> Any:
    from wsgiref.util import setup_testing_defaults
    from wsgiref.validate import validator

    environ: Dict[str, Any] = {"REQUEST_METHOD": method, "SCRIPT_NAME": "", "PATH_INFO": "/callback", "QUERY_STRING": "",
                               "wsgi.input": io.BytesIO(data),
                               "CONTENT_LENGTH": str(len(data)) if length is None else length}
    for name, value in (headers or {}).items():
        key = name.upper().replace("-", "_")
        environ[key if key == "CONTENT_TYPE" else "HTTP_" + key] = value
    setup_testing_defaults(environ)
    started: List[Any] = []

    def start_response(status: str, response_headers: List[Any], exc_info: Any = None) -> Any:
        started.append((status, dict(response_headers)))
        return lambda _: None

    # The validator also checks that the app keeps to PEP 3333 (it refuses a bad CONTENT_LENGTH itself).
    iterable = (validator(app) if validate else app)(environ, start_response)
    try:
        content = b"".join(iterable)
    finally:
        getattr(iterable, "close", lambda: None)()
    return started[0][0], started[0][1], content


def test_the_wsgi_app_answers_results_duplicates_and_rejections():
    receiver = CallbackReceiver(username=USER, password=PASSWORD, secret=SECRET)
    received: List[DeepgramResponse] = []
    app = wsgi_app(receiver, received.append)
    good = {"Authorization": basic(), "Content-Type": "application/json"}
    assert call_wsgi(app, data=with_secret("w"), headers=good)[0] == "200 OK"
    assert len(received) == 1 and received[0].request_id == "w"
    assert received[0].headers["content-type"] == "application/json"
    assert call_wsgi(app, "PUT", with_secret("w"), good)[0] == "200 OK"  # a duplicate
    assert len(received) == 1
    status, _, content = call_wsgi(app, data=with_secret("x"), headers={"Authorization": basic(password="no")})
    assert (status, content) == ("401 Unauthorized", b"401 Unauthorized")
    assert call_wsgi(app, data=b"{not json", headers=good)[0] == "400 Bad Request"
    status, headers, _ = call_wsgi(app, "GET", headers=good)
    assert status == "405 Method Not Allowed" and headers["Allow"] == "POST, PUT"
    assert len(received) == 1


def test_the_wsgi_app_limits_the_body_and_needs_its_length():
    receiver = CallbackReceiver(secret=SECRET)
    app = wsgi_app(receiver, lambda result: None, max_body=150)
    assert call_wsgi(app, data=with_secret("y") + b" " * 100)[0].startswith("413 ")
    assert call_wsgi(app, data=with_secret("y"), length="")[0] == "411 Length Required"
    assert call_wsgi(app, data=with_secret("y"), length="abc", validate=False)[0] == "400 Bad Request"
    assert call_wsgi(app, data=with_secret("y"))[0] == "200 OK"


def test_the_wsgi_app_forgets_a_result_whose_handler_failed_and_refuses_coroutine_functions():
    receiver = CallbackReceiver(secret=SECRET)
    failures = [RuntimeError("down")]

    def on_result(result: DeepgramResponse) -> None:
        if failures:
            raise failures.pop()

    app = wsgi_app(receiver, on_result)
    with pytest.raises(RuntimeError, match="down"):
        call_wsgi(app, data=with_secret("z"))
    assert call_wsgi(app, data=with_secret("z"))[0] == "200 OK"
    assert receiver.receive(with_secret("z"), {}) is None  # now it was handled

    async def later(result: DeepgramResponse) -> None: ...

    with pytest.raises(DeepgramSetupError, match="plain function"):
        wsgi_app(receiver, later)
    with pytest.raises(DeepgramSetupError, match="on_result must be a function"):
        wsgi_app(receiver, None)  # type: ignore[arg-type]


def test_receive_request_reads_flask_and_django_requests():
    receiver = CallbackReceiver(username=USER, password=PASSWORD)

    class FlaskRequest:
        def __init__(self, password: str = PASSWORD) -> None:
            self.headers = {"Authorization": basic(password=password)}

        def get_data(self) -> bytes:
            return body("flask")

    class DjangoRequest:
        def __init__(self) -> None:
            self.headers = {"Authorization": basic()}
            self.body = json.dumps({"metadata": {"request_id": "django"}}).encode()

    class Forged(FlaskRequest):
        def get_data(self) -> bytes:
            raise AssertionError("the body of an unauthenticated request is not read")

    flask = receive_request(receiver, FlaskRequest())
    django = receive_request(receiver, DjangoRequest())
    assert flask is not None and flask.request_id == "flask"
    assert django is not None and django.request_id == "django"
    assert receive_request(receiver, DjangoRequest()) is None
    assert rejection_of(lambda: receive_request(receiver, Forged("x"))).status == 401
    with pytest.raises(DeepgramSetupError, match=r"receiver\.receive"):
        receive_request(receiver, object())


def rejection_of(call: Any) -> CallbackRejected:
    with pytest.raises(CallbackRejected) as caught:
        call()
    return caught.value


# -- adapters: ASGI ---------------------------------------------------------------------------------


def call_asgi(app: Any, scope: Dict[str, Any], incoming: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    sent: List[Dict[str, Any]] = []
    queue = list(incoming)

    async def receive() -> Dict[str, Any]:
        return queue.pop(0)

    async def send(message: Dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    return sent


def http_scope(method: str = "POST", headers: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
    pairs = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
            "path": "/callback", "headers": pairs}


def chunks(data: bytes) -> List[Dict[str, Any]]:
    middle = len(data) // 2
    return [{"type": "http.request", "body": data[:middle], "more_body": True},
            {"type": "http.request", "body": data[middle:], "more_body": False}]


def status_of(sent: List[Dict[str, Any]]) -> int:
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    return int(sent[0]["status"])


@pytest.mark.parametrize("asynchronous", [True, False])
def test_the_asgi_app_answers_results_duplicates_and_rejections(asynchronous):
    receiver = CallbackReceiver(username=USER, password=PASSWORD, secret=SECRET)
    received: List[DeepgramResponse] = []

    async def on_result_async(result: DeepgramResponse) -> None:
        received.append(result)

    app = asgi_app(receiver, on_result_async if asynchronous else received.append)
    good = {"Authorization": basic(), "Content-Type": "application/json"}
    sent = call_asgi(app, http_scope(headers=good), chunks(with_secret("s")))
    assert status_of(sent) == 200 and sent[1]["body"] == b"200 OK"
    assert len(received) == 1 and received[0].request_id == "s" and received[0]["metadata"]["request_id"] == "s"
    assert received[0].headers["content-type"] == "application/json"
    assert status_of(call_asgi(app, http_scope("PUT", good), chunks(with_secret("s")))) == 200  # a duplicate
    assert len(received) == 1
    forged = http_scope(headers={"Authorization": basic(password="no")})
    assert status_of(call_asgi(app, forged, chunks(with_secret("t")))) == 401
    assert status_of(call_asgi(app, http_scope(headers=good), chunks(b"[]"))) == 400
    sent = call_asgi(app, http_scope("GET", good), [])
    assert status_of(sent) == 405 and (b"allow", b"POST, PUT") in sent[0]["headers"]
    assert len(received) == 1


def test_the_asgi_app_limits_the_body_survives_a_disconnect_and_serves_lifespan():
    receiver = CallbackReceiver(secret=SECRET)
    received: List[DeepgramResponse] = []
    app = asgi_app(receiver, received.append, max_body=100)
    big = with_secret("b") + b" " * 100
    assert status_of(call_asgi(app, http_scope(), chunks(big))) == 413
    declared = http_scope(headers={"Content-Length": str(len(big))})
    assert status_of(call_asgi(app, declared, [])) == 413  # refused before any of it is read
    assert call_asgi(app, http_scope(), [{"type": "http.disconnect"}]) == []
    assert received == [] and receiver.receive(with_secret("b"), {}) is not None  # not used up
    lifespan = call_asgi(app, {"type": "lifespan"}, [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    assert [m["type"] for m in lifespan] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert call_asgi(app, {"type": "websocket", "path": "/"}, []) == [{"type": "websocket.close", "code": 1008}]


def test_the_asgi_app_forgets_a_result_whose_handler_failed():
    receiver = CallbackReceiver(secret=SECRET)

    async def on_result(result: DeepgramResponse) -> None:
        raise RuntimeError("down")

    with pytest.raises(RuntimeError, match="down"):
        call_asgi(asgi_app(receiver, on_result), http_scope(), chunks(with_secret("f")))
    assert receiver.receive(with_secret("f"), {}) is not None
