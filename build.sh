#!/usr/bin/env bash
# Lucid's one entry point. Usage: ./build.sh [setup|build|wasm|test|bench|eval|stress|outputs|fuzz|demo|serve|dist]
# With no argument: set up and build everything. Every setup step the project needs lives here.
set -eu
cd "$(dirname "$0")"
ROOT=$(pwd)
SHARED=${LUCID_SHARED:-$ROOT/../shared}
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

log() { printf '\n== %s\n' "$*"; }

# --- setup steps (each one is skipped when already done) -------------------------------------
need_wasm_target() {
  rustup target list --installed | grep -q '^wasm32-unknown-unknown$' || rustup target add wasm32-unknown-unknown
}

wasm_bindgen_version() {
  # The CLI must match the wasm-bindgen crate in Cargo.lock exactly.
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

need_wasm_bindgen() {
  local want; want=$(wasm_bindgen_version)
  if ! command -v wasm-bindgen >/dev/null || [ "$(wasm-bindgen --version | awk '{print $2}')" != "$want" ]; then
    log "installing wasm-bindgen-cli $want (takes several minutes once)"
    # NOTE: without --locked: the CLI's own lockfile pins a crate version the registry lacks.
    cargo install wasm-bindgen-cli --version "$want"
  fi
}

need_node_modules() {
  if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/binaryen ] || [ ! -d node_modules/esbuild ] || [ ! -d node_modules/web-ext ] || [ package.json -nt node_modules/.package-lock.json ]; then
    log "installing npm packages"
    npm install --no-audit --no-fund --loglevel=error
  fi
}

need_chromium() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    log "installing Debian chromium and chromium-driver"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
}

# Firefox for the Firefox tests: Debian's current ESR (installed), the oldest ESR Lucid claims
# (FIREFOX_OLD_ESR; unpacked into target/, not installed) and geckodriver (from crates.io).
FIREFOX_OLD_ESR=140
FIREFOX_OLD_DIR=target/firefox-esr-$FIREFOX_OLD_ESR
GECKODRIVER_VERSION=0.37.0
need_firefox() {
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  if ! command -v firefox-esr >/dev/null; then
    log "installing Debian firefox-esr"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq firefox-esr >/dev/null
  fi
  if [ ! -x "$FIREFOX_OLD_DIR/usr/lib/firefox-esr/firefox-esr" ]; then
    local version
    version=$(apt-cache madison firefox-esr | awk -v v="$FIREFOX_OLD_ESR." '$3 ~ "^" v { print $3; exit }')
    if [ -z "$version" ]; then $SUDO apt-get update -qq; version=$(apt-cache madison firefox-esr | awk -v v="$FIREFOX_OLD_ESR." '$3 ~ "^" v { print $3; exit }'); fi
    [ -n "$version" ] || { echo "no firefox-esr $FIREFOX_OLD_ESR.x in the package index" >&2; exit 1; }
    log "unpacking firefox-esr $version into $FIREFOX_OLD_DIR (not installed)"
    local tmp; tmp=$(mktemp -d); chmod a+rwx "$tmp" # apt downloads as its own user
    (cd "$tmp" && apt-get download -qq "firefox-esr=$version")
    rm -rf "$FIREFOX_OLD_DIR" && mkdir -p "$FIREFOX_OLD_DIR"
    dpkg -x "$tmp"/firefox-esr_*.deb "$FIREFOX_OLD_DIR"
    rm -rf "$tmp"
  fi
  if ! command -v geckodriver >/dev/null || [ "$(geckodriver --version | awk 'NR==1 {print $2}')" != "$GECKODRIVER_VERSION" ]; then
    log "installing geckodriver $GECKODRIVER_VERSION (takes a few minutes once)"
    cargo install geckodriver --version "$GECKODRIVER_VERSION"
  fi
}

setup() {
  need_wasm_target
  need_wasm_bindgen
  need_node_modules
  need_chromium
  need_firefox
}

# --- builds ----------------------------------------------------------------------------------
build_native() {
  log "building the lucid CLI (release)"
  cargo build --release --bin lucid
}

