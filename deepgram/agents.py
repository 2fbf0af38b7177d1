"""Voice agents: conversations (the ``/v1/agent/converse`` socket), saved agent configurations,
agent variables, think models."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional, Union, overload

from ._resource import Async, Blocking, Call, M, Query, Resource, endpoint
from ._wire import path
from .errors import DeepgramSetupError

if TYPE_CHECKING:
    from ._sockets import AgentStream
    from ._sync_sockets import SyncAgentStream
    from .live import Connect
    from .types import (
        AgentConfiguration,
        AgentConfigurationsResponse,
        AgentSettings,
        AgentThinkModelsResponse,
        AgentVariable,
        AgentVariablesResponse,
    )

_AGENTS = "/projects/{p}/agents"
_VARIABLES = "/projects/{p}/agent-variables"


def _metadata(metadata: Any) -> Dict[str, str]:
    if not isinstance(metadata, dict):
        raise DeepgramSetupError("metadata must be a dict of strings.")
    return {str(k): str(v) for k, v in metadata.items()}


class Agents(Resource[M]):
    """The agent configuration and agent variable endpoints, and the think model list."""

    @overload
    def converse(self: Agents[Async], settings: Optional[Union[AgentSettings, Mapping[str, Any]]] = None, /,
                 **kwargs: Any) -> Connect[AgentStream]: ...
    @overload
    def converse(self: Agents[Blocking], settings: Optional[Union[AgentSettings, Mapping[str, Any]]] = None, /,
                 **kwargs: Any) -> SyncAgentStream: ...

    def converse(self, settings: Optional[Union[AgentSettings, Mapping[str, Any]]] = None, /,
                 **kwargs: Any) -> Union[Connect[AgentStream], SyncAgentStream]:
        """Open a voice agent conversation (``/v1/agent/converse``); ``settings`` is the Settings
        message (``audio``, ``agent``, ...), sent first. ``settings=LiveSettings(...)`` holds the
        SDK's own settings, as for ``live()``."""
        from ._open import open_stream
        from ._sockets import AgentStream
        from ._sync_sockets import SyncAgentStream
        from .live import Connect

        if settings is None and isinstance(kwargs.get("settings"), Mapping):
            settings = kwargs.pop("settings")  # the Settings message given by name
        if not isinstance(settings, Mapping) or "agent" not in settings:
            raise DeepgramSetupError("converse() needs the agent's Settings: a dict with 'audio' and 'agent'.")
        return open_stream(self, AgentStream, Connect, SyncAgentStream, None, kwargs, lead=(settings,))

    @endpoint
    def list_think_models(self) -> Call[AgentThinkModelsResponse]:
        """List the models an agent can think with (served by the agent host)."""
        return Call("GET", "/agent/settings/think/models", base="agent")

    @endpoint
    def create(self, project_id: str, config: Any, metadata: Query = None,
               api_version: Optional[int] = None) -> Call[AgentConfiguration]:
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
        return Call("POST", path(_AGENTS, p=project_id), json=body, content_type="application/json")

    @endpoint
    def list(self, project_id: str) -> Call[AgentConfigurationsResponse]:
        """List the project's saved agent configurations."""
        return Call("GET", path(_AGENTS, p=project_id))

    @endpoint
    def get(self, project_id: str, agent_id: str) -> Call[AgentConfiguration]:
        """Get one saved agent configuration."""
        return Call("GET", path(_AGENTS + "/{a}", p=project_id, a=agent_id))

    @endpoint
    def update(self, project_id: str, agent_id: str, metadata: Mapping[str, Any]) -> Call[AgentConfiguration]:
        """Replace an agent configuration's metadata."""
        return Call("PUT", path(_AGENTS + "/{a}", p=project_id, a=agent_id),
                    json={"metadata": _metadata(metadata)}, content_type="application/json")

    @endpoint
    def delete(self, project_id: str, agent_id: str) -> Call[Dict[str, Any]]:
        """Delete a saved agent configuration."""
        return Call("DELETE", path(_AGENTS + "/{a}", p=project_id, a=agent_id))

    @endpoint
    def create_variable(self, project_id: str, key: str, value: Any,
                        api_version: Optional[int] = None) -> Call[AgentVariable]:
        """Create an agent variable (``{{key}}`` in configurations is replaced by ``value``)."""
        if not isinstance(key, str) or not key:
            raise DeepgramSetupError("key must be a non-empty string.")
        body: Dict[str, Any] = {"key": key, "value": value}
        if api_version is not None:
            body["api_version"] = api_version
        return Call("POST", path(_VARIABLES, p=project_id), json=body, content_type="application/json")

    @endpoint
    def list_variables(self, project_id: str) -> Call[AgentVariablesResponse]:
        """List the project's agent variables."""
        return Call("GET", path(_VARIABLES, p=project_id))

    @endpoint
    def get_variable(self, project_id: str, variable_id: str) -> Call[AgentVariable]:
        """Get one agent variable."""
        return Call("GET", path(_VARIABLES + "/{v}", p=project_id, v=variable_id))

    @endpoint
    def update_variable(self, project_id: str, variable_id: str, value: Any) -> Call[AgentVariable]:
        """Change an agent variable's value."""
        return Call("PATCH", path(_VARIABLES + "/{v}", p=project_id, v=variable_id),
                    json={"value": value}, content_type="application/json")

    @endpoint
    def delete_variable(self, project_id: str, variable_id: str) -> Call[Dict[str, Any]]:
        """Delete an agent variable."""
        return Call("DELETE", path(_VARIABLES + "/{v}", p=project_id, v=variable_id))
