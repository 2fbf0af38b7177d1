"""Table-driven: every REST endpoint's call shape, method, path, query and body, on both transports."""

import datetime
from urllib.parse import unquote

import pytest

from deepgram.testing._state import Account

P, M, K = Account.PROJECT_ID, Account.MEMBER_ID, Account.KEY_ID
B, R, E = Account.BALANCE_ID, Account.REQUEST_ID, Account.INVITE_EMAIL
A, V, C = Account.AGENT_ID, Account.VARIABLE_ID, Account.CREDENTIALS_ID
NOVA = "1ed36bac-f71c-4f3f-a31f-02fd6525c27d"
CREDS = f"{P}/self-hosted/distribution/credentials"
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
    # The rest of today's API, in the same shape.
    ("auth.grant", lambda c: c.auth.grant(ttl_seconds=60), "POST", "/v1/auth/grant", [], {"ttl_seconds": 60}),
    ("models.list", lambda c: c.models.list(include_outdated=True), "GET", "/v1/models",
     [("include_outdated", "true")], None),
    ("models.get", lambda c: c.models.get(NOVA), "GET", f"/v1/models/{NOVA}", [], None),
    ("models.list_project_models", lambda c: c.models.list_project_models(P), "GET", PROJ + "/models", [], None),
    ("models.get_project_model", lambda c: c.models.get_project_model(P, NOVA), "GET", f"{PROJ}/models/{NOVA}", [], None),
    ("projects.get(limit, page)", lambda c: c.projects.get(P, limit=5, page=1), "GET", PROJ,
     [("limit", "5"), ("page", "1")], None),
    ("keys.list(status)", lambda c: c.keys.list(P, status="active"), "GET", PROJ + "/keys", [("status", "active")], None),
    ("usage.get_breakdown", lambda c: c.usage.get_breakdown(P, {"grouping": ["models", "tags"]}),
     "GET", PROJ + "/usage/breakdown", [("grouping", "models"), ("grouping", "tags")], None),
    ("billing.get_breakdown", lambda c: c.billing.get_breakdown(P, start="2024-01-01", grouping="line_item"),
     "GET", PROJ + "/billing/breakdown", [("start", "2024-01-01"), ("grouping", "line_item")], None),
    ("billing.get_fields", lambda c: c.billing.get_fields(P), "GET", PROJ + "/billing/fields", [], None),
    ("billing.list_purchases", lambda c: c.billing.list_purchases(P, limit=3), "GET", PROJ + "/purchases",
     [("limit", "3")], None),
    ("selfhosted.list_credentials", lambda c: c.selfhosted.list_credentials(P), "GET", "/v1/projects/" + CREDS, [], None),
    ("selfhosted.create_credentials",
     lambda c: c.selfhosted.create_credentials(P, "ci", ["self-hosted:products"], "quay"),
     "POST", "/v1/projects/" + CREDS, [("scopes", "self-hosted:products"), ("provider", "quay")], {"comment": "ci"}),
    ("selfhosted.get_credentials", lambda c: c.selfhosted.get_credentials(P, C), "GET",
     f"/v1/projects/{CREDS}/{C}", [], None),
    ("selfhosted.delete_credentials", lambda c: c.selfhosted.delete_credentials(P, C), "DELETE",
     f"/v1/projects/{CREDS}/{C}", [], None),
    ("read.analyze", lambda c: c.read.analyze({"text": "Hi there."}, summarize="v2", topics=True),
     "POST", "/v1/read", [("summarize", "v2"), ("topics", "true")], {"text": "Hi there."}),
    ("speak.generate(callback)", lambda c: c.speak.generate({"text": "Hi"}, model="aura-2-thalia-en",
                                                            callback="https://example.com/hook"),
     "POST", "/v1/speak", [("model", "aura-2-thalia-en"), ("callback", "https://example.com/hook")], {"text": "Hi"}),
    ("speak.generate_v2(callback)", lambda c: c.speak.generate_v2("Hi", model="flux-tts", callback="https://e.com/h"),
     "POST", "/v2/speak", [("model", "flux-tts"), ("callback", "https://e.com/h")], {"text": "Hi"}),
    ("agents.list_think_models", lambda c: c.agents.list_think_models(), "GET", "/v1/agent/settings/think/models", [], None),
    ("agents.create", lambda c: c.agents.create(P, {"think": {}}, {"team": "a"}, 1), "POST", PROJ + "/agents", [],
     {"config": '{"think": {}}', "metadata": {"team": "a"}, "api_version": 1}),
    ("agents.list", lambda c: c.agents.list(P), "GET", PROJ + "/agents", [], None),
    ("agents.get", lambda c: c.agents.get(P, A), "GET", f"{PROJ}/agents/{A}", [], None),
    ("agents.update", lambda c: c.agents.update(P, A, {"team": "b"}), "PUT", f"{PROJ}/agents/{A}", [],
     {"metadata": {"team": "b"}}),
    ("agents.delete", lambda c: c.agents.delete(P, A), "DELETE", f"{PROJ}/agents/{A}", [], None),
    ("agents.create_variable", lambda c: c.agents.create_variable(P, "name", "Ada"), "POST",
     PROJ + "/agent-variables", [], {"key": "name", "value": "Ada"}),
    ("agents.list_variables", lambda c: c.agents.list_variables(P), "GET", PROJ + "/agent-variables", [], None),
    ("agents.get_variable", lambda c: c.agents.get_variable(P, V), "GET", f"{PROJ}/agent-variables/{V}", [], None),
    ("agents.update_variable", lambda c: c.agents.update_variable(P, V, "Grace"), "PATCH",
     f"{PROJ}/agent-variables/{V}", [], {"value": "Grace"}),
    ("agents.delete_variable", lambda c: c.agents.delete_variable(P, V), "DELETE", f"{PROJ}/agent-variables/{V}", [], None),
]

