"""Table-driven: every REST endpoint's call shape, method, path, query and body, on both transports."""

import datetime
from urllib.parse import unquote

import pytest

from deepgram.testing._state import Account

P, M, K = Account.PROJECT_ID, Account.MEMBER_ID, Account.KEY_ID
B, R, E = Account.BALANCE_ID, Account.REQUEST_ID, Account.INVITE_EMAIL
PROJ = f"/v1/projects/{P}"
WHEN = datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)

# (id, call, method, path, query pairs, JSON body)
CASES = [
    ("projects.list", lambda c: c.projects.list(), "GET", "/v1/projects", [], None),
    ("projects.get", lambda c: c.projects.get(P), "GET", PROJ, [], None),
    ("projects.get(id=)", lambda c: c.projects.get(id=P), "GET", PROJ, [], None),
    ("projects.update(**payload)", lambda c: c.projects.update(P, name="N", company="C"),
     "PATCH", PROJ, [], {"name": "N", "company": "C"}),
    ("projects.update(dict)", lambda c: c.projects.update({"project_id": P, "name": "N"}),
     "PATCH", PROJ, [], {"name": "N"}),
    ("projects.update(id, name, company)", lambda c: c.projects.update(P, "N", "C"),
     "PATCH", PROJ, [], {"name": "N", "company": "C"}),
    ("projects.update(id=, name=)", lambda c: c.projects.update(id=P, name="N"),
     "PATCH", PROJ, [], {"name": "N"}),
    ("projects.delete", lambda c: c.projects.delete(P), "DELETE", PROJ, [], None),
    ("projects.delete(id=)", lambda c: c.projects.delete(id=P), "DELETE", PROJ, [], None),
    ("keys.list", lambda c: c.keys.list(P), "GET", PROJ + "/keys", [], None),
    ("keys.get", lambda c: c.keys.get(P, K), "GET", f"{PROJ}/keys/{K}", [], None),
    ("keys.create(3 args)", lambda c: c.keys.create(P, "ci", ["member"]),
     "POST", PROJ + "/keys", [], {"comment": "ci", "scopes": ["member"]}),
    ("keys.create(6 args)", lambda c: c.keys.create(P, "ci", ["member"], ["t1"], WHEN, None),
     "POST", PROJ + "/keys", [],
     {"comment": "ci", "scopes": ["member"], "tags": ["t1"], "expiration_date": "2030-01-02T03:04:05+00:00"}),
    ("keys.create(ttl)", lambda c: c.keys.create(P, "ci", ["member"], time_to_live_in_seconds=60),
     "POST", PROJ + "/keys", [], {"comment": "ci", "scopes": ["member"], "time_to_live_in_seconds": 60}),
    ("keys.delete", lambda c: c.keys.delete(P, K), "DELETE", f"{PROJ}/keys/{K}", [], None),
    ("keys.delete(key_id=)", lambda c: c.keys.delete(P, key_id=K), "DELETE", f"{PROJ}/keys/{K}", [], None),
    ("members.list_members", lambda c: c.members.list_members(P), "GET", PROJ + "/members", [], None),
    ("members.remove_member", lambda c: c.members.remove_member(P, M),
     "DELETE", f"{PROJ}/members/{M}", [], None),
    ("scopes.get_scope", lambda c: c.scopes.get_scope(P, M), "GET", f"{PROJ}/members/{M}/scopes", [], None),
    ("scopes.update_scope", lambda c: c.scopes.update_scope(P, M, "admin"),
     "PUT", f"{PROJ}/members/{M}/scopes", [], {"scope": "admin"}),
    ("invitations.list_invitations", lambda c: c.invitations.list_invitations(P),
     "GET", PROJ + "/invites", [], None),
    ("invitations.send_invitation", lambda c: c.invitations.send_invitation(P, {"email": "a@b.co", "scope": "member"}),
     "POST", PROJ + "/invites", [], {"email": "a@b.co", "scope": "member"}),
    ("invitations.remove_invitation", lambda c: c.invitations.remove_invitation(P, E),
     "DELETE", f"{PROJ}/invites/{E}", [], None),
    ("invitations.leave_project", lambda c: c.invitations.leave_project(P), "DELETE", PROJ + "/leave", [], None),
    ("usage.list_requests", lambda c: c.usage.list_requests(P, {"start": "2024-01-01", "limit": 5, "page": None}),
     "GET", PROJ + "/requests", [("start", "2024-01-01"), ("limit", "5")], None),
    ("usage.list_requests(**kwargs)", lambda c: c.usage.list_requests(P, status="succeeded"),
     "GET", PROJ + "/requests", [("status", "succeeded")], None),
    ("usage.get_request", lambda c: c.usage.get_request(P, R), "GET", f"{PROJ}/requests/{R}", [], None),
    ("usage.get_usage", lambda c: c.usage.get_usage(P, {"tag": ["a", "b"], "punctuate": True}),
     "GET", PROJ + "/usage", [("tag", "a"), ("tag", "b"), ("punctuate", "true")], None),
    ("usage.get_fields", lambda c: c.usage.get_fields(P, {"start": "2024-01-01", "end": "2024-02-01"}),
     "GET", PROJ + "/usage/fields", [("start", "2024-01-01"), ("end", "2024-02-01")], None),
    ("billing.list_balance", lambda c: c.billing.list_balance(P), "GET", PROJ + "/balances", [], None),
    ("billing.get_balance", lambda c: c.billing.get_balance(P, B), "GET", f"{PROJ}/balances/{B}", [], None),
    ("transcription.prerecorded(url)",
     lambda c: c.transcription.prerecorded({"url": "https://dpgr.am/spacewalk.wav"}, {"punctuate": True, "model": "x"}, model="nova-3"),
     "POST", "/v1/listen", [("punctuate", "true"), ("model", "nova-3")], {"url": "https://dpgr.am/spacewalk.wav"}),
]


