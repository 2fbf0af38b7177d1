"""Billing of a project: balances, breakdowns, fields and purchases."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._compat import legacy_attribute
from ._resource import Call, M, Query, Resource, endpoint
from ._wire import path

if TYPE_CHECKING:
    from .types import Balance, BalancesResponse, BillingBreakdownResponse, BillingFieldsResponse, PurchasesResponse


class Billing(Resource[M]):
    """The ``/projects/{project_id}/balances`` endpoints."""

    @endpoint
    def list_balance(self, project_id: str) -> Call[BalancesResponse]:
        """List the project's balances."""
        return Call("GET", path("/projects/{p}/balances", p=project_id))

    @endpoint
    def get_balance(self, project_id: str, balance_id: str) -> Call[Balance]:
        """Get one balance."""
        return Call("GET", path("/projects/{p}/balances/{b}", p=project_id, b=balance_id))

    @endpoint
    def get_breakdown(self, /, project_id: str, options: Query = None, **kwargs: Any) -> Call[BillingBreakdownResponse]:
        """Break the project's costs down (start, end, accessor, deployment, tag, line_item, grouping)."""
        return self._get("/projects/{p}/billing/breakdown", project_id, options, kwargs)

    @endpoint
    def get_fields(self, /, project_id: str, options: Query = None, **kwargs: Any) -> Call[BillingFieldsResponse]:
        """List the accessors, deployments, tags and line items seen in the project's billing."""
        return self._get("/projects/{p}/billing/fields", project_id, options, kwargs)

    @endpoint
    def list_purchases(self, /, project_id: str, options: Query = None, **kwargs: Any) -> Call[PurchasesResponse]:
        """List the project's purchases (``limit``)."""
        return self._get("/projects/{p}/purchases", project_id, options, kwargs)



def __getattr__(name: str) -> Any:
    """The names 2.x exposed here by accident (type names, helpers), imported on first use."""
    return legacy_attribute(__name__, name)
