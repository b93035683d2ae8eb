"""The error dictionary (`x-error-codes` in openapi/baton.yaml, rendered into docs/error-codes.md
by codegen) holds exactly the codes the server can answer with: every `code` the Python sources
give a problem is in it, and every code in it is one the sources give."""

from __future__ import annotations

import ast
import re

import yaml

from tests.conftest import REPO

FOLDERS = ("baton", "handlers", "backends")
UPPER_SNAKE = re.compile(r"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")
# functions that take a problem's code positionally, and where
EMITTERS = {"problem_response": 1, "problem_body": 1, "send_problem": 2, "_refuse": 2}
FIELDS = ("code", "status", "description", "causes", "troubleshooting", "prevention")


def dictionary() -> list[dict]:
    return yaml.safe_load((REPO / "openapi" / "baton.yaml").read_text(encoding="utf-8"))["x-error-codes"]


def codes_in_sources() -> dict[str, set[str]]:
    """Each code -> where it is given: `code="X"` anywhere (the grep `code="` finds), a code
    passed positionally to the problem builders, `code = "X"` / `status, code, title = …` class
    attributes, and the status-to-code table of baton/problems.py with its fallback."""
    found: dict[str, set[str]] = {}
    trees = {
        path: ast.parse(path.read_text(encoding="utf-8"))
        for folder in FOLDERS
        for path in sorted((REPO / folder).rglob("*.py"))
    }
    # constants named as their code (`INVALID_SCHEDULE = "INVALID_SCHEDULE"`), passed as `code=NAME`
    named = {
        node.targets[0].id
        for tree in trees.values()
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Constant)
        and node.value.value == node.targets[0].id
    }

    def add(value: ast.AST, where: str) -> None:
        if isinstance(value, ast.Name) and value.id in named and UPPER_SNAKE.match(value.id):
            found.setdefault(value.id, set()).add(where)
        if (
            isinstance(value, ast.Constant)
            and isinstance(value.value, str)
            and UPPER_SNAKE.match(value.value)
        ):
            found.setdefault(value.value, set()).add(where)

    for path, tree in trees.items():
        for node in ast.walk(tree):
            where = f"{path.relative_to(REPO)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg == "code":
                        add(keyword.value, where)
                name = getattr(node.func, "id", getattr(node.func, "attr", None))
                if name in EMITTERS and len(node.args) > EMITTERS[name]:
                    add(node.args[EMITTERS[name]], where)
                if name == "get" and getattr(node.func.value, "id", None) == "_CODES":
                    add(node.args[-1], where)
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id == "code":
                        add(node.value, where)
                    if isinstance(target, ast.Name) and target.id == "_CODES":
                        for value in getattr(node.value, "values", []):
                            add(value, where)
                    if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                        for name_node, value in zip(target.elts, node.value.elts, strict=False):
                            if isinstance(name_node, ast.Name) and name_node.id == "code":
                                add(value, where)
    return found


def test_the_extraction_finds_what_grep_finds() -> None:
    grepped = {
        match
        for folder in FOLDERS
        for path in (REPO / folder).rglob("*.py")
        for match in re.findall(r'code="([A-Z0-9_]+)"', path.read_text(encoding="utf-8"))
    }
    assert grepped and grepped <= codes_in_sources().keys()


def test_every_code_the_sources_use_is_in_the_dictionary_and_back() -> None:
    used = codes_in_sources()
    listed = {entry["code"] for entry in dictionary()}
    missing = {code: sorted(where) for code, where in used.items() if code not in listed}
    assert not missing, f"add these to x-error-codes in openapi/baton.yaml: {missing}"
    unused = listed - used.keys()
    assert not unused, f"no source gives these codes any more; drop them from x-error-codes: {unused}"


def test_each_entry_is_complete_and_once() -> None:
    entries = dictionary()
    codes = [entry["code"] for entry in entries]
    assert len(codes) == len(set(codes)), "a code is listed twice"
    for entry in entries:
        assert tuple(entry) == FIELDS, entry
        assert UPPER_SNAKE.match(entry["code"]) and 400 <= entry["status"] <= 599, entry
        assert all(isinstance(entry[name], str) and entry[name].strip() for name in FIELDS[2:]), entry


def test_the_docs_page_lists_every_code_with_its_status() -> None:
    page = (REPO / "docs" / "error-codes.md").read_text(encoding="utf-8")
    assert "| API_ERR_CODE | HTTP Status | Description | Probable Causes | Troubleshooting Steps |" in page
    for entry in dictionary():
        assert f"| `{entry['code']}` | {entry['status']} |" in page


def test_the_status_to_code_table_agrees_with_the_dictionary() -> None:
    from baton.problems import _CODES

    listed = {entry["code"]: entry["status"] for entry in dictionary()}
    for status, code in _CODES.items():
        assert listed[code] == status, (code, status)
