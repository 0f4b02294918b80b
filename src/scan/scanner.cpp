#include "scan/scanner.hpp"

#include "archive/archive.hpp"
#include "core/digest.hpp"
#include "core/error.hpp"
#include "core/fd.hpp"
#include "core/parallel.hpp"
#include "core/phases.hpp"
#include "core/read_file.hpp"
#include "core/text.hpp"
#include "git/git.hpp"
#include "match/token.hpp"
#include "rules/message.hpp"
#include "source/git_layout.hpp"
#include "source/object_store.hpp"
#include "source/pack_resolver.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <exception>
#include <fcntl.h>
#include <map>
#include <memory>
#include <mutex>
#include <sys/stat.h>
#include <thread>
#include <unordered_map>

namespace zenolint::scan {
namespace {

Finding make_finding(const match::Match& m, const BlobId& id, const Provenance& prov)
{
  Finding f;
  f.rule_id = m.rule->id;
  f.severity = m.severity;
  f.instance = m.instance;
  f.path = display_path(prov);
  f.line = m.line;
  f.column = m.column;
  f.end_line = m.end_line;
  f.end_column = m.end_column;
  f.secret = m.secret;
  f.written = m.written;
  f.fingerprint = sha256_hex(m.rule->id + ":" + m.secret);
  f.line_hash = m.line_hash;
  f.label = m.label;
  f.blob = id;
  f.provenance = prov;
  rules::MessageFields fields;
  fields.id = m.rule->id;
  fields.name = m.rule->name;
  fields.instance = m.instance == Instance::unknown ? "" : to_string(m.instance);
  fields.label = m.label;
  fields.reason = m.reason;
  f.message = rules::render_message(m.rule->message, fields);
  return f;
}

// Where a unit came from: a source's provenance, or a member of an archive already claimed.
struct Origin {
  const Provenance* provenance = nullptr; // top-level unit
  std::size_t archive_slot = 0;           // else: member `member` of this slot...
  std::string member;
  std::uint64_t ordinal = 0; // ...its position in the archive (members may be matched in any order)
};

// A member of an archive: (archive slot, position in the archive, name).
struct Inside {
  std::size_t archive_slot = 0;
  std::uint64_t ordinal = 0;
  std::string member;
};

struct Slot {
  BlobId id;
  // Seen directly from a source: pointers into the Batch given to run(), which outlives the
  // slots (a copy each was most of registering a large history's objects).
  std::vector<const Provenance*> provenances;
  std::vector<Inside> inside; // sorted by (archive slot, ordinal) before provenances are resolved
  match::BlobMatches blob;    // matches, token candidates and Zenodo use, from the one pass
  bool claimed = false;       // some worker reads (or has read) this content
};

// Per worker; atomic because an archive's members are matched on other threads than the worker
// that opened it.
struct Counters {
  std::atomic<std::uint64_t> scanned{0}, bytes{0}, binary{0}, large{0}, other{0}, symlink{0},
      dedup{0}, archives{0}, members{0};
};

// A member read from an archive, on its way from the thread decompressing it to a matcher.
struct MemberItem {
  std::string name;
  std::string content;
  std::uint64_t ordinal = 0;
};

// Outermost archives at least this large have their members matched on other threads while the
// archive is decompressed; smaller ones are not worth the threads.
constexpr std::size_t parallel_archive_bytes = 1u << 20;
// Members decompressed but not yet matched, at most (bytes).
constexpr std::size_t member_queue_bytes = 16u << 20;
// Archive files at least this large are read while their id is computed on another thread
// (Engine::archive_file); content of such a size is then compared with them before it is claimed.
constexpr std::uint64_t speculate_bytes = parallel_archive_bytes;

// An archive file streamed from its descriptor (Engine::archive_file) while its id is unknown:
// its slot has no id yet, so content of the same size is compared with the file's bytes instead.
struct Streaming {
  Fd fd;
  std::uint64_t size = 0;
  std::size_t slot = 0;
};

// git's blob id of the first `size` bytes of `fd` (pread in blocks; the offset is not used), or
// nullopt when the file ends before them or cannot be read.
std::optional<BlobId> hash_file(int fd, std::uint64_t size)
{
  git::BlobHasher hasher(size);
  std::unique_ptr<char[]> block(new char[archive::stream_block_bytes]);
  for (std::uint64_t done = 0; done < size;) {
    auto want =
        static_cast<std::size_t>(std::min<std::uint64_t>(archive::stream_block_bytes, size - done));
    if (!pread_exact(fd, block.get(), want, done))
      return std::nullopt;
    hasher.update(std::string_view(block.get(), want));
    done += want;
  }
  return hasher.finish();
}

// True when the file streamed in `s` holds exactly `data`.
bool same_bytes(const Streaming& s, std::string_view data)
{
  if (data.size() != s.size)
    return false;
  constexpr std::size_t chunk = 64u << 10;
  std::unique_ptr<char[]> block(new char[chunk]);
  for (std::size_t done = 0; done < data.size();) {
    std::size_t want = std::min(chunk, data.size() - done);
    if (!pread_exact(s.fd.get(), block.get(), want, done) ||
        std::memcmp(block.get(), data.data() + done, want) != 0)
      return false;
    done += want;
  }
  return true;
}

bool same_stat(const struct stat& a, const struct stat& b)
{
  return a.st_size == b.st_size && a.st_mtim.tv_sec == b.st_mtim.tv_sec &&
         a.st_mtim.tv_nsec == b.st_mtim.tv_nsec && a.st_ctim.tv_sec == b.st_ctim.tv_sec &&
         a.st_ctim.tv_nsec == b.st_ctim.tv_nsec;
}

// Per-unit work shared by every source. Slots live in a deque (stable addresses) and are only
// touched under m_mutex; content is read and matched outside it.
class Engine {
public:
  Engine(const match::Matcher& matcher, const ScanOptions& options, unsigned jobs, bool may_share)
      : m_matcher(matcher), m_options(options), m_counters(jobs), m_may_share(may_share),
        m_archive_threads(jobs - 1)
  {
    m_mopts.inline_allow = options.inline_allow;
  }

  // Room for `units` blob ids (files and objects of the batch): no rehash as they are claimed.
  void reserve(std::size_t units) { m_slot_of.reserve(units); }

  // Registers a sighting of `id`. Returns the slot and whether the caller must read the content
  // (the first to claim it); a later sighting only adds its provenance.
  std::pair<std::size_t, bool> claim(const BlobId& id, const Origin& origin, bool read)
  {
    std::lock_guard lock(m_mutex);
    return claim_locked(id, origin, read);
  }

