package dev.slipway.cli;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Writes {@link CommandModels}' models as classes, at build time (see pom.xml): one per command,
 * whose static method returns the model's keys and values. Its own class, apart from the models
 * read at start-up, so that nothing of the compiler API is linked into a start.
 */
public final class CommandModelClasses {
    private CommandModelClasses() {
    }

    /** {@code CommandModelClasses CLASSES}: compiles the models of the root command and every subcommand it can describe into CLASSES. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: CommandModelClasses CLASSES");
            System.exit(2);
        }
        write(Path.of(args[0]), CommandModels.describeAll());
    }

    /** Compiles the models into the class directory, after removing the models written before. */
    static void write(Path classes, Map<String, Properties> models) throws IOException {
        Path dir = classes.resolve(CommandModels.PACKAGE.replace('.', '/'));
        Files.createDirectories(dir);
        // A command that can no longer be described must not keep the model of its old self.
        try (Stream<Path> old = Files.list(dir)) {
            for (Path p : old.filter(CommandModelClasses::written).toList()) {
                Files.delete(p);
            }
        }
        Map<String, String> classNames = new HashMap<>();
        Path sources = Files.createTempDirectory("slipway-command-models");
        try {
            List<Path> files = new ArrayList<>();
            for (Map.Entry<String, Properties> model : models.entrySet()) {
                String name = model.getKey();
                String className = CommandModels.className(name);
                String other = classNames.put(className, name);
                if (!CommandModels.commandName(name) || other != null) {
                    throw new IOException("command name '" + name + "' cannot have a model class"
                            + (other == null ? "" : " (" + other + " has " + className + ")"));
                }
                Path file = sources.resolve(className.substring(className.lastIndexOf('.') + 1) + ".java");
                Files.writeString(file, source(name, model.getValue()), StandardCharsets.US_ASCII);
                files.add(file);
            }
            compile(files, classes);
        } finally {
            try (Stream<Path> all = Files.walk(sources)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** What an earlier build wrote: a model's class, or a model as a resource (as builds wrote them before). */
    private static boolean written(Path p) {
        String name = p.getFileName().toString();
        return name.startsWith("Model_") && name.endsWith(".class") || name.endsWith(".properties");
    }

    /** The Java source of the command's model class: its keys and values, sorted, so that the same classes give the same model. */
    static String source(String name, Properties model) {
        String className = CommandModels.className(name);
        StringBuilder s = new StringBuilder()
                .append("package ").append(CommandModels.PACKAGE).append(";\n\n")
                .append("/** picocli's model of {@code slipway ").append(name).append("}, written by dev.slipway.cli.CommandModelClasses. */\n")
                .append("public final class ").append(className.substring(className.lastIndexOf('.') + 1)).append(" {\n")
                .append("    private ").append(className.substring(className.lastIndexOf('.') + 1)).append("() {\n    }\n\n")
                .append("    public static String[] ").append(CommandModels.METHOD).append("() {\n")
                .append("        return new String[] {\n");
        for (Map.Entry<Object, Object> e : new TreeMap<>(model).entrySet()) {
            s.append("            ").append(literal((String) e.getKey())).append(", ").append(literal((String) e.getValue())).append(",\n");
        }
        return s.append("        };\n    }\n}\n").toString();
    }

    /** A Java string literal of the text, in ASCII. */
    static String literal(String text) {
        StringBuilder s = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        // Octal: javac reads a unicode escape of a line break as a line break, ending the literal.
                        s.append(String.format("\\%03o", (int) c));
                    } else if (c > 0x7f) {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        return s.append('"').toString();
    }

    private static void compile(List<Path> files, Path classes) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IOException("no Java compiler in " + System.getProperty("java.home") + " to compile the command models");
        }
        StringWriter log = new StringWriter();
        try (StandardJavaFileManager manager = javac.getStandardFileManager(null, null, StandardCharsets.US_ASCII)) {
            Boolean ok = javac.getTask(log, manager, null, List.of("--release", "17", "-d", classes.toString(), "-implicit:none"),
                    null, manager.getJavaFileObjectsFromPaths(files)).call();
            if (!Boolean.TRUE.equals(ok)) {
                throw new IOException("compiling the command models failed:\n" + log);
            }
        }
    }
}
