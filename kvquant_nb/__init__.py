__version__ = "0.1.0"
"""kvquant_nb: KV-cache compression for causal video diffusion. Light modules load eagerly; the model,
pipeline, metrics and explorer load on first use, so `import kvquant_nb` needs only torch."""
import importlib
from .core import *
from . import methods
from .methods.basic import *

# name -> module, for lazy attribute access (kq.SelfForcingPipeline, kq.psnr, ...)
_LAZY = {}

def _lazy(module:str, *names):
    for n in names: _LAZY[n] = module

def __getattr__(name):
    if name in _LAZY:
        return getattr(importlib.import_module(f'{__name__}.{_LAZY[name]}'), name)
    raise AttributeError(f"module 'kvquant_nb' has no attribute {name!r}")
