#!/bin/sh
# Compiles the C files here into the native library the jar carries (called by Maven at process-classes:
# build.sh JAVA_HOME OUTPUT_DIR OS_ARCH, the arch as Java names it). Optional: without a C compiler or JNI headers Slipway runs the
# host tools (mount, umount, getfattr, setfattr) instead, only slower.
set -u
java_home="$1"
out="$2/native/linux-$3"
here="$(cd "$(dirname "$0")" && pwd)"
cc="${CC:-cc}"
if ! command -v "$cc" >/dev/null 2>&1; then
    echo "slipway: no C compiler ($cc): building without the native helpers (RUN steps fork mount/umount/getfattr)"
    exit 0
fi
if [ ! -f "$java_home/include/jni.h" ]; then
    echo "slipway: no JNI headers under $java_home/include: building without the native helpers"
    exit 0
fi
mkdir -p "$out"
if ! "$cc" -O2 -Wall -Werror -shared -fPIC -I"$java_home/include" -I"$java_home/include/linux" \
        -o "$out/libslipway.so.tmp" "$here"/*.c; then
    echo "slipway: compiling the native helpers failed: building without them"
    # A library from an earlier build would otherwise stay in the classes and hide the failure.
    rm -f "$out/libslipway.so.tmp" "$out/libslipway.so"
    exit 0
fi
mv "$out/libslipway.so.tmp" "$out/libslipway.so"
