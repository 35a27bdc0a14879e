#!/usr/bin/env bash
# Look at an annex as a reader would: render a contract to HTML, PDF and DOCX,
# take a screenshot of the HTML in headless Chromium, turn every PDF page into
# a PNG image (pdftoppm), and convert the DOCX to PDF with LibreOffice — after
# updating its fields and table of contents, as Word does on opening — to turn
# its pages into PNG images too. See docs/rendering.md.
#
#   scripts/screenshot.sh CONTRACT [LANG] [OUTDIR]
#
# Environment: PACT=/path/to/pact selects the executable; NOTES=1 renders the
# negotiator's notes (`pact render --notes`); DATA=FILE also renders the
# steering report (`pact report`) and turns its printed pages into images;
# DPI=70 sets the resolution of the page images; PYTHON selects the Python that
# has WeasyPrint (for the report).
#
# Needs: poppler-utils (pdftoppm) and, for the PDF, the `pdf` extra (weasyprint)
# with Pango; optional: chromium (HTML screenshot), libreoffice-writer (DOCX pages).
set -euo pipefail

contract=${1:?usage: scripts/screenshot.sh CONTRACT [LANG] [OUTDIR]}
lang=${2:-}
out=${3:-build/screenshots}
pact=${PACT:-pact}
dpi=${DPI:-70}
name=$(basename "$contract" .pact)
mkdir -p "$out"
out=$(cd "$out" && pwd)
args=()
if [ -n "$lang" ]; then args+=(--lang "$lang"); name="$name.$lang"; fi
if [ "${NOTES:-}" = 1 ]; then args+=(--notes); name="$name.notes"; fi

pages() {  # PDF FILE -> PNG per page
  if command -v pdftoppm >/dev/null; then
    rm -f "$2"-*.png
    pdftoppm -r "$dpi" -png "$1" "$2"
    ls "$2"-*.png
  else
    echo "pdftoppm not found (apt-get install poppler-utils): skipping the pages of $1" >&2
  fi
}

"$pact" render "$contract" "${args[@]}" --format html -o "$out/$name.html"
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -n "$browser" ]; then
  "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --screenshot="$out/$name.html.png" --window-size=1200,3000 \
    "file://$out/$name.html" >/dev/null 2>&1
  echo "$out/$name.html.png"
else
  echo "chromium not found: skipping the HTML screenshot" >&2
fi

if "$pact" render "$contract" "${args[@]}" --format pdf -o "$out/$name.pdf"; then
  pages "$out/$name.pdf" "$out/$name.pdf"
fi

"$pact" render "$contract" "${args[@]}" --format docx -o "$out/$name.docx"
office=$(command -v soffice || command -v libreoffice || true)
if [ -n "$office" ]; then
  # a throwaway LibreOffice profile holding one macro: open the DOCX, update its
  # indexes (the table of contents) and fields, export it to PDF
  profile=$(mktemp -d)
  trap 'rm -rf "$profile"' EXIT
  "$office" -env:UserInstallation="file://$profile" --headless --terminate_after_init >/dev/null 2>&1 || true
  mkdir -p "$profile/user/basic/Standard"
  cat > "$profile/user/basic/Standard/Module1.xba" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub UpdateToPdf(inPath As String, outPath As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = "Hidden"
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(inPath), "_blank", 0, args())
  indexes = doc.getDocumentIndexes()
  For i = 0 To indexes.getCount() - 1
    indexes.getByIndex(i).update()
  Next i
  doc.getTextFields().refresh()
  Dim f(0) As New com.sun.star.beans.PropertyValue
  f(0).Name = "FilterName"
  f(0).Value = "writer_pdf_Export"
  doc.storeToURL(ConvertToURL(outPath), f())
  doc.close(True)
End Sub
</script:module>
EOF
  "$office" -env:UserInstallation="file://$profile" --headless \
    "macro:///Standard.Module1.UpdateToPdf(\"$out/$name.docx\",\"$out/$name.docx.pdf\")" >/dev/null 2>&1 || true
  if [ -f "$out/$name.docx.pdf" ]; then
    pages "$out/$name.docx.pdf" "$out/$name.docx"
  else
    echo "LibreOffice could not convert $name.docx: skipping its pages" >&2
  fi
else
  echo "libreoffice not found: skipping the DOCX pages" >&2
fi

if [ -n "${DATA:-}" ]; then
  report="$(basename "$contract" .pact).report"
  rargs=()
  if [ -n "$lang" ]; then rargs+=(--lang "$lang"); report="$report.$lang"; fi
  "$pact" report "$contract" --data "$DATA" "${rargs[@]}" -o "$out/$report.html"
  # the report as printed (A4 landscape, page numbers): WeasyPrint, as for annexes
  "${PYTHON:-python3}" - "$out/$report.html" "$out/$report.pdf" <<'EOF' && pages "$out/$report.pdf" "$out/$report.pdf"
import sys
import weasyprint
weasyprint.HTML(filename=sys.argv[1]).write_pdf(sys.argv[2])
EOF
fi
