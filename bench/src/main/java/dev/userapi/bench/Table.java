package dev.userapi.bench;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table in sections (Markdown-compatible rows), printed at the end and kept in the JSON. */
final class Table {
    private final List<String> lines = new ArrayList<>();

    void section(String title) {
        if (!lines.isEmpty()) {
            lines.add("");
        }
        lines.add("## " + title);
        lines.add("");
    }

    void header(String... columns) {
        row(columns);
        StringBuilder b = new StringBuilder("|");
        for (int i = 0; i < columns.length; i++) {
            b.append("---|");
        }
        lines.add(b.toString());
    }

    void row(String... cells) {
        lines.add("| " + String.join(" | ", cells) + " |");
    }

    void blank() {
        lines.add("");
    }

    List<String> lines() {
        return List.copyOf(lines);
    }
}
