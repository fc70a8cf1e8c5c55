// Wasm operators to the interpreter's code: the operand stack's height is known at every
// operator of a validated body, so branches carry how many cells they keep and drop, and blocks
// and `end`s leave no code behind.
#include "compile/interp_builder.h"

#include <wabt/cast.h>

#include <optional>

namespace parawasm::compile {

namespace {

using vm::InterpInstr;
using vm::InterpOp;
using wabt::ExprType;
using wabt::Opcode;

bool isScalar(wabt::Type t) {
  return t == wabt::Type::I32 || t == wabt::Type::I64 || t == wabt::Type::F32 ||
         t == wabt::Type::F64;
}
bool isScalar(ValType t) {
  return t == ValType::I32 || t == ValType::I64 || t == ValType::F32 || t == ValType::F64;
}
bool allScalar(const std::vector<ValType> &types) {
  for (ValType t : types)
    if (!isScalar(t))
      return false;
  return true;
}

std::optional<InterpOp> numericOp(Opcode op) {
  switch (op) {
#define PW_INTERP_OP(name)
#define PW_INTERP_NUMERIC(name)                                                                    \
  case Opcode::name:                                                                               \
    return InterpOp::name;
#include "vm/interp_ops.def"
#undef PW_INTERP_NUMERIC
#undef PW_INTERP_OP
  default:
    return std::nullopt;
  }
}

std::optional<InterpOp> loadOp(Opcode op) {
  switch (op) {
  case Opcode::I32Load8S:
    return InterpOp::Load8S32;
  case Opcode::I32Load8U:
    return InterpOp::Load8U32;
  case Opcode::I32Load16S:
    return InterpOp::Load16S32;
  case Opcode::I32Load16U:
    return InterpOp::Load16U32;
  case Opcode::I32Load:
  case Opcode::F32Load:
    return InterpOp::Load32;
  case Opcode::I64Load8S:
    return InterpOp::Load8S64;
  case Opcode::I64Load8U:
    return InterpOp::Load8U64;
  case Opcode::I64Load16S:
    return InterpOp::Load16S64;
  case Opcode::I64Load16U:
    return InterpOp::Load16U64;
  case Opcode::I64Load32S:
    return InterpOp::Load32S64;
  case Opcode::I64Load32U:
    return InterpOp::Load32U64;
  case Opcode::I64Load:
  case Opcode::F64Load:
    return InterpOp::Load64;
  default:
    return std::nullopt;
  }
}

std::optional<InterpOp> storeOp(Opcode op) {
  switch (op) {
  case Opcode::I32Store8:
  case Opcode::I64Store8:
    return InterpOp::Store8;
  case Opcode::I32Store16:
  case Opcode::I64Store16:
    return InterpOp::Store16;
  case Opcode::I32Store:
  case Opcode::F32Store:
  case Opcode::I64Store32:
    return InterpOp::Store32;
  case Opcode::I64Store:
  case Opcode::F64Store:
    return InterpOp::Store64;
  default:
    return std::nullopt;
  }
}

// Deeper bodies are compiled. The builder recurses per level on the guest's thread: this keeps
// it within a few tens of KiB of stack.
constexpr size_t kMaxNesting = 200;

class Builder {
public:
  Builder(const wabt::Module &m, const vm::ModuleInfo &info) : m_(m), info_(info) {}

  InterpBuild build(uint32_t funcIndex) {
    const wabt::Func &func = *m_.funcs[funcIndex];
    const FuncType &ft = info_.funcType(funcIndex);
    InterpBuild out;
    if (!allScalar(ft.params) || !allScalar(ft.results))
      return out;
    uint32_t numLocals = func.GetNumParamsAndLocals();
    for (uint32_t i = 0; i < numLocals; ++i)
      if (!isScalar(func.GetLocalType(i)))
        return out;
    code_ = std::make_unique<vm::InterpCode>();
    code_->numParams = uint32_t(ft.params.size());
    code_->numResults = uint32_t(ft.results.size());
    code_->numLocals = numLocals;
    Control body;
    body.height = 0;
    body.arity = code_->numResults;
    body.results = code_->numResults;
    controls_.push_back(body);
    list(func.exprs);
    if (failed_)
      return out;
    endBlock();
    emit(InterpOp::Return);
    code_->numLoops = uint32_t(loops_.size());
    out.code = std::move(code_);
    out.loops = std::move(loops_);
    return out;
  }

private:
  struct Control {
    bool isLoop = false;
    uint32_t height = 0; // operand cells below the block's parameters
    uint32_t arity = 0;  // cells a branch to it keeps: a loop's parameters, a block's results
    uint32_t results = 0;
    uint32_t loopStart = 0;
    std::vector<uint32_t> fixups; // forward branches to the end
    std::optional<uint32_t> elseFixup;
  };

