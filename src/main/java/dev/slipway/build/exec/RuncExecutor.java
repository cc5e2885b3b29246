package dev.slipway.build.exec;

import dev.slipway.SlipwayException;
import dev.slipway.build.snapshot.HostCommand;
import dev.slipway.store.RuntimeLeftovers;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs a step with {@code runc run} from a generated bundle, as BuildKit's runc executor does.
 * runc's state lives under {@code <stateDir>/runc}, bundles under {@code <stateDir>/bundles}.
 */
public final class RuncExecutor implements Executor {
    private final Path stateDir;
    private final Bundles bundles;
    /** runc's absolute path, looked up once: exec'ing a bare name tries each PATH entry on every step. */
    private final String runc;

    public RuncExecutor(Path stateDir) {
        this(stateDir, HostCommand.which("runc"));
    }

    /** An executor that starts {@code runtime} (an absolute path) with runc's arguments. */
    RuncExecutor(Path stateDir, String runtime) {
        this.stateDir = stateDir.toAbsolutePath();
        this.bundles = new Bundles(this.stateDir.resolve("bundles"));
        this.runc = runtime;
    }

    @Override
    public ExecResult run(ExecSpec spec, OutputSink sink) {
        try (Sandbox sandbox = Sandbox.prepare(spec, bundles)) {
            Plan plan = sandbox.plan();
            sandbox.writeFile("config.json", OciSpec.json(plan));
            String runcRoot = stateDir.resolve("runc").toString();
            List<String> cmd = List.of(runc, "--root", runcRoot, "run", "--bundle", sandbox.bundle().toString(),
                    plan.id());
            ExecResult result = null;
            try {
                result = Processes.runAndPump(cmd, sink, spec.tailLines(), plan.id(),
                        () -> HostCommand.run(List.of(runc, "--root", runcRoot, "kill", plan.id(), "KILL"), null));
                return result;
            } finally {
                // runc run removes its container when the process exits; only a run cut short
                // (killed, or failed to start) leaves state behind for delete.
                boolean deleted = !Files.exists(Path.of(runcRoot, plan.id()))
                        || HostCommand.run(List.of(runc, "--root", runcRoot, "delete", "--force", plan.id()), null).ok();
                if (result != null && deleted) {
                    sandbox.processGone();
                }
            }
        } catch (IOException e) {
            throw new SlipwayException("cannot run the step: " + e.getMessage(), e);
        }
    }

    @Override
    public void releaseIdle() {
        bundles.clear();
    }

    /**
     * Containers whose build was killed keep running (runc run outlives the JVM that started it) and
     * keep their bundle; the store asks to end them once it knows no build is live.
     */
    @Override
    public RuntimeLeftovers leftovers() {
        Path runcRoot = stateDir.resolve("runc");
        return new RuntimeLeftovers() {
            @Override
            public boolean present() {
                return StateDirs.hasEntries(runcRoot) || StateDirs.hasEntries(stateDir.resolve("bundles"));
            }

            @Override
            public void clean() {
                for (Path container : Sandbox.entries(runcRoot)) {
                    HostCommand.run(List.of(runc, "--root", runcRoot.toString(), "delete", "--force",
                            container.getFileName().toString()), null);
                }
                Sandbox.removeBundles(stateDir);
            }
        };
    }

    /** Starting a runtime process and following its output, shared by both executors. */
    static final class Processes {
        private Processes() {
        }

        static ExecResult runAndPump(List<String> cmd, OutputSink sink, int tail, String id, Runnable onInterrupt)
                throws IOException {
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            OutputPump pump = new OutputPump(sink, tail);
            pump.start(p, id);
            try {
                int code = p.waitFor();
                return new ExecResult(code, pump.finish());
            } catch (InterruptedException e) {
                onInterrupt.run();
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new SlipwayException("step interrupted", e);
            }
        }
    }
}
