package dev.slipway.cli;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Slipway run as its launcher runs it, {@code java -cp JAR dev.slipway.cli.Main ARGS}, in a process of its own: the
 * jar is a manifest-only one whose Class-Path is this test JVM's class path, so {@link Main#main}
 * starts exactly as in production (the build up-to-date check first) on the code under test.
 */
final class SlipwayProcess {
    /** One run: exit code, stdout, stderr. */
    record Run(int exit, String out, String err) {
    }

    private final Path jar;

    private SlipwayProcess(Path jar) {
        this.jar = jar;
    }

    /** Writes the launcher jar into {@code dir}. */
    static SlipwayProcess create(Path dir) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        m.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, "test");
        List<String> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                urls.add(Path.of(entry).toAbsolutePath().toUri().toString());
            }
        }
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", urls));
        Path jar = dir.resolve("slipway-under-test.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
        return new SlipwayProcess(jar);
    }

    Path jar() {
        return jar;
    }

    /**
     * Runs {@code slipway ARGS} in {@code cwd} with {@code env} added to this process's environment;
     * {@code classLog}, when not null, receives the JVM's class-loading log.
     */
    Run run(Path cwd, Map<String, String> env, Path classLog, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        if (classLog != null) {
            command.add("-Xlog:class+load=info:file=" + classLog);
        }
        command.addAll(List.of("-cp", jar.toString(), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SLIPWAY_") || k.equals("BUILDKIT_PROGRESS")
                || k.equals("SOURCE_DATE_EPOCH"));
        pb.environment().putAll(env);
        Path out = Files.createTempFile(cwd, "out", ".txt");
        Path err = Files.createTempFile(cwd, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("slipway " + String.join(" ", args) + " did not finish");
        }
        Run run = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return run;
    }
}
