#include "service/http_server.h"

#include <dirent.h>
#include <sys/resource.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <list>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "service/api_error.h"

namespace facetag::service {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

int FromHex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && FromHex(s[i + 1]) >= 0 && FromHex(s[i + 2]) >= 0) {
      out += static_cast<char>(FromHex(s[i + 1]) * 16 + FromHex(s[i + 2]));
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

void ConfigureParser(http::request_parser<http::string_body>& parser, const HttpServerOptions& options) {
  parser.header_limit(static_cast<uint32_t>(options.max_header_bytes));
  parser.body_limit(static_cast<uint64_t>(options.max_body_bytes));
}

// What the handlers see of a parsed request: path and query split and percent-decoded, header
// names in lower case.
HttpRequest ToRequest(http::request<http::string_body>& msg) {
  HttpRequest request;
  request.method = std::string(msg.method_string());
  const auto raw_target = msg.target();
  const std::string_view target(raw_target.data(), raw_target.size());
  const size_t q = target.find('?');
  request.path = PercentDecode(target.substr(0, q));
  if (q != std::string_view::npos) {
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
      const size_t amp = std::min(rest.find('&'), rest.size());
      const std::string_view pair = rest.substr(0, amp);
      const size_t eq = pair.find('=');
      request.query.emplace(PercentDecode(pair.substr(0, eq)), eq == std::string_view::npos
                                                                   ? std::string()
                                                                   : PercentDecode(pair.substr(eq + 1)));
      rest.remove_prefix(std::min(amp + 1, rest.size()));
    }
  }
  for (const auto& field : msg)
    request.headers[Lower(std::string_view(field.name_string().data(), field.name_string().size()))] =
        std::string(field.value());
  request.body = std::move(msg.body());
  return request;
}

class Session;

// The open connections, oldest first, so that the oldest idle one can be closed when a new
// connection needs its file descriptor.
class Connections {
 public:
  using Handle = std::list<std::weak_ptr<Session>>::iterator;
  Handle Add(const std::shared_ptr<Session>& session) {
    std::lock_guard lock(mu_);
    return sessions_.insert(sessions_.end(), session);
  }
  void Remove(Handle handle) {
    std::lock_guard lock(mu_);
    sessions_.erase(handle);
  }
  size_t size() {
    std::lock_guard lock(mu_);
    return sessions_.size();
  }
  // Closes the oldest connection that waits for a request; false when none does.
  bool CloseOldestIdle();

