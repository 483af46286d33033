"Every method family; importing this package registers them all."
from .basic import *
