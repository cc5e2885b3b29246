#!/usr/bin/env bash
# Builds the same generated fixtures with Slipway, with BuildKit (the Docker engine's builder) and
# with buildah, in one run, and prints the median wall time of each tool for each fixture and
# scenario, and each tool's ratio to BuildKit (below 1.0: faster than BuildKit). Not a test: slow.
#
# Fixtures (generated deterministically under the work directory, all FROM one local busybox base
# made from /bin/busybox, so nothing is pulled):
#   multi  three parallel stages (3,000 small files; 40 MB of data; 2,000 generated files and
#          16 MB written by RUN) joined by COPY --from into a final stage
#   chain  30 RUN steps, with a COPY of one source file after the 20th
#   copy   COPY of a 200 MB, 20,000-file context, then one RUN
# Scenarios, each timed for every tool in turn:
#   cold    empty caches: docker: the bench's images removed and `docker builder prune -af`;
#           buildah and Slipway: a fresh storage root (the base image is imported untimed)
#   warm    the same build again, nothing changed
#   change  one source file changed, then the build
#   export  the image written to a docker-archive (docker save / buildah push docker-archive: /
#           slipway save)
#
# Usage: bench/build-bench.sh [-n RUNS] [--tools slipway,buildkit,buildah] [--fixtures multi,chain,copy]
#                             [--scenarios cold,warm,change,export] [--jobs N] [--work DIR] [--keep]
# Needs root (RUN steps mount overlays), Java 17 + Maven (the launcher builds the jar), the Docker
# engine from Debian's docker.io at $BENCH_DOCKER_HOST (default: the oracle's private socket,
# unix:///var/tmp/slipway-oracle/docker.sock; `. .ci/services` starts it) and Debian's buildah.
# The cold scenario prunes that engine's whole build cache (other users of it only lose speed).
# Environment: SLIPWAY (how to call Slipway, default ./slipway), SLIPWAY_JAVA_OPTS (passed on by
# the launcher).
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"

runs=5
tools=slipway,buildkit,buildah
fixtures=multi,chain,copy
scenarios=cold,warm,change,export
jobs="$(nproc)"
work=""
keep=0
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }
die() { echo "build-bench: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
    case "$1" in
        -n) runs="${2:?-n needs a number}"; shift 2 ;;
        --tools) tools="${2:?--tools needs a list}"; shift 2 ;;
        --fixtures) fixtures="${2:?--fixtures needs a list}"; shift 2 ;;
        --scenarios) scenarios="${2:?--scenarios needs a list}"; shift 2 ;;
        --jobs) jobs="${2:?--jobs needs a number}"; shift 2 ;;
        --work) work="${2:?--work needs a directory}"; shift 2 ;;
        --keep) keep=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "-n must be a positive number, got '$runs'"
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || die "--jobs must be a positive number, got '$jobs'"
check_list() { # name value allowed...
    local name="$1" value="$2" item ok a
    shift 2
    IFS=, read -r -a items <<<"$value"
    [ "${#items[@]}" -gt 0 ] || die "$name is empty"
    for item in "${items[@]}"; do
        ok=0
        for a in "$@"; do [ "$item" = "$a" ] && ok=1; done
        [ "$ok" = 1 ] || die "$name: unknown '$item' (choose from: $*)"
    done
}
check_list --tools "$tools" slipway buildkit buildah
check_list --fixtures "$fixtures" multi chain copy
check_list --scenarios "$scenarios" cold warm change export
IFS=, read -r -a tool_list <<<"$tools"
IFS=, read -r -a fixture_list <<<"$fixtures"
has() { [[ ",$1," == *",$2,"* ]]; }

# ---- what each tool needs, checked before anything is generated ----
[ "$(id -u)" = 0 ] || die "needs root: RUN steps of every builder mount overlays and run runc/chroot"
[ -x /bin/busybox ] || die "no /bin/busybox for the base image: apt-get install busybox-static"
command -v python3 >/dev/null || die "python3 is needed to generate the fixtures and compute medians"
docker_host="${BENCH_DOCKER_HOST:-${SLIPWAY_TEST_DOCKER_HOST:-unix:///var/tmp/slipway-oracle/docker.sock}}"
docker=(env -u DOCKER_CONFIG DOCKER_HOST="$docker_host" DOCKER_BUILDKIT=1 /usr/bin/docker)
if has "$tools" buildkit; then
    [ -x /usr/bin/docker ] || die "BuildKit: /usr/bin/docker is missing: apt-get install docker.io (or leave it out: --tools slipway,buildah)"
    "${docker[@]}" version >/dev/null 2>&1 \
        || die "BuildKit: no Docker engine answers at $docker_host: start one with '. .ci/services' (or set BENCH_DOCKER_HOST)"
