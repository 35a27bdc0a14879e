#!/usr/bin/env bash
# Look at an annex as a reader would: render a contract to HTML and PDF, then
# take a screenshot of the HTML in headless Chromium and turn the PDF pages into
# PNG images (pdftoppm). See docs/rendering.md.
#
#   scripts/screenshot.sh CONTRACT [LANG] [OUTDIR]
#
# Needs: chromium (apt-get install -y chromium), poppler-utils (pdftoppm) and,
# for the PDF, the `pdf` extra (weasyprint) with Pango.
set -euo pipefail

contract=${1:?usage: scripts/screenshot.sh CONTRACT [LANG] [OUTDIR]}
lang=${2:-}
out=${3:-build/screenshots}
pact=${PACT:-pact}
name=$(basename "$contract" .pact)
mkdir -p "$out"
args=()
if [ -n "$lang" ]; then args+=(--lang "$lang"); name="$name.$lang"; fi

"$pact" render "$contract" "${args[@]}" --format html -o "$out/$name.html"
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -n "$browser" ]; then
  "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --screenshot="$out/$name.html.png" --window-size=1200,3000 \
    "file://$(cd "$out" && pwd)/$name.html" >/dev/null 2>&1
  echo "$out/$name.html.png"
else
  echo "chromium not found: skipping the HTML screenshot" >&2
fi

if "$pact" render "$contract" "${args[@]}" --format pdf -o "$out/$name.pdf"; then
  if command -v pdftoppm >/dev/null; then
    pdftoppm -r 70 -png "$out/$name.pdf" "$out/$name.pdf"
    ls "$out/$name".pdf-*.png
  else
    echo "pdftoppm not found: skipping the PDF pages" >&2
  fi
fi
