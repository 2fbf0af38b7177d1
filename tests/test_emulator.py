"""The emulator on its own: wire protocol checked with a plain HTTP client, scripts, the CLI."""

import json
import socket
import subprocess
import sys
import time

import pytest
import requests

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
