// The review page's behaviour: sorting, filters, keyboard navigation, marks and their
// export. Document text is only ever read from the DOM (textContent, dataset), never
// written as HTML.
(function () {
  "use strict";
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  const docs = $$("article.doc");
  const marks = new Map(); // li.change -> "right" | "wrong"
  let current = null; // the current li.change
  let currentDoc = null;

  // Sortable rule table.
  for (const th of $$("#rules th[data-key]")) {
    th.setAttribute("aria-sort", "none");
    th.querySelector("button").addEventListener("click", () => {
      const key = th.dataset.key;
      const numeric = th.hasAttribute("data-numeric");
      const descending = th.getAttribute("aria-sort") !== "descending";
      for (const other of $$("#rules th[data-key]")) other.setAttribute("aria-sort", "none");
      th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      const body = $("#rules tbody");
      const rows = $$("tr", body);
      rows.sort((a, b) => {
        const x = a.dataset[key], y = b.dataset[key];
        const order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
        return descending ? -order : order;
      });
      for (const row of rows) body.appendChild(row);
    });
  }

  // Filters.
  const ruleSelect = $("#f-rule"), statusSelect = $("#f-status"), textInput = $("#f-text");
  const lowered = new Map();
  function text(doc) {
    if (!lowered.has(doc)) lowered.set(doc, (doc.dataset.id + "\n" + doc.textContent).toLowerCase());
    return lowered.get(doc);
  }
  function applyFilters() {
    const rule = ruleSelect.value, status = statusSelect.value;
    const needle = textInput.value.trim().toLowerCase();
    let shown = 0;
    for (const doc of docs) {
      const ok = (!rule || doc.dataset.rules.split(" ").includes(rule))
        && (!status || doc.dataset.status.split(" ").includes(status))
        && (!needle || text(doc).includes(needle));
      doc.hidden = !ok;
      if (ok) shown += 1;
    }
    $("#f-count").textContent = shown + (shown === 1 ? " document" : " documents");
    if (current && current.closest("article").hidden) setCurrent(null);
  }
  ruleSelect.addEventListener("change", applyFilters);
  statusSelect.addEventListener("change", applyFilters);
  textInput.addEventListener("input", applyFilters);
  for (const button of $$("button.rule-filter")) {
    button.addEventListener("click", () => {
      ruleSelect.value = button.dataset.rule;
      applyFilters();
      $("#docs").scrollIntoView();
    });
  }

  // Keyboard navigation over the visible documents and their changes.
  const visibleDocs = () => docs.filter((d) => !d.hidden);
  const visibleChanges = () => visibleDocs().flatMap((d) => $$("li.change", d));
  function setCurrent(change, doc) {
    if (current) current.classList.remove("current");
    if (currentDoc) currentDoc.classList.remove("current");
    current = change || null;
    currentDoc = change ? change.closest("article") : doc || null;
    if (currentDoc) currentDoc.classList.add("current");
    if (current) {
      current.classList.add("current");
      current.scrollIntoView({ block: "center" });
    } else if (currentDoc) {
      currentDoc.scrollIntoView({ block: "start" });
    }
  }
  function step(delta) {
    const changes = visibleChanges();
    if (!changes.length) return;
    let i = changes.indexOf(current);
    if (i < 0) {
      // Start from the current document, if any.
      const first = currentDoc ? changes.findIndex((c) => c.closest("article") === currentDoc) : -1;
      i = first >= 0 ? (delta > 0 ? first - 1 : first) : (delta > 0 ? -1 : changes.length);
    }
    const next = Math.min(Math.max(i + delta, 0), changes.length - 1);
    setCurrent(changes[next]);
  }
  function stepDoc(delta) {
    const shown = visibleDocs();
    if (!shown.length) return;
    const i = shown.indexOf(currentDoc);
    const next = i < 0 ? (delta > 0 ? 0 : shown.length - 1) : Math.min(Math.max(i + delta, 0), shown.length - 1);
    const doc = shown[next];
    const first = $("li.change", doc);
    if (first) setCurrent(first); else setCurrent(null, doc);
  }
  document.addEventListener("keydown", (event) => {
    const tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea") {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const actions = {
      j: () => step(1), k: () => step(-1),
      n: () => stepDoc(1), p: () => stepDoc(-1),
      w: () => current && mark(current, "wrong"), r: () => current && mark(current, "right"),
      "/": () => textInput.focus(),
    };
    const action = actions[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });

  // A rule's description on hover, from the rule table (kept once, not per change).
  const descriptions = new Map($$("#rules button.rule").map((b) => [b.dataset.rule, b.title]));
  document.addEventListener("mouseover", (event) => {
    const label = event.target.closest && event.target.closest("span.rule");
    if (label && !label.title) label.title = descriptions.get(label.textContent) || "";
  });

  // Marks.
  function mark(change, decision) {
    const again = marks.get(change) === decision;
    if (again) marks.delete(change); else marks.set(change, decision);
    change.classList.remove("right", "wrong");
    if (!again) change.classList.add(decision);
    for (const b of $$("button[data-mark]", change)) {
      b.setAttribute("aria-pressed", String(!again && b.dataset.mark === decision));
    }
    tally();
  }
  function tally() {
    let wrong = 0, right = 0;
    for (const d of marks.values()) d === "wrong" ? wrong++ : right++;
    const leave = $$("article.leave-alone").length;
    $("#tally").textContent = wrong + " marked wrong, " + right + " right" + (leave ? ", " + leave + " documents left alone" : "");
  }
  for (const button of $$("button[data-mark]")) {
    button.addEventListener("click", () => {
      const change = button.closest("li.change");
      mark(change, button.dataset.mark);
      setCurrent(change);
    });
  }
  for (const button of $$("button.leave")) {
    button.addEventListener("click", () => {
      const doc = button.closest("article");
      const on = doc.classList.toggle("leave-alone");
      button.setAttribute("aria-pressed", String(on));
      tally();
    });
  }

  // Export: a file the browser downloads; `textscrub review apply` reads it.
  function decisions() {
    const changes = [];
    for (const [change, decision] of marks) {
      const d = change.dataset;
      changes.push({
        id: change.closest("article").dataset.id, rule: d.rule, decision: decision,
        line: Number(d.line), column: Number(d.column), start: Number(d.start), end: Number(d.end),
        before: d.before, after: d.after, context: d.context,
      });
    }
    changes.sort((a, b) => a.id.localeCompare(b.id) || a.start - b.start);
    const documents = $$("article.leave-alone").map((doc) => ({ id: doc.dataset.id, decision: "leave-alone" }));
    return { format: "textscrub-review-decisions", version: 1, page: document.title, changes: changes, documents: documents };
  }
  $("#export").addEventListener("click", () => {
    const blob = new Blob([JSON.stringify(decisions(), null, 1) + "\n"], { type: "application/json" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "decisions.json";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  });
  window.addEventListener("beforeunload", (event) => {
    if (marks.size) event.preventDefault();
  });

  // For scripted checks (the browser tests) and the console.
  window.textscrubReview = {
    decisions: decisions,
    visibleDocuments: () => visibleDocs().map((d) => d.dataset.id),
    current: () => current && { id: current.closest("article").dataset.id, rule: current.dataset.rule, start: Number(current.dataset.start) },
  };
})();
