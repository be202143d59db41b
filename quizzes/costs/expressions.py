"""A safe arithmetic evaluator for exercise answers: an allow-listed AST walk, never eval().

Authors write `answer:` expressions in YAML that the site evaluates for every attempt, so only
numbers, variable names, `+ - * /`, unary minus, parentheses and a few functions are accepted.
Numbers become Decimals from their source text, so `0.1` is exactly one tenth.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Callable, Mapping
from decimal import (
    ROUND_CEILING,
    ROUND_FLOOR,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)

from quizzes.translatable import Message, gettext_noop

MAX_LENGTH = 500
MAX_ROUND_DIGITS = 10
MAX_DIGITS = 30  # no answer is that large; keeps rounding and display cheap
_CONTEXT = Context(
    prec=50, Emax=10**6, Emin=-(10**6), traps=[DivisionByZero, InvalidOperation, Overflow]
)
_PLAIN_NUMBER = re.compile(r"\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*")
_OPERATORS: dict[type, Callable[[Decimal, Decimal], Decimal]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}
_REFUSED_OPERATORS = {
    ast.Pow: "**",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.BitXor: "^",
}
_REFUSED_NODES = {
    ast.Attribute: gettext_noop("attribute access"),
    ast.Subscript: gettext_noop("indexing"),
    ast.Compare: gettext_noop("a comparison"),
    ast.BoolOp: "and/or",
    ast.IfExp: "if/else",
    ast.Lambda: "lambda",
    ast.NamedExpr: ":=",
    ast.Starred: "*",
    ast.JoinedStr: gettext_noop("a string"),
    ast.List: gettext_noop("a list"),
    ast.Tuple: gettext_noop("a tuple"),
    ast.Set: gettext_noop("a set"),
    ast.Dict: gettext_noop("a dict"),
    ast.ListComp: gettext_noop("a comprehension"),
    ast.SetComp: gettext_noop("a comprehension"),
    ast.DictComp: gettext_noop("a comprehension"),
    ast.GeneratorExp: gettext_noop("a comprehension"),
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
}


class ExpressionError(ValueError):
    """An expression that is not allowed, does not parse, or cannot be computed (its message a
    `Message`, which a bank's problems show translated)."""


def _not_allowed(what: str) -> Message:
    return gettext_noop("%(what)s is not allowed in an expression", what=what)


def _one(name: str, args: list[Decimal]) -> Decimal:
    if len(args) != 1:
        raise ExpressionError(
            gettext_noop("%(name)s() takes one number, got %(count)s", name=name, count=len(args))
        )
    return args[0]


def _round(args: list[Decimal]) -> Decimal:
    if len(args) not in (1, 2):
        raise ExpressionError(
            gettext_noop(
                "round() takes a number and optional digits, got %(count)s values", count=len(args)
            )
        )
    digits = args[1] if len(args) == 2 else Decimal(0)
    if digits != digits.to_integral_value() or not 0 <= digits <= MAX_ROUND_DIGITS:
        raise ExpressionError(
            gettext_noop(
                "round() digits must be a whole number from 0 to %(max)s", max=MAX_ROUND_DIGITS
            )
        )
    return args[0].quantize(Decimal(1).scaleb(-int(digits)), rounding=ROUND_HALF_UP)


def _extreme(name: str, pick: Callable, args: list[Decimal]) -> Decimal:
    if not args:
        raise ExpressionError(gettext_noop("%(name)s() needs at least one number", name=name))
    return pick(args)


FUNCTIONS: dict[str, Callable[[list[Decimal]], Decimal]] = {
    "min": lambda args: _extreme("min", min, args),
    "max": lambda args: _extreme("max", max, args),
    "ceil": lambda args: _one("ceil", args).to_integral_value(rounding=ROUND_CEILING),
    "floor": lambda args: _one("floor", args).to_integral_value(rounding=ROUND_FLOOR),
    "round": _round,  # half up, as money is rounded; round(x, 2) for cents
}


def _parse(expr: str) -> ast.Expression:
    """Parse and check every node against the allow-list."""
    if not isinstance(expr, str):
        raise ExpressionError(
            gettext_noop("an expression must be text, got %(kind)s", kind=type(expr).__name__)
        )
    if len(expr) > MAX_LENGTH:
        raise ExpressionError(
            gettext_noop(
                "expression is too long (%(length)s characters; at most %(max)s)",
                length=len(expr),
                max=MAX_LENGTH,
            )
        )
    if not expr.strip():
        raise ExpressionError(gettext_noop("expression is empty"))
    try:
        tree = ast.parse(expr.strip(), mode="eval")
    except SyntaxError as error:
        raise ExpressionError(
            gettext_noop("expression does not parse: %(why)s", why=error.msg)
        ) from None
    except (ValueError, RecursionError, MemoryError):
        raise ExpressionError(gettext_noop("expression does not parse")) from None
    for node in ast.walk(tree):
        _check_node(node, expr.strip())
    return tree


def _check_node(node: ast.AST, source: str) -> None:
    if isinstance(node, ast.Name):
        if node.id.startswith("_"):
            raise ExpressionError(_not_allowed(repr(node.id)))
    elif isinstance(node, ast.Call):
        _check_call(node)
    elif isinstance(node, ast.BinOp):
        if type(node.op) in _REFUSED_OPERATORS:
            raise ExpressionError(_not_allowed(repr(_REFUSED_OPERATORS[type(node.op)])))
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, ast.USub | ast.UAdd):
            raise ExpressionError(gettext_noop("only unary minus is allowed in an expression"))
    elif isinstance(node, ast.Constant):
        _constant(node, source)
    elif type(node) in _REFUSED_NODES:
        raise ExpressionError(_not_allowed(_REFUSED_NODES[type(node)]))
    elif not isinstance(node, ast.Expression | ast.Load | ast.operator | ast.unaryop):
        raise ExpressionError(_not_allowed(type(node).__name__))


