// Listing a class and opening each submission: what is read is what was listed inside the
// folder, even when a student swaps a file (or a folder) for a symlink after the listing.
#include "grade/submissions.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace tcpgrade {
namespace {

namespace fs = std::filesystem;

constexpr char swapped[] = "the submission changed while grading (a symlink appeared): not read";

// A class in a fresh folder: CLASS/subs holds the submissions, CLASS/outside what no student
// may have read.
class SubmissionOpen : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "/submissions_test.XXXXXX";
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    subs_ = dir_ / "subs";
    fs::create_directories(subs_);
    fs::create_directories(dir_ / "outside");
    write(dir_ / "outside/secret.pcap", "TOPSECRET");
  }
  void TearDown() override { fs::remove_all(dir_); }

  static void write(const fs::path& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
  }
  // Replaces `path` by a symlink to `target` in one rename, as `mv -T` does.
  void swap_for_symlink(const fs::path& path, const fs::path& target) {
    fs::path temporary = dir_ / "swap.tmp";
    fs::create_symlink(target, temporary);
    fs::rename(temporary, path);
  }
  const Submission& only(const std::vector<Submission>& all, const std::string& id) {
    for (const Submission& s : all)
      if (s.id == id) return s;
    ADD_FAILURE() << "no submission " << id;
    return all.front();
  }
  // What open_submission reads, or its problem prefixed with "problem: ".
  static std::string read(const Submission& s, SubmissionLimits limits = {}) {
    std::string problem;
    int fd = open_submission(s, limits, problem);
    if (fd < 0) return "problem: " + problem;
    std::string bytes;
    char buffer[256];
    for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) bytes.append(buffer, n);
    ::close(fd);
    return bytes;
  }

  fs::path dir_, subs_;
};

TEST_F(SubmissionOpen, AFileSwappedForASymlinkAfterListingIsNotFollowed) {
  write(subs_ / "zed.pcap", "zed's capture");
  std::vector<Submission> all = find_submissions(subs_.string());
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].problem, "");
  EXPECT_EQ(read(all[0]), "zed's capture");
  swap_for_symlink(subs_ / "zed.pcap", dir_ / "outside/secret.pcap");
  EXPECT_EQ(read(all[0]), std::string("problem: ") + swapped);
}

TEST_F(SubmissionOpen, AStudentFolderSwappedForASymlinkAfterListingIsNotFollowed) {
  fs::create_directories(subs_ / "carol");
  write(subs_ / "carol/capture.pcap", "carol's capture");
  write(dir_ / "outside/capture.pcap", "TOPSECRET");
  std::vector<Submission> all = find_submissions(subs_.string());
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(read(all[0]), "carol's capture");
  fs::rename(subs_ / "carol", dir_ / "carol.old");
  fs::create_directory_symlink(dir_ / "outside", subs_ / "carol");
  EXPECT_EQ(read(all[0]), std::string("problem: ") + swapped);
}

TEST_F(SubmissionOpen, ASymlinkThatStaysInsideIsFollowedAsListed) {
  write(subs_ / "alice.pcap", "alice's capture");
  fs::create_symlink("alice.pcap", subs_ / "trent.pcap");
  std::vector<Submission> all = find_submissions(subs_.string());
  const Submission& trent = only(all, "trent");
  EXPECT_EQ(trent.problem, "");
  EXPECT_EQ(trent.file, (subs_ / "trent.pcap").string());  // reports name it as listed
  EXPECT_EQ(read(trent), "alice's capture");
  // Now leading outside: the file listed, alice.pcap, is still what is read.
  swap_for_symlink(subs_ / "trent.pcap", dir_ / "outside/secret.pcap");
  EXPECT_EQ(read(trent), "alice's capture");
}

TEST_F(SubmissionOpen, ASymlinkLoopIsCalledALoop) {
  fs::create_symlink("loop.pcap", subs_ / "loop.pcap");
  fs::create_symlink("pong.pcap", subs_ / "ping.pcap");
  fs::create_symlink("ping.pcap", subs_ / "pong.pcap");
  fs::create_symlink(dir_ / "outside/secret.pcap", subs_ / "mallory.pcap");
  std::vector<Submission> all = find_submissions(subs_.string());
  EXPECT_EQ(only(all, "loop").problem, "a symlink loop: not followed");
  EXPECT_EQ(only(all, "ping").problem, "a symlink loop: not followed");
  EXPECT_EQ(only(all, "mallory").problem,
            "a symlink that leads outside the submissions folder: not followed");
}

