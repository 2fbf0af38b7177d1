"""Voice agent management: saved agent configurations, agent variables, think models."""

from typing import Any, Dict, Optional

from ._resource import Resource
from ._wire import Request, path
from .errors import DeepgramSetupError

_AGENTS = "/projects/{p}/agents"
_VARIABLES = "/projects/{p}/agent-variables"


def _metadata(metadata: Any) -> Dict[str, str]:
    if not isinstance(metadata, dict):
        raise DeepgramSetupError("metadata must be a dict of strings.")
    return {str(k): str(v) for k, v in metadata.items()}


class Agents(Resource):
    """The agent configuration and agent variable endpoints, and the think model list."""

    def list_think_models(self) -> Any:
        """List the models an agent can think with (served by the agent host)."""
        return self._send(Request("GET", "/agent/settings/think/models", base="agent"))

    def create(self, project_id: str, config: Any, metadata: Optional[dict] = None,
               api_version: Optional[int] = None) -> Any:
        """Save an agent configuration (the ``agent`` block of a Settings message, as a dict or
        a JSON string); returns its ``agent_id``."""
        if isinstance(config, dict):
            import json

            config = json.dumps(config)
        if not isinstance(config, str) or not config.strip():
            raise DeepgramSetupError("config must be the agent settings as a dict or a JSON string.")
        body: Dict[str, Any] = {"config": config}
        if metadata is not None:
            body["metadata"] = _metadata(metadata)
        if api_version is not None:
            body["api_version"] = api_version
        return self._send(Request("POST", path(_AGENTS, p=project_id), json=body, content_type="application/json"))

    def list(self, project_id: str) -> Any:
        """List the project's saved agent configurations."""
        return self._send(Request("GET", path(_AGENTS, p=project_id)))

    def get(self, project_id: str, agent_id: str) -> Any:
        """Get one saved agent configuration."""
        return self._send(Request("GET", path(_AGENTS + "/{a}", p=project_id, a=agent_id)))

    def update(self, project_id: str, agent_id: str, metadata: dict) -> Any:
        """Replace an agent configuration's metadata."""
        return self._send(Request("PUT", path(_AGENTS + "/{a}", p=project_id, a=agent_id),
                                  json={"metadata": _metadata(metadata)}, content_type="application/json"))

    def delete(self, project_id: str, agent_id: str) -> Any:
        """Delete a saved agent configuration."""
        return self._send(Request("DELETE", path(_AGENTS + "/{a}", p=project_id, a=agent_id)))

    def create_variable(self, project_id: str, key: str, value: Any, api_version: Optional[int] = None) -> Any:
        """Create an agent variable (``{{key}}`` in configurations is replaced by ``value``)."""
        if not isinstance(key, str) or not key:
            raise DeepgramSetupError("key must be a non-empty string.")
        body: Dict[str, Any] = {"key": key, "value": value}
        if api_version is not None:
            body["api_version"] = api_version
        return self._send(Request("POST", path(_VARIABLES, p=project_id), json=body, content_type="application/json"))

    def list_variables(self, project_id: str) -> Any:
        """List the project's agent variables."""
        return self._send(Request("GET", path(_VARIABLES, p=project_id)))

    def get_variable(self, project_id: str, variable_id: str) -> Any:
        """Get one agent variable."""
        return self._send(Request("GET", path(_VARIABLES + "/{v}", p=project_id, v=variable_id)))

    def update_variable(self, project_id: str, variable_id: str, value: Any) -> Any:
        """Change an agent variable's value."""
        return self._send(Request("PATCH", path(_VARIABLES + "/{v}", p=project_id, v=variable_id),
                                  json={"value": value}, content_type="application/json"))

    def delete_variable(self, project_id: str, variable_id: str) -> Any:
        """Delete an agent variable."""
        return self._send(Request("DELETE", path(_VARIABLES + "/{v}", p=project_id, v=variable_id)))
