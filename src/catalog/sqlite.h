// A thin RAII layer over SQLite's C API: a connection, prepared statements and transactions,
// with every failure turned into a facetag Status (the library never throws).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "facetag/status.h"

namespace facetag::sql {

// "sqlite: <what>: <sqlite's message>" with a code that says whether retrying may help.
Status Error(sqlite3* db, int rc, std::string_view what);

// Owns one connection. Move-only.
class Connection {
 public:
  Connection() = default;
  explicit Connection(sqlite3* db) : db_(db) {}
  Connection(Connection&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  static Result<Connection> Open(const std::string& path, int busy_timeout_ms);
  // Never writes to the file (and never creates it): for files that are not ours to change.
  static Result<Connection> OpenReadOnly(const std::string& path, int busy_timeout_ms);
  // Read-only by URI (SQLITE_OPEN_URI): `path` is escaped and `uri_params` ("mode=ro", "immutable=1")
  // appended.
  static Result<Connection> OpenUri(const std::string& path, const std::string& uri_params,
                                    int busy_timeout_ms);

  sqlite3* get() const { return db_; }
  // Runs one or more statements that return no rows (schema scripts, pragmas).
  Status Exec(std::string_view sql);
  int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }

 private:
  sqlite3* db_ = nullptr;
};

// One prepared statement. Bind* calls chain; the first binding error is kept and reported by
// the next Step/Run so call sites stay short.
class Statement {
 public:
  Statement() = default;
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  static Result<Statement> Prepare(const Connection& db, std::string_view sql);

  // Parameters are 1-based, as in SQLite.
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  Statement& BindBlob(int index, std::span<const uint8_t> bytes);
  Statement& BindNull(int index);
  // NULL when `value` is 0: foreign keys use NULL for "none" and facetag's API uses 0.
  Statement& BindIdOrNull(int index, int64_t value);

  // true: a row is ready to read; false: the statement is done.
  Result<bool> Step();
  // Steps to completion, ignoring rows (INSERT/UPDATE/DELETE).
  Status Run();
  // Steps to completion, calling `row()` for each row (read the columns from this statement).
  Status ForEachRow(const std::function<void()>& row);
  // Clears bindings and rewinds, to run the statement again.
  void Reset();

  // Columns are 0-based, as in SQLite.
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  double Double(int col) const { return sqlite3_column_double(stmt_, col); }
  std::string Text(int col) const;
  std::span<const uint8_t> Blob(int col) const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  int bind_rc_ = SQLITE_OK;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back by the destructor unless committed. IMMEDIATE takes
// the write lock up front, so a writer waits (busy_timeout) instead of failing half-way when
// another connection is writing.
class Transaction {
 public:
  static Result<Transaction> Begin(Connection& db);
  // Deferred read transaction: one consistent snapshot for several queries (WAL readers never
  // block writers and are never blocked by them).
  static Result<Transaction> BeginRead(Connection& db);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();

  Status Commit();

 private:
  explicit Transaction(Connection* db) : db_(db) {}
  Connection* db_ = nullptr;
};

}  // namespace facetag::sql
