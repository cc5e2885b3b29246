#!/usr/bin/env bash
# Makes the examples' base images without Docker Hub: debian:bookworm from debootstrap (minbase)
# and debian:bookworm-slim (no docs, man pages, locales or apt lists), both imported into the
# Slipway store. Needs root and debootstrap.
#
# Idempotent: an image already in the store is left alone, and the root file system tars are
# cached (default /var/tmp/slipway-examples), so only the first run pays for debootstrap.
#
# Environment: SLIPWAY (the slipway command; default the launcher in this repository),
# SLIPWAY_ROOT (the store), SLIPWAY_EXAMPLES_CACHE (the tar cache), DEBIAN_MIRROR (default: the
# mirror this machine's apt uses, else http://deb.debian.org/debian).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
slipway="${SLIPWAY:-$here/../slipway}"
cache="${SLIPWAY_EXAMPLES_CACHE:-/var/tmp/slipway-examples}"
suite=bookworm

log() { echo "base-images: $*" >&2; }

# The Debian mirror apt uses on this machine: a one-line "deb URL suite" entry or a deb822 URIs:
# field, whichever names a .../debian archive first.
host_mirror() {
    local f
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        sed -n -e 's/^[[:space:]]*deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]*\/debian\/\?\)[[:space:]].*/\2/p' \
               -e 's/^URIs:[[:space:]]*\([^[:space:]]*\/debian\/\?\)\([[:space:]].*\)\?$/\1/p' "$f"
    done | head -n 1
}
mirror="${DEBIAN_MIRROR:-$(host_mirror)}"
mirror="${mirror:-http://deb.debian.org/debian}"
mirror="${mirror%/}"

