#!/usr/bin/env python
"""Build tiny, seeded parity fixtures from *upstream* LongLive 2.0 (NVlabs/LongLive, Apache-2.0).

Usage:
    mkdir /tmp/longlive && git -C /work/.mirror/NVlabs+LongLive/repo archive HEAD | tar x -C /tmp/longlive
    .venv/bin/python tools/longlive_parity_fixture.py /tmp/longlive data/parity/longlive_5b_tiny.safetensors \\
        --nvfp4 data/parity/longlive_nvfp4.safetensors

The NVFP4 parts (``--nvfp4`` and the quantized-cache runs in the model fixture) need LongLive's vendored
``fouroversix`` importable; on a machine without nvcc install it without its CUDA kernels (its PyTorch reference
backend is all this script uses):
    SKIP_CUDA_BUILD=1 FORCE_BUILD=1 pip install --no-build-isolation --no-deps --target /tmp/fos /tmp/longlive/fouroversix
    PYTHONPATH=/tmp/fos python tools/longlive_parity_fixture.py ...
Without it, ``--no-quant`` writes the float32 model fixture alone. Everything runs on the CPU in float32, in this
project's environment (torch 2.14, diffusers 0.42, transformers 5; upstream pins diffusers 0.31, transformers < 5),
in about ten seconds.
Upstream code is only *imported and run* here; nothing from it is copied into kvquant_nb.

Model fixture (one safetensors file):
  sd.<name>              upstream ``CausalWanModel`` state dict, names exactly as upstream (bf16: every weight is
                         rounded to bf16 once, so the float32 model upstream runs holds exactly these values)
  in.text<j>             text embeddings [1, text_len, text_dim] of prompt j (trailing tokens zero, as upstream's
                         text encoder pads)
  in.call<i>.x           latents of generator call i, [B, C, F, H, W] (upstream passes [B, F, C, H, W])
  in.call<i>.t           its timesteps [B, F]
  out.call<i>            its flow prediction [B, C, F, H, W] (noisy calls only; the pipeline drops the recache's)
  out.latents            the pipeline's result (UniPC, shift 5) [B, C, F, H, W]; its noise is what the first call
                         of each block gets (in.call0.x, in.call3.x, ...)
  in.nvfp4.call<i>.x/.t, out.nvfp4.call<i>, out.nvfp4_nosmooth.call<i>
                         LongLive's NVFP4 KV cache (``kv_quant``, scale rule mse) with the same weights read as 1 head
                         of 128 (its quantized cache hard-codes head_dim 128 and needs cache blocks of a multiple of
                         128 rows: 8 frames of 8x8 latents): block 0 noisy, its recache, block 1 noisy (inputs bf16);
                         ``nosmooth``: the same with ``utils.quant.k_smooth`` replaced by the identity
  kv.after<b>.layer<l>.k/.v   upstream's own kv_cache buffers after the recache of the first and the last block
                         (b = 0, 3), filled part [B, tokens, H, D] (keys after RoPE, as upstream caches them)
  metadata: config (constructor kwargs), run (pipeline settings), calls (one row per generator call: current_start,
  frame_start, recache, text, t0, rope_temporal_offset, pinned [start, len] in tokens after the call, output key), info (versions, upstream commit, stubs, the window settings
  inference() applied, the NVFP4 runs' config and calls)

Scene-cut fixture (``--shots OUT``; shipped as ``data/parity/longlive_shots_tiny.safetensors``): the same float32 run over 6 blocks with LongLive's scene-cut
prefix on block 2's prompt (``multi_shot_sink`` and ``multi_shot_rope_offset`` 8 as its release config: RoPE shifted
8 frames from the cut, the cut's block pinned as the shot's sink); in.call*/out.call*/kv.after{1..5}.*, weights and
texts those of the model fixture.

NVFP4 fixture (``--nvfp4``): seeded BF16 K/V with outlier channels, offsets, a per-token spread and spikes, each
coded as LongLive codes one cache block: ``quantize_to_fp4(x[0].reshape(-1, 128), LongLiveQuantizationConfig(
scale_rule=RULE, backend='pytorch', type='kv'))`` (its config's backend is 'cuda', a Blackwell kernel; 'pytorch' is
fouroversix's reference, which its tests hold the kernels to: exactly under static_6, under mse to < 0.1% mismatches). Per case and rule: ``<case>.<rule>.codes`` (packed
E2M1 [R, 64]), ``.scales`` (E4M3 bytes [R, 8], un-swizzled with fouroversix's ``from_blocked``), ``.amax``,
``.deq`` (``QuantizedTensor.dequantize(float32)``); inputs ``in.<case>``: ``k``, ``v`` [1, 32, 4, 128],
``k_small`` [1, 20, 3, 128] (60 rows: fouroversix pads to 128), ``k_centred`` (upstream's ``k_smooth`` of ``k``).
The metadata also gives, per case of a multiple of 128 rows, how far ``utils.quant.dequantize_kv_cache`` (the
model's path; its Triton kernel replaced by a CPU equivalent: code x scale x global scale) is from ``.deq``.

Stubs (all outside the model's arithmetic): ``ftfy`` and ``omegaconf`` (tokenizer / config loading, unused here),
``transformers ... x_clip_loss`` (an unused import that transformers 5 dropped), the bare ``pipeline`` package (its
``__init__`` imports the training pipeline). Kernels replaced: ``causal_model.attention`` / ``flash_attention``
(flash-attn; upstream's SDPA fallback casts to bf16) by float32 SDPA with scale head_dim**-0.5; the Triton RoPE and
adaLN kernels are switched off with upstream's own switches (LLV2_TRITON_ROPE=0, LLV2_TRITON_ADALN=0 -> its fp64
complex RoPE and eager LayerNorm); ``utils.quant.fp4_dequantize`` (PTX) by a CPU equivalent.
"""
import argparse
import contextlib
import importlib.machinery
import json
import os
import subprocess
import sys
import types
from unittest import mock

