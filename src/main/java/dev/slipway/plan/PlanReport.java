package dev.slipway.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Collectors;

/** The two renderings of a plan that {@code slipway plan} prints. */
public final class PlanReport {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PlanReport() {
    }

    /** A table of stages, then the parallel groups, for people. */
    public static String text(BuildPlan plan) {
        StringBuilder out = new StringBuilder();
        PlannedStage target = plan.targetStage();
        out.append(plan.fileName()).append(": ").append(plan.stages().size())
                .append(plan.stages().size() == 1 ? " stage" : " stages")
                .append(", target ").append(target.displayName()).append('\n').append('\n');
        String[] header = {"#", "STAGE", "BASE", "DEPENDS ON", "STATUS"};
        List<String[]> rows = new java.util.ArrayList<>();
        rows.add(header);
        for (PlannedStage s : plan.stages()) {
            rows.add(new String[] {
                String.valueOf(s.index()), s.displayName(), base(plan, s), dependsOn(plan, s),
                s.built() ? "build" : "skip",
            });
        }
        int[] width = new int[header.length];
        rows.forEach(r -> {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        });
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i == r.length - 1 ? r[i] : String.format("%-" + (width[i] + 2) + "s", r[i]));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        out.append('\n').append("Parallel groups:\n");
        List<List<Integer>> groups = plan.parallelGroups();
        for (int g = 0; g < groups.size(); g++) {
            out.append("  ").append(g + 1).append(": ").append(groups.get(g).stream()
                    .map(i -> plan.stages().get(i).displayName()).collect(Collectors.joining(", "))).append('\n');
        }
        if (!plan.unusedBuildArgs().isEmpty()) {
            out.append('\n').append("Build args not consumed: ").append(String.join(", ", plan.unusedBuildArgs())).append('\n');
        }
        return out.toString();
    }

    /** The documented JSON shape (see README, "slipway plan"). */
    public static String json(BuildPlan plan) {
        ObjectNode root = JSON.createObjectNode();
        root.put("file", plan.fileName());
        ObjectNode target = root.putObject("target");
        target.put("index", plan.target());
        target.put("name", plan.targetStage().displayName());
        ArrayNode stages = root.putArray("stages");
        for (PlannedStage s : plan.stages()) {
            ObjectNode n = stages.addObject();
            n.put("index", s.index());
            if (s.name() == null) {
                n.putNull("name");
            } else {
                n.put("name", s.name());
            }
            n.put("line", s.line());
            ObjectNode base = n.putObject("base");
            if (s.base() instanceof PlannedStage.Base.Image i) {
                base.put("type", "image").put("reference", i.reference());
            } else if (s.base() instanceof PlannedStage.Base.StageBase b) {
                base.put("type", "stage").put("stage", b.index());
            } else {
                base.put("type", "scratch");
            }
            if (s.platform() == null) {
                n.putNull("platform");
            } else {
                n.put("platform", s.platform());
            }
            ArrayNode deps = n.putArray("dependencies");
            for (PlannedStage.Dependency d : s.dependencies()) {
                ObjectNode dn = deps.addObject();
                dn.put("via", d.via());
                dn.put("line", d.line());
                if (d.stage() >= 0) {
                    dn.put("stage", d.stage());
                } else {
                    dn.put("image", d.image());
                }
            }
            n.put("built", s.built());
            if (s.built()) {
                n.put("group", s.level());
            } else {
                n.putNull("group");
            }
        }
        ArrayNode groups = root.putArray("parallelGroups");
        plan.parallelGroups().forEach(g -> {
            ArrayNode a = groups.addArray();
            g.forEach(a::add);
        });
        ArrayNode unused = root.putArray("unusedBuildArgs");
        plan.unusedBuildArgs().forEach(unused::add);
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base(BuildPlan plan, PlannedStage s) {
        String base;
        if (s.base() instanceof PlannedStage.Base.Image i) {
            base = i.reference();
        } else if (s.base() instanceof PlannedStage.Base.StageBase b) {
            base = "stage " + plan.stages().get(b.index()).displayName();
        } else {
            base = "scratch";
        }
        return base + (s.platform() == null ? "" : " (" + s.platform() + ")");
    }

    private static String dependsOn(BuildPlan plan, PlannedStage s) {
        List<String> names = s.dependencies().stream()
                .filter(d -> !d.via().equals("from"))
                .map(d -> d.stage() >= 0 ? plan.stages().get(d.stage()).displayName() : d.image())
                .distinct().toList();
        if (s.base() instanceof PlannedStage.Base.StageBase b) {
            String parent = plan.stages().get(b.index()).displayName();
            names = java.util.stream.Stream.concat(java.util.stream.Stream.of(parent),
                    names.stream().filter(n -> !n.equals(parent))).toList();
        }
        return names.isEmpty() ? "-" : String.join(", ", names);
    }
}
