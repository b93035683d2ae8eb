from __future__ import annotations

from baton.cli import main

raise SystemExit(main())
