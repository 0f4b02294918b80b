#include "verify/http.hpp"

#include "core/error.hpp"
#include "core/handle.hpp"
#include "core/shared_library.hpp"
#include "core/text.hpp"
#include "zenolint_version.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <curl/curl.h>
#include <deque>
#include <map>
#include <memory>
#include <netinet/in.h>
#include <optional>
#include <thread>

namespace zenolint::verify {
namespace {

using Clock = std::chrono::steady_clock;

// libcurl, opened when first needed (core/shared_library.hpp): only `scan --verify` uses it, and
// loading it with its dependencies cost every run about 5.5 ms together with libarchive. The
// table's members drop the curl_ prefix: curl.h defines some of these names as type-checking
// macros.
#define ZENOLINT_LIBCURL_FUNCTIONS(X)                                                              \
  X(easy_cleanup, curl_easy_cleanup)                                                               \
  X(multi_cleanup, curl_multi_cleanup)                                                             \
  X(slist_free_all, curl_slist_free_all)                                                           \
  X(url_cleanup, curl_url_cleanup)                                                                 \
  X(free, curl_free)                                                                               \
  X(url_get, curl_url_get)                                                                         \
  X(easy_init, curl_easy_init)                                                                     \
  X(multi_remove_handle, curl_multi_remove_handle)                                                 \
  X(slist_append, curl_slist_append)                                                               \
  X(easy_setopt, curl_easy_setopt)                                                                 \
  X(multi_add_handle, curl_multi_add_handle)                                                       \
  X(easy_strerror, curl_easy_strerror)                                                             \
  X(global_init, curl_global_init)                                                                 \
  X(global_cleanup, curl_global_cleanup)                                                           \
  X(url, curl_url)                                                                                 \
  X(url_set, curl_url_set)                                                                         \
  X(multi_init, curl_multi_init)                                                                   \
  X(multi_perform, curl_multi_perform)                                                             \
  X(multi_info_read, curl_multi_info_read)                                                         \
  X(easy_getinfo, curl_easy_getinfo)                                                               \
  X(multi_poll, curl_multi_poll)

struct LibCurl {
#define ZENOLINT_MEMBER(member, symbol) decltype(&::symbol) member = nullptr;
  ZENOLINT_LIBCURL_FUNCTIONS(ZENOLINT_MEMBER)
#undef ZENOLINT_MEMBER
};

const LibCurl& lib()
{
  static const LibCurl table = [] {
    static const SharedLibrary so({ZENOLINT_LIBCURL_SONAME, "libcurl.so"}, "libcurl");
    LibCurl t;
#define ZENOLINT_LOAD(member, symbol) t.member = so.function<decltype(&::symbol)>(#symbol);
    ZENOLINT_LIBCURL_FUNCTIONS(ZENOLINT_LOAD)
#undef ZENOLINT_LOAD
    return t;
  }();
  return table;
}

void free_easy(CURL* e)
{
  lib().easy_cleanup(e);
}
void free_multi(CURLM* m)
{
  lib().multi_cleanup(m);
}
void free_slist(curl_slist* l)
{
  lib().slist_free_all(l);
}
void free_url(CURLU* u)
{
  lib().url_cleanup(u);
}
void free_string(char* p)
{
  lib().free(p);
}

using Easy = Handle<CURL, free_easy>;
using Multi = Handle<CURLM, free_multi>;
using Slist = Handle<curl_slist, free_slist>;
using Url = Handle<CURLU, free_url>;
using CurlString = Handle<char, free_string>;

// One URL part, or nullopt when the URL has none.
std::optional<std::string> url_part(CURLU* u, CURLUPart part, unsigned flags = 0)
{
  char* raw = nullptr;
  if (lib().url_get(u, part, &raw, flags) != CURLUE_OK)
    return std::nullopt;
  CurlString owned(raw);
  return std::string(raw ? raw : "");
}

std::size_t discard_body(char*, std::size_t size, std::size_t n, void*)
{
  return size * n; // the status code is the answer; the body is read and dropped
}

// An easy handle attached to the multi handle for as long as it lives.
class Transfer {
public:
  Transfer(CURLM* multi, std::size_t index) : m_multi(multi), m_index(index)
  {
    m_easy.reset(lib().easy_init());
    if (!m_easy)
      throw Error("libcurl: cannot create a request handle");
    m_error[0] = '\0';
  }
  ~Transfer()
  {
    if (m_attached)
      lib().multi_remove_handle(m_multi, m_easy.get());
  }
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  // Sets every option and attaches the handle; false when libcurl refuses an option.
  bool start(const Request& r, const Limits& limits)
  {
    CURL* e = m_easy.get();
    std::string url = r.base.url + r.path;
    m_headers.reset(lib().slist_append(nullptr, ("Authorization: Bearer " + r.bearer).c_str()));
    if (!m_headers)
      return false;
    curl_slist* tail = lib().slist_append(m_headers.get(), "Accept: application/json");
    if (!tail)
      return false;
    long timeout_ms = static_cast<long>(limits.timeout.count());
    bool ok =
        lib().easy_setopt(e, CURLOPT_URL, url.c_str()) == CURLE_OK &&
        lib().easy_setopt(e, CURLOPT_PROTOCOLS_STR, r.base.scheme.c_str()) == CURLE_OK &&
        lib().easy_setopt(e, CURLOPT_HTTPGET, 1L) == CURLE_OK &&
        lib().easy_setopt(e, CURLOPT_HTTPHEADER, m_headers.get()) == CURLE_OK &&
        lib().easy_setopt(e, CURLOPT_USERAGENT, "zenolint/" ZENOLINT_VERSION) == CURLE_OK &&
        lib().easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK &&
        lib().easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L) == CURLE_OK &&
        lib().easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L) == CURLE_OK &&
        lib().easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms) == CURLE_OK &&
        lib().easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms) == CURLE_OK &&
        lib().easy_setopt(e, CURLOPT_NETRC, static_cast<long>(CURL_NETRC_IGNORED)) == CURLE_OK &&
        lib().easy_setopt(e, CURLOPT_WRITEFUNCTION, discard_body) == CURLE_OK &&
        lib().easy_setopt(e, CURLOPT_ERRORBUFFER, m_error) == CURLE_OK;
    // CURLOPT_NOSIGNAL stays off: requests run on one thread (after the scan's threads ended),
    // DNS is resolved in curl's own thread, and with signals allowed libcurl ignores SIGPIPE
    // while it writes to a peer that went away, instead of the process dying of it.
    // A loopback URL is reached directly: a proxy would see plain-http tokens and could answer
    // for a server that is not there.
    if (ok && r.base.loopback)
      ok = lib().easy_setopt(e, CURLOPT_NOPROXY, "*") == CURLE_OK;
    if (!ok)
      return false;
    if (lib().multi_add_handle(m_multi, e) != CURLM_OK)
      return false;
    m_attached = true;
    return true;
  }

  CURL* easy() const { return m_easy.get(); }
  std::size_t index() const { return m_index; }
  std::string error_text(CURLcode rc) const
  {
    return m_error[0] ? std::string(m_error) : std::string(lib().easy_strerror(rc));
  }

