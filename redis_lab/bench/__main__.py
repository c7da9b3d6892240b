"""python -m redis_lab.bench"""

import sys

from . import main

sys.exit(main())
