#include "checks/findings.hpp"

#include "core/digest.hpp"

namespace zenolint::checks {

Finding make_finding(std::string_view rule, Severity severity, const std::string& path,
                     const std::string& key, std::string message, std::uint32_t line,
                     std::uint32_t column, std::uint32_t end_column)
{
  Finding f;
  f.rule_id = std::string(rule);
  f.severity = severity;
  f.message = std::move(message);
  f.path = path;
  f.line = f.end_line = line;
  f.column = column;
  f.end_column = std::max(end_column, column);
  std::string id = f.rule_id + ":" + path + ":" + key;
  f.fingerprint = sha256_hex(id);
  f.line_hash = sha256_hex(f.rule_id + ":" + key).substr(0, 16);
  f.provenance.kind = Provenance::Kind::worktree;
  f.provenance.path = path;
  return f;
}

std::vector<RuleMeta> rule_metas()
{
  std::vector<RuleMeta> metas;
  {
    RuleMeta m;
    m.id = std::string(rule_loose_permissions);
    m.name = "CredentialFileLoosePermissions";
    m.description = "A file holding Zenodo tokens can be read or changed by other users.";
    m.help =
        "A credential file (zenopy's `~/.zenodorc`, zenodopy's `~/.zenodo_token`, "
        "zenodo-uploader's "
        "`.zenodo.toml`, or an untracked file holding a Zenodo token) has group or other "
        "permission "
        "bits, is owned by another user, or sits in a directory other users can write to. Like ssh "
        "with private keys, only its owner should be able to read it.\n\n"
        "**Fix:** `chmod 600 FILE` (or `zenolint config check --fix` / `zenolint scan --fix`, "
        "which "
        "set credential files to mode 0600 without touching their content). For a directory "
        "writable by others: `chmod go-w DIR`. For a file owned by another user: "
        "`chown \"$(id -un)\" FILE`. Group- or world-writable files are errors (others can replace "
        "the token); readable files are warnings (others can copy it).";
    m.references = {"https://man.openbsd.org/ssh#FILES",
                    "https://developers.zenodo.org/#authentication"};
    m.severity = Severity::error;
    m.tags = {"security", "credential-file", "permissions"};
    m.precision = "very-high";
    metas.push_back(std::move(m));
  }
  {
    RuleMeta m;
    m.id = std::string(rule_misleading_label);
    m.name = "CredentialFileMisleadingLabel";
    m.description = "A token label says one Zenodo instance while the token sits under the other.";
    m.help =
        "Token labels should say the token's name, scope and account type, e.g. `MYTOKEN_ALL_SB` "
        "(name MYTOKEN, scope ALL, Sandbox). This finding means a label claims the sandbox "
        "(`SB`, `SANDBOX`) in the production section (`[ZENODO]`) or production (`PROD`, "
        "`PRODUCTION`, `LIVE`) in the sandbox section (`[SANDBOX]`); or the same token appears "
        "under both instances (a token belongs to exactly one: zenodo.org or sandbox.zenodo.org); "
        "or two labels with the same name in one section (configparser, used by zenopy, rejects "
        "the file); or zenodopy's `ACCESS_TOKEN-sandbox` holds the same token as "
        "`ACCESS_TOKEN`.\n\n"
        "**Fix:** move the token to the section of the instance that issued it, or rename the "
        "label so it matches (the message suggests one, e.g. `MYTOKEN_ALL_SB` in `[SANDBOX]`, "
        "`MYTOKEN_ALL` in `[ZENODO]`). zenolint never rewrites labels.";
    m.references = {"https://developers.zenodo.org/#authentication",
                    "https://docs.python.org/3/library/configparser.html"};
    m.severity = Severity::warning;
    m.tags = {"correctness", "credential-file", "zenodo"};
    m.precision = "high";
    metas.push_back(std::move(m));
  }
  {
    RuleMeta m;
    m.id = std::string(rule_placeholder_token);
    m.name = "CredentialFilePlaceholderToken";
    m.description = "The token the client reads by default is still a placeholder.";
    m.help =
        "The label the client reads by default (zenopy: `[ZENODO]`; zenodopy: `ACCESS_TOKEN`; "
        "zenodo-uploader: the production keys of `[tokens]`) holds a placeholder such as "
        "`<FIXME>`, "
        "`your_access_token_here` or nothing, so requests will fail with 401.\n\n"
        "**Fix:** create a token at https://zenodo.org/account/settings/applications/ and paste it "
        "in place of the placeholder, or remove the label.";
    m.references = {"https://developers.zenodo.org/#authentication"};
    m.severity = Severity::note;
    m.tags = {"correctness", "credential-file"};
    m.precision = "high";
    metas.push_back(std::move(m));
  }
  {
    RuleMeta m;
    m.id = std::string(rule_tracked_file);
    m.name = "TrackedCredentialFile";
    m.description = "A credential file is tracked by git, is in its history, or is not ignored.";
    m.help =
        "Client credential files (`.zenodorc`, `.zenodo_token`, `.zenodo.toml`) and files holding "
        "Zenodo tokens must never be committed, whatever they contain today: the next edit puts a "
        "token in history. An error when the file is tracked or present in any commit; a warning "
        "when it sits untracked in the working tree and `.gitignore` does not cover it (one "
        "`git add -A` away from a leak).\n\n"
        "**Fix:** `git rm --cached FILE`, add the file name to `.gitignore`, and if a token was "
        "ever "
        "committed, revoke it on Zenodo and rewrite history (e.g. `git filter-repo --path FILE "
        "--invert-paths`). Keep credential files in your home directory with mode 0600.";
    m.references = {
        "https://git-scm.com/docs/gitignore",
        "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/"
        "removing-sensitive-data-from-a-repository"};
    m.severity = Severity::error;
    m.tags = {"security", "credential-file", "git"};
    m.precision = "very-high";
    metas.push_back(std::move(m));
  }
  return metas;
}

} // namespace zenolint::checks
