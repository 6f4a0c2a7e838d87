"""The portal's service points (``/public/service-points?province=``): the active centres
serving a province that staff list publicly, with their public line and hours. No sign-in;
limited per client like the other public look-ups."""

from __future__ import annotations

from chalice.app import Blueprint, Response

from chalicelib.core.errors import FieldError, Invalid
from chalicelib.core.provinces import normalize_province
from chalicelib.core.settings import get_settings
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.http import cors_for, json_response, maps_domain_errors
from chalicelib.platform.throttle import throttle
from chalicelib.service_centers import service
from chalicelib.service_centers import wiring as center_wiring
from chalicelib.service_centers.views import service_point_view

public_service_points = Blueprint(__name__)
CORS = cors_for(get_settings().portal_url)
PROVINCE_MAX = 80


def _province() -> str:
    params: dict[str, str] = dict(public_service_points.current_request.query_params or {})
    unknown = sorted(set(params) - {"province"})
    if unknown:
        raise Invalid(fields=[FieldError(name, "unknown_field") for name in unknown])
    raw = params.get("province", "")
    if not raw.strip():
        raise Invalid(fields=[FieldError("province", "province_required")])
    try:
        return normalize_province(raw[: PROVINCE_MAX * 2])
    except Invalid:
        raise Invalid(fields=[FieldError("province", "province_invalid")]) from None


@public_service_points.route("/service-points", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_service_points() -> Response:
    """``GET /public/service-points?province=Hà Nội``: code order; the registry is read once a
    minute per container."""
    throttle(
        public_service_points.current_request,
        "service_points",
        pepper=platform_wiring.secrets().pepper,
        limits=platform_wiring.rate_limits(),
    )
    province = _province()
    points = service.service_points(center_wiring.all_centers().get(), province)
    return json_response(
        {"province": province, "points": [service_point_view(c) for c in points]},
        headers={"Cache-Control": "max-age=60"},
    )
