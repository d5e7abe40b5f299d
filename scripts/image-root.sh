#!/usr/bin/env bash
# Lays out the files Jib adds on top of its base image (extraDirectories), into OUT_DIR.
#
#   scripts/image-root.sh BASE OUT_DIR
#
# BASE is the Jib base image (careloop.image.base). For `scratch`, the default here, the image has nothing of its own,
# so this writes the whole operating-system part of it:
#   /opt/java/openjdk   a Java 17 runtime made by jlink from this machine's JDK, holding only the modules CareLoop
#                       uses (the same path eclipse-temurin uses, so the entrypoint is the same on either base)
#   /lib, /lib64, /usr  the shared libraries that runtime and bash load (found with ldd, copied from this machine's
#                       Debian packages with their paths, as plain files: the layer holds no links)
#   /bin/bash           for compose's health check (bash's /dev/tcp; the image has no curl)
#   /etc                passwd and group with the non-root user 65532, nsswitch.conf (hosts from files, then DNS)
#   /tmp                writable by the container's user (CARELOOP_DATA_DIR and the JVM's temporary files)
# For any other BASE (eclipse-temurin:17-jre…, which brings its own runtime, libraries and /tmp) OUT_DIR stays empty.
#
# Needs a JDK 17 with jmods (Debian: openjdk-17-jdk-headless) and ldd. Takes ~22 s of CPU (jlink most of it); a second
# run with the same JDK and script reuses what it made (OUT_DIR.stamp).
set -euo pipefail

base=${1:?usage: image-root.sh BASE OUT_DIR}
out=${2:?usage: image-root.sh BASE OUT_DIR}

if [ "$base" != "scratch" ]; then
  rm -rf "$out" "$out.stamp"; mkdir -p "$out"
  echo "image-root.sh: base $base brings its own Java runtime; nothing to add"
  exit 0
fi

# `jdeps --multi-release 17 --ignore-missing-deps --print-module-deps --class-path 'platform/target/lib/*'
# platform/target/careloop.jar` answers java.base, java.compiler, java.desktop, java.naming, java.security.jgss,
# java.sql, jdk.jfr, jdk.management, jdk.unsupported (java.logging, java.management, java.xml and
# java.transaction.xa come with them). Added because they are found at run time, not linked: java.net.http,
# java.scripting, java.instrument, java.security.sasl, jdk.crypto.ec (TLS with EC keys), jdk.crypto.cryptoki,
# jdk.charsets, jdk.localedata (English locales only, below), jdk.naming.dns, jdk.net, jdk.zipfs (jars read as file
# systems), jdk.attach and jdk.management.agent (jcmd and JMX from outside the container). The simulator needs a subset.
modules=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,\
java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,jdk.attach,jdk.charsets,\
jdk.crypto.cryptoki,jdk.crypto.ec,jdk.jfr,jdk.localedata,jdk.management,jdk.management.agent,jdk.naming.dns,\
jdk.net,jdk.unsupported,jdk.zipfs

java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
jlink="$java_home/bin/jlink"
[ -x "$jlink" ] || { echo "image-root.sh: no jlink in $java_home (set JAVA_HOME to a JDK 17)" >&2; exit 1; }
[ -d "$java_home/jmods" ] || { echo "image-root.sh: $java_home has no jmods (Debian: apt-get install openjdk-17-jdk-headless)" >&2; exit 1; }
version=$("$java_home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p')
[ "${version%%.*}" = 17 ] || { echo "image-root.sh: $java_home is Java $version, the image needs 17" >&2; exit 1; }

stamp="$java_home $version $modules $(sha256sum "$0" | cut -c1-16)"
if [ -f "$out.stamp" ] && [ "$(cat "$out.stamp")" = "$stamp" ]; then
  echo "image-root.sh: $out is up to date"
  exit 0
fi

rm -rf "$out" "$out.stamp"; mkdir -p "$out/opt/java" "$out/etc" "$out/tmp" "$out/bin"
"$jlink" --module-path "$java_home/jmods" --add-modules "$modules" \
  --include-locales=en,en-US --strip-debug --no-header-files --no-man-pages \
  --exclude-files='**/libawt_xawt.so,**/libjawt.so,**/libsplashscreen.so,**/libjsound.so' \
  --output "$out/opt/java/openjdk"
# (No --compress: the layer is gzipped anyway, and gzip of the plain module image is smaller, 32 against 39 MB, and
# starts without unzipping classes.)
# Debian's JDK links its security files into /etc; jlink copies the files themselves from the jmods, except that the
# CA store may be a link: make sure the runtime holds a real one.
if [ ! -s "$out/opt/java/openjdk/lib/security/cacerts" ]; then
  cp -L "$java_home/lib/security/cacerts" "$out/opt/java/openjdk/lib/security/cacerts"
fi
# Class data sharing archive for the modules kept: start-up ~0.3 s faster, and no warning about a missing one.
"$out/opt/java/openjdk/bin/java" -Xshare:dump -version >/dev/null 2>&1 || true

cp -L /bin/bash "$out/bin/bash"

# Every shared library an ELF file in the runtime or bash needs, with the path ldd found it at, plus the dynamic
# loader at the path the binaries name (/lib64/ld-linux-x86-64.so.2). Copied as plain files, never as links.
copy_lib() {
  local path=$1 dest
  dest="$out$path"
  [ -e "$dest" ] && return 0
  mkdir -p "$(dirname "$dest")"
  cp -L "$path" "$dest"
}
while IFS= read -r elf; do
  ldd "$elf" 2>/dev/null | awk '/=> \// {print $3} /^[[:space:]]*\/[^ ]*ld-linux/ {print $1}'
done < <(find "$out/opt/java/openjdk" "$out/bin" -type f \( -name '*.so' -o -perm -u+x \) -exec sh -c 'head -c4 "$1" | grep -q ELF' _ {} \; -print) \
  | grep -v "^$out" | sort -u | while IFS= read -r lib; do copy_lib "$lib"; done
# The loader under the path the binaries name, and under the one ldd resolves it to.
copy_lib /lib64/ld-linux-x86-64.so.2
copy_lib "$(readlink -f /lib64/ld-linux-x86-64.so.2)"
# On merged-/usr Debian /lib is a link to usr/lib: ldd names /lib/x86_64-linux-gnu/…, which is where they land.

cat > "$out/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
careloop:x:65532:65532:CareLoop:/tmp:/sbin/nologin
EOF
cat > "$out/etc/group" <<'EOF'
root:x:0:
careloop:x:65532:
EOF
# Compose's service names come from Docker's DNS and /etc/hosts (both mounted by the engine).
echo "hosts: files dns" > "$out/etc/nsswitch.conf"
touch "$out/tmp/.keep"

echo "$stamp" > "$out.stamp"
echo "image-root.sh: $(du -sh "$out" | cut -f1) in $out (runtime $(du -sh "$out/opt/java/openjdk" | cut -f1), modules $modules)"
