/* Assurance Portal search: runs in the browser over search/index.js (window.PORTAL_SEARCH),
   which the build writes. No server, no fetch(): it works from file:// and under any path.
   Every query word must start a word of the result, in any order. Results are grouped: exact
   names first, then report paragraphs (the phrase before the scattered words, in report order),
   then pages, figures, glossary terms and the rest. */
(function () {
  "use strict";

  var data = window.PORTAL_SEARCH;
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var results = document.getElementById("search-results");
  if (!form || !input || !status || !results) return;
  if (!data) {
    status.textContent = "The search index did not load. Use the full report and your browser’s find instead.";
    return;
  }
  var root = form.getAttribute("data-root") || "";
  var MAX_PER_GROUP = 50;

  var GROUPS = [
    { key: "best", title: "Best match" },
    { key: "Paragraph", title: "Report paragraphs", one: "paragraph", many: "paragraphs" },
    { key: "Section", title: "Report sections and headings", one: "section or heading", many: "sections and headings" },
    { key: "Capability", title: "Capabilities", one: "capability", many: "capabilities" },
    { key: "Table", title: "Figures", one: "table", many: "tables" },
    { key: "Glossary", title: "Glossary", one: "acronym", many: "acronyms" },
    { key: "Register", title: "Boards, partners and operations", one: "board, partner or operation", many: "boards, partners and operations" },
    { key: "Commitment", title: "Commitments", one: "commitment", many: "commitments" }
  ];
  var GROUP_OF = { Heading: "Section", Board: "Register", Partner: "Register", Operation: "Register" };

  // Lower case, accents and apostrophes dropped, everything else not a letter or digit a space.
  function normalise(text) {
    var s = String(text).toLowerCase();
    if (s.normalize) s = s.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    return s.replace(/['\u2018\u2019]/g, "").replace(/[^a-z0-9]+/g, " ").trim();
  }

  // Every searchable thing, with its text normalised once.
  var docs = [];
  var sections = data.sections || [];
  (data.paragraphs || []).forEach(function (p) {
    var section = sections[p[1]] || ["", ""];
    docs.push({
      kind: "Paragraph", number: p[0], title: "Paragraph " + p[0], href: section[0] + "#p" + p[0],
      context: section[1], text: p[2], order: docs.length,
      names: [], hay: " " + normalise(p[2]) + " "
    });
  });
  (data.entries || []).forEach(function (e) {
    var keywords = e[3] ? e[3].split("|") : [];
    var section = e[5] >= 0 && sections[e[5]] ? sections[e[5]][1] : "";
    var context = e[0] === "Heading" ? "Heading in " + section
      : e[0] === "Section" ? "Report section"
      : e[0] === "Capability" && keywords.length ? "Capability · " + keywords.join(", ")
      : section ? e[0] + " · " + section : e[0];
    docs.push({
      kind: e[0], title: e[1], href: e[2], context: context, text: e[4], order: docs.length,
      names: [normalise(e[1])].concat(keywords.map(normalise)),
      hay: " " + normalise(e[1] + " " + keywords.join(" ") + " " + e[4]) + " "
    });
  });

  function search(query) {
    var phrase = normalise(query);
    if (!phrase) return null;
    var words = phrase.split(" ");
    var wanted = /^(?:p|para|paragraph) ?(\d+)$/.exec(phrase) || /^(\d+)$/.exec(phrase);
    var found = [];
    for (var i = 0; i < docs.length; i++) {
      var doc = docs[i];
      var exact = doc.names.indexOf(phrase) >= 0 || (wanted && doc.number === +wanted[1]);
      if (!exact) {
        var all = true;
        for (var w = 0; w < words.length && all; w++) all = doc.hay.indexOf(" " + words[w]) >= 0;
        if (!all) continue;
      }
      found.push({ doc: doc, exact: exact, phrase: exact || doc.hay.indexOf(" " + phrase) >= 0 });
    }
    var groups = {};
    found.forEach(function (hit) {
      var key = hit.exact ? "best" : (GROUP_OF[hit.doc.kind] || hit.doc.kind);
      (groups[key] = groups[key] || []).push(hit);
    });
    Object.keys(groups).forEach(function (key) {
      groups[key].sort(function (a, b) {
        return (b.phrase - a.phrase) || (a.doc.order - b.doc.order);
      });
    });
    return { query: query.trim(), words: words, groups: groups, count: found.length };
  }

  // A window of the text around the first query word, cut at word boundaries.
  function snippet(text, words, length) {
    if (!text) return "";
    if (text.length <= length) return text;
    var lower = text.toLowerCase();
    var at = -1;
    for (var i = 0; i < words.length && at < 0; i++) at = lower.indexOf(words[i]);
    var start = Math.max(0, at - Math.floor(length / 3));
    if (start > 0) start = text.indexOf(" ", start) + 1 || start;
    var end = Math.min(text.length, start + length);
    if (end < text.length) end = text.lastIndexOf(" ", end) > start ? text.lastIndexOf(" ", end) : end;
    return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
  }

  function escapeRegExp(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  // Text with the query words marked; built from text nodes, never from HTML strings.
  function marked(text, words) {
    var fragment = document.createDocumentFragment();
    var pattern = new RegExp("(" + words.filter(Boolean).map(escapeRegExp).join("|") + ")", "gi");
    var last = 0;
    text.replace(pattern, function (match, _group, offset) {
      if (offset > last) fragment.appendChild(document.createTextNode(text.slice(last, offset)));
      var mark = document.createElement("mark");
      mark.textContent = match;
      fragment.appendChild(mark);
      last = offset + match.length;
      return match;
    });
    if (last < text.length) fragment.appendChild(document.createTextNode(text.slice(last)));
    return fragment;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function render(outcome) {
    results.textContent = "";
    if (!outcome) {
      status.textContent = "";
      return;
    }
    if (!outcome.count) {
      status.textContent = "No results for “" + outcome.query + "”. Check the spelling, use fewer words, or try an acronym or a paragraph number.";
      return;
    }
    var parts = [];
    GROUPS.forEach(function (group) {
      var hits = outcome.groups[group.key];
      if (!hits) return;
      if (group.key === "best") {
        parts.push(hits.length + " best " + (hits.length === 1 ? "match" : "matches"));
      } else {
        parts.push(hits.length + " " + (hits.length === 1 ? group.one : group.many));
      }
      var section = element("section", "result-group");
      var heading = element("h2", null, group.title + " (" + hits.length + ")");
      heading.id = "results-" + group.key.toLowerCase();
      section.setAttribute("aria-labelledby", heading.id);
      section.appendChild(heading);
      var list = element("ol", "result-list");
      hits.slice(0, MAX_PER_GROUP).forEach(function (hit) {
        var doc = hit.doc;
        var item = element("li", "result");
        var title = element("p", "result-title");
        var link = element("a");
        link.href = root + doc.href;
        link.appendChild(marked(doc.title, outcome.words));
        title.appendChild(link);
        if (doc.context) {
          title.appendChild(document.createTextNode(" "));
          title.appendChild(element("span", "result-context", doc.context));
        }
        item.appendChild(title);
        var text = snippet(doc.text, outcome.words, 240);
        if (text) {
          var body = element("p", "result-text");
          body.appendChild(marked(text, outcome.words));
          item.appendChild(body);
        }
        list.appendChild(item);
      });
      section.appendChild(list);
      if (hits.length > MAX_PER_GROUP) {
        section.appendChild(element("p", "hint", "Showing the first " + MAX_PER_GROUP + ". Add a word to narrow the search."));
      }
      results.appendChild(section);
    });
    status.textContent = outcome.count + (outcome.count === 1 ? " result" : " results") +
      " for “" + outcome.query + "”: " + parts.join(", ") + "." +
      (data.paragraphLimit ? " This report is so long that search looks at the first " + data.paragraphLimit +
        " characters of each paragraph." : "");
  }

  function run(updateAddress) {
    var query = input.value;
    render(search(query));
    if (updateAddress && window.history && window.history.replaceState) {
      try {
        var address = window.location.pathname + (query.trim() ? "?q=" + encodeURIComponent(query.trim()) : "");
        window.history.replaceState(null, "", address);
      } catch (e) { /* some browsers refuse for file:// pages; the results are shown all the same */ }
    }
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(true); }, 200);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    run(true);
  });

  var params = /[?&]q=([^&#]*)/.exec(window.location.search);
  if (params) {
    try {
      input.value = decodeURIComponent(params[1].replace(/\+/g, " "));
    } catch (e) {
      input.value = params[1];
    }
    run(false);
  }
})();
