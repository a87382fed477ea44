package org.ttyaudit.core.interop.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns audit events into {@link AuditActivity}s: an EXECVE into an {@code Exec}, a successful file syscall's PATH
 * records into a {@code FileChange}, a USER_CMD into a {@code SudoCommand}. What it does not map is counted by
 * record type in {@link Result#skipped()}: types it does not know, TTY records (keystrokes, which the recording
 * itself holds — and which pam_tty_audit logs without ttyaudit's no-echo redaction), PROCTITLE (the EXECVE has the
 * full argv), and failed file syscalls (as {@code failed-syscall}).
 */
public final class AuditActivities {
    private static final Set<String> USED = Set.of("SYSCALL", "EXECVE", "CWD", "PATH", "USER_CMD");
    private static final int O_ACCMODE = 03;
    private static final int O_CREAT = 0100;
    private static final int O_TRUNC = 01000;
    private static final int AT_REMOVEDIR = 0x200;

    /** The activities, in the order of the log, and what was left out (record type or reason → count). */
    public record Result(List<AuditActivity> activities, Map<String, Integer> skipped) {
    }

    private AuditActivities() {
    }

    public static Result of(List<AuditEvent> events) {
        List<AuditActivity> out = new ArrayList<>();
        Map<String, Integer> skipped = new TreeMap<>();
        for (AuditEvent e : events) {
            for (AuditRecord r : e.records()) {
                if (!USED.contains(r.type())) {
                    skipped.merge(r.type(), 1, Integer::sum);
                }
            }
            AuditRecord syscall = e.first("SYSCALL");
            AuditRecord execve = e.first("EXECVE");
            AuditRecord userCmd = e.first("USER_CMD");
            if (execve != null) {
                out.add(exec(e, allOf(e.all("EXECVE")), syscall));
            } else if (syscall != null) {
                FileOutcome f = file(e, syscall);
                if (f.change != null) {
                    out.add(f.change);
                } else if (f.failed) {
                    skipped.merge("failed-syscall", 1, Integer::sum);
                }
            }
            if (userCmd != null && userCmd.text("cmd") != null) {
                out.add(new AuditActivity.SudoCommand(e.time(), e.serial(), ses(userCmd), userCmd.number("auid"),
                        intField(userCmd, "pid"), userCmd.text("cmd"), userCmd.text("cwd"), userCmd.text("terminal"),
                        userCmd.text("res")));
            }
        }
        return new Result(out, skipped);
    }

    private static AuditActivity.Exec exec(AuditEvent e, AuditRecord execve, AuditRecord syscall) {
        Long argc = execve.number("argc");
        List<String> argv = new ArrayList<>();
        for (int i = 0; argc != null && i < argc; i++) {
            String arg = argument(execve, i);
            if (arg == null) {
                break; // the log lost a record of the argv: keep what there is
            }
            argv.add(arg);
        }
        AuditRecord cwd = e.first("CWD");
        AuditRecord ids = syscall != null ? syscall : execve;
        return new AuditActivity.Exec(e.time(), e.serial(), ses(ids), intField(ids, "pid"), intField(ids, "ppid"),
                argv,
                cwd == null ? null : cwd.text("cwd"), ids.number("uid"), ids.number("auid"),
                syscall == null || syscall.raw("success") == null ? null : "yes".equals(syscall.raw("success")),
                syscall == null ? null : syscall.number("exit"));
    }

    /** The fields of all {@code records} as one: the kernel splits a long argv over several EXECVE records. */
    private static AuditRecord allOf(List<AuditRecord> records) {
        if (records.size() == 1) {
            return records.get(0);
        }
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        records.forEach(r -> fields.putAll(r.fields()));
        AuditRecord first = records.get(0);
        return new AuditRecord(first.line(), first.node(), first.type(), first.time(), first.serial(), fields,
                first.enriched());
    }

