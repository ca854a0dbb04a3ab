/* Texts in the page's language. The site build (site/hooks/pages.py) puts the messages that this
 * page's modules use into <script type="application/json" id="ieh-texts">, from the language's
 * catalogue (functions/portal/locales/<lang>.json). Messages are ICU MessageFormat: {name},
 * {n, number}, {n, plural, one {# sekund} other {# sekunder}}, {kind, select, a {…} other {…}}. */

const doc = globalThis.document;
export const DEFAULT_LANGUAGE = "nb";
export const lang = (doc && doc.documentElement.lang.toLowerCase().split("-")[0]) || DEFAULT_LANGUAGE;
/** The locale for numbers and dates: Norwegian bokmål and British English. */
export const locale = { nb: "nb-NO", en: "en-GB" }[lang] || lang;

let texts = null;
let textsLocale = locale;

/** Use these messages instead of the page's (for tests, or a page that gets texts another way). */
export function useTexts(messages, messagesLocale = locale) {
  texts = messages;
  textsLocale = messagesLocale;
}

function catalogue() {
  if (texts === null) {
    const node = doc && doc.getElementById("ieh-texts");
    texts = node ? JSON.parse(node.textContent) : {};
  }
  return texts;
}

/** The message for `key` with its arguments filled in. A key the page lacks shows as itself. */
export function t(key, params = {}) {
  const message = catalogue()[key];
  return message === undefined ? key : format(message, params, textsLocale);
}

/** Whether the page has a message for `key` (for families such as "error." + code). */
export function hasText(key) {
  return catalogue()[key] !== undefined;
}

// ---------------------------------------------------------------- ICU MessageFormat, the part we use

const parsed = new Map();

/** Fill in an ICU message. Exported for the tests of the kit. */
export function format(message, params = {}, messageLocale = locale) {
  if (!parsed.has(message)) parsed.set(message, parse(message));
  return render(parsed.get(message), params, messageLocale, null);
}

function render(nodes, params, messageLocale, count) {
  let out = "";
  let afterName = false; // a name that ends a sentence itself ("… S.A.") takes no second full stop
  for (const node of nodes) {
    const justAfterName = afterName;
    afterName = false;
    if (typeof node === "string") out += justAfterName && out.endsWith(".") && node.startsWith(".") ? node.slice(1) : node;
    else if (node.hash) out += new Intl.NumberFormat(messageLocale).format(count);
    else if (node.type === "plural") {
      const value = Number(params[node.name] ?? 0);
      const category = new Intl.PluralRules(messageLocale).select(value);
      const branch = node.options[`=${value}`] || node.options[category] || node.options.other;
      out += render(branch, params, messageLocale, value);
    } else if (node.type === "select") {
      out += render(node.options[String(params[node.name])] || node.options.other, params, messageLocale, count);
    } else {
      const value = params[node.name];
      if (value === undefined) out += `{${node.name}}`;
      else out += node.type === "number" ? new Intl.NumberFormat(messageLocale).format(value) : String(value);
      afterName = node.type !== "number";
    }
  }
  return out;
}

/** Parse a message into strings and {name, type, options, hash} nodes. */
function parse(message) {
  let at = 0;
  function text(inPlural) {
    const nodes = [];
    let buffer = "";
    while (at < message.length) {
      const char = message[at];
      if (char === "'") {
        // '' is an apostrophe; '{…}' quotes syntax characters; any other ' is itself.
        if (message[at + 1] === "'") {
          buffer += "'";
          at += 2;
        } else if ("{}#".includes(message[at + 1] || "")) {
          const end = message.indexOf("'", at + 1);
          buffer += message.slice(at + 1, end < 0 ? undefined : end);
          at = end < 0 ? message.length : end + 1;
        } else {
          buffer += char;
          at += 1;
        }
      } else if (char === "{") {
        if (buffer) nodes.push(buffer);
        buffer = "";
        nodes.push(argument());
      } else if (char === "}") {
        break;
      } else if (char === "#" && inPlural) {
        if (buffer) nodes.push(buffer);
        buffer = "";
        nodes.push({ hash: true });
        at += 1;
      } else {
        buffer += char;
        at += 1;
      }
    }
    if (buffer) nodes.push(buffer);
    return nodes;
  }
  function word() {
    const match = /^\s*([^\s,{}]+)\s*/.exec(message.slice(at));
    if (!match) throw new SyntaxError(`Bad message: ${message}`);
    at += match[0].length;
    return match[1];
  }
  function argument() {
    at += 1; // {
    const name = word();
    if (message[at] === "}") {
      at += 1;
      return { name };
    }
    at += 1; // ,
    const type = word();
    if (message[at] === "}") {
      at += 1;
      return { name, type };
    }
    at += 1; // ,
    const options = {};
    for (;;) {
      const selector = word();
      if (selector.startsWith("offset:")) continue;
      at += 1; // {
      options[selector] = text(type === "plural");
      at += 1; // }
      while (/\s/.test(message[at] || "")) at += 1;
      if (message[at] === "}") break;
    }
    at += 1;
    return { name, type, options };
  }
  return text(false);
}
