#include "support/openai_test_server.h"

#include <openssl/evp.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <list>

namespace facetag::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using json = nlohmann::json;

struct OpenAiTestServer::Impl {
  ServerExpectations expect;
  Handler handler;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::thread accept_thread;
  mutable std::mutex mu;
  std::vector<SeenRequest> seen;
  std::vector<std::string> errors;
  std::list<std::thread> connections;
  std::list<std::shared_ptr<tcp::socket>> sockets;
  std::atomic<bool> closing{false};

  // What a strict server would refuse, or "" when the request has the right shape.
  std::string ShapeError(SeenRequest& r) const {
    if (r.method != "POST") return "method " + r.method;
    if (r.target != "/v1/chat/completions") return "path " + r.target;
    if (r.content_type.rfind("application/json", 0) != 0) return "content type " + r.content_type;
    if (!expect.api_key.empty() && r.authorization != "Bearer " + expect.api_key)
      return "no or wrong API key";
    if (expect.api_key.empty() && !r.authorization.empty()) return "an Authorization header nobody asked for";
    const json& j = r.json;
    if (!j.is_object()) return "body is not a JSON object";
    if (!j.contains("model") || j["model"] != expect.model) return "model is not " + expect.model;
    if (!j.contains("messages") || !j["messages"].is_array() || j["messages"].size() != 2)
      return "messages is not [system, user]";
    const json& system = j["messages"][0];
    const json& user = j["messages"][1];
    if (system.value("role", "") != "system" || !system.contains("content") || !system["content"].is_string())
      return "no system message";
    if (user.value("role", "") != "user" || !user.contains("content")) return "no user message";
    const json& content = user["content"];
    if (content.is_string()) {
      r.text = content.get<std::string>();
      if (expect.image) return "no image part";
    } else if (content.is_array()) {
      for (const json& part : content) {
        const std::string type = part.value("type", "");
        if (type == "text" && part.contains("text") && part["text"].is_string()) {
          r.text = part["text"].get<std::string>();
        } else if (type == "image_url" && part.contains("image_url") && part["image_url"].contains("url")) {
          const std::string url = part["image_url"]["url"].get<std::string>();
          static const std::string kPrefix = "data:image/jpeg;base64,";
          if (url.rfind(kPrefix, 0) != 0) return "image is not a JPEG data URL";
          const std::string b64 = url.substr(kPrefix.size());
          std::string raw(b64.size() / 4 * 3 + 3, '\0');
          const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(raw.data()),
                                        reinterpret_cast<const unsigned char*>(b64.data()),
                                        static_cast<int>(b64.size()));
          if (n < 0) return "image is not base64";
          raw.resize(static_cast<size_t>(n));
          r.image_jpeg = raw;
        } else {
          return "unknown content part";
        }
      }
      if (r.text.empty()) return "no text part";
      if (expect.image != !r.image_jpeg.empty()) return expect.image ? "no image part" : "an image part";
    } else {
      return "user content is neither text nor parts";
    }
    if (expect.response_format) {
      if (!j.contains("response_format")) return "no response_format";
      const json& rf = j["response_format"];
      if (rf.value("type", "") != "json_schema" || !rf.contains("json_schema") ||
          !rf["json_schema"].contains("schema"))
        return "response_format is not a json_schema";
      const json& schema = rf["json_schema"]["schema"];
      if (schema.value("type", "") != "object" || !schema.contains("properties") ||
          schema["properties"]["caption"].value("type", "") != "string" ||
          schema["properties"]["tags"].value("type", "") != "array" ||
          schema["required"] != json::array({"caption", "tags"}))
        return "response_format's schema is not {caption: string, tags: [string]}";
    } else if (j.contains("response_format")) {
      return "response_format is not supported by this server";
    }
    return "";
  }

  void Serve(std::shared_ptr<tcp::socket> socket) {
    boost::beast::flat_buffer buffer;
    boost::system::error_code ec;
    while (!closing.load()) {
      http::request<http::string_body> req;
      http::read(*socket, buffer, req, ec);
      if (ec) return;
      SeenRequest r;
      r.method = std::string(req.method_string());
      r.target = std::string(req.target());
      r.content_type = std::string(req[http::field::content_type]);
      r.authorization = std::string(req[http::field::authorization]);
      r.body = req.body();
      r.json = json::parse(r.body, nullptr, false);
      const std::string error = ShapeError(r);
      FakeReply reply;
      if (!error.empty()) {
        reply.status = 400;
        reply.body = json{{"error", {{"message", error}, {"type", "invalid_request_error"}}}}.dump();
        std::lock_guard lock(mu);
        errors.push_back(error);
      } else {
        reply = handler(r);
      }
      {
        std::lock_guard lock(mu);
        seen.push_back(r);
      }
      const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(reply.delay_s);
      while (std::chrono::steady_clock::now() < until && !closing.load())
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      std::string head =
          "HTTP/1.1 " + std::to_string(reply.status) + " Fixture\r\nContent-Type: application/json\r\n";
      for (const auto& [k, v] : reply.headers) head += k + ": " + v + "\r\n";
      head += "Content-Length: " + std::to_string(reply.body.size()) + "\r\n\r\n";
      const bool cut = reply.cut_after != std::string::npos;
      const std::string out = head + (cut ? reply.body.substr(0, reply.cut_after) : reply.body);
      asio::write(*socket, asio::buffer(out), ec);
      if (ec || cut) {
        socket->close(ec);
        return;
      }
    }
  }
};

