// The one instance classifier (match/instance.hpp): evidence order, client semantics, hosts,
// switches, conflicts; and the matcher and the label checks agreeing through it (issue 12).
#include "checks/credential_file.hpp"
#include "checks/labels.hpp"
#include "match/instance.hpp"
#include "match/matcher.hpp"
#include "match/token.hpp"
#include "rules/loader.hpp"
#include "support/tokens.hpp"

#include <catch2/catch.hpp>

using namespace zenolint;
using namespace zenolint::match;
using zenolint::test::make_token;

namespace {

const Matcher& matcher()
{
  static const rules::RuleSet set = rules::default_rules();
  static const Matcher m(set);
  return m;
}

std::vector<Match> scan(const std::string& path, const std::string& text)
{
  return matcher().match(path, text);
}

} // namespace

TEST_CASE("names: sandbox words, production words, conflicts", "[match][instance]")
{
  CHECK(name_instance("ZENODO_SANDBOX_TOKEN") == Instance::sandbox);
  CHECK(name_instance("zenodoTokenSb") == Instance::sandbox);
  CHECK(name_instance("MYTOKEN_ALL_SB") == Instance::sandbox);
  CHECK(name_instance("token_live_sandbox") == Instance::sandbox); // sandbox beats "live"
  CHECK(name_instance("ZENODO_PROD_TOKEN") == Instance::production);
  CHECK(name_instance("token_live") == Instance::production);
  CHECK(name_instance("prod_sb") == Instance::unknown); // a real conflict
  CHECK(name_instance("usb_token") == Instance::unknown);
  CHECK(name_instance("ZENODO_TOKEN") == Instance::unknown);
  CHECK(section_instance("ZENODO") == Instance::production);
  CHECK(section_instance("zenodo:sandbox") == Instance::sandbox);
  CHECK(section_instance("github") == Instance::unknown);
}

TEST_CASE("hosts: API hosts count, citations and other subdomains do not", "[match][instance]")
{
  CHECK(hosts_in("https://zenodo.org/api/deposit").production);
  CHECK(hosts_in("www.zenodo.org").production);
  CHECK(hosts_in("https://sandbox.zenodo.org/api").sandbox);
  CHECK_FALSE(hosts_in("https://sandbox.zenodo.org/api").production);
  CHECK_FALSE(hosts_in("https://zenodo.org/records/123").production);
  CHECK_FALSE(hosts_in("https://zenodo.org/badge/DOI/10.5281/zenodo.1.svg").production);
  CHECK_FALSE(hosts_in("https://doi.org/10.5281/zenodo.1234").production);
  CHECK_FALSE(hosts_in("https://developers.zenodo.org/#auth").production);
  CHECK_FALSE(hosts_in("zenodo.organisation").production);
}

TEST_CASE("switches: true means sandbox, false production, both unknown", "[match][instance]")
{
  CHECK(switch_in("Zenodo(token=t, sandbox=True)") == Instance::sandbox);
  CHECK(switch_in("zenodo upload --sandbox file") == Instance::sandbox);
  CHECK(switch_in("ZENODO_SANDBOX=1") == Instance::sandbox);
  CHECK(switch_in("use_sandbox: false") == Instance::production);
  CHECK(switch_in("ZenodoManager$new(sandbox = FALSE)") == Instance::production);
  CHECK(switch_in("environment: sandbox") == Instance::sandbox);
  CHECK(switch_in("sandbox=True; sandbox=False") == Instance::unknown);
  CHECK(switch_in("token = x") == Instance::unknown);
}

