"""Models: the public ones and those of a project."""

from typing import Any, Optional

from ._resource import Resource
from ._wire import Request, path, query_pairs


class Models(Resource):
    """The ``/models`` and ``/projects/{project_id}/models`` endpoints."""

    def list(self, include_outdated: Optional[bool] = None) -> Any:
        """List the models Deepgram offers (``{"stt": [...], "tts": [...]}``)."""
        query = query_pairs({"include_outdated": include_outdated})
        return self._send(Request("GET", "/models", query=query))

    def get(self, model_id: str) -> Any:
        """Get one model."""
        return self._send(Request("GET", path("/models/{m}", m=model_id)))

    def list_project_models(self, project_id: str, include_outdated: Optional[bool] = None) -> Any:
        """List the models a project can use."""
        query = query_pairs({"include_outdated": include_outdated})
        return self._send(Request("GET", path("/projects/{p}/models", p=project_id), query=query))

    def get_project_model(self, project_id: str, model_id: str) -> Any:
        """Get one of a project's models."""
        return self._send(Request("GET", path("/projects/{p}/models/{m}", p=project_id, m=model_id)))