MIRROR = "/work/.mirror/NVlabs+LongLive/repo"
ENV = {"LLV2_TRITON_ROPE": "0", "LLV2_TRITON_ADALN": "0", "LLV2_FREQS_I_CACHE": "0"}   # upstream's own switches:
                                                         # eager fp64 RoPE, eager adaLN, no freqs cache (read at import)
CONFIG = dict(model_type="ti2v", patch_size=(1, 2, 2), text_len=16, in_dim=48, dim=128, ffn_dim=128, freq_dim=32,
              text_dim=32, out_dim=48, num_heads=2, num_layers=2, qk_norm=True, cross_attn_norm=True, eps=1e-6)
RUN = dict(model_name="tiny-5B", num_frame_per_block=8, local_attn_size=24, sink_size=8, timestep_shift=5.0,
           sampling_steps=2, latent=(4, 4), blocks=4, multi_shot_sink=True, multi_shot_rope_offset=8.0)


def _stub(name, **attrs):
    m = types.ModuleType(name)
    m.__spec__ = importlib.machinery.ModuleSpec(name, None)
    m.__dict__.update(attrs)
    return m


def _import_upstream(checkout, patches):
    "Import upstream's modules with the stubs the docstring lists (all scoped by `patches`, an ExitStack)."
    sys.path.insert(0, checkout)
    patches.enter_context(mock.patch.dict(os.environ, ENV))
    import diffusers  # noqa: F401  (before the ftfy stub: diffusers probes ftfy's spec at import)
    import transformers.models.x_clip.modeling_x_clip as xc
    stubbed, fake = [], {}
    if not hasattr(xc, "x_clip_loss"):
        patches.enter_context(mock.patch.object(xc, "x_clip_loss", None, create=True)); stubbed.append("transformers x_clip_loss")
    for name, attrs in (("ftfy", {}), ("omegaconf", {"OmegaConf": None})):
        try: __import__(name)
        except ImportError: fake[name] = _stub(name, **attrs); stubbed.append(name)
    fake["pipeline"] = _stub("pipeline", __path__=[os.path.join(checkout, "pipeline")]); stubbed.append("pipeline/__init__")
    patches.enter_context(mock.patch.dict(sys.modules, fake))
    import torch.nn.functional as F
    import wan_5b.modules.causal_model as cm
    import utils.wan_5b_wrapper as ww
    import pipeline.causal_diffusion_inference as cdi

    def sdpa(q, k, v, *args, **kwargs):     # [B, L, N, D] in and out, as flash_attention / attention
        assert kwargs.get("q_lens") is None and kwargs.get("k_lens") is None and not kwargs.get("causal", False)
        o = F.scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2))
        return o.transpose(1, 2).type_as(q)
    for name in ("attention", "flash_attention"): patches.enter_context(mock.patch.object(cm, name, sdpa))
    return cm, ww, cdi, stubbed


