// Text as the formats the exports write need it: valid UTF-8, RFC 4180 CSV fields, Cypher
// string literals, and floats that read back to the same value.
#pragma once

#include <string>
#include <string_view>

namespace facetag::export_internal {

// `text` with every byte that is not part of a well-formed UTF-8 sequence replaced by U+FFFD.
// File names are bytes on Linux; Neo4j takes only UTF-8.
std::string ValidUtf8(std::string_view text);

// One CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, a quote, a CR or
// an LF (or starts or ends with a space, which some readers would trim); else as it is. An empty
// string stays empty, which neo4j-admin reads as "no property".
std::string CsvField(std::string_view text);

// A single-quoted Cypher string literal. Quotes, backslashes and control characters are
// escaped, and so is everything outside ASCII (\uXXXX, \UXXXXXXXX), so that the script means
// the same whatever character set cypher-shell's JVM reads it in.
std::string CypherString(std::string_view text);

// The shortest decimal that reads back to the same float ("12.5", "0.99734").
std::string FormatFloat(float value);

}  // namespace facetag::export_internal
