// What users type to ask for recognition events (times, offsets, retention periods) and the
// sources clients send, checked strictly: a wrong value is an error, never a silent guess.
#include <charconv>
#include <cstdio>

#include "common/text.h"
#include "facetag/events.h"

namespace facetag {
namespace {

constexpr int64_t kMsPerDay = 86400000;

// Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's algorithms).
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, int* m, int* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

int DaysInMonth(int64_t y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// Reads exactly `n` digits at text[*at]; false when they are not all there.
bool Digits(std::string_view text, size_t* at, size_t n, int* out) {
  if (*at + n > text.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = text[*at + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *at += n;
  *out = v;
  return true;
}

bool AllDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

// "+HH:MM", "+HHMM", "+HH" (or '-') from text[at] to the end; minutes east of UTC.
bool Offset(std::string_view text, size_t at, int* minutes) {
  if (at >= text.size() || (text[at] != '+' && text[at] != '-')) return false;
  const int sign = text[at] == '-' ? -1 : 1;
  ++at;
  int hh = 0, mm = 0;
  if (!Digits(text, &at, 2, &hh)) return false;
  const bool colon = at < text.size() && text[at] == ':';
  if (colon) ++at;
  if ((colon || at < text.size()) && !Digits(text, &at, 2, &mm)) return false;
  if (at != text.size() || hh > 14 || mm > 59) return false;
  *minutes = sign * (hh * 60 + mm);
  return true;
}

Status BadTime(std::string_view text) {
  return InvalidArgument("not a time: \"" + ToValidUtf8(text.substr(0, 40)) +
                         "\" (epoch milliseconds, or ISO 8601 like 2026-12-06T08:30:00Z)");
}

}  // namespace

Result<int64_t> ParseEventTime(std::string_view text) {
  if (AllDigits(text)) {
    if (text.size() > 15) return BadTime(text);  // beyond the year 33000: a typo, not a time
    int64_t ms = 0;
    std::from_chars(text.data(), text.data() + text.size(), ms);
    return ms;
  }
  size_t at = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, offset = 0;
  int64_t millis = 0;
  if (!Digits(text, &at, 4, &year) || at >= text.size() || text[at++] != '-' ||
      !Digits(text, &at, 2, &month) || at >= text.size() || text[at++] != '-' || !Digits(text, &at, 2, &day))
    return BadTime(text);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month))
    return BadTime(text);
  if (at < text.size() && (text[at] == 'T' || text[at] == 't' || text[at] == ' ')) {
    ++at;
    if (!Digits(text, &at, 2, &hour) || at >= text.size() || text[at++] != ':' ||
        !Digits(text, &at, 2, &minute))
      return BadTime(text);
    if (at < text.size() && text[at] == ':') {
      ++at;
      if (!Digits(text, &at, 2, &second)) return BadTime(text);
      if (at < text.size() && (text[at] == '.' || text[at] == ',')) {
        ++at;
        const size_t start = at;
        int64_t scale = 100;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
          millis += (text[at] - '0') * scale;  // digits past the millisecond add nothing
          scale /= 10;
          ++at;
        }
        if (at == start || at - start > 9) return BadTime(text);
      }
    }
    if (hour > 23 || minute > 59 || second > 59) return BadTime(text);
    if (at < text.size()) {
      if ((text[at] == 'Z' || text[at] == 'z') && at + 1 == text.size()) {
        at = text.size();
      } else if (!Offset(text, at, &offset)) {
        return BadTime(text);
      } else {
        at = text.size();
      }
    }
  }
  if (at != text.size()) return BadTime(text);
  const int64_t days = DaysFromCivil(year, month, day);
  const int64_t ms = days * kMsPerDay + (int64_t{hour} * 3600 + minute * 60 + second) * 1000 + millis -
                     int64_t{offset} * 60000;
  if (ms < 0) return BadTime(text);
  return ms;
}

std::string FormatEventTime(int64_t at_ms) {
  int64_t days = at_ms / kMsPerDay;
  int64_t rest = at_ms % kMsPerDay;
  if (rest < 0) {
    rest += kMsPerDay;
    --days;
  }
  int64_t y = 0;
  int m = 0, d = 0;
  CivilFromDays(days, &y, &m, &d);
  char out[40];
  std::snprintf(out, sizeof(out), "%04lld-%02d-%02dT%02d:%02d:%02d.%03dZ", static_cast<long long>(y), m, d,
                static_cast<int>(rest / 3600000), static_cast<int>(rest / 60000 % 60),
                static_cast<int>(rest / 1000 % 60), static_cast<int>(rest % 1000));
  return out;
}

Result<int> ParseUtcOffset(std::string_view text) {
  if (text.empty() || text == "Z" || text == "z") return 0;
  int minutes = 0;
  if (!Offset(text, 0, &minutes))
    return InvalidArgument("not a UTC offset: \"" + ToValidUtf8(text.substr(0, 20)) +
                           "\" (like +01:00 or -05:30)");
  return minutes;
}

Result<int64_t> ParseRetention(std::string_view text) {
  const auto bad = [&] {
    return InvalidArgument("not a retention period: \"" + ToValidUtf8(text.substr(0, 20)) +
                           "\" (a number and a unit: 90d, 12h, 2w, 30m)");
  };
  if (text.size() < 2 || text.size() > 12 || !AllDigits(text.substr(0, text.size() - 1))) return bad();
  int64_t n = 0;
  std::from_chars(text.data(), text.data() + text.size() - 1, n);
  int64_t unit_ms = 0;
  switch (text.back()) {
    case 'm':
      unit_ms = 60000;
      break;
    case 'h':
      unit_ms = 3600000;
      break;
    case 'd':
      unit_ms = kMsPerDay;
      break;
    case 'w':
      unit_ms = 7 * kMsPerDay;
      break;
    default:
      return bad();
  }
  constexpr int64_t kMaxMs = int64_t{36525} * kMsPerDay;  // 100 years
  if (n <= 0 || n > kMaxMs / unit_ms) return bad();
  return n * unit_ms;
}

Status ValidateEventSource(std::string_view source) {
  if (!IsValidUtf8(source)) return InvalidArgument("a source must be valid UTF-8 text");
  size_t chars = 0;
  for (size_t i = 0; i < source.size(); ++i) {
    const auto c = static_cast<unsigned char>(source[i]);
    if ((c & 0xC0) != 0x80) ++chars;
    const bool c1 = c == 0xC2 && i + 1 < source.size() && static_cast<unsigned char>(source[i + 1]) <= 0x9F;
    if (c < 0x20 || c == 0x7F || c1) return InvalidArgument("a source may not hold control characters");
  }
  if (chars > kMaxEventSourceChars)
    return InvalidArgument("a source may have at most " + std::to_string(kMaxEventSourceChars) +
                           " characters");
  return Status::Ok();
}

}  // namespace facetag