fi
if has "$tools" buildah; then
    command -v buildah >/dev/null || die "buildah is missing: apt-get install buildah (or leave it out: --tools slipway,buildkit)"
fi
if has "$tools" slipway; then
    read -r -a slipway <<<"${SLIPWAY:-$here/slipway}"
    command -v "${slipway[0]}" >/dev/null || die "Slipway: cannot run '${slipway[0]}' (set SLIPWAY)"
    command -v java >/dev/null || die "Slipway: java is missing (Java 17)"
fi

if [ -z "$work" ]; then
    work="$(mktemp -d /var/tmp/slipway-build-bench.XXXXXX)"
else
    mkdir -p "$work"
    work="$(cd "$work" && pwd)"
fi
base=slipway-bench-base:1
docker_ids="$work/docker-images"
: >"$docker_ids"

cleanup() {
    local rc=$?
    set +e
    if has "$tools" buildkit; then
        # Only what this script made: the images it built (by ID, from --iidfile) and its base tag.
        sort -u "$docker_ids" | xargs -r "${docker[@]}" rmi -f >/dev/null 2>&1
        "${docker[@]}" rmi -f "$base" >/dev/null 2>&1
    fi
    if [ -d "$work/buildah" ]; then
        buildah_reset >/dev/null 2>&1
    fi
    if [ "$keep" = 0 ]; then
        rm -rf "$work"
    else
        echo "build-bench: kept $work" >&2
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log="$work/last.log"
fail() { # message: prints the output of the command that failed
    echo "build-bench: $*" >&2
    tail -n 30 "$log" >&2
    exit 1
}
# Runs a command with its output in $log; on failure shows it and stops.
quietly() {
    "$@" >"$log" 2>&1 || fail "failed: $*"
}
now() { date +%s.%N; }
# Records "fixture scenario tool seconds" for one timed command.
results="$work/results"
: >"$results"
timed() { # fixture scenario tool command...
    local fixture="$1" scenario="$2" tool="$3" start end
    shift 3
    start="$(now)"
    "$@" >"$log" 2>&1 || fail "$tool $scenario $fixture failed: $*"
    end="$(now)"
    echo "$fixture $scenario $tool $(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }')" | tee -a "$results" >&2
}

# ---- the base image and the fixtures ----
echo "build-bench: generating the base image and fixtures in $work" >&2
python3 - "$work" <<'PY'
import io, os, random, subprocess, sys, tarfile
work = sys.argv[1]
EPOCH = 1700000000

# The base: busybox-static with its applets as symlinks, as the oracle makes busybox:oracle.
applets = subprocess.run(["/bin/busybox", "--list-full"], capture_output=True, text=True, check=True).stdout.split()
with tarfile.open(os.path.join(work, "base.tar"), "w", format=tarfile.PAX_FORMAT) as t:
    def add(name, type=tarfile.DIRTYPE, mode=0o755, data=b"", link=""):
        ti = tarfile.TarInfo(name)
        ti.type, ti.mode, ti.mtime, ti.linkname = type, mode, EPOCH, link
        ti.size = len(data)
        t.addfile(ti, io.BytesIO(data) if data else None)
    for d in ["bin", "sbin", "usr", "usr/bin", "usr/sbin", "etc", "root", "home", "var", "dev", "proc", "sys"]:
        add(d)
    add("tmp", mode=0o1777)
    with open("/bin/busybox", "rb") as f:
        add("bin/busybox", tarfile.REGTYPE, 0o755, f.read())
    for a in sorted(set(a.lstrip("/") for a in applets) - {"bin/busybox"}):
        add(a, tarfile.SYMTYPE, 0o777, link="/bin/busybox")
    add("etc/passwd", tarfile.REGTYPE, 0o644, b"root:x:0:0:root:/root:/bin/sh\n")
    add("etc/group", tarfile.REGTYPE, 0o644, b"root:x:0:\n")

def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    os.utime(path, (EPOCH, EPOCH))

words = b"alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split()

# multi: parallel stages over many small files and tens of MB.
rng = random.Random(1)
ctx = os.path.join(work, "multi")
for i in range(3000):
    n = rng.randint(20, 300)
    write(os.path.join(ctx, "assets", "d%02d" % (i % 30), "f%04d.txt" % i), b" ".join(rng.choice(words) for _ in range(n)) + b"\n")
for i in range(8):
    write(os.path.join(ctx, "data", "blob%d.bin" % i), rng.randbytes(5 << 20))
write(os.path.join(ctx, "Dockerfile"), b"""FROM slipway-bench-base:1 AS base
RUN mkdir -p /out

FROM base AS assets
COPY assets /src/assets
RUN cd /src/assets && find . -type f | sort > /out/assets.list && tar -cf /out/assets.tar .

FROM base AS data
COPY data /src/data
RUN cat /src/data/* | sha256sum > /out/data.sum && cp -r /src/data /out/data

FROM base AS gen
RUN i=0; while [ $i -lt 2000 ]; do echo "generated file $i" > /out/g$i.txt; i=$((i+1)); done
RUN dd if=/dev/zero of=/out/zeros.bin bs=1048576 count=16 2>/dev/null

FROM base
COPY --from=assets /out /app/assets
COPY --from=data /out /app/data
COPY --from=gen /out /app/gen
RUN find /app -type f | wc -l > /app/count
""")

# chain: 30 RUN steps, one source file copied after the 20th.
ctx = os.path.join(work, "chain")
lines = [b"FROM slipway-bench-base:1"]
for n in range(1, 31):
    if n == 21:
        lines.append(b"COPY version.txt /version.txt")
    lines.append(b"RUN echo step %d >> /chain.log && mkdir -p /s/%d && echo %d > /s/%d/f" % (n, n, n, n))
write(os.path.join(ctx, "Dockerfile"), b"\n".join(lines) + b"\n")
write(os.path.join(ctx, "version.txt"), b"version 0\n")

# copy: a 200 MB, 20,000-file context copied whole.
rng = random.Random(3)
ctx = os.path.join(work, "copy")
for i in range(20000):
    write(os.path.join(ctx, "files", "d%03d" % (i // 100), "f%05d.bin" % i), rng.randbytes(rng.randint(0, 20971)))
write(os.path.join(ctx, "Dockerfile"), b"""FROM slipway-bench-base:1
COPY files /ctx
RUN echo copied > /done
""")
PY
# The file each fixture's "change" scenario rewrites.
changed_file() {
    case "$1" in
        multi) echo "$work/multi/assets/d07/f0007.txt" ;;
        chain) echo "$work/chain/version.txt" ;;
        copy) echo "$work/copy/files/d123/f12345.bin" ;;
    esac
}
for f in "${fixture_list[@]}"; do
    echo "build-bench: fixture $f: $(find "$work/$f" -type f | wc -l) files, $(du -sm "$work/$f" | cut -f1) MB" >&2
done

# ---- the tools: reset (untimed), build, export ----
image() { echo "slipway-bench-$1:latest"; }

slipway_root="$work/slipway"
slipway_reset() {
    rm -rf "$slipway_root"
    quietly "${slipway[@]}" --root "$slipway_root" import "$work/base.tar" "$base"
}
slipway_build() { "${slipway[@]}" --root "$slipway_root" build -q --jobs "$jobs" -t "$(image "$1")" "$work/$1"; }
slipway_export() { "${slipway[@]}" --root "$slipway_root" save -o "$work/export.tar" "$(image "$1")"; }

buildkit_reset() {
    sort -u "$docker_ids" | xargs -r "${docker[@]}" rmi -f >/dev/null 2>&1 || true
    : >"$docker_ids"
    quietly "${docker[@]}" builder prune -af
    if ! "${docker[@]}" image inspect "$base" >/dev/null 2>&1; then
        quietly "${docker[@]}" import "$work/base.tar" "$base"
    fi
}
buildkit_build() {
    "${docker[@]}" build -q --network=host --iidfile "$work/iid" -t "$(image "$1")" "$work/$1" || return 1
    cat "$work/iid" >>"$docker_ids"
    echo >>"$docker_ids"
}
buildkit_export() { "${docker[@]}" save -o "$work/export.tar" "$(image "$1")"; }

buildah=(buildah --root "$work/buildah/root" --runroot "$work/buildah/run" --storage-driver overlay)
buildah_reset() {
    if [ -d "$work/buildah" ]; then
        "${buildah[@]}" rm -a >/dev/null 2>&1 || true
        "${buildah[@]}" rmi -af >/dev/null 2>&1 || true
        rm -rf "$work/buildah" 2>/dev/null || { grep -o " $work/buildah[^ ]*" /proc/mounts | sort -r | xargs -r umount -l; rm -rf "$work/buildah"; }
    fi
    [ "${1:-}" = init ] || return 0
    local c
    c="$("${buildah[@]}" from scratch 2>"$log")" || fail "buildah from scratch failed"
    quietly "${buildah[@]}" add "$c" "$work/base.tar" /
    quietly "${buildah[@]}" commit -q "$c" "$base"
    quietly "${buildah[@]}" rm "$c"
}
buildah_build() {
    "${buildah[@]}" bud -q --isolation chroot --layers --jobs "$jobs" -t "$(image "$1")" "$work/$1"
}
buildah_export() {
    rm -f "$work/export.tar"
    "${buildah[@]}" push -q "$(image "$1")" "docker-archive:$work/export.tar:$(image "$1")"
}

reset() { # tool
    case "$1" in
        slipway) slipway_reset ;;
        buildkit) buildkit_reset ;;
        buildah) buildah_reset init ;;
    esac
}

