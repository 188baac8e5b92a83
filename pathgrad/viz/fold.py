"""Repeated structure, found and folded: a model applied to many samples drawn once, "× 100 samples".

A learner's loss over a batch repeats one computation per sample: the same
ops, in the same scopes, with the same parameters, on different inputs.
TensorBoard groups such repeated series into one node; a folded drawing
draws one instance and says how many there are. This module finds them; it
reads only the engine's graph and changes nothing.

**Instances.** Each node gets a *shape*: equal shapes mean equal graphs
below, up to leaves (the same ops, scopes and arities, operand by operand);
every leaf has the same shape. Nodes of one shape are candidate roots.
Two candidates are *aligned* by walking their graphs in step: where both
reach the very same node (a parameter, or anything computed once and used
by every instance), it is *shared* and the walk stops there; where they
reach different nodes, those are the instances' own and take one
*position* each, in the order the walk meets them. Every other candidate
must fit that pattern node for node, and no node may be in two instances.
`Fold.instances[k][j]` is instance k's node at position j, playing the part
of `instances[0][j]`; position 0 is the root.

**Which folds.** Candidates are tried from the graph's root down, so the
biggest repeated structure wins: in micrograd's moons loss, each sample's
hinge term `(1 + -y*model(x)).relu()` with the whole model inside, not
each neuron. Inside instance 0, folds of their own may be found (a fold's
`parent`); the other instances are drawn as instance 0 is. A fold holds at
least `least` instances and leaves at least `least_saved` nodes out of a
drawing ((count - 1) * size): `a*b + c*d` is not worth folding.

**Order.** Instance k is the k-th to be combined: instances are numbered by
their roots' places in `topological_order`, which visits operands in order,
so `sum(losses)`, `pathgrad.sum(losses)` and a Python loop that adds each
loss all number samples as the list does. `indexed("L2.n0", [2])` is
`L2.n0[2]`: what instance 0 calls L2.n0, in the third instance.

**Reductions.** `sum(losses)` builds a chain of `+` nodes, one per term
(0 + l0, then + l1, ...). A `Reduction` is such a chain, or tree, of `+`
(or one n-ary `sum`) whose partial sums nothing else uses, and whose terms
include every root of one fold. A folded drawing draws it as one sum node
fed by the fold; its partial sums and builtin sum's 0 are hidden.

>>> from pathgrad import Value
>>> w = Value(0.5, "w")
>>> losses = [(w * x - 1) ** 2 for x in (1.0, 2.0, 3.0)]
>>> total = sum(losses); total.label = "total"
>>> folding = find_folds(total, least_saved=1)
>>> [(fold.count, fold.name, [n.label for n in fold.shared]) for fold in folding.folds]
[(3, 'samples', ['w'])]
>>> folding.folds[0].roots == tuple(losses), len(folding.reductions[0].terms)
(True, 3)
>>> folding.stand_in(losses[2].children[0])[1]  # (w * 3.0 - 1) is what instance 0's (w * 1.0 - 1) is
[2]
"""

from collections import Counter
from itertools import chain
from operator import itemgetter
from typing import NamedTuple

from ..engine import Value, topological_order
from ..engine.validation import RefusedType

_LEAF = 0  # every leaf's shape: leaves are told apart by alignment, not by shape
_SUMS = ("+", "sum")  # the ops a Reduction adds with


class Fold(NamedTuple):
    """`count` instances of one computation.

    `instances[k]` lists instance k's own nodes, aligned by position:
    position 0 is the instance's root, where its result comes out. `shared`
    are the nodes every instance uses as they are (parameters, constants
    made once), in the order first met. `outputs` are the positions whose
    nodes something outside the instance uses (the root first). `inputs`
    are the positions of leaves, one per instance (a sample's x, its target).
    `parent` is (fold index, instance) of the fold this one is inside, or
    None. `name` is what a drawing calls it: "samples" when the instances
    share parameters (a model applied to each sample), else "terms"
    (`p * p` for each parameter p); a second fold of a kind is "samples 2".
    """

    instances: tuple
    shared: tuple
    outputs: tuple
    inputs: tuple
    parent: object
    name: str

    @property
    def count(self):
        """How many instances."""
        return len(self.instances)

    @property
    def roots(self):
        """Each instance's root, in instance order."""
        return tuple(instance[0] for instance in self.instances)

    @property
    def size(self):
        """How many nodes one instance holds."""
        return len(self.instances[0])


