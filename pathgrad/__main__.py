"""`python -m pathgrad`: the same as the `pathgrad` command."""

from pathgrad.cli import main

raise SystemExit(main())
