// A child process a test starts and then watches, kills or waits for (RunProcess waits at once).
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace facetag::testing {

class ChildProcess {
 public:
  struct Exit {
    int code = -1;  // -1 when ended by a signal
    int signal = 0;
  };

  // Starts argv (argv[0] a path), output discarded, standard input /dev/null.
  explicit ChildProcess(const std::vector<std::string>& argv) {
    pid_ = ::fork();
    if (pid_ == 0) {
      const int null_fd = ::open("/dev/null", O_RDWR);
      ::dup2(null_fd, 0);
      ::dup2(null_fd, 1);
      ::dup2(null_fd, 2);
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
  }
  ~ChildProcess() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      Wait();
    }
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool Running() {
    if (reaped_) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) Reap(status);
    return !reaped_;
  }
  void Kill(int sig = SIGKILL) {
    if (!reaped_) ::kill(pid_, sig);
  }
  Exit Wait() {
    if (!reaped_) {
      int status = 0;
      ::waitpid(pid_, &status, 0);
      Reap(status);
    }
    return exit_;
  }

 private:
  void Reap(int status) {
    reaped_ = true;
    if (WIFEXITED(status)) exit_.code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) exit_.signal = WTERMSIG(status);
  }

  pid_t pid_ = -1;
  bool reaped_ = false;
  Exit exit_;
};

// A loopback port nobody listens on right now, for programs that cannot be told port 0.
inline int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// `argv` run with stdout and stderr appended to `log` (exec: a kill reaches the program itself).
inline std::unique_ptr<ChildProcess> StartLogged(const std::vector<std::string>& argv,
                                                 const std::filesystem::path& log,
                                                 const std::string& prefix = "exec") {
  std::string cmd = prefix;
  for (const auto& a : argv) cmd += " '" + a + "'";
  cmd += " >>'" + log.string() + "' 2>&1";
  return std::make_unique<ChildProcess>(std::vector<std::string>{"/bin/sh", "-c", cmd});
}

}  // namespace facetag::testing
