"""Billing of a project: balances, breakdowns, fields and purchases."""

from typing import Any, Optional

from ._resource import Resource
from ._legacy_types import lazy_types
from ._wire import Request, path


class Billing(Resource):
    """The ``/projects/{project_id}/balances`` endpoints."""

    def list_balance(self, project_id: str) -> Any:
        """List the project's balances."""
        return self._send(Request("GET", path("/projects/{p}/balances", p=project_id)))

    def get_balance(self, project_id: str, balance_id: str) -> Any:
        """Get one balance."""
        return self._send(Request("GET", path("/projects/{p}/balances/{b}", p=project_id, b=balance_id)))

    def get_breakdown(self, project_id: str, options: Optional[dict] = None, **kwargs: Any) -> Any:
        """Break the project's costs down (start, end, accessor, deployment, tag, line_item, grouping)."""
        return self._get("/projects/{p}/billing/breakdown", project_id, options, kwargs)

    def get_fields(self, project_id: str, options: Optional[dict] = None, **kwargs: Any) -> Any:
        """List the accessors, deployments, tags and line items seen in the project's billing."""
        return self._get("/projects/{p}/billing/fields", project_id, options, kwargs)

    def list_purchases(self, project_id: str, options: Optional[dict] = None, **kwargs: Any) -> Any:
        """List the project's purchases (``limit``)."""
        return self._get("/projects/{p}/purchases", project_id, options, kwargs)


# The 2.x type names this module exposed, imported on first use.
__getattr__ = lazy_types(__name__, frozenset({'Balance', 'BalanceResponse'}))
