"Shared by the transformer-only device scripts in tools/: each row against the BF16 row of the same run."


def against_bf16(rows:list, time_key:str) -> None:
    "Add each row's floor (BF16's peak − BF16's K/V + its stored K/V), peak / floor and `time_key` / BF16's; rows[0] is BF16."
    bf = rows[0]
    for r in rows:
        r['floor_gb'] = bf['peak_gb'] - bf['kv_bf16_gb'] + r['kv_stored_gb']
        r['peak_vs_floor'], r[time_key.replace('_s', '_vs_bf16')] = r['peak_gb'] / r['floor_gb'], r[time_key] / bf[time_key]
