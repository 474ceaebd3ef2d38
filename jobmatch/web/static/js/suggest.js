/* Type-ahead for text fields marked data-suggest="<url>": what is typed is sent to the URL (?q=...) and the
   answer ({"items": [{"value", "matched"}]}) fills the field's <datalist>, which the browser shows as a list.
   Without this script the field is a plain text field and the server still understands what was typed. */
(function () {
  "use strict";

  var WAIT_MS = 200;

  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-suggest");
    var timer = null;
    var controller = null;
    var last = "";
    if (!list || !url) { return; }

    function fill(items) {
      while (list.firstChild) { list.removeChild(list.firstChild); }
      items.forEach(function (item) {
        var option = document.createElement("option");
        option.value = item.value;
        if (item.matched && item.matched !== item.value) { option.label = item.matched; }
        list.appendChild(option);
      });
    }

    function ask() {
      var typed = input.value.trim();
      if (typed === last) { return; }
      last = typed;
      if (typed.length < 2) { fill([]); return; }
      if (controller) { controller.abort(); }
      controller = new AbortController();
      fetch(url + "?q=" + encodeURIComponent(typed), {
        headers: { "Accept": "application/json" }, credentials: "same-origin", signal: controller.signal
      }).then(function (response) {
        return response.ok ? response.json() : { items: [] };
      }).then(function (body) {
        fill(body.items || []);
      }).catch(function () { /* aborted or offline: keep what the list had */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, WAIT_MS);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest][list]"), attach);
}());