if has "$tools" slipway; then
    echo "build-bench: building Slipway (outside the timings)" >&2
    quietly "${slipway[@]}" --version
fi

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
change=0
for run in $(seq 1 "$runs"); do
    echo "build-bench: run $run of $runs (load $(cut -d' ' -f1 /proc/loadavg))" >&2
    for fixture in "${fixture_list[@]}"; do
        for tool in "${tool_list[@]}"; do
            # Every tool starts each run from empty caches and its own first build, timed or not.
            reset "$tool"
            if has "$scenarios" cold; then
                timed "$fixture" cold "$tool" "${tool}_build" "$fixture"
            else
                quietly "${tool}_build" "$fixture"
            fi
            if has "$scenarios" warm; then
                timed "$fixture" warm "$tool" "${tool}_build" "$fixture"
            fi
            if has "$scenarios" change; then
                change=$((change + 1))
                # New content every time, so each tool sees a change against its last build.
                printf 'changed %d\n' "$change" >>"$(changed_file "$fixture")"
                timed "$fixture" change "$tool" "${tool}_build" "$fixture"
            fi
            if has "$scenarios" export; then
                timed "$fixture" export "$tool" "${tool}_export" "$fixture"
                rm -f "$work/export.tar"
            fi
        done
    done
done

# ---- the table ----
echo
echo "median wall seconds of $runs runs; ratio = tool / BuildKit (below 1.0: faster than BuildKit)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); load average before $load_before, after $(cut -d' ' -f1-3 /proc/loadavg); --jobs $jobs"
python3 - "$results" "$tools" "$fixtures" "$scenarios" <<'PY'
import statistics, sys
path, tools, fixtures, scenarios = sys.argv[1], sys.argv[2].split(","), sys.argv[3].split(","), sys.argv[4].split(",")
names = {"slipway": "Slipway", "buildkit": "BuildKit", "buildah": "buildah"}
times = {}
for line in open(path):
    f, s, t, secs = line.split()
    times.setdefault((f, s, t), []).append(float(secs))
others = [t for t in tools if t != "buildkit"]
head = ["fixture", "scenario"] + [names[t] + " s" for t in tools]
if "buildkit" in tools:
    head += [names[t] + "/BuildKit" for t in others]
rows = []
for f in fixtures:
    for s in scenarios:
        med = {t: statistics.median(times[(f, s, t)]) for t in tools if (f, s, t) in times}
        row = [f, s] + ["%.2f" % med[t] if t in med else "-" for t in tools]
        if "buildkit" in tools:
            row += ["%.2f" % (med[t] / med["buildkit"]) if t in med and med.get("buildkit") else "-" for t in others]
        rows.append(row)
print("| " + " | ".join(head) + " |")
print("|" + "|".join(" --- " for _ in head) + "|")
for r in rows:
    print("| " + " | ".join(r) + " |")
PY
