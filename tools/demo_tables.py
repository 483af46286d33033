"""README's toy trade-off numbers from a demo summary (`kvquant demo` writes `summary_toy_story-toy.csv`): the table
(compression, PSNR, ColorVideoVDP, places kept and adherence with their bootstrap 95 % intervals), which
within-family orders the intervals establish (places kept, object memory), and the rank correlations with the
study's published rankings (`kq.rank_correlation_ci`).

    python tools/demo_tables.py [SUMMARY_CSV]     (default: data/bench/toy_story_demo_summary_cpu.csv)
"""
import sys
import pandas as pd
import kvquant_nb as kq

path = sys.argv[1] if len(sys.argv) > 1 else 'data/bench/toy_story_demo_summary_cpu.csv'
s = pd.read_csv(path).set_index('method')
ci = lambda m, c: f"{s.loc[m, c]:.3f} [{s.loc[m, c + '_lo']:.2f}, {s.loc[m, c + '_hi']:.2f}]"
psnr = lambda m: '∞' if s.loc[m, 'psnr'] == float('inf') else f"{s.loc[m, 'psnr']:.1f}"
print(f"{int(s['n_prompts'].min())}–{int(s['n_prompts'].max())} prompts per method\n")
print('| method | compression | PSNR vs BF16 (dB) | ColorVideoVDP (JOD) | places kept [95 % CI] | adherence [95 % CI] |')
print('|---|---|---|---|---|---|')
for m in s.sort_values('compression_ratio').index:
    print(f"| {m} | {s.loc[m, 'compression_ratio']:.2f}× | {psnr(m)} | {s.loc[m, 'cvvdp_jod']:.2f} | {ci(m, 'toy_memory_place')} | {ci(m, 'toy_adherence')} |")
print()
for col in ('toy_memory_place', 'toy_memory_object'):
    for fam in (['BF16', 'RTN_INT4', 'RTN_INT2'], ['BF16', 'KIVI_INT4', 'KIVI_INT2'], ['BF16', 'QUAROT_KV_INT4', 'QUAROT_KV_INT2']):
        if not all(f in s.index for f in fam): continue
        parts = []
        for a, b in zip(fam, fam[1:]):
            sep = s.loc[a, col + '_lo'] > s.loc[b, col + '_hi']
            op = '>' if sep else ('≥' if s.loc[a, col] >= s.loc[b, col] else '<')
            parts.append(f"{a} {s.loc[a, col]:.3f} {op}{'' if sep else ' (intervals overlap)'} {b} {s.loc[b, col]:.3f}")
        print(f"{col}: " + '; '.join(parts))
print()
ref = kq.load_reference()
for ours, theirs, bench, low in [('psnr', 'ssim', 'moviegen', False), ('psnr', 'ssim', 'storyeval', False),
                                 ('psnr', 'imaging_quality', 'moviegen', False), ('psnr', 'imaging_quality', 'storyeval', False),
                                 ('cvvdp_jod', 'ssim', 'moviegen', False), ('cvvdp_jod', 'imaging_quality', 'moviegen', False),
                                 ('cvvdp_jod', 'imaging_quality', 'storyeval', False), ('toy_memory_place', 'ssim', 'moviegen', False),
                                 ('toy_memory_place', 'imaging_quality', 'moviegen', False), ('toy_memory_place', 'imaging_quality', 'storyeval', False)]:
    rho, lo, hi, k = kq.rank_correlation_ci(s.reset_index(), ref, ours, theirs, benchmark=bench, lower_is_better=low)
    print(f"rho({ours} vs published {theirs}, {bench}) = {rho:.2f} [{lo:.2f}, {hi:.2f}] over {k} methods")
