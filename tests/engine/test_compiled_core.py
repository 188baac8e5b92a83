"""The compiled core (engine/_core.c) against value.py, the pure engine it stands in for.

On random graphs both engines give the same bits for every node's data, grad
and local grads, the same op names, and the same refusals with the same
messages. Nodes are invisible to the garbage collector, except where a grad
that is a Value can close a cycle; such cycles are still freed.
"""

import contextlib
import gc
import importlib.util
import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pathgrad.engine.value as value
from pathgrad.engine import fast

core = fast._core
needs_core = pytest.mark.skipif(core is None, reason="the compiled core is not in use (not built, or PATHGRAD_PURE=1)")


def load_pure_engine():
    """A second copy of value.py, which fast.py never touched: the reference engine.

    Loading it binds ops.py's rows to the copy's functions; they are put back
    afterwards, so the rest of the suite keeps calling the engine in use.
    """
    functions = [(rule, rule.function) for rule in value.ops.TABLE]
    spec = importlib.util.spec_from_file_location("pathgrad.engine._pure_value", value.__file__)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    finally:
        for rule, function in functions:
            rule.function = function
    return module


pure = load_pure_engine() if core else value


def test_the_core_is_in_use_exactly_when_built_and_not_switched_off():
    built = any(name.startswith("_core.") and name.endswith(".so") for name in os.listdir(os.path.dirname(value.__file__)))
    wanted = os.environ.get("PATHGRAD_PURE", "").lower() not in ("1", "true", "yes")
    assert (core is not None) == (built and wanted)
    assert fast.ENGINE == ("compiled" if core else "pure")
    backward = type(vars(value.Value)["backward"]).__name__
    assert backward == ("method_descriptor" if core else "function")


@needs_core
def test_nodes_are_invisible_to_the_garbage_collector():
    a, b = value.Value(2.0), value.Value(3.0)
    y = (a * b + 1).tanh()
    assert not any(gc.is_tracked(node) for node in (a, b, y))
    assert value.Value.__name__ == "Value" and value.Value.__module__ == "pathgrad.engine.value"


@needs_core
def test_a_binary_node_is_one_allocation_of_128_bytes():
    # 80 bytes of fields (the walk mark is 64 bits), two edges of 16 (child, local grad),
    # the collector's 16-byte header:
    # micrograd's node with its set, closure and float is 744 bytes in bench/.
    node = value.Value(2.0) * value.Value(3.0)
    assert sys.getsizeof(node) == 128
    assert sys.getsizeof(value.Value(1.0)) == 96


@needs_core
def test_a_value_grad_tracks_its_node_and_the_cycle_it_closes_is_freed():
    gc.collect()
    before = core.node_count()
    x = value.Value(3.0)
    y = x * x
    x.grad = y  # x -> y -> x: a cycle through two nodes
    assert gc.is_tracked(x) and gc.is_tracked(y)
    del x, y
    assert core.node_count() == before + 2  # reference counting alone cannot free a cycle
    gc.collect()
    assert core.node_count() == before


@needs_core
def test_a_value_grad_on_a_node_tracked_before_is_tracked_too():
    gc.collect()
    before = core.node_count()
    x = value.Value(3.0)
    x.label = ["tracks x"]
    y = x * 2.0
    x.grad = y
    assert gc.is_tracked(y)
    del x, y
    gc.collect()
    assert core.node_count() == before


@needs_core
def test_a_label_that_is_not_a_str_tracks_its_node_and_its_cycle_is_freed():
    gc.collect()
    before = core.node_count()
    x = value.Value(1.0)
    x.label = [x]
    assert gc.is_tracked(x)
    del x
    gc.collect()
    assert core.node_count() == before


@needs_core
def test_a_million_node_chain_is_freed_without_recursion():
    before = core.node_count()
    y = value.Value(1.0)
    for _ in range(1_000_000):
        y = y * 1.0
    assert core.node_count() >= before + 2_000_000  # each step: a constant leaf and a product
    del y
    assert core.node_count() == before


@needs_core
def test_the_compiled_topological_order_is_graph_py_s_order():
    from pathgrad.engine.graph import topological_order

    a, b = value.Value(2.0, "a"), value.Value(1.0, "b")
    c = a + b
    e = c * (b + 1) + c.exp() * a
    assert core.topological_order(e) == topological_order(e)


