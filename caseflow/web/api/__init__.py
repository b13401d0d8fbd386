from flask import Blueprint

from ...extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # token-authenticated; session users may only read (see routes._token_or_session)
