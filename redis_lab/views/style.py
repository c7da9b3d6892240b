"""The views' colours, as rich style strings (no rich import: plain text until rendered).

One meaning, one style, everywhere: an ID is always cyan, a consumer or client always magenta,
something to act on yellow, something lost red.
"""

TITLE = "bold"
BORDER = "grey50"
LABEL = "grey62"
ID = "cyan"
TIME = "grey62"
FIELD = "green"
VALUE = "default"
CONSUMER = "magenta"
CLIENT = "magenta"
GROUP = "bold blue"
CHANNEL = "bold cyan"
PATTERN = "cyan"
COUNT = "bold"
ARROW = "grey50"
DIM = "grey50"
NOTE = "italic grey62"

CLAIMABLE = "yellow"
POISON = "bold red"
DELETED = "red"
STUCK = "yellow"
OVERLOADED = "bold yellow"
LOST = "bold red"
GOOD = "green"
RECEIVED = "bold green"

BAR_LAG = "yellow"
BAR_PENDING = "magenta"
BAR_IDLE = "grey50"

EXPLAIN = "italic cyan"
MESSAGE = "default"
ERROR = "bold red"
