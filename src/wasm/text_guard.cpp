#include "wasm/text_guard.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <vector>

namespace parawasm::wasm {
namespace {

struct Token {
  enum class Kind { LParen, RParen, String, Atom, End } kind;
  size_t begin, end;         // [begin, end) in the text
  bool unterminated = false; // a string without its closing quote
};

// Just enough of the text format's lexical grammar to find parentheses, strings and atoms:
// comments (line and nested block) and whitespace are skipped.
class Lexer {
public:
  explicit Lexer(std::string_view text) : s_(text) {}

  Token next() {
    skipSpace();
    if (pos_ >= s_.size())
      return {Token::Kind::End, pos_, pos_};
    size_t begin = pos_;
    char c = s_[pos_];
    if (c == '(') {
      ++pos_;
      return {Token::Kind::LParen, begin, pos_};
    }
    if (c == ')') {
      ++pos_;
      return {Token::Kind::RParen, begin, pos_};
    }
    if (c == '"') {
      ++pos_;
      while (pos_ < s_.size() && s_[pos_] != '"' && s_[pos_] != '\n')
        pos_ += s_[pos_] == '\\' ? 2 : 1;
      bool closed = pos_ < s_.size() && s_[pos_] == '"';
      pos_ = std::min(pos_ + 1, s_.size());
      return {Token::Kind::String, begin, pos_, !closed};
    }
    while (pos_ < s_.size() && !isDelimiter(s_[pos_]))
      ++pos_;
    return {Token::Kind::Atom, begin, pos_};
  }

  std::string_view text(const Token &t) const { return s_.substr(t.begin, t.end - t.begin); }
  size_t position() const { return pos_; }
  // Where a block comment that runs to the end of the text began, if one did.
  std::optional<size_t> unterminatedComment() const { return unterminatedComment_; }

private:
  // The text format's idchar. wabt reports any other character as unexpected and goes on with the
  // next, so it separates tokens as whitespace does (`module\0quote` is two tokens to wabt).
  static bool isIdChar(char c) {
    return c > ' ' && c < 0x7f && c != '"' && c != ',' && c != ';' && c != '(' && c != ')' &&
           c != '[' && c != ']' && c != '{' && c != '}';
  }
  static bool isDelimiter(char c) { return !isIdChar(c); }
  void skipSpace() {
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++pos_;
      } else if (c == ';' && pos_ + 1 < s_.size() && s_[pos_ + 1] == ';') {
        while (pos_ < s_.size() && s_[pos_] != '\n')
          ++pos_;
      } else if (c == '(' && pos_ + 1 < s_.size() && s_[pos_ + 1] == ';') {
        skipBlockComment();
      } else if (c == ';' || (c != '(' && c != ')' && c != '"' && !isIdChar(c))) {
        ++pos_; // a lexical error; wabt reports it
      } else {
        return;
      }
    }
  }
  void skipBlockComment() {
    size_t depth = 0, begin = pos_;
    while (pos_ < s_.size()) {
      if (s_.compare(pos_, 2, "(;") == 0) {
        ++depth;
        pos_ += 2;
      } else if (s_.compare(pos_, 2, ";)") == 0) {
        pos_ += 2;
        if (--depth == 0)
          return;
      } else {
        ++pos_;
      }
    }
    unterminatedComment_ = begin;
  }

  std::string_view s_;
  size_t pos_ = 0;
  std::optional<size_t> unterminatedComment_;
};

int hexDigit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

void appendUtf8(std::string &out, uint32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xc0 | cp >> 6);
    out += char(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += char(0xe0 | cp >> 12);
    out += char(0x80 | (cp >> 6 & 0x3f));
    out += char(0x80 | (cp & 0x3f));
  } else {
    out += char(0xf0 | cp >> 18);
    out += char(0x80 | (cp >> 12 & 0x3f));
    out += char(0x80 | (cp >> 6 & 0x3f));
    out += char(0x80 | (cp & 0x3f));
  }
}

// The bytes a string literal stands for (its quotes included in `lit`). Unknown escapes are kept
// as written, so that the quoted module fails to parse as it should.
void decodeString(std::string_view lit, std::string &out) {
  if (lit.size() < 2)
    return;
  lit = lit.substr(1, lit.size() - 2);
  for (size_t i = 0; i < lit.size(); ++i) {
    char c = lit[i];
    if (c != '\\' || i + 1 >= lit.size()) {
      out += c;
      continue;
    }
    char e = lit[++i];
    switch (e) {
    case 'n':
      out += '\n';
      break;
    case 't':
      out += '\t';
      break;
    case 'r':
      out += '\r';
      break;
    case '"':
    case '\'':
    case '\\':
      out += e;
      break;
    case 'u': {
      size_t close = lit.find('}', i);
      uint32_t cp = 0;
      if (i + 1 < lit.size() && lit[i + 1] == '{' && close != std::string_view::npos) {
        for (size_t k = i + 2; k < close; ++k)
          cp = cp * 16 + uint32_t(std::max(hexDigit(lit[k]), 0));
        appendUtf8(out, cp);
        i = close;
      } else {
        out += "\\u";
      }
      break;
    }
    default:
      if (i + 1 < lit.size() && hexDigit(e) >= 0 && hexDigit(lit[i + 1]) >= 0) {
        out += char(hexDigit(e) * 16 + hexDigit(lit[i + 1]));
        ++i;
      } else {
        out += '\\';
        out += e;
      }
      break;
    }
  }
}

