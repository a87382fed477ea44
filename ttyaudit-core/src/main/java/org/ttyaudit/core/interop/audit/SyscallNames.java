package org.ttyaudit.core.interop.audit;

import java.util.Map;

/**
 * Names of the syscalls the ingest understands, by number, for the two architectures ttyaudit runs on. A raw log
 * has only the number; an enriched log also has {@code SYSCALL=name}, which is used when present.
 */
final class SyscallNames {
    /** {@code arch=} of x86_64 (AUDIT_ARCH_X86_64). */
    static final String X86_64 = "c000003e";
    /** {@code arch=} of aarch64 (AUDIT_ARCH_AARCH64). */
    static final String AARCH64 = "c00000b7";

    private static final Map<Integer, String> X86_64_NAMES = Map.ofEntries(
            Map.entry(2, "open"), Map.entry(85, "creat"), Map.entry(257, "openat"), Map.entry(437, "openat2"),
            Map.entry(87, "unlink"), Map.entry(263, "unlinkat"), Map.entry(82, "rename"), Map.entry(264, "renameat"),
            Map.entry(316, "renameat2"), Map.entry(90, "chmod"), Map.entry(268, "fchmodat"),
            Map.entry(452, "fchmodat2"),
            Map.entry(92, "chown"), Map.entry(94, "lchown"), Map.entry(260, "fchownat"), Map.entry(76, "truncate"),
            Map.entry(83, "mkdir"), Map.entry(258, "mkdirat"), Map.entry(84, "rmdir"), Map.entry(86, "link"),
            Map.entry(265, "linkat"), Map.entry(88, "symlink"), Map.entry(266, "symlinkat"), Map.entry(59, "execve"),
            Map.entry(322, "execveat"));
    private static final Map<Integer, String> AARCH64_NAMES = Map.ofEntries(
            Map.entry(56, "openat"), Map.entry(437, "openat2"), Map.entry(35, "unlinkat"), Map.entry(38, "renameat"),
            Map.entry(276, "renameat2"), Map.entry(53, "fchmodat"), Map.entry(452, "fchmodat2"),
            Map.entry(54, "fchownat"), Map.entry(45, "truncate"), Map.entry(34, "mkdirat"), Map.entry(37, "linkat"),
            Map.entry(36, "symlinkat"), Map.entry(221, "execve"), Map.entry(281, "execveat"));

    private SyscallNames() {
    }

    /** The name of the SYSCALL record's syscall, or null when it is none of those above. */
    static String of(AuditRecord syscall) {
        String name = syscall.enriched().get("SYSCALL");
        if (name != null) {
            return name;
        }
        Long number = syscall.number("syscall");
        if (number == null) {
            return null;
        }
        Map<Integer, String> names = AARCH64.equals(syscall.raw("arch")) ? AARCH64_NAMES : X86_64_NAMES;
        return names.get(number.intValue());
    }
}
