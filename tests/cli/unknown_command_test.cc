// A mistyped command is named back to the user with the closest real one.
#include <gtest/gtest.h>

#include "support/run_process.h"

namespace facetag {
namespace {

using testing::RunProcess;

TEST(UnknownCommand, SuggestsClosestCommand) {
  const auto r = RunProcess({FACETAG_CLI_PATH, "peple"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("unknown command \"peple\"; did you mean \"people\"?"), std::string::npos) << r.err;
}

TEST(UnknownCommand, SuggestsClosestSubcommandOfAGroup) {
  const auto r = RunProcess({FACETAG_CLI_PATH, "apikey", "lst"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("unknown command \"lst\"; did you mean \"list\"?"), std::string::npos) << r.err;
}

TEST(UnknownCommand, KnownCommandStillParses) {
  const auto r = RunProcess({FACETAG_CLI_PATH, "people", "--help"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
}  // namespace facetag
