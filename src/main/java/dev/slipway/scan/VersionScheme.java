package dev.slipway.scan;

/** How versions of one ecosystem are ordered. */
public enum VersionScheme {
    DPKG,
    APK,
    RPM,
    SEMVER,
    PEP440,
    MAVEN;

    public int compare(String a, String b) {
        return switch (this) {
            case DPKG -> DpkgVersion.compare(a, b);
            case APK -> ApkVersion.compare(a, b);
            case RPM -> RpmVersion.compare(a, b);
            case SEMVER -> SemVer.compare(a, b);
            case PEP440 -> Pep440Version.compare(a, b);
            case MAVEN -> MavenVersion.compare(a, b);
        };
    }

    /** The scheme of an OSV ecosystem name ({@code Debian:12}, {@code PyPI}, ...); null when not supported. */
    public static VersionScheme forEcosystem(String ecosystem) {
        String base = ecosystem.contains(":") ? ecosystem.substring(0, ecosystem.indexOf(':')) : ecosystem;
        return switch (base) {
            case "Debian", "Ubuntu" -> DPKG;
            case "Alpine", "Wolfi", "Chainguard" -> APK;
            case "Red Hat", "AlmaLinux", "Rocky Linux", "openSUSE", "SUSE", "Mageia", "openEuler" -> RPM;
            case "npm", "Go", "crates.io", "Hex", "Pub" -> SEMVER;
            case "PyPI" -> PEP440;
            case "Maven" -> MAVEN;
            default -> null;
        };
    }
}
