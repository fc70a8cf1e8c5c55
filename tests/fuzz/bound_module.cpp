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
  explicit Rewriter(wabt::Index fuel) : fuel_(fuel) {}

  void function(wabt::Func &f) {
    // One scratch i32 local after the existing ones: indices of the others do not move.
    scratch_ = f.GetNumParamsAndLocals();
    f.local_types.AppendDecl(wabt::Type::I32, 1);
    list(f.exprs);
    spendAtFront(f.exprs);
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

  void list(ExprList &l) {
    for (auto it = l.begin(); it != l.end(); ++it) {
      wabt::Expr &e = *it;
      switch (e.type()) {
      case wabt::ExprType::Block:
        list(wabt::cast<wabt::BlockExpr>(&e)->block.exprs);
        break;
      case wabt::ExprType::Loop: {
        ExprList &body = wabt::cast<wabt::LoopExpr>(&e)->block.exprs;
        list(body);
        spendAtFront(body);
        break;
      }
      case wabt::ExprType::If: {
        auto *i = wabt::cast<wabt::IfExpr>(&e);
        list(i->true_.exprs);
        list(i->false_);
        break;
      }
      case wabt::ExprType::Try: {
        auto *t = wabt::cast<wabt::TryExpr>(&e);
        list(t->block.exprs);
        for (wabt::Catch &c : t->catches)
          list(c.exprs);
        break;
      }
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

  wabt::Index fuel_;
  wabt::Index scratch_ = 0;
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

  auto field = std::make_unique<wabt::GlobalModuleField>();
  field->global.type = wabt::Type::I32;
  field->global.mutable_ = true;
  field->global.init_expr.push_back(std::make_unique<wabt::ConstExpr>(wabt::Const::I32(kFuel)));
  m.AppendField(std::move(field));
  Rewriter rewriter(wabt::Index(m.globals.size() - 1));
  for (size_t i = m.num_func_imports; i < m.funcs.size(); ++i)
    rewriter.function(*m.funcs[i]);
  auto encoded = wasm::moduleToBinary(m);
  if (!encoded) {
    out.valid = false;
    return out;
  }
  out.bytes = std::move(*encoded);
  return out;
}

} // namespace parawasm::fuzz
