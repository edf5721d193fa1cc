#include "viewer/html_page.h"

#include <stdexcept>
#include <string_view>

#include "viewer/player_assets.h"

namespace twinrl::viewer {

std::string_view page_stylesheet() {
  return player_css;
}

std::string html_escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

// JSON that can sit inside <script>: "</" would end the element early and
// "<!--" would change how the browser parses the rest of it. Both only occur
// inside JSON strings, where the escapes mean the same characters.
std::string script_safe_json(const nlohmann::json& data) {
  const std::string json = data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(json.size());
  for (size_t i = 0; i < json.size(); ++i) {
    if (json.compare(i, 2, "</") == 0) {
      out += "<\\/";
      ++i;
    } else if (json.compare(i, 4, "<!--") == 0) {
      out += "\\u003c";
    } else {
      out += json[i];
    }
  }
  return out;
}

// The template with each {{name}} replaced once; the replacements are not
// scanned again, so data that happens to hold "{{...}}" stays as it is.
std::string fill_template(std::string_view page, const std::string& title,
                          const std::string& data) {
  std::string out;
  out.reserve(page.size() + player_css.size() + player_js.size() + data.size());
  size_t at = 0;
  while (true) {
    const size_t open = page.find("{{", at);
    out.append(page.substr(at, open - at));
    if (open == std::string_view::npos) return out;
    const size_t close = page.find("}}", open);
    if (close == std::string_view::npos) throw std::logic_error("player.html: unclosed {{");
    const std::string_view name = page.substr(open + 2, close - open - 2);
    if (name == "title")
      out += title;
    else if (name == "css")
      out += player_css;
    else if (name == "js")
      out += player_js;
    else if (name == "data")
      out += data;
    else
      throw std::logic_error("player.html: unknown placeholder {{" + std::string(name) + "}}");
    at = close + 2;
  }
}

}  // namespace

std::string html_page(const nlohmann::json& page_data) {
  const std::string title = page_data.value("title", std::string("twinrl"));
  return fill_template(player_html, html_escaped(title), script_safe_json(page_data));
}

}  // namespace twinrl::viewer
