"""A service company user's own route (``/service``): its centre. The company's requests are
the claims capability's (``/claims/mine`` and the rest, scoped by
:func:`chalicelib.service_centers.access.assignee_key_for`)."""

from __future__ import annotations

from chalice.app import Blueprint, Response

from chalicelib.core.settings import get_settings
from chalicelib.platform.http import cors_for, json_response, maps_domain_errors
from chalicelib.service_centers import service
from chalicelib.service_centers import wiring as center_wiring
from chalicelib.service_centers.access import authenticate_service
from chalicelib.service_centers.views import own_center_view

service_api = Blueprint(__name__)
CORS = cors_for(get_settings().console_url)


@service_api.route("/me", methods=["GET"], cors=CORS)
@maps_domain_errors
def service_me() -> Response:
    """The signed-in company user and its centre (403 once removed or the centre suspended)."""
    principal = authenticate_service(service_api.current_request, get_settings())
    center = service.get(principal.center_id, centers=center_wiring.center_repository())
    return json_response(own_center_view(principal, center))