TEST_F(SubmissionOpen, ARosterPathThatLeavesTheFolderIsCalledSo) {
  fs::create_directories(subs_ / "sub");
  write(subs_ / "sub/alice.pcap", "alice's capture");
  write(subs_ / "roster.csv",
        "id,file\nalice,sub/alice.pcap\nmallory,../../../../../../etc/shadow\n"
        "oscar,/etc/passwd\nzoe,sub/zoe.pcap\n");
  std::vector<Submission> all = find_submissions((subs_ / "roster.csv").string());
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(read(only(all, "alice")), "alice's capture");
  EXPECT_EQ(only(all, "mallory").problem,
            "the roster's path leaves the submissions folder: not read");
  EXPECT_EQ(only(all, "oscar").problem,
            "the roster's path leaves the submissions folder: not read");
  EXPECT_EQ(only(all, "zoe").problem, "no submission (the file is missing)");
}

TEST_F(SubmissionOpen, AFifoPutInPlaceAfterListingDoesNotBlock) {
  write(subs_ / "zed.pcap", "zed's capture");
  std::vector<Submission> all = find_submissions(subs_.string());
  fs::remove(subs_ / "zed.pcap");
  ASSERT_EQ(::mkfifo((subs_ / "zed.pcap").c_str(), 0600), 0);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(read(all[0]), "problem: not a regular file");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST_F(SubmissionOpen, AFileGrownPastTheLimitAfterListingIsNotRead) {
  write(subs_ / "zed.pcap", "small");
  std::vector<Submission> all = find_submissions(subs_.string(), {10});
  EXPECT_EQ(all[0].problem, "");
  write(subs_ / "zed.pcap", "much larger than ten bytes");
  EXPECT_EQ(read(all[0], {10}), "problem: too large: 26 bytes, over the limit of 10 (--max-size)");
}

// Excel's "CSV UTF-8" starts with a byte-order mark: the header is still a header.
TEST_F(SubmissionOpen, ARosterWithAByteOrderMarkKeepsItsHeader) {
  write(subs_ / "alice.pcap", "alice's capture");
  write(subs_ / "roster.csv", "\xef\xbb\xbfid,file\r\nalice,alice.pcap\r\n");
  std::vector<Submission> all = find_submissions((subs_ / "roster.csv").string());
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].id, "alice");
}

// A quoted field may hold a line break: one student, not two bogus rows.
TEST_F(SubmissionOpen, ARosterQuotedFieldKeepsItsLineBreak) {
  write(subs_ / "alice.pcap", "alice's capture");
  write(subs_ / "roster.csv", "id,file\n\"alice\nsmith\",alice.pcap\nbob,bob.pcap\n");
  std::vector<Submission> all = find_submissions((subs_ / "roster.csv").string());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, "alice\nsmith");
  EXPECT_EQ(read(all[0]), "alice's capture");
  EXPECT_EQ(all[1].id, "bob");
}

// One row per id: the same line twice is one student; two files for one id are an error the
// instructor settles; an empty id is a row that says so, not a silent drop.
TEST_F(SubmissionOpen, ARosterNamesEachStudentOnce) {
  write(subs_ / "a.pcap", "a");
  write(subs_ / "b.pcap", "b");
  write(subs_ / "roster.csv", "id,file\nann,a.pcap\nann,a.pcap\nbob,a.pcap\nbob,b.pcap\n,b.pcap\n");
  std::vector<Submission> all = find_submissions((subs_ / "roster.csv").string());
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(only(all, "ann").problem, "");
  EXPECT_EQ(only(all, "bob").problem,
            "the roster names this student 2 times with different files (lines 4, 5): fix the "
            "roster");
  EXPECT_EQ(only(all, "(no id, roster line 6)").problem,
            "the roster's line 6 names no student id: fix the roster");
}

// Report names are one per id even where sanitising would fold ids together.
TEST_F(SubmissionOpen, ReportNamesAreDistinct) {
  for (const char* name : {"jörgen.pcap", "jürgen.pcap", "h i.pcap", "h_i.pcap"})
    write(subs_ / name, "x");
  std::vector<Submission> all = find_submissions(subs_.string());
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(only(all, "h i").safe_name, "h%20i");
  EXPECT_EQ(only(all, "h_i").safe_name, "h_i");
  EXPECT_EQ(only(all, "jörgen").safe_name, "j%C3%B6rgen");
  EXPECT_EQ(only(all, "jürgen").safe_name, "j%C3%BCrgen");
}

// Issue 19: an autograder's submission folder is one student's folder, read as grade reads one.
// A pcap's first bytes (microsecond, little-endian) and a pcapng's.
const std::string pcap_magic = "\xd4\xc3\xb2\xa1 rest of the capture";
const std::string pcapng_magic = "\x0a\x0d\x0d\x0a rest of the capture";