build_wasm() {
  need_wasm_target
  need_wasm_bindgen
  need_node_modules
  log "building wasm"
  cargo build --lib --target wasm32-unknown-unknown --profile wasm
  local raw=target/wasm32-unknown-unknown/wasm/lucid.wasm
  rm -rf target/pkg && mkdir -p target/pkg
  wasm-bindgen "$raw" --target web --out-dir target/pkg --out-name lucid
  node_modules/.bin/wasm-opt -Os --converge --strip-producers --strip-target-features --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    target/pkg/lucid_bg.wasm -o target/pkg/lucid_bg.wasm
  for dest in extension/pkg www/pkg; do
    rm -rf "$dest" && mkdir -p "$dest"
    cp -r target/pkg/lucid.js target/pkg/lucid_bg.wasm target/pkg/snippets "$dest/"
  done
  # One reader stylesheet and view for the extension and the playground.
  cp extension/reader/reader.css extension/reader/reader-view.js www/pkg/
  build_content
  local size gz
  size=$(stat -c %s target/pkg/lucid_bg.wasm)
  gz=$(gzip -9 -c target/pkg/lucid_bg.wasm | wc -c)
  echo "wasm: $size bytes raw, $gz bytes gzip"
}

# The content script as one classic file: content.js and its imports, the reader stylesheet
# inlined as text, evaluated once per page (a second injection finds `lucidContent` and stops).
# No fetch on the click path: one file injected, no module graph.
build_content() {
  need_node_modules
  node_modules/.bin/esbuild extension/content.js --bundle --format=iife --loader:.css=text \
    --target=chrome116,firefox128 --minify-syntax --minify-whitespace --legal-comments=none \
    --banner:js='if (!globalThis.lucidContent) {' --footer:js='}' \
    --outfile=extension/pkg/content.js --log-level=warning
  # The engine's offscreen document loads one module too (Chromium; Firefox's background page
  # imports extension/engine/engine.js as it is).
  node_modules/.bin/esbuild extension/engine/offscreen.js --bundle --format=esm \
    --target=chrome116 --minify-syntax --minify-whitespace --legal-comments=none \
    --outfile=extension/pkg/engine.js --log-level=warning
  echo "content script: $(stat -c %s extension/pkg/content.js) bytes, engine module: $(stat -c %s extension/pkg/engine.js) bytes"
}

build_all() {
  build_native
  if [ -f src/wasm.rs ]; then build_wasm; build_firefox_extension; fi
}

# The Firefox build of the extension in target/firefox-extension: the one source manifest, with
# what Firefox's MV3 wants instead (background.scripts, an add-on id and minimum version, the
# data-collection declaration; no offscreen API: the engine lives in the background page). The
# only place the Firefox manifest differs.
build_firefox_extension() {
  local dir=target/firefox-extension
  rm -rf "$dir" && mkdir -p "$dir"
  (cd extension && tar cf - --exclude='*.py' .) | (cd "$dir" && tar xf -)
  FIREFOX_MIN="$FIREFOX_OLD_ESR.0" node - "$dir/manifest.json" <<'JS'
const fs = require("fs");
const path = process.argv[2];
const m = JSON.parse(fs.readFileSync(path, "utf8"));
m.background = { scripts: ["background.js"], type: "module" };
m.permissions = m.permissions.filter((p) => p !== "offscreen");
delete m.minimum_chrome_version;
m.action.default_area = "navbar"; // on the toolbar, not inside the extensions menu
m.browser_specific_settings = {
  gecko: {
    id: "lucid-reader@lucid.invalid",
    strict_min_version: process.env.FIREFOX_MIN,
    data_collection_permissions: { required: ["none"] }, // Lucid collects nothing
  },
  gecko_android: { strict_min_version: "142.0" }, // the first to read data_collection_permissions
};
fs.writeFileSync(path, JSON.stringify(m, null, 2) + "\n");
JS
}