  // claim() for content about to be read, given its bytes: content as large as an archive file
  // being streamed whose id is not known yet (archive_file) is compared with that file first, and
  // when it is the same it is a sighting of that file's slot.
  std::pair<std::size_t, bool> claim_bytes(std::string_view data, const BlobId& id,
                                           const Origin& origin)
  {
    if (data.size() >= speculate_bytes) {
      std::shared_ptr<const Streaming> streaming;
      {
        std::lock_guard lock(m_mutex);
        auto& large = m_large[data.size()];
        large.claimed = true; // no archive file of this size is streamed without its id from now
        streaming = large.streaming;
      }
      if (streaming && same_bytes(*streaming, data)) {
        std::lock_guard lock(m_mutex);
        attach_locked(streaming->slot, origin);
        return {streaming->slot, false};
      }
    }
    return claim(id, origin, true);
  }

  // A file named like an archive (has_archive_extension), read from its descriptor in blocks
  // instead of whole: its memory does not grow with its size. Byte-identical archives are still
  // opened once: the file's id (git's blob hash) is computed first, or, for a file of at least
  // speculate_bytes with threads to spare, on another thread while the archive is read, its slot
  // getting the id at the end; content of the same size met meanwhile is compared with the file
  // (claim_bytes) or waits for the id (another file), so no content is claimed twice. Returns
  // false when the file is to be read whole like any other: it cannot be opened (the whole-file
  // reader says why) or it is not an archive and not larger than --max-file-size.
  bool archive_file(const source::FileRef& ref, std::uint64_t limit, unsigned w)
  {
    ReadFileOptions no_links;
    no_links.follow_final_link = false;
    auto streaming = std::make_shared<Streaming>();
    streaming->fd.reset(open_regular_file(ref.fs_path, limit, &streaming->size, nullptr, no_links));
    struct stat before {};
    if (!streaming->fd || ::fstat(streaming->fd.get(), &before) != 0)
      return false;
    const std::uint64_t size = streaming->size;
    const int fd = streaming->fd.get();
    char head[512];
    const auto head_size = static_cast<std::size_t>(std::min<std::uint64_t>(size, sizeof head));
    if (!pread_exact(fd, head, head_size, 0))
      return false;
    if (!opens_archive(std::string_view(head, head_size), 0)) {
      if (size <= m_options.max_file_size)
        return false;
      ++m_counters[w].large; // named like an archive, but is not one
      return true;
    }
    const std::string& path = ref.provenance.path;
    Origin origin;
    origin.provenance = &ref.provenance;
    auto read = [&](std::size_t slot, archive::FileAhead* ahead) {
      read_archive(
          slot, size, path, w, 0, nullptr,
          [&](const archive::Limits& limits, archive::Budget& budget, const archive::Visitor& v) {
            return archive::read_file(fd, size, path, limits, budget, v, ahead);
          });
    };
    auto unchanged = [&] {
      struct stat after {};
      if (::fstat(fd, &after) == 0 && same_stat(before, after))
        return true;
      diagnose(path, "changed while it was read: its members may come from more than one version "
                     "of the file");
      return false;
    };
    const auto known_id = source::known_id_for(ref, before);
    if (!known_id && size >= speculate_bytes && m_archive_threads > 0 &&
        start_streaming(streaming, origin)) {
      // One read of the file: a thread reads it ahead and hashes each block, libarchive takes
      // the same blocks (archive::FileAhead).
      std::optional<BlobId> id;
      try {
        git::BlobHasher hasher(size);
        archive::FileAhead ahead(fd, size, [&](std::string_view block) { hasher.update(block); });
        read(streaming->slot, &ahead);
        if (ahead.finish())
          id = hasher.finish();
      } catch (...) {
        end_streaming(*streaming, std::nullopt);
        throw;
      }
      // Changed while read: no id, so nothing else is deduplicated against a mix of versions.
      end_streaming(*streaming, unchanged() ? id : std::nullopt);
      return true;
    }
    auto id = known_id ? known_id : hash_file(fd, size);
    if (!id) {
      diagnose(path, "cannot read: the file shrank while it was read");
      ++m_counters[w].other;
      return true;
    }
    auto [slot, first] = claim_file(*id, size, origin);
    if (!first) {
      ++m_counters[w].dedup;
      return true;
    }
    read(slot, nullptr);
    unchanged();
    return true;
  }

  // Claims a pre-registered slot for reading; false when someone already read it.
  bool claim_slot(std::size_t slot)
  {
    std::lock_guard lock(m_mutex);
    if (m_slots[slot].claimed)
      return false;
    m_slots[slot].claimed = true;
    return true;
  }

  bool claimed(std::size_t slot)
  {
    std::lock_guard lock(m_mutex);
    return m_slots[slot].claimed;
  }

  void diagnose(const std::string& subject, std::string message,
                DiagnosticCause cause = DiagnosticCause::none)
  {
    std::lock_guard lock(m_mutex);
    m_diags.push_back({Severity::warning, subject, std::move(message), cause});
  }

  // An object that cannot be read, named by the path (and commit) where it was expected, so
  // that the user learns which file was not checked; a missing one is marked so the report can
  // group it with the others (a partial clone misses thousands).
  void object_unreadable(const source::ObjectRef& ref, int rc)
  {
    if (rc == GIT_ENOTFOUND)
      diagnose(object_subject(ref),
               object_name(ref) + " is not in the object database; not scanned",
               DiagnosticCause::missing_object);
    else
      diagnose(object_subject(ref),
               "cannot read " + object_name(ref) + ": " + git::last_error_message());
  }

  // An object the own reader found corrupt (`why`), never handed to libgit2.
  void object_corrupt(const source::ObjectRef& ref, const std::string& why)
  {
    diagnose(object_subject(ref), "cannot read " + object_name(ref) + ": " + why);
  }

  std::string object_subject(const source::ObjectRef& ref) const
  {
    const Provenance& p = ref.provenance;
    return p.path.empty() ? ref.id.hex() : display_path(p);
  }

  static std::string object_name(const source::ObjectRef& ref)
  {
    std::string object = "object " + ref.id.hex();
    if (ref.provenance.commit)
      object += " (commit " + ref.provenance.commit->id.substr(0, 12) + ")";
    return object;
  }

  Counters& counters(unsigned w) { return m_counters[w]; }

  // A file a Prefetch settled as text in which the matcher found nothing: what unit() would have
  // done with it (claim a known id, count it scanned or deduplicated), without reading it again.
  void settled_text(std::uint64_t size, const std::optional<BlobId>& known, const Origin& origin,
                    unsigned w)
  {
    if (known) {
      std::pair<std::size_t, bool> claimed;
      {
        std::lock_guard lock(m_mutex);
        // As claim_bytes: no archive file of this size is streamed without its id from now (the
        // text cannot be such an archive's bytes: those start like an archive).
        if (size >= speculate_bytes)
          m_large[size].claimed = true;
        claimed = claim_locked(*known, origin, true);
      }
      if (!claimed.second) {
        ++m_counters[w].dedup;
        return;
      }
    }
    count_scanned(w, size);
  }

