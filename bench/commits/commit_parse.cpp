// Reads every commit of a repository (ids from `git rev-list --all`, on stdin) twice in one run:
// (a) as the history walk does: git_odb_read of the raw object and a scan of its header lines for
//     tree, parents and committer time; (b) through libgit2's commit parser (git_commit_lookup,
//     which also parses author, committer, message, encoding and keeps a parsed-object cache).
// Prints the time of each, best of 3, and the ratio.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <git2.h>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

int main(int argc, char** argv)
{
  if (argc < 2) {
    std::fprintf(stderr, "usage: commit_parse REPO < commit-ids\n");
    return 2;
  }
  git_libgit2_init();
  std::vector<git_oid> ids;
  for (std::string line; std::getline(std::cin, line);) {
    git_oid oid;
    if (git_oid_fromstr(&oid, line.c_str()) == 0)
      ids.push_back(oid);
  }
  auto time_of = [&](auto&& fn) {
    double best = 1e30;
    for (int r = 0; r < 3; ++r) {
      git_repository* repo = nullptr; // fresh caches each round
      if (git_repository_open(&repo, argv[1]) < 0)
        std::exit(2);
      auto start = std::chrono::steady_clock::now();
      std::uint64_t sink = fn(repo);
      std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
      best = std::min(best, took.count());
      git_repository_free(repo);
      if (sink == 42)
        std::puts("");
    }
    return best;
  };
  double own = time_of([&](git_repository* repo) {
    git_odb* odb = nullptr;
    git_repository_odb(&odb, repo);
    std::uint64_t sink = 0;
    for (const auto& oid : ids) {
      git_odb_object* obj = nullptr;
      if (git_odb_read(&obj, odb, &oid) < 0)
        continue;
      std::string_view data(static_cast<const char*>(git_odb_object_data(obj)),
                            git_odb_object_size(obj));
      while (!data.empty()) {
        std::size_t eol = data.find('\n');
        std::string_view line = data.substr(0, eol);
        if (line.empty())
          break;
        if (line.rfind("tree ", 0) == 0 || line.rfind("parent ", 0) == 0) {
          git_oid id;
          git_oid_fromstrn(&id, line.data() + line.find(' ') + 1, 40);
          sink += id.id[0];
        } else if (line.rfind("committer ", 0) == 0) {
          std::string rest(line.substr(line.rfind('>') + 1));
          sink += static_cast<std::uint64_t>(std::strtoll(rest.c_str(), nullptr, 10));
        }
        if (eol == std::string_view::npos)
          break;
        data.remove_prefix(eol + 1);
      }
      git_odb_object_free(obj);
    }
    git_odb_free(odb);
    return sink;
  });
  double lg2 = time_of([&](git_repository* repo) {
    std::uint64_t sink = 0;
    for (const auto& oid : ids) {
      git_commit* c = nullptr;
      if (git_commit_lookup(&c, repo, &oid) < 0)
        continue;
      sink += git_commit_tree_id(c)->id[0];
      for (unsigned i = 0; i < git_commit_parentcount(c); ++i)
        sink += git_commit_parent_id(c, i)->id[0];
      sink += static_cast<std::uint64_t>(git_commit_committer(c)->when.time);
      git_commit_free(c);
    }
    return sink;
  });
  std::printf("%zu commits, best of 3: own header scan %.3f s, git_commit_lookup %.3f s, "
              "ratio %.2f\n",
              ids.size(), own, lg2, lg2 / own);
  git_libgit2_shutdown();
}
