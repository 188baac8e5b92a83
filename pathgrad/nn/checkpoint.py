"""Model files: a module's architecture and parameters as JSON, never pickle.

    {"format": "pathgrad.nn", "version": 1,
     "architecture": {"type": "MLP", "nin": 2, "nouts": [16, 16, 1], ...},
     "parameters": {"layers.0.neurons.0.w.0": 0.23, ...}}

JSON holds only data, so loading a file can never run code. Saving writes a
temporary file beside the target and renames it over the target only once it
is complete (os.replace is atomic), so a crash mid-save leaves the old file.
Loading checks the whole file before touching the module.

>>> import os, tempfile
>>> from pathgrad.nn import Neuron
>>> path = os.path.join(tempfile.mkdtemp(), "neuron.json")
>>> saved = Neuron(2); saved.load_state_dict({"w.0": 0.5, "w.1": -2.0, "b": 1.0}); save(saved, path)
>>> loaded = Neuron(2); load(loaded, path); loaded.state_dict()
{'w.0': 0.5, 'w.1': -2.0, 'b': 1.0}
"""

import json
import math
import os

from pathgrad.engine.validation import RefusedType, RefusedValue, positive_int, shown
from pathgrad.files import write_atomically

FORMAT = "pathgrad.nn"
VERSION = 1
MAX_BYTES = 256 * 2**20  # load() reads no more than this before parsing


def save(module, path):
    """Write `module` to `path` (a str, bytes or os.PathLike) atomically; ValueError if a parameter is not finite."""
    path = _file_name("save", path)
    parameters = module.state_dict()
    for name, value in parameters.items():
        if not math.isfinite(value):
            raise RefusedValue(
                f"save: parameter {name!r} is {value!r}; a model file holds finite numbers only "
                "(training diverged? lower the learning rate)"
            )
    document = {
        "format": FORMAT,
        "version": VERSION,
        "architecture": module.architecture(),
        "parameters": parameters,
    }
    write_atomically(path, json.dumps(document, indent=1).encode("utf-8"))


def load(module, path, max_bytes=MAX_BYTES):
    """Check the file at `path` against `module`, then set its parameters.

    Reads at most `max_bytes` (256 MB by default; any positive integer) before
    parsing. Every way a file can be wrong is a ValueError naming it, and
    leaves the module as it was.
    """
    name = _file_name("load", path)
    max_bytes = positive_int("load", "max_bytes", max_bytes)
    with open(name, "rb") as file:
        data = _read_at_most(file, max_bytes)
    if len(data) > max_bytes:
        raise RefusedValue(
            f"load: {name!r} is larger than max_bytes = {max_bytes:,}; "
            "a model file is far smaller, or pass a larger max_bytes"
        )
    try:
        document = json.loads(data.decode("utf-8"), parse_int=_number, parse_float=_number)
    except UnicodeDecodeError as error:
        raise RefusedValue(f"load: {name!r} is not UTF-8 text ({error.reason} at byte {error.start})") from None
    except RecursionError:
        raise RefusedValue(f"load: {name!r} nests arrays or objects too deeply for a model file") from None
    except ValueError as error:  # JSONDecodeError, or a number _number refused
        raise RefusedValue(f"load: {name!r} is not valid JSON ({error})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise RefusedValue(
            f"load: {name!r} is not a pathgrad model file; "
            f"expected a JSON object with \"format\": {FORMAT!r}"
        )
    if document.get("version") != VERSION:
        raise RefusedValue(
            f"load: {name!r} has format version {document.get('version')!r}; "
            f"this pathgrad reads version {VERSION}"
        )
    expected = module.architecture()
    if document.get("architecture") != expected:
        raise RefusedValue(
            f"load: {name!r} holds architecture {document.get('architecture')!r}, "
            f"but this model is {expected!r}; build the model with the saved architecture"
        )
    try:
        module.load_state_dict(document.get("parameters"))
    except ValueError as error:
        raise RefusedValue(f"load: {name!r}: {error}") from None


def _number(text):
    """A JSON number as a float; 1e400 or a 400-digit integer is refused, not inf or an OverflowError."""
    x = float(text)
    if not math.isfinite(x):
        shown = text if len(text) <= 20 else f"{text[:12]}... ({len(text)} characters)"
        raise RefusedValue(f"the number {shown} is too large for a float (at most 1.8e308)")
    return int(text) if text.lstrip("-").isdigit() else x


def _read_at_most(file, limit):
    """The file's bytes, or its first limit + 1 bytes if it is longer.

    Read a MiB at a time: read(n) reserves n bytes up front, which fails for
    a limit such as 10**30 and costs 256 MB for the default.
    """
    data = bytearray()
    while len(data) <= limit:
        piece = file.read(min(2**20, limit + 1 - len(data)))
        if not piece:
            break
        data += piece
    return bytes(data)


def _file_name(op, path):
    """`path` as a str: a str, bytes or os.PathLike, as open() takes; else TypeError naming `op`."""
    try:
        return os.fsdecode(path)
    except TypeError:
        raise RefusedType(
            f"{op}: got path {shown(path)[:60]} ({type(path).__name__}); expected a file name "
            "(a str, bytes or os.PathLike)"
        ) from None
