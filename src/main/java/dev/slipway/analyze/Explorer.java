package dev.slipway.analyze;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.DefaultTerminalFactory;
import com.googlecode.lanterna.terminal.Terminal;
import dev.slipway.SlipwayException;
import dev.slipway.store.DockerFormat;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * {@code analyze --interactive}: layers on the left, the selected layer's file tree on the right
 * ({@code +} added, {@code ~} modified, {@code -} removed), dive's keys where they have one.
 * Tab switches pane; arrows, PgUp/PgDn move; Space collapses a directory; {@code /} or Ctrl+F
 * edits the filter (a regular expression over the path; Enter keeps it, Esc clears it); q or
 * Ctrl+C quits.
 */
public final class Explorer {
    private final ExplorerModel model;
    private boolean treeFocused;
    private int treeCursor;
    private int treeTop;
    private int layerTop;
    private boolean editingFilter;
    private String filterDraft = "";

    public Explorer(Analysis analysis) {
        this.model = new ExplorerModel(analysis);
    }

    public void run() throws IOException {
        if (System.console() == null) {
            throw new SlipwayException("--interactive needs a terminal");
        }
        Terminal terminal = new DefaultTerminalFactory().setForceTextTerminal(true).createTerminal();
        Screen screen = new TerminalScreen(terminal);
        screen.startScreen();
        screen.setCursorPosition(null);
        try {
            while (true) {
                screen.doResizeIfNecessary();
                draw(screen);
                screen.refresh();
                KeyStroke key = screen.readInput();
                if (key == null || !handle(key, screen.getTerminalSize())) {
                    return;
                }
            }
        } finally {
            screen.stopScreen();
        }
    }

    /** Applies a key; false means quit. */
    boolean handle(KeyStroke key, TerminalSize size) {
        int page = Math.max(1, size.getRows() - 4);
        if (editingFilter) {
            switch (key.getKeyType()) {
                case Escape -> {
                    editingFilter = false;
                    filterDraft = "";
                    model.filter("");
                }
                case Enter -> editingFilter = false;
                case Backspace -> {
                    if (!filterDraft.isEmpty()) {
                        filterDraft = filterDraft.substring(0, filterDraft.length() - 1);
                        model.filter(filterDraft);
                    }
                }
                case Character -> {
                    filterDraft += key.getCharacter();
                    model.filter(filterDraft);
                }
                default -> {
                }
            }
            treeCursor = Math.min(treeCursor, Math.max(0, model.rows().size() - 1));
            return true;
        }
        if (key.isCtrlDown() && key.getKeyType() == KeyType.Character) {
            char c = Character.toLowerCase(key.getCharacter());
            if (c == 'c') {
                return false;
            }
            if (c == 'f') {
                editingFilter = true;
                return true;
            }
        }
        switch (key.getKeyType()) {
            case Tab, ReverseTab -> treeFocused = !treeFocused;
            case ArrowUp -> move(-1);
            case ArrowDown -> move(1);
            case PageUp -> move(-page);
            case PageDown -> move(page);
            case ArrowLeft -> treeFocused = false;
            case ArrowRight -> treeFocused = true;
            case EOF -> {
                return false;
            }
            case Character -> {
                char c = key.getCharacter();
                if (c == 'q') {
                    return false;
                } else if (c == '/') {
                    editingFilter = true;
                } else if (c == ' ' && treeFocused && !model.rows().isEmpty()) {
                    ExplorerModel.Row row = model.rows().get(treeCursor);
                    if (row.directory()) {
                        model.toggle(row.path());
                    }
                } else if (c == 'k') {
                    move(-1);
                } else if (c == 'j') {
                    move(1);
                }
            }
            case Enter -> {
                if (treeFocused && !model.rows().isEmpty() && model.rows().get(treeCursor).directory()) {
                    model.toggle(model.rows().get(treeCursor).path());
                }
            }
            default -> {
            }
        }
        return true;
    }

