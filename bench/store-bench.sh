#!/usr/bin/env bash
# Times `slipway import` and `slipway save` of a generated ~1 GB, 50,000-file root file system next
# to `docker import` / `docker save` on the same machine in the same run. Not a test.
# Usage: bench/store-bench.sh [files] [total-MB]
# Needs a Docker engine at $SLIPWAY_TEST_DOCKER_HOST (`. .ci/services` starts one).
set -euo pipefail
cd "$(dirname "$0")/.."
files="${1:-50000}"
total_mb="${2:-1024}"
export DOCKER_HOST="${SLIPWAY_TEST_DOCKER_HOST:-unix:///var/tmp/slipway-oracle/docker.sock}"
docker=/usr/bin/docker
work="$(mktemp -d /var/tmp/slipway-store-bench.XXXXXX)"
tag="slipway-store-bench:$$"
cleanup() {
    "$docker" rmi -f "$tag" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

echo "generating $files files, ~$total_mb MB in $work/rootfs"
python3 - "$work/rootfs" "$files" "$total_mb" <<'PY'
import os, random, sys
root, files, total = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) << 20
rng = random.Random(1)
per_dir = 100
avg = total // files
text = b"".join(b"line %d of some configuration or source text\n" % i for i in range(4096))
for i in range(files):
    d = os.path.join(root, "usr/share/d%03d/s%02d" % (i // (per_dir * 50), (i // per_dir) % 50))
    if i % per_dir == 0:
        os.makedirs(d, exist_ok=True)
    size = rng.randint(0, 2 * avg)
    # half random (compresses like binaries), half text (compresses well)
    data = rng.randbytes(size) if i % 2 else (text * (size // len(text) + 1))[:size]
    with open(os.path.join(d, "f%05d" % i), "wb") as f:
        f.write(data)
os.makedirs(os.path.join(root, "bin"), exist_ok=True)
os.symlink("../usr/share", os.path.join(root, "bin/share"))
PY
tar -C "$work/rootfs" --numeric-owner -cf "$work/rootfs.tar" .
rm -rf "$work/rootfs"
bytes=$(stat -c %s "$work/rootfs.tar")
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
echo "rootfs.tar: $mb MB"

# The jar is built before timing so the first slipway run does not pay for Maven.
./slipway --version >/dev/null

seconds() { # runs "$@", prints its wall time in seconds
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }'
}
rate() { awk -v b="$bytes" -v s="$1" 'BEGIN { printf "%.1f", b / 1048576 / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b / a }'; }

sync
s_import=$(seconds ./slipway --root "$work/store" import "$work/rootfs.tar" "$tag")
d_import=$(seconds "$docker" import "$work/rootfs.tar" "$tag")
sync
s_save=$(seconds ./slipway --root "$work/store" save -o "$work/slipway-save.tar" "$tag")
d_save=$(seconds "$docker" save -o "$work/docker-save.tar" "$tag")

printf '%-8s %10s %10s %10s %10s %8s\n' STEP "SLIPWAY s" "MB/s" "DOCKER s" "MB/s" "RATIO"
printf '%-8s %10s %10s %10s %10s %8s\n' import "$s_import" "$(rate "$s_import")" "$d_import" "$(rate "$d_import")" \
    "$(ratio "$s_import" "$d_import")"
printf '%-8s %10s %10s %10s %10s %8s\n' save "$s_save" "$(rate "$s_save")" "$d_save" "$(rate "$d_save")" \
    "$(ratio "$s_save" "$d_save")"
echo "(MB/s = rootfs.tar size / wall time; RATIO = docker time / slipway time, above 1 means slipway is faster)"
echo "archives: slipway $(stat -c %s "$work/slipway-save.tar") bytes, docker $(stat -c %s "$work/docker-save.tar") bytes"
