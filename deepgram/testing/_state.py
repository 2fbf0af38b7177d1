"""The emulator's in-memory account: one project with a member, a key, a balance and requests."""

import datetime
import uuid
from typing import Any, Dict, List, Optional

# One JSON object of the account (a project, a key, a member, a logged request...).
Record = Dict[str, Any]


def now_iso() -> str:
    """The current UTC time in ISO 8601, ``Z``-suffixed as Deepgram writes it."""
    return datetime.datetime.now(datetime.timezone.utc).isoformat().replace("+00:00", "Z")


def _id(seed: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "deepgram-emulator/" + seed))


class NotFound(Exception):
    """The named object does not exist in the emulated account."""


class Account:
    """Projects and everything under them, mutated by the management endpoints."""

    PROJECT_ID = _id("project")
    MEMBER_ID = _id("member")
    KEY_ID = _id("key")
    BALANCE_ID = _id("balance")
    REQUEST_ID = _id("request")
    INVITE_EMAIL = "pending+invite@example.com"
    AGENT_ID = _id("agent")
    VARIABLE_ID = _id("variable")
    CREDENTIALS_ID = _id("credentials")

    def __init__(self, api_key: str) -> None:
        created = "2024-01-01T00:00:00Z"
        owner: Record = {"member_id": self.MEMBER_ID, "email": "owner@example.com",
                 "first_name": "Ada", "last_name": "Lovelace", "scopes": ["owner"]}
        key: Record = {"api_key_id": self.KEY_ID, "comment": "emulator key", "scopes": ["owner"],
               "tags": [], "created": created}
        first_request: Record = {
            "request_id": self.REQUEST_ID, "project_uuid": self.PROJECT_ID, "created": created,
            "path": "/v1/listen?punctuate=true", "api_key_id": self.KEY_ID, "code": 200,
            "deployment": "hosted", "response": {"duration": 6.022, "channels": 1},
        }
        # project id -> {"project": Record, "requests": [Record], and kind -> {id: Record}}
        self.projects: Dict[str, Dict[str, Any]] = {
            self.PROJECT_ID: {
                "project": {"project_id": self.PROJECT_ID, "name": "Emulated Project",
                            "company": "Example Co", "mip_opt_out": False},
                "members": {self.MEMBER_ID: owner},
                "keys": {key["api_key_id"]: key},
                "invites": {self.INVITE_EMAIL: {"email": self.INVITE_EMAIL, "scope": "member"}},
                "requests": [first_request],
                "agents": {self.AGENT_ID: {
                    "agent_id": self.AGENT_ID, "config": {"think": {"provider": {"type": "open_ai"}}},
                    "metadata": {"team": "support"}, "created_at": created, "updated_at": created}},
                "variables": {self.VARIABLE_ID: {
                    "variable_id": self.VARIABLE_ID, "key": "company", "value": "Example Co",
                    "created_at": created, "updated_at": created}},
                "credentials": {self.CREDENTIALS_ID: {
                    "distribution_credentials_id": self.CREDENTIALS_ID, "provider": "quay",
                    "comment": "emulator", "scopes": ["self-hosted:products"], "created": created}},
                "balances": {self.BALANCE_ID: {"balance_id": self.BALANCE_ID, "amount": 200.0,
                                               "units": "usd", "purchase_order_id": _id("order")}},
            }
        }
        self.api_key: str = api_key

    def project(self, project_id: str) -> Dict[str, Any]:
        """A project's record and everything under it (NotFound if there is none)."""
        if project_id not in self.projects:
            raise NotFound(f"Project {project_id} not found")
        return self.projects[project_id]

    def item(self, project_id: str, kind: str, item_id: str) -> Record:
        """One ``kind`` of record (``"keys"``, ``"members"``...) of a project, by id."""
        items: Dict[str, Record] = self.project(project_id)[kind]
        if item_id not in items:
            raise NotFound(f"{kind[:-1].capitalize()} {item_id} not found")
        return items[item_id]

    def owner(self, project_id: str) -> Record:
        """The project's first member, its owner ({} if it has no member left)."""
        members: Dict[str, Record] = self.project(project_id)["members"]
        return next(iter(members.values()), {})

    def add_key(self, project_id: str, body: Dict[str, Any]) -> Record:
        """Create a key from a validated request body; the answer includes its secret."""
        key_id = str(uuid.uuid4())
        record: Record = {"api_key_id": key_id, "comment": body["comment"], "scopes": list(body["scopes"]),
                  "tags": list(body.get("tags") or []), "created": now_iso()}
        if body.get("expiration_date"):
            record["expiration_date"] = str(body["expiration_date"])
        self.project(project_id)["keys"][key_id] = record
        return {**record, "key": uuid.uuid4().hex + uuid.uuid4().hex[:8]}

    def log_request(self, project_id: Optional[str], entry: Record) -> None:
        """Log a request, newest first (to the default project when ``project_id`` is None)."""
        pid = project_id or self.PROJECT_ID
        if pid in self.projects:
            self.projects[pid]["requests"].insert(0, entry)

    def requests(self, project_id: str) -> List[Record]:
        """The project's logged requests, newest first."""
        logged: List[Record] = self.project(project_id)["requests"]
        return logged
