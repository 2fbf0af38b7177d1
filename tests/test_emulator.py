"""The emulator on its own: wire protocol checked with a plain HTTP client, scripts, the CLI."""

import asyncio
import io
import json
import socket
import string
import subprocess
import sys
import time
import wave

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from deepgram.testing import FakeDeepgram, sample_path


def get(fake, path, key=None, scheme="Token", timeout=10):
    headers = {} if key is False else {"Authorization": f"{scheme} {key or fake.api_key}"}
    return requests.get(fake.url + path, headers=headers, timeout=timeout)


@pytest.mark.parametrize("scheme", ["Token", "Bearer", "token"])
def test_token_and_bearer_auth_are_accepted(fake, scheme):
    answer = get(fake, "/projects", scheme=scheme)
    assert answer.status_code == 200
    assert answer.json()["projects"][0]["project_id"] == fake.project_id


@pytest.mark.parametrize("key", [False, "wrong"])
def test_bad_credentials_get_a_401_json_error(fake, key):
    answer = get(fake, "/projects", key=key)
    assert answer.status_code == 401
    body = answer.json()
    assert body["err_code"] == "INVALID_AUTH" and body["err_msg"]
    assert body["request_id"] == answer.headers["dg-request-id"]


def test_every_answer_carries_a_request_id(fake):
    ids = {get(fake, "/projects").headers["dg-request-id"] for _ in range(3)}
    assert len(ids) == 3


def test_unknown_paths_and_methods_are_json_errors(fake):
    missing = get(fake, "/nothing-here")
    assert missing.status_code == 404 and missing.json()["err_msg"]
    wrong = requests.put(fake.url + "/projects", headers={"Authorization": f"Token {fake.api_key}"}, timeout=10)
    assert wrong.status_code == 405


def test_listen_rejects_python_style_booleans(fake):
    answer = requests.post(fake.url + "/listen?punctuate=True", json={"url": "https://e.com/a.wav"},
                           headers={"Authorization": f"Token {fake.api_key}"}, timeout=10)
    assert answer.status_code == 400
    assert "punctuate" in answer.json()["err_msg"]


def test_listen_rejects_an_empty_body(fake):
    answer = requests.post(fake.url + "/listen", data=b"", timeout=10,
                           headers={"Authorization": f"Token {fake.api_key}", "Content-Type": "audio/wav"})
    assert answer.status_code == 400


def test_key_creation_is_validated_as_the_api_does(fake):
    headers = {"Authorization": f"Token {fake.api_key}"}
    url = f"{fake.url}/projects/{fake.project_id}/keys"
    assert requests.post(url, json={"comment": "c", "scopes": ["member"], "tags": []}, headers=headers, timeout=10).status_code == 400
    assert requests.post(url, json={"comment": "c", "scopes": ["member"], "expiration_date": "soon"}, headers=headers, timeout=10).status_code == 400
    assert requests.post(url, json={"comment": "c", "scopes": ["member"]}, headers=headers, timeout=10).status_code == 200


def test_samples_are_served_for_url_sources(fake):
    answer = requests.get(fake.sample_url(), timeout=10)
    assert answer.content == sample_path().read_bytes()


def test_scripts_answer_a_limited_number_of_times(fake):
    fake.script("GET", "/projects", status=503, json={"err_msg": "busy"}, times=2)
    assert [get(fake, "/projects").status_code for _ in range(3)] == [503, 503, 200]


def test_scripts_match_globs_and_any_method(fake):
    fake.script("*", "/projects/*/keys*", status=418, body="teapot", times=None)
    assert get(fake, f"/projects/{fake.project_id}/keys").status_code == 418
    assert get(fake, f"/projects/{fake.project_id}/keys/x").status_code == 418
    assert get(fake, f"/projects/{fake.project_id}").status_code == 200


def test_scripted_delays_hold_the_answer(fake):
    fake.script("GET", "/projects", delay=0.3)
    started = time.monotonic()
    assert get(fake, "/projects").status_code == 200
    assert time.monotonic() - started >= 0.3


