package dev.slipway.scan;

import dev.slipway.SlipwayException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;

/**
 * {@code slipway db update}: fetches osv.dev's per-ecosystem archives ({@code BASE/<ecosystem>/all.zip})
 * into {@code DIR/<ecosystem>/all.zip}. Each download goes to a temp file, is checked to be a zip,
 * and is renamed into place, so a failed update leaves the previous archive.
 */
public final class OsvDownloader {
    public static final String DEFAULT_BASE = "https://osv-vulnerabilities.storage.googleapis.com";
    public static final List<String> DEFAULT_ECOSYSTEMS = List.of("Debian", "Alpine", "npm", "PyPI", "Maven", "Go");

    /** One archive fetched: where it went, its size and how many records it holds. */
    public record Fetched(String ecosystem, Path file, long bytes, int records) {
    }

    private final HttpClient http;

    public OsvDownloader(HttpClient http) {
        this.http = http;
    }

    public List<Fetched> update(URI base, List<String> ecosystems, Path dir) {
        List<Fetched> out = new ArrayList<>();
        String b = base.toString().replaceAll("/+$", "");
        for (String ecosystem : ecosystems) {
            if (ecosystem.isBlank() || ecosystem.contains("/") || ecosystem.contains("..")) {
                throw new SlipwayException("bad ecosystem name: " + ecosystem);
            }
            URI uri = URI.create(b + "/" + URLEncoder.encode(ecosystem, StandardCharsets.UTF_8).replace("+", "%20")
                    + "/all.zip");
            out.add(fetch(uri, ecosystem, dir.resolve(ecosystem).resolve("all.zip")));
        }
        return out;
    }

    private Fetched fetch(URI uri, String ecosystem, Path target) {
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            tmp = Files.createTempFile(target.getParent(), ".all.zip", ".tmp");
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).GET().build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new SlipwayException("GET " + uri + ": HTTP " + response.statusCode());
                }
                Files.copy(body, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            int records;
            try (ZipFile zip = new ZipFile(tmp.toFile())) {
                records = (int) zip.stream().filter(e -> e.getName().endsWith(".json")).count();
            } catch (IOException e) {
                throw new SlipwayException("GET " + uri + ": the response is not a zip archive");
            }
            long bytes = Files.size(tmp);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            return new Fetched(ecosystem, target, bytes, records);
        } catch (IOException e) {
            throw new SlipwayException("GET " + uri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlipwayException("interrupted while downloading " + uri, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temp file is only litter; the previous archive is intact
                }
            }
        }
    }
}
