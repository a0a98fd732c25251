"""What an exercise may vary, as its author declares it under `variants:`, and the mechanics
every kind shares: drawing parameter values from a seed, safe computed values, `{{name}}`
placeholders and patches addressed by path.

A parameterised exercise file is a template: placeholders may stand anywhere (a string that is
exactly one placeholder takes the value's type, so `budget_per_item: "{{budget}}"` is a number).
The authored defaults give variant 0, the exercise the bank shows first; seed n > 0 draws.
"""

from __future__ import annotations

import ast
import operator
import random
import re
from collections.abc import Callable, Mapping
from typing import Annotated, Any

from pydantic import Field, StringConstraints, model_validator

from exercises.submission import ClaimError, Severity
from exercises.workflow import Id, Strict

Scalar = float | int | str | bool
Value = Scalar | dict[str, Scalar]
Expression = Annotated[str, StringConstraints(min_length=1, max_length=1000)]
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][\w.]*)\s*(?::([^}]*))?\}\}")
MAX_CHOICES = 50


class VariantError(ValueError):
    """A variant that cannot be built: an unknown placeholder, a bad path, an empty draw."""


class Param(Strict):
    """A value that varies: one of `choices` (the first is the default), or a number on a grid
    from `min` to `max` in `step`s (with its own `default`)."""

    choices: list[Value] | None = Field(None, min_length=1, max_length=MAX_CHOICES)
    min: float | None = None
    max: float | None = None
    step: float | None = Field(None, gt=0)
    default: Scalar | None = None

    @model_validator(mode="after")
    def _one_shape(self) -> Param:
        ranged = self.min is not None or self.max is not None
        if self.choices is not None and ranged:
            raise ValueError("a parameter has either choices or a min/max range, not both")
        if self.choices is None:
            if self.min is None or self.max is None or self.step is None or self.default is None:
                raise ValueError("a ranged parameter needs min, max, step and default")
            if self.min > self.max:
                raise ValueError("min is above max")
        return self

    def draw(self, rng: random.Random) -> Value:
        if self.choices is not None:
            return rng.choice(self.choices)
        assert self.min is not None
        assert self.max is not None
        assert self.step is not None
        steps = round((self.max - self.min) / self.step)
        value = self.min + self.step * rng.randint(0, steps)
        decimals = max(0, -int(f"{self.step:e}".split("e")[1]))
        return round(value, decimals) if decimals else round(value)

    def fallback(self) -> Value:
        if self.choices is not None:
            return self.choices[0]
        assert self.default is not None
        return self.default


class Patch(Strict):
    """A change to the exercise at `path` (dots; a list item by its id, step or name):
    set `value`, replace `find` by `replace` in a text, or `drop` the item."""

    path: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    value: Any = None
    find: str | None = None
    replace: str | None = None
    drop: bool = False


class Range(Strict):
    min: int = Field(ge=0)
    max: int = Field(ge=0)


class Tune(Strict):
    """design: the reference step whose share the budget decides (a person's review)."""

    step: Id
    min_share: float = Field(0.05, gt=0, le=1)
    optional: bool = Field(False, description="below min_share the step goes, its readers read its inputs")


class FaultVariation(Strict):
    """find_failures: how the traces, metrics and brief read when this fault is not planted."""

    absent: list[Patch] = Field(default_factory=list)


class WrongVersion(Strict):
    """validate_output: one way a claim can be wrong, with its gold correction."""

    text: str
    error: ClaimError
    also_errors: list[ClaimError] = Field(default_factory=list)
    severity: Severity = Severity.medium
    correction: str
    correction_numbers: list[float] = Field(default_factory=list)
    correction_cues: list[list[str]] = Field(default_factory=list)
    why: str = ""


class ClaimVariation(Strict):
    """validate_output: the claim as the source supports it, and the ways it can be wrong."""

    supported: str | None = None
    wrong: list[WrongVersion] = Field(default_factory=list)


class BlindSpotVariation(Strict):
    """validate_output: the claim the output makes when it does not leave this fact out."""

    covered: str


class VariantSpec(Strict):
    params: dict[Id, Param] = Field(default_factory=dict)
    computed: dict[Id, Expression] = Field(default_factory=dict, description="evaluated in order")
    after: dict[Id, Expression] = Field(
        default_factory=dict, description="evaluated after the kind's derived values (review_share…)"
    )
    tune: Tune | None = None
    plant: Range | None = None
    faults: dict[Id, FaultVariation] = Field(default_factory=dict)
    wrong: Range | None = None
    claims: dict[Id, ClaimVariation] = Field(default_factory=dict)
    left_out: Range | None = None
    blind_spots: dict[Id, BlindSpotVariation] = Field(default_factory=dict)

    def values(self, exercise_id: str, seed: int) -> dict[str, Value]:
        """The parameters of variant `seed` (0: the authored defaults), then the computed ones."""
        rng = rng_for(exercise_id, seed, "params")
        values: dict[str, Value] = {}
        for name in sorted(self.params):
            param = self.params[name]
            values[name] = param.fallback() if seed == 0 else param.draw(rng)
        for name, expression in self.computed.items():
            values[name] = evaluate(expression, values)
        return values


def rng_for(exercise_id: str, seed: int, purpose: str) -> random.Random:
    """A generator that depends only on the exercise, the seed and what it draws (string seeds
    are hashed by SHA-512, so the same variant comes out on every machine and run)."""
    return random.Random(f"{exercise_id}|{seed}|{purpose}")


# --- computed values: arithmetic and comparisons only, no names but the parameters ---------

