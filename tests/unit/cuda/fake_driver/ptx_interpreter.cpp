// The fake driver's PTX interpreter (ptx_interpreter.h). The text is parsed once per module into
// functions of decoded instructions; a launch then runs every thread of the grid in turn.
//
// Values live in 64-bit register slots: an instruction reads the bits its type names (sign- or
// zero-extending) and writes its result zero-extended to 64 bits, or sign-extended by signed
// loads, which every later read masks again. Device, local, parameter and module memory are all
// host memory, so a generic address and cvta need no translation.
#include "ptx_interpreter.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cmath>
#include <cstring>
#include <limits>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace pwfake {
namespace {

// ---- Types and instructions ----------------------------------------------------------------

enum class Ty : uint8_t {
  None,
  B8,
  B16,
  B32,
  B64,
  U8,
  U16,
  U32,
  U64,
  S8,
  S16,
  S32,
  S64,
  F16,
  F32,
  F64,
  Pred
};

unsigned bitsOf(Ty t) {
  switch (t) {
  case Ty::B8:
  case Ty::U8:
  case Ty::S8:
    return 8;
  case Ty::B16:
  case Ty::U16:
  case Ty::S16:
  case Ty::F16:
    return 16;
  case Ty::B32:
  case Ty::U32:
  case Ty::S32:
  case Ty::F32:
    return 32;
  case Ty::B64:
  case Ty::U64:
  case Ty::S64:
  case Ty::F64:
    return 64;
  case Ty::Pred:
    return 1;
  case Ty::None:
    break;
  }
  return 0;
}
bool isSigned(Ty t) { return t == Ty::S8 || t == Ty::S16 || t == Ty::S32 || t == Ty::S64; }
bool isFloat(Ty t) { return t == Ty::F16 || t == Ty::F32 || t == Ty::F64; }

Ty typeNamed(std::string_view s) {
  static const std::pair<const char *, Ty> names[] = {
      {"b8", Ty::B8},   {"b16", Ty::B16}, {"b32", Ty::B32}, {"b64", Ty::B64},
      {"u8", Ty::U8},   {"u16", Ty::U16}, {"u32", Ty::U32}, {"u64", Ty::U64},
      {"s8", Ty::S8},   {"s16", Ty::S16}, {"s32", Ty::S32}, {"s64", Ty::S64},
      {"f16", Ty::F16}, {"f32", Ty::F32}, {"f64", Ty::F64}, {"pred", Ty::Pred}};
  for (auto &[n, t] : names)
    if (s == n)
      return t;
  return Ty::None;
}

enum class Op : uint8_t {
  Unsupported,
  Nop,
  Mov,
  Ld,
  St,
  Cvta,
  Cvt,
  Add,
  Sub,
  Mul,
  Mad,
  Fma,
  Div,
  Rem,
  Abs,
  Neg,
  Min,
  Max,
  And,
  Or,
  Xor,
  Not,
  Cnot,
  Shl,
  Shr,
  Setp,
  Selp,
  Bra,
  Ret,
  Exit,
  Call,
  Popc,
  Clz,
  Brev,
  Bfe,
  Bfi,
  Prmt,
  Shf,
  Sqrt,
  Rcp,
  Copysign,
  Testp,
  Atom,
  Red,
  Trap
};

enum class Cmp : uint8_t {
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  Lo,
  Ls,
  Hi,
  Hs,
  Equ,
  Neu,
  Ltu,
  Leu,
  Gtu,
  Geu,
  Num,
  Nan
};
enum class Rnd : uint8_t { None, Rn, Rz, Rm, Rp, Rni, Rzi, Rmi, Rpi };
enum class Mode : uint8_t { None, Lo, Hi, Wide };
enum class AtomOp : uint8_t { None, Add, Min, Max, Inc, Dec, And, Or, Xor, Exch, Cas };
enum class BoolOp : uint8_t { None, And, Or, Xor };
enum class TestKind : uint8_t { Finite, Infinite, Number, NotANumber, Normal, Subnormal };
enum class Special : uint8_t {
  TidX,
  TidY,
  TidZ,
  NtidX,
  NtidY,
  NtidZ,
  CtaidX,
  CtaidY,
  CtaidZ,
  NctaidX,
  NctaidY,
  NctaidZ,
  LaneId,
  WarpSize
};

struct Operand {
  enum Kind : uint8_t { None, Reg, Imm, Mem, Addr, Vec, Sink, Spec } kind = None;
  int32_t reg = -1;      // Reg; a Mem's base register (-1: none)
  int32_t sym = -1;      // Mem, Addr: the symbol (-1: none)
  bool frameSym = false; // the symbol is the function's (frame offset), not the module's
  bool negate = false;   // a predicate read as !%p
  int64_t value = 0;     // Imm's bits; Mem's and Addr's offset
  Special special{};
  std::vector<Operand> elems; // Vec
};

struct Instr {
  Op op = Op::Unsupported;
  Ty ty = Ty::None, ty2 = Ty::None; // cvt: destination, source
  Cmp cmp = Cmp::Eq;
  Rnd rnd = Rnd::None;
  Mode mode = Mode::None;
  AtomOp atom = AtomOp::None;
  BoolOp boolOp = BoolOp::None;
  TestKind test = TestKind::Finite;
  bool ftz = false, sat = false, nanProp = false, left = false, wrap = false;
  bool twoDestinations = false; // setp's "%p|%q"
  uint8_t vec = 1;
  int32_t guard = -1;
  bool guardNegated = false;
  std::vector<Operand> ops; // destination(s) first, as written
  int32_t target = -1;      // Bra: instruction index; Call: function index
  std::vector<Operand> callRets, callArgs;
  std::string text;  // as written, for errors
  std::string label; // Bra, Call: the name to resolve
};

struct FrameSymbol {
  uint64_t offset, size;
};

struct Function {
  std::string name;
  bool entry = false, defined = false;
  std::vector<Instr> code;
  std::unordered_map<std::string, int32_t> registers;
  int32_t registerCount = 0;
  std::vector<FrameSymbol> frameSymbols;
  std::vector<int32_t> params, rets; // frame symbols, in order
  uint64_t frameSize = 0;
};

struct ModuleSymbol {
  std::string name;
  uint64_t size = 0, align = 1;
  std::vector<uint8_t> init;
  std::vector<std::pair<uint64_t, std::string>> addressInits; // offset, symbol whose address
  uint8_t *storage = nullptr;
};

} // namespace

class PtxModule {
public:
  std::vector<Function> functions;
  std::unordered_map<std::string, int32_t> functionIndex;
  std::vector<ModuleSymbol> symbols;
  std::unordered_map<std::string, int32_t> symbolIndex;
  std::vector<std::unique_ptr<uint64_t[]>> storage;
};

namespace {

// ---- Parsing -------------------------------------------------------------------------------

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return s;
}

// Splits at commas outside (), [] and {}.
std::vector<std::string_view> splitTop(std::string_view s) {
  std::vector<std::string_view> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '(' || c == '[' || c == '{')
      ++depth;
    else if (c == ')' || c == ']' || c == '}')
      --depth;
    else if (c == ',' && depth == 0) {
      out.push_back(trim(s.substr(start, i - start)));
      start = i + 1;
    }
  }
  if (!trim(s.substr(start)).empty() || !out.empty())
    out.push_back(trim(s.substr(start)));
  return out;
}

std::vector<std::string_view> splitWords(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])))
      ++i;
    size_t j = i;
    while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j])))
      ++j;
    if (j > i)
      out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

bool parseInteger(std::string_view s, int64_t &out) {
  s = trim(s);
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty())
    return false;
  uint64_t v = 0;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'f' || s[1] == 'F' || s[1] == 'd' || s[1] == 'D')) {
    // 0fXXXXXXXX (f32 bits), 0dXXXXXXXXXXXXXXXX (f64 bits)
    for (char c : s.substr(2)) {
      if (!std::isxdigit(static_cast<unsigned char>(c)))
        return false;
      v = v * 16 + uint64_t(std::isdigit(static_cast<unsigned char>(c))
                                ? c - '0'
                                : (std::tolower(c) - 'a' + 10));
    }
    out = int64_t(v);
    return !negative;
  }
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  }
  if (!s.empty() && (s.back() == 'U' || s.back() == 'u'))
    s.remove_suffix(1);
  for (char c : s) {
    int d;
    if (std::isdigit(static_cast<unsigned char>(c)))
      d = c - '0';
    else if (base == 16 && std::isxdigit(static_cast<unsigned char>(c)))
      d = std::tolower(c) - 'a' + 10;
    else
      return false;
    v = v * uint64_t(base) + uint64_t(d);
  }
  out = negative ? int64_t(0 - v) : int64_t(v);
  return true;
}

bool isIdentStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '$' || c == '%';
}

class Parser {
public:
  explicit Parser(PtxModule &m) : m_(m) {}