TEST_CASE("evidence order: client file, statement host, switch, names, block, file",
          "[match][instance]")
{
  InstanceQuery q;
  q.client = ClientFile::zenodorc;
  q.section = "ZENODO";
  q.label = "token_live_sandbox";
  q.statement = "token_live_sandbox = x  # sandbox.zenodo.org";
  auto d = classify(q);
  CHECK(d.instance == Instance::production); // the client reads [ZENODO] for zenodo.org
  CHECK(d.evidence == Evidence::client_file);

  InstanceQuery s;
  s.label = "ZENODO_TOKEN_PROD";
  s.statement = "requests.get('https://sandbox.zenodo.org/api', token)";
  CHECK(classify(s).instance == Instance::sandbox); // the statement's host beats the name

  InstanceQuery both;
  both.statement = "url = 'https://sandbox.zenodo.org' if test else 'https://zenodo.org'";
  both.file_hosts.production = true;
  CHECK(classify(both).instance == Instance::unknown); // the file cannot settle a conflict
  both.label = "SANDBOX_TOKEN";
  CHECK(classify(both).instance == Instance::sandbox); // a name can

  InstanceQuery block;
  block.block.hosts.sandbox = true;
  block.file_hosts.production = true;
  auto bd = classify(block);
  CHECK(bd.instance == Instance::sandbox);
  CHECK(bd.strong());
  block.block.hosts.production = true; // both hosts in the block: unknown, the file not asked
  CHECK(classify(block).instance == Instance::unknown);

  InstanceQuery weak;
  weak.file_hosts.sandbox = true;
  auto wd = classify(weak);
  CHECK(wd.instance == Instance::sandbox);
  CHECK_FALSE(wd.strong());
  CHECK(token_severity(Severity::error, wd) == Severity::error); // weak: still an error
  CHECK(token_severity(Severity::error, bd) == Severity::warning);
}

TEST_CASE("client semantics: .zenodo.toml [tokens] zenodo is production; zenodo.ini sections",
          "[match][instance]")
{
  CHECK(client_instance(ClientFile::uploader_toml, "tokens", "zenodo") == Instance::production);
  CHECK(client_instance(ClientFile::uploader_toml, "tokens", "sandbox") == Instance::sandbox);
  CHECK(client_instance(ClientFile::uploader_toml, "tokens.sandbox", "x") == Instance::sandbox);
  CHECK(client_instance(ClientFile::uploader_toml, "metadata", "x") == Instance::unknown);
  CHECK(client_instance(ClientFile::zenodopy, "", "ACCESS_TOKEN-sandbox") == Instance::sandbox);
  CHECK(client_instance(ClientFile::zenodopy, "", "ACCESS_TOKEN ") == Instance::unknown);
  CHECK(client_instance(ClientFile::client_ini, "zenodo:sandbox", "api_token") ==
        Instance::sandbox);
  CHECK(client_file_kind("home/.config/zenodo.ini") == ClientFile::client_ini);
  CHECK_FALSE(client_file_kind("zenodo.ini.bak"));
  // One list of names: every kind has a name, and that name says that kind.
  for (auto kind : {ClientFile::zenodorc, ClientFile::zenodopy, ClientFile::uploader_toml,
                    ClientFile::client_ini}) {
    REQUIRE_FALSE(client_file_name(kind).empty());
    CHECK(client_file_kind("home/" + std::string(client_file_name(kind))) == kind);
  }
}

// Regression (issue 12): the matcher called this token sandbox (warning, so it passed
// --fail-on error) while the label check said nothing.
TEST_CASE("token_live_sandbox in [ZENODO]: production error, and a misleading-label warning",
          "[match][instance][checks]")
{
  std::string content = "[ZENODO]\ntoken_live_sandbox = " + make_token() + "\n";
  auto m = scan(".zenodorc", content);
  REQUIRE(m.size() == 1);
  CHECK(m[0].instance == Instance::production);
  CHECK(m[0].severity == Severity::error);
  checks::Result r;
  checks::check_labels(checks::parse(checks::FileKind::zenodorc, content, ".zenodorc"), ".zenodorc",
                       BlobId{}, r);
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].rule_id == "config/misleading-label");
  CHECK(r.findings[0].instance == Instance::production);
}

// Regression (issue 12): reported unknown though the credential-file code knew it.
TEST_CASE(".zenodo.toml [tokens] zenodo = ... is production in the matcher and the parser",
          "[match][instance][checks]")
{
  std::string content = "[tokens]\nzenodo = \"" + make_token() + "\"\n";
  auto m = scan(".zenodo.toml", content);
  REQUIRE(m.size() == 1);
  CHECK(m[0].instance == Instance::production);
  auto parsed = checks::parse(checks::FileKind::toml, content, ".zenodo.toml");
  REQUIRE(parsed.entries.size() == 1);
  CHECK(parsed.entries[0].instance == Instance::production);
}

