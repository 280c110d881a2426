// Autocomplete for the search box: a progressive enhancement. Without this
// script the box is a plain search field; with it, completions from
// /api/suggest appear under it (ARIA combobox: arrows, Enter, Escape).
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("q-suggestions");
  if (!input || !list || !window.fetch) return;

  var url = input.getAttribute("data-suggest-url");
  var timer = null;
  var active = -1;
  var latest = 0;

  function options() { return list.querySelectorAll("[role=option]"); }

  function close() {
    list.hidden = true;
    list.textContent = "";
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    var items = options();
    if (!items.length) return;
    active = (index + items.length) % items.length;
    for (var i = 0; i < items.length; i++) {
      items[i].setAttribute("aria-selected", i === active ? "true" : "false");
    }
    input.setAttribute("aria-activedescendant", items[active].id);
  }

  function choose(text) {
    input.value = text;
    close();
    if (input.form) input.form.submit();
  }

  function show(completions) {
    list.textContent = "";
    active = -1;
    if (!completions.length) { close(); return; }
    completions.forEach(function (text, i) {
      var item = document.createElement("li");
      item.id = "q-suggestion-" + i;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.textContent = text;
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();  // keep the focus in the box
        choose(text);
      });
      list.appendChild(item);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function fetchCompletions() {
    var prefix = input.value;
    if (prefix.trim().length < 2) { close(); return; }
    var ticket = ++latest;
    fetch(url + "?q=" + encodeURIComponent(prefix), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { completions: [] }; })
      .then(function (data) {
        if (ticket === latest && document.activeElement === input) show(data.completions || []);
      })
      .catch(close);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchCompletions, 120);
  });

  input.addEventListener("keydown", function (event) {
    var open = !list.hidden;
    if (event.key === "ArrowDown") {
      if (!open) { fetchCompletions(); return; }
      event.preventDefault();
      highlight(active + 1);
    } else if (event.key === "ArrowUp" && open) {
      event.preventDefault();
      highlight(active - 1);
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();
      choose(options()[active].textContent);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close();
    }
  });

  input.addEventListener("blur", function () { setTimeout(close, 100); });
})();
