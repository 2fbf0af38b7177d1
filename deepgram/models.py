"""Models: the public ones and those of a project."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ._resource import Call, M, Resource, endpoint
from ._wire import path, query_pairs

if TYPE_CHECKING:
    from .types import ModelResponse, ModelsResponse


class Models(Resource[M]):
    """The ``/models`` and ``/projects/{project_id}/models`` endpoints."""

    @endpoint
    def list(self, include_outdated: Optional[bool] = None) -> Call[ModelsResponse]:
        """List the models Deepgram offers (``{"stt": [...], "tts": [...]}``)."""
        query = query_pairs({"include_outdated": include_outdated})
        return Call("GET", "/models", query=query)

    @endpoint
    def get(self, model_id: str) -> Call[ModelResponse]:
        """Get one model."""
        return Call("GET", path("/models/{m}", m=model_id))

    @endpoint
    def list_project_models(self, project_id: str, include_outdated: Optional[bool] = None) -> Call[ModelsResponse]:
        """List the models a project can use."""
        query = query_pairs({"include_outdated": include_outdated})
        return Call("GET", path("/projects/{p}/models", p=project_id), query=query)

    @endpoint
    def get_project_model(self, project_id: str, model_id: str) -> Call[ModelResponse]:
        """Get one of a project's models."""
        return Call("GET", path("/projects/{p}/models/{m}", p=project_id, m=model_id))
