"""Serve site/ on 127.0.0.1 and print its two addresses.

    make serve-site      (or: python3 notebooks/site/serve.py [--port 8000] [site])

A plain static server, as any static host is: the only thing it adds to
`python -m http.server` is the content types a browser insists on for
Pyodide's ES modules and WebAssembly, which some systems' mime tables lack.
"""

import argparse
import functools
import http.server
from pathlib import Path

TYPES = {".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
         ".json": "application/json", ".whl": "application/zip", ".ipynb": "application/json"}


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}

    def log_message(self, format, *args):  # one quiet line per failed request only
        if args and str(args[1])[:1] in "45":
            super().log_message(format, *args)


def server(folder, port=8000, host="127.0.0.1", handler=Handler):
    """A ThreadingHTTPServer for folder on host:port (port 0: any free port), with Handler or a subclass of it."""
    handler = functools.partial(handler, directory=str(folder))
    return http.server.ThreadingHTTPServer((host, port), handler)


def main():
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("folder", nargs="?", default=Path(__file__).resolve().parents[2] / "site", type=Path)
    options.add_argument("--port", type=int, default=8000)
    arguments = options.parse_args()
    if not (arguments.folder / "index.html").exists():
        raise SystemExit(f"serve.py: {arguments.folder} holds no site; build it first with: make site")
    httpd = server(arguments.folder, arguments.port)
    host, port = httpd.server_address[:2]
    print(f"JupyterLab with the notebooks: http://{host}:{port}/lab/index.html", flush=True)
    print(f"The playground:                http://{host}:{port}/playground/index.html", flush=True)
    print("Ctrl-C stops the server.", flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
