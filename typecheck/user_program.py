"""A typed program that uses deepgram the way an application does: every endpoint group, awaited
and blocking, live streaming with handlers, captions, client options and the error tree.

It runs for real against the bundled emulator (``python typecheck/user_program.py``), so every
call in it is a valid one, and ``typecheck/run.py`` checks it with ``mypy --strict`` and pyright
(Python 3.8): a user's typed code must stay clean as the package's types get more precise.
Results are indexed as they come back; no result type is named, as a user rarely needs to.
"""

import asyncio
import datetime
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List

from deepgram import Deepgram, DeepgramApiError, DeepgramSetupError, DeepgramTimeoutError, LiveSettings
from deepgram.errors import DeepgramConnectionError
from deepgram.testing import FakeDeepgram, sample_path
from deepgram.transcription import LiveTranscription

if TYPE_CHECKING:  # the options TypedDicts are for checkers: at run time options are plain dicts
    from deepgram.types import AgentSettings, LiveOptions, PrerecordedOptions

CHUNK = 8000  # a quarter of a second of 16 kHz 16-bit audio


# -- live streaming ------------------------------------------------------------------------

seen: Dict[str, int] = {}  # live messages by type


def on_transcript(message: Dict[str, Any]) -> None:
    # Every message arrives as a dict; only final Results carry a transcript worth printing.
    if message.get("type") == "Results" and message.get("is_final"):
        transcript = message["channel"]["alternatives"][0]["transcript"]
        if transcript:
            print("    live:", transcript)


async def count_messages(message: Dict[str, Any]) -> None:
    # An async handler: awaited in message order, so the counter never races.
    seen[str(message.get("type"))] = seen.get(str(message.get("type")), 0) + 1


def on_close(code: int) -> None:
    print("    closed with", code)


def stream(live: LiveTranscription, audio: bytes) -> None:
    for start in range(0, len(audio), CHUNK):
        live.send(audio[start:start + CHUNK])


async def live_streaming(dg: Deepgram, audio: bytes) -> None:
    options: LiveOptions = {"punctuate": True, "interim_results": False}
    settings = LiveSettings(keepalive_interval=None, finish_timeout=10.0)
    live = await dg.transcription.live(options, settings=settings, endpointing=False)
    live.register_handler(live.event.TRANSCRIPT_RECEIVED, on_transcript)
    live.register_handler(live.event.TRANSCRIPT_RECEIVED, count_messages)
    live.register_handler(live.event.CLOSE, on_close)
    stream(live, audio)
    metadata = await live.finish()
    duration = metadata["duration"] if metadata else 0.0
    print(f"live: {len(live.received)} messages {sorted(seen)}, {duration:.1f} s of audio")


def blocking_live(dg: Deepgram, audio: bytes) -> None:
    with dg.sync.transcription.live({"punctuate": True}) as live:
        live.register_handler(live.event.TRANSCRIPT_RECEIVED, on_transcript)
        for start in range(0, len(audio), CHUNK):
            live.send(audio[start:start + CHUNK])
        metadata = live.finish()
    print("sync live: request", metadata["request_id"] if metadata else None)


# -- the async client ------------------------------------------------------------------------

async def transcribe(dg: Deepgram, fake: FakeDeepgram) -> None:
    options: PrerecordedOptions = {"punctuate": True, "utterances": True}
    by_url = await dg.transcription.prerecorded({"url": fake.sample_url("fox.wav")}, options, model="nova-3")
    with open(sample_path("fox.wav"), "rb") as audio:
        by_file = await dg.transcription.prerecorded({"buffer": audio, "mimetype": "audio/wav"},
                                                     smart_format=True, timeout=30)
    words = by_file["results"]["channels"][0]["alternatives"][0]["words"]
    print("transcription:", by_url["results"]["channels"][0]["alternatives"][0]["transcript"][:20],
          f"... ({len(words)} words, request {by_url['metadata']['request_id']})")

    # Captions need utterances; readable=False returns the text instead of printing it.
    srt = dg.extra.to_SRT(by_url, readable=False) or ""
    vtt = dg.extra.to_WebVTT(by_url, line_length=10, readable=False) or ""
    print("extra:", srt.splitlines()[1], "|", vtt.splitlines()[0])


