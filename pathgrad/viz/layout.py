"""One layout for many frames, so nodes stay put while the stepper plays.

dot lays the graph out once, with every label at the longest it gets in any
frame, and reports its positions as JSON: node centres and sizes, edge
splines and edge-label points. Each frame is pinned to those positions and
drawn by `neato -n2`, which moves nothing. All frames go through one neato
run, so a stepper costs two Graphviz runs however many frames it has.
"""

import json
from typing import NamedTuple

from .render import pipe
from .scene import to_digraph


class Layout(NamedTuple):
    """Pinning attributes by node name and by edge id."""

    nodes: dict
    edges: dict


def render_frames(scenes):
    """Each Scene as an SVG document (str), all on one shared layout."""
    layout = lay_out(_longest_labels(scenes))
    source = "\n".join(to_digraph(scene, layout).source for scene in scenes)
    output = pipe(source, "svg", engine="neato", neato_no_op=2).decode("utf-8")
    # neato writes one SVG document per input graph, one after another.
    return ["<?xml" + document for document in output.split("<?xml")[1:]]


def lay_out(scene):
    """Where dot puts each node and edge of the Scene."""
    placed = json.loads(pipe(to_digraph(scene).source, "json0"))
    nodes = {}
    for node in placed["objects"]:
        size = {key: node[key] for key in ("pos", "width", "height")}
        nodes[node["name"]] = {**size, "fixedsize": "true"}
    edges = {}
    for edge in placed.get("edges", ()):
        edges[edge["id"]] = {key: edge[key] for key in ("pos", "lp") if key in edge}
    return Layout(nodes, edges)


def _longest_labels(scenes):
    """The first Scene with each node and edge given its longest label over all scenes."""
    first = scenes[0]
    node_labels = {name: attrs["label"] for name, attrs in first.nodes}
    edge_labels = {}
    for scene in scenes[1:]:
        for name, attrs in scene.nodes:
            node_labels[name] = max(node_labels[name], attrs["label"], key=len)
    for scene in scenes:
        for _, _, attrs in scene.edges:
            if "label" in attrs:
                longest = max(edge_labels.get(attrs["id"], ""), attrs["label"], key=len)
                edge_labels[attrs["id"]] = longest
    nodes = [(name, {**attrs, "label": node_labels[name]}) for name, attrs in first.nodes]
    edges = []
    for tail, head, attrs in first.edges:
        attrs = dict(attrs)
        if attrs["id"] in edge_labels:
            attrs["label"] = edge_labels[attrs["id"]]
        edges.append((tail, head, attrs))
    return first._replace(nodes=nodes, edges=edges)