  bool parse(const std::string &text) {
    std::string stripped = stripComments(text);
    std::string statement;
    int depth = 0; // 0: module level; >= 1 inside a function body
    Function *current = nullptr;
    std::vector<std::unordered_map<std::string, int32_t>> scopes; // block-scoped .param names
    for (size_t i = 0; i < stripped.size(); ++i) {
      char c = stripped[i];
      std::string_view pending = trim(statement);
      // A block may carry labels ("$L__BB0_96:\n{ .reg .b64 %lhs; ... }", LLVM's 64-bit rotate):
      // they name the block's first instruction.
      if (c == '{' && depth > 0 && onlyLabels(pending)) {
        if (!bodyStatement(*current, std::string(pending)))
          return false;
        pending = {};
      }
      if (c == '{' && (pending.empty() || (depth == 0 && isFunctionHeader(pending)))) {
        if (depth == 0) {
          current = beginFunction(std::string(pending), true);
          if (!current)
            return false;
          scopes.assign(1, std::move(headerNames_));
          headerNames_.clear();
          scopes_ = &scopes;
        } else {
          scopes.emplace_back();
        }
        statement.clear();
        ++depth;
        continue;
      }
      if (c == '}' && pending.empty()) {
        if (depth == 0)
          return fail("unbalanced '}'");
        --depth;
        if (depth == 0) {
          if (!endFunction(*current))
            return false;
          current = nullptr;
          scopes.clear();
        } else {
          scopes.pop_back();
        }
        continue;
      }
      if (c == '\n' && lineDirective(pending)) {
        statement.clear(); // .version, .target, .address_size, .loc, .file: no ';', nothing to run
        continue;
      }
      if (c != ';') {
        statement += c;
        continue;
      }
      std::string s(trim(statement));
      statement.clear();
      if (depth == 0) {
        if (!moduleStatement(s))
          return false;
      } else if (!bodyStatement(*current, s)) {
        return false;
      }
    }
    if (depth != 0 || !trim(statement).empty())
      return fail("unexpected end of PTX");
    return link();
  }

  std::string error;

private:
  PtxModule &m_;
  std::vector<std::unordered_map<std::string, int32_t>> *scopes_ = nullptr;
  std::vector<std::pair<std::string, size_t>> pendingLabels_;
  std::unordered_map<std::string, int32_t> labels_;

  bool fail(std::string why) {
    error = std::move(why);
    return false;
  }

  // Whether s is one or more labels ("$L__BB0_2:") and nothing else.
  static bool onlyLabels(std::string_view s) {
    s = trim(s);
    if (s.empty())
      return false;
    while (!s.empty()) {
      size_t i = 0;
      while (i < s.size() &&
             (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == '$'))
        ++i;
      if (i == 0 || i >= s.size() || s[i] != ':')
        return false;
      s = trim(s.substr(i + 1));
    }
    return true;
  }