async def manage(dg: Deepgram, project_id: str, member_id: str) -> None:
    project = await dg.projects.get(project_id)
    await dg.projects.update(project_id, name="Renamed project")
    print("projects:", project["name"], "->", (await dg.projects.get(project_id))["name"])

    key = await dg.keys.create(project_id, "CI key", ["member"])
    expiring = await dg.keys.create(project_id, "temporary", ["member"], ["ci"],
                                    datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc), None)
    listed = await dg.keys.list(project_id, status="active")
    fetched = await dg.keys.get(project_id, key["api_key_id"])
    await dg.keys.delete(project_id, key["api_key_id"])
    await dg.keys.delete(project_id, expiring["api_key_id"])
    print("keys:", len(listed["api_keys"]), "listed,", fetched["item"]["member"]["api_key"]["comment"])

    members = await dg.members.list_members(project_id)
    print("members:", [member["email"] for member in members["members"]])
    await dg.scopes.update_scope(project_id, member_id, "admin")
    scopes = await dg.scopes.get_scope(project_id, member_id)
    print("scopes:", scopes["scopes"])

    sent = await dg.invitations.send_invitation(project_id, {"email": "dev@example.com", "scope": "member"})
    invites = await dg.invitations.list_invitations(project_id)
    await dg.invitations.remove_invitation(project_id, "dev@example.com")
    print("invitations:", sent["message"], [invite["email"] for invite in invites["invites"]])

    page = await dg.usage.list_requests(project_id, {"limit": 10, "status": "succeeded"})
    request_id = page["requests"][0]["request_id"]
    one = await dg.usage.get_request(project_id, request_id)
    usage = await dg.usage.get_usage(project_id, start="2024-01-01", tag=["a", "b"])
    fields = await dg.usage.get_fields(project_id, {"start": "2024-01-01"})
    breakdown = await dg.usage.get_breakdown(project_id, {"grouping": ["models"]})
    print("usage:", one["request"]["request_id"] == request_id, usage["resolution"]["units"],
          len(fields["models"]), "models,", len(breakdown["results"]), "rows")

    balances = await dg.billing.list_balance(project_id)
    balance = await dg.billing.get_balance(project_id, balances["balances"][0]["balance_id"])
    costs = await dg.billing.get_breakdown(project_id, grouping="line_item")
    await dg.billing.get_fields(project_id)
    purchases = await dg.billing.list_purchases(project_id, limit=10)
    print("billing:", balance["amount"], balance["units"], len(costs["results"]), "rows,",
          len(purchases["orders"]), "orders")


async def platform(dg: Deepgram, fake: FakeDeepgram, project_id: str) -> None:
    models = await dg.models.list(include_outdated=False)
    first = models["stt"][0]
    model = await dg.models.get(first["uuid"])
    mine = await dg.models.list_project_models(project_id)
    print("models:", model["name"], len(mine["stt"]), "for the project")

    token = (await dg.auth.grant(ttl_seconds=300))["access_token"]
    async with Deepgram({"access_token": token, "api_url": fake.url}) as browser:  # can transcribe, not manage
        heard = await browser.transcription.prerecorded({"url": fake.sample_url()})
    print("auth: a token transcribes", len(heard["results"]["channels"]), "channel")

    audio = await dg.speak.generate({"text": "Hello!"}, model="aura-2-thalia-en", encoding="linear16")
    print("speak:", len(audio), "bytes of", audio.content_type)

    insight = await dg.read.analyze({"text": "Deepgram turns speech into text."}, summarize="v2", topics=True)
    summary = insight["results"].get("summary")  # only there when asked for: .get() it
    print("read:", summary["text"][:30] if summary else "no summary")

    agent = await dg.agents.create(project_id, {"think": {"provider": {"type": "open_ai"}}}, {"team": "support"})
    await dg.agents.update(project_id, agent["agent_id"], {"team": "sales"})
    variable = await dg.agents.create_variable(project_id, "company", "Example Co")
    await dg.agents.update_variable(project_id, variable["variable_id"], "Example Inc")
    thinkers = await dg.agents.list_think_models()
    agents = await dg.agents.list(project_id)
    saved = await dg.agents.get(project_id, agent["agent_id"])
    value = (await dg.agents.get_variable(project_id, variable["variable_id"]))["value"]
    await dg.agents.delete_variable(project_id, variable["variable_id"])
    await dg.agents.delete(project_id, agent["agent_id"])
    print("agents:", len(agents["agents"]), "agents,", len(thinkers["models"]), "think models,",
          saved.get("metadata"), value)

    creds = await dg.selfhosted.create_credentials(project_id, comment="k8s", scopes=["self-hosted:products"],
                                                   provider="quay")
    creds_id = creds["distribution_credentials"]["distribution_credentials_id"]
    listing = await dg.selfhosted.list_credentials(project_id)
    await dg.selfhosted.get_credentials(project_id, creds_id)
    await dg.selfhosted.delete_credentials(project_id, creds_id)
    print("selfhosted:", len(listing["distribution_credentials"]), "credentials")


async def main_async(dg: Deepgram, fake: FakeDeepgram) -> None:
    async with dg:
        projects = (await dg.with_options(max_retries=0, timeout=5).projects.list())["projects"]
        project_id = projects[0]["project_id"]
        member_id = (await dg.members.list_members(project_id))["members"][0]["member_id"]
        await transcribe(dg, fake)
        await manage(dg, project_id, member_id)
        await platform(dg, fake, project_id)
        await live_streaming(dg, sample_path().read_bytes())
        await other_sockets(dg, sample_path().read_bytes())


# -- the other websockets ---------------------------------------------------------------------