class Reduction(NamedTuple):
    """A chain (or tree) of `+`, or one n-ary sum, adding up one fold's instances.

    `nodes` are its sums, each after the partial sums it adds: the last is
    the result, the others partial sums nothing else uses. `terms` are what
    it adds, left to right (the fold's roots, and maybe other terms);
    `start` is the constant 0 builtin sum starts from, or None; `fold` the
    index of the fold whose roots are among the terms.
    """

    nodes: tuple
    terms: tuple
    start: object
    fold: int

    @property
    def result(self):
        """The node the sum comes out of."""
        return self.nodes[-1]


class Folding(NamedTuple):
    """The folds and reductions of one graph, and where each folded node is.

    `order` is the graph's topological order. `where[node]` is
    (fold index, instance k, position j) for every node of every fold's
    instances, innermost fold first. `hidden` are the nodes a folded drawing
    leaves out: those of instances other than 0 (of a fold or of one around
    it), and the reductions' partial sums and starting zeros.
    """

    order: list
    folds: list
    reductions: list
    where: dict
    hidden: frozenset

    def stand_in(self, node):
        """(the node a folded drawing draws for node, its instance in each fold around it, outermost first).

        A node outside every fold stands for itself, with []; sample 2's
        `L2.n0` is drawn as sample 0's, with [2]. A node the drawing shows
        (a parameter that one fold squares and a model also uses) is itself.
        """
        if node not in self.hidden and _behind(node, self.where, self.folds):
            return node, []
        indices = []
        place = self.where.get(node)
        while place is not None:
            fold, k, j = place
            if j is not None:
                node = self.folds[fold].instances[0][j]
            indices.append(k)
            parent = self.folds[fold].parent
            place = None if parent is None else (*parent, None)
        return node, indices[::-1]


def indexed(name, indices):
    """A node's name in a folded drawing: the name it is drawn with, then its instance in each fold.

    >>> indexed("L2.n0", [2]), indexed("L2.n0", []), indexed("t3", [0, 5])
    ('L2.n0[2]', 'L2.n0', 't3[0][5]')
    """
    return name + "".join(f"[{k}]" for k in indices)


def find_folds(root, *, least=2, least_saved=8, order=None):
    """The Folding of root's graph: its repeated structure, and the sums that add it up.

    A fold needs `least` instances or more and must leave at least
    `least_saved` nodes out of a drawing. `order` is topological_order(root),
    if already worked out. Time and memory grow with the number of edges.

    >>> from pathgrad import Value
    >>> a, b = Value(2.0, "a"), Value(1.0, "b")
    >>> find_folds((a + b) * (b + 1), least_saved=1).folds  # b is in both: not one computation twice
    []
    """
    if not isinstance(root, Value):
        raise RefusedType(f"find_folds: root must be a pathgrad Value, got {type(root).__name__} {root!r}")
    order = topological_order(root) if order is None else order
    shape = _shapes(order)
    members = {}  # shape -> its nodes, in topological order
    for node in order:
        if node.children:
            members.setdefault(shape[node], []).append(node)
    where, folds, tried = {}, [], set()
    for node in reversed(order):
        s = shape[node]
        if s in tried or not node.children:
            continue
        tried.add(s)
        if _behind(node, where, folds):
            continue
        context = _context(node, where)
        candidates = [m for m in members[s] if _context(m, where) == context and not _behind(m, where, folds)]
        if len(candidates) < least:
            continue
        fold = _fold(candidates, where, context)
        if fold is None or fold.count < least or (fold.count - 1) * fold.size < least_saved:
            continue
        for k, instance in enumerate(fold.instances):
            for j, member in enumerate(instance):
                where[member] = (len(folds), k, j)
        folds.append(fold)
    consumers = _consumers(order)
    folds = _outputs(_named(folds), consumers)
    reductions = _reductions(order, folds, where, consumers)
    hidden = _hidden(where, folds, consumers)
    for reduction in reductions:
        hidden.update(reduction.nodes[:-1])
        if reduction.start is not None:
            hidden.add(reduction.start)
    return Folding(order, folds, reductions, where, frozenset(hidden))