  static std::string stripComments(const std::string &text) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '/' && i + 1 < text.size() && text[i + 1] == '/') {
        while (i < text.size() && text[i] != '\n')
          ++i;
        out += '\n';
      } else if (text[i] == '/' && i + 1 < text.size() && text[i + 1] == '*') {
        i += 2;
        while (i + 1 < text.size() && !(text[i] == '*' && text[i + 1] == '/'))
          ++i;
        ++i;
        out += ' ';
      } else if (text[i] == '"') {
        // .pragma "nounroll": keep strings whole (they hold no braces we care about)
        out += text[i++];
        while (i < text.size() && text[i] != '"')
          out += text[i++];
        if (i < text.size())
          out += text[i];
      } else {
        out += text[i];
      }
    }
    return out;
  }

  static bool lineDirective(std::string_view s) {
    for (const char *d : {".version", ".target", ".address_size", ".loc", ".file"})
      if (s.substr(0, std::strlen(d)) == d)
        return true;
    return false;
  }

  static bool isFunctionHeader(std::string_view s) {
    for (auto w : splitWords(s.substr(0, s.find('('))))
      if (w == ".entry" || w == ".func")
        return true;
    return false;
  }

  // ".visible .func (.param .b32 func_retval0) name(.param .b32 name_param_0) .noreturn"
  Function *beginFunction(const std::string &header, bool defined) {
    std::string_view h = header;
    bool entry = false;
    size_t pos = 0;
    for (;;) {
      while (pos < h.size() && std::isspace(static_cast<unsigned char>(h[pos])))
        ++pos;
      if (pos < h.size() && h[pos] == '.') {
        size_t e = pos;
        while (e < h.size() && !std::isspace(static_cast<unsigned char>(h[e])) && h[e] != '(')
          ++e;
        std::string_view w = h.substr(pos, e - pos);
        if (w == ".entry")
          entry = true;
        else if (w != ".func" && w != ".visible" && w != ".extern" && w != ".weak")
          return fail("unexpected '" + std::string(w) + "' in a function header"), nullptr;
        pos = e;
        continue;
      }
      break;
    }
    std::string_view retList;
    if (pos < h.size() && h[pos] == '(') {
      size_t close = h.find(')', pos);
      if (close == std::string_view::npos)
        return fail("bad function header: " + header), nullptr;
      retList = h.substr(pos + 1, close - pos - 1);
      pos = close + 1;
    }
    while (pos < h.size() && std::isspace(static_cast<unsigned char>(h[pos])))
      ++pos;
    size_t nameEnd = pos;
    while (nameEnd < h.size() && h[nameEnd] != '(' &&
           !std::isspace(static_cast<unsigned char>(h[nameEnd])))
      ++nameEnd;
    std::string name(h.substr(pos, nameEnd - pos));
    if (name.empty())
      return fail("a function without a name: " + header), nullptr;
    std::string_view paramList;
    size_t open = h.find('(', nameEnd);
    if (open != std::string_view::npos) {
      int d = 0;
      size_t close = open;
      for (; close < h.size(); ++close) {
        if (h[close] == '(')
          ++d;
        else if (h[close] == ')' && --d == 0)
          break;
      }
      paramList = h.substr(open + 1, close - open - 1);
    }
    int32_t index;
    if (auto it = m_.functionIndex.find(name); it != m_.functionIndex.end()) {
      index = it->second;
    } else {
      index = int32_t(m_.functions.size());
      m_.functions.emplace_back();
      m_.functionIndex[name] = index;
    }
    Function &f = m_.functions[size_t(index)];
    if (defined && f.defined)
      return fail("function " + name + " defined twice"), nullptr;
    if (!defined && (f.defined || !f.params.empty() || !f.rets.empty()))
      return &f; // a prototype of a function already seen
    f = Function{};
    f.name = name;
    f.entry = entry;
    f.defined = defined;
    labels_.clear();
    pendingLabels_.clear();
    std::unordered_map<std::string, int32_t> names;
    for (auto p : splitTop(retList)) {
      int32_t s = declareParam(f, p, names);
      if (s < 0)
        return nullptr;
      f.rets.push_back(s);
    }
    for (auto p : splitTop(paramList)) {
      int32_t s = declareParam(f, p, names);
      if (s < 0)
        return nullptr;
      f.params.push_back(s);
    }
    headerNames_ = std::move(names); // the body's outermost scope, once it opens
    return &f;
  }
  std::unordered_map<std::string, int32_t> headerNames_;

  // ".param .b32 name", ".param .align 8 .b8 name[16]"; returns the frame symbol
  int32_t declareParam(Function &f, std::string_view decl,
                       std::unordered_map<std::string, int32_t> &names) {
    auto words = splitWords(decl);
    if (words.empty() || words[0] != ".param")
      return fail("bad parameter '" + std::string(decl) + "' of " + f.name), -1;
    uint64_t size = 0, align = 0;
    std::string name;
    if (!declaration(words, 1, size, align, name))
      return -1;
    int32_t s = frameSymbol(f, size, std::max<uint64_t>(align, 8));
    names[name] = s;
    return s;
  }

  // [.align N] .TYPE name[[N]]... from words[i]
  bool declaration(const std::vector<std::string_view> &words, size_t i, uint64_t &size,
                   uint64_t &align, std::string &name) {
    Ty ty = Ty::None;
    align = 0;
    for (; i < words.size(); ++i) {
      std::string_view w = words[i];
      if (w == ".align" && i + 1 < words.size()) {
        int64_t a;
        if (!parseInteger(words[++i], a))
          return fail("bad .align");
        align = uint64_t(a);
      } else if (w == ".ptr" || w == ".global" || w == ".local" || w == ".shared" ||
                 w == ".const") {
        // .param .u64 .ptr .global .align 1 name: attributes of a pointer parameter
      } else if (w.size() > 1 && w[0] == '.' && typeNamed(w.substr(1)) != Ty::None) {
        ty = typeNamed(w.substr(1));
      } else {
        break;
      }
    }
    if (ty == Ty::None || i >= words.size())
      return fail("bad declaration");
    std::string rest;
    for (size_t j = i; j < words.size(); ++j)
      rest += words[j];
    size_t bracket = rest.find('[');
    name = rest.substr(0, bracket);
    uint64_t count = 1;
    while (bracket != std::string::npos) {
      size_t close = rest.find(']', bracket);
      int64_t n;
      if (close == std::string::npos ||
          !parseInteger(std::string_view(rest).substr(bracket + 1, close - bracket - 1), n))
        return fail("bad array size in " + rest);
      count *= uint64_t(n);
      bracket = rest.find('[', close);
    }
    uint64_t elem = ty == Ty::Pred ? 1 : bitsOf(ty) / 8;
    size = elem * count;
    if (!align)
      align = elem;
    return true;
  }

  int32_t frameSymbol(Function &f, uint64_t size, uint64_t align) {
    align = std::max<uint64_t>(align, 1);
    f.frameSize = (f.frameSize + align - 1) / align * align;
    f.frameSymbols.push_back({f.frameSize, size});
    f.frameSize += size;
    return int32_t(f.frameSymbols.size() - 1);
  }

  bool endFunction(Function &f) {
    for (auto &[name, at] : pendingLabels_)
      labels_[name] = int32_t(at);
    for (Instr &in : f.code) {
      if (in.op == Op::Bra) {
        auto it = labels_.find(in.label);
        if (it == labels_.end())
          return fail("branch to unknown label " + in.label + " in " + f.name);
        in.target = it->second;
      }
    }
    f.frameSize = (f.frameSize + 15) / 16 * 16;
    return true;
  }

  bool moduleStatement(const std::string &s) {
    if (s.empty())
      return true;
    auto words = splitWords(s);
    std::string_view first = words[0];
    if (first == ".version" || first == ".target" || first == ".address_size" || first == ".file")
      return true;
    if (isFunctionHeader(s))
      return beginFunction(s, false) != nullptr; // a prototype
    size_t i = 0;
    bool isExtern = false;
    while (i < words.size() && (words[i] == ".visible" || words[i] == ".extern" ||
                                words[i] == ".weak" || words[i] == ".common")) {
      isExtern |= words[i] == ".extern";
      ++i;
    }
    if (i < words.size() &&
        (words[i] == ".global" || words[i] == ".const" || words[i] == ".shared")) {
      return variable(s.substr(s.find(words[i]) + words[i].size()), isExtern);
    }
    return fail("unsupported module directive: " + s.substr(0, 80));
  }

  bool variable(const std::string &declText, bool isExtern) {
    std::string_view text = declText;
    std::string_view init;
    if (size_t eq = text.find('='); eq != std::string_view::npos) {
      init = trim(text.substr(eq + 1));
      text = text.substr(0, eq);
    }
    auto words = splitWords(text);
    std::vector<std::string_view> full{".x"};
    full.insert(full.end(), words.begin(), words.end());
    uint64_t size = 0, align = 0;
    std::string name;
    // Type of one element, for initializers
    Ty ty = Ty::None;
    for (auto w : words)
      if (w.size() > 1 && w[0] == '.' && typeNamed(w.substr(1)) != Ty::None)
        ty = typeNamed(w.substr(1));
    if (!declaration(full, 1, size, align, name))
      return false;
    if (isExtern && size == 0)
      return fail("extern variable " + name + " has no definition");
    ModuleSymbol sym;
    sym.name = name;
    sym.size = size;
    sym.align = std::max<uint64_t>(align, 1);
    sym.init.assign(size, 0);
    if (!init.empty()) {
      std::string_view body = init;
      if (!body.empty() && body.front() == '{') {
        body.remove_prefix(1);
        if (body.empty() || body.back() != '}')
          return fail("bad initializer of " + name);
        body.remove_suffix(1);
      }
      uint64_t elem = bitsOf(ty) / 8, offset = 0;
      for (auto v : splitTop(body)) {
        // nested braces of multi-dimensional arrays flatten
        std::string flat;
        for (char c : v)
          if (c != '{' && c != '}')
            flat += c;
        for (auto e : splitTop(flat)) {
          if (offset + elem > size)
            return fail("initializer of " + name + " too long");
          int64_t value;
          if (parseInteger(e, value)) {
            std::memcpy(sym.init.data() + offset, &value, elem);
          } else {
            std::string_view id = e;
            if (id.substr(0, 8) == "generic(" && id.back() == ')')
              id = id.substr(8, id.size() - 9);
            sym.addressInits.emplace_back(offset, std::string(trim(id)));
          }
          offset += elem;
        }
      }
    }
    m_.symbolIndex[name] = int32_t(m_.symbols.size());
    m_.symbols.push_back(std::move(sym));
    return true;
  }

  bool bodyStatement(Function &f, std::string s) {
    // Labels: "$L__BB0_2:" ahead of the statement
    for (;;) {
      std::string_view t = trim(s);
      size_t i = 0;
      if (t.empty() || !isIdentStart(t[0]) || t[0] == '%')
        break;
      while (i < t.size() &&
             (std::isalnum(static_cast<unsigned char>(t[i])) || t[i] == '_' || t[i] == '$'))
        ++i;
      if (i < t.size() && t[i] == ':' && (i + 1 >= t.size() || t[i + 1] != ':')) {
        pendingLabels_.emplace_back(std::string(t.substr(0, i)), f.code.size());
        s = std::string(t.substr(i + 1));
        continue;
      }
      break;
    }
    std::string_view t = trim(s);
    if (t.empty())
      return true;
    if (t[0] == '.') {
      auto words = splitWords(t);
      std::string_view d = words[0];
      if (d == ".reg")
        return registers(f, words);
      if (d == ".local" || d == ".param" || d == ".shared") {
        uint64_t size, align;
        std::string name;
        if (!declaration(words, 1, size, align, name))
          return false;
        if (d == ".shared") {
          ModuleSymbol sym;
          sym.name = f.name + "::" + name;
          sym.size = size;
          sym.align = align;
          sym.init.assign(size, 0);
          int32_t index = int32_t(m_.symbols.size());
          m_.symbols.push_back(std::move(sym));
          sharedNames_[name] = index;
          return true;
        }
        (*scopes_).back()[name] = frameSymbol(f, size, align);
        return true;
      }
      if (d == ".pragma" || d == ".loc" || d == ".maxntid" || d == ".reqntid" ||
          d == ".minnctapersm" || d == ".maxnreg")
        return true;
      return fail("unsupported directive in " + f.name + ": " + std::string(t.substr(0, 80)));
    }
    Instr in;
    if (!instruction(f, t, in))
      return false;
    f.code.push_back(std::move(in));
    return true;
  }
  std::unordered_map<std::string, int32_t> sharedNames_;

  bool registers(Function &f, const std::vector<std::string_view> &words) {
    // .reg .b32 %r<12>;  .reg .b64 %SP;  .reg .pred %p<3>, %q;
    std::string rest;
    for (size_t i = 2; i < words.size(); ++i)
      rest += words[i];
    for (auto r : splitTop(rest)) {
      size_t lt = r.find('<');
      if (lt == std::string_view::npos) {
        f.registers[std::string(r)] = f.registerCount++;
        continue;
      }
      int64_t n;
      if (!parseInteger(r.substr(lt + 1, r.size() - lt - 2), n))
        return fail("bad register declaration " + std::string(r));
      std::string base(r.substr(0, lt));
      for (int64_t k = 0; k < n; ++k)
        f.registers[base + std::to_string(k)] = f.registerCount++;
    }
    return true;
  }

  bool lookupSymbol(const std::string &name, Operand &o) {
    for (auto it = scopes_->rbegin(); it != scopes_->rend(); ++it)
      if (auto s = it->find(name); s != it->end()) {
        o.sym = s->second;
        o.frameSym = true;
        return true;
      }
    if (auto s = sharedNames_.find(name); s != sharedNames_.end()) {
      o.sym = s->second;
      return true;
    }
    if (auto s = m_.symbolIndex.find(name); s != m_.symbolIndex.end()) {
      o.sym = s->second;
      return true;
    }
    return false;
  }

  bool operand(Function &f, std::string_view text, Operand &o) {
    text = trim(text);
    if (text.empty())
      return fail("empty operand in " + f.name);
    if (text == "_") {
      o.kind = Operand::Sink;
      return true;
    }
    if (text[0] == '{') {
      if (text.back() != '}')
        return fail("bad vector operand " + std::string(text));
      o.kind = Operand::Vec;
      for (auto e : splitTop(text.substr(1, text.size() - 2))) {
        Operand x;
        if (!operand(f, e, x))
          return false;
        o.elems.push_back(std::move(x));
      }
      return true;
    }
    if (text[0] == '[') {
      if (text.back() != ']')
        return fail("bad address operand " + std::string(text));
      std::string_view inner = trim(text.substr(1, text.size() - 2));
      o.kind = Operand::Mem;
      size_t plus = inner.find('+');
      std::string_view base = trim(inner.substr(0, plus));
      if (plus != std::string_view::npos) {
        if (!parseInteger(inner.substr(plus + 1), o.value))
          return fail("bad address offset " + std::string(text));
      }
      if (base.empty())
        return fail("bad address " + std::string(text));
      if (int64_t v; std::isdigit(static_cast<unsigned char>(base[0])) && parseInteger(base, v)) {
        o.value += v; // an absolute address
        return true;
      }
      if (base[0] == '%') {
        auto r = f.registers.find(std::string(base));
        if (r == f.registers.end())
          return fail("unknown register " + std::string(base) + " in " + f.name);
        o.reg = r->second;
        return true;
      }
      if (!lookupSymbol(std::string(base), o))
        return fail("unknown symbol " + std::string(base) + " in " + f.name);
      return true;
    }
    if (text[0] == '!') {
      if (!operand(f, text.substr(1), o))
        return false;
      o.negate = true;
      return true;
    }
    if (text[0] == '%') {
      static const std::pair<const char *, Special> specials[] = {
          {"%tid.x", Special::TidX},       {"%tid.y", Special::TidY},
          {"%tid.z", Special::TidZ},       {"%ntid.x", Special::NtidX},
          {"%ntid.y", Special::NtidY},     {"%ntid.z", Special::NtidZ},
          {"%ctaid.x", Special::CtaidX},   {"%ctaid.y", Special::CtaidY},
          {"%ctaid.z", Special::CtaidZ},   {"%nctaid.x", Special::NctaidX},
          {"%nctaid.y", Special::NctaidY}, {"%nctaid.z", Special::NctaidZ},
          {"%laneid", Special::LaneId},    {"WARP_SZ", Special::WarpSize}};
      for (auto &[n, sp] : specials)
        if (text == n) {
          o.kind = Operand::Spec;
          o.special = sp;
          return true;
        }
      auto r = f.registers.find(std::string(text));
      if (r == f.registers.end())
        return fail("unknown register " + std::string(text) + " in " + f.name);
      o.kind = Operand::Reg;
      o.reg = r->second;
      return true;
    }
    // A register named without '%' (LLVM's "{ .reg .b32 tmp; mov.b64 {tmp, %r1}, %rd1; }").
    if (auto r = f.registers.find(std::string(text)); r != f.registers.end()) {
      o.kind = Operand::Reg;
      o.reg = r->second;
      return true;
    }
    if (text == "WARP_SZ") {
      o.kind = Operand::Imm;
      o.value = 32;
      return true;
    }
    if (int64_t v; parseInteger(text, v)) {
      o.kind = Operand::Imm;
      o.value = v;
      return true;
    }
    // a symbol's address, maybe with an offset: "sym", "sym+8", "generic(sym)"
    std::string_view name = text;
    if (name.substr(0, 8) == "generic(" && name.back() == ')')
      name = name.substr(8, name.size() - 9);
    o.kind = Operand::Addr;
    if (size_t plus = name.find('+'); plus != std::string_view::npos) {
      if (!parseInteger(name.substr(plus + 1), o.value))
        return fail("bad operand " + std::string(text));
      name = trim(name.substr(0, plus));
    }
    if (!lookupSymbol(std::string(name), o))
      return fail("unknown operand " + std::string(text) + " in " + f.name);
    return true;
  }

  bool instruction(Function &f, std::string_view t, Instr &in) {
    in.text = std::string(t);
    if (t[0] == '@') {
      size_t sp = 1;
      while (sp < t.size() && !std::isspace(static_cast<unsigned char>(t[sp])))
        ++sp;
      std::string_view g = t.substr(1, sp - 1);
      if (!g.empty() && g[0] == '!') {
        in.guardNegated = true;
        g.remove_prefix(1);
      }
      auto r = f.registers.find(std::string(g));
      if (r == f.registers.end())
        return fail("unknown guard predicate in " + in.text);
      in.guard = r->second;
      t = trim(t.substr(sp));
    }
    size_t sp = 0;
    while (sp < t.size() && !std::isspace(static_cast<unsigned char>(t[sp])))
      ++sp;
    std::string_view opcode = t.substr(0, sp);
    std::string_view rest = trim(t.substr(sp));
    std::vector<std::string_view> parts;
    for (size_t s = 0;;) {
      size_t dot = opcode.find('.', s);
      // "L1::evict_last"-style parts hold no dots, so plain splitting is enough
      parts.push_back(opcode.substr(s, dot - s));
      if (dot == std::string_view::npos)
        break;
      s = dot + 1;
    }
    std::string_view mn = parts[0];
    static const std::pair<const char *, Op> mnemonics[] = {
        {"mov", Op::Mov},     {"ld", Op::Ld},     {"ldu", Op::Ld},      {"st", Op::St},
        {"cvta", Op::Cvta},   {"cvt", Op::Cvt},   {"add", Op::Add},     {"sub", Op::Sub},
        {"mul", Op::Mul},     {"mad", Op::Mad},   {"fma", Op::Fma},     {"div", Op::Div},
        {"rem", Op::Rem},     {"abs", Op::Abs},   {"neg", Op::Neg},     {"min", Op::Min},
        {"max", Op::Max},     {"and", Op::And},   {"or", Op::Or},       {"xor", Op::Xor},
        {"not", Op::Not},     {"cnot", Op::Cnot}, {"shl", Op::Shl},     {"shr", Op::Shr},
        {"setp", Op::Setp},   {"selp", Op::Selp}, {"bra", Op::Bra},     {"ret", Op::Ret},
        {"exit", Op::Exit},   {"call", Op::Call}, {"popc", Op::Popc},   {"clz", Op::Clz},
        {"brev", Op::Brev},   {"bfe", Op::Bfe},   {"bfi", Op::Bfi},     {"prmt", Op::Prmt},
        {"shf", Op::Shf},     {"sqrt", Op::Sqrt}, {"rcp", Op::Rcp},     {"copysign", Op::Copysign},
        {"testp", Op::Testp}, {"atom", Op::Atom}, {"red", Op::Red},     {"membar", Op::Nop},
        {"fence", Op::Nop},   {"trap", Op::Trap}, {"prefetch", Op::Nop}};
    in.op = Op::Unsupported;
    for (auto &[n, op] : mnemonics)
      if (mn == n)
        in.op = op;
    if (in.op == Op::Unsupported)
      return true; // runs as an error, naming in.text
    bool isAtom = in.op == Op::Atom || in.op == Op::Red;
    for (size_t k = 1; k < parts.size(); ++k) {
      std::string_view p = parts[k];
      Ty ty = typeNamed(p);
      if (ty != Ty::None) {
        if (in.ty == Ty::None)
          in.ty = ty;
        else
          in.ty2 = ty;
        continue;
      }
      static const std::pair<const char *, Cmp> cmps[] = {
          {"eq", Cmp::Eq},   {"ne", Cmp::Ne},   {"lt", Cmp::Lt},   {"le", Cmp::Le},
          {"gt", Cmp::Gt},   {"ge", Cmp::Ge},   {"lo", Cmp::Lo},   {"ls", Cmp::Ls},
          {"hi", Cmp::Hi},   {"hs", Cmp::Hs},   {"equ", Cmp::Equ}, {"neu", Cmp::Neu},
          {"ltu", Cmp::Ltu}, {"leu", Cmp::Leu}, {"gtu", Cmp::Gtu}, {"geu", Cmp::Geu},
          {"num", Cmp::Num}, {"nan", Cmp::Nan}};
      if (in.op == Op::Setp) {
        bool found = false;
        for (auto &[n, c] : cmps)
          if (p == n) {
            in.cmp = c;
            found = true;
          }
        if (found)
          continue;
        if (p == "and" || p == "or" || p == "xor") {
          in.boolOp = p == "and" ? BoolOp::And : p == "or" ? BoolOp::Or : BoolOp::Xor;
          continue;
        }
      }
      static const std::pair<const char *, Rnd> rnds[] = {
          {"rn", Rnd::Rn},   {"rz", Rnd::Rz},   {"rm", Rnd::Rm},   {"rp", Rnd::Rp},
          {"rni", Rnd::Rni}, {"rzi", Rnd::Rzi}, {"rmi", Rnd::Rmi}, {"rpi", Rnd::Rpi}};
      bool found = false;
      for (auto &[n, r] : rnds)
        if (p == n) {
          in.rnd = r;
          found = true;
        }
      if (found)
        continue;
      if (isAtom) {
        static const std::pair<const char *, AtomOp> atoms[] = {
            {"add", AtomOp::Add}, {"min", AtomOp::Min}, {"max", AtomOp::Max},
            {"inc", AtomOp::Inc}, {"dec", AtomOp::Dec}, {"and", AtomOp::And},
            {"or", AtomOp::Or},   {"xor", AtomOp::Xor}, {"exch", AtomOp::Exch},
            {"cas", AtomOp::Cas}};
        for (auto &[n, a] : atoms)
          if (p == n) {
            in.atom = a;
            found = true;
          }
        if (found)
          continue;
      }
      if (in.op == Op::Testp) {
        static const std::pair<const char *, TestKind> tests[] = {
            {"finite", TestKind::Finite}, {"infinite", TestKind::Infinite},
            {"number", TestKind::Number}, {"notanumber", TestKind::NotANumber},
            {"normal", TestKind::Normal}, {"subnormal", TestKind::Subnormal}};
        for (auto &[n, k2] : tests)
          if (p == n) {
            in.test = k2;
            found = true;
          }
        if (found)
          continue;
      }
      if (p == "ftz")
        in.ftz = true;
      else if (p == "sat")
        in.sat = true;
      else if (p == "NaN")
        in.nanProp = true;
      else if (p == "lo")
        in.mode = Mode::Lo;
      else if (p == "hi")
        in.mode = Mode::Hi;
      else if (p == "wide")
        in.mode = Mode::Wide;
      else if (p == "v2")
        in.vec = 2;
      else if (p == "v4")
        in.vec = 4;
      else if (p == "l" && in.op == Op::Shf)
        in.left = true;
      else if (p == "r" && in.op == Op::Shf)
        in.left = false;
      else if (p == "wrap")
        in.wrap = true;
      else if (p == "clamp")
        in.wrap = false;
      else if (p == "approx" || p == "full") {
        // no IEEE result to check against: refuse (Wasm needs correctly rounded results)
        in.op = Op::Unsupported;
        return true;
      } else if (p == "global" || p == "local" || p == "shared" || p == "param" || p == "const" ||
                 p == "to" || p == "uni" || p == "volatile" || p == "relaxed" || p == "acquire" ||
                 p == "release" || p == "acq_rel" || p == "sc" || p == "weak" || p == "gpu" ||
                 p == "sys" || p == "cta" || p == "nc" || p == "ca" || p == "cg" || p == "cs" ||
                 p == "lu" || p == "cv" || p == "wb" || p == "wt" || p == "gl" || p == "noftz" ||
                 p.find("::") != std::string_view::npos) {
        // state spaces (every address is a host address), memory orders and cache hints
      } else {
        in.op = Op::Unsupported; // an unknown modifier: refuse rather than guess
        return true;
      }
    }
    if (in.op == Op::Bra) {
      in.label = std::string(rest);
      return true;
    }
    if (in.op == Op::Call) {
      // call.uni (ret), name, (args);  call.uni name, (args);  call name;
      auto pieces = splitTop(rest);
      size_t k = 0;
      auto list = [&](std::string_view p, std::vector<Operand> &out) {
        p = trim(p);
        if (p.size() < 2 || p.front() != '(' || p.back() != ')')
          return fail("bad call " + in.text);
        for (auto e : splitTop(p.substr(1, p.size() - 2))) {
          Operand o;
          if (!operand(f, e, o))
            return false;
          out.push_back(std::move(o));
        }
        return true;
      };
      if (k < pieces.size() && !pieces[k].empty() && pieces[k][0] == '(') {
        if (!list(pieces[k++], in.callRets))
          return false;
      }
      if (k >= pieces.size())
        return fail("bad call " + in.text);
      in.label = std::string(pieces[k++]);
      if (!in.label.empty() && in.label[0] == '%') {
        in.op = Op::Unsupported; // an indirect call
        return true;
      }
      if (k < pieces.size() && !list(pieces[k++], in.callArgs))
        return false;
      if (k < pieces.size()) {
        in.op = Op::Unsupported; // a prototype: indirect
        return true;
      }
      return true;
    }
    if (!rest.empty()) {
      std::string ops(rest);
      // setp's "%p1|%p2": two destinations
      for (auto o : splitTop(ops)) {
        if (size_t bar = o.find('|'); bar != std::string_view::npos && in.op == Op::Setp) {
          Operand a, b;
          if (!operand(f, o.substr(0, bar), a) || !operand(f, o.substr(bar + 1), b))
            return false;
          in.ops.push_back(std::move(a));
          in.ops.push_back(std::move(b));
          in.twoDestinations = true;
          continue;
        }
        Operand x;
        if (!operand(f, o, x))
          return false;
        in.ops.push_back(std::move(x));
      }
    }
    return true;
  }

  bool link() {
    // module storage, then address initializers, then call targets
    for (ModuleSymbol &s : m_.symbols) {
      size_t words = (s.size + 7) / 8 + 2;
      m_.storage.push_back(std::make_unique<uint64_t[]>(words));
      s.storage = reinterpret_cast<uint8_t *>(m_.storage.back().get());
      std::memcpy(s.storage, s.init.data(), s.size);
    }
    for (ModuleSymbol &s : m_.symbols)
      for (auto &[offset, name] : s.addressInits) {
        auto it = m_.symbolIndex.find(name);
        if (it == m_.symbolIndex.end())
          return fail("initializer of " + s.name + " names unknown symbol " + name);
        uint64_t a = reinterpret_cast<uint64_t>(m_.symbols[size_t(it->second)].storage);
        std::memcpy(s.storage + offset, &a, 8);
      }
    for (Function &f : m_.functions)
      for (Instr &in : f.code)
        if (in.op == Op::Call) {
          auto it = m_.functionIndex.find(in.label);
          if (it == m_.functionIndex.end())
            return fail("call of unknown function " + in.label);
          in.target = it->second;
        }
    return true;
  }
};

