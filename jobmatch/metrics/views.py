"""HTTP endpoint for labour-market indicators."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask_smorest import Blueprint

from config.labour_market import labour_force_for
from jobmatch.auth.guard import roles
from jobmatch.extensions import state
from jobmatch.metrics.definitions import INDICATORS
from jobmatch.metrics.schemas import MetricsArgs, MetricsOut
from jobmatch.metrics.service import MetricsService

blp = Blueprint("metrics", __name__, url_prefix="/api/v1", description="Labour-market indicators")


def metrics_service() -> MetricsService:
    """Return the metrics service for the current app."""
    app_state = state()
    return MetricsService(es=app_state.es, prefix=app_state.prefix, tz=str(app_state.settings["TIMEZONE"]),
                          labour_force=app_state.labour_force, min_cell_size=int(app_state.settings["MIN_CELL_SIZE"]))


@blp.route("/metrics", methods=["GET"])
@roles("admin", "counsellor", "analyst")
@blp.arguments(MetricsArgs, location="query")
@blp.response(200, MetricsOut)
def metrics(args: dict[str, Any]) -> Any:
    """Indicators for a period, for the whole province and, with `group_by`, per group; each defined.

    Small counts are hidden for every role: a count of 1 to k-1 (k = `disclosure.min_cell_size`, default 5) is
    null and listed under `suppressed`, and so is every rate or median computed from one. Within a group-by,
    when only one group is hidden for a count, the next smallest group is hidden too, so that the total minus the
    other groups cannot give it back. Zero is shown. See docs/metrics.md.
    """
    result = metrics_service().compute(args["from_"], args["to"], args["group_by"])
    result["indicators"] = {i.key: asdict(i) for i in INDICATORS}
    result["labour_force"] = labour_force_for(state().labour_force, args["to"].year)
    return result