def _hidden(where, folds, consumers):
    """The nodes of instances other than 0; a leaf stays drawn if something outside them uses it
    (a parameter that one fold's instances each square, and that a model also reads)."""
    behind = {node for node in where if _behind(node, where, folds)}
    ops = [node for node in behind if node.children]
    uses = Counter(chain.from_iterable(node.children for node in ops))
    return {node for node in behind if node.children or uses[node] == consumers[node]}


def _shapes(order):
    """{node: shape}: equal for nodes whose graphs below match op for op and scope for scope.

    Shapes are interned, not hashed, so equal shapes mean equal structure exactly.
    """
    ids, shape = {}, {}
    for node in order:  # (this loop and _laid's are most of the time find_folds takes)
        children = node.children
        if not children:
            shape[node] = _LEAF
            continue
        key = (node.op, node.scope, tuple(map(shape.__getitem__, children)))
        s = ids.get(key)
        if s is None:
            s = ids[key] = len(ids) + 1
        shape[node] = s
    return shape


def _behind(node, where, folds):
    """Whether node is in an instance other than 0, of its fold or of a fold around it."""
    place = where.get(node)
    while place is not None:
        fold, k, _ = place
        if k:
            return True
        parent = folds[fold].parent
        place = None if parent is None else (*parent, None)
    return False


def _context(node, where):
    """(fold, instance) of the innermost fold node is in, or None."""
    place = where.get(node)
    return None if place is None else place[:2]


def _fold(candidates, where, context):
    """The Fold of the candidates (roots, in topological order) that fit the first's pattern, or None."""
    first = candidates[0]
    for partner in candidates[1:]:
        pattern = _pattern(first, partner, where, context)
        if pattern is not None:
            break
    else:
        return None
    operands, shared = pattern
    checks = _checks(operands)
    taken = set()  # nodes of the instances so far: no node is in two
    instances = []
    for root in candidates:
        instance = _laid(root, checks, shared, where, context, taken)
        if instance is not None:
            instances.append(instance)
            taken.update(instance)
    if len(instances) < 2:
        return None
    first = instances[0]
    shared_nodes = tuple(dict.fromkeys(node for refs in operands for kind, node in refs if kind == "s"))
    inputs = tuple(j for j, node in enumerate(first) if not node.children)
    return Fold(tuple(instances), shared_nodes, (0,), inputs, context, "")


def _pattern(a_root, b_root, where, context):
    """Two roots walked in step: (each position's operands, as ("p", position) or ("s", shared node);
    the shared nodes), or None where the two are not one computation twice."""
    mine, partner = {a_root: 0}, {b_root: 0}  # own node -> position, in each
    pairs = [(a_root, b_root)]
    operands, shared = [], set()
    for a, b in pairs:  # grows as the walk meets new positions
        refs = []
        for ca, cb in zip(a.children, b.children):
            if ca is cb:
                if ca in mine or ca in partner:
                    return None  # one instance's own node, and the other's operand
                shared.add(ca)
                refs.append(("s", ca))
                continue
            if ca in shared or cb in shared:
                return None
            p = mine.get(ca)
            if p is None:
                if cb in partner or not _may_own(ca, where, context) or not _may_own(cb, where, context):
                    return None
                p = mine[ca] = partner[cb] = len(pairs)
                pairs.append((ca, cb))
            elif pairs[p][1] is not cb:
                return None
            refs.append(("p", p))
        operands.append(refs)
    return operands, shared