# Random graphs, built step by step on both engines. Each step names an op and
# earlier nodes (or numbers), so nodes are shared and some steps are refused.
NUMBERS = st.one_of(
    st.sampled_from([0.0, 1.0, -1.0, 2.0, 0.5, -0.5, 3, -2, 710.0, 1e300, -1e-300]),
    st.floats(-5, 5, allow_nan=False),
)
UNARY = ["neg", "exp", "log", "tanh", "relu", "sigmoid", "abs", "sqrt", "sin", "gelu"]
BINARY = ["+", "-", "*", "/", "**", "max"]
EXPONENTS = st.sampled_from([2, 3, 0, 1, -1, 0.5, -0.5, 2.5, 1e3])


@st.composite
def programs(draw):
    inputs = draw(st.lists(NUMBERS, min_size=1, max_size=3))
    steps = []
    for i in range(draw(st.integers(1, 12))):
        n = len(inputs) + i
        node = st.integers(0, n - 1)
        kind = draw(st.sampled_from(["unary", "binary", "number_left", "number_right", "power", "sum", "wsum"]))
        if kind == "unary":
            steps.append((kind, draw(st.sampled_from(UNARY)), draw(node)))
        elif kind == "binary":
            steps.append((kind, draw(st.sampled_from(BINARY)), draw(node), draw(node)))
        elif kind in ("number_left", "number_right"):
            steps.append((kind, draw(st.sampled_from(BINARY[:5])), draw(node), draw(NUMBERS)))
        elif kind == "power":
            steps.append((kind, draw(node), draw(EXPONENTS)))
        else:
            bias = draw(st.one_of(st.tuples(st.just("node"), node), st.tuples(st.just("number"), NUMBERS)))
            steps.append((kind, draw(st.lists(node, min_size=1, max_size=4)), bias))
    return inputs, steps


def apply(engine, op, a, b):
    if op == "max":
        return engine.maximum(a, b)
    return {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b, "/": lambda: a / b, "**": lambda: a**b}[op]()


def run(engine, program, context="none"):
    """Every node's (op, data, local grads, scope) or the refusal, then every grad after backward."""
    inputs, steps = program
    block = {"none": contextlib.nullcontext, "no_grad": engine.no_grad, "scope": lambda: engine.scope("s")}
    with block[context]():
        return build_and_backward(engine, inputs, steps)


def build_and_backward(engine, inputs, steps):
    nodes = [engine.Value(x) for x in inputs]
    record = []
    for step in steps:
        kind = step[0]
        try:
            if kind == "unary":
                x = nodes[step[2]]
                out = -x if step[1] == "neg" else getattr(x, step[1])()
            elif kind == "binary":
                out = apply(engine, step[1], nodes[step[2]], nodes[step[3]])
            elif kind == "number_left":
                out = apply(engine, step[1], step[3], nodes[step[2]])
            elif kind == "number_right":
                out = apply(engine, step[1], nodes[step[2]], step[3])
            elif kind == "power":
                out = nodes[step[1]] ** step[2]
            elif kind == "sum":
                out = engine.sum([nodes[i] for i in step[1]])
            else:
                picked = [nodes[i] for i in step[1]]
                bias = nodes[step[2][1]] if step[2][0] == "node" else step[2][1]
                out = engine.weighted_sum(picked, picked[::-1], bias)
        except (ArithmeticError, ValueError, TypeError) as error:
            record.append((type(error).__name__, str(error)))
            out = nodes[-1]
        else:
            record.append((out.op, out.data.hex(), [g.hex() for g in out.local_grads], out.scope))
        nodes.append(out)
    root = nodes[-1]
    root.backward()
    return record, [node.grad.hex() for node in nodes]


@needs_core
@settings(max_examples=300, deadline=None)
@given(programs(), st.sampled_from(["none", "no_grad", "scope"]))
def test_both_engines_give_the_same_bits_and_refusals_on_random_graphs(program, context):
    assert run(value, program, context) == run(pure, program, context)


@needs_core
def test_both_engines_agree_on_colah_s_graph_to_the_bit():
    def build(engine):
        a, b = engine.Value(2.0, "a"), engine.Value(1.0, "b")
        e = (a + b) * (b + 1)
        e.backward()
        return e.data, a.grad, b.grad, repr(e), repr(a)

    compiled = build(value)
    assert compiled == build(pure)
    assert compiled[:3] == (6.0, 2.0, 5.0)


