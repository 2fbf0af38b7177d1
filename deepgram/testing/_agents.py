"""The emulator's voice agent endpoints: think models, agent configurations and their variables."""

import json
import uuid
from typing import Any, Dict, List

from aiohttp import web

from ._rest import RestApi, _bad, _json_object
from ._state import now_iso

THINK_MODELS = [{"id": "gpt-4o-mini", "name": "GPT-4o mini", "provider": "open_ai"},
                {"id": "claude-3-5-haiku-latest", "name": "Claude 3.5 Haiku", "provider": "anthropic"}]


class AgentApi:
    """Agent handlers over the same account as ``RestApi`` (whose helpers they share)."""

    def __init__(self, rest: RestApi) -> None:
        self.rest = rest
        self.account = rest.account

    def routes(self) -> List[web.RouteDef]:
        p = "/v1/projects/{project_id}"
        return [
            web.get("/v1/agent/settings/think/models", self.think_models),
            web.post(p + "/agents", self.create_agent),
            web.get(p + "/agents", self.list_agents),
            web.get(p + "/agents/{agent_id}", self.get_agent),
            web.put(p + "/agents/{agent_id}", self.update_agent),
            web.delete(p + "/agents/{agent_id}", self.delete_agent),
            web.post(p + "/agent-variables", self.create_variable),
            web.get(p + "/agent-variables", self.list_variables),
            web.get(p + "/agent-variables/{variable_id}", self.get_variable),
            web.patch(p + "/agent-variables/{variable_id}", self.update_variable),
            web.delete(p + "/agent-variables/{variable_id}", self.delete_variable),
        ]

    async def think_models(self, request: web.Request) -> web.Response:
        return web.json_response({"models": THINK_MODELS})

    async def create_agent(self, request: web.Request) -> web.Response:
        body = await _json_object(request) or {}
        config = _json_string(body.get("config"))
        if not isinstance(config, dict) or not _string_map(body.get("metadata", {})):
            return _bad(request, "Bad Request: config must be a JSON object encoded as a string, "
                                 "metadata a map of strings")

        def create(pid: str) -> Dict[str, Any]:
            record: Dict[str, Any] = {"agent_id": str(uuid.uuid4()), "config": config,
                                      "metadata": body.get("metadata", {}),
                                      "created_at": now_iso(), "updated_at": now_iso()}
            self.account.project(pid).setdefault("agents", {})[record["agent_id"]] = record
            return {k: record[k] for k in ("agent_id", "config", "metadata")}

        return self.rest._answer(request, create)

    async def list_agents(self, request: web.Request) -> web.Response:
        return self.rest._answer(request, lambda pid: {
            "agents": list(self.account.project(pid).setdefault("agents", {}).values())})

    async def get_agent(self, request: web.Request) -> web.Response:
        return self.rest._answer(request, lambda pid: self._agent(pid, request))

    async def update_agent(self, request: web.Request) -> web.Response:
        body = await _json_object(request)
        if not body or not _string_map(body.get("metadata")):
            return _bad(request, "Bad Request: the body must be {\"metadata\": {...}} with string values")

        def update(pid: str) -> Dict[str, Any]:
            record = self._agent(pid, request)
            record.update(metadata=body["metadata"], updated_at=now_iso())
            return record

        return self.rest._answer(request, update)

    async def delete_agent(self, request: web.Request) -> web.Response:
        def delete(pid: str) -> Dict[str, Any]:
            del self.account.project(pid)["agents"][self._agent(pid, request)["agent_id"]]
            return {}

        return self.rest._answer(request, delete)

    def _agent(self, pid: str, request: web.Request) -> Dict[str, Any]:
        self.account.project(pid).setdefault("agents", {})
        return self.account.item(pid, "agents", request.match_info["agent_id"])

    async def create_variable(self, request: web.Request) -> web.Response:
        body = await _json_object(request)
        if not body or not isinstance(body.get("key"), str) or not body["key"] or "value" not in body:
            return _bad(request, "Bad Request: the body must be {\"key\": ..., \"value\": ...}")

        def create(pid: str) -> Dict[str, Any]:
            variables = self.account.project(pid).setdefault("variables", {})
            record = {"variable_id": str(uuid.uuid4()), "key": body["key"], "value": body["value"],
                      "created_at": now_iso(), "updated_at": now_iso()}
            variables[record["variable_id"]] = record
            return record

        return self.rest._answer(request, create)

    async def list_variables(self, request: web.Request) -> web.Response:
        return self.rest._answer(request, lambda pid: {
            "variables": list(self.account.project(pid).setdefault("variables", {}).values())})

    async def get_variable(self, request: web.Request) -> web.Response:
        return self.rest._answer(request, lambda pid: self._variable(pid, request))

    async def update_variable(self, request: web.Request) -> web.Response:
        body = await _json_object(request)
        if not body or "value" not in body:
            return _bad(request, "Bad Request: the body must be {\"value\": ...}")

        def update(pid: str) -> Dict[str, Any]:
            record = self._variable(pid, request)
            record.update(value=body["value"], updated_at=now_iso())
            return record

        return self.rest._answer(request, update)

    async def delete_variable(self, request: web.Request) -> web.Response:
        def delete(pid: str) -> Dict[str, Any]:
            record = self._variable(pid, request)
            del self.account.project(pid)["variables"][record["variable_id"]]
            return record

        return self.rest._answer(request, delete)

    def _variable(self, pid: str, request: web.Request) -> Dict[str, Any]:
        self.account.project(pid).setdefault("variables", {})
        return self.account.item(pid, "variables", request.match_info["variable_id"])


def _json_string(value: object) -> Any:
    """What a string of JSON holds; None when ``value`` is no string of JSON."""
    if not isinstance(value, str):
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None


def _string_map(value: object) -> bool:
    """Whether ``value`` is a JSON object of strings."""
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