  // Content not yet claimed (a file, a buffer, a member). `hint` is the path the matcher sees
  // (file-kind hints), `subject` what diagnostics name.
  void unit(std::string_view data, const std::optional<BlobId>& known, const Origin& origin,
            const std::string& hint, const std::string& subject, unsigned w, unsigned depth,
            archive::Budget* budget)
  {
    const bool is_archive = opens_archive(data, depth);
    std::string decoded;
    auto text = is_archive ? std::optional<std::string_view>(data) : text_of(data, decoded);
    if (!text) {
      note_too_deep(data, subject, depth);
      ++m_counters[w].binary;
      return;
    }
    if (!known && !m_may_share && !is_archive) {
      lazy_unit(data, *text, origin, hint, subject, w);
      return;
    }
    BlobId id = known ? *known : git::blob_hash(data);
    auto [slot, first] = claim_bytes(data, id, origin);
    if (!first) {
      ++m_counters[w].dedup;
      return;
    }
    content(slot, data, hint, subject, w, depth, budget);
  }

  // Text without a known id in a scan without repository objects: only other units of this scan
  // could share its id, so hashing it only pays where something is kept. Matched first; the id
  // (git's blob hash) is computed only when the match leaves something for the report or the
  // scan-wide context, and identical content kept twice then becomes one slot as before
  // (identical content without findings is matched, and counted, at each place). SHA-1 of every
  // member and file that mentions a keyword was a sixth of an archive scan's CPU. Archives are
  // still hashed first: byte-identical archives are opened once.
  void lazy_unit(std::string_view data, std::string_view text, const Origin& origin,
                 const std::string& hint, const std::string& subject, unsigned w)
  {
    if (!m_matcher.may_match(hint, text)) {
      count_scanned(w, data.size());
      return;
    }
    auto blob = m_matcher.scan(hint, text, m_mopts);
    if (!worth_keeping(blob, subject)) {
      count_scanned(w, data.size());
      return;
    }
    auto [slot, first] = claim_bytes(data, git::blob_hash(data), origin);
    if (!first) {
      ++m_counters[w].dedup; // matched again, but counted as before: one scanned blob
      return;
    }
    count_scanned(w, data.size());
    std::lock_guard lock(m_mutex);
    m_slots[slot].blob = std::move(blob);
  }

  // What a blob's pass leaves for later: matches and candidates (findings), and Zenodo use for
  // the repository context, which reads `mentions` only of a README (match::repository_context).
  static bool worth_keeping(const match::BlobMatches& blob, std::string_view subject)
  {
    if (!blob.matches.empty() || !blob.candidates.empty() || blob.use.api)
      return true;
    if (!blob.use.mentions)
      return false;
    return starts_with_ci(subject.substr(subject.find_last_of("/!") + 1), "readme");
  }

  // The content of a slot this worker claimed: an archive to open, or text to match.
  void content(std::size_t slot, std::string_view data, const std::string& hint,
               const std::string& subject, unsigned w, unsigned depth, archive::Budget* budget)
  {
    if (opens_archive(data, depth)) {
      open_archive(slot, data, hint, subject, w, depth, budget);
      return;
    }
    std::string decoded;
    auto text = text_of(data, decoded);
    if (!text) {
      note_too_deep(data, subject, depth);
      ++m_counters[w].binary;
      return;
    }
    auto blob = m_matcher.scan(hint, *text, m_mopts);
    count_scanned(w, data.size());
    if (blob.matches.empty() && blob.candidates.empty() && !blob.use.mentions)
      return;
    std::lock_guard lock(m_mutex);
    m_slots[slot].blob = std::move(blob);
  }

  // Moves the results out: slots (indexes stable) and diagnostics. Archive memberships are put in
  // archive order, whichever thread matched them.
  std::deque<Slot> take_slots()
  {
    // A streamed archive whose id turned out to be a registered object's: its sightings and the
    // memberships of its members move to that object's slot, as if it had claimed it.
    for (auto [from, to] : m_alias) {
      Slot& a = m_slots[from];
      Slot& b = m_slots[to];
      b.provenances.insert(b.provenances.end(), a.provenances.begin(), a.provenances.end());
      b.inside.insert(b.inside.end(), a.inside.begin(), a.inside.end());
      a.provenances.clear();
      a.inside.clear();
      for (auto& slot : m_slots)
        for (auto& in : slot.inside)
          if (in.archive_slot == from)
            in.archive_slot = to;
    }
    for (auto& slot : m_slots)
      std::sort(slot.inside.begin(), slot.inside.end(), [](const Inside& a, const Inside& b) {
        return std::tie(a.archive_slot, a.ordinal, a.member) <
               std::tie(b.archive_slot, b.ordinal, b.member);
      });
    return std::move(m_slots);
  }
  std::vector<Diagnostic> take_diagnostics() { return std::move(m_diags); }

private:
  std::pair<std::size_t, bool> claim_locked(const BlobId& id, const Origin& origin, bool read)
  {
    auto [it, inserted] = m_slot_of.try_emplace(id, m_slots.size());
    if (inserted) {
      m_slots.emplace_back();
      m_slots.back().id = id;
    }
    Slot& slot = m_slots[it->second];
    attach_locked(it->second, origin);
    bool first = read && !slot.claimed;
    if (read)
      slot.claimed = true;
    return {it->second, first};
  }

  void attach_locked(std::size_t slot, const Origin& origin)
  {
    if (origin.provenance)
      m_slots[slot].provenances.push_back(origin.provenance);
    else
      m_slots[slot].inside.push_back({origin.archive_slot, origin.ordinal, origin.member});
  }

  // claim() for an archive file of `size` bytes whose id is known: waits until no archive file of
  // that size is being read without its id (only files wait: content met inside archives
  // compares instead, claim_bytes, so no archive waits on another's member).
  std::pair<std::size_t, bool> claim_file(const BlobId& id, std::uint64_t size,
                                          const Origin& origin)
  {
    std::unique_lock lock(m_mutex);
    if (size >= speculate_bytes) {
      auto& large = m_large[size];
      large.claimed = true;
      m_streamed.wait(lock, [&] { return !large.streaming; });
    }
    return claim_locked(id, origin, true);
  }

  // Gives `s` a slot without an id when nothing of its size was claimed or is being streamed;
  // false otherwise (the file is then hashed first).
  bool start_streaming(const std::shared_ptr<Streaming>& s, const Origin& origin)
  {
    std::lock_guard lock(m_mutex);
    auto& large = m_large[s->size];
    if (large.claimed || large.streaming)
      return false;
    large.claimed = true;
    large.streaming = s;
    s->slot = m_slots.size();
    m_slots.emplace_back();
    m_slots.back().claimed = true;
    attach_locked(s->slot, origin);
    return true;
  }

