"""``python -m cli``: what ``bin/garanti`` runs."""

from cli.main import main

raise SystemExit(main())
