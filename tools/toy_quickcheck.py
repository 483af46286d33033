"""After a toy training run on the device: sample held-out clips with the pipeline (first block given, BF16 cache)
and print the per-block x0 error against the world's latents; key frames go to an npz for a look."""
import sys, json, numpy as np, torch
from kvquant_nb.train_toy import build_toy, TOY
from kvquant_nb.toyworld import ToyCodec, sample_spec, prompt_of, render_batch, encode_keyframes
from kvquant_nb.pipeline import SelfForcingPipeline
from safetensors.torch import load_file
folder, outdir = sys.argv[1], sys.argv[2]
dev = 'cuda' if torch.cuda.is_available() else 'cpu'
sd = load_file(f'{folder}/toy.safetensors')
m, enc, tok = build_toy(0)
m.load_state_dict({k[12:]: v for k, v in sd.items() if k.startswith('transformer.')})
enc.load_state_dict({k[13:]: v for k, v in sd.items() if k.startswith('text_encoder.')})
codec = ToyCodec(); codec.load_state_dict({k[6:]: v for k, v in sd.items() if k.startswith('codec.')})
pipe = SelfForcingPipeline(torch.nn.Module.to(m, torch.bfloat16).eval(), enc.to(torch.bfloat16).eval(), tok, codec, device=dev, text_len=160)
errs, keep = [], {}
for seed in range(int(sys.argv[3]) if len(sys.argv) > 3 else 8):
    spec = sample_spec(seed)
    gt = encode_keyframes(codec.cpu(), render_batch([spec], np.arange(27))).float()
    for method in ('BF16', 'RTN_INT2'):
        out = pipe(prompt_of(spec), 105, method=method, prefix=gt[:, :, :3])
        lat = out.latents.permute(0, 2, 1, 3, 4).float()
        e = [round(float(((lat - gt)[:, :, 3*b:3*b+3] ** 2).mean()), 3) for b in range(9)]
        print(seed, method, e, flush=True); errs.append(e)
        keep[f'{seed}_{method}'] = out.frames[::4]; keep[f'{seed}_gt'] = __import__('kvquant_nb.toyworld', fromlist=['x']).render(spec, 105)[::4]
print('mean per block', np.mean(errs, 0).round(3).tolist())
np.savez_compressed(f"{outdir}/quick.npz", **keep)
