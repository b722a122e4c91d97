// The document's print view (/dokument/{id}/druck): open the browser's print dialogue once
// the page is there. A file of its own: the content security policy allows no inline script.
window.addEventListener("load", () => window.print());
