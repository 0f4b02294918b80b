#pragma once
// Headings of Markdown and reStructuredText documents, for rules whose context is "the section of
// the document the token is in" (context.scope "heading") rather than a fixed line window.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace zenolint::match {

struct Heading {
  std::size_t line = 0; // 0-based line of the heading text
  int level = 1;        // 1 = top level
  std::string_view text;
};

// What kind of document a file is, for what counts as a heading.
enum class DocumentKind {
  text,  // Markdown, reStructuredText and any other text
  org,   // Org-mode (`.org`): also `* Title` lines
  email, // a message or mailbox (`.eml`, `.mbox`): also `Subject:` header lines
};

// Headings of `content` in order: ATX (`## Title`, up to 3 spaces of indent), setext and reST
// titles (a text line underlined, optionally overlined, with a run of one punctuation character
// at least as long as the title; reST levels follow the order in which underline styles first
// appear). Lines inside fenced code blocks (``` or ~~~) are never headings, so a `# comment` in a
// shell block is not one. With `org` (an Org-mode file, `.org`): also `* Title`, `** Title`
// (level = number of stars; elsewhere such a line is a Markdown list item), not inside
// `#+BEGIN_...`/`#+END_...` blocks. In an email (DocumentKind::email), a `Subject:` line is a
// top-level heading (the text after the colon): the body of a message is under its subject.
// Linear in the size of `content`.
std::vector<Heading> document_headings(std::string_view content,
                                       DocumentKind kind = DocumentKind::text);

// The headings `line` (0-based) is under: the nearest heading above it and each enclosing one of
// a higher level, nearest first.
std::vector<std::string_view> headings_above(const std::vector<Heading>& headings,
                                             std::size_t line);

} // namespace zenolint::match