    /** Argument {@code i}: {@code aI} (quoted or hex), or for a long one the pieces {@code aI[0]}, {@code aI[1]}, … */
    private static String argument(AuditRecord execve, int i) {
        String whole = execve.raw("a" + i);
        if (whole != null) {
            String text = AuditValues.text(whole);
            return text == null ? "" : text;
        }
        if (execve.raw("a" + i + "_len") == null) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (int piece = 0; execve.raw("a" + i + "[" + piece + "]") != null; piece++) {
            String text = AuditValues.text(execve.raw("a" + i + "[" + piece + "]"));
            b.append(text == null ? "" : text);
        }
        return b.toString();
    }

    private record FileOutcome(AuditActivity.FileChange change, boolean failed) {
    }

    private static FileOutcome file(AuditEvent e, AuditRecord syscall) {
        String name = SyscallNames.of(syscall);
        String op = name == null ? null : operation(name, syscall);
        if (op == null) {
            return new FileOutcome(null, false);
        }
        if (!"yes".equals(syscall.raw("success"))) {
            return new FileOutcome(null, true);
        }
        AuditRecord cwdRecord = e.first("CWD");
        String cwd = cwdRecord == null ? null : cwdRecord.text("cwd");
        String created = path(e, "CREATE", cwd);
        String deleted = path(e, "DELETE", cwd);
        String normal = path(e, "NORMAL", cwd);
        String path;
        String target = null;
        switch (op) {
            case "rename" -> {
                path = deleted;
                target = created;
            }
            case "remove", "rmdir" -> path = deleted;
            case "mkdir", "symlink" -> path = created;
            case "link" -> {
                path = created;
                target = normal;
            }
            default -> path = created != null ? created : normal;
        }
        if (path == null) {
            return new FileOutcome(null, false);
        }
        return new FileOutcome(new AuditActivity.FileChange(e.time(), e.serial(), ses(syscall),
                syscall.number("auid"), intField(syscall, "pid"), op, path, target, name), false);
    }

    /** The file operation of syscall {@code name}, or null when it changes no file (an open for reading). */
    private static String operation(String name, AuditRecord syscall) {
        return switch (name) {
            case "open" -> writes(hex(syscall, "a1")) ? "write" : null;
            case "openat" -> writes(hex(syscall, "a2")) ? "write" : null;
            case "creat", "truncate" -> "write";
            case "unlink" -> "remove";
            case "unlinkat" -> (hex(syscall, "a2") & AT_REMOVEDIR) != 0 ? "rmdir" : "remove";
            case "rmdir" -> "rmdir";
            case "mkdir", "mkdirat" -> "mkdir";
            case "rename", "renameat", "renameat2" -> "rename";
            case "chmod", "fchmodat", "fchmodat2", "chown", "lchown", "fchownat" -> "setstat";
            case "link", "linkat" -> "link";
            case "symlink", "symlinkat" -> "symlink";
            default -> null;
        };
    }

    private static boolean writes(long flags) {
        return (flags & O_ACCMODE) != 0 || (flags & (O_CREAT | O_TRUNC)) != 0;
    }

    /** A syscall argument, which the kernel writes in hex without 0x; 0 when absent or unreadable. */
    private static long hex(AuditRecord r, String key) {
        String v = r.raw(key);
        if (v == null || v.isEmpty() || v.length() > 16) {
            return 0;
        }
        try {
            return Long.parseUnsignedLong(v, 16);
        } catch (NumberFormatException ex) {
            return 0;
        }
    }

    /** The name of the first PATH record of {@code nametype}, made absolute with {@code cwd}; null if none. */
    private static String path(AuditEvent e, String nametype, String cwd) {
        for (AuditRecord p : e.all("PATH")) {
            if (nametype.equals(p.raw("nametype"))) {
                String name = p.text("name");
                if (name == null || name.isEmpty()) {
                    continue;
                }
                if (name.startsWith("/") || cwd == null) {
                    return name;
                }
                return (cwd.endsWith("/") ? cwd : cwd + "/") + name;
            }
        }
        return null;
    }

    private static long ses(AuditRecord r) {
        Long ses = r.number("ses");
        return ses == null ? AuditActivity.NO_SESSION : ses;
    }

    private static int intField(AuditRecord r, String key) {
        Long v = r.number(key);
        return v == null || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE ? -1 : v.intValue();
    }
}