// ---- Execution -----------------------------------------------------------------------------

struct Range {
  uint64_t begin, end;
};

constexpr uint32_t kCanonicalNan32 = 0x7fffffffu;
constexpr uint64_t kCanonicalNan64 = 0x7fffffffffffffffull;

uint64_t maskTo(uint64_t v, unsigned bits) {
  return bits >= 64 ? v : v & ((uint64_t(1) << bits) - 1);
}
int64_t signExtend(uint64_t v, unsigned bits) {
  if (bits >= 64)
    return int64_t(v);
  uint64_t m = uint64_t(1) << (bits - 1);
  v = maskTo(v, bits);
  return int64_t((v ^ m) - m);
}
float asF32(uint64_t v) { return std::bit_cast<float>(uint32_t(v)); }
double asF64(uint64_t v) { return std::bit_cast<double>(v); }
uint64_t bitsF32(float f) {
  if (std::isnan(f))
    return kCanonicalNan32;
  return std::bit_cast<uint32_t>(f);
}
uint64_t bitsF64(double d) {
  if (std::isnan(d))
    return kCanonicalNan64;
  return std::bit_cast<uint64_t>(d);
}
float flush(float f) { return std::fpclassify(f) == FP_SUBNORMAL ? std::copysign(0.0f, f) : f; }