async def other_sockets(dg: Deepgram, audio: bytes) -> None:
    speech = bytearray()
    async with dg.speak.live(model="aura-2-thalia-en", encoding="linear16", sample_rate=24000) as tts:
        tts.register_handler(tts.event.AUDIO, speech.extend)
        tts.send_text("Typed streaming speech.")
        tts.flush()
    flux = await dg.transcription.live_v2({"model": "flux-general-en"}, encoding="linear16", sample_rate=16000)
    turns: List[str] = []
    flux.register_handler(flux.event.TURN_INFO, lambda turn: turns.append(turn["event"]))
    flux.configure(thresholds={"eot_threshold": 0.8})
    flux.send(audio[44:44 + 3 * CHUNK])
    await flux.finish(timeout=10)
    tts_v2 = await dg.speak.live_v2(model="flux-alexis-en")
    tts_v2.send_text("Tokens as they come.")
    summary = await tts_v2.finish()
    characters = summary["total_input_character_count"] if summary else 0
    print(f"sockets: {len(speech)} bytes of speech, {len(turns)} turns, {characters} characters")


def blocking_agent(dg: Deepgram) -> None:
    settings: AgentSettings = {"audio": {"input": {"encoding": "linear16", "sample_rate": 16000}},
                                 "agent": {"think": {"provider": {"type": "open_ai"}}}}
    with dg.sync.agents.converse(settings) as agent:
        lines: List[str] = []
        agent.register_handler(agent.event.CONVERSATION_TEXT, lambda text: lines.append(text["content"]))
        agent.inject_user_message("Hello, agent.")
        agent.update_prompt("Answer briefly.")
    print("agent:", len(lines), "lines")


# -- the blocking twin, and errors -----------------------------------------------------------

def blocking(dg: Deepgram, fake: FakeDeepgram) -> None:
    sync = dg.sync
    project_id = sync.projects.list()["projects"][0]["project_id"]
    audio = sample_path().read_bytes()
    options: Dict[str, Any] = {"punctuate": True}  # a plain dict is accepted as options too
    response = dg.transcription.sync_prerecorded({"buffer": audio, "mimetype": "audio/wav"}, options)
    again = sync.transcription.prerecorded({"url": fake.sample_url()}, diarize=True)
    print("sync transcription:", response["metadata"]["duration"], "s,",
          again["results"]["channels"][0]["alternatives"][0]["confidence"])

    key = sync.keys.create(project_id, "sync key", "member")
    print("sync keys:", len(sync.keys.list(project_id)["api_keys"]), "keys")
    sync.keys.delete(project_id, key_id=key["api_key_id"])
    member_id = sync.members.list_members(project_id)["members"][0]["member_id"]
    print("sync scopes:", sync.scopes.get_scope(project_id, member_id)["scopes"])
    print("sync invitations:", len(sync.invitations.list_invitations(project_id)["invites"]))
    print("sync usage:", dg.with_options(headers={"X-Request-Tag": "batch-7"}).sync.usage.get_usage(project_id)["end"])
    print("sync billing:", sync.billing.list_balance(project_id)["balances"][0]["amount"])
    print("sync models:", len(sync.models.list()["tts"]), "voices")
    print("sync auth:", sync.auth.grant()["expires_in"], "s token")
    with tempfile.TemporaryDirectory() as folder:
        summary = sync.speak.generate("A longer text.", to=Path(folder) / "speech.mp3", model="aura-2-thalia-en")
        print("sync speak:", summary["bytes_written"], "bytes written")
    print("sync read:", sync.read.analyze({"url": fake.sample_url()}, sentiment=True)["metadata"]["request_id"])
    print("sync agents:", len(sync.agents.list_variables(project_id)["variables"]), "variables")
    print("sync selfhosted:", len(sync.selfhosted.list_credentials(project_id)["distribution_credentials"]))
    print("sync projects:", sync.projects.get(id=project_id, limit=5)["project_id"] == project_id)
    blocking_live(dg, audio)
    blocking_agent(dg)


def errors(fake: FakeDeepgram) -> None:
    try:
        Deepgram({"api_key": "line\nbreak", "api_url": fake.url})
    except DeepgramSetupError as e:
        print("errors: setup:", str(e)[:40])

    with Deepgram({"api_key": "not-the-right-key", "api_url": fake.url}) as wrong:
        try:
            wrong.sync.projects.list()
        except DeepgramApiError as e:
            print("errors: api:", e.status, e.err_code, e.request_id is not None, e.error[:25])

    fake.script("GET", "/projects", fault="stall")  # the next listing never answers
    with Deepgram({"api_key": fake.api_key, "api_url": fake.url}) as dg:
        try:
            dg.with_options(timeout=0.5).sync.projects.list()
        except DeepgramTimeoutError as e:
            print("errors: timeout in phase", e.phase)
        except DeepgramConnectionError as e:  # a timeout is a connection error too: not this one
            sys.exit(f"expected a timeout, got {e!r}")


def main() -> None:
    with FakeDeepgram() as fake:
        dg = Deepgram({"api_key": fake.api_key, "api_url": fake.url})
        asyncio.run(main_async(dg, fake))
        with Deepgram({"api_key": fake.api_key, "api_url": fake.url}) as blocking_dg:
            blocking(blocking_dg, fake)
        errors(fake)
    print("all groups ran")


if __name__ == "__main__":
    main()
