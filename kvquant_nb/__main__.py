"`python -m kvquant_nb ...` is the `kvquant` console script (hand-written: nbdev exports no `__main__`)."
import sys
from kvquant_nb.cli import console

if __name__ == '__main__': sys.exit(console())
