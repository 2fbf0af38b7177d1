"""Usage of a project: requests, usage summaries and usage fields."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._compat import legacy_attribute
from ._resource import Call, M, Query, Resource, endpoint

if TYPE_CHECKING:
    from .types import (
        UsageBreakdownResponse,
        UsageFieldsResponse,
        UsageRequestResponse,
        UsageRequestsResponse,
        UsageSummaryResponse,
    )


class Usage(Resource[M]):
    """The ``/projects/{project_id}/requests`` and ``/usage`` endpoints."""

    @endpoint
    def list_requests(self, /, project_id: str, options: Query = None, **kwargs: Any) -> Call[UsageRequestsResponse]:
        """List requests made in the project (filters: start, end, page, limit, status…)."""
        return self._get("/projects/{p}/requests", project_id, options, kwargs)

    @endpoint
    def get_request(self, project_id: str, request_id: str) -> Call[UsageRequestResponse]:
        """Get one request by its id."""
        return self._get("/projects/{p}/requests/{r}", project_id, None, {}, r=request_id)

    @endpoint
    def get_usage(self, /, project_id: str, options: Query = None, **kwargs: Any) -> Call[UsageSummaryResponse]:
        """Summarise the project's usage (filters: start, end, tag, model…)."""
        return self._get("/projects/{p}/usage", project_id, options, kwargs)

    @endpoint
    def get_breakdown(self, /, project_id: str, options: Query = None, **kwargs: Any) -> Call[UsageBreakdownResponse]:
        """Break the project's usage down (filters as for ``get_usage``, plus ``grouping``)."""
        return self._get("/projects/{p}/usage/breakdown", project_id, options, kwargs)

    @endpoint
    def get_fields(self, /, project_id: str, options: Query = None, **kwargs: Any) -> Call[UsageFieldsResponse]:
        """List the features, models and tags used in the project (``/usage/fields``)."""
        return self._get("/projects/{p}/usage/fields", project_id, options, kwargs)



def __getattr__(name: str) -> Any:
    """The names 2.x exposed here by accident (type names, helpers), imported on first use."""
    return legacy_attribute(__name__, name)
