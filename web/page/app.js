// app.js - the search page of fundgrube serve: search as you type, facets as
// filters in the query, "Meinten Sie", paging, sorting, the preview, the
// analyze page and the status page.  No inline script (the CSP forbids it);
// text from documents is set with textContent, except snippets and preview
// text, which the server sends HTML-escaped with <mark> around matches.
"use strict";

const PAGE = 10;
const $ = (id) => document.getElementById(id);
const state = { q: "", sort: "relevance", offset: 0, controller: null, timer: 0, suggestTimer: 0,
                hits: [], previewId: 0 };

// Fetches JSON from path, cancelling the request before it of the same kind.
async function getJSON(path, kind) {
  if (kind && state[kind]) state[kind].abort();
  const controller = new AbortController();
  if (kind) state[kind] = controller;
  const resp = await fetch(path, { signal: controller.signal, headers: { Accept: "application/json" } });
  const body = await resp.json();
  if (!resp.ok) throw new Error(body.error ? body.error.message : resp.statusText);
  return body;
}

// An element with a class and text.
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}

// "/home/a/Dokumente/Steuer/x.pdf" shortened to "…/Dokumente/Steuer/x.pdf".
function shortPath(path) {
  const parts = path.split("/");
  return parts.length > 5 ? "…/" + parts.slice(-3).join("/") : path;
}

// A date "2024-07-15" as "15.07.2024".
function germanDate(d) {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(d || "");
  if (!m) return d || "";
  return m[3] ? `${m[3]}.${m[2]}.${m[1]}` : `${m[2]}/${m[1]}`;
}

// ------------------------------------------------------------ views

// Shows the view the path names: /, /analyze or /status.
function showView() {
  const view = location.pathname === "/analyze" ? "analyze" : location.pathname === "/status" ? "status" : "search";
  for (const v of ["search", "analyze", "status"]) {
    $("view-" + v).hidden = v !== view;
    const nav = $("nav-" + v);
    if (v === view) nav.setAttribute("aria-current", "page"); else nav.removeAttribute("aria-current");
  }
  document.title = view === "analyze" ? "Wie wird gesucht? – Fundgrube" : view === "status" ? "Status – Fundgrube" : "Fundgrube";
  if (view === "status") loadStatus();
  if (view === "analyze") runAnalyze();
  if (view === "search") {
    const params = new URLSearchParams(location.search);
    $("q").value = params.get("q") || "";
    $("sort").value = params.get("sort") === "date" ? "date" : "relevance";
    state.offset = Number(params.get("offset")) || 0;
    if ($("q").value) search(false);
  }
}

// Follows a link of the page's own without reloading it.
function navigate(href) {
  history.pushState(null, "", href);
  showView();
}

// ------------------------------------------------------------ search

// The page's URL for the current query, sort and offset.
function searchURL() {
  const p = new URLSearchParams();
  if (state.q) p.set("q", state.q);
  if (state.sort !== "relevance") p.set("sort", state.sort);
  if (state.offset) p.set("offset", String(state.offset));
  const s = p.toString();
  return "/" + (s ? "?" + s : "");
}

// Runs the search in the field; push adds a history entry.
async function search(push) {
  state.q = $("q").value.trim();
  state.sort = $("sort").value;
  const url = searchURL();
  if (push) history.pushState(null, "", url); else history.replaceState(null, "", url);
  if (!state.q) {
    render({ hits: [], total: 0, facets: {}, warnings: [] });
    $("summary").textContent = "";
    return;
  }
  const p = new URLSearchParams({ q: state.q, offset: String(state.offset), limit: String(PAGE), sort: state.sort, facets: "1" });
  try {
    render(await getJSON("/api/search?" + p, "controller"));
  } catch (e) {
    if (e.name === "AbortError") return;
    renderError(e.message);
  }
}

// Shows a failed search.
function renderError(msg) {
  $("hits").replaceChildren();
  $("facets").replaceChildren();
  $("pager").hidden = true;
  $("did-you-mean").hidden = true;
  $("summary").textContent = "Fehler: " + msg;
}

// The line under a hit's path: type, date, author, page, duplicates.
function hitMeta(h) {
  const meta = el("p", "meta");
  meta.append(el("span", "type", h.type || "?"));
  const parts = [germanDate(h.date)];
  if (h.author) parts.push(h.author);
  if (h.page) parts.push("S. " + h.page);
  if (h.attachment) parts.push("Anhang: " + h.attachment);
  if (h.duplicates && h.duplicates.length)
    parts.push(h.duplicates.length === 1 ? "1 Duplikat" : h.duplicates.length + " Duplikate");
  meta.append(" " + parts.filter(Boolean).join(" · "));
  if (h.duplicates && h.duplicates.length) meta.title = h.duplicates.join("\n");
  return meta;
}

