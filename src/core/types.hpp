#pragma once
// Value types shared by every layer. Plain data: no behaviour beyond small helpers, no third-party
// headers, so sources, matcher, checks and reporters can all depend on this file.
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zenolint {

// A git object id (SHA-1, 20 bytes). Working-tree files are keyed by git's blob hash of their
// bytes, so a file and the committed blob with the same content share one BlobId.
struct BlobId {
  std::array<unsigned char, 20> bytes{};

  std::string hex() const;
  static std::optional<BlobId> from_hex(std::string_view hex);
  bool is_zero() const
  {
    // Three word loads, not a byte loop: hash sets probe empty (zero) slots constantly.
    std::uint64_t a, b;
    std::uint32_t c;
    std::memcpy(&a, bytes.data(), 8);
    std::memcpy(&b, bytes.data() + 8, 8);
    std::memcpy(&c, bytes.data() + 16, 4);
    return (a | b | c) == 0;
  }
  friend bool operator==(const BlobId&, const BlobId&) = default;
  friend auto operator<=>(const BlobId&, const BlobId&) = default;
};

// Hashing ids. Ids come from content anyone can commit (a tree may name 100,000 ids that share
// their first bytes), so the hash mixes all 20 bytes with a per-process random key: without the
// key, chosen ids collide no more than random ones. Each step (xor with the key, add, multiply by
// an odd constant, xor-shift) is a bijection of the running value, so ids that differ in one word
// never share a 64-bit hash, and the last xor-shift brings the high bits into the slot index.
struct IdHashKey {
  std::uint64_t k0, k1, k2;
};
IdHashKey random_id_hash_key(); // from std::random_device
inline const IdHashKey id_hash_key = random_id_hash_key();

inline std::uint64_t hash_id(const BlobId& id) noexcept
{
  std::uint64_t a, b;
  std::uint32_t c;
  std::memcpy(&a, id.bytes.data(), 8);
  std::memcpy(&b, id.bytes.data() + 8, 8);
  std::memcpy(&c, id.bytes.data() + 16, 4);
  const auto& k = id_hash_key;
  std::uint64_t h = (a ^ k.k0) * 0x9E3779B97F4A7C15ull;
  h ^= h >> 32;
  h = (h + (b ^ k.k1)) * 0xBF58476D1CE4E5B9ull;
  h ^= h >> 29;
  h = (h + (c ^ k.k2)) * 0x94D049BB133111EBull;
  return h ^ (h >> 32);
}

struct BlobIdHash {
  std::size_t operator()(const BlobId& id) const noexcept { return hash_id(id); }
};

enum class Severity { note = 0, warning = 1, error = 2 };
// "note", "warning", "error": also SARIF's `level` values, which the SARIF writer relies on.
std::string_view to_string(Severity s);
std::optional<Severity> parse_severity(std::string_view s);

// Which Zenodo instance a token belongs to.
enum class Instance { unknown, production, sandbox };
std::string_view to_string(Instance i);
std::optional<Instance> parse_instance(std::string_view s);

struct CommitInfo {
  std::string id;      // full hex commit id
  std::string author;  // author name
  std::string email;   // author email
  std::string date;    // author date, ISO 8601 with offset
  std::string summary; // first line of the message
};

// Where a blob was seen. One blob may have many provenances; findings carry the primary one.
// Provenance nests: content found inside an archive keeps the provenance of the outermost
// archive (its kind, path and commit) and lists the member names from the outside in, so a member
// of `data/backup.tar.gz` in the working tree is {worktree, "data/backup.tar.gz", {"inner/x.ini"}}
// and reads `data/backup.tar.gz!inner/x.ini` (see display_path).
struct Provenance {
  enum class Kind { worktree, staged, history, object, stdin_, release };
  Kind kind = Kind::worktree;
  std::string path;                 // repository-relative (or scan-root-relative), '/'-separated
  std::optional<CommitInfo> commit; // commit that introduced the blob at `path`, if known
  bool unreachable = false;         // seen only through --all-objects
  std::vector<std::string> members; // archive member names, outermost first; empty: not a member
};
std::string_view to_string(Provenance::Kind k);

// Separates an archive's path from a member name in display paths ("a.zip!dir/b.txt").
inline constexpr char archive_separator = '!';

// A path or member name as a component of an archive display path: the separator '!' is written
// %21 and '%' is written %25, so that "a.zip!b%21c.txt" (member "b!c.txt") cannot be read as a
// nested member. Everything else is unchanged.
std::string escape_archive_component(std::string_view name);

// `path`, then each member name after archive_separator. For an archive member, the path and the
// member names are escaped with escape_archive_component; any other path is returned as it is.
std::string display_path(const Provenance& p);

// A problem with one item that did not stop the scan: unreadable file, missing object, bad INI...
// `cause` marks the problems that many items can share, so that the report can group them
// (app/scan_diagnostics.cpp): an object the repository does not have (a partial clone's objects
// that were never fetched, or a damaged object database).
enum class DiagnosticCause : std::uint8_t { none, missing_object };

struct Diagnostic {
  Severity severity = Severity::warning;
  std::string subject; // file path, object id or rule id the problem is about
  std::string message;
  DiagnosticCause cause = DiagnosticCause::none;
  friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

// Whether a token still works, from one request to its instance's API (`scan --verify`).
// active: the API accepted it (200, or 403 for a valid token without deposit scope);
// inactive: the API refused it (401: revoked or never valid); unknown: no clear answer.
enum class Liveness { active, inactive, unknown };
std::string_view to_string(Liveness l);

// Where a secret is exposed in a repository, computed from the one history walk (issue: from a
// finding to a fix). Lists are sorted short ref names ("main", "origin/main", "v1.0").
struct Exposure {
  bool in_head = false;              // in the HEAD tree, the index or the working tree
  std::vector<std::string> branches; // local branches whose history introduced the secret
  std::vector<std::string> remotes;  // remote-tracking refs likewise: the secret was pushed
  std::vector<std::string> tags;     // tags whose tree holds the secret (a release archive)
  bool stash_only = false;           // reachable only from the stash
  bool unreachable_only = false;     // found only among unreachable objects (--all-objects)
  std::vector<std::string> zenodo_archived_releases; // tags archived on Zenodo, when it archives
  friend bool operator==(const Exposure&, const Exposure&) = default;
};

struct Finding {
  std::string rule_id;
  Severity severity = Severity::error;
  Instance instance = Instance::unknown;
  std::string message; // never contains the secret
  std::string path;
  std::uint32_t line = 0;   // 1-based
  std::uint32_t column = 0; // 1-based, in characters (UTF-8 code points) of the line
  std::uint32_t end_line = 0;
  std::uint32_t end_column = 0; // exclusive, like SARIF's endColumn
  std::string secret;           // raw secret; reporters print it only with --show-secrets
  // The secret as the file writes it when a rule decoded it (base64); else empty. Never printed;
  // `remediate` removes this form too.
  std::string written;
  std::string fingerprint; // hex SHA-256 of rule id and secret (stable across edits and renames)
  std::string line_hash;   // hash of the matched line's content, for SARIF primaryLocationLineHash
  std::string label;       // name the secret was assigned to, when the rule captures one
  BlobId blob;
  Provenance provenance;
  std::optional<CommitInfo> introduced_by; // for working-tree findings also present in history
  std::uint32_t other_locations = 0;       // further paths/commits where the same blob was seen
  // The first of those other places that are in history (path and commit; at most 16), so that
  // a report can list every place of a secret.
  std::vector<Provenance> history_places;
  std::optional<Exposure> exposure; // per secret; set when the scan knows the repository
  std::optional<Liveness> verified; // set only by `--verify`
};

struct ScanStats {
  std::uint64_t files = 0;         // working-tree or staged files considered
  std::uint64_t history_blobs = 0; // blob references met in history (or the object database)
  std::uint64_t blobs_scanned = 0; // unique blobs read and matched
  std::uint64_t bytes_scanned = 0;
  std::uint64_t blobs_deduplicated = 0; // references that reused an already scanned blob
  std::uint64_t skipped_binary = 0;
  std::uint64_t skipped_too_large = 0;
  std::uint64_t skipped_symlink = 0;
  std::uint64_t skipped_other = 0; // not a regular file, unreadable, ignored path...
  std::uint64_t suppressed_inline = 0;
  std::uint64_t suppressed_baseline = 0;
  std::uint64_t suppressed_ignore = 0;
  std::uint64_t commits = 0;
  std::uint64_t archives = 0;        // archives opened (nested ones included)
  std::uint64_t archive_members = 0; // regular-file members read from them
};

// Adds every counter of `b` to `a` (several roots or repositories in one report).
void add_stats(ScanStats& a, const ScanStats& b);

} // namespace zenolint
