#!/usr/bin/env python
"""Build a tiny, seeded parity fixture from the *upstream* LongCat-Video DiT.

Usage:
    python tools/longcat_parity_fixture.py /path/to/extracted/checkout data/parity/longcat_dit_tiny.safetensors

The checkout must contain ``longcat_video/`` (e.g. produced by
``git -C <mirror> archive HEAD longcat_video | tar x -C /tmp/longcat``).
Upstream code is only *imported and run* here; nothing from it is copied.

What is saved (all float32 unless noted, single safetensors file):
  sd.<name>                 upstream state_dict (names exactly as upstream)
  in.<name>                 inputs of every call
  out.<name>                outputs of every call
  kv.block<i>.k / .v        conditioning KV cache returned by upstream (return_kv=True)
  metadata["config"]        JSON of the constructor kwargs
  metadata["calls"]         JSON describing each call (which inputs/flags -> which output)
  metadata["info"]          JSON with versions, upstream commit (if known), self-checks

Attention backends: upstream only implements flash-attn-3 / flash-attn-2 /
xformers / BSA (anything else raises RuntimeError), so this script replaces
``Attention._process_attn`` and ``MultiHeadCrossAttention._process_cross_attn``
with torch SDPA equivalents (same softmax scale = head_dim**-0.5, varlen text
packing emulated with a per-sample loop).
"""
import json
import math
import os
import subprocess
import sys
import types


