package dev.slipway.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogerTest {
    static final String OS_RELEASE = """
            PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
            NAME="Debian GNU/Linux"
            VERSION_ID="12"
            VERSION_CODENAME=bookworm
            ID=debian
            """;
    static final String STATUS = """
            Package: libssl3
            Status: install ok installed
            Architecture: amd64
            Source: openssl
            Version: 3.0.9-1
            Description: Secure Sockets Layer toolkit
             multi-line description

            Package: base-files
            Status: install ok installed
            Architecture: amd64
            Version: 12.4+deb12u5

            Package: removed-one
            Status: deinstall ok config-files
            Architecture: amd64
            Version: 1.0-1
            """;
    static final String LIBC = """
            Package: libc6
            Status: install ok installed
            Architecture: amd64
            Source: glibc (2.36-9+deb12u4)
            Version: 2.36-9+deb12u4+b1

            """;

    private static Package find(Catalog c, String name) {
        return c.packages().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(
                () -> new AssertionError(name + " not in " + c.packages()));
    }

    @Test
    void dpkgPackagesAreAttributedToTheLayerThatAddedThemAndWhiteoutsRemove() {
        LayerInput base = new TestLayers().file("etc/os-release", OS_RELEASE).file("var/lib/dpkg/status", STATUS)
                .input("sha256:aaaa");
        LayerInput update = new TestLayers().file("var/lib/dpkg/status", STATUS + "\n" + LIBC)
                .file("usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA",
                        "Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\nLicense: Apache 2.0\n\nbody\n")
                .file("usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA",
                        "Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\n")
                .input("sha256:bbbb");
        LayerInput cleanup = new TestLayers().whiteout("usr/lib/python3/dist-packages/six-1.16.0.dist-info")
                .input("sha256:cccc");
        Catalog c = new Cataloger().catalog("test", List.of(base, update, cleanup));

        assertThat(c.os().osvEcosystem()).isEqualTo("Debian:12");
        assertThat(c.packages()).extracting(Package::name)
                .containsExactlyInAnyOrder("libssl3", "base-files", "libc6", "requests");
        assertThat(find(c, "libssl3").layer()).isEqualTo(0);
        assertThat(find(c, "libssl3").sourceName()).isEqualTo("openssl");
        assertThat(find(c, "libc6").layer()).isEqualTo(1);
        assertThat(find(c, "libc6").sourceName()).isEqualTo("glibc");
        assertThat(find(c, "libc6").sourceVersion()).isEqualTo("2.36-9+deb12u4");
        assertThat(find(c, "requests").layer()).isEqualTo(1);
        assertThat(find(c, "requests").type()).isEqualTo(PackageType.PYPI);
    }

    @Test
    void deletedStatusFileTakesItsPackagesAlong() {
        LayerInput base = new TestLayers().file("var/lib/dpkg/status", STATUS).input("sha256:aaaa");
        LayerInput gone = new TestLayers().whiteout("var/lib/dpkg").input("sha256:bbbb");
        assertThat(new Cataloger().catalog("t", List.of(base, gone)).packages()).isEmpty();
    }

    @Test
    void distrolessStatusDirectoryAndApk() {
        LayerInput layer = new TestLayers()
                .file("var/lib/dpkg/status.d/libc6", LIBC)
                .file("var/lib/dpkg/status.d/libc6.md5sums", "abc  lib/x86_64-linux-gnu/libc.so.6\n")
                .file("lib/apk/db/installed", """
                        C:Q1abc=
                        P:libcrypto3
                        V:3.3.1-r0
                        A:x86_64
                        L:Apache-2.0
                        o:openssl
                        F:usr/lib
                        R:libcrypto.so.3

                        P:musl
                        V:1.2.5-r0
                        A:x86_64
                        o:musl
                        """)
                .input("sha256:aaaa");
        Catalog c = new Cataloger().catalog("t", List.of(layer));
        assertThat(c.packages()).extracting(Package::key).containsExactlyInAnyOrder(
                "deb libc6 2.36-9+deb12u4+b1 amd64", "apk libcrypto3 3.3.1-r0 x86_64", "apk musl 1.2.5-r0 x86_64");
        assertThat(find(c, "libcrypto3").sourceName()).isEqualTo("openssl");
    }

    @Test
    void npmLockfileV3AndV1AndInstalledPackages() {
        String v3 = """
                {"name": "app", "version": "1.0.0", "lockfileVersion": 3, "requires": true,
                 "packages": {
                   "": {"name": "app", "version": "1.0.0", "dependencies": {"express": "^4.18.2"}},
                   "node_modules/express": {"version": "4.18.2", "resolved": "https://registry.npmjs.org/express/-/express-4.18.2.tgz",
                      "integrity": "sha512-x", "license": "MIT"},
                   "node_modules/@types/node": {"version": "20.11.5", "dev": true, "license": "MIT"},
                   "node_modules/express/node_modules/debug": {"version": "2.6.9", "license": "MIT"},
                   "packages/local": {"version": "0.0.1"},
                   "node_modules/local": {"resolved": "packages/local", "link": true}
                 }}
                """;
        String v1 = """
                {"name": "old", "version": "1.0.0", "lockfileVersion": 1,
                 "dependencies": {"lodash": {"version": "4.17.20", "integrity": "sha512-y",
                    "dependencies": {"minimist": {"version": "0.0.8"}}}}}
                """;
        LayerInput layer = new TestLayers().file("app/package-lock.json", v3).file("old/package-lock.json", v1)
                .file("usr/lib/node_modules/npm/package.json", "{\"name\":\"npm\",\"version\":\"10.2.4\"}")
                .file("usr/lib/node_modules/npm/node_modules/@npmcli/arborist/package.json",
                        "{\"name\":\"@npmcli/arborist\",\"version\":\"7.2.1\"}")
                .file("usr/lib/node_modules/npm/node_modules/semver/lib/package.json", "{\"name\":\"not-a-package\",\"version\":\"1\"}")
                .input("sha256:aaaa");
        Catalog c = new Cataloger().catalog("t", List.of(layer));
        assertThat(c.packages()).extracting(p -> p.name() + "@" + p.version()).containsExactlyInAnyOrder(
                "express@4.18.2", "@types/node@20.11.5", "debug@2.6.9", "lodash@4.17.20", "minimist@0.0.8",
                "npm@10.2.4", "@npmcli/arborist@7.2.1");
        assertThat(Purls.of(find(c, "@types/node"), null)).isEqualTo("pkg:npm/%40types/node@20.11.5");
    }

    /** picocli's jar has no pom.properties: name and version come from its MANIFEST.MF. */
    @Test
    void realJarFromTheLocalMavenRepository() throws Exception {
        Path jar = Path.of(System.getProperty("user.home"), ".m2/repository/info/picocli/picocli/4.7.7/picocli-4.7.7.jar");
        byte[] bytes = Files.readAllBytes(jar);
        LayerInput layer = new TestLayers().file("app/lib/picocli-4.7.7.jar", bytes, 0644).input("sha256:aaaa");
        Catalog c = new Cataloger().catalog("t", List.of(layer));
        assertThat(c.packages()).extracting(Package::name, Package::version)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("picocli", "4.7.7"));
    }

    @Test
    void nestedJarsAreRead() throws Exception {
        Path jackson = Path.of(System.getProperty("user.home"),
                ".m2/repository/com/fasterxml/jackson/core/jackson-core/2.21.3/jackson-core-2.21.3.jar");
        java.io.ByteArrayOutputStream fat = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(fat)) {
            z.putNextEntry(new java.util.zip.ZipEntry("META-INF/maven/com.example/app/pom.properties"));
            z.write("groupId=com.example\nartifactId=app\nversion=1.2.3\n".getBytes());
            z.putNextEntry(new java.util.zip.ZipEntry("BOOT-INF/lib/jackson-core-2.21.3.jar"));
            z.write(Files.readAllBytes(jackson));
        }
        LayerInput layer = new TestLayers().file("app.jar", fat.toByteArray(), 0644).input("sha256:aaaa");
        Catalog c = new Cataloger().catalog("t", List.of(layer));
        assertThat(c.packages()).extracting(p -> p.name() + "@" + p.version())
                .contains("com.example:app@1.2.3", "com.fasterxml.jackson.core:jackson-core@2.21.3");
        assertThat(find(c, "com.fasterxml.jackson.core:jackson-core").path()).isEqualTo("app.jar!/BOOT-INF/lib/jackson-core-2.21.3.jar");
    }
}
