// Walks a function body's operators, nested blocks included (src/wasm and src/compile only).
#pragma once

#include <wabt/cast.h>
#include <wabt/ir.h>

#include <vector>

namespace parawasm::wasm {

// Calls `visit(const wabt::Expr &)` on every operator of `exprs` and of the blocks, loops, ifs
// and try/catch bodies nested in it, until `visit` returns false. Iterative: adversarial modules
// nest deeply. Returns false when `visit` stopped the walk.
template <class Visit> bool forEachExpr(const wabt::ExprList &exprs, Visit &&visit) {
  std::vector<const wabt::ExprList *> pending{&exprs};
  while (!pending.empty()) {
    const wabt::ExprList *list = pending.back();
    pending.pop_back();
    for (const wabt::Expr &e : *list) {
      if (!visit(e))
        return false;
      if (auto *block = wabt::dyn_cast<wabt::BlockExpr>(&e))
        pending.push_back(&block->block.exprs);
      else if (auto *loop = wabt::dyn_cast<wabt::LoopExpr>(&e))
        pending.push_back(&loop->block.exprs);
      else if (auto *branch = wabt::dyn_cast<wabt::IfExpr>(&e)) {
        pending.push_back(&branch->true_.exprs);
        pending.push_back(&branch->false_);
      } else if (auto *attempt = wabt::dyn_cast<wabt::TryExpr>(&e)) {
        pending.push_back(&attempt->block.exprs);
        for (const wabt::Catch &c : attempt->catches)
          pending.push_back(&c.exprs);
      }
    }
  }
  return true;
}

// The function a direct call (call, return_call) names; nothing for any other operator.
inline const wabt::Var *directCallee(const wabt::Expr &e) {
  if (auto *call = wabt::dyn_cast<wabt::CallExpr>(&e))
    return &call->var;
  if (auto *tail = wabt::dyn_cast<wabt::ReturnCallExpr>(&e))
    return &tail->var;
  return nullptr;
}

} // namespace parawasm::wasm
