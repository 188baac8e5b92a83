"""The expression language of `pathgrad graph` and `pathgrad check`, parsed safely.

A program is statements separated by `;` or newlines. `name = expr` names a
value (the name becomes its label in drawings), and the last statement is the
output. Expressions have numbers, names bound by NAME=VALUE or by an earlier
statement, `+ - * / **`, unary minus, parentheses, and calls such as `tanh(x)`
to the engine's functions, with positional arguments.

Python's `ast` module turns the text into a tree; building the tree runs
nothing. Every node of it is checked against that whitelist, and the tree is
then evaluated here, node by node, into engine Values. The text never reaches
eval, exec or compile, so `__import__('os').system(...)` is only a refused
attribute access.
"""

import ast
import difflib
import keyword
import math
import operator
import re
import unicodedata
import warnings
from typing import NamedTuple

from pathgrad.engine import Value, ops
from pathgrad.engine.validation import as_value

from .errors import InputError, shown
from .parser import real_number

MAX_LENGTH = 10_000


def _call(rule):
    """(fewest arguments, most arguments or None for any number, how to apply it) for a row."""
    if rule.arity is None:
        return (1, None, lambda *terms: rule.function(terms))
    if rule.arity == 2:
        return (2, 2, rule.function)
    if rule.parameter:  # leaky_relu(x) or leaky_relu(x, 0.1)
        return (1, 2, lambda x, *parameter: rule.function(as_value(x, Value), *parameter))
    return (1, 1, lambda x: rule.function(as_value(x, Value)))


# Every row of the engine's table that is called by name (not an operator), sorted.
_FUNCTIONS = {rule.name: _call(rule) for rule in sorted(ops.TABLE, key=lambda rule: rule.name) if not rule.symbol}
_PARAMETERS = {rule.name: rule.parameter for rule in ops.TABLE if rule.parameter}
FUNCTION_NAMES = tuple(_FUNCTIONS)

_BINARY = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}

# A refusal points here rather than retelling the language (numbers, names, operators, functions).
_LANGUAGE = "the language is described in pathgrad graph --help"

# What to call a refused node in a message; anything else is "this construct".
_REFUSED = {
    ast.Attribute: "attribute access",
    ast.Subscript: "a subscript",
    ast.Slice: "a slice",
    ast.Lambda: "a lambda",
    ast.ListComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a comprehension",
    ast.Import: "an import",
    ast.ImportFrom: "an import",
    ast.IfExp: "a conditional",
    ast.If: "a conditional",
    ast.Compare: "a comparison",
    ast.BoolOp: "and/or",
    ast.JoinedStr: "a string",
    ast.List: "a list",
    ast.Tuple: "a tuple",
    ast.Dict: "a dict",
    ast.Set: "a set",
    ast.Starred: "a starred argument",
    ast.NamedExpr: "the walrus operator :=",
    ast.AugAssign: "augmented assignment",
    ast.AnnAssign: "an annotated assignment",
}


class Program(NamedTuple):
    """A checked program: (name or None, expression tree) per statement; the last is the output."""

    statements: tuple


class Evaluation(NamedTuple):
    """The output Value and every named Value (inputs first, then assignments, in order)."""

    output: Value
    named: dict


def parse_bindings(arguments):
    """NAME=VALUE arguments as {name: float}, in the order given.

    >>> parse_bindings(["a=2", "b=-0.5"])
    {'a': 2.0, 'b': -0.5}
    """
    bindings = {}
    for argument in arguments:
        name, equals, number = argument.partition("=")
        name = unicodedata.normalize("NFKC", name)  # as Python's parser normalizes names
        if not equals:
            raise InputError(f"input {argument!r} is not NAME=VALUE; bind each input like a=2")
        if not name.isidentifier() or keyword.iskeyword(name):
            raise InputError(
                f"input {argument!r}: {name!r} is not a name; a name is letters, digits "
                f"and _, not starting with a digit (e.g. x1)"
            )
        x = real_number(number)
        if not math.isfinite(x):
            raise InputError(
                f"input {argument!r}: {number!r} is not a finite number; give one like 2, -0.5 or 1e-3"
            )
        if name in bindings:
            raise InputError(f"input {argument!r}: {name} is bound twice; bind each name once")
        bindings[name] = x
    return bindings


