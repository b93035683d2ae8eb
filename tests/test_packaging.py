"""The wheel installs one namespace (DESIGN.md §1): `baton` (with handlers, backends, openapi and
migrations inside) and `baton_client`; never bare `handlers` or `backends` modules."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

from tests.conftest import REPO

MAPPING = {
    "baton": "baton",
    "handlers": "baton.handlers",
    "backends": "baton.backends",
    "openapi": "baton.openapi",
    "generated_client/baton_client": "baton_client",
}


def test_every_package_folder_is_listed_in_pyproject() -> None:
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = set()
    for folder, package in MAPPING.items():
        for init in (REPO / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(REPO / folder)
            found.add(".".join([package, *relative.parts]) if relative.parts else package)
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"


def test_wheel_holds_one_namespace_with_spec_and_migrations(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [wheel] = tmp_path.glob("baton-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert top == {"baton", "baton_client"}
    for required in [
        "baton/openapi/baton.yaml",
        "baton/handlers/jobs.py",
        "baton/backends/storage/sql.py",
        "baton/migrations/env.py",
        "baton/migrations/script.py.mako",
        "baton_client/api/jobs/create_job.py",
        # ReDoc at /redoc comes from the wheel, never a CDN, with its licences
        "baton/static/redoc/redoc.standalone.js",
        "baton/static/redoc/LICENSE",
        "baton/static/redoc/redoc.standalone.js.LICENSE.txt",
        # the dashboard at /ui: its page, modules and stylesheet
        "baton/static/ui/index.html",
        "baton/static/ui/app.js",
        "baton/static/ui/app.css",
        "baton/static/ui/pages/jobs.js",
    ]:
        assert required in names
    assert any(name.startswith("baton/migrations/versions/0001") for name in names)
