/* Worksheet keyboard entry and block paste; the page works as a plain form without it. */
(function () {
  var sheet = document.getElementById("worksheet");
  if (!sheet) { return; }
  document.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });
  var values = Array.prototype.slice.call(sheet.querySelectorAll(".value-cell"));
  var us = Array.prototype.slice.call(sheet.querySelectorAll(".sheet-row"));

  function rowOf(el) { return el.closest(".sheet-row"); }
  function cellIn(row, cls) { return row ? row.querySelector("." + cls) : null; }
  function focus(el) { if (el) { el.focus(); if (el.select) { el.select(); } } }
  function next(el, step) {
    var rows = us, i = rows.indexOf(rowOf(el)) + step;
    return i >= 0 && i < rows.length ? rows[i] : null;
  }

  sheet.addEventListener("keydown", function (event) {
    var el = event.target;
    var isValue = el.classList.contains("value-cell"), isU = el.classList.contains("u-cell");
    if (!isValue && !isU) { return; }
    if (event.key === "Enter" || event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var step = (event.key === "ArrowUp" || (event.key === "Enter" && event.shiftKey)) ? -1 : 1;
      focus(cellIn(next(el, step), isValue ? "value-cell" : "u-cell")
            || cellIn(next(el, step), "value-cell"));
    } else if (event.key === "Tab" && !event.shiftKey && isU) {
      var target = cellIn(next(el, 1), "value-cell");
      if (target) { event.preventDefault(); focus(target); }
    }
  });

  function setCell(el, text) {
    if (!el) { return; }
    if (el.tagName === "SELECT") {
      Array.prototype.forEach.call(el.options, function (o) {
        if (o.value.toLowerCase() === text.toLowerCase()) { el.value = o.value; }
      });
    } else { el.value = text; }
  }

  sheet.addEventListener("paste", function (event) {
    var el = event.target;
    if (!el.classList.contains("value-cell")) { return; }
    var text = (event.clipboardData || window.clipboardData).getData("text");
    var lines = text.replace(/\r/g, "").split("\n");
    while (lines.length && lines[lines.length - 1].trim() === "") { lines.pop(); }
    if (lines.length < 2 && text.indexOf("\t") < 0) { return; }
    event.preventDefault();
    var row = rowOf(el);
    lines.forEach(function (line) {
      if (!row) { return; }
      var parts = line.split("\t");
      setCell(cellIn(row, "value-cell"), parts[0].trim());
      if (parts.length > 1) { setCell(cellIn(row, "u-cell"), parts[1].trim()); }
      var conds = row.querySelectorAll(".cond-input");
      parts.slice(2).forEach(function (part, i) {
        if (conds[i] && part.trim()) { setCell(conds[i], part.trim()); }
      });
      row = us[us.indexOf(row) + 1] || null;
    });
    focus(row ? cellIn(row, "value-cell") : el);
  });

  var target = location.hash && document.querySelector(location.hash + " .value-cell");
  focus(target || sheet.querySelector(".sheet-row.focus .value-cell"));
})();