def parse_program(text, input_names):
    """Parse and check `text` against the whitelist; every name must be bound before use.

    Raises InputError naming the first refused part, or an input that no
    statement uses (most likely a mistyped name).

    >>> program = parse_program("c = a + b; c * 2", ["a", "b"])
    >>> [name for name, tree in program.statements]
    ['c', None]
    """
    if len(text) > MAX_LENGTH:
        raise InputError(
            f"expression is {len(text)} characters long; at most {MAX_LENGTH} are accepted"
        )
    text = text.strip()  # " -x" keeps argparse from reading -x as an option; Python would refuse the indent
    try:
        with warnings.catch_warnings():  # "invalid decimal literal" for 2for: our message says it all
            warnings.simplefilter("ignore", SyntaxWarning)
            module = ast.parse(text, mode="exec")
    except SyntaxError as error:
        raise InputError(_syntax_message(error)) from None
    except ValueError as error:  # null bytes, on some Python versions
        raise InputError(f"syntax error: {error}") from None
    except (RecursionError, MemoryError):
        raise InputError(
            "expression is nested too deeply for Python's parser (a chain of thousands of "
            "+ nests too); split it into named steps such as s = a + b; t = s * c"
        ) from None
    if not module.body:
        raise InputError("expression is empty; write one such as 'c = a + b; c * 2'")
    bound = set(input_names)
    used = {}  # every name the expressions read: where it is first read
    statements = []
    for position, statement in enumerate(module.body, start=1):
        last = position == len(module.body)
        statements.append(_check_statement(text, statement, bound, last, used))
    _refuse_unused_inputs(input_names, used)
    return Program(tuple(statements))


def _refuse_unused_inputs(input_names, used):
    """InputError naming the first input no statement reads, and the name read most like it.

    `used` maps each name read to where it is first read, (line, column).

    >>> _refuse_unused_inputs(["x", "bb"], {"x": (1, 0), "b": (1, 4)})
    Traceback (most recent call last):
    ...
    pathgrad.cli.errors.InputError: input bb is used by no statement; mistyped? The nearest name that the expression uses is b (it uses x, b)
    """
    unused = [name for name in input_names if name not in used]
    if not unused:
        return
    typed = unused[0]
    inputs = f"inputs {', '.join(unused[:-1])} and {unused[-1]} are" if unused[1:] else f"input {typed} is"
    if not used:
        raise InputError(
            f"{inputs} used by no statement: the expression uses no names; leave them out, or use them"
        )
    in_order = sorted(used, key=used.get)
    similarity = {name: difflib.SequenceMatcher(None, typed, name).ratio() for name in in_order}
    nearest = max(in_order, key=similarity.get)  # the first one read, among equals
    to = f" to {typed}" if unused[1:] else ""
    uses = ", ".join(in_order)
    raise InputError(
        f"{inputs} used by no statement; mistyped? "
        + (f"The nearest name{to} that the expression uses is {nearest} (it uses {uses})"
           if similarity[nearest] else f"The expression uses {uses}")
    )


def evaluate(program, inputs):
    """Run a checked program on `inputs` ({name: Value}), building the graph.

    An assigned name labels its value unless the value already has a label
    (`c = a` leaves a as a).

    >>> run = evaluate(parse_program("c = a + b; c * 2", ["a", "b"]), {"a": Value(2.0, "a"), "b": Value(1.0, "b")})
    >>> run.output.data, run.named["c"].label
    (6.0, 'c')
    """
    named = dict(inputs)
    output = None
    for name, tree in program.statements:
        try:
            output = as_value(_evaluate_tree(tree, named), Value)
        except (ValueError, ArithmeticError) as error:
            # The program is checked, so what fails here is the engine refusing
            # the user's numbers (log of -1, 1 / 0): bad input, not a bug.
            raise InputError(str(error)) from None
        if name is not None:
            if not output.label:
                output.label = name
            named[name] = output
    return Evaluation(output, named)


def _check_statement(text, statement, bound, last, used):
    """(name or None, expression) for an allowed statement, else InputError."""
    if isinstance(statement, ast.Assign):
        (target, *more) = statement.targets
        if more or not isinstance(target, ast.Name):
            raise _refused(text, statement, "assignment to anything but one name")
        _check_expression(text, statement.value, bound, used)
        if target.id in bound:
            raise _refused(
                text, target, f"binding {target.id!r} again (each name is bound once; pick a new name)"
            )
        bound.add(target.id)
        return target.id, statement.value
    if isinstance(statement, ast.Expr):
        if not last:
            raise _refused(
                text, statement, "an unnamed value before the last statement (name it: x = ...)"
            )
        _check_expression(text, statement.value, bound, used)
        return None, statement.value
    raise _refused(text, statement, _REFUSED.get(type(statement), "this statement"))


