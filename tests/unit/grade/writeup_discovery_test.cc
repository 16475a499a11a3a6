// Which file of a hand-in is the write-up: by name in a student's folder, beside ID.pcap in a
// flat folder, or named by a roster's `writeup` column; two are a problem, never a guess.
#include "grade/writeup_discovery.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "grade/submissions.h"

namespace tcpgrade {
namespace {

namespace fs = std::filesystem;

TEST(WriteupNames, TextExtensionsInAnyCase) {
  for (const char* name : {"a.md", "A.MD", "notes.markdown", "answers.txt", "x.Txt"})
    EXPECT_TRUE(has_writeup_extension(name)) << name;
  for (const char* name : {"a.pcap", "md", ".md", "a.md.pdf", "a.docx", "README"})
    EXPECT_FALSE(has_writeup_extension(name)) << name;
}

TEST(WriteupNames, ReadmeLikeFiles) {
  for (const char* name : {"README", "README.md", "readme.txt", "ReadMe.markdown"})
    EXPECT_TRUE(is_readme_name(name)) << name;
  for (const char* name : {"readme-lab.md", "writeup.md", "my_readme.txt"})
    EXPECT_FALSE(is_readme_name(name)) << name;
}

TEST(WriteupPickTest, OneIsPickedWhateverItsName) {
  EXPECT_EQ(pick_writeup({}).file, "");
  EXPECT_EQ(pick_writeup({}).problem, "");
  EXPECT_EQ(pick_writeup({"README.md"}).file, "README.md");
  EXPECT_EQ(pick_writeup({"answers.txt"}).file, "answers.txt");
}

TEST(WriteupPickTest, AReadmeIsSetAsideWhenAnotherIsThere) {
  WriteupPick pick = pick_writeup({"README.md", "writeup.md"});
  EXPECT_EQ(pick.file, "writeup.md");
  EXPECT_EQ(pick.problem, "");
}

TEST(WriteupPickTest, TwoWriteupsAreAProblemNamingThem) {
  WriteupPick pick = pick_writeup({"b.txt", "a.md"});
  EXPECT_EQ(pick.file, "");
  EXPECT_EQ(pick.problem, "2 write-ups in the folder (a.md, b.txt); hand in one");
  pick = pick_writeup({"README", "readme.md"});
  EXPECT_EQ(pick.problem, "2 write-ups in the folder (README, readme.md); hand in one");
}

TEST(WriteupColumn, SpellingsOfTheHeader) {
  for (const char* header : {"writeup", "Write-up", "WRITEUP_FILE", " write up "})
    EXPECT_TRUE(is_writeup_column(header)) << header;
  for (const char* header : {"file", "writeups", "param:writeup"})
    EXPECT_FALSE(is_writeup_column(header)) << header;
}

// A class on disk, listed as grade lists it.
class WriteupDiscovery : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "/writeup_discovery.XXXXXX";
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    subs_ = dir_ / "subs";
    fs::create_directories(subs_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  static void write(const fs::path& path, const std::string& bytes) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << bytes;
  }
  const Submission& only(const std::vector<Submission>& all, const std::string& id) {
    for (const Submission& s : all)
      if (s.id == id) return s;
    ADD_FAILURE() << "no submission " << id;
    static Submission none;
    return none;
  }
  fs::path dir_, subs_;
  const std::string pcap = "\xd4\xc3\xb2\xa1 rest of the capture";
};

TEST_F(WriteupDiscovery, AStudentsFolderGivesCaptureAndWriteup) {
  write(subs_ / "alice/LEARN.pcap", pcap);
  write(subs_ / "alice/writeup.md", "### Packet 1");
  write(subs_ / "bob/LEARN.txt", pcap);  // a capture by its bytes, not a write-up
  write(subs_ / "bob/answers.txt", "Packet 1: SYN");
  write(subs_ / "carol/LEARN.pcap", pcap);
  write(subs_ / "carol/a.md", "x");
  write(subs_ / "carol/b.txt", "y");
  write(subs_ / "dave/LEARN.pcap", pcap);
  write(subs_ / "dave/notes.pdf", "not a write-up");
  std::vector<Submission> all = find_submissions(subs_.string());
  ASSERT_EQ(all.size(), 4u);
  const Submission& alice = only(all, "alice");
  EXPECT_EQ(fs::path(alice.file).filename(), "LEARN.pcap");
  EXPECT_EQ(fs::path(alice.writeup_file).filename(), "writeup.md");
  EXPECT_EQ(alice.writeup_relative, "alice/writeup.md");
  EXPECT_EQ(alice.writeup_problem, "");
  const Submission& bob = only(all, "bob");
  EXPECT_EQ(fs::path(bob.file).filename(), "LEARN.txt");
  EXPECT_EQ(fs::path(bob.writeup_file).filename(), "answers.txt");
  const Submission& carol = only(all, "carol");
  EXPECT_EQ(carol.problem, "");
  EXPECT_EQ(carol.writeup_file, "");
  EXPECT_EQ(carol.writeup_problem, "2 write-ups in the folder (a.md, b.txt); hand in one");
  const Submission& dave = only(all, "dave");
  EXPECT_EQ(dave.writeup_file, "");
  EXPECT_EQ(dave.writeup_problem, "");
}

// A folder holding only a text file has it graded as the capture (its report says it is none),
// as before write-ups: it is not also the write-up.
TEST_F(WriteupDiscovery, TheOnlyFileIsTheCaptureNotAlsoTheWriteup) {
  write(subs_ / "erin/essay.txt", "words");
  Submission s = find_folder_submission((subs_ / "erin").string());
  EXPECT_EQ(fs::path(s.file).filename(), "essay.txt");
  EXPECT_EQ(s.writeup_file, "");
}

TEST_F(WriteupDiscovery, AFlatFolderPairsIdMdWithIdPcap) {
  write(subs_ / "alice.pcap", pcap);
  write(subs_ / "alice.md", "### Packet 1");
  write(subs_ / "bob.pcapng", pcap);
  write(subs_ / "bob.txt", "x");
  write(subs_ / "bob.markdown", "y");
  write(subs_ / "eve.txt", "an essay, no capture");  // a student of its own, as before
  std::vector<Submission> all = find_submissions(subs_.string());
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(fs::path(only(all, "alice").writeup_file).filename(), "alice.md");
  EXPECT_EQ(only(all, "alice").writeup_relative, "alice.md");
  EXPECT_EQ(only(all, "bob").writeup_problem,
            "2 write-ups in the folder (bob.markdown, bob.txt); hand in one");
  const Submission& eve = only(all, "eve");
  EXPECT_EQ(fs::path(eve.file).filename(), "eve.txt");
  EXPECT_EQ(eve.writeup_file, "");
}

TEST_F(WriteupDiscovery, ARosterColumnNamesTheWriteup) {
  write(subs_ / "a.pcap", pcap);
  write(subs_ / "a-notes.md", "x");
  write(dir_ / "outside.md", "secret");
  fs::create_symlink(dir_ / "outside.md", subs_ / "link.md");
  write(subs_ / "roster.csv",
        "id,file,Write-up\nalice,a.pcap,a-notes.md\nbob,a.pcap,../outside.md\n"
        "carol,a.pcap,\ndave,a.pcap,link.md\n");
  std::vector<Submission> all = find_submissions((subs_ / "roster.csv").string());
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(only(all, "alice").writeup_relative, "a-notes.md");
  EXPECT_EQ(only(all, "alice").writeup_problem, "");
  EXPECT_EQ(only(all, "bob").writeup_problem,
            "the roster's write-up path leaves the submissions folder: not read");
  EXPECT_EQ(only(all, "carol").writeup_file, "");
  EXPECT_EQ(only(all, "dave").writeup_problem,
            "a symlink that leads outside the submissions folder: not followed");
}

// The write-up is opened as a capture is: from the folder down, no symlink followed.
TEST_F(WriteupDiscovery, TheWriteupIsOpenedSafely) {
  write(subs_ / "alice/LEARN.pcap", pcap);
  write(subs_ / "alice/writeup.md", "### Packet 1");
  Submission s = find_submissions(subs_.string())[0];
  fs::remove(subs_ / "alice/writeup.md");
  write(dir_ / "secret.md", "secret");
  fs::create_symlink(dir_ / "secret.md", subs_ / "alice/writeup.md");
  std::string problem;
  EXPECT_EQ(open_submission(writeup_submission(s), {}, problem), -1);
  EXPECT_EQ(problem, "the submission changed while grading (a symlink appeared): not read");
}

}  // namespace
}  // namespace tcpgrade
