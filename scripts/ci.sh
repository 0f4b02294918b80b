#!/usr/bin/env bash
# The shell steps of the GitHub Action (action.yml) and of the GitLab CI template
# (ci/zenolint.gitlab-ci.yml), kept here so a test can run them locally
# (tests/e2e/ci_script_test.cpp):
#
#   ci.sh install   build the Debian package from this source tree (Debian 12 packages, tests not
#                   built) and install it with apt-get; zenolint is then /usr/bin/zenolint
#   ci.sh scan      run `zenolint scan`, write the report, record the exit status; exits 0 on
#                   findings (so the report can be uploaded first) and 2 when zenolint failed
#   ci.sh gate      exit 1 when the recorded scan found something at or above ZENOLINT_FAIL_ON
#
# Inputs (environment; the action maps its inputs to these):
#   ZENOLINT_PATH        what to scan (default .)
#   ZENOLINT_FORMAT      sarif (default), gitlab, json or text
#   ZENOLINT_OUTPUT      report file (default zenolint.sarif, or gl-secret-detection-report.json)
#   ZENOLINT_FAIL_ON     error, warning (default) or note
#   ZENOLINT_RANGE       scan only the blobs a revision range adds (A..B), e.g. a pull request
#   ZENOLINT_BASELINE    baseline file: only new findings count
#   ZENOLINT_NO_HISTORY  true: working tree only
#   ZENOLINT_ARGS        more `zenolint scan` arguments, split on whitespace
#   ZENOLINT             the zenolint command (default: zenolint on PATH)
#   ZENOLINT_STATE       file holding the scan's exit status between steps
#                        (default $RUNNER_TEMP/zenolint-status, else /tmp/zenolint-status-$UID)
# Outputs: exit-code and report, appended to $GITHUB_OUTPUT when that is set.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
zenolint="${ZENOLINT:-zenolint}"
state="${ZENOLINT_STATE:-${RUNNER_TEMP:-/tmp}/zenolint-status-$(id -u)}"

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi

output_name() {
  case "${ZENOLINT_FORMAT:-sarif}" in
  sarif) echo zenolint.sarif ;;
  gitlab) echo gl-secret-detection-report.json ;;
  json) echo zenolint.json ;;
  *) echo zenolint.txt ;;
  esac
}

case "${1:-}" in
install)
  "$root/scripts/setup.sh" --package
  build="${ZENOLINT_BUILD_DIR:-${RUNNER_TEMP:-/tmp}/zenolint-package-build}"
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DZENOLINT_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build" -j "$(nproc)"
  rm -f "$build"/zenolint_*.deb
  (cd "$build" && cpack -G DEB >/dev/null)
  debs=("$build"/zenolint_*.deb)
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${debs[0]}" >/dev/null
  zenolint --version
  ;;
scan)
  output="${ZENOLINT_OUTPUT:-$(output_name)}"
  args=(scan --format "${ZENOLINT_FORMAT:-sarif}" -o "$output" --fail-on "${ZENOLINT_FAIL_ON:-warning}"
    --progress never --color never)
  [[ -n ${ZENOLINT_RANGE:-} ]] && args+=(--range "$ZENOLINT_RANGE")
  [[ -n ${ZENOLINT_BASELINE:-} ]] && args+=(--baseline "$ZENOLINT_BASELINE")
  [[ ${ZENOLINT_NO_HISTORY:-false} == true ]] && args+=(--no-history)
  # Word splitting of ZENOLINT_ARGS is intended (no globbing).
  set -f
  # shellcheck disable=SC2206
  extra=(${ZENOLINT_ARGS:-})
  set +f
  args+=("${extra[@]}" "${ZENOLINT_PATH:-.}")
  echo "+ $zenolint ${args[*]}" >&2
  set +e
  "$zenolint" "${args[@]}"
  status=$?
  set -e
  echo "$status" >"$state"
  if [[ -n ${GITHUB_OUTPUT:-} ]]; then
    {
      echo "exit-code=$status"
      echo "report=$output"
    } >>"$GITHUB_OUTPUT"
  fi
  case $status in
  0) echo "zenolint: no findings at or above ${ZENOLINT_FAIL_ON:-warning}; report in $output" >&2 ;;
  1) echo "zenolint: findings at or above ${ZENOLINT_FAIL_ON:-warning}; report in $output (the gate step fails the job)" >&2 ;;
  *)
    echo "zenolint: the scan failed (exit status $status)" >&2
    exit 2
    ;;
  esac
  ;;
gate)
  [[ -r $state ]] || {
    echo "zenolint: no recorded scan ($state); run 'ci.sh scan' first" >&2
    exit 2
  }
  status="$(cat "$state")"
  case $status in
  0) echo "zenolint: gate passed" >&2 ;;
  1)
    echo "zenolint: gate failed: findings at or above ${ZENOLINT_FAIL_ON:-warning} (see the report or the code scanning alerts)" >&2
    exit 1
    ;;
  *) exit 2 ;;
  esac
  ;;
*)
  echo "usage: ci.sh install|scan|gate (inputs in ZENOLINT_* variables; see the header)" >&2
  exit 2
  ;;
esac
