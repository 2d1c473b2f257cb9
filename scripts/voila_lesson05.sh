#!/usr/bin/env bash
# Lesson 05 as a Voilà dashboard: the editors and the run panels, driven with their sliders and
# buttons, and nothing loaded from the internet.
#
#   pip install voila ipykernel     # once, in the lessons' environment (Voilà itself does not
#                                   # bring ipykernel, and without it there is no python3 kernel)
#   bash scripts/voila_lesson05.sh [NOTEBOOK] [VOILA OPTIONS...]
#   NBTUNE_FAST=1 bash scripts/voila_lesson05.sh --no-browser     # tiny budgets: a quick check
#
# Opens http://127.0.0.1:8866/ (Ctrl+C stops it). VOILA=/path/to/voila picks the program.
# --progressive_rendering=True: each cell's output appears when that cell has run; without it
# Voilà shows a spinner until the last cell is done. Voilà sets VOILA_KERNEL_ID in the kernel
# before the first cell; the lesson's settings cell reads it (DASHBOARD), and its "without a
# browser" cells, which narrow the editors and run the searches from code, print one line
# instead: no search starts by itself, and a panel's Run runs one in a background thread, so
# Stop answers while it runs. Voilà's lab template links Font Awesome
# from cdn.jsdelivr.net although voila.js already bundles the icons: the template written
# below (to a temporary folder put on JUPYTER_PATH) is the lab template without those links.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
notebook="$root/notebooks/05_editing_the_search_space.ipynb"
if [[ $# -gt 0 && $1 != -* ]]; then notebook="$1"; shift; fi

templates="$(mktemp -d)"
trap 'rm -rf "$templates"' EXIT
mkdir -p "$templates/voila/templates/lab-offline"
echo '{"base_template": "lab"}' > "$templates/voila/templates/lab-offline/conf.json"
cat > "$templates/voila/templates/lab-offline/index.html.j2" <<'TEMPLATE'
{%- extends 'voila/templates/lab/index.html.j2' -%}
{%- block notebook_css -%}
{%- set cdn = '<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@^5/css/' -%}
{{ super() | replace(cdn ~ 'all.min.css" type="text/css" />', '')
           | replace(cdn ~ 'v4-shims.min.css" type="text/css" />', '') }}
{%- endblock notebook_css -%}
TEMPLATE

JUPYTER_PATH="$templates${JUPYTER_PATH:+:$JUPYTER_PATH}" "${VOILA:-voila}" "$notebook" \
    --Voila.ip=127.0.0.1 --template=lab-offline --progressive_rendering=True "$@"