def _check_call(node: ast.Call) -> None:
    func = node.func
    if not isinstance(func, ast.Name):
        kind = (
            gettext_noop("attribute access")
            if isinstance(func, ast.Attribute)
            else gettext_noop("this call")
        )
        raise ExpressionError(_not_allowed(kind))
    if func.id not in FUNCTIONS:
        raise ExpressionError(
            gettext_noop(
                "%(name)s is not allowed in an expression (functions: %(allowed)s)",
                name=repr(func.id),
                allowed=[f"{name}()" for name in FUNCTIONS],
            )
        )
    if node.keywords:
        raise ExpressionError(gettext_noop("%(name)s() takes no keyword arguments", name=func.id))


def _constant(node: ast.Constant, source: str) -> Decimal:
    value = node.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ExpressionError(
            gettext_noop(
                "%(value)s is not allowed in an expression: only numbers", value=repr(value)
            )
        )
    text = ast.get_source_segment(source, node) or ""
    if not _PLAIN_NUMBER.fullmatch(text):
        raise ExpressionError(
            gettext_noop(
                "write %(text)s as plain digits, such as 1000000 or 0.5", text=repr(text or value)
            )
        )
    return Decimal(text.replace("_", ""))


def names(expr: str) -> set[str]:
    """The variables an expression uses; raises ExpressionError for anything not allowed."""
    tree = _parse(expr)
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    return {
        node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and id(node) not in called
    }


def evaluate(expr: str, variables: Mapping[str, Decimal | int]) -> Decimal:
    """The value of an allowed expression with the given variables, as a Decimal."""
    tree = _parse(expr)
    source = expr.strip()
    with localcontext(_CONTEXT):
        try:
            result = +_eval(tree.body, variables, source)
        except (DivisionByZero, ZeroDivisionError):
            raise ExpressionError(gettext_noop("division by zero")) from None
        except (InvalidOperation, Overflow):
            raise ExpressionError(gettext_noop("the expression has no finite value")) from None
    if result and result.adjusted() >= MAX_DIGITS:
        raise ExpressionError(
            gettext_noop("the result has more than %(max)s digits", max=MAX_DIGITS)
        )
    return result


def _variable(name: str, variables: Mapping[str, object]) -> Decimal:
    if name in FUNCTIONS:
        raise ExpressionError(
            gettext_noop(
                "%(quoted)s is a function: call it, as in %(name)s(a, b)",
                quoted=repr(name),
                name=name,
            )
        )
    if name not in variables:
        close = difflib.get_close_matches(name, list(variables), n=1)
        hint = gettext_noop("; did you mean %(word)s?", word=repr(close[0])) if close else ""
        raise ExpressionError(
            gettext_noop("unknown name %(name)s%(hint)s", name=repr(name), hint=hint)
        )
    value = variables[name]
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ExpressionError(
            gettext_noop(
                "variable %(name)s is not a number (it is %(value)s)",
                name=repr(name),
                value=repr(value),
            )
        )
    return Decimal(value)


def _eval(node: ast.AST, variables: Mapping[str, object], source: str) -> Decimal:
    if isinstance(node, ast.Constant):
        return _constant(node, source)
    if isinstance(node, ast.Name):
        return _variable(node.id, variables)
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, variables, source)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp):
        left = _eval(node.left, variables, source)
        right = _eval(node.right, variables, source)
        return _OPERATORS[type(node.op)](left, right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        args = [_eval(arg, variables, source) for arg in node.args]
        return FUNCTIONS[node.func.id](args)
    raise ExpressionError(_not_allowed(type(node).__name__))