TEST_F(SubmissionOpen, AStudentsFolderGivesItsOneCapture) {
  fs::create_directories(subs_ / "alice");
  write(subs_ / "alice/answers.txt", "my essay");
  write(subs_ / "alice/LEARN.pcap", pcap_magic);
  Submission s = find_folder_submission((subs_ / "alice").string());
  EXPECT_EQ(s.problem, "");
  EXPECT_EQ(fs::path(s.file).filename(), "LEARN.pcap");
  EXPECT_EQ(s.id, "alice");
}

TEST_F(SubmissionOpen, ACaptureNamedTxtIsFoundByItsBytes) {
  fs::create_directories(subs_ / "bob");
  write(subs_ / "bob/answers.txt", "my essay");
  write(subs_ / "bob/LEARN.txt", pcapng_magic);
  Submission s = find_folder_submission((subs_ / "bob").string());
  EXPECT_EQ(s.problem, "");
  EXPECT_EQ(fs::path(s.file).filename(), "LEARN.txt");
  // grade reads a student's folder the same way.
  EXPECT_EQ(fs::path(only(find_submissions(subs_.string()), "bob").file).filename(), "LEARN.txt");
}

TEST_F(SubmissionOpen, SeveralCapturesAreAProblemNamingThem) {
  fs::create_directories(subs_ / "carol");
  write(subs_ / "carol/b.pcapng", pcapng_magic);
  write(subs_ / "carol/a.pcap", pcap_magic);
  EXPECT_EQ(find_folder_submission((subs_ / "carol").string()).problem,
            "2 capture files in the folder (a.pcap, b.pcapng); hand in one");
  fs::create_directories(subs_ / "dave");
  write(subs_ / "dave/one.txt", pcap_magic);
  write(subs_ / "dave/two.txt", pcap_magic);
  EXPECT_EQ(find_folder_submission((subs_ / "dave").string()).problem,
            "2 capture files in the folder (one.txt, two.txt); hand in one");
}

TEST_F(SubmissionOpen, AFolderWithoutACaptureSaysWhatItHolds) {
  fs::create_directories(subs_ / "erin");
  EXPECT_EQ(find_folder_submission((subs_ / "erin").string()).problem,
            "no submission (the folder holds no file)");
  write(subs_ / "erin/essay.txt", "words");
  Submission one = find_folder_submission((subs_ / "erin").string());
  EXPECT_EQ(one.problem, "");  // the one file is graded: its report says it is no capture
  EXPECT_EQ(fs::path(one.file).filename(), "essay.txt");
  write(subs_ / "erin/notes.md", "more words");
  EXPECT_EQ(find_folder_submission((subs_ / "erin").string()).problem,
            "no capture among the 2 files in the folder (essay.txt, notes.md); hand in one");
  EXPECT_THROW(find_folder_submission((subs_ / "nobody").string()), std::runtime_error);
}

// A symlink is not opened to look at its bytes: one to a capture outside is no capture here.
TEST_F(SubmissionOpen, ASymlinkIsNotSniffed) {
  fs::create_directories(subs_ / "frank");
  write(dir_ / "outside/real.txt", pcap_magic);
  fs::create_symlink(dir_ / "outside/real.txt", subs_ / "frank/link.txt");
  write(subs_ / "frank/essay.txt", "words");
  EXPECT_EQ(find_folder_submission((subs_ / "frank").string()).problem,
            "no capture among the 2 files in the folder (essay.txt, link.txt); hand in one");
}

}  // namespace
}  // namespace tcpgrade

namespace tcpgrade {
namespace {

// grade --roster: a student on the roster who handed nothing in gets a submission of its own,
// missing, in the class's order; one who did keeps the one found.
TEST(SubmissionRoster, RosterStudentsWithoutASubmissionAreMissing) {
  namespace fs = std::filesystem;
  fs::path root = fs::path(::testing::TempDir()) / "roster-class";
  fs::remove_all(root);
  fs::create_directories(root);
  for (const char* name : {"alice.pcap", "carol.pcap"}) std::ofstream(root / name) << "x";
  std::vector<Submission> all =
      find_submissions(root.string(), {}, {"carol", "bob", "alice", "dave"});
  ASSERT_EQ(all.size(), 4u);
  std::vector<std::string> ids;
  for (const Submission& s : all) ids.push_back(s.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"alice", "bob", "carol", "dave"}));
  EXPECT_TRUE(all[0].problem.empty());
  EXPECT_EQ(all[1].problem, "no submission (on the roster, nothing handed in)");
  EXPECT_TRUE(is_missing_submission(all[1].problem));
  EXPECT_TRUE(is_missing_submission(all[3].problem));
  EXPECT_EQ(all[3].safe_name, "dave");
  EXPECT_FALSE(is_missing_submission("not a regular file"));
  EXPECT_FALSE(is_missing_submission("a symlink loop: not followed"));
  fs::remove_all(root);
}

}  // namespace
}  // namespace tcpgrade
