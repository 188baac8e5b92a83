"""Reading order: neurons drawn n0, n1, ..., n15, left to right or top to bottom, never n10 first."""

import xml.etree.ElementTree as ElementTree

import pytest

from pathgrad.nn.lecture import sample_loss
from pathgrad.viz import to_svg

SVG = "{http://www.w3.org/2000/svg}"
NEURONS = [f"L{layer}.n{i}" for layer in (0, 1) for i in range(16)] + ["L2.n0"]


@pytest.fixture(scope="module")
def one_sample():
    """One moons sample through micrograd's MLP(2, [16, 16, 1]), hinge loss, after backward."""
    return sample_loss()[0]


def drawn_order(svg, layer, across):
    """The names of a layer's neuron boxes, in the order they are drawn across the ranks."""
    places = []
    for group in ElementTree.fromstring(svg).iter(f"{SVG}g"):
        texts = list(group.iter(f"{SVG}text"))
        if group.get("class") == "node" and texts and (texts[0].text or "").startswith(f"{layer}.n"):
            places.append((float(texts[0].get(across)), texts[0].text))
    return [name for _, name in sorted(places)]


@pytest.mark.parametrize("rankdir, across", [("TB", "x"), ("LR", "y")])
def test_sixteen_neurons_are_drawn_in_natural_order(one_sample, rankdir, across):
    svg = to_svg(one_sample, collapse=NEURONS, rankdir=rankdir, width=None)
    for layer in ("L0", "L1"):
        assert drawn_order(svg, layer, across) == [f"{layer}.n{i}" for i in range(16)]