    private void move(int delta) {
        if (treeFocused) {
            treeCursor = Math.max(0, Math.min(model.rows().size() - 1, treeCursor + delta));
        } else {
            int before = model.layer();
            model.selectLayer(before + delta);
            if (model.layer() != before) {
                treeCursor = 0;
                treeTop = 0;
            }
        }
    }

    private void draw(Screen screen) {
        screen.clear();
        TerminalSize size = screen.getTerminalSize();
        int width = size.getColumns();
        int height = size.getRows();
        int left = Math.max(30, width * 2 / 5);
        TextGraphics g = screen.newTextGraphics();
        Analysis a = model.analysis();

        String title = String.format(Locale.ROOT, " %s  %s  efficiency %.2f %% (dive)  reclaimable %s",
                a.name(), DockerFormat.humanSize(a.tarSize()), a.dive().efficiency() * 100,
                DockerFormat.humanSize(a.corrected().reclaimableBytes()));
        g.enableModifiers(SGR.BOLD);
        g.putString(0, 0, clip(title, width));
        g.disableModifiers(SGR.BOLD);
        g.putString(0, 1, clip((treeFocused ? "  " : "> ") + "Layers", left));
        g.putString(left, 1, clip((treeFocused ? "> " : "  ") + "Layer " + model.layer() + " contents"
                + (model.filterText().isEmpty() ? "" : "  filter: " + model.filterText()), width - left));

        int body = height - 3;
        List<Analysis.LayerReport> layers = a.layers();
        if (model.layer() < layerTop) {
            layerTop = model.layer();
        } else if (model.layer() >= layerTop + body) {
            layerTop = model.layer() - body + 1;
        }
        for (int i = 0; i < body && layerTop + i < layers.size(); i++) {
            Analysis.LayerReport l = layers.get(layerTop + i);
            String line = String.format(Locale.ROOT, "%s%3d %8s  %s", l.index() == model.layer() ? "▶" : " ",
                    l.index(), DockerFormat.humanSize(l.size()), l.command().replace('\n', ' '));
            if (l.index() == model.layer()) {
                g.enableModifiers(SGR.REVERSE);
            }
            g.putString(0, 2 + i, clip(line, left - 1));
            g.disableModifiers(SGR.REVERSE);
        }

        List<ExplorerModel.Row> rows = model.rows();
        if (treeCursor < treeTop) {
            treeTop = treeCursor;
        } else if (treeCursor >= treeTop + body) {
            treeTop = treeCursor - body + 1;
        }
        for (int i = 0; i < body && treeTop + i < rows.size(); i++) {
            ExplorerModel.Row r = rows.get(treeTop + i);
            String name = "  ".repeat(r.depth()) + (r.directory() ? (r.collapsed() ? "▸ " : "▾ ") : "  ") + r.name()
                    + (r.directory() ? "/" : "");
            String line = String.format(Locale.ROOT, "%c %8s  %s", r.change().mark(), DockerFormat.humanSize(r.size()), name);
            g.setForegroundColor(switch (r.change()) {
                case ADDED -> TextColor.ANSI.GREEN;
                case MODIFIED -> TextColor.ANSI.YELLOW;
                case REMOVED -> TextColor.ANSI.RED;
                case UNMODIFIED -> TextColor.ANSI.DEFAULT;
            });
            if (treeFocused && treeTop + i == treeCursor) {
                g.enableModifiers(SGR.REVERSE);
            }
            g.putString(left, 2 + i, clip(line, width - left));
            g.disableModifiers(SGR.REVERSE);
            g.setForegroundColor(TextColor.ANSI.DEFAULT);
        }

        var counts = model.changeCounts();
        String status = editingFilter
                ? " Filter (regexp, Enter keeps, Esc clears): " + filterDraft + "_"
                : String.format(Locale.ROOT, " +%d ~%d -%d | Tab pane  ↑↓ move  Space collapse  / filter  q quit",
                        counts.get(Change.ADDED), counts.get(Change.MODIFIED), counts.get(Change.REMOVED));
        g.putString(0, height - 1, clip(status, width));
    }

    private static String clip(String s, int width) {
        return s.length() <= width ? s : s.substring(0, Math.max(0, width));
    }
}
