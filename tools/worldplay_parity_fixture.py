#!/usr/bin/env python
"""Build a tiny, seeded parity fixture from *upstream* HY-WorldPlay's WAN-5B transformer.

Usage:
    mkdir -p /tmp/worldplay && git -C /work/.mirror/Tencent-Hunyuan+HY-WorldPlay/repo archive HEAD wan hyvideo/prope | tar x -C /tmp/worldplay
    .venv/bin/python tools/worldplay_parity_fixture.py /tmp/worldplay data/parity/worldplay_wan5b_tiny.safetensors \\
        --mirror /work/.mirror/Tencent-Hunyuan+HY-WorldPlay/repo

HY-WorldPlay is under the Tencent HY-WorldPlay Community License (not for the EU, UK or South Korea): its code is only
*imported and run* here; nothing of it is copied into kvquant_nb. What runs is upstream's
``wan/models/dits/arwan_w_action_w_mem_relative_rope.py::WanTransformer3DModel`` (the model
``wan/inference/pipeline_wan_w_mem_relative_rope.py`` drives) after its own ``add_discrete_action_parameters()``, with
its ``CausalCameraPRopeWanAttnProcessor2_0`` and ``hyvideo/prope/camera_rope.py::prope_qkv``, CPU, float32, called the
way the pipeline calls it (per-frame timesteps flattened to ``[F]``, ``action`` ``[1, F]``, ``viewmats`` ``[1, F, 4, 4]``,
``Ks`` ``[1, F, 3, 3]``, ``current_start/current_end`` token offsets into the RoPE table of ``window_frames`` frames).

Three calls (tiny 5B layout: dim 128, 4 heads of 32, 2 layers, 48 latent channels, 4x6 latents -> 2x3 tokens a frame):
  a   chunk 0 without cache: 4 frames, RoPE frames 0..3                  -> out.a  [1, 48, 4, 4, 6]
  mem the cache pass over 3 recalled frames (``is_cache=True``, RoPE 0..2, upstream's relative re-indexing)
                                                                        -> kv.layer<l>.k/.v  [1, H, 3·6, 2·32]
  c   the next chunk attending over that cache (RoPE frames 3..6)        -> out.c
Saved: ``sd.<name>`` upstream's state dict, names exactly as upstream, bf16 (every weight was rounded to bf16 once, so
the float32 model upstream ran holds exactly these values; the zero-initialised PRoPE output projections and action
embedder are re-randomised so the test can fail); ``in.<call>.x/.t/.action/.viewmats/.Ks``, ``in.text``; outputs;
metadata ``config`` (constructor kwargs), ``calls`` (current_start/end, window_frames, is_cache), ``info`` (upstream
commit, versions, stubs).

Stubs (all outside the model's arithmetic): ``sageattention.sageattn`` (a CUDA kernel) by float32 SDPA (scale
head_dim**-0.5, as sageattn's default); ``distributed.communication_op``/``parallel_state`` (sequence parallel, unused
with WORLD_SIZE unset); ``torch.compile`` on the block forward by the identity while importing; the module's
``USE_PEFT_BACKEND`` set False (it only scales LoRA layers, of which there are none, and importing peft fails here).
"""
import argparse, json, os, platform, subprocess, sys, types
from unittest import mock

# 4 heads of 32: upstream's RoPE builds its table in parts [D - 4(D//6), 2(D//6), 2(D//6)] but slices it as
# [D - 2(D//3), D//3, D//3]; the two agree for the release's D = 128 and for 32, not for 64 (a diffusers 0.3x quirk).
CONFIG = dict(patch_size=(1, 2, 2), num_attention_heads=4, attention_head_dim=32, in_channels=48, out_channels=48,
              text_dim=32, freq_dim=32, ffn_dim=128, num_layers=2, cross_attn_norm=True,
              qk_norm="rms_norm_across_heads", eps=1e-6, rope_max_seq_len=1024)
