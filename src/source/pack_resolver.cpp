#include "source/pack_resolver.hpp"

#include "core/fd.hpp"
#include "core/parallel.hpp"
#include "core/read_file.hpp"
#include "source/pack_reader.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <string>

namespace zenolint::source {
namespace {

constexpr std::uint32_t none = UINT32_MAX;
// Longest entry header: 1 + 9 size bytes, then 10 bytes of OFS_DELTA distance or a 20-byte id.
constexpr std::size_t max_header = 32;
// zlib's avail_in is 32 bits: larger entries are left to libgit2.
constexpr std::uint64_t max_entry = std::uint64_t{1} << 31;

enum class State : std::uint8_t { unknown, usable, refused };

// One entry of a pack, as far as its header says.
struct Node {
  std::uint64_t size = 0;    // inflated size of the entry's data (object, or delta)
  std::uint64_t end = 0;     // where its compressed bytes end (the next entry, or the trailer)
  std::uint32_t base = none; // deltas: entry index of the base in this pack
  std::uint8_t type = 0;
  std::uint8_t header = 0; // header length
  State state = State::unknown;
};

// The structural problems of one pack: counted, the first one kept for the warning.
class Problems {
public:
  void note(std::uint64_t offset, const std::string& what)
  {
    std::lock_guard lock(m_mutex);
    if (m_count++ == 0)
      m_first = "entry at offset " + std::to_string(offset) + ": " + what;
  }
  std::uint64_t count() const { return m_count; }
  const std::string& first() const { return m_first; }

private:
  std::mutex m_mutex;
  std::uint64_t m_count = 0;
  std::string m_first;
};

struct Worker {
  Inflater inflater;
  std::vector<unsigned char> compressed;
  ReadBuffer delta; // scratch: size() stays 0
  std::uint64_t built = 0, delivered = 0, inflated = 0;
};

class PackRun {
public:
  PackRun(const PackPositions& positions, std::uint32_t pack, const ResolveLimits& limits)
      : m_positions(positions), m_pack(pack), m_offsets(positions.sorted_offsets(pack)),
        m_limits(limits)
  {}

  // Opens the pack; false when it cannot be read (every object then goes another way).
  bool open()
  {
    std::uint64_t size = 0;
    m_fd.reset(open_regular_file(m_positions.pack_path(m_pack), UINT64_MAX, &size));
    if (!m_fd || size < 32)
      return false;
    m_size = size;
    m_nodes.resize(m_offsets.size());
    m_wanted.assign(m_offsets.size(), none);
    return true;
  }

  // Entry index of the object at `offset`, or none.
  std::uint32_t entry_at(std::uint64_t offset) const
  {
    auto it = std::lower_bound(m_offsets.begin(), m_offsets.end(), offset);
    if (it == m_offsets.end() || *it != offset)
      return none;
    return static_cast<std::uint32_t>(it - m_offsets.begin());
  }

  // Marks `entry` wanted as `index` of the caller's list, and every base it needs as needed.
  void want(std::uint32_t entry, std::uint32_t index)
  {
    if (m_wanted[entry] != none)
      return; // two ids at one offset: the second goes another way
    m_wanted[entry] = index;
    for (std::uint32_t at = entry; at != none && m_nodes[at].state == State::unknown;) {
      parse(at);
      at = m_nodes[at].state == State::usable ? m_nodes[at].base : none;
    }
  }

  // Child lists (compressed rows) and roots; then walks every tree on `jobs` threads.
  void run(unsigned jobs, const DeliverObject& deliver, std::vector<Worker>& workers)
  {
    const auto n = static_cast<std::uint32_t>(m_nodes.size());
    m_first_child.assign(std::size_t{n} + 1, 0);
    for (std::uint32_t i = 0; i < n; ++i)
      if (is_child(i))
        ++m_first_child[m_nodes[i].base + 1];
    for (std::uint32_t i = 0; i < n; ++i)
      m_first_child[i + 1] += m_first_child[i];
    m_children.resize(m_first_child[n]);
    std::vector<std::uint32_t> fill(m_first_child.begin(), m_first_child.end() - 1);
    std::vector<std::uint32_t> roots;
    for (std::uint32_t i = 0; i < n; ++i) {
      if (is_child(i))
        m_children[fill[m_nodes[i].base]++] = i;
      else if (m_nodes[i].state == State::usable && !is_delta(m_nodes[i].type))
        roots.push_back(i);
    }
    parallel_for(roots.size(), jobs,
                 [&](std::size_t r, unsigned w) { walk(roots[r], deliver, w, workers[w]); });
  }

