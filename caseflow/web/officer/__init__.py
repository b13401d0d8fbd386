from flask import Blueprint

bp = Blueprint("officer", __name__, url_prefix="/staff")

from . import routes  # noqa: E402, F401
