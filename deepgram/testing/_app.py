"""Assemble the emulator's aiohttp application."""

from aiohttp import web

from ._live import LiveEndpoint
from ._platform import PlatformApi
from ._rest import RestApi
from ._server import Plumbing, middleware
from ._state import Account


def build_app(account: Account, plumbing: Plumbing) -> web.Application:
    """The aiohttp app serving the REST API and the live websocket."""
    app = web.Application(middlewares=[middleware(plumbing)], client_max_size=2 ** 40)
    app.add_routes([web.get("/v1/listen", LiveEndpoint(plumbing).handle)])
    rest = RestApi(account, plumbing)
    app.add_routes(rest.routes())
    app.add_routes(PlatformApi(rest).routes())
    return app
