#!/usr/bin/env bash
# Installs build/zenolint_*.deb with `apt-get install ./zenolint_*.deb` into a fresh Debian 12 root
# (debootstrap, variant minbase, plus git) and uses it there as a new user would: --version, the
# installed man page and completions, a scan of a demo repository holding a freshly generated fake
# token, and `zenolint install-hook` whose hook then blocks a commit. apt-get resolves the
# package's Depends (computed by dpkg-shlibdeps) from the Debian mirror.
#
# The bootstrapped root is cached as a tar under $ZENOLINT_CACHE_DIR (default
# ~/.cache/zenolint), so a rerun unpacks it instead of bootstrapping again; every run gets its own
# fresh copy. Needs root (chroot), debootstrap and the mirror ($DEBIAN_MIRROR).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cache="${ZENOLINT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/zenolint}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
image="$cache/debian12-minbase-git.tar"
start=$SECONDS

fail() {
  echo "install_test: FAIL: $*" >&2
  exit 1
}

debs=("$root"/build/zenolint_*.deb)
[[ ${#debs[@]} -eq 1 && -f ${debs[0]} ]] || fail "expected exactly one build/zenolint_*.deb (run scripts/package.sh)"
deb="${debs[0]}"

work="$(mktemp -d /tmp/zenolint-install-test.XXXXXX)"
target="$work/root"
mounted=""
cleanup() {
  if [[ -n $mounted ]]; then umount "$mounted" || umount -l "$mounted" || true; fi
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

if [[ ! -s $image ]]; then
  echo "install_test: bootstrapping Debian 12 (minbase) into the cache $image" >&2
  mkdir -p "$cache"
  debootstrap --variant=minbase --include=git,ca-certificates bookworm "$work/seed" "$mirror" \
    >"$work/debootstrap.log" 2>&1 || {
    tail -20 "$work/debootstrap.log" >&2
    fail "debootstrap failed"
  }
  rm -f "$work"/seed/var/cache/apt/archives/*.deb
  tar --numeric-owner -C "$work/seed" -cf "$image.tmp.$$" . && mv "$image.tmp.$$" "$image"
  rm -rf --one-file-system "$work/seed"
fi

mkdir -p "$target"
tar --numeric-owner -C "$target" -xf "$image"
cp /etc/resolv.conf "$target/etc/resolv.conf"
cp "$deb" "$target/tmp/"
in_root() { chroot "$target" env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 "$@"; }
# dpkg and apt in minbase work without /proc; mount it only if this chroot cannot see it.
if [[ ! -e $target/proc/self ]] && ! in_root apt-get --version >/dev/null 2>&1; then
  mount -t proc proc "$target/proc" && mounted="$target/proc"
fi

echo "install_test: apt-get install ./$(basename "$deb")" >&2
in_root apt-get update -qq >"$work/apt.log" 2>&1 || {
  cat "$work/apt.log" >&2
  fail "apt-get update failed"
}
(cd "$target/tmp" && in_root sh -c "cd /tmp && DEBIAN_FRONTEND=noninteractive apt-get install -y -q ./$(basename "$deb")") \
  >>"$work/apt.log" 2>&1 || {
  cat "$work/apt.log" >&2
  fail "apt-get install failed"
}

# The package and what apt pulled in for it.
depends="$(in_root dpkg-query -W -f '${Depends}' zenolint)"
echo "install_test: Depends: $depends" >&2
# Every shared library the binary links is a dependency apt installed: libgit2, RE2, libssl
# (libcrypto), libcurl (--verify), libarchive (archives) and libdeflate (pack entries).
for lib in libgit2 libre2 libssl libcurl libarchive libdeflate; do
  [[ $depends == *$lib* ]] || fail "Depends lacks $lib: $depends"
  in_root dpkg-query -W -f '${Status}' "$(echo "$depends" | tr ',' '\n' | grep -o "$lib[^ ]*" | head -1)" |
    grep -q "install ok installed" || fail "$lib was not installed as a dependency"
done

version="$(in_root zenolint --version)"
echo "install_test: $version" >&2
[[ $version == "zenolint $(dpkg-deb --field "$deb" Version) (git "* ]] || fail "zenolint --version: $version"
[[ "$(in_root zenolint version)" == "$version" ]] || fail "zenolint version differs from --version"

for f in /usr/bin/zenolint /usr/share/man/man1/zenolint.1.gz /usr/share/bash-completion/completions/zenolint \
  /usr/share/zsh/vendor-completions/_zenolint /usr/share/fish/vendor_completions.d/zenolint.fish \
  /usr/share/zenolint/hooks/pre-commit /usr/share/zenolint/hooks/pre-push \
  /usr/share/doc/zenolint/README.md; do
  [[ -s $target$f ]] || fail "$f is not installed"
done
# The installed man page is the one the installed binary generates.
cmp <(gzip -dc "$target/usr/share/man/man1/zenolint.1.gz") <(in_root zenolint help --man) ||
  fail "installed man page differs from 'zenolint help --man'"

# A demo repository with a fake token (generated now, never stored).
token="$(LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 60 || true)"
[[ ${#token} -eq 60 ]] || fail "could not generate a token"
demo=/root/demo
in_root git init -q -b main "$demo"
in_root git -C "$demo" config user.name "Install Test"
in_root git -C "$demo" config user.email "install-test@example.org"
printf '#!/bin/sh\n# Upload to Zenodo.\nexport ZENODO_TOKEN=%s\n' "$token" >"$target$demo/upload.sh"
in_root git -C "$demo" add upload.sh
in_root git -C "$demo" commit -q -m "Add upload script"
set +e
scan_out="$(in_root zenolint scan --color never "$demo" 2>&1)"
scan_status=$?
set -e
echo "$scan_out" | sed 's/^/  | /' >&2
[[ $scan_status -eq 1 ]] || fail "scan of the demo repository exited $scan_status, expected 1"
[[ $scan_out == *"upload.sh:3:"*"zenodo/"* ]] || fail "scan did not report upload.sh:3"
[[ $scan_out != *"$token"* ]] || fail "scan printed the secret"

# An archive (libarchive in the installed root): a token inside a tar.gz is found, nested path.
mkdir -p "$work/deposit/data"
printf 'ZENODO_TOKEN=%s\n' "$token" >"$work/deposit/data/.env"
tar -C "$work/deposit" -czf "$target/root/deposit.tar.gz" data
set +e
archive_out="$(in_root zenolint scan --color never --brief /root/deposit.tar.gz 2>&1)"
archive_status=$?
set -e
echo "$archive_out" | sed 's/^/  | /' >&2
[[ $archive_status -eq 1 ]] || fail "scan of a tar.gz exited $archive_status, expected 1"
[[ $archive_out == *"deposit.tar.gz!data/.env:1:"* ]] || fail "scan did not report the archive member"

# install-hook: the hook runs `zenolint` from PATH and blocks a commit that stages a token.
in_root sh -c "cd $demo && zenolint install-hook" >&2 || fail "install-hook failed"
[[ -x $target$demo/.git/hooks/pre-commit ]] || fail "no executable pre-commit hook"
printf 'ZENODO_TOKEN=%s\n' "$token" >"$target$demo/.env"
in_root git -C "$demo" add .env
if in_root git -C "$demo" commit -q -m "Add .env" >"$work/commit.log" 2>&1; then
  fail "the pre-commit hook let a token through"
fi
grep -q "commit blocked" "$work/commit.log" || {
  cat "$work/commit.log" >&2
  fail "the hook did not say why"
}
in_root git -C "$demo" rm -q --cached .env
printf 'notes\n' >"$target$demo/NOTES"
in_root git -C "$demo" add NOTES
in_root git -C "$demo" commit -q -m "Add notes" || fail "the hook blocked a clean commit"

# Removing the package leaves no zenolint behind.
in_root sh -c "DEBIAN_FRONTEND=noninteractive apt-get remove -y -q zenolint" >>"$work/apt.log" 2>&1 ||
  fail "apt-get remove failed"
[[ ! -e $target/usr/bin/zenolint ]] || fail "zenolint still installed after apt-get remove"

echo "install_test: OK ($((SECONDS - start)) s)" >&2
