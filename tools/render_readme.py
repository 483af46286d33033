"""Render README.md from nbs/index.ipynb with nbconvert's markdown exporter (nbdev_readme needs Quarto)."""
import re, sys
from pathlib import Path
import nbformat
from nbconvert import MarkdownExporter

ROOT = Path(__file__).resolve().parent.parent
HEADER = '<!-- Generated from nbs/index.ipynb by tools/render_readme.py: edit the notebook, not this file. -->\n\n'

def render(nb_path=ROOT/'nbs'/'index.ipynb') -> str:
    "README text for the notebook: hidden cells dropped, nbdev directives stripped, outputs kept."
    nb = nbformat.read(nb_path, as_version=4)
    cells = []
    for c in nb.cells:
        if c.cell_type == 'code':
            if re.search(r'^#\|\s*(hide|exporti?)\b', c.source, re.M): continue
            c.source = re.sub(r'^#\|.*\n?', '', c.source, flags=re.M).strip()
            if not c.source: continue
        cells.append(c)
    nb.cells = cells
    nb.metadata['language_info'] = {'name': 'python'}          # fenced code blocks tagged python
    body, _ = MarkdownExporter(exclude_input_prompt=True, exclude_output_prompt=True).from_notebook_node(nb)
    return HEADER + re.sub(r'\n{3,}', '\n\n', body).strip() + '\n'

if __name__ == '__main__':
    out = ROOT/'README.md'
    out.write_text(render())
    print(f'wrote {out}', file=sys.stderr)
