package dev.slipway.scan;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Java archives: every {@code META-INF/maven/**}{@code /pom.properties} is a package (a shaded jar
 * lists several); without one, {@code MANIFEST.MF}, then the file name. Nested archives (Spring
 * Boot's {@code BOOT-INF/lib/*.jar}, wars, ears) are read the same way, to a bounded depth and size.
 */
final class JarParser {
    static final int MAX_DEPTH = 4;
    static final long MAX_NESTED = 256L << 20;
    private static final long MAX_SMALL = 1 << 20;
    private static final Pattern FILE_NAME = Pattern.compile("^([a-zA-Z0-9._-]*[^-*])-(\\d\\S*(?:-SNAPSHOT)?)\\.[jwe]ar$");

    private JarParser() {
    }

    static boolean isArchive(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        return p.endsWith(".jar") || p.endsWith(".war") || p.endsWith(".ear") || p.endsWith(".par");
    }

    static List<Package> parse(byte[] archive, String path) throws IOException {
        List<Package> out = new ArrayList<>();
        parse(new ByteArrayInputStream(archive), path, 0, out);
        return out;
    }

    private static void parse(InputStream archive, String path, int depth, List<Package> out) throws IOException {
        List<Package> own = new ArrayList<>();
        Manifest manifest = null;
        try (ZipInputStream zip = new ZipInputStream(archive)) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                String name = e.getName();
                if (e.isDirectory()) {
                    continue;
                }
                if (name.startsWith("META-INF/maven/") && name.endsWith("/pom.properties")) {
                    Properties props = new Properties();
                    props.load(new ByteArrayInputStream(bounded(zip, MAX_SMALL, name)));
                    String group = props.getProperty("groupId", "").trim();
                    String artifact = props.getProperty("artifactId", "").trim();
                    String version = props.getProperty("version", "").trim();
                    if (!group.isEmpty() && !artifact.isEmpty() && !version.isEmpty()) {
                        own.add(new Package(PackageType.MAVEN, group + ":" + artifact, version, null, null, null, null,
                                path, -1));
                    }
                } else if (name.equals("META-INF/MANIFEST.MF")) {
                    manifest = new Manifest(new ByteArrayInputStream(bounded(zip, MAX_SMALL, name)));
                } else if (isArchive(name) && depth < MAX_DEPTH) {
                    byte[] nested = bounded(zip, MAX_NESTED, name);
                    parse(new ByteArrayInputStream(nested), path + "!/" + name, depth + 1, out);
                }
            }
        }
        if (own.isEmpty()) {
            Package fromManifest = manifest == null ? null : fromManifest(manifest.getMainAttributes(), path);
            if (fromManifest != null) {
                own.add(fromManifest);
            } else {
                Matcher m = FILE_NAME.matcher(path.substring(path.lastIndexOf('/') + 1));
                if (m.matches()) {
                    own.add(new Package(PackageType.MAVEN, m.group(1), m.group(2), null, null, null, null, path, -1));
                }
            }
        }
        out.addAll(0, own);
    }

    private static Package fromManifest(Attributes a, String path) {
        String group = first(a, "Implementation-Vendor-Id");
        if (group == null) {
            String symbolic = first(a, "Bundle-SymbolicName");
            if (symbolic != null) {
                symbolic = symbolic.split(";")[0].trim();
                group = symbolic.contains(".") ? symbolic.substring(0, symbolic.lastIndexOf('.')) : null;
            }
        }
        String artifact = first(a, "Implementation-Title", "Specification-Title", "Bundle-Name");
        String version = first(a, "Implementation-Version", "Specification-Version", "Bundle-Version");
        if (artifact == null || version == null) {
            return null;
        }
        String name = group == null ? artifact : group + ":" + artifact;
        return new Package(PackageType.MAVEN, name, version, null, null, null, null, path, -1);
    }

    private static String first(Attributes a, String... keys) {
        for (String k : keys) {
            String v = a.getValue(k);
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }

    /** The current entry's bytes, refusing more than {@code limit} (a zip bomb or a huge fat jar). */
    private static byte[] bounded(InputStream in, long limit, String name) throws IOException {
        byte[] data = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
        if (data.length > limit) {
            throw new IOException("archive member " + name + " is over " + limit + " bytes");
        }
        return data;
    }
}
