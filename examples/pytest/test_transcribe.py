"""An example of a user's test: on the emulator by default, on Deepgram with --api-key KEY."""

from deepgram.testing import sample_path


def test_the_sample_is_transcribed(dg):
    with open(sample_path(), "rb") as audio:
        response = dg.transcription.sync_prerecorded({"buffer": audio, "mimetype": "audio/wav"},
                                                     {"punctuate": True})
    transcript = response["results"]["channels"][0]["alternatives"][0]["transcript"]
    assert "quick brown fox" in transcript.lower()


def test_the_emulator_records_what_was_sent(deepgram_fake):
    from deepgram import Deepgram

    client = Deepgram({"api_key": deepgram_fake.api_key, "api_url": deepgram_fake.url})
    client.sync.projects.list()
    assert deepgram_fake.last_request.path == "/v1/projects"
