#!/usr/bin/env bash
# Installs what zenolint needs to build (and, with --test, to run its whole test suite) from
# Debian packages. Idempotent: does nothing when everything is already installed.
set -euo pipefail

build_pkgs=(g++ cmake make pkg-config git libre2-dev libgit2-dev zlib1g-dev nlohmann-json3-dev libcli11-dev catch2
  libcurl4-openssl-dev ca-certificates libarchive-dev libssl-dev libdeflate-dev)
# clang: the second compiler .ci/run builds with; + libclang-rt-14-dev: the fuzz targets
# (libFuzzer, scripts/fuzz.sh)
test_pkgs=(pre-commit nodejs npm python3 openssl libarchive-tools zip zstd xz-utils bzip2 git-filter-repo clang
  libclang-rt-14-dev)
# scripts/package.sh: CPack's DEB generator runs dpkg-shlibdeps (dpkg-dev) and gzip.
package_pkgs=(dpkg-dev gzip)
# tests/package/install_test.sh bootstraps a Debian root; completion tests run bash, zsh and fish;
# the man page is checked with groff.
test_pkgs+=("${package_pkgs[@]}" debootstrap bash-completion zsh fish groff-base)
# tests/scale/cluster.sh runs scan --repos shards under GNU parallel and a Slurm job array on a
# single-node Slurm it starts itself (slurmctld + slurmd, authenticated by munge).
test_pkgs+=(parallel slurm-wlm munge)

want=("${build_pkgs[@]}")
case "${1:-}" in
--test) want+=("${test_pkgs[@]}") ;;
--package) want+=("${package_pkgs[@]}") ;;
esac

# Test packages that count as present when their command is (e.g. a nodejs build that bundles npm
# and conflicts with Debian's separate npm package).
declare -A provides_cmd=([nodejs]=node [npm]=npm)

missing=()
for p in "${want[@]}"; do
  if [[ -n "${provides_cmd[$p]:-}" ]] && command -v "${provides_cmd[$p]}" >/dev/null 2>&1; then
    continue
  fi
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: all packages present" >&2
fi
