#!/usr/bin/env bash
# Times `slipway analyze` on a generated 1 GB, 50,000-file docker-archive against reading the
# layers once: `cat` (bytes off the page cache), `tar -t` (a listing that walks every header)
# and `sha256sum` (a pass that touches every byte). Then the same layers gzip-compressed, as a
# registry ships them, against `gzip -dc` (reading them once means decompressing them once).
# Each line gives wall time and CPU time (user + sys, every thread): on a loaded machine the wall
# time says more about the load than about the program.
# Usage: bench/analyze-bench.sh [WORKDIR]   (needs ~4.1 GB free; WORKDIR is kept for reruns)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-${TMPDIR:-/tmp}/slipway-analyze-bench}"
mkdir -p "$work"
archive="$work/big.tar"

if [ ! -f "$archive" ]; then
    echo "generating $archive (4 layers, 50,000 files, ~1 GB of random content)..."
    python3 - "$work" <<'PY'
import hashlib, io, json, os, random, sys, tarfile
work = sys.argv[1]
rng = random.Random(42)
files_per_layer = [20000, 15000, 10000, 5000]
target = 1_000_000_000
total_files = sum(files_per_layer)
layers = []
for n, count in enumerate(files_per_layer):
    path = os.path.join(work, "layer%d.tar" % n)
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as t:
        for d in range(100):
            info = tarfile.TarInfo("l%d/d%02d" % (n, d)); info.type = tarfile.DIRTYPE; info.mode = 0o755
            t.addfile(info)
        for i in range(count):
            size = max(0, int(rng.expovariate(total_files / target)))
            # the last layer rewrites files of the first one: wasted bytes for the report
            name = ("l0/d%02d/f%06d" % (i % 100, i)) if n == 3 else ("l%d/d%02d/f%06d" % (n, i % 100, i))
            info = tarfile.TarInfo(name); info.size = size; info.mode = 0o644
            t.addfile(info, io.BytesIO(os.urandom(size)))
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    layers.append(("layer%d.tar" % n, "sha256:" + h.hexdigest()))
config = {"architecture": "amd64", "os": "linux",
          "rootfs": {"type": "layers", "diff_ids": [d for _, d in layers]},
          "history": [{"created_by": "bench layer %d" % i} for i in range(len(layers))]}
with open(os.path.join(work, "config.json"), "w") as f:
    json.dump(config, f)
with open(os.path.join(work, "manifest.json"), "w") as f:
    json.dump([{"Config": "config.json", "RepoTags": ["bench:big"], "Layers": [n for n, _ in layers]}], f)
PY
    (cd "$work" && tar -cf big.tar manifest.json config.json layer*.tar && rm -f layer*.tar)
fi

[ -f "$here/target/slipway.jar" ] || "$here/slipway" --version >/dev/null
mkdir -p "$work/layers"
(cd "$work/layers" && [ -f layer0.tar ] || tar -xf "$archive" layer0.tar layer1.tar layer2.tar layer3.tar)
gzarchive="$work/big-gz.tar"
if [ ! -f "$gzarchive" ]; then
    echo "generating $gzarchive (the same layers, gzip -1)..."
    mkdir -p "$work/gz"
    for l in "$work"/layers/layer*.tar; do gzip -1 -c "$l" >"$work/gz/$(basename "$l").gz"; done
    tar -C "$work" -xf "$archive" manifest.json config.json
    python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
m = json.load(open(os.path.join(work, "manifest.json")))
m[0]["Layers"] = [l + ".gz" for l in m[0]["Layers"]]
json.dump(m, open(os.path.join(work, "gz", "manifest.json"), "w"))
PY
    cp "$work/config.json" "$work/gz/"
    (cd "$work/gz" && tar -cf "$gzarchive" manifest.json config.json layer*.tar.gz)
fi

t() {
    local out
    out=$( { TIMEFORMAT='%R %U %S'; time "$@" >/dev/null 2>&1; } 2>&1 )
    echo "$out" | awk '{printf "%7.2f s wall %7.2f s cpu", $1, $2 + $3}'
}
jar="${SLIPWAY_JAR:-$here/target/slipway.jar}"   # SLIPWAY_JAR=old.jar compares builds
analyze() { java -XX:+UseSerialGC -jar "$jar" --root "$work/root" analyze --format json "$1"; }
cat "$archive" "$gzarchive" >/dev/null   # warm the page cache for every contestant alike
echo "archive: $(du -h "$archive" | cut -f1), $(tar -tf "$archive" | wc -l) entries in the outer tar;" \
    "gzip archive: $(du -h "$gzarchive" | cut -f1); $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "uncompressed layers"
echo "  cat layers           : $(t cat "$work"/layers/layer*.tar)"
echo "  tar -t layers        : $(t sh -c "for l in $work/layers/layer*.tar; do tar -tf \$l; done")"
echo "  sha256sum layers     : $(t sha256sum "$work"/layers/layer*.tar)"
echo "  slipway analyze      : $(t analyze "$archive")"
echo "gzip layers"
echo "  gzip -dc layers      : $(t sh -c "cat $work/gz/layer*.tar.gz | gzip -dc")"
echo "  slipway analyze      : $(t analyze "$gzarchive")"
java -jar "$jar" --root "$work/root" analyze "$archive" | sed -n '1,2p;/^dive/,/^$/p' | head -12
