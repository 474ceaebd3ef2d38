"""HTTP endpoint for labour-market indicators."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask_smorest import Blueprint

from jobmatch.auth.guard import roles
from jobmatch.extensions import state
from jobmatch.metrics.definitions import INDICATORS
from jobmatch.metrics.schemas import MetricsArgs
from jobmatch.metrics.service import MetricsService

blp = Blueprint("metrics", __name__, url_prefix="/api/v1", description="Labour-market indicators")


def metrics_service() -> MetricsService:
    """Return the metrics service for the current app."""
    app_state = state()
    return MetricsService(es=app_state.es, prefix=app_state.prefix, tz=str(app_state.settings["TIMEZONE"]),
                          labour_force=app_state.labour_force)


@blp.route("/metrics", methods=["GET"])
@roles("admin", "counsellor", "analyst")
@blp.arguments(MetricsArgs, location="query")
def metrics(args: dict[str, Any]) -> Any:
    """Indicators for a period, for the whole province and, with `group_by`, per group; each defined."""
    result = metrics_service().compute(args["from_"], args["to"], args["group_by"])
    result["indicators"] = {i.key: asdict(i) for i in INDICATORS}
    result["labour_force"] = state().labour_force
    return result