 private:
  std::mutex mu_;
  std::list<std::weak_ptr<Session>> sessions_;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const HttpServerOptions& options,
          const std::function<void(HttpRequest&, Respond)>& dispatch, Connections& connections)
      : stream_(std::move(socket)), options_(options), dispatch_(dispatch), connections_(connections) {}
  ~Session() {
    if (registered_) connections_.Remove(handle_);
  }

  void Start() {
    handle_ = connections_.Add(shared_from_this());
    registered_ = true;
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
  }

  // Waiting for a request (a fresh or keep-alive connection, or one sending its header slowly).
  bool idle() const { return idle_ && !evicting_; }
  // Closes the connection if it is still idle (on its own strand).
  void CloseIfIdle() {
    evicting_ = true;  // not picked again while the close is on its way
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) {
        self->Close();
      } else {
        self->evicting_ = false;
      }
    });
  }

 private:
  void ReadHeader() {
    parser_.emplace();
    ConfigureParser(*parser_, options_);
    stream_.expires_after(std::chrono::seconds(options_.idle_timeout_s));
    idle_ = true;
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    idle_ = false;
    if (ec == http::error::body_limit)
      return Reject(413, "payload_too_large", "the request body is too large");
    if (ec == http::error::header_limit)
      return Reject(
          431, "header_too_large",
          "the request header is larger than " + std::to_string(options_.max_header_bytes) + " bytes");
    if (ec) return Close();
    const auto length = parser_->content_length();
    if (length && *length > static_cast<uint64_t>(options_.max_body_bytes)) {
      return Reject(
          413, "payload_too_large",
          "the request body is too large (limit " + std::to_string(options_.max_body_bytes) + " bytes)");
    }
    // A client that asked whether to send its body (curl does for uploads over 1 KB) is told to
    // go on, instead of waiting out its own timeout (a second per request for curl).
    if (beast::iequals(parser_->get()[http::field::expect], "100-continue") && !parser_->is_done()) {
      auto go_on = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
      return http::async_write(stream_, *go_on,
                               [self = shared_from_this(), go_on](beast::error_code e, size_t) {
                                 if (e) return self->Close();
                                 self->ReadBody();
                               });
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code e, size_t) { self->OnRead(e); });
  }

  void OnRead(beast::error_code ec) {
    if (ec == http::error::body_limit)
      return Reject(413, "payload_too_large", "the request body is too large");
    if (ec) return Close();
    stream_.expires_never();
    auto& msg = parser_->get();
    keep_alive_ = msg.keep_alive();
    HttpRequest request = ToRequest(msg);
    boost::system::error_code endpoint_ec;
    const auto peer = stream_.socket().remote_endpoint(endpoint_ec);
    request.loopback_peer = !endpoint_ec && peer.address().is_loopback();
    head_only_ = request.method == "HEAD";
    dispatch_(request, [self = shared_from_this()](HttpResponse response) {
      asio::post(self->stream_.get_executor(),
                 [self, response = std::move(response)]() mutable { self->Write(std::move(response)); });
    });
  }

  void Reject(int status, const std::string& code, const std::string& message) {
    keep_alive_ = false;
    lingering_ = true;
    Write(ErrorResponse(status, code, message));
  }

  // After refusing a request whose body is still arriving: stop sending, and read (and drop) a
  // bounded amount of what the client still sends before closing, so that the kernel does not
  // reset the connection and destroy the answer before the client reads it.
  void Linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(std::chrono::seconds(2));
    scratch_.resize(64 * 1024);
    DrainSome();
  }

  void DrainSome() {
    stream_.async_read_some(asio::buffer(scratch_),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > kMaxDrainBytes) return self->stream_.close();
                              self->DrainSome();
                            });
  }

  void Write(HttpResponse response) {
    if (response.delay_ms > 0) {
      auto timer = std::make_shared<asio::steady_timer>(stream_.get_executor());
      timer->expires_after(std::chrono::milliseconds(response.delay_ms));
      response.delay_ms = 0;
      timer->async_wait([self = shared_from_this(), timer, response = std::move(response)](
                            beast::error_code) mutable { self->Write(std::move(response)); });
      return;
    }
    auto res = std::make_shared<http::response<http::string_body>>();
    res->version(11);
    res->result(static_cast<unsigned>(response.status));
    res->set(http::field::server, "facetag");
    res->set(http::field::content_type, response.content_type);
    for (const auto& [k, v] : response.headers) res->set(k, v);
    res->keep_alive(keep_alive_);
    res->body() = std::move(response.body);
    res->prepare_payload();
    if (head_only_) res->body().clear();
    stream_.expires_after(std::chrono::seconds(options_.idle_timeout_s));
    http::async_write(stream_, *res, [self = shared_from_this(), res](beast::error_code ec, size_t) {
      if (!ec && self->lingering_) return self->Linger();
      if (ec || !self->keep_alive_) return self->Close();
      self->ReadHeader();
    });
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  const HttpServerOptions& options_;
  const std::function<void(HttpRequest&, Respond)>& dispatch_;
  Connections& connections_;
  Connections::Handle handle_;
  bool registered_ = false;
  std::atomic<bool> idle_{false}, evicting_{false};
  bool keep_alive_ = true;
  bool head_only_ = false;
  bool lingering_ = false;
  static constexpr size_t kMaxDrainBytes = 16 << 20;
  std::vector<char> scratch_;
  size_t drained_ = 0;
};

bool Connections::CloseOldestIdle() {
  // The sessions locked here may be the last owners of theirs, and a session's destructor
  // takes mu_: they are released only after the lock is.
  std::vector<std::shared_ptr<Session>> seen;
  {
    std::lock_guard lock(mu_);
    for (auto& weak : sessions_) {
      seen.push_back(weak.lock());
      if (seen.back() && seen.back()->idle()) break;
    }
  }
  if (seen.empty() || !seen.back() || !seen.back()->idle()) return false;
  seen.back()->CloseIfIdle();
  return true;
}

// Open file descriptors of this process now.
int OpenFileDescriptors() {
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return 64;  // no /proc: assume a typical server's
  int n = 0;
  while (::readdir(dir) != nullptr) ++n;
  ::closedir(dir);
  return n - 2;  // "." and ".."
}

// The connection cap: what was asked for, but leaving file descriptors for everything else the
// server opens (catalog files, photos being read, uploads, engines' files): a cap above the
// open-files limit would only move the failure from a clear 503 to an accept() that fails.
int ConnectionCap(int asked) {
  // Servers may raise their soft limit to the hard one; most distributions' soft 1024 is a
  // relic of select(), which Asio does not use.
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
  }
  constexpr int kReserve = 32;
  const int want = asked > 0 ? asked : 4096;
  if (limit.rlim_cur == RLIM_INFINITY) return want;
  const long room = static_cast<long>(limit.rlim_cur) - OpenFileDescriptors() - kReserve;
  return static_cast<int>(std::min<long>(want, std::max<long>(room, 4)));
}