def test_requests_are_recorded_with_query_headers_and_body(fake):
    requests.post(fake.url + "/listen?model=nova-3&keywords=a&keywords=b", data=b"abc", timeout=10,
                  headers={"Authorization": f"Token {fake.api_key}", "Content-Type": "audio/wav"})
    seen = fake.last_request
    assert (seen.method, seen.path, seen.body, seen.body_size) == ("POST", "/v1/listen", b"abc", 3)
    assert seen.params == {"model": ["nova-3"], "keywords": ["a", "b"]}
    assert seen.headers["Content-Type"] == "audio/wav"
    fake.clear()
    assert fake.requests == []


def test_a_stopped_emulator_frees_its_port():
    fake = FakeDeepgram().start()
    port = fake.port
    fake.stop()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


def test_a_stalled_request_does_not_block_stopping():
    fake = FakeDeepgram().start()
    fake.script("GET", "/projects", fault="stall")
    with pytest.raises(requests.exceptions.ReadTimeout):
        get(fake, "/projects", timeout=0.3)
    started = time.monotonic()
    fake.stop()
    assert time.monotonic() - started < 5


def test_the_command_line_serves_until_interrupted():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "deepgram.testing", "--port", str(port)],
                               stdout=subprocess.PIPE, text=True)
    try:
        banner = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/v1" in banner
        key = banner.split("api_key: ")[1].rstrip(")\n ")
        answer = requests.get(f"http://127.0.0.1:{port}/v1/projects",
                              headers={"Authorization": f"Token {key}"}, timeout=10)
        assert json.loads(answer.text)["projects"]
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


# -- what counts as audio -------------------------------------------------------------------------

BAD_AUDIO = {"err_code": "Bad Request",
             "err_msg": "Bad Request: failed to process audio: corrupt or unsupported data"}
PADDING = bytes(4096)


def wav(seconds=1.0, rate=16000):
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(b"\x10\x00\xf0\xff" * int(seconds * rate / 2))
    return out.getvalue()


def listen(fake, body, query="", content_type="audio/wav"):
    return requests.post(fake.url + "/listen" + query, data=body, timeout=10, headers={
        "Authorization": f"Token {fake.api_key}", "Content-Type": content_type})


@pytest.mark.parametrize("body, content_type", [
    (b"recordings/meeting.wav", "audio/wav"),                      # a path's text, not its file
    (b'{"url": "https://example.com/a.wav"}', "audio/wav"),        # JSON with an audio type
    (b"<!DOCTYPE html><html><body>Not Found</body></html>", "audio/mpeg"),
    (b"The quick brown fox jumps over the lazy dog.\n" * 50, "application/octet-stream"),
    (bytes(range(256)) * 16, "application/octet-stream"),           # headerless bytes, no encoding
    (sample_path().read_bytes()[44:], "audio/wav"),                # bare PCM without encoding=
])
def test_listen_answers_a_body_that_is_not_audio_with_deepgrams_400(fake, body, content_type):
    answer = listen(fake, body, content_type=content_type)
    assert answer.status_code == 400
    assert answer.json() == {**BAD_AUDIO, "request_id": answer.headers["dg-request-id"]}


@pytest.mark.parametrize("head", [
    wav(), b"RF64\xff\xff\xff\xffWAVEds64", b"ID3\x04\x00\x00\x00\x00\x01\x00",
    b"\xff\xfb\x90\x64", b"\xff\xf3\x48\xc4", b"fLaC\x00\x00\x00\x22", b"OggS\x00\x02",
    b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81", b"\x00\x00\x00\x20ftypM4A \x00\x00\x02\x00",
    b"\x00\x00\x00\x18ftypmp42", b"\xff\xf1\x50\x80\x02\x1f\xfc", b"#!AMR\n\x3c", b"#!AMR-WB\n",
    b"FORM\x00\x00\x10\x00AIFFCOMM", b"caff\x00\x01\x00\x00", b".snd\x00\x00\x00\x18",
    b"\x30\x26\xb2\x75\x8e\x66\xcf\x11\xa6\xd9\x00\xaa\x00\x62\xce\x6c",
], ids=lambda head: head[:12].hex())
def test_listen_transcribes_known_containers_and_codecs(fake, head):
    answer = listen(fake, head + PADDING)
    assert answer.status_code == 200, answer.text
    assert "results" in answer.json()