# Certificates the host trusts that Debian's ca-certificates does not ship (a proxy that inspects
# TLS, a company CA): without them, npm and Maven cannot reach their registries from RUN steps.
host_extra_cas() {
    local bundle=/etc/ssl/certs/ca-certificates.crt tmp known fp c
    [ -f "$bundle" ] && command -v openssl >/dev/null || return 0
    tmp="$(mktemp -d)"
    for c in /usr/share/ca-certificates/*/*.crt; do
        [ -f "$c" ] && openssl x509 -in "$c" -noout -fingerprint -sha256
    done | sort -u >"$tmp/known"
    awk -v dir="$tmp" '/-----BEGIN CERTIFICATE-----/ { n++ } n { print > (dir "/cert-" n ".pem") }' "$bundle"
    for c in "$tmp"/cert-*.pem; do
        [ -f "$c" ] || continue
        fp="$(openssl x509 -in "$c" -noout -fingerprint -sha256 2>/dev/null)" || continue
        grep -qxF "$fp" "$tmp/known" || cat "$c"
    done
    rm -rf "$tmp"
}

# The extra certificates go where update-ca-certificates picks them up once a RUN step installs
# ca-certificates, and into the bundle path itself, which NODE_EXTRA_CA_CERTS names for node.
# One certificate per file: ca-certificates-java imports only the first certificate of each file
# into the JDK's truststore, and Maven needs the proxy's CA there.
add_cas() {
    local root="$1" pem="$2"
    mkdir -p "$root/usr/local/share/ca-certificates" "$root/etc/ssl/certs"
    awk -v dir="$root/usr/local/share/ca-certificates" \
        '/-----BEGIN CERTIFICATE-----/ { n++ } n { print > (dir "/host-extra-" n ".crt") }' <<<"$pem"
    printf '%s\n' "$pem" >"$root/etc/ssl/certs/ca-certificates.crt"
}

have_image() { [ -n "$("$slipway" images -q "$1")" ]; }

# Official Debian images carry these so that apt never keeps downloaded .debs in a layer.
write_apt_config() {
    local root="$1"
    cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror $suite main
deb $mirror $suite-updates main
deb ${mirror%/debian}/debian-security $suite-security main
EOF
    cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
    printf 'Acquire::Languages "none";\n' >"$root/etc/apt/apt.conf.d/docker-no-languages"
}

# What a container runtime provides at run time, and what debootstrap leaves behind, goes.
normalize() {
    local root="$1"
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/archives/partial/* \
           "$root"/var/cache/apt/*.bin "$root"/var/lib/apt/lists/* "$root"/var/log/bootstrap.log \
           "$root"/debootstrap "$root"/dev/* "$root"/proc/* "$root"/sys/* "$root"/run/* "$root"/tmp/* \
           "$root"/etc/resolv.conf "$root"/etc/hostname
    mkdir -p "$root"/var/lib/apt/lists/partial
    : >"$root/etc/hostname"
    write_apt_config "$root"
}

# debian:bookworm-slim's recipe: no documentation, man pages or translations, now or after any
# later apt-get install (dpkg's path-exclude), and no apt lists.
slim() {
    local root="$1"
    cat >"$root/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
    find "$root/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
    find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
    rm -rf "$root"/usr/share/man/* "$root"/usr/share/groff/* "$root"/usr/share/info/* \
           "$root"/usr/share/lintian/* "$root"/usr/share/linda/* "$root"/var/cache/man/*
    find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
    rm -rf "$root"/var/lib/apt/lists/*
    mkdir -p "$root"/var/lib/apt/lists/partial
}

# Tars are written with numeric owners and sorted names so the same tree gives the same layer.
make_tar() {
    local root="$1" out="$2"
    tar --numeric-owner --sort=name -C "$root" -cf "$out.tmp" .
    mv "$out.tmp" "$out"
}

build_tars() {
    local work
    work="$(mktemp -d "$cache/debootstrap.XXXXXX")"
    trap 'rm -rf "$work"' RETURN
    log "debootstrap --variant=minbase $suite from $mirror (a few minutes, once)"
    local start=$SECONDS
    if ! debootstrap --variant=minbase "$suite" "$work/root" "$mirror" >"$work/log" 2>&1; then
        tail -n 20 "$work/log" >&2
        log "debootstrap failed"
        return 1
    fi
    log "debootstrap done in $((SECONDS - start))s"
    normalize "$work/root"
    make_tar "$work/root" "$cache/debian-$suite.tar"
    slim "$work/root"
    make_tar "$work/root" "$cache/debian-$suite-slim.tar"
}

command -v debootstrap >/dev/null || { log "debootstrap is not installed (apt-get install debootstrap)"; exit 1; }
[ "$(id -u)" = 0 ] || { log "needs root (debootstrap and device-free root file systems)"; exit 1; }

if have_image "debian:$suite" && have_image "debian:$suite-slim"; then
    log "debian:$suite and debian:$suite-slim are already in the store"
    exit 0
fi

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [ ! -f "$cache/debian-$suite.tar" ] || [ ! -f "$cache/debian-$suite-slim.tar" ]; then
    build_tars
fi

extra_cas="$(host_extra_cas)"
changes=(-c 'CMD ["bash"]')
if [ -n "$extra_cas" ]; then
    log "adding the $(grep -c 'BEGIN CERT' <<<"$extra_cas") CA certificate(s) this host trusts beyond Debian's to the images"
    changes+=(-c 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt')
fi
for name in "$suite" "$suite-slim"; do
    if have_image "debian:$name"; then
        log "debian:$name is already in the store"
        continue
    fi
    log "importing debian:$name"
    tar="$cache/debian-$name.tar"
    if [ -n "$extra_cas" ]; then
        work="$(mktemp -d "$cache/ca.XXXXXX")"
        tar -C "$work" --numeric-owner -xf "$tar"
        add_cas "$work" "$extra_cas"
        make_tar "$work" "$work.tar"
        rm -rf "$work"
        tar="$work.tar"
    fi
    "$slipway" import "${changes[@]}" -m "debootstrap --variant=minbase $suite $mirror" \
        "$tar" "debian:$name" >/dev/null
    [ "$tar" = "$cache/debian-$name.tar" ] || rm -f "$tar"
done
"$slipway" images debian
