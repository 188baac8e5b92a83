"""Model files: a module's architecture and parameters as JSON, never pickle.

    {"format": "pathgrad.nn", "version": 1,
     "architecture": {"type": "MLP", "nin": 2, "nouts": [16, 16, 1], ...},
     "parameters": {"layers.0.neurons.0.w.0": 0.23, ...}}

JSON holds only data, so loading a file can never run code. Saving writes a
temporary file beside the target and renames it over the target only once it
is complete (os.replace is atomic), so a crash mid-save leaves the old file.
Loading checks the whole file before touching the module.
"""

import json
import math
import os

from pathgrad.files import write_atomically

FORMAT = "pathgrad.nn"
VERSION = 1


def save(module, path):
    """Write `module` to `path` atomically; ValueError if a parameter is not finite."""
    parameters = module.state_dict()
    for name, value in parameters.items():
        if not math.isfinite(value):
            raise ValueError(
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


def load(module, path):
    """Check the file at `path` against `module`, then set its parameters."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"load: {os.fspath(path)!r} is not valid JSON ({error})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(
            f"load: {os.fspath(path)!r} is not a pathgrad model file; "
            "expected a JSON object with \"format\": {FORMAT!r}"
        )
    if document.get("version") != VERSION:
        raise ValueError(
            f"load: {os.fspath(path)!r} has format version {document.get('version')!r}; "
            f"this pathgrad reads version {VERSION}"
        )
    expected = module.architecture()
    if document.get("architecture") != expected:
        raise ValueError(
            f"load: {os.fspath(path)!r} holds architecture {document.get('architecture')!r}, "
            f"but this model is {expected!r}; build the model with the saved architecture"
        )
    module.load_state_dict(document.get("parameters"))
