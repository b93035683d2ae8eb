"""Regenerate every artefact derived from openapi/baton.yaml (DESIGN.md §6).

    python codegen/generate.py          # write generated_client/, docs/postman_collection.json,
                                        # docs/api-reference.md, docs/error-codes.md
    python codegen/generate.py --check  # generate into a temp dir; exit 1 listing what would change

Only the spec is read: the output depends on it, the pinned openapi-python-client and this file.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "openapi" / "baton.yaml"
CONFIG = ROOT / "codegen" / "client-config.yaml"
# the generator writes a placeholder README (api.example.com, MyDataModel): ours replaces it
CLIENT_README = ROOT / "codegen" / "client-README.md"
CLIENT_DIR = "generated_client"
POSTMAN = "docs/postman_collection.json"
REFERENCE = "docs/api-reference.md"
ERROR_CODES = "docs/error-codes.md"
DOCS = (POSTMAN, REFERENCE, ERROR_CODES)
METHODS = ("get", "put", "post", "patch", "delete", "head", "options")
IGNORED = {"__pycache__"}


def load_spec() -> dict[str, Any]:
    with SPEC.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def resolve(spec: dict[str, Any], node: Any) -> Any:
    """Follow local `$ref`s (#/components/...) until a concrete object is reached."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every operation in spec order, with path-level parameters merged in and refs resolved."""
    ops = []
    for path, item in spec["paths"].items():
        shared = [resolve(spec, p) for p in item.get("parameters", [])]
        for method, op in item.items():
            if method not in METHODS:
                continue
            own = [resolve(spec, p) for p in op.get("parameters", [])]
            keys = {(p["in"], p["name"]) for p in own}
            params = [p for p in shared if (p["in"], p["name"]) not in keys] + own
            ops.append(
                {
                    **op,
                    "method": method.upper(),
                    "path": path,
                    "parameters": params,
                    "tag": (op.get("tags") or ["default"])[0],
                }
            )
    return ops


def request_body(spec: dict[str, Any], op: dict[str, Any]) -> tuple[str | None, Any, str | None]:
    """(media type, example value, schema name) of an operation's request body."""
    body = resolve(spec, op.get("requestBody"))
    if not body:
        return None, None, None
    media_type, media = next(iter(body["content"].items()))
    example = media.get("example")
    if example is None and media.get("examples"):
        example = resolve(spec, next(iter(media["examples"].values()))).get("value")
    schema = media.get("schema", {})
    name = schema["$ref"].rsplit("/", 1)[-1] if "$ref" in schema else schema.get("type")
    return media_type, example, name


# ---------------------------------------------------------------- Postman collection v2.1
#
# A collection that runs from top to bottom against a live server (newman, tox -e postman): it logs
# in by itself, fills path parameters from what earlier requests created, keeps every request that
# ends or deletes something until the end, and asserts on every answer what the spec documents.

# bounded waits: a run must not sit in a long-poll or an endless stream
POSTMAN_QUERY = {"max_seconds": "1", "wait_seconds": "0"}
POSTMAN_BODY = {"wait_seconds": 0}
# requests that end what later requests use: they run last, in this order of kinds
ENDINGS = ("delete_", "revoke_", "deregister_", "logout")

LOGIN_SCRIPT = [
    "// log in once with {{username}} / {{password}}; every request then carries the token",
    "if (!pm.collectionVariables.get('accessToken')",
    "    && !pm.request.url.getPath().startsWith('/api/v1/auth/')) {",
    "  pm.sendRequest({",
    "    url: pm.variables.get('baseUrl') + '/api/v1/auth/login',",
    "    method: 'POST',",
    "    header: {'Content-Type': 'application/json'},",
    "    body: {mode: 'raw', raw: JSON.stringify({",
    "      username: pm.variables.get('username'), password: pm.variables.get('password')})}",
    "  }, function (err, res) {",
    "    if (!err && res.code === 200) {",
    "      pm.collectionVariables.set('accessToken', res.json().access_token);",
    "    }",
    "  });",
    "}",
]


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _path_value(param: dict[str, Any]) -> str:
    """A path parameter's value: what an earlier request created ({{jobId}}), or its example."""
    if param["schema"].get("type") == "integer" if "schema" in param else False:
        return "1"
    return "{{" + _camel(param["name"]) + "}}"


def _captures(spec: dict[str, Any], op: dict[str, Any]) -> list[tuple[str, str]]:
    """(variable, field) pairs a creating request stores for later ones: POST /api/v1/jobs fills
    {{jobId}} from `id`, the path parameter of /api/v1/jobs/{job_id}."""
    if op["method"] != "POST":
        return []
    found = []
    for path in spec["paths"]:
        tail = path[len(op["path"]) :]
        if path.startswith(op["path"] + "/{") and tail.count("/") == 1 and tail.endswith("}"):
            name = tail[2:-1]
            field = "name" if name.endswith("_name") else "id"
            found.append((_camel(name), field))
    return found


def _test_script(spec: dict[str, Any], op: dict[str, Any]) -> list[str]:
    documented = sorted(int(code) for code in op["responses"] if code.isdigit())
    script = [
        f"pm.test('{op['operationId']}: a documented status, never 5xx', function () {{",
        "  pm.expect(pm.response.code).to.be.below(500);",
        f"  pm.expect({json.dumps(documented)}).to.include(pm.response.code);",
        "});",
        "if (pm.response.code >= 200 && pm.response.code < 300 && pm.response.text().length > 0 && "
        "(pm.response.headers.get('Content-Type') || '').indexOf('json') >= 0 && "
        "(pm.response.headers.get('Content-Type') || '').indexOf('ndjson') < 0) {",
        f"  pm.test('{op['operationId']}: the body is JSON', function () {{ pm.response.json(); }});",
        "}",
    ]
    if op.get("security") != [] and op["tag"] != "auth":
        # the collection logged in: a 401 here means the login did not carry over
        script += [
            f"pm.test('{op['operationId']}: authenticated', function () {{",
            "  pm.expect(pm.response.code).to.not.equal(401);",
            "});",
        ]
    ok = resolve(spec, op["responses"].get("200", {})).get("content", {}).get("application/json", {})
    if "access_token" in resolve(spec, ok.get("schema", {})).get("properties", {}):
        script += [
            "if (pm.response.code === 200) {",
            "  pm.collectionVariables.set('accessToken', pm.response.json().access_token);",
            "  pm.collectionVariables.set('refreshToken', pm.response.json().refresh_token);",
            "}",
        ]
    for variable, field in _captures(spec, op):
        script += [
            f"if (pm.response.code === 201 && pm.response.json().{field} !== undefined) {{",
            f"  pm.collectionVariables.set('{variable}', String(pm.response.json().{field}));",
            "}",
        ]
    return script


def postman_request(spec: dict[str, Any], op: dict[str, Any]) -> dict[str, Any]:
    segments = []
    for part in op["path"].strip("/").split("/"):
        segments.append(f":{part[1:-1]}" if part.startswith("{") and part.endswith("}") else part)
    query = [
        {
            "key": p["name"],
            "value": POSTMAN_QUERY.get(p["name"], str(resolve(spec, p.get("schema", {})).get("default", ""))),
            "description": p.get("description", ""),
            "disabled": not (p.get("required", False) or p["name"] in POSTMAN_QUERY),
        }
        for p in op["parameters"]
        if p["in"] == "query"
    ]
    variables = [
        {"key": p["name"], "value": _path_value(p), "description": p.get("description", "")}
        for p in op["parameters"]
        if p["in"] == "path"
    ]
    url: dict[str, Any] = {
        "raw": "{{baseUrl}}/" + "/".join(segments),
        "host": ["{{baseUrl}}"],
        "path": segments,
    }
    if query:
        url["query"] = query
        url["raw"] += "?" + "&".join(f"{q['key']}={q['value']}" for q in query if not q["disabled"])
        url["raw"] = url["raw"].rstrip("?")
    if variables:
        url["variable"] = variables
    request: dict[str, Any] = {
        "method": op["method"],
        "url": url,
        "header": [],
        "description": op.get("description", op.get("summary", "")).strip(),
    }
    media_type, example, _ = request_body(spec, op)
    if isinstance(example, dict):
        example = {k: POSTMAN_BODY.get(k, v) for k, v in example.items()}
        if "refresh_token" in example:
            example["refresh_token"] = "{{refreshToken}}"
    if media_type == "application/json":
        request["header"].append({"key": "Content-Type", "value": media_type})
        request["body"] = {
            "mode": "raw",
            "raw": json.dumps(example, indent=2),
            "options": {"raw": {"language": "json"}},
        }
    elif media_type == "application/x-www-form-urlencoded":
        request["header"].append({"key": "Content-Type", "value": media_type})
        values = {**(example or {}), "username": "{{username}}", "password": "{{password}}"}
        request["body"] = {
            "mode": "urlencoded",
            "urlencoded": [{"key": k, "value": str(v)} for k, v in values.items()],
        }
    if isinstance(request.get("body", {}).get("raw"), str) and op["operationId"] == "login":
        login_body = {"username": "{{username}}", "password": "{{password}}"}
        request["body"]["raw"] = json.dumps(login_body, indent=2)
    if op.get("security") == []:
        request["auth"] = {"type": "noauth"}
    test = {"listen": "test", "script": {"type": "text/javascript", "exec": _test_script(spec, op)}}
    return {"name": op["operationId"], "request": request, "response": [], "event": [test]}


def _ends_something(op: dict[str, Any]) -> bool:
    return op["operationId"].startswith(ENDINGS)


def postman_collection(spec: dict[str, Any]) -> dict[str, Any]:
    ops = operations(spec)
    tags = [t["name"] for t in spec.get("tags", [])]
    tags += sorted({op["tag"] for op in ops} - set(tags))
    descriptions = {t["name"]: t.get("description", "") for t in spec.get("tags", [])}
    folders = [
        {
            "name": tag,
            "description": descriptions.get(tag, ""),
            # creating requests first, so the others find what they act on
            "item": [
                postman_request(spec, op)
                for op in sorted(
                    (op for op in ops if op["tag"] == tag and not _ends_something(op)),
                    key=lambda op: not _captures(spec, op),
                )
            ],
        }
        for tag in tags
        if any(op["tag"] == tag and not _ends_something(op) for op in ops)
    ]
    endings = sorted(
        (op for op in ops if _ends_something(op)),
        key=lambda op: (ENDINGS.index(next(e for e in ENDINGS if op["operationId"].startswith(e))),
                        op["operationId"]),
    )  # fmt: skip
    folders.append(
        {
            "name": "cleanup",
            "description": "Requests that delete or end what the others used; logout last.",
            "item": [postman_request(spec, op) for op in endings],
        }
    )
    return {
        "info": {
            "name": spec["info"]["title"],
            "description": spec["info"].get("description", ""),
            "version": spec["info"]["version"],
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "auth": {
            "type": "bearer",
            "bearer": [{"key": "token", "value": "{{accessToken}}", "type": "string"}],
        },
        "event": [{"listen": "prerequest", "script": {"type": "text/javascript", "exec": LOGIN_SCRIPT}}],
        "variable": [
            {"key": "baseUrl", "value": "http://127.0.0.1:8000", "type": "string"},
            {"key": "username", "value": "admin", "type": "string"},
            {"key": "password", "value": "", "type": "string"},
            {"key": "accessToken", "value": "", "type": "string"},
            {"key": "refreshToken", "value": "", "type": "string"},
        ],
        "item": folders,
    }


# ---------------------------------------------------------------- Markdown API reference


def cell(text: Any) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def type_of(spec: dict[str, Any], schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return f"array of {type_of(spec, schema.get('items', {}))}"
    text = schema.get("type", "any")
    if "enum" in schema:
        text += " (" + ", ".join(f"`{v}`" for v in schema["enum"]) + ")"
    if "default" in schema:
        text += f", default `{schema['default']}`"
    return text


def scopes_of(spec: dict[str, Any], op: dict[str, Any]) -> str:
    security = op.get("security", spec.get("security", []))
    if not security:
        return "none (public)"
    names = [f"`{scope}`" for requirement in security for scopes in requirement.values() for scope in scopes]
    return ", ".join(names) if names else "any valid token"


def reference_page(spec: dict[str, Any]) -> str:
    ops = operations(spec)
    info = spec["info"]
    lines = [
        f"# {info['title']} API reference (v{info['version']})",
        "",
        "<!-- Generated by codegen/generate.py from openapi/baton.yaml; do not edit by hand. -->",
        "",
        info.get("description", "").strip(),
        "",
    ]
    tags = [t for t in spec.get("tags", []) if any(op["tag"] == t["name"] for op in ops)]
    for tag in tags:
        lines += [f"## {tag['name']}", "", tag.get("description", "").strip(), ""]
        for op in (o for o in ops if o["tag"] == tag["name"]):
            lines += [
                f"### `{op['method']} {op['path']}`",
                "",
                f"**{op.get('summary', '')}**",
                "",
                f"- operationId: `{op['operationId']}`",
                f"- Required scopes: {scopes_of(spec, op)}",
            ]
            media_type, _, schema_name = request_body(spec, op)
            if media_type:
                lines.append(f"- Request body: `{schema_name}` ({media_type})")
            lines.append("")
            if op.get("description"):
                lines += [op["description"].strip(), ""]
            if op["parameters"]:
                lines += ["| Parameter | In | Type | Required | Description |", "|---|---|---|---|---|"]
                for p in op["parameters"]:
                    kind = cell(type_of(spec, p.get("schema", {})))
                    needed = "yes" if p.get("required") else "no"
                    lines.append(
                        f"| `{p['name']}` | {p['in']} | {kind} | {needed} | "
                        f"{cell(p.get('description', ''))} |"
                    )
                lines.append("")
            lines += ["| Status | Description | Body |", "|---|---|---|"]
            for status, response in op["responses"].items():
                response = resolve(spec, response)
                bodies = [
                    f"`{type_of(spec, m.get('schema', {}))}` ({t})"
                    for t, m in response.get("content", {}).items()
                ]
                lines.append(
                    f"| {status} | {cell(response.get('description', ''))} | {', '.join(bodies) or '-'} |"
                )
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# ---------------------------------------------------------------- error dictionary

ERROR_CODES_INTRO = """\
# Error codes

<!-- Generated by codegen/generate.py from `x-error-codes` in openapi/baton.yaml; do not edit by hand. -->

Every error response is `application/problem+json` (RFC 9457):

```json
{"type": "urn:baton:problem:validation-error", "title": "Bad Request", "status": 400,
 "detail": "The request body does not match the API schema", "instance": "/api/v1/jobs",
 "code": "VALIDATION_ERROR", "request_id": "8f14e45fceea167a",
 "errors": [{"field": "priority", "message": "10 is greater than the maximum of 9"}]}
```

`code` is stable: program against it, not against `detail`. `type` is `urn:baton:problem:` followed
by the code in lower case with dashes. `request_id` is also the `X-Request-ID` response header; quote
it when reporting a problem (the server logs it with every error). No stack trace is ever sent.
"""


def error_codes_page(spec: dict[str, Any]) -> str:
    entries = spec.get("x-error-codes", [])
    columns = ["API_ERR_CODE", "HTTP Status", "Description", "Probable Causes", "Troubleshooting Steps"]
    lines = [
        ERROR_CODES_INTRO,
        "| " + " | ".join([*columns, "Prevention Tips"]) + " |",
        "|---|---|---|---|---|---|",
    ]
    for entry in sorted(entries, key=lambda e: e["status"]):  # stable: spec order within a status
        cells = [entry[name] for name in ("description", "causes", "troubleshooting", "prevention")]
        lines.append(f"| `{entry['code']}` | {entry['status']} | " + " | ".join(map(cell, cells)) + " |")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- driver


def generate_client(out_dir: Path) -> None:
    """Generate into a fresh directory, then replace out_dir: --overwrite alone only clears api/ and
    models/, so a file that is no longer generated would survive."""
    cli = Path(sys.executable).parent / "openapi-python-client"
    with tempfile.TemporaryDirectory(prefix="baton-client-") as tmp:
        fresh = Path(tmp) / "client"
        command = [
            str(cli),
            "generate",
            "--path",
            str(SPEC),
            "--config",
            str(CONFIG),
            "--output-path",
            str(fresh),
            "--overwrite",
            "--meta",
            "uv",
            "--fail-on-warning",
        ]
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"openapi-python-client failed ({result.returncode}):\n{result.stdout}{result.stderr}")
        shutil.copyfile(CLIENT_README, fresh / "README.md")
        shutil.rmtree(out_dir, ignore_errors=True)
        shutil.copytree(fresh, out_dir)


def generate(root: Path) -> None:
    spec = load_spec()
    generate_client(root / CLIENT_DIR)
    (root / "docs").mkdir(parents=True, exist_ok=True)
    collection = json.dumps(postman_collection(spec), indent=2, sort_keys=True, ensure_ascii=False)
    (root / POSTMAN).write_text(collection + "\n", encoding="utf-8")
    (root / REFERENCE).write_text(reference_page(spec), encoding="utf-8")
    (root / ERROR_CODES).write_text(error_codes_page(spec), encoding="utf-8")


def tree(base: Path) -> set[str]:
    if not base.is_dir():
        return set()
    return {
        p.relative_to(base).as_posix()
        for p in base.rglob("*")
        if p.is_file() and not IGNORED & set(p.relative_to(base).parts)
    }


def differences(fresh: Path) -> list[str]:
    changed = []
    new, old = tree(fresh / CLIENT_DIR), tree(ROOT / CLIENT_DIR)
    for rel in sorted(new | old):
        a, b = fresh / CLIENT_DIR / rel, ROOT / CLIENT_DIR / rel
        if rel not in new or rel not in old or not filecmp.cmp(a, b, shallow=False):
            changed.append(f"{CLIENT_DIR}/{rel}")
    for rel in DOCS:
        if not (ROOT / rel).is_file() or not filecmp.cmp(fresh / rel, ROOT / rel, shallow=False):
            changed.append(rel)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="fail if regenerating would change anything")
    args = parser.parse_args(argv)
    if not args.check:
        generate(ROOT)
        print(f"regenerated {CLIENT_DIR}/, {', '.join(DOCS)}")
        return 0
    with tempfile.TemporaryDirectory(prefix="baton-codegen-") as tmp:
        generate(Path(tmp))
        changed = differences(Path(tmp))
    if changed:
        print("generated files are out of date; run `python codegen/generate.py`:", file=sys.stderr)
        print("\n".join(f"  {path}" for path in changed), file=sys.stderr)
        return 1
    print("generated files are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