  uint32_t pc() const { return uint32_t(code_->code.size()); }
  void emit(InterpOp op, uint32_t a = 0, uint64_t b = 0, uint16_t c = 0) {
    code_->code.push_back(InterpInstr{op, c, a, b});
  }
  void setHeight(uint32_t h) {
    height_ = h;
    if (h > code_->maxStack)
      code_->maxStack = h;
  }
  void push(uint32_t n = 1) { setHeight(height_ + n); }
  void pop(uint32_t n = 1) { height_ -= n; }
  void refuse() { failed_ = true; }

  // A branch to the label `depth` levels out, as `op` (Br, BrIf or BrTableEntry).
  void branch(InterpOp op, uint32_t depth) {
    Control &target = controls_[controls_.size() - 1 - depth];
    uint32_t keep = target.arity;
    uint64_t drop = height_ - keep - target.height;
    if (keep > 0xFFFF)
      return refuse();
    if (target.isLoop) {
      emit(op, target.loopStart, drop, uint16_t(keep));
    } else {
      target.fixups.push_back(pc());
      emit(op, 0, drop, uint16_t(keep));
    }
  }

  void endBlock() {
    Control &c = controls_.back();
    for (uint32_t at : c.fixups)
      code_->code[at].a = pc();
    if (c.elseFixup)
      code_->code[*c.elseFixup].a = pc();
    setHeight(c.height + c.results);
    unreachable_ = false;
  }

  bool blockTypes(const wabt::BlockDeclaration &decl, uint32_t &params, uint32_t &results) {
    for (wabt::Type t : decl.sig.param_types)
      if (!isScalar(t))
        return false;
    for (wabt::Type t : decl.sig.result_types)
      if (!isScalar(t))
        return false;
    params = uint32_t(decl.sig.param_types.size());
    results = uint32_t(decl.sig.result_types.size());
    return true;
  }

  void block(const wabt::Block &blk, bool isLoop, const wabt::Expr *loopExpr) {
    uint32_t params, results;
    if (controls_.size() > kMaxNesting || !blockTypes(blk.decl, params, results))
      return refuse();
    Control c;
    c.isLoop = isLoop;
    c.height = height_ - params;
    c.results = results;
    c.arity = isLoop ? params : results;
    if (isLoop) {
      c.loopStart = pc();
      bool enterable = height_ == 0 && params == 0;
      emit(InterpOp::LoopHead, uint32_t(loops_.size()), 0, enterable ? 1 : 0);
      loops_.push_back(loopExpr);
    }
    controls_.push_back(std::move(c));
    list(blk.exprs);
    if (failed_)
      return;
    endBlock();
    controls_.pop_back();
  }

  void ifElse(const wabt::IfExpr &e) {
    uint32_t params, results;
    if (controls_.size() > kMaxNesting || !blockTypes(e.true_.decl, params, results))
      return refuse();
    pop(); // the condition
    Control c;
    c.height = height_ - params;
    c.results = results;
    c.arity = results;
    c.elseFixup = pc();
    emit(InterpOp::BrUnless);
    controls_.push_back(std::move(c));
    list(e.true_.exprs);
    if (failed_)
      return;
    Control &self = controls_.back();
    if (!unreachable_) {
      self.fixups.push_back(pc());
      emit(InterpOp::Br); // to the end, nothing kept or dropped: the arm left exactly its results
    }
    code_->code[*self.elseFixup].a = pc();
    self.elseFixup.reset();
    unreachable_ = false;
    setHeight(self.height + params);
    list(e.false_);
    if (failed_)
      return;
    endBlock();
    controls_.pop_back();
  }

  void list(const wabt::ExprList &exprs) {
    for (const wabt::Expr &e : exprs) {
      if (failed_ || unreachable_)
        return;
      expr(e);
    }
  }

