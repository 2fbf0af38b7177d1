"""Bad input is a DeepgramSetupError before any I/O: the sweep watches a listening socket that
must never see a connection, on both paths."""

import asyncio
import io
import os
import re
import socket
import warnings
from pathlib import Path

import pytest

from deepgram import Deepgram, DeepgramSetupError, DeepgramWarning
from deepgram.testing import sample_path

HEX40 = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture
def listener():
    """A listening socket standing in for Deepgram; the test checks nobody connected."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        sock.setblocking(False)
        yield sock
        with pytest.raises(BlockingIOError):
            sock.accept()  # a connection attempt would be waiting here


def url_of(sock):
    return f"http://127.0.0.1:{sock.getsockname()[1]}/v1"


def both_paths(dg, call):
    """Run ``call`` on the async client and on its blocking twin; both must fail the same way."""
    async def main():
        return await call(dg)

    for run in (lambda: asyncio.run(main()), lambda: call(dg.sync)):
        with pytest.raises(DeepgramSetupError) as caught:
            run()
        yield caught.value


@pytest.mark.parametrize("key, message", [
    ("abc\r\nX-Injected: 1", "a carriage return (CR) at character 4"),
    ("key\x00", "a NUL byte"),
    ("k\u00e9y-123", "'é' (U+00E9) at character 2"),
    ("\u201cmy-key\u201d", "U+201C"),
    ("k\x7fey", "control character (U+007F)"),
    (HEX40[:-1], "looks truncated: 39 of 40 hex digits"),
    (HEX40 + "8", "looks too long: 41 of 40 hex digits"),
    (HEX40[:12], "12 of 40 hex digits"),
])
def test_bad_keys_are_refused_without_showing_them(key, message):
    with pytest.raises(DeepgramSetupError, match=re.escape(message)) as caught:
        Deepgram(key)
    assert key.strip() not in str(caught.value)


@pytest.mark.parametrize("options", [
    {"access_token": "eyJ.a\nb"},
    {"api_key": "tok en", "auth_method": "Bearer"},
])
def test_tokens_with_bad_characters_are_refused(options):
    with pytest.raises(DeepgramSetupError, match="contains"):
        Deepgram(options)


@pytest.mark.parametrize("key", [
    HEX40, HEX40.upper(), "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig", "new-format_key.with.dots", "k",
    "  " + HEX40 + "\n",
])
def test_keys_of_other_shapes_are_accepted(key):
    assert Deepgram(key)._config.api_key == key.strip()


def test_a_hex_token_sent_as_bearer_is_not_held_to_the_key_length():
    assert Deepgram({"api_key": HEX40[:20], "auth_method": "Bearer"})._config.api_key == HEX40[:20]


def test_an_environment_key_is_checked_too(monkeypatch):
    monkeypatch.setenv("DEEPGRAM_API_KEY", "key-abc\r\n")
    monkeypatch.delenv("DEEPGRAM_ACCESS_TOKEN", raising=False)
    monkeypatch.delenv("DEEPGRAM_TOKEN", raising=False)
    Deepgram()  # surrounding whitespace (a trailing newline from a file) is stripped
    monkeypatch.setenv("DEEPGRAM_API_KEY", "key-ab\rc")
    with pytest.raises(DeepgramSetupError, match="DEEPGRAM_API_KEY contains a carriage return"):
        Deepgram()


@pytest.mark.parametrize("headers, message", [
    ({"X-Tag": "a\r\nX-Evil: 1"}, "contains a carriage return"),
    ({"X-Tag": "a\nb"}, "contains a line feed"),
    ({"X-Tag": 5}, "must be a string, not int"),
    ({"X-Tag": None}, "must be a string, not NoneType"),
    ({"X Tag": "a"}, "header name 'X Tag' is not valid"),
    ({"X-Tag\r\n": "a"}, "is not valid"),
    ({5: "a"}, "header name 5 is not valid"),
    ({"X-Tag": "\u2603"}, "cannot be sent in a header"),
])
def test_bad_headers_are_refused(listener, headers, message):
    with pytest.raises(DeepgramSetupError, match=message):
        Deepgram({"api_key": "k", "api_url": url_of(listener), "headers": headers})
    dg = Deepgram({"api_key": "k", "api_url": url_of(listener)})
    with pytest.raises(DeepgramSetupError, match=message):
        dg.with_options(headers=headers)


@pytest.mark.parametrize("url, message", [
    ("http://127.0.0.1:99999/v1", "invalid port '99999'"),
    ("http://localhost:80:80/v1", "invalid port '80:80'"),
    ("http://local host/v1", "space"),
    ("http://:8080/v1", "no host name"),
    ("http://127.0.0.1:/v1", "invalid port ''"),
    ("http://user:pw@api.example.com/v1", "must not carry a user name or password"),
    ("http://[::1/v1", "not a valid URL"),
    ("http://exa$mple.com/v1", "invalid host name"),
])
def test_malformed_api_urls_are_refused(url, message):
    with pytest.raises(DeepgramSetupError, match=message):
        Deepgram({"api_key": "k", "api_url": url})


@pytest.mark.parametrize("proxy, message", [
    ("http://me:hunter2@proxy.local:99999", "invalid port"),
    ("me:hunter2@proxy.local:3128", "must be a URL"),
])
def test_a_malformed_proxy_is_refused_without_showing_its_password(proxy, message):
    with pytest.raises(DeepgramSetupError, match=message) as caught:
        Deepgram({"api_key": "k", "proxy": proxy})
    assert "hunter2" not in str(caught.value)


def test_a_malformed_api_url_with_credentials_does_not_show_them():
    with pytest.raises(DeepgramSetupError) as caught:
        Deepgram({"api_key": "k", "api_url": "http://me:hunter2@local host/v1"})
    assert "hunter2" not in str(caught.value)


def test_bad_sources_fail_before_any_connection(listener, tmp_path):
    dg = Deepgram({"api_key": "k", "api_url": url_of(listener), "max_retries": 3})
    audio = tmp_path / "call.wav"
    audio.write_bytes(sample_path().read_bytes())
    closed = open(audio, "rb")
    closed.close()
    cases = [
        ({"buffer": closed}, "is closed"),
        ({"buffer": open(audio)}, "open in text mode"),
        ({"buffer": open(tmp_path / "out.wav", "wb")}, "open in text mode|not open for reading"),
        ({"buffer": str(audio)}, "names an existing file.*Path"),
        ({"buffer": "meeting-recording.mp3"}, "looks like the name of an audio file"),
        (str(audio), r"pass Path\("),
        (Path(tmp_path / "missing.wav"), "Cannot open the audio file"),
        ({"buffer": b"RIFF", "mimetype": "audio/wav\r\nX-Evil: 1"}, "mimetype.*carriage return"),
        ({"buffer": b"RIFF", "mimetype": 7}, "mimetype'\\] must be a string"),
        ({"url": "https://example.com/\ud800.wav"}, "lone surrogate"),
    ]
    try:
        for source, message in cases:
            for error in both_paths(dg, lambda c, s=source: c.transcription.prerecorded(s)):
                assert error.args and re.search(message, str(error)), (source, str(error))
        for options in ({"keywords": ["ok", "bad\udcff"]}, {"tag": b"\xff\xfe"}, {"\ud800": "x"}):
            for error in both_paths(dg, lambda c, o=options: c.transcription.prerecorded(
                    {"url": "https://example.com/a.wav"}, o)):
                assert "option" in str(error).lower()
        for error in both_paths(dg, lambda c: c.keys.get("\ud800", "k")):
            assert "lone surrogate" in str(error)
    finally:
        for source, _ in cases:
            buffer = source.get("buffer") if isinstance(source, dict) else None
            if hasattr(buffer, "close"):
                buffer.close()


def test_a_gzip_style_numeric_mode_is_not_mistaken_for_text():
    class Wrapped(io.BytesIO):
        mode = 1  # gzip.GzipFile keeps a number here

    from deepgram._sources import source_request_parts

    _, body, _ = source_request_parts({"buffer": Wrapped(b"RIFF")})
    assert body.read() == b"RIFF"


# -- mistakes in the client options are not silent -------------------------------------------------


@pytest.mark.parametrize("name, closest", [
    ("timout", "timeout"), ("max_retry", "max_retries"), ("apiurl", "api_url"), ("api-key", "api_key"),
    ("suppress_warning", "suppress_warnings"),
])
def test_unknown_options_warn_with_the_closest_name(name, closest):
    with pytest.warns(DeepgramWarning, match=f"unknown option '{name}'; did you mean '{closest}'"):
        Deepgram({"api_key": "k", name: 1})


def test_an_unknown_option_far_from_any_name_lists_them_all():
    with pytest.warns(DeepgramWarning, match="the options are api_key, api_url"):
        Deepgram({"api_key": "k", "zzzz": 1})


def test_known_options_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Deepgram({"api_key": "k", "api_url": "http://localhost:1/v1", "timeout": 5, "max_retries": 1,
                  "suppress_warnings": True, "raise_warnings_as_errors": False, "retry_unanswered": False,
                  "headers": {}, "query": {}, "auth_method": "Token"})


@pytest.mark.parametrize("value, expected", [
    (True, True), (False, False), ("true", True), ("false", False), ("TRUE", True), (" False ", False),
    (None, False),
])
def test_boolean_settings_take_bools_and_true_false_strings(value, expected):
    for name in ("suppress_warnings", "raise_warnings_as_errors", "retry_unanswered"):
        assert getattr(Deepgram({"api_key": "k", name: value})._config, name) is expected


@pytest.mark.parametrize("value", [1, 0, "yes", "no", "1", "", [], "True!"])
def test_other_boolean_values_are_refused(value):
    for name in ("suppress_warnings", "raise_warnings_as_errors", "retry_unanswered"):
        with pytest.raises(DeepgramSetupError, match=f"{name} must be True or False"):
            Deepgram({"api_key": "k", name: value})
        with pytest.raises(DeepgramSetupError, match=f"{name} must be True or False"):
            Deepgram("k").with_options(**{name: value})


# -- sources ------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["async", "sync"])
@pytest.mark.parametrize("shape", ["dict", "bare"])
def test_a_path_source_is_opened_streamed_and_closed(fake, mode, shape, tmp_path):
    audio = tmp_path / "call.wav"
    audio.write_bytes(sample_path().read_bytes())
    dg = Deepgram({"api_key": fake.api_key, "api_url": fake.url})
    source = {"buffer": audio} if shape == "dict" else audio
    before = set(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None

    async def main():
        return await dg.transcription.prerecorded(source, punctuate=True)

    response = asyncio.run(main()) if mode == "async" else dg.sync.transcription.prerecorded(source, punctuate=True)
    assert response["results"]["channels"][0]["alternatives"][0]["transcript"].startswith("The quick brown fox")
    assert fake.last_request.body == audio.read_bytes()
    assert fake.last_request.headers["Content-Type"] == "audio/x-wav" or \
        fake.last_request.headers["Content-Type"].startswith("audio/")
    if before is not None:
        opened = {fd for fd in set(os.listdir("/proc/self/fd")) - before
                  if os.path.realpath(f"/proc/self/fd/{fd}") == str(audio.resolve())}
        assert opened == set()  # the SDK closed the file it opened
    dg.close()


def test_a_path_source_is_rewound_for_a_retry_and_closed(fake, tmp_path):
    audio = tmp_path / "call.wav"
    audio.write_bytes(sample_path().read_bytes())
    fake.script("POST", "/listen", status=503, body="busy")
    dg = Deepgram({"api_key": fake.api_key, "api_url": fake.url})
    dg.sync.transcription.prerecorded(audio)
    assert [r.body_size for r in fake.requests] == [audio.stat().st_size] * 2
    dg.close()
