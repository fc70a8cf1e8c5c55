// Value types, values, function types, errors and trap codes of the public embedding API.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace parawasm {

enum class ValType : uint8_t { I32, I64, F32, F64, V128, FuncRef, ExternRef };

const char *valTypeName(ValType type);
inline bool isRefType(ValType type) {
  return type == ValType::FuncRef || type == ValType::ExternRef;
}

struct V128 {
  uint8_t bytes[16];
  bool operator==(const V128 &other) const { return std::memcmp(bytes, other.bytes, 16) == 0; }
};

// A Wasm value. References are opaque pointers; null is nullptr.
struct Val {
  ValType type = ValType::I32;
  union {
    int32_t i32;
    int64_t i64;
    float f32;
    double f64;
    V128 v128;
    void *ref;
    // Initialised through the widest member, so a default Val (and Val::zero) is zero in all 16
    // bytes: `of{}` zeroes only the first member, and clang leaves the rest as it was (an i64
    // global made with Val::zero read back as garbage in the ASan build).
  } of{.v128 = {}};

  static Val makeI32(int32_t v) {
    Val r;
    r.type = ValType::I32;
    r.of.i32 = v;
    return r;
  }
  static Val makeI64(int64_t v) {
    Val r;
    r.type = ValType::I64;
    r.of.i64 = v;
    return r;
  }
  static Val makeF32(float v) {
    Val r;
    r.type = ValType::F32;
    r.of.f32 = v;
    return r;
  }
  static Val makeF64(double v) {
    Val r;
    r.type = ValType::F64;
    r.of.f64 = v;
    return r;
  }
  static Val makeV128(V128 v) {
    Val r;
    r.type = ValType::V128;
    r.of.v128 = v;
    return r;
  }
  static Val makeRef(ValType t, void *p) {
    Val r;
    r.type = t;
    r.of.ref = p;
    return r;
  }
  static Val zero(ValType t) {
    Val r;
    r.type = t;
    return r;
  }
};

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  bool operator==(const FuncType &) const = default;
  std::string toString() const; // "(i32, i64) -> (f32)"
};

// Stable numbers: they are part of the API (and of wasi-parallel's error reporting).
enum class TrapCode : uint32_t {
  Unreachable = 0,
  MemoryOutOfBounds = 1,
  IntegerDivideByZero = 2,
  IntegerOverflow = 3,
  InvalidConversionToInteger = 4,
  TableOutOfBounds = 5,
  IndirectCallTypeMismatch = 6,
  UninitializedElement = 7,
  UndefinedElement = 8,
  CallStackExhausted = 9,
  NullReference = 10,
  UnalignedAtomic = 11,
  ExpectedSharedMemory = 12,
  OutOfMemory = 13,
  HostTrap = 14,
  Exit = 15,
  Interrupted = 16,       // InterruptHandle::interrupt, a deadline (`-W timeout`)
  OutOfFuel = 17,         // the instance's fuel ran out (EngineConfig::consumeFuel)
  UncaughtException = 18, // a Wasm exception (throw) that no Wasm handler caught
};
const char *trapCodeName(TrapCode code);    // "unreachable"
const char *trapCodeMessage(TrapCode code); // spec wording: "integer divide by zero"

// Kinds follow the spec's assertion kinds, plus the embedding's own failures.
enum class ErrorKind {
  Malformed,
  Invalid,
  Unlinkable,
  Uninstantiable,
  Trap,
  Exhaustion,
  Io,
  Usage,
  Unsupported, // a valid module this device or build cannot run (e.g. memory.grow on a GPU)
  Internal
};
const char *errorKindName(ErrorKind kind);

class [[nodiscard]] Error {
public:
  Error(ErrorKind kind, std::string message) : kind_(kind), message_(std::move(message)) {}
  static Error trap(TrapCode code, std::string message) {
    Error e(code == TrapCode::CallStackExhausted ? ErrorKind::Exhaustion : ErrorKind::Trap,
            std::move(message));
    e.trapCode_ = code;
    return e;
  }
  static Error exit(int status) {
    Error e(ErrorKind::Trap, "exit with status " + std::to_string(status));
    e.trapCode_ = TrapCode::Exit;
    e.exitStatus_ = status;
    return e;
  }
  ErrorKind kind() const { return kind_; }
  const std::string &message() const { return message_; }
  std::optional<TrapCode> trapCode() const { return trapCode_; }
  // Set when the guest called proc_exit (or an equivalent host exit).
  std::optional<int> exitStatus() const { return exitStatus_; }

private:
  ErrorKind kind_;
  std::string message_;
  std::optional<TrapCode> trapCode_;
  std::optional<int> exitStatus_;
};

namespace detail {
// A Result read the wrong way (the value of an error, the error of a value) is a bug in the
// caller: it is reported and the process aborts, in every build. Nothing here throws.
[[noreturn]] inline void badResultAccess(const char *accessor, const Error *error) {
  if (error)
    std::fprintf(stderr, "parawasm: %s on an error: %s\n", accessor, error->message().c_str());
  else
    std::fprintf(stderr, "parawasm: %s on a value, not an error\n", accessor);
  std::abort();
}
} // namespace detail

// A value or an Error. value(), operator*, operator-> and error()/takeError() must only be
// called on the matching alternative (check ok() first); otherwise they abort.
template <class T> class [[nodiscard]] Result {
public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T &value() {
    if (T *v = std::get_if<0>(&v_))
      return *v;
    detail::badResultAccess("Result::value()", std::get_if<1>(&v_));
  }
  const T &value() const {
    if (const T *v = std::get_if<0>(&v_))
      return *v;
    detail::badResultAccess("Result::value()", std::get_if<1>(&v_));
  }
  T &operator*() { return value(); }
  const T &operator*() const { return value(); }
  T *operator->() { return &value(); }
  const T *operator->() const { return &value(); }
  const Error &error() const {
    if (const Error *e = std::get_if<1>(&v_))
      return *e;
    detail::badResultAccess("Result::error()", nullptr);
  }
  Error takeError() {
    if (Error *e = std::get_if<1>(&v_))
      return std::move(*e);
    detail::badResultAccess("Result::takeError()", nullptr);
  }

private:
  std::variant<T, Error> v_;
};

template <> class [[nodiscard]] Result<void> {
public:
  Result() = default;
  Result(Error error) : e_(std::move(error)) {}
  bool ok() const { return !e_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error &error() const {
    if (!e_)
      detail::badResultAccess("Result::error()", nullptr);
    return *e_;
  }
  Error takeError() {
    if (!e_)
      detail::badResultAccess("Result::takeError()", nullptr);
    return std::move(*e_);
  }

private:
  std::optional<Error> e_;
};

} // namespace parawasm
