#!/usr/bin/env bash
# The class page (grade --out DIR writes DIR/summary.html) in headless Chromium, on a small class
# with a copy, a failing capture, an essay and hostile names: the DOM as the browser built it
# has one table row per gradebook row, links that open existing reports, one histogram bar per
# score bin, and sorting by a header (clicked by the page's ?sort=KEY) reorders the rows; the
# page renders (a screenshot) and logs no console error.
# Usage: class_page_test.sh TCPGRADE SOURCE_DIR OUT_DIR
# Exit 0 pass, 1 fail, 77 Chromium absent (skipped).
set -u
tcpgrade=$1 source=$2 out=$3
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "chromium not installed: skipped"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$out"; mkdir -p "$out/class"
lab=$source/scenarios/http-lab captures=$source/tests/data/captures
cp "$lab/LEARN.pcap" "$out/class/alice.pcap"
cp "$lab/LEARN.pcap" "$out/class/<b>carol\"'&.pcap"         # a copy, with a hostile name
cp "$captures/learn-fin-to-rst.pcap" "$out/class/bob.pcap"
cp "$captures/learn-fin-to-rst.pcap" "$out/class/jörgen.pcap"   # a name the report encodes
cp "$captures/lab-lo-snap60.pcap" "$out/class/erin.pcap"
echo "my essay" >"$out/class/dave.txt"
"$tcpgrade" grade "$lab/session.yaml" "$out/class" --out "$out/grades" --jobs 2 >/dev/null ||
  fail "grade exited $?"
page=$out/grades/summary.html
[ -s "$page" ] || fail "no summary.html"
grep -q "<b>carol" "$page" && fail "an unescaped student name in the page"

dom() {  # the page as Chromium built it, after its script ran
  "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --user-data-dir="$out/profile" --run-all-compositor-stages-before-draw \
    --dump-dom "file://$page$1" 2>/dev/null
}
dom "" >"$out/dom.html"
dom "?sort=percent" >"$out/dom-percent.html"
dom "?sort=percent&sort=percent" >"$out/dom-percent-desc.html"
python3 - "$out" <<'PY' || fail "the DOM"
import csv, html.parser, os, sys, urllib.parse
out = sys.argv[1]
grades = os.path.join(out, "grades")

class Page(html.parser.HTMLParser):
    def __init__(self, text):
        super().__init__()
        self.rows, self.links, self.bins, self.sorted = [], [], [], {}
        self.in_body = self.in_cell = False
        self.feed(text)
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tbody": self.in_body = True
        if tag == "tr" and self.in_body: self.rows.append([])
        if tag == "td" and self.in_body: self.rows[-1].append(""); self.in_cell = True
        if tag == "a" and self.in_body: self.links.append(a.get("href"))
        if tag == "rect" and a.get("class") == "bin": self.bins.append(a)
        if tag == "th" and "aria-sort" in a: self.sorted[a.get("data-key")] = a["aria-sort"]
    def handle_endtag(self, tag):
        if tag == "tbody": self.in_body = False
        if tag == "td": self.in_cell = False
    def handle_data(self, data):
        if self.in_cell and self.rows and self.rows[-1]: self.rows[-1][-1] += data

def load(name):
    return Page(open(os.path.join(out, name), encoding="utf-8").read())

book = list(csv.DictReader(open(os.path.join(grades, "gradebook.csv"), encoding="utf-8")))
page = load("dom.html")
problems = []
if len(page.rows) != len(book) or len(book) != 6:
    problems.append(f"{len(page.rows)} table rows for {len(book)} gradebook rows (6 students)")
ids = sorted(r["id"] for r in book)
if sorted(r[0] for r in page.rows) != ids:
    problems.append(f"students {[r[0] for r in page.rows]} are not the gradebook's {ids}")
if len(page.links) != len(book):
    problems.append(f"{len(page.links)} links for {len(book)} students")
for link in page.links:
    path = os.path.join(grades, urllib.parse.unquote(link))
    if not link.endswith(".html") or not os.path.isfile(path):
        problems.append(f"link {link} opens no report ({path})")
if len(page.bins) != 10:
    problems.append(f"{len(page.bins)} histogram bars, expected one per score bin (10)")
if sum(int(b["data-count"]) for b in page.bins) != len(book):
    problems.append("the histogram does not count every student")
if "<b>carol\"'&" not in [r[0] for r in page.rows]:
    problems.append("the hostile name is not shown as text")
percent = lambda rows: [float(r[2].split()[0]) for r in rows]
up, down = load("dom-percent.html"), load("dom-percent-desc.html")
if percent(up.rows) != sorted(percent(page.rows)) or up.sorted != {"percent": "ascending"}:
    problems.append(f"?sort=percent: {percent(up.rows)}, headers {up.sorted}")
if percent(down.rows) != sorted(percent(page.rows), reverse=True) or down.sorted != {"percent": "descending"}:
    problems.append(f"clicked twice: {percent(down.rows)}, headers {down.sorted}")
if [r[0] for r in up.rows] == [r[0] for r in page.rows]:
    problems.append("sorting by percent did not change the order (the class is made so it must)")
if "copy-groups" not in open(os.path.join(out, "dom.html"), encoding="utf-8").read() or \
        "group 1" not in open(os.path.join(out, "dom.html"), encoding="utf-8").read():
    problems.append("no copy group shown (alice and carol share a capture)")
for p in problems:
    print("  " + p)
sys.exit(1 if problems else 0)
PY
"$browser" --headless --no-sandbox --disable-gpu --window-size=1100,1800 \
  --user-data-dir="$out/profile" --enable-logging=stderr --v=0 \
  --screenshot="$out/summary.png" "file://$page" >"$out/chromium.log" 2>&1
[ -s "$out/summary.png" ] || { cat "$out/chromium.log"; fail "no screenshot"; }
if grep -E "CONSOLE|Uncaught|Refused to" "$out/chromium.log"; then fail "the page logged errors"; fi
echo "pass: summary.html: 6 rows, links resolve, 10 bins, sorts; screenshot $out/summary.png"
