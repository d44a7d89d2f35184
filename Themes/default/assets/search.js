/* Assurance Portal search: runs in the browser over search/index.js (window.PORTAL_SEARCH),
   which the build writes. No server, no fetch(): it works from file:// and under any path.
   Every query word must match a word of the result, in any order: as typed (the start of a
   word), by its stem ("drones", "drone"), through the glossary ("ACC", "assistant chief
   constable") or, when the site has no such word, by the nearest spelling ("terrorisim").
   Results are grouped: exact names first, then report paragraphs (the phrase first, then the
   closest matches, in report order), then pages, figures, glossary terms and the rest. */
(function () {
  "use strict";

  // The index (search/index.js, written by Render/SearchIndex.swift) keeps each record as an
  // array, so 10,000 pages do not repeat field names 100,000 times:
  //   window.PORTAL_SEARCH = {
  //     sections:   [[href, title], ...],              addresses relative to the site root
  //     paragraphLimit: 133,                           only when texts were cut to fit a large site
  //     paragraphs: [[number, section, text], ...],    section: a position in sections
  //     entries:    [[kind, title, href, keywords, text, section], ...]
  //   }
  // kind: Section, Heading, Capability, Table, Glossary, Board, Partner, Operation, Commitment;
  // keywords: joined by "|"; section: a position in sections, or -1 for none. The positions are
  // read through these names; Swift's SearchIndexFields names them the same (a unit test checks).
  var SECTION = { href: 0, title: 1 };
  var PARAGRAPH = { number: 0, section: 1, text: 2 };
  var ENTRY = { kind: 0, title: 1, href: 2, keywords: 3, text: 4, section: 5 };

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

  // Porter's stemmer (1980), so "drones" finds "drone", "investigation" finds "investigate"
  // and "policing" finds "police": the same on the index side and the query side.
  var STEP2 = { ational: "ate", tional: "tion", enci: "ence", anci: "ance", izer: "ize", bli: "ble", alli: "al",
    entli: "ent", eli: "e", ousli: "ous", ization: "ize", ation: "ate", ator: "ate", alism: "al", iveness: "ive",
    fulness: "ful", ousness: "ous", aliti: "al", iviti: "ive", biliti: "ble", logi: "log" };
  var STEP3 = { icate: "ic", ative: "", alize: "al", iciti: "ic", ical: "ic", ful: "", ness: "" };
  var C = "[^aeiou][^aeiouy]*", V = "[aeiouy][aeiou]*";
  var MGR0 = new RegExp("^(" + C + ")?" + V + C), MEQ1 = new RegExp("^(" + C + ")?" + V + C + "(" + V + ")?$");
  var MGR1 = new RegExp("^(" + C + ")?" + V + C + V + C), HAS_VOWEL = new RegExp("^(" + C + ")?[aeiouy]");
  var CVC = new RegExp("^" + C + "[aeiouy][^aeiouwxy]$");
  function porter(w) {
    if (w.length < 3 || /[0-9]/.test(w)) return w;
    var m, stem, y = w.charAt(0) === "y";
    if (y) w = "Y" + w.slice(1);
    if ((m = /^(.+?)(ss|i)es$/.exec(w))) w = m[1] + m[2];
    else if ((m = /^(.+?)([^s])s$/.exec(w))) w = m[1] + m[2];
    if ((m = /^(.+?)eed$/.exec(w))) {
      if (MGR0.test(m[1])) w = w.slice(0, -1);
    } else if ((m = /^(.+?)(ed|ing)$/.exec(w)) && HAS_VOWEL.test(m[1])) {
      w = m[1];
      if (/(at|bl|iz)$/.test(w)) w += "e";
      else if (/([^aeiouylsz])\1$/.test(w)) w = w.slice(0, -1);
      else if (CVC.test(w)) w += "e";
    }
    if ((m = /^(.+?)y$/.exec(w)) && HAS_VOWEL.test(m[1])) w = m[1] + "i";
    m = /^(.+?)(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism|iveness|fulness|ousness|aliti|iviti|biliti|logi)$/.exec(w);
    if (m && MGR0.test(m[1])) w = m[1] + STEP2[m[2]];
    m = /^(.+?)(icate|ative|alize|iciti|ical|ful|ness)$/.exec(w);
    if (m && MGR0.test(m[1])) w = m[1] + STEP3[m[2]];
    if ((m = /^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$/.exec(w))) {
      if (MGR1.test(m[1])) w = m[1];
    } else if ((m = /^(.+?)(s|t)(ion)$/.exec(w))) {
      stem = m[1] + m[2];
      if (MGR1.test(stem)) w = stem;
    }
    if ((m = /^(.+?)e$/.exec(w))) {
      stem = m[1];
      if (MGR1.test(stem) || (MEQ1.test(stem) && !CVC.test(stem))) w = stem;
    }
    if (/ll$/.test(w) && MGR1.test(w)) w = w.slice(0, -1);
    return y ? "y" + w.slice(1) : w;
  }
  var stems = Object.create(null);
  function stem(word) { return stems[word] || (stems[word] = porter(word)); }

  // Acronyms and their expansions, from the glossary, each found through the other: a paragraph
  // that writes "ACC" answers "assistant chief constable", and one that spells it out answers "acc".
  var expansionOf = Object.create(null), acronymsAt = Object.create(null);
  (data.entries || []).forEach(function (e) {
    if (e[ENTRY.kind] !== "Glossary" || !e[ENTRY.text]) return;
    var term = normalise(e[ENTRY.title]), expansion = normalise(e[ENTRY.text]);
    if (!term || !expansion || term.indexOf(" ") >= 0) return;
    expansionOf[term] = expansion;
    var first = expansion.split(" ")[0];
    (acronymsAt[first] = acronymsAt[first] || []).push({ words: expansion.split(" "), term: term });
  });

  // Every word the site uses, for typo tolerance: a query word that matches nothing is read as
  // the nearest words within one edit (two for longer words).
  var vocabulary = Object.create(null);

  // A document's searchable forms: its words (with the other half of each acronym pair), and the
  // stems of those words.
  function searchable(text) {
    var words = normalise(text).split(" ").filter(Boolean), extra = [];
    for (var i = 0; i < words.length; i++) {
      var word = words[i];
      vocabulary[word] = true;
      if (expansionOf[word]) extra.push(expansionOf[word]);
      var spelled = acronymsAt[word];
      if (spelled) {
        spelled.forEach(function (entry) {
          for (var k = 0; k < entry.words.length; k++) if (words[i + k] !== entry.words[k]) return;
          extra.push(entry.term);
        });
      }
    }
    var all = extra.length ? words.concat(extra.join(" ").split(" ")) : words;
    return { hay: " " + words.join(" ") + " ", more: " " + all.join(" ") + " ", stems: " " + all.map(stem).join(" ") + " " };
  }

  // Every searchable thing, with its text normalised once. `edition` is set for the documents
  // of an earlier edition's index ({ id, name, folder }): their addresses lead into its folder
  // and their context names it, so a result always says which edition it comes from.
  var docs = [];
  function add(doc, text) {
    var forms = searchable(text);
    doc.hay = forms.hay;
    doc.more = forms.more;
    doc.stems = forms.stems;
    doc.order = docs.length;
    docs.push(doc);
  }
  function addIndex(index, edition) {
    var sections = index.sections || [];
    var folder = edition ? edition.folder : "";
    var label = edition ? "Edition " + edition.id + " · " : "";
    (index.paragraphs || []).forEach(function (p) {
      var number = p[PARAGRAPH.number], text = p[PARAGRAPH.text];
      var section = sections[p[PARAGRAPH.section]] || ["", ""];
      add({
        kind: "Paragraph", number: number, title: "Paragraph " + number, edition: edition,
        href: folder + section[SECTION.href] + "#p" + number, context: label + section[SECTION.title], text: text,
        names: []
      }, text);
    });
    (index.entries || []).forEach(function (e) {
      var kind = e[ENTRY.kind], title = e[ENTRY.title], text = e[ENTRY.text];
      var keywords = e[ENTRY.keywords] ? e[ENTRY.keywords].split("|") : [];
      var at = e[ENTRY.section];
      var section = at >= 0 && sections[at] ? sections[at][SECTION.title] : "";
      var context = kind === "Heading" ? "Heading in " + section
        : kind === "Section" ? "Report section"
        : kind === "Capability" && keywords.length ? "Capability · " + keywords.join(", ")
        : section ? kind + " · " + section : kind;
      add({
        kind: kind, title: title, href: folder + e[ENTRY.href], context: label + context, text: text,
        edition: edition, names: edition ? [] : [normalise(title)].concat(keywords.map(normalise))
      }, title + " " + keywords.join(" ") + " " + text);
    });
  }
  addIndex(data, null);
  var words = Object.keys(vocabulary).sort();

  // Earlier editions (search.mustache's data-editions: [[id, name, index address], ...], newest
  // first) are searched only when asked: each index is a script that sets window.PORTAL_SEARCH,
  // loaded one after another, so this works from file:// too.
  var editionsBox = document.getElementById("search-editions");
  var editionsList = [];
  try {
    var holder = editionsBox && editionsBox.parentNode.getAttribute("data-editions");
    editionsList = holder ? JSON.parse(holder) : [];
  } catch (e) { editionsList = []; }
  var editionsState = "absent";
  function includeEditions(done) {
    if (editionsState === "loaded" || !editionsList.length) return done();
    var pending = editionsList.slice();
    function next() {
      var item = pending.shift();
      if (!item) {
        window.PORTAL_SEARCH = data;
        words = Object.keys(vocabulary).sort();
        editionsState = "loaded";
        return done();
      }
      var script = document.createElement("script");
      window.PORTAL_SEARCH = null;
      script.onload = function () {
        var folder = item[2].replace(/search\/index\.js$/, "");
        if (window.PORTAL_SEARCH) addIndex(window.PORTAL_SEARCH, { id: item[0], name: item[1], folder: folder });
        next();
      };
      script.onerror = next;
      script.src = root + item[2];
      document.body.appendChild(script);
    }
    next();
  }
  function searchesEditions() { return !!(editionsBox && editionsBox.checked); }

  // Is some vocabulary word written starting with `prefix`? (binary search in the sorted list)
  function known(prefix) {
    var low = 0, high = words.length;
    while (low < high) {
      var mid = (low + high) >> 1;
      if (words[mid] < prefix) low = mid + 1; else high = mid;
    }
    return low < words.length && words[low].lastIndexOf(prefix, 0) === 0;
  }

  // Optimal string alignment distance (Damerau-Levenshtein, transpositions count once),
  // giving up as soon as it exceeds `limit`.
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var previous2 = null, previous = [], current;
    for (var j = 0; j <= b.length; j++) previous.push(j);
    for (var i = 1; i <= a.length; i++) {
      current = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
        var value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
        if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
          value = Math.min(value, previous2[j - 2] + 1);
        }
        current.push(value);
        if (value < best) best = value;
      }
      if (best > limit) return limit + 1;
      previous2 = previous;
      previous = current;
    }
    return previous[b.length];
  }

  // How one query word may match: as written (the start of a word), by its stem, or, when the
  // site has no such word, through the nearest spellings. Each form is tried on every document.
  function matcher(word) {
    var stemmed = stem(word);
    var forms = { word: word, stem: stemmed, typos: [] };
    if (known(word) || word.length < 4 || /[0-9]/.test(word)) return forms;
    var limit = word.length >= 8 ? 2 : 1;
    for (var i = 0; i < words.length && forms.typos.length < 8; i++) {
      var candidate = words[i];
      if (candidate.length < 3 || stem(candidate) === stemmed) continue;
      if (distance(word, candidate, limit) <= limit) forms.typos.push(candidate);
    }
    return forms;
  }

  // 3: as written, 2: by stem or acronym, 1: by a near spelling, 0: not at all.
  function strength(doc, forms) {
    if (doc.hay.indexOf(" " + forms.word) >= 0) return 3;
    if (doc.more.indexOf(" " + forms.word) >= 0 || doc.stems.indexOf(" " + forms.stem) >= 0) return 2;
    for (var t = 0; t < forms.typos.length; t++) {
      if (doc.hay.indexOf(" " + forms.typos[t] + " ") >= 0 || doc.stems.indexOf(" " + stem(forms.typos[t]) + " ") >= 0) return 1;
    }
    return 0;
  }

  function search(query) {
    var phrase = normalise(query);
    if (!phrase) return null;
    var queryWords = phrase.split(" ");
    var forms = queryWords.map(matcher);
    var wanted = /^(?:p|para|paragraph) ?(\d+)$/.exec(phrase) || /^(\d+)$/.exec(phrase);
    var found = [];
    var everyEdition = searchesEditions();
    for (var i = 0; i < docs.length; i++) {
      var doc = docs[i];
      if (doc.edition && !everyEdition) continue;
      var exact = doc.names.indexOf(phrase) >= 0 || (wanted && doc.number === +wanted[1]);
      var score = 0;
      if (!exact) {
        for (var w = 0; w < forms.length; w++) {
          var s = strength(doc, forms[w]);
          if (!s) break;
          score += s;
        }
        if (w < forms.length) continue;
      }
      var inPhrase = exact || doc.hay.indexOf(" " + phrase) >= 0;
      found.push({ doc: doc, exact: exact, score: (inPhrase ? 100 : 0) + score });
    }
    var groups = {};
    found.forEach(function (hit) {
      var key = hit.exact ? "best" : (GROUP_OF[hit.doc.kind] || hit.doc.kind);
      (groups[key] = groups[key] || []).push(hit);
    });
    Object.keys(groups).forEach(function (key) {
      groups[key].sort(function (a, b) {
        return (b.score - a.score) || (a.doc.order - b.doc.order);
      });
    });
    // Marked in the results: the words as typed and the spellings they were read as.
    var marks = queryWords.concat.apply(queryWords, forms.map(function (f) { return f.typos; }));
    var read = forms.filter(function (f) { return f.typos.length; }).map(function (f) { return f.typos[0]; });
    return { query: query.trim(), words: marks, groups: groups, count: found.length, readAs: read };
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
    var readAs = outcome.readAs.length ? " (read as “" + outcome.readAs.join(" ") + "” where the spelling matched nothing)" : "";
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
    var where = searchesEditions() ? " in this edition and " + editionsList.length + " earlier " +
      (editionsList.length === 1 ? "one" : "ones") : "";
    status.textContent = outcome.count + (outcome.count === 1 ? " result" : " results") +
      " for “" + outcome.query + "”" + where + readAs + ": " + parts.join(", ") + "." +
      (data.paragraphLimit ? " This report is so long that search looks at the first " + data.paragraphLimit +
        " characters of each paragraph." : "");
  }

  function run(updateAddress) {
    var query = input.value;
    if (searchesEditions() && editionsState !== "loaded") {
      status.textContent = "Loading the earlier editions…";
      return includeEditions(function () { run(updateAddress); });
    }
    render(search(query));
    if (updateAddress && window.history && window.history.replaceState) {
      try {
        var address = window.location.pathname + (query.trim() ? "?q=" + encodeURIComponent(query.trim()) : "") +
          (query.trim() && searchesEditions() ? "&editions=all" : "");
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

  if (editionsBox) {
    editionsBox.addEventListener("change", function () { run(true); });
    if (/[?&]editions=all\b/.test(window.location.search)) editionsBox.checked = true;
  }

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
