#pragma once
// The single fatal error type. Anything thrown as zenolint::Error ends the run with exit status 2;
// the CLI catches it in one place. Problems with one file, object or rule that do not stop the scan
// are recorded as Diagnostics instead (see core/types.hpp).
#include <stdexcept>
#include <string>

namespace zenolint {

class Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

} // namespace zenolint
