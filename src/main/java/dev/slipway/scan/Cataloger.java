package dev.slipway.scan;

import dev.slipway.SlipwayException;
import dev.slipway.layer.Compression;
import dev.slipway.layer.EntryType;
import dev.slipway.layer.LayerEntry;
import dev.slipway.layer.LayerReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Catalogues packages by streaming an image's layers in order, no container and no extraction:
 * each package database or manifest found is parsed where it lies, whiteouts and opaque
 * directories remove what lower layers held (so a deleted dpkg status takes its packages with
 * it), and every package is attributed to the first layer whose copy of its file listed it.
 */
public final class Cataloger {
    static final long MAX_DATABASE = 64L << 20;
    static final long MAX_ARCHIVE = 256L << 20;
    static final long MAX_BINARY = 256L << 20;
    private static final String[] OS_RELEASE = {"etc/os-release", "usr/lib/os-release"};
    private static final Set<String> RPM_DATABASES = Set.of("var/lib/rpm/Packages", "var/lib/rpm/Packages.db",
            "var/lib/rpm/rpmdb.sqlite", "usr/lib/sysimage/rpm/Packages", "usr/lib/sysimage/rpm/Packages.db",
            "usr/lib/sysimage/rpm/rpmdb.sqlite", "usr/share/rpm/rpmdb.sqlite");

    /** What one file at one path yielded; {@code firstLayer} per package key. */
    private record Found(List<Package> packages, Map<String, Integer> firstLayer, String text, String note) {
    }

    private enum Kind { OS_RELEASE, DPKG, APK, RPM, NPM_LOCK, NPM_PACKAGE, PYTHON, JAR, BINARY }

