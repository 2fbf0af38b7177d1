"""Assemble the emulator's aiohttp application."""

from aiohttp import web

from . import _agent_socket, _flux, _speak_socket
from ._agents import AgentApi
from ._live import LiveEndpoint
from ._middleware import middleware
from ._platform import PlatformApi
from ._prerecorded import PrerecordedApi
from ._rest import RestApi
from ._server import Plumbing
from ._socket_serve import endpoint
from ._state import Account


def build_app(account: Account, plumbing: Plumbing) -> web.Application:
    """The aiohttp app serving the REST API and the websockets."""
    app = web.Application(middlewares=[middleware(plumbing)], client_max_size=2 ** 40)
    # Route order as before the handlers were split: POST /v1/listen joins GET's resource.
    app.add_routes([web.get("/v1/listen", LiveEndpoint(plumbing).handle)])
    app.add_routes([
        web.get("/v2/listen", endpoint(plumbing, "/v2/listen", _flux.parse, _flux.Flux)),
        web.get("/v1/speak", endpoint(plumbing, "/v1/speak", _speak_socket.parse_v1, _speak_socket.SpeakV1)),
        web.get("/v2/speak", endpoint(plumbing, "/v2/speak", _speak_socket.parse_v2, _speak_socket.SpeakV2)),
        web.get("/v1/agent/converse", endpoint(plumbing, "/v1/agent/converse", _agent_socket.parse,
                                               _agent_socket.Agent)),
    ])
    app.add_routes(PrerecordedApi(account, plumbing).routes())
    rest = RestApi(account, plumbing)
    app.add_routes(rest.routes())
    app.add_routes(PlatformApi(rest).routes())
    app.add_routes(AgentApi(rest).routes())
    return app
