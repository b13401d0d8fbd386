"""Packages are found, not listed: every package under caseflow/ ships without anyone having to remember it.

Everything else is in pyproject.toml. This file exists only because pyproject's ``packages.find`` cannot name
packages that live outside caseflow/: templates/ and migrations/ sit at the top of the repository (docs/design.md)
and ship inside the wheel as caseflow.templates and caseflow.migrations (``package-dir`` in pyproject.toml).
Folders of data (static/, translations/, each template folder) count as packages too, so that setuptools ships
their files (``package-data``) without warning that it would not.
"""
from setuptools import find_namespace_packages, setup


def found(prefix: str, folder: str) -> list[str]:
    skip = ["__pycache__", "*.__pycache__"]
    return [prefix, *(f"{prefix}.{name}" for name in find_namespace_packages(where=folder, exclude=skip))]


setup(packages=[*found("caseflow", "caseflow"), *found("caseflow.templates", "templates"),
                *found("caseflow.migrations", "migrations")])