_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_COMPARE: dict[type, Callable[[Any, Any], Any]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
_FUNCTIONS: dict[str, Callable[..., Any]] = {"round": round, "min": min, "max": max, "abs": abs, "fmt": format}


def evaluate(expression: str, values: Mapping[str, Value]) -> Value:
    """The value of a computed parameter, e.g. `volume * 2.5` or `'pause' if rate > 0.05 else 'go'`."""
    try:
        tree = ast.parse(expression, mode="eval")
        result = _eval(tree.body, values)
    except (SyntaxError, TypeError, ZeroDivisionError, KeyError) as exc:
        raise VariantError(f"cannot compute '{expression}': {exc}") from exc
    if not isinstance(result, float | int | str | bool):
        raise VariantError(f"'{expression}' gives no number or text")
    return result


def _eval(node: ast.AST, values: Mapping[str, Value]) -> Any:
    if isinstance(node, ast.Constant) and isinstance(node.value, float | int | str | bool):
        return node.value
    if isinstance(node, ast.Name):
        if node.id not in values:
            raise KeyError(f"unknown parameter '{node.id}'")
        return values[node.id]
    if isinstance(node, ast.Attribute):
        base = _eval(node.value, values)
        if not isinstance(base, dict) or node.attr not in base:
            raise KeyError(f"no field '{node.attr}'")
        return base[node.attr]
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return _BINARY[type(node.op)](_eval(node.left, values), _eval(node.right, values))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_eval(node.operand, values)
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARE:
        return _COMPARE[type(node.ops[0])](_eval(node.left, values), _eval(node.comparators[0], values))
    if isinstance(node, ast.BoolOp):
        parts = [_eval(v, values) for v in node.values]
        return all(parts) if isinstance(node.op, ast.And) else any(parts)
    if isinstance(node, ast.IfExp):
        return _eval(node.body if _eval(node.test, values) else node.orelse, values)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS:
        return _FUNCTIONS[node.func.id](*(_eval(a, values) for a in node.args))
    raise TypeError(f"'{ast.unparse(node)}' is not allowed in a computed value")


# --- placeholders -----------------------------------------------------------------------------


def _lookup(name: str, values: Mapping[str, Value]) -> Value | None:
    head, _, field = name.partition(".")
    value = values.get(head)
    if field:
        return value.get(field) if isinstance(value, dict) else None
    return value


def substitute(data: Any, values: Mapping[str, Value], strict: bool) -> Any:
    """`data` with every `{{name}}` or `{{name:format}}` filled in. Placeholders with no value
    stay when not `strict` (a later pass fills them), and raise when `strict`."""
    if isinstance(data, dict):
        return {k: substitute(v, values, strict) for k, v in data.items()}
    if isinstance(data, list):
        return [substitute(v, values, strict) for v in data]
    if not isinstance(data, str) or "{{" not in data:
        return data
    whole = PLACEHOLDER.fullmatch(data.strip())
    if whole and not whole.group(2):
        value = _lookup(whole.group(1), values)
        if value is not None:
            return value

    def fill(match: re.Match[str]) -> str:
        value = _lookup(match.group(1), values)
        if value is None:
            if strict:
                raise VariantError(f"no parameter '{match.group(1)}' for the placeholder '{match.group(0)}'")
            return match.group(0)
        try:
            return format(value, match.group(2) or "")
        except (ValueError, TypeError) as exc:
            raise VariantError(f"cannot format '{match.group(0)}': {exc}") from exc

    return PLACEHOLDER.sub(fill, data)


# --- patches ------------------------------------------------------------------------------------

_ITEM_KEYS = ("id", "step", "name")


def _child(node: Any, segment: str, path: str) -> Any:
    if isinstance(node, dict):
        if segment not in node:
            raise VariantError(f"patch '{path}': no field '{segment}'")
        return node[segment]
    if isinstance(node, list):
        return node[_index(node, segment, path)]
    raise VariantError(f"patch '{path}': '{segment}' is inside a value, not a list or mapping")


def _index(items: list[Any], segment: str, path: str) -> int:
    if segment.isdigit():
        return int(segment)
    for i, item in enumerate(items):
        if isinstance(item, dict) and any(item.get(k) == segment for k in _ITEM_KEYS):
            return i
    raise VariantError(f"patch '{path}': no item '{segment}'")


def apply_patch(data: dict[str, Any], patch: Patch) -> None:
    """Apply one patch to an exercise dict in place."""
    *parents, last = patch.path.split(".")
    node: Any = data
    for segment in parents:
        node = _child(node, segment, patch.path)
    if patch.drop:
        if isinstance(node, list):
            del node[_index(node, last, patch.path)]
        elif isinstance(node, dict) and last in node:
            del node[last]
        else:
            raise VariantError(f"patch '{patch.path}': nothing to drop")
        return
    if patch.find is not None:
        text = _child(node, last, patch.path)
        # line breaks in the file's wrapped text are any whitespace to the author
        pattern = re.compile(r"\s+".join(re.escape(word) for word in patch.find.split()))
        if not isinstance(text, str) or not pattern.search(text):
            raise VariantError(f"patch '{patch.path}': the text does not contain '{patch.find}'")
        new: Any = pattern.sub(lambda _: patch.replace or "", text)
    else:
        new = patch.value
    if isinstance(node, list):
        node[_index(node, last, patch.path)] = new
    elif isinstance(node, dict):
        node[last] = new
    else:
        raise VariantError(f"patch '{patch.path}': cannot set a field of a value")