struct Failure {
  int status;
  std::string message;
};

class Machine {
public:
  Machine(const PtxModule &m, unsigned gridX, unsigned blockX, std::vector<Range> device)
      : m_(m), gridX_(gridX), blockX_(blockX), device_(std::move(device)) {
    for (const ModuleSymbol &s : m.symbols)
      device_.push_back(
          {reinterpret_cast<uint64_t>(s.storage), reinterpret_cast<uint64_t>(s.storage) + s.size});
    std::sort(device_.begin(), device_.end(),
              [](const Range &a, const Range &b) { return a.begin < b.begin; });
  }

  bool runThread(const Function &entry, uint32_t block, uint32_t thread,
                 const std::vector<uint8_t> &params) {
    block_ = block;
    thread_ = thread;
    Frame frame(entry);
    std::memcpy(frame.bytes(), params.data(), std::min<size_t>(params.size(), entry.frameSize));
    return execute(entry, frame, 0);
  }

  Failure failure{0, ""};
  // Instructions reached by all threads, predicated-off ones included (they take an issue slot
  // on a GPU too).
  uint64_t issued = 0;

private:
  struct Frame {
    explicit Frame(const Function &f)
        : regs(size_t(f.registerCount), 0), memory((f.frameSize + 15) / 16 + 1) {}
    uint8_t *bytes() { return reinterpret_cast<uint8_t *>(memory.data()); }
    std::vector<uint64_t> regs;
    struct alignas(16) Chunk {
      uint8_t b[16];
    };
    std::vector<Chunk> memory;
  };

  const PtxModule &m_;
  unsigned gridX_, blockX_;
  uint32_t block_ = 0, thread_ = 0;
  std::vector<Range> device_;
  Range lastHit_{1, 0};
  std::vector<Range> frames_; // of the running thread's call stack

  bool fail(int status, std::string message) {
    failure = {status, std::move(message)};
    return false;
  }

  bool accessible(uint64_t a, uint64_t n) {
    if (a >= lastHit_.begin && a + n <= lastHit_.end && a + n >= a)
      return true;
    for (const Range &r : frames_)
      if (a >= r.begin && a + n <= r.end) {
        lastHit_ = r;
        return true;
      }
    auto it = std::upper_bound(device_.begin(), device_.end(), a,
                               [](uint64_t x, const Range &r) { return x < r.begin; });
    if (it == device_.begin())
      return false;
    --it;
    if (a >= it->begin && a + n <= it->end && a + n >= a) {
      lastHit_ = *it;
      return true;
    }
    return false;
  }

  uint64_t symbolAddress(const Operand &o, Frame &fr, const Function &f) const {
    if (o.frameSym)
      return reinterpret_cast<uint64_t>(fr.bytes()) + f.frameSymbols[size_t(o.sym)].offset;
    return reinterpret_cast<uint64_t>(m_.symbols[size_t(o.sym)].storage);
  }

  uint64_t special(Special s) const {
    switch (s) {
    case Special::TidX:
      return thread_;
    case Special::NtidX:
      return blockX_;
    case Special::CtaidX:
      return block_;
    case Special::NctaidX:
      return gridX_;
    case Special::NtidY:
    case Special::NtidZ:
    case Special::NctaidY:
    case Special::NctaidZ:
      return 1;
    case Special::LaneId:
      return thread_ % 32;
    case Special::WarpSize:
      return 32;
    default:
      return 0;
    }
  }