def _may_own(node, where, context):
    """Whether an instance inside `context` may hold node: an operation of that context, or any leaf."""
    return not node.children or _context(node, where) == context


def _checks(operands):
    """Per position: (its shared operands' slots, those nodes, its own operands as (slot, position)),
    so that laying an instance checks the shared operands (most of a neuron's) in one comparison."""
    checks = []
    for refs in operands:
        slots = [i for i, (kind, _) in enumerate(refs) if kind == "s"]
        pick = itemgetter(*slots) if len(slots) > 1 else (lambda children, i=slots[0]: (children[i],)) if slots else None
        expected = tuple(refs[i][1] for i in slots)
        checks.append((pick, expected, [(i, ref) for i, (kind, ref) in enumerate(refs) if kind == "p"]))
    return checks


def _laid(root, checks, shared, where, context, taken):
    """root's instance laid on the pattern: its node at each position, or None where it does not fit."""
    nodes, seen = [root], {root}
    for j, (pick, expected, own) in enumerate(checks):
        children = nodes[j].children
        if pick is not None and pick(children) != expected:  # tuples of Values compare by identity
            return None
        for i, ref in own:
            child = children[i]
            if ref == len(nodes):  # a position met for the first time, as in the pattern's walk
                if child in seen or child in taken or child in shared:
                    return None
                if child.children and _context(child, where) != context:
                    return None
                nodes.append(child)
                seen.add(child)
            elif nodes[ref] is not child:
                return None
    return tuple(nodes)


def _named(folds):
    """The folds named: "samples" where instances share a parameter (a labelled leaf), else "terms"."""
    counts, named = {}, []
    for fold in folds:
        kind = "samples" if any(node.label and not node.children for node in fold.shared) else "terms"
        counts[kind] = counts.get(kind, 0) + 1
        named.append(fold._replace(name=kind if counts[kind] == 1 else f"{kind} {counts[kind]}"))
    return named


def _consumers(order):
    """{node: how many operand slots of the graph hold it}."""
    return Counter(chain.from_iterable(node.children for node in order))


def _outputs(folds, consumers):
    """The folds with their outputs: instance 0's operations that something outside it uses."""
    done = []
    for fold in folds:
        first = fold.instances[0]
        within = Counter(chain.from_iterable(node.children for node in first))
        outputs = [0] + [j for j, node in enumerate(first) if j and node.children and consumers[node] > within[node]]
        done.append(fold._replace(outputs=tuple(outputs)))
    return done


def _reductions(order, folds, where, consumers):
    """Each tree of + (or n-ary sum) whose partial sums only the next sum uses, adding up a fold."""
    if not folds:
        return []
    index = {node: i for i, node in enumerate(order)}
    fold_of_root = {root: f for f, fold in enumerate(folds) for root in fold.roots}
    done, reductions = set(), []
    for top in reversed(order):
        if top in done or top.op not in _SUMS or top in where:
            continue
        sums, terms, stack = [], [], [top]
        while stack:  # depth first, left to right: the terms in the order they are added
            node = stack.pop()
            sums.append(node)
            for child in reversed(node.children):
                if (child.op in _SUMS and not child.label and consumers[child] == 1
                        and child.scope == top.scope and child not in where):
                    stack.append(child)
        terms = _leaves_of(top, set(sums))
        start = None
        if terms and not terms[0].children and not terms[0].label and terms[0].data == 0.0:
            start, terms = terms[0], terms[1:]
        roots = {fold_of_root.get(term) for term in terms} - {None}
        for f in roots:
            if sum(1 for term in terms if fold_of_root.get(term) == f) == folds[f].count:
                done.update(sums)
                sums.sort(key=index.get)
                reductions.append(Reduction(tuple(sums), tuple(terms), start, f))
                break
    return reductions


def _leaves_of(top, sums):
    """The terms of a sum tree, left to right."""
    terms, stack = [], [top]
    while stack:
        node = stack.pop()
        if node in sums:
            stack.extend(reversed(node.children))
        else:
            terms.append(node)
    return terms
