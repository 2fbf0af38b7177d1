"""Credentials from options and the environment, tokens, speak, read, and per-call extras."""

import asyncio
import io
import wave

import pytest
from _support import call

from deepgram import Deepgram, DeepgramApiError, DeepgramSetupError
from deepgram._config import parse_options

modes = pytest.mark.parametrize("mode", ["async", "sync"])


@pytest.mark.parametrize("environ, options, expected", [
    ({"DEEPGRAM_API_KEY": "key"}, {}, "Token key"),
    ({"DEEPGRAM_ACCESS_TOKEN": "jwt", "DEEPGRAM_API_KEY": "key"}, {}, "Bearer jwt"),
    ({"DEEPGRAM_TOKEN": "jwt2", "DEEPGRAM_API_KEY": "key"}, {}, "Bearer jwt2"),
    ({"DEEPGRAM_ACCESS_TOKEN": "jwt"}, {"api_key": "explicit"}, "Token explicit"),
    ({"DEEPGRAM_API_KEY": "key"}, {"access_token": "explicit-jwt"}, "Bearer explicit-jwt"),
    ({}, {"api_key": "k", "access_token": "t"}, "Bearer t"),
])
def test_credentials_come_from_options_first_then_a_token_then_a_key(environ, options, expected):
    _, config = parse_options(options, environ)
    assert config.authorization == expected


@pytest.mark.parametrize("environ, expected", [
    ({"DEEPGRAM_API_URL": "http://localhost:8080/v1"}, "http://localhost:8080/v1"),
    ({"DEEPGRAM_HOST": "dg.internal.example"}, "https://dg.internal.example/v1"),
    ({"DEEPGRAM_HOST": "localhost:8080"}, "http://localhost:8080/v1"),
    ({"DEEPGRAM_HOST": "https://dg.example/v1"}, "https://dg.example/v1"),
])
def test_the_base_url_can_come_from_the_environment(environ, expected):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a host alone gets '/v1' added, with a warning
        _, config = parse_options({"api_key": "k"}, environ)
    assert config.api_url == expected
    _, explicit = parse_options({"api_key": "k", "api_url": "https://other.example/v1"}, environ)
    assert explicit.api_url == "https://other.example/v1"


def test_a_none_access_token_is_a_setup_error():
    with pytest.raises(DeepgramSetupError, match="access_token"):
        Deepgram({"access_token": None})


@modes
def test_a_granted_token_transcribes_but_cannot_manage(fake, dg, mode):
    token = call(dg, mode, lambda c: c.auth.grant(ttl_seconds=60))["access_token"]
    with_token = Deepgram({"access_token": token, "api_url": fake.url})
    response = call(with_token, mode, lambda c: c.transcription.prerecorded({"url": fake.sample_url()}))
    assert fake.last_request.headers["Authorization"] == f"Bearer {token}"
    assert response["metadata"]["duration"] > 6
    with pytest.raises(DeepgramApiError) as caught:
        call(with_token, mode, lambda c: c.projects.list())
    assert caught.value.status == 403


def test_a_token_opens_a_live_stream(fake, dg):
    token = dg.sync.auth.grant()["access_token"]

    async def main():
        live = await Deepgram({"access_token": token, "api_url": fake.url}).transcription.live()
        return await live.finish()

    assert asyncio.run(main())["type"] == "Metadata"
    assert fake.live_sessions[-1].headers["Authorization"] == f"Bearer {token}"


@pytest.mark.parametrize("ttl", [0, 3601, True, "30"])
def test_grant_checks_its_ttl_before_sending(ttl):
    with pytest.raises(DeepgramSetupError):
        Deepgram("k").sync.auth.grant(ttl)


@modes
def test_speak_returns_audio_bytes_with_headers(fake, dg, mode):
    audio = call(dg, mode, lambda c: c.speak.generate({"text": "Hello there"}, encoding="linear16",
                                                      sample_rate=16000, model="aura-2-thalia-en"))
    assert isinstance(audio, bytes) and audio.content_type == "audio/wav"
    assert audio.headers["dg-model-name"] == "aura-2-thalia-en" and audio.request_id
    with wave.open(io.BytesIO(audio)) as parsed:
        assert parsed.getframerate() == 16000 and parsed.getnframes() > 0
    assert fake.last_request.json == {"text": "Hello there"}


@modes
def test_speak_streams_into_a_file_or_a_stream_in_chunks(fake, dg, mode, tmp_path):
    text = "A long sentence to synthesize. " * 15  # 28 s of audio, 1.3 MB: many 64 KB chunks
    target = tmp_path / "speech.wav"
    summary = call(dg, mode, lambda c: c.speak.generate(text, to=str(target), encoding="linear16"))
    assert summary["bytes_written"] == target.stat().st_size > 100_000
    assert summary["content_type"] == "audio/wav" and summary.headers["dg-char-count"] == str(len(text))

    class Chunks(io.BytesIO):
        writes = 0

        def write(self, data):
            Chunks.writes += 1
            return super().write(data)

    stream = Chunks()
    call(dg, mode, lambda c: c.speak.generate(text, to=stream, encoding="linear16"))
    assert stream.getvalue() == target.read_bytes()
    assert Chunks.writes > 1


@modes
def test_speak_errors_and_callbacks(fake, dg, mode):
    with pytest.raises(DeepgramApiError) as caught:
        call(dg, mode, lambda c: c.speak.generate("Hi", encoding="wav-ish"))
    assert caught.value.status == 400
    assert set(call(dg, mode, lambda c: c.speak.generate("Hi", callback="https://e.com/h"))) == {"request_id"}
    with pytest.raises(DeepgramSetupError):
        call(dg, mode, lambda c: c.speak.generate({"text": " "}))


@modes
def test_read_analyzes_text_and_urls(fake, dg, mode):
    result = call(dg, mode, lambda c: c.read.analyze("Cats sleep. Dogs bark.", {"summarize": "v2"}, sentiment=True))
    assert result["results"]["summary"]["text"] == "Cats sleep."
    assert "sentiments" in result["results"]
    call(dg, mode, lambda c: c.read.analyze({"url": "https://example.com/article"}, topics=True))
    assert fake.last_request.json == {"url": "https://example.com/article"}
    with pytest.raises(DeepgramSetupError):
        call(dg, mode, lambda c: c.read.analyze({"neither": 1}))


@modes
def test_extra_query_and_headers_per_call_and_the_response_for_every_call(fake, dg, mode):
    seen = []
    client = dg.with_options(query={"tag": ["a", "b"]}, headers={"X-Trace": "1"},
                             on_response=lambda status, headers: seen.append((status, headers["dg-request-id"])))
    assert call(client, mode, lambda c: c.invitations.leave_project(fake.project_id))["message"]
    assert fake.last_request.query == [("tag", "a"), ("tag", "b")]
    assert fake.last_request.headers["X-Trace"] == "1"
    fake.script("DELETE", "/projects/*", status=200, body="")
    assert call(client, mode, lambda c: c.projects.delete(fake.project_id)) is None
    assert [status for status, _ in seen] == [200, 200]
    assert seen[-1][1] == fake.last_request.request_id


def test_agent_configs_must_be_json_objects(dg):
    with pytest.raises(DeepgramSetupError):
        dg.sync.agents.create("p", "")
    with pytest.raises(DeepgramApiError) as caught:
        dg.sync.agents.create(dg_project(dg), "[1, 2]")
    assert caught.value.status == 400


def dg_project(dg):
    return dg.sync.projects.list()["projects"][0]["project_id"]
