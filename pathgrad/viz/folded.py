"""A folded drawing: one instance of a repeated computation drawn, standing for all of them.

fold.py finds the folds (micrograd's moons loss: one sample's hinge term,
the whole model inside, 100 times) and the sums that add them up. A
folded drawing leaves out every instance but the first, and the partial
sums: an edge from a node left out is drawn from the node that stands in
for it (sample 2's `relu` from sample 0's), once. A sum that adds up a fold
is one op node, `sum`, and the edge into it from the fold says how many it
adds: `× 100 samples`. The picture's caption says what was folded.

**Opening a fold.** A fold is called by its name, the word on its edge
(`samples`, `terms`), as a scope is by its own:

- `sample=k` draws (or steps through) the fold's instance k alone: sample
  k's own graph, `losses[k]`, found from the batch's loss;
- a stepper draws a `samples` fold as one box, so that backward over the
  batch is a few frames (the loss nodes, then the box, through which the
  grad reaches every sample and the parameters add up what each sample
  gives them); `expand=['samples']`, or a click on the box in the widget,
  opens it: sample 0 drawn standing for all, as draw shows it;
- `fold=False` draws every instance.

>>> from pathgrad import Value
>>> from pathgrad.viz import draw
>>> w = Value(0.5, "w")
>>> total = sum(((w * x - 1) ** 2).tanh() for x in (1.0, 2.0, 3.0, 4.0)); total.label = "total"
>>> source = draw(total, fold=True).source
>>> "\\u00d7 4 samples" in source, source.count('[label="**2"')
(True, 1)
>>> draw(total, sample=2).source.count('[label="**2"')  # sample 2's own graph: (w * 3.0 - 1) ** 2, tanh
1
"""

import re

from pathgrad.engine import number_text
from pathgrad.engine.validation import RefusedValue

from .fold import find_folds
from .plan import estimated_excess

FOLD_NAME = re.compile(r"(samples|terms)( \d+)?")  # what fold.py names folds: the words their edges say
_SHOWN = 8  # a fold box's caption lists at most this many parameters' grads


class Folded:
    """What a folded drawing of one graph draws in place of the nodes it leaves out.

    `boxed` names the folds drawn as one box each (a stepper's `samples`):
    `box_of` maps every node of their instances, those left out included,
    to the box's name, so that backward's steps in any sample are the box's.
    """

    def __init__(self, folding, boxed=()):
        self.folding = folding
        self.hidden = folding.hidden
        self._sums = {}  # a reduction's result -> (its fold's roots, the count and what they are, the fold)
        for reduction in folding.reductions:
            fold = folding.folds[reduction.fold]
            self._sums[reduction.result] = (set(fold.roots), f"\u00d7 {fold.count} {_kind(fold)}", fold)
        self.boxes = [fold.name for fold in folding.folds if fold.name in boxed and fold.parent is None]
        self.box_of = {}  # node -> the name of the fold box it is drawn in
        for fold in folding.folds:
            if fold.name in self.boxes:
                for instance in fold.instances:
                    self.box_of.update(dict.fromkeys(instance, fold.name))

    def stand_in(self, node):
        """The node drawn for a node left out (sample 2's relu: sample 0's)."""
        return self.folding.stand_in(node)[0]

    def drawn_children(self, node):
        """node's operands as drawn: a left-out one as its stand-in, once; partial sums not at all."""
        drawn = (self.stand_in(child) if child in self.hidden else child for child in node.children)
        return list(dict.fromkeys(child for child in drawn if child not in self.hidden))

    def op(self, node, op):
        """The op node's text: `sum` for a sum that adds up a fold, else op."""
        return "sum" if node in self._sums else op

    def label(self, node, child):
        """The label of the edge from child into node: `× 100 samples` where node adds up child's fold."""
        roots, label, _ = self._sums.get(node, ((), "", None))
        return label if child in roots else ""

    def named(self, name):
        """The fold called `name`, or None."""
        return next((fold for fold in self.folding.folds if fold.name == name), None)

    def caption(self, caller="draw", every=False):
        """One line: what is folded, and the calls (by `caller`, as written) that open it; with
        `every` (fold=True folded a graph that fits whole), the call that draws every instance."""
        parts = [f"{fold.count} {_kind(fold)} as one{' box' if fold.name in self.boxes else ''}"
                 for fold in self.folding.folds if fold.parent is None]
        listed = ", ".join(parts[:4]) + (f" and {len(parts) - 4} more" if len(parts) > 4 else "")
        verb = "steps through" if caller == "step_through" else "draws"
        opens = [f"{caller}(..., expand={[name]!r}) opens the box" for name in self.boxes[:1]]
        if self.named("samples") is not None:
            opens.append(f"{caller}(..., sample=0) {verb} one sample's graph")
        if every:
            opens.append(f"{caller}(..., fold=False) {verb} every one")
        return f"folded: {listed} \u2014 " + ", ".join(opens)

    def in_one_sample(self, caption):
        """A fitting caption's advice (`draw(..., expand=['L0'])`) made to open the scope in one sample's
        graph, where the fold (sample 0 standing for all) would be too big to read with it open."""
        if self.named("samples") is None:
            return caption
        return caption.replace("(..., expand=", "(..., sample=0, expand=", 1)

    def sum_caption(self, root, node, upstream, names, num, derivative):
        """The caption of the backward step of a sum that adds up a fold, or None for any other node.

        The sum passes its grad down each of its terms (∂sum/∂term = 1), one per instance.
        """
        if node not in self._sums:
            return None
        _, label, fold = self._sums[node]
        term = names[self.stand_in(fold.roots[-1])]
        # a fold box's one output is called by the box's name (scene.py): then the box gets it, once per instance
        gets = (f"the {term} box gets {num(upstream)} for each {_one(fold)}" if term == fold.name
                else f"each {_one(fold)}'s {term} gets {num(upstream)}")
        return (f"{names[node]}, the sum of the {label[2:]}, has its full grad {derivative(root, node)} = "
                f"{num(upstream)} and passes local \u00d7 upstream = 1 \u00d7 {num(upstream)} = {num(upstream)} "
                f"down each of its {fold.count} edges ({label}), one per {_one(fold)}: {gets}.")

    def box_caption(self, name, root, grads, names, num):
        """The caption of a fold box's frame, once backward has passed through every instance in it:
        the grad that came into its roots, and the grads its instances gave the parameters they share."""
        fold = self.named(name)
        into = [grads.get(node, 0.0) for node in fold.roots]
        same = all(grad == into[0] for grad in into)
        each = f"{num(into[0])} into each" if same else f"{num(into[0])} into sample 0's"
        params = [node for node in fold.shared if node.label and not node.children]
        listed = ", ".join(f"{names[p]}.grad = {num(grads.get(p, 0.0))}" for p in params[:_SHOWN])
        more = f", and {len(params) - _SHOWN} more" if len(params) > _SHOWN else ""
        given = (f"; backward passed it through every {_one(fold)} to the {len(params)} parameters they share, "
                 f"whose grads add up what each {_one(fold)} gives them (and any grad they had already): "
                 f"{listed}{more}") if params else ""
        return (f"{name} ({fold.count} {_kind(fold)} as one box): the grad came into all {fold.count}, "
                f"{each}, {number_text(sum(into), 4)} in all{given}. To step through {_one(fold)} 0 "
                f"node by node: step_through(..., expand={[name]!r}).")


