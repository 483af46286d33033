"Seeded weights for parity fixtures: what the upstream-model fixture scripts in tools/ load into the model they run."


def seeded_weights(model, seed:int):
    "Seeded non-trivial weights (upstream inits heads, biases and some projections to zero, norms to one), rounded to bf16."
    import torch
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name:
                p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=g) if name.endswith("weight")
                        else 0.1 * torch.randn(p.shape, generator=g))
            elif name.endswith("bias"): p.copy_(0.05 * torch.randn(p.shape, generator=g))
            elif name.endswith("modulation") or "scale_shift_table" in name:     # Wan's / diffusers' adaLN tables
                p.copy_(torch.randn(p.shape, generator=g) / p.shape[-1] ** 0.5)
            else: p.copy_(torch.randn(p.shape, generator=g) / p[0].numel() ** 0.5)
            p.copy_(p.bfloat16().float())


def checkout_args(doc:str, repo:str):
    "(args, upstream commit) of a fixture script taking `CHECKOUT OUT [--mirror GIT_DIR | --commit SHA]`; `repo` names upstream in the error."
    import argparse, subprocess
    ap = argparse.ArgumentParser(description=doc.split('\n')[0])
    ap.add_argument('checkout'); ap.add_argument('out')
    ap.add_argument('--mirror'); ap.add_argument('--commit')
    a = ap.parse_args()
    commit = a.commit or (subprocess.run(['git', '-C', a.mirror, 'rev-parse', 'HEAD'], check=True, capture_output=True,
                                         text=True).stdout.strip() if a.mirror else None)
    if not commit: ap.error(f'give --mirror (a git dir of {repo}) or --commit')
    return a, commit