LATENT, TEXT_LEN, WINDOW_FRAMES = (4, 6), 16, 16
STUBS = ["sageattention.sageattn -> F.scaled_dot_product_attention (float32)",
         "distributed.communication_op / distributed.parallel_state (sequence parallel, unused)",
         "torch.compile -> identity while importing (block forward)",
         "USE_PEFT_BACKEND -> False in the model's module (no LoRA layers; peft does not import with transformers 5)"]


def _stub(name, **attrs):
    m = types.ModuleType(name); m.__dict__.update(attrs); return m


def import_upstream(checkout):
    "Upstream's WanTransformer3DModel module, imported from `checkout` with the stubs the docstring lists."
    import torch
    import torch.nn.functional as F
    os.environ.pop("WORLD_SIZE", None)
    sys.path.insert(0, checkout)
    def sageattn(q, k, v, tensor_layout="HND", is_causal=False, **kw):
        assert tensor_layout == "HND" and not is_causal and not kw
        return F.scaled_dot_product_attention(q, k, v)
    fake = {"sageattention": _stub("sageattention", sageattn=sageattn),
            "distributed": _stub("distributed", __path__=[]),
            "distributed.communication_op": _stub("distributed.communication_op", all_to_all_sp=None,
                                                  sequence_model_parallel_all_gather=None),
            "distributed.parallel_state": _stub("distributed.parallel_state", get_sp_parallel_rank=lambda: 0,
                                                get_sp_world_size=lambda: 1)}
    import importlib.util
    with mock.patch.dict(sys.modules, fake), mock.patch.object(torch, "compile", lambda f=None, **kw: f):
        path = os.path.join(checkout, "wan", "models", "dits", "arwan_w_action_w_mem_relative_rope.py")
        spec = importlib.util.spec_from_file_location("worldplay_arwan", path)
        mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    return mod


def randomize(model, seed):
    "Seeded non-trivial weights, rounded to bf16 (`fixture_weights.seeded_weights`)."
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from fixture_weights import seeded_weights
    seeded_weights(model, seed)


