// PW_TRY: the one way to hand a failure up to the caller, for each of our error currencies.
//
//   Errno, parallel::ErrorCode  (an enum with a `Success` enumerator): fails when != Success;
//                               the enum value itself is returned.
//   parallel::Status            (anything with `bool isOk()`): fails when !isOk(); the Status
//                               is returned (moved).
//   Result<T>, Result<void>     (anything with `ok()` and `takeError()`): fails when !ok(); its
//                               Error is returned, so the enclosing function may return any
//                               Result<U> (or Error). The value, if any, is dropped: use
//                               PW_TRY_ASSIGN to keep it.
//
// The expression is evaluated exactly once; an lvalue operand is moved from when it fails. Both
// macros are statements and expand to a `return` in the enclosing function; no exception is
// involved.
#pragma once

#include <concepts>
#include <type_traits>
#include <utility>

namespace parawasm::support::try_detail {

template <class E>
concept SuccessEnum = std::is_enum_v<E> && requires {
  E::Success;
};

template <class S>
concept HasIsOk = requires(const S &s) {
  { s.isOk() } -> std::convertible_to<bool>;
};

template <class R>
concept ResultLike = requires(R &r) {
  { r.ok() } -> std::convertible_to<bool>;
  r.takeError();
};

template <SuccessEnum E> constexpr bool failed(const E &e) { return e != E::Success; }
template <SuccessEnum E> constexpr E failure(E &e) { return e; }

template <HasIsOk S> bool failed(const S &s) { return !s.isOk(); }
template <HasIsOk S> S failure(S &s) { return std::move(s); }

template <ResultLike R>
requires(!HasIsOk<R>) bool failed(const R &r) { return !r.ok(); }
template <ResultLike R>
requires(!HasIsOk<R>) auto failure(R &r) { return r.takeError(); }

} // namespace parawasm::support::try_detail

#define PW_TRY_CONCAT_IMPL(a, b) a##b
#define PW_TRY_CONCAT(a, b) PW_TRY_CONCAT_IMPL(a, b)

// Evaluates `expr` once; if it is a failure, returns it (a Result's Error) from the enclosing
// function.
#define PW_TRY(expr)                                                                               \
  do {                                                                                             \
    auto &&pwTryValue_ = (expr);                                                                   \
    if (::parawasm::support::try_detail::failed(pwTryValue_))                                      \
      return ::parawasm::support::try_detail::failure(pwTryValue_);                                \
  } while (0)

// For a Result<T>: evaluates `expr` once; on failure returns its Error, otherwise moves the
// value into `decl`, which may declare a variable (`PW_TRY_ASSIGN(auto x, f())`) or name an
// existing one (`PW_TRY_ASSIGN(x, f())`).
#define PW_TRY_ASSIGN(decl, expr)                                                                  \
  PW_TRY_ASSIGN_IMPL(decl, expr, PW_TRY_CONCAT(pwTryResult_, __LINE__))
#define PW_TRY_ASSIGN_IMPL(decl, expr, tmp)                                                        \
  auto tmp = (expr);                                                                               \
  if (!tmp.ok())                                                                                   \
    return tmp.takeError();                                                                        \
  decl = std::move(*tmp)
