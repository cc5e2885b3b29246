package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanCommandsTest {
    @TempDir
    Path tmp;

    private CliRun run(String... args) {
        return CliRun.in(tmp.resolve("root"), args);
    }

    private Path rootfs(String name, String status) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(bytes)) {
            for (String[] f : new String[][] {{"etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"},
                {"var/lib/dpkg/status", status}}) {
                byte[] content = f[1].getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(f[0]);
                e.setSize(content.length);
                t.putArchiveEntry(e);
                t.write(content);
                t.closeArchiveEntry();
            }
        }
        Path p = tmp.resolve(name + ".tar");
        Files.write(p, bytes.toByteArray());
        return p;
    }

    private static String pkg(String name, String version, String source) {
        return "Package: " + name + "\nStatus: install ok installed\nArchitecture: amd64\n"
                + (source == null ? "" : "Source: " + source + "\n") + "Version: " + version + "\n\n";
    }

    private static byte[] osvZip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.putNextEntry(new ZipEntry("DSA-5532-1.json"));
            z.write("""
                    {"id": "DSA-5532-1", "modified": "2023-10-24T00:00:00Z", "aliases": ["CVE-2023-5363"],
                     "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"},
                       "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}],
                       "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.11-1~deb12u2"}]}]}]}
                    """.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    @Test
    void dbUpdateThenScanSbomAndCompare() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<String> requested = new ArrayList<>();
        byte[] zip = osvZip();
        server.createContext("/", exchange -> {
            requested.add(exchange.getRequestURI().getPath());
            boolean known = exchange.getRequestURI().getPath().equals("/Debian/all.zip");
            exchange.sendResponseHeaders(known ? 200 : 404, known ? zip.length : -1);
            if (known) {
                exchange.getResponseBody().write(zip);
            }
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            CliRun update = run("db", "update", "--url", url, "--ecosystem", "Debian");
            assertThat(update.exit()).as(update.err()).isZero();
            assertThat(update.out()).contains("Debian: 1 advisories");
            assertThat(requested).containsExactly("/Debian/all.zip");
            CliRun missing = run("db", "update", "--url", url, "--ecosystem", "Nope");
            assertThat(missing.exit()).isEqualTo(1);
            assertThat(missing.err()).contains("HTTP 404");
        } finally {
            server.stop(0);
        }

        String big = pkg("libssl3", "3.0.9-1", "openssl") + pkg("openssl", "3.0.9-1", null) + pkg("gcc-12", "12.2.0-14", null);
        String small = pkg("libssl3", "3.0.11-1~deb12u2", "openssl");
        assertThat(run("import", rootfs("big", big).toString(), "big:1").exit()).isZero();
        assertThat(run("import", rootfs("small", small).toString(), "small:1").exit()).isZero();

        CliRun scan = run("scan", "big:1", "--exit-code", "3");
        assertThat(scan.exit()).as(scan.err()).isEqualTo(3);
        assertThat(scan.out()).contains("libssl3", "DSA-5532-1", "HIGH", "3.0.11-1~deb12u2", "Total: 2 (CRITICAL: 0, HIGH: 2");

        CliRun filtered = run("scan", "big:1", "--severity", "CRITICAL", "--exit-code", "3");
        assertThat(filtered.exit()).isZero();
        assertThat(filtered.out()).contains("Total: 0");

        CliRun json = run("scan", "small:1", "--format", "json", "--exit-code", "3");
        assertThat(json.exit()).isZero();
        JsonNode report = new ObjectMapper().readTree(json.out());
        assertThat(report.path("packages").asInt()).isEqualTo(1);
        assertThat(report.path("vulnerabilities")).isEmpty();

        CliRun sarif = run("scan", "big:1", "--format", "sarif");
        JsonNode s = new ObjectMapper().readTree(sarif.out());
        assertThat(s.path("runs").get(0).path("results")).hasSize(2);

        CliRun compare = run("scan", "--compare", "big:1", "small:1");
        assertThat(compare.exit()).as(compare.err()).isZero();
        assertThat(compare.out()).contains("Packages only in big:1 (3)", "Packages only in small:1 (1)",
                "Vulnerabilities only in big:1 (2)");

        CliRun sbom = run("sbom", "small:1", "--format", "spdx", "-o", tmp.resolve("sbom.json").toString());
        assertThat(sbom.exit()).isZero();
        assertThat(Files.readString(tmp.resolve("sbom.json"))).contains("pkg:deb/debian/libssl3@3.0.11-1~deb12u2");

        CliRun noDb = run("scan", "big:1", "--db", tmp.resolve("nowhere").toString());
        assertThat(noDb.exit()).isEqualTo(1);
        assertThat(noDb.err()).contains("does not exist");
    }
}
