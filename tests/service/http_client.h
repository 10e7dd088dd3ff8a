// A small blocking HTTP/1.1 client (Boost.Beast) for the service tests: one connection per
// request unless a Connection is kept.
#pragma once

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <map>
#include <string>

namespace facetag::testing {

struct HttpAnswer {
  int status = 0;  // 0: the connection failed
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
};

inline HttpAnswer HttpFetch(uint16_t port, const std::string& method, const std::string& target,
                            const std::string& body = {}, const std::string& content_type = {},
                            const std::map<std::string, std::string>& headers = {}) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  HttpAnswer answer;
  try {
    boost::asio::io_context io;
    beast::tcp_stream stream(io);
    stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
    stream.expires_after(std::chrono::seconds(60));
    http::request<http::string_body> req(http::string_to_verb(method), target, 11);
    req.set(http::field::host, "127.0.0.1");
    if (!content_type.empty()) req.set(http::field::content_type, content_type);
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(1u << 30);
    http::read(stream, buffer, parser);
    auto& res = parser.get();
    answer.status = static_cast<int>(res.result_int());
    answer.body = res.body();
    for (const auto& f : res) {
      std::string name(f.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      answer.headers[name] = std::string(f.value());
    }
    beast::error_code ec;
    stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  } catch (const std::exception&) {
    answer.status = 0;
  }
  return answer;
}

// Sends raw bytes and returns the raw answer (until the server closes or `max` bytes).
inline std::string RawExchange(uint16_t port, const std::string& bytes, size_t max = 1 << 20) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  boost::system::error_code ec;
  socket.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port), ec);
  if (ec) return {};
  boost::asio::write(socket, boost::asio::buffer(bytes), ec);
  std::string out;
  char buf[4096];
  while (out.size() < max) {
    const size_t n = socket.read_some(boost::asio::buffer(buf), ec);
    if (ec) break;
    out.append(buf, n);
    if (out.find("\r\n\r\n") != std::string::npos && out.find("}") != std::string::npos) break;
  }
  return out;
}

// A multipart/form-data body with the given (field, bytes) parts.
inline std::string Multipart(const std::vector<std::pair<std::string, std::string>>& parts,
                             const std::string& boundary = "facetagTestBoundary") {
  std::string body;
  for (const auto& [name, bytes] : parts) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name +
            "\"; filename=\"x\"\r\n" + "Content-Type: application/octet-stream\r\n\r\n" + bytes + "\r\n";
  }
  return body + "--" + boundary + "--\r\n";
}

}  // namespace facetag::testing
