# shellcheck shell=sh disable=SC2154,SC3013
# (jar and cds come from the launcher that sources this; dash and bash, which run it, have test -nt.)
# Runs the ttyaudit jar with the JVM settings of the command: sourced (not run) by the checkout's bin/ttyaudit
# and by the Debian package's /usr/bin/ttyaudit, after they set
#   jar  the runnable jar
#   cds  where the class-data-sharing archive of that jar lives (made on first use where that place is writable).
#
# JVM settings favour a quick start and a small footprint (the recorder sits in front of every keystroke):
# serial GC, a small heap, C1 only, and an AppCDS archive of the classes a session loads. The server and the
# gateway are long-running services instead: the default collector, both JIT compilers (the gateway's ciphers
# and copies run several times faster once C2 has compiled them), a larger heap (and no archive).

# The compile thresholds are a quarter of the JDK's: a method is compiled after 50 calls instead of 200, so the
# keystroke path (warmed up while the shell starts) is compiled before the first keys rather than during them;
# measured with recbench: keystroke p99 about 40 % lower (291 -> 193, 378 -> 224, 413 -> 223 us in three runs),
# start-up within the noise (docs/PERFORMANCE.md).
jvm="-XX:+UseSerialGC -Xms8m -Xmx64m -XX:TieredStopAtLevel=1 -Xss512k -XX:+PerfDisableSharedMem -XX:CICompilerCount=1 \
-XX:Tier3InvocationThreshold=50 -XX:Tier3MinInvocationThreshold=25 -XX:Tier3CompileThreshold=500 \
-XX:Tier3BackEdgeThreshold=15000"

# The native libraries of zstd-jni, JNA and sqlite-jdbc, copied out of the jar once next to the archive
# (NativeLibraries.java) where this user may write (the package's postinst, as root), so that no JVM unpacks them:
# zstd-jni and sqlite-jdbc would unpack into /tmp, and where /tmp is mounted noexec they could not be loaded (no
# session recorded, no server; for the services, a PrivateTmp= on such a /tmp is the same). A service, whose
# /var/cache is read-only, only reads them.
natives="${cds%.jsa}-native"
if [ -d "$natives" ] && [ "$jar" -nt "$natives/libzstd-jni.so" ]; then
  rm -rf "$natives" 2>/dev/null || true
fi
if [ ! -f "$natives/libzstd-jni.so" ] && [ -w "$(dirname "$natives")" ]; then
  java -XX:TieredStopAtLevel=1 -cp "$jar" org.ttyaudit.cli.install.NativeLibraries "$natives" >/dev/null 2>&1 \
    || rm -rf "$natives"
fi
natives_opts=
# Copies made from an older jar (that this user could not replace) are not used: they would not link.
if [ -f "$natives/libzstd-jni.so" ] && [ -f "$natives/libjnidispatch.so" ] && [ -f "$natives/libsqlitejdbc.so" ] \
    && [ ! "$jar" -nt "$natives/libzstd-jni.so" ]; then
  natives_opts="-DZstdNativePath=$natives/libzstd-jni.so -Djna.boot.library.path=$natives \
-Dorg.sqlite.lib.path=$natives -Dorg.sqlite.lib.name=libsqlitejdbc.so"
fi

case "${1:-}" in
  server)
    # shellcheck disable=SC2086
    exec java -Xms64m -Xmx1g -XX:+ExitOnOutOfMemoryError $natives_opts ${TTYAUDIT_SERVER_JAVA_OPTS:-} \
      -jar "$jar" "$@" ;;
  gateway)
    # shellcheck disable=SC2086
    exec java -Xms32m -Xmx512m -XX:+ExitOnOutOfMemoryError $natives_opts ${TTYAUDIT_GATEWAY_JAVA_OPTS:-} \
      -jar "$jar" "$@" ;;
esac

jvm="$jvm $natives_opts"
if [ -z "${TTYAUDIT_NO_CDS:-}" ]; then
  # An archive made for another build of the jar cannot be used: drop it (where this user may) and make it again.
  if [ -f "$cds" ] && [ "$jar" -nt "$cds" ]; then
    rm -f "$cds" 2>/dev/null || true
  fi
  if [ ! -f "$cds" ] && [ -w "$(dirname "$cds")" ]; then
    # A short training run records the classes a session loads into an AppCDS archive (JDK 13+).
    tmp=$(mktemp -d)
    # shellcheck disable=SC2086
    java $jvm -XX:ArchiveClassesAtExit="$cds" -jar "$jar" record -o "$tmp/train.tta" -- /bin/sh -c 'echo ttyaudit' \
      </dev/null >/dev/null 2>&1 || rm -f "$cds"
    rm -rf "$tmp"
  fi
  if [ -f "$cds" ] && [ ! "$jar" -nt "$cds" ]; then
    # -Xlog:cds=off: an archive that cannot be used must not print warnings into the recorded terminal.
    jvm="$jvm -XX:SharedArchiveFile=$cds -Xshare:auto -Xlog:cds=off,cds+dynamic=off"
  fi
fi

# shellcheck disable=SC2086
exec java $jvm ${TTYAUDIT_JAVA_OPTS:-} -jar "$jar" "$@"