  const Problems& problems() const { return m_problems; }

private:
  static bool is_delta(int type)
  {
    return type == EntryHeader::ofs_delta || type == EntryHeader::ref_delta;
  }
  bool is_child(std::uint32_t i) const
  {
    const Node& node = m_nodes[i];
    return node.state == State::usable && is_delta(node.type) && node.base != none &&
           m_nodes[node.base].state == State::usable;
  }

  void refuse(std::uint32_t entry, const std::string& why)
  {
    m_nodes[entry].state = State::refused;
    if (!why.empty())
      m_problems.note(m_offsets[entry], why);
  }

  void parse(std::uint32_t entry)
  {
    Node& node = m_nodes[entry];
    const std::uint64_t offset = m_offsets[entry];
    auto next = std::upper_bound(m_offsets.begin(), m_offsets.end(), offset);
    node.end = next == m_offsets.end() ? m_size - 20 : *next;
    if (offset < 12 || node.end <= offset || node.end > m_size - 20)
      return refuse(entry, "outside the pack's data");
    if (node.end - offset > max_entry)
      return refuse(entry, ""); // not corrupt, only beyond zlib's 32-bit counts
    unsigned char bytes[max_header];
    std::size_t length =
        static_cast<std::size_t>(std::min<std::uint64_t>(max_header, node.end - offset));
    EntryHeader header;
    if (!pread_exact(m_fd.get(), bytes, length, offset) ||
        !parse_entry_header(bytes, length, offset, header))
      return refuse(entry, "malformed entry header");
    if (header.size > m_limits.max_object_size)
      return refuse(entry, ""); // too large to be built here; not a problem of the pack
    node.size = header.size;
    node.type = static_cast<std::uint8_t>(header.type);
    node.header = static_cast<std::uint8_t>(header.length);
    node.state = State::usable;
    if (header.type == EntryHeader::ofs_delta) {
      node.base = entry_at(offset - header.base_distance);
      if (node.base == none)
        return refuse(entry, "delta base offset is not an object's");
    } else if (header.type == EntryHeader::ref_delta) {
      auto pos = m_positions.find(header.base_id);
      // A base in another pack or loose is legal, but then libgit2 builds the object.
      node.base = pos && pos->pack == m_pack ? entry_at(pos->offset) : none;
      if (node.base == none)
        return refuse(entry, "");
    }
  }

  // Inflates entry `entry`'s data into `out` (room for node.size bytes).
  bool inflate(std::uint32_t entry, char* out, Worker& worker)
  {
    const Node& node = m_nodes[entry];
    const std::uint64_t start = m_offsets[entry] + node.header;
    if (start > node.end)
      return false;
    auto length = static_cast<std::size_t>(node.end - start);
    worker.compressed.resize(length);
    if (!pread_exact(m_fd.get(), worker.compressed.data(), length, start))
      return false;
    worker.inflated += node.size;
    return worker.inflater.inflate_exact(worker.compressed.data(), length, out, node.size);
  }

  // Builds delta `entry` on `base` into `out`; false (noted unless only too large) on failure.
  bool build(std::uint32_t entry, std::string_view base, Bytes& out, Worker& worker)
  {
    const Node& node = m_nodes[entry];
    char* delta = worker.delta.reserve(static_cast<std::size_t>(node.size ? node.size : 1));
    if (!inflate(entry, delta, worker)) {
      m_problems.note(m_offsets[entry], "delta does not inflate to its declared size");
      return false;
    }
    std::string_view d(delta, static_cast<std::size_t>(node.size));
    if (auto result = delta_result_size(d); result && *result > m_limits.max_object_size)
      return false;
    if (!apply_git_delta(base, d, out)) {
      m_problems.note(m_offsets[entry], "delta does not apply to its base");
      return false;
    }
    return true;
  }

