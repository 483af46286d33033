__version__ = "0.1.0"
"""kvquant_nb: KV-cache compression for causal video diffusion. Every module loads on first use
(`kq.make_method`, `kq.SelfForcingPipeline`, `kq.plan`, ...), so `import kvquant_nb` costs nothing and
`kvquant plan` answers without importing torch; the method families register on the first lookup."""
import importlib

# Top-level names are looked up in each module's __all__, in this order; the method families load first so that
# every id is registered. A module that does not exist yet is skipped.
_LAZY_MODULES = ('methods', 'core', 'methods.basic', 'cache', 'attention', 'kernels', 'fused', 'decode', 'sage', 'kv_hook', 'model', 'longcat', 'wan22', 'worldplay', 'loading', 'shots', 'memory', 'cameras', 'text', 'video', 'pipeline', 'toy_pipeline', 'longcat_pipeline', 'longlive', 'world_memory', 'worldplay_pipeline',
                 'toyworld', 'planner', 'metrics', 'dataset', 'sweep', 'explore')

def __getattr__(name):
    if name.startswith('__'): raise AttributeError(name)
    for mod in _LAZY_MODULES:
        try: m = importlib.import_module(f'{__name__}.{mod}')
        except ModuleNotFoundError as e:
            if e.name == f'{__name__}.{mod}': continue
            raise
        if name in getattr(m, '__all__', ()): return getattr(m, name)
        if name in globals(): return globals()[name]          # a submodule that the import just bound (kq.methods)
    raise AttributeError(f"module 'kvquant_nb' has no attribute {name!r}")
