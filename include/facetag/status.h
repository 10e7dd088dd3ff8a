// Errors as values: every fallible call in libfacetag returns a Status or a Result<T>.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace facetag {

enum class ErrorCode {
  kInvalidArgument,  // the caller asked for something that makes no sense
  kNotFound,         // a file, model or record that is not there
  kIoError,          // the OS refused a read or a write
  kUnsupported,      // a format or feature facetag does not handle
  kCorrupt,          // the input is damaged or truncated
  kTooLarge,         // the input exceeds a safety limit (decompression bombs)
  kInternal,         // a bug or a library failure we did not foresee
};

const char* ErrorCodeName(ErrorCode code);

class Status {
 public:
  Status() = default;  // success
  Status(ErrorCode code, std::string message) : failed_(true), code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }

  bool ok() const { return !failed_; }
  // Lets FACETAG_RETURN_IF_ERROR treat a Status and a Result alike.
  const Status& status() const { return *this; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "corrupt: truncated JPEG data" style text for users.
  std::string ToString() const;

 private:
  bool failed_ = false;
  ErrorCode code_ = ErrorCode::kInternal;
  std::string message_;
};

inline Status InvalidArgument(std::string m) { return {ErrorCode::kInvalidArgument, std::move(m)}; }
inline Status NotFound(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
inline Status IoError(std::string m) { return {ErrorCode::kIoError, std::move(m)}; }
inline Status Unsupported(std::string m) { return {ErrorCode::kUnsupported, std::move(m)}; }
inline Status Corrupt(std::string m) { return {ErrorCode::kCorrupt, std::move(m)}; }
inline Status TooLarge(std::string m) { return {ErrorCode::kTooLarge, std::move(m)}; }
inline Status Internal(std::string m) { return {ErrorCode::kInternal, std::move(m)}; }

// A value or the Status saying why there is none. Never holds an ok Status.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace facetag

// Propagates a failed Status (or a failed Result's Status) to the caller.
#define FACETAG_RETURN_IF_ERROR(expr)                           \
  do {                                                          \
    const auto& facetag_status_ = (expr);                       \
    if (!facetag_status_.ok()) return facetag_status_.status(); \
  } while (0)
