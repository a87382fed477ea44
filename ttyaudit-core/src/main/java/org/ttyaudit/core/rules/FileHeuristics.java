package org.ttyaudit.core.rules;

import org.ttyaudit.core.rules.FileTouch.Op;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which files a program run touches, guessed from its words: there is no file event source yet, so this reads
 * the arguments of the programs that commonly write, delete or read files ({@code tee}, editors, {@code sed -i},
 * {@code cp}/{@code mv}/{@code install}/{@code ln}/{@code rsync} destinations, {@code truncate}, {@code dd of=},
 * {@code chmod}/{@code chown}/{@code chgrp}, {@code rm}, {@code cat}/{@code less}/…) and redirections. It is a
 * heuristic: a file written by a script, an interpreter or an unknown program is not seen, and a path built at
 * run time ({@code $VAR}) stays as written. At most {@value #MAX_FILES} files per program run are kept. Stateless.
 */
final class FileHeuristics {
    private static final Set<String> EDITORS = Set.of("vi", "vim", "nvim", "vim.basic", "vim.tiny", "nano", "pico",
            "emacs", "emacsclient", "ed", "ex", "joe", "mcedit", "micro", "jed", "mg", "sudoedit", "rvim");
    private static final Set<String> READERS = Set.of("cat", "less", "more", "head", "tail", "view", "bat",
            "tac", "nl", "strings", "xxd", "od", "base64", "hexdump");
    private static final Set<String> DELETERS = Set.of("rm", "rmdir", "unlink", "shred", "srm");
    private static final Set<String> COPIERS = Set.of("cp", "mv", "install", "ln", "rsync");
    private static final Set<String> NONE = Set.of();
    /** Files one program run is taken to touch at most: a hostile line with thousands of operands stays cheap. */
    static final int MAX_FILES = 128;
    private static final Set<String> REDIRECT_WRITES = Set.of(">", ">>", ">|", "&>", "&>>", ">&", "<>");

    private FileHeuristics() {
    }

    /** The files the simple command's redirections touch ({@code > f}: write, {@code < f}: read). */
    static void redirects(List<ShellSyntax.Redirect> redirects, PathResolver paths, List<FileTouch> out) {
        for (ShellSyntax.Redirect r : redirects) {
            if (REDIRECT_WRITES.contains(r.op())) {
                add(out, paths, r.target(), Op.WRITE);
            } else if (r.op().equals("<")) {
                add(out, paths, r.target(), Op.READ);
            }
        }
    }

    /** The files program {@code name} with words {@code w} (w[0] is the program) touches; {@code user} runs it. */
    static void program(String name, List<String> w, String user, PathResolver paths, List<FileTouch> out) {
        if (EDITORS.contains(name)) {
            for (String f : Options.operands(w, 1, "cSstTuUwWi", NONE)) {
                if (!f.startsWith("+")) {
                    add(out, paths, f, Op.WRITE);
                }
            }
        } else if (READERS.contains(name)) {
            for (String f : Options.operands(w, 1, "nc", NONE)) {
                add(out, paths, f, Op.READ);
            }
        } else if (DELETERS.contains(name)) {
            for (String f : Options.operands(w, 1, "n", NONE)) {
                add(out, paths, f, Op.DELETE);
            }
        } else if (COPIERS.contains(name)) {
            copy(name, w, paths, out);
        } else {
            switch (name) {
                case "tee", "touch" -> Options.operands(w, 1, "dtr", NONE).forEach(f -> add(out, paths, f, Op.WRITE));
                case "truncate" -> Options.operands(w, 1, "sr", NONE).forEach(f -> add(out, paths, f, Op.WRITE));
                case "sed" -> sedInPlace(w, paths, out);
                case "vipw" -> add(out, paths, Options.has(w, 1, 's', "--shadow") ? "/etc/shadow" : "/etc/passwd",
                        Op.WRITE);
                case "vigr" -> add(out, paths, Options.has(w, 1, 's', "--shadow") ? "/etc/gshadow" : "/etc/group",
                        Op.WRITE);
                case "visudo" -> {
                    String f = Options.value(w, 1, 'f', "--file");
                    add(out, paths, f == null ? "/etc/sudoers" : f, Op.WRITE);
                }
                case "crontab" -> crontab(w, user, paths, out);
                case "dd" -> {
                    for (String a : w.subList(1, w.size())) {
                        if (a.startsWith("of=")) {
                            add(out, paths, a.substring(3), Op.WRITE);
                        } else if (a.startsWith("if=")) {
                            add(out, paths, a.substring(3), Op.READ);
                        }
                    }
                }
                case "chmod" -> chmod(w, paths, out);
                case "chown", "chgrp", "chattr", "setfacl" -> {
                    List<String> ops = Options.operands(w, 1, "mMxX", NONE);
                    boolean reference = w.stream().anyMatch(a -> a.startsWith("--reference="));
                    boolean attrFirst = name.equals("chattr") || name.equals("setfacl");
                    for (int i = reference || attrFirst && ops.isEmpty() ? 0 : 1; i < ops.size(); i++) {
                        add(out, paths, ops.get(i), Op.WRITE);
                    }
                }
                default -> {
                    // not a program known to touch files
                }
            }
        }
        if (name.equals("sudo")) {
            // sudo -e FILE… (sudoedit): only sudo's own options count, not those of a command it runs
            int operands = Options.firstOperand(w, 1, Wrappers.SUDO_SHORT_WITH_ARG, Wrappers.SUDO_LONG_WITH_ARG);
            if (Options.has(w.subList(0, operands), 1, 'e', "--edit")) {
                for (String f : w.subList(operands, w.size())) {
                    add(out, paths, f, Op.WRITE);
                }
            }
        }
    }

    private static void copy(String name, List<String> w, PathResolver paths, List<FileTouch> out) {
        String shortWithArg = switch (name) {
            case "install" -> "tSmog";
            case "rsync" -> "efTB";
            default -> "tS";
        };
        List<String> ops = new ArrayList<>(Options.operands(w, 1, shortWithArg,
                Set.of("--target-directory", "--suffix", "--rsh", "--filter", "--temp-dir", "--mode", "--owner",
                        "--group")));
        if (name.equals("rsync")) {
            if (!ops.isEmpty() && isRemote(ops.get(ops.size() - 1))) {
                return;   // an upload to another host: no local destination
            }
        }
        String target = Options.value(w, 1, 't', "--target-directory");
        List<String> sources = ops;
        String dest;
        if (target != null) {
            dest = target;
        } else if (ops.size() >= 2 || name.equals("install") && ops.size() == 1) {
            dest = ops.get(ops.size() - 1);
            sources = ops.subList(0, ops.size() - 1);
        } else if (name.equals("ln") && ops.size() == 1) {
            dest = ProgramRun.basename(ops.get(0));   // ln -s /a/b makes ./b
            sources = ops;
        } else {
            return;
        }
        add(out, paths, dest, Op.WRITE);
        for (String src : sources) {
            // The destination may be a directory: the file then lands inside it under its own name.
            add(out, paths, dest + "/" + ProgramRun.basename(src), Op.WRITE);
            if (!name.equals("ln") && !isRemote(src)) {
                add(out, paths, src, name.equals("mv") ? Op.DELETE : Op.READ);
            }
        }
    }

    private static boolean isRemote(String operand) {
        int colon = operand.indexOf(':');
        int slash = operand.indexOf('/');
        return colon > 0 && (slash < 0 || colon < slash);
    }

    private static void sedInPlace(List<String> w, PathResolver paths, List<FileTouch> out) {
        boolean inPlace = false;
        boolean scriptGiven = false;
        for (String a : w.subList(1, w.size())) {
            if (a.startsWith("--in-place") || a.startsWith("-i") || (a.startsWith("-") && !a.startsWith("--")
                    && a.indexOf('i') > 0 && a.indexOf('e') < 0 && a.indexOf('f') < 0)) {
                inPlace = true;
            }
            if (a.equals("-e") || a.equals("-f") || a.startsWith("--expression") || a.startsWith("--file")) {
                scriptGiven = true;
            }
        }
        if (!inPlace) {
            return;
        }
        List<String> ops = Options.operands(w, 1, "efl", Set.of("--expression", "--file", "--line-length"));
        for (int i = scriptGiven ? 0 : 1; i < ops.size(); i++) {
            add(out, paths, ops.get(i), Op.WRITE);
        }
    }

    private static void crontab(List<String> w, String user, PathResolver paths, List<FileTouch> out) {
        String owner = Options.value(w, 1, 'u', null);
        String spool = "/var/spool/cron/crontabs/" + (owner == null ? user : owner);
        if (Options.has(w, 1, 'e', null)) {
            add(out, paths, spool, Op.WRITE);
        } else if (Options.has(w, 1, 'r', null)) {
            add(out, paths, spool, Op.DELETE);
        } else if (!Options.has(w, 1, 'l', null)) {
            List<String> ops = Options.operands(w, 1, "u", NONE);
            if (!ops.isEmpty()) {
                add(out, paths, spool, Op.WRITE);   // crontab FILE installs FILE
                add(out, paths, ops.get(0), Op.READ);
            }
        }
    }

    /** chmod: -R/-v/-c/-f are options, but {@code -x}, {@code -w}… are modes; the first operand is the mode. */
    private static void chmod(List<String> w, PathResolver paths, List<FileTouch> out) {
        boolean modeSeen = w.stream().anyMatch(a -> a.startsWith("--reference="));
        for (String a : w.subList(1, w.size())) {
            boolean option = a.startsWith("--") || a.length() > 1 && a.charAt(0) == '-'
                    && a.substring(1).chars().allMatch(c -> "Rvcf".indexOf(c) >= 0);
            if (option) {
                continue;
            }
            if (!modeSeen) {
                modeSeen = true;
            } else {
                add(out, paths, a, Op.WRITE);
            }
        }
    }

    private static void add(List<FileTouch> out, PathResolver paths, String word, Op op) {
        if (out.size() >= MAX_FILES) {
            return;
        }
        String p = paths.resolve(word);
        if (p != null && !p.equals("/dev/null")) {
            out.add(new FileTouch(p, op));
        }
    }
}