TEST_CASE("matcher: the host bound to the token's statement wins over other hosts",
          "[match][instance]")
{
  std::string t = make_token();
  auto m = scan("up.py", "PROD = 'https://zenodo.org/api'\n"
                         "r = requests.get('https://sandbox.zenodo.org/api/records', "
                         "params={'access_token': '" +
                             t + "'})\n");
  REQUIRE(m.size() == 1);
  CHECK(m[0].instance == Instance::sandbox);
  CHECK(m[0].evidence == Evidence::statement_host);
}

TEST_CASE("placeholders are whole or anchored shapes; real tokens never are", "[checks]")
{
  for (const char* v : {"", "<token>", "[your token]", "xxxxxxxx", "TODO", "todo: paste",
                        "your_access_token_here", "YOUR_ZENODO_TOKEN", "changeme", "abc...xyz",
                        "paste-token-here", "'<FIXME>'", "insert token"})
    CHECK(checks::is_placeholder(v));
  CHECK_FALSE(checks::is_placeholder("${ZENODO_TOKEN}"));
  // A real token that spells a placeholder word in it (the old check matched substrings and
  // called about 1 random token in 8,000 a placeholder).
  std::string t = make_token();
  for (std::string word : {"ToDo", "xxxx", "Dummy", "Example"}) {
    std::string v = t.substr(0, 20) + word + t.substr(20 + word.size());
    if (implausible_token_reason(v, 0, v.size()) == nullptr)
      CHECK_FALSE(checks::is_placeholder(v));
  }
  std::size_t placeholders = 0;
  for (std::uint64_t seed = 1; seed <= 20000; ++seed) {
    std::string r = test::random_token(seed);
    if (implausible_token_reason(r, 0, r.size()) == nullptr && checks::is_placeholder(r))
      ++placeholders;
  }
  CHECK(placeholders == 0);
}

TEST_CASE("configuration and token file names", "[checks]")
{
  for (const char* n : {".env", ".env.local", "prod.env", "setup.cfg", "app.ini", "x.conf",
                        "pyproject.toml", ".netrc", ".Renviron", ".Rprofile", ".bashrc", ".zshrc",
                        ".profile", ".zenodorc", ".zenodo-token", "zenodo_token.txt"})
    CHECK(checks::is_config_file_name(n));
  for (const char* n : {"upload.py", "README.md", "deploy.sh", "config.json", "Makefile"})
    CHECK_FALSE(checks::is_config_file_name(n));
  for (const char* n : {".zenodo_sandbox_token", "zenodo.token", ".zenodo-token",
                        "zenodo_token.txt", "ZENODO_ACCESS_TOKEN", ".zenodo_token"})
    CHECK(checks::is_token_file_name(n));
  for (const char* n : {"zenodo_tokenizer.txt", "github.token", "zenodo.json", "token"})
    CHECK_FALSE(checks::is_token_file_name(n));
}

TEST_CASE("random tokens in a statement never read as instance words", "[match][instance]")
{
  // Camel-case humps of a random token spell "sb" or "prod" now and then; the classifier must
  // not take them for names (the statement and the text before a secret are searched for words).
  std::size_t said = 0;
  for (std::uint64_t seed = 1; seed <= 20000; ++seed) {
    std::string t = test::random_token(seed);
    said += name_instance("A=" + t + " B=x") != Instance::unknown;
  }
  CHECK(said == 0);
  CHECK(name_instance("TOKEN = x  # sandbox") == Instance::sandbox);
  CHECK(name_instance("ZENODOSANDBOXACCESSTOKEN") == Instance::sandbox);
}

TEST_CASE("enclosing YAML/JSON keys decide the instance", "[match][instance]")
{
  std::string a = make_token(), b = make_token();
  auto m = scan("config.yml",
                "zenodo:\n  sandbox:\n    token: " + a + "\n  production:\n    token: " + b + "\n");
  REQUIRE(m.size() == 2);
  CHECK(m[0].instance == Instance::sandbox);
  CHECK(m[1].instance == Instance::production);
  auto j = scan("settings.json", "{\n  \"zenodo\": {\n    \"sandbox\": {\n      \"token\": \"" + a +
                                     "\"\n    }\n  }\n}\n");
  REQUIRE(j.size() == 1);
  CHECK(j[0].instance == Instance::sandbox);
}

