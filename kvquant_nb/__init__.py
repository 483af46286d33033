__version__ = "0.1.0"
"""kvquant_nb: KV-cache compression for causal video diffusion. Light modules load eagerly; the model,
pipeline, metrics and explorer load on first use, so `import kvquant_nb` needs only torch."""
import importlib
from .core import *
from . import methods
from .methods.basic import *

# Heavier modules load on first use: `kq.SelfForcingPipeline`, `kq.psnr`, ... look the name up in each module's
# __all__, in this order. A module that does not exist yet is skipped.
_LAZY_MODULES = ('cache', 'attention', 'fused', 'model', 'loading', 'pipeline', 'toyworld', 'metrics', 'dataset', 'sweep', 'explore',
                 'bench')

def __getattr__(name):
    if name.startswith('__'): raise AttributeError(name)
    for mod in _LAZY_MODULES:
        try: m = importlib.import_module(f'{__name__}.{mod}')
        except ModuleNotFoundError as e:
            if e.name == f'{__name__}.{mod}': continue
            raise
        if name in getattr(m, '__all__', ()): return getattr(m, name)
    raise AttributeError(f"module 'kvquant_nb' has no attribute {name!r}")
