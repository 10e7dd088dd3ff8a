// `facetag review` and `facetag undo` as a user runs them, answers piped into standard input,
// over a catalog built through the library (no models needed).
#include <nlohmann/json.hpp>

#include "catalog/catalog_fixture.h"
#include "support/run_process.h"

namespace facetag::testing {
namespace {

class ReviewCommand : public CatalogTest {
 protected:
  // Amy named (3 faces), Amy again as an unnamed group (2), a stranger's group (3), a lone face.
  void SetUp() override {
    CatalogTest::SetUp();
    int photo = 0;
    auto face = [&](int identity, int variant) {
      ++photo;
      return FaceIds(AddPhotoFace(photo, identity, variant)).at(0);
    };
    const std::vector<int64_t> amy = {face(1, 1), face(1, 2), face(1, 3)};
    const std::vector<int64_t> split = {face(1, 4), face(1, 5)};
    const std::vector<int64_t> stranger = {face(3, 1), face(3, 2), face(3, 3)};
    lone_ = face(4, 1);
    const auto ids = MakePersons({amy, split, stranger});
    amy_ = ids[0], split_ = ids[1], stranger_ = ids[2];
    ASSERT_TRUE(catalog().NamePerson(amy_, "Amy").ok());
    catalog_.reset();  // the command opens the file itself
  }

  int64_t AddPhotoFace(int photo, int identity, int variant) {
    auto out =
        catalog().AddPhotoResult(MakePhoto("/lib/" + std::to_string(photo) + ".jpg", std::to_string(photo)),
                                 {MakeFace(MakeEmbedding(identity, variant))});
    EXPECT_TRUE(out.ok());
    return out->photo_id;
  }

  ProcessResult Facetag(std::vector<std::string> args, const std::string* input = nullptr) {
    args.insert(args.begin(), FACETAG_CLI_PATH);
    args.push_back("--db");
    args.push_back(db_path().string());
    return RunProcessWithInput(args, input);
  }
  ProcessResult Review(const std::string& answers) { return Facetag({"review"}, &answers); }
  nlohmann::json Queue() {
    const auto r = Facetag({"review", "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out, nullptr, false);
  }
  std::unique_ptr<Catalog> Reopen() {
    auto opened = Catalog::Open(db_path());
    EXPECT_TRUE(opened.ok());
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  int64_t amy_ = 0, split_ = 0, stranger_ = 0, lone_ = 0;
};

TEST_F(ReviewCommand, JsonListsTheQueueInOrderWithSuggestions) {
  const auto q = Queue();
  ASSERT_TRUE(q.is_array()) << q;
  ASSERT_EQ(q.size(), 3u);
  EXPECT_EQ(q[0]["person"], stranger_);
  EXPECT_EQ(q[1]["person"], split_);
  EXPECT_EQ(q[1]["suggestions"][0]["name"], "Amy");
  EXPECT_LT(q[1]["suggestions"][0]["distance"].get<double>(), 0.6);
  EXPECT_EQ(q[2]["kind"], "face");
  EXPECT_EQ(q[2]["face"], lone_);
  EXPECT_EQ(q[2]["sample_path"], "/lib/9.jpg");
}

TEST_F(ReviewCommand, NamesTheWholeLibraryFromPipedAnswers) {
  // The stranger's group: a new name. Amy's split: the suggestion (Enter). The lone face: a name
  // someone has, in other letters, then "yes, the same person".
  const auto r = Review("Stuart\n\namy\ny\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Who is this? a group of 3 faces"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1) Amy (person " + std::to_string(amy_) + ", distance 0."), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("called that already. Same person?"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("everyone is named"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("named 3, not faces 0, skipped 0, undone 0; 0 items left to name"), std::string::npos)
      << r.out;
  auto c = Reopen();
  EXPECT_EQ(c->GetPerson(stranger_)->name, "Stuart");
  EXPECT_EQ(c->GetPerson(split_).status().code(), ErrorCode::kNotFound) << "merged into Amy";
  EXPECT_EQ(c->GetFace(lone_)->person_id, amy_);
  EXPECT_EQ(c->FindPersonsByName("amy")->size(), 1u) << "no second Amy";
}

TEST_F(ReviewCommand, SkipNotAFaceUndoAndQuit) {
  // Skip the group, dismiss Amy's split (hidden), undo that, then quit.
  const auto r = Review("s\nx\nu\nq\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("hidden"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("undid: hid person " + std::to_string(split_)), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("named 0, not faces 1, skipped 1, undone 1; 3 items left"), std::string::npos)
      << r.out;
  EXPECT_FALSE(Reopen()->GetPerson(split_)->hidden);
  // The end of input ends the review: nothing is changed by a closed pipe.
  const auto eof = Review("");
  EXPECT_EQ(eof.exit_code, 0) << eof.err;
  EXPECT_EQ(Queue().size(), 3u);
}

TEST_F(ReviewCommand, MergeSuggestions) {
  const auto r = Facetag({"review", "--merges"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Amy (3 faces) and person " + std::to_string(split_) + " (2 faces)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("facetag merge " + std::to_string(amy_) + " " + std::to_string(split_)),
            std::string::npos);
  const auto j = nlohmann::json::parse(Facetag({"review", "--merges", "--json"}).out, nullptr, false);
  ASSERT_EQ(j.size(), 1u) << j;
  EXPECT_EQ(j[0]["keep"], amy_);
  EXPECT_EQ(j[0]["other"], split_);
  const auto different = Facetag({"review", "--different", "amy", std::to_string(split_)});
  ASSERT_EQ(different.exit_code, 0) << different.err;
  EXPECT_EQ(different.out, "Amy and person " + std::to_string(split_) + " are different people\n");
  EXPECT_EQ(Facetag({"review", "--merges"}).out, "no merge suggestions\n");
}

TEST_F(ReviewCommand, UndoTakesBackTheLastCorrectionsAndSaysWhenThereIsNone) {
  ASSERT_EQ(Facetag({"merge", std::to_string(amy_), std::to_string(split_)}).exit_code, 0);
  const auto list = Facetag({"undo", "--list"});
  EXPECT_EQ(list.out, "merged person " + std::to_string(split_) + " into person " + std::to_string(amy_) +
                          "\nnamed person " + std::to_string(amy_) + " \"Amy\"\n");
  auto undo = Facetag({"undo"});
  ASSERT_EQ(undo.exit_code, 0) << undo.err;
  EXPECT_EQ(undo.out,
            "undid: merged person " + std::to_string(split_) + " into person " + std::to_string(amy_) + "\n");
  EXPECT_EQ(Reopen()->GetPerson(split_)->id, split_) << "the merged person is back, with its id";
  ASSERT_EQ(Facetag({"undo"}).exit_code, 0);
  const auto none = Facetag({"undo"});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_EQ(none.err, "facetag: nothing to undo: only the last 10 corrections are kept, and none is left\n");
}

}  // namespace
}  // namespace facetag::testing
