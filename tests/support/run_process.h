// Runs a program as a child process and collects what a test needs to judge it.
#pragma once

#include <string>
#include <vector>

namespace facetag::testing {

struct ProcessResult {
  int exit_code = -1;    // -1 when killed by a signal
  int signal = 0;        // the signal that ended it, if any
  std::string out, err;  // everything it printed
  long max_rss_kb = 0;   // peak resident memory of the child
};

// argv[0] is the program path. Standard input is /dev/null. Extra environment "K=V" entries
// are added to the current environment.
ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const std::vector<std::string>& extra_env = {});
// The same with `input` (when not null) on a pipe as standard input, closed after it.
ProcessResult RunProcessWithInput(const std::vector<std::string>& argv, const std::string* input,
                                  const std::vector<std::string>& extra_env = {});

}  // namespace facetag::testing
