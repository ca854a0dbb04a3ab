/* Material for MkDocs 9.8.2 partials/javascripts/content.html (without content.tabs.link), out of line for the CSP. */
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