  bool execute(const Function &f, Frame &fr, int depth) {
    if (depth > 256)
      return fail(719, "call depth over 256 in " + f.name);
    uint64_t frameBegin = reinterpret_cast<uint64_t>(fr.bytes());
    frames_.push_back({frameBegin, frameBegin + f.frameSize});
    struct Pop {
      std::vector<Range> &v;
      ~Pop() { v.pop_back(); }
    } pop{frames_};
    lastHit_ = {1, 0};
    uint64_t *regs = fr.regs.data();
    auto get = [&](const Operand &o) -> uint64_t {
      switch (o.kind) {
      case Operand::Reg:
        return o.negate ? uint64_t(!(regs[o.reg] & 1)) : regs[o.reg];
      case Operand::Imm:
        return uint64_t(o.value);
      case Operand::Spec:
        return special(o.special);
      case Operand::Addr:
        return symbolAddress(o, fr, f) + uint64_t(o.value);
      default:
        return 0;
      }
    };
    auto address = [&](const Operand &o) -> uint64_t {
      uint64_t base = o.reg >= 0 ? regs[o.reg] : o.sym >= 0 ? symbolAddress(o, fr, f) : 0;
      return base + uint64_t(o.value);
    };
    auto set = [&](const Operand &o, uint64_t v) {
      if (o.kind == Operand::Reg)
        regs[o.reg] = v;
    };
    const std::vector<Instr> &code = f.code;
    size_t pc = 0;
    while (pc < code.size()) {
      const Instr &in = code[pc++];
      ++issued;
      if (in.guard >= 0 && bool(regs[in.guard] & 1) == in.guardNegated)
        continue;
      const unsigned bits = bitsOf(in.ty);
      const Ty ty = in.ty;
      auto u = [&](size_t i) { return maskTo(get(in.ops[i]), bits); };
      auto s = [&](size_t i) { return signExtend(get(in.ops[i]), bits); };
      auto f32 = [&](size_t i) {
        float v = asF32(get(in.ops[i]));
        return in.ftz ? flush(v) : v;
      };
      auto f64 = [&](size_t i) { return asF64(get(in.ops[i])); };
      auto setF32 = [&](float v) { set(in.ops[0], bitsF32(in.ftz ? flush(v) : v)); };
      auto setF64 = [&](double v) { set(in.ops[0], bitsF64(v)); };
      auto setInt = [&](uint64_t v) { set(in.ops[0], maskTo(v, bits)); };
      auto need = [&](size_t n) {
        if (in.ops.size() < n)
          return fail(801, "fake PTX interpreter: too few operands in '" + in.text + "'");
        return true;
      };
      auto unsupported = [&] {
        return fail(801,
                    "fake PTX interpreter: unsupported instruction '" + in.text + "' in " + f.name);
      };
      if (in.rnd != Rnd::None && in.rnd != Rnd::Rn && in.op != Op::Cvt)
        return unsupported(); // only round-to-nearest arithmetic (Wasm's)
      switch (in.op) {
      case Op::Unsupported:
        return unsupported();
      case Op::Nop:
        break;
      case Op::Trap:
        return fail(719, "the kernel executed 'trap' (unspecified launch failure)");
      case Op::Exit:
        return true;
      case Op::Ret:
        return true;
      case Op::Bra:
        pc = size_t(in.target);
        break;
      case Op::Mov:
      case Op::Cvta: {
        if (!need(2))
          return false;
        const Operand &d = in.ops[0], &a = in.ops[1];
        if (d.kind == Operand::Vec) { // unpack: mov.b64 {%r1, %r2}, %rd1
          unsigned each = bits / unsigned(d.elems.size());
          uint64_t v = get(a);
          for (const Operand &e : d.elems) {
            set(e, maskTo(v, each));
            v = each >= 64 ? 0 : v >> each;
          }
        } else if (a.kind == Operand::Vec) { // pack
          unsigned each = bits / unsigned(a.elems.size());
          uint64_t v = 0;
          for (size_t k = a.elems.size(); k-- > 0;)
            v = (each >= 64 ? 0 : v << each) | maskTo(get(a.elems[k]), each);
          set(d, v);
        } else if (ty == Ty::Pred) {
          set(d, get(a) & 1);
        } else {
          set(d, in.op == Op::Cvta ? get(a) : maskTo(get(a), bits ? bits : 64));
        }
        break;
      }
      case Op::Ld:
      case Op::St: {
        if (!need(2))
          return false;
        const Operand &mem = in.op == Op::Ld ? in.ops[1] : in.ops[0];
        const Operand &val = in.op == Op::Ld ? in.ops[0] : in.ops[1];
        if (mem.kind != Operand::Mem)
          return unsupported();
        unsigned each = bits / 8;
        uint64_t n = uint64_t(each) * in.vec;
        uint64_t a = address(mem);
        if (!accessible(a, n))
          return fail(700, "illegal address: " + std::string(in.op == Op::Ld ? "load" : "store") +
                               " of " + std::to_string(n) + " bytes at 0x" + hex(a) + " ('" +
                               in.text + "', thread " + std::to_string(thread_) + " of block " +
                               std::to_string(block_) + ")");
        if (a % n)
          return fail(716, "misaligned address: " + std::to_string(n) + "-byte access at 0x" +
                               hex(a) + " ('" + in.text + "')");
        auto *p = reinterpret_cast<uint8_t *>(a);
        for (unsigned k = 0; k < in.vec; ++k) {
          const Operand &e = val.kind == Operand::Vec ? val.elems[k] : val;
          if (in.op == Op::Ld) {
            uint64_t v = 0;
            std::memcpy(&v, p + k * each, each);
            set(e, isSigned(ty) ? uint64_t(signExtend(v, bits)) : v);
          } else {
            uint64_t v = get(e);
            std::memcpy(p + k * each, &v, each);
          }
        }
        break;
      }
      case Op::Cvt:
        if (!need(2) || !convert(in, get(in.ops[1]), regs))
          return false;
        break;
      case Op::Add:
      case Op::Sub:
        if (!need(3))
          return false;
        if (ty == Ty::F32) {
          float r = in.op == Op::Add ? f32(1) + f32(2) : f32(1) - f32(2);
          setF32(in.sat ? std::clamp(r, 0.0f, 1.0f) : r);
        } else if (ty == Ty::F64) {
          setF64(in.op == Op::Add ? f64(1) + f64(2) : f64(1) - f64(2));
        } else if (in.sat) {
          int64_t r = in.op == Op::Add ? s(1) + s(2) : s(1) - s(2);
          setInt(uint64_t(std::clamp<int64_t>(r, INT32_MIN, INT32_MAX)));
        } else {
          setInt(in.op == Op::Add ? u(1) + u(2) : u(1) - u(2));
        }
        break;
      case Op::Mul:
      case Op::Mad: {
        if (!need(in.op == Op::Mad ? 4 : 3))
          return false;
        if (isFloat(ty)) {
          if (in.op == Op::Mad) { // mad.rn.f32/f64 is fma
            if (ty == Ty::F32)
              setF32(std::fma(f32(1), f32(2), f32(3)));
            else
              setF64(std::fma(f64(1), f64(2), f64(3)));
          } else if (ty == Ty::F32) {
            setF32(f32(1) * f32(2));
          } else {
            setF64(f64(1) * f64(2));
          }
          break;
        }
        uint64_t r;
        if (in.mode == Mode::Wide) {
          r = isSigned(ty) ? uint64_t(s(1) * s(2)) : u(1) * u(2);
          if (in.op == Op::Mad)
            r += get(in.ops[3]);
          set(in.ops[0], maskTo(r, bits * 2));
          break;
        }
        if (in.mode == Mode::Hi) {
          if (isSigned(ty))
            r = uint64_t((__int128(s(1)) * __int128(s(2))) >> bits);
          else
            r = uint64_t((unsigned __int128)(u(1)) * u(2) >> bits);
        } else {
          r = u(1) * u(2);
        }
        if (in.op == Op::Mad)
          r += u(3);
        setInt(r);
        break;
      }
      case Op::Fma:
        if (!need(4))
          return false;
        if (ty == Ty::F32)
          setF32(std::fma(f32(1), f32(2), f32(3)));
        else
          setF64(std::fma(f64(1), f64(2), f64(3)));
        break;
      case Op::Div:
      case Op::Rem:
        if (!need(3))
          return false;
        if (ty == Ty::F32) {
          if (in.op == Op::Rem)
            return unsupported();
          setF32(f32(1) / f32(2));
        } else if (ty == Ty::F64) {
          if (in.op == Op::Rem)
            return unsupported();
          setF64(f64(1) / f64(2));
        } else if (u(2) == 0) {
          setInt(~uint64_t(0)); // undefined on a GPU; parawasm checks first
        } else if (isSigned(ty)) {
          int64_t a = s(1), b = s(2);
          if (b == -1)
            setInt(in.op == Op::Div ? uint64_t(0) - uint64_t(a) : 0);
          else
            setInt(uint64_t(in.op == Op::Div ? a / b : a % b));
        } else {
          setInt(in.op == Op::Div ? u(1) / u(2) : u(1) % u(2));
        }
        break;
      case Op::Abs:
      case Op::Neg:
        if (!need(2))
          return false;
        if (ty == Ty::F32) {
          uint64_t v = maskTo(get(in.ops[1]), 32);
          float x = asF32(v);
          if (in.ftz)
            x = flush(x);
          v = std::bit_cast<uint32_t>(x);
          set(in.ops[0], in.op == Op::Abs ? v & 0x7fffffffu : v ^ 0x80000000u);
        } else if (ty == Ty::F64) {
          uint64_t v = get(in.ops[1]);
          set(in.ops[0], in.op == Op::Abs ? v & ~(uint64_t(1) << 63) : v ^ (uint64_t(1) << 63));
        } else {
          int64_t v = s(1);
          setInt(uint64_t(in.op == Op::Abs ? (v < 0 ? -v : v) : -v));
        }
        break;
      case Op::Min:
      case Op::Max: {
        if (!need(3))
          return false;
        bool isMin = in.op == Op::Min;
        if (ty == Ty::F32 || ty == Ty::F64) {
          double a = ty == Ty::F32 ? double(f32(1)) : f64(1),
                 b = ty == Ty::F32 ? double(f32(2)) : f64(2);
          double r;
          if (std::isnan(a) || std::isnan(b))
            r = in.nanProp || (std::isnan(a) && std::isnan(b))
                    ? std::numeric_limits<double>::quiet_NaN()
                : std::isnan(a) ? b
                                : a;
          else if (a == b) // +0.0 > -0.0
            r = isMin ? (std::signbit(a) ? a : b) : (std::signbit(a) ? b : a);
          else
            r = isMin ? std::min(a, b) : std::max(a, b);
          if (ty == Ty::F32)
            setF32(float(r));
          else
            setF64(r);
        } else if (isSigned(ty)) {
          setInt(uint64_t(isMin ? std::min(s(1), s(2)) : std::max(s(1), s(2))));
        } else {
          setInt(isMin ? std::min(u(1), u(2)) : std::max(u(1), u(2)));
        }
        break;
      }
      case Op::And:
      case Op::Or:
      case Op::Xor: {
        if (!need(3))
          return false;
        uint64_t a = get(in.ops[1]), b = get(in.ops[2]);
        uint64_t r = in.op == Op::And ? a & b : in.op == Op::Or ? a | b : a ^ b;
        set(in.ops[0], ty == Ty::Pred ? r & 1 : maskTo(r, bits));
        break;
      }
      case Op::Not:
        if (!need(2))
          return false;
        set(in.ops[0], ty == Ty::Pred ? (~get(in.ops[1])) & 1 : maskTo(~get(in.ops[1]), bits));
        break;
      case Op::Cnot:
        if (!need(2))
          return false;
        setInt(u(1) == 0 ? 1 : 0);
        break;
      case Op::Shl:
      case Op::Shr: {
        if (!need(3))
          return false;
        uint64_t n = maskTo(get(in.ops[2]), 32);
        if (in.op == Op::Shl)
          setInt(n >= bits ? 0 : u(1) << n);
        else if (isSigned(ty))
          setInt(uint64_t(s(1) >> std::min<uint64_t>(n, bits - 1)));
        else
          setInt(n >= bits ? 0 : u(1) >> n);
        break;
      }
      case Op::Setp: {
        if (!need(3))
          return false;
        bool second = in.twoDestinations;
        size_t a = second ? 2 : 1;
        if (in.ops.size() < a + 2)
          return unsupported();
        bool r = compare(in, get(in.ops[a]), get(in.ops[a + 1]));
        bool c = false;
        if (in.boolOp != BoolOp::None) {
          if (in.ops.size() < a + 3)
            return unsupported();
          c = get(in.ops[a + 2]) & 1;
        }
        auto combine = [&](bool x) {
          switch (in.boolOp) {
          case BoolOp::And:
            return x && c;
          case BoolOp::Or:
            return x || c;
          case BoolOp::Xor:
            return x != c;
          default:
            return x;
          }
        };
        set(in.ops[0], combine(r));
        if (second)
          set(in.ops[1], combine(!r));
        break;
      }
      case Op::Selp:
        if (!need(4))
          return false;
        set(in.ops[0],
            (get(in.ops[3]) & 1) ? maskTo(get(in.ops[1]), bits) : maskTo(get(in.ops[2]), bits));
        break;
      case Op::Popc:
        if (!need(2))
          return false;
        set(in.ops[0], uint64_t(std::popcount(u(1))));
        break;
      case Op::Clz:
        if (!need(2))
          return false;
        set(in.ops[0], uint64_t(std::countl_zero(u(1)) - (64 - int(bits))));
        break;
      case Op::Brev: {
        if (!need(2))
          return false;
        uint64_t v = u(1), r = 0;
        for (unsigned k = 0; k < bits; ++k)
          r |= ((v >> k) & 1) << (bits - 1 - k);
        setInt(r);
        break;
      }
      case Op::Bfe: {
        if (!need(4))
          return false;
        unsigned msb = bits - 1;
        uint64_t a = u(1), pos = get(in.ops[2]) & 0xff, len = get(in.ops[3]) & 0xff;
        uint64_t sbit = 0;
        if (isSigned(ty) && len != 0)
          sbit = (a >> std::min<uint64_t>(pos + len - 1, msb)) & 1;
        uint64_t r = 0;
        for (unsigned k = 0; k <= msb; ++k) {
          uint64_t bit = (k < len && pos + k <= msb) ? (a >> (pos + k)) & 1 : sbit;
          r |= bit << k;
        }
        setInt(r);
        break;
      }
      case Op::Bfi: {
        if (!need(5))
          return false;
        unsigned msb = bits - 1;
        uint64_t a = u(1), r = u(2), pos = get(in.ops[3]) & 0xff, len = get(in.ops[4]) & 0xff;
        for (uint64_t k = 0; k < len && pos + k <= msb; ++k)
          r = (r & ~(uint64_t(1) << (pos + k))) | (((a >> k) & 1) << (pos + k));
        setInt(r);
        break;
      }
      case Op::Prmt: {
        if (!need(4) || in.mode != Mode::None)
          return unsupported();
        uint64_t bytes = maskTo(get(in.ops[1]), 32) | (maskTo(get(in.ops[2]), 32) << 32);
        uint64_t sel = get(in.ops[3]), r = 0;
        for (unsigned k = 0; k < 4; ++k) {
          unsigned nib = unsigned(sel >> (4 * k)) & 0xf;
          uint64_t b = (bytes >> (8 * (nib & 7))) & 0xff;
          if (nib & 8)
            b = (b & 0x80) ? 0xff : 0;
          r |= b << (8 * k);
        }
        set(in.ops[0], r);
        break;
      }
      case Op::Shf: {
        if (!need(4))
          return false;
        uint64_t lo = maskTo(get(in.ops[1]), 32), hi = maskTo(get(in.ops[2]), 32),
                 n = maskTo(get(in.ops[3]), 32);
        n = in.wrap ? n & 31 : std::min<uint64_t>(n, 32);
        uint64_t both = (hi << 32) | lo;
        set(in.ops[0], in.left ? maskTo((both << n) >> 32, 32) : maskTo(both >> n, 32));
        break;
      }
      case Op::Sqrt:
      case Op::Rcp:
        if (!need(2))
          return false;
        if (ty == Ty::F32)
          setF32(in.op == Op::Sqrt ? std::sqrt(f32(1)) : 1.0f / f32(1));
        else
          setF64(in.op == Op::Sqrt ? std::sqrt(f64(1)) : 1.0 / f64(1));
        break;
      case Op::Copysign:
        if (!need(3))
          return false;
        if (ty == Ty::F32)
          set(in.ops[0], (u(2) & 0x7fffffffu) | (u(1) & 0x80000000u));
        else
          set(in.ops[0], (u(2) & ~(uint64_t(1) << 63)) | (u(1) & (uint64_t(1) << 63)));
        break;
      case Op::Testp: {
        if (!need(2))
          return false;
        double x = ty == Ty::F32 ? double(asF32(get(in.ops[1]))) : f64(1);
        int cls = ty == Ty::F32 ? std::fpclassify(asF32(get(in.ops[1]))) : std::fpclassify(x);
        bool r = false;
        switch (in.test) {
        case TestKind::Finite:
          r = std::isfinite(x);
          break;
        case TestKind::Infinite:
          r = std::isinf(x);
          break;
        case TestKind::Number:
          r = !std::isnan(x);
          break;
        case TestKind::NotANumber:
          r = std::isnan(x);
          break;
        case TestKind::Normal:
          r = cls == FP_NORMAL;
          break;
        case TestKind::Subnormal:
          r = cls == FP_SUBNORMAL;
          break;
        }
        set(in.ops[0], r);
        break;
      }
      case Op::Atom:
      case Op::Red:
        if (!atomic(in, regs, get, address))
          return false;
        break;
      case Op::Call: {
        const Function &callee = m_.functions[size_t(in.target)];
        if (!callee.defined)
          return fail(801, "fake PTX interpreter: call of " + callee.name + ", which has no body");
        Frame inner(callee);
        if (in.callArgs.size() != callee.params.size() || in.callRets.size() != callee.rets.size())
          return fail(801, "fake PTX interpreter: call of " + callee.name +
                               " with the wrong number of parameters");
        for (size_t k = 0; k < in.callArgs.size(); ++k) {
          const FrameSymbol &to = callee.frameSymbols[size_t(callee.params[k])];
          const Operand &arg = in.callArgs[k];
          uint64_t from = symbolAddress(arg, fr, f);
          std::memcpy(inner.bytes() + to.offset, reinterpret_cast<const void *>(from), to.size);
        }
        if (!execute(callee, inner, depth + 1))
          return false;
        lastHit_ = {1, 0}; // it may be the callee's frame, gone now
        for (size_t k = 0; k < in.callRets.size(); ++k) {
          const FrameSymbol &from = callee.frameSymbols[size_t(callee.rets[k])];
          uint64_t to = symbolAddress(in.callRets[k], fr, f);
          std::memcpy(reinterpret_cast<void *>(to), inner.bytes() + from.offset, from.size);
        }
        break;
      }
      }
    }
    return true;
  }

