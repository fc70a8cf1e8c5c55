#include "bound_module.h"

#include "wasm/loaded_module.h"
#include "wasm/wabt_util.h"

#include <wabt/ir.h>

#include <memory>

namespace parawasm::fuzz {
namespace {

using wabt::ExprList;
using wabt::Opcode;

class Rewriter {
public:
  Rewriter(wabt::Index fuel, wabt::Index depth) : fuel_(fuel), depth_(depth) {}

  bool tailCalls = false; // a function seen so far has return_call or return_call_indirect

  void function(wabt::Func &f) {
    // One scratch i32 local after the existing ones: indices of the others do not move.
    scratch_ = f.GetNumParamsAndLocals();
    f.local_types.AppendDecl(wabt::Type::I32, 1);
    // The call depth is counted in functions of at most one result, whose body can be wrapped in
    // a block of the same type without a new type in the module: a branch out of the body, or a
    // `return` (made a branch), leaves the block, and the depth is taken back after it.
    counted_ = f.decl.sig.result_types.size() <= 1;
    list(f.exprs, 0);
    spendAtFront(f.exprs);
    if (!counted_)
      return;
    auto body = std::make_unique<wabt::BlockExpr>();
    body->block.decl.sig.result_types = f.decl.sig.result_types;
    body->block.exprs = std::move(f.exprs);
    f.exprs.clear();
    // if (depth >= kMaxCallDepth) unreachable; depth += 1
    f.exprs.push_back(make<wabt::GlobalGetExpr>(depthVar()));
    f.exprs.push_back(make<wabt::ConstExpr>(wabt::Const::I32(kMaxCallDepth)));
    f.exprs.push_back(make<wabt::CompareExpr>(Opcode::I32GeU));
    f.exprs.push_back(trapIf());
    addToDepth(f.exprs, f.exprs.end(), 1);
    f.exprs.push_back(std::move(body));
    addToDepth(f.exprs, f.exprs.end(), -1);
  }

private:
  template <class E, class... Args> static std::unique_ptr<wabt::Expr> make(Args &&...args) {
    return std::make_unique<E>(std::forward<Args>(args)...);
  }
  std::unique_ptr<wabt::Expr> trapIf() {
    auto e = std::make_unique<wabt::IfExpr>();
    e->true_.exprs.push_back(make<wabt::UnreachableExpr>());
    return e;
  }
  wabt::Var fuelVar() const { return wabt::Var(fuel_, {}); }
  wabt::Var depthVar() const { return wabt::Var(depth_, {}); }

  // Inserts before `pos`: depth += delta.
  void addToDepth(ExprList &l, ExprList::iterator pos, int32_t delta) {
    l.insert(pos, make<wabt::GlobalGetExpr>(depthVar()));
    l.insert(pos, make<wabt::ConstExpr>(wabt::Const::I32(uint32_t(delta))));
    l.insert(pos, make<wabt::BinaryExpr>(Opcode::I32Add));
    l.insert(pos, make<wabt::GlobalSetExpr>(depthVar()));
  }
  wabt::Var scratchVar() const { return wabt::Var(scratch_, {}); }

  // Inserts before `pos` (or at the front): traps when the fuel is below the cost, else spends
  // it. The cost is 1, or (when `byCount`) the scratch local (set by the caller) >> 10, plus 1.
  void spend(ExprList &l, ExprList::iterator pos, bool byCount) {
    auto cost = [&](ExprList &out) {
      if (byCount) {
        out.push_back(make<wabt::LocalGetExpr>(scratchVar()));
        out.push_back(make<wabt::ConstExpr>(wabt::Const::I32(10)));
        out.push_back(make<wabt::BinaryExpr>(Opcode::I32ShrU));
        out.push_back(make<wabt::ConstExpr>(wabt::Const::I32(1)));
        out.push_back(make<wabt::BinaryExpr>(Opcode::I32Add));
      } else {
        out.push_back(make<wabt::ConstExpr>(wabt::Const::I32(1)));
      }
    };
    ExprList seq;
    cost(seq);
    seq.push_back(make<wabt::GlobalGetExpr>(fuelVar()));
    seq.push_back(make<wabt::CompareExpr>(Opcode::I32GtU));
    seq.push_back(trapIf());
    seq.push_back(make<wabt::GlobalGetExpr>(fuelVar()));
    cost(seq);
    seq.push_back(make<wabt::BinaryExpr>(Opcode::I32Sub));
    seq.push_back(make<wabt::GlobalSetExpr>(fuelVar()));
    while (!seq.empty())
      l.insert(pos, seq.extract_front());
  }
  void spendAtFront(ExprList &l) { spend(l, l.begin(), false); }