// One hit of the list.
function hitItem(h, i) {
  const li = el("li", "hit");
  li.dataset.docid = h.docid;
  const title = el("button", "hit-title", h.title || h.path.split("/").pop());
  title.type = "button";
  title.id = "hit-" + i;
  title.addEventListener("click", () => openPreview(h.docid));
  const path = el("div", "hit-path", shortPath(h.path));
  path.title = h.path;
  const snippet = el("p", "snippet");
  snippet.innerHTML = h.snippet; // HTML-escaped by the server, matches in <mark>
  li.append(title, path, hitMeta(h), snippet);
  return li;
}

// Shows a page of results.
function render(r) {
  state.hits = r.hits;
  $("hits").replaceChildren(...r.hits.map(hitItem));
  const from = state.offset + 1, to = state.offset + r.hits.length;
  $("summary").textContent = r.total === 0 ? (state.q ? "Keine Treffer." : "")
    : `${r.total} Treffer${r.total > r.hits.length ? ` (${from}–${to})` : ""}, ${Math.round(r.took_ms)} ms`;
  const w = $("warnings");
  w.replaceChildren(...(r.warnings || []).map((t) => el("li", null, t)));
  if (r.suggestion) {
    $("did-you-mean-link").textContent = r.suggestion;
    $("did-you-mean-link").href = "/?q=" + encodeURIComponent(r.suggestion);
    $("did-you-mean").hidden = false;
  } else {
    $("did-you-mean").hidden = true;
  }
  renderFacets(r.facets || {});
  $("pager").hidden = r.total <= PAGE;
  $("prev").disabled = state.offset === 0;
  $("next").disabled = state.offset + PAGE >= r.total;
  $("page-info").textContent = `Seite ${Math.floor(state.offset / PAGE) + 1} von ${Math.max(1, Math.ceil(r.total / PAGE))}`;
}