OpenAiTestServer::OpenAiTestServer(ServerExpectations expect, Handler handler, unsigned short port)
    : impl_(std::make_unique<Impl>()) {
  impl_->expect = std::move(expect);
  impl_->handler = std::move(handler);
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen();
  port_ = impl_->acceptor.local_endpoint().port();
  impl_->accept_thread = std::thread([impl = impl_.get()] {
    while (!impl->closing.load()) {
      auto socket = std::make_shared<tcp::socket>(impl->io);
      boost::system::error_code ec;
      impl->acceptor.accept(*socket, ec);
      if (ec || impl->closing.load()) return;
      std::lock_guard lock(impl->mu);
      impl->sockets.push_back(socket);
      impl->connections.emplace_back([impl, socket] { impl->Serve(socket); });
    }
  });
}

OpenAiTestServer::~OpenAiTestServer() {
  impl_->closing.store(true);
  boost::system::error_code ec;
  // Wakes the accept: a connection to ourselves.
  {
    tcp::socket poke(impl_->io);
    poke.connect({asio::ip::make_address("127.0.0.1"), port_}, ec);
  }
  impl_->accept_thread.join();
  impl_->acceptor.close(ec);
  {
    std::lock_guard lock(impl_->mu);
    for (auto& s : impl_->sockets) s->shutdown(tcp::socket::shutdown_both, ec);
  }
  for (auto& t : impl_->connections) t.join();
}

std::vector<SeenRequest> OpenAiTestServer::requests() const {
  std::lock_guard lock(impl_->mu);
  return impl_->seen;
}

std::vector<std::string> OpenAiTestServer::shape_errors() const {
  std::lock_guard lock(impl_->mu);
  return impl_->errors;
}

FakeReply OpenAiTestServer::Completion(const std::string& content, const std::string& finish_reason,
                                       const std::string& model) {
  FakeReply r;
  r.body = json{{"id", "chatcmpl-fixture"},
                {"object", "chat.completion"},
                {"created", 1700000000},
                {"model", model},
                {"choices",
                 {{{"index", 0},
                   {"message", {{"role", "assistant"}, {"content", content}}},
                   {"finish_reason", finish_reason}}}},
                {"usage", {{"prompt_tokens", 50}, {"completion_tokens", 20}, {"total_tokens", 70}}}}
               .dump();
  return r;
}

FakeReply OpenAiTestServer::Annotation(const std::string& caption, const std::vector<std::string>& tags,
                                       const std::string& model) {
  return Completion(json{{"caption", caption}, {"tags", tags}}.dump(), "stop", model);
}

}  // namespace facetag::testing
