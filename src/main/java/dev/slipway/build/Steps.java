package dev.slipway.build;

import dev.slipway.SlipwayException;
import dev.slipway.dockerfile.Instruction;

/** The executor of every instruction kind: config changes in memory, RUN/WORKDIR/COPY/ADD on the file system. */
final class Steps implements StepExecutor {
    private final Workspace ws;
    private final RunStep run;
    private final WorkdirStep workdir;
    private final CopyStep copy;

    Steps(Workspace ws) {
        this.ws = ws;
        this.run = new RunStep(ws);
        this.workdir = new WorkdirStep(ws);
        this.copy = new CopyStep(ws);
    }

    @Override
    public StageState execute(StageState parent, Step step) {
        Instruction ins = step.instruction();
        if (ConfigSteps.handles(ins)) {
            try {
                return ConfigSteps.apply(parent, ins, ws.context());
            } catch (SlipwayException e) {
                throw located(step, e);
            }
        }
        int n = ws.progress().start(step.label());
        try {
            StageState next;
            if (ins instanceof Instruction.Run r) {
                next = run.execute(parent, r, step, n);
            } else if (ins instanceof Instruction.Workdir w) {
                next = workdir.execute(parent, w);
            } else {
                next = copy.execute(parent, ins, step);
            }
            ws.progress().done(n);
            return next;
        } catch (StepFailedException e) {
            ws.progress().error(n, e.getMessage().substring(e.getMessage().indexOf(' ') + 1));
            throw e;
        } catch (RuntimeException e) {
            SlipwayException located = located(step, e);
            ws.progress().error(n, located.getMessage());
            throw located;
        }
    }

    /** The error with the Dockerfile line in front, unless it already names one. */
    private SlipwayException located(Step step, RuntimeException e) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        if (msg.startsWith(ws.fileName() + ":")) {
            return e instanceof SlipwayException se ? se : new SlipwayException(msg, e);
        }
        return new SlipwayException(ws.fileName() + ":" + step.line() + ": " + msg, e);
    }
}
