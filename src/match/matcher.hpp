#pragma once
// The matcher: keyword prefilter, then each rule's RE2 pattern, then context (nearby keyword,
// enclosing INI section), token-shape checks, instance inference and inline suppression.
// A Matcher is immutable after construction and safe to use from many threads at once.
#include "core/types.hpp"
#include "match/context.hpp"
#include "match/instance.hpp"
#include "match/keyword.hpp"
#include "rules/rule.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zenolint::match {

struct Match {
  const rules::Rule* rule = nullptr;
  std::size_t offset = 0; // byte offset of the secret in the content
  std::size_t length = 0;
  std::uint32_t line = 0, column = 0, end_line = 0, end_column = 0; // 1-based; end exclusive
  std::string secret;
  // The secret as the file writes it, when a rule decodes it (decode_base64); else empty.
  std::string written;
  std::string label;   // the name the secret is assigned to, if the rule captures `label`
  std::string section; // enclosing INI/TOML section, if any
  Instance instance = Instance::unknown;
  Evidence evidence = Evidence::none; // what decided the instance
  Severity severity = Severity::error;
  bool suppressed = false; // by an inline zenolint:allow comment
  std::string line_hash;   // 16 hex digits of SHA-256 over the line without whitespace
  // A match of a context.scope "repository" rule: it counts only if the scan as a whole talks to
  // Zenodo, which resolve() (match/context.hpp) decides after every blob is matched.
  bool needs_repository = false;
  std::string reason; // why a match that needed scan-wide context counts (shown in the finding)
};

// Everything one blob's single pass leaves for the scan-wide decisions (match/context.hpp).
struct BlobMatches {
  std::vector<Match> matches;        // by offset; may include needs_repository matches
  std::vector<Candidate> candidates; // token-shaped strings no rule matched (at most 256)
  ZenodoUse use;                     // what the blob says about Zenodo
};

// Counts of work done by match(), for tests that check it grows linearly with the content.
struct MatchStats {
  // Bytes looked at to place and qualify matches (line index, columns, sections, per-line
  // hash/allow/exclude, context windows): at most a small multiple of the content size,
  // however many matches there are. The RE2 searches themselves are linear and not counted.
  std::size_t context_bytes = 0;
};

struct MatchOptions {
  bool inline_allow = true;    // honour zenolint:allow / zenolint:allow-next-line
  MatchStats* stats = nullptr; // when set, match() adds its counts to it
};

class Matcher {
public:
  // Compiles every rule. `rules` must outlive the Matcher. Throws Error on a pattern RE2 rejects.
  explicit Matcher(const rules::RuleSet& rules);
  ~Matcher();
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;

  // All matches in `content`, ordered by offset, one per secret span: when several rules find the
  // same span, one with a known instance wins over unknown, then the rule that comes first in
  // the rule set (so specific rules go first).
  // `path` feeds path-scoped rules.
  std::vector<Match> match(std::string_view path, std::string_view content,
                           const MatchOptions& options = {}) const;

  // The matches of match() plus what the end of the scan needs: pending repository-scope
  // matches, the token candidates no rule matched, and what the blob says about Zenodo.
  BlobMatches scan(std::string_view path, std::string_view content,
                   const MatchOptions& options = {}) const;

  // False when no rule would run on `content` at `path` (no keyword, no path match, no
  // token-shaped string), so scan() is sure to return nothing. As cheap as the prefilter itself.
  bool may_match(std::string_view path, std::string_view content) const;

  // Matches of the rule with id `rule_id` only (rules self-test).
  std::vector<Match> match_rule(std::string_view rule_id, std::string_view path,
                                std::string_view content) const;

  const rules::RuleSet& rules() const { return m_rules; }

private:
  struct Compiled;
  class FileIndex; // per-blob line, section and per-line facts, shared by every rule
  struct PathSet;  // every rule's path_pattern in one RE2::Set
  // The rules (Compiled::index, ascending) whose path_pattern matches `path`.
  std::vector<std::size_t> path_hits(std::string_view path) const;
  void run_rule(const Compiled& c, std::string_view path, std::string_view content,
                const MatchOptions& options, std::optional<FileIndex>& index,
                std::vector<Match>& out) const;
  const rules::RuleSet& m_rules;
  std::vector<std::unique_ptr<Compiled>> m_compiled;
  // Distinct keywords (lower-cased): "zenodo" first (what a blob says about Zenodo), then the
  // rules'. The first KeywordSet::max_keywords are searched in one pass (m_prefilter), any
  // further ones each on its own (m_more).
  std::vector<std::string> m_keywords{"zenodo"};
  std::optional<KeywordSet> m_prefilter;
  std::vector<KeywordFinder> m_more;
  bool has_keyword(std::size_t k, const KeywordHits& facts, std::string_view content,
                   std::vector<signed char>& more) const;
  bool m_repository_rules = false;  // some rule has context.scope "repository"
  std::unique_ptr<PathSet> m_paths; // null when no rule has a path_pattern
};

// The INI/TOML section enclosing byte `offset` of `content` (nearest preceding `[name]` line),
// or empty. Exposed for the credential-file checks.
std::string enclosing_section(std::string_view content, std::size_t offset);

} // namespace zenolint::match
