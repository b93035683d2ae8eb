"""Templates: a job or a workflow with declared, typed parameters, run with ``{parameters: {…}}``.

A template is ``{name, parameters: <JSON Schema>, job: {…} | workflow: {…}}``.

Parameters. `parameters` is a JSON Schema (Draft 2020-12; a different `$schema` is refused) for
an object: ``{"type": "object", "properties": {name: schema, …}, "required": […]}``. Parameter
names are identifiers (letters, digits, _; not starting with a digit). The schema is checked
against its metaschema when the template is created, references must stay inside it (``#…``),
and each declared `default` must satisfy its own schema. At run time the given values get the
defaults of missing properties (following `properties`, nested objects included; not through
`$ref`, `allOf` and the like), are validated with format checking, and any error is a 422
INVALID_TEMPLATE_PARAMETERS whose `errors[].field` is the value's path (``parameters.retries``,
``parameters.hosts.2``). To refuse undeclared names, say ``"additionalProperties": false``.

Substitution happens only where the template marks it, and never through a shell:
  * ``{"$param": "name"}`` — an object with that one key is replaced by the parameter's value,
    keeping its JSON type (a number stays a number, a list a list). Allowed anywhere in a job
    template's `job`; in a workflow template only in the workflow's `name` and inside each step's
    `job`, so step names, dependencies, on_failure and phases stay literal and the workflow's shape
    is validated when the template is created. As one element of `command` the value must be a
    string, number or boolean (numbers and booleans become their JSON text): one element stays
    one argument; a list is never spread into several.
  * ``{{name}}`` inside a string — replaced by the value's text (strings as they are, numbers
    and booleans as JSON text; null, lists and objects are refused) only in these fields of a job:
    `name`, each element of `command`, label values and the strings anywhere inside `payload`
    (object keys never); for a workflow, also its `name`. Replacing is one pass: a value that
    itself contains ``{{x}}`` or ``{"$param": …}`` is kept literally. ``{{{{`` stands for a literal
    ``{{``; text such as ``{{.Names}}`` (no identifier) is left alone. A ``{{name}}`` anywhere else
    is an error, as is any marker naming an undeclared parameter (both at creation).
A command therefore stays an argv list: substituting never splits an element or joins two, and a
value such as ``"; rm -rf /"`` is one argument. The rendered job still goes through the same
validation as ``POST /jobs``."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator, SchemaError, ValidationError
from referencing.exceptions import Unresolvable

from baton.dag import parse_workflow
from baton.errors import Unprocessable

__all__ = [
    "INVALID_TEMPLATE",
    "INVALID_TEMPLATE_PARAMETERS",
    "MAX_PARAMETERS",
    "PARAM_KEY",
    "Template",
    "parse_template",
]

INVALID_TEMPLATE = "INVALID_TEMPLATE"
INVALID_TEMPLATE_PARAMETERS = "INVALID_TEMPLATE_PARAMETERS"
PARAM_KEY = "$param"
MAX_PARAMETERS = 100
MAX_ERRORS = 50
_DRAFT = "https://json-schema.org/draft/2020-12/schema"
_PARAMETER_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
# `{{{{` (a literal `{{`) or `{{ name }}`
_TOKEN = re.compile(r"\{\{\{\{|\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Template:
    name: str
    parameters: Mapping[str, Any]  # the JSON Schema
    kind: str  # "job" or "workflow"
    body: Mapping[str, Any]  # the job or workflow, markers included

    def resolve(self, values: Any) -> dict[str, Any]:
        """The given values with defaults applied, validated; a 422 listing each bad value."""
        if not isinstance(values, Mapping):
            raise _bad_values([{"field": "parameters", "message": "parameters is an object"}])
        resolved = _with_defaults(self.parameters, dict(values))
        validator = Draft202012Validator(self.parameters, format_checker=Draft202012Validator.FORMAT_CHECKER)
        try:
            found = sorted(validator.iter_errors(resolved), key=lambda e: [str(p) for p in e.absolute_path])
        except Unresolvable as exc:
            raise _bad_values(
                [{"field": "parameters", "message": f"unresolvable reference: {exc}"}]
            ) from None
        if found:
            raise _bad_values([{"field": _value_field(e), "message": _clip(e.message)} for e in found])
        return resolved

    def render(self, values: Any) -> dict[str, Any]:
        """The job or workflow body for these parameter values."""
        resolved = self.resolve(values)
        problems: list[dict[str, str]] = []

        def whole(name: str, path: _Path) -> Any:
            value = copy.deepcopy(resolved.get(name))
            if _is_argv_element(path, self.kind):
                if isinstance(value, str):
                    return value
                if isinstance(value, bool | int | float):
                    return json.dumps(value)
                problems.append(
                    _at(path, f"parameter {name!r} fills one command argument: give text or a number")
                )
            return value

        def text(value: str, path: _Path) -> str:
            if not _text_allowed(path, self.kind):
                return value
            return _interpolate(value, resolved, path, problems)

        rendered = _walk(self.body, (self.kind,), self.kind, whole, text)
        _check_commands(rendered, self.kind, problems)
        if problems:
            raise _bad_values(problems)
        if self.kind == "workflow":
            parse_workflow(rendered)
        return rendered


def parse_template(body: Mapping[str, Any]) -> Template:
    """A checked template, or a 422 INVALID_TEMPLATE naming each problem (see the docstring)."""
    if not isinstance(body, Mapping):
        raise _bad_template([{"field": "body", "message": "a template is an object"}])
    problems: list[dict[str, str]] = []
    name = body.get("name")
    if not isinstance(name, str) or not name:
        problems.append({"field": "name", "message": "a template needs a name"})
    kinds = [kind for kind in ("job", "workflow") if body.get(kind) is not None]
    if len(kinds) != 1 or not isinstance(body[kinds[0]], Mapping):
        problems.append({"field": "job", "message": "give exactly one of job and workflow, an object"})
        raise _bad_template(problems)
    kind = kinds[0]
    schema = body.get("parameters")
    if schema is None:
        schema = {"type": "object", "properties": {}}
    declared = _check_schema(schema, problems)
    if problems:
        raise _bad_template(problems)

    def whole(parameter: Any, path: _Path) -> Any:
        if not isinstance(parameter, str) or parameter not in declared:
            problems.append(_at(path, f"{PARAM_KEY} names undeclared parameter {parameter!r}"))
        return None

    def text(value: str, path: _Path) -> str:
        for match in _TOKEN.finditer(value):
            if match.group(1) and not _text_allowed(path, kind):
                problems.append(
                    _at(path, "{{…}} is replaced only in name, command arguments, label values and payload")
                )
            elif match.group(1) and match.group(1) not in declared:
                problems.append(
                    _at(path, f"{{{{{match.group(1)}}}}} names undeclared parameter {match.group(1)!r}")
                )
        return value

    _walk(body[kind], (kind,), kind, whole, text, check=problems)
    if problems:
        raise _bad_template(problems)
    if kind == "workflow":
        _check_workflow_shape(body[kind])
    return Template(name=name, parameters=copy.deepcopy(schema), kind=kind, body=copy.deepcopy(body[kind]))


# -- the parameter schema ----------------------------------------------------------------------


def _check_schema(schema: Any, problems: list[dict[str, str]]) -> set[str]:
    """The declared parameter names; problems appended for a schema that cannot be used."""
    if not isinstance(schema, Mapping) or schema.get("type") != "object":
        problems.append(
            {"field": "parameters", "message": 'parameters is a JSON Schema with "type": "object"'}
        )
        return set()
    if schema.get("$schema", _DRAFT) != _DRAFT:
        problems.append({"field": "parameters.$schema", "message": f"only {_DRAFT} is supported"})
        return set()
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        where = ".".join(str(part) for part in exc.absolute_path)
        problems.append({"field": f"parameters.{where}".rstrip("."), "message": _clip(exc.message)})
        return set()
    for path, ref in _references(schema, ("parameters",)):
        if not ref.startswith("#"):
            problems.append(_at(path, f"references stay inside the schema (#…), not {ref[:100]!r}"))
    properties = schema.get("properties") or {}
    if len(properties) > MAX_PARAMETERS:
        problems.append({"field": "parameters.properties", "message": f"at most {MAX_PARAMETERS} parameters"})
    for name in properties:
        if not _PARAMETER_NAME.fullmatch(name):
            problems.append(
                {"field": f"parameters.properties.{name}", "message": "a parameter name is an identifier"}
            )
    if problems:
        return set()
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    for name, subschema in properties.items():
        if isinstance(subschema, Mapping) and "default" in subschema:
            try:
                bad = next(validator.evolve(schema=subschema).iter_errors(subschema["default"]), None)
            except Unresolvable as exc:
                bad = ValidationError(f"unresolvable reference: {exc}")
            if bad is not None:
                message = f"the default does not fit: {_clip(bad.message)}"
                problems.append({"field": f"parameters.properties.{name}.default", "message": message})
    return set(properties)


def _references(node: Any, path: _Path) -> list[tuple[_Path, str]]:
    found: list[tuple[_Path, str]] = []
    stack = [(node, path)]
    while stack:
        node, path = stack.pop()
        if isinstance(node, Mapping):
            for key, value in node.items():
                if key in ("$ref", "$dynamicRef") and isinstance(value, str):
                    found.append(((*path, key), value))
                else:
                    stack.append((value, (*path, key)))
        elif isinstance(node, list):
            stack.extend((value, (*path, index)) for index, value in enumerate(node))
    return found


def _with_defaults(schema: Mapping[str, Any], value: Any) -> Any:
    properties = schema.get("properties") if isinstance(schema, Mapping) else None
    if not isinstance(value, dict) or not isinstance(properties, Mapping):
        return value
    filled = dict(value)
    for name, subschema in properties.items():
        if not isinstance(subschema, Mapping):
            continue
        if name not in filled and "default" in subschema:
            filled[name] = copy.deepcopy(subschema["default"])
        if name in filled:
            filled[name] = _with_defaults(subschema, filled[name])
    return filled


# -- walking the body ----------------------------------------------------------------------------


def _walk(
    node: Any,
    path: _Path,
    kind: str,
    whole: Callable[[Any, _Path], Any],
    text: Callable[[str, _Path], str],
    check: list[dict[str, str]] | None = None,
) -> Any:
    """A copy of `node` with markers replaced: `whole` for {"$param": …} where allowed, `text` for
    every string (it decides what may be interpolated). With `check`, misplaced markers are
    reported there instead."""
    if isinstance(node, Mapping) and PARAM_KEY in node:
        if check is not None and len(node) != 1:
            check.append(_at(path, f'a {{"{PARAM_KEY}": name}} marker is an object with that one key'))
        elif check is not None and not _marker_allowed(path, kind):
            check.append(_at(path, f"{PARAM_KEY} is not allowed here: the workflow's shape stays literal"))
        return whole(node[PARAM_KEY], path)
    if isinstance(node, Mapping):
        return {key: _walk(value, (*path, key), kind, whole, text, check) for key, value in node.items()}
    if isinstance(node, list):
        return [_walk(value, (*path, index), kind, whole, text, check) for index, value in enumerate(node)]
    if isinstance(node, str):
        return text(node, path)
    return node


def _job_part(path: _Path, kind: str) -> _Path | None:
    """The path inside a job body, or None outside every job."""
    if kind == "job":
        return path[1:]
    if len(path) >= 4 and path[1] == "steps" and path[3] == "job":
        return path[4:]
    return None


def _marker_allowed(path: _Path, kind: str) -> bool:
    # inside a job, not for a whole job: a template's jobs stay objects
    return path == ("workflow", "name") or bool(_job_part(path, kind))


def _text_allowed(path: _Path, kind: str) -> bool:
    if path == (kind, "name"):
        return True
    inner = _job_part(path, kind)
    if inner is None or not inner:
        return False
    return (
        inner == ("name",)
        or (len(inner) == 2 and inner[0] == "command" and isinstance(inner[1], int))
        or (len(inner) == 2 and inner[0] == "labels")
        or inner[0] == "payload"
    )


def _is_argv_element(path: _Path, kind: str) -> bool:
    inner = _job_part(path, kind)
    return inner is not None and len(inner) == 2 and inner[0] == "command" and isinstance(inner[1], int)


def _interpolate(value: str, resolved: Mapping[str, Any], path: _Path, problems: list[dict[str, str]]) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return "{{"
        given = resolved.get(name)
        if isinstance(given, str):
            return given
        if isinstance(given, bool | int | float):
            return json.dumps(given)
        problems.append(
            _at(path, f"parameter {name!r} is {json.dumps(given)[:40]}; only text and numbers fit in text")
        )
        return match.group(0)

    return _TOKEN.sub(replace, value)


def _check_commands(rendered: Any, kind: str, problems: list[dict[str, str]]) -> None:
    """Each rendered command is still an argv list of strings (a whole-command parameter too)."""
    jobs = [((kind,), rendered)] if kind == "job" else []
    if kind == "workflow":
        steps = rendered.get("steps") if isinstance(rendered.get("steps"), list) else []
        jobs = [
            ((kind, "steps", i, "job"), s.get("job")) for i, s in enumerate(steps) if isinstance(s, Mapping)
        ]
    for path, job in jobs:
        command = job.get("command") if isinstance(job, Mapping) else None
        if command is not None and not (
            isinstance(command, list) and all(isinstance(a, str) for a in command)
        ):
            problems.append(_at((*path, "command"), "a command is a list of strings, one per argument"))


def _check_workflow_shape(workflow: Mapping[str, Any]) -> None:
    if isinstance(workflow.get("name"), Mapping):  # a {"$param": …} name is known only at run time
        workflow = {**workflow, "name": "template"}
    try:
        parse_workflow(workflow)
    except Unprocessable as exc:
        errors = [{**error, "field": f"workflow.{error['field']}"} for error in exc.errors or []]
        raise _bad_template(errors) from None


# -- errors --------------------------------------------------------------------------------------


def _at(path: _Path, message: str) -> dict[str, str]:
    return {"field": ".".join(str(part) for part in path), "message": message}


def _value_field(error: ValidationError) -> str:
    parts = [str(part) for part in error.absolute_path]
    if error.validator == "required" and isinstance(error.instance, Mapping):
        missing = [name for name in error.validator_value if name not in error.instance]
        parts += missing[:1]
    elif error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
        declared = error.schema.get("properties", {}) if isinstance(error.schema, Mapping) else {}
        parts += [name for name in error.instance if name not in declared][:1]
    return ".".join(["parameters", *parts])


def _clip(message: str, limit: int = 300) -> str:
    return message if len(message) <= limit else message[: limit - 1] + "…"


def _bad_template(errors: list[dict[str, str]]) -> Unprocessable:
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    detail = f"Invalid template: {errors[0]['message']}{more}" if errors else "Invalid template"
    return Unprocessable(detail, code="INVALID_TEMPLATE", errors=errors[:MAX_ERRORS])


def _bad_values(errors: list[dict[str, str]]) -> Unprocessable:
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return Unprocessable(
        f"Invalid template parameters: {errors[0]['message']}{more}",
        code="INVALID_TEMPLATE_PARAMETERS",
        errors=errors[:MAX_ERRORS],
    )
