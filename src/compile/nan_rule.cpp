#include "compile/nan_rule.h"

namespace parawasm::compile {

bool yieldsArithmeticNaN(wabt::Opcode op) {
  using Op = wabt::Opcode;
  switch (op) {
  case Op::F32Add:
  case Op::F32Sub:
  case Op::F32Mul:
  case Op::F32Div:
  case Op::F32Sqrt:
  case Op::F32Min:
  case Op::F32Max:
  case Op::F32Ceil:
  case Op::F32Floor:
  case Op::F32Trunc:
  case Op::F32Nearest:
  case Op::F32DemoteF64:
  case Op::F64Add:
  case Op::F64Sub:
  case Op::F64Mul:
  case Op::F64Div:
  case Op::F64Sqrt:
  case Op::F64Min:
  case Op::F64Max:
  case Op::F64Ceil:
  case Op::F64Floor:
  case Op::F64Trunc:
  case Op::F64Nearest:
  case Op::F64PromoteF32:
  case Op::F32X4Add:
  case Op::F32X4Sub:
  case Op::F32X4Mul:
  case Op::F32X4Div:
  case Op::F32X4Sqrt:
  case Op::F32X4Min:
  case Op::F32X4Max:
  case Op::F32X4Ceil:
  case Op::F32X4Floor:
  case Op::F32X4Trunc:
  case Op::F32X4Nearest:
  case Op::F32X4DemoteF64X2Zero:
  case Op::F32X4RelaxedMadd:
  case Op::F32X4RelaxedNmadd:
  case Op::F32X4RelaxedMin:
  case Op::F32X4RelaxedMax:
  case Op::F64X2Add:
  case Op::F64X2Sub:
  case Op::F64X2Mul:
  case Op::F64X2Div:
  case Op::F64X2Sqrt:
  case Op::F64X2Min:
  case Op::F64X2Max:
  case Op::F64X2Ceil:
  case Op::F64X2Floor:
  case Op::F64X2Trunc:
  case Op::F64X2Nearest:
  case Op::F64X2PromoteLowF32X4:
  case Op::F64X2RelaxedMadd:
  case Op::F64X2RelaxedNmadd:
  case Op::F64X2RelaxedMin:
  case Op::F64X2RelaxedMax:
    return true;
  default:
    return false;
  }
}

} // namespace parawasm::compile
