package dev.slipway.build;

import dev.slipway.image.Digest;
import dev.slipway.image.ImageConfig;
import dev.slipway.plan.StageScope;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The state of a stage between two steps: the image config built so far (config, history and
 * diffIDs), the unpacked layers below, the variables in scope, and whether this stage set a CMD
 * (an ENTRYPOINT then keeps it). A step never changes a state; it returns a new one, so a state can
 * be reused as the parent of a cached step.
 *
 * <p>{@code cacheKey} identifies the stage's file system as the build cache sees it: the key of the
 * step that made the top layer, or the stage root's (base image or scratch) key. Config-only steps
 * keep it: what they change reaches later keys through the env, working directory, user and shell
 * those steps put into their own keys. Null when the state did not come from the solver.
 *
 * <p>The config's diff_ids are the layers' {@link LayerDir#id ids}: a lazy layer's stands in for
 * its diffID until {@link BuildCache#made} makes it.
 *
 * <p>{@code scope} is mutable by design of {@link StageScope}; steps that change it work on
 * {@link StageScope#child()}, a copy, and leave the parent's untouched.
 */
public record StageState(ImageConfig image, List<LayerDir> layers, StageScope scope, boolean cmdSet, Digest cacheKey) {

    public StageState {
        layers = List.copyOf(layers);
        if (!matches(image.diffIds(), layers)) {
            throw new IllegalArgumentException("layers do not match the config's diff_ids");
        }
    }

    /** A loop, not a stream: every step makes a few states, each checked against all its layers. */
    private static boolean matches(List<Digest> diffIds, List<LayerDir> layers) {
        if (diffIds.size() != layers.size()) {
            return false;
        }
        for (int i = 0; i < layers.size(); i++) {
            if (!Objects.equals(diffIds.get(i), layers.get(i).id())) {
                return false;
            }
        }
        return true;
    }

    public StageState(ImageConfig image, List<LayerDir> layers, StageScope scope, boolean cmdSet) {
        this(image, layers, scope, cmdSet, null);
    }

    public ImageConfig.ContainerConfig config() {
        return image.configOrEmpty();
    }

    /** The layer directories top-most first, as overlayfs wants its lowerdirs. */
    public List<Path> lowerDirs() {
        List<Path> dirs = new ArrayList<>();
        for (int i = layers.size() - 1; i >= 0; i--) {
            dirs.add(layers.get(i).dir());
        }
        return dirs;
    }

    /** The working directory steps run in: WORKDIR, or {@code /}. */
    public String workdir() {
        String wd = config().workingDir();
        return wd == null || wd.isEmpty() ? "/" : wd;
    }

    public String user() {
        String u = config().user();
        return u == null ? "" : u;
    }

    /** The shell for shell-form commands: SHELL, else {@code /bin/sh -c}. */
    public List<String> shell() {
        List<String> s = config().shell();
        return s == null || s.isEmpty() ? List.of("/bin/sh", "-c") : s;
    }

    public StageState withImage(ImageConfig newImage) {
        return new StageState(newImage, layers, scope, cmdSet, cacheKey);
    }

    public StageState withConfig(ImageConfig.ContainerConfig newConfig) {
        return withImage(image.withConfig(newConfig));
    }

    public StageState withScope(StageScope newScope) {
        return new StageState(image, layers, newScope, cmdSet, cacheKey);
    }

    public StageState withCmdSet() {
        return new StageState(image, layers, scope, true, cacheKey);
    }

    /** This state with one more layer on top and the history entry that made it. */
    public StageState withLayer(LayerDir layer, ImageConfig.History history) {
        List<LayerDir> more = new ArrayList<>(layers);
        more.add(layer);
        return new StageState(image.withLayer(layer.id(), history), more, scope, cmdSet, cacheKey);
    }

    /** This state with its layers replaced one for one (lazy ones by the same layers made). */
    StageState withLayers(List<LayerDir> replaced) {
        return new StageState(image.withDiffIds(replaced.stream().map(LayerDir::id).toList()), replaced, scope,
                cmdSet, cacheKey);
    }

    public StageState withCacheKey(Digest key) {
        return new StageState(image, layers, scope, cmdSet, key);
    }

    public List<Digest> diffIds() {
        return image.diffIds();
    }
}