def test_listen_takes_headerless_audio_when_the_query_gives_its_encoding(fake):
    pcm = sample_path().read_bytes()[44:]
    answer = listen(fake, pcm, "?encoding=linear16&sample_rate=16000", "application/octet-stream")
    assert answer.status_code == 200, answer.text
    assert answer.json()["metadata"]["duration"] == pytest.approx(6.02, abs=0.01)


@given(st.text(alphabet=string.printable, max_size=300))
def test_printable_text_is_never_taken_for_audio(text):
    from deepgram.testing._sniff import is_audio

    assert not is_audio(text.encode(), {})
    assert is_audio(text.encode(), {"encoding": "linear16"}) == bool(text)


# -- results say they are the emulator's ------------------------------------------------------------


def model_names(metadata):
    return [info["name"] for info in metadata["model_info"].values()]


def test_a_result_for_unknown_audio_says_its_words_are_made_up(fake):
    made_up = listen(fake, wav(3), "?model=nova-3").json()["metadata"]
    by_url = requests.post(fake.url + "/listen", json={"url": "https://example.com/other.wav"}, timeout=10,
                           headers={"Authorization": f"Token {fake.api_key}"}).json()["metadata"]
    for names in (model_names(made_up), model_names(by_url)):
        assert len(names) == 1 and "emulator" in names[0] and "made-up words" in names[0]
    assert model_names(made_up)[0].startswith("nova-3")


def test_a_result_for_a_bundled_sample_says_it_is_the_emulators_sample(fake):
    for body in (sample_path().read_bytes(), None):
        answer = listen(fake, body) if body else requests.post(
            fake.url + "/listen", json={"url": fake.sample_url()}, timeout=10,
            headers={"Authorization": f"Token {fake.api_key}"})
        [name] = model_names(answer.json()["metadata"])
        assert "emulator" in name and "bundled sample fox.wav" in name and "made-up" not in name


async def stream(fake, audio, query):
    import aiohttp

    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(fake.url.replace("http", "ws") + "/listen" + query,
                                      headers={"Authorization": f"Token {fake.api_key}"}) as ws:
            for offset in range(0, len(audio), 8000):
                await ws.send_bytes(audio[offset:offset + 8000])
            await ws.send_str(json.dumps({"type": "CloseStream"}))
            return [json.loads(message.data) async for message in ws]


@pytest.mark.parametrize("audio, says", [
    (sample_path().read_bytes()[44:], "bundled sample fox.wav"),       # bare PCM, as before
    (sample_path().read_bytes(), "bundled sample fox.wav"),
    (wav(4)[44:], "made-up words"),
])
def test_live_results_say_whose_words_they_are(fake, audio, says):
    messages = asyncio.run(asyncio.wait_for(stream(fake, audio, "?encoding=linear16&sample_rate=16000"), 30))
    results = [m for m in messages if m["type"] == "Results"]
    names = {m["metadata"]["model_info"]["name"] for m in results}
    names |= set(model_names(next(m for m in messages if m["type"] == "Metadata")))
    assert results and all("emulator" in name and says in name for name in names), names
    if "fox" in says:
        assert "quick brown fox" in " ".join(m["channel"]["alternatives"][0]["transcript"] for m in results)


# -- recording --------------------------------------------------------------------------------------


def test_the_recorded_json_of_a_body_that_is_not_json_is_none(fake):
    listen(fake, sample_path().read_bytes())
    assert fake.last_request.body and fake.last_request.json is None
    listen(fake, b"plain text, not JSON", "?encoding=linear16")
    assert fake.last_request.json is None
    requests.post(fake.url + "/listen", json={"url": fake.sample_url()}, timeout=10,
                  headers={"Authorization": f"Token {fake.api_key}"})
    assert fake.last_request.json == {"url": fake.sample_url()}
