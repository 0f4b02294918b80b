#pragma once
// A small HTTP(S) GET client for `scan --verify`, over libcurl's multi interface. This header has
// no curl types: src/verify/http.cpp is the only file that includes curl headers.
//
// Safety contract (a token may only reach the instance it was found for):
//  - TLS peers and host names are verified against the system CA store (libcurl's default);
//  - no redirect is ever followed (a 3xx is returned as it is);
//  - only the scheme of the request's base URL is allowed (https, or http for loopback);
//  - proxy environment variables (https_proxy, no_proxy, ...) are honoured, except that loopback
//    URLs are always reached directly, never through a proxy;
//  - the bearer token travels in the Authorization header only, never in the URL.
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace zenolint::verify {

// Process-wide libcurl set-up: curl_global_init in the constructor, curl_global_cleanup in the
// destructor. Construct exactly one, in the CLI, before any thread starts and before the first
// get_all(); it must outlive every get_all() call. Throws Error when libcurl cannot initialise.
class CurlGlobal {
public:
  CurlGlobal();
  ~CurlGlobal();
  CurlGlobal(const CurlGlobal&) = delete;
  CurlGlobal& operator=(const CurlGlobal&) = delete;
};

// A base URL as libcurl parses it (the same parser that later connects).
struct BaseUrl {
  std::string url;       // scheme://host[:port][/path], without a trailing '/'
  std::string scheme;    // "http" or "https"
  std::string host;      // lower-case; IPv6 in brackets ("[::1]")
  std::string authority; // host:port with the scheme's default port filled in (rate-limit key)
  bool loopback = false; // host is localhost, 127.0.0.0/8 or ::1
};

// Parses `url`: http or https, a host, optional port and path; no user info, query or fragment.
// Throws Error naming `what` (e.g. the environment variable it came from) on anything else; the
// message never repeats the URL (it may carry credentials), only its host.
BaseUrl parse_base_url(std::string_view url, std::string_view what);

// True for "localhost", dotted-quad 127.0.0.0/8 and "[::1]" / "::1".
bool is_loopback_host(std::string_view host);

struct Limits {
  std::chrono::milliseconds timeout{10'000}; // whole request, connection included
  std::size_t max_in_flight = 4;             // requests open at the same time, all hosts
  std::size_t max_per_second_per_host = 5;   // starts in any one-second window, per authority
  std::chrono::seconds max_retry_after{30};  // a longer 429 Retry-After is not waited for
  unsigned max_attempts = 3;                 // per request, the first one included (429 only)
  std::chrono::seconds budget{120};          // per get_all(): no request starts after it
};

struct Request {
  BaseUrl base;
  std::string path;   // appended to base.url, e.g. "/api/deposit/depositions?size=1"
  std::string bearer; // sent as "Authorization: Bearer <bearer>"; must pass is_bearer_token()
};

struct Response {
  long status = 0;       // HTTP status of the last attempt; 0 when no answer arrived
  std::string error;     // why no answer arrived (never contains the bearer); empty otherwise
  long retry_after = -1; // seconds from the last 429's Retry-After, -1 when none
  unsigned attempts = 0; // requests actually sent
};

// RFC 6750 b64token (letters, digits, "-._~+/" then "="), 1 to 1024 characters: safe in a header.
bool is_bearer_token(std::string_view s);

// Sends every request (GET) and returns the answers in request order. At most
// limits.max_in_flight are open at once and at most limits.max_per_second_per_host start in any
// one-second window per authority. A 429 blocks its authority for its Retry-After (1 s when
// absent) and is retried, up to limits.max_attempts, unless Retry-After exceeds
// limits.max_retry_after. No request starts once limits.budget has passed since the call (those
// that did run to their own timeout), so a call lasts at most budget + timeout. A request whose
// bearer fails is_bearer_token() is not sent. Throws Error only when libcurl cannot create a
// handle.
std::vector<Response> get_all(const std::vector<Request>& requests, const Limits& limits);

} // namespace zenolint::verify
