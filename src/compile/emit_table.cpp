// Tables and references. table.get/set/size are inline loads from the VMTable; the operators that
// may reallocate or copy ranges go to the runtime, which checks bounds and traps itself.
// A reference is a plain pointer: a VMFuncRef* for funcref, an opaque host pointer for externref,
// null for ref.null.
#include "compile/translator.h"

#include <wabt/cast.h>

#include <cstddef>

namespace parawasm::compile {
namespace {

// Indices come from the binary reader, so they are always resolved; refuse anything else.
bool indexOf(FunctionTranslator &t, const wabt::Var &v, const char *what, uint32_t &out) {
  if (!v.is_index()) {
    t.fail(std::string(what) + ": unresolved name " + v.name());
    return false;
  }
  out = v.index();
  return true;
}

// Marks a load from an array that the runtime fills before any code of the instance runs and
// never changes afterwards, so LLVM may hoist it out of loops.
llvm::Value *invariantLoad(FunctionTranslator &t, llvm::Type *ty, llvm::Value *p) {
  llvm::LoadInst *load = t.b.CreateAlignedLoad(ty, p, llvm::Align(alignof(void *)));
  load->setMetadata(llvm::LLVMContext::MD_invariant_load, llvm::MDNode::get(t.llctx, {}));
  return load;
}

// ctx->tables[index]: the VMTable object itself is stable for the instance's lifetime; its
// elements pointer and size are not (table.grow) and are loaded plainly at each use.
llvm::Value *tableObject(FunctionTranslator &t, uint32_t index) {
  llvm::Value *tables = t.loadContextField(offsetof(vm::VMContext, tables), t.ptr(), true);
  llvm::Value *slot = t.b.CreateConstInBoundsGEP1_64(t.ptr(), tables, index);
  return invariantLoad(t, t.ptr(), slot);
}

llvm::Value *fieldAddress(FunctionTranslator &t, llvm::Value *object, size_t offset) {
  return t.b.CreateConstInBoundsGEP1_64(t.i8(), object, offset);
}

llvm::Value *tableSize(FunctionTranslator &t, llvm::Value *table) {
  return t.b.CreateAlignedLoad(t.i32(), fieldAddress(t, table, offsetof(vm::VMTable, size)),
                               llvm::Align(alignof(uint32_t)), "table.size");
}

// Address of elements[index32] after checking index32 < size.
llvm::Value *checkedElement(FunctionTranslator &t, uint32_t tableIndex, llvm::Value *index32) {
  llvm::Value *table = tableObject(t, tableIndex);
  t.trapIf(t.b.CreateICmpUGE(index32, tableSize(t, table)), TrapCode::TableOutOfBounds);
  llvm::Value *elements =
      t.b.CreateAlignedLoad(t.ptr(), fieldAddress(t, table, offsetof(vm::VMTable, elements)),
                            llvm::Align(alignof(void *)), "table.elements");
  return t.b.CreateInBoundsGEP(t.ptr(), elements, t.b.CreateZExt(index32, t.i64()));
}

} // namespace

void emitTable(FunctionTranslator &t, const wabt::Expr &e) {
  uint32_t table = 0;
  switch (e.type()) {
  case wabt::ExprType::TableGet: {
    if (!indexOf(t, wabt::cast<wabt::TableGetExpr>(&e)->var, "table.get", table))
      return;
    llvm::Value *index = t.pop();
    llvm::Value *p = checkedElement(t, table, index);
    t.push(t.b.CreateAlignedLoad(t.ptr(), p, llvm::Align(alignof(void *))));
    break;
  }
  case wabt::ExprType::TableSet: {
    if (!indexOf(t, wabt::cast<wabt::TableSetExpr>(&e)->var, "table.set", table))
      return;
    llvm::Value *ref = t.pop();
    llvm::Value *index = t.pop();
    llvm::Value *p = checkedElement(t, table, index);
    t.b.CreateAlignedStore(ref, p, llvm::Align(alignof(void *)));
    break;
  }
  case wabt::ExprType::TableSize: {
    if (!indexOf(t, wabt::cast<wabt::TableSizeExpr>(&e)->var, "table.size", table))
      return;
    t.push(tableSize(t, tableObject(t, table)));
    break;
  }
  case wabt::ExprType::TableGrow: {
    if (!indexOf(t, wabt::cast<wabt::TableGrowExpr>(&e)->var, "table.grow", table))
      return;
    llvm::Value *delta = t.pop();
    llvm::Value *init = t.pop();
    t.push(t.callRuntime(RuntimeCall::pw_table_grow, {t.ctx, t.b.getInt32(table), init, delta}));
    break;
  }
  case wabt::ExprType::TableFill: {
    if (!indexOf(t, wabt::cast<wabt::TableFillExpr>(&e)->var, "table.fill", table))
      return;
    llvm::Value *len = t.pop();
    llvm::Value *ref = t.pop();
    llvm::Value *dst = t.pop();
    t.callRuntime(RuntimeCall::pw_table_fill, {t.ctx, t.b.getInt32(table), dst, ref, len});
    break;
  }
  case wabt::ExprType::TableCopy: {
    auto *copy = wabt::cast<wabt::TableCopyExpr>(&e);
    uint32_t src = 0;
    if (!indexOf(t, copy->dst_table, "table.copy", table) ||
        !indexOf(t, copy->src_table, "table.copy", src))
      return;
    llvm::Value *len = t.pop();
    llvm::Value *srcIndex = t.pop();
    llvm::Value *dstIndex = t.pop();
    t.callRuntime(RuntimeCall::pw_table_copy,
                  {t.ctx, t.b.getInt32(table), t.b.getInt32(src), dstIndex, srcIndex, len});
    break;
  }
  case wabt::ExprType::TableInit: {
    auto *init = wabt::cast<wabt::TableInitExpr>(&e);
    uint32_t segment = 0;
    if (!indexOf(t, init->table_index, "table.init", table) ||
        !indexOf(t, init->segment_index, "table.init", segment))
      return;
    llvm::Value *len = t.pop();
    llvm::Value *src = t.pop();
    llvm::Value *dst = t.pop();
    t.callRuntime(RuntimeCall::pw_table_init,
                  {t.ctx, t.b.getInt32(table), t.b.getInt32(segment), dst, src, len});
    break;
  }
  case wabt::ExprType::ElemDrop: {
    uint32_t segment = 0;
    if (!indexOf(t, wabt::cast<wabt::ElemDropExpr>(&e)->var, "elem.drop", segment))
      return;
    t.callRuntime(RuntimeCall::pw_elem_drop, {t.ctx, t.b.getInt32(segment)});
    break;
  }
  case wabt::ExprType::RefNull:
    t.push(llvm::ConstantPointerNull::get(t.ptr()));
    break;
  case wabt::ExprType::RefIsNull: {
    llvm::Value *ref = t.pop();
    t.push(t.b.CreateZExt(t.b.CreateIsNull(ref), t.i32()));
    break;
  }
  case wabt::ExprType::RefFunc: {
    uint32_t func = 0;
    if (!indexOf(t, wabt::cast<wabt::RefFuncExpr>(&e)->var, "ref.func", func))
      return;
    // ctx->funcs[func] is the function's one VMFuncRef in this instance, so references to the
    // same function compare equal wherever they were taken.
    llvm::Value *funcs = t.loadContextField(offsetof(vm::VMContext, funcs), t.ptr(), true);
    llvm::Value *slot = t.b.CreateConstInBoundsGEP1_64(t.ptr(), funcs, func);
    t.push(invariantLoad(t, t.ptr(), slot));
    break;
  }
  default:
    t.fail(std::string("emitTable: unexpected expression ") + wabt::GetExprTypeName(e.type()));
  }
}

} // namespace parawasm::compile