@needs_core
def test_the_core_refuses_what_value_py_refuses_with_its_message():
    for engine in (value, pure):
        with pytest.raises(TypeError, match="data must be a real number"):
            engine.Value("3")
        with pytest.raises(ZeroDivisionError, match="divisor"):
            engine.Value(1.0) / 0
        with pytest.raises(OverflowError, match="exp"):
            engine.Value(1000.0).exp()


@needs_core
def test_create_graph_grads_close_cycles_that_the_collector_frees():
    gc.collect()
    before = core.node_count()
    for _ in range(50):
        x = value.Value(2.0)
        y = x**3 * x.tanh()
        y.backward(create_graph=True)  # x.grad is a graph that contains x
        assert gc.is_tracked(x) and gc.is_tracked(x.grad)
    del x, y
    gc.collect()
    assert core.node_count() == before


@needs_core
def test_create_graph_gives_the_same_bits_on_both_engines():
    def second_derivative(engine):
        x = engine.Value(0.7)
        y = (x * x.exp() + 1).log() / x.tanh()
        y.backward(create_graph=True)
        dydx = x.grad
        x.grad = 0.0
        dydx.backward()
        return dydx.data.hex(), x.grad.hex()

    assert second_derivative(value) == second_derivative(pure)


@needs_core
def test_rules_added_later_become_methods_of_the_compiled_value():
    cube = value.add_rule(value.Rule("cube", lambda x: x**3, lambda x, y: (3 * x * x,), "3x²", (1.5,)))
    try:
        y = value.Value(2.0).cube()
        y.backward()
        assert (y.data, y.op, y.children[0].grad) == (8.0, "cube", 12.0)
        assert cube is value.Value.cube
    finally:
        del value.Value.cube
        value.ops.TABLE.remove(value.ops.TABLE[-1])


def engine_in_a_subprocess(environment, code="import pathgrad; print(pathgrad.ENGINE)"):
    """What a fresh interpreter prints (and warns) with `environment` added to this one's."""
    env = {k: v for k, v in os.environ.items() if k != "PATHGRAD_PURE"}
    env.update(environment)
    env["PYTHONPATH"] = os.path.dirname(os.path.dirname(os.path.dirname(value.__file__)))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip(), done.stderr


@needs_core
@pytest.mark.parametrize("word, engine", [
    ("1", "pure"), ("true", "pure"), ("YES", "pure"), ("True", "pure"),
    ("0", "compiled"), ("", "compiled"), ("false", "compiled"),
])
def test_pathgrad_pure_selects_the_engine(word, engine):
    assert engine_in_a_subprocess({"PATHGRAD_PURE": word}) == (engine, "")


@needs_core
def test_an_unknown_pathgrad_pure_word_is_warned_about_and_the_core_runs():
    printed, warned = engine_in_a_subprocess({"PATHGRAD_PURE": "maybe"})
    assert printed == "compiled"
    assert "PATHGRAD_PURE='maybe' is not understood" in warned


@needs_core
def test_a_free_threaded_python_runs_the_pure_engine_with_one_warning():
    code = (
        "import sysconfig; real = sysconfig.get_config_var\n"
        "sysconfig.get_config_var = lambda name: 1 if name == 'Py_GIL_DISABLED' else real(name)\n"
        "import pathgrad; print(pathgrad.ENGINE, type(vars(pathgrad.Value)['backward']).__name__)"
    )
    printed, warned = engine_in_a_subprocess({}, code)
    assert printed == "pure function"
    assert len(warned.strip().splitlines()) <= 2 and "free-threaded" in warned  # the warning and its source line


@needs_core
def test_fast_lists_every_name_it_replaces_and_each_is_the_core_s():
    assert fast.REPLACED == ("Value", "_node", "_JUST_VALUES", "sum", "weighted_sum", "scope.run")
    assert type(vars(value.Value)["backward"]).__name__ == "method_descriptor"
    assert value._node is core.node and value._JUST_VALUES == {value.Value}
    assert value.scope.run is core.run_in_scope
    assert type(value.sum).__name__ == type(value.weighted_sum).__name__ == "builtin_function_or_method"
    import pathgrad
    from pathgrad.engine import autograd, gradient_check

    assert pathgrad.Value is autograd.Value is gradient_check.Value is value.Value
    assert pathgrad.sum is value.sum and autograd.weighted_sum is value.weighted_sum