# Store-ready packages: dist/lucid-chromium-*.zip, and the Firefox one built by Mozilla's web-ext.
build_dist() {
  build_wasm
  build_firefox_extension
  log "packaging the extension into dist/"
  rm -rf dist && mkdir -p dist/chromium
  (cd extension && tar cf - --exclude='*.py' .) | (cd dist/chromium && tar xf -)
  local version; version=$(node -p 'require("./extension/manifest.json").version')
  (cd dist/chromium && python3 -m zipfile -c "../lucid-chromium-$version.zip" ./*)
  NO_UPDATE_NOTIFIER=1 npx web-ext build --source-dir target/firefox-extension --artifacts-dir dist \
    --filename "lucid-firefox-$version.zip" --overwrite-dest >/dev/null
  ls -l dist/*.zip
}

# --- tests -----------------------------------------------------------------------------------
# Corpus pages embedded into the wasm test, with the native CLI's text for each (the html5ever
# front-end's answer that the live front-end must agree with). Pages are read from shared/ at
# build time into target/, never copied into the repo.
LIVE_PAGES="001 002 aclu ars-1 bbc-1 blogger breitbart buzzfeed-1 cnet dropbox-blog ehow-1 engadget guardian-1 heise lemonde-1 medium-1 mozilla-1 nytimes-1 rtl-1 wikipedia"
LIVE_PAGES_DRAGNET="100 106 110 117 R15 R196 T13 T18"
write_live_fixtures() {
  build_native
  local dir=target/live-fixtures
  rm -rf "$dir" && mkdir -p "$dir"
  {
    echo "/// (id, source HTML, native text) for tests/live.rs; generated by build.sh."
    echo "pub const PAGES: &[(&str, &str, &str)] = &["
    for id in $LIVE_PAGES; do
      ./target/release/lucid "$SHARED/corpus/readability/$id/source.html" --url "http://127.0.0.1/$id/" > "$dir/$id.txt" || true
      echo "    (\"$id\", include_str!(\"$SHARED/corpus/readability/$id/source.html\"), include_str!(\"$ROOT/$dir/$id.txt\")),"
    done
    for id in $LIVE_PAGES_DRAGNET; do
      ./target/release/lucid "$SHARED/corpus/dragnet/$id/source.html" --url "http://127.0.0.1/$id/" > "$dir/$id.txt" || true
      echo "    (\"$id\", include_str!(\"$SHARED/corpus/dragnet/$id/source.html\"), include_str!(\"$ROOT/$dir/$id.txt\")),"
    done
    echo "];"
  } > "$dir/pages.rs"
}

run_tests() {
  log "rustfmt and clippy"
  cargo fmt --check
  cargo clippy --all-targets -- -D warnings
  log "native tests (unit, fixtures, nasty input, corpora)"
  LUCID_SHARED="$SHARED" cargo test
  if [ -f src/wasm.rs ]; then
    setup
    log "wasm tests in headless Chromium"
    cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings
    write_live_fixtures
    CHROMEDRIVER=$(command -v chromedriver) WASM_BINDGEN_TEST_TIMEOUT=300 \
      cargo test --target wasm32-unknown-unknown --test live
  fi
  if compgen -G "tests/e2e/*.test.mjs" >/dev/null; then
    build_native
    build_wasm
    log "extension end-to-end tests in headless Chromium"
    node --test --test-concurrency=1 tests/e2e/*.test.mjs
  fi
  if compgen -G "tests/firefox/*.test.mjs" >/dev/null; then
    build_firefox_extension
    log "Mozilla's add-on linter on the Firefox build (0 errors, 0 warnings)"
    NO_UPDATE_NOTIFIER=1 npx web-ext lint --source-dir target/firefox-extension --warnings-as-errors
    for firefox in "$(command -v firefox-esr)" "$ROOT/$FIREFOX_OLD_DIR/usr/lib/firefox-esr/firefox-esr"; do
      log "extension end-to-end tests in headless $("$firefox" --version 2>/dev/null)"
      LUCID_FIREFOX="$firefox" node --test --test-concurrency=1 tests/firefox/*.test.mjs
    done
  fi
}

# --- evaluation and benchmarks -----------------------------------------------------------------
# ./build.sh eval [--compare] [--worst N]: every dev corpus scored by its own scorer, Lucid beside
# dom_smoothie; --compare lists pages where Lucid is >= 0.3 F1 below it, --worst N a failure
# gallery (missing and leaked passages, and the rule that removed what is missing).
run_eval() {
  log "extraction quality: dragnet, readability (score.py), trafilatura-dev (snippets.py)"
  cargo run --release --quiet -p lucid-bench --bin eval -- "$SHARED" "$@"
}

# ./build.sh stress [--show N] [--dump CORPUS/ID NAME]: every corpus page extracted plain and
# under layout perturbations unseen sites show (flagged wrappers, a consent notice, a body split
# by ads, in grid rows or in page-builder bands, an inline signup box); lists the pages that lose their article or leak the insert.
run_stress() {
  log "robustness: corpus pages under layout perturbations"
  cargo run --release --quiet -p lucid-bench --bin stress -- "$SHARED" "$@"
}

# ./build.sh outputs FILE [--check]: fingerprints of every corpus page's output in every format
# written to FILE, or compared with it (a refactor must change none).
run_outputs() {
  cargo run --release --quiet -p lucid-bench --bin outputs -- "$SHARED" "$@"
}

run_bench() {
  build_native
  log "native benchmark: lucid vs readability (crate) vs dom_smoothie"
  (cd bench && cargo run --release --quiet -- "$SHARED/corpus")
  if [ -f tests/e2e/bench.mjs ]; then
    build_wasm
    need_chromium
    log "browser benchmark: lucid (wasm) vs Readability.js"
    node tests/e2e/bench.mjs
    log "browser benchmark: first click -> reader painted, vs Readability.js injected cold"
    node tests/e2e/firstclick.mjs
  fi
}

# ./build.sh fuzz: the pipeline fuzzed for FUZZ_SECONDS (default 30 minutes) in release, from a
# random seed (FUZZ_SEED to repeat one); fails on a panic, a hang, an HTML output the sanitizer
# would change, or a case over 1 s.
run_fuzz() {
  local seed=${FUZZ_SEED:-$(od -An -N8 -tu8 /dev/urandom | tr -d ' ')}
  log "fuzzing parse -> extract -> render for ${FUZZ_SECONDS:-1800} s (seed $seed)"
  LUCID_SHARED="$SHARED" FUZZ_SEED="$seed" FUZZ_SECONDS="${FUZZ_SECONDS:-1800}" FUZZ_STRICT_TIME=1 \
    cargo test --release --test fuzz -- --nocapture
}

serve() {
  local port=${PORT:-8417}
  log "playground: http://127.0.0.1:$port/"
  python3 -m http.server "$port" --bind 127.0.0.1 --directory www
}

demo() {
  setup
  build_all
  log "Lucid on the bundled sample article (www/samples/sea-walk.html)"
  # The text output is the body; the title, byline and reading time come from the JSON fields.
  ./target/release/lucid www/samples/sea-walk.html --url https://example.org/sea-walk --format json |
    python3 -c 'import json, sys; a = json.load(sys.stdin); print(a["title"]); print(" · ".join(x for x in [a["byline"], a["published"], "%d min read" % a["readingMinutes"]] if x)); print(); print(a["text"])'
  log "unpacked extension ready to load: $ROOT/extension (chrome://extensions, Developer mode, Load unpacked)"
  log "Firefox: $ROOT/target/firefox-extension/manifest.json (about:debugging, This Firefox, Load Temporary Add-on)"
  serve
}

case "${1:-all}" in
  all) setup; build_all ;;
  setup) setup ;;
  build) build_all ;;
  wasm) build_wasm ;;
  test) run_tests ;;
  eval) shift; run_eval "$@" ;;
  stress) shift; run_stress "$@" ;;
  outputs) shift; run_outputs "$@" ;;
  bench) run_bench ;;
  fuzz) run_fuzz ;;
  dist) build_dist ;;
  demo) demo ;;
  serve) serve ;;
  *) echo "usage: ./build.sh [setup|build|wasm|test|bench|eval|stress|outputs|fuzz|demo|serve|dist]" >&2; exit 2 ;;
esac
