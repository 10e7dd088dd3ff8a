#include "support/run_process.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

namespace facetag::testing {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}

}  // namespace

ProcessResult RunProcess(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env) {
  return RunProcessWithInput(argv, nullptr, extra_env);
}

ProcessResult RunProcessWithInput(const std::vector<std::string>& argv, const std::string* input,
                                  const std::vector<std::string>& extra_env) {
  // Output goes to temporary files rather than pipes, so a chatty child can never block on a full pipe.
  char out_path[] = "/tmp/facetag-test-out-XXXXXX";
  char err_path[] = "/tmp/facetag-test-err-XXXXXX";
  const int out_fd = mkstemp(out_path), err_fd = mkstemp(err_path);
  ProcessResult r;
  int in_pipe[2] = {-1, -1};
  if (input && pipe(in_pipe) != 0) return r;
  const pid_t pid = fork();
  if (pid == 0) {
    if (input) {
      dup2(in_pipe[0], 0);
      close(in_pipe[0]);
      close(in_pipe[1]);
    } else {
      const int null_fd = open("/dev/null", O_RDONLY);
      dup2(null_fd, 0);
    }
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    for (const auto& kv : extra_env) putenv(const_cast<char*>(kv.c_str()));
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    std::perror("execv");
    _exit(127);
  }
  if (input) {
    // Written whole, then closed: the child sees end of input after it, as from `printf ... |`.
    // Inputs are small (below the pipe's buffer), so this cannot wait on a child that reads late.
    close(in_pipe[0]);
    std::signal(SIGPIPE, SIG_IGN);  // a child that quits before reading it all is not our crash
    for (size_t done = 0; done < input->size();) {
      const ssize_t n = write(in_pipe[1], input->data() + done, input->size() - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    close(in_pipe[1]);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  close(out_fd);
  close(err_fd);
  r.out = Slurp(out_path);
  r.err = Slurp(err_path);
  std::remove(out_path);
  std::remove(err_path);
  r.max_rss_kb = usage.ru_maxrss;
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  return r;
}

}  // namespace facetag::testing
