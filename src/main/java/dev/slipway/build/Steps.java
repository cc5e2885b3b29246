package dev.slipway.build;

import dev.slipway.SlipwayException;
import dev.slipway.dockerfile.Instruction;
import dev.slipway.image.Digest;
import dev.slipway.image.ImageConfig;

/**
 * Every instruction kind, in two halves so that the build cache can sit between them: config
 * instructions apply in memory; a file-system instruction (RUN, COPY, ADD, WORKDIR) is first
 * {@link #prepare prepared} against its parent (expanded, its cache key computed, its history
 * line known) and then, unless the cache has its layer, {@link Prepared#producer produced}.
 */
final class Steps {
    private final Workspace ws;
    private final RunStep run;
    private final WorkdirStep workdir;
    private final CopyStep copy;

    /**
     * Makes a step's layer; {@code progressStep} is where its output goes, {@code committer} stores
     * the layer (made or lazy, as the caller chose).
     */
    @FunctionalInterface
    interface Producer {
        LayerDir produce(int progressStep, LayerCommitter committer);
    }

    /**
     * A file-system step resolved against its parent.
     *
     * @param key        the step's cache key
     * @param configured the parent with the step's config changes (WORKDIR's working directory), no layer yet
     * @param createdBy  the history line
     * @param producer   makes the layer; null for a step that makes none ({@code WORKDIR /})
     * @param cacheable  false when the key does not cover the step's input (ADD of a URL without --checksum)
     */
    record Prepared(Digest key, StageState configured, String createdBy, Producer producer, boolean cacheable) {
        /** The new state: the layer on top, its history entry, and this step's key. */
        StageState finish(LayerDir layer, String created) {
            return configured.withLayer(layer, new ImageConfig.History(created, createdBy, ConfigSteps.COMMENT))
                    .withCacheKey(key);
        }

        /** The new state of a step that makes no layer. */
        StageState finishEmpty(String created) {
            return configured.withImage(configured.image().withEmptyLayerHistory(
                    new ImageConfig.History(created, createdBy, ConfigSteps.COMMENT)));
        }
    }

    Steps(Workspace ws) {
        this.ws = ws;
        this.run = new RunStep(ws);
        this.workdir = new WorkdirStep(ws);
        this.copy = new CopyStep(ws);
    }

    Workspace workspace() {
        return ws;
    }

    static boolean isConfig(Instruction ins) {
        return ConfigSteps.handles(ins);
    }

    StageState applyConfig(StageState parent, Step step) {
        try {
            return ConfigSteps.apply(parent, step.instruction(), ws.context());
        } catch (SlipwayException e) {
            throw located(step, e);
        }
    }

    Prepared prepare(StageState parent, Step step) {
        Instruction ins = step.instruction();
        if (ins instanceof Instruction.Run r) {
            return run.prepare(parent, r, step);
        } else if (ins instanceof Instruction.Workdir w) {
            return workdir.prepare(parent, w);
        }
        return copy.prepare(parent, ins, step);
    }

    /** The error with the Dockerfile line in front, unless it already names one. */
    SlipwayException located(Step step, RuntimeException e) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        if (msg.startsWith(ws.fileName() + ":")) {
            return e instanceof SlipwayException se ? se : new SlipwayException(msg, e);
        }
        return new SlipwayException(ws.fileName() + ":" + step.line() + ": " + msg, e);
    }
}