// Regression: exclude patterns (other services, digest words) were matched against the whole
// line, secret included, so a token containing "aws", "npm" or "Sha1" was dropped (about 1 in 100).
TEST_CASE("exclude patterns never look inside the secret", "[match]")
{
  std::size_t found = 0, tried = 0;
  for (std::string word : {"aws", "NPM", "Sha1", "gcp", "jira", "Hash9", "salt"}) {
    std::string t = make_token();
    std::string v = word + t.substr(word.size());
    if (implausible_token_reason(v, 0, v.size()) != nullptr)
      continue;
    ++tried;
    found += scan("c.py", "# zenodo\ntoken = \"" + v + "\"\n").size();
  }
  CHECK(found == tried);
  // The words around a secret still exclude it.
  CHECK(scan("c.py", "# zenodo\naws_token = \"" + make_token() + "\"\n").empty());
}

TEST_CASE("round three: percent-encoded hosts, Fortran logicals, two-line switches",
          "[match][instance]")
{
  CHECK(hosts_in("target=https%3A%2F%2Fzenodo.org%2Fapi%2Fdeposit").production);
  CHECK(hosts_in("target=https%3A%2F%2Fsandbox.zenodo.org%2Fapi").sandbox);
  CHECK_FALSE(hosts_in("target=https%3A%2F%2Fzenodo.org%2Frecords%2F1").production);
  CHECK_FALSE(hosts_in("x%2Fnotzenodo.org").production);
  CHECK(switch_in("  sandbox = .true.") == Instance::sandbox);
  CHECK(switch_in("  use_sandbox = .false.") == Instance::production);
  CHECK(switch_in("- name: ZENODO_SANDBOX\n  value: \"1\"") == Instance::sandbox);
  CHECK(switch_in("- name: ZENODO_SANDBOX\n  valueFrom: x") == Instance::unknown);
  CHECK(switch_in("    zenodo_sandbox: bool = True") == Instance::sandbox);
  CHECK(switch_in("    use_sandbox: bool = False") == Instance::production);
}

TEST_CASE("round three: directories, the nearest line of a two-host block, [zenodo] last",
          "[match][instance]")
{
  InstanceQuery dir;
  dir.directory = "httpie/sessions/sandbox.zenodo.org/";
  CHECK(classify(dir).instance == Instance::sandbox);
  CHECK(classify(dir).strong()); // a host named by the directory is the tool's own semantics
  InstanceQuery words;
  words.directory = "group_vars/prod/";
  auto wd = classify(words);
  CHECK(wd.instance == Instance::production);
  CHECK_FALSE(wd.strong()); // directory words are weak: a sandbox/ folder may hold anything
  words.file_hosts.sandbox = true;
  CHECK(classify(words).instance == Instance::sandbox); // the file's hosts come first

  // Both hosts in a block: the nearest line that names one decides; without it, unknown.
  InstanceQuery near;
  near.block.hosts.production = near.block.hosts.sandbox = true;
  CHECK(classify(near).instance == Instance::unknown);
  near.block_nearest = Instance::sandbox;
  CHECK(classify(near).instance == Instance::sandbox);

  // A plain [zenodo] section is production unless the block says otherwise.
  InstanceQuery sec;
  sec.section = "zenodo";
  CHECK(classify(sec).instance == Instance::production);
  sec.block.hosts.sandbox = true;
  CHECK(classify(sec).instance == Instance::sandbox);

  std::string a = make_token(), b = make_token(), c = make_token(), d = make_token();
  auto m =
      scan("upload.py", "if args.sandbox:\n    url = \"https://sandbox.zenodo.org/api\"\n"
                        "    token = \"" +
                            a + "\"\nelse:\n    url = \"https://zenodo.org/api\"\n    token = \"" +
                            b + "\"\n");
  REQUIRE(m.size() == 2);
  CHECK(m[0].instance == Instance::sandbox);
  CHECK(m[1].instance == Instance::production);
  auto e =
      scan(".env",
           "ZENODO_URL=https://zenodo.org\nZENODO_TOKEN=" + c +
               "\nZENODO_SANDBOX_URL=https://sandbox.zenodo.org\nZENODO_SANDBOX_TOKEN=" + d + "\n");
  REQUIRE(e.size() == 2);
  CHECK(e[0].instance == Instance::production); // the URL above wins the tie
  CHECK(e[1].instance == Instance::sandbox);
  auto r = scan(
      "rclone.conf",
      "[zenodo]\ntype = webdav\nurl = https://sandbox.zenodo.org/api\nbearer_token = " + a + "\n");
  REQUIRE(r.size() == 1);
  CHECK(r[0].instance == Instance::sandbox);
  auto org = scan("notes.org", "* Projects\n** Zenodo sandbox credentials\n   token " + b + "\n");
  REQUIRE(org.size() == 1);
  CHECK(org[0].instance == Instance::sandbox);
}

