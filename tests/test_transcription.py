"""Pre-recorded transcription: sources, options, endpoint, timeout and callbacks on both paths."""

import asyncio
import io
import struct

import pytest

from deepgram import Deepgram, DeepgramSetupError
from deepgram.testing import sample_path
from deepgram.transcription import PrerecordedTranscription, SyncPrerecordedTranscription

FOX = "The quick brown fox jumps over the lazy dog. Deepgram turns speech into text."


def transcribe(dg, mode, *args, **kwargs):
    if mode == "async":
        async def main():
            return await dg.transcription.prerecorded(*args, **kwargs)
        return asyncio.run(main())
    return dg.transcription.sync_prerecorded(*args, **kwargs)


def transcript(response, channel=0):
    return response["results"]["channels"][channel]["alternatives"][0]["transcript"]


def wav(seconds, channels=1, rate=16000):
    data = b"\x00\x01" * int(seconds * rate * channels)
    header = b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt " + struct.pack(
        "<IHHIIHH", 16, 1, channels, rate, rate * 2 * channels, 2 * channels, 16)
    return header + b"data" + struct.pack("<I", len(data)) + data


modes = pytest.mark.parametrize("mode", ["async", "sync"])


@modes
def test_an_open_file_is_transcribed_to_the_samples_text(dg, mode):
    with open(sample_path(), "rb") as audio:
        response = transcribe(dg, mode, {"buffer": audio, "mimetype": "audio/wav"}, {"punctuate": True})
    assert transcript(response) == FOX
    assert response["metadata"]["duration"] == pytest.approx(6.02, abs=0.01)
    words = response["results"]["channels"][0]["alternatives"][0]["words"]
    assert [w["start"] for w in words] == sorted(w["start"] for w in words)


@modes
def test_bytes_and_str_buffers_are_sent_as_is(fake, dg, mode):
    audio = sample_path().read_bytes()
    transcribe(dg, mode, {"buffer": audio, "mimetype": "audio/wav"})
    assert fake.last_request.body == audio
    assert fake.last_request.headers["Content-Type"] == "audio/wav"
    # Headerless bytes: the emulator, like Deepgram, decodes them only with an encoding.
    transcribe(dg, mode, {"buffer": "text body", "mimetype": "audio/wav"}, encoding="linear16")
    assert fake.last_request.body == b"text body"


@modes
def test_a_buffer_without_mimetype_is_guessed_or_octet_stream(fake, dg, mode):
    with open(sample_path(), "rb") as audio:
        transcribe(dg, mode, {"buffer": audio})
    assert fake.last_request.headers["Content-Type"] in ("audio/wav", "audio/x-wav")
    transcribe(dg, mode, {"buffer": wav(1)})
    assert fake.last_request.headers["Content-Type"] == "application/octet-stream"


@modes
def test_a_url_source_is_posted_as_json(fake, dg, mode):
    response = transcribe(dg, mode, {"url": fake.sample_url()}, smart_format=True)
    assert fake.last_request.json == {"url": fake.sample_url()}
    assert fake.last_request.headers["Content-Type"] == "application/json"
    assert transcript(response) == FOX


@modes
def test_kwargs_win_over_the_options_dict(fake, dg, mode):
    transcribe(dg, mode, {"url": "https://example.com/a.wav"},
               {"model": "base", "punctuate": False, "keywords": ["a:2", None, "b"]}, model="nova-3")
    assert fake.last_request.query == [("model", "nova-3"), ("punctuate", "false"),
                                       ("keywords", "a:2"), ("keywords", "b")]


@modes
def test_endpoint_replaces_the_listen_path(fake, dg, mode):
    fake.script("POST", "/custom/listen", json={"ok": True})
    assert transcribe(dg, mode, {"url": "https://e.com/a.wav"}, endpoint="/custom/listen") == {"ok": True}
    assert fake.last_request.path == "/v1/custom/listen"


@modes
def test_callback_requests_return_the_request_id_and_deliver_the_result(fake, dg, mode):
    hook = fake.root + "/hook"
    fake.script("POST", "/hook", status=200, json={}, times=1)
    response = transcribe(dg, mode, {"url": fake.sample_url()}, callback=hook, punctuate=True)
    assert set(response) == {"request_id"}
    assert fake.wait_for_callbacks(1) == [(hook, 200)]
    delivered = next(r for r in fake.requests if r.path == "/hook")
    assert delivered.json["metadata"]["request_id"] == response["request_id"]
    assert transcript(delivered.json) == FOX


