#pragma once
// A labelled corpus of files for measuring detection quality: every placement of a Zenodo token
// that the rules must find (with the expected instance), and look-alikes that must never be
// flagged. Tokens are made at run time (make_token), so nothing token-shaped is committed.
#include "core/types.hpp"

#include <string>
#include <vector>

namespace zenolint::test {

struct PlantedToken {
  std::string token;
  Instance instance = Instance::unknown; // what the scanner must report
};

struct CorpusFile {
  std::string form; // what the file exercises, e.g. "dockerfile-arg-env"
  std::string path; // relative, '/'-separated; may contain non-ASCII characters
  std::string content;
  std::vector<PlantedToken> planted; // empty for negative files
};

// A fresh corpus (new tokens on each call). Positive files come first, then negative ones.
std::vector<CorpusFile> make_corpus();

// Writes every file of `corpus` under `dir`.
void write_corpus(const std::string& dir, const std::vector<CorpusFile>& corpus);

} // namespace zenolint::test
