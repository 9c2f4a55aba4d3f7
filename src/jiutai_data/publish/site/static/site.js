/* jiutai-data site: the names switch on every page; on table pages, sorting, filtering,
 * full-text search, paging and tracing a row to its quote in the source text.
 *
 * Hand-written rather than a grid library (DataTables, AG Grid, Tabulator): the site must
 * work offline from file:// with no build step and no CDN, the whole job is a few hundred
 * lines, and every row is rendered with textContent, never as HTML, so no value in the data
 * can inject markup. Only one page of rows is in the DOM at a time, so 100,000 rows stay usable.
 */
(function () {
  "use strict";

  var registry = window.JIUTAI || { tables: {}, texts: {} };
  var NAMES_KEY = "jiutai-data:names";
  var interfaceTexts = registry.interface || {};
  var languageListeners = [];

  /* ---- Chinese / English / both ---------------------------------------------------- */
  // The interface is in Chinese when 中文 is chosen and in English otherwise; the page's own
  // texts are in both languages (the CSS shows one), what this script writes comes from
  // data/interface.js (interface.py), filled in with {name} slots.
  function chinese() { return document.documentElement.getAttribute("data-names") === "zh"; }
  function say(key, slots) {
    var pair = interfaceTexts[key] || [key, key];
    return pair[chinese() ? 1 : 0].replace(/\{(\w+)\}/g, function (whole, name) {
      return slots && slots[name] !== undefined ? slots[name] : whole;
    });
  }
  function applyNames(value) {
    document.documentElement.setAttribute("data-names", value);
    document.documentElement.lang = value === "zh" ? "zh-Hans" : "en";
    var radios = document.querySelectorAll('input[name="names"]');
    for (var i = 0; i < radios.length; i++) radios[i].checked = radios[i].value === value;
    var placeholders = document.querySelectorAll("[data-placeholder]");
    for (var p = 0; p < placeholders.length; p++) placeholders[p].placeholder = say(placeholders[p].getAttribute("data-placeholder"));
    languageListeners.forEach(function (listener) { listener(); });
  }
  function storedNames() {
    try { return window.localStorage.getItem(NAMES_KEY); } catch (error) { return null; }
  }
  applyNames(storedNames() || "both");
  document.addEventListener("change", function (event) {
    if (event.target && event.target.name === "names") {
      applyNames(event.target.value);
      try { window.localStorage.setItem(NAMES_KEY, event.target.value); } catch (error) { /* private mode */ }
    }
  });

  /* ---- table pages ---------------------------------------------------------------- */
  var browser = document.getElementById("browser");
  if (!browser) return;
  var data = registry.tables[browser.getAttribute("data-table")];
  var status = document.getElementById("status");
  if (!data) {
    status.textContent = say("rows_missing", { table: browser.getAttribute("data-table") });
    return;
  }
  var base = browser.getAttribute("data-base") || "";
  var fields = data.fields;
  var rows = data.rows;
  var trace = data.trace;
  // Columns in reading order (the page's headings follow it too); cells stay in schema order.
  var order = data.order || fields.map(function (field, index) { return index; });
  var tbody = document.querySelector("#rows tbody");
  var searchBox = document.getElementById("search");
  var pageSizeBox = document.getElementById("page-size");
  var pageInfo = document.getElementById("page-info");
  var previousButton = document.getElementById("previous-page");
  var nextButton = document.getElementById("next-page");
  var sortButtons = document.querySelectorAll("button.sort");
  var filterBoxes = document.querySelectorAll(".filter");

  var column = {};
  fields.forEach(function (field, index) { column[field.name] = index; });
  var keyColumns = data.key.map(function (name) { return column[name]; });
  function keyOf(row) { return keyColumns.map(function (index) { return row[index]; }).join("|"); }
  function isNumeric(field) { return field.type === "number" || field.type === "integer"; }
  var lead = Number(browser.getAttribute("data-lead")) || 0;
  function title(field) { return field.title ? field.title[chinese() ? 1 : 0] : field.name; }
  // What a cell shows: an amount with its digits grouped (26,460,000,000), an enum value by its
  // label (year-on-year change, 同比), anything else as written; filters and sorting read the cell itself.
  function shownText(field, cell) {
    if (cell === null) return "";
    if (field.type === "number" && /^-?\d+(\.\d+)?$/.test(cell)) {
      return Number(cell).toLocaleString("en", { maximumFractionDigits: 6 }).replace("-", "\u2212");
    }
    if (field.labels && field.labels[cell]) return field.labels[cell][chinese() ? 1 : 0];
    return cell;
  }

  // NFKC folds full-width letters and digits into ASCII, so "ＧＤＰ" finds "GDP".
  function fold(text) { return String(text).normalize("NFKC").toLowerCase(); }

  var haystacks = null; // built on the first search, one string per row
  function haystack(index) {
    if (haystacks === null) {
      haystacks = rows.map(function (row) {
        return fold(row.map(function (cell) { return cell === null ? "" : cell; }).join("\u0001"));
      });
    }
    return haystacks[index];
  }

  var state = { search: "", filters: {}, sortColumn: null, sortDescending: false, page: 0, pageSize: 50 };
  var view = rows.map(function (row, index) { return index; });

  function numericTest(text) {
    var match = /^\s*(<=|>=|<|>|=)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
    if (!match) return null;
    var bound = parseFloat(match[2]);
    var tests = {
      "<": function (value) { return value < bound; }, "<=": function (value) { return value <= bound; },
      ">": function (value) { return value > bound; }, ">=": function (value) { return value >= bound; },
      "=": function (value) { return value === bound; }
    };
    return tests[match[1]];
  }

  function columnTest(index, text) {
    var field = fields[index];
    if (field.enum) return function (row) { return row[index] === text; };
    var compare = isNumeric(field) ? numericTest(text) : null;
    if (compare) {
      return function (row) { return row[index] !== null && compare(parseFloat(row[index])); };
    }
    var needle = fold(text.trim());
    return function (row) { return row[index] !== null && fold(row[index]).indexOf(needle) !== -1; };
  }

  var collator = new Intl.Collator(["zh-Hans-u-co-pinyin", "en"], { numeric: true });
  function sortKey(field) {
    if (isNumeric(field)) return function (cell) { return parseFloat(cell); };
    return null;
  }

  function recompute() {
    var tests = [];
    Object.keys(state.filters).forEach(function (index) {
      if (state.filters[index] !== "") tests.push(columnTest(Number(index), state.filters[index]));
    });
    var terms = fold(state.search).split(/\s+/).filter(Boolean);
    var kept = [];
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var ok = true;
      for (var t = 0; t < tests.length && ok; t++) ok = tests[t](row);
      if (ok && terms.length) {
        var text = haystack(i);
        for (var s = 0; s < terms.length && ok; s++) ok = text.indexOf(terms[s]) !== -1;
      }
      if (ok) kept.push(i);
    }
    if (state.sortColumn !== null) {
      var index = state.sortColumn;
      var numeric = sortKey(fields[index]);
      var direction = state.sortDescending ? -1 : 1;
      kept.sort(function (a, b) {
        var left = rows[a][index], right = rows[b][index];
        // Empty cells go last whichever the direction; ties keep the file's order.
        if (left === null || right === null) return left === right ? a - b : (left === null ? 1 : -1);
        var order = numeric ? numeric(left) - numeric(right) : collator.compare(left, right);
        return order !== 0 ? direction * order : a - b;
      });
    }
    view = kept;
  }

  function cellClass(field) {
    var classes = ["type-" + field.type];
    if (field.language) classes.push("lang-" + field.language);
    if (field.name === "quote" || field.name === "note" || field.name === "description" || field.name === "reason") {
      classes.push("long");
    }
    // labelled values and periods wrap at a word, so that a long label does not widen its column
    if (field.labels || field.role === "period") classes.push("wrap");
    return classes.join(" ");
  }

  function render() {
    var size = state.pageSize;
    var pages = Math.max(1, Math.ceil(view.length / size));
    if (state.page >= pages) state.page = pages - 1;
    var start = state.page * size;
    var end = Math.min(view.length, start + size);
    var fragment = document.createDocumentFragment();
    for (var position = start; position < end; position++) {
      var rowIndex = view[position];
      var row = rows[rowIndex];
      var tr = document.createElement("tr");
      tr.setAttribute("data-key", keyOf(row));
      tr.setAttribute("data-row", String(rowIndex));
      if (trace) {
        var traceCell = document.createElement("td");
        traceCell.className = "trace-col";
        var button = document.createElement("button");
        button.type = "button";
        button.className = "trace";
        button.setAttribute("data-row", String(rowIndex));
        button.setAttribute("aria-label", say("trace_label", { key: keyOf(row) }));
        button.textContent = say("trace");
        traceCell.appendChild(button);
        tr.appendChild(traceCell);
      }
      for (var o = 0; o < order.length; o++) {
        var c = order[o];
        var td = document.createElement("td");
        td.className = cellClass(fields[c]) + (o < lead ? " lead" : "");
        // a phone shows each row as a card, each cell under its column's title (CSS)
        td.setAttribute("data-label", title(fields[c]));
        if (row[c] !== null) td.textContent = shownText(fields[c], row[c]);
        tr.appendChild(td);
      }
      if (selectedRow === rowIndex) tr.className = "selected";
      fragment.appendChild(tr);
    }
    tbody.textContent = "";
    tbody.appendChild(fragment);
    var total = rows.length.toLocaleString("en");
    status.textContent = view.length === 0
      ? say("status_none", { total: total })
      : say("status_rows", { start: (start + 1).toLocaleString("en"), end: end.toLocaleString("en"),
                             matching: view.length.toLocaleString("en"), total: total });
    pageInfo.textContent = say("page_info", { page: (state.page + 1).toLocaleString("en"), pages: pages.toLocaleString("en") });
    previousButton.disabled = state.page === 0;
    nextButton.disabled = state.page >= pages - 1;
  }

  function update() { recompute(); render(); }

  /* The address keeps the view: #q=words&topic=economy&row=<key>, so a filtered view or a
   * traced row can be bookmarked and shared. */
  function syncAddress() {
    if (!(window.history && window.history.replaceState)) return;
    var params = new URLSearchParams();
    if (state.search.trim()) params.set("q", state.search.trim());
    Object.keys(state.filters).sort(function (a, b) { return a - b; }).forEach(function (index) {
      if (state.filters[index] !== "") params.set(fields[Number(index)].name, state.filters[index]);
    });
    if (selectedRow !== null) params.set("row", keyOf(rows[selectedRow]));
    var text = params.toString();
    window.history.replaceState(null, "", text ? "#" + text : window.location.pathname + window.location.search);
  }

  function readAddress() {
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    params.forEach(function (value, name) {
      if (name === "q") {
        searchBox.value = value;
        state.search = value;
      } else if (column[name] !== undefined) {
        var box = document.querySelector('.filter[data-column="' + column[name] + '"]');
        box.value = value;
        if (box.value === value) state.filters[column[name]] = value; // a list refuses values it does not offer
      }
    });
    return params.get("row");
  }

  var searchTimer = null;
  function later(action) {
    // Typing into a filter of 100,000 rows should not recompute on every key. While an edit waits,
    // <html data-pending> says so (a script or a test can wait for the rows to be up to date).
    window.clearTimeout(searchTimer);
    document.documentElement.setAttribute("data-pending", "");
    searchTimer = window.setTimeout(function () {
      action();
      document.documentElement.removeAttribute("data-pending");
    }, rows.length > 20000 ? 250 : 60);
  }

  // Every control is read afresh, so that an edit made while another waits for its pause is kept too.
  function applyControls() {
    state.search = searchBox.value;
    Array.prototype.forEach.call(filterBoxes, function (box) { state.filters[box.getAttribute("data-column")] = box.value; });
    state.page = 0;
    update();
    syncAddress();
  }
  searchBox.addEventListener("input", function () { later(applyControls); });
  Array.prototype.forEach.call(filterBoxes, function (box) {
    box.addEventListener(box.tagName === "SELECT" ? "change" : "input", function () { later(applyControls); });
  });
  Array.prototype.forEach.call(sortButtons, function (button) {
    button.addEventListener("click", function () {
      var index = Number(button.getAttribute("data-column"));
      state.sortDescending = state.sortColumn === index ? !state.sortDescending : false;
      state.sortColumn = index;
      Array.prototype.forEach.call(sortButtons, function (other) {
        var heading = other.parentNode;
        var active = Number(other.getAttribute("data-column")) === index;
        heading.setAttribute("aria-sort", active ? (state.sortDescending ? "descending" : "ascending") : "none");
      });
      state.page = 0;
      update();
    });
  });
  pageSizeBox.addEventListener("change", function () {
    state.pageSize = Number(pageSizeBox.value) || 50;
    state.page = 0;
    render();
  });
  previousButton.addEventListener("click", function () { state.page -= 1; render(); });
  nextButton.addEventListener("click", function () { state.page += 1; render(); });
  document.getElementById("clear-filters").addEventListener("click", function () {
    searchBox.value = "";
    Array.prototype.forEach.call(filterBoxes, function (box) { box.value = ""; });
    state.search = "";
    state.filters = {};
    state.page = 0;
    update();
    syncAddress();
  });

  /* ---- provenance: a row's quote inside its source text ----------------------------- */
  var selectedRow = null;
  var provenance = document.getElementById("provenance");

  function setText(id, text) { document.getElementById(id).textContent = text || "—"; }

  function statedText(row) {
    var parts = trace.stated.map(function (name) { return row[column[name]]; }).filter(function (cell) { return cell !== null; });
    // the word or minus that signs the figure stands before its number, as the source writes it: 下降12.4%
    var direction = trace.direction ? row[column[trace.direction]] : null;
    return (direction || "") + parts.join("");
  }

  function normalisedText(row) {
    return trace.normalised.map(function (entry) {
      var value = row[column[entry.value]];
      if (value === null) return null;
      var unit = entry.unit_field ? row[column[entry.unit_field]] : entry.unit;
      return entry.value + " = " + Number(value).toLocaleString("en", { maximumFractionDigits: 6 }) + (unit ? " " + unit : "");
    }).filter(Boolean).join("; ");
  }

  // Period or horizon, and how the figure was reported: whichever of these columns the table has.
  var DETAILS = [["period_start", "period_end", "period"], ["horizon_start", "horizon_end", "horizon"]];
  var LABELS = ["measure", "qualifier", "status", "kind"];
  function detailsText(row) {
    var parts = [];
    DETAILS.forEach(function (entry) {
      if (column[entry[0]] === undefined) return;
      var start = row[column[entry[0]]], end = row[column[entry[1]]];
      if (start && start === end) { parts.push(say("one_day", { day: start })); return; }  // a stock: its day, not a span
      parts.push((entry[2] === "period" ? say("period") : entry[2]) + " " +
                 (start || end ? (start || "…") + " – " + (end || "…") : say("not_stated")));
    });
    LABELS.forEach(function (name) {
      var field = fields[column[name]];
      if (field && row[column[name]] !== null) parts.push(title(field) + ": " + shownText(field, row[column[name]]));
    });
    return parts.join(" · ");
  }

  function sourceTitle(sourceId) {
    var sources = registry.tables.sources;
    if (!sources) return sourceId;
    var index = {};
    sources.fields.forEach(function (field, position) { index[field.name] = position; });
    for (var i = 0; i < sources.rows.length; i++) {
      var source = sources.rows[i];
      if (source[index.id] === sourceId) {
        return [source[index.publisher_zh], source[index.publisher_en] && "(" + source[index.publisher_en] + ")",
          (source[index.published] || "").slice(0, 10) + ":", source[index.title_zh]].filter(Boolean).join(" ");
      }
    }
    return sourceId;
  }

  function showText(text, quote) {
    var box = document.getElementById("source-text");
    var textStatus = document.getElementById("source-text-status");
    box.textContent = "";
    var at = text.indexOf(quote);
    if (at === -1) {
      textStatus.textContent = say("text_missing");
      box.textContent = text;
      return;
    }
    var mark = document.createElement("mark");
    mark.id = "quote-mark";
    mark.textContent = quote;
    box.appendChild(document.createTextNode(text.slice(0, at)));
    box.appendChild(mark);
    box.appendChild(document.createTextNode(text.slice(at + quote.length)));
    var line = text.slice(0, at).split("\n").length;
    textStatus.textContent = say("text_highlighted", { line: line });
    // Scroll the text box (the mark's offset parent), not the page, so the figure stays in view above it.
    box.scrollTop = Math.max(0, mark.offsetTop - box.clientHeight / 3);
  }

  function loadText(sourceId, done) {
    if (registry.texts[sourceId] !== undefined) { done(registry.texts[sourceId]); return; }
    var script = trace.texts[sourceId];
    if (!script) { done(null); return; }
    var element = document.createElement("script");
    element.src = base + script;
    element.onload = function () { done(registry.texts[sourceId] === undefined ? null : registry.texts[sourceId]); };
    element.onerror = function () { done(null); };
    document.body.appendChild(element);
  }

  function showTrace(rowIndex, moveFocus) {
    var row = rows[rowIndex];
    selectedRow = rowIndex;
    Array.prototype.forEach.call(tbody.querySelectorAll("tr"), function (tr) {
      tr.className = Number(tr.getAttribute("data-row")) === rowIndex ? "selected" : "";
    });
    var key = keyOf(row);
    setText("trace-row", key);
    var names = ["name_zh", "name_en"].filter(function (name) { return column[name] !== undefined && row[column[name]] !== null; })
      .map(function (name) { return row[column[name]]; });
    setText("trace-name", names.join(" · "));
    setText("trace-stated", statedText(row));
    if (trace.figure) setText("trace-figure", row[column[trace.figure]]);
    setText("trace-details", detailsText(row));
    setText("trace-normalised", normalisedText(row));
    var quote = row[column[trace.quote]];
    setText("trace-quote", quote);
    var sourceId = row[column[trace.source]];
    setText("trace-source", sourceTitle(sourceId));
    var download = document.getElementById("trace-text-download");
    download.hidden = !trace.downloads[sourceId];
    if (trace.downloads[sourceId]) download.href = base + trace.downloads[sourceId];
    setText("trace-note", column.note !== undefined ? row[column.note] : (column.reason !== undefined ? row[column.reason] : ""));
    document.getElementById("row-link").href = "#row=" + encodeURIComponent(key);
    provenance.hidden = false;
    document.getElementById("source-text-status").textContent = say("text_loading");
    loadText(sourceId, function (text) {
      if (selectedRow !== rowIndex) return;
      if (text === null) {
        document.getElementById("source-text-status").textContent = say("text_failed");
        return;
      }
      showText(text, quote || "");
    });
    if (moveFocus) {
      provenance.scrollIntoView({ block: "start" });
      document.getElementById("provenance-heading").focus({ preventScroll: true });
    }
    syncAddress();
  }

  if (trace) {
    tbody.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("button.trace") : null;
      if (button) showTrace(Number(button.getAttribute("data-row")), true);
    });
    document.getElementById("close-provenance").addEventListener("click", function () {
      provenance.hidden = true;
      selectedRow = null;
      render();
      syncAddress();
      searchBox.focus();
    });
  }

  // A change of language relabels the filters' choices and redraws the rows and messages.
  function relabel() {
    Array.prototype.forEach.call(document.querySelectorAll("select.filter option"), function (option) {
      var field = fields[Number(option.parentNode.getAttribute("data-column"))];
      option.textContent = option.value === "" ? say("all") : shownText(field, option.value);
    });
  }
  languageListeners.push(function () {
    relabel();
    render();
    if (selectedRow !== null) document.getElementById("trace-details").textContent = detailsText(rows[selectedRow]) || "—";
  });
  relabel();

  state.pageSize = Number(pageSizeBox.value) || 50;
  var wantedRow = readAddress();
  update();
  // For scripts/bench_site.py, and anyone profiling: when the first page of rows was on screen.
  if (window.performance && performance.mark) performance.mark("jiutai:rows-shown");

  if (trace && wantedRow !== null) {
    for (var i = 0; i < rows.length; i++) {
      if (keyOf(rows[i]) === wantedRow) { showTrace(i, true); break; }
    }
  }
})();