@modes
def test_generated_transcripts_are_deterministic_and_fill_the_duration(dg, mode):
    audio = wav(8)
    first = transcribe(dg, mode, {"buffer": audio, "mimetype": "audio/wav"})
    second = transcribe(dg, mode, {"buffer": audio, "mimetype": "audio/wav"})
    assert transcript(first) == transcript(second) != ""
    words = first["results"]["channels"][0]["alternatives"][0]["words"]
    assert len(words) == 20
    assert 0 < words[0]["start"] < 1 and 7 < words[-1]["end"] <= 8


@modes
def test_features_are_answered_when_asked(dg, mode):
    response = transcribe(dg, mode, {"buffer": wav(4, channels=2), "mimetype": "audio/wav"},
                          utterances=True, paragraphs=True, diarize=True, multichannel=True,
                          summarize="v2", detect_language=True, search=["the"])
    results = response["results"]
    assert len(results["channels"]) == 2
    assert results["utterances"] and all("speaker" in u for u in results["utterances"])
    assert "paragraphs" in results["channels"][0]["alternatives"][0]
    assert results["summary"]["result"] == "success"
    assert results["channels"][0]["detected_language"] == "en"
    assert results["channels"][0]["search"][0]["query"] == "the"


class TrackingReader(io.BufferedReader):
    """A binary file that records every read size it is asked for."""

    def __init__(self, path):
        super().__init__(io.FileIO(str(path)))
        self.sizes = []

    def read(self, size=-1):
        self.sizes.append(size)
        return super().read(size)

    def read1(self, size=-1):
        self.sizes.append(size)
        return super().read1(size)


@modes
def test_files_are_streamed_in_chunks_never_read_whole(tmp_path, fake, dg, mode):
    big = tmp_path / "big.wav"
    big.write_bytes(wav(120))  # ~3.8 MB
    with TrackingReader(big) as audio:
        transcribe(dg, mode, {"buffer": audio, "mimetype": "audio/wav"})
        sizes = audio.sizes
    assert fake.last_request.body_size == big.stat().st_size
    assert sizes and all(s is not None and 0 < s <= 1 << 20 for s in sizes)


@modes
@pytest.mark.parametrize("source, message", [
    ({}, "needs a 'url'"),
    ({"url": None}, "needs a 'url'"),
    ({"buffer": 12}, "must be bytes, a file"),
    ("not a url", "source must be"),
    ({"url": "https://e.com/a.wav", "buffer": None}, None),
])
def test_bad_sources_fail_before_any_io(fake, dg, mode, source, message):
    if message is None:
        transcribe(dg, mode, source)
        return
    with pytest.raises(DeepgramSetupError, match=message):
        transcribe(dg, mode, source)
    assert fake.requests == []


@modes
def test_text_mode_files_are_refused_with_advice(dg, mode):
    with open(sample_path(), encoding="latin-1") as text:
        with pytest.raises(DeepgramSetupError, match="binary mode"):
            transcribe(dg, mode, {"buffer": text, "mimetype": "audio/wav"})


@modes
def test_options_must_be_a_dict(dg, mode):
    with pytest.raises(DeepgramSetupError, match="options must be a dict"):
        transcribe(dg, mode, {"url": "https://e.com/a.wav"}, "punctuate=true")


def test_the_legacy_helper_classes_still_send(fake, dg):
    sync = SyncPrerecordedTranscription(dg.options, {"punctuate": True}, "/listen")
    assert transcript(sync({"url": fake.sample_url()})) == FOX

    async def main():
        helper = PrerecordedTranscription(dg.options, {"punctuate": True}, "/listen")
        return await helper({"url": fake.sample_url()}, timeout=30)

    assert transcript(asyncio.run(main())) == FOX
    assert fake.last_request.query == [("punctuate", "true")]


def test_the_sync_twin_of_transcription_blocks(fake, dg):
    response = dg.sync.transcription.prerecorded({"url": fake.sample_url()}, punctuate=True)
    assert transcript(response) == FOX


def test_bearer_auth_reaches_the_api(fake):
    dg = Deepgram({"api_key": fake.api_key, "api_url": fake.url, "auth_method": "Bearer"})
    dg.sync.projects.list()
    assert fake.last_request.headers["Authorization"] == f"Bearer {fake.api_key}"