from _support import call as _run  # noqa: E402


@pytest.mark.parametrize("mode", ["async", "sync"])
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_endpoint_wire_shape(fake, dg, mode, case):
    _, call, method, path, query, body = case
    result = _run(dg, mode, call)
    sent = fake.last_request
    assert sent.method == method
    assert unquote(sent.raw_path) == path
    assert sent.query == query
    assert sent.json == body
    assert sent.headers["Authorization"] == f"Token {fake.api_key}"
    assert sent.headers["User-Agent"].startswith("deepgram/")
    if body is not None:
        assert sent.headers["Content-Type"] == "application/json"
    assert isinstance(result, dict)
    assert result.headers["dg-request-id"] == sent.request_id


def test_the_table_covers_every_legacy_method():
    legacy = {
        "projects": {"list", "get", "update", "delete"},
        "keys": {"list", "get", "create", "delete"},
        "members": {"list_members", "remove_member"},
        "scopes": {"get_scope", "update_scope"},
        "invitations": {"list_invitations", "send_invitation", "remove_invitation", "leave_project"},
        "usage": {"list_requests", "get_request", "get_usage", "get_fields"},
        "billing": {"list_balance", "get_balance"},
        "transcription": {"prerecorded"},
    }
    covered = {}
    for name, *_ in CASES:
        group, method = name.split("(")[0].split(".")
        covered.setdefault(group, set()).add(method)
    assert covered == legacy


@pytest.mark.parametrize("mode", ["async", "sync"])
def test_path_segments_are_url_encoded(fake, dg, mode):
    _run(dg, mode, lambda c: c.invitations.remove_invitation(P, E))
    assert "%2B" in fake.last_request.raw_path  # '+' would otherwise read as a space
    assert fake.last_request.path.endswith("/invites/" + E)


def test_projects_create_keeps_the_legacy_call_and_reports_the_api_answer(fake, dg):
    from deepgram import DeepgramApiError

    with pytest.raises(DeepgramApiError) as caught:
        dg.sync.projects.create("New project")
    assert caught.value.status == 405
    assert fake.last_request.json == {"name": "New project"}
