package dev.slipway.scan;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Package URLs (github.com/package-url/purl-spec) for catalogued packages, qualifiers sorted. */
public final class Purls {
    private Purls() {
    }

    public static String of(Package p, OsRelease os) {
        String distroId = os == null ? null : os.id();
        List<String> qualifiers = new ArrayList<>();
        String namespaceAndName;
        switch (p.type()) {
            case DEB, APK, RPM -> {
                String type = p.type() == PackageType.DEB ? "deb" : p.type() == PackageType.APK ? "apk" : "rpm";
                String ns = distroId != null ? distroId : p.type() == PackageType.DEB ? "debian"
                        : p.type() == PackageType.APK ? "alpine" : "redhat";
                namespaceAndName = type + "/" + encode(ns) + "/" + encode(p.name());
                if (p.arch() != null) {
                    qualifiers.add("arch=" + encode(p.arch()));
                }
                if (os != null) {
                    qualifiers.add("distro=" + encode(os.purlDistro()));
                }
                if (!p.sourceName().equals(p.name())) {
                    qualifiers.add("upstream=" + encode(p.sourceName()));
                }
            }
            case NPM -> {
                String name = p.name();
                namespaceAndName = "npm/" + (name.startsWith("@") && name.contains("/")
                        ? encode(name.substring(0, name.indexOf('/'))) + "/" + encode(name.substring(name.indexOf('/') + 1))
                        : encode(name));
            }
            case PYPI -> namespaceAndName = "pypi/" + encode(OsvDatabase.pep503(p.name()).toLowerCase(Locale.ROOT));
            case MAVEN -> namespaceAndName = "maven/" + (p.name().contains(":")
                    ? encode(p.name().substring(0, p.name().indexOf(':'))) + "/" + encode(p.name().substring(p.name().indexOf(':') + 1))
                    : encode(p.name()));
            case GO -> {
                String name = p.name();
                namespaceAndName = "golang/" + String.join("/", java.util.Arrays.stream(name.split("/")).map(Purls::encode).toList());
            }
            default -> throw new IllegalStateException(p.type().toString());
        }
        qualifiers.sort(null);
        return "pkg:" + namespaceAndName + (p.version().isEmpty() ? "" : "@" + encode(p.version()))
                + (qualifiers.isEmpty() ? "" : "?" + String.join("&", qualifiers));
    }

    /** Percent-encodes all but the purl spec's unreserved characters. */
    static String encode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
