#pragma once
// What the binary was built from. The revision is generated at every build by
// cmake/GitRevision.cmake.

namespace zenolint {

// `git describe --always --dirty` of the source tree at build time, e.g. "45d9a4f1c2b3-dirty";
// "unknown" when it was built outside a git checkout. Never null.
const char* build_revision();

} // namespace zenolint