  // Depth-first over the delta tree below `root`, holding only the bases on the current path;
  // a base is let go before its last child is built.
  void walk(std::uint32_t root, const DeliverObject& deliver, unsigned w, Worker& worker)
  {
    struct Frame {
      std::uint32_t next, end; // children still to build: m_children[next .. end)
      Bytes data;
    };
    const int type = m_nodes[root].type;
    Bytes whole;
    whole.allocate(static_cast<std::size_t>(m_nodes[root].size));
    if (!inflate(root, whole.data(), worker)) {
      m_problems.note(m_offsets[root], "object does not inflate to its declared size");
      return;
    }
    ++worker.built;
    auto offer = [&](std::uint32_t entry, const Bytes& data) {
      if (m_wanted[entry] != none) {
        ++worker.delivered;
        deliver(m_wanted[entry], type, data.view(), w);
      }
    };
    offer(root, whole);
    std::vector<Frame> path;
    std::uint64_t held = 0;
    auto descend = [&](std::uint32_t entry, Bytes&& data) {
      std::uint32_t first = m_first_child[entry], end = m_first_child[entry + 1];
      if (first == end || held + data.size() > m_limits.max_held_bytes)
        return; // a leaf, or a subtree too large to hold: its objects go another way
      held += data.size();
      path.push_back(Frame{first, end, std::move(data)});
    };
    descend(root, std::move(whole));
    while (!path.empty()) {
      Frame& top = path.back();
      std::uint32_t child = m_children[top.next++];
      Bytes data;
      bool ok = build(child, top.data.view(), data, worker);
      if (top.next == top.end) { // the base is no longer needed
        held -= top.data.size();
        path.pop_back();
      }
      if (!ok)
        continue;
      ++worker.built;
      offer(child, data);
      descend(child, std::move(data));
    }
  }

  const PackPositions& m_positions;
  std::uint32_t m_pack;
  const std::vector<std::uint64_t>& m_offsets;
  const ResolveLimits& m_limits;
  Fd m_fd;
  std::uint64_t m_size = 0;
  std::vector<Node> m_nodes;
  std::vector<std::uint32_t> m_wanted; // entry -> index in the caller's list
  std::vector<std::uint32_t> m_first_child, m_children;
  Problems m_problems;
};

} // namespace

std::vector<char> resolve_packed_objects(const PackPositions& positions,
                                         const std::vector<BlobId>& wanted, unsigned jobs,
                                         const ResolveLimits& limits, const DeliverObject& deliver,
                                         std::vector<Diagnostic>& diagnostics, ResolveStats* stats)
{
  std::vector<char> done(wanted.size(), 0);
  jobs = std::max(jobs, 1u);
  std::vector<Worker> workers(jobs);
  // Which wanted object lives in which pack.
  std::vector<std::vector<std::pair<std::uint64_t, std::uint32_t>>> in_pack(positions.pack_count());
  for (std::size_t i = 0; i < wanted.size() && i < none; ++i)
    if (auto pos = positions.find(wanted[i]))
      in_pack[pos->pack].emplace_back(pos->offset, static_cast<std::uint32_t>(i));
  for (std::uint32_t p = 0; p < in_pack.size(); ++p) {
    if (in_pack[p].empty())
      continue;
    auto run = std::make_unique<PackRun>(positions, p, limits);
    if (!run->open())
      continue;                                      // libgit2 says what is wrong with its objects
    std::sort(in_pack[p].begin(), in_pack[p].end()); // headers read in pack order
    for (const auto& [offset, index] : in_pack[p])
      if (auto entry = run->entry_at(offset); entry != none)
        run->want(entry, index);
    run->run(
        jobs,
        [&](std::size_t index, int type, std::string_view data, unsigned w) {
          done[index] = 1;
          deliver(index, type, data, w);
        },
        workers);
    if (run->problems().count() > 0)
      diagnostics.push_back(
          {Severity::warning, positions.pack_path(p),
           std::to_string(run->problems().count()) +
               " pack entries could not be resolved here (first: " + run->problems().first() +
               "); objects built from them were read through libgit2"});
  }
  if (stats)
    for (const auto& w : workers) {
      stats->delivered += w.delivered;
      stats->built += w.built;
      stats->inflated_bytes += w.inflated;
    }
  return done;
}

} // namespace zenolint::source
