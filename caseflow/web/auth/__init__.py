from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/staff")


@bp.app_context_processor
def _permissions():
    """``may``: what the signed-in user may do (services.authorization), for menus and forms in every template."""
    from flask_login import current_user

    from ...services import accounts

    return {"may": accounts.permissions(current_user)}