def random_poses(n, g):
    "World-to-camera matrices of a jittered walk (random rotations, translations) and normalized intrinsics."
    import torch
    w2c = torch.zeros(1, n, 4, 4); w2c[..., 3, 3] = 1
    q, _ = torch.linalg.qr(torch.randn(n, 3, 3, generator=g))
    q = q * torch.sign(torch.linalg.det(q))[:, None, None]
    w2c[0, :, :3, :3], w2c[0, :, :3, 3] = q, torch.randn(n, 3, generator=g)
    Ks = torch.zeros(1, n, 3, 3); Ks[..., 2, 2] = 1; Ks[..., 0, 2] = Ks[..., 1, 2] = 0.5
    Ks[..., 0, 0] = 0.5 + 0.2 * torch.rand(n, generator=g); Ks[..., 1, 1] = 0.9 + 0.3 * torch.rand(n, generator=g)
    return w2c, Ks


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("checkout"); ap.add_argument("out")
    ap.add_argument("--mirror", help="git dir of Tencent-Hunyuan/HY-WorldPlay (names the commit)")
    ap.add_argument("--commit", default=None)
    a = ap.parse_args()
    import torch, diffusers, safetensors
    from safetensors.torch import save_file
    torch.manual_seed(0)
    up = import_upstream(a.checkout)
    model = up.WanTransformer3DModel(**CONFIG)
    model.add_discrete_action_parameters()
    randomize(model, 1)
    model = model.eval()        # float32 throughout (diffusers returns the RoPE tables, computed in float64, as float32;
                                # the pipeline's .to(dtype=torch.bfloat16) rounds them to bf16: see info.rope_tables)
    import copy
    bf16_rope = str(copy.deepcopy(model.rope).to(dtype=torch.bfloat16).freqs_cos.dtype)
    g = torch.Generator().manual_seed(2)
    H, W = LATENT; tpf = (H // 2) * (W // 2)
    text = torch.randn(1, TEXT_LEN, CONFIG["text_dim"], generator=g); text[:, 12:] = 0
    poses, Ks = random_poses(11, g)     # frames 0..10: 3 recalled (0, 2, 5), then two chunks of 4
    def call_inputs(frames, tvals):
        x = torch.randn(1, 48, len(frames), H, W, generator=g)
        act = torch.randint(0, 81, (1, len(frames)), generator=g).float()
        return dict(x=x, t=torch.tensor(tvals, dtype=torch.float32), action=act,
                    viewmats=poses[:, frames].clone(), Ks=Ks[:, frames].clone())
    calls = {"a": (call_inputs([0, 1, 2, 3], [937.5, 937.5, 812.0, 700.25]), 0, 4, False),
             "mem": (call_inputs([0, 2, 5], [0.0, 0.0, 0.0]), 0, 3, True),
             "c": (call_inputs([7, 8, 9, 10], [750.0, 750.0, 750.0, 750.0]), 3, 7, False)}
    tensors = {f"sd.{k}": v.detach().bfloat16().contiguous() for k, v in model.state_dict().items()}
    tensors["in.text"] = text
    meta_calls, kv = {}, None
    # no LoRA layers: scale_lora_layers would only import peft (broken on transformers 5)
    with torch.no_grad(), mock.patch.object(up, "USE_PEFT_BACKEND", False):
        for name, (inp, f0, f1, is_cache) in calls.items():
            for k, v in inp.items(): tensors[f"in.{name}.{k}"] = v.contiguous()
            cache = kv if (name == "c") else [{"k": None, "v": None} for _ in range(CONFIG["num_layers"])]
            out = model(hidden_states=inp["x"], timestep=inp["t"], encoder_hidden_states=text, return_dict=False,
                        current_start=f0 * tpf, current_end=f1 * tpf, kv_cache=cache, is_cache=is_cache,
                        window_frames=WINDOW_FRAMES, viewmats=inp["viewmats"], Ks=inp["Ks"], action=inp["action"])
            meta_calls[name] = dict(current_start=f0 * tpf, current_end=f1 * tpf, rope_frames=[f0, f1],
                                    window_frames=WINDOW_FRAMES, is_cache=is_cache,
                                    kv_cache="kv (from mem)" if name == "c" else "empty")
            if is_cache:
                kv = out
                for l in range(CONFIG["num_layers"]):
                    tensors[f"kv.layer{l}.k"], tensors[f"kv.layer{l}.v"] = out[l]["k"].contiguous(), out[l]["v"].contiguous()
            else: tensors[f"out.{name}"] = out[0].contiguous()
    commit = a.commit or (subprocess.run(["git", "-C", a.mirror, "rev-parse", "HEAD"], capture_output=True, text=True,
                                         check=True).stdout.strip() if a.mirror else "unknown")
    info = dict(upstream="Tencent-Hunyuan/HY-WorldPlay", commit=commit,
                model="wan/models/dits/arwan_w_action_w_mem_relative_rope.py::WanTransformer3DModel "
                      "+ add_discrete_action_parameters()",
                torch=torch.__version__, diffusers=diffusers.__version__, safetensors=safetensors.__version__,
                python=platform.python_version(), stubs=STUBS, dtype="float32 (weights bf16-rounded)",
                rope_tables=f"{model.rope.freqs_cos.dtype} here; {bf16_rope} after the .to(dtype=torch.bfloat16) "
                            "wan/generate.py applies to the transformer",
                latent=list(LATENT), tokens_per_frame=tpf, text_len=TEXT_LEN,
                kv_layout="[B, heads, tokens, 2*head_dim]: RoPE'd K (plain V) in [..., :head_dim], PRoPE'd K/V in [..., head_dim:]")
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    save_file(tensors, a.out, metadata=dict(config=json.dumps(CONFIG), calls=json.dumps(meta_calls), info=json.dumps(info)))
    print(a.out, f"{os.path.getsize(a.out) / 1e6:.2f} MB", {k: tuple(v.shape) for k, v in tensors.items() if not k.startswith("sd.")})


if __name__ == "__main__":
    main()
