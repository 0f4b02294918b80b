// git/loose_object.hpp: loose objects read with certainty, and libgit2 never reading one unchecked.
#include "core/error.hpp"
#include "git/git.hpp"
#include "git/loose_object.hpp"
#include "support/temp_repo.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <zlib.h>

using namespace zenolint;
using zenolint::test::TempRepo;

namespace {

std::string deflate(const std::string& raw)
{
  uLongf size = compressBound(static_cast<uLong>(raw.size()));
  std::string out(size, '\0');
  REQUIRE(compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                    reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()),
                    6) == Z_OK);
  out.resize(size);
  return out;
}

git::LooseObject inflate(const std::string& file, std::string* content = nullptr)
{
  std::string buffer;
  auto r = git::inflate_loose_object(file, 1 << 20, [&](int, std::uint64_t size) {
    buffer.assign(size, '\0');
    return buffer.data();
  });
  if (content)
    *content = buffer;
  return r;
}

void write_bytes(const std::string& path, const std::string& data)
{
  std::filesystem::permissions(path, std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::add);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << data;
}

} // namespace

TEST_CASE("loose object: valid, truncated, shorter and longer than its header",
          "[git][loose][hostile]")
{
  std::string content;
  auto ok = inflate(deflate(std::string("blob 5\0hello", 12)), &content);
  CHECK(ok.status == git::LooseObject::Status::ok);
  CHECK(ok.type == 3);
  CHECK(content == "hello");

  const std::string big = std::string("blob 100000\0", 12) + std::string(100000, 'x');
  std::string whole = deflate(std::string(big.data(), big.size()));
  auto truncated = inflate(whole.substr(0, whole.size() / 2));
  CHECK(truncated.status == git::LooseObject::Status::corrupt);
  REQUIRE(truncated.why != nullptr);
  CHECK(std::string(truncated.why).find("truncated") != std::string::npos);

  // The stream ends before the declared size (a reader that trusted the header would hand out
  // uninitialised bytes), and goes on after it (libgit2 1.5 writes past its buffer: issue 7177).
  CHECK(inflate(deflate(std::string("blob 50\0short", 13))).status ==
        git::LooseObject::Status::corrupt);
  CHECK(inflate(deflate(std::string("blob 3\0much longer than three", 29))).status ==
        git::LooseObject::Status::corrupt);
  CHECK(inflate(deflate(std::string("blob 3\0abc", 10)) + "trailing").status ==
        git::LooseObject::Status::ok); // bytes after the stream's end are not content
  CHECK(inflate(deflate("blub 3\0abc")).status == git::LooseObject::Status::corrupt);
  CHECK(inflate("not zlib at all").status == git::LooseObject::Status::corrupt);
  CHECK(inflate(deflate(std::string("blob 99999999\0a", 15))).status ==
        git::LooseObject::Status::too_large);
}

TEST_CASE("libgit2 reads no loose object unchecked: a truncated one is an error naming it",
          "[git][loose][hostile]")
{
  TempRepo repo;
  std::string content = "payload " + std::string(200000, 'y') + "\n";
  for (std::size_t i = 0; i < content.size(); i += 7)
    content[i] = static_cast<char>('a' + (i * 31) % 26); // not too compressible
  repo.commit_file("big.txt", content, "big");
  std::string id = repo.rev("HEAD:big.txt");
  std::string path = repo.loose_object_path(id);
  std::string file;
  {
    std::ifstream in(path, std::ios::binary);
    file.assign(std::istreambuf_iterator<char>(in), {});
  }
  REQUIRE(file.size() > 1000);
  write_bytes(path, file.substr(0, file.size() / 2));

  auto r = git::open(repo.path() + "/.git", "");
  git_odb* raw = nullptr;
  REQUIRE(git_repository_odb(&raw, r.get()) == 0);
  git::Odb odb(raw);
  git_oid oid = git::to_oid(*BlobId::from_hex(id));
  git_odb_object* obj = nullptr;
  // Without the checked backend, libgit2 1.5 never returns from this call.
  int rc = git_odb_read(&obj, odb.get(), &oid);
  git::OdbObject owned(obj);
  CHECK(rc < 0);
  std::string message = git::last_error_message();
  CHECK_THAT(message, Catch::Contains(id) && Catch::Contains("corrupt") &&
                          Catch::Contains(path.substr(path.size() - 20)));

  // An abbreviated id (`--range abc1234..`) too: libgit2 asks every backend for a prefix.
  git_oid short_oid{};
  REQUIRE(git_oid_fromstrn(&short_oid, id.c_str(), 10) == 0);
  rc = git_odb_read_prefix(&obj, odb.get(), &short_oid, 10);
  git::OdbObject owned_prefix(obj);
  CHECK(rc < 0);
  CHECK_THAT(git::last_error_message(), Catch::Contains(id) && Catch::Contains("corrupt"));

  // An intact loose object still reads the same.
  repo.commit_file("small.txt", "small\n", "small");
  std::string small = repo.rev("HEAD:small.txt");
  git_oid small_oid = git::to_oid(*BlobId::from_hex(small));
  auto r2 = git::open(repo.path() + "/.git", "");
  REQUIRE(git_repository_odb(&raw, r2.get()) == 0);
  git::Odb odb2(raw);
  REQUIRE(git_odb_read(&obj, odb2.get(), &small_oid) == 0);
  git::OdbObject small_obj(obj);
  CHECK(std::string(static_cast<const char*>(git_odb_object_data(obj)), git_odb_object_size(obj)) ==
        "small\n");
}