def _check_expression(text, tree, bound, used):
    """Check every node of an expression tree, noting the names it reads in `used`; iterative, so depth is no limit."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.BinOp):
            if type(node.op) not in _BINARY:
                raise _refused(text, node, "this operator (only + - * / ** are accepted)", _operator_hint(text, node))
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                raise _refused(text, node, "this operator (only unary minus is accepted)")
        elif isinstance(node, ast.Constant):
            _check_number(text, node)
        elif isinstance(node, ast.Name):
            if node.id not in bound:
                close = difflib.get_close_matches(node.id, sorted(bound), n=1)
                raise _refused(
                    text, node, f"the unbound name {node.id!r}",
                    f"bind it with {node.id}=VALUE or an earlier {node.id} = ..."
                    + (f" (did you mean {close[0]}?)" if close else ""),
                )
            where = (node.lineno, node.col_offset)
            used[node.id] = min(used.get(node.id, where), where)
        elif isinstance(node, ast.Call):
            _check_call(text, node, bound)
        else:
            raise _refused(text, node, _REFUSED.get(type(node), "this construct"))
        stack.extend(_operands(node))


def _check_call(text, call, bound):
    if not isinstance(call.func, ast.Name):
        raise _refused(text, call.func, _REFUSED.get(type(call.func), "calling this"), _call_hint(text, call, bound))
    name = call.func.id
    if name not in _FUNCTIONS:
        if name in bound:  # x(y + 1): a value, called
            raise _refused(text, call.func, f"calling the value {name!r}", _call_hint(text, call, bound))
        close = difflib.get_close_matches(name, FUNCTION_NAMES, n=1)
        raise _refused(
            text, call.func, f"the unknown function {name!r}",
            f"the functions are {', '.join(FUNCTION_NAMES)}" + (f" (did you mean {close[0]}?)" if close else ""),
        )
    if call.keywords:
        raise _refused(text, call.keywords[0], "a keyword argument (pass arguments by position)")
    fewest, most, _ = _FUNCTIONS[name]
    count = len(call.args)
    if count < fewest or (most is not None and count > most):
        if most is None:
            takes = f"{fewest} or more"
        elif most == fewest:
            takes = f"{fewest}"
        else:
            takes = f"{fewest} or {most}"
        raise _refused(text, call, f"{name} with {count} arguments ({name} takes {takes})")
    if name in _PARAMETERS and count == 2 and not _is_literal(call.args[1]):
        raise _refused(text, call.args[1], f"a {name} {_PARAMETERS[name]} that is not a number like 0.1")


def _is_literal(node):
    """A number written out: 0.1 or -0.1."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    return isinstance(node, ast.Constant)


def _check_number(text, constant):
    """Refuse a literal that is not a finite real number: strings, bools, complex, 1e999."""
    value = constant.value
    if isinstance(value, (str, bytes)):
        raise _refused(text, constant, "a string")
    if type(value) not in (int, float):
        raise _refused(text, constant, f"the constant {value!r} (only real numbers are accepted)")
    try:
        x = float(value)
    except OverflowError:
        x = math.inf
    if not math.isfinite(x):
        raise _refused(text, constant, "a number too large for a float (at most 1.8e308)")


def _operands(node):
    """The sub-expressions of an allowed node, left to right."""
    if isinstance(node, ast.BinOp):
        return (node.left, node.right)
    if isinstance(node, ast.UnaryOp):
        return (node.operand,)
    if isinstance(node, ast.Call):
        return tuple(node.args)
    return ()


def _evaluate_tree(tree, named):
    """Evaluate a checked expression bottom-up with an explicit stack.

    A negated number stays a number, so `x * -2` has the constant leaf -2, and a
    number exponent makes `x ** 2` one node with op "**2", as if written in
    Python; any other arithmetic on two numbers is a node of its own.
    """
    results = {}
    stack = [(tree, False)]
    while stack:
        node, operands_done = stack.pop()
        if operands_done:
            results[node] = _apply(node, [results.pop(o) for o in _operands(node)], named)
        else:
            stack.append((node, True))
            stack.extend((o, False) for o in reversed(_operands(node)))  # left first
    return results[tree]


