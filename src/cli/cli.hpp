#pragma once
// The command line: CLI11 lives here and nowhere else. Parses into app option structs, runs the
// app, and maps the one fatal error type to exit status 2.
namespace zenolint::cli {

int run(int argc, char** argv);

} // namespace zenolint::cli
