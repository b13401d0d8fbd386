from flask import Blueprint

bp = Blueprint("officer", __name__, url_prefix="/staff")
