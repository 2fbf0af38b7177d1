"""The deepgram-sdk 2.12.0 README examples (prerecorded and management), retold as tests.

Each test is written the way that README taught users to write their programs, so programs
built from it run unchanged against this package (here against the emulator).
"""

import asyncio
import json

import pytest

from deepgram import Deepgram
from deepgram.testing import sample_path


@pytest.fixture
def settings(fake):
    """What a README user fills in at the top of the script."""
    return {"key": fake.api_key, "url": fake.url, "project": fake.project_id, "member": fake.member_id}


def test_transcribe_a_local_file(settings, capsys):
    async def main():
        deepgram = Deepgram({"api_key": settings["key"], "api_url": settings["url"]})
        with open(sample_path(), "rb") as audio:
            source = {"buffer": audio, "mimetype": "audio/wav"}
            response = await deepgram.transcription.prerecorded(source, {"punctuate": True})
            print(json.dumps(response, indent=4))

    asyncio.run(main())
    printed = json.loads(capsys.readouterr().out)
    assert printed["results"]["channels"][0]["alternatives"][0]["transcript"].startswith("The quick brown fox")


def test_transcribe_a_remote_file(settings, fake):
    async def main():
        deepgram = Deepgram({"api_key": settings["key"], "api_url": settings["url"]})
        source = {"url": fake.sample_url()}
        return await deepgram.transcription.prerecorded(source, {"smart_format": True, "model": "nova"})

    response = asyncio.run(main())
    assert response["results"]["channels"][0]["alternatives"][0]["transcript"].endswith("into text.")


def test_transcribe_synchronously(settings):
    deepgram = Deepgram({"api_key": settings["key"], "api_url": settings["url"]})
    with open(sample_path(), "rb") as audio:
        response = deepgram.transcription.sync_prerecorded({"buffer": audio, "mimetype": "audio/wav"},
                                                           {"punctuate": True, "utterances": True})
    captions = deepgram.extra.to_SRT(response, readable=False)
    assert captions.startswith("1\n00:00:00,")


def test_custom_endpoint_with_listen_suffix_still_works(settings):
    # The 2.12 README showed an on-prem URL ending in /listen, which doubled the path there.
    with pytest.warns(UserWarning, match="without /listen"):
        deepgram = Deepgram({"api_key": settings["key"], "api_url": settings["url"] + "/listen"})
    response = deepgram.transcription.sync_prerecorded({"buffer": sample_path().read_bytes(),
                                                        "mimetype": "audio/wav"})
    assert response["metadata"]["duration"] > 6


def test_management_walkthrough(settings):
    project_id, member_id = settings["project"], settings["member"]

    async def main():
        deepgram = Deepgram({"api_key": settings["key"], "api_url": settings["url"]})
        projects = await deepgram.projects.list()
        project = await deepgram.projects.get(project_id)
        project["name"] = "Renamed"
        updated = await deepgram.projects.update(project)
        keys = await deepgram.keys.list(project_id)
        created = await deepgram.keys.create(project_id, "A key for CI", ["member"])
        await deepgram.keys.delete(project_id, created["api_key_id"])
        members = await deepgram.members.list_members(project_id)
        scopes = await deepgram.scopes.get_scope(project_id, member_id)
        await deepgram.scopes.update_scope(project_id, member_id, "member")
        await deepgram.invitations.send_invitation(project_id, {"email": "developer@example.com", "scope": "member"})
        invites = await deepgram.invitations.list_invitations(project_id)
        await deepgram.invitations.remove_invitation(project_id, "developer@example.com")
        requests = await deepgram.usage.list_requests(project_id, {"limit": 10, "status": "succeeded"})
        one = await deepgram.usage.get_request(project_id, requests["requests"][0]["request_id"])
        usage = await deepgram.usage.get_usage(project_id, {"start": "2020-01-01T00:00:00+00:00"})
        fields = await deepgram.usage.get_fields(project_id, {"start": "2020-01-01", "end": "2030-01-01"})
        balances = await deepgram.billing.list_balance(project_id)
        balance = await deepgram.billing.get_balance(project_id, balances["balances"][0]["balance_id"])
        return locals()

    seen = asyncio.run(main())
    assert seen["projects"]["projects"][0]["project_id"] == project_id
    assert seen["updated"]["message"]
    assert (asyncio.run(Deepgram({"api_key": settings["key"], "api_url": settings["url"]})
                        .projects.get(project_id)))["name"] == "Renamed"
    assert seen["keys"]["api_keys"] and seen["created"]["key"]
    assert seen["members"]["members"][0]["member_id"] == member_id
    assert seen["scopes"]["scopes"] == ["owner"]
    assert {"email": "developer@example.com", "scope": "member"} in seen["invites"]["invites"]
    assert seen["one"]["request"]["request_id"] == seen["requests"]["requests"][0]["request_id"]
    assert seen["usage"]["resolution"]["units"] == "day"
    assert seen["fields"]["models"]
    assert seen["balance"]["amount"] == seen["balances"]["balances"][0]["amount"]


def test_leaving_a_project(settings):
    deepgram = Deepgram({"api_key": settings["key"], "api_url": settings["url"]})
    assert asyncio.run(deepgram.invitations.leave_project(settings["project"]))["message"]
