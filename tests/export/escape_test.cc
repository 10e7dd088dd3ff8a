// The text the exports write: valid UTF-8, RFC 4180 fields, Cypher literals, exact floats.
#include "export/escape.h"

#include <gtest/gtest.h>

namespace facetag::export_internal {
namespace {

TEST(ExportEscape, InvalidUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(ValidUtf8("plain"), "plain");
  EXPECT_EQ(ValidUtf8("Zo\xC3\xAB \xF0\x9F\x99\x82"), "Zo\xC3\xAB \xF0\x9F\x99\x82");
  EXPECT_EQ(ValidUtf8("a\xFF"
                      "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(ValidUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong '/'
  EXPECT_EQ(ValidUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  EXPECT_EQ(ValidUtf8("cut \xE2\x82"), "cut \xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(ExportEscape, CsvFieldsAreQuotedOnlyWhenNeeded) {
  EXPECT_EQ(CsvField("Bob"), "Bob");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("Smith, Bob"), "\"Smith, Bob\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField("cr\r"), "\"cr\r\"");
  EXPECT_EQ(CsvField(" padded "), "\" padded \"");
  EXPECT_EQ(CsvField("Zo\xC3\xAB"), "Zo\xC3\xAB");
}

TEST(ExportEscape, CypherStringsEscapeQuotesBackslashesControlsAndNonAscii) {
  EXPECT_EQ(CypherString("Bob"), "'Bob'");
  EXPECT_EQ(CypherString("O'Brien"), "'O\\'Brien'");
  EXPECT_EQ(CypherString("C:\\photos"), "'C:\\\\photos'");
  EXPECT_EQ(CypherString("a\nb\r\tc"), "'a\\nb\\r\\tc'");
  EXPECT_EQ(CypherString(std::string("nul\0x", 5)), "'nul\\u0000x'");
  EXPECT_EQ(CypherString("\"double\""), "'\"double\"'");
  EXPECT_EQ(CypherString("Zo\xC3\xAB"), "'Zo\\u00EB'");
  EXPECT_EQ(CypherString("\xF0\x9F\x99\x82"), "'\\U0001F642'");
  EXPECT_EQ(CypherString("bad\xFF"), "'bad\\uFFFD'");
}

TEST(ExportEscape, FloatsAreShortAndExact) {
  EXPECT_EQ(FormatFloat(10.f), "10");
  EXPECT_EQ(FormatFloat(0.9f), "0.9");
  EXPECT_EQ(FormatFloat(1003.9882f), "1003.9882");
  EXPECT_EQ(std::stof(FormatFloat(0.98876905f)), 0.98876905f);
}

}  // namespace
}  // namespace facetag::export_internal
