"Every method family; importing this package registers them all."
from .basic import *
from .residual import *
from .temporal import *
from .qvg import *
from .spatial import *
from .retention import *
from .tensorcore import *
from .fp import *
