"""Against the real Deepgram API: run with `pytest --api-key KEY` (skipped otherwise)."""

import asyncio

import pytest

from deepgram import Deepgram, DeepgramApiError
from deepgram.testing import sample_path

pytestmark = pytest.mark.real_api


def test_transcribes_the_bundled_sample(real_api_key):
    dg = Deepgram(real_api_key)
    with open(sample_path(), "rb") as audio:
        response = dg.transcription.sync_prerecorded({"buffer": audio, "mimetype": "audio/wav"},
                                                     {"punctuate": True}, model="nova-3")
    transcript = response["results"]["channels"][0]["alternatives"][0]["transcript"].lower()
    assert "quick brown fox" in transcript
    assert response.request_id


def test_lists_projects_async(real_api_key):
    projects = asyncio.run(Deepgram(real_api_key).projects.list())
    assert isinstance(projects["projects"], list)


def test_a_wrong_key_is_a_401_error():
    with pytest.raises(DeepgramApiError) as caught:
        Deepgram("not-a-real-key").sync.projects.list()
    assert caught.value.status == 401
