package dev.slipway.dockerfile;

import java.time.Duration;
import java.util.List;

/**
 * A typed Dockerfile instruction. Words are kept exactly as written (unexpanded): variable expansion
 * happens later against the stage's environment.
 */
public sealed interface Instruction {

    /** Where the instruction came from: its physical lines and its text with continuations joined. */
    Origin origin();

    /** Lower-case instruction name, e.g. {@code copy}. */
    default String name() {
        return getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    record Origin(int startLine, int endLine, String text) {
    }

    /** A command either in exec form (the JSON elements) or shell form (one string, run by the shell). */
    record CommandLine(List<String> args, boolean execForm) {
        public CommandLine {
            args = List.copyOf(args);
        }
    }

    record KeyValue(String key, String value) {
    }

    /** An ARG declaration; {@code defaultValue} is null when none was given. */
    record ArgDef(String name, String defaultValue) {
    }

    /** A COPY/ADD source given inline as a heredoc: written to a file named {@code path}. */
    record SourceContent(String path, String data, boolean expand) {
    }

    record From(Origin origin, String image, String platform, String stageName) implements Instruction {
    }

    record Run(Origin origin, CommandLine command, List<RunMount> mounts, String network, String security,
               List<Heredoc> heredocs) implements Instruction {
        public Run {
            mounts = List.copyOf(mounts);
            heredocs = List.copyOf(heredocs);
        }
    }

    record Cmd(Origin origin, CommandLine command) implements Instruction {
    }

    record Entrypoint(Origin origin, CommandLine command) implements Instruction {
    }

    record Label(Origin origin, List<KeyValue> labels, boolean legacyForm) implements Instruction {
        public Label {
            labels = List.copyOf(labels);
        }
    }

    record Maintainer(Origin origin, String maintainer) implements Instruction {
    }

    /** Ports as written, sorted as BuildKit sorts them. */
    record Expose(Origin origin, List<String> ports) implements Instruction {
        public Expose {
            ports = List.copyOf(ports);
        }
    }

    record Env(Origin origin, List<KeyValue> vars, boolean legacyForm) implements Instruction {
        public Env {
            vars = List.copyOf(vars);
        }
    }

    /** {@code unpack} is null when not given (BuildKit's default then depends on the source kind). */
    record Add(Origin origin, List<String> sources, List<SourceContent> contents, String dest, String chown,
               String chmod, boolean link, String checksum, boolean keepGitDir, Boolean unpack,
               List<String> excludes) implements Instruction {
        public Add {
            sources = List.copyOf(sources);
            contents = List.copyOf(contents);
            excludes = List.copyOf(excludes);
        }
    }

    record Copy(Origin origin, List<String> sources, List<SourceContent> contents, String dest, String from,
                String chown, String chmod, boolean link, boolean parents, List<String> excludes)
            implements Instruction {
        public Copy {
            sources = List.copyOf(sources);
            contents = List.copyOf(contents);
            excludes = List.copyOf(excludes);
        }
    }

    record Volume(Origin origin, List<String> paths) implements Instruction {
        public Volume {
            paths = List.copyOf(paths);
        }
    }

    record User(Origin origin, String user) implements Instruction {
    }

    record Workdir(Origin origin, String path) implements Instruction {
    }

    record Arg(Origin origin, List<ArgDef> args) implements Instruction {
        public Arg {
            args = List.copyOf(args);
        }
    }

    /** {@code expression} is the trigger's text as BuildKit stores it in the image config. */
    record Onbuild(Origin origin, Instruction trigger, String expression) implements Instruction {
    }

    record Stopsignal(Origin origin, String signal) implements Instruction {
    }

    /**
     * HEALTHCHECK CMD (command non-null) or NONE (command null). Durations and retries are zero when not
     * given, meaning "the runtime default".
     */
    record Healthcheck(Origin origin, CommandLine command, Duration interval, Duration timeout,
                       Duration startPeriod, Duration startInterval, int retries) implements Instruction {
        public boolean none() {
            return command == null;
        }
    }

    record Shell(Origin origin, List<String> shell) implements Instruction {
        public Shell {
            shell = List.copyOf(shell);
        }
    }
}