// Said to a connection over the cap, which is then closed.
const std::string& TooManyConnections() {
  static const std::string answer = [] {
    const std::string body =
        R"({"error":{"code":"overloaded","message":"too many connections; retry later"}})";
    return "HTTP/1.1 503 Service Unavailable\r\nServer: facetag\r\nContent-Type: application/json\r\n"
           "Retry-After: 1\r\nConnection: close\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
  }();
  return answer;
}

}  // namespace

struct HttpServer::Impl {
  HttpServerOptions options;
  std::function<void(HttpRequest&, Respond)> dispatch;
  int max_connections = 0;
  Connections connections;  // before io: sessions (destroyed with io) remove themselves from it
  asio::io_context io;
  tcp::acceptor acceptor{io};
  asio::steady_timer backoff{io};
  std::chrono::milliseconds backoff_delay{0};
  std::vector<std::thread> threads;

  void Accept() {
    acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted) return;
      if (ec == asio::error::no_descriptors || ec.value() == ENFILE || ec == asio::error::no_buffer_space ||
          ec == asio::error::no_memory) {
        // Out of file descriptors: accepting again at once fails again at once (a busy loop
        // that starves the connections being served). Make room and wait before retrying,
        // longer while it lasts.
        // Closing an idle connection frees a descriptor at once: retry soon. With none to close,
        // wait longer each time (up to a second) until some connection ends.
        if (connections.CloseOldestIdle()) {
          backoff_delay = std::chrono::milliseconds(5);
        } else {
          backoff_delay =
              std::clamp(backoff_delay * 2, std::chrono::milliseconds(10), std::chrono::milliseconds(1000));
        }
        backoff.expires_after(backoff_delay);
        return backoff.async_wait([this](beast::error_code e) {
          if (!e) Accept();
        });
      }
      backoff_delay = std::chrono::milliseconds(0);
      if (!ec) {
        if (static_cast<int>(connections.size()) >= max_connections && !connections.CloseOldestIdle()) {
          // Every connection is busy with a request: a clear refusal, then close.
          socket.non_blocking(true, ec);
          socket.write_some(asio::buffer(TooManyConnections()), ec);
          socket.shutdown(tcp::socket::shutdown_both, ec);
          socket.close(ec);
        } else {
          socket.set_option(tcp::no_delay(true), ec);
          std::make_shared<Session>(std::move(socket), options, dispatch, connections)->Start();
        }
      }
      Accept();
    });
  }
};

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpServerOptions& options,
                                                      std::function<void(HttpRequest&, Respond)> dispatch) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->dispatch = std::move(dispatch);
  impl->max_connections = ConnectionCap(options.max_connections);
  boost::system::error_code ec;
  const std::string host = options.host == "localhost" ? "127.0.0.1" : options.host;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) return InvalidArgument("not an IP address to listen on: " + options.host);
  const tcp::endpoint endpoint(address, options.port);
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return IoError("cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " +
                   ec.message());
  impl->Accept();
  for (int i = 0; i < std::max(1, options.io_threads); ++i)
    impl->threads.emplace_back([io = &impl->io] { io->run(); });
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

Result<HttpRequest> ParseRequestBytes(std::string_view bytes, const HttpServerOptions& options) {
  http::request_parser<http::string_body> parser;
  ConfigureParser(parser, options);
  parser.eager(true);
  beast::error_code ec;
  size_t used = 0;
  while (used < bytes.size() && !parser.is_done()) {
    const size_t n = parser.put(asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    if (ec == http::error::need_more) break;
    if (ec) return InvalidArgument("bad request: " + ec.message());
    if (n == 0) break;
    used += n;
  }
  if (!parser.is_done()) {
    parser.put_eof(ec);
    if (ec || !parser.is_done()) return InvalidArgument("incomplete request");
  }
  return ToRequest(parser.get());
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { Stop(); }

uint16_t HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

int HttpServer::max_connections() const { return impl_->max_connections; }

void HttpServer::Stop() {
  if (impl_->threads.empty()) return;
  asio::post(impl_->io, [this] {
    boost::system::error_code ec;
    impl_->acceptor.close(ec);
  });
  impl_->io.stop();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
}

}  // namespace facetag::service
