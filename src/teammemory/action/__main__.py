"""`python -m teammemory.action`: what action.yml runs (see teammemory.action.run)."""

import sys

from teammemory.action.run import main

sys.exit(main())
