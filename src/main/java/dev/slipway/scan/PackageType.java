package dev.slipway.scan;

/** Where a package came from: an OS package database or a language ecosystem. */
public enum PackageType {
    DEB("deb"),
    APK("apk"),
    RPM("rpm"),
    NPM("npm"),
    PYPI("python"),
    MAVEN("java"),
    GO("go");

    private final String label;

    PackageType(String label) {
        this.label = label;
    }

    /** The short name shown in tables and reports. */
    public String label() {
        return label;
    }

    public boolean isOs() {
        return this == DEB || this == APK || this == RPM;
    }
}
