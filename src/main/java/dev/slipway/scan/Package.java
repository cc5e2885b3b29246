package dev.slipway.scan;

/**
 * One installed package.
 *
 * @param name for Maven {@code groupId:artifactId}; for Go the module path ({@code stdlib} for
 *     the Go runtime a binary was built with)
 * @param sourceName the source package an OS package was built from (advisories are published per
 *     source package); the name itself when the database names none, and for language packages
 * @param path the file the package was found in, relative to the image root
 * @param layer index of the layer that added it (the first layer whose copy of {@code path}
 *     listed it); -1 before attribution
 */
public record Package(PackageType type, String name, String version, String sourceName, String sourceVersion,
        String arch, String license, String path, int layer) {

    public Package {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("package without a name in " + path);
        }
        version = version == null ? "" : version;
        sourceName = sourceName == null || sourceName.isEmpty() ? name : sourceName;
        sourceVersion = sourceVersion == null || sourceVersion.isEmpty() ? version : sourceVersion;
    }

    public static Package of(PackageType type, String name, String version) {
        return new Package(type, name, version, null, null, null, null, null, -1);
    }

    Package at(String newPath, int newLayer) {
        return new Package(type, name, version, sourceName, sourceVersion, arch, license, newPath, newLayer);
    }

    /** Identity for de-duplication and comparison: type, name, version (and arch for OS packages). */
    public String key() {
        return type.label() + " " + name + " " + version + (arch == null ? "" : " " + arch);
    }
}