    public Catalog catalog(String image, List<LayerInput> layers) {
        TreeMap<String, Found> live = new TreeMap<>();
        List<Catalog.Layer> described = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            LayerInput layer = layers.get(i);
            described.add(new Catalog.Layer(i, layer.diffId(), layer.createdBy()));
            try (InputStream raw = layer.opener().open();
                    InputStream tar = Compression.decompressing(raw);
                    LayerReader reader = new LayerReader(tar)) {
                apply(i, reader, live);
            } catch (IOException e) {
                throw new SlipwayException("cannot read layer " + layer.diffId() + ": " + e.getMessage(), e);
            }
        }
        OsRelease os = null;
        for (String p : OS_RELEASE) {
            Found f = live.get(p);
            if (os == null && f != null && f.text() != null) {
                os = OsRelease.parse(f.text());
            }
        }
        Map<String, Package> unique = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (Map.Entry<String, Found> e : live.entrySet()) {
            Found f = e.getValue();
            if (f.note() != null) {
                notes.add(f.note());
            }
            for (Package p : f.packages()) {
                String path = p.path() != null ? p.path() : e.getKey();
                Package placed = p.at(path, f.firstLayer().get(p.key()));
                unique.merge(placed.key(), placed, (a, b) -> b.layer() < a.layer() ? b : a);
            }
        }
        List<Package> packages = new ArrayList<>(unique.values());
        packages.sort(Comparator.comparing(Package::type).thenComparing(Package::name).thenComparing(Package::version)
                .thenComparing(p -> p.arch() == null ? "" : p.arch()));
        return new Catalog(image, os, described, packages, notes);
    }

    private void apply(int index, LayerReader reader, TreeMap<String, Found> live) throws IOException {
        Map<String, Found> added = new LinkedHashMap<>();
        Set<String> removedTrees = new HashSet<>();
        Set<String> replaced = new HashSet<>();
        List<String> opaque = new ArrayList<>();
        LayerEntry e;
        while ((e = reader.next()) != null) {
            if (e.isOpaqueMarker()) {
                opaque.add(e.path().substring(0, e.path().length() - LayerEntry.OPAQUE_MARKER.length()));
                continue;
            }
            if (e.isWhiteout()) {
                removedTrees.add(e.whiteoutTarget());
                continue;
            }
            added.remove(e.path());
            // A directory merges with the one below; anything else replaces whatever was there.
            if (e.type() == EntryType.DIRECTORY) {
                replaced.add(e.path());
            } else {
                removedTrees.add(e.path());
            }
            Kind kind = e.type() == EntryType.FILE ? kind(e) : null;
            if (kind != null) {
                Found f = read(kind, e, reader.content());
                if (f != null) {
                    added.put(e.path(), f);
                }
            }
        }
        Map<String, Found> before = new TreeMap<>();
        for (String dir : opaque) {
            live.subMap(dir, dir + Character.MAX_VALUE).clear();
        }
        for (String path : replaced) {
            live.remove(path);
        }
        for (String path : removedTrees) {
            Found old = live.remove(path);
            if (old != null) {
                before.put(path, old);
            }
            live.subMap(path + "/", path + "0").clear();
        }
        for (Map.Entry<String, Found> a : added.entrySet()) {
            Found previous = before.get(a.getKey());
            Map<String, Integer> first = new TreeMap<>();
            for (Package p : a.getValue().packages()) {
                Integer earlier = previous == null ? null : previous.firstLayer().get(p.key());
                first.put(p.key(), earlier != null ? earlier : index);
            }
            live.put(a.getKey(), new Found(a.getValue().packages(), first, a.getValue().text(), a.getValue().note()));
        }
    }

    private static Kind kind(LayerEntry e) {
        String p = e.path();
        for (String os : OS_RELEASE) {
            if (p.equals(os)) {
                return Kind.OS_RELEASE;
            }
        }
        if (p.equals("var/lib/dpkg/status") || (p.startsWith("var/lib/dpkg/status.d/") && !p.endsWith(".md5sums")
                && p.indexOf('/', "var/lib/dpkg/status.d/".length()) < 0)) {
            return Kind.DPKG;
        }
        if (p.equals("lib/apk/db/installed") || p.equals("usr/lib/apk/db/installed")) {
            return Kind.APK;
        }
        if (RPM_DATABASES.contains(p)) {
            return Kind.RPM;
        }
        if (LanguagePackageParsers.isLockfile(p)) {
            return Kind.NPM_LOCK;
        }
        if (LanguagePackageParsers.isInstalledPackageJson(p)) {
            return Kind.NPM_PACKAGE;
        }
        if (LanguagePackageParsers.isPythonMetadata(p)) {
            return Kind.PYTHON;
        }
        if (JarParser.isArchive(p)) {
            return Kind.JAR;
        }
        if ((e.mode() & 0111) != 0 && e.size() >= 64) {
            return Kind.BINARY;
        }
        return null;
    }

    private Found read(Kind kind, LayerEntry e, InputStream content) throws IOException {
        String path = e.path();
        long limit = switch (kind) {
            case JAR -> MAX_ARCHIVE;
            case BINARY -> MAX_BINARY;
            default -> MAX_DATABASE;
        };
        if (e.size() > limit) {
            return note(path + ": " + e.size() + " bytes is over the " + limit + "-byte limit; not read");
        }
        if (kind == Kind.BINARY) {
            BufferedInputStream in = new BufferedInputStream(content, 8192);
            in.mark(4);
            byte[] head = in.readNBytes(4);
            if (!GoBuildInfo.isElf(head)) {
                return null;
            }
            in.reset();
            GoBuildInfo.Info info = GoBuildInfo.read(in.readAllBytes());
            return info == null ? null : found(goPackages(info, path));
        }
        if (kind == Kind.RPM) {
            return note(path + ": rpm databases are not supported yet; rpm packages are not listed");
        }
        byte[] data = content.readAllBytes();
        String text = new String(data, StandardCharsets.UTF_8);
        try {
            return switch (kind) {
                case OS_RELEASE -> new Found(List.of(), Map.of(), text, null);
                case DPKG -> found(OsPackageParsers.dpkg(text));
                case APK -> found(OsPackageParsers.apk(text));
                case NPM_LOCK -> found(LanguagePackageParsers.packageLock(data, path));
                case NPM_PACKAGE -> found(LanguagePackageParsers.packageJson(data, path));
                case PYTHON -> found(LanguagePackageParsers.pythonMetadata(text));
                case JAR -> found(JarParser.parse(data, path));
                default -> null;
            };
        } catch (SlipwayException | IOException | IllegalArgumentException ex) {
            return note(path + ": " + ex.getMessage());
        }
    }

    static List<Package> goPackages(GoBuildInfo.Info info, String path) {
        List<Package> out = new ArrayList<>();
        out.add(new Package(PackageType.GO, "stdlib", GoBuildInfo.stdlibVersion(info.goVersion()), null, null, null, null,
                path, -1));
        for (GoBuildInfo.Module m : info.modules()) {
            if (!m.version().equals("(devel)") && !m.version().isEmpty()) {
                out.add(new Package(PackageType.GO, m.path(), m.version(), null, null, null, null, path, -1));
            }
        }
        return out;
    }

    private static Found found(List<Package> packages) {
        return new Found(packages, Map.of(), null, null);
    }

    private static Found note(String message) {
        return new Found(List.of(), Map.of(), null, message);
    }
}