  static std::string hex(uint64_t v) {
    char b[24];
    std::snprintf(b, sizeof b, "%llx", static_cast<unsigned long long>(v));
    return b;
  }

  bool compare(const Instr &in, uint64_t a, uint64_t b) {
    Ty ty = in.ty;
    unsigned bits = bitsOf(ty);
    if (isFloat(ty)) {
      double x, y;
      if (ty == Ty::F32) {
        float fx = asF32(a), fy = asF32(b);
        if (in.ftz) {
          fx = flush(fx);
          fy = flush(fy);
        }
        x = fx;
        y = fy;
      } else {
        x = asF64(a);
        y = asF64(b);
      }
      bool unordered = std::isnan(x) || std::isnan(y);
      switch (in.cmp) {
      case Cmp::Eq:
        return !unordered && x == y;
      case Cmp::Ne:
        return !unordered && x != y;
      case Cmp::Lt:
        return !unordered && x < y;
      case Cmp::Le:
        return !unordered && x <= y;
      case Cmp::Gt:
        return !unordered && x > y;
      case Cmp::Ge:
        return !unordered && x >= y;
      case Cmp::Equ:
        return unordered || x == y;
      case Cmp::Neu:
        return unordered || x != y;
      case Cmp::Ltu:
        return unordered || x < y;
      case Cmp::Leu:
        return unordered || x <= y;
      case Cmp::Gtu:
        return unordered || x > y;
      case Cmp::Geu:
        return unordered || x >= y;
      case Cmp::Num:
        return !unordered;
      case Cmp::Nan:
        return unordered;
      default:
        return false;
      }
    }
    if (ty == Ty::Pred) {
      a &= 1;
      b &= 1;
    }
    uint64_t ua = maskTo(a, bits), ub = maskTo(b, bits);
    int64_t sa = signExtend(a, bits), sb = signExtend(b, bits);
    bool sgn = isSigned(ty);
    switch (in.cmp) {
    case Cmp::Eq:
      return ua == ub;
    case Cmp::Ne:
      return ua != ub;
    case Cmp::Lt:
      return sgn ? sa < sb : ua < ub;
    case Cmp::Le:
      return sgn ? sa <= sb : ua <= ub;
    case Cmp::Gt:
      return sgn ? sa > sb : ua > ub;
    case Cmp::Ge:
      return sgn ? sa >= sb : ua >= ub;
    case Cmp::Lo:
      return ua < ub;
    case Cmp::Ls:
      return ua <= ub;
    case Cmp::Hi:
      return ua > ub;
    case Cmp::Hs:
      return ua >= ub;
    default:
      return false;
    }
  }

