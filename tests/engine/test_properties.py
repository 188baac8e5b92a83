"""Random expression DAGs: backward, gradcheck, forward mode and the path sum all agree,
and (with torch installed) their Hessians equal PyTorch's double backward."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from pathgrad import Value, all_paths, count_paths, forward_mode, gradcheck, hessian

# Smooth operations only, on a safe domain, so finite differences are valid;
# each reads the same on a Value and on a torch tensor.
UNARY = [
    lambda v: v.tanh(),
    lambda v: v.sigmoid(),
    lambda v: v.sin(),
    lambda v: (v * v + 1).log(),
    lambda v: (v * 0.3).exp(),
    lambda v: -v,
    lambda v: (v * v + 1).sqrt(),
    lambda v: v**3,
]
BINARY = [
    lambda a, b: a + b,
    lambda a, b: a - b,
    lambda a, b: a * b,
    lambda a, b: a / (b * b + 1),
    lambda a, b: (a * a + 1) ** (b.tanh()),
]


@st.composite
def programs(draw):
    """A recipe: each step applies an op to earlier nodes, so nodes are shared (a DAG)."""
    n_inputs = draw(st.integers(1, 3))
    steps = []
    for i in range(draw(st.integers(1, 8))):
        available = n_inputs + i
        if draw(st.booleans()):
            steps.append(("u", draw(st.integers(0, len(UNARY) - 1)), draw(st.integers(0, available - 1))))
        else:
            steps.append(
                (
                    "b",
                    draw(st.integers(0, len(BINARY) - 1)),
                    draw(st.integers(0, available - 1)),
                    draw(st.integers(0, available - 1)),
                )
            )
    inputs = draw(st.lists(st.floats(-2, 2), min_size=n_inputs, max_size=n_inputs))
    return steps, inputs


def run(steps, *leaves):
    nodes = list(leaves)
    for step in steps:
        if step[0] == "u":
            nodes.append(UNARY[step[1]](nodes[step[2]]))
        else:
            nodes.append(BINARY[step[1]](nodes[step[2]], nodes[step[3]]))
    return nodes[-1]


@settings(max_examples=150, deadline=None)
@given(programs())
def test_backward_forward_mode_path_sum_and_finite_differences_agree(program):
    steps, inputs = program
    leaves = [Value(x) for x in inputs]
    root = run(steps, *leaves)
    root.backward()
    for leaf in leaves:
        tangent = forward_mode(root, leaf)[root]
        assert math.isclose(tangent, leaf.grad, rel_tol=1e-9, abs_tol=1e-12)
        if count_paths(root, leaf) <= 2000:
            path_sum = math.fsum(p.product for p in all_paths(root, leaf))
            assert math.isclose(path_sum, leaf.grad, rel_tol=1e-9, abs_tol=1e-12)
    check = gradcheck(lambda *xs: run(steps, *xs), inputs, tol=1e-5)
    for row in check.rows:
        assert row.ok or abs(row.analytic - row.numeric) < 1e-7, str(check)


def test_hessians_of_random_graphs_equal_torch_double_backward(torch_hessian):
    @settings(max_examples=60, deadline=None)
    @given(programs())
    def check(program):
        steps, inputs = program
        ours = hessian(lambda *xs: run(steps, *xs), inputs)
        _, _, theirs = torch_hessian(lambda *ts: run(steps, *ts), inputs)
        assert len(ours) == len(theirs) == len(inputs), (ours, theirs)
        for mine, reference in zip(ours, theirs, strict=True):
            pairs = zip(mine, reference, strict=True)
            assert all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) for a, b in pairs), (ours, theirs)

    check()