  // Bulk operations take their count last: keep it in the scratch local and spend by it.
  static bool isBulk(const wabt::Expr &e) {
    switch (e.type()) {
    case wabt::ExprType::MemoryFill:
    case wabt::ExprType::MemoryCopy:
    case wabt::ExprType::MemoryInit:
    case wabt::ExprType::TableFill:
    case wabt::ExprType::TableCopy:
    case wabt::ExprType::TableInit:
      return true;
    default:
      return false;
    }
  }

  // `nesting`: the labels around `l` inside the function body (a branch to label `nesting` left
  // the function; after function() wraps the body, it leaves the wrapping block).
  void list(ExprList &l, uint32_t nesting) {
    for (auto it = l.begin(); it != l.end(); ++it) {
      wabt::Expr &e = *it;
      switch (e.type()) {
      case wabt::ExprType::Block:
        list(wabt::cast<wabt::BlockExpr>(&e)->block.exprs, nesting + 1);
        break;
      case wabt::ExprType::Loop: {
        ExprList &body = wabt::cast<wabt::LoopExpr>(&e)->block.exprs;
        list(body, nesting + 1);
        spendAtFront(body);
        break;
      }
      case wabt::ExprType::If: {
        auto *i = wabt::cast<wabt::IfExpr>(&e);
        list(i->true_.exprs, nesting + 1);
        list(i->false_, nesting + 1);
        break;
      }
      case wabt::ExprType::Try: {
        auto *t = wabt::cast<wabt::TryExpr>(&e);
        list(t->block.exprs, nesting + 1);
        for (wabt::Catch &c : t->catches)
          list(c.exprs, nesting + 1);
        break;
      }
      case wabt::ExprType::Return:
        if (counted_) { // leave the wrapping block instead, which takes the depth back
          it = l.insert(it, make<wabt::BrExpr>(wabt::Var(nesting, {})));
          l.erase(std::next(it));
        }
        break;
      case wabt::ExprType::ReturnCall:
      case wabt::ExprType::ReturnCallIndirect:
        tailCalls = true;
        if (counted_) // this frame ends before the callee's begins
          addToDepth(l, it, -1);
        break;
      case wabt::ExprType::AtomicWait:
        // Nothing else runs to notify a waiter: replace the timeout (last operand) with zero.
        l.insert(it, make<wabt::DropExpr>());
        l.insert(it, make<wabt::ConstExpr>(wabt::Const::I64(0)));
        break;
      default:
        if (isBulk(e)) {
          l.insert(it, make<wabt::LocalTeeExpr>(scratchVar()));
          spend(l, it, true);
        }
        break;
      }
    }
  }

  wabt::Index fuel_, depth_;
  wabt::Index scratch_ = 0;
  bool counted_ = false;
};

bool capLimits(wabt::Limits &limits, uint64_t cap) {
  if (limits.initial > cap)
    return false;
  if (!limits.has_max || limits.max > cap) {
    limits.has_max = true;
    limits.max = cap;
  }
  return true;
}

} // namespace

Bounded boundModule(std::span<const uint8_t> bytes) {
  Bounded out;
  auto loaded = wasm::loadBinary(bytes);
  if (!loaded)
    return out;
  out.valid = true;
  wabt::Module &m = *loaded->ir;
  // The engine refuses functions with more locals than this (an implementation limit in
  // src/compile/translator.cpp) before anything runs; wabt's writer would exhaust memory on them.
  for (const wabt::Func *f : m.funcs) {
    uint64_t declared = f->GetNumParams();
    for (const auto &decl : f->local_types.decls())
      declared += decl.second;
    if (declared > 50000) {
      out.bytes.assign(bytes.begin(), bytes.end());
      return out;
    }
  }
  for (wabt::Memory *mem : m.memories)
    if (!capLimits(mem->page_limits, kMaxMemoryPages))
      out.tooLarge = true;
  for (wabt::Table *t : m.tables)
    if (!capLimits(t->elem_limits, kMaxTableElements))
      out.tooLarge = true;
  if (out.tooLarge)
    return out;

  auto addGlobal = [&](uint32_t init) {
    auto field = std::make_unique<wabt::GlobalModuleField>();
    field->global.type = wabt::Type::I32;
    field->global.mutable_ = true;
    field->global.init_expr.push_back(std::make_unique<wabt::ConstExpr>(wabt::Const::I32(init)));
    m.AppendField(std::move(field));
    return wabt::Index(m.globals.size() - 1);
  };
  wabt::Index fuel = addGlobal(kFuel);
  Rewriter rewriter(fuel, addGlobal(0));
  for (size_t i = m.num_func_imports; i < m.funcs.size(); ++i)
    rewriter.function(*m.funcs[i]);
  out.tailCalls = rewriter.tailCalls;
  auto encoded = wasm::moduleToBinary(m);
  if (!encoded) {
    out.valid = false;
    return out;
  }
  out.bytes = std::move(*encoded);
  return out;
}

} // namespace parawasm::fuzz