// The filter of a facet's value as the query language writes it.
function facetFilter(name, value) {
  const quote = (v) => (/[\s"]/.test(v) ? `"${v.replace(/"/g, "")}"` : v);
  if (name === "type") return "ext:" + value;
  if (name === "year") return "date:" + value;
  if (name === "folder") return "dir:" + quote(value);
  return "author:" + quote(value);
}

// The facets beside the results: each value a button adding its filter.
function renderFacets(facets) {
  const labels = { type: "Typ", year: "Jahr", folder: "Ordner", author: "Autor" };
  const box = $("facets");
  box.replaceChildren();
  for (const name of ["type", "year", "folder", "author"]) {
    const values = facets[name] || [];
    if (!values.length) continue;
    const h = el("h2", null, labels[name]);
    const ul = el("ul");
    ul.setAttribute("aria-label", labels[name]);
    for (const v of values.slice(0, 10)) {
      const li = el("li");
      const b = el("button", "facet", name === "folder" ? shortPath(v.value) : v.value);
      b.type = "button";
      b.dataset.filter = facetFilter(name, v.value);
      b.title = b.dataset.filter;
      b.addEventListener("click", () => {
        const q = $("q").value.trim();
        if (!q.split(/\s+/).includes(b.dataset.filter)) $("q").value = (q ? q + " " : "") + b.dataset.filter;
        state.offset = 0;
        search(true);
      });
      li.append(b, " ", el("span", "count", `(${v.count})`));
      ul.append(li);
    }
    box.append(h, ul);
  }
}

// Completions of the last word from the index vocabulary, as the field's list.
async function suggest() {
  const q = $("q").value;
  if (q.trim().length < 2) return;
  try {
    const r = await getJSON("/api/suggest?" + new URLSearchParams({ q }), "suggestController");
    $("q-suggestions").replaceChildren(...r.suggestions.map((s) => { const o = el("option"); o.value = s.text; return o; }));
  } catch (e) { /* completions are a convenience */ }
}

// ------------------------------------------------------------ preview

// Opens the preview of document docid with the query's matches marked.
async function openPreview(docid) {
  try {
    const d = await getJSON(`/api/document/${docid}?` + new URLSearchParams({ q: state.q }), "previewController");
    state.previewId = docid;
    $("preview-title").textContent = d.title || d.path.split("/").pop();
    const meta = [d.type.toUpperCase(), germanDate(d.date), d.author, d.path].filter(Boolean);
    $("preview-meta").textContent = meta.join(" · ");
    $("preview-raw").href = d.raw;
    $("preview-text").innerHTML = d.text + (d.truncated ? "\n…" : ""); // escaped by the server
    $("preview").hidden = false;
    document.querySelector(".layout").classList.add("with-preview");
    $("preview-title").focus();
    const first = $("preview-text").querySelector("mark");
    if (first) first.scrollIntoView({ block: "center" });
  } catch (e) {
    if (e.name !== "AbortError") $("summary").textContent = "Vorschau: " + e.message;
  }
}

// Closes the preview.
function closePreview() {
  $("preview").hidden = true;
  document.querySelector(".layout").classList.remove("with-preview");
  const hit = document.querySelector(`.hit[data-docid="${state.previewId}"] .hit-title`);
  if (hit) hit.focus();
}

// The documents like the one in the preview, as the result list.
async function similar() {
  try {
    const r = await getJSON(`/api/similar/${state.previewId}?limit=${PAGE}`, "controller");
    state.offset = 0;
    render(r);
    $("summary").textContent = `Ähnliche Dokumente: ${r.total}`;
    $("pager").hidden = true;
  } catch (e) {
    if (e.name !== "AbortError") renderError(e.message);
  }
}

// ------------------------------------------------------------ analyze

// Analyses the text of the analyze page.
async function runAnalyze() {
  const text = $("analyze-text").value;
  if (!text.trim()) return;
  try {
    const r = await getJSON("/api/analyze?" + new URLSearchParams({ text }), "analyzeController");
    const s = r.settings;
    const on = (b) => (b ? "an" : "aus");
    $("analyze-settings").textContent = `Sprache ${s.language}; Stämme ${on(s.stemming)}, Komposita ${on(s.decompound)}, ` +
      `Umlaute ${on(s.umlauts)}, Gendern ${on(s.gender)}, geschützte Wörter ${on(s.protected_words)}, lateinische Plurale ${on(s.latin_plurals)}`;
    const rows = r.words.map((w) => {
      const tr = el("tr", w.stop ? "stop" : "");
      const list = (xs) => xs.map((x) => x.folded + (x.stem && x.stem !== x.folded ? ` (${x.stem})` : "")).join(", ");
      for (const c of [w.token, w.position, `${w.start_offset}–${w.end_offset}`, w.folded, w.stem || "–",
                       w.stop ? "ja" : "", list(w.parts), list(w.variants)]) tr.append(el("td", null, String(c)));
      return tr;
    });
    $("analyze-table").querySelector("tbody").replaceChildren(...rows);
    $("analyze-table").hidden = false;
  } catch (e) {
    if (e.name !== "AbortError") $("analyze-settings").textContent = "Fehler: " + e.message;
  }
}

// ------------------------------------------------------------ status

// Shows the status of the index and the daemon.
async function loadStatus() {
  const list = $("status-list");
  try {
    const s = await getJSON("/api/status");
    const d = s.daemon || {};
    const when = (t) => (t ? new Date(t * 1000).toLocaleString("de-DE") : "nie");
    const rows = [
      ["Index", s.index.path],
      ["Dokumente", s.index.available ? String(s.index.documents) : "nicht verfügbar: " + s.index.error],
      ["Überwachte Ordner", (s.watched || []).join(", ") || "–"],
      ["Daemon (fundgrubed)", d.running ? `läuft (PID ${d.pid}, ${d.state})` : "läuft nicht"],
      ["Letzter Commit", d.running ? when(d.last_commit) : "–"],
      ["Warteschlange", d.running ? String(d.queue) : "–"],
      ["Fehlgeschlagene Dateien", d.failed_files !== undefined ? String(d.failed_files) : "–"],
      ["Version", s.version],
    ];
    list.replaceChildren(...rows.flatMap(([k, v]) => [el("dt", null, k), el("dd", null, v)]));
    const failed = d.failed_list || [];
    $("status-failed").replaceChildren(...(failed.length ? failed.map((f) =>
      el("li", null, typeof f === "string" ? f : `${f.path}: ${f.reason}`)) : [el("li", null, "keine")]));
  } catch (e) {
    list.replaceChildren(el("dt", null, "Fehler"), el("dd", null, e.message));
  }
}

// ------------------------------------------------------------ wiring

document.addEventListener("DOMContentLoaded", () => {
  $("search-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearTimeout(state.timer);
    state.offset = 0;
    await search(true);
    if (state.hits.length) openPreview(state.hits[0].docid); // Enter opens the first hit
  });
  $("q").addEventListener("input", () => {
    clearTimeout(state.timer);
    clearTimeout(state.suggestTimer);
    state.timer = setTimeout(() => { state.offset = 0; search(false); }, 250);
    state.suggestTimer = setTimeout(suggest, 150);
  });
  $("sort").addEventListener("change", () => { state.offset = 0; search(true); });
  $("prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - PAGE); search(true); });
  $("next").addEventListener("click", () => { state.offset += PAGE; search(true); });
  $("did-you-mean-link").addEventListener("click", (ev) => {
    ev.preventDefault();
    $("q").value = $("did-you-mean-link").textContent;
    state.offset = 0;
    search(true);
  });
  $("preview-close").addEventListener("click", closePreview);
  $("preview-similar").addEventListener("click", similar);
  document.addEventListener("keydown", (ev) => { if (ev.key === "Escape" && !$("preview").hidden) closePreview(); });
  $("analyze-form").addEventListener("submit", (ev) => { ev.preventDefault(); runAnalyze(); });
  for (const a of document.querySelectorAll("nav a[data-view]"))
    a.addEventListener("click", (ev) => { ev.preventDefault(); navigate(a.getAttribute("href")); });
  window.addEventListener("popstate", showView);
  showView();
});
