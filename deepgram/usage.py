"""Usage of a project: requests, usage summaries and usage fields."""

from typing import Any, Optional

from ._resource import Resource
from ._legacy_types import lazy_types
from ._utils import _make_query_string  # noqa: F401  (2.x exposed it here)


class Usage(Resource):
    """The ``/projects/{project_id}/requests`` and ``/usage`` endpoints."""

    def list_requests(self, project_id: str, options: Optional[dict] = None, **kwargs: Any) -> Any:
        """List requests made in the project (filters: start, end, page, limit, status…)."""
        return self._get("/projects/{p}/requests", project_id, options, kwargs)

    def get_request(self, project_id: str, request_id: str) -> Any:
        """Get one request by its id."""
        return self._get("/projects/{p}/requests/{r}", project_id, None, {}, r=request_id)

    def get_usage(self, project_id: str, options: Optional[dict] = None, **kwargs: Any) -> Any:
        """Summarise the project's usage (filters: start, end, tag, model…)."""
        return self._get("/projects/{p}/usage", project_id, options, kwargs)

    def get_breakdown(self, project_id: str, options: Optional[dict] = None, **kwargs: Any) -> Any:
        """Break the project's usage down (filters as for ``get_usage``, plus ``grouping``)."""
        return self._get("/projects/{p}/usage/breakdown", project_id, options, kwargs)

    def get_fields(self, project_id: str, options: Optional[dict] = None, **kwargs: Any) -> Any:
        """List the features, models and tags used in the project (``/usage/fields``)."""
        return self._get("/projects/{p}/usage/fields", project_id, options, kwargs)


# The 2.x type names this module exposed, imported on first use.
__getattr__ = lazy_types(__name__, frozenset({
    "UsageField", "UsageFieldOptions", "UsageOptions", "UsageRequest", "UsageRequestList",
    "UsageRequestListOptions", "UsageResponse"}))