int lineAt(std::string_view s, size_t pos) {
  return 1 + int(std::count(s.begin(), s.begin() + std::min(pos, s.size()), '\n'));
}

// Whether `module $id? quote` comes next (after a '('). On success `probe` stands after `quote`
// and `id` holds the module's id token, if it has one.
bool quotedModuleFollows(Lexer &probe, std::optional<Token> &id) {
  Token kw = probe.next();
  if (kw.kind != Token::Kind::Atom || probe.text(kw) != "module")
    return false;
  Token quote = probe.next();
  id.reset();
  if (quote.kind == Token::Kind::Atom && probe.text(quote).starts_with("$")) {
    id = quote;
    quote = probe.next();
  }
  return quote.kind == Token::Kind::Atom && probe.text(quote) == "quote";
}

} // namespace

std::optional<Error> refuseHazardousText(std::string_view text, std::string_view fileName) {
  auto malformed = [&](size_t at, const std::string &what) {
    return Error(ErrorKind::Malformed,
                 std::string(fileName) + ":" + std::to_string(lineAt(text, at)) + ": " + what);
  };
  Lexer lex(text);
  size_t depth = 0, parens = 0;
  std::vector<size_t> open; // where each unclosed '(' is, for the message
  bool afterParen = false;
  for (Token t = lex.next(); t.kind != Token::Kind::End; t = lex.next()) {
    bool opens = false, closes = false;
    if (t.kind == Token::Kind::LParen) {
      opens = true;
      ++parens;
      open.push_back(t.begin);
    } else if (t.kind == Token::Kind::RParen) {
      if (parens == 0)
        return malformed(t.begin, "unexpected ')'");
      --parens;
      open.pop_back();
      closes = true;
    } else if (t.kind == Token::Kind::String && t.unterminated) {
      return malformed(t.begin, "unterminated string");
    } else if (t.kind == Token::Kind::Atom && !afterParen) {
      // Flat structured instructions nest without parentheses; folded ones are counted by '('.
      std::string_view a = lex.text(t);
      opens = a == "block" || a == "loop" || a == "if" || a == "try";
      closes = a == "end" || a == "delegate";
    }
    afterParen = t.kind == Token::Kind::LParen;
    if (opens && ++depth > kMaxTextNesting)
      return malformed(t.begin, "text nested deeper than " + std::to_string(kMaxTextNesting) +
                                    " levels (an implementation limit)");
    if (closes && depth > 0)
      --depth;
  }
  if (auto comment = lex.unterminatedComment())
    return malformed(*comment, "unterminated block comment");
  if (!open.empty())
    return malformed(open.back(), "unexpected end of text: this '(' is not closed");
  return std::nullopt;
}

std::string quotedModulesAsBinary(std::string_view script) {
  std::string out(script);
  Lexer lex(script);
  size_t shift = 0;
  for (Token t = lex.next(); t.kind != Token::Kind::End; t = lex.next()) {
    if (t.kind != Token::Kind::LParen)
      continue;
    Lexer probe = lex;
    std::optional<Token> id;
    if (!quotedModuleFollows(probe, id))
      continue;
    // `quote` ends where the probe stands.
    size_t quoteEnd = probe.position();
    out.replace(quoteEnd - 5 + shift, 5, "binary");
    ++shift;
  }
  return out;
}

std::string rewriteQuotedModules(
    std::string_view script,
    const std::function<bool(const std::string &text, int line, std::string &bytes)> &compile) {
  // The empty module, standing in for a quoted module that failed to compile.
  static const char kEmptyModule[] = "\\00asm\\01\\00\\00\\00";
  std::string out;
  size_t copied = 0;
  Lexer lex(script);
  size_t depth = 0;
  for (Token t = lex.next(); t.kind != Token::Kind::End; t = lex.next()) {
    if (t.kind == Token::Kind::RParen) {
      if (depth > 0)
        --depth;
      continue;
    }
    if (t.kind != Token::Kind::LParen)
      continue;
    if (depth++ != 0)
      continue;
    // A top-level command: look for module $id? quote string*.
    Lexer probe = lex;
    std::optional<Token> id;
    if (!quotedModuleFollows(probe, id))
      continue;
    std::string text;
    Token s = probe.next();
    while (s.kind == Token::Kind::String) {
      decodeString(lex.text(s), text);
      s = probe.next();
    }
    if (s.kind != Token::Kind::RParen)
      continue; // leave anything else to wabt's error messages
    int line = lineAt(script, t.begin);
    std::string bytes;
    std::string replacement = "(module ";
    if (id)
      replacement += std::string(lex.text(*id)) + " ";
    replacement += "binary \"";
    if (compile(text, line, bytes)) {
      char hex[4];
      for (unsigned char c : bytes) {
        std::snprintf(hex, sizeof hex, "\\%02x", c);
        replacement += hex;
      }
    } else {
      replacement += kEmptyModule;
    }
    replacement += "\")";
    // Keep the line numbers of everything after the command.
    replacement.append(size_t(std::count(script.begin() + t.begin, script.begin() + s.end, '\n')),
                       '\n');
    out.append(script.substr(copied, t.begin - copied));
    out += replacement;
    copied = s.end;
    lex = probe;
    depth = 0;
  }
  if (copied == 0)
    return std::string(script);
  out.append(script.substr(copied));
  return out;
}

} // namespace parawasm::wasm
