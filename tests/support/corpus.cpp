#include "support/corpus.hpp"

#include "support/temp.hpp"
#include "support/tokens.hpp"

#include <nlohmann/json.hpp>

namespace zenolint::test {
namespace {

constexpr auto P = Instance::production;
constexpr auto S = Instance::sandbox;
constexpr auto U = Instance::unknown;

// Replaces each "{T}" in `tmpl` with a fresh token, recording it with the next expected instance.
CorpusFile positive(std::string form, std::string path, const std::string& tmpl,
                    std::vector<Instance> instances)
{
  CorpusFile f{std::move(form), std::move(path), {}, {}};
  std::size_t next = 0, pos = 0;
  for (std::size_t hit = tmpl.find("{T}"); hit != std::string::npos; hit = tmpl.find("{T}", pos)) {
    f.content += tmpl.substr(pos, hit - pos);
    std::string t = make_token();
    f.content += t;
    f.planted.push_back({t, next < instances.size() ? instances[next] : U});
    ++next;
    pos = hit + 3;
  }
  f.content += tmpl.substr(pos);
  if (next != instances.size())
    throw std::logic_error("corpus form " + f.form + ": instances do not match placeholders");
  return f;
}

CorpusFile negative(std::string form, std::string path, std::string content)
{
  return CorpusFile{std::move(form), std::move(path), std::move(content), {}};
}

// `f` placed in repository `repo` as an example of shape class `shape_class`.
CorpusFile in(std::string repo, int shape_class, CorpusFile f)
{
  f.repo = std::move(repo);
  f.shape_class = shape_class;
  return f;
}

// A file holding fixed tokens (the same secret in several files): `tmpl` with each "{S}"
// replaced by the next of `tokens`, each planted with its instance.
CorpusFile shared(std::string form, std::string path, const std::string& tmpl,
                  const std::vector<PlantedToken>& tokens)
{
  CorpusFile f{std::move(form), std::move(path), {}, {}};
  std::size_t next = 0, pos = 0;
  for (std::size_t hit = tmpl.find("{S}"); hit != std::string::npos; hit = tmpl.find("{S}", pos)) {
    f.content += tmpl.substr(pos, hit - pos);
    f.content += tokens.at(next).token;
    f.planted.push_back(tokens.at(next));
    ++next;
    pos = hit + 3;
  }
  f.content += tmpl.substr(pos);
  return f;
}

std::string hex(std::size_t n, bool upper = false)
{
  std::string t = make_token() + make_token();
  std::string out;
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(digits[static_cast<unsigned char>(t[i % t.size()]) % 16]);
  return out;
}

// A CamelCase identifier of exactly 60 letters (no digits).
std::string camel_identifier()
{
  static const char* words[] = {"Abstract",      "Singleton", "Proxy",  "Factory", "Bean",
                                "Configuration", "Manager",   "Helper", "Service", "Provider"};
  std::string out;
  for (std::size_t i = 0; out.size() < 60; ++i)
    out += words[i % 10];
  return out.substr(0, 60);
}

std::string notebook()
{
  nlohmann::json nb = {
      {"cells",
       {{{"cell_type", "code"},
         {"source",
          {"import requests\n", "ZENODO_TOKEN = \"{T}\"\n",
           "r = requests.get(\"https://sandbox.zenodo.org/api/deposit/depositions\",\n",
           "                 params={\"access_token\": ZENODO_TOKEN})\n"}},
         {"outputs", nlohmann::json::array()}},
        {{"cell_type", "code"},
         {"source", {"print(zenodo_client.token)\n"}},
         {"outputs", {{{"name", "stdout"}, {"text", {"my zenodo token is {T}\n"}}}}}}}},
      {"nbformat", 4}};
  return nb.dump(1);
}

// Issue 12: the shapes real projects use, by class, each in repositories of its own so that
// repository context (class 1) is decided per repository.
void add_round_two(std::vector<CorpusFile>& c)
{
  // --- Class 1: repository context. Files that never say Zenodo, in repositories that do.
  const std::string sandbox_upload =
      "import requests\nimport config\n\n"
      "def upload(path):\n"
      "    r = requests.post(\"https://sandbox.zenodo.org/api/deposit/depositions\",\n"
      "                      params={\"access_token\": config.ACCESS_TOKEN}, json={})\n"
      "    return r.json()\n";
  c.push_back(in("c1-sandbox-api", 1, negative("context-source", "src/upload.py", sandbox_upload)));
  c.push_back(in("c1-sandbox-api", 1,
                 positive("config-access-token", "config.py",
                          "DEBUG = False\nACCESS_TOKEN = \"{T}\"\n", {S})));
  c.push_back(in("c1-sandbox-api", 1,
                 positive("env-access-token-sandbox", ".env",
                          "LOG_LEVEL=info\nACCESS_TOKEN_SANDBOX={T}\n", {S})));
  c.push_back(in("c1-sandbox-api", 1, positive("token-only-file", ".token", "{T}\n", {S})));
  c.push_back(
      in("c1-sandbox-api", 1,
         negative("session-id", "session.py",
                  "SESSION_ID = \"" + make_token() + "\"\nREQUEST_ID = '" + make_token() + "'\n")));
  c.push_back(in("c1-sandbox-api", 1,
                 negative("other-service-token", "gh.py",
                          "GITHUB_TOKEN = \"" + make_token() + "\"\nFIGSHARE_TOKEN = \"" +
                              make_token() + "\"\n")));
  c.push_back(in("c1-sandbox-api", 1,
                 negative("lockfile-digests", "package-lock.json",
                          "{\"a\": {\"integrity_key\": \"" + make_token() +
                              "\", \"checksum_token\": \"" + make_token() + "\"}}\n")));
  c.push_back(in("c1-readme", 1,
                 negative("readme-badge", "README.md",
                          "# Survey data\n\n[![DOI](https://zenodo.org/badge/DOI/10.5281/"
                          "zenodo.1234567.svg)](https://doi.org/10.5281/zenodo.1234567)\n")));
  c.push_back(in("c1-readme", 1,
                 positive("yaml-api-token", "settings.yaml", "retries: 3\napi_token: {T}\n", {U})));
  c.push_back(in("c1-readme", 1, positive("token-only-nested", "deploy/.token", "  {T}\r\n", {U})));
  c.push_back(in("c1-readme", 1,
                 negative("two-bare-ids", "ids.txt", make_token() + "\n" + make_token() + "\n")));
  c.push_back(in("zenodo-sync", 1,
                 positive("json-token-repo-name", "creds.json", "{\"token\": \"{T}\"}\n", {U})));
  c.push_back(
      in("zenodo-sync", 1,
         positive("bearer-repo-name", "scripts/push.sh",
                  "#!/bin/sh\ncurl -H \"Authorization: Bearer {T}\" \"$URL/records\"\n", {U})));
  c.push_back(in("c1-prod-api", 1,
                 negative("context-r", "R/upload.R",
                          "upload <- function(token) {\n  httr::POST(\"https://zenodo.org/api/"
                          "deposit/depositions\",\n    httr::add_headers(Authorization = "
                          "paste(\"Bearer\", token)))\n}\n")));
  c.push_back(in("c1-prod-api", 1, positive("r-token", "R/secrets.R", "token <- \"{T}\"\n", {P})));
  c.push_back(in("c1-prod-api", 1,
                 positive("js-bearer", "web/api.js",
                          "const headers = { Authorization: \"Bearer {T}\" };\n", {P})));
  c.push_back(
      in("c1-none", 1,
         negative("no-context-config", "config.py", "ACCESS_TOKEN = \"" + make_token() + "\"\n")));
  c.push_back(in("c1-none", 1, negative("no-context-token-file", ".token", make_token() + "\n")));
  c.push_back(
      in("c1-none", 1, negative("no-context-env", ".env", "API_KEY=" + make_token() + "\n")));

  // --- Class 2: credential-file names.
  c.push_back(in("c2", 2, positive("sandbox-token-file", ".zenodo_sandbox_token", "{T}\n", {S})));
  c.push_back(in("c2", 2, positive("dot-token-file", "secrets/zenodo.token", "{T}", {U})));
  c.push_back(in("c2", 2, positive("dash-token-file", ".zenodo-token", "  {T}\n", {U})));
  c.push_back(
      in("c2", 2, positive("zenodopy-txt", "zenodo_token.txt", "ACCESS_TOKEN: {T}\n", {P})));
  c.push_back(
      in("c2", 2,
         positive("zenodo-client-ini", "home/.config/zenodo.ini",
                  "[zenodo]\napi_token = {T}\n\n[zenodo:sandbox]\napi_token = {T}\n", {P, S})));
  c.push_back(in("c2", 2, positive("renviron", "home/.Renviron", "ZENODO_TOKEN={T}\n", {U})));
  c.push_back(in(
      "c2", 2,
      positive("rprofile", "home/.Rprofile", "Sys.setenv(ZENODO_SANDBOX_TOKEN = \"{T}\")\n", {S})));
  c.push_back(in(
      "c2", 2,
      positive("bashrc", "home/.bashrc", "alias ll='ls -l'\nexport ZENODO_TOKEN=\"{T}\"\n", {U})));
  c.push_back(
      in("c2", 2,
         positive("zshrc", "home/.zshrc",
                  "export ZENODO_ACCESS_TOKEN={T}\nexport ZENODO_URL=https://zenodo.org\n", {P})));
  c.push_back(in("c2", 2,
                 positive("profile", "home/.profile",
                          "ZENODO_SANDBOX_TOKEN='{T}'; export ZENODO_SANDBOX_TOKEN\n", {S})));
  c.push_back(
      in("c2", 2, negative("placeholder-token-file", "zenodo.token", "<paste your token here>\n")));
  c.push_back(in("c2", 2, negative("hex-token-file", "old/.zenodo-token", hex(60) + "\n")));
  c.push_back(in(
      "c2", 2,
      negative("ini-reference", "cfg/zenodo.ini", "[zenodo]\napi_token = ${ZENODO_API_TOKEN}\n")));
  c.push_back(in("c2", 2,
                 negative("bashrc-command", "home2/.bashrc",
                          "export ZENODO_TOKEN=\"$(pass show zenodo)\"\n")));
  c.push_back(in("c2", 2, negative("renviron-empty", "home2/.Renviron", "ZENODO_TOKEN=\n")));
  c.push_back(
      in("c2", 2,
         negative("similar-name", "zenodo_tokenizer.txt", "vocab_id: " + make_token() + "\n")));
  c.push_back(
      in("c2", 2, negative("long-token-file", "old/.zenodo_sandbox_token", make_token() + "a\n")));

  // --- Class 3: name and value apart.
  c.push_back(in("c3", 3,
                 positive("azure-name-value", "azure-pipelines.yml",
                          "variables:\n- name: ZENODO_TOKEN\n  value: '{T}'\n- name: ZENODO_URL\n"
                          "  value: https://sandbox.zenodo.org/api\n",
                          {S})));
  c.push_back(in("c3", 3,
                 positive("postman", "zenodo.postman_environment.json",
                          "{\n  \"name\": \"Zenodo\",\n  \"values\": [\n    {\n      \"key\": "
                          "\"zenodo_token\",\n      \"value\": \"{T}\",\n      \"type\": "
                          "\"secret\",\n      \"enabled\": true\n    }\n  ]\n}\n",
                          {U})));
  c.push_back(
      in("c3", 3,
         positive("python-dict-call", "upload.py",
                  "ZENODO_TOKENS = dict(\n    prod=\"{T}\",\n    sandbox=\"{T}\",\n)\n", {P, S})));
  c.push_back(in(
      "c3", 3,
      positive("json-zenodo-key", "tokens.json", "{\"zenodo\": \"{T}\", \"retries\": 2}\n", {U})));
  c.push_back(in("c3", 3,
                 positive("k8s-secret", "k8s/secret.yaml",
                          "apiVersion: v1\nkind: Secret\nmetadata:\n  name: zenodo-credentials\n"
                          "type: Opaque\nstringData:\n  token: {T}\n",
                          {U})));
  c.push_back(in("c3", 3,
                 positive("compose-env-list", "docker-compose.yml",
                          "services:\n  app:\n    image: x\n    environment:\n      - "
                          "ZENODO_TOKEN={T}\n      - \"ZENODO_SANDBOX_TOKEN={T}\"\n",
                          {U, S})));
  c.push_back(in("c3", 3,
                 positive("terraform-variable", "infra/variables.tf",
                          "variable \"zenodo_token\" {\n  type      = string\n  sensitive = true\n"
                          "  default   = \"{T}\"\n}\n",
                          {U})));
  c.push_back(
      in("c3", 3,
         positive("ecs-env", "task-definition.json",
                  "{\"environment\": [{\"name\": \"ZENODO_TOKEN\", \"value\": \"{T}\"}]}\n", {U})));
  c.push_back(in("c3", 3,
                 negative("secret-key-ref", "k8s/deploy.yaml",
                          "env:\n- name: ZENODO_TOKEN\n  valueFrom:\n    secretKeyRef:\n      "
                          "name: zenodo\n      key: token\n")));
  c.push_back(in("c3", 3,
                 negative("postman-other-service", "gh.postman_environment.json",
                          "{\"values\": [{\"key\": \"zenodo_url\", \"value\": "
                          "\"https://zenodo.org\"}, {\"key\": \"github_token\", \"value\": \"" +
                              make_token() + "\"}]}\n")));
  c.push_back(in("c3", 3,
                 negative("terraform-no-default", "infra/zenodo.tf",
                          "variable \"zenodo_token\" {\n  type      = string\n  sensitive = "
                          "true\n}\n")));
  c.push_back(in("c3", 3,
                 negative("dict-from-env", "settings.py",
                          "ZENODO_TOKENS = dict(prod=os.environ[\"P\"], "
                          "sandbox=os.environ[\"S\"])\n")));
  c.push_back(in("c3", 3,
                 negative("compose-reference", "compose.prod.yml",
                          "services:\n  app:\n    environment:\n      - "
                          "ZENODO_TOKEN=${ZENODO_TOKEN}\n")));
  c.push_back(in("c3", 3,
                 negative("next-item-value", "pipeline.yml",
                          "- name: ZENODO_URL\n  value: https://zenodo.org\n- name: SESSION\n  "
                          "value: " +
                              make_token() + "\n")));

  // --- Class 4: prose and docs.
  std::string text_lines;
  for (int i = 0; i < 15; ++i)
    text_lines += "Some explanation, line " + std::to_string(i) + ".\n";
  c.push_back(
      in("c4", 4, positive("prose-sandbox", "NOTES.md", "Zenodo token (sandbox): {T}\n", {S})));
  c.push_back(in(
      "c4", 4, positive("prose-is", "notes/todo.txt", "remember: my zenodo token is {T}\n", {U})));
  c.push_back(
      in("c4", 4,
         positive("heading-far-above", "docs/release.md",
                  "# Releasing\n\n## Zenodo\n\n" + text_lines + "```bash\nexport TOKEN={T}\n```\n",
                  {U})));
  c.push_back(in("c4", 4,
                 positive("rst-heading", "docs/upload.rst",
                          "Zenodo sandbox\n==============\n\n" + text_lines +
                              ".. code-block:: bash\n\n   {T}\n",
                          {S})));
  c.push_back(
      in("c4", 4,
         positive("readme-production", "README.md",
                  "## Zenodo\n\nUse https://zenodo.org/api.\n\n- production token: `{T}`\n", {P})));
  c.push_back(in(
      "c4", 4, positive("prose-dash", "wiki/Home.md", "Zenodo API key \xe2\x80\x94 `{T}`\n", {U})));
  c.push_back(
      in("c4", 4,
         positive("email-words-between", "mail/lab.eml",
                  "Subject: zenodo access\n\nHi,\n\nthe Zenodo token for the lab account is "
                  "below:\n\n{T}\n\nCheers\n",
                  {U})));
  c.push_back(in("c4", 4,
                 positive("html-code", "docs/index.html",
                          "<h2>Zenodo</h2>\n<p>Token: <code>{T}</code></p>\n", {U})));
  c.push_back(
      in("c4", 4,
         negative("email-doi", "mail/doi.eml",
                  "Subject: zenodo\n\nThe Zenodo DOI is below:\n\n10.5281/zenodo.1234567\n")));
  c.push_back(in("c4", 4,
                 negative("html-code-reference", "docs/ref.html",
                          "<p>Zenodo token: <code>${ZENODO_TOKEN}</code></p>\n")));
  c.push_back(in("c4", 4,
                 negative("doi-orcid", "docs/cite.md",
                          "Zenodo DOI: 10.5281/zenodo.1234567\nORCID 0000-0002-1825-0097\n")));
  c.push_back(in("c4", 4,
                 negative("other-service-heading", "docs/ci.md",
                          "# Zenodo\n\n## GitHub\n\n```\n" + make_token() + "\n```\n")));
  c.push_back(in("c4", 4,
                 negative("heading-below", "docs/install.md",
                          "# Install\n\n```\n" + make_token() + "\n```\n\n# Zenodo\n\nLater.\n")));
  c.push_back(
      in("c4", 4, negative("prose-no-token", "NOTES2.md", "Zenodo token: stored in the vault\n")));
  c.push_back(in("c4", 4,
                 negative("checksum-under-heading", "docs/checksums.md",
                          "# Zenodo\n\n```\nsha256: " + make_token() + "\n```\n")));
  c.push_back(
      in("c4", 4,
         negative("hex-under-heading", "docs/hex.md", "## Zenodo\n\n```\n" + hex(60) + "\n```\n")));

  // --- Class 5: the same secret elsewhere.
  PlantedToken s1{make_token(), S}, s2{make_token(), P};
  c.push_back(
      in("c5", 5, shared("original-sandbox", "zenodo.env", "ZENODO_SANDBOX_TOKEN={S}\n", {s1})));
  c.push_back(in("c5", 5, shared("copy-csv", "backup/dump.csv", "id,value\n1,{S}\n", {s1})));
  c.push_back(
      in("c5", 5, shared("copy-log", "logs/run.log", "2024-01-01 request with {S} ok\n", {s1})));
  c.push_back(in("c5", 5,
                 shared("original-production", "upload.py",
                        "BASE = \"https://zenodo.org/api\"\nZENODO_TOKEN = \"{S}\"\n", {s2})));
  c.push_back(
      in("c5", 5,
         shared("copy-fixture", "tests/fixture.json", "{\"headers\": {\"X\": \"{S}\"}}\n", {s2})));
  c.push_back(in(
      "c5", 5, shared("copy-url", "remote.txt", "https://user:{S}@example.org/repo.git\n", {s2})));
  c.push_back(in("c5", 5,
                 shared("copy-notebook", "analysis.ipynb",
                        "{\"cells\": [{\"outputs\": [{\"text\": [\"{S}\\n\"]}]}]}\n", {s2})));
  {
    std::string near_copy = s2.token;
    near_copy.back() = near_copy.back() == 'a' ? 'b' : 'a';
    c.push_back(in("c5", 5, negative("near-copy", "other.txt", "x " + near_copy + "\n")));
    std::string other = make_token();
    c.push_back(in("c5", 5,
                   negative("other-service-copies", "gh.py",
                            "GITHUB_TOKEN = \"" + other + "\"\n# again: " + other + "\n")));
    c.push_back(
        in("c5", 5,
           negative("longer-run", "runs.txt", "x" + s2.token + "y\nabc+" + s1.token + "/x\n")));
    std::string pending = make_token();
    c.push_back(in(
        "c5-none", 5,
        negative("pending-without-context", "config.py", "ACCESS_TOKEN = \"" + pending + "\"\n")));
    c.push_back(in("c5-none", 5, negative("copy-of-pending", "copy.txt", "x " + pending + "\n")));
  }
}
// Round three (detect7): the shapes a third probe of real-world code missed, by class, each class
// in a repository of its own.
void add_round_three(std::vector<CorpusFile>& c)
{
  // --- Class 6: escaped and encoded. JSON written by .NET (\u0022), notebook output lines
  // ("TOKEN\n"), escaped quotes, percent-encoded URLs passed as parameters.
  c.push_back(in(
      "c6", 6,
      positive("json-unicode-escape", "polyglot.ipynb",
               "{\"cells\": [{\"source\": [\"zenodo_token = \\u0022{T}\\u0022\\n\"]}]}\n", {U})));
  c.push_back(in("c6", 6,
                 positive("dotnet-json-key", "appsettings.Development.json",
                          "{\\u0022ZENODO_SANDBOX_TOKEN\\u0022: \\u0022{T}\\u0022}\n", {S})));
  {
    nlohmann::json nb = {
        {"cells",
         {{{"cell_type", "code"},
           {"source", {"print(os.environ['ZENODO_TOKEN'])"}},
           {"outputs", {{{"name", "stdout"}, {"output_type", "stream"}, {"text", {"{T}\n"}}}}}},
          {{"cell_type", "code"},
           {"source", {"requests.get('https://sandbox.zenodo.org/api/deposit/depositions')"}},
           {"outputs", nlohmann::json::array()}}}}};
    c.push_back(in("c6", 6, positive("notebook-output-line", "upload.ipynb", nb.dump(1), {S})));
  }
  c.push_back(in("c6", 6,
                 positive("notebook-escaped-quotes", "nb.ipynb",
                          "{\"cells\": [{\"source\": [\"h = {\\\"Authorization\\\": \\\"Bearer "
                          "{T}\\\"}\\n\", \"requests.post(\\\"https://zenodo.org/api/deposit/"
                          "depositions\\\", headers=h)\"]}]}\n",
                          {P})));
  c.push_back(
      in("c6", 6,
         positive("percent-encoded-url", "logs/proxy.log",
                  "GET /fetch?target=https%3A%2F%2Fsandbox.zenodo.org%2Fapi%2Fdeposit%2Fdepositions"
                  "%3Faccess_token%3D{T} 200\n",
                  {S})));
  c.push_back(in("c6", 6,
                 positive("percent-encoded-production", "logs/redirect.log",
                          "redirect=https%3A%2F%2Fzenodo.org%2Fapi%2Fdeposit%3Fsize%3D5%26access_"
                          "token%3D{T}&x=1\n",
                          {P})));
  c.push_back(
      in("c6", 6,
         negative("notebook-output-hex", "check.ipynb",
                  "{\"cells\": [{\"source\": [\"# zenodo md5\\n\"], \"outputs\": [{\"text\": [\"" +
                      hex(60) + "\\n\"]}]}]}\n")));
  c.push_back(in("c6", 6,
                 negative("escaped-run-character", "escaped.json",
                          "{\"zenodo_token\": \"\\u002B" + make_token() + "\", \"u\": \"%2B" +
                              make_token() + "\"}\n")));
  c.push_back(in("c6", 6,
                 negative("percent-encoded-reference", "logs/ref.log",
                          "GET /fetch?target=https%3A%2F%2Fzenodo.org%2Fapi%3Faccess_token%3D%24%"
                          "7BZENODO_TOKEN%7D 200\n")));
  c.push_back(in("c6", 6,
                 negative("notebook-escaped-digest", "digest.ipynb",
                          "{\"source\": \"# zenodo\\nsha256 = \\\"" + make_token() + "\\\"\"}\n")));
  {
    std::string png = base64_encode(make_token() + make_token() + make_token() + make_token() +
                                    make_token() + make_token() + make_token() + make_token());
    nlohmann::json nb = {
        {"cells",
         {{{"source", {"# data from zenodo\n"}},
           {"outputs", {{{"data", {{"image/png", png}, {"text/plain", {"<Figure>"}}}}}}}}}}};
    c.push_back(in("c6", 6, negative("notebook-image", "plot.ipynb", nb.dump(1))));
  }
  c.push_back(in("c6", 6,
                 negative("unicode-escape-placeholder", "empty.ipynb",
                          "{\"source\": [\"zenodo_token = \\u0022\\u0022\\n\"]}\n")));

  // --- Class 7: credentials bound to a Zenodo host (.netrc, pgpass, npmrc, URL user info,
  // HTTPie sessions kept per host).
  c.push_back(in("c7", 7,
                 positive("netrc-one-line", "home/.netrc",
                          "machine sandbox.zenodo.org login me password {T}\n", {S})));
  c.push_back(in("c7", 7,
                 positive("netrc-stanza", "home/_netrc",
                          "machine github.com\n  login me\n  password x\n\nmachine zenodo.org\n  "
                          "login token\n  password {T}\n",
                          {P})));
  c.push_back(
      in("c7", 7,
         positive("pgpass-style", "home/.zenodopass", "sandbox.zenodo.org:443:*:me:{T}\n", {S})));
  c.push_back(
      in("c7", 7, positive("npmrc-style", "home/.npmrc", "//zenodo.org/:_authToken={T}\n", {P})));
  c.push_back(
      in("c7", 7,
         positive("url-userinfo", "scripts/get.sh",
                  "curl https://token:{T}@sandbox.zenodo.org/api/deposit/depositions\n", {S})));
  c.push_back(
      in("c7", 7,
         positive("httpie-session", "home/.config/httpie/sessions/sandbox.zenodo.org/up.json",
                  "{\n    \"auth\": {\"type\": \"bearer\", \"raw_auth\": \"{T}\"}\n}\n", {S})));
  c.push_back(in("c7", 7,
                 negative("netrc-other-machine", "home2/.netrc",
                          "machine zenodo.org\n  login me\n  password <token>\n\nmachine "
                          "example.org\n  login me\n  password " +
                              make_token() + "\n")));
  c.push_back(in("c7", 7,
                 negative("netrc-reference", "home3/.netrc",
                          "machine zenodo.org login me password $ZENODO_TOKEN\n")));
  c.push_back(in(
      "c7", 7,
      negative("pgpass-placeholder", "home2/.zenodopass", "zenodo.org:443:*:me:<your-token>\n")));
  c.push_back(in("c7", 7,
                 negative("userinfo-other-host", "scripts/mirror.sh",
                          "# zenodo mirror\ngit clone https://me:" + make_token() +
                              "@example.org/zenodo.org.git\n")));
  c.push_back(
      in("c7", 7,
         negative("httpie-other-host", "home/.config/httpie/sessions/api.github.com/x.json",
                  "{\"auth\": {\"type\": \"bearer\", \"raw_auth\": \"" + make_token() + "\"}}\n")));
  c.push_back(in(
      "c7", 7,
      negative("host-lookalike-directory", "mirror/zenodo.org.bak/token", make_token() + "x\n")));

  // --- Class 8: markup, blocks and pipes. XML elements and property lists, YAML block scalars,
  // one-line JSON arrays of services, tokens piped into secret stores, HTTPie/curl options, a
  // token file in a zenodo/ directory, Org-mode headings.
  c.push_back(in("c8", 8,
                 positive("xml-element", "settings.xml",
                          "<settings>\n  <zenodo>\n    <url>https://sandbox.zenodo.org/api</url>\n"
                          "    <token>{T}</token>\n  </zenodo>\n</settings>\n",
                          {S})));
  c.push_back(in(
      "c8", 8,
      positive("xml-entry-key", "config.xml",
               "<properties>\n  <entry key=\"zenodo.token\">{T}</entry>\n</properties>\n", {U})));
  c.push_back(in(
      "c8", 8,
      positive("plist", "Info.plist",
               "<dict>\n\t<key>ZenodoAccessToken</key>\n\t<string>{T}</string>\n</dict>\n", {U})));
  c.push_back(
      in("c8", 8,
         positive("yaml-block-scalar", "values.yaml",
                  "zenodo:\n  url: https://sandbox.zenodo.org\n  token: |\n    {T}\n", {S})));
  c.push_back(in("c8", 8,
                 positive("json-line-of-services", "accounts.json",
                          "[{\"service\": \"osf\", \"token\": null}, {\"service\": \"zenodo\", "
                          "\"token\": \"{T}\"}]\n",
                          {U})));
  c.push_back(
      in("c8", 8,
         positive("piped-secret", "setup-secrets.sh",
                  "echo -n \"{T}\" | gh secret set ZENODO_TOKEN\nprintf '%s' '{T}' | docker "
                  "secret create zenodo_token -\n",
                  {U, U})));
  c.push_back(in("c8", 8,
                 positive("httpie-and-curl-options", "notes.sh",
                          "http -A bearer -a {T} https://zenodo.org/api/deposit/depositions\n"
                          "curl -u me:{T} https://sandbox.zenodo.org/api/deposit/depositions\n",
                          {P, S})));
  c.push_back(in("c8", 8,
                 positive("token-in-zenodo-directory", "home/.config/zenodo/token", "{T}\n", {U})));
  c.push_back(in("c8", 8,
                 positive("org-heading", "notes.org",
                          "* Projects\n** Zenodo sandbox credentials\n   token {T}\n", {S})));
  c.push_back(
      in("c8", 8,
         positive("yaml-anchor", "conf.yml", "defaults: &d\n  zenodo_token: &tok {T}\n", {U})));
  c.push_back(in("c8", 8,
                 positive("gitlab-api-variable", "ci-setup.sh",
                          "curl --request POST \"https://gitlab.com/api/v4/projects/1/variables\" "
                          "--form \"key=ZENODO_TOKEN\" --form \"value={T}\"\n",
                          {U})));
  c.push_back(
      in("c8", 8,
         negative("yaml-vault-tag", "vars.yml",
                  "zenodo_token: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  " + hex(64) + "\n")));
  c.push_back(in("c8", 8,
                 negative("xml-other-service", "other.xml",
                          "<zenodo><url>https://zenodo.org</url></zenodo>\n<figshare>\n  <token>" +
                              make_token() + "</token>\n</figshare>\n")));
  c.push_back(in("c8", 8,
                 negative("xml-reference", "pom.xml",
                          "<zenodo><token>${env.ZENODO_TOKEN}</token></zenodo>\n")));
  c.push_back(in("c8", 8,
                 negative("json-line-other-service", "osf.json",
                          "[{\"service\": \"zenodo\", \"token\": null}, {\"service\": \"osf\", "
                          "\"token\": \"" +
                              make_token() + "\"}]\n")));
  c.push_back(in("c8", 8,
                 negative("yaml-block-other-service", "creds.yaml",
                          "zenodo:\n  token: ${ZENODO_TOKEN}\ngithub:\n  token: |\n    " +
                              make_token() + "\n")));
  c.push_back(in("c8", 8,
                 negative("pipe-reference", "ci.sh",
                          "echo \"$ZENODO_TOKEN\" | gh secret set ZENODO_TOKEN\necho " +
                              make_token() + " | gh secret set GITHUB_TOKEN\n")));
  c.push_back(in("c8", 8,
                 negative("zenodo-source-file", "src/zenodo/token.py",
                          "TOKEN_PATTERN = r\"[A-Za-z0-9]{60}\"\n" + hex(60) + "\n")));

  // --- Class 9: the instance from paths and switches: directory words (weak: the finding stays
  // an error), Fortran logicals, Kubernetes name/value switches, directories named for a host.
  c.push_back(in("c9", 9,
                 positive("directory-prod", "group_vars/prod/vault.yml",
                          "vault_zenodo_token: \"{T}\"\n", {P})));
  c.push_back(
      in("c9", 9, positive("directory-sandbox", "deploy/sandbox/.env", "ZENODO_TOKEN={T}\n", {S})));
  c.push_back(in("c9", 9,
                 positive("fortran-namelist", "zenodo.nml",
                          "&zenodo\n  access_token = '{T}'\n  sandbox = .true.\n/\n", {S})));
  c.push_back(in("c9", 9,
                 positive("fortran-namelist-production", "run/zenodo_prod.nml",
                          "&upload\n  zenodo_token = '{T}'\n  use_sandbox = .false.\n/\n", {P})));
  c.push_back(in("c9", 9,
                 positive("kubernetes-switch-pair", "k8s/job.yaml",
                          "env:\n- name: ZENODO_TOKEN\n  value: \"{T}\"\n- name: ZENODO_SANDBOX\n"
                          "  value: \"1\"\n",
                          {S})));
  c.push_back(
      in("c9", 9, positive("host-directory", "conf/sandbox.zenodo.org/env", "token={T}\n", {S})));
  c.push_back(
      in("c9", 9,
         positive("nearest-line-of-two-hosts", "upload.py",
                  "if args.sandbox:\n    url = \"https://sandbox.zenodo.org/api\"\n    token = "
                  "\"{T}\"\nelse:\n    url = \"https://zenodo.org/api\"\n    token = \"{T}\"\n",
                  {S, P})));
  c.push_back(
      in("c9", 9,
         positive("env-two-instances", "both.env",
                  "ZENODO_URL=https://zenodo.org\nZENODO_TOKEN={T}\nZENODO_SANDBOX_URL=https:/"
                  "/sandbox.zenodo.org\nZENODO_SANDBOX_TOKEN={T}\n",
                  {P, S})));
  c.push_back(
      in("c9", 9,
         positive("zenodo-section-sandbox-url", "rclone.conf",
                  "[zenodo]\ntype = webdav\nurl = https://sandbox.zenodo.org/api\nbearer_token "
                  "= {T}\n",
                  {S})));
  c.push_back(
      in("c9", 9,
         positive("matrix-targets", ".github/workflows/upload.yml",
                  "jobs:\n  upload:\n    strategy:\n      matrix:\n        include:\n          - "
                  "target: sandbox\n            zenodo_token: {T}\n          - target: "
                  "production\n            zenodo_token: {T}\n",
                  {S, P})));
  c.push_back(in("c9", 9,
                 positive("annotated-switch", "settings_model.py",
                          "class Settings(BaseSettings):\n    zenodo_token: str = \"{T}\"\n    "
                          "zenodo_sandbox: bool = True\n",
                          {S})));
  c.push_back(in("c9", 9,
                 negative("two-references", "config.yaml",
                          "sandbox:\n  url: https://sandbox.zenodo.org/api\n  token: "
                          "${ZENODO_SANDBOX_TOKEN}\nproduction:\n  url: https://zenodo.org/api\n  "
                          "token: ${ZENODO_TOKEN}\n")));
  c.push_back(in("c9", 9,
                 negative("sandbox-directory-doi", "sandbox/notes.md",
                          "Zenodo DOI 10.5281/zenodo.1234567\n")));
  c.push_back(
      in("c9", 9,
         negative("prod-directory-reference", "prod/.env", "ZENODO_TOKEN=${ZENODO_TOKEN}\n")));
  c.push_back(
      in("c9", 9,
         negative("namelist-token-file", "input.nml",
                  "&zenodo\n  record = 1234567\n  token_file = '~/.zenodo_token'\n  sandbox "
                  "= .true.\n/\n")));
  c.push_back(
      in("c9", 9,
         negative("kubernetes-secret-ref", "k8s/deploy.yaml",
                  "env:\n- name: ZENODO_SANDBOX\n  value: \"1\"\n- name: ZENODO_TOKEN\n  "
                  "valueFrom:\n    secretKeyRef:\n      name: zenodo\n      key: token\n")));
  c.push_back(in("c9", 9,
                 negative("host-directory-readme", "conf/zenodo.org/README",
                          "Records: https://zenodo.org/records/1234567\n")));
  c.push_back(
      in("c9", 9,
         negative("sandbox-directory-hex", "sandbox/.env", "ZENODO_TOKEN=" + hex(60) + "\n")));
}

// Like positive(), but each "{B:USER}" becomes HTTP Basic credentials: base64 of "USER:" and a
// fresh token (as `Authorization: Basic` and Docker's config.json "auth" write them).
CorpusFile positive_basic(std::string form, std::string path, const std::string& tmpl,
                          std::vector<Instance> instances)
{
  CorpusFile f{std::move(form), std::move(path), {}, {}};
  std::size_t next = 0, pos = 0;
  for (std::size_t hit = tmpl.find("{B:"); hit != std::string::npos; hit = tmpl.find("{B:", pos)) {
    std::size_t close = tmpl.find('}', hit);
    f.content += tmpl.substr(pos, hit - pos);
    std::string t = make_token();
    f.content += base64_encode(tmpl.substr(hit + 3, close - hit - 3) + ":" + t);
    f.planted.push_back({t, next < instances.size() ? instances[next] : U});
    ++next;
    pos = close + 1;
  }
  f.content += tmpl.substr(pos);
  if (next != instances.size())
    throw std::logic_error("corpus form " + f.form + ": instances do not match placeholders");
  return f;
}

// Round four (detect8): encoded credentials, data and tool files, XML objects and tables, and
// languages rarely probed, each class in a repository of its own.
void add_round_four(std::vector<CorpusFile>& c)
{
  // --- Class 10: HTTP Basic credentials, base64 of user:token (decoded; the host nearby says
  // it is Zenodo's).
  c.push_back(in("c10", 10,
                 positive_basic("basic-http-file", "zenodo.http",
                                "### list\nGET https://sandbox.zenodo.org/api/deposit/depositions\n"
                                "Authorization: Basic {B:token}\n",
                                {S})));
  c.push_back(in("c10", 10,
                 positive_basic("basic-curl", "scripts/list.sh",
                                "curl -s -H \"Authorization: Basic {B:jdoe}\" "
                                "https://zenodo.org/api/deposit/depositions\n",
                                {P})));
  c.push_back(in("c10", 10,
                 positive_basic("docker-config-auth", ".docker/config.json",
                                "{\n\t\"auths\": {\n\t\t\"sandbox.zenodo.org\": {\n\t\t\t\"auth\": "
                                "\"{B:ci}\"\n\t\t}\n\t}\n}\n",
                                {S})));
  {
    nlohmann::json har = {
        {"log",
         {{"entries",
           {{{"request",
              {{"method", "GET"},
               {"url", "https://zenodo.org/api/records"},
               {"headers", {{{"name", "authorization"}, {"value", "Basic {B:me}"}}}}}}}}}}}};
    c.push_back(in("c10", 10, positive_basic("har-basic-header", "capture.har", har.dump(2), {P})));
  }
  c.push_back(in("c10", 10,
                 positive_basic("basic-debug-log", "logs/http.log",
                                "2024-03-01 12:00:01 DEBUG > Host: zenodo.org\n"
                                "2024-03-01 12:00:01 DEBUG > Authorization: Basic {B:me}\n",
                                {P})));
  c.push_back(in("c10", 10,
                 negative("basic-other-host", "api.http",
                          "# zenodo mirror script\nGET https://api.github.com/user\n"
                          "Authorization: Basic " +
                              base64_encode("jdoe:" + make_token()) + "\n")));
  c.push_back(in("c10", 10,
                 negative("basic-request-to-other-host", "mirror.http",
                          "# copies records from zenodo.org\nGET "
                          "https://gitea.example.org/api/v1/user\nAuthorization: Basic " +
                              base64_encode("jdoe:" + make_token()) + "\n")));
  c.push_back(in("c10", 10,
                 negative("basic-not-a-token", "zenodo2.http",
                          "GET https://zenodo.org/api/deposit/depositions\nAuthorization: Basic " +
                              base64_encode("jdoe:" + std::string(60, 'x')) + "\n")));
  c.push_back(in("c10", 10,
                 negative("docker-other-registry", "ci/docker.json",
                          "{\"auths\": {\"ghcr.io\": {\"auth\": \"" +
                              base64_encode("zenodo-bot:" + make_token()) +
                              "\"}}}\n# pushes the zenodo.org mirror image\n")));
  c.push_back(in("c10", 10,
                 negative("basic-three-fields", "zenodo3.http",
                          "GET https://zenodo.org/api/records\nAuthorization: Basic " +
                              base64_encode("a:b:" + make_token()) + "\n")));
  c.push_back(
      in("c10", 10,
         negative("sealed-secret", "k8s/sealed.yaml",
                  "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: "
                  "zenodo-token\nspec:\n  encryptedData:\n    ZENODO_TOKEN: Ag" +
                      base64_encode(make_token() + make_token() + make_token()) + "\n")));

  // --- Class 11: data, logs and tool files: Postman, Terraform state, email, patches, CI logs,
  // IDE run configurations, password-manager and SQL dumps, tracebacks printing locals.
  c.push_back(in("c11", 11,
                 positive("postman-environment", "postman/Zenodo.postman_environment.json",
                          "{\n\t\"name\": \"Zenodo\",\n\t\"values\": [\n\t\t{\n\t\t\t\"key\": "
                          "\"baseUrl\",\n\t\t\t\"value\": \"https://zenodo.org/api\"\n\t\t},\n\t\t{"
                          "\n\t\t\t\"key\": \"zenodo_token\",\n\t\t\t\"value\": \"{T}\",\n\t\t\t"
                          "\"type\": \"secret\"\n\t\t}\n\t]\n}\n",
                          {P})));
  c.push_back(in("c11", 11,
                 positive("tfstate-output", "terraform.tfstate",
                          "{\n  \"version\": 4,\n  \"outputs\": {\n    \"zenodo_token\": {\n      "
                          "\"value\": \"{T}\",\n      \"type\": \"string\",\n      \"sensitive\": "
                          "true\n    }\n  }\n}\n",
                          {U})));
  c.push_back(in("c11", 11,
                 positive("email-subject-heading", "mail/zenodo.eml",
                          "From: alice@lab.org\nTo: bob@lab.org\nSubject: Zenodo sandbox token\n"
                          "Content-Type: text/plain\n\nHi Bob,\n\nhere is the token for the "
                          "account:\n\n{T}\n\nAlice\n",
                          {S})));
  c.push_back(in("c11", 11,
                 positive("email-html-code", "mail/html.eml",
                          "Subject: Your Zenodo token\nContent-Type: text/html\n\n<p>Token:</p>\n"
                          "<p><code>{T}</code></p>\n",
                          {U})));
  c.push_back(in("c11", 11,
                 positive("patch-added-line", "0001-add-token.patch",
                          "diff --git a/.env b/.env\n--- a/.env\n+++ b/.env\n@@ -1,2 +1,3 @@\n "
                          "DEBUG=1\n+ZENODO_TOKEN={T}\n",
                          {U})));
  c.push_back(in("c11", 11,
                 positive("actions-log-timestamps", "logs/publish.txt",
                          "2024-05-02T10:11:12.1234567Z ##[group]Run python upload.py\n"
                          "2024-05-02T10:11:12.1234569Z   env:\n"
                          "2024-05-02T10:11:12.1234570Z     ZENODO_TOKEN: {T}\n",
                          {U})));
  c.push_back(in("c11", 11,
                 positive("gitlab-log-ansi", "job.log",
                          "\x1b[0KRunning with gitlab-runner 16.0\n\x1b[32;1m$ export "
                          "ZENODO_ACCESS_TOKEN={T}\x1b[0;m\n\x1b[32;1m$ python -m upload "
                          "--sandbox\x1b[0;m\n",
                          {S})));
  c.push_back(in("c11", 11,
                 positive("jetbrains-run-env", ".idea/runConfigurations/Publish.xml",
                          "<component name=\"ProjectRunConfigurationManager\">\n  <configuration "
                          "name=\"Publish\">\n    <envs>\n      <env name=\"ZENODO_API_URL\" "
                          "value=\"https://sandbox.zenodo.org/api\" />\n      <env "
                          "name=\"ZENODO_API_TOKEN\" value=\"{T}\" />\n    </envs>\n  "
                          "</configuration>\n</component>\n",
                          {S})));
  c.push_back(in("c11", 11,
                 positive("keepass-csv", "export/keepass.csv",
                          "\"Group\",\"Title\",\"Username\",\"Password\",\"URL\"\n\"Research\","
                          "\"Zenodo API\",\"jdoe\",\"{T}\",\"https://zenodo.org\"\n",
                          {P})));
  c.push_back(in("c11", 11,
                 positive("traceback-locals", "rich.log",
                          "| sandbox = True |\n|   token = '{T}' |\n|     url = "
                          "'https://sandbox.zenodo.org/api' |\n",
                          {S})));
  c.push_back(
      in("c11", 11,
         negative("postman-other-key", "postman/env.json",
                  "{\"name\": \"Zenodo\", \"values\": [\n  {\n    \"key\": \"zenodo_token\",\n"
                  "    \"value\": \"{{ZENODO_TOKEN}}\"\n  },\n  {\n    \"key\": "
                  "\"github_token\",\n    \"value\": \"" +
                      make_token() + "\"\n  }\n]}\n")));
  c.push_back(in("c11", 11,
                 negative("har-request-id", "zenodo.har",
                          "{\"log\": {\"entries\": [{\"request\": {\"url\": "
                          "\"https://zenodo.org/records/1\", \"headers\": [\n  {\n    \"name\": "
                          "\"X-Request-Id\",\n    \"value\": \"" +
                              make_token() + "\"\n  }\n]}}]}}\n")));
  c.push_back(in("c11", 11,
                 negative("tfstate-random-password", "db.tfstate",
                          "{\"resources\": [{\"type\": \"random_password\", \"name\": "
                          "\"zenodo_db\", \"instances\": [{\"attributes\": {\n  \"result\": \"" +
                              make_token() + "\",\n  \"id\": \"none\"\n}}]}]}\n")));
  c.push_back(in("c11", 11,
                 negative("jetbrains-next-env", ".idea/workspace.xml",
                          "<envs>\n  <env name=\"ZENODO_TOKEN\" value=\"$ZENODO_TOKEN$\" />\n  "
                          "<env name=\"FIGSHARE_TOKEN\" value=\"" +
                              make_token() + "\" />\n</envs>\n")));
  c.push_back(in("c11", 11,
                 negative("email-other-service", "mail/gh.eml",
                          "From: a@lab.org\nSubject: GitHub token\n\nHi,\n\nthe new one:\n\n" +
                              make_token() + "\n\n-- \nsent from the Zenodo mirror\n")));
  c.push_back(in("c11", 11,
                 negative("actions-log-masked", "logs/run.txt",
                          "2024-05-02T10:11:12.1234570Z     ZENODO_TOKEN: ***\n"
                          "2024-05-02T10:11:12.1234571Z   sha: " +
                              hex(40) + "\n")));

  // --- Class 12: XML objects and tables: PowerShell CliXml (Export-Clixml) hashtables and
  // objects, .NET settings, spreadsheet XML and HTML table rows.
  const std::string objs = "<Objs Version=\"1.1.0.1\" "
                           "xmlns=\"http://schemas.microsoft.com/powershell/2004/04\">\n  <Obj "
                           "RefId=\"0\">\n    <MS>\n";
  const std::string objs_end = "    </MS>\n  </Obj>\n</Objs>\n";
  c.push_back(in("c12", 12,
                 positive("clixml-hashtable", "zenodo.clixml",
                          objs +
                              "      <DCT>\n        <En>\n          <S N=\"Key\">ZenodoToken</S>"
                              "\n          <S N=\"Value\">{T}</S>\n        </En>\n        <En>\n"
                              "          <S N=\"Key\">ZenodoUrl</S>\n          <S "
                              "N=\"Value\">https://zenodo.org/api</S>\n        </En>\n      "
                              "</DCT>\n" +
                              objs_end,
                          {P})));
  c.push_back(in("c12", 12,
                 positive("clixml-target-password", "creds.xml",
                          objs +
                              "      <S N=\"Target\">zenodo.org</S>\n      <S "
                              "N=\"Password\">{T}</S>\n" +
                              objs_end,
                          {P})));
  c.push_back(in("c12", 12,
                 positive("clixml-service-sandbox", "settings.clixml",
                          objs +
                              "      <S N=\"Service\">Zenodo</S>\n      <S N=\"ApiToken\">{T}"
                              "</S>\n      <B N=\"Sandbox\">true</B>\n" +
                              objs_end,
                          {S})));
  c.push_back(in("c12", 12,
                 positive("clixml-token-first", "bot.clixml",
                          objs +
                              "      <S N=\"Token\">{T}</S>\n      <S "
                              "N=\"Url\">https://sandbox.zenodo.org/api</S>\n" +
                              objs_end,
                          {S})));
  c.push_back(in("c12", 12,
                 positive("dotnet-settings", "App.config",
                          "<userSettings>\n  <Uploader.Properties.Settings>\n    <setting "
                          "name=\"ZenodoToken\" serializeAs=\"String\">\n      <value>{T}</value>\n"
                          "    </setting>\n    <setting name=\"ZenodoUrl\" "
                          "serializeAs=\"String\">\n      <value>https://zenodo.org/api</value>\n"
                          "    </setting>\n  </Uploader.Properties.Settings>\n</userSettings>\n",
                          {P})));
  c.push_back(in("c12", 12,
                 positive("spreadsheet-xml-row", "Book1.xml",
                          "<Workbook xmlns:ss=\"urn:schemas-microsoft-com:office:spreadsheet\">\n"
                          "<Table>\n<Row>\n<Cell><Data ss:Type=\"String\">zenodo sandbox</Data>"
                          "</Cell>\n<Cell><Data ss:Type=\"String\">{T}</Data></Cell>\n</Row>\n"
                          "</Table>\n</Workbook>\n",
                          {S})));
  c.push_back(in("c12", 12,
                 positive("html-table-row", "wiki/tokens.html",
                          "<table>\n<tr><td>Zenodo (production)</td><td><code>{T}</code></td></tr>"
                          "\n</table>\n",
                          {P})));
  c.push_back(in("c12", 12,
                 negative("clixml-other-target", "gh-creds.xml",
                          objs + "      <S N=\"Target\">github.com</S>\n      <S N=\"Password\">" +
                              make_token() + "</S>\n" + objs_end + "<!-- zenodo: none -->\n")));
  c.push_back(in("c12", 12,
                 negative("clixml-secure-string", "secure.xml",
                          objs +
                              "      <S N=\"Target\">zenodo.org</S>\n      <SS "
                              "N=\"Password\">01000000d08c9ddf0115d1118c7a00c04fc297eb" +
                              hex(200) + "</SS>\n" + objs_end)));
  c.push_back(in("c12", 12,
                 negative("clixml-other-key", "mirror.clixml",
                          objs +
                              "      <DCT>\n        <En>\n          <S N=\"Key\">GitHubToken</S>"
                              "\n          <S N=\"Value\">" +
                              make_token() +
                              "</S>\n        </En>\n        <En><S N=\"Key\">ZenodoUrl</S><S "
                              "N=\"Value\">https://zenodo.org</S></En>\n      </DCT>\n" +
                              objs_end)));
  c.push_back(in("c12", 12,
                 negative("spreadsheet-doi", "records.xml",
                          "<Row><Cell><Data ss:Type=\"String\">Zenodo</Data></Cell><Cell><Data "
                          "ss:Type=\"String\">10.5281/zenodo.1234567</Data></Cell></Row>\n<Row>"
                          "<Cell><Data ss:Type=\"String\">md5</Data></Cell><Cell><Data "
                          "ss:Type=\"String\">" +
                              hex(60) + "</Data></Cell></Row>\n")));
  c.push_back(in("c12", 12,
                 negative("html-table-other-service", "wiki/other.html",
                          "<tr><td>Zenodo</td><td>GitHub token</td><td>" + make_token() +
                              "</td></tr>\n<tr><td>Zenodo</td></tr>\n<tr><td>OSF</td><td>" +
                              make_token() + "</td></tr>\n")));
  c.push_back(in("c12", 12,
                 negative("dotnet-settings-other", "Other.config",
                          "<setting name=\"ZenodoToken\" serializeAs=\"String\">\n  <value />\n"
                          "</setting>\n<setting name=\"CacheKey\" serializeAs=\"String\">\n  "
                          "<value>" +
                              make_token() + "</value>\n</setting>\n")));

  // --- Class 13: languages rarely probed (Go, C#, PHP, Ruby, Java annotations, C, Make, CMake,
  // Lisps, Zig, Tcl, AWK, SQL), with sandbox switches written as arguments.
  c.push_back(in("c13", 13,
                 positive("go-t-setenv", "upload_test.go",
                          "func TestMain(m *testing.M) {\n\tt.Setenv(\"ZENODO_SANDBOX_TOKEN\", "
                          "\"{T}\")\n}\n",
                          {S})));
  c.push_back(in("c13", 13,
                 positive("go-viper-default", "config.go",
                          "viper.SetDefault(\"zenodo.token\", \"{T}\")\n"
                          "viper.SetDefault(\"zenodo.sandbox\", true)\n",
                          {S})));
  c.push_back(
      in("c13", 13,
         positive("csharp-set-env", "Program.cs",
                  "Environment.SetEnvironmentVariable(\"ZENODO_TOKEN\", \"{T}\");\n", {U})));
  c.push_back(in("c13", 13,
                 positive("php-env-default", "config/services.php",
                          "<?php\nreturn [\n    'zenodo' => [\n        'token' => "
                          "env('ZENODO_TOKEN', '{T}'),\n        'sandbox' => env('ZENODO_SANDBOX', "
                          "true),\n    ],\n];\n",
                          {S})));
  c.push_back(in("c13", 13,
                 positive("java-test-property", "src/test/java/UploadTest.java",
                          "@TestPropertySource(properties = {\"zenodo.sandbox=true\", "
                          "\"zenodo.token={T}\"})\nclass UploadTest {}\n",
                          {S})));
  c.push_back(
      in("c13", 13,
         positive("cmake-set-env", "CMakeLists.txt", "set(ENV{ZENODO_TOKEN} \"{T}\")\n", {U})));
  c.push_back(in("c13", 13,
                 positive("racket-define", "upload.rkt",
                          "#lang racket\n(define zenodo-token \"{T}\")\n(define zenodo-url "
                          "\"https://zenodo.org/api\")\n",
                          {P})));
  c.push_back(in("c13", 13,
                 positive("tcl-set", "upload.tcl",
                          "set zenodo_token \"{T}\"\nset url "
                          "\"https://sandbox.zenodo.org/api/deposit/depositions\"\n",
                          {S})));
  c.push_back(in("c13", 13,
                 positive("awk-begin", "report.awk",
                          "BEGIN {\n  token = \"{T}\"\n  url = "
                          "\"https://zenodo.org/api/deposit/depositions?access_token=\" token\n}\n",
                          {P})));
  c.push_back(in("c13", 13,
                 positive("sql-settings-row", "migrations/002_settings.sql",
                          "INSERT INTO settings (name, value) VALUES ('zenodo_access_token', "
                          "'{T}');\n",
                          {U})));
  c.push_back(in("c13", 13,
                 negative("go-other-service", "main.go",
                          "// upload to zenodo and github\nos.Setenv(\"GITHUB_TOKEN\", \"" +
                              make_token() + "\")\n")));
  c.push_back(in("c13", 13,
                 negative("php-env-reference", "services.php",
                          "<?php\nreturn ['zenodo' => ['token' => env('ZENODO_TOKEN')]];\n")));
  c.push_back(in("c13", 13,
                 negative("c-define-placeholder", "config.h",
                          "#define ZENODO_TOKEN \"YOUR_ZENODO_TOKEN_HERE\"\n")));
  c.push_back(in("c13", 13,
                 negative("cmake-env-reference", "cmake/env.cmake",
                          "set(ENV{ZENODO_TOKEN} \"$ENV{ZENODO_TOKEN}\")\n")));
  c.push_back(in("c13", 13,
                 negative("zig-package-hash", "build.zig.zon",
                          ".{ .name = \"zenodo\", .hash = \"1220" + hex(64) + "\" }\n")));
  c.push_back(in("c13", 13,
                 negative("tcl-env-reference", "up.tcl", "set zenodo_token $env(ZENODO_TOKEN)\n")));
}
} // namespace

std::vector<CorpusFile> make_corpus()
{
  std::vector<CorpusFile> c;
  // --- Assignments whose name says zenodo.
  c.push_back(positive(
      "shell-export", "scripts/deploy.sh",
      "#!/bin/sh\nset -e\nexport ZENODO_TOKEN={T}\nexport ZENODO_SANDBOX_TOKEN='{T}'\n", {U, S}));
  c.push_back(
      positive("dotenv", ".env", "DEBUG=1\nZENODO_TOKEN={T}\nZENODO_TOKEN_SB=\"{T}\"\n", {U, S}));
  c.push_back(positive(
      "makefile", "Makefile",
      "ZENODO_API = https://zenodo.org/api\nZENODO_TOKEN := {T}\n\nall:\n\tcurl $(ZENODO_API)\n",
      {P}));
  c.push_back(positive(
      "dockerfile-arg-env", "docker/Dockerfile",
      "FROM python:3.12\nARG ZENODO_TOKEN={T}\nENV ZENODO_SANDBOX_TOKEN {T}\nRUN make\n", {U, S}));
  c.push_back(positive("windows-set", "deploy.bat",
                       "@echo off\r\nset ZENODO_TOKEN={T}\r\nset \"ZENODO_TOKEN_SB={T}\"\r\n",
                       {U, S}));
  c.push_back(positive("powershell-env", "deploy.ps1", "$env:ZENODO_TOKEN = \"{T}\"\r\n", {U}));
  c.push_back(positive("python-variable-dict", "upload.py",
                       "ZENODO_TOKEN = '{T}'\nsettings = {}\nsettings['zenodo_token'] = \"{T}\"\n"
                       "cfg = {\"zenodo_sandbox_token\": \"{T}\"}\n",
                       {U, U, S}));
  c.push_back(positive("r-variable-options", ".Rprofile",
                       "zenodo_token <- \"{T}\"\noptions(zenodo_token = \"{T}\")\n", {U, U}));
  c.push_back(positive("julia", "upload.jl",
                       "ENV[\"ZENODO_TOKEN\"] = \"{T}\"\nconst zenodo_sandbox_token = \"{T}\"\n",
                       {U, S}));
  c.push_back(positive("javascript", "src/upload.js",
                       "const zenodoToken = \"{T}\";\nconst cfg = { zenodoTokenSb: '{T}' };\n",
                       {U, S}));
  c.push_back(positive(
      "github-actions-env", ".github/workflows/release.yml",
      "on: push\njobs:\n  upload:\n    runs-on: ubuntu-latest\n    env:\n      ZENODO_TOKEN: {T}\n"
      "    steps:\n      - run: make upload\n",
      {U}));
  c.push_back(positive("json", "deploy.json",
                       "{\n  \"name\": \"x\",\n  \"zenodo_token\": \"{T}\"\n}\n", {U}));
  c.push_back(positive("toml", "release.toml", "[deploy]\nzenodo_token = \"{T}\"\n", {U}));
  // --- Client configuration shapes.
  c.push_back(positive("zenopy-zenodorc", ".zenodorc",
                       "[ZENODO]\nmy lab token = {T}\n\n[SANDBOX]\nMYTOKEN_ALL_SB = {T}\n",
                       {P, S}));
  c.push_back(positive("zenodopy-token-file", "home/.zenodo_token",
                       "ACCESS_TOKEN: {T}\nACCESS_TOKEN-sandbox: {T}\n", {P, S}));
  c.push_back(positive(
      "zenodo-uploader-toml", ".zenodo.toml",
      "[metadata]\ntitle = \"x\"\n\n[tokens]\nproduction = \"{T}\"\nsandbox = \"{T}\"\n", {P, S}));
  c.push_back(positive("ini-zenodo-section", "setup.cfg",
                       "[metadata]\nname = x\n\n[zenodo]\ntoken = {T}\n", {P}));
  c.push_back(positive("ini-zenodo-sandbox-section", "conf/zenodo.ini",
                       "[zenodo:sandbox]\naccess_token = {T}\n[zenodo]\naccess_token = {T}\n",
                       {S, P}));
  c.push_back(positive("toml-tool-zenodo", "pyproject.toml",
                       "[project]\nname = \"x\"\n\n[tool.zenodo]\ntoken = \"{T}\"\n", {P}));
  c.push_back(positive(
      "nested-json", "config/settings.json",
      "{\n  \"zenodo\": {\n    \"community\": \"x\",\n    \"token\": \"{T}\"\n  }\n}\n", {U}));
  c.push_back(positive("nested-yaml-sandbox-url", "config.yml",
                       "zenodo:\n  url: https://sandbox.zenodo.org\n  token: {T}\n", {S}));
  c.push_back(positive("nested-yaml-sandbox-flag", "config/zenodo.yaml",
                       "zenodo:\n  sandbox: true\n  access_token: '{T}'\n", {S}));
  // --- Code.
  c.push_back(positive("python-constructor", "pub.py",
                       "from zenodo_client import Zenodo\nz = Zenodo(token=\"{T}\")\n", {U}));
  c.push_back(positive("python-client-sandbox", "pub2.py",
                       "c = zenodo.Client(access_token='{T}', use_sandbox=True)\n", {S}));
  c.push_back(
      positive("r-zen4r", "pub.R",
               "library(zen4R)\nzen <- ZenodoManager$new(token = \"{T}\", sandbox = TRUE)\n", {S}));
  c.push_back(positive("url-production", "fetch.sh",
                       "curl \"https://zenodo.org/api/deposit/depositions?access_token={T}\"\n",
                       {P}));
  c.push_back(positive(
      "url-sandbox-log", "logs/app.log",
      "2024-01-01T00:00:00 GET https://sandbox.zenodo.org/api/records?q=a&access_token={T} 200\n",
      {S}));
  {
    std::string t = "URL=https://zenodo.org/api/deposit/depositions\n";
    for (int i = 0; i < 30; ++i)
      t += "echo step " + std::to_string(i) + "\n";
    t += "curl -H \"Authorization: Bearer {T}\" \"$URL\"\n";
    c.push_back(positive("bearer-header", "upload.sh", t, {P}));
  }
  // --- Notebooks, notes, logs.
  c.push_back(positive("ipynb-source-output", "analysis.ipynb", notebook(), {S, S}));
  c.push_back(positive("markdown-note", "NOTES.md", "## Zenodo\n\nAPI_KEY = `{T}`\n", {U}));
  c.push_back(positive("log", "logs/upload.log",
                       "2024-01-01 INFO zenodo upload started\n2024-01-01 DEBUG token={T}\n", {U}));
  c.push_back(
      positive("crlf", "win.env", "ZENODO_TOKEN={T}\r\nZENODO_SANDBOX_TOKEN={T}\r\n", {U, S}));
  c.push_back(positive("non-ascii-name", "données/clé_zénodo_令牌.env",
                       "# Zénodo — 令牌\nZENODO_TOKEN=\"{T}\"\n", {U}));
  c.push_back(positive("generic-near-url", "deploy.py",
                       "# Upload to https://zenodo.org\n\nAPI_KEY = \"{T}\"\n", {P}));
  c.push_back(positive("generic-near-section-key", "ci.yml",
                       "deploy:\n  provider: zenodo\n  token: {T}\n", {U}));
  // Quoted literals in a file that talks to Zenodo, whatever they are assigned to.
  c.push_back(positive("literal-returned", "zenodotus.py",
                       "def api_url():\n    return \"https://sandbox.zenodo.org/api/deposit\"\n\n"
                       "def token():\n    # access token name = doi_service_sandbox\n"
                       "    return \"{T}\"\n",
                       {S}));
  c.push_back(positive("literal-argparse-default", "cli.py",
                       "parser = argparse.ArgumentParser(description=\"Zenodo uploader\")\n"
                       "parser.add_argument(\"--token\", default=\"{T}\")\n",
                       {U}));
  c.push_back(positive("literal-concatenated-header", "get.py",
                       "h = {'Authorization': 'Bearer ' + '{T}'}\n"
                       "requests.get('https://zenodo.org/api/records', headers=h)\n",
                       {P}));
  c.push_back(positive("literal-tuple", "accounts.py",
                       "# zenodo accounts\nKEYS = (\"{T}\",\n        \"{T}\")\n", {U, U}));
  c.push_back(positive("literal-bytes-prefix", "keys.py",
                       "DEPOSIT = 'https://zenodo.org/api/deposit/depositions'\nKEY = b\"{T}\"\n",
                       {P}));
  // Command-line options of Zenodo tools, and tables of credentials.
  c.push_back(positive("cli-short-option", "scripts/fetch.sh",
                       "zenodo_get -t {T} 10.5281/zenodo.1234567\n", {U}));
  c.push_back(positive("cli-long-option", "Makefile.release",
                       "upload:\n\tzenodo-upload --sandbox --access-token={T} dist/*.tar.gz\n",
                       {S}));
  c.push_back(positive("markdown-table-row", "docs/accounts.md",
                       "| Service | Token |\n|---|---|\n| Zenodo sandbox | {T} |\n", {S}));
  c.push_back(positive("tsv-row", "accounts.tsv", "service\ttoken\nzenodo\t{T}\n", {U}));
  // Base64-encoded tokens: a Kubernetes Secret and `echo $TOKEN | base64` (with the line end).
  {
    CorpusFile k8s{"k8s-secret-base64", "k8s/zenodo-secret.yaml", {}, {}};
    std::string t = make_token();
    k8s.content = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: zenodo\ndata:\n  token: " +
                  base64_encode(t) + "\n";
    k8s.planted.push_back({t, U});
    c.push_back(k8s);
    CorpusFile env{"env-base64-with-newline", "deploy/sandbox.env", {}, {}};
    std::string u = make_token();
    env.content = "ZENODO_SANDBOX_TOKEN_B64=" + base64_encode(u + "\n") + "\n";
    env.planted.push_back({u, S});
    c.push_back(env);
  }
  // Defaults and fallbacks after a name that mentions Zenodo.
  c.push_back(
      positive("shell-default", "scripts/defaults.sh", "TOKEN=\"${ZENODO_TOKEN:-{T}}\"\n", {U}));
  c.push_back(positive("ruby-or-assign", "Rakefile", "ENV['ZENODO_TOKEN'] ||= '{T}'\n", {U}));
  c.push_back(positive("python-or-default", "settings.py",
                       "TOKEN = os.environ.get(\"ZENODO_SANDBOX_TOKEN\") or \"{T}\"\n", {S}));
  c.push_back(positive("js-or-default", "upload.js",
                       "const token = process.env.ZENODO_TOKEN || \"{T}\";\n", {U}));
  {
    std::string filler;
    for (int i = 0; i < 20000; ++i)
      filler += "k" + std::to_string(i) + "=v;";
    c.push_back(positive("long-line", "data/long.txt",
                         filler + "zenodo_token=\"{T}\";" + filler + "\n", {U}));
  }
  {
    std::string block;
    for (int i = 0; i < 40000; ++i)
      block += "line " + std::to_string(i) + " of a large log file with ordinary text\n";
    c.push_back(positive("large-file", "logs/large.log",
                         block + "ZENODO_TOKEN={T}\n" + block + "zenodo sandbox_token: {T}\n",
                         {U, S}));
  }

  // --- Negatives: never flagged.
  c.push_back(
      negative("base64-of-hex", "k8s/checksums.yaml",
               "# zenodo deposit\ndata:\n  ZENODO_TOKEN: " + base64_encode(hex(60)) + "\n"));
  c.push_back(negative("cli-option-from-env", "scripts/get-data.sh",
                       "zenodo_get -t \"$ZENODO_TOKEN\" 10.5281/zenodo.1234567\n"));
  c.push_back(negative("table-row-digest", "records.csv",
                       "doi,zenodo_record,md5\n10.5281/zenodo.1,1," + hex(60) + "\n"));
  c.push_back(negative("literal-hex-and-digest", "verify.py",
                       "URL = \"https://zenodo.org/api/records/1\"\nEXPECTED = \"" + hex(60) +
                           "\"\nsha256 = \"" + make_token() + "\"\n"));
  c.push_back(negative("literal-other-service", "sync.py",
                       "# mirror zenodo records to figshare\nFIGSHARE = \"" + make_token() +
                           "\"  # figshare\n"));
  c.push_back(negative("doi-badge-ids", "README.md",
                       "[![DOI](https://zenodo.org/badge/DOI/10.5281/zenodo.1234567.svg)]"
                       "(https://doi.org/10.5281/zenodo.1234567)\n"
                       "Record https://zenodo.org/records/7654321, deposition 7654321,\n"
                       "ORCID https://orcid.org/0000-0002-1825-0097\n"));
  c.push_back(negative("hex-digests", "zenodo-checksums.txt",
                       "zenodo_md5 = " + hex(32) + "\nzenodo_sha1: " + hex(40) +
                           "\nzenodo_sha256=" + hex(64) + "\nzenodo_token = " + hex(60) +
                           "\nZENODO_TOKEN=" + hex(60, true) + "\ntoken: " + hex(60) + "\n"));
  {
    std::string seq; // a-z, A-Z, 0-7: 60 sequential characters
    for (char ch = 'a'; ch <= 'z'; ++ch)
      seq.push_back(ch);
    for (char ch = 'A'; ch <= 'Z'; ++ch)
      seq.push_back(ch);
    for (char ch = '0'; ch <= '7'; ++ch)
      seq.push_back(ch);
    std::string rep;
    while (rep.size() < 60)
      rep += "Ab1";
    c.push_back(negative(
        "placeholders", "placeholders.env",
        "ZENODO_TOKEN=<FIXME>\nzenodo_token: your_access_token_here\nZENODO_TOKEN=" +
            std::string(60, 'x') + "\nZENODO_TOKEN=YOUR_ZENODO_TOKEN\nZENODO_TOKEN=" + seq +
            "\nZENODO_TOKEN=" + rep + "\nZENODO_TOKEN=" + std::string(57, 'a') + "Bb1" +
            "\nZENODO_TOKEN=YourZenodoTokenGoesHere" + std::string(35, 'X') + "9q\n"));
  }
  c.push_back(negative("identifier-without-digits", "Ident.java",
                       "// zenodo\nString zenodoToken = \"" + camel_identifier() + "\";\n"));
  {
    std::string t = make_token();
    c.push_back(negative("windows-of-longer-runs", "runs.env",
                         "ZENODO_TOKEN=" + t + make_token().substr(0, 40) +
                             "\nzenodo_token: " + make_token() + "+/" + make_token() +
                             "==\nZENODO_TOKEN=" + make_token() + "_x\nZENODO_TOKEN=x-" +
                             make_token() + "\nZENODO_TOKEN=" + make_token().substr(0, 59) +
                             "\nZENODO_TOKEN=" + make_token() + "Q\n"));
  }
  c.push_back(negative("secret-store-references", ".github/workflows/ci.yml",
                       "env:\n  ZENODO_TOKEN: ${{ secrets.ZENODO_TOKEN }}\nrun: |\n"
                       "  python -c 'import os; os.environ[\"ZENODO_TOKEN\"]'\n"
                       "  curl -H \"Authorization: Bearer $ZENODO_TOKEN\" https://zenodo.org/api\n"
                       "  echo ${ZENODO_TOKEN}\n"));
  c.push_back(negative("other-vendor", "gh.env",
                       "# zenodo and github\nZENODO_TOKEN=ghp_" + make_token().substr(0, 36) +
                           "\nzenodo_token: ghp_" + make_token() + "\n"));
  c.push_back(
      in("plain", 1,
         negative("token-without-zenodo-context", "other.py",
                  "API_KEY = \"" + make_token() + "\"\nheaders = {\"Authorization\": \"Bearer " +
                      make_token() + "\"}\n")));
  {
    // An unquoted value under a generic name, outside generic-near's window: not flagged. (The
    // same value as a quoted literal is, by zenodo/literal-in-zenodo-file: "literal-far".)
    std::string t = "# zenodo helper\n";
    for (int i = 0; i < 10; ++i)
      t += "x: " + std::to_string(i) + "\n";
    t += "token: " + make_token() + "\n";
    c.push_back(in("plain", 1, negative("generic-too-far", "far.yml", t)));
    std::string q = "# zenodo helper\n";
    for (int i = 0; i < 10; ++i)
      q += "x = " + std::to_string(i) + "\n";
    c.push_back(positive("literal-far", "far.py", q + "token = \"{T}\"\n", {U}));
  }
  c.push_back(
      negative("bearer-other-service", "gh.sh",
               "curl -H \"Authorization: Bearer " + make_token() + "\" https://api.github.com\n"));
  c.push_back(in("plain", 2,
                 negative("path-scoped-elsewhere", "docs/tokens.txt",
                          "ACCESS_TOKEN: " + make_token() + "\n[tokens]\nproduction = \"" +
                              make_token() + "\"\n")));
  add_round_two(c);
  add_round_three(c);
  add_round_four(c);
  return c;
}

std::vector<std::string> corpus_repos(const std::vector<CorpusFile>& corpus)
{
  std::set<std::string> repos;
  for (const auto& f : corpus)
    repos.insert(f.repo);
  return {repos.begin(), repos.end()};
}

void write_corpus(const std::string& dir, const std::vector<CorpusFile>& corpus)
{
  for (const auto& f : corpus)
    write_file(dir + "/" + f.repo + "/" + f.path, f.content);
}

} // namespace zenolint::test
