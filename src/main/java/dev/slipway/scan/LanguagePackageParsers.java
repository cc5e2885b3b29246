package dev.slipway.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.SlipwayException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** npm lockfiles and package.json files, Python METADATA / PKG-INFO. */
final class LanguagePackageParsers {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NODE_MODULES = "node_modules/";

    private LanguagePackageParsers() {
    }

    /** Is {@code path} a package's own {@code package.json} directly inside a {@code node_modules} directory? */
    static boolean isInstalledPackageJson(String path) {
        if (!path.endsWith("/package.json")) {
            return false;
        }
        int nm = path.lastIndexOf("/" + NODE_MODULES);
        String rest = nm >= 0 ? path.substring(nm + 1 + NODE_MODULES.length())
                : path.startsWith(NODE_MODULES) ? path.substring(NODE_MODULES.length()) : null;
        if (rest == null) {
            return false;
        }
        String dir = rest.substring(0, rest.length() - "/package.json".length());
        return dir.startsWith("@") ? dir.chars().filter(c -> c == '/').count() == 1 : !dir.contains("/") && !dir.isEmpty();
    }

    static boolean isLockfile(String path) {
        return (path.equals("package-lock.json") || path.endsWith("/package-lock.json")) && !path.contains(NODE_MODULES);
    }

    static List<Package> packageJson(byte[] content, String path) {
        JsonNode root = json(content, path);
        String name = root.path("name").asText("");
        String version = root.path("version").asText("");
        if (name.isEmpty() || version.isEmpty()) {
            return List.of();
        }
        return List.of(new Package(PackageType.NPM, name, version, null, null, null, license(root), null, -1));
    }

    private static String license(JsonNode root) {
        JsonNode l = root.path("license");
        if (l.isTextual()) {
            return l.asText();
        }
        return l.path("type").isTextual() ? l.path("type").asText() : null;
    }

    /** {@code package-lock.json} v1 (nested {@code dependencies}), v2 and v3 ({@code packages}). */
    static List<Package> packageLock(byte[] content, String path) {
        JsonNode root = json(content, path);
        List<Package> out = new ArrayList<>();
        JsonNode packages = root.path("packages");
        if (packages.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = packages.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey();
                JsonNode p = e.getValue();
                int nm = key.lastIndexOf(NODE_MODULES);
                if (key.isEmpty() || nm < 0 || p.path("link").asBoolean(false)) {
                    continue;
                }
                String name = p.path("name").asText(key.substring(nm + NODE_MODULES.length()));
                String version = p.path("version").asText("");
                if (!version.isEmpty()) {
                    out.add(new Package(PackageType.NPM, name, version, null, null, null, license(p), null, -1));
                }
            }
            return out;
        }
        v1(root.path("dependencies"), out, 0);
        return out;
    }

    private static void v1(JsonNode dependencies, List<Package> out, int depth) {
        if (!dependencies.isObject() || depth > 64) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = dependencies.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String version = e.getValue().path("version").asText("");
            if (!version.isEmpty() && !version.startsWith("file:")) {
                out.add(Package.of(PackageType.NPM, e.getKey(), version));
            }
            v1(e.getValue().path("dependencies"), out, depth + 1);
        }
    }

    private static JsonNode json(byte[] content, String path) {
        try {
            JsonNode node = JSON.readTree(content);
            if (node == null || !node.isObject()) {
                throw new SlipwayException(path + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new SlipwayException(path + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    static boolean isPythonMetadata(String path) {
        return path.endsWith(".dist-info/METADATA") || path.endsWith(".egg-info/PKG-INFO")
                || path.endsWith("EGG-INFO/PKG-INFO") || path.endsWith(".egg-info");
    }

    /** Core metadata headers (RFC 822): {@code Name}, {@code Version}, {@code License}. */
    static List<Package> pythonMetadata(String text) {
        int end = text.indexOf("\n\n");
        String headers = end >= 0 ? text.substring(0, end) : text;
        List<Map<String, String>> paragraphs = OsPackageParsers.paragraphs(headers, ':');
        if (paragraphs.isEmpty()) {
            return List.of();
        }
        Map<String, String> h = paragraphs.get(0);
        String name = h.get("Name");
        String version = h.get("Version");
        if (name == null || version == null || name.isEmpty()) {
            return List.of();
        }
        String license = h.get("License-Expression") != null ? h.get("License-Expression") : h.get("License");
        if (license != null && (license.contains("\n") || license.length() > 100 || license.equals("UNKNOWN"))) {
            license = null;
        }
        return List.of(new Package(PackageType.PYPI, name, version, null, null, null, license, null, -1));
    }
}