def _apply(node, operands, named):
    """One node's result from its operands' results."""
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return named[node.id]
    if isinstance(node, ast.UnaryOp):
        (x,) = operands
        return -x if isinstance(node.op, ast.USub) else x
    if isinstance(node, ast.BinOp):
        left, right = operands
        if not isinstance(left, Value) and not isinstance(right, Value):
            left = Value(left)  # arithmetic on two numbers is still a node the user wrote
        return _BINARY[type(node.op)](left, right)
    return _FUNCTIONS[node.func.id][2](*operands)


def _refused(text, node, what, hint=None):
    """InputError naming the refused part, where it is, and what to write instead.

    `hint` says what the user most likely meant; without one, the message
    points to the description of the language.
    """
    return InputError(
        f"refused {what}: {_source(text, node, 60)!r} at line {node.lineno}, "
        f"column {_column(text, node)}; {hint or _LANGUAGE}"
    )


def _source(text, node, most=None):
    """The text of `node` as the user typed it, cut to `most` characters with "..."."""
    segment = ast.get_source_segment(text, node) or ""
    if most is not None and len(segment) > most:
        segment = segment[: most - 3] + "..."
    return segment


def _column(text, node):
    """The 1-based column of `node` in characters (the parser counts UTF-8 bytes)."""
    line = re.split(r"\r\n|\r|\n", text)[node.lineno - 1]  # the parser's line breaks
    return len(line.encode("utf-8")[: node.col_offset].decode("utf-8", "replace")) + 1


def _operator_hint(text, node):
    """What a refused binary operator most likely meant: x^2 is Python's exclusive or, not a power.

    >>> _operator_hint("x^2", ast.parse("x^2").body[0].value)
    'for a power write x**2 (^ is not a power in Python)'
    """
    if isinstance(node.op, ast.BitXor):
        return f"for a power write {_source(text, node.left, 30)}**{_source(text, node.right, 30)} (^ is not a power in Python)"
    return None


def _call_hint(text, call, bound):
    """What a call of something other than a function name most likely meant.

    x.tanh() is tanh(x) (and math.tanh(x), np.tanh(x) are tanh(x)); 2(x + 1) is 2*(x + 1),
    and so is a(x + 1) when a is a value.

    >>> call = ast.parse("x.leaky_relu(0.1)").body[0].value
    >>> _call_hint("x.leaky_relu(0.1)", call, {"x"})
    'write leaky_relu(x, 0.1)'
    """
    arguments = [_source(text, argument, 30) for argument in call.args]
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in _FUNCTIONS:
        # A module's function (math.tanh(x)) takes the arguments; a method (x.tanh()) is called on its value.
        module = isinstance(func.value, ast.Name) and func.value.id not in bound
        operands = arguments if module else [_source(text, func.value, 30), *arguments]
        return f"write {func.attr}({', '.join(operands)})"
    number = isinstance(func, ast.Constant) and type(func.value) in (int, float)
    if (number or isinstance(func, (ast.Name, ast.BinOp, ast.UnaryOp, ast.Call))) and len(arguments) == 1 and not call.keywords:
        factor = _source(text, func, 30)
        if isinstance(func, (ast.BinOp, ast.UnaryOp)):
            factor = f"({factor})"  # the parser dropped the brackets of (x + 1)(x - 1)
        return f"for a product write {factor}*({arguments[0]})"
    return None


def _syntax_message(error):
    """The syntax error with its line and a caret under the offending column."""
    message = f"syntax error: {error.msg}"
    if not error.lineno or error.text is None:
        return message
    line = error.text.rstrip("\n")
    caret = max((error.offset or 1) - 1, 0)
    product = _implicit_product(line, caret) if "decimal literal" in error.msg else None
    # Show at most 70 characters either side of the caret.
    start = max(caret - 70, 0)
    prefix = "..." if start else ""
    # Escaped control characters take several columns: the caret counts them as shown.
    return (
        f"{message} at line {error.lineno}, column {caret + 1}" + (f"; for a product write {product}" if product else "") + "\n"
        f"    {prefix}{shown(line[start : caret + 70])}\n"
        f"    {' ' * (len(prefix) + len(shown(line[start:caret])))}^"
    )


def _implicit_product(line, caret):
    """2*x for the "2x" that Python read as a bad number literal at column `caret` (0-based) of `line`.

    >>> _implicit_product("y = 3.5x + 1", 4)
    '3.5*x'
    """
    for match in re.finditer(r"(?<![\w.])(\d[\d_]*\.?\d*(?:[eE][+-]?\d+)?)([A-Za-z_]\w*)", line):
        if match.start() <= caret + 1 and caret <= match.end():
            return f"{match.group(1)}*{match.group(2)}"
    return None
