"""pathgrad's modules import one way: the import graph has no circle.

The graph is read from the source with `ast`, so it holds every import a
module can run: at its top, and the lazy ones inside functions and methods
(a circle closed by a lazy import is still a circle). An edge A -> B means
that A imports B: `from pkg import sub` where `sub` is a module is an edge to
pkg.sub, `from pkg import name` otherwise an edge to pkg (its __init__).
Importing a submodule also runs its packages' __init__ files; those implicit
edges are left out, as every layered package has them.
"""

import ast
import os
import textwrap

import pathgrad

PACKAGE_DIR = os.path.dirname(os.path.abspath(pathgrad.__file__))


def module_files(package_dir, package):
    """{module name: its .py file} for every module under package_dir; a C extension's source (_core.c) maps to None."""
    files = {}
    parent = os.path.dirname(package_dir)
    for folder, _, names in os.walk(package_dir):
        for name in names:
            stem, suffix = os.path.splitext(name)
            if suffix in (".py", ".c"):  # setup.py builds each .c into the module of its name
                path = os.path.join(folder, name)
                dotted = os.path.relpath(os.path.join(folder, stem), parent).replace(os.sep, ".")
                files[dotted.removesuffix(".__init__")] = path if suffix == ".py" else None
    assert package in files
    return files


def imported(module, path, modules, package):
    """The modules of `package` that `module` (at `path`) imports anywhere in its body."""
    is_package = path.endswith("__init__.py")
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the module's own package, then up
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module
            targets = []
            for alias in node.names:
                submodule = f"{origin}.{alias.name}"
                targets.append(submodule if submodule in modules else origin)
        else:
            continue
        for target in targets:
            while target not in modules and "." in target:  # import a.b.c as the deepest module known
                target = target.rsplit(".", 1)[0]
            if target in modules and (target == package or target.startswith(package + ".")):
                found.add(target)
    found.discard(module)
    return found


def import_graph(package_dir, package):
    """{module: the package's modules it imports}, lazy imports included."""
    modules = module_files(package_dir, package)
    return {module: imported(module, path, modules, package) if path else set() for module, path in modules.items()}


def circles(graph):
    """Each strongly connected group of two or more modules (Tarjan's algorithm, without recursion), sorted."""
    index, low, on_stack, stack, groups = {}, {}, set(), [], []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))
    return sorted(groups)


def test_pathgrad_has_no_import_circle_even_through_lazy_imports():
    graph = import_graph(PACKAGE_DIR, "pathgrad")
    assert len(graph) > 40  # every module was read
    assert "pathgrad.engine.graph" in graph["pathgrad.engine.value"]  # edges were found
    assert circles(graph) == []


def test_the_engine_imports_nothing_else_of_pathgrad():
    graph = import_graph(PACKAGE_DIR, "pathgrad")
    outside = {
        (module, target)
        for module, targets in graph.items() if module.startswith("pathgrad.engine")
        for target in targets if not target.startswith("pathgrad.engine")
    }
    assert outside == set()


def test_a_circle_closed_by_a_lazy_import_inside_a_method_is_found(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("from . import low\n")
    (package / "low.py").write_text("import math\n")
    (package / "high.py").write_text("from .low import x\nfrom pkg.sub import mid\n")
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "mid.py").write_text(textwrap.dedent("""
        class A:
            def method(self):
                from ..high import y  # closes high -> sub.mid -> high
                return y
    """))
    graph = import_graph(str(package), "pkg")
    assert graph["pkg.high"] == {"pkg.low", "pkg.sub.mid"}
    assert circles(graph) == [["pkg.high", "pkg.sub.mid"]]
    (package / "sub" / "mid.py").write_text("from .. import low\n")
    assert circles(import_graph(str(package), "pkg")) == []
