from flask import Blueprint

from ...extensions import csrf

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
csrf.exempt(bp)  # api_key authenticated, as the GeoReport v2 specification says
