from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.context_processor
def _figures():
    """The figure registry and its formatting (``web/figures.py``: every number a report page shows), for the
    report pages and the PDF."""
    from ...domain import figures as registry
    from .. import figures

    return {"FIGURES": registry.FIGURES, "FIGURE_TABLE": registry.TABLE, "DRILL": registry.DRILL,
            "fig_label": figures.label, "fig_heading": figures.heading, "fig_show": figures.show,
            "fig_format": figures.format_value, "fig_percent": figures.percent, "fig_count": figures.count,
            "fig_unit": figures.by_unit, "fig_month": figures.month_short}