def _fp4_dequantize_cpu(packed, scales_2d, global_scale, block_size=16, tile_size=128, dtype=None):
    "CPU stand-in for utils.nvfp4_kernel.fp4_dequantize (PTX): e2m1 code x its E4M3 block scale x the global scale."
    import torch
    from fouroversix.quantize.quantized_tensor import unpack_packed_fp4
    vals = unpack_packed_fp4(packed).float()
    out = vals * scales_2d.float().repeat_interleave(block_size, -1) * global_scale.float()
    return out.to(dtype or torch.get_default_dtype())


def _randomize(model, seed):
    "Seeded non-trivial weights, rounded to bf16 (`fixture_weights.seeded_weights`)."
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from fixture_weights import seeded_weights
    seeded_weights(model, seed)


class _Cfg(dict):
    "The attribute-and-key access upstream's OmegaConf config gives (missing attributes raise AttributeError)."
    def __getattr__(self, k):
        try: return self[k]
        except KeyError: raise AttributeError(k) from None


class _TextEncoder:
    "Stands in for WanTextEncoder: each prompt string -> its fixed embedding [text_len, text_dim]."
    def __init__(self, table): self.table = table
    def __call__(self, text_prompts): return {"prompt_embeds": __import__("torch").stack([self.table[p] for p in text_prompts])}