# The 50 REST operations of the official API specification (method, path), each to be reached
# by at least one case above.
SPEC_OPERATIONS = {
    ("GET", "/v1/agent/settings/think/models"),
    ("POST", "/v1/projects/{project_id}/agents"), ("GET", "/v1/projects/{project_id}/agents"),
    ("GET", "/v1/projects/{project_id}/agents/{agent_id}"), ("PUT", "/v1/projects/{project_id}/agents/{agent_id}"),
    ("DELETE", "/v1/projects/{project_id}/agents/{agent_id}"),
    ("POST", "/v1/projects/{project_id}/agent-variables"), ("GET", "/v1/projects/{project_id}/agent-variables"),
    ("GET", "/v1/projects/{project_id}/agent-variables/{variable_id}"),
    ("PATCH", "/v1/projects/{project_id}/agent-variables/{variable_id}"),
    ("DELETE", "/v1/projects/{project_id}/agent-variables/{variable_id}"),
    ("POST", "/v1/listen"), ("POST", "/v1/speak"), ("POST", "/v1/read"), ("GET", "/v1/projects"),
    ("GET", "/v1/projects/{project_id}"), ("PATCH", "/v1/projects/{project_id}"),
    ("DELETE", "/v1/projects/{project_id}"), ("DELETE", "/v1/projects/{project_id}/leave"),
    ("GET", "/v1/projects/{project_id}/models"), ("GET", "/v1/projects/{project_id}/models/{model_id}"),
    ("GET", "/v1/models"), ("GET", "/v1/models/{model_id}"),
    ("GET", "/v1/projects/{project_id}/keys"), ("POST", "/v1/projects/{project_id}/keys"),
    ("GET", "/v1/projects/{project_id}/keys/{key_id}"), ("DELETE", "/v1/projects/{project_id}/keys/{key_id}"),
    ("GET", "/v1/projects/{project_id}/members"), ("DELETE", "/v1/projects/{project_id}/members/{member_id}"),
    ("GET", "/v1/projects/{project_id}/members/{member_id}/scopes"),
    ("PUT", "/v1/projects/{project_id}/members/{member_id}/scopes"),
    ("GET", "/v1/projects/{project_id}/invites"), ("POST", "/v1/projects/{project_id}/invites"),
    ("DELETE", "/v1/projects/{project_id}/invites/{email}"),
    ("GET", "/v1/projects/{project_id}/requests"), ("GET", "/v1/projects/{project_id}/requests/{request_id}"),
    ("GET", "/v1/projects/{project_id}/usage"), ("GET", "/v1/projects/{project_id}/usage/fields"),
    ("GET", "/v1/projects/{project_id}/usage/breakdown"),
    ("GET", "/v1/projects/{project_id}/balances"), ("GET", "/v1/projects/{project_id}/balances/{balance_id}"),
    ("GET", "/v1/projects/{project_id}/billing/breakdown"), ("GET", "/v1/projects/{project_id}/billing/fields"),
    ("GET", "/v1/projects/{project_id}/purchases"),
    ("GET", "/v1/projects/{project_id}/self-hosted/distribution/credentials"),
    ("POST", "/v1/projects/{project_id}/self-hosted/distribution/credentials"),
    ("GET", "/v1/projects/{project_id}/self-hosted/distribution/credentials/{distribution_credentials_id}"),
    ("DELETE", "/v1/projects/{project_id}/self-hosted/distribution/credentials/{distribution_credentials_id}"),
    ("POST", "/v1/auth/grant"), ("POST", "/v2/speak"),
}
IDS = {P: "{project_id}", M: "{member_id}", K: "{key_id}", B: "{balance_id}", R: "{request_id}", E: "{email}",
       A: "{agent_id}", V: "{variable_id}", C: "{distribution_credentials_id}", NOVA: "{model_id}"}


def _template(path):
    segments = path.split("/")
    return "/".join(IDS.get(s, s) for s in segments)


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


def test_the_table_reaches_all_50_operations_of_the_spec():
    assert len(SPEC_OPERATIONS) == 50
    reached = {(method, _template(path)) for _, _, method, path, _, _ in CASES}
    assert SPEC_OPERATIONS - reached == set()
    assert reached - SPEC_OPERATIONS == set()


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
    assert all(legacy[group] <= covered[group] for group in legacy)


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
