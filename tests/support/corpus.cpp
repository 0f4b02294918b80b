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
  c.push_back(positive("ipynb-source-output", "analysis.ipynb", notebook(), {S, U}));
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
  c.push_back(negative("token-without-zenodo-context", "other.py",
                       "API_KEY = \"" + make_token() +
                           "\"\nheaders = {\"Authorization\": \"Bearer " + make_token() + "\"}\n"));
  {
    std::string t = "# zenodo helper\n";
    for (int i = 0; i < 10; ++i)
      t += "x = " + std::to_string(i) + "\n";
    t += "token = \"" + make_token() + "\"\n";
    c.push_back(negative("generic-too-far", "far.py", t));
  }
  c.push_back(
      negative("bearer-other-service", "gh.sh",
               "curl -H \"Authorization: Bearer " + make_token() + "\" https://api.github.com\n"));
  c.push_back(negative("path-scoped-elsewhere", "docs/tokens.txt",
                       "ACCESS_TOKEN: " + make_token() + "\n[tokens]\nproduction = \"" +
                           make_token() + "\"\n"));
  return c;
}

void write_corpus(const std::string& dir, const std::vector<CorpusFile>& corpus)
{
  for (const auto& f : corpus)
    write_file(dir + "/" + f.path, f.content);
}

} // namespace zenolint::test
