"""python -m redis_lab"""

from .cli import main

main()