def _kind(fold):
    """What a fold's instances are: `samples`, `terms`."""
    return fold.name.split()[0]


def _one(fold):
    """One of a fold's instances: `sample`, `term`."""
    return _kind(fold)[:-1]


def folded(root, order=None, boxed=()):
    """A Folded for root's graph, or None where nothing repeats enough to fold.

    `boxed` names the folds to draw as one box each.

    >>> from pathgrad import Value
    >>> folded(Value(2.0, "a") * 3) is None
    True
    """
    folding = find_folds(root, order=order)
    return Folded(folding, boxed) if folding.folds else None


def wants_folding(look, plan):
    """Whether a drawing with `look` folds, its best unfolded plan being `plan`: always with fold=True,
    never with False, and with None (the default) when the whole graph, scopes collapsed, is too
    big to read and no `around=` picks part of it."""
    return bool(look.fold or look.fold is None and look.around is None and estimated_excess(plan) > 0)


def opened_folds(look):
    """(fold names in look.expand, the Look with only its scope names): `expand=['samples']` opens a fold."""
    names = tuple(name for name in look.expand if FOLD_NAME.fullmatch(name))
    return names, look.but(expand=[name for name in look.expand if name not in names]) if names else look


def check_opened(caller, names, folding):
    """Refuse fold names that name no fold of the graph."""
    known = [fold.name for fold in folding.folding.folds] if folding else []
    unknown = [name for name in names if name not in known]
    if unknown:
        raise RefusedValue(
            f"{caller}: expand names {', '.join(map(repr, unknown))}, a fold this graph does not have; its folds "
            f"are {', '.join(map(repr, known)) or '(none: nothing repeats enough to fold)'}", option="expand")


def sample_root(caller, root, sample):
    """The root of sample `sample` of root's `samples` fold: what `sample=k` draws or steps through alone.

    >>> from pathgrad import Value
    >>> w = Value(0.5, "w")
    >>> losses = [((w * x - 1) ** 2).tanh() for x in (1.0, 2.0, 3.0, 4.0)]
    >>> sample_root("draw", sum(losses), 3) is losses[3]
    True
    """
    folding = find_folds(root)
    fold = next((fold for fold in folding.folds if fold.name == "samples"), None)
    if fold is None:
        raise RefusedValue(
            f"{caller}: got sample={sample!r}, but nothing in this graph is one model applied to several "
            f"samples; draw the graph itself, leaving sample= out", option="sample")
    if not 0 <= sample < fold.count:
        raise RefusedValue(
            f"{caller}: got sample={sample!r}; this graph has {fold.count} samples, use 0 to {fold.count - 1}",
            option="sample")
    return fold.roots[sample]
