// Issue 14: what a hostile probe of `facetag serve` found, each as a test that failed before the
// fix: requests that crashed or stalled the server, strings that broke its answers, protections
// a web page could walk around, and wrong answers. Against a real server (in-process on a
// loopback port, or a `facetag serve` child where process limits matter) over real files.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <png.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <regex>

#include "cli/child_process.h"
#include "facetag/api_keys.h"
#include "service/service_fixture.h"
#include "support/run_process.h"

namespace facetag::testing {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

// A raw loopback connection with a receive timeout, for what HttpFetch cannot send or wait for.
class RawConnection {
 public:
  explicit RawConnection(uint16_t port, int timeout_ms = 3000) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  bool connected() const { return connected_; }
  bool Send(const std::string& bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
  }
  // What arrives until `until` is seen, the peer closes, or the timeout passes.
  std::string Receive(const std::string& until) {
    std::string out;
    char buf[4096];
    while (out.find(until) == std::string::npos) {
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

// GET `target` on a fresh connection; the status, or 0 when nothing came within the timeout.
int QuickGetStatus(uint16_t port, const std::string& target, int timeout_ms) {
  RawConnection c(port, timeout_ms);
  if (!c.connected() ||
      !c.Send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))
    return 0;
  const std::string answer = c.Receive("\r\n\r\n");
  if (answer.rfind("HTTP/1.1 ", 0) != 0) return 0;
  return std::stoi(answer.substr(9, 3));
}

// JSON nested `levels` deep as the value of "name" (300 KB at 150,000 levels).
std::string NestingBomb(int levels) {
  return R"({"name":)" + std::string(static_cast<size_t>(levels), '[') +
         std::string(static_cast<size_t>(levels), ']') + "}";
}

struct TempDirForCli {
  TempDirForCli() {
    std::string pattern = (std::filesystem::temp_directory_path() / "facetag-cli-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~TempDirForCli() { std::filesystem::remove_all(path); }
  std::filesystem::path path;
};

mode_t ModeOf(const std::filesystem::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return 0;
  return st.st_mode & 0777;
}

class Hardening : public ServiceFixture {
 protected:
  HttpAnswer Send(const std::string& method, const std::string& target, const std::string& body = {},
                  const std::string& type = {}, const std::map<std::string, std::string>& headers = {}) {
    return HttpFetch(port_, method, target, body, type, headers);
  }
  // Indexes `path` through the API and waits until the index is done.
  void IndexAndWait(const std::filesystem::path& path) {
    ASSERT_EQ(PostJson("/api/v1/index", {{"path", path.string()}}).status, 202);
    const auto deadline = Clock::now() + std::chrono::seconds(120);
    while (Clock::now() < deadline) {
      const json s = Json(Get("/api/v1/index"));
      if (s.is_object() && !s["running"].get<bool>()) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << "the index did not finish";
  }
  int64_t CreatePerson(const std::string& name) {
    const auto a = PostJson("/api/v1/persons", {{"name", name}});
    EXPECT_EQ(a.status, 201) << a.body;
    return Json(a).value("id", int64_t{0});
  }
};

// Finding 1: a deeply nested body crashed the server (stack exhaustion) on every JSON route
// but /index. Now every route answers 400 and the server keeps serving.
TEST_F(Hardening, NestingBombAnswers400OnEveryJsonRoute) {
  ASSERT_TRUE(Start().ok());
  const int64_t person = CreatePerson("Ann");
  const std::string bomb = NestingBomb(150000);
  ASSERT_GT(bomb.size(), 290000u);
  const std::string p = std::to_string(person);
  for (const auto& [method, target] :
       std::vector<std::pair<std::string, std::string>>{{"PATCH", "/api/v1/persons/" + p},
                                                        {"POST", "/api/v1/persons"},
                                                        {"POST", "/api/v1/persons/" + p + "/merge"},
                                                        {"POST", "/api/v1/faces/1/move"},
                                                        {"POST", "/api/v1/faces/1/reject"},
                                                        {"POST", "/api/v1/index"}}) {
    const auto a = Send(method, target, bomb, "application/json");
    EXPECT_EQ(a.status, 400) << method << " " << target << ": " << a.body;
    EXPECT_EQ(Json(a)["error"]["code"], "bad_json") << a.body;
  }
  // Just inside the limit still works; a JSON body over the JSON size limit is refused.
  EXPECT_EQ(
      Send("POST", "/api/v1/persons",
           R"({"name":"Bo","x":)" + std::string(30, '[') + std::string(30, ']') + "}", "application/json")
          .status,
      201);
  EXPECT_EQ(Send("POST", "/api/v1/persons", R"({"name":")" + std::string(2 << 20, 'a') + R"("})",
                 "application/json")
                .status,
            413);
  EXPECT_EQ(Get("/healthz").status, 200);
}

// Finding 2: a Latin-1 file name and a name holding invalid UTF-8 made /photos, /persons,
// /photos/{id} and /recognize answer 500, and `facetag export --json` fail. Now the answers are
// valid JSON with U+FFFD, the file is still read byte-exactly, and the terminal gets no escapes.
TEST_F(Hardening, InvalidUtf8InPathsAndNamesKeepsAnswersValid) {
  const std::string png = ReadBytes(Bbt() / "amy" / "amy1.png");
  const auto latin1 = dir_ / "photos" / "caf\xe9.png";
  { std::ofstream(latin1, std::ios::binary) << png; }
  ASSERT_TRUE(Start().ok());
  IndexAndWait(dir_ / "photos");

  const auto photos = Get("/api/v1/photos");
  ASSERT_EQ(photos.status, 200) << photos.body;
  const json list = Json(photos);
  ASSERT_EQ(list["photos"].size(), 1u) << photos.body;
  const std::string shown = list["photos"][0]["path"];
  EXPECT_NE(shown.find("caf\xEF\xBF\xBD.png"), std::string::npos) << shown;
  const int64_t photo = list["photos"][0]["id"];
  EXPECT_EQ(Get("/api/v1/photos/" + std::to_string(photo)).status, 200);
  EXPECT_EQ(Get("/api/v1/photos/" + std::to_string(photo) + "/image").status, 200);  // byte-exact path

  // A name stored by an older facetag (no validation then): invalid UTF-8 and an escape code.
  const int64_t person = CreatePerson("placeholder");
  ASSERT_EQ(PostImage("/api/v1/persons/" + std::to_string(person) + "/faces", png).status, 201);
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(options_.db.c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    const std::string sql =
        "UPDATE persons SET name = CAST(X'4261"
        "64FF4E616D651B5B33316D' AS TEXT) WHERE id = " +
        std::to_string(person) + "; UPDATE meta SET value = value + 1 WHERE key = 'corrections_version';";
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  const std::string shown_name = "Bad\xEF\xBF\xBDName";  // the invalid byte shown as U+FFFD
  const auto persons = Get("/api/v1/persons");
  ASSERT_EQ(persons.status, 200) << persons.body;
  EXPECT_NE(persons.body.find(shown_name), std::string::npos) << persons.body;
  EXPECT_EQ(Get("/api/v1/photos/" + std::to_string(photo)).status, 200);
  // Known faces reload about 2 s after another writer's change; /recognize then names the face.
  // Asked until then (a loaded machine may take longer), not after a fixed wait.
  auto recognized = PostImage("/api/v1/recognize", png);
  for (const auto deadline = Clock::now() + std::chrono::seconds(30);
       recognized.status == 200 && recognized.body.find(shown_name) == std::string::npos &&
       Clock::now() < deadline;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    recognized = PostImage("/api/v1/recognize", png);
  }
  ASSERT_EQ(recognized.status, 200) << recognized.body;
  EXPECT_NE(recognized.body.find(shown_name), std::string::npos) << recognized.body << "\n"
                                                                 << Get("/api/v1/persons").body;

  const auto exported = RunProcess({FACETAG_CLI_PATH, "export", "--json", "--db", options_.db.string()});
  EXPECT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_TRUE(json::accept(exported.out)) << exported.out.substr(0, 300);
  const auto people = RunProcess({FACETAG_CLI_PATH, "people", "--db", options_.db.string()});
  EXPECT_EQ(people.exit_code, 0) << people.err;
  EXPECT_EQ(people.out.find('\x1b'), std::string::npos) << people.out;
  EXPECT_NE(people.out.find("\\x1B[31m"), std::string::npos) << people.out;
}

// Names are checked wherever they are typed: the CLI and the API refuse invalid UTF-8, control
// characters and names over 200 characters (a 10 MB name was accepted).
TEST_F(Hardening, NamesAreValidatedAtEveryEntryPoint) {
  ASSERT_TRUE(Start().ok());
  const int64_t person = CreatePerson("Ann");
  const std::string id = std::to_string(person);
  for (const std::string& bad :
       {std::string("Red\x1b[31m"), std::string("Tab\there"), std::string(201, 'a')}) {
    const auto created = PostJson("/api/v1/persons", {{"name", bad}});
    EXPECT_EQ(created.status, 400) << created.body;
    const auto patched =
        Send("PATCH", "/api/v1/persons/" + id, json{{"name", bad}}.dump(), "application/json");
    EXPECT_EQ(patched.status, 400) << patched.body;
  }
  EXPECT_EQ(PostJson("/api/v1/persons", {{"name", std::string(200, 'a')}}).status, 201);
  EXPECT_EQ(PostJson("/api/v1/persons", {{"name", "Zoë Ødegård 李"}}).status, 201);
  // 10 MB of name: over the JSON body limit before it is even parsed.
  EXPECT_EQ(Send("POST", "/api/v1/persons", R"({"name":")" + std::string(10 << 20, 'n') + R"("})",
                 "application/json")
                .status,
            413);
  EXPECT_EQ(Json(Get("/api/v1/persons/" + id))["name"], "Ann");

  for (const std::string& bad : {std::string("Bad\xff"
                                             "Name"),
                                 std::string("Esc\x1b]0;title\x07")}) {
    const auto named = RunProcess({FACETAG_CLI_PATH, "name", id, bad, "--db", options_.db.string()});
    EXPECT_EQ(named.exit_code, 2) << named.out << named.err;
  }
  EXPECT_EQ(Json(Get("/api/v1/persons/" + id))["name"], "Ann");
}

// Finding 5: DNS rebinding (a foreign Host name) read the catalog, and cross-site POSTs
// (text/plain, multipart) changed it. Foreign names get 403; state changes from other origins too.
TEST_F(Hardening, ForeignHostsAndCrossSiteWritesAreRefused) {
  options_.allowed_hosts = {"photos.example.org"};
  ASSERT_TRUE(Start().ok());
  const int64_t person = CreatePerson("Ann");
  const std::string port = std::to_string(port_);

  EXPECT_EQ(Send("GET", "/api/v1/persons", "", "", {{"Host", "rebind.attacker.example:" + port}}).status,
            403);
  EXPECT_EQ(Send("GET", "/api/v1/photos/1/image", "", "", {{"Host", "rebind.attacker.example"}}).status, 403);
  EXPECT_EQ(Send("GET", "/", "", "", {{"Host", "rebind.attacker.example"}}).status, 403);
  for (const std::string& host :
       std::vector<std::string>{"127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port,
                                "photos.example.org", "PHOTOS.example.org:443"})
    EXPECT_EQ(Send("GET", "/api/v1/persons", "", "", {{"Host", host}}).status, 200) << host;

  const std::string target = "/api/v1/persons/" + std::to_string(person);
  // A form on another site: text/plain and multipart need no CORS preflight.
  EXPECT_EQ(
      Send("POST", "/api/v1/faces/1/unassign", "x=y", "text/plain", {{"Origin", "http://attacker.example"}})
          .status,
      403);
  EXPECT_EQ(Send("POST", target + "/faces", Multipart({{"image", "x"}}),
                 "multipart/form-data; boundary=facetagTestBoundary", {{"Origin", "http://attacker.example"}})
                .status,
            403);
  EXPECT_EQ(Send("DELETE", target, "", "", {{"Sec-Fetch-Site", "cross-site"}}).status, 403);
  EXPECT_EQ(Send("PATCH", target, R"({"name":"Eve"})", "application/json", {{"Origin", "null"}}).status, 403);
  EXPECT_EQ(Json(Get(target))["name"], "Ann");
  // The UI's own page, a proxy's public name, and programs without browser headers pass.
  EXPECT_EQ(Send("PATCH", target, R"({"name":"Bea"})", "application/json",
                 {{"Host", "127.0.0.1:" + port},
                  {"Origin", "http://127.0.0.1:" + port},
                  {"Sec-Fetch-Site", "same-origin"}})
                .status,
            200);
  EXPECT_EQ(Send("PATCH", target, R"({"name":"Cy"})", "application/json",
                 {{"Origin", "https://photos.example.org"}})
                .status,
            200);
  EXPECT_EQ(Send("PATCH", target, R"({"name":"Di"})", "application/json").status, 200);
  EXPECT_EQ(Json(Get(target))["name"], "Di");
}

// Finding 8: with a key set, GET / and /app.js answered 401, so the UI's key prompt never
// loaded. The shell loads; the API still needs the key.
TEST_F(Hardening, WebShellLoadsWithoutAKeyTheApiDoesNot) {
  options_.listen = "0.0.0.0:0";
  service::ApiKeyStore store(service::ApiKeyFile(options_.db));
  ASSERT_TRUE(store.Create("test").ok());
  ASSERT_TRUE(Start().ok());
  const auto index = Get("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_NE(index.body.find("<script"), std::string::npos);
  EXPECT_EQ(Get("/app.js").status, 200);
  EXPECT_EQ(Get("/app.css").status, 200);
  EXPECT_EQ(Get("/api/v1/persons").status, 401);
  EXPECT_EQ(Get("/metrics").status, 401);
}

// Finding 10 (revocation): a revoked key worked until restart. Now within a second.
TEST_F(Hardening, RevokedKeyStopsWorkingWithinASecond) {
  options_.listen = "0.0.0.0:0";
  service::ApiKeyStore store(service::ApiKeyFile(options_.db));
  auto first = store.Create("first");
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(Start().ok());
  const auto with = [&](const std::string& key) {
    return Send("GET", "/api/v1/persons", "", "", {{"Authorization", "Bearer " + key}}).status;
  };
  ASSERT_EQ(with(*first), 200);
  auto second = store.Create("second");  // while running: usable soon too
  ASSERT_TRUE(second.ok());
  auto keys = store.List();
  ASSERT_TRUE(keys.ok());
  ASSERT_TRUE(store.Revoke((*keys)[0].id).ok());
  const auto revoked = Clock::now();
  while (with(*first) != 401 && Clock::now() - revoked < std::chrono::seconds(3))
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const double took = std::chrono::duration<double>(Clock::now() - revoked).count();
  EXPECT_LT(took, 1.0);
  EXPECT_EQ(with(*first), 401);
  EXPECT_EQ(with(*second), 200);
}

// Issue 14 (CSRF): the key cookie made any request the browser sent an authenticated one;
// only SameSite and the Origin checks stood between a page of another site and a change. Now a
// change made with the cookie needs the session's token too (GET /api/v1/session); requests with
// an Authorization header do not.
TEST_F(Hardening, CookieSessionWritesNeedTheCsrfToken) {
  options_.listen = "0.0.0.0:0";
  service::ApiKeyStore store(service::ApiKeyFile(options_.db));
  auto key = store.Create("browser");
  ASSERT_TRUE(key.ok());
  auto other_key = store.Create("other browser");
  ASSERT_TRUE(other_key.ok());
  ASSERT_TRUE(Start().ok());
  const std::map<std::string, std::string> bearer = {{"Authorization", "Bearer " + *key}};
  const std::string cookie = "theme=dark; facetag_key=" + *key;
  const auto created = Send("POST", "/api/v1/persons", R"({"name":"Ann"})", "application/json", bearer);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string person = "/api/v1/persons/" + std::to_string(Json(created)["id"].get<int64_t>());

  const auto session = Send("GET", "/api/v1/session", "", "", {{"Cookie", cookie}});
  ASSERT_EQ(session.status, 200) << session.body;
  EXPECT_EQ(Json(session)["auth"], "cookie");
  const std::string token = Json(session)["csrf_token"];
  EXPECT_EQ(token.size(), 64u);
  EXPECT_EQ(Json(Send("GET", "/api/v1/session", "", "", {{"Cookie", cookie}}))["csrf_token"], token);
  EXPECT_EQ(Send("GET", "/api/v1/session", "", "", {{"Cookie", "facetag_key=wrong"}}).status, 401);
  const auto other = Send("GET", "/api/v1/session", "", "", {{"Cookie", "facetag_key=" + *other_key}});
  EXPECT_NE(Json(other)["csrf_token"], token) << "each session has its own token";
  EXPECT_TRUE(Json(Send("GET", "/api/v1/session", "", "", bearer))["csrf_token"].is_null());

  struct Write {
    std::string method, target, body;
  };
  const std::vector<Write> writes = {{"PATCH", person, R"({"name":"Bea"})"},
                                     {"POST", "/api/v1/persons", R"({"name":"Cy"})"},
                                     {"DELETE", person, ""}};
  // The first character changed (a token starting with "0" must not get "0" + the rest: itself).
  const std::string altered = std::string(token[0] == '0' ? "1" : "0") + token.substr(1);
  for (const Write& w : writes) {
    for (const std::string& bad :
         {std::string(), altered, token.substr(0, 63), Json(other)["csrf_token"].get<std::string>()}) {
      std::map<std::string, std::string> headers = {{"Cookie", cookie}};
      if (!bad.empty()) headers["X-CSRF-Token"] = bad;
      const auto refused =
          Send(w.method, w.target, w.body, w.body.empty() ? "" : "application/json", headers);
      EXPECT_EQ(refused.status, 403) << w.method << " " << w.target << " token '" << bad
                                     << "': " << refused.body;
      EXPECT_EQ(Json(refused)["error"]["code"], "csrf_token") << refused.body;
      EXPECT_NE(Json(refused)["error"]["message"].get<std::string>().find("X-CSRF-Token"), std::string::npos);
    }
  }
  EXPECT_EQ(Json(Send("GET", person, "", "", bearer))["name"], "Ann") << "a refused write changed something";
  EXPECT_EQ(Json(Send("GET", "/api/v1/persons", "", "", bearer))["persons"].size(), 1u);
  // Reading with the cookie needs no token (an <img> cannot send one).
  EXPECT_EQ(Send("GET", person, "", "", {{"Cookie", cookie}}).status, 200);

  const std::map<std::string, std::string> with_token = {{"Cookie", cookie}, {"X-CSRF-Token", token}};
  EXPECT_EQ(Send("PATCH", person, R"({"name":"Bea"})", "application/json", with_token).status, 200);
  EXPECT_EQ(Send("POST", "/api/v1/persons", R"({"name":"Cy"})", "application/json", with_token).status, 201);
  EXPECT_EQ(Send("DELETE", person, "", "", with_token).status, 204);
  // The API key in a header: no token, as before.
  EXPECT_EQ(Send("POST", "/api/v1/persons", R"({"name":"Di"})", "application/json", bearer).status, 201);
}

// Issue 14 (purge): there was no way to forget one photo. DELETE /api/v1/photos/{id} (the
// library call of `facetag purge`) leaves nothing of it served: the photo, its image, its faces'
// thumbnails (cached before), its faces in the lists, its uploaded copy; a re-index brings it back.
TEST_F(Hardening, PurgedPhotoLeavesNothingServed) {
  std::filesystem::copy_file(Bbt() / "bbt1.jpg", dir_ / "photos" / "bbt1.jpg");
  ASSERT_TRUE(Start().ok());
  IndexAndWait(dir_ / "photos");
  const json listed = Json(Get("/api/v1/photos"));
  ASSERT_EQ(listed["photos"].size(), 1u) << listed;
  const std::string photo = "/api/v1/photos/" + std::to_string(listed["photos"][0]["id"].get<int64_t>());
  const json detail = Json(Get(photo));
  ASSERT_GE(detail["faces"].size(), 2u) << detail;
  std::vector<std::string> thumbnails;
  for (const auto& f : detail["faces"]) {
    thumbnails.push_back("/api/v1/faces/" + std::to_string(f["id"].get<int64_t>()) + "/thumbnail");
    ASSERT_EQ(Get(thumbnails.back()).status, 200);  // now cached
  }
  ASSERT_EQ(Get(photo + "/image").status, 200);
  const auto faces_in_persons = [&] {
    int64_t n = 0;
    const json persons = Json(Get("/api/v1/persons"));  // kept alive: the loop walks into it
    for (const auto& p : persons["persons"]) n += p["face_count"].get<int64_t>();
    return n;
  };
  // A photo uploaded to register a face: its file under uploads/ goes too.
  const int64_t amy = CreatePerson("Amy");
  ASSERT_EQ(
      PostImage("/api/v1/persons/" + std::to_string(amy) + "/faces", ReadBytes(Bbt() / "amy" / "amy1.png"))
          .status,
      201);
  const json amy_photos = Json(Get("/api/v1/persons/" + std::to_string(amy) + "/photos"));
  ASSERT_EQ(amy_photos["photos"].size(), 1u);
  const std::string upload = "/api/v1/photos/" + std::to_string(amy_photos["photos"][0]["id"].get<int64_t>());
  const auto uploads = dir_ / "uploads";
  ASSERT_FALSE(std::filesystem::is_empty(uploads));

  EXPECT_EQ(Send("DELETE", photo).status, 204);
  EXPECT_EQ(Get(photo).status, 404);
  EXPECT_EQ(Get(photo + "/image").status, 404);
  for (const auto& t : thumbnails) EXPECT_EQ(Get(t).status, 404) << t;
  EXPECT_EQ(Json(Get("/api/v1/photos"))["photos"].size(), 1u);  // Amy's upload only
  EXPECT_EQ(faces_in_persons(), 1) << Get("/api/v1/persons").body;
  EXPECT_EQ(Send("DELETE", photo).status, 404);
  EXPECT_EQ(Send("DELETE", upload).status, 204);
  EXPECT_TRUE(std::filesystem::is_empty(uploads));
  EXPECT_EQ(Json(Get("/api/v1/persons/" + std::to_string(amy)))["face_count"], 0) << "a named person stays";
  EXPECT_EQ(Json(Get("/api/v1/photos"))["photos"].size(), 0u);

  IndexAndWait(dir_ / "photos");
  const json again = Json(Get("/api/v1/photos"));
  ASSERT_EQ(again["photos"].size(), 1u) << again;
  EXPECT_EQ(
      Json(Get("/api/v1/photos/" + std::to_string(again["photos"][0]["id"].get<int64_t>())))["faces"].size(),
      detail["faces"].size());
}

// Finding 6: DELETE /persons/{id} left the person's cached thumbnails (200) and the uploads
// registered for them (file and catalog row, /photos/N/image 200).
TEST_F(Hardening, DeletedPersonLeavesNothingServed) {
  ASSERT_TRUE(Start().ok());
  const int64_t person = CreatePerson("Amy");
  const std::string p = std::to_string(person);
  const auto registered = PostImage("/api/v1/persons/" + p + "/faces", ReadBytes(Bbt() / "amy" / "amy1.png"));
  ASSERT_EQ(registered.status, 201) << registered.body;
  const auto face = std::to_string(Json(registered)["faces"][0]["id"].get<int64_t>());
  const auto photos = Json(Get("/api/v1/persons/" + p + "/photos"));
  ASSERT_EQ(photos["photos"].size(), 1u);
  const auto photo = std::to_string(photos["photos"][0]["id"].get<int64_t>());
  ASSERT_EQ(Get("/api/v1/faces/" + face + "/thumbnail").status, 200);  // now cached
  ASSERT_EQ(Get("/api/v1/photos/" + photo + "/image").status, 200);
  const auto uploads = dir_ / "uploads";
  ASSERT_EQ(std::distance(std::filesystem::directory_iterator(uploads), {}), 1);

  EXPECT_EQ(Send("DELETE", "/api/v1/persons/" + p).status, 204);
  EXPECT_EQ(Get("/api/v1/faces/" + face + "/thumbnail").status, 404);
  EXPECT_EQ(Get("/api/v1/faces/" + face + "/thumbnail?size=160").status, 404);
  EXPECT_EQ(Get("/api/v1/photos/" + photo + "/image").status, 404);
  EXPECT_EQ(Get("/api/v1/photos/" + photo).status, 404);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(uploads), {}), 0);
  EXPECT_EQ(Json(Get("/api/v1/photos"))["total"], 0);
}

// Finding 7: a folder index followed a file symlink out of the photo root (indexed and served)
// though naming the target directly gets 403.
TEST_F(Hardening, SymlinkOutOfThePhotoRootIsNotIndexed) {
  std::filesystem::create_directories(dir_ / "outside");
  { std::ofstream(dir_ / "outside" / "x.png", std::ios::binary) << ReadBytes(Bbt() / "amy" / "amy1.png"); }
  {
    std::ofstream(dir_ / "photos" / "own.png", std::ios::binary)
        << ReadBytes(Bbt() / "howard" / "howard1.png");
  }
  std::filesystem::create_symlink("../outside/x.png", dir_ / "photos" / "link.png");
  std::filesystem::create_symlink("own.png", dir_ / "photos" / "same.png");  // inside: fine
  ASSERT_TRUE(Start().ok());
  EXPECT_EQ(PostJson("/api/v1/index", {{"path", (dir_ / "photos" / "link.png").string()}}).status, 403);
  IndexAndWait(dir_ / "photos");
  const json photos = Json(Get("/api/v1/photos"));
  ASSERT_EQ(photos["total"], 1) << photos.dump();
  const std::string path = photos["photos"][0]["path"];
  EXPECT_EQ(path.find("link.png"), std::string::npos) << path;
}

// Finding 9: catalog, its folder and uploads/ were world-readable under umask 022.
TEST_F(Hardening, CatalogAndUploadsArePrivate) {
  const mode_t old_umask = ::umask(022);
  options_.db = dir_ / "state" / "catalog.db";
  ASSERT_TRUE(Start().ok());
  const int64_t person = CreatePerson("Amy");
  ASSERT_EQ(
      PostImage("/api/v1/persons/" + std::to_string(person) + "/faces", ReadBytes(Bbt() / "amy" / "amy1.png"))
          .status,
      201);
  ::umask(old_umask);
  EXPECT_EQ(ModeOf(dir_ / "state"), 0700u);
  EXPECT_EQ(ModeOf(options_.db), 0600u);
  EXPECT_EQ(ModeOf(dir_ / "state" / "catalog.db-wal"), 0600u);
  EXPECT_EQ(ModeOf(dir_ / "state" / "uploads"), 0700u);
  for (const auto& entry : std::filesystem::directory_iterator(dir_ / "state" / "uploads"))
    EXPECT_EQ(ModeOf(entry.path()), 0600u) << entry.path();
}

// Finding 10: wrong answers to valid-looking requests.
TEST_F(Hardening, InvalidRequestsAreRefusedAndNothingHalfSaved) {
  ASSERT_TRUE(Start().ok());
  const int64_t ann = CreatePerson("Ann");
  const std::string a = std::to_string(ann);
  // PATCH is all or nothing.
  const auto partial =
      Send("PATCH", "/api/v1/persons/" + a, R"({"name":"Partial","hidden":"yes"})", "application/json");
  EXPECT_EQ(partial.status, 400);
  EXPECT_EQ(Json(Get("/api/v1/persons/" + a))["name"], "Ann");
  // Merging nobody, or a person into itself.
  EXPECT_EQ(PostJson("/api/v1/persons/" + a + "/merge", {{"ids", json::array()}}).status, 400);
  EXPECT_EQ(PostJson("/api/v1/persons/" + a + "/merge", {{"ids", {ann}}}).status, 400);
  EXPECT_EQ(PostJson("/api/v1/index", {{"path", ""}}).status, 400);
  for (const char* q : {"limit=-1", "limit=18446744073709551615", "offset=-5", "limit=1e3", "limit=1001",
                        "offset=99999999999999999999", "person=1x"})
    EXPECT_EQ(Get(std::string("/api/v1/photos?") + q).status, 400) << q;
  EXPECT_EQ(Get("/api/v1/photos?limit=1000&offset=0").status, 200);
  // A header over the limit gets 431, not a closed connection.
  const std::string big = RawExchange(
      port_, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n");
  EXPECT_EQ(big.rfind("HTTP/1.1 431", 0), 0u) << big.substr(0, 100);
}

// `Expect: 100-continue` was never answered: curl waited a second per upload.
TEST_F(Hardening, ExpectContinueIsAnswered) {
  ASSERT_TRUE(Start().ok());
  RawConnection c(port_, 500);
  ASSERT_TRUE(c.connected());
  const std::string body = R"({"name":"Ann"})";
  ASSERT_TRUE(
      c.Send("POST /api/v1/persons HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
             "Content-Length: " +
             std::to_string(body.size()) + "\r\nExpect: 100-continue\r\n\r\n"));
  const std::string go_on = c.Receive("\r\n\r\n");
  EXPECT_EQ(go_on.rfind("HTTP/1.1 100 Continue", 0), 0u) << go_on;
  ASSERT_TRUE(c.Send(body));
  const std::string answer = c.Receive("}");
  EXPECT_NE(answer.find("HTTP/1.1 201"), std::string::npos) << answer;
}

// Registering from a photo the catalog already holds answered 201 with faces: [] when the
// earlier analysis had not found that face.
TEST_F(Hardening, RegisteringFromACataloguedPhotoRegistersTheFace) {
  const std::string png = ReadBytes(Bbt() / "amy" / "amy1.png");
  {
    auto catalog = Catalog::Open(options_.db);
    ASSERT_TRUE(catalog.ok());
    PhotoInput input;
    input.path = (dir_ / "photos" / "amy1.png").string();
    input.stat = {static_cast<int64_t>(png.size()), 1};
    input.content_hash =
        HashBytes(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(png.data()), png.size()));
    input.width = input.height = 100;
    ASSERT_TRUE((*catalog)->AddPhotoResult(input, {}).ok());  // an index that found nobody
  }
  ASSERT_TRUE(Start().ok());
  const int64_t person = CreatePerson("Amy");
  const auto registered = PostImage("/api/v1/persons/" + std::to_string(person) + "/faces", png);
  ASSERT_EQ(registered.status, 201) << registered.body;
  EXPECT_EQ(Json(registered)["faces"].size(), 1u) << registered.body;
  EXPECT_EQ(Json(Get("/api/v1/persons/" + std::to_string(person)))["face_count"], 1);
}

// A damaged catalog answered 400 bad_image with SQLite's text while /readyz said ready.
TEST_F(Hardening, DamagedCatalogIsNotReadyAndLeaksNoSql) {
  {
    auto catalog = Catalog::Open(options_.db);
    ASSERT_TRUE(catalog.ok());
    for (int i = 0; i < 3; ++i) ASSERT_TRUE((*catalog)->CreatePerson("P" + std::to_string(i)).ok());
  }
  // Overwrite the persons table's page (the schema stays readable, so the server starts).
  int64_t root = 0, page_size = 0;
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(options_.db.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, "SELECT rootpage FROM sqlite_master WHERE name = 'persons'", -1, &s, nullptr);
    if (sqlite3_step(s) == SQLITE_ROW) root = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &s, nullptr);
    if (sqlite3_step(s) == SQLITE_ROW) page_size = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
  }
  ASSERT_GT(root, 1);
  {
    std::fstream f(options_.db, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp((root - 1) * page_size);
    const std::string garbage(static_cast<size_t>(page_size), '\xA5');
    f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  ASSERT_TRUE(Start().ok());
  const auto ready = Get("/readyz");
  EXPECT_EQ(ready.status, 503) << ready.body;
  for (const char* target : {"/api/v1/persons", "/api/v1/persons/1", "/api/v1/status"}) {
    const auto a = Get(target);
    // /status still answers, with "catalog": null.
    if (std::string(target) != "/api/v1/status") {
      EXPECT_EQ(a.status, 503) << target << ": " << a.body;
    }
    EXPECT_EQ(a.body.find("sqlite"), std::string::npos) << target << ": " << a.body;
    EXPECT_EQ(a.body.find("malformed"), std::string::npos) << target << ": " << a.body;
  }
  EXPECT_EQ(Get("/healthz").status, 200);
}

// Over the connection cap with every connection busy (here: sending a body), a new connection
// gets a clear 503, not silence; once one is done, requests are served again.
TEST_F(Hardening, ConnectionsOverTheCapGet503) {
  options_.max_connections = 2;
  ASSERT_TRUE(Start().ok());
  std::vector<std::unique_ptr<RawConnection>> busy;
  for (int i = 0; i < 2; ++i) {
    busy.push_back(std::make_unique<RawConnection>(port_));
    ASSERT_TRUE(busy.back()->Send(
        "POST /api/v1/persons HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Content-Length: 100\r\n\r\n{\"name\":"));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  RawConnection refused(port_);
  ASSERT_TRUE(refused.Send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  const std::string answer = refused.Receive("}}");
  EXPECT_EQ(answer.rfind("HTTP/1.1 503", 0), 0u) << answer;
  EXPECT_NE(answer.find("Retry-After: 1"), std::string::npos) << answer;
  busy.clear();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(QuickGetStatus(port_, "/healthz", 3000), 200);
}

// The port a `facetag serve --listen 127.0.0.1:0` child says it serves on (0: it never said so
// within a minute, or it exited).
uint16_t ServingPort(ChildProcess& serve, const std::filesystem::path& log) {
  const auto started = Clock::now();
  while (Clock::now() - started < std::chrono::seconds(60) && serve.Running()) {
    std::smatch m;
    const std::string text = ReadBytes(log);
    static const std::regex serving(R"(serving on 127\.0\.0\.1:(\d+))");
    if (std::regex_search(text, m, serving)) return static_cast<uint16_t>(std::stoi(m[1].str()));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return 0;
}

// Finding 3: at file-descriptor exhaustion the accept loop spun at 130% CPU and /healthz timed
// out. A `facetag serve` child under a 48-descriptor limit with 45 idle connections open still
// answers /healthz and stays nearly idle.
TEST(HardeningProcess, DescriptorExhaustionStillAnswersHealthz) {
  const auto dir = std::filesystem::temp_directory_path() / ("facetag-fd-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto log = dir / "serve.log";
  auto serve =
      StartLogged({FACETAG_CLI_PATH, "serve", "--db", (dir / "c.db").string(), "--listen", "127.0.0.1:0",
                   "--workers", "1", "--no-batch", "--model-dir", ModelDirOrFail().string()},
                  log, "ulimit -n 48 && exec");
  const uint16_t port = ServingPort(*serve, log);
  ASSERT_NE(port, 0) << ReadBytes(log);
  ASSERT_EQ(QuickGetStatus(port, "/healthz", 3000), 200) << "before any idle connection";
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 45; ++i) idle.push_back(std::make_unique<RawConnection>(port));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));

  const auto cpu_seconds = [pid = serve->pid()] {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    std::istringstream fields(line.substr(line.rfind(')') + 2));
    std::string skip;
    for (int i = 0; i < 11; ++i) fields >> skip;  // state .. cmajflt
    long utime = 0, stime = 0;
    fields >> utime >> stime;
    return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
  };
  const double cpu0 = cpu_seconds();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const double busy = cpu_seconds() - cpu0;
  RecordProperty("cpu_seconds_in_2s", std::to_string(busy));
  EXPECT_LT(busy, 0.5) << "CPU seconds in 2 s with 45 idle connections";

  const auto open_fds = [pid = serve->pid()] {
    return std::distance(std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd"),
                         std::filesystem::directory_iterator());
  };
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(QuickGetStatus(port, "/healthz", 3000), 200)
        << "attempt " << i << ", " << open_fds() << " fds open";
  idle.clear();
  EXPECT_EQ(QuickGetStatus(port, "/healthz", 3000), 200);
  serve.reset();
  if (!HasFailure()) std::filesystem::remove_all(dir);
}

// A small file that claims a huge image, written a row at a time: 16-bit RGB, one colour.
void WriteHugePng(const std::filesystem::path& path, uint32_t side) {
  FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  png_init_io(png, f);
  png_set_compression_strategy(png, Z_RLE);
  png_set_filter(png, 0, PNG_FILTER_NONE);
  png_set_IHDR(png, info, side, side, 16, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  std::vector<uint8_t> row(static_cast<size_t>(side) * 6, 0x80);
  for (uint32_t y = 0; y < side; ++y) png_write_row(png, row.data());
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  std::fclose(f);
}

// The server's peak resident memory (VmHWM), in MB.
double PeakMegabytes(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return -1;
}

// Finding 4: a 1.5 MB PNG of 14000x14000 16-bit pixels (under the 200 MP limit) cost 575 MB per
// /recognize, 2.6 GB for four at once. Requests now decode into 64 MP at most (JPEGs decode
// scaled first): four at once are refused with 413 and the server's peak memory barely moves.
// The same request with the budget raised shows what the bound prevents.
TEST(HardeningProcess, AHugeImageCannotTakeTheServersMemory) {
  const auto dir = std::filesystem::temp_directory_path() / ("facetag-mem-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto png_path = dir / "huge.png";
  WriteHugePng(png_path, 14000);
  const std::string png = ReadBytes(png_path);
  ASSERT_LT(png.size(), 32u << 20) << "must fit the default body limit";

  const auto serve_with = [&](const std::string& megapixels, const std::filesystem::path& log,
                              uint16_t& port) {
    auto serve = StartLogged(
        {FACETAG_CLI_PATH, "serve", "--db", (dir / ("c" + megapixels + ".db")).string(), "--listen",
         "127.0.0.1:0", "--max-decoded-megapixels", megapixels, "--model-dir", ModelDirOrFail().string()},
        log);
    port = ServingPort(*serve, log);
    return serve;
  };

  uint16_t port = 0;
  auto bounded = serve_with("64", dir / "bounded.log", port);
  ASSERT_NE(port, 0) << ReadBytes(dir / "bounded.log");
  const double before = PeakMegabytes(bounded->pid());
  std::vector<std::thread> clients;
  std::atomic<int> refused{0};
  for (int i = 0; i < 4; ++i) {
    clients.emplace_back([&] {
      if (HttpFetch(port, "POST", "/api/v1/recognize", png, "image/png").status == 413) ++refused;
    });
  }
  for (auto& c : clients) c.join();
  EXPECT_EQ(refused.load(), 4);
  const double bounded_peak = PeakMegabytes(bounded->pid());
  RecordProperty("peak_mb_bounded", std::to_string(bounded_peak));
  EXPECT_LT(bounded_peak - before, 100) << "MB the server grew by for four huge images";
  bounded.reset();

  port = 0;
  auto unbounded = serve_with("1000", dir / "unbounded.log", port);
  ASSERT_NE(port, 0) << ReadBytes(dir / "unbounded.log");
  HttpFetch(port, "POST", "/api/v1/recognize", png, "image/png");
  const double unbounded_peak = PeakMegabytes(unbounded->pid());
  RecordProperty("peak_mb_unbounded", std::to_string(unbounded_peak));
  EXPECT_GT(unbounded_peak - before, 400) << "the measurement no longer sees what the bound prevents";
  unbounded.reset();
  if (!HasFailure()) std::filesystem::remove_all(dir);
}

// Issue 14: the per-request bound let every engine worker decode a big image at the same time:
// four 7000x7000 PNGs (49 MP, under the 64 MP per request) on four workers grew the server by
// 822 MB. Decodes now wait for a shared budget of pixels (--decoding-megapixels, 64 MP): the four
// are answered one after the other and the peak is that of one request (409 MB: the 147 MB of
// RGB pixels and what the engine makes of them while it holds them).
TEST(HardeningProcess, ConcurrentBigDecodesShareThePixelBudget) {
  const auto dir = std::filesystem::temp_directory_path() / ("facetag-budget-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto png_path = dir / "big.png";
  WriteHugePng(png_path, 7000);
  const std::string png = ReadBytes(png_path);

  // Four concurrent /recognize of the PNG; the server's peak growth in MB.
  const auto four_at_once = [&](const std::string& budget_mp) {
    const auto log = dir / ("serve" + budget_mp + ".log");
    auto serve = StartLogged({FACETAG_CLI_PATH, "serve", "--db", (dir / ("c" + budget_mp + ".db")).string(),
                              "--listen", "127.0.0.1:0", "--workers", "4", "--decoding-megapixels", budget_mp,
                              "--model-dir", ModelDirOrFail().string()},
                             log);
    const uint16_t port = ServingPort(*serve, log);
    EXPECT_NE(port, 0) << ReadBytes(log);
    if (port == 0) return 0.0;
    const double before = PeakMegabytes(serve->pid());
    std::vector<std::thread> clients;
    std::atomic<int> answered{0};
    for (int i = 0; i < 4; ++i) {
      clients.emplace_back([&] {
        const auto a = HttpFetch(port, "POST", "/api/v1/recognize", png, "image/png");
        EXPECT_EQ(a.status, 200) << a.body;
        if (a.status == 200) ++answered;
      });
    }
    for (auto& c : clients) c.join();
    EXPECT_EQ(answered.load(), 4);
    return PeakMegabytes(serve->pid()) - before;
  };

  const double bounded = four_at_once("64");
  RecordProperty("peak_growth_mb_budget_64", std::to_string(bounded));
  const double unbounded = four_at_once("1000");
  RecordProperty("peak_growth_mb_budget_1000", std::to_string(unbounded));
  std::printf("peak growth for four 49 MP PNGs at once: %.0f MB with a 64 MP budget, %.0f MB with 1000 MP\n",
              bounded, unbounded);
  EXPECT_LT(bounded, 520) << "MB the server grew by for four big images at once";
  EXPECT_GT(unbounded, 650) << "the measurement no longer sees what the budget prevents";
  if (!HasFailure()) std::filesystem::remove_all(dir);
}

// SERVICE.md's own example, `facetag apikey create --name laptop --db lib.db`, was a usage error.
TEST(HardeningCli, ApikeyCreateTakesDbAfterTheSubcommand) {
  TempDirForCli dir;
  const auto db = (dir.path / "lib.db").string();
  const auto created = RunProcess({FACETAG_CLI_PATH, "apikey", "create", "--name", "laptop", "--db", db});
  EXPECT_EQ(created.exit_code, 0) << created.err;
  EXPECT_EQ(created.out.rfind("ftk_", 0), 0u) << created.out;
  const auto listed = RunProcess({FACETAG_CLI_PATH, "apikey", "list", "--db", db});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("laptop"), std::string::npos) << listed.out;
}

// The systemd units set no LimitNOFILE (the 1024 default caps connections) and no umask.
TEST(HardeningDeploy, UnitsRaiseTheDescriptorLimitAndKeepFilesPrivate) {
  for (const char* unit : {"facetag.service", "facetag-head.service", "facetag-worker.service"}) {
    const std::string text = ReadBytes(SourceDir() / "deploy" / unit);
    ASSERT_FALSE(text.empty()) << unit;
    EXPECT_TRUE(std::regex_search(text, std::regex(R"(\nLimitNOFILE=\d{5,})"))) << unit;
    EXPECT_NE(text.find("\nUMask=0077\n"), std::string::npos) << unit;
  }
}

}  // namespace
}  // namespace facetag::testing