private:
  CURLM* m_multi;
  std::size_t m_index;
  Easy m_easy;
  Slist m_headers;
  bool m_attached = false;
  char m_error[CURL_ERROR_SIZE];
};

// Start times of recent requests to one authority, and a 429 block.
struct HostState {
  std::deque<Clock::time_point> starts; // at most max_per_second_per_host, oldest first
  Clock::time_point blocked_until{};

  Clock::time_point next_start(const Limits& limits) const
  {
    Clock::time_point t = blocked_until;
    if (limits.max_per_second_per_host && starts.size() >= limits.max_per_second_per_host)
      t = std::max(t, starts[starts.size() - limits.max_per_second_per_host] +
                          std::chrono::seconds(1));
    return t;
  }
  void started(Clock::time_point now, const Limits& limits)
  {
    starts.push_back(now);
    while (starts.size() > std::max<std::size_t>(1, limits.max_per_second_per_host))
      starts.pop_front();
  }
};

struct Waiting {
  std::size_t index;
  Clock::time_point not_before;
};

} // namespace

CurlGlobal::CurlGlobal()
{
  if (lib().global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
    throw Error("libcurl: global initialisation failed");
}

CurlGlobal::~CurlGlobal()
{
  lib().global_cleanup();
}

bool is_loopback_host(std::string_view host_in)
{
  std::string host = ascii_lower(host_in);
  if (host == "localhost")
    return true;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  in6_addr a6{};
  if (::inet_pton(AF_INET6, host.c_str(), &a6) == 1)
    return std::equal(std::begin(a6.s6_addr), std::end(a6.s6_addr),
                      std::begin(in6addr_loopback.s6_addr));
  in_addr a4{};
  if (::inet_pton(AF_INET, host.c_str(), &a4) == 1) // strict dotted quad
    return (ntohl(a4.s_addr) >> 24) == 127;
  return false;
}

BaseUrl parse_base_url(std::string_view text, std::string_view what)
{
  std::string w(what);
  for (char c : text)
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f)
      throw Error(w + ": not a valid URL (spaces, control or non-ASCII characters)");
  Url u(lib().url());
  if (!u)
    throw Error("libcurl: cannot create a URL handle");
  std::string s(text);
  if (lib().url_set(u.get(), CURLUPART_URL, s.c_str(), 0) != CURLUE_OK)
    throw Error(w + ": not a valid URL");
  BaseUrl b;
  b.scheme = ascii_lower(url_part(u.get(), CURLUPART_SCHEME).value_or(""));
  if (b.scheme != "http" && b.scheme != "https")
    throw Error(w + ": only http and https URLs are allowed");
  if (url_part(u.get(), CURLUPART_USER) || url_part(u.get(), CURLUPART_PASSWORD) ||
      url_part(u.get(), CURLUPART_OPTIONS))
    throw Error(w + ": user names and passwords are not allowed in the URL");
  if (url_part(u.get(), CURLUPART_QUERY) || url_part(u.get(), CURLUPART_FRAGMENT))
    throw Error(w + ": a query or fragment is not allowed in the base URL");
  if (url_part(u.get(), CURLUPART_ZONEID))
    throw Error(w + ": IPv6 zone ids are not allowed");
  b.host = ascii_lower(url_part(u.get(), CURLUPART_HOST).value_or(""));
  if (b.host.empty())
    throw Error(w + ": the URL has no host");
  auto explicit_port = url_part(u.get(), CURLUPART_PORT);
  auto port = url_part(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT).value_or("");
  std::string path = url_part(u.get(), CURLUPART_PATH).value_or("/");
  while (!path.empty() && path.back() == '/')
    path.pop_back();
  b.url = b.scheme + "://" + b.host + (explicit_port ? ":" + *explicit_port : "") + path;
  b.authority = b.host + ":" + port;
  b.loopback = is_loopback_host(b.host);
  return b;
}

