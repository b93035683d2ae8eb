"""Connexion request validators that report every error as `errors[{field, message}]` and turn
undecodable bodies into 400s (connexion 3.3 answers 500 to a body that is not UTF-8)."""

from __future__ import annotations

import copy
import functools
import re
from typing import Any, ClassVar
from urllib.parse import parse_qsl

import jsonschema
import orjson
from connexion.datastructures import MediaTypeDict
from connexion.exceptions import BadRequestProblem
from connexion.json_schema import Draft4RequestValidator, resolve_refs
from connexion.utils import is_null, is_nullable
from connexion.validators import (
    VALIDATOR_MAP,
    DefaultsJSONRequestBodyValidator,
    FormDataValidator,
    ParameterValidator,
    TextResponseBodyValidator,
)
from jsonschema import Draft4Validator, ValidationError

from baton.errors import InvalidInput, Unprocessable
from baton.spec import load_spec

__all__ = ["VALIDATORS", "validate_body"]

_FORMATS = Draft4Validator.FORMAT_CHECKER


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    # JSON Schema patterns follow ECMA-262, where `$` matches only at the very end; Python's `$`
    # also matches before a final newline, which let "abc\n" pass "^[a-z]+$"
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict) -> Any:
    if validator.is_type(instance, "string") and not _compiled(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_ParamSchemaValidator = jsonschema.validators.extend(Draft4Validator, {"pattern": _pattern})


def _field(error: ValidationError, prefix: str = "") -> str:
    path = ".".join(str(part) for part in error.absolute_path)
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [name for name in error.validator_value if name not in error.instance]
        path = ".".join(p for p in (path, missing[0] if missing else "") if p)
    elif error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = [name for name in error.instance if name not in allowed]
        path = ".".join(p for p in (path, extra[0] if extra else "") if p)
    return f"{prefix}{path}" if path else (prefix.rstrip(".") or "body")


def _message(error: ValidationError) -> str:
    """The error's message, without the value when the field holds a secret: jsonschema quotes the
    instance ("['hunter2'] is not of type 'string'"), which sent passwords back in 400s."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    if schema.get("format") == "password" or schema.get("writeOnly"):
        return f"The value breaks the schema's {error.validator!r} rule (not shown: it is a secret)"
    return error.message


def _schema_errors(validator: Any, body: Any) -> list[dict[str, str]]:
    errors = sorted(validator.iter_errors(body), key=lambda e: list(map(str, e.absolute_path)))
    return [{"field": _field(e), "message": _message(e)} for e in errors[:20]]


@functools.cache
def _with_defaults(validator_class: Any) -> Any:
    return BodyValidator._extend_with_set_default(validator_class)


class BodyValidator(DefaultsJSONRequestBodyValidator):
    """Fills in the spec's defaults, so services never repeat them."""

    # Connexion makes a body validator per request; the jsonschema validator behind it is built
    # once per schema here (building the extended class compiled code each time: a quarter of a
    # POST's time)
    _validators: ClassVar[dict[int, tuple[Any, Draft4Validator]]] = {}

    @property
    def _validator(self) -> Draft4Validator:
        cached = self._validators.get(id(self._schema))
        if cached is None or cached[0] is not self._schema:
            cls = _with_defaults(Draft4RequestValidator)
            cached = (self._schema, cls(self._schema, format_checker=Draft4Validator.FORMAT_CHECKER))
            self._validators[id(self._schema)] = cached
        return cached[1]

    @staticmethod
    def extend_with_set_default(validator_class: Any) -> Any:
        return _with_defaults(validator_class)

    @staticmethod
    def _extend_with_set_default(validator_class: Any) -> Any:
        # Connexion's version calls instance.setdefault() on any instance: a JSON array body
        # where an object is expected crashed it (500). Fill defaults only into objects.
        validate_properties = validator_class.VALIDATORS["properties"]

        def set_defaults(validator: Any, properties: dict, instance: Any, schema: dict) -> Any:
            if isinstance(instance, dict):
                for name, subschema in properties.items():
                    if "default" in subschema:
                        instance.setdefault(name, subschema["default"])
            yield from validate_properties(validator, properties, instance, schema)

        return jsonschema.validators.extend(
            validator_class, {"properties": set_defaults, "pattern": _pattern}
        )

    async def _parse(self, stream: Any, scope: Any) -> Any:
        raw = b"".join([message async for message in stream])
        if not raw.strip():
            return None
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidInput(
                f"The request body is not valid UTF-8 (byte {exc.start})", code="INVALID_ENCODING"
            ) from None
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise InvalidInput(f"The request body is not valid JSON: {exc}", code="INVALID_JSON") from None

    def _validate(self, body: Any) -> None:
        if body is None and not self._nullable:
            raise InvalidInput("The request body must not be empty", code="BODY_REQUIRED")
        errors = list(self._validator.iter_errors(body))
        read_only = self._read_only_fields(errors, body)
        if read_only:
            raise Unprocessable(
                f"Read-only here: {', '.join(read_only)}; "
                f"only {', '.join(self._schema['properties'])} can change",
                code="READ_ONLY_FIELD",
                errors=[{"field": name, "message": "This field cannot be changed"} for name in read_only],
            )
        if errors:
            raise InvalidInput(
                "The request body does not match the API schema", errors=_schema_errors(self._validator, body)
            )

    def _read_only_fields(self, errors: list[ValidationError], body: Any) -> list[str]:
        """The resource fields a patch body sets that cannot be patched, when they are its only
        fault: the schema names the resource in `x-patch-of`, and such a field is 422, not 400."""
        resource = self._schema.get("x-patch-of") if isinstance(self._schema, dict) else None
        if not resource or not errors or not isinstance(body, dict):
            return []
        if any(e.validator != "additionalProperties" or e.absolute_path for e in errors):
            return []
        extra = [name for name in body if name not in self._schema.get("properties", {})]
        if all(name in resource.get("properties", {}) for name in extra):
            return extra
        return []


class FormValidator(FormDataValidator):
    """Form bodies (the OAuth2 token endpoint): every error in errors[], secrets not echoed, and
    nothing logged at ERROR level with the submitted values."""

    def _validate(self, body: Any) -> None:
        if not isinstance(body, dict):
            raise InvalidInput("The form body must be a set of fields")
        if self._strict_validation:
            self._validate_params_strictly(body)
        errors = _schema_errors(self._validator, body)
        if errors:
            raise InvalidInput("The request body does not match the API schema", errors=errors)


# parameter definition (an object of the loaded spec, alive as long as the app) -> its validator:
# building one per parameter per request was a tenth of a GET's CPU
_PARAM_VALIDATORS: dict[int, tuple[dict, Any]] = {}


def _param_validator(param: dict) -> Any:
    found = _PARAM_VALIDATORS.get(id(param))
    if found is None or found[0] is not param:
        schema = copy.deepcopy(param.get("schema", param))
        found = _PARAM_VALIDATORS[id(param)] = (param, _ParamSchemaValidator(schema, format_checker=_FORMATS))
    return found[1]


class ParamValidator(ParameterValidator):
    @staticmethod
    def validate_parameter(
        parameter_type: str, value: Any, param: dict, param_name: str | None = None
    ) -> str | None:
        if is_nullable(param) and is_null(value):
            return None
        if value is not None:
            try:
                _param_validator(param).validate(value)
            except ValidationError as exc:
                return exc.message
            return None
        if param.get("required"):
            return f"Missing {parameter_type} parameter"
        return None

    def validate_header_parameter(self, param: dict, request: Any) -> str | None:
        value = request.headers.get(param["name"])
        error = self.validate_parameter("header", value, param, param["name"])
        if error and value is not None and not value.isascii():
            # Starlette decodes header bytes as Latin-1, so jsonschema quoted "7f1c…" as
            # '7f1câ\x80¦': quote the value as the client sent it instead
            error = error.replace(repr(value), _as_sent(value))
        return error

    def validate_request(self, request: Any) -> None:
        errors: list[dict[str, str]] = []
        if self.strict_validation:
            extra = self.validate_query_parameter_list(request, security_params=self.security_query_params)
            errors += [
                {"field": f"query.{name}", "message": "Unknown query parameter"} for name in sorted(extra)
            ]
        checks = {
            "query": self.validate_query_parameter,
            "path": self.validate_path_parameter,
            "header": self.validate_header_parameter,
            "cookie": self.validate_cookie_parameter,
        }
        for location, check in checks.items():
            for param in self.parameters.get(location, []):
                if not _plain_integers(location, param, request):
                    # Python's int() took "1_0" and "९" (a Devanagari nine) as numbers
                    errors.append(
                        {"field": f"{location}.{param['name']}", "message": "Not a decimal integer"}
                    )
                    continue
                try:
                    error = check(param, request)
                except BadRequestProblem as exc:  # raised by type coercion ("limit=abc")
                    error = str(exc.detail)
                if error:
                    errors.append({"field": f"{location}.{param['name']}", "message": error})
        if errors:
            raise InvalidInput("The request parameters do not match the API schema", errors=errors)


class PlainTextResponseValidator(TextResponseBodyValidator):
    """Connexion parses a text/plain response as JSON when it can (so a log reading "42" failed
    `type: string`) and decodes it strictly (so a log with invalid UTF-8 was a 500): take text as
    text. Responses are validated in tests only."""

    def _parse(self, stream: Any) -> str:  # type: ignore[override]
        return b"".join(stream).decode("utf-8", errors="replace")


def _as_sent(header_value: str) -> str:
    """A header value (Latin-1-decoded by the server) quoted as the client sent it: its bytes
    read as UTF-8 when they are UTF-8, else with the other bytes escaped (`'7f1c\\xff'`)."""
    raw = header_value.encode("latin-1")
    try:
        return repr(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return repr(raw)[1:]  # b'...' without the b


_DECIMAL = re.compile(r"-?[0-9]+")


def _plain_integers(location: str, param: dict, request: Any) -> bool:
    if param.get("schema", {}).get("type") != "integer" or location not in {"query", "path"}:
        return True
    # the raw text: Connexion hands validators values it already converted with int()
    if location == "query":
        query = request.scope.get("query_string", b"").decode("latin-1")
        raws = [value for name, value in parse_qsl(query, keep_blank_values=True) if name == param["name"]]
    else:
        raw = request.scope.get("path_params", {}).get(param["name"])
        raws = [raw] if isinstance(raw, str) else []
    return all(_DECIMAL.fullmatch(raw) for raw in raws)


VALIDATORS = {
    **VALIDATOR_MAP,
    "parameter": ParamValidator,
    "body": MediaTypeDict(
        {
            **VALIDATOR_MAP["body"],
            "*/*json": BodyValidator,
            "application/x-www-form-urlencoded": FormValidator,
        }
    ),
    # exports and /metrics are text too; NDJSON's "json" suffix would have it parsed as one document
    "response": MediaTypeDict(
        {
            **VALIDATOR_MAP["response"],
            "text/plain": PlainTextResponseValidator,
            "text/csv": PlainTextResponseValidator,
            "application/x-ndjson": PlainTextResponseValidator,
        }
    ),
}


@functools.cache
def _component_validator(schema_name: str) -> Any:
    schema = resolve_refs(load_spec())["components"]["schemas"][schema_name]
    return _with_defaults(Draft4RequestValidator)(schema, format_checker=Draft4Validator.FORMAT_CHECKER)


def validate_body(schema_name: str, body: Any, *, code: str, prefix: str = "") -> dict[str, Any]:
    """`body` checked as a request body of the spec's `schema_name` would be, defaults filled in
    (a template's rendered job or workflow); a 422 `code` listing each error otherwise."""
    body = copy.deepcopy(body)
    errors = sorted(_component_validator(schema_name).iter_errors(body), key=lambda e: list(map(str, e.path)))
    if errors:
        found = [{"field": _field(e, prefix), "message": _message(e)} for e in errors[:20]]
        raise Unprocessable(
            f"The result is not a valid request: {found[0]['message']}", code=code, errors=found
        )
    return body
