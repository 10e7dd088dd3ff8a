#include "cluster/nats_server.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <chrono>
#include <fstream>
#include <thread>

#include "cluster/nats_connection.h"
#include "common/private_files.h"

namespace facetag::cluster {
namespace {

// JSON-style string for the config file.
std::string Quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// The store holds every job (photo paths) and result (face descriptors): the folder and the
// store are the owner's alone. Both are facetag's own, so an existing one is made private too,
// and what an older facetag let nats-server create group/world-readable loses those bits.
Status MakePrivateStore(const NatsServerOptions& o) {
  const auto store = o.dir / "store";
  FACETAG_RETURN_IF_ERROR(CreatePrivateDirectories(store));
  for (const auto& dir : {o.dir, store}) {
    if (::chmod(dir.c_str(), 0700) != 0) return IoError("cannot make " + dir.string() + " private");
  }
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(store, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) == 0 && !S_ISLNK(st.st_mode) && (st.st_mode & 077) != 0)
      ::chmod(it->path().c_str(), st.st_mode & 0700);
  }
  if (ec) return IoError("cannot read " + store.string() + ": " + ec.message());
  return Status::Ok();
}

Status WriteConfig(const NatsServerOptions& o, const std::filesystem::path& file) {
  FACETAG_RETURN_IF_ERROR(MakePrivateStore(o));
  // The token is a secret: the file is readable by its owner only.
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return IoError("cannot write " + file.string());
  ::fchmod(fd, 0600);
  ::close(fd);
  std::ofstream out(file, std::ios::trunc);
  out << "listen: " << Quoted(o.host + ":" + std::to_string(o.port)) << "\n"
      << "jetstream {\n  store_dir: " << Quoted((o.dir / "store").string()) << "\n}\n"
      << "authorization {\n  token: " << Quoted(o.token) << "\n}\n"
      << "max_payload: 8MB\n";
  if (!out) return IoError("cannot write " + file.string());
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<NatsServer>> NatsServer::Start(const NatsServerOptions& o) {
  if (o.token.empty()) return InvalidArgument("the nats-server needs a token");
  const auto config = o.dir / "nats.conf";
  FACETAG_RETURN_IF_ERROR(WriteConfig(o, config));
  const auto log = o.dir / "nats-server.log";
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return IoError("fork failed");
  if (pid == 0) {
#ifdef __linux__
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(1);
#endif
    // nats-server creates its store with 0750/0640 modes: the umask keeps them private.
    ::umask(077);
    const int null_fd = ::open("/dev/null", O_RDONLY);
    const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    ::dup2(null_fd, 0);
    if (log_fd >= 0) {
      ::dup2(log_fd, 1);
      ::dup2(log_fd, 2);
    }
    ::execlp("nats-server", "nats-server", "-c", config.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  const std::string host = o.host == "0.0.0.0" ? "127.0.0.1" : o.host;
  std::unique_ptr<NatsServer> server(new NatsServer(pid, "nats://" + host + ":" + std::to_string(o.port)));
  // Ready when a client with the token gets in (JetStream is up by then).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  Status last;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      server->pid_ = 0;
      return IoError("nats-server exited at start (is it installed, is port " + std::to_string(o.port) +
                     " free?); see " + log.string());
    }
    natsConnection* nc = nullptr;
    natsOptions* opts = nullptr;
    natsOptions_Create(&opts);
    natsOptions_SetURL(opts, server->url().c_str());
    natsOptions_SetToken(opts, o.token.c_str());
    natsOptions_SetTimeout(opts, 500);
    const natsStatus s = natsConnection_Connect(&nc, opts);
    natsOptions_Destroy(opts);
    if (s == NATS_OK) {
      natsConnection_Destroy(nc);
      return server;
    }
    last = NatsStatus(s, "connect");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return IoError("nats-server did not become ready: " + last.ToString() + "; see " + log.string());
}

NatsServer::~NatsServer() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  for (int i = 0; i < 100; ++i) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
}

}  // namespace facetag::cluster