def _pipeline(cm, ww, cdi, patches, sd, config, text_table, *, kv_quant=False, latent=RUN["latent"], blocks=RUN["blocks"]):
    "Upstream's wrapper and inference pipeline around a tiny CausalWanModel holding `sd` (from_pretrained patched)."
    made = {}

    def from_pretrained(cls, path, **kw):
        made["kwargs"] = kw
        m = cls(**{**config, **kw}).float()
        m.load_state_dict(sd, strict=True)
        return m
    heads = config["num_heads"]
    patches.enter_context(mock.patch.dict(cdi.wan_default_config, {RUN["model_name"]: dict(
        num_heads=heads, head_dim=config["dim"] // heads, num_transformer_blocks=config["num_layers"])}))
    mk = _Cfg(model_name=RUN["model_name"], timestep_shift=RUN["timestep_shift"],
              num_frame_per_block=RUN["num_frame_per_block"], local_attn_size=RUN["local_attn_size"])
    with mock.patch.object(cm.CausalWanModel, "from_pretrained", classmethod(from_pretrained)):
        gen = ww.WanDiffusionWrapper(**mk, is_causal=True)
    F_ = blocks * RUN["num_frame_per_block"]
    args = _Cfg(model_kwargs=mk, num_frame_per_block=RUN["num_frame_per_block"],
                image_or_video_shape=[1, F_, config["in_dim"], *latent],
                kv_quant=kv_quant, kv_quant_scale_rule="mse", kv_quant_backend="pytorch",
                inference=_Cfg(sampling_steps=RUN["sampling_steps"], sink_size=RUN["sink_size"], guidance_scale=1.0,
                               multi_shot_sink=RUN["multi_shot_sink"],
                               multi_shot_rope_offset=RUN["multi_shot_rope_offset"]))
    pipe = cdi.CausalDiffusionInferencePipeline(args, device="cpu", generator=gen, text_encoder=_TextEncoder(text_table),
                                                vae=object())
    return pipe, made["kwargs"]


def _record(pipe, calls, snapshots, fs, B):
    "Forward hook on the generator: each call's inputs and flow prediction; the cache after each recache."
    def hook(mod, args, kwargs, output):
        t = kwargs["timestep"]
        row = dict(current_start=int(kwargs["current_start"]), cache_start=int(kwargs["cache_start"]),
                   recache=bool((t == 0).all()),
                   x=kwargs["noisy_image_or_video"].detach().clone(), t=t.detach().clone(),
                   cd=kwargs["conditional_dict"], out=output[0].detach().clone(),
                   rope_temporal_offset=float(pipe._dit_model.rope_temporal_offset),
                   pinned=[int(pipe.kv_cache_pos[0][k]) for k in ("pinned_start", "pinned_len")])
        calls.append(row)
        if len(calls) == 1:                                  # the settings inference() applies (restored after it)
            a = pipe._dit_model.blocks[0].self_attn
            calls[0]["settings"] = dict(max_attention_size=int(a.max_attention_size), sink_size=int(a.sink_size),
                                        global_sink_size=int(a.global_sink_size), local_attn_size=int(pipe._dit_model.local_attn_size))
        if row["recache"]:
            b = row["current_start"] // (fs * RUN["num_frame_per_block"])
            cache = pipe.kv_cache_pos
            end = int(cache[0]["local_end_index"])
            for l, c in enumerate(cache):
                if not c.get("quantized", False):
                    snapshots[f"kv.after{b}.layer{l}.k"] = c["k"][:B, :end].detach().clone()
                    snapshots[f"kv.after{b}.layer{l}.v"] = c["v"][:B, :end].detach().clone()
    return pipe.generator.register_forward_hook(hook, with_kwargs=True)


def _replay(pipe, recorded):
    "An _inference_inner that makes the recorded generator calls again, in order, on this pipeline's caches."
    def inner(**kw):
        for r in recorded:
            pipe.generator(noisy_image_or_video=r["x"], conditional_dict=r["cd"], timestep=r["t"],
                           kv_cache=pipe.kv_cache_pos, crossattn_cache=pipe.crossattn_cache_pos,
                           current_start=r["current_start"], cache_start=r["cache_start"])
        return None
    return inner


def model_fixture(cm, ww, cdi, patches, quant=True, with_shots=False):
    import torch
    torch.manual_seed(0)
    model = cm.CausalWanModel(**CONFIG).float().eval()
    _randomize(model, 1)
    sd = {k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}
    gi = torch.Generator().manual_seed(2)
    L, Ltxt = CONFIG["text_len"], 10                               # 10 real tokens, 6 zero pads
    texts = [torch.cat([torch.randn(Ltxt, CONFIG["text_dim"], generator=gi), torch.zeros(L - Ltxt, CONFIG["text_dim"])])
             for _ in range(2)]
    prompts = ["a red fox runs through snow", "the fox stops and looks back"]   # blocks 0-1, then 2-3 (no scene cut)
    table = dict(zip(prompts, texts))
    nb, fpb = RUN["blocks"], RUN["num_frame_per_block"]
    B = 1
    noise = torch.randn(B, nb * fpb, CONFIG["in_dim"], *RUN["latent"], generator=gi)
    text_prompts = [[prompts[0]] * 2 + [prompts[1]] * 2]

    # (1) float32 cache: upstream's inference() with its own _inference_inner, every generator call recorded
    tensors = {f"sd.{k}": v.bfloat16().contiguous() for k, v in sd.items()}
    tensors.update({f"in.text{j}": t[None].contiguous() for j, t in enumerate(texts)})
    part, rows, info = _float_run(cm, ww, cdi, patches, sd, table, texts, noise, text_prompts, keep=(0, nb - 1))
    tensors.update(part)
    shots = None
    if with_shots:      # the same with a scene cut at block 2: multi-shot RoPE offset and the pinned shot sink
        scene = cdi.DEFAULT_SCENE_CUT_PREFIX + prompts[1]                    # "The scene transitions. ..."
        cut = [[prompts[0]] * 2 + [scene] + [prompts[1]] * 3]                 # 6 blocks: the pin outlives 2 rolls
        noise6 = torch.cat([noise, torch.randn(B, 2 * fpb, *noise.shape[2:], generator=torch.Generator().manual_seed(4))], 1)
        shots = _float_run(cm, ww, cdi, patches, sd, {**table, scene: texts[1]}, texts, noise6, cut, keep=range(1, 6))
    # (2) NVFP4 cache (kv_quant): the weights read as 1 head of 128 (upstream's quantized cache hard-codes head_dim
    # 128 and needs a cache block of a multiple of 128 rows: 8 frames of 8x8 latents); block 0 noisy, its recache,
    # block 1 noisy, in the pipeline's call pattern; k_smooth as is and replaced by the identity
    if quant:
        import utils.quant as uq
        patches.enter_context(mock.patch.object(uq, "fp4_dequantize", _fp4_dequantize_cpu))
        qconfig, qlatent = dict(CONFIG, num_heads=1), (8, 8)
        xs = [torch.randn(B, fpb, CONFIG["in_dim"], *qlatent, generator=gi).bfloat16().float() for _ in range(3)]
        ts = [torch.full((B, fpb), v) for v in (999.0, 0.0, 999.0)]
        qfs = qlatent[0] * qlatent[1] // 4
        plan = [dict(x=xs[0], t=ts[0], current_start=0), dict(x=xs[1], t=ts[1], current_start=0),
                dict(x=xs[2], t=ts[2], current_start=fpb * qfs)]
        for tag, smooth in (("nvfp4", uq.k_smooth), ("nvfp4_nosmooth", lambda k: k)):
            qpipe, _ = _pipeline(cm, ww, cdi, patches, sd, qconfig, table, kv_quant=True, latent=qlatent, blocks=2)
            cd = {"prompt_embeds": texts[0][None]}
            qpipe._inference_inner = _replay(qpipe, [dict(p, cache_start=p["current_start"], cd=cd) for p in plan])
            qcalls = []
            h = _record(qpipe, qcalls, {}, qfs, B)
            with torch.no_grad(), mock.patch.object(uq, "k_smooth", smooth):
                qpipe.inference(torch.zeros(B, 2 * fpb, CONFIG["in_dim"], *qlatent), text_prompts=[[prompts[0]] * 2],
                                return_latents=True)
            h.remove()
            assert qpipe.kv_cache_pos[0]["quantized"] and len(qcalls) == 3
            for i, q in enumerate(qcalls):
                if not q["recache"]: tensors[f"out.{tag}.call{i}"] = q["out"].permute(0, 2, 1, 3, 4).contiguous()
        for i, p in enumerate(plan):
            tensors[f"in.nvfp4.call{i}.x"] = p["x"].permute(0, 2, 1, 3, 4).bfloat16().contiguous()
            tensors[f"in.nvfp4.call{i}.t"] = p["t"]
        info["nvfp4"] = dict(config=qconfig, latent=qlatent, frame_seq_length=qfs, text=0,
                             calls=[dict(current_start=p["current_start"], frame_start=p["current_start"] // qfs,
                                         recache=bool((p["t"] == 0).all())) for p in plan],
                             kv_quant_scale_rule="mse", kv_quant_backend="pytorch (fouroversix reference)",
                             cache_block_rows=fpb * qfs, inputs="in.nvfp4.call<i>.x: bf16 (exact), [B, C, F, H, W]")
    return tensors, rows, info, shots


def _float_run(cm, ww, cdi, patches, sd, table, texts, noise, text_prompts, keep):
    "Upstream's inference() over `noise` in float32, every generator call recorded; K/V buffers after blocks `keep`."
    import torch
    pipe, from_kw = _pipeline(cm, ww, cdi, patches, sd, CONFIG, table)
    fs, B = pipe.frame_seq_length, noise.shape[0]
    calls, snaps = [], {}
    h = _record(pipe, calls, snaps, fs, B)
    with torch.no_grad():
        latents = pipe.inference(noise, text_prompts=text_prompts, return_latents=True)
    h.remove()
    tensors, rows = {"out.latents": latents.permute(0, 2, 1, 3, 4).contiguous()}, []
    for i, r in enumerate(calls):        # which prompt a call's embeddings are (views made inside inference())
        text = next(j for j, t in enumerate(texts) if torch.equal(r["cd"]["prompt_embeds"][0], t))
        tensors[f"in.call{i}.x"] = r["x"].permute(0, 2, 1, 3, 4).contiguous()
        tensors[f"in.call{i}.t"] = r["t"].contiguous()
        row = dict(current_start=r["current_start"], frame_start=r["current_start"] // fs, recache=r["recache"],
                   text=text, t0=float(r["t"][0, 0]), rope_temporal_offset=r["rope_temporal_offset"], pinned=r["pinned"])
        if not r["recache"]:
            tensors[f"out.call{i}"] = r["out"].permute(0, 2, 1, 3, 4).contiguous(); row["out"] = f"out.call{i}"
        rows.append(row)
    tensors.update({k: v.contiguous() for k, v in snaps.items() if int(k.split(".")[1][5:]) in keep})
    info = dict(from_pretrained_kwargs=from_kw, frame_seq_length=fs, kv_cache_tokens=int(pipe.kv_cache_pos[0]["k"].shape[1]),
                settings_during_inference=calls[0]["settings"], text_prompts=text_prompts,
                final_local_end_index=int(pipe.kv_cache_pos[0]["local_end_index"]),
                final_global_end_index=int(pipe.kv_cache_pos[0]["global_end_index"]),
                sampler="the pipeline's own FlowUniPCMultistepScheduler (shift 5); out.latents is its result from the noise "
                        "that the first call of each block gets")
    return tensors, rows, info


def _kv_cases():
    "Seeded BF16 K/V [1, tokens, heads, 128]: outlier channels, channel offsets, a per-token spread, spikes."
    import torch
    g = torch.Generator().manual_seed(3)

    def make(T, H, key):
        x = torch.randn(1, T, H, 128, generator=g) * (0.5 + 1.5 * torch.rand(1, T, 1, 1, generator=g))
        if key:
            x = x + 0.8 * torch.randn(1, 1, H, 128, generator=g)                      # channel offsets
            ch = torch.randperm(128, generator=g)[:6]
            x[..., ch] *= 8 + 8 * torch.rand(6, generator=g)                             # outlier channels
        spikes = torch.randint(0, T, (3,), generator=g)
        x[:, spikes] *= 6                                                                # spiky tokens
        return x.bfloat16()
    return {"k": make(32, 4, True), "v": make(32, 4, False), "k_small": make(20, 3, True)}


def nvfp4_fixture(patches):
    import torch
    import utils.quant as uq
    from fouroversix import quantize_to_fp4
    from fouroversix.quantize.quantized_tensor import from_blocked
    patches.enter_context(mock.patch.object(uq, "fp4_dequantize", _fp4_dequantize_cpu))
    cases = _kv_cases()
    cases["k_centred"] = uq.k_smooth(cases["k"])          # what LongLive attends with for the current chunk's keys
    tensors = {f"in.{k}": v for k, v in cases.items()}
    meta = {}
    for name, x in cases.items():
        _, T, H, D = x.shape
        for rule in ("mse", "static_6"):
            cfg = uq.LongLiveQuantizationConfig(scale_rule=rule, backend="pytorch", type="kv")
            qt = quantize_to_fp4(x[0].reshape(-1, D).contiguous(), cfg)       # as _apply_cache_updates codes a block
            R = T * H
            scales = from_blocked(qt.scale_factors, (qt.padded_shape[0], qt.padded_shape[1] // 16))[:R]
            p = f"{name}.{rule}"
            tensors[f"{p}.codes"] = qt.values[:R].contiguous()
            tensors[f"{p}.scales"] = scales.contiguous().view(torch.uint8)
            tensors[f"{p}.amax"] = qt.amax.reshape(1).float()
            tensors[f"{p}.deq"] = qt.dequantize(torch.float32).contiguous()
            meta[p] = dict(shape=list(x.shape), rows=R, padded_shape=list(qt.padded_shape), scale_rule=str(qt.scale_rule.value))
            if R % 128 == 0:    # dequantize_kv_cache views the padded rows as the block: a multiple of 128 only
                dc = uq.dequantize_kv_cache([qt], 1, H, T, torch.float32, "cpu").reshape(R, D)
                meta[p]["deq_cache_vs_deq_max_abs"] = float((dc - tensors[f"{p}.deq"]).abs().max())
                meta[p]["deq_max_abs"] = float(tensors[f"{p}.deq"].abs().max())
    return tensors, meta


def _commit():
    try: return subprocess.check_output(["git", "-C", MIRROR, "rev-parse", "HEAD"], text=True).strip()
    except Exception: return None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("checkout"); ap.add_argument("out")
    ap.add_argument("--nvfp4", metavar="OUT", help="also write the NVFP4 quantizer fixture here")
    ap.add_argument("--no-quant", action="store_true", help="skip the NVFP4 cache runs (no fouroversix needed)")
    ap.add_argument("--shots", metavar="OUT", help="also write the scene-cut run (multi-shot RoPE offset, pinned sink) here")
    a = ap.parse_args()
    import torch
    from safetensors.torch import save_file
    import diffusers
    with contextlib.ExitStack() as patches:
        cm, ww, cdi, stubbed = _import_upstream(os.path.abspath(a.checkout), patches)
        tensors, rows, info, shots = model_fixture(cm, ww, cdi, patches, quant=not a.no_quant, with_shots=bool(a.shots))
        info.update(upstream_commit=_commit(), torch=torch.__version__, diffusers=diffusers.__version__, stubbed=stubbed,
                    attention="float32 SDPA for causal_model.attention / flash_attention (scale head_dim**-0.5)", env=ENV,
                    layouts="in.call*.x / out.*: [B, C, F, H, W]; kv.*: [B, tokens, heads, head_dim], keys after RoPE",
                    n_params=int(sum(v.numel() for k, v in tensors.items() if k.startswith("sd."))))
        meta = {"config": json.dumps(CONFIG), "run": json.dumps(RUN), "calls": json.dumps(rows), "info": json.dumps(info)}
        save_file(tensors, a.out, metadata=meta)
        print(json.dumps(info, indent=1)); print(json.dumps(rows, indent=None))
        print(f"saved {a.out}: {os.path.getsize(a.out)} bytes")
        if a.shots:
            st, srows, sinfo = shots
            sinfo.update(upstream_commit=info["upstream_commit"], weights=f"sd.* of {a.out}; in.text* too")
            save_file(st, a.shots, metadata={"config": json.dumps(CONFIG), "run": json.dumps(RUN), "calls": json.dumps(srows),
                                             "info": json.dumps(sinfo)})
            print(json.dumps(srows, indent=None)); print(f"saved {a.shots}: {os.path.getsize(a.shots)} bytes")
        if a.nvfp4:
            nt, nm = nvfp4_fixture(patches)
            import fouroversix
            ninfo = dict(upstream_commit=_commit(), fouroversix=fouroversix.__version__, torch=torch.__version__, cases=nm,
                         call="quantize_to_fp4(x[0].reshape(-1, 128), LongLiveQuantizationConfig(scale_rule, backend='pytorch', type='kv'))")
            save_file({k: v.contiguous() for k, v in nt.items()}, a.nvfp4, metadata={"info": json.dumps(ninfo)})
            print(f"saved {a.nvfp4}: {os.path.getsize(a.nvfp4)} bytes")


if __name__ == "__main__":
    main()