  // The streamed file's id is known (nullopt: unreadable or changed; the slot then keeps no id
  // and nothing is deduplicated against it). Content with that id claimed later finds this
  // slot; an object registered with it (not read yet: objects are read after files) becomes this
  // read, through an alias resolved in take_slots().
  void end_streaming(const Streaming& s, const std::optional<BlobId>& id)
  {
    {
      std::lock_guard lock(m_mutex);
      if (id) {
        m_slots[s.slot].id = *id;
        auto [it, inserted] = m_slot_of.try_emplace(*id, s.slot);
        if (!inserted && !m_slots[it->second].claimed) {
          m_slots[it->second].claimed = true;
          m_alias.emplace_back(s.slot, it->second);
        }
        // (claimed otherwise cannot be: everything of this size compared or waited)
      }
      m_large[s.size].streaming.reset();
    }
    m_streamed.notify_all();
  }

  bool opens_archive(std::string_view data, unsigned depth) const
  {
    return depth < m_options.max_archive_depth && archive::looks_like_archive(data);
  }

  // An archive inside archives, one level deeper than allowed: say why it was not read.
  void note_too_deep(std::string_view data, const std::string& subject, unsigned depth)
  {
    if (depth > 0 && depth == m_options.max_archive_depth && archive::looks_like_archive(data))
      diagnose(subject, "archive nested " + std::to_string(depth) +
                            " levels deep, beyond --max-archive-depth; not opened");
  }

  void count_scanned(unsigned w, std::size_t size)
  {
    ++m_counters[w].scanned;
    m_counters[w].bytes += size;
    auto done = ++m_blobs_done;
    auto b = m_bytes_done += size;
    if (m_options.on_progress)
      m_options.on_progress(done, b);
  }

  // "archive!member" as display_path writes it: `subject` is a raw path at depth 0, already an
  // escaped display path below.
  static std::string member_subject(const std::string& subject, unsigned depth,
                                    const std::string& member)
  {
    return (depth == 0 ? escape_archive_component(subject) : subject) + archive_separator +
           escape_archive_component(member);
  }

  void open_archive(std::size_t slot, std::string_view data, const std::string& hint,
                    const std::string& subject, unsigned w, unsigned depth, archive::Budget* budget)
  {
    read_archive(
        slot, data.size(), subject, w, depth, budget,
        [&](const archive::Limits& limits, archive::Budget& shared, const archive::Visitor& v) {
          return archive::read(data, hint, limits, shared, v);
        });
  }

  // Reads the members of the archive in `slot` (`size` bytes) with `read` (from memory or from
  // a descriptor) and sends each through unit() one level deeper.
  template <typename Read>
  void read_archive(std::size_t slot, std::uint64_t size, const std::string& subject, unsigned w,
                    unsigned depth, archive::Budget* budget, const Read& read)
  {
    archive::Budget own;
    own.limit = m_options.max_archive_bytes;
    archive::Budget& shared = budget ? *budget : own;
    archive::Limits limits;
    limits.max_member_size = m_options.max_file_size;
    auto one_member = [&, slot, w, depth](const std::string& name, std::string_view member,
                                          std::uint64_t ordinal) {
      Origin origin;
      origin.archive_slot = slot;
      origin.member = name;
      origin.ordinal = ordinal;
      unit(member, std::nullopt, origin, name, member_subject(subject, depth, name), w, depth + 1,
           &shared);
    };
    // A large outermost archive: this thread decompresses (one stream, so one thread), others
    // match what it yields. Nested archives are read where they are met.
    std::optional<Feed<MemberItem>> feed;
    if (depth == 0 && m_archive_threads > 0 && size >= parallel_archive_bytes)
      feed.emplace(m_archive_threads, member_queue_bytes,
                   [&](MemberItem&& item) { one_member(item.name, item.content, item.ordinal); });
    std::uint64_t ordinal = 0;
    archive::Visitor visitor;
    visitor.on_member = [&](const std::string& name, std::string& member) {
      ++m_counters[w].members;
      const std::size_t bytes = member.size() + name.size();
      if (feed)
        feed->push(MemberItem{name, std::move(member), ordinal++}, bytes);
      else
        one_member(name, member, ordinal++);
    };
    visitor.on_problem = [&](const std::string& member, const std::string& message) {
      diagnose(member.empty() ? subject : member_subject(subject, depth, member), message);
    };
    // A binary member that is not itself an archive is settled by its first bytes (unit()
    // counts it binary from those alone): the rest is not inflated where the container can skip
    // it (a 4 MB pack in a zip of git's tests was a tenth of a git/git working-tree scan).
    visitor.prefix_bytes = content_window;
    visitor.rest_needed = [](std::string_view prefix) {
      return classify_content(prefix) != ContentKind::binary || archive::looks_like_archive(prefix);
    };
    ++m_counters[w].archives;
    auto counts = read(limits, shared, visitor);
    if (feed)
      feed->finish();
    m_counters[w].large += counts.too_large;
    m_counters[w].symlink += counts.symlinks;
    m_counters[w].other += counts.skipped;
  }

  const match::Matcher& m_matcher;
  const ScanOptions& m_options;
  match::MatchOptions m_mopts;
  std::vector<Counters> m_counters;
  bool m_may_share;
  unsigned m_archive_threads; // matching the members of one large archive besides its reader
  std::mutex m_mutex;
  std::deque<Slot> m_slots;
  std::unordered_map<BlobId, std::size_t, BlobIdHash> m_slot_of;
  std::vector<Diagnostic> m_diags;
  std::atomic<std::uint64_t> m_blobs_done{0}, m_bytes_done{0};
  // Content sizes of at least speculate_bytes: claimed at all, and the archive file of that size
  // being streamed without its id (archive_file).
  struct LargeSize {
    bool claimed = false;
    std::shared_ptr<const Streaming> streaming;
  };
  std::unordered_map<std::uint64_t, LargeSize> m_large;
  std::condition_variable m_streamed;                       // a streaming ended
  std::vector<std::pair<std::size_t, std::size_t>> m_alias; // streamed slot -> object slot
};

// Every provenance of slot `i`: its own, and for each archive holding it, each of that archive's
// provenances with the member name appended. Archives can hold themselves (a zip quine) or share
// members, so this is memoised, cycle-safe and capped.
class ProvenanceResolver {
public:
  explicit ProvenanceResolver(const std::deque<Slot>& slots)
      : m_slots(slots), m_state(slots.size(), 0), m_resolved(slots.size())
  {}

