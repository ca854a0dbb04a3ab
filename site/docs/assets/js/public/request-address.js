/* The public request pages' addresses: /innsyn/<slug>/ (one built page for every organisation) and
 * /innsyn/sak/#<token> (the requester's own page), in each language. */

/** The organisation's slug in an address such as /en/innsyn/nordlys-dagligvare-as/, or null. */
export function slugFrom(pathname) {
  const match = /\/innsyn\/([a-z0-9]+(?:-[a-z0-9]+)*)\/?$/.exec(pathname);
  return match && match[1] !== "sak" ? match[1] : null;
}

/**
 * The language switcher of a page built once and served at many addresses points at the built
 * address: make each of its links lead to the same organisation's page (or the same case) instead.
 */
export function keepPlaceInLanguageLinks(root, built, actual, hash = "") {
  for (const link of root.querySelectorAll("a[hreflang]")) {
    const url = new URL(link.href);
    if (!url.pathname.endsWith(built)) continue;
    url.pathname = url.pathname.slice(0, -built.length) + actual;
    url.hash = hash;
    link.href = url.href;
  }
}