TEST_CASE("round three: blocks of other services end generic matches", "[match]")
{
  std::string t = make_token();
  // The enclosing YAML key, XML element, INI section, .netrc machine, host directory.
  CHECK(scan("c.yml", "zenodo:\n  url: https://zenodo.org\ndryad:\n  token: " + t + "\n").empty());
  CHECK(scan("c.xml", "<zenodo/>\n<figshare>\n  <token>" + t + "</token>\n</figshare>\n").empty());
  CHECK(scan("c.ini", "# zenodo\n[github]\ntoken = " + t + "\n").empty());
  CHECK(scan(".netrc", "machine zenodo.org\n  login x\n  password <t>\nmachine example.org\n  "
                       "login me\n  password " +
                           t + "\n")
            .empty());
  CHECK(
      scan("sessions/api.github.com/a.json", "{\"zenodo\": 1, \"token\": \"" + t + "\"}").empty());
  // A key naming Zenodo ends the search; `.github/` is no host.
  CHECK(scan("c.yml", "github:\n  zenodo:\n    token: " + t + "\n").size() == 1);
  CHECK(scan(".github/workflows/z.yml", "# zenodo\nwith:\n  token: " + t + "\n").size() == 1);
  // On a line of JSON objects, only the object holding the secret is judged.
  CHECK(scan("a.json", "[{\"service\": \"osf\", \"token\": null}, {\"service\": \"zenodo\", "
                       "\"token\": \"" +
                           t + "\"}]\n")
            .size() == 1);
  CHECK(scan("a.json", "[{\"service\": \"zenodo\", \"token\": null}, {\"service\": \"osf\", "
                       "\"token\": \"" +
                           t + "\"}]\n")
            .empty());
  CHECK(scan("a.json",
             "{\"zenodo\": {\"files\": [{\"checksum\": \"md5\", \"key\": \"" + t + "\"}]}}\n")
            .empty()); // The keys around the secret's object still count: only sibling objects are
                       // left out.
  CHECK(scan("h.py", "# zenodo\nGITHUB_AUTH = {\"user\": \"me\", \"token\": \"" + t + "\"}\n")
            .empty());
  CHECK(scan("g.json", "{\"zenodo\": 1, \"github\": {\"token\": \"" + t + "\"}}\n").empty());
}

TEST_CASE("instance facts are the same at any line of a long file (checkpointed line counts)",
          "[match][instance]")
{
  // The two-host block of an upload script, placed after 0..200 filler lines: the per-line facts
  // are counted in checkpoints of 64 lines, so blocks that straddle one must read as at the top.
  for (int pad : {0, 1, 60, 62, 63, 64, 65, 127, 128, 200}) {
    std::string a = make_token(), b = make_token();
    std::string text;
    for (int i = 0; i < pad; ++i)
      text += "x = " + std::to_string(i) + "\n";
    text += "if args.sandbox:\n    url = \"https://sandbox.zenodo.org/api\"\n    token = \"" + a +
            "\"\nelse:\n    url = \"https://zenodo.org/api\"\n    token = \"" + b + "\"\n";
    INFO("filler lines: " << pad);
    auto m = scan("upload.py", text);
    REQUIRE(m.size() == 2);
    CHECK(m[0].instance == Instance::sandbox);
    CHECK(m[1].instance == Instance::production);
  }
}