  const std::vector<Provenance>& of(std::size_t i)
  {
    if (m_state[i] != 0)
      return m_resolved[i]; // done, or in progress (a cycle contributes nothing more)
    m_state[i] = 1;
    std::vector<Provenance> out;
    out.reserve(m_slots[i].provenances.size());
    for (const Provenance* p : m_slots[i].provenances)
      out.push_back(*p);
    for (const auto& [parent, ordinal, member] : m_slots[i].inside) {
      for (const auto& p : of(parent)) {
        if (out.size() >= max_provenances)
          break;
        Provenance nested = p;
        nested.members.push_back(member);
        out.push_back(std::move(nested));
      }
    }
    m_resolved[i] = std::move(out);
    m_state[i] = 2;
    return m_resolved[i];
  }

private:
  static constexpr std::size_t max_provenances = 4096;
  const std::deque<Slot>& m_slots;
  std::vector<char> m_state;
  std::vector<std::vector<Provenance>> m_resolved;
};

bool is_local(const Provenance& p)
{
  return p.kind == Provenance::Kind::worktree || p.kind == Provenance::Kind::staged ||
         p.kind == Provenance::Kind::stdin_ || p.kind == Provenance::Kind::release;
}

// Content larger than max_file_size is read only when named like an archive (up to
// max_archive_bytes), and then opened only if it is one.
std::uint64_t read_limit(const ScanOptions& options, const std::string& path)
{
  return options.max_archive_depth > 0 && archive::has_archive_extension(path)
             ? std::max(options.max_file_size, options.max_archive_bytes)
             : options.max_file_size;
}

ReadFileOptions no_links()
{
  ReadFileOptions o; // a link in the tree is reported by the source, never followed
  o.follow_final_link = false;
  return o;
}

// The directory a batch's files are listed under (a working tree's root: their file system path
// is this directory's path followed by their report path), opened once, so that each file is
// opened relative to it and the kernel resolves only the components below it (path lookup was
// a tenth of a git/git scan's CPU). Files outside it are opened by their full path.
class BaseDir {
public:
  // From one file: `fs_path` ending in "/" + `path`.
  void init(const std::string& fs_path, const std::string& path)
  {
    if (path.empty() || path.front() == '/' || fs_path.size() <= path.size() ||
        fs_path.compare(fs_path.size() - path.size(), path.size(), path) != 0 ||
        fs_path[fs_path.size() - path.size() - 1] != '/')
      return;
    std::string base = fs_path.substr(0, fs_path.size() - path.size());
    Fd fd(::open(base.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!fd)
      return;
    m_base = std::move(base);
    m_fd = std::move(fd);
  }

  // Options and the path to open `fs_path` with: relative to the directory when under it.
  const char* relative(const std::string& fs_path, ReadFileOptions& options) const
  {
    if (!m_fd || fs_path.size() <= m_base.size() || fs_path.compare(0, m_base.size(), m_base) != 0)
      return nullptr;
    options.dir_fd = m_fd.get();
    return fs_path.c_str() + m_base.size();
  }

private:
  std::string m_base; // with its trailing '/'
  Fd m_fd;
};

// The directory of the last file one thread opened under a BaseDir: the next file in the same
// directory (files come sorted by path) is opened by its name alone. The kernel's lookup of every
// path component was about a tenth of a git/git scan's CPU. Components are resolved as the full
// path would be (the directory is opened without O_NOFOLLOW; the file itself is never followed).
struct DirCache {
  std::string dir; // relative to the BaseDir, no trailing '/'
  Fd fd;           // O_PATH; empty when not open
};

// Whether content whose first bytes are `head` must be read on: not when it is binary and not an
// archive to open (the scanner counts it binary from those bytes alone, as rg stops at binary).
bool rest_needed(std::string_view head)
{
  return classify_content(head) != ContentKind::binary || archive::looks_like_archive(head);
}

// Files larger than this are read head first (rest_needed): one read call for smaller ones.
constexpr std::size_t head_first_bytes = 64u << 10;
static_assert(head_first_bytes >= content_window);

// read_regular_file of `fs_path`, relative to `base` when under it (and to the directory in
// `cache`, when given); `scratch` holds the relative path (reused, no allocation per file).
// `st`, when given, receives the fstat of the descriptor read. `binary`, when given, lets the
// read stop after the head of a binary file (then set; the buffer holds only the head).
bool read_file_under(const BaseDir& base, const std::string& fs_path, std::uint64_t limit,
                     ReadBuffer& out, ReadFileError* error, std::string& scratch,
                     struct stat* st = nullptr, DirCache* cache = nullptr, bool* binary = nullptr)
{
  ReadFileOptions options = no_links();
  options.stat_out = st;
  if (binary) {
    *binary = false;
    options.head_bytes = head_first_bytes;
    options.want_rest = &rest_needed;
    options.stopped_early = binary;
  }
  if (const char* rel = base.relative(fs_path, options)) {
    std::string_view path(rel);
    const std::size_t slash = path.rfind('/');
    if (cache && slash != std::string_view::npos && slash > 0) {
      std::string_view dir = path.substr(0, slash);
      if (!cache->fd || cache->dir != dir) {
        cache->dir.assign(dir);
        cache->fd.reset(open_below(options.dir_fd, cache->dir.c_str(),
                                   O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      }
      if (cache->fd) {
        options.dir_fd = cache->fd.get();
        scratch.assign(path.substr(slash + 1));
        return read_regular_file(scratch, limit, out, error, options);
      }
    }
    scratch.assign(rel);
    return read_regular_file(scratch, limit, out, error, options);
  }
  return read_regular_file(fs_path, limit, out, error, options);
}

} // namespace

struct Prefetch::State {
  struct Entry {
    std::string fs_path, path;
    Outcome outcome; // written by the one thread that reads the entry
  };
  State(const match::Matcher& m, const ScanOptions& o) : matcher(m), options(o)
  {
    mopts.inline_allow = o.inline_allow;
  }
  void read(Entry& e);

