#pragma once
// A labelled corpus of files for measuring detection quality: every placement of a Zenodo token
// that the rules must find (with the expected instance), and look-alikes that must never be
// flagged. Tokens are made at run time (make_token), so nothing token-shaped is committed.
#include "core/types.hpp"

#include <set>
#include <string>
#include <vector>

namespace zenolint::test {

struct PlantedToken {
  std::string token;
  Instance instance = Instance::unknown; // what the scanner must report
};

struct CorpusFile {
  std::string form; // what the file exercises, e.g. "dockerfile-arg-env"
  std::string path; // relative to its repository, '/'-separated; may contain non-ASCII characters
  std::string content;
  std::vector<PlantedToken> planted; // empty for negative files
  // The repository (a directory scanned on its own) the file belongs to: repository context
  // (issue 12, class 1) depends on the other files of the same scan.
  std::string repo = "main";
  // Which shape class it exercises: 0 the first round (assignments, client files, code), then
  // issue 12's classes: 1 repository context, 2 credential-file names, 3 name and value apart,
  // 4 prose and docs, 5 the same secret elsewhere; round three's: 6 escaped and encoded, 7
  // credentials bound to a Zenodo host, 8 markup, blocks and pipes, 9 instance from paths and
  // switches; round four's: 10 HTTP Basic credentials (base64 of user:token), 11 data, logs and
  // tool files, 12 XML objects and tables, 13 languages rarely probed.
  int shape_class = 0;
};

// A fresh corpus (new tokens on each call).
std::vector<CorpusFile> make_corpus();

// The repositories of `corpus`, sorted.
std::vector<std::string> corpus_repos(const std::vector<CorpusFile>& corpus);

// Writes every file of `corpus` under `dir`/<repo>/<path>.
void write_corpus(const std::string& dir, const std::vector<CorpusFile>& corpus);

} // namespace zenolint::test
