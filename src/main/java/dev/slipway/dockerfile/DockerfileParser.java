package dev.slipway.dockerfile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Entry point: Dockerfile text to a {@link Dockerfile} of typed, validated, unexpanded instructions. */
public final class DockerfileParser {
    private DockerfileParser() {
    }

    /** Reads and parses a file; invalid UTF-8 is decoded with replacement characters. */
    public static Dockerfile parse(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new DockerfileParseException(path.toString(), 0, "cannot read: " + e.getMessage());
        }
        Path name = path.getFileName();
        return parse(new String(bytes, StandardCharsets.UTF_8), name == null ? path.toString() : name.toString());
    }

    /**
     * Parses a Dockerfile. {@code fileName} is used in error messages ({@code Dockerfile:12: ...}).
     *
     * @throws DockerfileParseException on any syntax or validation error
     */
    public static Dockerfile parse(String text, String fileName) {
        DockerfileAst ast = AstParser.parse(text, fileName);
        InstructionParser typer = new InstructionParser(fileName);
        List<Instruction.Arg> metaArgs = new ArrayList<>();
        List<Stage> stages = new ArrayList<>();
        Instruction.From from = null;
        String stageName = null;
        List<Instruction> current = new ArrayList<>();
        for (Node node : ast.nodes()) {
            Instruction instruction = typer.parse(node);
            if (instruction instanceof Instruction.From f) {
                if (from != null) {
                    stages.add(new Stage(stages.size(), stageName, from, current));
                }
                from = f;
                stageName = f.stageName();
                current = new ArrayList<>();
            } else if (from == null) {
                if (!(instruction instanceof Instruction.Arg arg)) {
                    throw new DockerfileParseException(fileName, node.startLine(), "no build stage in current context");
                }
                metaArgs.add(arg);
            } else {
                current.add(instruction);
            }
        }
        if (from == null) {
            throw new DockerfileParseException(fileName, 0, "dockerfile contains no stages to build");
        }
        stages.add(new Stage(stages.size(), stageName, from, current));
        return new Dockerfile(fileName, ast.directives(), ast.escapeToken(), metaArgs, stages, ast.warnings());
    }

    /** The low-level parse only, as BuildKit's parser package produces it (see {@link DockerfileAst#dump()}). */
    public static DockerfileAst parseAst(String text, String fileName) {
        return AstParser.parse(text, fileName);
    }
}
