"""The generated artefacts (client, Postman collection, API reference) match openapi/baton.yaml."""

from __future__ import annotations

import json
import subprocess
import sys

import yaml

from tests.conftest import REPO

METHODS = {"get", "put", "post", "patch", "delete", "head", "options"}


def spec_operation_ids() -> list[str]:
    spec = yaml.safe_load((REPO / "openapi" / "baton.yaml").read_text(encoding="utf-8"))
    return [
        op["operationId"]
        for item in spec["paths"].values()
        for method, op in item.items()
        if method in METHODS
    ]


def test_regenerating_changes_nothing() -> None:
    result = subprocess.run(
        [sys.executable, "codegen/generate.py", "--check"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_postman_collection_has_one_request_per_operation() -> None:
    collection = json.loads((REPO / "docs" / "postman_collection.json").read_text(encoding="utf-8"))
    assert collection["info"]["schema"].endswith("/v2.1.0/collection.json")
    requests = {item["name"]: item["request"] for folder in collection["item"] for item in folder["item"]}
    names = [item["name"] for folder in collection["item"] for item in folder["item"]]
    assert sorted(names) == sorted(spec_operation_ids())
    assert collection["auth"]["type"] == "bearer"
    assert {v["key"]: v["value"] for v in collection["variable"]} == {
        "baseUrl": "http://127.0.0.1:8000",
        "username": "admin",
        "password": "",
        "accessToken": "",
        "refreshToken": "",
    }
    # it logs in by itself, asserts on every answer, and runs the requests that end things last
    assert "pm.sendRequest" in "\n".join(collection["event"][0]["script"]["exec"])
    assert all(any(e["listen"] == "test" for e in item["event"]) for item in requests_items(collection))
    assert [item["name"] for item in collection["item"][-1]["item"]][-1] == "logout"
    assert requests["get_job"]["url"]["variable"][0]["value"] == "{{jobId}}"
    # public operations opt out of the collection's bearer auth; the others inherit it
    assert requests["login"]["auth"] == {"type": "noauth"}
    assert "auth" not in requests["create_job"]
    assert requests["get_job"]["url"]["raw"] == "{{baseUrl}}/api/v1/jobs/:job_id"
    assert json.loads(requests["create_job"]["body"]["raw"])["command"] == ["df", "-h"]


def requests_items(collection: dict) -> list[dict]:
    return [item for folder in collection["item"] for item in folder["item"]]


def test_api_reference_documents_every_operation() -> None:
    page = (REPO / "docs" / "api-reference.md").read_text(encoding="utf-8")
    for operation_id in spec_operation_ids():
        assert f"operationId: `{operation_id}`" in page
