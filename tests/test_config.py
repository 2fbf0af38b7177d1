"""Deepgram(options): every legacy form, validation, URL normalisation, no secrets in reprs."""

import logging
import warnings

import pytest

import deepgram
from deepgram import Deepgram, DeepgramSetupError
from deepgram._config import normalize_api_url, parse_options

KEY = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize("options", [
    KEY,
    {"api_key": KEY},
    {"api_key": KEY, "api_url": "https://api.deepgram.com/v1"},
    {"api_key": "new-format_key.with.dots", "auth_method": "Token"},
    {"api_key": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig", "auth_method": "Bearer"},
    {"api_key": KEY, "suppress_warnings": True, "raise_warnings_as_errors": False},
])
def test_accepts_every_legacy_form(options):
    dg = Deepgram(options)
    assert dg._config.api_key in (KEY, options["api_key"] if isinstance(options, dict) else KEY)
    assert dg.options == (options if isinstance(options, dict) else {"api_key": KEY})


def test_keeps_the_callers_dict_by_reference():
    options = {"api_key": KEY}
    assert Deepgram(options).options is options


def test_no_argument_reads_the_environment(monkeypatch):
    monkeypatch.setenv("DEEPGRAM_API_KEY", "env-key")
    assert Deepgram()._config.api_key == "env-key"
    assert Deepgram({"api_url": "http://localhost:8080/v1"})._config.api_key == "env-key"


def test_no_argument_and_no_environment_says_what_to_do():
    with pytest.raises(DeepgramSetupError, match="DEEPGRAM_API_KEY"):
        Deepgram()


@pytest.mark.parametrize("options, message", [
    (None, "is None"),
    ({"api_key": None}, "is None"),
    ("", "empty"),
    ("   ", "empty"),
    ({"api_key": ""}, "empty"),
    ({"api_key": 123}, "must be a string"),
    ({"api_key": b"bytes"}, "must be a string"),
    ("two words", "contains a space at character 4"),
    (["a", "list"], "not list"),
    (42, "not int"),
    ({"api_key": KEY, "api_url": "api.deepgram.com"}, "api_url must look like"),
    ({"api_key": KEY, "api_url": "ftp://x/v1"}, "api_url must look like"),
    ({"api_key": KEY, "api_url": 5}, "api_url must be a string"),
    ({"api_key": KEY, "auth_method": "To ken"}, "auth_method"),
    ({"api_key": KEY, "timeout": -1}, "timeout"),
])
def test_bad_options_raise_a_setup_error_that_is_a_value_error(options, message):
    with pytest.raises(DeepgramSetupError, match=message) as caught:
        Deepgram(options)
    assert isinstance(caught.value, ValueError)
    assert KEY not in str(caught.value)


def test_surrounding_whitespace_is_stripped_from_keys():
    assert Deepgram(KEY + "\n")._config.api_key == KEY


@pytest.mark.parametrize("url, expected, warned", [
    ("https://api.deepgram.com/v1", "https://api.deepgram.com/v1", False),
    ("https://api.deepgram.com/v1/", "https://api.deepgram.com/v1", True),
    ("http://localhost:8080/v1/listen", "http://localhost:8080/v1", True),
    ("http://localhost:8080/v1/listen/", "http://localhost:8080/v1", True),
    ("http://localhost:8080", "http://localhost:8080/v1", True),
    ("wss://example.com/v1", "https://example.com/v1", False),
    (None, "https://api.deepgram.com/v1", False),
    ("", "https://api.deepgram.com/v1", False),
])
def test_api_url_is_normalised(url, expected, warned):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert normalize_api_url(url) == expected
    assert bool(caught) is warned


def test_api_url_warning_points_at_the_callers_line():
    with pytest.warns(UserWarning, match="without /listen") as caught:
        Deepgram({"api_key": KEY, "api_url": "http://localhost:8080/v1/listen"})
    assert caught[0].filename == __file__


def test_websocket_url_is_derived_from_api_url():
    assert Deepgram(KEY)._config.ws_url == "wss://api.deepgram.com/v1"
    assert Deepgram({"api_key": KEY, "api_url": "http://h:1/v1"})._config.ws_url == "ws://h:1/v1"


def test_the_key_never_shows_in_reprs_or_strings():
    dg = Deepgram({"api_key": KEY, "api_url": "http://localhost:1/v1"})
    for text in (repr(dg), str(dg), repr(dg._config), repr(dg.sync), repr(dg.projects)):
        assert KEY not in text
    assert "http://localhost:1/v1" in repr(dg)


def test_the_key_never_reaches_the_logs(caplog, fake):
    caplog.set_level(logging.DEBUG, logger="deepgram")
    dg = Deepgram({"api_key": fake.api_key, "api_url": fake.url})
    dg.sync.projects.list()
    assert caplog.records, "a request is logged at DEBUG"
    assert all(fake.api_key not in r.getMessage() for r in caplog.records)


def test_auth_method_builds_the_authorization_header():
    _, config = parse_options({"api_key": "tok", "auth_method": "Bearer"})
    assert config.authorization == "Bearer tok"
    assert parse_options("k")[1].authorization == "Token k"


def test_api_key_is_valid_accepts_any_key_without_whitespace():
    assert deepgram.api_key_is_valid("anything-goes_123")
    assert not deepgram.api_key_is_valid("has space")
    assert not deepgram.api_key_is_valid("")


@pytest.mark.parametrize("key", ["0123456789abcdef0123456789abcdef0123456", "k\r\nX: 1", "kéy", None])
def test_api_key_is_valid_agrees_with_the_client(key):
    assert not deepgram.api_key_is_valid(key)
    with pytest.raises(deepgram.DeepgramSetupError):
        deepgram.Deepgram(key)
