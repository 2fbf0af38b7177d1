"""The emulator's management endpoints (projects, keys, members, usage), with the paths, bodies
and errors of the official spec; and the helpers its other handlers share."""

import datetime
import json
from typing import Any, Callable, Dict, List, Optional, Tuple

from aiohttp import web

from . import _transcripts
from ._middleware import read_body
from ._server import REQUEST_ID, Plumbing, error_response
from ._state import Account, NotFound


def _bad(request: web.Request, message: str, status: int = 400) -> web.Response:
    """A Deepgram-shaped error answer to ``request``."""
    code = {400: "Bad Request", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(status, "ERROR")
    return error_response(status, code, message, request[REQUEST_ID])


async def _json_object(request: web.Request) -> Optional[Dict[str, Any]]:
    """The request's body as a JSON object; None when it is not one."""
    body, _, _ = await read_body(request)
    try:
        parsed = json.loads(body or b"null")
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


class RestApi:
    """Management handlers over one emulated ``Account``."""

    def __init__(self, account: Account, plumbing: Plumbing) -> None:
        self.account = account
        self.plumbing = plumbing

    def routes(self) -> List[web.RouteDef]:
        p = "/v1/projects/{project_id}"
        return [
            web.get("/v1/projects", self.list_projects),
            web.get(p, self.get_project),
            web.patch(p, self.update_project),
            web.delete(p, self.delete_project),
            web.delete(p + "/leave", self.leave_project),
            web.get(p + "/keys", self.list_keys),
            web.post(p + "/keys", self.create_key),
            web.get(p + "/keys/{key_id}", self.get_key),
            web.delete(p + "/keys/{key_id}", self.delete_key),
            web.get(p + "/members", self.list_members),
            web.delete(p + "/members/{member_id}", self.remove_member),
            web.get(p + "/members/{member_id}/scopes", self.get_scopes),
            web.put(p + "/members/{member_id}/scopes", self.update_scopes),
            web.get(p + "/invites", self.list_invites),
            web.post(p + "/invites", self.send_invite),
            web.delete(p + "/invites/{email}", self.delete_invite),
            web.get(p + "/requests", self.list_requests),
            web.get(p + "/requests/{request_id}", self.get_request),
            web.get(p + "/usage", self.get_usage),
            web.get(p + "/usage/fields", self.get_usage_fields),
            web.get(p + "/balances", self.list_balances),
            web.get(p + "/balances/{balance_id}", self.get_balance),
        ]

    # -- projects -------------------------------------------------------------------------

    async def list_projects(self, request: web.Request) -> web.Response:
        projects = [{"project_id": p["project"]["project_id"], "name": p["project"]["name"]}
                    for p in self.account.projects.values()]
        return web.json_response({"projects": projects})

    async def get_project(self, request: web.Request) -> web.Response:
        return self._answer(request, lambda pid: dict(self.account.project(pid)["project"]))

    async def update_project(self, request: web.Request) -> web.Response:
        body = await _json_object(request)
        if not body or any(not isinstance(body.get(k, ""), str) for k in ("name", "company")):
            return _bad(request, "Bad Request: the body must be a JSON object with name and/or company strings")

        def update(pid: str) -> Dict[str, Any]:
            project = self.account.project(pid)["project"]
            project.update({k: v for k, v in body.items() if k in ("name", "company")})
            return {"message": "Successfully updated project info."}

        return self._answer(request, update)

    async def delete_project(self, request: web.Request) -> web.Response:
        def delete(pid: str) -> Dict[str, Any]:
            self.account.project(pid)
            del self.account.projects[pid]
            return {"message": "Project deleted."}

        return self._answer(request, delete)

    async def leave_project(self, request: web.Request) -> web.Response:
        return self._answer(request, lambda pid: self.account.project(pid) and {"message": "Left project."})

    # -- keys -----------------------------------------------------------------------------

    async def list_keys(self, request: web.Request) -> web.Response:
        def listing(pid: str) -> Dict[str, Any]:
            owner = self.account.owner(pid)
            member = {"member_id": owner.get("member_id"), "email": owner.get("email")}
            keys = self.account.project(pid)["keys"].values()
            return {"api_keys": [{"member": member, "api_key": dict(k)} for k in keys]}

        return self._answer(request, listing)

    async def get_key(self, request: web.Request) -> web.Response:
        def get(pid: str) -> Dict[str, Any]:
            key = self.account.item(pid, "keys", request.match_info["key_id"])
            owner = {k: v for k, v in self.account.owner(pid).items() if k != "scopes"}
            return {"item": {"member": {**owner, "api_key": dict(key)}}}

        return self._answer(request, get)

    async def create_key(self, request: web.Request) -> web.Response:
        body = await _json_object(request)
        if not body:
            return _bad(request, "Bad Request: the body must be a JSON object")
        problem = _key_problem(body)
        if problem:
            return _bad(request, problem)
        return self._answer(request, lambda pid: self.account.add_key(pid, body))

    async def delete_key(self, request: web.Request) -> web.Response:
        def delete(pid: str) -> Dict[str, Any]:
            self.account.item(pid, "keys", request.match_info["key_id"])
            del self.account.project(pid)["keys"][request.match_info["key_id"]]
            return {"message": "API key deleted."}

        return self._answer(request, delete)

    # -- members, scopes, invites ---------------------------------------------------------

    async def list_members(self, request: web.Request) -> web.Response:
        return self._answer(request, lambda pid: {
            "members": [dict(m) for m in self.account.project(pid)["members"].values()]})

    async def remove_member(self, request: web.Request) -> web.Response:
        def remove(pid: str) -> Dict[str, Any]:
            self.account.item(pid, "members", request.match_info["member_id"])
            del self.account.project(pid)["members"][request.match_info["member_id"]]
            return {"message": "Member removed."}

        return self._answer(request, remove)

    async def get_scopes(self, request: web.Request) -> web.Response:
        return self._answer(request, lambda pid: {"scopes": list(
            self.account.item(pid, "members", request.match_info["member_id"])["scopes"])})

    async def update_scopes(self, request: web.Request) -> web.Response:
        body = await _json_object(request)
        if not body or not isinstance(body.get("scope"), str) or not body["scope"]:
            return _bad(request, "Bad Request: the body must be {\"scope\": \"...\"}")

        def update(pid: str) -> Dict[str, Any]:
            self.account.item(pid, "members", request.match_info["member_id"])["scopes"] = [body["scope"]]
            return {"message": "Successfully updated scopes."}

        return self._answer(request, update)

    async def list_invites(self, request: web.Request) -> web.Response:
        return self._answer(request, lambda pid: {
            "invites": [dict(i) for i in self.account.project(pid)["invites"].values()]})

    async def send_invite(self, request: web.Request) -> web.Response:
        body = await _json_object(request)
        if not body or not all(isinstance(body.get(k), str) and body[k] for k in ("email", "scope")):
            return _bad(request, "Bad Request: the body must be {\"email\": ..., \"scope\": ...}")

        def invite(pid: str) -> Dict[str, Any]:
            self.account.project(pid)["invites"][body["email"]] = {"email": body["email"], "scope": body["scope"]}
            return {"message": "Invite sent."}

        return self._answer(request, invite)

    async def delete_invite(self, request: web.Request) -> web.Response:
        def delete(pid: str) -> Dict[str, Any]:
            email = request.match_info["email"]
            self.account.item(pid, "invites", email)
            del self.account.project(pid)["invites"][email]
            return {"message": "Invite deleted."}

        return self._answer(request, delete)

    # -- usage and billing ----------------------------------------------------------------

    async def list_requests(self, request: web.Request) -> web.Response:
        try:
            page = int(request.query.get("page", 0))
            limit = int(request.query.get("limit", 10))
        except ValueError:
            return _bad(request, "Bad Request: page and limit must be integers")
        status = request.query.get("status")

        def listing(pid: str) -> Dict[str, Any]:
            found = [r for r in self.account.requests(pid)
                     if status is None or (status == "succeeded") == (r["code"] < 400)]
            return {"page": page, "limit": limit, "requests": found[page * limit:(page + 1) * limit]}

        return self._answer(request, listing)

    async def get_request(self, request: web.Request) -> web.Response:
        def get(pid: str) -> Dict[str, Any]:
            wanted = request.match_info["request_id"]
            for entry in self.account.requests(pid):
                if entry["request_id"] == wanted:
                    return {"request": entry}
            raise NotFound(f"Request {wanted} not found")

        return self._answer(request, get)

    async def get_usage(self, request: web.Request) -> web.Response:
        start, end = _dates(request)

        def usage(pid: str) -> Dict[str, Any]:
            entries = self.account.requests(pid)
            hours = round(sum((e["response"].get("duration") or 0) for e in entries) / 3600, 6)
            return {"start": start, "end": end, "resolution": {"units": "day", "amount": 1},
                    "results": [{"start": start, "end": end, "hours": hours, "total_hours": hours,
                                 "requests": len(entries)}]}

        return self._answer(request, usage)

    async def get_usage_fields(self, request: web.Request) -> web.Response:
        return self._answer(request, lambda pid: self.account.project(pid) and {
            "tags": [], "models": [{"name": "general-nova-3", "language": "en",
                                    "version": "2025-01-01.0", "model_id": _transcripts.MODEL_UUID}],
            "processing_methods": ["sync", "streaming"], "features": ["punctuate", "utterances"]})

    async def list_balances(self, request: web.Request) -> web.Response:
        return self._answer(request, lambda pid: {
            "balances": [dict(b) for b in self.account.project(pid)["balances"].values()]})

    async def get_balance(self, request: web.Request) -> web.Response:
        return self._answer(request, lambda pid: dict(
            self.account.item(pid, "balances", request.match_info["balance_id"])))

    def _answer(self, request: web.Request, produce: Callable[[str], object]) -> web.Response:
        """Answer with what ``produce`` makes of the path's project id; 404 for what is not found."""
        try:
            return web.json_response(produce(request.match_info["project_id"]))
        except NotFound as exc:
            return _bad(request, str(exc), 404)


def _key_problem(body: Dict[str, Any]) -> Optional[str]:
    """Why a new key's body is invalid, or None."""
    if not isinstance(body.get("comment"), str) or not body["comment"]:
        return "Bad Request: comment is required"
    scopes = body.get("scopes")
    if not isinstance(scopes, list) or not scopes or not all(isinstance(s, str) for s in scopes):
        return "Bad Request: scopes must be a non-empty list of strings"
    if "tags" in body and (not isinstance(body["tags"], list) or not body["tags"]):
        return "Bad Request: tags must be a non-empty list of strings when given"
    if "expiration_date" in body and "time_to_live_in_seconds" in body:
        return "Bad Request: give expiration_date or time_to_live_in_seconds, not both"
    if "expiration_date" in body:
        try:
            datetime.datetime.fromisoformat(str(body["expiration_date"]).replace("Z", "+00:00"))
        except ValueError:
            return "Bad Request: expiration_date must be an ISO 8601 date-time"
    ttl = body.get("time_to_live_in_seconds")
    if "time_to_live_in_seconds" in body and (not isinstance(ttl, int) or isinstance(ttl, bool) or ttl < 1):
        return "Bad Request: time_to_live_in_seconds must be a positive integer"
    return None


def _dates(request: web.Request) -> Tuple[str, str]:
    """The (start, end) dates a usage query asks for: the last 30 days by default."""
    today = datetime.date.today()
    start = request.query.get("start") or (today - datetime.timedelta(days=30)).isoformat()
    end = request.query.get("end") or today.isoformat()
    return start, end
