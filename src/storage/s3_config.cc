#include "storage/s3_config.h"

#include <cstdlib>
#include <fstream>
#include <map>

namespace facetag::storage {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::string(v) : std::string();
}

std::string Trimmed(const std::string& s) {
  const auto begin = s.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  const auto end = s.find_last_not_of(" \t\r");
  return s.substr(begin, end - begin + 1);
}

std::string HomeFile(const char* override_variable, const char* under_home) {
  std::string path = Env(override_variable);
  if (!path.empty()) return path;
  const std::string home = Env("HOME");
  return home.empty() ? std::string() : home + "/" + under_home;
}

// The keys of one [section] of an INI file as the AWS tools write them; empty when the file or
// the section is not there.
std::map<std::string, std::string> IniSection(const std::string& path, const std::string& section) {
  std::map<std::string, std::string> out;
  std::ifstream in(path);
  std::string line, current;
  while (std::getline(in, line)) {
    line = Trimmed(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      current = Trimmed(line.substr(1, line.size() - 2));
      continue;
    }
    const auto eq = line.find('=');
    if (current == section && eq != std::string::npos)
      out[Trimmed(line.substr(0, eq))] = Trimmed(line.substr(eq + 1));
  }
  return out;
}

}  // namespace

Result<S3Config> S3ConfigFromEnvironment() {
  S3Config config;
  const std::string profile = Env("AWS_PROFILE").empty() ? "default" : Env("AWS_PROFILE");
  config.access_key_id = Env("AWS_ACCESS_KEY_ID");
  config.secret_access_key = Env("AWS_SECRET_ACCESS_KEY");
  config.session_token = Env("AWS_SESSION_TOKEN");
  const std::string credentials_file = HomeFile("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials");
  if (config.access_key_id.empty() && config.secret_access_key.empty()) {
    auto keys = IniSection(credentials_file, profile);
    config.access_key_id = keys["aws_access_key_id"];
    config.secret_access_key = keys["aws_secret_access_key"];
    config.session_token = keys["aws_session_token"];
  }
  if (config.access_key_id.empty() || config.secret_access_key.empty()) {
    return InvalidArgument(
        "no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile [" + profile +
        "] in " + credentials_file + " (docs/STORAGE.md)");
  }
  // The config file names profiles "[profile NAME]", except the default one.
  const std::string config_file = HomeFile("AWS_CONFIG_FILE", ".aws/config");
  auto settings = IniSection(config_file, profile == "default" ? profile : "profile " + profile);
  config.region = Env("AWS_REGION");
  if (config.region.empty()) config.region = Env("AWS_DEFAULT_REGION");
  if (config.region.empty()) config.region = settings["region"];
  if (config.region.empty()) config.region = "us-east-1";
  config.endpoint = Env("AWS_ENDPOINT_URL_S3");
  if (config.endpoint.empty()) config.endpoint = Env("AWS_ENDPOINT_URL");
  if (config.endpoint.empty()) config.endpoint = settings["endpoint_url"];
  if (config.endpoint.empty()) {
    config.endpoint = "https://s3." + config.region + ".amazonaws.com";
    config.path_style = false;
  }
  while (!config.endpoint.empty() && config.endpoint.back() == '/') config.endpoint.pop_back();
  if (config.endpoint.rfind("http://", 0) != 0 && config.endpoint.rfind("https://", 0) != 0)
    return InvalidArgument("AWS_ENDPOINT_URL must start with http:// or https://, not " + config.endpoint);
  config.ca_bundle = Env("AWS_CA_BUNDLE");
  if (const std::string page = Env("FACETAG_S3_PAGE_SIZE"); !page.empty()) {
    const long n = std::strtol(page.c_str(), nullptr, 10);
    if (n < 1 || n > 1000) return InvalidArgument("FACETAG_S3_PAGE_SIZE must be 1 to 1000, not " + page);
    config.list_page_size = static_cast<size_t>(n);
  }
  return config;
}

}  // namespace facetag::storage
