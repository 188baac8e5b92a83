"""The `pathgrad` command: graphs, gradients, gradient checks, training and the worked example from a shell.

    pathgrad graph EXPR [NAME=VALUE ...] [-o FILE] [--steps FILE.html] [--paths NAME] [--explain NAME]
    pathgrad check EXPR NAME=VALUE ...
    pathgrad train [--dataset moons] [--hidden 16,16] ...
    pathgrad quiz [--seed 3] [--level 2] [-o sheet.pdf] [--answers "a=2,b=5"]
    pathgrad demo

`main.py` chooses the command and turns failures into messages and exit
statuses; each command lives in its own module; `expression.py` is the safe
expression language.

>>> main(["check", "x * x", "x=3"])
input             value       backward        numeric  rel. error  ok
x                     3              6              6    4.13e-12  yes
all gradients agree (tolerance 1e-06)
0
"""

from .main import main

__all__ = ["main"]
