"""Billing of a project: balances."""

from typing import Any

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


# The 2.x type names this module exposed, imported on first use.
__getattr__ = lazy_types(__name__, frozenset({'Balance', 'BalanceResponse'}))
