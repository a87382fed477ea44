package org.ttyaudit.recorder.shell;

import java.util.ArrayList;
import java.util.List;

/** Test listener that writes every callback as one readable line, e.g. {@code C cmd=[ls] cwd=[/tmp]}. */
final class RecordingListener implements MarkerListener {
    final List<String> events = new ArrayList<>();

    @Override
    public void promptStart() {
        events.add("A");
    }

    @Override
    public void commandLineStart() {
        events.add("B");
    }

    @Override
    public void commandStart(String commandLineOrNull, String cwdOrNull) {
        events.add("C cmd=" + bracket(commandLineOrNull) + " cwd=" + bracket(cwdOrNull));
    }

    @Override
    public void commandFinished(int exitCode) {
        events.add("D " + exitCode);
    }

    @Override
    public void forgedMarker(String description) {
        events.add("forged: " + description);
    }

    List<String> withoutForgeries() {
        return events.stream().filter(e -> !e.startsWith("forged")).toList();
    }

    static String bracket(String s) {
        return s == null ? "null" : "[" + s + "]";
    }
}
