#!/usr/bin/env bash
# Builds the Debian package build/zenolint_VERSION_ARCH.deb with CPack: the binary, its man page,
# bash/zsh/fish completions, the hook scripts and the docs. Depends is computed by dpkg-shlibdeps
# from the shared libraries the binary links (libgit2, RE2, libstdc++, libc).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh" --package
"$root/scripts/build.sh"
cd "$root/build"
rm -f zenolint_*.deb
cpack -G DEB >cpack.log 2>&1 || {
  cat cpack.log >&2
  exit 1
}
deb=(zenolint_*.deb)
echo "package: build/${deb[0]}"
dpkg-deb --field "${deb[0]}" Package Version Architecture Depends