  void call(const FuncType &ft, InterpOp op, uint32_t a, uint16_t c) {
    if (!allScalar(ft.params) || !allScalar(ft.results))
      return refuse();
    uint32_t params = uint32_t(ft.params.size()), results = uint32_t(ft.results.size());
    code_->maxCallCells = std::max({code_->maxCallCells, params, results});
    pop(params);
    emit(op, a, uint64_t(params) | uint64_t(results) << 32, c);
    push(results);
    // An exception passes through: the function returns with it, as compiled code does (a
    // function with try, throw or rethrow is not interpreted).
    if (info_.checksExceptions && (op == InterpOp::CallIndirect || info_.mayThrow[a]))
      emit(InterpOp::CheckException);
  }

  bool memoryZero(const wabt::Var &memidx) {
    wabt::Index index = m_.GetMemoryIndex(memidx);
    return index == 0 && !info_.memories.empty() && !info_.memories[0].index64;
  }

  void expr(const wabt::Expr &e) {
    switch (e.type()) {
    case ExprType::Nop:
      return;
    case ExprType::Unreachable:
      emit(InterpOp::Unreachable);
      unreachable_ = true;
      return;
    case ExprType::Drop:
      emit(InterpOp::Drop);
      pop();
      return;
    case ExprType::Select: {
      auto *s = wabt::cast<wabt::SelectExpr>(&e);
      for (wabt::Type t : s->result_type)
        if (!isScalar(t))
          return refuse();
      emit(InterpOp::Select);
      pop(2);
      return;
    }
    case ExprType::Block:
      return block(wabt::cast<wabt::BlockExpr>(&e)->block, false, nullptr);
    case ExprType::Loop:
      return block(wabt::cast<wabt::LoopExpr>(&e)->block, true, &e);
    case ExprType::If:
      return ifElse(*wabt::cast<wabt::IfExpr>(&e));
    case ExprType::Br:
      branch(InterpOp::Br, wabt::cast<wabt::BrExpr>(&e)->var.index());
      unreachable_ = true;
      return;
    case ExprType::BrIf:
      pop();
      branch(InterpOp::BrIf, wabt::cast<wabt::BrIfExpr>(&e)->var.index());
      return;
    case ExprType::BrTable: {
      auto *bt = wabt::cast<wabt::BrTableExpr>(&e);
      pop();
      emit(InterpOp::BrTable, uint32_t(bt->targets.size()));
      for (const wabt::Var &v : bt->targets)
        branch(InterpOp::BrTableEntry, v.index());
      branch(InterpOp::BrTableEntry, bt->default_target.index());
      unreachable_ = true;
      return;
    }
    case ExprType::Return:
      emit(InterpOp::Return);
      unreachable_ = true;
      return;
    case ExprType::Call: {
      uint32_t f = uint32_t(m_.GetFuncIndex(wabt::cast<wabt::CallExpr>(&e)->var));
      if (info_.funcTypes[f] > 0xFFFF)
        return refuse();
      return call(info_.funcType(f), InterpOp::Call, f, uint16_t(info_.funcTypes[f]));
    }
    case ExprType::CallIndirect: {
      auto *ci = wabt::cast<wabt::CallIndirectExpr>(&e);
      uint32_t table = uint32_t(m_.GetTableIndex(ci->table));
      uint32_t type = uint32_t(m_.GetFuncTypeIndex(ci->decl));
      if (table > 0xFFFF || table >= info_.tables.size() ||
          info_.tables[table].element != ValType::FuncRef || type >= info_.types.size())
        return refuse();
      pop(); // the element index
      return call(info_.types[type], InterpOp::CallIndirect, type, uint16_t(table));
    }
    case ExprType::LocalGet:
      emit(InterpOp::LocalGet, wabt::cast<wabt::LocalGetExpr>(&e)->var.index());
      push();
      return;
    case ExprType::LocalSet:
      emit(InterpOp::LocalSet, wabt::cast<wabt::LocalSetExpr>(&e)->var.index());
      pop();
      return;
    case ExprType::LocalTee:
      emit(InterpOp::LocalTee, wabt::cast<wabt::LocalTeeExpr>(&e)->var.index());
      return;
    case ExprType::GlobalGet:
    case ExprType::GlobalSet: {
      bool get = e.type() == ExprType::GlobalGet;
      uint32_t g = uint32_t(m_.GetGlobalIndex(get ? wabt::cast<wabt::GlobalGetExpr>(&e)->var
                                                  : wabt::cast<wabt::GlobalSetExpr>(&e)->var));
      ValType t = info_.globals[g].type.type;
      if (!isScalar(t))
        return refuse();
      uint16_t bytes = t == ValType::I32 || t == ValType::F32 ? 4 : 8;
      emit(get ? InterpOp::GlobalGet : InterpOp::GlobalSet, g, 0, bytes);
      get ? push() : pop();
      return;
    }
    case ExprType::Const: {
      const wabt::Const &k = wabt::cast<wabt::ConstExpr>(&e)->const_;
      uint64_t bits;
      switch (k.type()) {
      case wabt::Type::I32:
        bits = k.u32();
        break;
      case wabt::Type::I64:
        bits = k.u64();
        break;
      case wabt::Type::F32:
        bits = k.f32_bits();
        break;
      case wabt::Type::F64:
        bits = k.f64_bits();
        break;
      default:
        return refuse();
      }
      emit(InterpOp::Const, 0, bits);
      push();
      return;
    }
    case ExprType::Unary:
    case ExprType::Binary:
    case ExprType::Compare:
    case ExprType::Convert: {
      Opcode op = e.type() == ExprType::Unary     ? wabt::cast<wabt::UnaryExpr>(&e)->opcode
                  : e.type() == ExprType::Binary  ? wabt::cast<wabt::BinaryExpr>(&e)->opcode
                  : e.type() == ExprType::Compare ? wabt::cast<wabt::CompareExpr>(&e)->opcode
                                                  : wabt::cast<wabt::ConvertExpr>(&e)->opcode;
      switch (op) {
      case Opcode::I32ReinterpretF32: // a cell holds the bits either way
      case Opcode::I64ReinterpretF64:
      case Opcode::F32ReinterpretI32:
      case Opcode::F64ReinterpretI64:
        return;
      default:
        break;
      }
      std::optional<InterpOp> iop = numericOp(op);
      if (!iop)
        return refuse();
      emit(*iop);
      // Not wabt's parameter types, which give f32.neg a second f32.
      bool binary = e.type() == ExprType::Binary ||
                    (e.type() == ExprType::Compare && op != Opcode::I32Eqz && op != Opcode::I64Eqz);
      pop(binary ? 2 : 1);
      push();
      return;
    }
    case ExprType::Load: {
      auto *l = wabt::cast<wabt::LoadExpr>(&e);
      std::optional<InterpOp> op = loadOp(l->opcode);
      if (!op || !memoryZero(l->memidx))
        return refuse();
      emit(*op, 0, l->offset);
      return; // pops the address, pushes the value
    }
    case ExprType::Store: {
      auto *s = wabt::cast<wabt::StoreExpr>(&e);
      std::optional<InterpOp> op = storeOp(s->opcode);
      if (!op || !memoryZero(s->memidx))
        return refuse();
      emit(*op, 0, s->offset);
      pop(2);
      return;
    }
    case ExprType::MemorySize:
      if (!memoryZero(wabt::cast<wabt::MemorySizeExpr>(&e)->memidx))
        return refuse();
      emit(InterpOp::MemorySize);
      push();
      return;
    case ExprType::MemoryGrow:
      if (!memoryZero(wabt::cast<wabt::MemoryGrowExpr>(&e)->memidx))
        return refuse();
      emit(InterpOp::MemoryGrow);
      return;
    case ExprType::MemoryFill:
      if (!memoryZero(wabt::cast<wabt::MemoryFillExpr>(&e)->memidx))
        return refuse();
      emit(InterpOp::MemoryFill);
      pop(3);
      return;
    case ExprType::MemoryCopy: {
      auto *c = wabt::cast<wabt::MemoryCopyExpr>(&e);
      if (!memoryZero(c->destmemidx) || !memoryZero(c->srcmemidx))
        return refuse();
      emit(InterpOp::MemoryCopy);
      pop(3);
      return;
    }
    case ExprType::CodeMetadata:
      return;
    default:
      return refuse();
    }
  }

  const wabt::Module &m_;
  const vm::ModuleInfo &info_;
  std::unique_ptr<vm::InterpCode> code_;
  std::vector<Control> controls_;
  std::vector<const wabt::Expr *> loops_;
  uint32_t height_ = 0;
  bool unreachable_ = false;
  bool failed_ = false;
};

} // namespace

InterpBuild buildInterpCode(const wabt::Module &m, const vm::ModuleInfo &info, uint32_t funcIndex) {
  return Builder(m, info).build(funcIndex);
}

} // namespace parawasm::compile
