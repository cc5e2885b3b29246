#!/bin/sh
# Times the layer package (read, extract, scan + write, gzip and zstd) on a root file system tar,
# by default a generated ~1 GB, 50,000-file one. Not a test.
# Usage: bench/layer-bench.sh [ROOTFS.tar]
set -eu
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests test-compile
cp=target/test-classes:target/classes:$(mvn -q -B dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
if [ $# -ge 1 ]; then
    exec java -cp "$cp" dev.slipway.layer.LayerBenchmark "$1"
fi
work="$(mktemp -d /var/tmp/slipway-layer-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
python3 - "$work/rootfs" <<'PY'
import os, random, sys
root, files, total = sys.argv[1], 50000, 1 << 30
rng = random.Random(1)
avg = total // files
text = b"".join(b"line %d of some configuration or source text\n" % i for i in range(4096))
for i in range(files):
    d = os.path.join(root, "usr/share/d%03d/s%02d" % (i // 5000, (i // 100) % 50))
    if i % 100 == 0:
        os.makedirs(d, exist_ok=True)
    size = rng.randint(0, 2 * avg)
    data = rng.randbytes(size) if i % 2 else (text * (size // len(text) + 1))[:size]
    with open(os.path.join(d, "f%05d" % i), "wb") as f:
        f.write(data)
PY
tar -C "$work/rootfs" --numeric-owner -cf "$work/rootfs.tar" .
rm -rf "$work/rootfs"
java -cp "$cp" dev.slipway.layer.LayerBenchmark "$work/rootfs.tar" "$work"
