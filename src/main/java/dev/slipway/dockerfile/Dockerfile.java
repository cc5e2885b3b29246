package dev.slipway.dockerfile;

import java.util.List;
import java.util.Optional;

/**
 * A parsed Dockerfile: its directives, the ARGs before the first FROM (usable in FROM lines), its
 * stages, and the warnings the parser found.
 */
public record Dockerfile(String fileName, List<Directive> directives, char escapeToken,
                         List<Instruction.Arg> metaArgs, List<Stage> stages, List<ParseWarning> warnings) {

    public Dockerfile {
        directives = List.copyOf(directives);
        metaArgs = List.copyOf(metaArgs);
        stages = List.copyOf(stages);
        warnings = List.copyOf(warnings);
    }

    /** The value of a parser directive ({@code syntax}, {@code escape}, {@code check}), if present. */
    public Optional<String> directive(String name) {
        return directives.stream().filter(d -> d.name().equals(name)).map(Directive::value).findFirst();
    }
}