def _install_bsa_stub_if_needed():
    """bsa_interface imports triton at module import; stub it if triton is absent."""
    try:
        import triton  # noqa: F401
        return False
    except Exception:
        pass
    name = "longcat_video.block_sparse_attention.bsa_interface"
    mod = types.ModuleType(name)

    def flash_attn_bsa_3d(*a, **k):  # pragma: no cover
        raise RuntimeError("BSA stubbed out (triton missing)")

    mod.flash_attn_bsa_3d = flash_attn_bsa_3d
    sys.modules[name] = mod
    return True


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    checkout, out_path = sys.argv[1], sys.argv[2]
    checkout = os.path.abspath(checkout)
    sys.path.insert(0, checkout)

    import warnings
    warnings.filterwarnings("ignore", message=".*CUDA is not available.*")

    import torch
    import torch.nn.functional as F
    from safetensors.torch import save_file

    bsa_stubbed = _install_bsa_stub_if_needed()

    from longcat_video.modules import attention as lc_attn
    from longcat_video.modules.longcat_video_dit import LongCatVideoTransformer3DModel

    # ------------------------------------------------------------------ #
    # SDPA replacements for the upstream attention kernels
    # ------------------------------------------------------------------ #
    def sdpa_process_attn(self, q, k, v, shape):
        # q: [B, H, Sq, D], k/v: [B, H, Skv, D]  -> [B, H, Sq, D]
        return F.scaled_dot_product_attention(q, k, v, dropout_p=0.0, scale=self.scale)

    def sdpa_process_cross_attn(self, x, cond, kv_seqlen):
        # Mirrors upstream packing: x [B, N, C]; cond [1, sum(kv_seqlen), C]
        B, N, C = x.shape
        assert C == self.dim and cond.shape[2] == self.dim
        q = self.q_linear(x).view(1, -1, self.num_heads, self.head_dim)
        kv = self.kv_linear(cond).view(1, -1, 2, self.num_heads, self.head_dim)
        k, v = kv.unbind(2)
        q, k = self.q_norm(q), self.k_norm(k)
        outs, off = [], 0
        for b in range(B):
            L = int(kv_seqlen[b])
            qb = q[0, b * N:(b + 1) * N].transpose(0, 1)      # [H, N, D]
            kb = k[0, off:off + L].transpose(0, 1)            # [H, L, D]
            vb = v[0, off:off + L].transpose(0, 1)
            off += L
            ob = F.scaled_dot_product_attention(qb, kb, vb, dropout_p=0.0)  # scale = D**-0.5
            outs.append(ob.transpose(0, 1))                   # [N, H, D]
        o = torch.cat(outs, dim=0)                            # [B*N, H, D] (as flash varlen)
        o = o.reshape(B, -1, C)
        return self.proj(o)

    lc_attn.Attention._process_attn = sdpa_process_attn
    lc_attn.MultiHeadCrossAttention._process_cross_attn = sdpa_process_cross_attn

    # ------------------------------------------------------------------ #
    # tiny config
    # ------------------------------------------------------------------ #
    config = dict(
        in_channels=16,
        out_channels=16,
        hidden_size=64,
        depth=2,
        num_heads=2,            # head_dim 32 (must be % 8 == 0 for 3-D RoPE)
        caption_channels=32,
        mlp_ratio=4,
        adaln_tembed_dim=32,
        frequency_embedding_size=256,
        patch_size=[1, 2, 2],
        enable_flashattn3=False,
        enable_flashattn2=False,
        enable_xformers=False,
        enable_bsa=False,
        bsa_params=None,
        cp_split_hw=[1, 1],     # REQUIRED: default None crashes in forward / RoPE
        text_tokens_zero_pad=False,
    )
    torch.manual_seed(0)
    model = LongCatVideoTransformer3DModel(**config).float().eval()

    # Make norms non-trivial (defaults are ones/zeros); Linear/Conv keep torch default init.
    g = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name:
                if name.endswith("weight"):
                    p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=g))
                else:
                    p.copy_(0.1 * torch.randn(p.shape, generator=g))
            elif name.endswith("bias"):
                p.add_(0.05 * torch.randn(p.shape, generator=g))

    sd = {k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}

    # ------------------------------------------------------------------ #
    # inputs
    # ------------------------------------------------------------------ #
    gi = torch.Generator().manual_seed(2)
    B, C_in, L, C_txt = 2, config["in_channels"], 8, config["caption_channels"]
    T, H, W = 3, 8, 6                          # latent grid -> tokens (3, 4, 3) = 36
    T_c, T_n = 2, 2                            # conditioning / new latent frames

    x = torch.randn(B, C_in, T, H, W, generator=gi)
    t_vec = torch.tensor([999.0, 250.5])                                   # [B]
    t_frame = torch.tensor([[0.0, 500.0, 500.0], [0.0, 125.0, 125.0]])     # [B, T]
    text = torch.randn(B, 1, L, C_txt, generator=gi)                       # [B, 1, L, C_txt]
    mask = torch.tensor([[1] * 8, [1] * 5 + [0] * 3], dtype=torch.int64)   # [B, L]

    x_cond = torch.randn(1, C_in, T_c, H, W, generator=gi)                 # cache batch 1
    x_new1 = torch.randn(1, C_in, T_n, H, W, generator=gi)
    x_new = x_new1.repeat(B, 1, 1, 1, 1)                                  # CFG-style duplication
    t_new = torch.tensor([700.0, 700.0]).unsqueeze(-1).repeat(1, T_n)     # [B, T_n]
    x_full = torch.cat([x_cond.repeat(B, 1, 1, 1, 1), x_new], dim=2)      # [B, C, T_c+T_n, H, W]
    t_full = torch.cat([torch.zeros(B, T_c), t_new], dim=1)
    cache_t = torch.zeros(1, T_c)
    cache_text = torch.zeros(1, 1, L, C_txt)

    inputs = dict(x=x, t_vec=t_vec, t_frame=t_frame, text=text, mask=mask,
                  x_cond=x_cond, x_new=x_new, t_new=t_new, x_full=x_full, t_full=t_full,
                  cache_t=cache_t, cache_text=cache_text)

    outputs, calls = {}, {}
    with torch.no_grad():
        # (a) plain forwards
        outputs["plain_tvec_mask"] = model(x, t_vec, text, encoder_attention_mask=mask)
        calls["plain_tvec_mask"] = "model(in.x, in.t_vec, in.text, encoder_attention_mask=in.mask) [text_tokens_zero_pad=False]"
        outputs["plain_tframe_mask"] = model(x, t_frame, text, encoder_attention_mask=mask)
        calls["plain_tframe_mask"] = "model(in.x, in.t_frame, in.text, encoder_attention_mask=in.mask) [text_tokens_zero_pad=False]"
        outputs["plain_tvec_nomask"] = model(x, t_vec, text)
        calls["plain_tvec_nomask"] = "model(in.x, in.t_vec, in.text) [no mask -> all L tokens]"
        model.text_tokens_zero_pad = True
        outputs["plain_tvec_mask_zeropad"] = model(x, t_vec, text, encoder_attention_mask=mask)
        calls["plain_tvec_mask_zeropad"] = "model(in.x, in.t_vec, in.text, encoder_attention_mask=in.mask) with text_tokens_zero_pad=True (the published dit config reportedly uses True)"
        model.text_tokens_zero_pad = False

        # (b) conditioning without cache (num_cond_latents split inside attention)
        outputs["cond_nocache"] = model(x_full, t_full, text, encoder_attention_mask=mask, num_cond_latents=T_c)
        calls["cond_nocache"] = f"model(in.x_full, in.t_full, in.text, encoder_attention_mask=in.mask, num_cond_latents={T_c})"

        # (c) KV-cache path, exactly as pipeline.generate_vc(use_kv_cache=True)
        out_cache_pass, kv = model(x_cond, cache_t, cache_text, return_kv=True, skip_crs_attn=True)
        outputs["cache_pass"] = out_cache_pass
        calls["cache_pass"] = "model(in.x_cond, in.cache_t, in.cache_text, return_kv=True, skip_crs_attn=True) -> (out.cache_pass, kv)"
        outputs["cond_cache"] = model(x_new, t_new, text, encoder_attention_mask=mask,
                                      num_cond_latents=T_c, kv_cache_dict=kv)
        calls["cond_cache"] = f"model(in.x_new, in.t_new, in.text, encoder_attention_mask=in.mask, num_cond_latents={T_c}, kv_cache_dict=kv)  [kv batch 1 is repeated to B=2 upstream]"

    kv_t = {}
    for i, (k, v) in kv.items():
        kv_t[f"kv.block{i}.k"] = k.detach().clone().contiguous()
        kv_t[f"kv.block{i}.v"] = v.detach().clone().contiguous()

    diff_cache = (outputs["cond_cache"] - outputs["cond_nocache"][:, :, T_c:]).abs().max().item()
    diff_zeropad = (outputs["plain_tvec_mask_zeropad"] - outputs["plain_tvec_mask"]).abs().max().item()
    diff_tframe = (outputs["plain_tframe_mask"] - outputs["plain_tvec_mask"]).abs().max().item()

    tensors = {}
    tensors.update({f"sd.{k}": v for k, v in sd.items()})
    tensors.update({f"in.{k}": v.detach().clone().contiguous() for k, v in inputs.items()})
    tensors.update({f"out.{k}": v.detach().clone().contiguous() for k, v in outputs.items()})
    tensors.update(kv_t)

    commit = None
    for cand in ["/work/.mirror/meituan-longcat+LongCat-Video/repo"]:
        try:
            commit = subprocess.check_output(["git", "-C", cand, "rev-parse", "HEAD"], text=True).strip()
        except Exception:
            pass
    import diffusers
    info = dict(
        upstream_commit=commit,
        torch=torch.__version__,
        diffusers=diffusers.__version__,
        bsa_stubbed=bsa_stubbed,
        attention="torch SDPA monkeypatch (Attention._process_attn, MultiHeadCrossAttention._process_cross_attn)",
        dims=dict(B=B, T=T, H=H, W=W, L=L, T_c=T_c, T_n=T_n, y_seqlens=mask.sum(1).tolist()),
        kv_layout="kv.block<i>.k/.v: [B_cache=1, heads, T_c*(H/2)*(W/2), head_dim]; k is after k_norm (RMSNorm) and BEFORE RoPE; v raw",
        max_abs_diff_cond_cache_vs_nocache=diff_cache,
        max_abs_diff_zeropad_vs_varlen=diff_zeropad,
        max_abs_diff_tframe_vs_tvec=diff_tframe,
        shapes={k: list(v.shape) for k, v in tensors.items() if not k.startswith("sd.")},
        n_params=int(sum(v.numel() for v in sd.values())),
    )
    meta = {"config": json.dumps(config), "calls": json.dumps(calls), "info": json.dumps(info)}
    save_file(tensors, out_path, metadata=meta)

    print(json.dumps(info, indent=1))
    print("state_dict:")
    for k, v in sd.items():
        print(f"  {k:55s} {tuple(v.shape)}")
    print(f"saved {out_path}: {os.path.getsize(out_path)} bytes")


if __name__ == "__main__":
    main()
