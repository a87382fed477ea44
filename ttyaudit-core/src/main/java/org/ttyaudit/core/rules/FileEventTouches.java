package org.ttyaudit.core.rules;

import org.ttyaudit.core.model.FileEvent;
import org.ttyaudit.core.rules.FileTouch.Op;

import java.util.List;

/**
 * The files a {@link FileEvent} touches, as {@code file:} conditions see them. Unlike the command heuristics
 * these are facts the recorder (the SSH gateway's SFTP/SCP relay) saw: {@code read} reads the path; {@code write},
 * {@code mkdir}, {@code setstat}, {@code symlink} and {@code link} write it (for the links: the link made at the
 * path); {@code remove} and {@code rmdir} delete it; {@code rename} deletes the path and writes the target path.
 * An operation word this version does not know touches the path in no named way: only {@code op: any} (or the word
 * itself) matches it.
 *
 * <p>Paths are taken literally (SFTP and SCP do not expand {@code ~} or variables): a relative path is relative to
 * the home directory of the account the transfer ran as, where SFTP and SCP start, and {@code .}, {@code ..} and
 * repeated slashes are removed. Stateless.
 */
final class FileEventTouches {
    private FileEventTouches() {
    }

    /** @param home the home directory of the account the session runs as ({@link SessionFacts#accountOnHost}) */
    static List<FileTouch> of(FileEvent e, String home) {
        String path = absolute(e.path(), home);
        String op = e.operation();
        return switch (op) {
            case "read" -> List.of(new FileTouch(path, Op.READ, op));
            case "write", "mkdir", "setstat", "symlink", "link" -> List.of(new FileTouch(path, Op.WRITE, op));
            case "remove", "rmdir" -> List.of(new FileTouch(path, Op.DELETE, op));
            case "rename" -> e.targetPath() == null ? List.of(new FileTouch(path, Op.DELETE, op))
                    : List.of(new FileTouch(path, Op.DELETE, op), new FileTouch(absolute(e.targetPath(), home),
                    Op.WRITE, op));
            default -> List.of(new FileTouch(path, null, op));
        };
    }

    private static String absolute(String path, String home) {
        return PathResolver.normalise(path.startsWith("/") ? path : home + "/" + path, true);
    }
}