  // cvt.dst.src with PTX's rules: float to integer saturates (NaN is 0), integer rounding
  // modifiers (rni, rzi, rmi, rpi) round a float to an integral float or pick the direction.
  bool convert(const Instr &in, uint64_t v, uint64_t *regs) {
    const Ty dst = in.ty, src = in.ty2;
    const Operand &d = in.ops[0];
    unsigned db = bitsOf(dst), sb = bitsOf(src);
    // An 8-bit result lives in a 16-bit register, extended by its type's signedness
    // (cvt.s8.s32 %rs1, %r1 leaves 0xffff in %rs1 for 0x7fffffff).
    auto put = [&](uint64_t x) {
      if (d.kind == Operand::Reg)
        regs[d.reg] = db == 8 && isSigned(dst) ? maskTo(uint64_t(signExtend(x, 8)), 16) : x;
    };
    if (dst == Ty::F16 || src == Ty::F16)
      return fail(801, "fake PTX interpreter: f16 conversion '" + in.text + "'");
    auto roundInt = [&](double x) {
      switch (in.rnd) {
      case Rnd::Rni:
        return std::nearbyint(x);
      case Rnd::Rmi:
        return std::floor(x);
      case Rnd::Rpi:
        return std::ceil(x);
      case Rnd::Rzi:
      case Rnd::None:
        return std::trunc(x);
      default:
        return std::nearbyint(x);
      }
    };
    if (isFloat(src)) {
      double x = src == Ty::F32 ? double(in.ftz ? flush(asF32(v)) : asF32(v)) : asF64(v);
      if (isFloat(dst)) {
        if (in.rnd == Rnd::Rni || in.rnd == Rnd::Rzi || in.rnd == Rnd::Rmi || in.rnd == Rnd::Rpi)
          x = roundInt(x);
        if (dst == Ty::F32) {
          if (in.rnd != Rnd::None && in.rnd != Rnd::Rn && src == Ty::F64 &&
              !(in.rnd == Rnd::Rni || in.rnd == Rnd::Rzi || in.rnd == Rnd::Rmi ||
                in.rnd == Rnd::Rpi))
            return fail(801, "fake PTX interpreter: directed rounding in '" + in.text + "'");
          float r = float(x);
          put(bitsF32(in.ftz ? flush(r) : r));
        } else {
          put(bitsF64(x));
        }
        return true;
      }
      if (std::isnan(x)) {
        put(0);
        return true;
      }
      x = roundInt(x);
      if (isSigned(dst)) {
        double lo = -std::ldexp(1.0, int(db) - 1), hi = std::ldexp(1.0, int(db) - 1);
        int64_t r = x <= lo   ? int64_t(lo)
                    : x >= hi ? (db == 64 ? INT64_MAX : int64_t(hi) - 1)
                              : int64_t(x);
        put(maskTo(uint64_t(r), db));
      } else {
        double hi = std::ldexp(1.0, int(db));
        uint64_t r = x <= 0    ? 0
                     : x >= hi ? (db == 64 ? UINT64_MAX : uint64_t(hi) - 1)
                               : uint64_t(x);
        put(maskTo(r, db));
      }
      return true;
    }
    if (isFloat(dst)) {
      if (in.rnd != Rnd::None && in.rnd != Rnd::Rn)
        return fail(801, "fake PTX interpreter: directed rounding in '" + in.text + "'");
      if (isSigned(src)) {
        int64_t x = signExtend(v, sb);
        put(dst == Ty::F32 ? bitsF32(float(x)) : bitsF64(double(x)));
      } else {
        uint64_t x = maskTo(v, sb);
        put(dst == Ty::F32 ? bitsF32(float(x)) : bitsF64(double(x)));
      }
      return true;
    }
    // integer to integer: read the source's width, extend by its signedness, cut to the
    // destination's (saturating with .sat)
    uint64_t x = isSigned(src) ? uint64_t(signExtend(v, sb)) : maskTo(v, sb);
    if (in.sat)
      return fail(801, "fake PTX interpreter: saturating integer conversion '" + in.text + "'");
    put(maskTo(x, db));
    return true;
  }

  template <class Get, class Address>
  bool atomic(const Instr &in, uint64_t *regs, Get &get, Address &address) {
    bool red = in.op == Op::Red;
    size_t m = red ? 0 : 1;
    if (in.ops.size() < m + 2 || in.ops[m].kind != Operand::Mem)
      return fail(801, "fake PTX interpreter: bad atomic '" + in.text + "'");
    unsigned bits = bitsOf(in.ty), n = bits / 8;
    uint64_t a = address(in.ops[m]);
    if (!accessible(a, n))
      return fail(700, "illegal address: atomic of " + std::to_string(n) + " bytes at 0x" + hex(a) +
                           " ('" + in.text + "')");
    if (a % n)
      return fail(716, "misaligned address: atomic at 0x" + hex(a));
    uint64_t old = 0;
    std::memcpy(&old, reinterpret_cast<void *>(a), n);
    uint64_t b = maskTo(get(in.ops[m + 1]), bits), r = old;
    bool sgn = isSigned(in.ty);
    switch (in.atom) {
    case AtomOp::Add:
      if (in.ty == Ty::F32)
        r = bitsF32(asF32(old) + asF32(b));
      else if (in.ty == Ty::F64)
        r = bitsF64(asF64(old) + asF64(b));
      else
        r = old + b;
      break;
    case AtomOp::Min:
      r = sgn ? uint64_t(std::min(signExtend(old, bits), signExtend(b, bits))) : std::min(old, b);
      break;
    case AtomOp::Max:
      r = sgn ? uint64_t(std::max(signExtend(old, bits), signExtend(b, bits))) : std::max(old, b);
      break;
    case AtomOp::Inc:
      r = old >= b ? 0 : old + 1;
      break;
    case AtomOp::Dec:
      r = (old == 0 || old > b) ? b : old - 1;
      break;
    case AtomOp::And:
      r = old & b;
      break;
    case AtomOp::Or:
      r = old | b;
      break;
    case AtomOp::Xor:
      r = old ^ b;
      break;
    case AtomOp::Exch:
      r = b;
      break;
    case AtomOp::Cas:
      if (in.ops.size() < m + 3)
        return fail(801, "fake PTX interpreter: bad atomic '" + in.text + "'");
      r = old == b ? maskTo(get(in.ops[m + 2]), bits) : old;
      break;
    case AtomOp::None:
      return fail(801, "fake PTX interpreter: bad atomic '" + in.text + "'");
    }
    r = maskTo(r, bits);
    std::memcpy(reinterpret_cast<void *>(a), &r, n);
    if (!red && in.ops[0].kind == Operand::Reg)
      regs[in.ops[0].reg] = old;
    return true;
  }
};

} // namespace

PtxParse parsePtx(const std::string &text) {
  auto module = std::make_shared<PtxModule>();
  Parser parser(*module);
  if (!parser.parse(text))
    return {nullptr, "fake PTX interpreter: " + parser.error};
  return {std::move(module), ""};
}

bool hasEntry(const PtxModule &module, const std::string &name) {
  auto it = module.functionIndex.find(name);
  return it != module.functionIndex.end() && module.functions[size_t(it->second)].entry &&
         module.functions[size_t(it->second)].defined;
}

std::vector<unsigned> entryParamSizes(const PtxModule &module, const std::string &name) {
  std::vector<unsigned> sizes;
  if (!hasEntry(module, name))
    return sizes;
  const Function &entry = module.functions[size_t(module.functionIndex.at(name))];
  for (int32_t p : entry.params)
    sizes.push_back(unsigned(entry.frameSymbols[size_t(p)].size));
  return sizes;
}

PtxRunResult runPtxKernel(const PtxModule &module, const std::string &name, unsigned gridX,
                          unsigned blockX, void **params,
                          const std::vector<DeviceAllocation> &allocations) {
  if (!hasEntry(module, name))
    return {500, "no entry " + name};
  const Function &entry = module.functions[size_t(module.functionIndex.at(name))];
  std::vector<uint8_t> paramBytes(entry.frameSize, 0);
  for (size_t k = 0; k < entry.params.size(); ++k) {
    const FrameSymbol &p = entry.frameSymbols[size_t(entry.params[k])];
    std::memcpy(paramBytes.data() + p.offset, params[k], p.size);
  }
  std::vector<Range> device;
  for (const DeviceAllocation &a : allocations)
    device.push_back({a.begin, a.begin + a.bytes});
  Machine machine(module, gridX, blockX, std::move(device));
  for (uint32_t b = 0; b < gridX; ++b)
    for (uint32_t t = 0; t < blockX; ++t)
      if (!machine.runThread(entry, b, t, paramBytes))
        return {machine.failure.status, machine.failure.message, machine.issued};
  return {0, "", machine.issued};
}

} // namespace pwfake