  const match::Matcher& matcher;
  const ScanOptions& options;
  match::MatchOptions mopts;
  std::deque<Entry> entries; // appended by add() only: elements never move
  BaseDir base;              // set by the first add(), before any thread reads
  std::atomic<bool> stopped{false};
  std::optional<Feed<Entry*>> feed;
  std::unordered_map<std::string_view, const Entry*> by_path; // filled by stop()
};

// What run()'s file loop does up to the matcher, keeping only the outcomes that need no slot.
void Prefetch::State::read(Entry& e)
{
  if (stopped.load(std::memory_order_relaxed))
    return;
  thread_local ReadBuffer buffer; // per reading thread, reused, as run()'s per-worker buffers
  thread_local std::string scratch;
  thread_local DirCache dir;
  struct stat st {};
  bool binary = false;
  if (!read_file_under(base, e.fs_path, read_limit(options, e.path), buffer, nullptr, scratch, &st,
                       &dir, &binary))
    return; // run() reads it again and says why
  e.outcome.stat = source::file_stat_of(st);
  std::string_view data = buffer.view();
  if (binary) {
    if (static_cast<std::uint64_t>(st.st_size) <= options.max_file_size) {
      e.outcome.kind = Outcome::Kind::binary;
      e.outcome.size = static_cast<std::uint64_t>(st.st_size);
    }
    return; // larger (named like an archive, but is not one): run() counts it
  }
  if (data.size() > options.max_file_size ||
      (options.max_archive_depth > 0 && archive::looks_like_archive(data)))
    return;
  std::string decoded;
  auto text = text_of(data, decoded);
  if (!text) {
    e.outcome.kind = Outcome::Kind::binary;
    e.outcome.size = data.size();
    return;
  }
  try {
    auto blob = matcher.scan(e.path, *text, mopts);
    if (blob.matches.empty() && blob.candidates.empty() && !blob.use.mentions && !blob.use.api) {
      e.outcome.kind = Outcome::Kind::empty_text;
      e.outcome.size = data.size();
    }
  } catch (const std::exception&) {
    // A rule that does not compile: run() matches the file again and stops the scan there.
  }
}

Prefetch::Prefetch(const match::Matcher& matcher, const ScanOptions& options, unsigned threads)
    : m_state(std::make_unique<State>(matcher, options))
{
  // The queue holds pointers only: no byte bound, the lister never reads files itself.
  m_state->feed.emplace(std::max(threads, 1u), static_cast<std::size_t>(-1) / 2,
                        [state = m_state.get()](State::Entry*&& e) { state->read(*e); });
}

Prefetch::~Prefetch()
{
  // Not stopped (the listing failed): the threads skip what is queued and are joined.
  if (m_state)
    m_state->stopped = true;
}

void Prefetch::add(const std::string& fs_path, const std::string& path)
{
  if (!m_state->feed)
    return;
  if (m_state->entries.empty())
    m_state->base.init(fs_path, path);
  m_state->entries.push_back({fs_path, path, {}});
  m_state->feed->push(&m_state->entries.back(), 1);
}

void Prefetch::stop(bool read_queued)
{
  if (!m_state->feed)
    return;
  m_state->stopped = !read_queued;
  m_state->feed->finish(); // the entries not started are skipped, or read here
  m_state->feed.reset();
  m_state->by_path.reserve(m_state->entries.size());
  for (const auto& e : m_state->entries)
    if (e.outcome.kind != Outcome::Kind::none)
      m_state->by_path.emplace(e.fs_path, &e);
}

Prefetch::Outcome Prefetch::outcome(const std::string& fs_path) const
{
  if (m_state->feed)
    return {}; // not stopped
  auto it = m_state->by_path.find(fs_path);
  return it == m_state->by_path.end() ? Outcome{} : it->second->outcome;
}

ContentKind classify_content(std::string_view data)
{
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(data[i]); };
  if (data.size() >= 2 && byte(0) == 0xFF && byte(1) == 0xFE &&
      !(data.size() >= 4 && byte(2) == 0 && byte(3) == 0))
    return ContentKind::utf16le;
  if (data.size() >= 2 && byte(0) == 0xFE && byte(1) == 0xFF)
    return ContentKind::utf16be;
  std::string_view window = data.substr(0, content_window);
  // Most content has no NUL at all: one vectorised memchr decides it.
  if (std::memchr(window.data(), '\0', window.size()) == nullptr)
    return ContentKind::text;
  std::size_t even = 0, odd = 0;
  for (std::size_t i = 0; i < window.size(); ++i)
    if (window[i] == '\0')
      ++((i & 1) ? odd : even);
  std::size_t nul = even + odd;
  if (nul <= 1 + window.size() / 1000)
    return ContentKind::text;
  if (window.size() >= 64 && nul * 10 > window.size() * 3) {
    if (odd * 100 >= nul * 95)
      return ContentKind::utf16le;
    if (even * 100 >= nul * 95)
      return ContentKind::utf16be;
  }
  return ContentKind::binary;
}

bool looks_binary(std::string_view data)
{
  return classify_content(data) == ContentKind::binary;
}

std::optional<std::string_view> text_of(std::string_view data, std::string& storage)
{
  switch (classify_content(data)) {
  case ContentKind::text:
    return data;
  case ContentKind::binary:
    return std::nullopt;
  case ContentKind::utf16le:
    storage = utf16_to_utf8(data, false);
    return std::string_view(storage);
  case ContentKind::utf16be:
    storage = utf16_to_utf8(data, true);
    return std::string_view(storage);
  }
  return data;
}

void sort_findings(std::vector<Finding>& findings)
{
  auto key = [](const Finding& f) {
    return std::tie(f.path, f.line, f.column, f.rule_id, f.end_line, f.end_column);
  };
  std::stable_sort(findings.begin(), findings.end(), [&](const Finding& a, const Finding& b) {
    if (key(a) != key(b))
      return key(a) < key(b);
    std::string ca = a.provenance.commit ? a.provenance.commit->id : "";
    std::string cb = b.provenance.commit ? b.provenance.commit->id : "";
    return ca < cb;
  });
}

ScanResult run(const source::Batch& batch, const match::Matcher& matcher,
               const ScanOptions& options)
{
  phase_mark("sources listed");
  ScanResult result;
  result.stats = batch.stats;
  result.diagnostics = batch.diagnostics;
  const unsigned jobs = effective_jobs(options.jobs);
  // Without objects, content no rule can match need not be hashed: sharing its id would only save
  // matching it again, which finds nothing either.
  const bool may_share = !batch.objects.empty();
  Engine engine(matcher, options, jobs, may_share);
  engine.reserve(batch.files.size() + batch.objects.size());

  // Objects are registered up front in source order (the first provenance is the earliest);
  // files and buffers with the same content are read instead and the objects deduplicated.
  std::vector<std::pair<std::size_t, const source::ObjectRef*>> todo; // pack order kept
  {
    std::vector<char> listed;
    for (const auto& o : batch.objects) {
      Origin origin;
      origin.provenance = &o.provenance;
      auto slot = engine.claim(o.id, origin, false).first;
      if (slot >= listed.size())
        listed.resize(slot + 1, 0);
      if (listed[slot]) {
        ++result.stats.blobs_deduplicated;
        continue;
      }
      listed[slot] = 1;
      todo.emplace_back(slot, &o);
    }
  }

  auto read_limit = [&](const std::string& path) { return scan::read_limit(options, path); };
  // Content over --max-file-size is skipped unless it is an archive to open (whose members the
  // limits then bound).
  auto over_file_limit = [&](std::string_view data) {
    return data.size() > options.max_file_size &&
           !(options.max_archive_depth > 0 && archive::looks_like_archive(data));
  };

  // 1. Files from disk, each into its worker's buffer (reused, never zero-filled). The source
  // did not stat them: type and size are checked here, on the descriptor that is read.
  std::vector<ReadBuffer> buffers(jobs);
  std::vector<std::string> scratch(jobs);
  std::vector<DirCache> dirs(jobs);
  BaseDir base;
  if (!batch.files.empty())
    base.init(batch.files.front().fs_path, batch.files.front().provenance.path);
  std::atomic<std::size_t> prefetched{0}; // files settled by options.prefetch
  parallel_for(batch.files.size(), jobs, [&](std::size_t i, unsigned w) {
    const auto& ref = batch.files[i];
    // An archive file is streamed from its descriptor rather than read whole.
    if (options.max_archive_depth > 0 && archive::has_archive_extension(ref.provenance.path) &&
        engine.archive_file(ref, read_limit(ref.provenance.path), w))
      return;
    if (options.prefetch) {
      // Read while the source was listing: settled unless its id would have to be hashed.
      auto done = options.prefetch->outcome(ref.fs_path);
      if (done.kind == Prefetch::Outcome::Kind::binary) {
        ++engine.counters(w).binary;
        ++prefetched;
        return;
      }
      const auto known = done.kind == Prefetch::Outcome::Kind::empty_text
                             ? source::known_id_for(ref, done.stat)
                             : std::nullopt;
      if (done.kind == Prefetch::Outcome::Kind::empty_text && (known || !may_share)) {
        Origin origin;
        origin.provenance = &ref.provenance;
        engine.settled_text(done.size, known, origin, w);
        ++prefetched;
        return;
      }
    }
    ReadFileError err;
    struct stat st {};
    bool binary = false;
    if (!read_file_under(base, ref.fs_path, read_limit(ref.provenance.path), buffers[w], &err,
                         scratch[w], &st, &dirs[w], &binary)) {
      if (err.too_large) {
        ++engine.counters(w).large;
        return;
      }
      if (err.link) { // swapped for a link since it was listed
        ++engine.counters(w).symlink;
        return;
      }
      engine.diagnose(ref.provenance.path, "cannot read: " + err.message);
      ++engine.counters(w).other;
      return;
    }
    if (binary) { // as over_file_limit() and unit() count it, from the head alone
      if (static_cast<std::uint64_t>(st.st_size) > options.max_file_size)
        ++engine.counters(w).large;
      else
        ++engine.counters(w).binary;
      return;
    }
    std::string_view data = buffers[w].view();
    if (over_file_limit(data)) {
      ++engine.counters(w).large; // named like an archive, but is not one
      return;
    }
    Origin origin;
    origin.provenance = &ref.provenance;
    engine.unit(data, source::known_id_for(ref, st), origin, ref.provenance.path,
                ref.provenance.path, w, 0, nullptr);
  });

  // 2. Buffers already in memory (standard input).
  parallel_for(batch.buffers.size(), jobs, [&](std::size_t i, unsigned w) {
    const auto& ref = batch.buffers[i];
    Origin origin;
    origin.provenance = &ref.provenance;
    engine.unit(*ref.data, std::nullopt, origin, ref.provenance.path, ref.provenance.path, w, 0,
                nullptr);
  });

  // 3. Objects not already read as files. Packed ones are built by the pack resolver, each
  // entry inflated once (source/pack_resolver.hpp); the rest (loose objects, objects in no pack,
  // whatever the resolver leaves) through libgit2, one repository and object database per worker
  // (libgit2 handles are not shared between threads).
  if (!todo.empty() && options.repo_git_dir.empty())
    throw Error("internal: objects to scan but no repository");
  if (options.prefetch)
    phase_note("scan: files", std::to_string(prefetched.load()) + " of " +
                                  std::to_string(batch.files.size()) +
                                  " settled while the source was listing");
  phase_mark("scan: files read");
  const bool timed = phases_enabled();
  std::vector<double> read_cpu(jobs, 0.0), match_cpu(jobs, 0.0); // only when timed
  // Content already read as a file needs no object read (unless the resolver needs it as a base).
  std::vector<std::pair<std::size_t, const source::ObjectRef*>> unread;
  unread.reserve(todo.size());
  for (const auto& item : todo) {
    if (engine.claimed(item.first))
      ++result.stats.blobs_deduplicated;
    else
      unread.push_back(item);
  }
  std::vector<char> resolved(unread.size(), 0);
  if (batch.positions && !unread.empty()) {
    std::vector<BlobId> ids;
    ids.reserve(unread.size());
    for (const auto& [slot, ref] : unread)
      ids.push_back(ref->id);
    source::ResolveLimits limits;
    limits.max_held_bytes = std::max<std::uint64_t>(limits.max_held_bytes / jobs, 16u << 20);
    source::ResolveStats rstats;
    resolved = source::resolve_packed_objects(
        *batch.positions, ids, jobs, limits,
        [&](std::size_t i, int, std::string_view data, unsigned w) {
          auto [slot, ref] = unread[i];
          if (!engine.claim_slot(slot)) {
            ++engine.counters(w).dedup;
            return;
          }
          if (data.size() > read_limit(ref->provenance.path) || over_file_limit(data)) {
            ++engine.counters(w).large;
            return;
          }
          double t0 = timed ? thread_cpu_seconds() : 0;
          engine.content(slot, data, ref->provenance.path, ref->provenance.path, w, 0, nullptr);
          if (timed)
            match_cpu[w] += thread_cpu_seconds() - t0;
        },
        result.diagnostics, &rstats);
    if (timed) {
      char text[160];
      std::snprintf(text, sizeof text,
                    "%llu of %zu objects from packs, %llu built, %.0f MiB inflated",
                    static_cast<unsigned long long>(rstats.delivered), unread.size(),
                    static_cast<unsigned long long>(rstats.built),
                    static_cast<double>(rstats.inflated_bytes) / (1 << 20));
      phase_note("scan: objects", text);
    }
    phase_mark("scan: packed objects read");
  }
  std::vector<std::optional<git::Repository>> repos(jobs);
  std::vector<git::Odb> odbs(jobs);
  // Loose objects (what `git add` writes: the staged blobs) and packed ones the resolver left are
  // first read by the own object store (source/object_store.hpp); libgit2 is opened only for what
  // that does not answer with certainty, and says what is wrong with it.
  std::vector<std::unique_ptr<source::ObjectStore>> stores(jobs);
  const std::uint64_t max_read =
      std::max(options.max_file_size,
               options.max_archive_depth > 0 ? options.max_archive_bytes : options.max_file_size);
  std::vector<std::size_t> rest;
  for (std::size_t i = 0; i < unread.size(); ++i)
    if (!resolved[i])
      rest.push_back(i);
  // The rest in pack order, once each: the CLI keeps libgit2's pack windows small and its mapped
  // limit low at start-up (git::apply_process_settings), so what is behind is unmapped.
  parallel_for(
      rest.size(), jobs,
      [&](std::size_t i, unsigned w) {
        auto [slot, ref] = unread[rest[i]];
        if (!engine.claim_slot(slot)) {
          ++engine.counters(w).dedup;
          return;
        }
        if (!stores[w])
          stores[w] = std::make_unique<source::ObjectStore>(
              source::objects_dir_of(options.repo_git_dir), max_read);
        double t0 = timed ? thread_cpu_seconds() : 0;
        auto own = stores[w]->read(ref->id);
        if (own.status == source::ObjectStore::Status::too_large) {
          ++engine.counters(w).large;
          return;
        }
        if (own.status == source::ObjectStore::Status::corrupt) {
          engine.object_corrupt(*ref, own.why);
          ++engine.counters(w).other;
          return;
        }
        if (own.status == source::ObjectStore::Status::ok) {
          std::string_view data = own.object->data.view();
          if (data.size() > read_limit(ref->provenance.path) || over_file_limit(data)) {
            ++engine.counters(w).large;
            return;
          }
          double t1 = timed ? thread_cpu_seconds() : 0;
          engine.content(slot, data, ref->provenance.path, ref->provenance.path, w, 0, nullptr);
          if (timed) {
            read_cpu[w] += t1 - t0;
            match_cpu[w] += thread_cpu_seconds() - t1;
          }
          return;
        }
        if (!repos[w]) {
          repos[w] = git::open(options.repo_git_dir);
          git_odb* raw_odb = nullptr;
          git::check(git_repository_odb(&raw_odb, repos[w]->get()), "opening object database");
          odbs[w].reset(raw_odb);
        }
        git_odb* odb = odbs[w].get();
        git_oid oid = git::to_oid(ref->id);
        std::size_t len = 0;
        git_object_t type{};
        if (int rc = git_odb_read_header(&len, &type, odb, &oid); rc < 0) {
          engine.object_unreadable(*ref, rc);
          ++engine.counters(w).other;
          return;
        }
        if (len > read_limit(ref->provenance.path)) {
          ++engine.counters(w).large;
          return;
        }
        git_odb_object* raw = nullptr;
        if (int rc = git_odb_read(&raw, odb, &oid); rc < 0) {
          engine.object_unreadable(*ref, rc);
          ++engine.counters(w).other;
          return;
        }
        git::OdbObject obj(raw);
        std::string_view data(static_cast<const char*>(git_odb_object_data(raw)),
                              git_odb_object_size(raw));
        if (over_file_limit(data)) {
          ++engine.counters(w).large;
          return;
        }
        double t1 = timed ? thread_cpu_seconds() : 0;
        engine.content(slot, data, ref->provenance.path, ref->provenance.path, w, 0, nullptr);
        if (timed) {
          read_cpu[w] += t1 - t0;
          match_cpu[w] += thread_cpu_seconds() - t1;
        }
      },
      64);
  if (timed) {
    double r = 0, m = 0;
    for (unsigned w = 0; w < jobs; ++w) {
      r += read_cpu[w];
      m += match_cpu[w];
    }
    char text[160];
    std::snprintf(text, sizeof text,
                  "match cpu %.3f s; %zu objects read one by one (own reader, else libgit2): "
                  "inflate cpu %.3f s (%u workers)",
                  m, rest.size(), r, jobs);
    phase_note("scan: objects", text);
  }
  phase_mark("scan: objects read");

  for (unsigned w = 0; w < jobs; ++w) {
    const auto& c = engine.counters(w);
    result.stats.skipped_binary += c.binary;
    result.stats.skipped_other += c.other;
    result.stats.skipped_too_large += c.large;
    result.stats.skipped_symlink += c.symlink;
    result.stats.blobs_scanned += c.scanned;
    result.stats.bytes_scanned += c.bytes;
    result.stats.blobs_deduplicated += c.dedup;
    result.stats.archives += c.archives;
    result.stats.archive_members += c.members;
  }
  auto diags = engine.take_diagnostics();
  result.diagnostics.insert(result.diagnostics.end(), diags.begin(), diags.end());

  // Findings: one per match at every working-tree/staged/stdin location; a blob seen only in
  // history is reported once, at its first (earliest) provenance.
  auto slots = engine.take_slots();
  ProvenanceResolver resolver(slots);

  // Scan-wide context (match/context.hpp), from what each blob's one pass kept: repository-scope
  // matches count only when the scan talks to Zenodo, and a secret that is a Zenodo token
  // anywhere is a finding wherever else it occurs. No blob is read again.
  {
    std::vector<match::BlobView> views;
    std::vector<std::string> names(slots.size());
    for (std::size_t i = 0; i < slots.size(); ++i) {
      const auto& blob = slots[i].blob;
      // A blob with nothing to say adds nothing to the context or to resolve(): skip it (most of
      // a history's blobs) rather than resolve and copy its provenances.
      if (blob.matches.empty() && blob.candidates.empty() && !blob.use.api && !blob.use.mentions)
        continue;
      const auto& provenances = resolver.of(i);
      if (provenances.empty())
        continue;
      const Provenance* primary = &provenances.front();
      for (const auto& p : provenances)
        if (is_local(p)) {
          primary = &p;
          break;
        }
      names[i] = display_path(*primary);
    }
    for (std::size_t i = 0; i < slots.size(); ++i)
      if (!names[i].empty())
        views.push_back({&slots[i].blob, names[i]});
    auto context = match::repository_context(views, options.repository_name);
    match::resolve(views, context);
  }
  for (std::size_t i = 0; i < slots.size(); ++i) {
    const auto& slot = slots[i];
    if (slot.blob.matches.empty())
      continue;
    const auto& provenances = resolver.of(i);
    if (provenances.empty())
      continue;
    std::vector<const Provenance*> local, history;
    for (const auto& p : provenances)
      (is_local(p) ? local : history).push_back(&p);
    std::optional<CommitInfo> introduced;
    for (const auto* p : history)
      if (p->commit) {
        introduced = p->commit;
        break;
      }
    std::vector<const Provenance*> primary = local;
    if (primary.empty())
      primary.push_back(history.front());
    for (const auto& m : slot.blob.matches) {
      if (m.suppressed) {
        ++result.stats.suppressed_inline;
        continue;
      }
      for (const auto* p : primary) {
        Finding f = make_finding(m, slot.id, *p);
        if (is_local(*p))
          f.introduced_by = introduced;
        f.other_locations = static_cast<std::uint32_t>(provenances.size() - 1);
        for (const auto* h : history)
          if (h != p && f.history_places.size() < 16)
            f.history_places.push_back(*h);
        result.findings.push_back(std::move(f));
      }
    }
  }
  sort_findings(result.findings);
  phase_mark("scan: findings made");
  std::sort(result.diagnostics.begin(), result.diagnostics.end(),
            [](const Diagnostic& a, const Diagnostic& b) {
              return std::tie(a.subject, a.message) < std::tie(b.subject, b.message);
            });
  return result;
}

} // namespace zenolint::scan