bool is_bearer_token(std::string_view s)
{
  if (s.empty() || s.size() > 1024)
    return false;
  std::size_t i = 0;
  auto b64 = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
  };
  while (i < s.size() && b64(s[i]))
    ++i;
  if (i == 0)
    return false;
  while (i < s.size() && s[i] == '=')
    ++i;
  return i == s.size();
}

std::vector<Response> get_all(const std::vector<Request>& requests, const Limits& limits)
{
  std::vector<Response> out(requests.size());
  Multi multi(lib().multi_init());
  if (!multi)
    throw Error("libcurl: cannot create a multi handle");
  const std::size_t max_in_flight = std::max<std::size_t>(1, limits.max_in_flight);

  std::deque<Waiting> queue;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (!is_bearer_token(requests[i].bearer))
      out[i].error = "not sent: the secret is not a bearer token (RFC 6750 b64token)";
    else
      queue.push_back({i, Clock::time_point{}});
  }
  std::map<std::string, HostState> hosts;
  std::map<CURL*, std::unique_ptr<Transfer>> running;
  const auto deadline = Clock::now() + limits.budget;

  while (!queue.empty() || !running.empty()) {
    // Start what the limits allow, oldest first; remember when the next one may start.
    auto now = Clock::now();
    if (now >= deadline) {
      for (const auto& w : queue) {
        out[w.index].status = 0; // a 429 waiting for its retry ends here too
        out[w.index].error = "not sent: the verification time budget (" +
                             std::to_string(limits.budget.count()) + " s) ran out";
      }
      queue.clear();
    }
    auto next_start = Clock::time_point::max();
    for (auto it = queue.begin(); it != queue.end() && running.size() < max_in_flight;) {
      const Request& r = requests[it->index];
      HostState& host = hosts[r.base.authority];
      auto allowed = std::max(it->not_before, host.next_start(limits));
      if (allowed > now) {
        next_start = std::min(next_start, allowed);
        ++it;
        continue;
      }
      auto t = std::make_unique<Transfer>(multi.get(), it->index);
      host.started(now, limits);
      ++out[it->index].attempts;
      if (t->start(r, limits))
        running.emplace(t->easy(), std::move(t));
      else
        out[it->index].error = "libcurl refused the request options";
      it = queue.erase(it);
    }

    if (running.empty()) {
      if (!queue.empty() && next_start != Clock::time_point::max())
        std::this_thread::sleep_until(std::min(next_start, deadline));
      continue;
    }

    int still_running = 0;
    lib().multi_perform(multi.get(), &still_running);
    int left = 0;
    while (CURLMsg* msg = lib().multi_info_read(multi.get(), &left)) {
      if (msg->msg != CURLMSG_DONE)
        continue;
      auto found = running.find(msg->easy_handle);
      if (found == running.end())
        continue;
      Transfer& t = *found->second;
      Response& resp = out[t.index()];
      CURLcode rc = msg->data.result;
      if (rc != CURLE_OK) {
        resp.status = 0;
        resp.error = t.error_text(rc);
      } else {
        long status = 0;
        lib().easy_getinfo(t.easy(), CURLINFO_RESPONSE_CODE, &status);
        resp.status = status;
        resp.error.clear();
        if (status == 429) {
          curl_off_t retry_after = 0; // 0: no (valid) Retry-After header
          lib().easy_getinfo(t.easy(), CURLINFO_RETRY_AFTER, &retry_after);
          resp.retry_after = retry_after > 0 ? static_cast<long>(retry_after) : -1;
          std::chrono::seconds wait(std::max<curl_off_t>(1, retry_after));
          if (resp.attempts < limits.max_attempts && wait <= limits.max_retry_after) {
            auto until = Clock::now() + wait;
            HostState& host = hosts[requests[t.index()].base.authority];
            host.blocked_until = std::max(host.blocked_until, until);
            queue.push_back({t.index(), until});
          }
        }
      }
      running.erase(found); // detaches and frees the handle
    }

    if (!running.empty()) {
      auto wait = std::chrono::milliseconds(1000);
      if (!queue.empty() && running.size() < max_in_flight &&
          next_start != Clock::time_point::max())
        wait = std::clamp(
            std::chrono::duration_cast<std::chrono::milliseconds>(next_start - Clock::now()),
            std::chrono::milliseconds(0), wait);
      lib().multi_poll(multi.get(), nullptr, 0, static_cast<int>(wait.count()), nullptr);
    }
  }
  return out;
}

} // namespace zenolint::verify
